"""A JRC-style robustness audit of a ranking: Monte Carlo over method choices, Sobol' indices.

A composite indicator's ranking rests on choices that could reasonably have been made
otherwise: how outliers are treated, how indicators are normalized, how much each one weighs,
how they are aggregated. The JRC's audit (Saisana, Saltelli & Tarantola 2005; COINr's
``get_sensitivity()``) draws those choices at random many times, re-computes the ranking for
each draw (a *scenario*) and reports, for each unit, the distribution of its rank
(*uncertainty analysis*), then apportions the variance of a summary of the rank changes to the
choices with Sobol' indices (*sensitivity analysis*).

==============  ==========================================================================
``spec``        the spec: which choices are uncertain (:func:`check_spec`, :func:`load_spec`)
``design``      :func:`prepare` a dataset, then :meth:`AuditDesign.rank_uncertainty` and
                :meth:`AuditDesign.sensitivity`
``results``     the named results: :class:`Scenarios`, :class:`UncertaintyResult`, :class:`SensitivityResult`
``ranks``       ranks of many scenarios at once (:func:`rank_rows`)
``sizes``       the memory estimate of a run, refused when it exceeds the machine's (:func:`check_audit_size`)
``sobol``       the Saltelli design, the Sobol' estimators, the Ishigami test function
``summary``     reading a result: :func:`summarize_ranks`, :func:`robust_ranks`, :func:`neighbor_order`, ...
``report``      the robustness report of the top ranks and its conclusions in words
``agreement``   each scenario's Spearman correlation with the nominal ranking (:func:`scenario_spearman`)
``leave_out``   the ranking without each indicator in turn (:func:`indicator_out`)
``bounds``      min-max's lower bound under the geometric mean (:func:`lower_bound_effect`)
``statistics``  a whole audit in a few numbers, for an ensemble of panels (:class:`RobustnessStatistics`)
``wording``     the assumptions each recorded number rests on (:func:`audit_assumptions`)
==============  ==========================================================================

Everything public is exported here: ``from cityeval.audit import prepare``.

>>> from cityeval import paths
>>> from cityeval.audit import prepare
>>> from cityeval.composite import load_dataset
>>> design = prepare(load_dataset(paths.DATA / "examples" / "toy"),
...                  {"choices": {"weights": {"perturbation": {"1": 0.25}}}})
>>> design.rank_uncertainty(100, seed=1).table.columns.tolist()
['nominal', 'mean', 'median', 'q05', 'q95']

References
----------
Saisana, M., Saltelli, A. and Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *J. R. Stat. Soc. A*
168(2), 307-323. https://doi.org/10.1111/j.1467-985X.2005.00350.x
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Comput. Phys. Commun.* 181(2), 259-270. https://doi.org/10.1016/j.cpc.2009.09.018
Becker, W. et al. (2022). COINr: ``get_sensitivity()``, ``get_noisy_weights()``.
https://doi.org/10.21105/joss.04567
"""
# Lazy: a name is imported from its module when first used (PEP 562), so that `cityeval.audit.sizes` (which the
# notebook pre-check reads) does not import scipy.stats and the whole engine; `from cityeval.audit import prepare`
# works as before. Static tools read the same names below.
from cityeval.lazy import lazy_exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from cityeval.audit.agreement import ScenarioSpearman, scenario_spearman, spearman_rows
    from cityeval.audit.bounds import ALTERNATIVE_LOWS, LowerBoundEffect, lower_bound_effect, with_minmax_low
    from cityeval.audit.design import CHUNK_BYTES, AuditDesign, prepare, rank_uncertainty, sensitivity
    from cityeval.audit.leave_out import IndicatorOut, indicator_out
    from cityeval.audit.ranks import rank_rows
    from cityeval.audit.sizes import AuditMemory, audit_memory, check_audit_size
    from cityeval.audit.report import (DECIDED, NEIGHBOR_DEFINITION, Conclusions, PairRemoved, RobustnessReport,
                                       conclusions, robustness_report)
    from cityeval.audit.statistics import (SPEARMAN_THRESHOLD, RobustnessStatistics, ensemble_summary,
                                           robustness_statistics)
    from cityeval.audit.wording import audit_assumptions, check_lines
    from cityeval.audit.results import Scenarios, SensitivityResult, UncertaintyResult
    from cityeval.audit.sobol import (SobolIndices, UnbalancedSobolWarning, balance_note, ishigami, ishigami_indices,
                                      sobol_estimates, sobol_matrices)
    from cityeval.audit.spec import (AGGREGATE_ALTERNATIVES, CHOICES, DEFAULT_N, DISCRETE_CHOICES, NORMALIZE_ALTERNATIVES,
                                     VECTOR_AGGREGATIONS, alternatives_spec, check_spec, load_spec, option_label)
    from cityeval.audit.summary import (RANK_BANDS, WIDTH_MIN_PERIODS, WIDTH_WINDOW, ShiftSummary, SobolRow, choice_names,
                                        choices_phrase, describe_choices, describe_design, interval_widths, neighbor_order,
                                        rank_bands, robust_ranks, shift_by_choice, shift_summary, sobol_summary,
                                        summarize_ranks)

