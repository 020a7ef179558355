"""Correlation of a dimension with the composite: intervals, tests, and the part-whole effect.

The report states that technology innovation correlates 0.7561 with overall
competitiveness (Ch. 3 §5, Fig. 18). Technology innovation is one of the six
equally weighted dimensions *of* that composite, so part of any such
correlation is mechanical. This module gives the statistics notebook 02 uses:
the coefficient with a Fisher-z interval, a bootstrap interval and a
permutation p-value; the analytic part-whole relation; and the correlation
with the composite rebuilt without the dimension.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError

__all__ = ["fisher_ci", "coefficient", "correlation_test", "part_whole_r", "implied_rho", "simulate_part_whole",
           "composite_without", "mean_intercorrelation", "CORRELATION_METHODS"]

CORRELATION_METHODS = ("pearson", "spearman")


def _check_level(level):
    if not 0 < level < 1:
        raise ParameterError("level", "in (0, 1)", level)


def fisher_ci(r: float, n: int, *, level: float = 0.95, method: str = "pearson") -> tuple[float, float]:
    """Confidence interval of a correlation coefficient by Fisher's z transform.

    Parameters
    ----------
    r : float
        The coefficient, in (-1, 1).
    n : int
        Number of pairs, at least 4.
    level : float, default 0.95
        Confidence level.
    method : {"pearson", "spearman"}
        ``spearman`` uses the standard error of Fieller, Hartley & Pearson (1957).

    Returns
    -------
    (lo, hi) : tuple of float

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
    _check_level(level)
    if method not in CORRELATION_METHODS:
        raise ParameterError("method", f"one of {', '.join(CORRELATION_METHODS)}", method)
    if not -1 < r < 1:
        raise ParameterError("r", "strictly between -1 and 1", r)
    if int(n) != n or n < 4:
        raise ParameterError("n", "a whole number of pairs, at least 4", n)
    se = (1.06 if method == "spearman" else 1.0) ** 0.5 / np.sqrt(n - 3)
    q = stats.norm.ppf((1 + level) / 2)
    z = np.arctanh(r)
    return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))


def coefficient(x, y, *, method: str = "pearson") -> float:
    """Pearson's r or Spearman's rho of paired values (no resampling; see :func:`correlation_test`)."""
    if method not in CORRELATION_METHODS:
        raise ParameterError("method", f"one of {', '.join(CORRELATION_METHODS)}", method)
    return float(_coef(method)(np.asarray(x, dtype=float), np.asarray(y, dtype=float)))


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
                     level: float = 0.95) -> dict:
    """A correlation with three kinds of uncertainty: Fisher-z, bootstrap and permutation.

    Parameters
    ----------
    x, y : array-like of shape (n,)
        Paired values (e.g. the technology-innovation score and the composite of n cities);
        no missing values.
    method : {"pearson", "spearman"}
    n_boot : int, default 2000
        Bootstrap resamples of the pairs (``scipy.stats.bootstrap``, percentile interval).
    n_perm : int, default 2000
        Permutations of ``y`` against ``x`` (``scipy.stats.permutation_test``, two-sided).
    seed : int
        Seed of both resampling procedures.
    level : float, default 0.95

    Returns
    -------
    dict
        ``r``, ``n``, ``fisher_lo``, ``fisher_hi``, ``boot_lo``, ``boot_hi``, ``perm_p``, ``method``.

    Raises
    ------
    ParameterError
        Unknown method, lengths that differ, missing values, fewer than 4 pairs, a constant variable.
    """
    if method not in CORRELATION_METHODS:
        raise ParameterError("method", f"one of {', '.join(CORRELATION_METHODS)}", method)
    _check_level(level)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ParameterError("x, y", "two 1-d arrays of the same length", f"shapes {x.shape} and {y.shape}")
    if np.isnan(x).any() or np.isnan(y).any():
        raise ParameterError("x, y", "values without NaN", "arrays containing NaN")
    if len(x) < 4:
        raise ParameterError("x, y", "at least 4 pairs", len(x))
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise ParameterError("x, y", "variables that are not constant", "a constant array")
    for name, v in (("n_boot", n_boot), ("n_perm", n_perm)):
        if int(v) != v or v < 1:
            raise ParameterError(name, "a positive whole number", v)
    coef = _coef(method)
    r = float(coef(x, y))
    lo, hi = fisher_ci(r, len(x), level=level, method=method) if abs(r) < 1 else (r, r)
    # vectorized: scipy draws the same resamples and permutations as with vectorized=False (so the same
    # numbers), and evaluates the coefficient on all of them in one call instead of one call each
    along = _coef_along(method)
    boot = stats.bootstrap((x, y), along, paired=True, vectorized=True, n_resamples=int(n_boot),
                           confidence_level=level, method="percentile", rng=np.random.default_rng(seed))
    perm = stats.permutation_test((x, y), along, permutation_type="pairings", vectorized=True,
                                  n_resamples=int(n_perm), alternative="two-sided", rng=np.random.default_rng(seed))
    return {"method": method, "n": int(len(x)), "r": r, "fisher_lo": lo, "fisher_hi": hi,
            "boot_lo": float(boot.confidence_interval.low), "boot_hi": float(boot.confidence_interval.high),
            "perm_p": float(perm.pvalue)}


