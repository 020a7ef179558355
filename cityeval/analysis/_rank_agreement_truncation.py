"""The truncation simulation of :mod:`cityeval.analysis.rank_agreement`: what two top-k lists show of a latent correlation.

Two scores over ``n_units`` units are drawn from a copula with latent correlation rho (a Gaussian copula, or a
t copula with ``df`` degrees of freedom: heavier joint tails); each list keeps the top ``top_a`` / ``top_b`` units
by one score; what is observed is the number of units on both lists (the overlap) and Spearman's rho of their
two ranks on that overlap. :func:`compatible_latent_rho` reads an observed Spearman rho (and, jointly, an
observed overlap) against the simulated 5–95% bands.
"""
from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import (Shown, check_choice, check_integer, check_number, check_numbers, check_seed)

__all__ = ["truncated_agreement", "truncated_agreement_pairs", "compatible_latent_rho", "compatible_values",
           "grid_runs", "LatentRange",
           "COPULAS", "copula_label", "CURVE_COLUMNS"]

#: The copulas of the truncation simulation: name -> description (``df`` is the t copula's degrees of freedom).
COPULAS = {"gaussian": "Gaussian copula", "t": "t copula"}
#: The columns of a simulated curve (:func:`truncated_agreement`), in order.
CURVE_COLUMNS = ("overlap_mean", "overlap_q05", "overlap_q95", "mean", "q05", "q50", "q95", "joint_coverage")


def copula_label(copula: str, df: float = 4) -> str:
    """``"Gaussian copula"`` or ``"t copula (4 degrees of freedom)"``.

    >>> copula_label("t", 4), copula_label("gaussian")
    ('t copula (4 degrees of freedom)', 'Gaussian copula')
    """
    check_choice("copula", copula, COPULAS)
    return COPULAS[copula] if copula == "gaussian" else f"t copula ({_df(df):g} degrees of freedom)"


def _df(df) -> float:
    return check_number("df", df, low=0, low_open=True, allowed="a finite number > 0 (the t copula's degrees of freedom)")


def truncated_agreement(rho, *, n_units: int = 293, top_a: int = 100, top_b: int = 100, n_sim: int = 1000,
                        seed: int = 0, copula: str = "gaussian", df: float = 4) -> pd.DataFrame:
    """Simulate the overlap and the Spearman correlation observed on two truncated rankings.

    For each latent correlation in ``rho``, ``n_sim`` times: draw ``n_units`` pairs of scores from a
    ``copula`` with that correlation, keep the units in the top ``top_a`` on the first score and the
    top ``top_b`` on the second, count the units on both (the overlap) and compute Spearman's rho of
    their ranks.

    Parameters
    ----------
    rho : float or array-like
        Latent correlation(s) over all ``n_units`` units, each in [-1, 1] (the copula's correlation parameter).
    n_units : int, default 293
        Units evaluated (293: the number of cities CCID evaluated in its 2020 edition; the 2022
        report does not state its own number).
    top_a, top_b : int
        Lengths of the two published lists.
    n_sim : int, default 1000
        Simulations per value of ``rho``.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.
    copula : {"gaussian", "t"}, default "gaussian"
        The dependence of the two scores (:data:`COPULAS`).
    df : float, default 4
        Degrees of freedom of the t copula (ignored for the Gaussian one); > 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rho``; columns (:data:`CURVE_COLUMNS`) ``overlap_mean``, ``overlap_q05``,
        ``overlap_q95`` (mean and 5% / 95% quantiles of the number of common units, quantiles among the
        simulated counts: numpy's ``inverted_cdf``), ``mean``, ``q05``, ``q50``, ``q95`` of the simulated
        Spearman coefficient (linear quantiles over the simulations with at least 3 common units), and
        ``joint_coverage``: the share of all simulations in which the overlap and the Spearman coefficient
        both lie within their 5–95% bands (at least 0.8 by Bonferroni's inequality; at most the Spearman band's
        own coverage, about 0.9).

    Notes
    -----
    Ranks and Spearman's coefficient are invariant under monotone transforms of each score, so only the
    copula matters, not the margins. The Gaussian copula is a standard bivariate normal with correlation
    rho; the t copula divides both normal scores of a unit by one ``sqrt(W / df)``, ``W`` chi-square with
    ``df`` degrees of freedom (the bivariate t of Demarta & McNeil 2005, as ``scipy.stats.multivariate_t``
    draws it): the same rho, but units extreme on both scores together are more frequent (tail dependence).
    Either copula is an assumption: the published lists do not identify it.

    References
    ----------
    Demarta, S. and McNeil, A. J. (2005). The t copula and related copulas. *International Statistical
    Review* 73(1), 111–129.

    Raises
    ------
    ParameterError
        A correlation outside [-1, 1] or not finite; a list length outside 3 ... ``n_units``; ``n_sim`` not a
        whole number >= 1; a ``seed`` that is not a whole number 0 ... 2**32 - 1; an unknown ``copula``;
        ``df`` not > 0.

    Examples
    --------
    With a latent correlation of 1 both lists hold the same cities in the same order:

    >>> curve = truncated_agreement(1.0, n_units=50, top_a=10, top_b=10, n_sim=20, seed=1)
    >>> curve.loc[1.0, ["overlap_mean", "q05", "q95"]].tolist()
    [10.0, 1.0, 1.0]
    """
    return truncated_agreement_pairs(rho, [(top_a, top_b)], n_units=n_units, n_sim=n_sim, seed=seed, copula=copula,
                                     df=df)[0]


