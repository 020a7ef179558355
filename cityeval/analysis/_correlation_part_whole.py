"""The part-whole effect of :mod:`cityeval.analysis.correlation` (re-exported there).

A dimension is part of the composite it is correlated with. :func:`composite_correlation` is the general
relation (any correlation matrix, weights and spreads); :func:`part_whole_r` is its exchangeable, equally
weighted special case, :func:`part_whole_lower_bound` the lowest value it can take when no correlation is
negative, :func:`implied_rho` reads it backwards (at any effective weight of the part) and
:func:`implied_rho_curve` does so over a grid of weights; :func:`simulate_part_whole` checks it by
simulation, :func:`mean_intercorrelation` estimates the rho of real data, :func:`part_whole_summary` sets
a reported coefficient against all of them, and :func:`composite_without` rebuilds the composite without
the dimension.

All of it describes *unselected* cities. Selection of the top cities by the composite changes every
coefficient: :mod:`cityeval.analysis._correlation_selection`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_frame, check_integer, check_number, check_numbers, \
    check_sample, check_seed, check_weights

__all__ = ["composite_correlation", "part_whole_r", "part_whole_lower_bound", "implied_rho", "implied_rho_curve",
           "effective_weights", "simulate_part_whole", "mean_intercorrelation", "PartWholeSummary",
           "part_whole_summary", "composite_without", "PART_WHOLE_ASSUMPTIONS"]

#: What :func:`part_whole_r`, :func:`implied_rho` and :func:`part_whole_lower_bound` rest on (the results files'
#: ``assumptions`` quote it).
PART_WHOLE_ASSUMPTIONS = (
    "The composite is the weighted arithmetic mean of the dimensions.",
    "Each dimension enters the composite with the same effective weight (weight times standard deviation), "
    "unless the effective weight is stated.",
    "The dimensions are exchangeably correlated: every pair has the same correlation rho.",
    "The correlation is computed on an unselected set of cities, not on cities selected by the composite.",
)


def _check_parts(k) -> int:
    return check_integer("k", k, low=2, allowed="a whole number of parts, at least 2")


def _check_corr(corr) -> np.ndarray:
    """A correlation matrix: square, symmetric, unit diagonal, entries in [-1, 1], positive semi-definite."""
    try:
        m = np.asarray(corr, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("corr", "a square matrix of numbers", Shown(type(corr).__name__)) from None
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] < 2:
        raise ParameterError("corr", "a square k x k correlation matrix, k >= 2", Shown(f"shape {m.shape}"))
    if not np.isfinite(m).all() or (np.abs(m) > 1 + 1e-12).any():
        raise ParameterError("corr", "finite correlations in [-1, 1]", Shown("a value outside"))
    if not np.allclose(m, m.T, atol=1e-12) or not np.allclose(np.diag(m), 1.0, atol=1e-12):
        raise ParameterError("corr", "a symmetric matrix with ones on the diagonal", Shown("another matrix"))
    low = float(np.linalg.eigvalsh(m).min())
    if low < -1e-10:
        raise ParameterError("corr", "a positive semi-definite matrix (a valid correlation matrix)",
                             Shown(f"smallest eigenvalue {low:.3g}"))
    return m


def _per_part(name: str, value, labels, k: int) -> np.ndarray:
    """One non-negative number per part (keyed by label when the parts have labels), with a positive sum."""
    if labels is not None:
        out = check_weights(value, labels)
    else:
        if isinstance(value, (dict, pd.Series)):
            raise ParameterError(name, "a sequence of numbers in the parts' order (corr has no labels)",
                                 Shown(type(value).__name__))
        out = check_numbers(name, value, low=0).ravel()
        if out.shape != (k,) or not out.sum() > 0:
            raise ParameterError(name, f"{k} non-negative numbers, one per part, with a positive sum",
                                 Shown(f"{out.size} numbers summing to {out.sum():g}"))
    return out if name == "weights" else out.astype(float)


def composite_correlation(corr, *, weights=None, sd=None):
    """Correlation of each part with the composite C = sum_k w_k X_k, from the parts' correlations.

    Parameters
    ----------
    corr : array-like or pandas.DataFrame of shape (k, k)
        Correlation matrix of the k parts (symmetric, unit diagonal, positive semi-definite); a
        DataFrame's labels name the parts.
    weights : array-like of shape (k,), Series or dict, optional
        Non-negative weights of the parts in the composite (default equal); only their ratios matter.
    sd : array-like of shape (k,), Series or dict, optional
        Standard deviations of the parts (default 1: standardized parts), positive.

    Returns
    -------
    numpy.ndarray of shape (k,), or pandas.Series when ``corr`` is a DataFrame
        r(X_j, C) for each part j.

    Notes
    -----
    With effective weights a_k = w_k sigma_k,

        r(X_j, C) = sum_k a_k rho_jk / sqrt(sum_k sum_l a_k a_l rho_kl),

    since cov(X_j, C) = sigma_j sum_k a_k rho_jk and var(C) = sum_kl a_k a_l rho_kl. Only the effective
    weights matter: doubling a part's spread is doubling its weight. With equal a_k and a common rho it
    is :func:`part_whole_r`. Computed on a sample's correlation matrix and standard deviations it equals
    the sample r of each part with the weighted sum exactly.

    Examples
    --------
    >>> [round(float(v), 4) for v in composite_correlation(np.eye(6))]   # 1 / sqrt(6) each
    [0.4082, 0.4082, 0.4082, 0.4082, 0.4082, 0.4082]
    >>> corr = np.ones((6, 6)); corr[0, 1:] = corr[1:, 0] = 0.0   # part 0 uncorrelated, five identical parts
    >>> round(float(composite_correlation(corr)[0]), 4)   # 1 / sqrt(1 + 5 ** 2) = 1 / sqrt(26)
    0.1961
    """
    labels = list(corr.columns) if isinstance(corr, pd.DataFrame) else None
    if labels is not None and list(corr.index) != labels:
        raise ParameterError("corr", "a DataFrame with the same labels on rows and columns, in the same order",
                             Shown("other row labels"))
    m = _check_corr(corr)
    k = m.shape[0]
    w = np.full(k, 1.0) if weights is None else _per_part("weights", weights, labels, k)
    s = np.ones(k) if sd is None else _per_part("sd", sd, labels, k)
    if (s <= 0).any():
        raise ParameterError("sd", "positive standard deviations", s.tolist())
    a = w * s
    var = float(a @ m @ a)
    if not var > 1e-15:
        raise ParameterError("corr, weights", "a composite with a positive variance", Shown(f"variance {var:.3g}"))
    r = (m @ a) / np.sqrt(var)
    return pd.Series(r, index=labels, name="r_with_composite") if labels is not None else r


def part_whole_r(k: int, rho) -> np.ndarray | float:
    """Correlation of one of ``k`` equally weighted standardized parts with their sum.

    Parameters
    ----------
    k : int
        Number of parts, at least 2.
    rho : float or array-like
        Common inter-correlation of the parts, in [-1/(k-1), 1].

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar ``rho``, else an array of the shape of ``rho``.

    Notes
    -----
    With unit variances and a common inter-correlation rho,
    cov(X_1, sum X) = 1 + (k-1) rho and var(sum X) = k (1 + (k-1) rho), so

        corr(X_1, sum X) = sqrt((1 + (k-1) rho) / k).

    At rho = 0 it is 1/sqrt(k) (0.408 for k = 6): the value with no association at all among
    unselected cities. It is not a floor: with unequal correlations the general
    :func:`composite_correlation` can go lower, down to :func:`part_whole_lower_bound` when no
    correlation is negative. rho must be at least -1/(k-1) for the correlation matrix to be valid.

    Examples
    --------
    >>> round(float(part_whole_r(6, 0.0)), 4)
    0.4082
    """
    k = _check_parts(k)
    rho = check_numbers("rho", rho, low=-1 / (k - 1), high=1)
    out = np.sqrt((1 + (k - 1) * rho) / k)
    return float(out) if out.ndim == 0 else out


def part_whole_lower_bound(k: int) -> float:
    """The lowest correlation of one of ``k`` equally weighted standardized parts with their sum when no
    correlation between the parts is negative: 1 / sqrt(1 + (k - 1)^2).

    Notes
    -----
    By :func:`composite_correlation` with a_k = 1, r_j = (1 + s) / sqrt(D + 2 s) with s = sum_{k != j}
    rho_jk >= 0 and D = 1 + sum_{k, l != j} rho_kl. r_j grows with s (its derivative at s has the sign of
    D + s - 1 >= 0), so the minimum has s = 0, and then it falls with D, which is largest, (k - 1)^2 + 1,
    when the other parts are perfectly correlated. So 1/sqrt(k) (independent parts) is not the floor:
    for k = 6 the bound is 1/sqrt(26) = 0.196, not 1/sqrt(6) = 0.408.

    Examples
    --------
    >>> round(part_whole_lower_bound(6), 4)
    0.1961
    """
    k = _check_parts(k)
    return float(1 / np.sqrt(1 + (k - 1) ** 2))


def _weight_terms(k: int, weight):
    """(e, S2) of the exchangeable model with one part at effective weight share e and the others equal."""
    e = np.asarray(weight, dtype=float)
    return e, e ** 2 + (1 - e) ** 2 / (k - 1)


def implied_rho(r: float, k: int, *, weight=None):
    """The exchangeable correlation ``rho`` at which one part correlates ``r`` with the composite.

    Parameters
    ----------
    r : float
        The part's correlation with the composite, in [0, 1].
    k : int
        Number of parts, at least 2.
    weight : float or array-like, optional
        The part's effective weight as a share of the composite (a_j / sum_k a_k with a_k = w_k sigma_k,
        :func:`effective_weights`), in (0, 1); the other k - 1 parts share the rest equally. Default 1/k
        (equal effective weights).

    Returns
    -------
    float or numpy.ndarray
        rho, the common correlation between all parts (in [-1/(k-1), 1]); NaN where no such rho gives
        ``r`` at that weight. An array when ``weight`` is one.

    Notes
    -----
    At equal weights rho = (k r^2 - 1) / (k - 1), the inverse of :func:`part_whole_r`. With share e for
    the part and S2 = e^2 + (1 - e)^2 / (k - 1), :func:`composite_correlation` gives
    r = (e + rho (1 - e)) / sqrt(S2 + rho (1 - S2)); squaring gives a quadratic in rho,

        (1 - e)^2 rho^2 + (2 e (1 - e) - r^2 (1 - S2)) rho + e^2 - r^2 S2 = 0,

    of which the larger root in [-1/(k-1), 1] is taken: on that branch r rises with rho (the other root,
    where it exists, lies where a heavily weighted part correlates with a composite it nearly is, at
    strongly negative rho). The assumptions are :data:`PART_WHOLE_ASSUMPTIONS`.

    Examples
    --------
    >>> round(implied_rho(0.7561, 6), 4)
    0.486
    >>> [round(float(v), 3) for v in implied_rho(0.7561, 6, weight=[0.10, 0.25])]
    [0.558, 0.358]
    """
    k = _check_parts(k)
    r = check_number("r", r, low=0, high=1)
    if weight is None:
        return float((k * r * r - 1) / (k - 1))
    e, s2 = _weight_terms(k, check_numbers("weight", weight, low=0, high=1, low_open=True, high_open=True))
    qa, qb, qc = (1 - e) ** 2, 2 * e * (1 - e) - r * r * (1 - s2), e * e - r * r * s2
    disc = qb * qb - 4 * qa * qc
    root = (-qb + np.sqrt(np.where(disc >= 0, disc, np.nan))) / (2 * qa)
    lo = -1 / (k - 1)
    # the root solves the squared equation: keep it only where the composite's r at it has r's sign
    ok = (root >= lo - 1e-12) & (root <= 1 + 1e-12) & (e + root * (1 - e) >= -1e-12)
    out = np.where(ok, np.clip(root, lo, 1.0), np.nan)
    return float(out) if out.ndim == 0 else out


def implied_rho_curve(r: float, k: int, *, weights=None) -> pd.DataFrame:
    """:func:`implied_rho` of ``r`` over a grid of the part's effective weights.

    Parameters
    ----------
    r : float
        The part's correlation with the composite, in [0, 1] (e.g. the report's 0.7561).
    k : int
        Number of parts.
    weights : array-like, optional
        Effective weight shares, each in (0, 1); default 0.05, 0.06, ..., 0.40 and 1/k.

    Returns
    -------
    pandas.DataFrame
        Columns ``weight`` (sorted) and ``implied_rho`` (NaN where no exchangeable rho gives ``r``).

    Examples
    --------
    >>> curve = implied_rho_curve(0.7561, 6, weights=[0.1, 1 / 6, 0.25])
    >>> curve.round(3).to_numpy().tolist()
    [[0.1, 0.558], [0.167, 0.486], [0.25, 0.358]]
    """
    k = _check_parts(k)
    if weights is None:
        weights = np.append(np.round(np.arange(0.05, 0.405, 0.01), 2), 1 / k)
    w = np.unique(check_numbers("weights", weights, low=0, high=1, low_open=True, high_open=True).ravel())
    return pd.DataFrame({"weight": w, "implied_rho": np.atleast_1d(implied_rho(r, k, weight=w))})


def effective_weights(scores: pd.DataFrame, dimensions, *, weights=None) -> pd.Series:
    """Each dimension's effective weight in the composite: w_k sigma_k / sum_l w_l sigma_l.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per city; columns include ``dimensions``; complete and finite there.
    dimensions : sequence of str
        The composite's dimensions.
    weights : mapping or sequence, optional
        Their nominal weights (default equal).

    Returns
    -------
    pandas.Series
        Indexed by dimension, summing to 1. With equal nominal weights a dimension with a larger
        standard deviation (sample, ddof = 1) weighs more in the composite.

    Examples
    --------
    >>> f = pd.DataFrame({"A": [0.0, 2.0, 4.0], "B": [1.0, 2.0, 3.0]})
    >>> effective_weights(f, ["A", "B"]).round(4).tolist()   # sd 2 and 1
    [0.6667, 0.3333]
    """
    dimensions = list(dimensions)
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = dimension scores)",
                             Shown(type(scores).__name__))
    absent = [d for d in dimensions if d not in scores.columns]
    if absent:
        raise ParameterError("dimensions", f"columns of scores ({', '.join(map(str, scores.columns))})", absent)
    x = check_frame(scores[dimensions], name="scores", rows="unit", columns="dimension score", min_rows=2,
                    complete=True, why="the spreads would be computed on different cities")
    w = np.full(len(dimensions), 1.0) if weights is None else check_weights(weights, dimensions)
    a = w * x.std(axis=0, ddof=1)
    if not a.sum() > 0:
        raise DataError(None, "the dimensions must vary across the units (every effective weight is 0)")
    return pd.Series(a / a.sum(), index=dimensions, name="effective_weight")


def simulate_part_whole(k: int, rho: float, *, n: int = 100, n_sim: int = 1000, seed: int = 0) -> np.ndarray:
    """Simulated correlations of part 1 with the sum of ``k`` equicorrelated normal parts.

    Parameters
    ----------
    k : int
        Number of parts, at least 2.
    rho : float
        Common correlation of the parts, strictly inside (-1/(k-1), 1) (at either end the
        correlation matrix is singular).
    n : int, default 100
        Sample size of each simulated data set (>= 3).
    n_sim : int, default 1000
        Simulated data sets (>= 1).
    seed : int, default 0
        Seed (0 ... 2**32 - 1) of :func:`numpy.random.default_rng`.

    Returns
    -------
    numpy.ndarray of shape (n_sim,)
        The sample correlations at sample size ``n`` (to check the analytic :func:`part_whole_r`
        and to show its sampling spread).

    Examples
    --------
    >>> sims = simulate_part_whole(6, 0.0, n=200, n_sim=50, seed=3)
    >>> sims.shape, bool(abs(sims.mean() - part_whole_r(6, 0.0)) < 0.05)
    ((50,), True)
    """
    k = _check_parts(k)
    rho = check_number("rho", rho, low=-1 / (k - 1), high=1, low_open=True, high_open=True)
    n = check_integer("n", n, low=3)
    n_sim = check_integer("n_sim", n_sim, low=1)
    seed = check_seed(seed)
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

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per city, at least 2 rows and 2 numeric columns, complete and finite, none constant
        (a constant column raises a DataError naming it: its correlations are undefined).

    Examples
    --------
    >>> f = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [3.0, 2, 1]})
    >>> mean_intercorrelation(f)  # pairs: ab 1, ac -1, bc -1
    -0.3333333333333333
    """
    x = check_frame(frame, rows="unit", columns="dimension", min_rows=2, min_columns=2, complete=True,
                    why="the correlations would be computed on different cities")
    constant = np.flatnonzero(np.ptp(x, axis=0) == 0)
    if constant.size:
        raise DataError(None, "dimension values must vary across the units (the correlation of a constant "
                        "column is undefined)", column=str(frame.columns[constant[0]]),
                        detail=f"{constant.size} constant column(s): "
                               f"{', '.join(map(str, frame.columns[constant][:5]))}")
    corr = frame.corr().to_numpy()
    return float(corr[np.triu_indices(corr.shape[0], 1)].mean())


