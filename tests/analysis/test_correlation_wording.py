"""Notebook 02 in Chinese (issue 15): the conclusions, the assumptions of the headline test, the refused methods, the
ensemble's labels and the banner, from the same numbers as the English texts, which stay unchanged."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cityeval.analysis import correlation
from cityeval.analysis.correlation import (CorrelationTest, MethodSensitivity, coefficient_anatomy, implied_rho_curve,
                                           implied_rho_selected, implied_rho_unselected, part_whole_summary,
                                           simulate_selection)
from cityeval.errors import ParameterError

_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]{2,}){3,}")   # as tests/notebook/test_notebooks.py


def _findings(**extra):
    # the numbers of innovation_findings' own doctest
    head = CorrelationTest("pearson", 100, 0.36, float("nan"), float("nan"), 0.17, 0.51, 0.001, True)
    without = CorrelationTest("pearson", 100, 0.07, float("nan"), float("nan"), -0.16, 0.28, 0.47, True)
    pw = part_whole_summary(6, reported_r=0.7561, mean_rho_top=0.18, mean_rho_all=0.48, simulations={})
    sim = simulate_selection(6, rhos=[0.0, 0.5, 0.9], n_sim=50, seed=1)
    implied = {"unselected": implied_rho_unselected(0.7561, 6, n=293), "selected": implied_rho_selected(0.7561, sim),
               "curve": implied_rho_curve(0.7561, 6)}
    f6 = pd.DataFrame(np.random.default_rng(0).normal(size=(100, 6)), columns=["INF", "GOV", "LIV", "IND", "TEC", "LOW"])
    anatomy = coefficient_anatomy(f6.assign(INDEX=f6.mean(axis=1)), list(f6), "INDEX")
    grid = MethodSensitivity(pd.DataFrame({"minmax": [0.36, 0.39]}), {})
    return correlation.innovation_findings(head, without, pw, implied, sim, anatomy, grid, synthetic=True, **extra)


def test_conclusions_in_chinese_line_for_line_with_the_same_numbers():
    f = _findings()
    assert len(f.lines("zh")) == len(f.lines("en")) == len(f.conclusions)
    assert f.lines("en") == f.conclusions
    # 0.36 - 0.07 = 0.290, the drop the English line states (the doctest of innovation_findings)
    assert f.conclusions[3].startswith("Without TEC in the composite the coefficient is 0.070: it falls by 0.290")
    assert f.lines("zh")[3].startswith("综合指数去掉 TEC 后系数为 0.070：下降了 0.290")
    for en, zh in zip(f.conclusions, f.lines("zh")):
        assert re.search(r"[\u4e00-\u9fff]", zh) and not _ENGLISH_RUN.search(zh), zh
        # every number the English line quotes (3 decimals) is in the Chinese one
        assert set(re.findall(r"\d\.\d{3}", en)) <= set(re.findall(r"\d\.\d{3}", zh)), (en, zh)
    assert f.lines("zh")[0].startswith("在示意合成面板上，在 ")
    assert "自助法" in f.lines("zh")[0] and "bootstrap" not in "".join(f.lines("zh"))
    with pytest.raises(ParameterError, match="lang"):
        f.lines("fr")


def test_chinese_conclusions_quote_the_chinese_ensemble_ranges():
    names = ("r", "r_without", "part_whole_difference", "mean_rho", "r_all", "mean_rho_all", "x_mean_r_with_others",
             "others_mean_r", "spread_effect", "correlation_effect")
    f = _findings(ranges={n: f"{n}-EN" for n in names}, ranges_zh={n: f"{n}-中文" for n in names})
    assert "r-中文" in f.lines("zh")[-1] and "r-EN" not in " ".join(f.lines("zh"))
    assert "r-EN" in f.conclusions[-1] and "中文" not in " ".join(f.conclusions)
    assert "r_without-中文" in f.summary_zh and "r_without-EN" in f.summary


def test_headline_assumptions_english_unchanged_chinese_present():
    t = CorrelationTest("pearson", 100, 0.5, float("nan"), float("nan"), 0.3, 0.6, 0.001, True)
    # the English text before issue 15 (correlation_test_assumptions' doctest)
    assert correlation.correlation_test_assumptions(t)[1] == (
        "Fisher's interval is not given: cities selected by the composite are not a random sample from a bivariate "
        "normal population (the composite is truncated).")
    zh = correlation.correlation_test_assumptions(t, lang="zh")
    assert len(zh) == 3 and "100 座城市" in zh[0] and "Fisher 区间" in zh[1]
    assert all(not _ENGLISH_RUN.search(s) for s in zh)


def test_refused_methods_in_both_languages():
    refused = {"entropy/zscore": "values.csv, column 'x': entropy weights need values >= 0 (p_ij = x_ij / sum_i x_ij "
                                 "is a share); normalize to a non-negative range"}
    assert correlation.refused_text(refused) == "entropy/zscore: " + refused["entropy/zscore"]
    zh = correlation.refused_text(refused, "zh")
    assert zh.startswith("熵权法 × z 分数：不可行") and not _ENGLISH_RUN.search(zh)
    other = correlation.refused_text({"pca/rank": "something else went wrong here"}, "zh")
    assert other == "主成分分析 PCA × 排名：不可行，程序给出的原因：`something else went wrong here`"


def test_ensemble_chinese_labels_cover_every_statistic_and_conclusion():
    stats = correlation.EnsembleStatistics(n=100, n_total=293, reported_r=0.7561, x="TEC", method="pearson",
                                           no_association_q95=0.38, equal_weights=True)
    zh = stats.zh()
    assert set(stats.labels()) | set(stats.conclusions()) == set(zh)
    assert zh["r"] == "Pearson r(TEC, 综合指数)，前 100 座"
    assert all(re.search(r"[\u4e00-\u9fff]", v) and not _ENGLISH_RUN.search(v) for v in zh.values())
    assert stats.labels()["r"] == "pearson r(TEC, composite), top 100"   # English unchanged


def test_banner_in_both_languages():
    from cityeval.ccid2022.synthetic import BANNER
    from cityeval.notebook.panel import scored_panel

    panel = scored_panel("", top_n=10)
    assert correlation.banner(panel) == panel.banner == BANNER
    assert correlation.banner(panel, "zh").startswith("合成数据：") and "示意" in correlation.banner(panel, "zh")
