"""Loading the published tables: the embedded files pass, every load-time rule has a bad file that trips it."""
from __future__ import annotations

import pytest

from cityeval.ccid2022 import published
from cityeval.errors import DataError, ParameterError

RANK_N = {"overall_top100": 100, "infrastructure_top100": 100, "governance_top50": 50, "healthcare_top20": 20}


@pytest.mark.parametrize("name", list(RANK_N))
def test_embedded_rankings_load(name):
    frame = published.load_ranking(name)
    # lengths as printed in the report's table titles (Tables 3, 4, 5, 7)
    assert frame["rank"].tolist() == list(range(1, RANK_N[name] + 1))
    assert frame["city"].is_unique


def test_table5_out_of_order_layout_recorded_by_rank():
    # Report, Table 5: the middle column prints "33 长沙市" before "32 嘉兴市".
    gov = published.load_ranking("governance_top50").set_index("rank")["city"]
    assert gov[32] == "嘉兴市" and gov[33] == "长沙市"


def test_report_heads_and_tails():
    # Report, Table 3 first and last rows; Table 7 row 20.
    overall = published.load_ranking("overall_top100").set_index("rank")["city"]
    assert (overall[1], overall[2], overall[3], overall[100]) == ("北京市", "上海市", "深圳市", "平顶山市")
    assert published.load_ranking("healthcare_top20").set_index("rank")["city"][20] == "中山市"


def test_framework_shape():
    fw = published.load_framework()
    # Report, Table 2: 6 first-level, 18 second-level indicators; 10 input (投入), 8 outcome (成效) rows.
    assert (fw["level"] == 1).sum() == 6 and (fw["level"] == 2).sum() == 18
    assert fw.loc[fw["level"] == 2, "measure"].value_counts().to_dict() == {"input": 10, "outcome": 8}
    assert fw.at["LIV_HEALTH", "name_zh"] == "数字医健" and fw.at["LIV_HEALTH", "measure"] == "outcome"


def test_one_thing_and_claims_load():
    # Report, Table 6: 4 municipalities + 7 Zhejiang + 12 Jiangsu + 2 + 2 + 1 + 1 + 1 = 30 cities.
    assert len(published.load_one_thing_cities()) == 30
    claims = published.load_claims()
    assert claims.index.is_unique and claims["recomputable"].dtype == bool


def test_unknown_ranking_name():
    with pytest.raises(ParameterError, match="name should be one of overall_top100"):
        published.load_ranking("overall_top10")


