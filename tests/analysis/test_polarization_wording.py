"""Notebook 04 in Chinese (issue 15), and what it says when a data folder has no GDP per capita (item 8)."""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from cityeval.analysis import polarization as P
from cityeval.errors import ParameterError

matplotlib.use("Agg")

X = [1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0]
POWER = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
                      "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0],
                      "mixture_lrt": [0.05, 0.9, 1.0], "n": 100})


def test_a_folder_without_covariates_says_which_comparisons_are_skipped_and_why(tmp_path):
    for lang, words in (("en", ["Skipped", "covariates.csv", "gdp_per_capita", "Figs. 13 and 14", "Pearson",
                                "\"With GDP per capita\"", "section 6", "To run the comparisons"]),
                        ("zh", ["已跳过", "covariates.csv", "gdp_per_capita", "图 13、图 14", "Pearson",
                                "“与人均 GDP”", "第 6 节", "要做这些比较"])):
        text = P.skipped_comparisons(tmp_path, None, lang=lang)
        assert str(tmp_path) in text and all(w in text for w in words), (lang, text)
        assert P.covariate_source(tmp_path, None, synthetic=False, lang=lang) == text
    assert P.skipped_comparisons(tmp_path, pd.Series([1.0]), lang="zh") == ""
    assert P.covariate_source(tmp_path, pd.Series([1.0]), synthetic=False) == \
        P.describe_covariate(tmp_path, pd.Series([1.0]), synthetic=False)   # English as before
    with pytest.raises(ParameterError, match="^lang"):
        P.skipped_comparisons(tmp_path, None, lang="de")


def test_findings_carry_a_chinese_conclusion_and_summary():
    s = P.bimodality_summary(X, seed=0, n_boot=19)
    f = P.healthcare_findings(s, s, power=POWER, needed=P.separations_for_power(POWER), alpha=0.05, synthetic=True,
                              data_path="data/x")
    # English unchanged (the doctest of healthcare_findings pins the same ending)
    assert f.summary.split("; ")[-1] == ("the dip test needs two equal groups d ≈ 3.5 within-group SDs (1.7 total "
                                         "SDs) apart for 80% power at n = 8.")
    assert f.text("en") == f.conclusion
    zh = f.text("zh")
    assert zh == f.conclusion_zh and zh.startswith("**在这个合成面板上（示意性数字，不是赛迪的得分）**，前 8 名城市：")
    # the dip test rejects on these two clusters (p = 0.002, the doctest of bimodality_verdict)
    assert "Hartigan 单峰性检验在 α = 0.05 下拒绝单峰性（p = 0.002，D = 0.188）" in zh
    assert "* **与人均 GDP：**未计算——该数据文件夹中没有带 `gdp_per_capita` 列的 `covariates.csv`。" in zh
    assert f.summary_zh.startswith("示意（一个合成面板，即基准面板；不是赛迪的得分）：LIV_HEALTH Hartigan 单峰性检验 p = ")
    assert f.summary_zh.endswith("在 n = 8 时，Hartigan 单峰性检验需要两个等大小的组相距 d ≈ 3.5 个组内标准差（总体标准差 1.7）才有 80% 的功效。")
    real = P.healthcare_findings(s, s, power=POWER, needed=P.separations_for_power(POWER), alpha=0.05,
                                 synthetic=False, data_path="data/x", spread_zh=None)
    assert "示意" not in real.conclusion_zh and "data/x" in real.conclusion_zh


def test_tables_and_figures_in_chinese():
    s = P.bimodality_summary(X, seed=0, n_boot=19)
    shown = P.shown_table(P.criteria_table({"LIV_HEALTH": s}), "zh")
    assert list(shown.columns) == ["数字医健"] and "Hartigan 单峰性检验 p 值" in shown.index and "双峰系数 BC（5/9 = 0.556）" in shown.index
    # English pages: the same numbers, the score named in words and the convergence flag as Yes/No (issue 15)
    en = P.shown_table(P.criteria_table({"LIV_HEALTH": s}))
    assert list(en.columns) == ["Digital healthcare"] and not any(isinstance(v, (bool, np.bool_)) for v in en.iloc[:, 0])
    assert "GMM: EM converged (tolerance 1e-08)" in en.index and en.loc["GMM: EM converged (tolerance 1e-08)"].iloc[0] in ("Yes", "No")
    from cityeval.notebook.style import use_style
    use_style("zh")   # the packaged CJK font, as a notebook's set-up cell does
    fig = P.plot_distribution(pd.Series(X), s, label="数字医健", title="八个城市", lang="zh")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "城市数" and ax.texts[0].get_text().startswith("Hartigan 单峰性检验 D = 0.188，p = 0.002")
    # fix2a: the glossary's term (倾角 is an inclination angle), and the statistics box beside the bars, not on them
    assert "倾角" not in ax.texts[0].get_text() and ax.texts[0].get_position()[0] > 1
    # the legend sits outside the axes (right of it), off the bars
    assert ax.get_legend().get_bbox_to_anchor().x0 >= ax.get_window_extent().x1 - 1
    use_style("en")
    en = P.plot_distribution(pd.Series(X), s, label="Score", title="Eight cities")
    assert en.axes[0].get_ylabel() == "number of cities"
    import matplotlib.pyplot as plt
    plt.close("all")


def test_ensemble_chinese_covers_every_label_and_conclusion():
    for gdp in (False, True):
        zh = P.ensemble_zh(alpha=0.05, gdp=gdp)
        assert set(zh) == set(P.ensemble_labels(gdp=gdp)) | set(P.ensemble_conclusions(alpha=0.05, gdp=gdp))
    assert P.score_names("zh") == {"LIV_HEALTH": "数字医健（LIV_HEALTH）", "LIV_LIFE": "数字生活（LIV_LIFE）"}


def test_power_texts_in_chinese():
    nulls = pd.DataFrame({"null": ["normal", "log-normal (σ = 0.5)"], "skewness": [0.0, 1.75], "dip_test": [0.0, 0.0],
                          "bimodality_coefficient": [0.0, 0.1], "gmm_bic": [0.02, 0.9], "mixture_lrt": [0.05, 0.95],
                          "n": 100, "n_sim": 500, "fits_unconverged": 0})
    text = P.null_statement_zh(nulls)
    assert "对数正态（σ = 0.5）（偏度 1.75）：Hartigan 单峰性检验 0%，BC > 5/9 10%，高斯混合 BIC 90%，自助似然比检验 95%" in text
    power = POWER.assign(fits_unconverged=0, n_sim=10)
    assert P.convergence_note_zh(power, nulls, {}, tol=1e-8).startswith("所有混合模型拟合均已收敛")
    needed = P.separations_for_power(POWER)
    reading = P.power_reading_zh(POWER, needed, nulls=nulls)
    assert reading.startswith("**能：**") and reading.endswith("应先要求看到得分和检验。")
