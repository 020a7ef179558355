"""Correlation of a dimension with the composite: intervals, tests, and the part-whole effect.

The report states that technology innovation correlates 0.7561 with overall
competitiveness (Ch. 3 §5, Fig. 18). Technology innovation is one of the six
equally weighted dimensions *of* that composite, so part of any such
correlation is mechanical. This module gives the statistics notebook 02 uses:

* :func:`correlation_test` — the coefficient with a Fisher-z interval, a bootstrap
  interval and a permutation p-value (a :class:`CorrelationTest`);
* :func:`fisher_ci` and :func:`fisher_ci_table` — Fisher's interval of a given coefficient;
* :func:`part_whole_r`, :func:`implied_rho`, :func:`simulate_part_whole`,
  :func:`mean_intercorrelation` and :func:`part_whole_summary` — the analytic part-whole
  relation, checked by simulation, and :func:`composite_without` — the composite rebuilt
  without the dimension (:mod:`cityeval.analysis._correlation_part_whole`);
* :func:`method_sensitivity` — the coefficient under other weightings and normalizations;
* :func:`published_agreement` and :func:`innovation_findings` — notebook 02's table of
  published rank agreements and its conclusion texts (:mod:`cityeval.analysis._correlation_findings`).

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
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import (Shown, check_choice, check_choices, check_integer, check_number, check_sample,
                                 check_seed)

from cityeval.analysis._correlation_findings import InnovationFindings, innovation_findings, published_agreement
from cityeval.analysis._correlation_part_whole import (PartWholeSummary, composite_without, implied_rho,
                                                     mean_intercorrelation, part_whole_r, part_whole_summary,
                                                     simulate_part_whole)

__all__ = ["CORRELATION_METHODS", "MIN_PAIRS", "min_resamples", "ConfidenceInterval", "CorrelationTest", "PartWholeSummary", "MethodSensitivity",
           "fisher_ci", "fisher_ci_table", "coefficient", "correlation_test", "part_whole_r", "implied_rho",
           "simulate_part_whole", "part_whole_summary", "composite_without", "mean_intercorrelation",
           "method_sensitivity", "published_agreement", "innovation_findings", "InnovationFindings"]

CORRELATION_METHODS = ("pearson", "spearman")

#: Fewest pairs :func:`fisher_ci` and :func:`correlation_test` accept (Fisher's se divides by n - 3).
MIN_PAIRS = 4


def min_resamples(level: float) -> int:
    """Fewest bootstrap resamples :func:`correlation_test` accepts at confidence ``level``: enough for each
    tail of the percentile interval to hold at least one resample, ``ceil(2 / (1 - level))`` (40 at 0.95).
    Fewer give an interval that is the extreme resamples themselves (with one, a zero-width interval).

    >>> min_resamples(0.95), min_resamples(0.9)
    (40, 20)
    """
    level = _check_level(level)
    return int(np.ceil(2 / (1 - level) - 1e-9))


class ConfidenceInterval(NamedTuple):
    """A confidence interval: ``ci_low``, ``ci_high`` (unpacks as ``lo, hi``)."""

    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class CorrelationTest:
    """Result of :func:`correlation_test`.

    Attributes
    ----------
    method : str
        ``"pearson"`` or ``"spearman"``.
    n : int
        Number of pairs.
    statistic : float
        The coefficient (Pearson's r or Spearman's rho).
    fisher_ci_low, fisher_ci_high : float
        Fisher-z confidence interval (:func:`fisher_ci`); ``(r, r)`` when ``|r| = 1``.
    boot_ci_low, boot_ci_high : float
        Percentile bootstrap interval over resampled pairs.
    p_value : float
        Two-sided permutation p-value (null: no association).
    """

    method: str
    n: int
    statistic: float
    fisher_ci_low: float
    fisher_ci_high: float
    boot_ci_low: float
    boot_ci_high: float
    p_value: float


def _check_level(level) -> float:
    return check_number("level", level, low=0, high=1, low_open=True, high_open=True)


def _check_method(method) -> str:
    return check_choice("method", method, CORRELATION_METHODS)


def fisher_ci(r: float, n: int, *, level: float = 0.95, method: str = "pearson") -> ConfidenceInterval:
    """Confidence interval of a correlation coefficient by Fisher's z transform.

    Parameters
    ----------
    r : float
        The coefficient, in (-1, 1).
    n : int
        Number of pairs, at least 4.
    level : float, default 0.95
        Confidence level, in (0, 1).
    method : {"pearson", "spearman"}
        ``spearman`` uses the standard error of Fieller, Hartley & Pearson (1957).

    Returns
    -------
    ConfidenceInterval
        ``(ci_low, ci_high)``; unpacks as a pair.

    Notes
    -----
    z = atanh(r), se = 1/sqrt(n - 3) (Pearson) or sqrt(1.06/(n - 3)) (Spearman);
    the interval is tanh(z ± q se) with q the standard normal (1 + level)/2 quantile.

    References
    ----------
    Fisher, R. A. (1921). Metron 1: 3–32.
    Fieller, E. C., Hartley, H. O. & Pearson, E. S. (1957). Biometrika 44: 470–481.

    Examples
    --------
    >>> lo, hi = fisher_ci(0.7561, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.6573, 0.8293)
    """
    level = _check_level(level)
    _check_method(method)
    r = check_number("r", r, low=-1, high=1, low_open=True, high_open=True)
    n = check_integer("n", n, low=MIN_PAIRS, allowed=f"a whole number of pairs, at least {MIN_PAIRS}")
    se = (1.06 if method == "spearman" else 1.0) ** 0.5 / np.sqrt(n - 3)
    q = stats.norm.ppf((1 + level) / 2)
    z = np.arctanh(r)
    return ConfidenceInterval(float(np.tanh(z - q * se)), float(np.tanh(z + q * se)))


def fisher_ci_table(r: float, ns, *, level: float = 0.95, method: str = "pearson") -> pd.DataFrame:
    """Fisher's interval of one coefficient ``r`` at several sample sizes.

    Parameters
    ----------
    r : float
        The coefficient, in (-1, 1) (e.g. the report's 0.7561, whose n is not stated).
    ns : iterable of int
        Sample sizes, each at least 4.
    level, method
        As in :func:`fisher_ci`.

    Returns
    -------
    pandas.DataFrame
        Index ``n`` (in the order given), columns ``fisher_ci_low`` and ``fisher_ci_high``.

    Examples
    --------
    >>> table = fisher_ci_table(0.7561, [30, 100])
    >>> list(table.columns), table.round(4).to_numpy().tolist()
    (['fisher_ci_low', 'fisher_ci_high'], [[0.544, 0.8774], [0.6573, 0.8293]])
    """
    ns = list(ns) if not isinstance(ns, (str, bytes)) and np.iterable(ns) else None
    if not ns:
        raise ParameterError("ns", "a non-empty sequence of sample sizes", ns)
    rows = [{"n": n, **dict(zip(["fisher_ci_low", "fisher_ci_high"], fisher_ci(r, n, level=level, method=method)))}
            for n in ns]
    return pd.DataFrame(rows).set_index("n")


def _align(x, y):
    """``y`` in the order of ``x`` when both are Series holding the same cities once each (see the module)."""
    if not (isinstance(x, pd.Series) and isinstance(y, pd.Series)):
        return y
    for name, s in (("x", x), ("y", y)):
        if s.index.has_duplicates:
            dup = s.index[s.index.duplicated()].unique()
            raise DataError(None, f"{name}: each city appears once (two Series are paired by city)",
                            detail=f"repeated: {', '.join(map(str, dup[:5]))}")
    if x.index.equals(y.index):
        return y
    only_x, only_y = x.index.difference(y.index, sort=False), y.index.difference(x.index, sort=False)
    if len(only_x) or len(only_y):
        raise ParameterError("y", "a Series of the same cities as x (two Series are paired by city)",
                             Shown(f"a Series whose cities differ: {len(only_x)} of x not in y "
                                   f"({', '.join(map(str, only_x[:3]))}), {len(only_y)} of y not in x "
                                   f"({', '.join(map(str, only_y[:3]))})"))
    return y.reindex(x.index)


def _pairs(x, y, *, min_n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two finite samples of the same length, paired by city when both are Series (a DataError names a
    non-finite value's city)."""
    y = _align(x, y)
    x = check_sample(x, name="x", min_n=min_n, what="one value per city, paired with y")
    y = check_sample(y, name="y", min_n=min_n, what="one value per city, paired with x")
    if x.shape != y.shape:
        raise ParameterError("x, y", "two 1-d arrays of the same length", Shown(f"shapes {x.shape} and {y.shape}"))
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise ParameterError("x, y", "variables that are not constant (a correlation is undefined otherwise)",
                             Shown("a constant array"))
    return x, y


def coefficient(x, y, *, method: str = "pearson") -> float:
    """Pearson's r or Spearman's rho of paired values (no resampling; see :func:`correlation_test`).

    Parameters
    ----------
    x, y : array-like of shape (n,)
        Paired values, finite, at least 2, neither constant; two Series are paired by city.
    method : {"pearson", "spearman"}, default "pearson"

    Returns
    -------
    float
        :func:`scipy.stats.pearsonr` or :func:`scipy.stats.spearmanr`'s coefficient.

    Examples
    --------
    >>> round(coefficient([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0, 5.0], method="spearman"), 12)
    0.8
    >>> a = pd.Series([1.0, 2.0, 3.0], index=["x", "y", "z"])
    >>> round(coefficient(a, a[::-1]), 12)   # paired by city, not by position
    1.0
    """
    _check_method(method)
    x, y = _pairs(x, y, min_n=2)
    return float(_coef(method)(x, y))


def _coef(method):
    if method == "pearson":
        return lambda x, y: stats.pearsonr(x, y)[0]
    return lambda x, y: stats.spearmanr(x, y)[0]


def _coef_along(method):
    """The coefficient along the last axis of stacked samples (``scipy.stats`` ``vectorized=True`` form).

    Pearson: :func:`scipy.stats.pearsonr` with ``axis``, the same computation as the one-sample call.
    Spearman: Pearson's r of the average ranks (:func:`scipy.stats.rankdata`), which is Spearman's rho
    with ties; it equals :func:`scipy.stats.spearmanr` up to rounding (about 1e-16).
    """
    if method == "pearson":
        return lambda x, y, axis=-1: stats.pearsonr(x, y, axis=axis).statistic
    return lambda x, y, axis=-1: stats.pearsonr(stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis),
                                                axis=axis).statistic


def correlation_test(x, y, *, method: str = "pearson", n_boot: int = 2000, n_perm: int = 2000, seed: int = 0,
                     level: float = 0.95) -> CorrelationTest:
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

    Returns
    -------
    CorrelationTest
        ``method``, ``n``, ``statistic``, ``fisher_ci_low``, ``fisher_ci_high``, ``boot_ci_low``,
        ``boot_ci_high``, ``p_value`` (permutation).

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
    :math:`1/(n_{perm} + 1)`.

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
    coef = _coef(method)
    r = float(coef(x, y))
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
                           boot_ci_low=boot_lo, boot_ci_high=boot_hi, p_value=float(perm.pvalue))


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