def truncated_agreement_pairs(rho, pairs, *, n_units: int = 293, n_sim: int = 1000, seed: int = 0,
                              copula: str = "gaussian", df: float = 4) -> list[pd.DataFrame]:
    """:func:`truncated_agreement` for several pairs of list lengths, from one set of simulated scores.

    Parameters
    ----------
    rho : float or array-like
        Latent correlation(s), each in [-1, 1].
    pairs : sequence of (top_a, top_b)
        Lengths of the two published lists, one pair per comparison (e.g. ``[(100, 100), (100, 50)]``).
    n_units, n_sim, seed, copula, df
        As in :func:`truncated_agreement`.

    Returns
    -------
    list of pandas.DataFrame
        One frame per pair, in the order given, each equal to ``truncated_agreement(rho, top_a=...,
        top_b=..., n_units=n_units, n_sim=n_sim, seed=seed, copula=copula, df=df)``: that function draws
        the same scores for the same ``seed`` whatever the list lengths, so the pairs can share the draws
        and the sorting instead of repeating them.

    Notes
    -----
    Per simulation and latent correlation, both scores are sorted once for all pairs. The units of
    the first list are the ``top_a`` first in the order of the first score; one of them is also on
    the second list when its second score is among the ``top_b`` highest. Within the common units,
    the rank by the first score is their position in the first list's order, the rank by the second
    score their position when sorted by it. With continuous scores there are no ties, so these are
    the ranks of the full rankings, and every coefficient is the same number.

    Common random numbers: one pair of standard-normal matrices ``z1`` and ``e`` serves every value
    of ``rho``, with ``z2 = rho z1 + sqrt(1 - rho^2) e``; for the t copula one chi-square matrix ``W``,
    drawn after them, scales both (so the Gaussian draws are the same whatever the copula). Each rho's
    simulation is as if drawn on its own, but the curve over rho is much smoother (not necessarily
    monotone): the differences between neighbouring rhos are mostly not sampling noise, and those
    differences are what :func:`compatible_latent_rho` reads.

    Examples
    --------
    >>> a, b = truncated_agreement_pairs([0.9, 1.0], [(20, 20), (20, 10)], n_units=50, n_sim=20, seed=1)
    >>> a["overlap_mean"].tolist()[1], b["overlap_mean"].tolist()[1]
    (20.0, 10.0)
    """
    rhos = np.atleast_1d(check_numbers("rho", rho, low=-1, high=1))
    if rhos.ndim != 1:
        raise ParameterError("rho", "a number or a one-dimensional sequence of numbers in [-1, 1]",
                             Shown(f"an array of shape {rhos.shape}"))
    n_units = check_integer("n_units", n_units, low=3)
    n_sim = check_integer("n_sim", n_sim, low=1, allowed="a positive integer")
    seed = check_seed(seed)
    check_choice("copula", copula, COPULAS)
    df = _df(df)
    try:
        pairs = [tuple(p) for p in pairs]
    except TypeError:
        raise ParameterError("pairs", "a sequence of (top_a, top_b) list lengths", pairs) from None
    if not pairs:
        raise ParameterError("pairs", "at least one (top_a, top_b) pair", pairs)
    if any(len(p) != 2 for p in pairs):
        raise ParameterError("pairs", "a sequence of (top_a, top_b) list lengths", pairs)
    for top_a, top_b in pairs:
        for name, v in (("top_a", top_a), ("top_b", top_b)):
            check_integer(name, v, low=3, high=n_units, allowed=f"a whole number between 3 and n_units={n_units}")
    pairs = [(int(a), int(b)) for a, b in pairs]
    rng = np.random.default_rng(seed)
    rows = [[] for _ in pairs]
    max_a = max(a for a, _ in pairs)
    sims = np.arange(n_sim)[:, None]
    # common random numbers: the same deviates for every rho (see Notes)
    z1 = rng.standard_normal((n_sim, n_units))
    noise = rng.standard_normal((n_sim, n_units))
    # t copula: one mixing variable per unit scales both scores (a bivariate t with shape [[1, rho], [rho, 1]])
    scale = np.sqrt(df / rng.chisquare(df, (n_sim, n_units))) if copula == "t" else None
    x1 = z1 if scale is None else z1 * scale
    order_a = np.argsort(-x1, axis=1)[:, :max_a]             # units by first score, highest first
    for r in rhos:
        z2 = r * z1 + np.sqrt(1 - r * r) * noise
        neg2 = -z2 if scale is None else -(z2 * scale)
        cut = np.sort(neg2, axis=1)                          # cut[:, t - 1]: minus the t-th highest second score
        for j, (top_a, top_b) in enumerate(pairs):
            other = neg2[sims, order_a[:, :top_a]]           # minus the second score of list a's units, in its order
            both = other <= cut[:, top_b - 1:top_b]          # ... that are also on list b
            overlap = both.sum(axis=1)
            # re-ranked within the overlap: by the first score, the running count of common units along
            # list a's order (what _rerank gives for ranks 1..top_a); by the second score, _rerank of `other`
            # (a unit not on list b has a larger value than every unit on it)
            within_a = np.where(both, np.cumsum(both, axis=1), 0)
            coefs = _spearman_of_reranks(within_a, _rerank(other, both), both)
            coefs[overlap < 3] = np.nan
            rows[j].append(_summary_row(float(r), overlap, coefs))
    return [pd.DataFrame(r).set_index("rho") for r in rows]