@dataclass(frozen=True)
class PartWholeSummary:
    """What the part-whole relation says about a coefficient (:func:`part_whole_summary`).

    Every number here is about *unselected* cities with equal effective weights and exchangeable
    correlations (:data:`PART_WHOLE_ASSUMPTIONS`); the top cities by composite are another population
    (:func:`~cityeval.analysis.correlation.simulate_selection`).

    Attributes
    ----------
    k : int
        Number of equally weighted parts.
    r_at_rho0 : float
        :func:`part_whole_r` at rho = 0, 1/sqrt(k): the coefficient with no association at all (not a
        floor: see ``lower_bound``).
    lower_bound : float
        :func:`part_whole_lower_bound`: the lowest coefficient with non-negative correlations.
    reported_r : float
        The coefficient read (e.g. the report's 0.7561).
    implied_rho : float
        :func:`implied_rho` of ``reported_r`` at equal effective weights.
    mean_rho_all : float or None
        The observed mean correlation between the parts over every (unselected) city: the population
        ``implied_rho`` describes. None when not given.
    mean_rho_top : float
        The observed mean correlation between the parts over the cities the coefficient is computed on
        (the top ones by composite, a selected set: selection lowers it).
    predicted_r_at_mean_rho : float or None
        :func:`part_whole_r` at ``mean_rho_all`` (clipped up to -1/(k-1)); None without it.
    simulation_check : dict
        ``str(rho)`` -> ``{"analytic": ..., "simulated_mean": ...}`` for each simulated rho.
    """

    k: int
    r_at_rho0: float
    lower_bound: float
    reported_r: float
    implied_rho: float
    mean_rho_all: float | None
    mean_rho_top: float
    predicted_r_at_mean_rho: float | None
    simulation_check: dict


