"""Recompute the report's countable claims from its published tables.

Every claim in ``claims.csv`` marked ``recomputable = yes`` has a function here
that derives it from the rank tables and the reference data alone. The
comparison rule is written beside each function (equality of counts, of city
lists, or a threshold where the report's wording is qualitative).

Notebook 01 also reads, from the same tables: the share of the top 100 in the
highest-GDP provinces and how it moves at the boundary (:func:`gdp_top_share`),
one city's rank on every list (:func:`focus_city`), the claims that cannot be
recomputed (:func:`not_recomputable`) and its summary (:func:`claims_summary`).

Examples
--------
>>> from cityeval.ccid2022.claims import recompute_claims
>>> table = recompute_claims()
>>> bool(table["match"].all())
True
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.ccid2022 import published
from cityeval.ccid2022 import reference
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_integer

__all__ = ["PublishedData", "load_published_data", "count_by", "gdp_top_provinces", "recompute_claims",
           "share_in_provinces", "RECOMPUTERS", "not_recomputable", "claims_records", "claims_summary",
           "gdp_top_share", "GdpTopShare", "focus_city", "FocusCity", "input_files", "claims_table",
           "match_sentence", "not_recomputable_table", "LIST_NAMES", "location_zh", "stated_zh"]

#: Short names of the published lists for a reader, per language (the report's own titles in Chinese).
LIST_NAMES = {
    "en": {"overall_top100": "overall top 100", "infrastructure_top100": "infrastructure top 100",
           "governance_top50": "governance top 50", "healthcare_top20": "healthcare top 20"},
    "zh": {"overall_top100": "数字城市百强", "infrastructure_top100": "新型信息基础百强",
           "governance_top50": "数字治理50强", "healthcare_top20": "数字医疗20强"},
}


def _lang(lang) -> str:
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    return lang


_CHAPTERS_ZH = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}
_SECTIONS_ZH = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}

#: Chinese readings of the stated values that claims.csv writes in English words (the rest are numbers or names).
STATED_ZH = {"east high, west low": "东高西低", "华东,西南 high;西北,东北 low": "华东、西南高；西北、东北低",
             "华东 highest;西北 lowest": "华东最高；西北最低", "positive": "正相关",
             "life > health": "数字生活优于数字医疗健康", "polarized": "两极分化", "majority": "绝大部分",
             "majority weak": "绝大部分薄弱"}


def location_zh(location: str) -> str:
    """Where claims.csv says a claim is stated (``"Ch.2 §1 text; Table 2"``), in Chinese.

    >>> location_zh("Ch.2 §1 text; Table 2"), location_zh("Ch.2 §3; Fig. 5-6"), location_zh("Table 6; Table 5")
    ('第二章第一节正文；表 2', '第二章第三节；图 5–6', '表 6；表 5')
    """
    parts = []
    for part in str(location).split(";"):
        part = part.strip()
        m = re.fullmatch(r"Ch\.(\d) §(\d)( text)?", part)
        if m:
            parts.append(f"第{_CHAPTERS_ZH[m.group(1)]}章第{_SECTIONS_ZH[m.group(2)]}节" + ("正文" if m.group(3) else ""))
            continue
        m = re.fullmatch(r"(Fig|Table)\.? (\d+)(?:-(\d+))?", part)
        if m:
            kind = "图" if m.group(1) == "Fig" else "表"
            parts.append(f"{kind} {m.group(2)}" + (f"–{m.group(3)}" if m.group(3) else ""))
            continue
        parts.append(part)
    return "；".join(parts)


def stated_zh(value) -> str:
    """A stated value of claims.csv for a Chinese reader: English words in Chinese, ``;`` as 、.

    >>> stated_zh("polarized"), stated_zh("江苏省;山东省"), stated_zh("64")
    ('两极分化', '江苏省、山东省', '64')
    """
    text = str(value)
    return STATED_ZH.get(text, text.replace(";", "、"))


def _numbered(frame: pd.DataFrame, name: str = "序号") -> pd.DataFrame:
    """The claims numbered 1, 2, … (序号, or No.) instead of by their code-like ids, for a reader."""
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1, name=name), axis=0)


@dataclass
class PublishedData:
    """Everything the recomputation reads: the published tables and the reference tables."""

    rankings: dict
    framework: pd.DataFrame
    one_thing: pd.DataFrame
    claims: pd.DataFrame
    cities: pd.DataFrame
    provinces: pd.DataFrame

    def ranking_sizes(self) -> dict:
        """``{ranking name: number of cities listed}``."""
        return {name: len(frame) for name, frame in self.rankings.items()}


def _table(name: str, value, columns=()) -> pd.DataFrame:
    """``value`` if it is a DataFrame holding ``columns``, else a ParameterError naming ``name``."""
    if not isinstance(value, pd.DataFrame) or not set(columns) <= set(value.columns):
        raise ParameterError(name, "a pandas DataFrame" + (f" with the column(s) {', '.join(columns)}" if columns else ""),
                             Shown(type(value).__name__ if not isinstance(value, pd.DataFrame)
                                   else f"a DataFrame with columns {list(value.columns)}"))
    return value


def _data(data) -> PublishedData:
    if not isinstance(data, PublishedData):
        raise ParameterError("data", "a PublishedData (from load_published_data)", Shown(type(data).__name__))
    return data


def load_published_data(published_dir=None) -> PublishedData:
    """Load and validate every published and reference table.

    Parameters
    ----------
    published_dir : path-like, optional
        A folder holding the published tables under the embedded names (``overall_top100.csv``, ...,
        ``claims.csv``), e.g. your own transcription; default (``None`` or ``""``) the embedded
        ``data/published/ccid2022``. The reference tables are always the embedded ones.

    Raises
    ------
    ParameterError
        ``published_dir`` is neither None, a string nor a path-like object.
    DataError
        The folder does not exist, or a table breaks its rules (naming the file, line and rule).
    """
    if published_dir is not None and not isinstance(published_dir, (str, os.PathLike)):
        raise ParameterError("published_dir", "a folder (a str or path-like) or None (the embedded tables)",
                             published_dir)
    if published_dir:
        folder = Path(published_dir)
        if not folder.is_dir():
            raise DataError(folder, "published-data folder not found; expected a folder holding "
                            "overall_top100.csv, infrastructure_top100.csv, ..., claims.csv")
        path = lambda name: folder / name  # noqa: E731
    else:
        path = lambda name: None  # noqa: E731
    return PublishedData(
        rankings={name: published.load_ranking(name, path=path(f"{name}.csv")) for name in published.RANKINGS},
        framework=published.load_framework(path=path("framework.csv")),
        one_thing=published.load_one_thing_cities(path=path("one_thing_cities.csv")),
        claims=published.load_claims(path=path("claims.csv")),
        cities=reference.default_cities(),
        provinces=reference.load_provinces(),
    )


def count_by(ranking: pd.DataFrame, cities: pd.DataFrame, by: str = "province") -> pd.Series:
    """Number of cities of ``ranking`` per value of ``cities[by]`` (province, region, zone, ...).

    Sorted by count, descending, ties by name, so the order is deterministic.

    Raises
    ------
    ParameterError
        ``ranking`` is not a DataFrame with a ``city`` column, ``cities`` not a DataFrame, ``by`` not
        one of its columns.

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.DataFrame({"province": ["A", "B", "A"]}, index=["x", "y", "z"])
    >>> count_by(pd.DataFrame({"city": ["x", "y", "z"]}), cities).to_dict()
    {'A': 2, 'B': 1}
    """
    ranking, cities = _table("ranking", ranking, ["city"]), _table("cities", cities)
    if not isinstance(by, str) or by not in cities.columns:
        raise ParameterError("by", f"a column of the city table ({', '.join(cities.columns)})", by)
    counts = ranking["city"].map(cities[by]).value_counts()
    frame = counts.rename_axis(by).reset_index(name="count")
    frame = frame.sort_values(["count", by], ascending=[False, True], kind="stable")
    return frame.set_index(by)["count"]


def gdp_top_provinces(provinces: pd.DataFrame, k: int = 10) -> list:
    """The ``k`` provinces with the highest 2021 GDP (``provinces.csv``), highest first.

    Raises
    ------
    ParameterError
        ``provinces`` is not a DataFrame with a ``gdp_2021`` column; ``k`` is not a whole number
        between 1 and the number of provinces minus 1.
    DataError
        The k-th and the (k+1)-th province have the same GDP (the top k is not defined).

    Examples
    --------
    >>> import pandas as pd
    >>> gdp_top_provinces(pd.DataFrame({"gdp_2021": [1.0, 3.0, 2.0]}, index=list("abc")), 2)
    ['b', 'c']
    """
    provinces = _table("provinces", provinces, ["gdp_2021"])
    k = check_integer("k", k, low=1, high=len(provinces) - 1)
    ranked = provinces.sort_values("gdp_2021", ascending=False, kind="stable")
    if ranked["gdp_2021"].iloc[k - 1] == ranked["gdp_2021"].iloc[k]:
        raise DataError(None, f"provinces {ranked.index[k - 1]} and {ranked.index[k]} tie at the top-{k} boundary",
                        column="gdp_2021", detail=f"both {ranked['gdp_2021'].iloc[k]:g}")
    return list(ranked.index[:k])


def share_in_provinces(ranking: pd.DataFrame, cities: pd.DataFrame, provinces) -> float:
    """Percentage of the cities of ``ranking`` whose province is in ``provinces``.

    Parameters
    ----------
    ranking : pandas.DataFrame
        A published ranking (column ``city``).
    cities : pandas.DataFrame
        The city table (index = city, column ``province``).
    provinces : sequence of str
        Province names as in the city table (``"江苏省"``), each a province of ``cities`` or of
        ``data/reference/provinces.csv``; a single string is refused (it is not a list of provinces).

    Raises
    ------
    ParameterError
        ``provinces`` is a string or not a sequence, or names a province that is in neither table
        (a misspelling would otherwise count 0 cities); ``ranking`` or ``cities`` is not such a table.

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.DataFrame({"province": ["A", "B", "A", "C"]}, index=list("wxyz"))
    >>> share_in_provinces(pd.DataFrame({"city": list("wxyz")}), cities, ["A"])
    50.0
    """
    ranking, cities = _table("ranking", ranking, ["city"]), _table("cities", cities, ["province"])
    if provinces is None or isinstance(provinces, (str, bytes)) or not hasattr(provinces, "__iter__"):
        raise ParameterError("provinces", "a sequence of province names (e.g. ['江苏省']), not one string", provinces)
    provinces = list(provinces)
    known = set(cities["province"]) | set(reference.load_provinces().index)
    unknown = [p for p in provinces if p not in known]
    if unknown:
        raise ParameterError("provinces", "provinces of the city table or of data/reference/provinces.csv", unknown)
    return float(100 * ranking["city"].map(cities["province"]).isin(provinces).mean())


def _join(items) -> str:
    return ";".join(items)


# Each recomputer returns (computed value as a string in the stated_value's format, match: bool).
def _framework_level1(d):
    n = int((d.framework["level"] == 1).sum())
    return str(n), n == 6


def _framework_level2(d):
    n = int((d.framework["level"] == 2).sum())
    return str(n), n == 18


def _province_count(province):
    def f(d):
        n = int(count_by(d.rankings["overall_top100"], d.cities).get(province, 0))
        return str(n), n == 12
    return f


def _leading_provinces(d):
    counts = count_by(d.rankings["overall_top100"], d.cities)
    leaders = sorted(counts.index[counts == counts.max()])
    return _join(leaders), set(leaders) == {"江苏省", "山东省"}


def _gdp_top10_share(d):
    share = share_in_provinces(d.rankings["overall_top100"], d.cities, gdp_top_provinces(d.provinces, 10))
    return f"{share:g}", share == 64


def _east_china_count(d):
    n = int(count_by(d.rankings["overall_top100"], d.cities, "region").get("华东", 0))
    return str(n), n == 48


def _region_order(d):
    counts = count_by(d.rankings["overall_top100"], d.cities, "region")
    top3 = list(counts.index[:3])
    strict = counts.iloc[2] > counts.iloc[3] and counts.iloc[0] > counts.iloc[1] > counts.iloc[2]
    return _join(top3), top3 == ["华东", "中南", "华北"] and bool(strict)


def _infra_leaders(d):
    top4 = d.rankings["infrastructure_top100"].head(4)["city"].tolist()
    return _join(top4), set(top4) == {"北京市", "上海市", "广州市", "深圳市"}


def _onenet_consistent(d):
    # 24 + 17 + 9 must be the 50 cities of Table 5, and each share must be count / 50.
    n = len(d.rankings["governance_top50"])
    counts, shares = (24, 17, 9), (48, 34, 18)
    ok = sum(counts) == n and all(abs(100 * c / n - s) < 1e-9 for c, s in zip(counts, shares))
    return str(sum(counts)), ok and n == 50


def _onetong_consistent(d):
    n = len(d.rankings["governance_top50"])
    share = 100 * 44 / n
    return f"{share:g}", share == 88


def _onething_in_top50(d):
    share = 100 * d.one_thing["city"].isin(d.rankings["governance_top50"]["city"]).mean()
    return f"{share:g}", share == 100


def _onething_municipalities(d):
    munis = d.cities.index[d.cities["admin_level"] == "municipality"]
    n = int(d.one_thing["city"].isin(munis).sum())
    return str(n), n == 4


def _onething_four_provinces(d):
    # "mainly" (主要集中在) is read as: more than half of the non-municipality cities.
    rest = d.one_thing[d.one_thing["city"].map(d.cities["admin_level"]) != "municipality"]
    share = 100 * rest["province"].isin(["江苏省", "浙江省", "广东省", "山东省"]).mean()
    return f"{share:.1f}", share > 50


def _health_leaders(d):
    top7 = d.rankings["healthcare_top20"].head(7)["city"].tolist()
    return _join(top7), top7 == ["北京市", "上海市", "广州市", "成都市", "深圳市", "杭州市", "武汉市"]


#: claim id -> recomputer. Every ``recomputable = yes`` claim of claims.csv has one (a test checks it).
RECOMPUTERS = {
    "framework_level1_count": _framework_level1,
    "framework_level2_count": _framework_level2,
    "top100_jiangsu_count": _province_count("江苏省"),
    "top100_shandong_count": _province_count("山东省"),
    "top100_leading_provinces": _leading_provinces,
    "top100_gdp_top10_share": _gdp_top10_share,
    "top100_east_china_count": _east_china_count,
    "top100_region_order": _region_order,
    "infra_leaders": _infra_leaders,
    "gov_onenet_consistent": _onenet_consistent,
    "gov_onetong_consistent": _onetong_consistent,
    "gov_onething_in_top50": _onething_in_top50,
    "gov_onething_municipalities": _onething_municipalities,
    "gov_onething_four_provinces": _onething_four_provinces,
    "liv_health_leaders": _health_leaders,
}


def recompute_claims(data: PublishedData | None = None) -> pd.DataFrame:
    """Recompute every recomputable claim.

    Returns
    -------
    pandas.DataFrame
        One row per recomputable claim, indexed by ``id``, columns ``statement_en``, ``location``,
        ``stated``, ``computed`` and ``match`` (bool), in claims.csv order.
    """
    data = _data(data) if data is not None else load_published_data()
    rows = []
    for cid, claim in data.claims[data.claims["recomputable"]].iterrows():
        if cid not in RECOMPUTERS:
            raise DataError(None, "claims.csv marks a claim recomputable that cityeval.ccid2022.claims has no "
                            "recomputer for", column="recomputable", detail=f"claim {cid!r}")
        computed, match = RECOMPUTERS[cid](data)
        rows.append({"id": cid, "statement_en": claim["statement_en"], "location": claim["location"],
                     "stated": claim["stated_value"], "computed": computed, "match": bool(match)})
    return pd.DataFrame(rows).set_index("id")


def not_recomputable(data: PublishedData) -> pd.DataFrame:
    """The claims the published tables cannot check: ``statement_en``, ``stated_value``, ``location``, by id.

    Examples
    --------
    >>> len(not_recomputable(load_published_data()))
    25
    """
    data = _data(data)
    return data.claims.loc[~data.claims["recomputable"], ["statement_en", "stated_value", "location"]]


def claims_table(table: pd.DataFrame, data: PublishedData | None = None, *, lang: str = "en") -> pd.DataFrame:
    """:func:`recompute_claims`' table for a reader: the claim in full (in ``lang``), where the report states it,
    the stated and the recomputed value, and whether they match; columns named in ``lang``.

    Examples
    --------
    >>> t = claims_table(recompute_claims(), lang="zh")
    >>> list(t.columns), t.iloc[0, 0], t.iloc[0, 1], t.index.name
    (['论断', '出处', '报告所述', '重算', '一致'], '评估指标涵盖6个一级指标', '第二章第一节正文；表 2', '序号')
    >>> t = claims_table(recompute_claims())
    >>> list(t.columns), t.index.name, t.iloc[0, 4]
    (['Claim', 'Where', 'Stated', 'Computed', 'Match'], 'No.', 'Yes')
    """
    data = _data(data) if data is not None else load_published_data()
    zh = _lang(lang) == "zh"
    text = data.claims["statement_zh"].reindex(table.index) if zh else table["statement_en"]
    match = table["match"].map({True: "是", False: "否"} if zh else {True: "Yes", False: "No"})
    if zh:
        out = pd.DataFrame({"论断": text, "出处": table["location"].map(location_zh),
                            "报告所述": table["stated"].map(stated_zh), "重算": table["computed"].map(stated_zh),
                            "一致": match})
        return _numbered(out)
    return _numbered(pd.DataFrame({"Claim": text, "Where": table["location"], "Stated": table["stated"],
                                   "Computed": table["computed"], "Match": match}), name="No.")


def match_sentence(table: pd.DataFrame, *, lang: str = "en") -> str:
    """How many of :func:`recompute_claims`' claims match, in ``lang``.

    >>> t = pd.DataFrame({"match": [True, False]})
    >>> match_sentence(t), match_sentence(t, lang="zh")
    ('1 of 2 recomputable claims match the report.', '2 项可重算的论断中有 1 项与报告一致。')
    """
    n, m = int(table["match"].sum()), len(table)
    if _lang(lang) == "zh":
        return f"{m} 项可重算的论断中有 {n} 项与报告一致。"
    return f"{n} of {m} recomputable claims match the report."


def not_recomputable_table(data: PublishedData, *, lang: str = "en") -> pd.DataFrame:
    """:func:`not_recomputable` for a reader: the claim in full in ``lang``, the stated value, where it is stated.

    >>> t = not_recomputable_table(load_published_data(), lang="zh")
    >>> list(t.columns), len(t)
    (['论断', '报告所述', '出处'], 25)
    """
    rows = _data(data).claims
    rows = rows.loc[~rows["recomputable"]]
    if _lang(lang) == "zh":
        out = pd.DataFrame({"论断": rows["statement_zh"], "报告所述": rows["stated_value"].map(stated_zh),
                            "出处": rows["location"].map(location_zh)})
        return _numbered(out)
    return _numbered(rows[["statement_en", "stated_value", "location"]].set_axis(["Claim", "Stated", "Where"], axis=1),
                     name="No.")


def claims_records(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`recompute_claims`' table as the rows notebook 01 records: ``id``, ``stated``, ``computed``, ``match``.

    Examples
    --------
    >>> claims_records(recompute_claims()).to_dict("records")[0]
    {'id': 'framework_level1_count', 'stated': '6', 'computed': '6', 'match': True}
    """
    return table.reset_index()[["id", "stated", "computed", "match"]]


