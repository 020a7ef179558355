"""Tests of notebook 08's words in English and Chinese (cityeval.analysis.concentration's caption, weak_share_text,
statistics_zh, innovation_summary_zh, summary_ranges, ensemble_run_text) and of its figure in Chinese.

Where the expected values come from: the study's own English texts (pinned by tests/analysis/test_concentration.py):
the English outputs must equal them, and each Chinese text must carry the same numbers. The figure's Chinese words
are checked with ``cityeval.notebook.style.english_words`` (the check of the Chinese pages).
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from cityeval.analysis import concentration
from cityeval.errors import ParameterError
from cityeval.notebook.style import english_words

NUMBER = re.compile(r"\d+(?:\.\d+)?")
META = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["每万人高新技术企业数", "技术合同成交额占GDP比重", "c", "技术创新"],
                     "direction": [1, 1, 1, 1], "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
                     "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])


@pytest.fixture(scope="module")
def study():
    scores = pd.DataFrame({"TEC": [5.0, 4.0, 3.0, 2.0, 1.0]}, index=["北京市", "上海市", "x", "y", "z"])
    raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0, 3.0], "t": [1.0, 2.0, 3.0, 4.0, 6.0]}, index=scores.index)
    return concentration.innovation_study(scores, raw, raw * 10, META, top_n=5, subject_code="s", transfer_code="t",
                                          n_resamples=999)


def _numbers(text):
    return sorted(NUMBER.findall(text))


@pytest.mark.parametrize("synthetic", [True, False])
def test_the_english_captions_are_the_studys(study, synthetic):
    for name in ("frame", "indicators", "concentration", "statements", "floors"):
        assert concentration.caption(study, name, synthetic=synthetic) == study.table_caption(name, synthetic=synthetic)
    assert concentration.caption(study, "intervals", synthetic=synthetic) == study.interval_caption(synthetic=synthetic)
    mark = "Illustrative (synthetic panel): " if synthetic else ""
    assert concentration.caption(study, "shifts", synthetic=synthetic) == mark + study.shift_caption(synthetic=synthetic)


@pytest.mark.parametrize("name", ["frame", "indicators", "concentration", "statements", "floors", "intervals",
                                  "shifts"])
def test_the_chinese_captions_are_marked_and_carry_the_numbers(study, name):
    zh = concentration.caption(study, name, synthetic=True, lang="zh")
    en = concentration.caption(study, name, synthetic=True)
    assert zh.startswith("示意（合成数据）：")
    assert set(_numbers(zh)) >= set(_numbers(en)) - {"0", "100"}, (en, zh)
    assert not concentration.caption(study, name, synthetic=False, lang="zh").startswith("示意")


def test_a_caption_of_an_unknown_table_is_a_parameter_error(study):
    with pytest.raises(ParameterError, match="table"):
        concentration.caption(study, "nothing", synthetic=True)
    with pytest.raises(ParameterError, match="lang"):
        concentration.caption(study, "frame", synthetic=True, lang="de")


def test_weak_share_text_by_hand(study):
    # subject 8, 1, 2, 1, 3: below half the leader (4) are 1, 2, 1, 3 -> 80%; transfer 1, 2, 3, 4, 6: 1, 2 -> 40%
    assert concentration.weak_share_text(study).splitlines() == [
        "80% of the innovation top 5 are below 50% of the leader on the raw subject stand-in (s).",
        "40% of the innovation top 5 are below 50% of the leader on the raw transfer stand-in (t)."]
    zh = concentration.weak_share_text(study, lang="zh").splitlines()
    assert [_numbers(z) for z in zh] == [sorted(["5", "80", "50"]), sorted(["5", "40", "50"])]


def test_the_chinese_summary_carries_the_english_numbers(study):
    en = concentration.innovation_summary(study, synthetic=True)
    zh = concentration.innovation_summary_zh(study, synthetic=True, names=lambda cities: list(cities))
    assert zh.startswith("示意（合成数据）：")
    # the English opening quotes the equivalent shift the Chinese one leaves to the shift caption
    shift = set(NUMBER.findall(study._shift_text()))
    assert sorted(x for x in NUMBER.findall(en) if x not in shift) == sorted(
        x for x in NUMBER.findall(zh) if x not in shift)
    ranges = {"gini_subject": "0.30（5–95%）"}
    assert "Gini 系数 0.30（5–95%）" in concentration.innovation_summary_zh(study, synthetic=False, ranges=ranges)
    verdict = concentration.innovation_summary_zh(study, synthetic=True, lead_verdict="3 组数据中 1 组成立")
    assert "北京或上海在技术创新得分上领先：3 组数据中 1 组成立" in verdict


def test_statistics_zh_names_every_statistic_and_conclusion():
    stats = concentration.InnovationStatistics(top_n=50, subject_code="s", transfer_code="t",
                                               nominal_leaders=("北京市", "上海市"), leader_names=("Beijing", "Shanghai"))
    zh = concentration.statistics_zh(stats, indicators=META)
    assert set(zh) == set(stats.labels()) | set(stats.conclusions())
    for key, text in zh.items():
        assert english_words(text) == [], (key, text)
    assert "北京市、上海市" in zh[[t for t in stats.conclusions() if "nominal panel" in t][0]]


def test_summary_ranges_in_each_language():
    calls = []
    ens = SimpleNamespace(values=[1], range_text=lambda name, fmt, lang="en": calls.append((name, fmt, lang)) or lang)
    assert set(concentration.summary_ranges(ens)) == set(concentration.RANGE_FORMATS)
    assert set(concentration.summary_ranges(ens, lang="zh").values()) == {"zh"}
    assert concentration.summary_ranges(SimpleNamespace(values=[])) is None


def test_ensemble_run_text():
    assert concentration.ensemble_run_text(50, 12.34) == "50 panels scored and measured in 12.3 s"
    assert concentration.ensemble_run_text(0, 0.0, reason="r", lang="zh") == "0 组数据已评分并计算，用时 0.0 秒（没有集合：r）"


def test_the_chinese_figure_has_no_english(study):
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from cityeval.notebook.labels import use_language

    matplotlib.use("Agg")
    use_language("zh")
    try:
        fig = concentration.plot_concentration(study, names=lambda cities: list(cities), lang="zh", synthetic=True,
                                               indicators=META)
        fig.canvas.draw()
    finally:
        use_language("en")
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert [t for t in texts if english_words(t)] == []
    assert all(ax.get_title().endswith("（示意：按公布排名校准的合成数据）") for ax in fig.axes)
    en = concentration.plot_concentration(study, synthetic=False, names=lambda cities: ["Beijing", "Shanghai"][:len(cities)])
    assert not any("illustrative" in ax.get_title() for ax in en.axes)
    # the Lorenz legend sits in the upper-left triangle, which a Lorenz curve never enters
    assert fig.axes[1].get_legend()._loc == 2
    plt.close("all")