def _write(tmp_path, text, name="bad.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def _healthcare(rows):
    return "rank,city\n" + "".join(f"{r},{c}\n" for r, c in rows)


GOOD20 = [(r, c) for r, c in published.load_ranking("healthcare_top20").itertuples(index=False)]


@pytest.mark.parametrize("text, pattern", [
    ("rank,city,score\n1,北京市,9\n", r"line 1.*header should be rank,city"),
    (_healthcare(GOOD20[:19] + [(20, "")]), r"line 21, column 'city': blank cell"),
    (_healthcare(GOOD20[:19] + [("20.5", "中山市")]), r"line 21, column 'rank': rank must be a whole number"),
    (_healthcare(GOOD20[:19] + [(21, "中山市")]), r"line 21, column 'rank': ranks must be exactly 1..20"),
    (_healthcare(GOOD20[:19]), r"ranks must be exactly 1..20.*missing \[20\]"),
    (_healthcare(GOOD20[:19] + [(19, "中山市")]), r"line 21, column 'rank': duplicate value"),
    (_healthcare(GOOD20[:19] + [(20, "北京市")]), r"line 21, column 'city': duplicate value.*北京市"),
    (_healthcare(GOOD20[:19] + [(20, "中山")]), r"line 21, column 'city': unknown city.*did you mean '中山市'"),
    ("", r"file is empty"),
    ("rank,city\n", r"header but no data rows"),
])
def test_bad_ranking_files(tmp_path, text, pattern):
    path = _write(tmp_path, text)
    with pytest.raises(DataError, match=pattern) as info:
        published.load_ranking("healthcare_top20", path=path)
    assert str(path) in str(info.value)


def test_bom_and_gbk_and_missing(tmp_path):
    text = _healthcare(GOOD20)
    with pytest.raises(DataError, match="byte-order mark"):
        published.load_ranking("healthcare_top20", path=_write(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    with pytest.raises(DataError, match="not valid UTF-8; it decodes as GBK"):
        published.load_ranking("healthcare_top20", path=_write(tmp_path, text, encoding="gbk"))
    with pytest.raises(DataError, match="file not found"):
        published.load_ranking("healthcare_top20", path=tmp_path / "nope.csv")
    # the same rows, well encoded, load: the errors above come from the encoding alone
    assert len(published.load_ranking("healthcare_top20", path=_write(tmp_path, text))) == 20


FW_HEAD = "code,level,parent,name_zh,name_en,measure\n"


@pytest.mark.parametrize("rows, pattern", [
    ("A,1,,甲,A,\nA,2,A,乙,B,input\n", r"line 3, column 'code': duplicate value"),
    ("A,3,,甲,A,\n", r"line 2, column 'level': level must be 1"),
    ("A,1,,甲,A,\nB,2,Z,乙,B,input\n", r"line 3, column 'parent': parent must be the code of a level-1"),
    ("A,1,,甲,A,\nB,2,A,乙,B,投入量\n", r"line 3, column 'measure': measure must be input or outcome \(or 投入 or 成效"),
    ("A,1,,甲,A,\nB,2,A,乙,B,\n", r"line 3, column 'measure': measure is blank"),
    ("A,1,,甲,A,\nB,2,,乙,B,input\n", r"line 3, column 'parent': parent is blank"),
    ("A,1,,甲,A,input\n", r"line 2, column 'measure': a level-1 indicator has no measure"),
    ("A,1,,,A,\n", r"line 2, column 'name_zh': blank cell"),
])
def test_bad_framework_files(tmp_path, rows, pattern):
    with pytest.raises(DataError, match=pattern):
        published.load_framework(path=_write(tmp_path, FW_HEAD + rows))


def test_bad_one_thing_province(tmp_path):
    path = _write(tmp_path, "province,city\n浙江省,杭州市\n江苏省,宁波市\n")
    with pytest.raises(DataError, match=r"line 3, column 'province': province disagrees.*宁波市.*浙江省"):
        published.load_one_thing_cities(path=path)


def test_bad_claims_recomputable(tmp_path):
    head = ",".join(published.CLAIM_COLUMNS) + "\n"
    path = _write(tmp_path, head + "x,甲,a,1,cities,Table 3,maybe\n")
    with pytest.raises(DataError, match=r"line 2, column 'recomputable': recomputable must be yes or no"):
        published.load_claims(path=path)


# ---------------------------------------------------------------- review finding 8: options are checked
@pytest.mark.parametrize("check_reference", [1, 0, "yes", None, "False"])
def test_check_reference_must_be_a_bool(check_reference):
    # finding 8: load_ranking(check_reference=1) was accepted (and 0 or "" skipped the check silently)
    for call in (lambda: published.load_ranking("overall_top100", check_reference=check_reference),
                 lambda: published.load_rankings(check_reference=check_reference),
                 lambda: published.load_one_thing_cities(check_reference=check_reference)):
        with pytest.raises(ParameterError, match="^check_reference should be True or False"):
            call()


@pytest.mark.parametrize("path", [3, ["a.csv"], True])
def test_path_must_be_a_path(path):
    # Path(3) raised TypeError
    for call in (lambda: published.load_ranking("overall_top100", path=path),
                 lambda: published.load_framework(path=path), lambda: published.load_one_thing_cities(path=path),
                 lambda: published.load_claims(path=path)):
        with pytest.raises(ParameterError, match="^path should be a file path"):
            call()


@pytest.mark.parametrize("name", [None, ["overall_top100"], 3])
def test_a_ranking_name_that_is_not_a_string(name):
    # a list raised TypeError (unhashable) from the membership test
    with pytest.raises(ParameterError, match="^name should be one of overall_top100"):
        published.load_ranking(name)


# ---- issue 14, section 5: traditional-Chinese names and physical line numbers in the published tables
def test_traditional_city_name_gets_the_simplified_suggestion(tmp_path):
    # the issue: 廣州市 was answered "did you mean '郴州市'?"; zhconv's zh-cn form is 广州市 (Table 7 row 3)
    text = _healthcare(GOOD20).replace("\n3,广州市", "\n3,廣州市")
    assert "廣州市" in text
    with pytest.raises(DataError, match=r"line 4, column 'city': unknown city \('廣州市' is not in "
                                        r"data/reference/cities\.csv; did you mean '广州市'\?\)"):
        published.load_ranking("healthcare_top20", path=_write(tmp_path, text))


def test_line_numbers_after_a_blank_line_and_a_multi_line_cell(tmp_path):
    # header line 1, blank line 2, the 20 rows on lines 3-22; rank 7 (row 7) is on line 9
    text = _healthcare(GOOD20).replace("rank,city\n", "rank,city\n\n").replace("\n7,", "\nseven,")
    with pytest.raises(DataError, match=r"line 9, column 'rank': rank must be a whole number"):
        published.load_ranking("healthcare_top20", path=_write(tmp_path, text))
    claims = (published.paths.PUBLISHED / "claims.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    first = claims[1].split(",", 2)
    claims[1] = f'{first[0]},"{first[1]}\n(continued)",{first[2]}'       # row 1's statement on lines 2-3
    claims[2] = claims[2].replace(claims[2].split(",")[0] + ",", claims[1].split(",")[0] + ",", 1)
    with pytest.raises(DataError, match=r"line 4, column 'id': duplicate value"):
        published.load_claims(path=_write(tmp_path, "".join(claims)))


def test_a_ranking_row_with_a_missing_field_names_its_line(tmp_path):
    text = _healthcare(GOOD20).replace(f"12,{dict(GOOD20)[12]}\n", "12\n")
    with pytest.raises(DataError, match=r"line 13: a row must have as many fields as the header \(expected 2 "
                                        r"fields, found 1"):
        published.load_ranking("healthcare_top20", path=_write(tmp_path, text))


def test_framework_measure_in_the_reports_words_or_any_case(tmp_path):
    # Table 2 tags the indicators 投入/成效: read as input/outcome (issue 14: the old message refused 投入 while
    # naming it as the accepted word)
    frame = published.load_framework(path=_write(tmp_path, FW_HEAD + "A,1,,甲,A,\nB,2,A,乙,B,投入\nC,2,A,丙,C, Outcome \n"))
    assert frame.loc[["B", "C"], "measure"].tolist() == ["input", "outcome"]
