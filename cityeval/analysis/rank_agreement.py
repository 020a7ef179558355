"""Rank agreement between published lists, and what truncation does to it.

The report publishes only the head of each ranking (top 100, top 50, top 20).
A correlation computed on the cities present in two such lists is a
correlation within a selected group: both variables are restricted to their
upper range, which pulls the coefficient towards zero (restriction of range).
:func:`truncated_agreement` simulates that effect for a given latent
correlation, so an observed coefficient can be read against the correlation
over all evaluated cities it is compatible with; :func:`truncated_agreement_pairs`
does it for several pairs of list lengths from one set of simulated scores.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError

__all__ = ["rank_agreement", "truncated_agreement", "truncated_agreement_pairs", "compatible_latent_rho"]


def rank_agreement(a: pd.DataFrame, b: pd.DataFrame) -> dict:
    """Spearman and Kendall correlation of the ranks of the cities on both lists.

    Parameters
    ----------
    a, b : pandas.DataFrame
        Published rankings with columns ``rank`` and ``city``.

    Returns
    -------
    dict
        ``n`` (cities on both lists), ``spearman``, ``spearman_p``, ``kendall`` (tau-b),
        ``kendall_p``, ``only_a`` and ``only_b`` (cities on one list only, in rank order).
        With fewer than 3 common cities the coefficients are ``nan``.
    """
    merged = a.merge(b, on="city", suffixes=("_a", "_b"))
    out = {"n": int(len(merged))}
    if len(merged) >= 3:
        rho, p_rho = stats.spearmanr(merged["rank_a"], merged["rank_b"])
        tau, p_tau = stats.kendalltau(merged["rank_a"], merged["rank_b"])
        out.update(spearman=float(rho), spearman_p=float(p_rho), kendall=float(tau), kendall_p=float(p_tau))
    else:
        out.update(spearman=np.nan, spearman_p=np.nan, kendall=np.nan, kendall_p=np.nan)
    out["only_a"] = a.loc[~a["city"].isin(b["city"]), "city"].tolist()
    out["only_b"] = b.loc[~b["city"].isin(a["city"]), "city"].tolist()
    return out


def truncated_agreement(rho, *, n_units: int = 293, top_a: int = 100, top_b: int = 100, n_sim: int = 1000,
                        seed: int = 0) -> pd.DataFrame:
    """Simulate the Spearman correlation observed on the overlap of two truncated rankings.

    For each latent correlation in ``rho``, ``n_sim`` times: draw ``n_units`` pairs of scores from a
    standard bivariate normal with that correlation, keep the units in the top ``top_a`` on the first
    score and the top ``top_b`` on the second, and compute Spearman's rho of their ranks.

    Parameters
    ----------
    rho : float or array-like
        Latent correlation(s) over all ``n_units`` units, each in [-1, 1].
    n_units : int, default 293
        Units evaluated (293: the number of cities CCID evaluated in its 2020 edition; the 2022
        report does not state its own number).
    top_a, top_b : int
        Lengths of the two published lists.
    n_sim : int, default 1000
        Simulations per value of ``rho``.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rho``; columns ``overlap_mean`` (mean number of common units), ``mean``,
        ``q05``, ``q50``, ``q95`` of the simulated Spearman coefficient.

    Notes
    -----
    Ranks and Spearman's coefficient are invariant under monotone transforms, so the normal
    margins lose no generality for the ranks; the bivariate-normal dependence is an assumption.
    """
    return truncated_agreement_pairs(rho, [(top_a, top_b)], n_units=n_units, n_sim=n_sim, seed=seed)[0]


def truncated_agreement_pairs(rho, pairs, *, n_units: int = 293, n_sim: int = 1000,
                              seed: int = 0) -> list[pd.DataFrame]:
    """:func:`truncated_agreement` for several pairs of list lengths, from one set of simulated scores.

    Parameters
    ----------
    rho : float or array-like
        Latent correlation(s), each in [-1, 1].
    pairs : sequence of (top_a, top_b)
        Lengths of the two published lists, one pair per comparison (e.g. ``[(100, 100), (100, 50)]``).
    n_units, n_sim, seed
        As in :func:`truncated_agreement`.

    Returns
    -------
    list of pandas.DataFrame
        One frame per pair, in the order given, each equal to ``truncated_agreement(rho, top_a=...,
        top_b=..., n_units=n_units, n_sim=n_sim, seed=seed)``: that function draws the same scores
        for the same ``seed`` whatever the list lengths, so the pairs can share the draws and the
        sorting instead of repeating them.

    Notes
    -----
    Per simulation and latent correlation, both scores are sorted once for all pairs. The units of
    the first list are the ``top_a`` first in the order of the first score; one of them is also on
    the second list when its second score is among the ``top_b`` highest. Within the common units,
    the rank by the first score is their position in the first list's order, the rank by the second
    score their position when sorted by it. With continuous scores there are no ties, so these are
    the ranks :func:`truncated_agreement` always used, and every coefficient is the same number.

    Common random numbers: one pair of standard-normal matrices ``z1`` and ``e`` serves every value
    of ``rho``, with ``z2 = rho z1 + sqrt(1 - rho^2) e``. Each rho's simulation is as before (``z2``
    is standard normal with correlation rho to ``z1``), but the curve over rho is much smoother
    (not necessarily monotone): the differences between neighbouring rhos are mostly not sampling
    noise, and those differences are what :func:`compatible_latent_rho` reads. It also draws and
    sorts the first score once.
    """
    rhos = np.atleast_1d(np.asarray(rho, dtype=float))
    if np.any(np.abs(rhos) > 1):
        raise ParameterError("rho", "in [-1, 1]", rho)
    try:
        pairs = [(int(a), int(b)) for a, b in pairs]
    except (TypeError, ValueError):
        raise ParameterError("pairs", "a sequence of (top_a, top_b) list lengths", pairs) from None
    if not pairs:
        raise ParameterError("pairs", "at least one (top_a, top_b) pair", pairs)
    for top_a, top_b in pairs:
        for name, v in (("top_a", top_a), ("top_b", top_b)):
            if not 3 <= v <= n_units:
                raise ParameterError(name, f"between 3 and n_units={n_units}", v)
    if n_sim < 1:
        raise ParameterError("n_sim", "a positive integer", n_sim)
    rng = np.random.default_rng(seed)
    rows = [[] for _ in pairs]
    max_a = max(a for a, _ in pairs)
    sims = np.arange(n_sim)[:, None]
    # common random numbers: the same deviates for every rho (see Notes)
    z1 = rng.standard_normal((n_sim, n_units))
    noise = rng.standard_normal((n_sim, n_units))
    order_a = np.argsort(-z1, axis=1)[:, :max_a]             # units by first score, highest first
    for r in rhos:
        z2 = r * z1 + np.sqrt(1 - r * r) * noise
        neg2 = -z2
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
            rows[j].append({"rho": float(r), "overlap_mean": float(overlap.mean()), "mean": float(np.nanmean(coefs)),
                            "q05": float(np.nanquantile(coefs, 0.05)), "q50": float(np.nanquantile(coefs, 0.5)),
                            "q95": float(np.nanquantile(coefs, 0.95))})
    return [pd.DataFrame(r).set_index("rho") for r in rows]


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


def compatible_latent_rho(observed: float, curve: pd.DataFrame) -> tuple[float, float]:
    """Range of latent correlations whose simulated 5–95% band contains ``observed``.

    ``curve`` is the output of :func:`truncated_agreement` over a grid of ``rho``. Returns
    ``(lo, hi)``; ``(nan, nan)`` when no grid value is compatible.
    """
    ok = curve.index[(curve["q05"] <= observed) & (observed <= curve["q95"])]
    if len(ok) == 0:
        return (float("nan"), float("nan"))
    return (float(ok.min()), float(ok.max()))
