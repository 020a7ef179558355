"""Measures of concentration: Gini, Theil, the Lorenz curve, the head's share and gap, bootstrap intervals, and
which indicators they may be computed on (a ratio scale), with what a shift of the scale's zero does to them.

Re-exported by :mod:`cityeval.analysis.concentration`; import from there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import (Shown, check_choice, check_integer, check_number, check_numbers, check_sample,
                                 check_seed)

__all__ = ["gini", "theil", "lorenz_curve", "head_concentration", "HeadConcentration", "head_concentration_table",
           "concentration_interval", "ConcentrationInterval", "MEASURES", "ratio_scale", "shift_dependence",
           "BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "NOT_RATIO_UNITS"]

#: The measures :func:`concentration_interval` and :func:`shift_dependence` know, by name.
MEASURES = ("gini", "theil")
#: Resamples and seed of the bootstrap intervals notebook 08 reports (fixed: the notebook has no seed parameter).
BOOTSTRAP_RESAMPLES = 9999
BOOTSTRAP_SEED = 0
#: Units that are a value without a true zero (its 0 is a convention of the scale, not an absence):
#: :func:`ratio_scale` takes a unit whose text begins with one of these words as such ("score 0-100", "index").
NOT_RATIO_UNITS = ("score", "index", "rank", "rating", "grade")


def _nonnegative(x, name: str) -> np.ndarray:
    return check_sample(x, name=name, nonnegative=True, positive_sum=True,
                        what="non-negative values, e.g. shares of a total")


def _measures(measures, required=()) -> dict:
    """``measures`` if it is a dict of :class:`HeadConcentration` holding the keys ``required``."""
    allowed = "a dict of HeadConcentration (from head_concentration)" + (
        f" with the keys {', '.join(map(repr, required))}" if required else "")
    if not isinstance(measures, dict):
        raise ParameterError("measures", allowed, Shown(type(measures).__name__))
    bad = [k for k, m in measures.items() if not isinstance(m, HeadConcentration)]
    if bad:
        raise ParameterError("measures", allowed, Shown(f"a dict whose {bad[0]!r} is a {type(measures[bad[0]]).__name__}"))
    missing = [k for k in required if k not in measures]
    if missing:
        raise ParameterError("measures", allowed, Shown(f"a dict without {', '.join(map(repr, missing))}"))
    return measures


def _names(names):
    if names is not None and not callable(names):
        raise ParameterError("names", "a callable mapping a list of units to their display names, or None",
                             Shown(type(names).__name__))
    return names


# --------------------------------------------------------------------------- the measures (and their array forms)


def _gini_along(v: np.ndarray, axis: int = -1) -> np.ndarray:
    """The Gini coefficient of each slice of ``v`` along ``axis`` (checked values; the bootstrap's vectorized form)."""
    v = np.sort(v, axis=axis)
    n = v.shape[axis]
    shape = [1] * v.ndim
    shape[axis] = n
    i = np.arange(1, n + 1).reshape(shape)
    return 2 * (i * v).sum(axis=axis) / (n * v.sum(axis=axis)) - (n + 1) / n


def _theil_along(v: np.ndarray, axis: int = -1) -> np.ndarray:
    """The Theil index of each slice of ``v`` along ``axis``: the mean of r ln r, r = x / mean, with 0 ln 0 = 0
    (``scipy.special.xlogy``); exactly 0 for equal values (no rounding residue)."""
    r = v / v.mean(axis=axis, keepdims=True)
    t = special.xlogy(r, r).mean(axis=axis)
    return np.where(np.ptp(v, axis=axis) == 0, 0.0, np.maximum(t, 0.0))


_ALONG = {"gini": _gini_along, "theil": _theil_along}


def gini(x) -> float:
    """Gini coefficient of non-negative values.

    Parameters
    ----------
    x : array-like or pandas.Series, shape (n,)
        At least two finite values >= 0 with a positive total.

    Returns
    -------
    float
        In [0, (n - 1)/n].

    Raises
    ------
    ParameterError
        ``x`` is not a one-dimensional sequence of numbers, or has fewer than 2 values.
    DataError
        A NaN, an infinity or a negative value in ``x``, or all values 0.

    Notes
    -----
    With values sorted ascending, x_(1) <= ... <= x_(n):
    G = (2 sum_i i x_(i)) / (n sum x) - (n + 1)/n, which is the mean absolute difference over twice the
    mean, sum_ij |x_i - x_j| / (2 n^2 mean). 0 when all are equal; (n-1)/n when one unit holds everything.

    It assumes a **ratio scale** (a true zero): it is invariant to a change of units, G(a x) = G(x), but
    not to a shift of the zero: G(x + c) = G(x) mean / (mean + c). On a min-max score, whose 0 is the
    lowest unit evaluated, the number depends on that convention (:func:`shift_dependence`).

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    return float(_gini_along(_nonnegative(x, "x")))


def theil(x) -> float:
    """Theil index (Theil's T, the generalized entropy index GE(1)) of non-negative values.

    Parameters
    ----------
    x : array-like or pandas.Series, shape (n,)
        As for :func:`gini`.

    Returns
    -------
    float
        In [0, ln n]: 0 when all are equal, ln n when one unit holds everything.

    Raises
    ------
    ParameterError, DataError
        As :func:`gini`.

    Notes
    -----
    T = (1/n) sum_i (x_i / mean) ln(x_i / mean), with 0 ln 0 = 0 (exactly 0 for equal values);
    equivalently ln n - H(s), the entropy H of the shares s_i = x_i / sum x. Like the Gini it assumes
    a ratio scale: invariant to a change of units, not to a shift of the zero. Unlike the Gini it is
    additively decomposable into between- and within-group parts (Shorrocks 1980) and weighs transfers
    at the bottom more.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland, ch. 4.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures. *Econometrica*
    48(3), 613-625.

    Examples
    --------
    >>> theil([2, 2, 2])
    0.0
    >>> round(theil([0, 1]), 6)        # ln 2: one of two units holds everything
    0.693147
    """
    return float(_theil_along(_nonnegative(x, "x")))


def lorenz_curve(x) -> tuple[np.ndarray, np.ndarray]:
    """Points of the Lorenz curve: cumulative share of units (lowest first) and of the total.

    Both arrays start at 0 and end at 1 (n + 1 points). ``x`` as for :func:`gini`; like it, the curve
    assumes a ratio scale (a shift of the zero moves it towards the diagonal).

    Examples
    --------
    >>> p, l = lorenz_curve([1, 3])
    >>> p.tolist(), l.tolist()
    ([0.0, 0.5, 1.0], [0.0, 0.25, 1.0])
    """
    v = np.sort(_nonnegative(x, "x"))
    return np.linspace(0, 1, len(v) + 1), np.r_[0.0, np.cumsum(v) / v.sum()]


# --------------------------------------------------------------------------- the head


@dataclass(frozen=True)
class HeadConcentration:
    """How far the head of a distribution stands from the rest (:func:`head_concentration`).

    Attributes
    ----------
    leaders : tuple
        The head's units, highest first.
    head_share : float
        Their share of the total.
    even_share : float
        head / n: the share the head would hold with no concentration.
    gini : float
        :func:`gini` of all the values.
    theil : float
        :func:`theil` of all the values.
    gap_head : float
        Value of the last leader minus the next unit's.
    gap_head_sd : float
        That gap in standard deviations (ddof 1) of the values.
    gap_ratio : float
        That gap over the median gap between consecutive units (``inf`` when that median is 0).

    Notes
    -----
    ``head_share``, ``gini`` and ``theil`` need a ratio scale (they move with the zero); ``gap_head_sd``
    and ``gap_ratio`` are ratios of differences, the same under any shift and change of units, so they
    may be read on an interval scale (a min-max score) too.
    """

    leaders: tuple
    head_share: float
    even_share: float
    gini: float
    theil: float
    gap_head: float
    gap_head_sd: float
    gap_ratio: float


def head_concentration(scores, *, head: int = 2) -> HeadConcentration:
    """How far the ``head`` leading units stand from the rest.

    Parameters
    ----------
    scores : pandas.Series or array-like, shape (n,)
        One non-negative value per unit (the index names the units), positive total.
    head : int, default 2
        Size of the head, 1 ... n - 1.

    Returns
    -------
    HeadConcentration

    Raises
    ------
    ParameterError
        ``head`` is not a whole number in 1 ... n - 1, or ``scores`` is not a sequence of numbers.
    DataError
        A NaN, infinite or negative value; a unit (label of ``scores``) repeated.

    Examples
    --------
    >>> import pandas as pd
    >>> res = head_concentration(pd.Series([10.0, 9.0, 3.0, 2.0, 1.0], index=list("abcde")))
    >>> res.leaders, res.head_share, res.gap_head, res.gap_ratio
    (('a', 'b'), 0.76, 6.0, 6.0)
    """
    _nonnegative(scores, "scores")
    s = pd.Series(scores, dtype=float)
    if s.index.has_duplicates:
        raise DataError(None, "units (the scores' index) must be unique: the leaders are named by it",
                        detail=f"repeated: {', '.join(map(str, s.index[s.index.duplicated()].unique()[:5]))}")
    s = s.sort_values(ascending=False, kind="stable")
    head = check_integer("head", head, low=1, high=len(s) - 1)
    gaps = -np.diff(s.to_numpy())
    gap = float(s.iloc[head - 1] - s.iloc[head])
    med = float(np.median(gaps))
    v = s.to_numpy()
    return HeadConcentration(leaders=tuple(s.index[:head]), head_share=float(s.iloc[:head].sum() / s.sum()),
                             even_share=head / len(s), gini=float(_gini_along(v)), theil=float(_theil_along(v)),
                             gap_head=gap, gap_head_sd=gap / float(s.std(ddof=1)),
                             gap_ratio=gap / med if med > 0 else float("inf"))


def head_concentration_table(measures: dict, *, names=None) -> pd.DataFrame:
    """The :class:`HeadConcentration` of each column side by side, one row per column.

    Parameters
    ----------
    measures : dict
        ``{column: HeadConcentration}``, e.g. from ``{c: head_concentration(frame[c]) ...}``.
    names : callable, optional
        Maps a list of units to their display names (e.g. ``ScoredPanel.english``), for ``leaders``.

    Raises
    ------
    ParameterError
        ``measures`` is not a dict of HeadConcentration, ``names`` not a callable.

    Examples
    --------
    >>> import pandas as pd
    >>> m = {"s": head_concentration(pd.Series([3.0, 1.0, 1.0], index=list("abc")), head=1)}
    >>> head_concentration_table(m)[["leaders", "head_share"]]
      leaders  head_share
    s     [a]         0.6
    """
    measures, names = _measures(measures), _names(names)
    rows = {col: {f: getattr(m, f) for f in HeadConcentration.__dataclass_fields__} for col, m in measures.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["leaders"] = [list(names(list(m.leaders)) if names is not None else m.leaders) for m in measures.values()]
    return table


# --------------------------------------------------------------------------- bootstrap intervals


@dataclass(frozen=True)
class ConcentrationInterval:
    """A concentration measure with its bootstrap interval (:func:`concentration_interval`).

    Attributes
    ----------
    measure : str
        ``"gini"`` or ``"theil"``.
    statistic : float
        The measure of the values.
    ci_low, ci_high : float
        The bootstrap interval.
    n : int
        Number of values.
    confidence : float
    method : str
        How the interval was made, e.g. ``"BCa bootstrap (scipy.stats.bootstrap), 9999 resamples, seed 0"``.
    """

    measure: str
    statistic: float
    ci_low: float
    ci_high: float
    n: int
    confidence: float
    method: str


def concentration_interval(x, *, measure: str = "gini", confidence: float = 0.95,
                           n_resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                           method: str = "BCa") -> ConcentrationInterval:
    """The Gini or Theil index of ``x`` with a nonparametric bootstrap interval (``scipy.stats.bootstrap``).

    Parameters
    ----------
    x : array-like or pandas.Series, shape (n,)
        As for :func:`gini`.
    measure : {"gini", "theil"}, default "gini"
    confidence : float, default 0.95
        In (0, 1).
    n_resamples : int, default :data:`BOOTSTRAP_RESAMPLES`
        At least 100.
    seed : int, default :data:`BOOTSTRAP_SEED`
        Seed of the resampling (``numpy.random.default_rng``): the interval is the same on every run.
    method : {"BCa", "percentile", "basic"}, default "BCa"
        As ``scipy.stats.bootstrap``'s.

    Returns
    -------
    ConcentrationInterval

    Raises
    ------
    ParameterError
        A bad option; ``x`` as for :func:`gini`.
    DataError
        As :func:`gini`.

    Notes
    -----
    The bootstrap resamples the units with replacement: it treats them as independent draws from a
    population of such units and gives the sampling uncertainty of the measure, not the uncertainty of
    how the units were chosen (e.g. a top 100 selected on another score is held fixed) or measured.
    Equal values have no spread to resample: the interval is then [0, 0]. The BCa interval (Efron 1987)
    corrects the percentile interval for bias and skewness; the Gini of a small sample is biased
    downwards (by about a factor (n - 1)/n), which the correction takes into account.

    References
    ----------
    Efron, B. (1987). Better bootstrap confidence intervals. *Journal of the American Statistical
    Association* 82(397), 171-185.

    Examples
    --------
    >>> res = concentration_interval([1.0, 2.0, 3.0, 4.0, 10.0, 1.0, 2.0, 6.0], n_resamples=999, seed=1)
    >>> round(res.statistic, 4), res.ci_low < res.statistic < res.ci_high, res.n
    (0.4095, True, 8)
    """
    measure = check_choice("measure", measure, MEASURES)
    confidence = check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    n_resamples = check_integer("n_resamples", n_resamples, low=100)
    seed = check_seed(seed)
    method = check_choice("method", method, ("BCa", "percentile", "basic"))
    v = _nonnegative(x, "x")
    along = _ALONG[measure]
    value = float(along(v))
    how = f"{method} bootstrap (scipy.stats.bootstrap), {n_resamples} resamples, seed {seed}"
    if np.ptp(v) == 0:
        return ConcentrationInterval(measure, value, 0.0, 0.0, len(v), confidence, how + "; equal values: [0, 0]")
    res = stats.bootstrap((v,), along, n_resamples=n_resamples, confidence_level=confidence, method=method,
                          vectorized=True, rng=np.random.default_rng(seed))
    ci = res.confidence_interval
    return ConcentrationInterval(measure, value, float(ci.low), float(ci.high), len(v), confidence, how)


# --------------------------------------------------------------------------- scale type and the zero


def ratio_scale(indicators: pd.DataFrame, codes=None) -> pd.DataFrame:
    """Which raw indicators are on a ratio scale (have a true zero), read from the indicator table's units.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The indicator table (``unit``, ``direction``; ``level`` when ``codes`` is None).
    codes : sequence of str, optional
        The indicators to classify (default: every level-1 indicator).

    Returns
    -------
    pandas.DataFrame
        Indexed by code: ``unit``, ``direction``, ``ratio_scale`` (bool), ``why`` (one sentence).

    Raises
    ------
    ParameterError
        ``indicators`` lacks the columns, or a code is not in it.

    Notes
    -----
    The rule reads the unit: one that is a score, an index, a rank, a rating or a grade (its text
    begins with one of :data:`NOT_RATIO_UNITS`, e.g. "score 0-100", not "% of ratings") has a 0 that is a
    convention of the scale, so a share of its total, a Gini or "half of the leader"
    depends on that convention; any other unit (a count, a rate per resident, a share of a total, an
    amount) is taken to have a true zero (0 means none), which whoever owns the data should confirm.
    A ratio-scale indicator with direction -1 (lower is better) is classified the same: its concentration
    is that of the undesirable quantity.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1], "unit": ["firms per 10,000 residents", "score 0-100"],
    ...                      "direction": [1, 1]}, index=["firms", "rating"])
    >>> ratio_scale(meta)["ratio_scale"].tolist()
    [True, False]
    """
    if not isinstance(indicators, pd.DataFrame) or not {"unit", "direction"} <= set(indicators.columns) \
            or (codes is None and "level" not in indicators.columns):
        raise ParameterError("indicators", "the indicator table (a DataFrame with unit, direction and level)",
                             Shown(type(indicators).__name__ if not isinstance(indicators, pd.DataFrame)
                                   else f"a DataFrame with columns {list(indicators.columns)}"))
    if codes is None:
        codes = list(indicators.index[indicators["level"] == 1])
    elif isinstance(codes, (str, bytes)) or not hasattr(codes, "__iter__"):
        raise ParameterError("codes", "a sequence of indicator codes, or None", Shown(repr(codes)))
    codes = list(codes)
    missing = [c for c in codes if c not in indicators.index]
    if missing:
        raise ParameterError("codes", "codes of the indicator table", Shown(", ".join(map(str, missing[:5]))))
    rows = {}
    for code in codes:
        unit = str(indicators.at[code, "unit"]) if pd.notna(indicators.at[code, "unit"]) else ""
        word = next((w for w in NOT_RATIO_UNITS if re.match(rf"\s*{w}\b", unit, flags=re.IGNORECASE)), None)
        if word is not None:
            why = f"{unit}: a {word.lower()}, whose 0 is a convention of the scale, not an absence"
        elif not unit:
            why = "no unit given: taken to have a true zero (confirm it)"
        else:
            why = f"{unit}: 0 means none (a true zero)"
        rows[code] = {"unit": unit, "direction": int(indicators.at[code, "direction"]), "ratio_scale": word is None,
                      "why": why}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["unit", "direction", "ratio_scale", "why"])


def shift_dependence(values, *, shifts=(10, 50), head: int = 2, weak_fraction: float = 0.5) -> pd.DataFrame:
    """What a shift of the zero does to the concentration measures of each column of ``values``.

    Parameters
    ----------
    values : pandas.DataFrame or pandas.Series
        Units x columns of non-negative values (e.g. min-max scores and raw indicators of the same units).
    shifts : sequence of float, default (10, 50)
        Amounts added to every value (besides 0, always included first), each > 0.
    head : int, default 2
        Size of the head (:func:`head_concentration`).
    weak_fraction : float, default 0.5
        A unit is "weak" when its value is below this fraction of the leader's; in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per (column, shift), indexed by both: ``gini``, ``theil``, ``head_share``, ``weak_share``.

    Raises
    ------
    ParameterError
        ``values`` not a frame or series; a shift that is not a number > 0; ``head`` or ``weak_fraction``
        out of range.
    DataError
        A column with a NaN, an infinity or a negative value.

    Notes
    -----
    Every measure here is a ratio of values (a share of the total, the Gini, the Theil index, a fraction
    of the leader): on a ratio scale a shift is a change of what the numbers mean, but on a min-max score
    (0 = the lowest unit evaluated, an interval scale) the shift is as arbitrary as the original zero, and
    the measures move with it. The Gini falls exactly as mean / (mean + c).

    Examples
    --------
    >>> import pandas as pd
    >>> t = shift_dependence(pd.DataFrame({"score": [0.0, 50.0, 100.0]}), shifts=[50])
    >>> t["gini"].round(4).tolist()
    [0.4444, 0.2222]
    """
    if isinstance(values, pd.Series):
        values = values.to_frame(values.name if values.name is not None else "values")
    if not isinstance(values, pd.DataFrame) or values.empty:
        raise ParameterError("values", "a pandas DataFrame or Series of non-negative values",
                             Shown(type(values).__name__))
    shifts = check_numbers("shifts", shifts, low=0, low_open=True).ravel().tolist()
    weak_fraction = check_number("weak_fraction", weak_fraction, low=0, high=1, low_open=True, high_open=True)
    rows, index = [], []
    for col in values.columns:
        base = _nonnegative(values[col], str(col))
        for c in [0.0, *shifts]:
            m = head_concentration(pd.Series(base + c, index=values.index), head=head)
            v = base + c
            rows.append({"gini": m.gini, "theil": m.theil, "head_share": m.head_share,
                         "weak_share": float((v < weak_fraction * v.max()).mean())})
            index.append((col, c))
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["column", "shift"]))