_MODULES = {
    "agreement": ["ScenarioSpearman", "scenario_spearman", "spearman_rows"],
    "bounds": ["ALTERNATIVE_LOWS", "LowerBoundEffect", "lower_bound_effect", "with_minmax_low"],
    "design": ["CHUNK_BYTES", "AuditDesign", "prepare", "rank_uncertainty", "sensitivity"],
    "leave_out": ["IndicatorOut", "indicator_out"],
    "ranks": ["rank_rows"],
    "sizes": ["AuditMemory", "audit_memory", "check_audit_size"],
    "report": ["DECIDED", "NEIGHBOR_DEFINITION", "Conclusions", "PairRemoved", "RobustnessReport", "conclusions", "robustness_report"],
    "statistics": ["SPEARMAN_THRESHOLD", "RobustnessStatistics", "ensemble_summary", "robustness_statistics"],
    "wording": ["audit_assumptions", "check_lines"],
    "results": ["Scenarios", "SensitivityResult", "UncertaintyResult"],
    "sobol": ["SobolIndices", "UnbalancedSobolWarning", "balance_note", "ishigami", "ishigami_indices", "sobol_estimates", "sobol_matrices"],
    "spec": ["AGGREGATE_ALTERNATIVES", "CHOICES", "DEFAULT_N", "DISCRETE_CHOICES", "NORMALIZE_ALTERNATIVES", "VECTOR_AGGREGATIONS", "alternatives_spec", "check_spec", "load_spec", "option_label"],
    "summary": ["RANK_BANDS", "WIDTH_MIN_PERIODS", "WIDTH_WINDOW", "ShiftSummary", "SobolRow", "choice_names", "choices_phrase", "describe_choices", "describe_design", "interval_widths", "neighbor_order", "rank_bands", "robust_ranks", "shift_by_choice", "shift_summary", "sobol_summary", "summarize_ranks"],
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}


__all__ = [
    # the spec
    "check_spec", "load_spec", "alternatives_spec", "option_label", "CHOICES", "DISCRETE_CHOICES",
    "VECTOR_AGGREGATIONS", "DEFAULT_N", "NORMALIZE_ALTERNATIVES", "AGGREGATE_ALTERNATIVES",
    # the engine and its results
    "prepare", "AuditDesign", "Scenarios", "UncertaintyResult", "SensitivityResult", "rank_uncertainty",
    "sensitivity", "rank_rows", "CHUNK_BYTES",
    # sizes: the memory estimate of a run, checked before it starts
    "audit_memory", "check_audit_size", "AuditMemory",
    # Sobol'
    "SobolIndices", "sobol_estimates", "sobol_matrices", "ishigami", "ishigami_indices", "UnbalancedSobolWarning",
    "balance_note",
    # reading a result
    "summarize_ranks", "robust_ranks", "neighbor_order", "shift_by_choice", "rank_bands", "RANK_BANDS",
    "interval_widths", "WIDTH_WINDOW", "WIDTH_MIN_PERIODS",
    "SobolRow", "sobol_summary", "ShiftSummary", "shift_summary", "choice_names", "choices_phrase",
    "describe_choices", "describe_design",
    # the report
    "robustness_report", "RobustnessReport", "PairRemoved", "conclusions", "Conclusions", "DECIDED",
    "NEIGHBOR_DEFINITION",
    # method checks beside the Monte Carlo: agreement with the nominal ranking, one indicator out, min-max's bound
    "scenario_spearman", "ScenarioSpearman", "spearman_rows", "indicator_out", "IndicatorOut", "lower_bound_effect",
    "LowerBoundEffect", "with_minmax_low", "ALTERNATIVE_LOWS",
    # the audit over an ensemble of panels, and the assumptions of the recorded numbers
    "robustness_statistics", "RobustnessStatistics", "ensemble_summary", "SPEARMAN_THRESHOLD", "audit_assumptions",
    "check_lines",
]


__getattr__, __dir__ = lazy_exports(__name__, {name: f"{__name__}.{module}" for name, module in _EXPORTS.items()},
                                   globals())
