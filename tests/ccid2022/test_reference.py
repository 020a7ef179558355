"""Reference tables: the embedded files pass their rules; bad files trip them."""
from __future__ import annotations

import pandas as pd
import pytest

from cityeval import paths
from cityeval.ccid2022 import published
from cityeval.ccid2022 import reference
from cityeval.errors import DataError


def test_cities_cover_every_published_city():
    cities = reference.default_cities()
    named = set()
    for name in published.RANKINGS:
        named |= set(published.load_ranking(name)["city"])
    named |= set(published.load_one_thing_cities()["city"])
    # issue 2: 117 cities appear in the published tables; the reference holds exactly those
    assert len(named) == 117
    assert set(cities.index) == named


def test_provinces():
    prov = reference.load_provinces()
    assert len(prov) == 31  # mainland provincial-level divisions
    # NBS 2021: Guangdong had the highest GDP (124,369.7 亿元), Tibet the lowest (2,080.2)
    assert prov["gdp_2021"].idxmax() == "广东省" and prov["gdp_2021"].idxmin() == "西藏自治区"


def test_known_facts_about_cities():
    c = reference.default_cities()
    # report appendix: 江苏 is 华东 / 东部 / 长三角; 石家庄 is 京津冀; 重庆 is 西南 / 西部
    assert (c.at["苏州市", "region"], c.at["苏州市", "zone"], c.at["苏州市", "yangtze_delta"]) == ("华东", "东部", True)
    assert c.at["石家庄市", "jingjinji"] and not c.at["苏州市", "jingjinji"]
    assert (c.at["重庆市", "region"], c.at["重庆市", "admin_level"]) == ("西南", "municipality")
    assert c.at["苏州市", "adcode"] == 320500  # GB/T 2260


@pytest.mark.parametrize("city", ["苏州", "Suzhou", "suzhou", "苏洲市"])
def test_suggest_city(city):
    assert reference.suggest_city(city) == "苏州市"


def _copy_with(tmp_path, name, edit):
    frame = pd.read_csv(paths.REFERENCE / name, dtype=str, keep_default_na=False)
    edit(frame)
    out = tmp_path / name
    frame.to_csv(out, index=False, lineterminator="\n")
    return out


@pytest.mark.parametrize("edit, pattern", [
    (lambda f: f.__setitem__("adcode", f["adcode"].where(f["city"] != "苏州市", "339900")),
     r"column 'adcode': adcode does not start with its province's two digits.*苏州市"),
    (lambda f: f.__setitem__("region", f["region"].where(f["city"] != "苏州市", "华北")),
     r"column 'region': region disagrees with provinces.csv.*苏州市"),
    (lambda f: f.__setitem__("latitude", f["latitude"].where(f["city"] != "苏州市", "91")),
     r"column 'latitude': value above the allowed range"),
    (lambda f: f.__setitem__("jingjinji", f["jingjinji"].where(f["city"] != "苏州市", "yes")),
     r"column 'jingjinji': value not allowed; expected one of true, false"),
    (lambda f: f.__setitem__("admin_level", f["admin_level"].where(f["city"] != "苏州市", "county")),
     r"column 'admin_level': value not allowed"),
])
def test_bad_cities(tmp_path, edit, pattern):
    path = _copy_with(tmp_path, "cities.csv", edit)
    with pytest.raises(DataError, match=pattern):
        reference.load_cities(path)


def test_bad_province_gdp(tmp_path):
    path = _copy_with(tmp_path, "provinces.csv", lambda f: f.__setitem__("gdp_2021", f["gdp_2021"].where(f.index != 0, "n/a")))
    with pytest.raises(DataError, match=r"line 2, column 'gdp_2021': not a number"):
        reference.load_provinces(path)
