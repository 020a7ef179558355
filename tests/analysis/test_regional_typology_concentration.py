"""Statistics of notebooks 05 (regions), 07 (low-carbon typology) and 08 (innovation concentration)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import concentration
from cityeval.analysis import regional
from cityeval.analysis import typology
from cityeval.errors import ParameterError


# ---------------------------------------------------------------- regional
def test_jonckheere_by_hand():
    # A = [1, 2] < B = [3, 4]: all 4 cross pairs ordered -> J = 4; E = (16 - 8)/4 = 2;
    # Var = (16*11 - 2*(4*7))/72 = 120/72 -> z = 2/sqrt(1.6667) = 1.5492 (hand calculation).
    # Exact one-sided p: 1 of the 6 equally likely splits reaches J = 4 -> 1/6.
    res = regional.jonckheere_terpstra(pd.Series([1.0, 2, 3, 4]), pd.Series(list("AABB")), order=["A", "B"],
                                       n_perm=4000, seed=1)
    assert res["J"] == 4 and res["expected"] == 2
    assert_allclose(res["z"], 1.549193, atol=1e-6)
    assert_allclose(res["p_perm"], 1 / 6, atol=0.02)


def test_jonckheere_two_groups_is_mann_whitney():
    rng = np.random.default_rng(3)
    x = pd.Series(rng.normal(size=30))
    g = pd.Series(["lo"] * 14 + ["hi"] * 16)
    res = regional.jonckheere_terpstra(x, g, order=["lo", "hi"], n_perm=10, seed=0)
    # with two groups J is Mann-Whitney's U of the higher group (scipy.stats.mannwhitneyu)
    u = stats.mannwhitneyu(x[g == "hi"], x[g == "lo"]).statistic
    assert_allclose(res["J"], u)


def test_jonckheere_detects_a_trend_for_several_seeds():
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x = pd.Series(np.concatenate([rng.normal(0, 1, 20), rng.normal(1, 1, 20), rng.normal(2, 1, 20)]))
        g = pd.Series(["W"] * 20 + ["C"] * 20 + ["E"] * 20)
        assert regional.jonckheere_terpstra(x, g, order=["W", "C", "E"], n_perm=500, seed=seed)["p_perm"] < 0.01
        # the reversed order finds nothing
        assert regional.jonckheere_terpstra(x, g, order=["E", "C", "W"], n_perm=500, seed=seed)["p_perm"] > 0.5


def test_jonckheere_block_statistic_equals_the_pairwise_definition():
    # _jt_statistics computes J for a block of labellings with one matrix product; it must equal
    # the definition counted pair by pair (ties count 1/2), for four groups and tied values, and
    # the permutation p-value must not depend on the block size.
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(size=23), 1)                           # rounded: ties
    labels = rng.integers(0, 4, size=(7, 23))
    less = (x[:, None] < x[None, :]) + 0.5 * (x[:, None] == x[None, :])
    direct = [sum(less[a, c] for a in range(23) for c in range(23) if lab[a] < lab[c]) for lab in labels]
    assert_allclose(regional._jt_statistics(less, labels, 4), direct, rtol=0, atol=0)
    xs, gs = pd.Series(x), pd.Series(np.array(list("WCEN"))[labels[0]])
    ref = regional.jonckheere_terpstra(xs, gs, order=list("WCEN"), n_perm=300, seed=2)
    old_block = regional._JT_BLOCK
    try:
        regional._JT_BLOCK = 23 * 7                                 # blocks of 7 permutations
        assert regional.jonckheere_terpstra(xs, gs, order=list("WCEN"), n_perm=300, seed=2) == ref
    finally:
        regional._JT_BLOCK = old_block


def test_kruskal_matches_scipy_and_effect_size():
    x = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9])
    g = pd.Series(list("AAABBBCCC"))
    res = regional.kruskal_wallis(x, g)
    h = stats.kruskal([1, 2, 3], [4, 5, 6], [7, 8, 9]).statistic  # 7.2 (hand: 12/(9*10) * 3*(2^2+5^2+8^2)... - 30)
    assert_allclose(res["H"], h) and assert_allclose(res["H"], 7.2)
    assert_allclose(res["epsilon2"], 7.2 / 8)
    assert_allclose(res["eta2"], (7.2 - 3 + 1) / (9 - 3))
    small = regional.kruskal_wallis(pd.Series([1.0, 2, 3, 4, 5]), pd.Series(list("AABBC")))
    assert small["dropped"] == ["C"] and small["k"] == 2


def test_group_means():
    scores = pd.DataFrame({"s": [1.0, 3.0, 5.0]}, index=["a", "b", "c"])
    out = regional.group_means(scores, pd.Series({"a": "X", "b": "X", "c": "Y"}))
    assert out.loc["X", "s"] == 2 and out.loc["Y", "s"] == 5 and out.loc["national", "s"] == 3
    assert out.loc["X", "n"] == 2


# ---------------------------------------------------------------- typology
def test_typology_rule_on_constructed_cases():
    # median of ecology (1, 2, 3, 4) is 2.5, of development (1, 2, 3, 4) is 2.5:
    idx = ["both_high", "eco_only", "both_low", "dev_only"]
    eco = pd.Series([4.0, 3.0, 1.0, 2.0], index=idx)
    dev = pd.Series([4.0, 1.0, 2.0, 3.0], index=idx)
    out = typology.classify(eco, dev)
    assert out["type"].to_dict() == {"both_high": "成效型", "eco_only": "成长型", "both_low": "起步型",
                                     "dev_only": "发展先行型"}
    # a stricter threshold (q = 0.9 -> 3.7) leaves only the city above it on both
    strict = typology.classify(eco, dev, quantile=0.9)
    assert (strict["type"] == "成效型").sum() == 1


def test_typology_errors():
    with pytest.raises(ParameterError, match="^quantile should be"):
        typology.classify(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0]), quantile=1.0)
    with pytest.raises(ParameterError, match="^development should be"):
        typology.classify(pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([1.0, 2.0], index=["a", "c"]))


# ---------------------------------------------------------------- concentration
def test_gini_by_hand():
    # sorted (1, 2, 3, 4): 2 * (1 + 4 + 9 + 16) / (4 * 10) - 5/4 = 0.25
    assert_allclose(concentration.gini([4, 1, 3, 2]), 0.25)
    assert concentration.gini([5, 5, 5]) == 0
    assert_allclose(concentration.gini([0, 0, 0, 4]), 0.75)  # (n - 1)/n


def test_head_concentration_by_hand():
    s = pd.Series([10.0, 9.0, 3.0, 2.0, 1.0], index=list("abcde"))
    res = concentration.head_concentration(s, head=2)
    # top two hold 19/25; gap between 2nd (9) and 3rd (3) is 6; consecutive gaps (1, 6, 1, 1) have median 1
    assert res["leaders"] == ["a", "b"]
    assert_allclose([res["head_share"], res["gap_head"], res["gap_ratio"]], [0.76, 6.0, 6.0])
    assert_allclose(res["gap_head_sd"], 6 / np.std([10, 9, 3, 2, 1], ddof=1))


@pytest.mark.parametrize("call, name", [
    (lambda: concentration.gini([1.0, -1.0]), "x"),
    (lambda: concentration.gini([0.0, 0.0]), "x"),
    (lambda: concentration.head_concentration(pd.Series([1.0, 2.0]), head=2), "head"),
])
def test_concentration_errors(call, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        call()


def test_lorenz_curve_by_hand():
    # sorted (1, 3), total 4: population shares 0, 1/2, 1; cumulative shares 0, 1/4, 1
    p, share = concentration.lorenz_curve([3, 1])
    assert_allclose(p, [0, 0.5, 1]) and assert_allclose(share, [0, 0.25, 1])
    # the Gini is one minus twice the area under the curve (trapezoids): 1 - 2 * 0.375 = 0.25 = gini([1, 3])
    area = float(np.sum((share[1:] + share[:-1]) / 2 * np.diff(p)))
    assert_allclose(1 - 2 * area, concentration.gini([1, 3]))
