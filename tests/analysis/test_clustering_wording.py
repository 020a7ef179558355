"""Notebook 03 in Chinese (issue 15): the conclusion, the clusterability and band sentences, the leaders and weighting
notes, the method names and the ensemble's labels, from the same numbers as the English texts, which stay
unchanged. Expected values: the planted three blobs of tests/analysis/planted.py (10 sd apart: every criterion picks
3, every ARI 1), as in test_clustering_findings.py."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from cityeval.analysis import clustering as stages
from cityeval.errors import ParameterError
from planted import planted

_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]{2,}){3,}")   # as tests/notebook/test_notebooks.py
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _chinese(text):
    plain = re.sub(r"`[^`]*`|\$[^$]*\$", " ", text)
    return bool(_HAN.search(plain)) and not _ENGLISH_RUN.search(plain)


@pytest.fixture(scope="module")
def found():
    frame, _ = planted(0)
    labels = stages.cluster(frame, k=3)
    evidence = stages.choose_k(frame, range(1, 5), n_refs=5)
    verdict = stages.three_stage_verdict(frame, evidence, algorithm="kmeans", n_boot=10, seed=0, standardize=True)
    by_alg = stages.agreement({a: stages.cluster(frame, k=3, algorithm=a) for a in stages.ALGORITHMS})
    weightings = stages.WeightingAgreement({}, pd.DataFrame(), {}, {"pca": "ValueError: refused"})
    clusterable = stages.clusterability(frame, n_sim=19)
    bands = stages.composite_bands(frame, labels, frame.mean(axis=1))
    f = stages.stage_findings(verdict=verdict, evidence=evidence, evidence_uniform=evidence,
                              stability=stages.bootstrap_stability(frame, k=3, n_boot=10), ari_algorithms=by_alg,
                              weightings=weightings, labels=labels, composite=frame.mean(axis=1),
                              leaders=stages.LeadersCheck([], None, "skipped"), algorithm="kmeans",
                              dimension_names=pd.Series({"INF": "infra", "GOV": "gov", "TEC": "tech"}),
                              synthetic=True, data_path="data/x", clusterability=clusterable, bands=bands,
                              mixtures=stages.mixture_fits(frame, range(1, 5)))
    return f, clusterable, bands


def test_conclusion_in_chinese_paragraph_for_paragraph(found):
    f, clusterable, bands = found
    en, zh = f.text("en").split("\n\n"), f.text("zh").split("\n\n")
    assert f.text("en") == f.conclusion and f.text("zh") == f.conclusion_zh
    assert len(en) == len(zh)
    # the English stays as test_clustering_findings.py pins it; the Chinese says the same verdict and reason
    assert en[0].startswith("**On this synthetic panel (illustrative numbers), three stages are supported.** Reason: 3 of 3")
    assert zh[0].startswith("**在这一合成面板上（示意数值），三阶段得到支持。** 理由：3 个准则中有 3 个选出 k = 3")
    assert zh[1] == clusterable.text("zh") and zh[4] == bands.text("zh")
    assert zh[-1] == "略去的赋权方案：主成分分析 PCA（`ValueError: refused`）。"
    assert all(_chinese(p) for p in zh), [p for p in zh if not _chinese(p)]
    for e, z in zip(en, zh):   # every two-decimal number of the English is in the Chinese
        assert set(re.findall(r"\d\.\d\d\b", e)) <= set(re.findall(r"\d\.\d\d\b", z)), (e, z)
    with pytest.raises(ParameterError, match="lang"):
        f.text("de")


def test_clusterability_and_bands_sentences(found):
    _, clusterable, bands = found
    assert clusterable.text() == clusterable.sentence and bands.text() == bands.sentence
    assert clusterable.sentence.startswith("Clusterability, before any k is chosen: the dip test on the first principal")
    assert clusterable.text("zh").startswith("可聚类性（在选择任何 k 之前）：第一主成分（占方差 ")
    assert "单峰性 dip 检验" in clusterable.text("zh") and "有超出单一点云的结构证据" in clusterable.text("zh")
    assert bands.text("zh").startswith("聚类是综合指数的分段") and "100% 的城市" in bands.text("zh")
    assert _chinese(clusterable.text("zh")) and _chinese(bands.text("zh"))


def test_notes_of_leaders_and_weightings():
    skipped = stages.LeadersCheck([], None, "The dataset has no dimensions named 信息基础 and 城市治理: skipped.")
    assert skipped.message() == skipped.note
    assert skipped.message("zh").startswith("数据集中没有名为信息基础和城市治理的维度")
    found = stages.LeadersCheck(["INF", "GOV"], pd.DataFrame(), "")
    assert found.message() == "Leading dimensions: INF, GOV"          # the English the notebook printed before
    assert found.message("zh", {"INF": "信息基础", "GOV": "城市治理"}) == "领先维度：INF 信息基础、GOV 城市治理"
    w = stages.WeightingAgreement({"equal": pd.Series([1, 2, 3])}, pd.DataFrame(), {"equal": 3, "entropy": 2},
                                  {"critic": "DataError: no"})
    assert w.note_in() == w.note == ("weighting 'critic' could not be used and is left out: DataError: no\n"
                                     "Cities of this panel's top 3 still in the top 3 under each weighting: "
                                     "{'equal': 3, 'entropy': 2}")
    assert w.note_in("zh") == ("赋权方案 CRITIC 无法使用，已略去：`DataError: no`\n"
                               "在各赋权方案下，本面板前 3 座城市中仍在前 3 座的：等权 3，熵权法 2")


def test_method_names_and_ensemble_labels():
    assert [stages.algorithm_name(a, "zh") for a in stages.ALGORITHMS] == ["k 均值聚类", "Ward 层次聚类", "高斯混合模型"]
    assert [stages.algorithm_name(a) for a in stages.ALGORITHMS] == list(stages.ALGORITHMS)
    assert {stages.covariance_name(m, "zh") for m in stages.COVARIANCE_TYPES} == {"完全协方差", "共享协方差", "对角协方差",
                                                                                 "球形协方差"}
    assert [stages.weighting_name(w, "zh") for w in ("entropy", "cv", "critic", "std", "pca", "equal")] == [
        "熵权法", "变异系数法", "CRITIC", "标准差法", "主成分分析 PCA", "等权"]
    stats = stages.EnsembleStatistics(ks=[1, 2, 3, 4, 5, 6], algorithm="kmeans", seed=0, standardize=True)
    zh = stats.zh()
    assert set(zh) == set(stats.labels()) | set(stats.conclusions())
    assert zh["the dip test on PC1 rejects unimodality (p < 0.025)"] == "第一主成分上的 Hartigan 单峰性检验拒绝单峰（p < 0.025）"
    assert all(_chinese(v) for v in zh.values()), [v for v in zh.values() if not _chinese(v)]
    assert "bootstrap" not in " ".join(zh.values())


def test_stage_labels_in_chinese():
    # the report's stage names (cityeval.analysis.clustering.stage_names(3, lang="zh"))
    assert stages.stage_labels([1, 2, 3], k=3, lang="zh") == ["1. 能力搭建阶段", "2. 效能驱动阶段", "3. 创新发展阶段"]
    assert stages.stage_labels([1, 3], k=3) == ["1. capability building", "3. innovative development"]