def claims_summary(table: pd.DataFrame, gdp: GdpTopShare, *, lang: str = "en") -> str:
    """The one-sentence summary of notebook 01, in ``lang`` ("en" or "zh").

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"match": [True, True, False]})
    >>> claims_summary(table, GdpTopShare(["A"], 64.0, "A", "B", 2.0, 1.0, 60.0, {}))
    '2 of 3 recomputable claims match the published tables (e.g. Jiangsu and Shandong 12 each, East China 48, top-10 GDP provinces 64%).'
    >>> claims_summary(table, GdpTopShare(["A"], 64.0, "A", "B", 2.0, 1.0, 60.0, {}), lang="zh")
    '3 项可重算的论断中有 2 项与公布的表格一致（例如江苏、山东各 12 座，华东 48 座，GDP 前十省份占 64%）。'
    """
    if _lang(lang) == "zh":
        return (f"{len(table)} 项可重算的论断中有 {int(table['match'].sum())} 项与公布的表格一致"
                f"（例如江苏、山东各 12 座，华东 48 座，GDP 前十省份占 {gdp.share:g}%）。")
    return (f"{int(table['match'].sum())} of {len(table)} recomputable claims match the published tables "
            f"(e.g. Jiangsu and Shandong 12 each, East China 48, top-10 GDP provinces {gdp.share:g}%).")