def part_whole_r(k: int, rho) -> np.ndarray | float:
    """Correlation of one of ``k`` equally weighted standardized parts with their sum.

    Notes
    -----
    With unit variances and a common inter-correlation rho,
    cov(X_1, sum X) = 1 + (k-1) rho and var(sum X) = k (1 + (k-1) rho), so

        corr(X_1, sum X) = sqrt((1 + (k-1) rho) / k).

    At rho = 0 it is 1/sqrt(k) (0.408 for k = 6): the floor a part reaches with no real
    association at all. rho must be at least -1/(k-1) for the correlation matrix to be valid.

    Examples
    --------
    >>> round(float(part_whole_r(6, 0.0)), 4)
    0.4082
    """
    if int(k) != k or k < 2:
        raise ParameterError("k", "a whole number of parts, at least 2", k)
    rho = np.asarray(rho, dtype=float)
    if np.any(rho < -1 / (k - 1)) or np.any(rho > 1):
        raise ParameterError("rho", f"in [-1/(k-1), 1] = [{-1 / (k - 1):.4f}, 1]", rho.tolist())
    out = np.sqrt((1 + (k - 1) * rho) / k)
    return float(out) if out.ndim == 0 else out


def implied_rho(r: float, k: int) -> float:
    """The mean inter-correlation ``rho`` that makes :func:`part_whole_r` equal ``r``.

    Inverse of the part-whole formula: rho = (k r^2 - 1) / (k - 1). ``r`` must lie in
    [0, 1]; a value below 1/sqrt(k) implies a negative rho.

    Examples
    --------
    >>> round(implied_rho(0.7561, 6), 4)
    0.486
    """
    if int(k) != k or k < 2:
        raise ParameterError("k", "a whole number of parts, at least 2", k)
    if not 0 <= r <= 1:
        raise ParameterError("r", "in [0, 1]", r)
    return float((k * r * r - 1) / (k - 1))


def simulate_part_whole(k: int, rho: float, *, n: int = 100, n_sim: int = 1000, seed: int = 0) -> np.ndarray:
    """Simulated correlations of part 1 with the sum of ``k`` equicorrelated normal parts.

    Returns the ``n_sim`` sample correlations at sample size ``n`` (to check the analytic
    :func:`part_whole_r` and to show its sampling spread).
    """
    part_whole_r(k, rho)  # validates k and rho
    rng = np.random.default_rng(seed)
    cov = np.full((k, k), rho)
    np.fill_diagonal(cov, 1.0)
    chol = np.linalg.cholesky(cov)
    x = rng.standard_normal((n_sim, n, k)) @ chol.T
    part, total = x[:, :, 0], x.sum(axis=2)
    part = part - part.mean(axis=1, keepdims=True)
    total = total - total.mean(axis=1, keepdims=True)
    return (part * total).sum(axis=1) / np.sqrt((part ** 2).sum(axis=1) * (total ** 2).sum(axis=1))


def mean_intercorrelation(frame: pd.DataFrame) -> float:
    """Mean Pearson correlation over the distinct pairs of columns of ``frame`` (the rho of
    :func:`part_whole_r`, estimated from data).

    Examples
    --------
    >>> f = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [3.0, 2, 1]})
    >>> mean_intercorrelation(f)  # pairs: ab 1, ac -1, bc -1
    -0.3333333333333333
    """
    if frame.shape[1] < 2:
        raise ParameterError("frame", "at least two columns", frame.shape[1])
    corr = frame.corr().to_numpy()
    return float(corr[np.triu_indices(corr.shape[0], 1)].mean())


def composite_without(scores: pd.DataFrame, dimensions, drop: str, *, weights=None) -> pd.Series:
    """The composite rebuilt without one dimension: weighted mean of the others.

    Parameters
    ----------
    scores : DataFrame
        Dimension scores (columns include ``dimensions``), one row per city.
    dimensions : list of str
        The composite's dimensions.
    drop : str
        The dimension to leave out.
    weights : mapping, optional
        Weights of the dimensions (default equal); renormalised over the remaining ones.
    """
    dimensions = list(dimensions)
    if drop not in dimensions:
        raise ParameterError("drop", f"one of {', '.join(dimensions)}", drop)
    keep = [d for d in dimensions if d != drop]
    w = pd.Series(1.0, index=keep) if weights is None else pd.Series(weights, dtype=float).reindex(keep)
    if w.isna().any() or (w < 0).any() or w.sum() <= 0:
        raise ParameterError("weights", f"non-negative numbers for {', '.join(keep)}", dict(weights or {}))
    return (scores[keep] * (w / w.sum())).sum(axis=1).rename(f"composite_without_{drop}")
