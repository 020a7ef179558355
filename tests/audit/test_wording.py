"""Tests of notebook 09's words in Chinese (cityeval.audit.report, .wording and .summary with ``lang="zh"``).

Where the expected values come from: the English texts, which other tests pin (tests/audit/test_report.py against
notebook 09's recorded results): each Chinese sentence must carry the same numbers as its English one, and the
English text must not change when ``lang="en"`` is passed. The Chinese words are checked with
``cityeval.notebook.style.english_words`` (the figure-text check of the Chinese pages).
"""
from __future__ import annotations

import re

import pytest

from cityeval import paths
from cityeval.audit import (RobustnessStatistics, alternatives_spec, choice_names, choices_phrase, conclusions,
                            describe_design, indicator_out, lower_bound_effect, prepare, robustness_report,
                            scenario_spearman)
from cityeval.audit import wording
from cityeval.composite.dataset import load_dataset
from cityeval.errors import ParameterError
from cityeval.notebook.style import english_words

NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def audit():
    toy = load_dataset(paths.DATA / "examples" / "toy")
    design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    mc = design.rank_uncertainty(200, seed=1, return_ranks=True)
    report = robustness_report(mc, top_n=5, tolerance=1)
    return dict(design=design, mc=mc, report=report, sens=design.sensitivity(16, seed=1),
                spearman=scenario_spearman(mc), removed=indicator_out(design, top_n=5, tolerance=1),
                bounds=lower_bound_effect(design, top_n=5, tolerance=1, n=50, seed=1))


def _numbers(text: str) -> list:
    return sorted(float(x) for x in NUMBER.findall(text))


def test_the_chinese_conclusions_carry_the_english_numbers(audit):
    a = audit
    en = conclusions(a["report"], a["mc"], a["sens"], reference="Table 3", owner="CCID")
    zh = conclusions(a["report"], a["mc"], a["sens"], reference="表 3", owner="赛迪", lang="zh")
    assert len(zh.lines) == len(en.lines)
    for e, z in zip(en.lines, zh.lines):
        assert _numbers(z) == _numbers(e), (e, z)
        # Chinese throughout: only the method names (Sobol, Spearman) and the option labels' arguments stay Latin
        assert [w for w in english_words(z) if w not in ("low", "high", "mean", "sd")] == []
    assert _numbers(zh.summary) == _numbers(en.summary)
    assert zh.summary.startswith("示意（合成数据）：") and en.summary.startswith("Illustrative (synthetic panel): ")


def test_lang_en_keeps_the_english_text(audit):
    a = audit
    assert conclusions(a["report"], a["mc"], a["sens"], lang="en") == conclusions(a["report"], a["mc"], a["sens"])
    assert a["report"].robustness_text(lang="en") == a["report"].robustness_text()
    assert a["report"].disruption_text(lang="en") == a["report"].disruption_text()
    args = (a["report"], a["spearman"], a["removed"], a["bounds"])
    assert wording.check_lines(*args, synthetic=True, lang="en") == wording.check_lines(*args, synthetic=True)
    assert wording.spearman_text(a["spearman"]) == a["spearman"].text()
    assert describe_design(a["design"], lang="en") == describe_design(a["design"])


def test_the_report_texts_in_chinese_carry_the_same_numbers(audit):
    r = audit["report"]
    for method in ("robustness_text", "disruption_text"):
        en, zh = getattr(r, method)(), getattr(r, method)(lang="zh")
        assert _numbers(zh) == _numbers(en), method
    assert "稳健" in r.robustness_text(lang="zh") and "扰动最大的组合" in r.disruption_text(lang="zh")


def test_the_checks_in_chinese_carry_the_same_numbers(audit):
    a = audit
    args = (a["report"], a["spearman"], a["removed"], a["bounds"])
    en = wording.check_lines(*args, synthetic=True)
    zh = wording.check_lines(*args, synthetic=True, lang="zh")
    assert [z.startswith("示意（合成数据）：") for z in zh] == [True] * 3
    for e, z in zip(en, zh):
        assert _numbers(z) == _numbers(e), (e, z)
    assert not any(z.startswith("示意") for z in wording.check_lines(*args, synthetic=False, lang="zh"))


def test_choice_names_and_phrase_in_chinese():
    spec = alternatives_spec([1, 2], 0.25)
    assert choice_names(spec, lang="zh") == {"weights": "权重（±25%）", "normalize": "标准化方法", "aggregate": "加权汇总方法"}
    assert choices_phrase(spec, lang="zh") == "权重 ±25%，最小-最大或z分数标准化，算术或几何平均"
    assert choices_phrase(spec) == "weights ±25%, min-max or z-score, arithmetic or geometric mean"


def test_ensemble_zh_names_every_statistic_and_conclusion_in_chinese():
    stats = RobustnessStatistics(alternatives_spec([1, 2], 0.25), n=50, n_sobol=8, seed=1, top_n=5, tolerance=1)
    zh = wording.ensemble_zh(stats)
    assert set(zh) == set(stats.labels()) | set(stats.conclusions())
    for key, text in zh.items():
        assert english_words(text) == [], (key, text)
    # the numbers of each label survive the translation (counts, tolerance, top_n)
    for name, label in stats.labels().items():
        assert set(NUMBER.findall(zh[name])) <= set(NUMBER.findall(label)) | {"1", "10"}, name


def test_summary_zh_without_an_ensemble_is_the_nominal_audits(audit):
    a = audit
    text = wording.summary_zh(a["report"], a["mc"], a["sens"])
    assert text == conclusions(a["report"], a["mc"], a["sens"], lang="zh").summary


def test_run_and_ensemble_texts(audit):
    from types import SimpleNamespace

    r = audit["report"]
    assert wording.run_text(r, audit["mc"], seconds=0.25).startswith("200 scenarios x 8 cities ranked in 0.25 s")
    assert "个情景" in wording.run_text(r, audit["mc"], seconds=0.25, lang="zh")
    e = SimpleNamespace(nominal={"robust_share": float("nan"), "decided_share": 0.5}, reason="no members")
    text = wording.ensemble_check_text(e, r, audit["mc"], panels=0, seconds=0.0, scenarios=10)
    assert text.startswith("0 panels audited in 0.0 s (no ensemble: no members)") and "nan of the top 5" in text


@pytest.mark.parametrize("fn", [lambda a: conclusions(a["report"], a["mc"], a["sens"], lang="fr"),
                                lambda a: a["report"].robustness_text(lang="fr"),
                                lambda a: choice_names(a["mc"].spec, lang="fr")])
def test_an_unknown_language_is_a_parameter_error(audit, fn):
    with pytest.raises(ParameterError, match="lang"):
        fn(audit)
