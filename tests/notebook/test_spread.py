"""cityeval.notebook.spread: the ensemble summary a notebook shows (numbers, verdicts, figure, results block).

Reference values: hand calculations on five made-up members (written out below) and numpy's
quantiles on the same values.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cityeval.errors import CityevalError, DataError, ParameterError
from cityeval.notebook import spread
from cityeval.notebook.panel import DEFAULT_DATA, scored_panel
from cityeval.notebook.results import to_jsonable

VALUES = [0.30, 0.45, 0.50, 0.62, 0.80]     # statistic "r" on five members


def _summary(values=VALUES, fail=()):
    def statistics(panel):
        if panel in fail:
            raise CityevalError("fit did not converge")
        return {"r": panel if isinstance(panel, float) else values[panel], "k": 3.0}

    ens = spread.Ensemble(panels=list(range(len(values))), size=len(values), seed=7)
    return spread.summarize(ens, statistics, nominal=0.40, labels={"r": "r(TEC, composite)"},
                            reported={"r": 0.7561},
                            conclusions={"r above 0.408": lambda s: s["r"] > 0.408, "k is 3": lambda s: s["k"] == 3,
                                         "r above 0.9": lambda s: s["r"] > 0.9})


def test_numbers_by_hand():
    s = _summary()
    lo, med, hi = s.quantiles("r")
    assert med == 0.50                                        # the middle of five
    assert (lo, hi) == tuple(np.quantile(VALUES, [0.05, 0.95]))   # numpy's linear quantiles
    assert lo == pytest.approx(0.30 + 0.2 * 0.15)            # hand: position 0.2 between 0.30 and 0.45
    assert s.nominal == {"r": 0.40, "k": 3.0}
    assert s.verdict("r above 0.408") == "holds in 4 of 5 panels"    # 0.45, 0.50, 0.62, 0.80
    assert s.verdict("k is 3") == "holds in all 5 panels"
    assert s.verdict("r above 0.9") == "fails in all 5 panels"
    # hand: 95% at position 3.8, 0.62 + 0.8 * 0.18 = 0.764
    assert s.range_text("r") == "0.40 (5–95% over 5 illustrative panels: 0.33–0.76)"


def test_sentences_say_what_decides_each_conclusion():
    text = _summary().sentences()
    assert len(text) == 4 and text[3].startswith("The same on the nominal panel and every member")
    assert "does not hold on the nominal panel and holds in 4 of 5 panels" in text[0]
    assert "the generator's assumptions decide it" in text[0]
    # 5 panels: the rule of three would bound the share of panels where it fails by 3/5, too loose to state
    assert "within the generator's documented ranges, the published ranks decide it" in text[1]
    assert "5 sampled panels are too few to bound how often it fails" in text[1]
    assert "rule it out" in text[2]


def test_a_failed_member_is_shown_not_hidden():
    s = _summary(fail=(1,))
    assert math.isnan(s.values.at[1, "r"]) and s.failures == {1: "fit did not converge"}
    assert s.n_ok("r") == 4 and s.quantiles("r")[1] == np.median([0.30, 0.50, 0.62, 0.80])
    assert s.verdict("k is 3") == "holds in all 4 panels"
    assert any("could not be computed on 1 of 5 panels (members 1)" in line for line in s.sentences())
    assert s.block()["members_used"] == 4 and s.block()["failures"] == {"1": "fit did not converge"}


def test_block_and_table_say_illustrative():
    s = _summary()
    block = to_jsonable(s.block())
    json.dumps(block, allow_nan=False)
    assert block["illustrative"] is True and block["size"] == 5 and block["seed"] == 7
    assert block["statistics"]["r"]["values"] == VALUES and block["statistics"]["r"]["reported"] == 0.7561
    assert block["conclusions"]["k is 3"] == {"nominal": True, "holds_in": 5, "of": 5, "basis": "model",
                                              "kind": "claim", "verdict": "holds in all 5 panels"}
    table = s.table()
    assert "Illustrative" in table.attrs["caption"]
    assert table.loc["r(TEC, composite)", "report states"] == 0.7561
    assert math.isnan(table.loc["k", "report states"])


def test_figure_title_is_illustrative():
    s = _summary()
    fig = s.figure("Technology innovation and the composite")
    assert "illustrative" in fig._suptitle.get_text()
    # k is 3 on the nominal panel and every member: no spread to draw, so it is stated, not drawn
    assert s.constant() == ["k"] and len(fig.axes) == 1 and fig.axes[0].get_title(loc="left") == "r(TEC, composite)"
    assert "The same on the nominal panel and every member of the illustrative ensemble: k = 3." in s.sentences()
    assert len(s.figure("both", names=["r", "k"]).axes) == 2      # asked for explicitly, it is drawn
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(lab.startswith("ensemble panel") for lab in labels) and "the report states" in labels
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_no_ensemble_is_said():
    ens = spread.ensemble_panels("/some/other/folder", size=5, seed=1)
    assert len(ens) == 0 and "not the embedded synthetic panel" in ens.reason
    s = spread.summarize(ens, lambda p: {"r": 0.5}, nominal=None)
    assert s.sentences() == [f"No ensemble: {ens.reason}. The numbers above come from one panel only."]
    assert s.range_text("r").startswith("0.50 (one panel; no ensemble:")
    assert spread.ensemble_panels("", size=0, seed=1).reason == "ensemble_size is 0"


@pytest.mark.parametrize("bad, message", [
    (dict(size=-1), r"^ensemble_size should be a whole number between 0 and 1000"),
    (dict(size=2.0), r"^ensemble_size should be a whole number"),
    (dict(size=2, seed=-3), r"^ensemble_seed should be a whole number between 0 and 2\*\*32 - 1"),
])
def test_bad_arguments(bad, message):
    with pytest.raises(ParameterError, match=message):
        spread.ensemble_panels("", **{"seed": 1, **bad})


def test_summarize_checks_its_arguments():
    ens = spread.Ensemble(panels=[0], size=1, seed=1)
    with pytest.raises(ParameterError, match=r"^statistics should be a function"):
        spread.summarize(ens, {"r": 1}, nominal=0)
    with pytest.raises(ParameterError, match=r"^reported should be names among the statistics \(r\)"):
        spread.summarize(ens, lambda p: {"r": 1.0}, nominal=0, reported={"rho": 0.7})
    with pytest.raises(ParameterError, match=r"^labels should be a dict"):
        spread.summarize(ens, lambda p: {"r": 1.0}, nominal=0, labels="r")
    with pytest.raises(ParameterError, match=r"^statistic 'r' should be a number"):
        spread.summarize(ens, lambda p: {"r": "high"}, nominal=0)
    with pytest.raises(ParameterError, match=r"^statistic 'r' should be finite"):
        spread.summarize(ens, lambda p: {"r": math.inf if p == 0 else 1.0}, nominal=None)
    with pytest.raises(ParameterError, match=r"^basis of conclusion 'x' should be one of model, rule, published, generator"):
        spread.summarize(ens, lambda p: {"r": 1.0}, nominal=0, conclusions={"x": (lambda s: True, "data")})
    with pytest.raises(CityevalError, match="on ensemble member 0"):
        spread.summarize(ens, lambda p: {"r": 1.0} if p is None else {"s": 1.0}, nominal=None)


def test_members_are_scored_like_the_nominal_panel_and_checked():
    ens = spread.ensemble_panels(DEFAULT_DATA, size=2, seed=3, top_n=50)
    assert len(ens) == 2 and all(len(p.scores) == 50 for p in ens.panels)
    nominal = scored_panel("", top_n=50)
    spread.check_member(nominal)      # the committed panel passes the same check
    # a panel that does not reproduce Table 3: swap the composite scores of the first two cities
    broken = scored_panel("", top_n=50)
    ranks = broken.result.ranks.copy()
    first, second = ranks["INDEX"].sort_values().index[:2]
    ranks.loc[[first, second], "INDEX"] = ranks.loc[[second, first], "INDEX"].to_numpy()
    broken.result = type(broken.result)(**{**broken.result.__dict__, "ranks": ranks})
    with pytest.raises(DataError, match="does not reproduce the published overall_top100"):
        spread.check_member(broken)


def test_the_basis_of_a_conclusion_is_said_and_checked():
    ens = spread.Ensemble(panels=[0, 1, 2], size=3, seed=1)
    stat = lambda p: {"half": 0.5, "r": 0.1 * (p or 0)}                         # noqa: E731
    s = spread.summarize(ens, stat, nominal=None,
                         conclusions={"half are starting": (lambda x: x["half"] == 0.5, "rule"),
                                      "r is small": (lambda x: x["r"] < 1, "published")})
    text = s.sentences()
    assert "the method's own rule decides it, whatever the data" in text[0]
    assert "the published ranks alone decide it" in text[1]
    assert s.block()["conclusions"]["half are starting"]["basis"] == "rule"
    # marked as published but not the same in every panel: refused, not said
    with pytest.raises(CityevalError, match="marked as decided by the published ranks alone, but it holds in 2 of 3"):
        spread.summarize(ens, stat, nominal=None, conclusions={"r > 0": (lambda x: x["r"] > 0, "published")})


def test_a_nominal_panel_against_every_member_is_an_accident_of_its_draw():
    # the nominal panel's leaders lead in none of the members (notebook 08 before the review)
    ens = spread.Ensemble(panels=[1, 2, 3], size=3, seed=1)
    s = spread.summarize(ens, lambda p: {"leader": float(p == 0)}, nominal=0,
                         conclusions={"the nominal leader leads": lambda x: x["leader"] == 1})
    assert s.verdict("the nominal leader leads") == "fails in all 3 panels"
    assert "a property of the nominal panel's draw, not of the published ranks" in s.sentences()[0]


def test_undefined_statistics_are_counted_not_hidden():
    ens = spread.Ensemble(panels=[0, 1, 2, 3], size=4, seed=1)
    s = spread.summarize(ens, lambda p: {"k": math.nan if p == 2 else 3.0}, nominal=None,
                         conclusions={"k is 3": lambda x: x["k"] == 3})
    assert s.undefined() == {"k": 1} and s.n_ok("k") == 3
    assert s.verdict("k is 3") == "holds in 3 of 4 panels"         # NaN == 3 is false: counted as not holding
    assert any("undefined on 1 of 4 panels" in line for line in s.sentences())
    assert s.block()["undefined"] == {"k": 1}


def test_every_member_failing_is_untested():
    ens = spread.Ensemble(panels=[1, 2], size=2, seed=1)

    def stat(p):
        if p:
            raise CityevalError("no fit")
        return {"r": 0.5}

    s = spread.summarize(ens, stat, nominal=0, conclusions={"r > 0": lambda x: x["r"] > 0})
    assert s.verdict("r > 0") == "untested (every member failed)"
    assert s.range_text("r") == "0.50 (undefined on all 2 ensemble panels)"


def test_counts_take_quantiles_among_their_own_values():
    # five members counting 1, 2, 3, 4, 4 dimensions: the linear 5% quantile is 1.2 dimensions (hand: position 0.2
    # between 1 and 2), a count no panel has (review of issue 12); whole numbers get inverted-CDF quantiles
    ens = spread.Ensemble(panels=[1, 2, 3, 4, 4], size=5, seed=1)
    s = spread.summarize(ens, lambda p: {"n": float(p or 0)}, nominal=None)
    assert s.quantiles("n") == tuple(float(x) for x in np.quantile([1, 2, 3, 4, 4], [0.05, 0.5, 0.95],
                                                                   method="inverted_cdf"))
    assert all(q == round(q) for q in s.quantiles("n"))


def test_no_ensemble_figure_and_caption_do_not_claim_panels():
    ens = spread.ensemble_panels("/another/folder", size=50, seed=1)
    user = type("UserPanel", (), {"synthetic": False})()
    s = spread.summarize(ens, lambda p: {"r": 0.5}, nominal=user)
    fig = s.figure("r on the user's data")
    title = fig._suptitle.get_text()
    assert "no ensemble" in title and "illustrative" not in title and "synthetic panels" not in title
    assert "Illustrative" not in s.caption and "no ensemble" in s.caption
    assert s.block()["illustrative"] is False
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_a_scored_member_is_reused_only_when_its_checksum_holds(tmp_path, monkeypatch):
    import shutil

    from cityeval.ccid2022 import ensemble

    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))
    folder = ensemble.member_folder(0, 9)
    first = spread._scored(folder, 40, None)
    pickles = sorted(folder.glob("scored-*.pickle"))
    assert len(pickles) == 1 and pickles[0].with_suffix(".sha256").is_file()
    # moved cache: the reloaded panel points at its new folder, not the one it was written in
    moved = tmp_path / "moved"
    shutil.copytree(folder, moved)
    again = spread._scored(moved, 40, None)
    assert again.dataset.path == moved and all(Path(f).parent == moved for f in again.files)
    pd.testing.assert_frame_equal(again.scores, first.scores)
    # a damaged pickle is not loaded: the member is scored again, and the file replaced
    damaged = moved / pickles[0].name
    damaged.write_bytes(b"not a pickle")
    third = spread._scored(moved, 40, None)
    pd.testing.assert_frame_equal(third.scores, first.scores)
    assert damaged.read_bytes() != b"not a pickle"


def test_the_rule_of_three_bound_is_stated_for_enough_panels():
    # 50 panels, none failing: 3/50 = 6%, the rule of three's 95% upper bound on the share of panels where it fails
    ens = spread.Ensemble(panels=list(range(50)), size=50, seed=1)
    s = spread.summarize(ens, lambda p: {"r": 0.5}, nominal=None, conclusions={"r > 0": lambda x: x["r"] > 0})
    assert "50 sampled panels put the share of such panels where it fails below about 6%" in s.sentences()[0]


def test_a_quantity_no_published_table_constrains_is_never_credited_to_the_published_ranks():
    # an unpublished dimension's leader (08's innovation stand-ins): unanimous across 3 panels, yet the published
    # ranks say nothing of it, so the sentence must not say they "decide it" or "rule it out"
    ens = spread.Ensemble(panels=[1, 2, 3], size=3, seed=1)
    s = spread.summarize(ens, lambda p: {"lead": 0.0, "r": 0.1 * p}, nominal=0,
                         conclusions={"A leads": (lambda x: x["lead"] == 1, "generator"),
                                      "r > 0.15": (lambda x: x["r"] > 0.15, "generator")})
    unanimous, mixed = s.sentences()[:2]
    assert "the same verdict in every panel reflects the generator's structure, not the published ranks" in unanimous
    assert "published ranks rule it out" not in unanimous and "decide it" not in unanimous
    assert "the generator's assumptions decide it" in mixed
    assert s.block()["conclusions"]["A leads"]["basis"] == "generator"


def test_a_test_that_rejects_in_no_panel_is_not_worded_as_ruling_the_claim_out():
    # 05's "西北 and 东北 significantly below the national mean" with 5 cities a region: the permutation test
    # rejects in no panel; that measures its power, not the absence of the difference (review of issue 13)
    ens = spread.Ensemble(panels=[1, 2, 3], size=3, seed=1)
    s = spread.summarize(ens, lambda p: {"p": 0.3}, nominal=0,
                         conclusions={"below": (lambda x: x["p"] < 0.05, "model", "rejection"),
                                      "below, as a claim": (lambda x: x["p"] < 0.05, "model")})
    rejection, claim = s.sentences()[:2]
    assert "a test that does not reject is not evidence against the claim" in rejection
    assert "rule it out" not in rejection
    assert "rule it out" in claim        # the same numbers as a plain claim keep the old wording
    assert s.block()["conclusions"]["below"]["kind"] == "rejection"
    # 05's composite Kruskal-Wallis: a rejection event fixed by the published ranking says both
    fixed = spread.summarize(ens, lambda p: {"p": 0.3}, nominal=0,
                             conclusions={"differ": (lambda x: x["p"] < 0.05, "published", "rejection")})
    assert "the published ranks alone decide that" in fixed.sentences()[0]
    assert "not evidence against the claim" in fixed.sentences()[0]
    with pytest.raises(ParameterError, match=r"^kind of conclusion 'x' should be one of claim, rejection"):
        spread.summarize(ens, lambda p: {"p": 0.3}, nominal=0, conclusions={"x": (lambda x: True, "model", "no")})


# ----------------------------------------------------------------------------- Chinese (issue 15)
ZH = {"r": "r（技术创新, 综合）", "r above 0.408": "r 大于 0.408", "k is 3": "k 等于 3", "r above 0.9": "r 大于 0.9"}


def _summary_zh():
    s = _summary()
    s.zh = dict(ZH)
    return s


def test_chinese_wording_says_the_same_as_the_english():
    s = _summary_zh()
    # the same counts as test_numbers_by_hand, in Chinese
    assert s.verdict("r above 0.408", lang="zh") == "在 5 组数据中的 4 组成立"
    assert s.verdict("k is 3", lang="zh") == "在全部 5 组数据中成立"
    assert s.verdict("r above 0.9", lang="zh") == "在全部 5 组数据中均不成立"
    assert s.range_text("r", lang="zh") == "0.40（5 组示意数据的 5–95%：0.33–0.76）"
    zh, en = s.sentences(lang="zh"), s.sentences()
    assert len(zh) == len(en) == 4
    assert zh[0].startswith("“r 大于 0.408”在基准面板上不成立，在示意集合中在 5 组数据中的 4 组成立")
    assert "生成器的假设" in zh[0] and "太少" in zh[1] and "排除了它" in zh[2]
    # the statistic k has no Chinese label (ZH gives one to the conclusion "k is 3"), so it keeps its name
    assert zh[3] == "在基准面板和示意集合的每组数据上都相同：k = 3。"


def test_chinese_table_and_caption():
    table = _summary_zh().table(lang="zh")
    assert list(table.columns) == ["基准面板", "中位数", "5%", "95%", "数据组数", "报告所述"]
    assert table.index.name == "统计量" and table.index[0] == "r（技术创新, 综合）"
    assert table.attrs["caption"].startswith("示意：5 组按公布排名校准的合成数据")
    html = _summary_zh().styled(lang="zh").to_html()
    assert "示意：5 组按公布排名校准的合成数据" in html


def test_chinese_figure_has_no_english_word(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from cityeval.notebook import style

    path = tmp_path / "texts.jsonl"
    monkeypatch.setenv(style.FIGURE_TEXTS_VARIABLE, str(path))
    style.use_style("zh")
    try:
        fig = _summary_zh().figure("技术创新与综合竞争力", lang="zh")
        fig.savefig(tmp_path / "f.png")
    finally:
        style.use_style("en")
    assert style.text_problems(path) == []
    texts = " ".join(json.loads(path.read_text(encoding="utf-8").splitlines()[0])["texts"])
    assert "示意" in texts and "基准面板" in texts and "报告所述" in texts


def test_a_chinese_label_for_something_unknown_is_refused():
    ens = spread.Ensemble(panels=[0], size=1, seed=1)
    with pytest.raises(ParameterError, match="zh should be keys among the statistics"):
        spread.summarize(ens, lambda p: {"r": 0.5}, nominal=0, zh={"rr": "错"})


def test_the_reason_for_no_ensemble_is_chinese_on_chinese_pages():
    # review of issue 15: captions read "无集合：ensemble_size is 0。" and, for a user's folder, a whole English sentence
    for data, size, words in (("", 0, "ensemble_size 为 0"), ("/some/other/folder", 5, "不是内嵌的合成面板")):
        ens = spread.ensemble_panels(data, size=size, seed=1)
        s = spread.summarize(ens, lambda p: {"r": 0.5}, nominal=None)
        for text in (s.caption_in("zh"), s.range_text("r", lang="zh"), *s.sentences(lang="zh")):
            assert words in text and "ensemble_size is" not in text and "are not the embedded" not in text, text