def part_whole_summary(k: int, *, reported_r: float, mean_rho_top: float, simulations: dict,
                       mean_rho_all: float | None = None) -> PartWholeSummary:
    """The part-whole relation at ``k`` parts, read against a reported coefficient and simulations.

    Parameters
    ----------
    k : int
        Number of equally weighted parts.
    reported_r : float
        The coefficient to read backwards (in [0, 1]).
    mean_rho_top : float
        The observed mean inter-correlation of the parts over the cities the coefficient is computed on
        (:func:`mean_intercorrelation`).
    simulations : dict of float -> numpy.ndarray
        rho -> simulated coefficients (:func:`simulate_part_whole`).
    mean_rho_all : float, optional
        The same over every city (unselected): what the implied rho is to be compared with.

    Returns
    -------
    PartWholeSummary

    Examples
    --------
    >>> s = part_whole_summary(6, reported_r=0.7561, mean_rho_top=0.2, simulations={0.0: np.array([0.40, 0.42])})
    >>> round(s.r_at_rho0, 4), round(s.lower_bound, 4), round(s.implied_rho, 4)
    (0.4082, 0.1961, 0.486)
    >>> round(s.simulation_check["0.0"]["simulated_mean"], 12)
    0.41
    """
    k = _check_parts(k)
    mean_rho_top = check_number("mean_rho_top", mean_rho_top, low=-1, high=1)
    if mean_rho_all is not None:
        mean_rho_all = check_number("mean_rho_all", mean_rho_all, low=-1, high=1)
    if not isinstance(simulations, dict):
        raise ParameterError("simulations", "a dict of rho -> simulated coefficients", Shown(type(simulations).__name__))
    return PartWholeSummary(
        k=k, r_at_rho0=part_whole_r(k, 0.0), lower_bound=part_whole_lower_bound(k), reported_r=reported_r,
        implied_rho=implied_rho(reported_r, k), mean_rho_all=mean_rho_all, mean_rho_top=mean_rho_top,
        predicted_r_at_mean_rho=(None if mean_rho_all is None else part_whole_r(k, max(mean_rho_all, -1 / (k - 1)))),
        simulation_check={str(r): {"analytic": part_whole_r(k, r),
                                   "simulated_mean": float(check_sample(s, name=f"simulations[{r!r}]", min_n=1).mean())}
                          for r, s in simulations.items()})


