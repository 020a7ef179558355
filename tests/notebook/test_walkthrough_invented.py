"""Invented teaching data are "invented", not "synthetic" (session 16, item 3), and notebook 00's tables read in
Chinese with lang zh (item 4).

Expected values: the files as written (data/examples/lesson and toy say ``"invented": true``; the synthetic panel
data/synthetic/ccid2022 does not), and the Chinese headers of cityeval.notebook._walkthrough_names.HEADERS.
"""
from __future__ import annotations

import json
import re

import pytest

from cityeval import paths
from cityeval.composite.comparison import compare_methods
from cityeval.composite.dataset import INVENTED_BANNER, SYNTHETIC_BANNER, load_dataset
from cityeval.composite.method import resolve_method
from cityeval.errors import ParameterError

LESSON = paths.DATA / "examples" / "lesson"
TOY = paths.DATA / "examples" / "toy"
PANEL = paths.DATA / "synthetic" / "ccid2022"


@pytest.mark.parametrize("folder", [LESSON, TOY], ids=["lesson", "toy"])
def test_the_teaching_folders_are_invented_and_still_illustrative(folder):
    ds = load_dataset(folder)
    assert ds.invented and ds.synthetic          # "synthetic" keeps meaning "the numbers are illustrative"
    assert ds.banner == INVENTED_BANNER == "illustrative numbers: invented data"
    assert json.loads((folder / "method.json").read_text(encoding="utf-8"))["synthetic"] is True


def test_the_synthetic_panel_is_synthetic_not_invented():
    ds = load_dataset(PANEL)
    assert ds.synthetic and not ds.invented and ds.banner == SYNTHETIC_BANNER


@pytest.mark.parametrize("record, received", [
    ({"invented": "yes", "synthetic": True}, "'yes'"),
    ({"invented": True}, 'no "synthetic" key'),
    ({"invented": True, "synthetic": False}, '"synthetic": false'),
])
def test_the_invented_key_is_checked_in_one_line(record, received):
    with pytest.raises(ParameterError) as info:
        resolve_method(record)
    text = str(info.value)
    assert text.startswith("method.invented should be") and received in text and "\n" not in text, text


def test_invented_false_and_real_data_print_no_invented_banner():
    assert resolve_method({"invented": False})["invented"] is False
    ds = load_dataset(LESSON).with_method({"synthetic": True, "invented": False})
    assert ds.banner == SYNTHETIC_BANNER and not ds.invented


def test_the_pages_say_invented_and_the_panel_synthetic():
    from cityeval.notebook.walkthrough import conclusion, data_kind

    lesson = load_dataset(LESSON)
    cmp = compare_methods(lesson, None, {"t": {"none": {"treat": {"method": "none"}}}})
    assert data_kind(lesson) == "invented" and cmp.summary().startswith("Illustrative numbers on invented data: ")
    assert conclusion(cmp).startswith("Illustrative (invented teaching data).")
    # a copy of the lesson elsewhere is still invented (the key decides, not the path)
    panel = load_dataset(PANEL)
    assert data_kind(panel) == "panel"


# ----------------------------------------------------------------------------- item 4: tables in Chinese
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _english(labels, allowed=("CI", "CR", "GDP", "5G", "λmax", "n")):
    return [str(x) for x in labels if _LATIN_WORD.search(str(x)) and not any(a in str(x) for a in allowed)]


def test_the_final_ranking_and_treatment_tables_have_chinese_headers_and_booleans():
    from cityeval.composite.pipeline import run
    from cityeval.notebook.walkthrough import reader_table

    lesson = load_dataset(LESSON)
    cmp = compare_methods(lesson, None, {"t": {"none": {"treat": {"method": "none"}}}})
    final = reader_table(cmp.table(), lesson, "zh")
    assert list(final.columns) == ["数字城市指数得分", "排名", "数字基础设施排名", "数字经济排名", "数字服务排名"]
    assert final.index.name == "城市" and final.index[0] == "琥珀田"
    treatment = reader_table(run(lesson).treatment[["skew", "kurt", "failed", "action", "n_winsorised",
                                                    "units_changed"]], lesson, "zh")
    assert _english(treatment.columns) == [] and _english(treatment.index) == [] and treatment.index.name == "指标"
    assert set(treatment["不合格"]) == {"是", "否"}
    assert treatment.at["每万人5G基站数", "受影响的城市"] == "港湾城"
    assert treatment.at["每万人5G基站数", "处理方式"] == "缩尾处理"
    tree = lesson.indicators.drop(columns=["name_zh", "name_en"])
    tree.insert(0, "code", tree.index)
    shown = reader_table(tree, lesson, "zh")
    assert _english(shown.columns) == [] and "投入" in set(shown["类型"]) and "数字基础设施" in set(shown["父节点"])
    values = reader_table(lesson.values.drop(columns=["name_zh"]), lesson, "zh")
    assert _english(values.columns) == [] and set(values["区域"]) == {"东部", "西部"}


def test_the_english_tables_name_codes_too():
    from cityeval.notebook.walkthrough import reader_table

    lesson = load_dataset(LESSON)
    cmp = compare_methods(lesson, None, {"t": {"none": {"treat": {"method": "none"}}}})
    assert list(reader_table(cmp.table(), lesson).columns) == [
        "Digital city index score", "rank", "rank on Digital infrastructure", "rank on Digital economy",
        "rank on Digital services"]
