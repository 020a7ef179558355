"""Correlation of a dimension with the composite: intervals, tests, the part-whole effect and selection.

The report states that technology innovation correlates 0.7561 with overall
competitiveness (Ch. 3 §5, Fig. 18). Technology innovation is one of the six
equally weighted dimensions *of* that composite, so part of any such
correlation is mechanical; and Fig. 18 plots a top 100 (by which ranking is not stated) of the cities evaluated
(293 in CCID's 2020 edition, assumed), and selection by the composite lowers every correlation. This module gives the statistics notebook 02 uses:

* :func:`correlation_test` — the coefficient with a Fisher-z interval (only for unselected cities), a
  bootstrap interval and a permutation p-value (a :class:`CorrelationTest`);
* :func:`fisher_ci` and :func:`fisher_ci_table` — Fisher's interval of a given coefficient;
  :func:`coefficient`, :func:`fisher_ci` and their named results are in
  :mod:`cityeval.analysis._correlation_coefficient`;
* :func:`composite_correlation` — the general part-whole formula r(X_j, C) = sum_k a_k rho_jk /
  sqrt(sum_kl a_k a_l rho_kl), a_k = w_k sigma_k; :func:`part_whole_r`, its equal-weight exchangeable case;
  :func:`part_whole_lower_bound`, its lowest value with non-negative correlations; :func:`implied_rho` and
  :func:`implied_rho_curve`, the formula read backwards (over the dimension's effective weight,
  :func:`effective_weights`); :func:`simulate_part_whole`, :func:`mean_intercorrelation`,
  :func:`part_whole_summary` and :func:`composite_without` (:mod:`cityeval.analysis._correlation_part_whole`);
* :func:`simulate_selection`, :func:`implied_rho_selected` (and :func:`implied_rho_selected_at_weights`, at
  other effective weights of the dimension), :func:`implied_rho_unselected` and
  :func:`implied_rho_table` — the coefficient among the top cities by composite (simulated, with its spread)
  and what a coefficient implies, read on unselected or selected cities (:class:`ImpliedRho`;
  :mod:`cityeval.analysis._correlation_selection`);
* :func:`coefficient_anatomy` — what the data's coefficient is made of: spreads, skews and the dimension's
  correlations with the others, by the general formula (:mod:`cityeval.analysis._correlation_anatomy`);
* :func:`method_sensitivity` — the coefficient under other weightings and normalizations;
* :func:`published_agreement`, :func:`innovation_findings` and :func:`innovation_assumptions` — notebook 02's
  table of published rank agreements, its conclusion texts and the assumptions each number rests on
  (:mod:`cityeval.analysis._correlation_findings`);
* :func:`ensemble_statistics`, :func:`ensemble_labels` and :func:`ensemble_conclusions` — the statistics
  of one panel that notebook 02 computes on the nominal panel and on every member of the ensemble of
  panels fitting the published ranks, and the yes/no tests of them; :class:`EnsembleStatistics` bundles them
  for :func:`cityeval.notebook.spread.summarize` (:mod:`cityeval.analysis._correlation_ensemble`).

Samples are one-dimensional and finite: a NaN or an infinity raises a
:class:`~cityeval.errors.DataError` naming the city (drop or impute first); a bad argument
raises a :class:`~cityeval.errors.ParameterError` naming it.

Pairing: two pandas Series are paired **by city** (their index labels): they must hold the same
cities, each once, in any order (``y`` is put in ``x``'s order); a Series whose cities differ from the
other's is refused rather than silently matched by position or cut to the common cities. A Series
with an array, or two arrays, are paired by position.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_choices, check_integer, check_seed

from cityeval.analysis._correlation_anatomy import ANATOMY_ASSUMPTIONS, CoefficientAnatomy, coefficient_anatomy
from cityeval.analysis._correlation_coefficient import (CORRELATION_METHODS, MIN_PAIRS, ConfidenceInterval,
                                                      CorrelationTest, _check_level, _check_method, _coef,
                                                      _coef_along, _pairs, coefficient, fisher_ci, fisher_ci_table,
                                                      min_resamples)
from cityeval.analysis._correlation_ensemble import (ENSEMBLE_STATISTICS, FIGURE_STATISTICS, EnsembleStatistics,
                                                   ensemble_conclusions, ensemble_labels, ensemble_statistics)
from cityeval.analysis._correlation_wording import (METHOD_NAMES_ZH, banner, correlation_test_table, implied_rho_shown,
                                                  method_name, published_agreement_shown, refused_text)
from cityeval.analysis._correlation_findings import (InnovationFindings, correlation_test_assumptions,
                                                   innovation_assumptions, innovation_findings, published_agreement)
from cityeval.analysis._correlation_part_whole import (PART_WHOLE_ASSUMPTIONS, PartWholeSummary, composite_correlation,
                                                     composite_without, effective_weights, implied_rho,
                                                     implied_rho_curve, mean_intercorrelation, part_whole_lower_bound,
                                                     part_whole_r, part_whole_summary, simulate_part_whole)
from cityeval.analysis._correlation_selection import (DEFAULT_RHOS, NORMALITY_ASSUMPTION, UNSELECTED_ASSUMPTIONS,
                                                    ImpliedRho, SelectionSimulation, implied_rho_selected,
                                                    implied_rho_selected_at_weights, implied_rho_table, weight_key,
                                                    implied_rho_unselected, selection_assumptions, simulate_selection)

__all__ = ["correlation_test_table", "implied_rho_shown", "published_agreement_shown", "CORRELATION_METHODS", "MIN_PAIRS", "min_resamples", "ConfidenceInterval", "CorrelationTest",
           "PartWholeSummary", "MethodSensitivity", "fisher_ci", "fisher_ci_table", "coefficient", "correlation_test",
           "composite_correlation", "part_whole_r", "part_whole_lower_bound", "implied_rho", "implied_rho_curve",
           "effective_weights", "simulate_part_whole", "part_whole_summary", "composite_without",
           "mean_intercorrelation", "SelectionSimulation", "simulate_selection", "ImpliedRho", "implied_rho_selected",
           "implied_rho_unselected", "implied_rho_table", "implied_rho_selected_at_weights", "weight_key",
           "NORMALITY_ASSUMPTION", "DEFAULT_RHOS", "CoefficientAnatomy", "coefficient_anatomy",
           "method_sensitivity", "published_agreement", "METHOD_NAMES_ZH", "method_name", "banner",
           "refused_text", "innovation_findings", "innovation_assumptions",
           "InnovationFindings", "correlation_test_assumptions", "PART_WHOLE_ASSUMPTIONS", "UNSELECTED_ASSUMPTIONS",
           "ANATOMY_ASSUMPTIONS", "selection_assumptions", "ENSEMBLE_STATISTICS", "FIGURE_STATISTICS",
           "ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "EnsembleStatistics"]

def correlation_test(x, y, *, method: str = "pearson", n_boot: int = 2000, n_perm: int = 2000, seed: int = 0,
                     level: float = 0.95, selected: bool = False) -> CorrelationTest:
    """A correlation with three kinds of uncertainty: Fisher-z, bootstrap and permutation.

    Parameters
    ----------
    x, y : array-like of shape (n,)
        Paired values (e.g. the technology-innovation score and the composite of n cities);
        finite, at least 4 pairs, neither constant; two Series are paired by city.
    method : {"pearson", "spearman"}
    n_boot : int, default 2000
        Bootstrap resamples of the pairs (``scipy.stats.bootstrap``, percentile interval), at least
        :func:`min_resamples` of ``level`` (40 at 0.95).
    n_perm : int, default 2000
        Permutations of ``y`` against ``x`` (``scipy.stats.permutation_test``, two-sided), >= 1.
    seed : int, default 0
        Seed (0 ... 2**32 - 1) of both resampling procedures.
    level : float, default 0.95
        Confidence level of both intervals, in (0, 1).
    selected : bool, default False
        The pairs are cities selected on a variable related to ``x`` or ``y`` (the top cities by the
        composite ``y``). Fisher's interval assumes a random sample from a bivariate normal population;
        cities kept because their composite is high are neither (the composite is truncated), so it is then
        not computed (NaN). The bootstrap interval then refers to a population of cities selected the same way.

    Returns
    -------
    CorrelationTest
        ``method``, ``n``, ``statistic``, ``fisher_ci_low``, ``fisher_ci_high``, ``boot_ci_low``,
        ``boot_ci_high``, ``p_value`` (permutation), ``selected``.

    Raises
    ------
    ParameterError
        Unknown method, lengths that differ, two Series of different cities, fewer than 4 pairs, a
        constant variable, a bad ``n_boot``/``n_perm``/``seed``/``level``.
    DataError
        A NaN or infinite value (named by its city when ``x``/``y`` are Series); a bootstrap interval
        that is not finite (the coefficient is undefined in resamples where a variable is constant,
        as with many ties: use more distinct values or Fisher's interval).

    Notes
    -----
    The permutation p-value counts the permuted coefficients at least as extreme as the observed
    one, plus the observed one itself (scipy's convention), so it is at least
    :math:`1/(n_{perm} + 1)`. Its null is no association; for a dimension and a composite it is part of,
    that null is false by construction (:func:`part_whole_r`), so a small p says little.

    The bootstrap resamples the pairs as independent draws from the population the cities represent
    (Efron & Tibshirani 1993); Fisher's interval in addition assumes that population is bivariate normal
    (Fisher 1921). See :data:`CORRELATION_TEST_ASSUMPTIONS`.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. New York: Chapman & Hall.
    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced from a small sample.
    Metron 1: 3–32.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    >>> res = correlation_test(x, [1.0, 3.0, 2.0, 5.0, 4.0, 6.0], n_boot=100, n_perm=100, seed=1)
    >>> round(res.statistic, 4), res.n
    (0.8857, 6)
    """
    _check_method(method)
    level = _check_level(level)
    x, y = _pairs(x, y, min_n=MIN_PAIRS)
    n_boot = check_integer("n_boot", n_boot, low=min_resamples(level),
                           allowed=f"a whole number >= {min_resamples(level)} (at level {level:g}, each tail of "
                                   "the percentile interval needs a resample)")
    n_perm = check_integer("n_perm", n_perm, low=1)
    seed = check_seed(seed)
    selected = check_bool("selected", selected)
    coef = _coef(method)
    r = float(coef(x, y))
    if selected:
        lo = hi = float("nan")
    else:
        lo, hi = fisher_ci(r, len(x), level=level, method=method) if abs(r) < 1 else (r, r)
    # vectorized: scipy draws the same resamples and permutations as with vectorized=False (so the same
    # numbers), and evaluates the coefficient on all of them in one call instead of one call each
    along = _coef_along(method)
    with warnings.catch_warnings():   # a resample with a constant variable: a DataError below, not a warning
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        boot = stats.bootstrap((x, y), along, paired=True, vectorized=True, n_resamples=n_boot,
                               confidence_level=level, method="percentile", rng=np.random.default_rng(seed))
        perm = stats.permutation_test((x, y), along, permutation_type="pairings", vectorized=True,
                                      n_resamples=n_perm, alternative="two-sided", rng=np.random.default_rng(seed))
    boot_lo, boot_hi = float(boot.confidence_interval.low), float(boot.confidence_interval.high)
    if not (np.isfinite(boot_lo) and np.isfinite(boot_hi) and np.isfinite(perm.pvalue)):
        raise DataError(None, f"x, y: the {method} coefficient is undefined in some bootstrap resamples (a "
                        "resample in which x or y is constant), so the bootstrap interval is not finite",
                        detail=f"{len(np.unique(x))} distinct x and {len(np.unique(y))} distinct y values "
                               f"among {len(x)} pairs")
    return CorrelationTest(method=method, n=int(len(x)), statistic=r, fisher_ci_low=lo, fisher_ci_high=hi,
                           boot_ci_low=boot_lo, boot_ci_high=boot_hi, p_value=float(perm.pvalue), selected=selected)


@dataclass(frozen=True)
class MethodSensitivity:
    """Result of :func:`method_sensitivity`.

    Attributes
    ----------
    grid : pandas.DataFrame
        Index ``weighting``, one column per normalization: the coefficient, NaN where refused.
    refused : dict
        ``"<weighting>/<normalization>"`` -> the library's message for the choices it refused.
    """

    grid: pd.DataFrame
    refused: dict


def method_sensitivity(score_panel, data, *, top_n: int, x: str, method: str = "pearson",
                       weightings=("equal", "entropy", "critic", "pca"),
                       normalizations=("minmax", "zscore", "rank")) -> MethodSensitivity:
    """The coefficient of column ``x`` with the composite, re-scored under other method choices.

    Parameters
    ----------
    score_panel : callable
        ``score_panel(data, top_n=..., method=record)`` returns a scored panel with ``scores``
        (cities x codes) and ``top_code`` (the composite's column):
        :func:`cityeval.notebook.panel.scored_panel`. Each re-scoring picks its own top cities.
    data : str or path-like
        The dataset folder, passed on.
    top_n : int
        Cities kept by each re-scoring.
    x : str
        The column correlated with the composite (e.g. ``"TEC"``).
    method : {"pearson", "spearman"}, default "pearson"
    weightings, normalizations : sequences of distinct str
        The weight methods (of :data:`cityeval.composite.weighting.WEIGHT_METHODS`) and normalization
        methods (of :data:`cityeval.composite.normalization.NORMALIZE_METHODS`) crossed (each record is
        ``{"weight": {"method": w}, "normalize": {"method": nm}}``).

    Returns
    -------
    MethodSensitivity
        ``grid`` (weighting x normalization, NaN where refused) and ``refused`` (the message of
        each refusal: a combination the library refuses for these data, e.g. entropy weights of
        z-scores, raises a :class:`~cityeval.errors.DataError` whose text is kept).

    Raises
    ------
    ParameterError
        A bad argument: an unknown or repeated method name (a single string is refused, not read letter
        by letter), ``x`` not a column of the scores, a bad ``top_n``. These are raised, never recorded.
    DataError
        The data folder cannot be scored with its own method (a missing folder, a bad file): the folder
        is scored once, unprotected, before the combinations are tried.

    Examples
    --------
    >>> from cityeval.notebook.panel import scored_panel
    >>> res = method_sensitivity(scored_panel, "", top_n=50, x="TEC", weightings=("equal", "entropy"),
    ...                          normalizations=("minmax", "zscore"))
    >>> res.grid.shape, list(res.refused)   # entropy weights of z-scores are refused (negative values)
    ((2, 2), ['entropy/zscore'])
    """
    from cityeval.composite.normalization import NORMALIZE_METHODS
    from cityeval.composite.weighting import WEIGHT_METHODS

    _check_method(method)
    if not callable(score_panel):
        raise ParameterError("score_panel", "a function such as cityeval.notebook.panel.scored_panel",
                             Shown(type(score_panel).__name__))
    # every argument is checked here: inside the loop only a DataError (a combination refused for these
    # data) is recorded; anything else is raised
    top_n = check_integer("top_n", top_n, low=MIN_PAIRS)
    weightings = check_choices("weightings", weightings, WEIGHT_METHODS)
    normalizations = check_choices("normalizations", normalizations, NORMALIZE_METHODS)
    base = score_panel(data, top_n=top_n)   # the folder and top_n, unprotected: a bad folder is not "refused"
    check_choice("x", x, [c for c in base.scores.columns if c != base.top_code])
    rows, refused = [], {}
    for w in weightings:
        for nm in normalizations:
            try:
                p = score_panel(data, top_n=top_n, method={"weight": {"method": w}, "normalize": {"method": nm}})
                r = coefficient(p.scores[x], p.scores[p.top_code], method=method)
            except DataError as exc:
                r, refused[f"{w}/{nm}"] = np.nan, str(exc)
            rows.append({"weighting": w, "normalization": nm, "r": r})
    grid = pd.DataFrame(rows).pivot(index="weighting", columns="normalization", values="r")
    return MethodSensitivity(grid=grid, refused=refused)
