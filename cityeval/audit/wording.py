"""The assumptions behind each number an audit records, as plain sentences (``results["assumptions"]``).

Every headline number of notebook 09 rests on choices the data do not make: which alternatives are
uncertain and how they are drawn, what counts as robust, what summary the Sobol' indices
decompose, what "removing" an indicator means. :func:`audit_assumptions` writes them next to the
statistics they qualify, keyed by the results file's keys.
"""
from __future__ import annotations

from cityeval.audit.report import DECIDED
from cityeval.audit.summary import choices_phrase
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool

__all__ = ["audit_assumptions", "check_lines"]


def audit_assumptions(report, result, sensitivity, *, spearman, removed, bounds, ensemble: bool = True,
                      ensemble_scenarios: int | None = None, ensemble_sobol: int | None = None) -> dict:
    """``{results key: [sentence, ...]}``: the assumptions of each headline number of a robustness audit.

    Parameters
    ----------
    report : RobustnessReport
    result : UncertaintyResult
        The Monte Carlo audit the report reads (its spec, scenarios and ``synthetic`` flag).
    sensitivity : SensitivityResult
    spearman : ScenarioSpearman
    removed : IndicatorOut
    bounds : LowerBoundEffect
    ensemble : bool, default True
        Whether the results carry an ensemble block (then a key ``ensemble``).
    ensemble_scenarios, ensemble_sobol : int, optional
        Scenarios and Sobol' rows per ensemble panel (named in the ``ensemble`` sentences).

    Returns
    -------
    dict
        Keys ``summary``, ``rank_intervals``, ``robust_share``, ``neighbor_order_decided_share``,
        ``mean_rank_shift``, ``sobol``, ``scenario_spearman``, ``indicator_out``, ``lower_bound``,
        ``conclusions`` (and ``ensemble``), each a non-empty list of sentences.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import (alternatives_spec, indicator_out, lower_bound_effect, prepare,
    ...                             robustness_report, scenario_spearman)
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> mc = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> a = audit_assumptions(robustness_report(mc, top_n=5, tolerance=1), mc, design.sensitivity(16, seed=1),
    ...                       spearman=scenario_spearman(mc), removed=indicator_out(design, top_n=5, tolerance=1),
    ...                       bounds=lower_bound_effect(design, top_n=5, tolerance=1), ensemble=False)
    >>> sorted(a)[:3], all(isinstance(s, str) and s for v in a.values() for s in v)
    (['conclusions', 'indicator_out', 'lower_bound'], True)
    """
    ensemble = check_bool("ensemble", ensemble)
    for name, value, field in (("report", report, "robust_share"), ("result", result, "spec"),
                               ("sensitivity", sensitivity, "indices"), ("spearman", spearman, "median"),
                               ("removed", removed, "table"), ("bounds", bounds, "reference_low")):
        if not hasattr(value, field):
            raise ParameterError(name, f"an audit result with {field!r}", Shown(type(value).__name__))
    n, tol = result.n, report.tolerance
    drawn = (f"The uncertain choices are the spec's ({choices_phrase(result.spec)}), each drawn independently and "
             "with equal probability: the audit measures robustness to these alternatives only, not to choices it "
             "leaves fixed (the indicator set, imputation, outlier treatment, the direction of each indicator).")
    mc_error = (f"The quantiles come from {n} Monte Carlo scenarios with the data held fixed: their error is Monte "
                "Carlo error, not sampling error, and the scenarios are a designed distribution of methods, not a "
                "sample of anything.")
    nominal = ("The nominal ranking is the dataset's own method (method.json), not necessarily CCID's, which the "
               "report does not spell out in enough detail to rerun.")
    caveat = ([] if not result.synthetic else
              ["The panel is synthetic, calibrated to the published ranks only: its score gaps are invented, so the "
               "number illustrates the audit and does not measure the robustness of CCID's ranking."])
    robust = (f"A rank counts as robust when its 5-95% interval stays within the nominal rank ± {tol:g} places; the "
              "tolerance and the 90% coverage are conventions, not estimates.")
    decided = (f"Two neighbours' order counts as decided when the upper city stays ahead in at least "
               f"{100 * DECIDED:.0f}% of the scenarios, a convention.")
    sobol = [drawn,
             "Sobol' indices decompose the variance of one summary of a scenario, the mean absolute rank shift over all "
             "cities, under independent inputs (the perturbed weights form one input); another summary (e.g. the top "
             "10's ranks) can be driven by other choices.",
             f"Estimated from a Saltelli design of {sensitivity.n} rows (first order: Saltelli et al. 2010; total: "
             f"Jansen 1999) with {100 * sensitivity.confidence:.0f}% percentile bootstrap intervals over the rows; a "
             "discrete input with two options gives each index few distinct values to rest on.", *caveat]
    spear = [drawn,
             f"Spearman's coefficient over all {spearman.units} cities (average ranks for ties) weighs every pair of "
             "cities alike: it is dominated by cities far apart and can stay near 1 while many of the top ranks move, "
             "so it is read beside the rank intervals, not instead of them.",
             "Its quantiles are over the spec's equally likely scenarios, not a sampling distribution.", *caveat]
    leave = ["Removing an indicator means setting its weight to 0 and renormalizing within its parent (COINr's "
             "remove_elements); every other weight, the normalization (per indicator, so unchanged) and the "
             f"{removed.aggregation} mean are the nominal method's.",
             "Each indicator is removed alone: removing several at once can move cities further.",
             f"A city moves when its rank changes by more than ± {removed.tolerance:g} places, a convention.", nominal,
             *caveat]
    low = ["Only min-max's lower bound changes (" + ", ".join(f"{v:g}" for v in bounds.table.index)
           + f"; upper bound {bounds.high:g}); the weights are nominal and the geometric mean applies at every level.",
           "Under the arithmetic mean the bounds do not matter (an affine map of every indicator is an affine map of "
           "the score): the effect is specific to the geometric mean.",
           f"The reference bound {bounds.reference_low:g} (COINr's documented example) is itself an arbitrary choice, "
           "as are the alternatives.", *caveat]
    out = {
        "rank_intervals": [drawn, mc_error, nominal, *caveat],
        "robust_share": [drawn, robust, mc_error, *caveat],
        "neighbor_order_decided_share": [drawn, decided, mc_error, *caveat],
        "mean_rank_shift": [drawn, "The shift of a scenario is the mean over all cities of |rank - nominal rank|, "
                            "every city weighing alike.", mc_error, *caveat],
        "sobol": sobol,
        "scenario_spearman": spear,
        "indicator_out": leave,
        "lower_bound": low,
    }
    if ensemble:
        fewer = (f" with fewer draws per panel ({ensemble_scenarios} scenarios, {ensemble_sobol} Sobol' rows) than the "
                 "nominal panel's full audit" if ensemble_scenarios and ensemble_sobol else "")
        out["ensemble"] = [
            "Every panel of the ensemble reproduces the report's 270 published (rank, city) pairs; the generator's "
            "other assumptions (distributions, correlations, hence the gaps between scores) decide the spread across "
            "panels.",
            f"Every panel is audited with the same spec and seed{fewer}; a conclusion holding in every panel is still "
            "a statement about synthetic data within the generator's ranges.",
            "Robust ranks, decided pairs, the scenarios' correlations, the effect of one indicator or of the lower "
            "bound and the Sobol' indices all depend on the score gaps, which no published table constrains (ranks "
            "do not change under an increasing map of the scores): a verdict shared by every panel reflects the "
            "generator's structure, not the published ranks (basis 'generator')."]
    joint = [robust, decided, drawn, nominal, *caveat]
    out["conclusions"] = joint + [out["ensemble"][i] for i in (0, 2) if ensemble]
    out["summary"] = list(out["conclusions"])
    return out