@dataclass(frozen=True)
class GdpTopShare:
    """The share of a ranking's cities in the ``k`` highest-GDP provinces, and its sensitivity (:func:`gdp_top_share`).

    Attributes
    ----------
    provinces : list
        The ``k`` highest-GDP provinces, highest first.
    share : float
        Percentage of the ranking's cities in them.
    kth, next : str
        The k-th and the (k+1)-th province by GDP.
    gdp_kth, gdp_next : float
        Their 2021 GDP (亿元).
    share_swapped : float
        The share with the (k+1)-th province instead of the k-th.
    names : dict
        English province names, for the descriptions.
    """

    provinces: list
    share: float
    kth: str
    next: str
    gdp_kth: float
    gdp_next: float
    share_swapped: float
    names: dict

    def describe(self, lang: str = "en") -> str:
        """Which provinces, and the share (in ``lang``: Chinese province names with ``"zh"``)."""
        k = len(self.provinces)
        if _lang(lang) == "zh":
            return f"GDP 最高的{'十' if k == 10 else k}个省份：{'、'.join(self.provinces)}；占前 100 的 {self.share:g}%"
        return (f"{'Ten' if k == 10 else k} highest-GDP provinces: {', '.join(self.names.get(p, p) for p in self.provinces)}; "
                f"share of top 100: {self.share:g}%")

    def describe_boundary(self, lang: str = "en") -> str:
        """The k-th and (k+1)-th provinces and the share with one swapped for the other (in ``lang``)."""
        k = len(self.provinces)
        if _lang(lang) == "zh":
            return (f"第 {k} 位：{self.kth}（{self.gdp_kth:,.1f} 亿元），第 {k + 1} 位：{self.next}（{self.gdp_next:,.1f} 亿元）；"
                    f"以第 {k + 1} 位替换第 {k} 位时占比为 {self.share_swapped:g}%")
        return (f"{_ordinal(k)}: {self.names.get(self.kth, self.kth)} ({self.gdp_kth:,.1f}), "
                f"{_ordinal(k + 1)}: {self.names.get(self.next, self.next)} ({self.gdp_next:,.1f}); "
                f"share with the {_ordinal(k + 1)} instead of the {_ordinal(k)}: {self.share_swapped:g}%")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def gdp_top_share(data: PublishedData, ranking: str = "overall_top100", *, k: int = 10) -> GdpTopShare:
    """The share of ``ranking``'s cities in the ``k`` provinces with the highest 2021 GDP, and what it would be
    with the (k+1)-th province in place of the k-th (the report's 64% rests on Shanghai being tenth, 0.6% ahead
    of Anhui).

    Examples
    --------
    >>> g = gdp_top_share(load_published_data())
    >>> g.share, g.kth, g.next, g.share_swapped
    (64.0, '上海市', '安徽省', 68.0)
    """
    data = _data(data)
    if not isinstance(ranking, str) or ranking not in data.rankings:
        raise ParameterError("ranking", f"one of {', '.join(map(repr, data.rankings))}", ranking)
    top = gdp_top_provinces(data.provinces, k)
    frame = data.rankings[ranking]
    share = share_in_provinces(frame, data.cities, top)
    ranked = data.provinces.sort_values("gdp_2021", ascending=False)
    kth, nxt = ranked.index[k - 1], ranked.index[k]
    swapped = [p for p in top if p != kth] + [nxt]
    names = data.provinces["province_en"].to_dict() if "province_en" in data.provinces else {}
    return GdpTopShare(provinces=top, share=share, kth=kth, next=nxt, gdp_kth=float(ranked.at[kth, "gdp_2021"]),
                       gdp_next=float(ranked.at[nxt, "gdp_2021"]),
                       share_swapped=share_in_provinces(frame, data.cities, swapped), names=names)


