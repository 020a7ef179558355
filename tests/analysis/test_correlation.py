"""Correlation statistics of notebook 02."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import correlation
from cityeval.errors import ParameterError


def test_fisher_ci_by_hand():
    # Hand calculation: z = atanh(0.7561) = 0.987197, se = 1/sqrt(97) = 0.101535, q = 1.959964:
    # tanh(0.987197 -/+ 0.199005) = 0.657298, 0.829350
    assert_allclose(correlation.fisher_ci(0.7561, 100), (0.657298, 0.829350), atol=1e-6)
    # Spearman: se = sqrt(1.06/97) (Fieller, Hartley & Pearson 1957) -> a wider interval
    lo, hi = correlation.fisher_ci(0.7561, 100, method="spearman")
    assert lo < 0.657298 and hi > 0.829350
    # symmetric in z: r = 0 gives -x, +x
    lo0, hi0 = correlation.fisher_ci(0.0, 50, level=0.9)
    assert_allclose(lo0, -hi0) and assert_allclose(hi0, np.tanh(stats.norm.ppf(0.95) / np.sqrt(47)))


def test_part_whole_formula():
    # k = 6: rho = 0 -> 1/sqrt(6) = 0.408248; rho = 1 -> 1 (hand calculation)
    assert_allclose(correlation.part_whole_r(6, 0.0), 1 / np.sqrt(6))
    assert_allclose(correlation.part_whole_r(6, 1.0), 1.0)
    # the inverse: 0.7561 -> (6 * 0.7561^2 - 1) / 5 = 0.486025
    assert_allclose(correlation.implied_rho(0.7561, 6), 0.48602465, rtol=1e-7)
    assert_allclose(correlation.part_whole_r(6, correlation.implied_rho(0.7561, 6)), 0.7561)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.7])
def test_part_whole_against_simulation(rho):
    sims = correlation.simulate_part_whole(6, rho, n=400, n_sim=300, seed=11)
    # the sample mean of r over 300 samples of n = 400 is within 0.01 of the analytic value
    # (sampling sd of r at n = 400 is about (1 - r^2)/20 <= 0.05; / sqrt(300) -> 0.003, plus small-sample bias)
    assert_allclose(sims.mean(), correlation.part_whole_r(6, rho), atol=0.01)


def test_correlation_test_matches_scipy():
    rng = np.random.default_rng(5)
    x = rng.normal(size=80)
    y = 0.5 * x + rng.normal(size=80)
    res = correlation.correlation_test(x, y, n_boot=500, n_perm=500, seed=3)
    assert_allclose(res["r"], stats.pearsonr(x, y)[0])
    assert res["boot_lo"] < res["r"] < res["boot_hi"]
    assert res["fisher_lo"] < res["r"] < res["fisher_hi"]
    assert res["perm_p"] < 0.01  # true correlation 0.45 at n = 80
    sp = correlation.correlation_test(x, y, method="spearman", n_boot=200, n_perm=200, seed=3)
    assert_allclose(sp["r"], stats.spearmanr(x, y)[0])
    # independent variables: a permutation p-value that is not small, for several seeds
    for seed in range(3):
        z = np.random.default_rng(100 + seed).normal(size=(2, 60))
        assert correlation.correlation_test(z[0], z[1] * 0 + np.random.default_rng(200 + seed).normal(size=60),
                                            n_boot=50, n_perm=400, seed=seed)["perm_p"] > 0.001


def test_composite_without():
    scores = pd.DataFrame({"A": [1.0, 2.0], "B": [3.0, 5.0], "C": [5.0, 8.0]}, index=["x", "y"])
    # hand: mean of B and C -> x: 4, y: 6.5
    assert_allclose(correlation.composite_without(scores, ["A", "B", "C"], "A"), [4.0, 6.5])
    # weights renormalised over the rest: B 1, C 3 -> x: (3 + 15)/4 = 4.5
    assert_allclose(correlation.composite_without(scores, ["A", "B", "C"], "A", weights={"A": 2, "B": 1, "C": 3}).iloc[0], 4.5)


@pytest.mark.parametrize("call, name", [
    (lambda: correlation.fisher_ci(1.0, 10), "r"),
    (lambda: correlation.fisher_ci(0.5, 3), "n"),
    (lambda: correlation.fisher_ci(0.5, 10, level=1.5), "level"),
    (lambda: correlation.correlation_test([1, 2, 3, 4], [1, 2, 3, 4], method="kendall"), "method"),
    (lambda: correlation.correlation_test([1, 2, 3], [1, 2, 4]), "x, y"),
    (lambda: correlation.correlation_test([1, 1, 1, 1], [1, 2, 3, 4]), "x, y"),
    (lambda: correlation.part_whole_r(6, -0.5), "rho"),
    (lambda: correlation.implied_rho(1.2, 6), "r"),
    (lambda: correlation.composite_without(pd.DataFrame({"A": [1.0]}), ["A"], "B"), "drop"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        call()


def test_coefficient_matches_scipy():
    x, y = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0, 6.0]
    assert_allclose(correlation.coefficient(x, y), stats.pearsonr(x, y)[0])
    # Spearman by hand: ranks (1..5) vs (2, 1, 4, 3, 5): sum d^2 = 4 -> 1 - 6*4/120 = 0.8
    assert_allclose(correlation.coefficient(x, y, method="spearman"), 0.8)


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_vectorized_resampling_gives_the_same_numbers(method):
    # issue 6: scipy evaluates the coefficient on all resamples at once (vectorized=True); the resamples
    # and permutations are those of vectorized=False for the same seed, so the interval and p-value are
    # the ones the one-call-per-resample form gives (Spearman with ties: up to rounding, ~1e-16)
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(size=60), 1)          # rounded: ties, so Spearman uses average ranks
    y = 0.6 * x + rng.normal(size=60)
    coef = (lambda a, b: stats.pearsonr(a, b)[0]) if method == "pearson" else (lambda a, b: stats.spearmanr(a, b)[0])
    boot = stats.bootstrap((x, y), coef, paired=True, vectorized=False, n_resamples=300, method="percentile",
                           rng=np.random.default_rng(4))
    perm = stats.permutation_test((x, y), coef, permutation_type="pairings", vectorized=False, n_resamples=300,
                                  rng=np.random.default_rng(4))
    res = correlation.correlation_test(x, y, method=method, n_boot=300, n_perm=300, seed=4)
    assert_allclose([res["boot_lo"], res["boot_hi"]],
                    [boot.confidence_interval.low, boot.confidence_interval.high], rtol=1e-13)
    assert res["perm_p"] == perm.pvalue


def test_mean_intercorrelation_by_hand():
    f = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [3.0, 2, 1]})
    # pairs ab = 1, ac = -1, bc = -1 (perfectly (anti)linear columns): mean -1/3
    assert_allclose(correlation.mean_intercorrelation(f), -1 / 3)
    with pytest.raises(ParameterError, match="^frame should be"):
        correlation.mean_intercorrelation(f[["a"]])