def check_lines(report, spearman, removed, bounds, *, synthetic: bool) -> list:
    """The conclusions of the three checks beside the Monte Carlo, one sentence each (illustrative on synthetic data).

    The first sets the scenarios' Spearman correlation with the nominal ranking beside the share of robust
    ranks (a high correlation over the whole list does not make the top ranks robust); the others are
    :meth:`IndicatorOut.text` and :meth:`LowerBoundEffect.text`.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import (alternatives_spec, indicator_out, lower_bound_effect, prepare,
    ...                             robustness_report, scenario_spearman)
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> mc = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> lines = check_lines(robustness_report(mc, top_n=5, tolerance=1), scenario_spearman(mc),
    ...                     indicator_out(design, top_n=5, tolerance=1), lower_bound_effect(design, top_n=5, tolerance=1),
    ...                     synthetic=True)
    >>> len(lines), lines[0].startswith("Illustrative (synthetic panel): each scenario's ranking")
    (3, True)
    """
    mark = "Illustrative (synthetic panel): " if check_bool("synthetic", synthetic) else ""
    top = len(report.intervals)
    first = (f"{mark}each scenario's ranking correlates with the nominal one at Spearman {spearman.text()}, yet only "
             f"{report.robust_share:.0%} of the top {top} ranks stay within ± {report.tolerance:g} places: a rank "
             "correlation over the whole list is dominated by cities far apart and does not show that single ranks "
             "are stable.")
    return [first, *(mark + text[0].lower() + text[1:] if mark else text for text in (removed.text(), bounds.text()))]
