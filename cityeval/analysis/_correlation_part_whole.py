"""The part-whole effect of :mod:`cityeval.analysis.correlation` (re-exported there).

A dimension is part of the composite it is correlated with: :func:`part_whole_r` gives the
correlation of one of k equally weighted standardized parts with their sum, :func:`implied_rho`
reads it backwards, :func:`simulate_part_whole` checks it by simulation,
:func:`mean_intercorrelation` estimates the rho of real data, :func:`part_whole_summary` sets a
reported coefficient against all of them, and :func:`composite_without` rebuilds the composite
without the dimension.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_frame, check_integer, check_number, check_numbers, \
    check_sample, check_seed, check_weights

__all__ = ["part_whole_r", "implied_rho", "simulate_part_whole", "mean_intercorrelation", "PartWholeSummary",
           "part_whole_summary", "composite_without"]


def _check_parts(k) -> int:
    return check_integer("k", k, low=2, allowed="a whole number of parts, at least 2")


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

    At rho = 0 it is 1/sqrt(k) (0.408 for k = 6): the floor a part reaches with no real
    association at all. rho must be at least -1/(k-1) for the correlation matrix to be valid.

    Examples
    --------
    >>> round(float(part_whole_r(6, 0.0)), 4)
    0.4082
    """
    k = _check_parts(k)
    rho = check_numbers("rho", rho, low=-1 / (k - 1), high=1)
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
    k = _check_parts(k)
    r = check_number("r", r, low=0, high=1)
    return float((k * r * r - 1) / (k - 1))


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

    Attributes
    ----------
    k : int
        Number of equally weighted parts.
    floor_rho0 : float
        :func:`part_whole_r` at rho = 0: the coefficient with no association at all.
    reported_r : float
        The coefficient read (e.g. the report's 0.7561).
    implied_rho : float
        :func:`implied_rho` of ``reported_r``.
    mean_inter_dimension_r : float
        The observed mean correlation between the parts (:func:`mean_intercorrelation`).
    predicted_r_at_mean_rho : float
        :func:`part_whole_r` at that mean (clipped up to -1/(k-1)).
    simulation_check : dict
        ``str(rho)`` -> ``{"analytic": ..., "simulated_mean": ...}`` for each simulated rho.
    """

    k: int
    floor_rho0: float
    reported_r: float
    implied_rho: float
    mean_inter_dimension_r: float
    predicted_r_at_mean_rho: float
    simulation_check: dict


def part_whole_summary(k: int, *, reported_r: float, mean_rho: float, simulations: dict) -> PartWholeSummary:
    """The part-whole relation at ``k`` parts, read against a reported coefficient and simulations.

    Parameters
    ----------
    k : int
        Number of equally weighted parts.
    reported_r : float
        The coefficient to read backwards (in [0, 1]).
    mean_rho : float
        The observed mean inter-correlation of the parts (:func:`mean_intercorrelation`).
    simulations : dict of float -> numpy.ndarray
        rho -> simulated coefficients (:func:`simulate_part_whole`).

    Returns
    -------
    PartWholeSummary

    Examples
    --------
    >>> s = part_whole_summary(6, reported_r=0.7561, mean_rho=0.2, simulations={0.0: np.array([0.40, 0.42])})
    >>> round(s.floor_rho0, 4), round(s.implied_rho, 4), round(s.simulation_check["0.0"]["simulated_mean"], 12)
    (0.4082, 0.486, 0.41)
    """
    k = _check_parts(k)
    mean_rho = check_number("mean_rho", mean_rho, low=-1, high=1)
    if not isinstance(simulations, dict):
        raise ParameterError("simulations", "a dict of rho -> simulated coefficients", Shown(type(simulations).__name__))
    return PartWholeSummary(
        k=k, floor_rho0=part_whole_r(k, 0.0), reported_r=reported_r, implied_rho=implied_rho(reported_r, k),
        mean_inter_dimension_r=mean_rho, predicted_r_at_mean_rho=part_whole_r(k, max(mean_rho, -1 / (k - 1))),
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