@dataclass(frozen=True)
class FocusCity:
    """One city's rank on every published list (:func:`focus_city`).

    Attributes
    ----------
    city : str
        As printed in the report.
    ranks : dict
        ``{ranking name: rank}``, ``None`` where the city is not listed.
    """

    city: str
    ranks: dict

    def table(self, lang: str = "en") -> pd.DataFrame:
        """The ranks as a one-column frame (``"not listed"`` where the city is outside a list); with ``"zh"``
        the lists by their Chinese names (:data:`LIST_NAMES`), column 名次, 未上榜 for not listed."""
        if _lang(lang) == "zh":
            return pd.Series({LIST_NAMES["zh"].get(k, k): (v if v is not None else "未上榜")
                              for k, v in self.ranks.items()}, name="名次").to_frame()
        return pd.Series({LIST_NAMES["en"].get(k, k).capitalize(): (v if v is not None else "not listed")
                          for k, v in self.ranks.items()}, name="Rank").to_frame()

    def describe(self, cities: pd.DataFrame, lang: str = "en") -> str:
        """``"<city_en> (<province_en>, <region_en>):"`` from the reference table (``"苏州市（江苏省，华东）："``
        with ``"zh"``)."""
        row = cities.loc[self.city]
        if _lang(lang) == "zh":
            return f"{self.city}（{row['province']}，{row['region']}）："
        return f"{row['city_en']} ({row['province_en']}, {row['region_en']}):"


