"""The transcription checked twice.

1. Against a second, independent manual transcription committed in
   ``tests/fixtures/second_transcription/`` (made by another person from the report,
   without seeing ours; its layout differs on purpose).
2. Against the report text itself, parsed programmatically (needs ``../shared/``).
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from cityeval import paths
from cityeval.ccid2022 import published
from markers import requires_report

SECOND = paths.ROOT / "tests" / "fixtures" / "second_transcription"
MEASURE_ZH = {"投入": "input", "成效": "outcome"}


@pytest.mark.parametrize("name", list(published.RANKINGS))
def test_rankings_match_second_transcription(name):
    ours = published.load_ranking(name)
    theirs = pd.read_csv(SECOND / f"{name}.csv", dtype={"rank": "int64", "city": str})
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)


def test_framework_matches_second_transcription():
    fw = published.load_framework()
    level2 = fw[fw["level"] == 2]
    theirs = pd.read_csv(SECOND / "framework.csv", dtype=str)
    assert level2["name_zh"].tolist() == theirs["level2_zh"].tolist()
    assert level2["parent"].map(fw["name_zh"]).tolist() == theirs["level1_zh"].tolist()
    assert level2["measure"].tolist() == theirs["measure_zh"].map(MEASURE_ZH).tolist()


def test_one_thing_matches_second_transcription():
    theirs = pd.read_csv(SECOND / "one_thing_cities.csv", dtype=str)
    pd.testing.assert_frame_equal(published.load_one_thing_cities().reset_index(drop=True), theirs, check_dtype=False)


def _report_table(text, start, end):
    i = text.index(start)
    j = text.index(end, i)
    rows = {}
    for line in text[i:j].splitlines():
        cells = [c.strip() for c in line.split("\t")]
        for k in range(0, len(cells) - 1, 2):
            if cells[k].isdigit() and cells[k + 1]:
                rows[int(cells[k])] = cells[k + 1]
    return pd.DataFrame({"rank": sorted(rows), "city": [rows[r] for r in sorted(rows)]})


# where each table starts and ends in the report text
TABLE_BOUNDS = {
    "overall_top100": ("表3 2022数字城市百强", "数据来源"),
    "infrastructure_top100": ("2022城市新型信息基础百强", "数据来源"),
    "governance_top50": ("2022城市数字治理50强\n\n排名", "数据来源"),
    "healthcare_top20": ("2022城市数字医疗综合能力20强", "注：本排名"),
}


@pytest.fixture(scope="module")
def report_text():
    return paths.REPORT_TEXT.read_text(encoding="utf-8")


@requires_report
@pytest.mark.parametrize("name", list(TABLE_BOUNDS))
def test_rankings_match_report_text(report_text, name):
    parsed = _report_table(report_text, *TABLE_BOUNDS[name])
    pd.testing.assert_frame_equal(published.load_ranking(name), parsed, check_dtype=False)


@requires_report
def test_framework_matches_report_text(report_text):
    block = report_text[report_text.index("表2 2022数字城市评价体系"):]
    block = block[:block.index("数据来源")]
    rows, current = [], None
    for line in block.splitlines():
        cells = line.split("\t")
        if len(cells) == 4 and cells[0].isdigit():
            current = cells[1] or current
            rows.append((current, cells[2], MEASURE_ZH[cells[3].strip()]))
    fw = published.load_framework()
    level2 = fw[fw["level"] == 2]
    assert rows == list(zip(level2["parent"].map(fw["name_zh"]), level2["name_zh"], level2["measure"]))


@requires_report
def test_one_thing_matches_report_text(report_text):
    block = report_text[report_text.index("表6 2022"):]
    block = block[block.index("城市\n") + 3:block.index("数据来源")]
    printed = re.findall(r"[\u4e00-\u9fff]+市", block)
    assert printed == published.load_one_thing_cities()["city"].tolist()


@requires_report
def test_every_published_city_is_printed_in_the_report(report_text):
    for name in published.RANKINGS:
        for city in published.load_ranking(name)["city"]:
            assert city in report_text, (name, city)
