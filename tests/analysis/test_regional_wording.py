"""Notebook 05 in Chinese (issue 15): the conclusions, the statements table and the ensemble's labels, from the same
numbers as the English texts, which stay unchanged."""
from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from cityeval.analysis import regional
from cityeval.analysis.regional import JonckheereTerpstraResult, NationalMeanResult
from cityeval.errors import ParameterError

DIMS = ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
NAMES = regional.display_names(DIMS + ["INDEX"], composite="INDEX")


def _results():
    p_kw = [0.01, 0.2, 0.03, 0.5, 0.5, 0.5, 0.01]
    holm_kw = multipletests(p_kw, method="holm")[1]         # statsmodels: [0.07, 0.8, 0.15, 1, 1, 1, 0.07]
    kw = {NAMES[d]: regional.KruskalWallisResult(1.0, p, 6, 100, e, 0.0, [], p_holm=float(h))
          for d, p, h, e in zip(DIMS + ["INDEX"], p_kw, holm_kw, [0.1, 0.3, 0, 0, 0, 0, 0.2])}
    jt = {NAMES[d]: JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.5, {}, p_holm=0.5) for d in DIMS}
    jt["Governance"] = JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.001, {}, p_holm=0.007)
    jt["Composite"] = JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.5, {}, p_holm=1.0)
    return kw, jt


def test_conclusions_in_chinese_say_what_the_english_lines_say():
    kw, jt = _results()
    checks = pd.DataFrame({"statement": list("abcd"), "holds on these data": [True, False, True, True]})
    found = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True)
    # the same counts as the English test (test_regional.py): 0 of 6 differ after Holm, 1 of 6 rise (Governance,
    # Holm p 0.007), 3 of 4 statements hold, largest effect 0.3 for Governance (城市治理)
    assert found.lines_zh[0] == ("在合成面板上（示意），6 个维度中有 0 个在区域间有差异（α = 0.05，Kruskal–Wallis，对 7 项"
                                 "检验做 Holm 校正；最大效应 ε² = 0.300，城市治理）。")
    assert found.lines_zh[1] == "6 个维度中有 1 个自西向东上升（α = 0.05，Jonckheere–Terpstra，对 7 项检验做 Holm 校正）。"
    assert found.lines_zh[2] == "报告的区域表述中 4 条有 3 条在本数据上成立。"
    assert len(found.lines_zh) == len(found.lines) == 5
    assert found.summary_zh.startswith("示意（合成面板）：6 个维度中 0 个在区域间有差异，1 个自西向东上升")
    # English unchanged and the Markdown of each language
    assert found.lines[2] == "3 of 4 of the report's regional statements hold on these data."
    assert found.text("en").splitlines()[2] == "* " + found.lines[2]
    assert found.text("zh").splitlines()[2] == "* " + found.lines_zh[2]
    with pytest.raises(ParameterError, match="^lang"):
        found.text("fr")
    real = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=False)
    assert not real.summary_zh.startswith("示意") and "示意" not in "".join(real.lines_zh)


def test_chinese_conclusions_with_the_ensemble_ranges_and_the_published_composite():
    kw, jt = _results()
    checks = pd.DataFrame({"statement": list("abcd"), "holds on these data": [True, False, True, True]})
    spread_zh = {"kw_dims": "甲", "jt_dims": "乙", "statements": "丙"}
    found = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True,
                                 spread={"kw_dims": "A", "jt_dims": "B", "statements": "C"}, spread_zh=spread_zh,
                                 composite="Composite", composite_published=True)
    assert "甲" in found.lines_zh[0] and "A" in found.lines[0] and "A" not in found.lines_zh[0]
    # Kruskal p 0.01: 7 x 0.01 >= 0.05, so its Holm verdict depends on the other tests (as in English)
    assert "Holm 校正后 Kruskal–Wallis 的结论还取决于各维度的检验" in found.lines_zh[3]
    assert found.summary_zh.endswith("由公布排名本身（非示意）：综合得分在区域间没有可检出的差异（Kruskal–Wallis p = 0.01，"
                                     "Holm 校正 0.07），没有可检出的自西向东上升（Jonckheere–Terpstra p = 0.5，Holm 校正 1）。")