def focus_city(data: PublishedData, city: str) -> FocusCity:
    """The rank of ``city`` on each published list.

    Raises
    ------
    ParameterError
        ``city`` is not a city of the reference table (the closest name is suggested).

    Examples
    --------
    >>> focus_city(load_published_data(), "苏州市").ranks["overall_top100"]
    10
    >>> focus_city(load_published_data(), "苏州")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: focus_city should be a city as printed in the report (did you mean '苏州市'?), but its value is '苏州'.
    """
    data = _data(data)
    if not isinstance(city, str):
        raise ParameterError("focus_city", "a city as printed in the report (a str such as '苏州市')", city)
    if city not in data.cities.index:
        hint = reference.suggest_city(city)
        raise ParameterError("focus_city", "a city as printed in the report" + (f" (did you mean {hint!r}?)" if hint
                                                                                  else ""), city)
    ranks = {name: (int(frame.loc[frame["city"] == city, "rank"].iloc[0]) if city in set(frame["city"]) else None)
             for name, frame in data.rankings.items()}
    return FocusCity(city=city, ranks=ranks)


def input_files(published_dir=None) -> list[Path]:
    """The files notebook 01 reads: every published table (of ``published_dir``, default the embedded
    ones) and every reference table, each group sorted by name.

    Examples
    --------
    >>> [p.name for p in input_files()][:2]
    ['claims.csv', 'framework.csv']
    """
    if published_dir is not None and not isinstance(published_dir, (str, os.PathLike)):
        raise ParameterError("published_dir", "a folder (a str or path-like) or None (the embedded tables)",
                             published_dir)
    folder = Path(published_dir) if published_dir else paths.PUBLISHED
    return sorted(folder.glob("*.csv")) + sorted(paths.REFERENCE.glob("*.csv"))
