"""Tests of cityeval.analysis.regional: group means, Kruskal-Wallis, Jonckheere-Terpstra and notebook 05's study.

Expected values: hand calculations written out beside each test; the Kruskal-Wallis H is also scipy's
(``scipy.stats.kruskal``); with two groups J is scipy's Mann-Whitney U (``scipy.stats.mannwhitneyu``).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cityeval.analysis import _regional_tests, regional
from cityeval.analysis.regional import JonckheereTerpstraResult, KruskalWallisResult, NationalMeanResult
from cityeval.errors import DataError, ParameterError


def test_jonckheere_by_hand():
    # A = [1, 2] < B = [3, 4]: all 4 cross pairs ordered -> J = 4; E = (16 - 8)/4 = 2;
    # Var = (16*11 - 2*(4*7))/72 = 120/72 -> z = 2/sqrt(1.6667) = 1.5492 (hand calculation).
    # Exact one-sided p: 1 of the 6 equally likely splits reaches J = 4 -> 1/6.
    res = regional.jonckheere_terpstra(pd.Series([1.0, 2, 3, 4]), pd.Series(list("AABB")), order=["A", "B"],
                                       n_perm=4000, seed=1)
    assert isinstance(res, JonckheereTerpstraResult)
    assert res.statistic == 4 and res.expected == 2 and res.group_sizes == {"A": 2, "B": 2}
    assert_allclose(res.z, 1.549193, atol=1e-6)
    assert_allclose(res.p_value, 1 / 6, atol=0.02)


def test_jonckheere_two_groups_is_mann_whitney():
    rng = np.random.default_rng(3)
    x = pd.Series(rng.normal(size=30))
    g = pd.Series(["lo"] * 14 + ["hi"] * 16)
    res = regional.jonckheere_terpstra(x, g, order=["lo", "hi"], n_perm=10, seed=0)
    # with two groups J is Mann-Whitney's U of the higher group (scipy.stats.mannwhitneyu)
    u = stats.mannwhitneyu(x[g == "hi"], x[g == "lo"]).statistic
    assert_allclose(res.statistic, u)


def test_jonckheere_detects_a_trend_for_several_seeds():
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x = pd.Series(np.concatenate([rng.normal(0, 1, 20), rng.normal(1, 1, 20), rng.normal(2, 1, 20)]))
        g = pd.Series(["W"] * 20 + ["C"] * 20 + ["E"] * 20)
        assert regional.jonckheere_terpstra(x, g, order=["W", "C", "E"], n_perm=500, seed=seed).p_value < 0.01
        # the reversed order finds nothing
        assert regional.jonckheere_terpstra(x, g, order=["E", "C", "W"], n_perm=500, seed=seed).p_value > 0.5


def test_jonckheere_block_statistic_equals_the_pairwise_definition():
    # _jt_statistics computes J for a block of labellings with one matrix product; it must equal
    # the definition counted pair by pair (ties count 1/2), for four groups and tied values, and
    # the permutation p-value must not depend on the block size.
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(size=23), 1)                           # rounded: ties
    labels = rng.integers(0, 4, size=(7, 23))
    less = (x[:, None] < x[None, :]) + 0.5 * (x[:, None] == x[None, :])
    direct = [sum(less[a, c] for a in range(23) for c in range(23) if lab[a] < lab[c]) for lab in labels]
    assert_allclose(_regional_tests._jt_statistics(less, labels, 4), direct, rtol=0, atol=0)
    xs, gs = pd.Series(x), pd.Series(np.array(list("WCEN"))[labels[0]])
    ref = regional.jonckheere_terpstra(xs, gs, order=list("WCEN"), n_perm=300, seed=2)
    old_block = _regional_tests._JT_BLOCK
    try:
        _regional_tests._JT_BLOCK = 23 * 7                          # blocks of 7 permutations
        assert regional.jonckheere_terpstra(xs, gs, order=list("WCEN"), n_perm=300, seed=2) == ref
    finally:
        _regional_tests._JT_BLOCK = old_block


def test_kruskal_matches_scipy_and_effect_size():
    x = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9])
    g = pd.Series(list("AAABBBCCC"))
    res = regional.kruskal_wallis(x, g)
    h = stats.kruskal([1, 2, 3], [4, 5, 6], [7, 8, 9]).statistic  # 7.2 (hand: 12/(9*10) * 3*(2^2+5^2+8^2)... - 30)
    assert isinstance(res, KruskalWallisResult)
    assert_allclose(res.statistic, h)
    assert_allclose(res.statistic, 7.2)
    assert_allclose(res.p_value, stats.kruskal([1, 2, 3], [4, 5, 6], [7, 8, 9]).pvalue)
    assert_allclose(res.epsilon2, 7.2 / 8)
    assert_allclose(res.eta2, (7.2 - 3 + 1) / (9 - 3))
    small = regional.kruskal_wallis(pd.Series([1.0, 2, 3, 4, 5]), pd.Series(list("AABBC")))
    assert small.dropped == ["C"] and small.k == 2


def test_results_are_frozen_with_the_package_vocabulary():
    kw = regional.kruskal_wallis(pd.Series([1.0, 2, 3, 4]), pd.Series(list("AABB")))
    jt = regional.jonckheere_terpstra(pd.Series([1.0, 2, 3, 4]), pd.Series(list("AABB")), order="AB", n_perm=9)
    assert [f.name for f in dataclasses.fields(kw)][:2] == ["statistic", "p_value"]
    assert [f.name for f in dataclasses.fields(jt)] == ["statistic", "expected", "z", "p_value", "group_sizes",
                                                        "p_holm", "alternative"]
    # a single test is a family of one: Holm's adjusted p-value is the p-value
    assert kw.p_holm == kw.p_value and jt.p_holm == jt.p_value
    with pytest.raises(dataclasses.FrozenInstanceError):
        kw.p_value = 0.0


def test_group_means():
    scores = pd.DataFrame({"s": [1.0, 3.0, 5.0]}, index=["a", "b", "c"])
    out = regional.group_means(scores, pd.Series({"a": "X", "b": "X", "c": "Y"}))
    assert out.loc["X", "s"] == 2 and out.loc["Y", "s"] == 5 and out.loc["national", "s"] == 3
    assert out.loc["X", "n"] == 2


def test_tests_by_column_and_their_table():
    scores = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 3, 2, 1]})
    g = pd.Series(list("XXYY"))
    kw = regional.kruskal_wallis_by(scores, g, names={"a": "A"})
    # the same test as a separate call, with p_holm adjusted over the two columns (statsmodels' Holm)
    single = regional.kruskal_wallis(scores["a"], g)
    holm = multipletests([single.p_value, regional.kruskal_wallis(scores["b"], g).p_value], method="holm")[1]
    assert list(kw) == ["A", "b"] and kw["A"] == dataclasses.replace(single, p_holm=holm[0])
    jt = regional.jonckheere_terpstra_by(scores, g, order="XY", n_perm=50, seed=3)
    # each column with the same seed: the same as separate calls (p_holm apart)
    one = regional.jonckheere_terpstra(scores["b"], g, order="XY", n_perm=50, seed=3)
    assert dataclasses.replace(jt["b"], p_holm=one.p_holm) == one
    # a rises from X to Y (J = 4, all cross pairs), b falls (J = 0)
    table = regional.result_table(jt, ["statistic", "p_value"])
    assert table["statistic"].tolist() == [4.0, 0.0] and list(table.columns) == ["statistic", "p_value"]


# ---------------------------------------------------------------- one error rule
VALUES = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=list("abcdef"))
GROUPS = pd.Series(list("XXYYZZ"), index=VALUES.index)
CALLS = {
    "kruskal_wallis": lambda v, g: regional.kruskal_wallis(v, g),
    "jonckheere_terpstra": lambda v, g: regional.jonckheere_terpstra(v, g, order="XYZ", n_perm=10),
    "group_means": lambda v, g: regional.group_means(v.to_frame("s"), g),
}


@pytest.mark.parametrize("fn", sorted(CALLS))
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_bad_score_is_a_data_error(fn, bad):
    # issue 11: a NaN raised a ParameterError here (and group_means averaged over it silently)
    values = VALUES.copy()
    values["c"] = bad
    with pytest.raises(DataError, match=r"\bc\b"):
        CALLS[fn](values, GROUPS)


@pytest.mark.parametrize("fn", sorted(CALLS))
def test_a_unit_without_a_group_is_a_data_error(fn):
    with pytest.raises(DataError, match="group label.*'f'"):
        CALLS[fn](VALUES, GROUPS.drop("f"))


@pytest.mark.parametrize("seed", [-1, 2 ** 32, 1.5, True, "1", None])
def test_seed_must_be_a_32_bit_whole_number(seed):
    # -1 raised numpy's ValueError, 1.5 a TypeError, True passed as 1
    with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1"):
        regional.jonckheere_terpstra(VALUES, GROUPS, order="XYZ", n_perm=10, seed=seed)


@pytest.mark.parametrize("fn", ["jonckheere_terpstra", "jonckheere_terpstra_by"])
@pytest.mark.parametrize("n_perm", [0, -5, 2.5, 10.0, True, "10"])
def test_n_perm_must_be_a_positive_whole_number(fn, n_perm):
    data = VALUES if fn == "jonckheere_terpstra" else VALUES.to_frame("s")
    with pytest.raises(ParameterError, match="^n_perm should be a positive whole number"):
        getattr(regional, fn)(data, GROUPS, order="XYZ", n_perm=n_perm)


@pytest.mark.parametrize("min_size", [0, 1.5, True])
def test_min_size_must_be_a_whole_number_at_least_one(min_size):
    with pytest.raises(ParameterError, match="^min_size should be a whole number >= 1"):
        regional.kruskal_wallis(VALUES, GROUPS, min_size=min_size)


@pytest.mark.parametrize("order", [["X"], ["X", "X"], ["X", "Q"]])
def test_order_must_name_two_groups_present(order):
    with pytest.raises(ParameterError, match="^order should be"):
        regional.jonckheere_terpstra(VALUES, GROUPS, order=order, n_perm=10)


# ---------------------------------------------------------------- notebook 05's study
REGIONS = ["华东", "西南", "西北", "东北", "中南", "华北"]
MEANS = pd.DataFrame({"INF": [9, 8, 1, 2, 3, 4, 5], "GOV": [9, 1, 0, 2, 3, 4, 5], "LIV": [1, 2, 3, 9, 8, 7, 5],
                      "IND": [1, 2, 3, 4, 5, 9, 5], "TEC": [1, 2, 3, 4, 5, 9, 5], "LOW": [1, 9, 3, 4, 5, 6, 5],
                      "INDEX": [5, 5, 5, 5, 5, 5, 5]}, index=REGIONS + ["national"], dtype=float)
DIMS = ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
NAMES = regional.display_names(DIMS + ["INDEX"], composite="INDEX")


def _jt(p):
    return {NAMES[d]: JonckheereTerpstraResult(1.0, 0.0, 0.0, p, {}, p_holm=p) for d in DIMS}


def _kw(p=0.5, e=0.1):
    return {NAMES[d]: regional.KruskalWallisResult(1.0, p, 6, 100, e, 0.0, [], p_holm=p) for d in DIMS}


#: 西北 and 东北 below the national mean on INF, both one-sided tests rejecting at 0.05 (p = 0.01)
BELOW = {k: NationalMeanResult(-4.0, 0.01, 0.02, 5, 95, "less") for k in ("INF:西北", "INF:东北")}


def test_display_names():
    assert NAMES == {"INF": "Infrastructure", "GOV": "Governance", "LIV": "Livelihood", "IND": "Industry",
                     "TEC": "Innovation", "LOW": "Low-carbon", "INDEX": "Composite"}


def test_report_statements_hold_on_means_built_to_satisfy_them():
    # MEANS is built so that each of the report's eight detailed statements holds (INF: 华东 9 and 西南 8 lead,
    # 西北 1 and 东北 2 below the national 5, and BELOW's one-sided tests reject (p 0.01); GOV: 华东 9 highest, 西北 0
    # lowest; LIV: 中南 8, 华北 7, 东北 9 above 5; IND and TEC: 华北 9 highest; LOW: 西南 9 highest); the six trend
    # statements hold when every Holm-adjusted JT p < alpha
    table = regional.report_statements(MEANS, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW,
                                       regions=REGIONS)
    assert len(table) == 14 and table["holds on these data"].all()
    assert table["statement"].iloc[-1] == "Low-carbon: east high, west low (JT, Holm-adjusted p < 0.05)"
    assert list(table.columns) == ["statement", "holds on these data", "basis"]
    # p = 0.05 is not < 0.05: the six trend statements fail, the eight others still hold
    table = regional.report_statements(MEANS, _jt(0.05), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW,
                                       regions=REGIONS)
    assert table["holds on these data"].tolist() == [True] * 8 + [False] * 6
    # East China no longer highest on governance: that one statement fails
    changed = MEANS.copy()
    changed.loc["华北", "GOV"] = 10
    table = regional.report_statements(changed, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW,
                                       regions=REGIONS)
    assert table.set_index("statement").at["GOV: East China highest", "holds on these data"] == False  # noqa: E712


def test_trend_statements_read_the_holm_adjusted_p_values():
    # issue 13: the trend rows read the raw JT p-value; a raw 0.01 whose Holm-adjusted value is 0.07 does not hold
    jt = {name: dataclasses.replace(res, p_holm=0.07) for name, res in _jt(0.01).items()}
    table = regional.report_statements(MEANS, jt, dims=DIMS, names=NAMES, alpha=0.05, national=BELOW, regions=REGIONS)
    assert table["holds on these data"].tolist() == [True] * 8 + [False] * 6
    with pytest.raises(ParameterError, match="^jonckheere should be"):
        regional.report_statements(MEANS, {k: dataclasses.replace(r, p_holm=None) for k, r in jt.items()}, dims=DIMS,
                                   names=NAMES, alpha=0.05, national=BELOW)


def test_significantly_below_is_a_test_not_an_order_of_means():
    # issue 13: "significantly below the national mean" was checked as "below". MEANS has 西北 1 and 东北 2 below the
    # national 5; with a one-sided p of 0.2 for 西北 the statement fails, though both means are below
    row = "INF: Northwest and Northeast significantly below the national mean (one-sided permutation p < 0.05 each)"
    weak = {**BELOW, "INF:西北": NationalMeanResult(-4.0, 0.2, 0.25, 5, 95, "less")}
    table = regional.report_statements(MEANS, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=weak,
                                       regions=REGIONS).set_index("statement")
    assert table.at[row, "holds on these data"] == False  # noqa: E712
    assert table.at[row, "basis"].startswith("one-sided permutation test")
    assert table.at["GOV: East China highest", "basis"] == "order of the regional means (descriptive, untested)"
    # a significant test with the mean above the national one does not hold either (a one-sided 'less' p is then
    # large anyway; the order is checked too)
    above = MEANS.copy()
    above.loc["东北", "INF"] = 6
    table = regional.report_statements(above, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW,
                                       regions=REGIONS).set_index("statement")
    assert table.at[row, "holds on these data"] == False  # noqa: E712
    for bad in (None, {"INF:西北": BELOW["INF:西北"]}, {k: dataclasses.replace(v, alternative="greater")
                                                      for k, v in BELOW.items()}):
        with pytest.raises(ParameterError, match="^national should be"):
            regional.report_statements(MEANS, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=bad)


def test_conclusions_by_hand():
    p_kw = [0.01, 0.2, 0.03, 0.5, 0.5, 0.5, 0.01]
    holm_kw = multipletests(p_kw, method="holm")[1]         # statsmodels: [0.07, 0.8, 0.15, 1, 1, 1, 0.07]
    kw = {NAMES[d]: regional.KruskalWallisResult(1.0, p, 6, 100, e, 0.0, [], p_holm=float(h))
          for d, p, h, e in zip(DIMS + ["INDEX"], p_kw, holm_kw, [0.1, 0.3, 0, 0, 0, 0, 0.2])}
    jt = {**_jt(0.5), "Governance": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.001, {}, p_holm=0.007),
          "Composite": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.5, {}, p_holm=1.0)}
    checks = pd.DataFrame({"statement": list("abcd"), "holds on these data": [True, False, True, True]})
    found = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True)
    # raw Kruskal p < 0.05 for INF and LIV, but after Holm over the 7 tests none (0.07, 0.15): 0 of 6; largest ε² 0.3
    # (Governance); JT Holm-adjusted p < 0.05 for Governance only (0.007); 3 of 4 statements hold
    assert found.lines[0] == ("On the synthetic panel (illustrative), 0 of 6 dimensions differ between regions at "
                              "alpha = 0.05 (Kruskal-Wallis, Holm-adjusted over 7 tests; largest effect ε² = 0.300 "
                              "for Governance).")
    assert found.lines[1] == ("1 of 6 dimensions rise from west to east at alpha = 0.05 (Jonckheere-Terpstra, "
                              "Holm-adjusted over 7 tests).")
    assert found.lines[2] == "3 of 4 of the report's regional statements hold on these data."
    assert len(found.lines) == 5 and "synthetic panel's regional structure" in found.lines[4]
    assert found.summary == ("Illustrative (synthetic panel): 0/6 dimensions differ between regions, 1/6 rise west "
                             "to east (alpha 0.05, Holm-adjusted); 3/4 of the report's regional statements hold on "
                             "these data.")
    real = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=False)
    assert len(real.lines) == 4 and not real.summary.startswith("Illustrative")
    # the composite's order published: its raw p-values are a finding about the published ranks. Kruskal p 0.01:
    # 7 x 0.01 = 0.07 >= 0.05 and 0.01 < 0.05, so its Holm verdict depends on the other tests (named); JT p 0.5 >= 0.05
    pub = regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True,
                               composite="Composite", composite_published=True)
    assert pub.lines[:3] == found.lines[:3] and len(pub.lines) == 6
    assert pub.lines[3] == ("Among these 100 cities the composite's order is CCID's published ranking, and both rank "
                            "tests use only that order and the cities' regions, so their raw p-values are a finding "
                            "about the published ranks, not an illustration (the same on every panel that fits them); "
                            "after Holm's correction the Kruskal-Wallis verdict also depends on the dimensions' tests, "
                            "which the published ranks do not decide: the composite does not differ detectably between "
                            "regions (Kruskal-Wallis p = 0.01, Holm-adjusted 0.07, effect ε² = 0.200) and does not rise "
                            "detectably from west to east (Jonckheere-Terpstra p = 0.5, Holm-adjusted 1) at alpha = "
                            "0.05.")
    assert pub.lines[5].endswith("(except the composite's rank tests above, which the published ranking decides).")
    assert pub.summary == found.summary + (" From the published ranking itself (not illustrative): the composite "
                                           "does not differ detectably between regions (Kruskal-Wallis p = 0.01, "
                                           "Holm-adjusted 0.07) and does not rise detectably west to east "
                                           "(Jonckheere-Terpstra p = 0.5, Holm-adjusted 1).")
    with pytest.raises(ParameterError, match="^composite"):
        regional.conclusions(kw, jt, checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True,
                             composite_published=True)
    with pytest.raises(ParameterError, match="^kruskal should be"):          # raw results, no family
        regional.conclusions({k: dataclasses.replace(r, p_holm=None) for k, r in kw.items()}, jt, checks, dims=DIMS,
                             names=NAMES, alpha=0.05, synthetic=True)


def test_conclusions_name_the_national_mean_tests_and_the_dunn_pairs():
    checks = pd.DataFrame({"statement": ["a"], "holds on these data": [True]})
    weak = {**BELOW, "INF:西北": NationalMeanResult(-2.7, 0.33, 0.37, 5, 95, "less")}
    none = pd.DataFrame(columns=regional.DUNN_COLUMNS)
    found = regional.conclusions(_kw(), _jt(0.5), checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=False,
                                 national=weak, dunn=none)
    assert found.lines[3].startswith("Against the national mean (one-sided permutation tests of each region's mean "
                                     "against the other cities'): 西北 below on INF (mean minus the national mean "
                                     "-2.70, minus the other cities' mean -2.84, the test statistic; p = 0.33, 5 "
                                     "cities)")     # -2.70 x 100 / 95 = -2.842 (hand: mean(r) - mean = 95/100 x "
                                                    # (mean(r) - mean(rest)))
    assert found.lines[3].endswith("for 西北 and 东北 on information infrastructure does not hold at alpha = 0.05 (both "
                                   "tests must reject); with so few cities a non-rejection does not show they are not "
                                   "below.")
    assert found.lines[4].startswith("No dimension's Kruskal-Wallis test rejects after Holm's correction over 6 tests")
    kw = {**_kw(), "Governance": regional.KruskalWallisResult(9.0, 0.001, 6, 100, 0.2, 0.1, [], p_holm=0.006)}
    pairs = pd.DataFrame({"column": ["Governance"] * 2, "group_a": ["华东", "华东"], "group_b": ["西北", "西南"],
                          "p_holm": [0.01, 0.3], "differs": [True, False]})
    found = regional.conclusions(kw, _jt(0.5), checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=False,
                                 national=BELOW, dunn=pairs)
    assert found.lines[4] == ("Pairs of regions that differ (Dunn's test, Holm over each dimension's pairs, where "
                              "Kruskal-Wallis rejects after Holm): Governance: 华东-西北 (1 of 2 pairs).")
    assert "does not hold" not in found.lines[3] and found.lines[3].endswith("holds at alpha = 0.05 (both tests must "
                                                                              "reject).")


@pytest.mark.parametrize("alpha", [0, 1, 1.5, -0.1, float("nan"), True, "0.05"])
def test_alpha_must_be_in_the_open_unit_interval(alpha):
    checks = pd.DataFrame({"statement": ["a"], "holds on these data": [True]})
    with pytest.raises(ParameterError, match=r"^alpha should be a finite number in \(0, 1\)"):
        regional.report_statements(MEANS, _jt(0.01), dims=DIMS, names=NAMES, alpha=alpha, national=BELOW)
    with pytest.raises(ParameterError, match=r"^alpha should be a finite number in \(0, 1\)"):
        regional.conclusions({}, {}, checks, dims=[], names={}, alpha=alpha, synthetic=False)


def test_require_groups():
    out = regional.require_groups(["a", "b"], region=pd.Series({"b": "X", "a": "Y"}), zone=pd.Series({"a": 1, "b": 2}))
    assert out.to_dict("list") == {"region": ["Y", "X"], "zone": [1, 2]}
    with pytest.raises(DataError, match="need a zone for every city"):
        regional.require_groups(["a"], region=pd.Series({"a": "X"}), zone=None)
    with pytest.raises(DataError, match=r"no region for \['b'\]"):
        regional.require_groups(["a", "b"], region=pd.Series({"a": "X"}))


# ---------------------------------------------------------------- review findings 8-12: bad input is named
@pytest.mark.parametrize("fn", sorted(CALLS))
@pytest.mark.parametrize("where", ["values", "groups"])
def test_a_repeated_unit_is_a_data_error(fn, where):
    # a unit twice (in the scores or in the group labels) raised pandas' "cannot reindex" ValueError
    values = pd.concat([VALUES, VALUES.iloc[:1]]) if where == "values" else VALUES
    groups = pd.concat([GROUPS, GROUPS.iloc[:1]]) if where == "groups" else GROUPS
    with pytest.raises(DataError, match=r"must be unique.*repeated: a"):
        CALLS[fn](values, groups)


@pytest.mark.parametrize("groups", [None, "XXYYZZ", 3])
def test_groups_that_are_not_labels_are_a_parameter_error(groups):
    for fn in CALLS.values():
        with pytest.raises(ParameterError, match="^groups should be a pandas Series"):
            fn(VALUES, groups)


@pytest.mark.parametrize("values, groups", [
    (pd.Series([1.0, 2.0, 3.0]), pd.Series(list("AAA"))),           # one group
    (pd.Series([1.0, 2.0, 3.0]), pd.Series(list("ABC"))),           # three groups, none with min_size 2 units
])
def test_kruskal_with_fewer_than_two_groups_is_a_data_error(values, groups):
    # finding 12: how many groups the data have is a property of the data, not of an argument
    with pytest.raises(DataError, match="at least two groups with 2\\+ units"):
        regional.kruskal_wallis(values, groups)


@pytest.mark.parametrize("value", [0.0, 5.0, -1.5])
def test_kruskal_of_constant_values_is_a_data_error_naming_the_column(value):
    # finding 9: every value tied gives scipy's H = 0/0 = nan (a RuntimeWarning, p = nan); refused instead
    scores = pd.DataFrame({"s": [value] * 6, "t": [1.0, 2, 3, 4, 5, 6]}, index=VALUES.index)
    with pytest.raises(DataError, match=r"column 's'.*every value is the same"):
        regional.kruskal_wallis(scores["s"], GROUPS)
    with pytest.raises(DataError, match=r"column 's'"):
        regional.kruskal_wallis_by(scores, GROUPS)
    # ties within groups only are fine: H is defined once two values differ
    assert np.isfinite(regional.kruskal_wallis(pd.Series([1.0, 1, 2, 2, 2, 2], index=VALUES.index), GROUPS).statistic)


@pytest.mark.parametrize("fn", ["kruskal_wallis_by", "jonckheere_terpstra_by"])
@pytest.mark.parametrize("names, shown", [({"zz": "Z"}, "unknown key"), ({"s": "T"}, "twice"), (["s"], "list")])
def test_names_of_the_by_functions_must_name_columns(fn, names, shown):
    # finding 10: names={"zz": ...} was ignored silently; naming two columns alike overwrote one result
    scores = pd.DataFrame({"s": VALUES, "T": VALUES[::-1].to_numpy()}, index=VALUES.index)
    kwargs = {"order": "XYZ", "n_perm": 9} if fn == "jonckheere_terpstra_by" else {}
    with pytest.raises(ParameterError, match=rf"^names should be .*{shown}"):
        getattr(regional, fn)(scores, GROUPS, names=names, **kwargs)


@pytest.mark.parametrize("fn", ["kruskal_wallis_by", "jonckheere_terpstra_by"])
@pytest.mark.parametrize("scores", [None, VALUES, np.ones((6, 2))])
def test_scores_of_the_by_functions_must_be_a_frame(fn, scores):
    kwargs = {"order": "XYZ", "n_perm": 9} if fn == "jonckheere_terpstra_by" else {}
    with pytest.raises(ParameterError, match="^scores should be a pandas DataFrame"):
        getattr(regional, fn)(scores, GROUPS, **kwargs)


@pytest.mark.parametrize("columns, name", [(["nope"], "columns"), (["statistic", "z"], "columns"), ("k", "columns"),
                                           (None, "columns")])
def test_result_table_names_a_column_that_is_not_a_field(columns, name):
    # finding 8: result_table(kw, ["nope"]) raised AttributeError; "z" is a J-T field, not a Kruskal-Wallis one
    kw = regional.kruskal_wallis_by(VALUES.to_frame("s"), GROUPS)
    with pytest.raises(ParameterError, match=rf"^{name} should be"):
        regional.result_table(kw, columns)


@pytest.mark.parametrize("results", [None, [1], {"a": 1}, {"a": KruskalWallisResult}])
def test_result_table_needs_named_results(results):
    with pytest.raises(ParameterError, match="^results should be a dict of named results"):
        regional.result_table(results, ["k"])


@pytest.mark.parametrize("kwargs", [{"dims": ["ZZZ"]}, {"dims": DIMS + ["ZZZ"]}, {"dims": "INF"},
                                    {"jonckheere": {}}])
def test_report_statements_names_a_dimension_without_a_name_or_result(kwargs):
    # finding 8: dims=["ZZZ"] raised KeyError; so did a dimension whose J-T result is missing
    args = {"dims": DIMS, "names": NAMES, "alpha": 0.05, "regions": REGIONS, **kwargs}
    jt = args.pop("jonckheere", _jt(0.01))
    with pytest.raises(ParameterError, match="^dims should be"):
        regional.report_statements(MEANS, jt, national=BELOW, **args)


@pytest.mark.parametrize("regions, shown", [(["火星"], "火星"), (REGIONS + ["national"], "national"),
                                            (REGIONS[:-1], "without 华北"), ("华东", "华东")])
def test_report_statements_names_a_region_that_is_not_a_row_or_is_left_out(regions, shown):
    # finding 8: regions=["火星"] raised KeyError (and a region the statements name, left out, too)
    with pytest.raises(ParameterError, match=f"^regions should be .*{shown}"):
        regional.report_statements(MEANS, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW,
                                   regions=regions)


@pytest.mark.parametrize("drop, match", [({"index": "东北"}, "no mean for 东北"), ({"columns": "LOW"}, "column 'LOW'")])
def test_report_statements_on_means_without_a_region_or_a_dimension_is_a_data_error(drop, match):
    # a dataset whose cities include no 东北 city has no 东北 mean: the statement about it cannot be checked
    with pytest.raises(DataError, match=match):
        regional.report_statements(MEANS.drop(**drop), _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW)


@pytest.mark.parametrize("means", [None, MEANS.drop(index="national"), MEANS.to_numpy()])
def test_report_statements_needs_group_means(means):
    with pytest.raises(ParameterError, match="^means should be what group_means returned"):
        regional.report_statements(means, _jt(0.01), dims=DIMS, names=NAMES, alpha=0.05, national=BELOW)


@pytest.mark.parametrize("synthetic", ["no", "yes", 1, 0, None, "False"])
def test_conclusions_synthetic_must_be_a_bool(synthetic):
    # finding 10: synthetic="no" printed "Illustrative (synthetic panel)"
    kw = _kw()
    checks = pd.DataFrame({"statement": ["a"], "holds on these data": [True]})
    with pytest.raises(ParameterError, match="^synthetic should be True or False"):
        regional.conclusions(kw, _jt(0.5), checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=synthetic)


@pytest.mark.parametrize("kwargs, name", [({"dims": ["ZZZ"]}, "dims"), ({"kruskal": {}}, "dims"),
                                          ({"kruskal": {}, "dims": []}, "kruskal"),
                                          ({"statements": None}, "statements")])
def test_conclusions_names_a_bad_argument(kwargs, name):
    kw = _kw()
    args = {"kruskal": kw, "statements": pd.DataFrame({"statement": ["a"], "holds on these data": [True]}),
            "dims": DIMS, **kwargs}
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        regional.conclusions(args.pop("kruskal"), _jt(0.5), args.pop("statements"), names=NAMES, alpha=0.05,
                             synthetic=False, **args)


def test_regions_in_keeps_the_given_order_and_only_rows_of_means():
    # notebook 05's bar order: the appendix's order (REGIONS), regions without a mean left out, never national
    assert regional.regions_in(MEANS.drop(index="西北"), ["华北", "national", "西北", "华东"]) == ["华北", "华东"]
    assert regional.regions_in(MEANS, {"华东": "East China", "中南": "Central-South"}) == ["华东", "中南"]
    with pytest.raises(ParameterError, match="^regions should be a sequence"):
        regional.regions_in(MEANS, "华东")
    with pytest.raises(ParameterError, match="^means should be"):
        regional.regions_in(None, ["华东"])


# ------------------------------------------------------------------ the per-panel statistics of the ensemble

_ZONE_OF = {"华北": "东部", "华东": "东部", "中南": "中部", "西南": "西部", "西北": "西部", "东北": "东北"}
_LEVEL = {"西部": 0.0, "中部": 1.0, "东部": 2.0, "东北": 1.0}


def _panel(seed: int, *, trend: float = 0.0, per_region: int = 10):
    """Cities of the six regions (``per_region`` each), scores = ``trend`` x zone level (west 0, central 1, east 2)
    + N(0, 1) noise per dimension; the composite is their mean."""
    rng = np.random.default_rng(seed)
    region = pd.Series([r for r in _ZONE_OF for _ in range(per_region)],
                       index=[f"c{i:03d}" for i in range(6 * per_region)])
    zone = region.map(_ZONE_OF)
    level = zone.map(_LEVEL).to_numpy()
    scores = pd.DataFrame({d: trend * level + rng.normal(size=len(region)) for d in DIMS}, index=region.index)
    scores["INDEX"] = scores[DIMS].mean(axis=1)
    return scores, region, zone


def _ens(scores, region, zone, *, n_perm=199, seed=0, alpha=0.05):
    return regional.ensemble_statistics(scores, region, zone, dims=DIMS, composite="INDEX", regions=REGIONS,
                                        alpha=alpha, n_perm=n_perm, seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ensemble_statistics_equal_the_tests_they_count(seed):
    scores, region, zone = _panel(seed, trend=0.5)
    s = _ens(scores, region, zone, seed=seed)
    assert list(s) == ["kw_dims", "jt_dims", "statements", "inf_below_p", "epsilon2_max", "kw_p_composite",
                       "kw_holm_composite", "epsilon2_composite", "jt_p_composite", "jt_holm_composite"]
    assert list(regional.ensemble_labels(n_dims=6, n_perm=199, alpha=0.05)) == list(s)
    # Kruskal-Wallis from scipy directly (every region has 10 cities, so none is left out); eps2 = H / (n - 1);
    # Holm over the seven tests from statsmodels
    cols = DIMS + ["INDEX"]
    kw = {d: stats.kruskal(*[scores.loc[region == r, d] for r in sorted(set(region))]) for d in cols}
    kw_holm = dict(zip(cols, multipletests([kw[d].pvalue for d in cols], method="holm")[1]))
    assert s["kw_dims"] == sum(kw_holm[d] < 0.05 for d in DIMS)
    assert_allclose(s["epsilon2_max"], max(kw[d].statistic for d in DIMS) / (len(scores) - 1), rtol=1e-12)
    assert_allclose([s["kw_p_composite"], s["kw_holm_composite"]], [kw["INDEX"].pvalue, kw_holm["INDEX"]], rtol=1e-12)
    assert_allclose(s["epsilon2_composite"], kw["INDEX"].statistic / (len(scores) - 1), rtol=1e-12)
    # Jonckheere-Terpstra: the module's own single-column test, with the same permutations (seed); Holm by statsmodels
    jt = {d: regional.jonckheere_terpstra(scores[d], zone, order=regional.ZONE_ORDER, n_perm=199, seed=seed)
          for d in cols}
    jt_holm = dict(zip(cols, multipletests([jt[d].p_value for d in cols], method="holm")[1]))
    assert s["jt_dims"] == sum(jt_holm[d] < 0.05 for d in DIMS)
    assert s["jt_p_composite"] == jt["INDEX"].p_value
    assert_allclose(s["jt_holm_composite"], jt_holm["INDEX"], rtol=1e-12)
    # 西北 and 东北 below the national mean on INF: scipy's permutation test of the difference of means, region vs rest
    below = [stats.permutation_test((scores.loc[region == r, "INF"], scores.loc[region != r, "INF"]),
                                    lambda x, y, axis: x.mean(axis=axis) - y.mean(axis=axis), vectorized=True,
                                    n_resamples=199, alternative="less", rng=np.random.default_rng(seed)).pvalue
             for r in ("西北", "东北")]
    assert_allclose(s["inf_below_p"], max(below), rtol=1e-12)
    # the detailed statements: the first N_DETAILED_STATEMENTS rows of report_statements
    national = regional.national_mean_tests(scores, region, n_perm=199, seed=seed)
    table = regional.report_statements(regional.group_means(scores, region), regional.jonckheere_terpstra_by(
        scores, zone, order=regional.ZONE_ORDER, names=NAMES, n_perm=199, seed=seed), dims=DIMS, names=NAMES,
        alpha=0.05, national=national, regions=REGIONS)
    assert len(table) - len(DIMS) == regional.N_DETAILED_STATEMENTS == 8
    assert s["statements"] == table["holds on these data"].iloc[:8].sum()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ensemble_statistics_depend_only_on_the_order_of_each_column(seed):
    # Kruskal-Wallis and Jonckheere-Terpstra are rank tests: a strictly increasing transform of every column leaves
    # their values unchanged (the statements compare means, which such a transform can reorder: left out here)
    scores, region, zone = _panel(seed, trend=0.3)
    a = _ens(scores, region, zone, seed=seed)
    b = _ens(np.exp(scores) * 10 + 3, region, zone, seed=seed)
    for key in ("kw_dims", "jt_dims", "epsilon2_max", "kw_p_composite", "kw_holm_composite", "epsilon2_composite",
                "jt_p_composite", "jt_holm_composite"):
        assert a[key] == pytest.approx(b[key], rel=1e-12, abs=0), key


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_planted_west_east_trend_is_found_in_every_dimension_and_its_reverse_in_none(seed):
    scores, region, zone = _panel(seed, trend=2.0)
    tests = regional.ensemble_conclusions(alpha=0.05, n_dims=6)
    up = _ens(scores, region, zone, seed=seed)
    down = _ens(-scores, region, zone, seed=seed)
    assert up["jt_dims"] == 6 and down["jt_dims"] == 0
    every = next(t for text, (t, _, _) in tests.items() if text.startswith("every dimension rises"))
    composite = next(t for text, (t, _, _) in tests.items() if text.startswith("the composite rises"))
    assert every(up) and composite(up) and not every(down) and not composite(down)


@pytest.mark.parametrize("published", [False, True])
def test_the_composite_tests_rest_on_the_published_ranks_only_when_its_order_is_published(published):
    # spread's bases: "published" for the composite's two rank tests when its order among the cities is the
    # published one and its raw p decides the Holm verdict whatever the other six tests (p >= alpha: never
    # rejects; 7 p < alpha: always, since Holm's adjusted p lies between p and 7 p); otherwise "generator" (the
    # Holm verdict then moves with the dimensions' p-values, which no published table fixes)
    p = {"kw": 0.2, "jt": 0.001}                        # 0.2 >= 0.05; 7 x 0.001 = 0.007 < 0.05
    tests = regional.ensemble_conclusions(alpha=0.05, n_dims=6, composite_published=published, composite_p=p)
    bases = {text: basis for text, (_, basis, _) in tests.items()}
    composite = [b for text, b in bases.items() if text.startswith("the composite")]
    assert composite == ["published" if published else "generator"] * 2
    # four of the six dimensions have no published order, and a difference of means rests on gaps: "generator"
    assert {b for text, b in bases.items() if not text.startswith("the composite")} == {"generator"}
    # a raw p between alpha / 7 and alpha: the verdict after Holm depends on the dimensions' p-values
    between = regional.ensemble_conclusions(alpha=0.05, n_dims=6, composite_published=published,
                                            composite_p={"kw": 0.01, "jt": 0.0072})
    assert [b for t, (_, b, _) in between.items() if t.startswith("the composite")] == ["generator", "generator"]
    # without the nominal p-values nothing is claimed as published
    assert [b for t, (_, b, _) in regional.ensemble_conclusions(alpha=0.05, n_dims=6, composite_published=published)
            .items() if t.startswith("the composite")] == ["generator", "generator"]
    stats_ = regional.RegionalStatistics(dims=DIMS, composite="INDEX", regions=REGIONS, alpha=0.05, n_perm=9, seed=0,
                                         composite_published=published)
    nominal = {"kw_p_composite": 0.2, "jt_p_composite": 0.001}
    assert {t: b for t, (_, b, _) in stats_.conclusions(nominal).items()} == bases
    with pytest.raises(ParameterError, match="^composite_published"):
        regional.ensemble_conclusions(alpha=0.05, n_dims=6, composite_published="yes")
    with pytest.raises(ParameterError, match="^composite_p"):
        regional.ensemble_conclusions(alpha=0.05, n_dims=6, composite_p={"kw": 0.1})


def test_every_test_conclusion_is_a_rejection_event_and_its_non_rejection_is_not_worded_as_ruling_it_out():
    # REVIEW13b finding 3: Kruskal-Wallis "differs", Jonckheere-Terpstra "rises" and the permutation test's
    # "significantly below" are rejections of a null; the count of the report's statements is a claim
    kinds = {text: kind for text, (_, _, kind) in regional.ensemble_conclusions(alpha=0.05, n_dims=6).items()}
    assert [k for t, k in kinds.items() if t.startswith("all 8 of the report")] == ["claim"]
    assert {k for t, k in kinds.items() if not t.startswith("all 8 of the report")} == {"rejection"}
    # through spread.summarize on three stand-in panels whose statistics no test rejects on: the sentences say a
    # non-rejection is not evidence against the claim, and none credits the published ranks with ruling it out
    from types import SimpleNamespace
    from cityeval.notebook import spread
    none_reject = {"kw_dims": 0.0, "jt_dims": 0.0, "statements": 2.0, "inf_below_p": 0.3, "kw_holm_composite": 0.5,
                   "jt_holm_composite": 0.5, "kw_p_composite": 0.5, "jt_p_composite": 0.5}
    tests = regional.ensemble_conclusions(alpha=0.05, n_dims=6, composite_published=True,
                                          composite_p={"kw": 0.5, "jt": 0.5})
    ens = SimpleNamespace(panels=[object()] * 3, size=3, seed=0, reason="")
    summary = spread.summarize(ens, lambda panel: dict(none_reject), nominal=object(), conclusions=tests)
    lines = summary.sentences()
    for text, (_, _, kind) in tests.items():
        line = next(s for s in lines if s.startswith(f"“{text}”"))
        assert "rule it out" not in line and "decide it" not in line.replace("alone decide it", ""), line
        if kind == "rejection":
            assert "not evidence against the claim" in line, line
        else:
            assert "generator's structure, not the published ranks" in line, line


def test_order_is_published_by_hand():
    table = pd.DataFrame({"city": ["a", "b", "c"], "rank": [1, 2, 3]})
    ranks = pd.Series({"a": 1, "b": 2, "c": 3, "d": 4})
    # within the list's length, the list's order: yes; beyond it (d is not listed): no
    assert regional.order_is_published(ranks, table, top_n=3) and regional.order_is_published(ranks, table, top_n=2)
    assert not regional.order_is_published(ranks, table, top_n=4)
    # two listed cities swapped, a listed city missing, an unlisted city ranked within the list: no
    assert not regional.order_is_published(pd.Series({"a": 2, "b": 1, "c": 3, "d": 4}), table, top_n=3)
    assert not regional.order_is_published(pd.Series({"a": 1, "b": 2, "d": 3}), table, top_n=3)
    assert not regional.order_is_published(pd.Series({"a": 1, "b": 2, "c": 3, "d": 3}), table, top_n=3)
    with pytest.raises(ParameterError, match="^published"):
        regional.order_is_published(ranks, table.rename(columns={"rank": "r"}), top_n=3)
    with pytest.raises(ParameterError, match="^top_n"):
        regional.order_is_published(ranks, table, top_n=0)


def test_ensemble_statistics_refuse_bad_arguments():
    scores, region, zone = _panel(0)
    with pytest.raises(ParameterError, match="dims/composite"):
        regional.ensemble_statistics(scores, region, zone, dims=DIMS, composite="NOPE", regions=REGIONS, alpha=0.05,
                                     n_perm=9, seed=0)
    with pytest.raises(ParameterError, match="^dims"):
        regional.ensemble_statistics(scores, region, zone, dims="INF", composite="INDEX", regions=REGIONS,
                                     alpha=0.05, n_perm=9, seed=0)
    with pytest.raises(ParameterError, match="^scores"):
        regional.ensemble_statistics(scores.to_numpy(), region, zone, dims=DIMS, composite="INDEX", regions=REGIONS,
                                     alpha=0.05, n_perm=9, seed=0)
    with pytest.raises(ParameterError, match="^alpha"):
        _ens(scores, region, zone, alpha=1.0)
    bad = scores.copy()
    bad.iloc[3, 1] = np.nan
    with pytest.raises(DataError):
        _ens(bad, region, zone)
    with pytest.raises(ParameterError, match="^n_dims"):
        regional.ensemble_conclusions(alpha=0.05, n_dims=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jonckheere_by_columns_equals_one_call_per_column(seed):
    # jonckheere_terpstra_by draws the permutations once for all columns; each result must be exactly what
    # jonckheere_terpstra gives for that column with the same seed (ties included: rounded scores)
    scores, _, zone = _panel(seed, trend=0.2)
    scores = scores.round(1)
    by = regional.jonckheere_terpstra_by(scores, zone, order=regional.ZONE_ORDER, n_perm=301, seed=seed)
    for c in scores.columns:
        one = regional.jonckheere_terpstra(scores[c], zone, order=regional.ZONE_ORDER, n_perm=301, seed=seed)
        assert dataclasses.replace(by[c], p_holm=one.p_holm) == one, c       # p_holm: Holm over the columns


def test_conclusions_quote_the_spread():
    kw = {NAMES[d]: regional.KruskalWallisResult(1.0, 0.5, 6, 100, 0.01, 0.0, [], p_holm=1.0)
          for d in DIMS + ["INDEX"]}
    checks = pd.DataFrame({"statement": list("abcd"), "holds on these data": [True, False, True, True]})
    spread = {"kw_dims": "KW-RANGE", "jt_dims": "JT-RANGE", "statements": "ST-RANGE"}
    found = regional.conclusions(kw, _jt(0.5), checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True,
                                 spread=spread)
    assert found.summary == ("Illustrative (synthetic panels): of 6 dimensions, KW-RANGE differ between regions and "
                             "JT-RANGE rise west to east (alpha 0.05, Holm-adjusted); of the report's 8 detailed "
                             "regional statements, ST-RANGE hold.")
    assert found.lines[0].startswith("On the synthetic panel (illustrative), KW-RANGE of 6 dimensions differ")
    assert "largest effect" not in found.lines[0]        # no dimension named from one panel's draw
    assert found.lines[2].startswith("ST-RANGE of the report's 8 detailed regional statements hold (3 of all 4")
    with pytest.raises(ParameterError, match="^spread"):
        regional.conclusions(kw, _jt(0.5), checks, dims=DIMS, names=NAMES, alpha=0.05, synthetic=True,
                             spread={"kw_dims": "x"})


def test_regional_statistics_is_ensemble_statistics_with_at_most_500_permutations():
    scores, region, zone = _panel(7, trend=0.4)

    class Panel:                       # what the callable reads of a scored panel: scores and groups(column)
        def __init__(self):
            self.scores = scores

        def groups(self, column):
            return {"region": region, "zone": zone}[column]

    for n_perm, used in ((5000, regional.ENSEMBLE_PERMUTATIONS), (99, 99)):
        stats_ = regional.RegionalStatistics(dims=DIMS, composite="INDEX", regions=REGIONS, alpha=0.05, n_perm=n_perm,
                                             seed=3)
        assert stats_.n_perm == used and f"{used} permutations" in stats_.labels()["jt_dims"]
        assert stats_(Panel()) == _ens(scores, region, zone, n_perm=used, seed=3)
        assert list(stats_.conclusions()) == list(regional.ensemble_conclusions(alpha=0.05, n_dims=6))
    assert regional.ENSEMBLE_PERMUTATIONS == 500
    with pytest.raises(ParameterError, match="^n_perm"):
        regional.RegionalStatistics(dims=DIMS, composite="INDEX", regions=REGIONS, alpha=0.05, n_perm=0, seed=3)


# ------------------------------------------------------------------ issue 13, item 9: multiplicity and follow-up tests
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_by_functions_adjust_the_family_with_holm_as_statsmodels_does(seed):
    # the seven tests of notebook 05 are one family: p_holm is statsmodels' multipletests(method="holm") of the raw
    # p-values, in column order; every raw p-value is unchanged
    scores, region, zone = _panel(seed, trend=0.4)
    kw = regional.kruskal_wallis_by(scores, region, names=NAMES)
    jt = regional.jonckheere_terpstra_by(scores, zone, order=regional.ZONE_ORDER, names=NAMES, n_perm=199, seed=seed)
    for results, raw in ((kw, [stats.kruskal(*[scores.loc[region == r, c] for r in sorted(set(region))]).pvalue
                               for c in scores.columns]),
                         (jt, [regional.jonckheere_terpstra(scores[c], zone, order=regional.ZONE_ORDER, n_perm=199,
                                                            seed=seed).p_value for c in scores.columns])):
        assert_allclose([r.p_value for r in results.values()], raw, rtol=1e-12)
        assert_allclose([r.p_holm for r in results.values()], multipletests(raw, method="holm")[1], rtol=1e-12)
        assert all(r.p_value <= r.p_holm <= min(1.0, 7 * r.p_value) + 1e-15 for r in results.values())


def test_holm_by_hand():
    # Holm (1979) by hand: p = 0.01, 0.04, 0.03 sorted 0.01 < 0.03 < 0.04 -> 3 x 0.01 = 0.03, 2 x 0.03 = 0.06,
    # max(0.06, 1 x 0.04) = 0.06
    r = {c: JonckheereTerpstraResult(1.0, 0.0, 0.0, p, {}) for c, p in zip("abc", [0.01, 0.04, 0.03])}
    assert_allclose([x.p_holm for x in regional.holm(r).values()], [0.03, 0.06, 0.06], rtol=1e-12)
    # ties, values clipped at 1, and random families: statsmodels' multipletests(method="holm") is the reference
    rng = np.random.default_rng(0)
    for p in ([0.01, 0.01, 0.5, 0.9], [0.3, 0.3, 0.3], *rng.uniform(0, 0.2, size=(20, 7)).round(3).tolist()):
        r = {str(i): JonckheereTerpstraResult(1.0, 0.0, 0.0, v, {}) for i, v in enumerate(p)}
        assert_allclose([x.p_holm for x in regional.holm(r).values()], multipletests(p, method="holm")[1],
                        rtol=1e-12, atol=0)
    assert regional.holm({}) == {}
    with pytest.raises(ParameterError, match="^results"):
        regional.holm({"a": 0.5})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_national_mean_test_is_scipys_permutation_test_and_mann_whitney(seed):
    scores, region, _ = _panel(seed, trend=0.6)
    x, rest = scores.loc[region == "西北", "INF"], scores.loc[region != "西北", "INF"]
    res = regional.national_mean_test(scores["INF"], region, "西北", alternative="less", n_perm=499, seed=seed)
    want = stats.permutation_test((x, rest), lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis),
                                  vectorized=True, n_resamples=499, alternative="less",
                                  rng=np.random.default_rng(seed)).pvalue
    assert_allclose(res.p_value, want, rtol=1e-12)
    assert_allclose(res.mann_whitney_p, stats.mannwhitneyu(x, rest, alternative="less").pvalue, rtol=1e-12)
    assert_allclose(res.statistic, x.mean() - scores["INF"].mean(), rtol=1e-12)    # region minus national mean
    # REVIEW13b finding 9: the permutation test's own statistic, region minus the other cities (pandas means)
    assert_allclose(res.difference_to_rest, x.mean() - rest.mean(), rtol=1e-12)
    table = regional.national_table({"INF:西北": res})
    assert_allclose(table.at[0, "difference_to_rest"], x.mean() - rest.mean(), rtol=1e-12)
    assert_allclose(table.at[0, "difference_to_national"], x.mean() - scores["INF"].mean(), rtol=1e-12)
    assert "difference" not in table.columns
    assert (res.n, res.n_rest, res.alternative) == (10, 50, "less")


def test_national_mean_test_exact_by_hand():
    # A = {1, 2} among 1..8: of the C(8, 2) = 28 equally likely splits only {1, 2} has a mean as low -> p = 1/28
    # (scipy enumerates the splits when there are fewer than n_perm); difference 1.5 - 4.5 = -3
    res = regional.national_mean_test(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8]), pd.Series(list("AABBBBBB")), "A",
                                      alternative="less", n_perm=999)
    assert_allclose(res.p_value, 1 / 28, rtol=1e-12) and res.statistic == -3.0
    up = regional.national_mean_test(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8]), pd.Series(list("AABBBBBB")), "A",
                                     alternative="greater", n_perm=999)
    assert_allclose(up.p_value, 1.0, rtol=1e-12)                       # every split's mean is >= {1, 2}'s
    for kwargs in ({"alternative": "two-sided"}, {"alternative": "less", "n_perm": 0}):
        with pytest.raises(ParameterError):
            regional.national_mean_test(VALUES, GROUPS, "X", **{"n_perm": 9, **kwargs})
    with pytest.raises(ParameterError, match="^region"):
        regional.national_mean_test(VALUES, GROUPS, "Q", alternative="less", n_perm=9)


def test_national_mean_tests_cover_the_reports_comparisons():
    scores, region, _ = _panel(0)
    tests = regional.national_mean_tests(scores, region, n_perm=99, seed=1)
    assert list(tests) == ["INF:西北", "INF:东北", "LIV:中南", "LIV:华北", "LIV:东北"]
    assert [t.alternative for t in tests.values()] == ["less", "less", "greater", "greater", "greater"]
    table = regional.national_table(tests)
    assert table["comparison"].tolist() == list(tests) and table["p_value"].tolist() == [t.p_value for t in
                                                                                           tests.values()]
    with pytest.raises(ParameterError, match="^comparisons"):
        regional.national_mean_tests(scores, region, [("ZZZ", "西北", "less")], n_perm=9)


def test_dunn_pairs_are_scikit_posthocs_after_a_rejected_holm_adjusted_kruskal_wallis():
    import scikit_posthocs

    scores, region, _ = _panel(3, trend=1.5)
    kw = regional.kruskal_wallis_by(scores, region, names=NAMES)
    pairs = regional.dunn_pairs(scores, region, kw, names=NAMES, alpha=0.05)
    followed = [NAMES[c] for c in scores.columns if kw[NAMES[c]].p_holm < 0.05]
    assert followed and sorted(set(pairs["column"])) == sorted(followed)
    for c in scores.columns:
        if NAMES[c] not in followed:
            continue
        want = scikit_posthocs.posthoc_dunn(pd.DataFrame({"v": scores[c], "g": region}), val_col="v", group_col="g",
                                            p_adjust="holm")
        rows = pairs[pairs["column"] == NAMES[c]]
        assert len(rows) == 15                                       # 6 regions: 15 pairs
        for _, row in rows.iterrows():
            assert_allclose(row["p_holm"], want.at[row["group_a"], row["group_b"]], rtol=1e-12)
            assert row["differs"] == (row["p_holm"] < 0.05)
    assert list(pairs.columns) == regional.DUNN_COLUMNS


def test_dunn_pairs_are_not_run_where_kruskal_wallis_rejects_only_before_holm():
    # issue 13: a raw p of 0.02 among seven tests whose Holm-adjusted value is 0.14 is not a rejection: no pairs
    scores, region, _ = _panel(0)
    kw = {k: dataclasses.replace(r, p_value=0.02, p_holm=0.14)
          for k, r in regional.kruskal_wallis_by(scores, region, names=NAMES).items()}
    pairs = regional.dunn_pairs(scores, region, kw, names=NAMES, alpha=0.05)
    assert pairs.empty and list(pairs.columns) == regional.DUNN_COLUMNS
    with pytest.raises(ParameterError, match="^kruskal"):
        regional.dunn_pairs(scores, region, {}, names=NAMES, alpha=0.05)


def test_the_epsilon_squared_bands_are_attributed_to_rcompanion_not_tomczak():
    # issue 13: the 0.01 / 0.08 / 0.26 bands are Mangiafico's rcompanion rule of thumb; Tomczak & Tomczak (2014)
    # give the formula H / (n - 1) but not these bands
    doc = KruskalWallisResult.__doc__
    assert "Mangiafico" in doc and "rcompanion" in doc and "not Tomczak & Tomczak's" in doc
    sentence = next(s for s in regional.assumptions(n_perm=99, alpha=0.05, synthetic=False, family=7)["kruskal"]
                    if "0.26" in s)
    assert "Mangiafico" in sentence and sentence.index("Tomczak") < sentence.index("0.01")


def test_assumptions_name_every_recorded_key_with_sentences():
    a = regional.assumptions(n_perm=500, alpha=0.05, synthetic=True, family=7, top_n=100, ensemble_permutations=500)
    assert set(a) == {"region_means", "kruskal", "jonckheere", "national_mean_tests", "dunn", "statement_checks",
                      "conclusions", "summary", "ensemble"}
    assert all(isinstance(v, list) and v and all(isinstance(x, str) and x for x in v) for v in a.values())
    assert any("Holm" in x and "7 tests" in x for x in a["kruskal"])
    assert any("synthetic" in x for x in a["jonckheere"])
    # REVIEW13b findings 2 and 3: the conclusions state what the published ranks can decide, and that a
    # non-rejection in every panel is not evidence against a claim
    assert any("not evidence against the claim" in x for x in a["conclusions"])
    assert any("Only the composite's rank tests can rest on the published ranks" in x for x in a["conclusions"])
    assert "ensemble" not in regional.assumptions(n_perm=9, alpha=0.05, synthetic=False, family=7, ensemble=False)


def test_the_ensemble_figure_draws_counts_on_whole_number_ticks():
    # REVIEW13b finding 12: "dimensions rising west -> east, of 6" is a count; its axis had ticks 0.25, 0.50, ...
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from types import SimpleNamespace
    from cityeval.notebook import spread

    stats_ = regional.RegionalStatistics(dims=DIMS, composite="INDEX", regions=REGIONS, alpha=0.05, n_perm=9, seed=0)
    rows = [{"kw_dims": k, "jt_dims": k % 2, "statements": 2.0 + k, "inf_below_p": 0.1 * (k + 1),
             "epsilon2_max": 0.01 * k, "kw_p_composite": 0.5, "kw_holm_composite": 0.5, "epsilon2_composite": 0.02,
             "jt_p_composite": 0.01, "jt_holm_composite": 0.07} for k in range(3)]
    ens = SimpleNamespace(panels=[0, 1, 2], size=3, seed=0, reason="")
    summary = spread.summarize(ens, lambda p: dict(rows[p or 0]), nominal=None, labels=stats_.labels())
    fig = stats_.integer_ticks(summary.figure("test"))
    counts = {stats_.labels()[n] for n in ("kw_dims", "jt_dims", "statements")}
    titled = {ax.get_title(loc="left"): ax for ax in fig.axes}
    assert counts <= set(titled)
    fig.canvas.draw()
    for name in counts:
        ticks = titled[name].get_xticks()
        assert len(ticks) and np.all(ticks == np.round(ticks)), (name, ticks)
    plt.close(fig)


# ----------------------------------------------------------------------------- too few cities in a tested region
def test_a_tested_region_with_one_city_is_refused_on_top_n_with_the_reason():
    # notebook 05 with top_n 50 on the embedded panel: 西北 has 1 city among the top 50 (the appendix's regions of
    # Table 3's top 50), so its permutation test against the other cities cannot run; the set-up cell stops
    # with this message instead of scipy's "each sample in `data` must contain two or more observations"
    groups = pd.Series(["华东"] * 29 + ["中南"] * 8 + ["华北"] * 4 + ["西南"] * 4 + ["东北"] * 4 + ["西北"])
    with pytest.raises(ParameterError, match=r"top_n should be .*at least 2 cities .*\(here 西北 has 1\), but its "
                                             r"value is 50\."):
        regional.require_compared_regions(groups, top_n=50)
    missing = groups[groups != "西北"]
    with pytest.raises(ParameterError, match=r"here 西北 has 0"):
        regional.require_compared_regions(missing, top_n=49)
    regional.require_compared_regions(pd.concat([groups, pd.Series(["西北"])], ignore_index=True), top_n=51)
