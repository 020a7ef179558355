"""Rank agreement between published lists, and what truncation does to it.

The report publishes only the head of each ranking (top 100, top 50, top 20).
A correlation computed on the cities present in two such lists is a
correlation within a selected group: both variables are restricted to their
upper range, which pulls the coefficient towards zero (restriction of range).
:func:`truncated_agreement` simulates that effect for a given latent
correlation under a stated copula (Gaussian, or a heavier-tailed t copula), so
an observed coefficient, and the number of cities the two lists share, can be
read against the correlation over all evaluated cities they are compatible
with; :func:`truncated_agreement_pairs` does it for several pairs of list
lengths from one set of simulated scores.

* :func:`rank_agreement` (a :class:`RankAgreement`), :func:`agreement_between`
  for several pairs of lists, :func:`agreement_table` and :func:`describe_overlaps`;
* :func:`truncated_agreement`, :func:`truncated_agreement_pairs` and
  :func:`compatible_latent_rho` (a :class:`LatentRange`; with ``overlap`` the joint
  evidence of the overlap and the Spearman rho) are in
  :mod:`cityeval.analysis._rank_agreement_truncation`;
* :func:`truncation_study`, which reads every observed pair against its simulated
  curves under each copula (a :class:`TruncationStudy`, with its sentences, results
  block and assumptions), is in :mod:`cityeval.analysis._rank_agreement_study`;
  :func:`results_assumptions` names what notebook 01's headline numbers rest on;
* :func:`panel_latent` (a :class:`PanelLatent`) measures the latent correlation of panels that reproduce
  the lists (:func:`normal_score_correlation`, :func:`kendall_implied_rho`), which
  :meth:`TruncationStudy.with_panels` sets against the sets; in
  :mod:`cityeval.analysis._rank_agreement_panels`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame

from cityeval.analysis._rank_agreement_panels import (PanelLatent, kendall_implied_rho, normal_score_correlation,
                                                      panel_latent)
from cityeval.analysis._rank_agreement_study import (AGREEMENT_ASSUMPTIONS, LATENT_RHO_GRID, TRUNCATION_ASSUMPTIONS,
                                                     TruncationStudy, truncation_study)
from cityeval.analysis._rank_agreement_truncation import (COPULAS, CURVE_COLUMNS, LatentRange, compatible_latent_rho,
                                                          compatible_values, copula_label, grid_runs,
                                                          truncated_agreement, truncated_agreement_pairs)
from cityeval.analysis._rank_agreement_wording import (LIST_NAMES_EN, LIST_NAMES_ZH, check_lang, list_name_en,
                                                       list_name_zh, overlaps_zh, shown_p)
from cityeval.analysis._rank_agreement_truncation import _overlap_spearman  # noqa: F401 (tested against scipy)
from cityeval.analysis._rank_agreement_shown import UNITS_ZH, YES_NO, identifiers, shown_frame, unit_name

__all__ = ["panel_latent", "PanelLatent", "normal_score_correlation", "kendall_implied_rho", "rank_agreement", "RankAgreement", "agreement_between", "agreement_table", "describe_overlaps",
           "LIST_NAMES_ZH", "list_name_zh", "LIST_NAMES_EN", "list_name_en", "agreement_display",
           "truncated_agreement", "truncated_agreement_pairs", "compatible_latent_rho", "LatentRange",
           "compatible_values", "grid_runs", "truncation_study", "TruncationStudy", "LATENT_RHO_GRID", "STATISTICS",
           "COPULAS", "CURVE_COLUMNS",
           "copula_label", "results_assumptions", "AGREEMENT_ASSUMPTIONS", "TRUNCATION_ASSUMPTIONS",
           "shown_frame", "unit_name", "identifiers", "UNITS_ZH", "YES_NO"]

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


def agreement_display(agreements: dict, *, lang: str = "en") -> pd.DataFrame:
    """:func:`agreement_table` for a reader: the pairs by the lists' names, columns named in ``lang``.

    Examples
    --------
    >>> res = RankAgreement(3, 1.0, 0.0, 1.0, 0.3, [], [])
    >>> list(agreement_display({"overall_top100~governance_top50": res}, lang="zh").columns)
    ['共同城市数', 'Spearman ρ', 'Spearman p 值', 'Kendall τ-b', 'Kendall p 值']
    >>> agreement_display({"overall_top100~governance_top50": res}, lang="zh").index[0]
    '数字城市百强与数字治理50强'
    >>> agreement_display({"overall_top100~governance_top50": res}).index[0]
    'Overall top 100 vs Governance top 50'
    """
    frame = agreement_table(agreements)
    for column in ("spearman_p_value", "kendall_p_value"):
        frame[column] = frame[column].map(shown_p)
    if check_lang(lang) == "zh":
        frame.index = [f"{list_name_zh(k.split('~')[0])}与{list_name_zh(k.split('~')[1])}" for k in frame.index]
        frame.columns = ["共同城市数", "Spearman ρ", "Spearman p 值", "Kendall τ-b", "Kendall p 值"]
    else:
        frame.index = [" vs ".join(list_name_en(x) for x in k.split("~")) for k in frame.index]
        frame.columns = ["Cities on both", "Spearman ρ", "Spearman p value", "Kendall τ-b", "Kendall p value"]
    return frame


def describe_overlaps(agreements: dict, names=None, *, lang: str = "en") -> list[str]:
    """Two lines per pair ``"a~b"``: the cities of b outside a (all of them), of a outside b (the first ten).

    ``names`` maps a city to its display name (a Series or dict, e.g. the reference table's
    ``city_en``); default the city as it is. ``lang="zh"``: the same lines in Chinese, the lists by the report's
    titles (:data:`~cityeval.analysis._rank_agreement_wording.LIST_NAMES_ZH`).

    Examples
    --------
    >>> describe_overlaps({"x~y": RankAgreement(3, 1.0, 0.0, 1.0, 0.0, ["A"], [])})
    ['y: 0 cities outside x: -', 'x: 1 cities outside y (first ten: A)']
    """
    if check_lang(lang) == "zh":
        return overlaps_zh(agreements, names)
    show = (lambda cities: list(cities)) if names is None else (lambda cities: [names[c] for c in cities])
    lines = []
    for key, res in agreements.items():
        a, b = key.split("~")
        lines.append(f"{b}: {len(res.only_b)} cities outside {a}: {', '.join(show(res.only_b)) or '-'}")
        lines.append(f"{a}: {len(res.only_a)} cities outside {b}"
                     + (f" (first ten: {', '.join(show(res.only_a[:10]))})" if res.only_a else ""))
    return lines


def results_assumptions(study: TruncationStudy, *, agreement_key: str = "rank_agreement",
                        truncation_key: str = "truncation") -> dict:
    """``results["assumptions"]`` of notebook 01's rank agreements and truncation study.

    Parameters
    ----------
    study : TruncationStudy
    agreement_key, truncation_key : str
        Where the results hold :func:`agreement_table` (as a dict) and :meth:`TruncationStudy.block`.

    Returns
    -------
    dict
        dotted path -> list of sentences: :data:`AGREEMENT_ASSUMPTIONS` for the coefficients, and
        :meth:`TruncationStudy.assumptions` (the copula, the truncation model, the grid) for each set.

    Examples
    --------
    >>> import pandas as pd
    >>> r = {"x": pd.DataFrame({"rank": range(1, 6), "city": list("ABCDE")}),
    ...      "y": pd.DataFrame({"rank": range(1, 6), "city": list("ABCED")})}
    >>> study = truncation_study(r, agreement_between(r, [("x", "y")]), [("x", "y")], rho=[0.0, 1.0], n_units=10,
    ...                          n_sim=20, seed=1)
    >>> sorted(results_assumptions(study))[:3]
    ['rank_agreement', 'truncation.compatible_latent_rho.gaussian', 'truncation.compatible_latent_rho.t']
    """
    if not isinstance(study, TruncationStudy):
        raise ParameterError("study", "a TruncationStudy (from truncation_study)", Shown(type(study).__name__))
    return {agreement_key: list(AGREEMENT_ASSUMPTIONS), **study.assumptions(truncation_key)}