def _summary_row(r: float, overlap: np.ndarray, coefs: np.ndarray) -> dict:
    o05, o95 = np.quantile(overlap, [0.05, 0.95], method="inverted_cdf")
    q05, q50, q95 = np.nanquantile(coefs, [0.05, 0.5, 0.95]) if np.isfinite(coefs).any() else (np.nan,) * 3
    inside = (overlap >= o05) & (overlap <= o95) & (coefs >= q05) & (coefs <= q95)   # NaN compares False
    return {"rho": r, "overlap_mean": float(overlap.mean()), "overlap_q05": float(o05), "overlap_q95": float(o95),
            "mean": float(np.nanmean(coefs)) if np.isfinite(coefs).any() else np.nan,
            "q05": float(q05), "q50": float(q50), "q95": float(q95), "joint_coverage": float(inside.mean())}


def _overlap_spearman(ra, rb, mask):
    """Row-wise Spearman rho of ``ra`` vs ``rb`` over the entries where ``mask`` is true (no ties).

    Within the selected entries each rank is re-ranked 1..m; then rho = 1 - 6 sum d^2 / (m (m^2 - 1)).
    Entries outside ``mask`` may hold any rank larger than every selected one (ties among them allowed).
    """
    return _spearman_of_reranks(_rerank(ra, mask), _rerank(rb, mask), mask)


def _rerank(r, mask):
    """Ranks ``r`` re-ranked 1..m within the entries of each row where ``mask`` is true (0 elsewhere)."""
    order = np.argsort(r, axis=1)
    within = np.cumsum(np.take_along_axis(mask, order, axis=1), axis=1)
    out = np.empty_like(within)
    out[np.arange(len(r))[:, None], order] = within
    return np.where(mask, out, 0)


def _spearman_of_reranks(wa, wb, mask):
    d = (wa - wb).astype(float)
    m = mask.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - 6 * (d * d).sum(axis=1) / (m * (m * m - 1))


class LatentRange(NamedTuple):
    """The latent correlations compatible with an observation (:func:`compatible_latent_rho`): the smallest and
    the largest grid value whose band(s) contain it (the values between need not all be compatible:
    :func:`compatible_values`)."""

    lo: float
    hi: float


