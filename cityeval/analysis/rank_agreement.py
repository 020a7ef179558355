"""Rank agreement between published lists, and what truncation does to it.

The report publishes only the head of each ranking (top 100, top 50, top 20).
A correlation computed on the cities present in two such lists is a
correlation within a selected group: both variables are restricted to their
upper range, which pulls the coefficient towards zero (restriction of range).
:func:`truncated_agreement` simulates that effect for a given latent
correlation, so an observed coefficient can be read against the correlation
over all evaluated cities it is compatible with; :func:`truncated_agreement_pairs`
does it for several pairs of list lengths from one set of simulated scores.

* :func:`rank_agreement` (a :class:`RankAgreement`), :func:`agreement_between`
  for several pairs of lists, :func:`agreement_table` and :func:`describe_overlaps`;
* :func:`truncated_agreement`, :func:`truncated_agreement_pairs`,
  :func:`compatible_latent_rho` (a :class:`LatentRange`) and
  :func:`truncation_study`, which reads every observed coefficient against its
  simulated curve (a :class:`TruncationStudy`).
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame, check_integer, check_numbers, check_seed

__all__ = ["rank_agreement", "RankAgreement", "agreement_between", "agreement_table", "describe_overlaps",
           "truncated_agreement", "truncated_agreement_pairs", "compatible_latent_rho", "LatentRange",
           "truncation_study", "TruncationStudy", "LATENT_RHO_GRID", "STATISTICS"]

#: The latent correlations notebook 01 simulates: 0, 0.05, ..., 0.85, then 0.90, 0.91, ..., 1.00.
LATENT_RHO_GRID = tuple(np.round(np.r_[np.arange(0.0, 0.9, 0.05), np.arange(0.9, 1.0001, 0.01)], 2).tolist())
#: The coefficients of a :class:`RankAgreement` (its fields without the city lists).
STATISTICS = ("n", "spearman", "spearman_p_value", "kendall", "kendall_p_value")


@dataclass(frozen=True)
class RankAgreement:
    """How far two rank lists agree on the cities they share (:func:`rank_agreement`).

    Attributes
    ----------
    n : int
        Cities on both lists.
    spearman, spearman_p_value : float
        Spearman's rho of their two ranks and its two-sided p-value (``scipy.stats.spearmanr``).
    kendall, kendall_p_value : float
        Kendall's tau-b and its two-sided p-value (``scipy.stats.kendalltau``).
    only_a, only_b : list
        Cities on one list only, in that list's rank order.

    With fewer than 3 common cities the coefficients and p-values are NaN. The p-values treat
    the common cities as a sample, which they are not (both lists are truncated): see
    :func:`truncated_agreement`.
    """

    n: int
    spearman: float
    spearman_p_value: float
    kendall: float
    kendall_p_value: float
    only_a: list
    only_b: list


def _ranking(frame, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame) or not {"rank", "city"} <= set(frame.columns):
        raise ParameterError(name, "a published ranking: a DataFrame with columns 'rank' and 'city'",
                             Shown(type(frame).__name__ if not isinstance(frame, pd.DataFrame)
                                   else f"a DataFrame with columns {list(frame.columns)}"))
    check_frame(frame[["rank"]], name=name, rows="row", columns="rank", complete=True,
                why="every listed city has a rank")
    if frame["city"].isna().any() or frame["city"].duplicated().any():
        bad = frame["city"][frame["city"].isna() | frame["city"].duplicated()]
        raise DataError(None, f"{name}: every row needs a city, each city once", column="city",
                        detail=f"found {bad.iloc[0]!r}")
    return frame


def rank_agreement(a: pd.DataFrame, b: pd.DataFrame) -> RankAgreement:
    """Spearman and Kendall correlation of the ranks of the cities on both lists.

    Parameters
    ----------
    a, b : pandas.DataFrame
        Published rankings with columns ``rank`` (numbers) and ``city`` (each city once).

    Returns
    -------
    RankAgreement

    Raises
    ------
    ParameterError
        Not a frame with columns ``rank`` and ``city``.
    DataError
        A missing or non-numeric rank, a missing or repeated city.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"rank": [1, 2, 3, 4], "city": list("ABCD")})
    >>> b = pd.DataFrame({"rank": [1, 2, 3, 4, 5], "city": list("BACXD")})
    >>> res = rank_agreement(a, b)
    >>> res.n, round(res.spearman, 4), res.only_b
    (4, 0.8, ['X'])
    """
    a, b = _ranking(a, "a"), _ranking(b, "b")
    merged = a.merge(b, on="city", suffixes=("_a", "_b"))
    if len(merged) >= 3:
        rho, p_rho = stats.spearmanr(merged["rank_a"], merged["rank_b"])
        tau, p_tau = stats.kendalltau(merged["rank_a"], merged["rank_b"])
        coefs = dict(spearman=float(rho), spearman_p_value=float(p_rho), kendall=float(tau),
                     kendall_p_value=float(p_tau))
    else:
        coefs = dict(spearman=np.nan, spearman_p_value=np.nan, kendall=np.nan, kendall_p_value=np.nan)
    return RankAgreement(n=int(len(merged)), **coefs, only_a=a.loc[~a["city"].isin(b["city"]), "city"].tolist(),
                         only_b=b.loc[~b["city"].isin(a["city"]), "city"].tolist())


def agreement_between(rankings: dict, pairs) -> dict:
    """:func:`rank_agreement` of each pair of lists: ``{"a~b": RankAgreement}``, in the order of ``pairs``.

    Parameters
    ----------
    rankings : dict
        ``{name: ranking frame}`` (e.g. ``PublishedData.rankings``).
    pairs : sequence of (str, str)
        Names of ``rankings`` to compare.

    Examples
    --------
    >>> import pandas as pd
    >>> r = {"x": pd.DataFrame({"rank": [1, 2, 3], "city": list("ABC")}),
    ...      "y": pd.DataFrame({"rank": [1, 2, 3], "city": list("CBA")})}
    >>> agreement_between(r, [("x", "y")])["x~y"].spearman
    -1.0
    """
    out = {}
    for a, b in pairs:
        for name in (a, b):
            if name not in rankings:
                raise ParameterError("pairs", f"pairs of names among {', '.join(map(repr, rankings))}", name)
        out[f"{a}~{b}"] = rank_agreement(rankings[a], rankings[b])
    return out


def agreement_table(agreements: dict) -> pd.DataFrame:
    """The :data:`STATISTICS` of each :class:`RankAgreement`, one row per key.

    ``agreement_table(...).to_dict(orient="index")`` is the form notebook 01 records.

    Examples
    --------
    >>> res = RankAgreement(3, 1.0, 0.0, 1.0, 0.3, [], [])
    >>> agreement_table({"x~y": res})
         n  spearman  spearman_p_value  kendall  kendall_p_value
    x~y  3       1.0               0.0      1.0              0.3
    """
    return pd.DataFrame.from_dict({key: {c: getattr(res, c) for c in STATISTICS} for key, res in agreements.items()},
                                  orient="index")


def describe_overlaps(agreements: dict, names=None) -> list[str]:
    """Two lines per pair ``"a~b"``: the cities of b outside a (all of them), of a outside b (the first ten).

    ``names`` maps a city to its display name (a Series or dict, e.g. the reference table's
    ``city_en``); default the city as it is.

    Examples
    --------
    >>> describe_overlaps({"x~y": RankAgreement(3, 1.0, 0.0, 1.0, 0.0, ["A"], [])})
    ['y: 0 cities outside x: -', 'x: 1 cities outside y (first ten: A)']
    """
    show = (lambda cities: list(cities)) if names is None else (lambda cities: [names[c] for c in cities])
    lines = []
    for key, res in agreements.items():
        a, b = key.split("~")
        lines.append(f"{b}: {len(res.only_b)} cities outside {a}: {', '.join(show(res.only_b)) or '-'}")
        lines.append(f"{a}: {len(res.only_a)} cities outside {b}"
                     + (f" (first ten: {', '.join(show(res.only_a[:10]))})" if res.only_a else ""))
    return lines


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

    Raises
    ------
    ParameterError
        A correlation outside [-1, 1] or not finite; a list length outside 3 ... ``n_units``; ``n_sim`` not a
        whole number >= 1; a ``seed`` that is not a whole number 0 ... 2**32 - 1.

    Examples
    --------
    With a latent correlation of 1 both lists hold the same cities in the same order:

    >>> curve = truncated_agreement(1.0, n_units=50, top_a=10, top_b=10, n_sim=20, seed=1)
    >>> curve.loc[1.0, ["overlap_mean", "q05", "q95"]].tolist()
    [10.0, 1.0, 1.0]
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


class LatentRange(NamedTuple):
    """The latent correlations compatible with an observed coefficient (:func:`compatible_latent_rho`)."""

    lo: float
    hi: float


def compatible_latent_rho(observed: float, curve: pd.DataFrame) -> LatentRange:
    """Range of latent correlations whose simulated 5–95% band contains ``observed``.

    ``curve`` is the output of :func:`truncated_agreement` over a grid of ``rho``. Returns
    ``LatentRange(lo, hi)`` (a tuple); ``(nan, nan)`` when no grid value is compatible, or when
    ``observed`` is NaN (what :func:`rank_agreement` gives for fewer than 3 common cities).

    Raises
    ------
    ParameterError
        ``observed`` is not a number (a string, a bool) or a Spearman rho outside [-1, 1] (an
        infinity included); ``curve`` is not such a frame.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"q05": [0.0, 0.2, 0.5], "q95": [0.3, 0.6, 0.9]}, index=[0.1, 0.5, 0.9])
    >>> compatible_latent_rho(0.55, curve)
    LatentRange(lo=0.5, hi=0.9)
    """
    if not (isinstance(observed, numbers.Real) and not isinstance(observed, (bool, np.bool_))
            and (np.isnan(observed) or -1 <= observed <= 1)):
        raise ParameterError("observed", "a Spearman rho, a number in [-1, 1] (or NaN: no coefficient)", observed)
    if not isinstance(curve, pd.DataFrame) or not {"q05", "q95"} <= set(curve.columns):
        raise ParameterError("curve", "what truncated_agreement returned (columns q05 and q95, indexed by rho)",
                             Shown(type(curve).__name__))
    ok = curve.index[(curve["q05"] <= observed) & (observed <= curve["q95"])]
    if len(ok) == 0:
        return LatentRange(float("nan"), float("nan"))
    return LatentRange(float(ok.min()), float(ok.max()))


@dataclass(frozen=True)
class TruncationStudy:
    """Observed rank agreements read against the truncation simulation (:func:`truncation_study`).

    Attributes
    ----------
    curves : dict
        ``{"a~b": frame}``: :func:`truncated_agreement` for the two lists' lengths.
    compatible : dict
        ``{"a~b": LatentRange}``: the latent correlations compatible with the observed Spearman rho.
    """

    curves: dict
    compatible: dict

    def table(self) -> pd.DataFrame:
        """``compatible`` as a frame: columns ``latent_rho_lo``, ``latent_rho_hi``, one row per pair."""
        return pd.DataFrame({k: list(v) for k, v in self.compatible.items()}, index=["latent_rho_lo", "latent_rho_hi"]).T


def truncation_study(rankings: dict, agreements: dict, pairs, *, rho=LATENT_RHO_GRID, n_units: int = 293,
                     n_sim: int = 1000, seed: int = 0) -> TruncationStudy:
    """For each pair of lists, the simulated curve for their lengths and the latent range of the observed rho.

    Parameters
    ----------
    rankings : dict
        ``{name: ranking frame}``; a list's length is its number of rows.
    agreements : dict
        ``{"a~b": RankAgreement}`` (:func:`agreement_between`), holding every pair of ``pairs``.
    pairs : sequence of (str, str)
    rho, n_units, n_sim, seed
        As for :func:`truncated_agreement_pairs` (one set of simulated scores serves every pair:
        each curve is the one :func:`truncated_agreement` gives on its own with the same ``seed``).

    Returns
    -------
    TruncationStudy

    Examples
    --------
    >>> import pandas as pd
    >>> r = {"x": pd.DataFrame({"rank": range(1, 6), "city": list("ABCDE")}),
    ...      "y": pd.DataFrame({"rank": range(1, 6), "city": list("ABCED")})}
    >>> agree = agreement_between(r, [("x", "y")])
    >>> study = truncation_study(r, agree, [("x", "y")], rho=[0.0, 1.0], n_units=10, n_sim=50, seed=1)
    >>> list(study.curves["x~y"].index), study.compatible["x~y"].hi
    ([0.0, 1.0], 0.0)
    """
    pairs = list(pairs)
    lengths = [(len(rankings[a]), len(rankings[b])) for a, b in pairs]
    simulated = truncated_agreement_pairs(rho, lengths, n_units=n_units, n_sim=n_sim, seed=seed)
    curves, compatible = {}, {}
    for (a, b), curve in zip(pairs, simulated):
        key = f"{a}~{b}"
        curves[key] = curve
        compatible[key] = compatible_latent_rho(agreements[key].spearman, curve)
    return TruncationStudy(curves=curves, compatible=compatible)
