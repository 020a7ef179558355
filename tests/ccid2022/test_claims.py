"""Recomputation of the report's countable claims."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from cityeval.ccid2022 import claims


@pytest.fixture(scope="module")
def data():
    return claims.load_published_data()


def test_every_recomputable_claim_has_a_recomputer_and_matches(data):
    marked = set(data.claims.index[data.claims["recomputable"]])
    assert marked == set(claims.RECOMPUTERS)
    table = claims.recompute_claims(data)
    assert table["match"].all(), table.loc[~table["match"]]
    assert len(table) == 15


def test_jiangsu_cities_by_hand(data):
    # Hand count from Table 3 with each city's province: the 12 Jiangsu cities of the top 100.
    by_hand = {"苏州市", "南京市", "无锡市", "扬州市", "常州市", "南通市", "徐州市", "泰州市", "盐城市",
               "宿迁市", "连云港市", "镇江市"}
    overall = data.rankings["overall_top100"]
    found = set(overall.loc[overall["city"].map(data.cities["province"]) == "江苏省", "city"])
    assert found == by_hand


def test_region_counts(data):
    counts = claims.count_by(data.rankings["overall_top100"], data.cities, "region")
    # Report text: East China 48; the order East China > Central-South > North China is the report's (Fig. 4).
    assert counts.index[:3].tolist() == ["华东", "中南", "华北"] and counts["华东"] == 48
    assert counts.sum() == 100


def test_gdp_top10(data):
    # NBS 2021 provincial GDP: Guangdong, Jiangsu, Shandong, Zhejiang, Henan, Sichuan, Hubei, Fujian, Hunan, Shanghai
    assert claims.gdp_top_provinces(data.provinces) == [
        "广东省", "江苏省", "山东省", "浙江省", "河南省", "四川省", "湖北省", "福建省", "湖南省", "上海市"]


def test_a_changed_table_breaks_the_match(data):
    # Swap the province of one Jiangsu top-100 city: the Jiangsu claim (12) must then fail.
    cities = data.cities.copy()
    cities.loc["宿迁市", "province"] = "安徽省"
    broken = dataclasses.replace(data, cities=cities)
    table = claims.recompute_claims(broken)
    assert not table.at["top100_jiangsu_count", "match"]
    assert table.at["top100_jiangsu_count", "computed"] == "11"


def test_count_by_rejects_unknown_column(data):
    with pytest.raises(ValueError, match="by should be a column"):
        claims.count_by(data.rankings["overall_top100"], data.cities, "prefecture")


def test_gdp_tie_at_boundary_is_an_error():
    prov = pd.DataFrame({"gdp_2021": [3.0, 2.0, 2.0]}, index=["a", "b", "c"])
    with pytest.raises(ValueError, match="tie at the top-2 boundary"):
        claims.gdp_top_provinces(prov, 2)


def test_share_in_provinces(data):
    overall = data.rankings["overall_top100"]
    # Report text: Jiangsu and Shandong have 12 cities each in the top 100 -> 24%
    assert claims.share_in_provinces(overall, data.cities, ["江苏省", "山东省"]) == 24
    assert claims.share_in_provinces(overall, data.cities, []) == 0