def compatible_latent_rho(observed: float, curve: pd.DataFrame, *, overlap=None) -> LatentRange:
    """Range of latent correlations whose simulated 5–95% band contains ``observed`` (and ``overlap``).

    ``curve`` is the output of :func:`truncated_agreement` over a grid of ``rho``. Returns
    ``LatentRange(lo, hi)`` (a tuple); ``(nan, nan)`` when no grid value is compatible, or when
    ``observed`` is NaN (what :func:`rank_agreement` gives for fewer than 3 common cities).

    Parameters
    ----------
    observed : float
        The observed Spearman rho on the overlap.
    curve : pandas.DataFrame
        Columns ``q05`` and ``q95`` (and ``overlap_q05``, ``overlap_q95`` with ``overlap``), indexed by rho.
    overlap : int, optional
        The observed number of common units. Given, a rho is kept only when the overlap lies in its
        5–95% band as well as the Spearman rho in its own (joint evidence): the range is then within
        the Spearman-only one.

    Notes
    -----
    Spearman alone: each rho outside the range would put the observed coefficient outside the central
    90% of its simulated distribution, so the range is a 90% set for rho (under the curve's copula and
    the truncation model, at the grid's resolution). With ``overlap``, both must lie within their bands;
    the simulated share of draws in which both do is the curve's ``joint_coverage`` (at least 0.8, about 0.9 at most),
    which is the level of the joint set.

    Raises
    ------
    ParameterError
        ``observed`` is not a number (a string, a bool) or a Spearman rho outside [-1, 1] (an
        infinity included); ``overlap`` not a whole number >= 0; ``curve`` is not such a frame.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"q05": [0.0, 0.2, 0.5], "q95": [0.3, 0.6, 0.9], "overlap_q05": [1, 5, 9],
    ...                       "overlap_q95": [4, 8, 10]}, index=[0.1, 0.5, 0.9])
    >>> compatible_latent_rho(0.55, curve), compatible_latent_rho(0.55, curve, overlap=6)
    (LatentRange(lo=0.5, hi=0.9), LatentRange(lo=0.5, hi=0.5))
    """
    ok = compatible_values(observed, curve, overlap=overlap)
    if len(ok) == 0:
        return LatentRange(float("nan"), float("nan"))
    return LatentRange(min(ok), max(ok))


def compatible_values(observed: float, curve: pd.DataFrame, *, overlap=None) -> tuple:
    """The grid values of rho (``curve``'s index, in its order) whose band(s) contain the observation.

    :func:`compatible_latent_rho` gives their smallest and largest; the set need not be an interval of the
    grid (with few common units a low rho can be compatible as well as a high one): :func:`grid_runs`
    splits it into runs of neighbouring grid values. Parameters and errors as :func:`compatible_latent_rho`.

    >>> import pandas as pd
    >>> curve = pd.DataFrame({"q05": [0.0, 0.5, 0.2], "q95": [0.6, 0.9, 0.6]}, index=[0.1, 0.5, 0.9])
    >>> compatible_values(0.55, curve), compatible_values(0.3, curve)
    ((0.1, 0.5, 0.9), (0.1, 0.9))
    """
    if not (isinstance(observed, numbers.Real) and not isinstance(observed, (bool, np.bool_))
            and (np.isnan(observed) or -1 <= observed <= 1)):
        raise ParameterError("observed", "a Spearman rho, a number in [-1, 1] (or NaN: no coefficient)", observed)
    needs = {"q05", "q95"} | ({"overlap_q05", "overlap_q95"} if overlap is not None else set())
    if not isinstance(curve, pd.DataFrame) or not needs <= set(curve.columns):
        raise ParameterError("curve", "what truncated_agreement returned (columns "
                             + ", ".join(sorted(needs)) + ", indexed by rho)",
                             Shown(type(curve).__name__ if not isinstance(curve, pd.DataFrame)
                                   else f"a DataFrame with columns {list(curve.columns)}"))
    keep = (curve["q05"] <= observed) & (observed <= curve["q95"])
    if overlap is not None:
        overlap = check_integer("overlap", overlap, low=0, allowed="a whole number >= 0 (the common units)")
        keep &= (curve["overlap_q05"] <= overlap) & (overlap <= curve["overlap_q95"])
    return tuple(float(r) for r in curve.index[keep.to_numpy()])


def grid_runs(values, grid) -> list[tuple]:
    """``values`` (a subset of ``grid``) as runs of neighbouring grid values: ``[(lo, hi), ...]``.

    >>> grid_runs([0.0, 0.05, 0.8, 0.85, 0.9], [0.0, 0.05, 0.1, 0.8, 0.85, 0.9, 0.95])
    [(0.0, 0.05), (0.8, 0.9)]
    """
    grid = [float(g) for g in grid]
    chosen = {float(v) for v in values}
    if not chosen <= set(grid):
        raise ParameterError("values", "values of the grid", Shown(f"{sorted(chosen - set(grid))[:3]} not in it"))
    runs, start, prev = [], None, None
    for g in grid:
        if g in chosen:
            start = g if start is None else start
            prev = g
        elif start is not None:
            runs.append((start, prev))
            start = None
    if start is not None:
        runs.append((start, prev))
    return runs
