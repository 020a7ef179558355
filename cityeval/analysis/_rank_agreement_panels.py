"""The latent correlation of panels that reproduce the published lists, beside notebook 01's truncation sets.

:func:`normal_score_correlation` (the Gaussian copula's ρ read from ranks) and :func:`kendall_implied_rho`
(``sin(πτ/2)``, the ρ of any elliptical copula, the t copula included, read from Kendall's τ) measure, over all
cities of a panel, how two scores are tied; :func:`panel_latent` does it for the pairs of lists of a truncation
study, on one panel and on an ensemble of panels. A panel that reproduces both published lists and lies outside a
set shows that the set does not bound the latent correlation: it holds only under one copula over all cities.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_sample

__all__ = ["normal_score_correlation", "kendall_implied_rho", "PanelLatent", "panel_latent", "MEASURES"]

#: The two readings of a panel's latent correlation: name -> the copula whose ρ it estimates.
MEASURES = {"normal_score": "gaussian", "kendall_rho": "t"}


def _pair(x, y) -> tuple[np.ndarray, np.ndarray]:
    check_sample(x, name="x", what="one score per city")
    check_sample(y, name="y", what="one score per city")
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size < 3:
        raise ParameterError("y", "a sequence as long as x (at least 3 cities)", Shown(f"{b.size} vs {a.size}"))
    return a, b


def normal_score_correlation(x, y) -> float:
    r"""Pearson's correlation of the van der Waerden normal scores :math:`\Phi^{-1}((r_i - 1/2)/n)`.

    Under a Gaussian copula this estimates the copula's ρ whatever the margins (ranks are invariant under
    monotone transforms); ties get their mean rank.

    >>> round(normal_score_correlation([1, 2, 3, 4], [10, 20, 30, 40]), 12)
    1.0
    >>> round(normal_score_correlation([1, 2, 3, 4], [40, 30, 20, 10]), 12)
    -1.0
    """
    a, b = _pair(x, y)
    n = a.size
    za = stats.norm.ppf((stats.rankdata(a) - 0.5) / n)
    zb = stats.norm.ppf((stats.rankdata(b) - 0.5) / n)
    return float(np.corrcoef(za, zb)[0, 1])


def kendall_implied_rho(x, y) -> float:
    r"""``sin(π τ / 2)`` with Kendall's τ-b (scipy): the ρ of every elliptical copula with that τ, since
    :math:`\tau = (2/\pi)\arcsin\rho` holds for the Gaussian and the t copula alike (Lindskog, McNeil & Schmock 2003).

    >>> round(kendall_implied_rho([1, 2, 3, 4], [1, 2, 4, 3]), 4)    # tau = 4/6
    0.866
    """
    a, b = _pair(x, y)
    return float(math.sin(math.pi / 2 * stats.kendalltau(a, b).statistic))


@dataclass(frozen=True)
class PanelLatent:
    """Each pair's latent correlation on one panel (``nominal``) and on every member of an ensemble.

    Attributes
    ----------
    nominal : dict
        ``{"a~b": {"normal_score": float, "kendall_rho": float}}`` on the nominal panel (empty without one).
    members : dict
        ``{"a~b": {"normal_score": [float, ...], "kendall_rho": [...]}}``, one value per member.
    n_cities : int
        Cities per panel (the correlations are over all of them).
    """

    nominal: dict
    members: dict
    n_cities: int

    @property
    def n_members(self) -> int:
        first = next(iter(self.members.values()), {})
        return len(first.get("normal_score", []))

    def block(self) -> dict:
        """The results file's form (lists of floats), with each member's median, 5% and 95% quantiles."""
        def q(v):
            return {"min": float(np.min(v)), "median": float(np.median(v)), "max": float(np.max(v))} if v else {}
        return {"n_cities": self.n_cities, "n_members": self.n_members, "nominal": self.nominal,
                "members": {p: {m: {"values": list(v), **q(v)} for m, v in d.items()} for p, d in self.members.items()}}


def _scores(frame, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(name, "a pandas DataFrame of scores (one row per city)", Shown(type(frame).__name__))
    return frame


def _measure(frame: pd.DataFrame, a: str, b: str) -> dict:
    for code in (a, b):
        if code not in frame.columns:
            raise ParameterError("codes", f"score columns of the panel ({', '.join(map(str, frame.columns))})", code)
    return {"normal_score": normal_score_correlation(frame[a], frame[b]),
            "kendall_rho": kendall_implied_rho(frame[a], frame[b])}


def panel_latent(pairs, codes: dict, *, nominal: pd.DataFrame | None = None, members=()) -> PanelLatent:
    """The latent correlation of each pair of lists on panels that reproduce them.

    Parameters
    ----------
    pairs : iterable of str
        ``"a~b"`` keys (list names), e.g. ``TruncationStudy.observed``.
    codes : dict
        List name -> the panel's score column whose top k the list is.
    nominal : DataFrame, optional
        The nominal panel's scores of every city (``ScoredPanel.all_scores``).
    members : sequence of DataFrame
        The ensemble members' scores, in order.

    Returns
    -------
    PanelLatent

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"A": [1.0, 2, 3, 4], "B": [1.0, 2, 4, 3]})
    >>> p = panel_latent(["x~y"], {"x": "A", "y": "B"}, nominal=s, members=[s, s])
    >>> round(p.nominal["x~y"]["kendall_rho"], 4), p.n_members
    (0.866, 2)
    """
    if not isinstance(codes, dict):
        raise ParameterError("codes", "a dict: list name -> score column", Shown(type(codes).__name__))
    pairs = list(pairs)
    split = {}
    for p in pairs:
        if not isinstance(p, str) or p.count("~") != 1 or any(x not in codes for x in p.split("~")):
            raise ParameterError("pairs", "keys 'a~b' whose lists a, b are keys of codes", p)
        split[p] = tuple(codes[x] for x in p.split("~"))
    members = [_scores(m, f"members[{i}]") for i, m in enumerate(members)]
    frames = ([_scores(nominal, "nominal")] if nominal is not None else []) + members
    n_cities = len(frames[0]) if frames else 0
    nom = {p: _measure(nominal, *split[p]) for p in pairs} if nominal is not None else {}
    per = {p: {m: [] for m in MEASURES} for p in pairs}
    for frame in members:
        for p in pairs:
            for m, v in _measure(frame, *split[p]).items():
                per[p][m].append(v)
    return PanelLatent(nominal=nom, members=per, n_cities=n_cities)