def composite_without(scores: pd.DataFrame, dimensions, drop: str, *, weights=None) -> pd.Series:
    """The composite rebuilt without one dimension: weighted mean of the others.

    Parameters
    ----------
    scores : DataFrame
        Dimension scores (columns include ``dimensions``), one row per city; complete and finite
        in the dimensions kept.
    dimensions : list of str
        The composite's dimensions.
    drop : str
        The dimension to leave out.
    weights : mapping, optional
        Weights of the dimensions (default equal); renormalised over the remaining ones.

    Returns
    -------
    pandas.Series
        Named ``composite_without_<drop>``, indexed like ``scores``.

    Examples
    --------
    >>> scores = pd.DataFrame({"A": [1.0, 2.0], "B": [3.0, 5.0], "C": [5.0, 8.0]}, index=["x", "y"])
    >>> composite_without(scores, ["A", "B", "C"], "A").tolist()
    [4.0, 6.5]
    """
    dimensions = list(dimensions)
    check_choice("drop", drop, dimensions)
    keep = [d for d in dimensions if d != drop]
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = dimension scores)",
                             Shown(type(scores).__name__))
    absent = [d for d in keep if d not in scores.columns]
    if absent:
        raise ParameterError("dimensions", f"columns of scores ({', '.join(map(str, scores.columns))})", absent)
    check_frame(scores[keep], name="scores", rows="unit", columns="dimension score", complete=True,
                why="a composite needs every kept dimension")
    if weights is None:
        w = pd.Series(1.0, index=keep)
    else:
        w = pd.Series(check_weights(weights, keep), index=keep)
    return (scores[keep] * (w / w.sum())).sum(axis=1).rename(f"composite_without_{drop}")


