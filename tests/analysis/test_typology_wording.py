"""Tests of notebook 07's words in English and Chinese (cityeval.analysis.typology's type_name, rule_text_zh,
statements_text, readings_text, checks_table, rule_table, statistics_zh, typology_summary_zh).

Where the expected values come from: the hand-made five-city case of tests/analysis/test_typology.py (its English
texts are pinned there): the English outputs must equal the study's own texts, each Chinese one must carry the same
numbers, and no Chinese text may keep English words (``cityeval.notebook.style.english_words``, the check of the
Chinese pages).
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from cityeval.analysis import typology
from cityeval.errors import ParameterError
from cityeval.notebook.style import english_words

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
META = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展", "总"]}, index=["LOW", "E", "D", "ALL"])
ALL = pd.DataFrame({"LOW": [5.0, 4, 3, 2, 1], "E": [4.0, 3, 1, 2, 9], "D": [4.0, 1, 2, 3, 9],
                    "ALL": [4.0, 1, 2, 3, 5]}, index=list("abcde"))


@pytest.fixture(scope="module")
def study():
    s = typology.lowcarbon_typology(ALL, META, composite="ALL", top_n=4, top_k_overall=2)
    return s, typology.report_statements(s)


def _numbers(text):
    return sorted(float(x) for x in NUMBER.findall(text.replace("−", "-")))


def test_type_names():
    assert [typology.type_name(k) for k in typology.TYPES] == list(typology.TYPES.values())
    assert [typology.type_name(k, "zh") for k in typology.TYPES] == ["起步型", "成长型", "成效型", "发展先行型（报告中没有）"]
    with pytest.raises(ParameterError, match="kind"):
        typology.type_name("starting")


@pytest.mark.parametrize("q, reference, n", [(0.5, "classified", None), (0.3, "all", 293), (0.5, "all", None)])
def test_rule_text_zh_carries_the_numbers(q, reference, n):
    en, zh = typology.rule_text(q, reference, n), typology.rule_text_zh(q, reference, n)
    assert _numbers(zh) == _numbers(en) and english_words(zh) == []


def test_statements_text_in_each_language(study):
    s, st = study
    en = typology.statements_text(s, st)
    assert en.splitlines() == [typology.describe_statements(s, st), st.rule.describe()]
    zh = typology.statements_text(s, st, lang="zh")
    # the numbers of the two lines survive (the English "ρ" and "×" lines keep theirs too)
    for e, z in zip(en.splitlines(), zh.splitlines()):
        assert _numbers(z) == _numbers(e), (e, z)
    assert [w for w in english_words(zh) if w != "Jaccard"] == []
    assert "无论数据如何都由规则固定" in zh   # the first statement is fixed by the median rule (test_typology.py)


def test_readings_text_in_each_language(study):
    s, _ = study
    readings = typology.majority_readings(s, n_draws=20)
    assert typology.readings_text(readings) == "\n".join(readings.sentences())
    zh = typology.readings_text(readings, lang="zh")
    assert len(zh.splitlines()) == len(readings.sentences())
    assert [w for w in english_words(zh) if w not in ("dev", "eco")] == []
    for e, z in zip(readings.sentences(), zh.splitlines()):
        assert set(NUMBER.findall(z)) <= set(NUMBER.findall(e)) | {"1", "2"}, (e, z)


def test_checks_and_rule_tables_in_chinese(study):
    _, st = study
    en = typology.checks_table(st, top_k_overall=2)   # issue 15: English headers and rows are words, yes/no
    assert list(en.columns) == ["Testable under this rule", "Holds on these data"]
    assert en.index[1] == "The overall top 2 are all effective" and list(en.iloc[1:, 1]) == ["no", "yes", "no"]
    zh = typology.checks_table(st, top_k_overall=2, lang="zh")
    assert list(zh.columns) == ["该规则下可检验", "在这些数据上成立"]
    assert zh.iloc[0, 1] == "无法检验：由规则决定为不成立" and list(zh.iloc[1:, 1]) == ["否", "是", "否"]
    assert all("2" in name for name in zh.index[1:])
    rule = typology.rule_table(st.rule, lang="zh")
    assert list(rule.index)[-1] == "起步型 + 成长型" and rule["最小"].tolist() == st.rule.table()["min"].tolist()


def test_statistics_zh_names_every_statistic_and_conclusion():
    stats = typology.TypologyStatistics(top_n=60, top_k_overall=5, quantile=0.3, n_units=293)
    zh = typology.statistics_zh(stats)
    assert set(zh) == set(stats.labels()) | set(stats.conclusions())
    assert all(english_words(text) == [] for text in zh.values())
    assert "0.3 分位数" in zh["majority_share_all"] and "前 5 名" in zh["top_k_effective"]


def test_typology_summary_zh_carries_the_english_numbers(study):
    s, st = study
    alt = typology.lowcarbon_typology(ALL, META, composite="ALL", top_n=4, top_k_overall=2, reference="all")
    alt_st = typology.report_statements(alt)
    en = typology.typology_summary(s, st, synthetic=True, alternative=(alt, alt_st))
    zh = typology.typology_summary_zh(s, st, synthetic=True, alternative=(alt, alt_st),
                                      spread={"成效型的占比": "25%（3 组示意数据的 5–95%：20%–30%）"})
    assert zh.startswith("示意（合成数据）：") and zh.endswith("集合范围：成效型的占比 25%（3 组示意数据的 5–95%：20%–30%）。")
    assert _numbers(zh.split("集合范围")[0]) == _numbers(en)
    with pytest.raises(ParameterError, match="spread"):
        typology.typology_summary_zh(s, st, synthetic=True, spread={"a": 1})
