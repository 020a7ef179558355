"""City and province reference tables (``data/reference/``).

``cities.csv`` holds every city named in a published table (117), with its
province, the report appendix's regions (常规地区), zones (四大地带) and hot
regions, its administrative level, adcode and coordinates. ``provinces.csv``
holds the 31 provincial-level divisions with their 2021 GDP, so that "the ten
provinces with the highest GDP" is computed, not typed. The data dictionary is
``data/reference/README.md``.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.errors import DataError
from cityeval.files import line_of, read_csv_checked, require_cells

__all__ = ["load_cities", "load_provinces", "REGIONS", "ZONES", "HOT_REGIONS", "ADMIN_LEVELS", "suggest_city", "simplified"]

#: The report appendix's 常规地区 (conventional regions) with English names, in the appendix's order.
REGIONS = {"华北": "North China", "东北": "Northeast", "华东": "East China",
           "中南": "Central-South", "西南": "Southwest", "西北": "Northwest"}
#: The appendix's 四大地带 (four zones).
ZONES = {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast"}
#: The appendix's 热点地区 (hot regions): boolean columns of cities.csv.
HOT_REGIONS = {"yangtze_delta": "长江三角洲地区", "bohai_rim": "环渤海地区",
               "pan_pearl_delta": "泛珠三角", "jingjinji": "京津冀地区"}
ADMIN_LEVELS = ("municipality", "sub-provincial", "provincial capital", "prefecture-level")

CITY_COLUMNS = ["city", "city_en", "province", "province_en", "region", "region_en", "zone", "zone_en",
                *HOT_REGIONS, "admin_level", "adcode", "longitude", "latitude"]
PROVINCE_COLUMNS = ["province", "province_en", "region", "region_en", "zone", "zone_en", "gdp_2021",
                    "gdp_source", "adcode"]


def _check_allowed(frame, path, column, allowed):
    bad = frame.index[~frame[column].isin(list(allowed))]
    if len(bad):
        raise DataError(path, f"value not allowed; expected one of {', '.join(map(str, allowed))}",
                        row=line_of(bad[0], frame), column=column, detail=f"found {frame.at[bad[0], column]!r}")


def _check_unique(frame, path, column):
    dup = frame.index[frame[column].duplicated()]
    if len(dup):
        raise DataError(path, "duplicate value; each must appear once", row=line_of(dup[0], frame), column=column,
                        detail=f"{str(frame.at[dup[0], column])!r} appears again")


def _to_number(frame, path, column, *, integer=False, lo=None, hi=None):
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.index[values.isna()]
    if len(bad):
        raise DataError(path, "not a number", row=line_of(bad[0], frame), column=column,
                        detail=f"found {frame.at[bad[0], column]!r}")
    if integer and not (values == values.round()).all():
        i = frame.index[values != values.round()][0]
        raise DataError(path, "not a whole number", row=line_of(i, frame), column=column, detail=f"found {frame.at[i, column]!r}")
    for bound, test, word in ((lo, values < (lo if lo is not None else 0), "below"),
                              (hi, values > (hi if hi is not None else 0), "above")):
        if bound is not None and test.any():
            i = frame.index[test][0]
            raise DataError(path, f"value {word} the allowed range [{lo}, {hi}]", row=line_of(i, frame), column=column,
                            detail=f"found {frame.at[i, column]!r}")
    return values.astype("int64") if integer else values.astype(float)


def _to_bool(frame, path, column):
    _check_allowed(frame, path, column, ("true", "false"))
    return frame[column].eq("true")


def load_provinces(path=None) -> pd.DataFrame:
    """Load ``provinces.csv``: the 31 provincial-level divisions.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``province`` (e.g. ``江苏省``), columns ``province_en, region, region_en, zone,
        zone_en, gdp_2021`` (亿元, float), ``gdp_source``, ``adcode`` (int).

    Raises
    ------
    DataError
        Naming the file, line and rule for a malformed table.
    """
    path = Path(path) if path is not None else paths.REFERENCE / "provinces.csv"
    frame = read_csv_checked(path, columns=PROVINCE_COLUMNS)
    require_cells(frame, path, PROVINCE_COLUMNS)
    _check_unique(frame, path, "province")
    _check_allowed(frame, path, "region", REGIONS)
    _check_allowed(frame, path, "zone", ZONES)
    frame["gdp_2021"] = _to_number(frame, path, "gdp_2021", lo=0)
    frame["adcode"] = _to_number(frame, path, "adcode", integer=True, lo=110000, hi=659999)
    _check_unique(frame, path, "adcode")
    return frame.set_index("province")


def load_cities(path=None, *, provinces_path=None) -> pd.DataFrame:
    """Load ``cities.csv``: every city named in a published table.

    Each city's province must be in ``provinces.csv``, with the same region and
    zone, and its adcode must start with the province's two digits.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``city`` as printed in the report (e.g. ``苏州市``); the hot-region
        columns are booleans, ``adcode`` an int, ``longitude``/``latitude`` floats.
    """
    path = Path(path) if path is not None else paths.REFERENCE / "cities.csv"
    provinces = load_provinces(provinces_path)
    frame = read_csv_checked(path, columns=CITY_COLUMNS)
    require_cells(frame, path, CITY_COLUMNS)
    _check_unique(frame, path, "city")
    _check_allowed(frame, path, "province", provinces.index)
    _check_allowed(frame, path, "admin_level", ADMIN_LEVELS)
    for col in HOT_REGIONS:
        frame[col] = _to_bool(frame, path, col)
    frame["adcode"] = _to_number(frame, path, "adcode", integer=True, lo=110000, hi=659999)
    _check_unique(frame, path, "adcode")
    frame["longitude"] = _to_number(frame, path, "longitude", lo=73.0, hi=136.0)
    frame["latitude"] = _to_number(frame, path, "latitude", lo=18.0, hi=54.0)
    for col in ("region", "zone", "province_en"):
        expected = frame["province"].map(provinces[col])
        bad = frame.index[frame[col] != expected]
        if len(bad):
            i = bad[0]
            raise DataError(path, f"{col} disagrees with provinces.csv for this city's province", row=line_of(i, frame),
                            column=col, detail=f"{frame.at[i, 'city']}: {frame.at[i, col]!r} vs {expected[i]!r}")
    prefix = frame["province"].map(provinces["adcode"]) // 10000
    bad = frame.index[frame["adcode"] // 10000 != prefix]
    if len(bad):
        i = bad[0]
        raise DataError(path, "adcode does not start with its province's two digits", row=line_of(i, frame),
                        column="adcode", detail=f"{frame.at[i, 'city']}: {frame.at[i, 'adcode']}")
    return frame.set_index("city")


@lru_cache(maxsize=1)
def _default_cities() -> pd.DataFrame:
    return load_cities()


def default_cities() -> pd.DataFrame:
    """The embedded ``cities.csv`` (cached; a copy is returned)."""
    return _default_cities().copy()


def simplified(name: str) -> str:
    """``name`` in simplified Chinese characters (``廣州市`` → ``广州市``), by zhconv's ``zh-cn`` conversion.

    Names in the report and in ``cities.csv`` are in simplified characters; a name typed or exported in
    traditional characters (Hong Kong, Taiwan, a Big5 file) is matched through this form.

    >>> simplified("廣州市"), simplified("蘇州")
    ('广州市', '苏州')
    """
    import zhconv

    return zhconv.convert(str(name), "zh-cn")


def suggest_city(name: str, cities=None) -> str | None:
    """The reference city closest to ``name``, or None.

    Tried in order: the name in simplified characters (``廣州市`` → ``广州市``), with ``市`` added
    (``苏州`` → ``苏州市``, ``蘇州`` → ``苏州市``), the English name (``Suzhou`` → ``苏州市``), then the
    closest spelling of the simplified name (difflib).

    >>> suggest_city("廣州市"), suggest_city("蘇州"), suggest_city("Suzhou")
    ('广州市', '苏州市', '苏州市')
    """
    cities = default_cities() if cities is None else cities
    name = str(name).strip()
    simple = simplified(name)
    for candidate in dict.fromkeys((name, simple)):
        if candidate != name and candidate in cities.index:
            return candidate
        if candidate + "市" in cities.index:
            return candidate + "市"
    by_en = {en.lower(): zh for zh, en in cities["city_en"].items()}
    if name.lower() in by_en:
        return by_en[name.lower()]
    match = difflib.get_close_matches(simple, list(cities.index), n=1, cutoff=0.5) or \
        difflib.get_close_matches(name.lower(), list(by_en), n=1, cutoff=0.8)
    if not match:
        return None
    return by_en.get(match[0], match[0])
