"""Notebook 06 in Chinese (issue 15): the conclusions, tables and ensemble labels from the same numbers as the
English texts, which stay unchanged."""
from __future__ import annotations

import pandas as pd

from cityeval.analysis import efficiency as E

IO = pd.DataFrame({"input": [2.0, 3.0, 6.0, 5.0], "outcome": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))


def _pieces(models=("crs",)):
    f = E.efficiency_frontier(IO, models=list(models), labels=list)
    s = E.separate_inputs(IO[["input"]], IO[["outcome"]], frontier=f, labels=list)
    stages = E.stage_means(IO, pd.Series([1, 1, 2, 2], index=IO.index), ["low", "high"])
    return E.input_outcome_regression(IO["input"], IO["outcome"]), f, s, stages


def test_chinese_conclusions_line_up_with_the_english_ones():
    reg, f, s, stages = _pieces()
    en = E.conclusions(reg, f, s, stages, None, synthetic=False)
    zh = E.conclusions_zh(reg, f, s, stages, None, synthetic=False)
    assert len(zh) == len(en)
    # the same numbers as the English doctest: CRS one efficient city (b), median efficiency 0.583
    assert en[1].startswith("DEA, input-oriented: CRS 1 efficient (b); its median efficiency 0.583")
    assert zh[1] == "DEA，投入导向：CRS 1 个有效（b）；其效率中位数 0.583 取决于 0–100 分制从哪里起算，所以这一水平不是发现。"
    assert zh[-2] == "未计算人均变体：该数据集没有人口协变量。"
    synthetic = E.conclusions_zh(reg, f, s, stages, None, synthetic=True)
    assert synthetic[0].startswith("在合成面板上（示意），前 4 名城市") and "（b）" not in synthetic[1]


def test_chinese_summary_and_translation_lines():
    reg, f, _, _ = _pieces(("crs", "vrs"))
    t = E.translation_dependence(IO, models=["crs", "vrs"])
    summary = E.fig8_summary_zh(reg, f, synthetic=True, translation=t, spread={"CRS 有效比例": "25%"})
    assert summary.startswith("示意（合成面板）：信息基础的成效对投入，前 4 名") and "集合范围：CRS 有效比例 25%。" in summary
    lines = E.translation_lines_zh(t)
    assert len(lines) == len(t.describe()) == 2
    assert lines[0].startswith("CRS 效率水平取决于 0–100 分制从哪里起算") and lines[1].startswith("VRS（投入导向）效率不取决于")


def test_ensemble_chinese_covers_every_label_and_conclusion():
    for models in (["crs"], ["vrs"], ["crs", "vrs"]):
        zh = E.ensemble_zh(models, shift=E.ENSEMBLE_SHIFT)
        assert set(zh) == set(E.ensemble_labels(models)) | set(E.ensemble_conclusions(models))


def test_tables_in_chinese():
    reg, f, _, _ = _pieces()
    named = E.named_cities(IO, f, named=["c"], labels=list)
    shown = E.shown_table(named.table, "zh", cities=lambda cs: [f"城{c}" for c in cs])
    assert list(shown.columns) == ["城市", "综合名次", "投入名次", "成效名次", "CRS 有效"]
    assert shown.iloc[0].tolist() == ["城c", 3, 1, 1, "否"]
    en = E.shown_table(named.table)   # issue 15: English headers are words too, booleans yes/no
    assert list(en.columns) == ["City", "Composite rank", "Input rank", "Outcome rank", "CRS efficient"]
    assert en.iloc[0].tolist() == ["c", 3, 1, 1, "no"]
    stages = E.shown_table(E.stage_means(IO, pd.Series([1, 1, 2, 2], index=IO.index),
                                         ["capability building", "innovative development"]), "zh")
    assert list(stages.index) == ["能力搭建", "创新发展"]
