"""Recompute the report's countable claims from its published tables.

Every claim in ``claims.csv`` marked ``recomputable = yes`` has a function here
that derives it from the rank tables and the reference data alone. The
comparison rule is written beside each function (equality of counts, of city
lists, or a threshold where the report's wording is qualitative).

Examples
--------
>>> from cityeval.ccid2022.claims import recompute_claims
>>> table = recompute_claims()
>>> bool(table["match"].all())
True
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cityeval.ccid2022 import published
from cityeval.ccid2022 import reference
from cityeval.errors import DataError

__all__ = ["PublishedData", "load_published_data", "count_by", "gdp_top_provinces", "recompute_claims",
           "share_in_provinces", "RECOMPUTERS"]


@dataclass
class PublishedData:
    """Everything the recomputation reads: the published tables and the reference tables."""

    rankings: dict
    framework: pd.DataFrame
    one_thing: pd.DataFrame
    claims: pd.DataFrame
    cities: pd.DataFrame
    provinces: pd.DataFrame


def load_published_data(published_dir=None) -> PublishedData:
    """Load and validate every published and reference table.

    Parameters
    ----------
    published_dir : path-like, optional
        A folder holding the published tables under the embedded names (``overall_top100.csv``, ...,
        ``claims.csv``), e.g. your own transcription; default (``None`` or ``""``) the embedded
        ``data/published/ccid2022``. The reference tables are always the embedded ones.
    """
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
    """
    if by not in cities.columns:
        raise ValueError(f"by should be a column of the city table ({', '.join(cities.columns)}), but its value is {by!r}.")
    counts = ranking["city"].map(cities[by]).value_counts()
    frame = counts.rename_axis(by).reset_index(name="count")
    frame = frame.sort_values(["count", by], ascending=[False, True], kind="stable")
    return frame.set_index(by)["count"]


def gdp_top_provinces(provinces: pd.DataFrame, k: int = 10) -> list:
    """The ``k`` provinces with the highest 2021 GDP (``provinces.csv``), highest first."""
    ranked = provinces.sort_values("gdp_2021", ascending=False, kind="stable")
    if ranked["gdp_2021"].iloc[k - 1] == ranked["gdp_2021"].iloc[k]:
        raise ValueError(f"provinces {ranked.index[k - 1]} and {ranked.index[k]} tie at the top-{k} boundary")
    return list(ranked.index[:k])


def share_in_provinces(ranking: pd.DataFrame, cities: pd.DataFrame, provinces) -> float:
    """Percentage of the cities of ``ranking`` whose province is in ``provinces``."""
    return float(100 * ranking["city"].map(cities["province"]).isin(list(provinces)).mean())


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
    data = data or load_published_data()
    rows = []
    for cid, claim in data.claims[data.claims["recomputable"]].iterrows():
        if cid not in RECOMPUTERS:
            raise KeyError(f"claims.csv marks {cid!r} recomputable but cityeval.ccid2022.claims has no recomputer for it")
        computed, match = RECOMPUTERS[cid](data)
        rows.append({"id": cid, "statement_en": claim["statement_en"], "location": claim["location"],
                     "stated": claim["stated_value"], "computed": computed, "match": bool(match)})
    return pd.DataFrame(rows).set_index("id")
