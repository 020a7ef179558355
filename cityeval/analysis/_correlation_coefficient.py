"""Coefficients and Fisher's interval of :mod:`cityeval.analysis.correlation` (re-exported there).

:func:`coefficient` (Pearson's r or Spearman's rho of paired values, two Series paired by city),
:func:`fisher_ci` and :func:`fisher_ci_table`, :func:`min_resamples`, the named results
:class:`ConfidenceInterval` and :class:`CorrelationTest`, and the pairing and checking helpers that
:func:`cityeval.analysis.correlation.correlation_test` uses. A module of its own so that the other private
modules (``_correlation_ensemble``) can use them without importing :mod:`cityeval.analysis.correlation`,
which imports them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_sample

__all__ = ["CORRELATION_METHODS", "MIN_PAIRS", "min_resamples", "ConfidenceInterval", "CorrelationTest", "fisher_ci",
           "fisher_ci_table", "coefficient"]

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
        Fisher-z confidence interval (:func:`fisher_ci`); ``(r, r)`` when ``|r| = 1``; NaN when ``selected``
        (its sampling model, a random sample from a bivariate normal population, does not fit).
    boot_ci_low, boot_ci_high : float
        Percentile bootstrap interval over resampled pairs.
    p_value : float
        Two-sided permutation p-value (null: no association).
    selected : bool
        The pairs are cities selected on a variable related to x or y (e.g. the top cities by the composite).
    """

    method: str
    n: int
    statistic: float
    fisher_ci_low: float
    fisher_ci_high: float
    boot_ci_low: float
    boot_ci_high: float
    p_value: float
    selected: bool = False


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