def test_national_line_in_chinese_names_the_tested_direction():
    kw, jt = _results()
    checks = pd.DataFrame({"statement": ["s"], "holds on these data": [True]})
    below = {k: NationalMeanResult(-4.0, 0.01, 0.02, 5, 95, "less") for k in ("INF:西北", "INF:东北")}
    found = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=False, national=below)
    assert "西北在信息基础上是否低于全国均值" in found.lines_zh[3]
    assert found.lines_zh[3].endswith("“显著低于全国均值”在 α = 0.05 下成立（两项检验都须拒绝）。")


def test_statements_table_in_chinese_keeps_every_row_in_full():
    means = pd.DataFrame({"INF": [9, 8, 1, 2, 3, 4, 5], "GOV": [9, 1, 0, 2, 3, 4, 5], "LIV": [1, 2, 3, 9, 8, 7, 5],
                          "IND": [1, 2, 3, 4, 5, 9, 5], "TEC": [1, 2, 3, 4, 5, 9, 5], "LOW": [1, 9, 3, 4, 5, 6, 5]},
                         index=["华东", "西南", "西北", "东北", "中南", "华北", "national"], dtype=float)
    jt = {"Infrastructure": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.01, {}, p_holm=0.03)}
    below = {k: NationalMeanResult(-4.0, 0.01, 0.02, 5, 95, "less") for k in ("INF:西北", "INF:东北")}
    table = regional.report_statements(means, jt, dims=["INF"], names={"INF": "Infrastructure"}, alpha=0.05,
                                       national=below)
    shown = regional.statements_shown(table, dims=["INF"], names={"INF": "Infrastructure"}, alpha=0.05, lang="zh")
    assert list(shown.columns) == ["报告的表述", "在本数据上成立", "判定依据"]
    assert shown.iloc[1, 0] == "信息基础：西北、东北显著低于全国均值（单侧置换检验，两者各 p < 0.05）"
    assert shown.iloc[-1, 0] == "信息基础：东高西低（Jonckheere–Terpstra 检验，Holm 校正后 p < 0.05）"
    assert set(shown["在本数据上成立"]) == {"是"} and len(shown) == len(table) == 9
    # English: the same rows, the headers in words and Yes/No for the booleans (issue 15)
    en = regional.statements_shown(table, dims=["INF"], names={}, alpha=0.05)
    assert list(en.columns) == ["The report's statement", "Holds on these data", "Basis"]
    assert en.iloc[:, 0].equals(table["statement"]) and set(en["Holds on these data"]) <= {"Yes", "No"}


def test_ensemble_chinese_covers_every_label_and_conclusion():
    labels = regional.ensemble_labels(n_dims=6, n_perm=500, alpha=0.05)
    texts = regional.ensemble_conclusions(alpha=0.05, n_dims=6)
    zh = regional.ensemble_zh(n_dims=6, n_perm=500, alpha=0.05)
    assert set(zh) == set(labels) | set(texts)
    assert zh["jt_dims"] == "自西向东上升的维度数（Jonckheere–Terpstra，Holm 校正后 p < 0.05，500 次置换），共 6 个"


def test_integer_ticks_find_the_chinese_titles():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stats = regional.RegionalStatistics(dims=["INF"], composite="INDEX", regions=["华东"], alpha=0.05, n_perm=9, seed=0)
    fig, ax = plt.subplots()
    ax.set_title(regional.ensemble_zh(n_dims=1, n_perm=9, alpha=0.05)["jt_dims"], loc="left")
    assert type(stats.integer_ticks(fig).axes[0].xaxis.get_major_locator()).__name__ == "MaxNLocator"
    plt.close(fig)
