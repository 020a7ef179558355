"""Tests of cityeval.ccid2022.claims: the report's countable claims recomputed from its published tables.

Expected values are hand counts on the published tables (each test says which), the report's own text, and
the National Bureau of Statistics' 2021 provincial GDP (data/reference/provinces.csv).
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from cityeval import paths
from cityeval.ccid2022 import claims
from cityeval.errors import DataError, ParameterError


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
    # a bad argument: a ParameterError (a plain ValueError before), with the message it always had
    with pytest.raises(ParameterError, match=r"^by should be a column of the city table \(city_en, province"):
        claims.count_by(data.rankings["overall_top100"], data.cities, "prefecture")


def test_gdp_tie_at_boundary_is_a_data_error():
    # the data do not define a top 2: a DataError naming the column (a plain ValueError before)
    prov = pd.DataFrame({"gdp_2021": [3.0, 2.0, 2.0]}, index=["a", "b", "c"])
    with pytest.raises(DataError, match="column 'gdp_2021': provinces b and c tie at the top-2 boundary"):
        claims.gdp_top_provinces(prov, 2)


@pytest.mark.parametrize("k", [0, 3, 1.0, True, "1"])
def test_gdp_top_k_must_be_a_whole_number_in_range(k):
    prov = pd.DataFrame({"gdp_2021": [3.0, 2.0, 1.0]}, index=["a", "b", "c"])
    with pytest.raises(ParameterError, match="^k should be a whole number between 1 and 2"):
        claims.gdp_top_provinces(prov, k)


def test_a_recomputable_claim_without_recomputer_is_a_data_error(data):
    extra = data.claims.iloc[:1].rename(index={data.claims.index[0]: "new_claim"}).assign(recomputable=True)
    broken = dataclasses.replace(data, claims=pd.concat([data.claims, extra]))
    with pytest.raises(DataError, match="recomputable.*'new_claim'"):
        claims.recompute_claims(broken)


# ---------------------------------------------------------------- notebook 01's other readings
def test_gdp_top_share_and_its_boundary(data):
    g = claims.gdp_top_share(data)
    # report text: 64% of the top 100 in the ten highest-GDP provinces; the tenth is Shanghai (43,214.9 亿元)
    # and the eleventh Anhui (42,959.2); with Anhui instead: Shanghai has 1 top-100 city, Anhui 5 -> 64 - 1 + 5
    assert g.share == 64 and g.provinces == claims.gdp_top_provinces(data.provinces)
    assert (g.kth, g.next, g.share_swapped) == ("上海市", "安徽省", 68)
    assert g.describe_boundary() == ("10th: Shanghai (43,214.9), 11th: Anhui (42,959.2); share with the 11th "
                                     "instead of the 10th: 68%")
    assert g.describe().startswith("Ten highest-GDP provinces: Guangdong, Jiangsu,")
    with pytest.raises(ParameterError, match="^ranking should be"):
        claims.gdp_top_share(data, "overall_top10")


def test_focus_city(data):
    # Suzhou's ranks as printed: Table 3 rank 10, Table 4 rank 12, Table 5 rank 29, Table 7 rank 16
    focus = claims.focus_city(data, "苏州市")
    assert focus == claims.FocusCity("苏州市", {"overall_top100": 10, "infrastructure_top100": 12,
                                               "governance_top50": 29, "healthcare_top20": 16})
    assert focus.describe(data.cities) == "Suzhou (Jiangsu, East China):"
    # Weihai is on Table 3 only (it is not in the healthcare top 20): None there, shown as "not listed"
    other = claims.focus_city(data, "威海市")
    assert other.ranks["healthcare_top20"] is None and other.table().at["Healthcare top 20", "Rank"] == "not listed"
    assert other.table("zh").at["数字医疗20强", "名次"] == "未上榜"   # the list's name in the report (Table 7)
    assert isinstance(other.ranks["overall_top100"], int)


@pytest.mark.parametrize("city, hint", [("苏州", "苏州市"), ("Suzhou", "苏州市"), ("Atlantis", None)])
def test_focus_city_not_in_the_report_is_a_parameter_error_with_a_hint(data, city, hint):
    expect = rf"^focus_city should be a city as printed in the report \(did you mean '{hint}'\?\)" if hint \
        else r"^focus_city should be a city as printed in the report, but"
    with pytest.raises(ParameterError, match=expect):
        claims.focus_city(data, city)


def test_records_summary_and_inputs(data):
    table = claims.recompute_claims(data)
    records = claims.claims_records(table)
    assert list(records.columns) == ["id", "stated", "computed", "match"] and len(records) == 15
    assert claims.claims_summary(table, claims.gdp_top_share(data)) == (
        "15 of 15 recomputable claims match the published tables (e.g. Jiangsu and Shandong 12 each, "
        "East China 48, top-10 GDP provinces 64%).")
    # claims.csv: 40 claims, 15 recomputable
    assert len(claims.not_recomputable(data)) == 25
    assert data.ranking_sizes() == {"overall_top100": 100, "infrastructure_top100": 100, "governance_top50": 50,
                                    "healthcare_top20": 20}
    files = claims.input_files()
    assert paths.PUBLISHED / "claims.csv" in files and paths.REFERENCE / "cities.csv" in files
    assert all(f.suffix == ".csv" for f in files)


def test_share_in_provinces(data):
    overall = data.rankings["overall_top100"]
    # Report text: Jiangsu and Shandong have 12 cities each in the top 100 -> 24%
    assert claims.share_in_provinces(overall, data.cities, ["江苏省", "山东省"]) == 24
    assert claims.share_in_provinces(overall, data.cities, []) == 0


# ---------------------------------------------------------------- review findings 8 and 10: bad input is named
@pytest.mark.parametrize("provinces", ["江苏省", "江苏省山东省", b"x", None, 3])
def test_share_in_provinces_refuses_a_string_or_a_non_sequence(data, provinces):
    # finding 10: "江苏省" was iterated as its characters 江, 苏, 省 and gave 0.0
    with pytest.raises(ParameterError, match="^provinces should be a sequence of province names"):
        claims.share_in_provinces(data.rankings["overall_top100"], data.cities, provinces)


@pytest.mark.parametrize("provinces, unknown", [(["江苏"], "江苏"), (["江苏省", "Jiangsu"], "Jiangsu"),
                                                (["山东省", "火星省", "x"], "火星省")])
def test_share_in_provinces_refuses_an_unknown_province_naming_it(data, provinces, unknown):
    # finding 10: an unknown (misspelt) province counted 0 cities silently
    overall = data.rankings["overall_top100"]
    with pytest.raises(ParameterError, match=f"^provinces should be provinces of the city table.*{unknown}"):
        claims.share_in_provinces(overall, data.cities, provinces)
    # 西藏自治区 is in provinces.csv but none of its cities is in cities.csv: a true 0, not a misspelling;
    # a tuple or a generator of provinces works as a list does (by hand: Jiangsu 12 of 100)
    assert claims.share_in_provinces(overall, data.cities, ["西藏自治区"]) == 0
    assert claims.share_in_provinces(overall, data.cities, ("江苏省",)) == 12
    assert claims.share_in_provinces(overall, data.cities, (p for p in ["江苏省"])) == 12


@pytest.mark.parametrize("published_dir", [3, 1.5, True, ["data"], b"data"])
def test_load_published_data_refuses_a_folder_that_is_not_a_path(published_dir):
    # finding 8: load_published_data(3) raised TypeError (0 and False loaded the embedded tables)
    with pytest.raises(ParameterError, match="^published_dir should be a folder"):
        claims.load_published_data(published_dir)
    with pytest.raises(ParameterError, match="^published_dir should be a folder"):
        claims.input_files(published_dir)


@pytest.mark.parametrize("fn", ["count_by", "share_in_provinces"])
@pytest.mark.parametrize("which, bad", [("ranking", None), ("ranking", ["北京市"]), ("ranking", pd.DataFrame({"x": [1]})),
                                        ("cities", None), ("cities", "cities.csv")])
def test_the_table_arguments_must_be_tables(data, fn, which, bad):
    # finding 8: count_by(None, ...) raised TypeError
    args = {"ranking": data.rankings["overall_top100"], "cities": data.cities, which: bad}
    extra = ["江苏省"] if fn == "share_in_provinces" else []
    with pytest.raises(ParameterError, match=f"^{which} should be a pandas DataFrame"):
        getattr(claims, fn)(args["ranking"], args["cities"], *extra)


@pytest.mark.parametrize("by", [None, ["province"], 3])
def test_count_by_by_must_be_a_column_name(data, by):
    with pytest.raises(ParameterError, match="^by should be a column of the city table"):
        claims.count_by(data.rankings["overall_top100"], data.cities, by)


@pytest.mark.parametrize("provinces", [None, [1, 2], pd.DataFrame({"gdp": [1.0, 2.0]})])
def test_gdp_top_provinces_needs_the_province_table(provinces):
    with pytest.raises(ParameterError, match="^provinces should be a pandas DataFrame with the column"):
        claims.gdp_top_provinces(provinces, 1)


@pytest.mark.parametrize("fn", ["recompute_claims", "not_recomputable", "gdp_top_share", "focus_city"])
@pytest.mark.parametrize("bad", [{}, "data", 3])
def test_the_study_functions_need_published_data(fn, bad):
    args = ("苏州市",) if fn == "focus_city" else ()
    with pytest.raises(ParameterError, match="^data should be a PublishedData"):
        getattr(claims, fn)(bad, *args)


@pytest.mark.parametrize("city", [None, ["苏州市"], 3])
def test_focus_city_must_be_a_string(data, city):
    with pytest.raises(ParameterError, match="^focus_city should be a city as printed in the report"):
        claims.focus_city(data, city)


@pytest.mark.parametrize("ranking", [None, ["overall_top100"], "overall"])
def test_gdp_top_share_ranking_must_be_a_published_ranking(data, ranking):
    with pytest.raises(ParameterError, match="^ranking should be one of 'overall_top100'"):
        claims.gdp_top_share(data, ranking)
