"""Bimodality tests, the Foster–Wolfson index and the power simulation (cityeval.analysis.polarization).

Every expected value says where it comes from: a hand calculation (shown), a closed form for a known
distribution, or scipy/scikit-learn computing the same quantity another way. Random samples are drawn
with explicit seeds, and statements about random samples are checked over several seeds, so that no
test passes thanks to one lucky seed.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import polarization as P
from cityeval.analysis import _polarization_mixture
from cityeval.errors import DataError, ParameterError
from cityeval.notebook.panel import DEFAULT_DATA
from results import bimodality_literature as LIT

SEEDS = [0, 1, 2, 3, 4, 20221101]


def _mixture(d, n, seed):
    """An equal mixture of N(-d/2, 1) and N(d/2, 1), n values (group sizes binomial)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n) + d * ((rng.random(n) < 0.5) - 0.5)


# ------------------------------------------------------------------------------- bimodality coefficient

def test_bc_by_hand_symmetric():
    # x = 1, 2, 3, 4: g1 = 0; biased m2 = 1.25, m4 = 2.5625, b2 = 1.64, so the bias-corrected excess kurtosis
    # is ((n+1)(b2 - 3) + 6)(n-1)/((n-2)(n-3)) = (5 * -1.36 + 6) * 3 / 2 = -1.2;
    # denominator -1.2 + 3 * 3^2 / (2 * 1) = 12.3, so BC = 1 / 12.3
    assert_allclose(P.bimodality_coefficient([1.0, 2.0, 3.0, 4.0]), 1 / 12.3, rtol=1e-12)


def test_bc_by_hand_skewed():
    # x = 0, 0, 0, 1: biased skewness 1.1547 -> g1 = 1.1547 * sqrt(12) / 2 = 2; biased kurtosis 2.3333 ->
    # g2 = (5 * -0.6667 + 6) * 3 / 2 = 4 (scipy.stats.skew/kurtosis(bias=False) give 2.0 and 4.0);
    # BC = (2^2 + 1) / (4 + 13.5) = 2/7
    assert_allclose(P.bimodality_coefficient([0.0, 0.0, 0.0, 1.0]), 2 / 7, rtol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_bc_known_distributions(seed):
    rng = np.random.default_rng(seed)
    # uniform: skewness 0, excess kurtosis -6/5, so BC -> 1 / (3 - 6/5) = 5/9 (the reference value, SAS/STAT);
    # n = 200,000 gives a sampling SD of BC about 0.001
    assert_allclose(P.bimodality_coefficient(rng.uniform(size=200_000)), LIT.BC_UNIFORM, atol=0.006)
    # normal: skewness 0, excess kurtosis 0, so BC -> 1/3
    assert_allclose(P.bimodality_coefficient(rng.normal(size=200_000)), LIT.BC_NORMAL, atol=0.006)
    assert P.BC_UNIFORM == LIT.BC_UNIFORM


def test_normal_mixture_bc_closed_form():
    # d = 0 is one normal: 1/3; the crossing of 5/9 is at d^2/4 = (3 + sqrt(15))/2 (solving (1+a)^2/(3+6a+a^2) = 5/9)
    assert_allclose(P.normal_mixture_bc(0.0), 1 / 3)
    d_star = 2 * math.sqrt((3 + math.sqrt(15)) / 2)
    assert_allclose(P.normal_mixture_bc(d_star), 5 / 9, rtol=1e-12)
    assert 3.70 < d_star < 3.72
    # against a large simulated sample: BC of 400,000 draws of the d = 4 mixture (sampling SD ~ 0.001)
    for seed in SEEDS[:3]:
        assert_allclose(P.bimodality_coefficient(_mixture(4.0, 400_000, seed)), P.normal_mixture_bc(4.0), atol=0.006)


# ------------------------------------------------------------------------------------------- dip test

def test_dip_two_point_masses():
    # half the mass at 0 and half at 1: the dip is 1/4, its largest possible value (Hartigan & Hartigan 1985)
    res = P.dip_test([0.0, 0.0, 1.0, 1.0])
    assert_allclose(res.statistic, LIT.DIP_MAX)
    assert res.n == 4


def test_dip_floor_for_unimodal_samples():
    # a constant sample is (degenerately) unimodal, and so are evenly spaced values (a uniform sample):
    # the dip takes its floor 1/(2n) (R's dip with min.is.0 = FALSE) and the p-value is 1
    assert P.dip_test(np.full(10, 3.0)) == P.DipTest(statistic=LIT.dip_floor(10), p_value=1.0, n=10)
    res = P.dip_test(np.arange(8.0))
    assert_allclose(res.statistic, LIT.dip_floor(8))
    assert res.p_value > 0.9


def test_dip_fixed_seed():
    # d = 6: two well-separated modes, n = 200 -> rejects unimodality; one normal sample -> does not
    assert P.dip_test(_mixture(6.0, 200, 20221101)).p_value < 0.01
    assert P.dip_test(np.random.default_rng(20221101).normal(size=200)).p_value > 0.05


@pytest.mark.parametrize("seed", range(10))
def test_dip_not_a_lucky_seed(seed):
    # the same statements for ten seeds: the power at d = 6, n = 200 is essentially 1, and the dip test is
    # conservative for normal samples (its null is calibrated on the uniform), rejecting far below 5%
    assert P.dip_test(_mixture(6.0, 200, seed)).p_value < 0.01
    assert P.dip_test(np.random.default_rng(1000 + seed).normal(size=200)).p_value > 0.05


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-10_000, 10_000), min_size=4, max_size=60, unique=True),
       st.floats(0.01, 100), st.floats(-100, 100))
def test_dip_properties(values, scale, shift):
    x = np.asarray(values, dtype=float)
    res = P.dip_test(x)
    # bounds: at least 1/(2n) for distinct values, at most 1/4 (Hartigan & Hartigan 1985)
    assert 1 / (2 * x.size) - 1e-12 <= res.statistic <= 0.25 + 1e-12
    assert 0 <= res.p_value <= 1
    # the dip depends on the order of the values only through the distribution function: invariant under
    # an increasing affine map and under reflection
    assert_allclose(P.dip_test(scale * x + shift).statistic, res.statistic, atol=1e-9)
    assert_allclose(P.dip_test(-x).statistic, res.statistic, atol=1e-9)


# ------------------------------------------------------------------------------------ Gaussian mixture
# (convergence, order, the batch EM and the bootstrap test: tests/analysis/test_polarization_mixture.py)

def test_gmm_one_component_bic_closed_form():
    # BIC_1 = -2 * sum(log N(x; mean, var_mle)) + 2 ln n, computed here with scipy.stats.norm (the fit adds
    # reg_covar = 1e-6 of the variance, so the match is to about 1e-6)
    x = np.random.default_rng(3).normal(5, 2, size=150)
    ll = stats.norm.logpdf(x, x.mean(), x.std()).sum()
    res = P.gmm_compare(x)
    assert_allclose(res.bic_1, -2 * ll + 2 * np.log(x.size), rtol=1e-6)
    assert_allclose(res.delta_bic, res.bic_1 - res.bic_2, atol=1e-9)
    # LR = 2 (l2 - l1) = delta_bic + 2 ln n: the two-component model has 4 parameters, the one-component 2
    assert_allclose(res.statistic, res.delta_bic + 2 * np.log(x.size), atol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_gmm_prefers_the_right_k(seed):
    bimodal = P.gmm_compare(_mixture(6.0, 200, seed))
    # d = 6: two components, found ~6 SD apart, with ~equal weights; Kass-Raftery "very strong" (> 10)
    assert bimodal.preferred_k == 2 and bimodal.delta_bic > 10 and bimodal.converged
    assert_allclose(bimodal.separation, 6.0, atol=0.8)
    assert_allclose(bimodal.weights, [0.5, 0.5], atol=0.12)
    assert bimodal.sds[0] == bimodal.sds[1]          # one common variance
    normal = P.gmm_compare(np.random.default_rng(seed).normal(size=200))
    assert normal.preferred_k == 1 and normal.delta_bic < 0


# ------------------------------------------------------------------------------------ Foster-Wolfson

def test_wolfson_by_hand():
    # x = 1, 2, 3, 4: mu = m = 2.5; lower half share L(1/2) = 3/10, T = 0.2;
    # G = sum|xi - xj| / (2 n^2 mu) = 20 / 80 = 0.25; P = 2 (0.4 - 0.25) * 1 = 0.3
    assert_allclose(P.wolfson_polarization([1.0, 2.0, 3.0, 4.0]), 0.3, rtol=1e-12)
    # x = 1..5 (odd n): L(1/2) interpolates 3/15 and 6/15 -> 0.3, T = 0.2; G = 20/75; P = 2 (0.4 - 4/15) = 4/15
    assert_allclose(P.wolfson_polarization([1.0, 2.0, 3.0, 4.0, 5.0]), 4 / 15, rtol=1e-12)
    # perfect bipolarization: half at 0, half at 2: mu = m = 1, T = 1/2, G = 1/2, P = 2 (1 - 1/2) = 1
    assert_allclose(P.wolfson_polarization([0.0, 0.0, 2.0, 2.0]), 1.0, rtol=1e-12)


def test_wolfson_constant_is_zero():
    # no spread, no polarization (counting values <= median as the lower half would give -2 here)
    assert P.wolfson_polarization([7.0] * 9) == 0.0
    assert P.wolfson_polarization([1.0, 1.0, 1.0, 1.0]) == 0.0


def test_wolfson_known_distributions():
    rng = np.random.default_rng(11)
    # uniform on (0, 1): L(p) = p^2, so T = 1/4; G = 1/3; mu = m -> P = 2 (1/2 - 1/3) = 1/3
    assert_allclose(P.wolfson_polarization(rng.uniform(size=400_000)), 1 / 3, atol=0.003)
    # normal: P = 2 (sqrt(2/pi) - 1/sqrt(pi)) cv = 0.46739 cv (closed form in wolfson_normal_reference)
    assert_allclose(P.wolfson_normal_reference(1.0), 2 * (math.sqrt(2 / math.pi) - 1 / math.sqrt(math.pi)))
    assert_allclose(P.wolfson_polarization(rng.normal(10, 1, size=400_000)), P.wolfson_normal_reference(0.1),
                    rtol=0.02)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1000), min_size=4, max_size=40).filter(lambda v: np.median(v) > 1e-3),
       st.floats(0.01, 1000))
def test_wolfson_properties(values, scale):
    x = np.asarray(values)
    p = P.wolfson_polarization(x)
    # Foster & Wolfson (2010): P = 2 [(1 - G) mu - mu_L] / m, mu_L the mean of the lower half; with the
    # empirical Lorenz curve the lower half's total is L(1/2) * sum(x), computed here independently
    s = np.sort(x)
    n = s.size
    gini = np.abs(s[:, None] - s[None, :]).sum() / (2 * n * n * s.mean())
    lower_total = s[: n // 2].sum() + (s[n // 2] / 2 if n % 2 else 0.0)
    mu_lower = lower_total / (n / 2)
    assert_allclose(p, 2 * ((1 - gini) * s.mean() - mu_lower) / np.median(s), atol=1e-9)
    # non-negative (area between the Lorenz curve and its tangent at the median), scale invariant
    assert p >= -1e-12
    assert_allclose(P.wolfson_polarization(scale * x), p, atol=1e-9)


# ---------------------------------------------------------------------------------------------- summary

def test_bimodality_summary_collects_the_criteria():
    x = _mixture(5.0, 120, 4) + 10
    res = P.bimodality_summary(x, seed=4, n_boot=19)
    assert res.dip_p_value == P.dip_test(x).p_value and res.dip == P.dip_test(x).statistic
    assert res.bc == P.bimodality_coefficient(x)
    gmm = P.gmm_compare(x)
    assert res.gmm_delta_bic == gmm.delta_bic and res.gmm_converged == gmm.converged is True
    lrt = P.mixture_lrt(x, seed=4, n_boot=19)
    assert (res.lrt_statistic, res.lrt_p_value, res.lrt_n_boot) == (lrt.statistic, lrt.p_value, 19)
    assert res.polarization == P.wolfson_polarization(x)
    assert res.bc_above_5_9 == (res.bc > 5 / 9)
    assert_allclose(res.skewness, stats.skew(x, bias=False))
    # a sample with negative values has no Foster-Wolfson index: None, not an error
    assert P.bimodality_summary(_mixture(1.0, 50, 4), seed=0, n_boot=19).polarization is None


# --------------------------------------------------------------------------------------- power analysis

@pytest.mark.parametrize("seed", [1, 2, 20221101])
def test_power_increases_with_separation(seed):
    power = P.mixture_power(100, [0.0, 2.0, 3.0, 4.0, 5.0, 6.0], n_sim=200, seed=seed, alpha=0.05, n_boot=99)
    for test in ("dip_test", "bimodality_coefficient", "gmm_bic", "mixture_lrt"):
        curve = power[test].to_numpy()
        # common random numbers make the curve smooth; allow one Monte Carlo SE (~0.035) of wobble
        assert np.all(np.diff(curve) >= -0.035), (test, curve)
        assert curve[-1] >= 0.95              # d = 6: detected (almost) always
    # d = 0 (one normal): the dip test is conservative, its rejection rate at most alpha
    # (Monte Carlo SE at 0.05 with 200 samples: 0.015)
    assert power["dip_test"].iloc[0] <= 0.05 + 0.03
    # BC > 5/9 is rare for normal samples of 100 (their BC is ~1/3 +- 0.05)
    assert power["bimodality_coefficient"].iloc[0] <= 0.05
    # every mixture verdict is that of a converged fit
    assert power["fits_unconverged"].sum() == 0


def test_power_seeded_and_fast():
    t0 = time.perf_counter()
    a = P.mixture_power(100, np.linspace(0, 7, 8), n_sim=200, seed=7, n_boot=99)
    elapsed = time.perf_counter() - t0
    b = P.mixture_power(100, np.linspace(0, 7, 8), n_sim=200, seed=7, n_boot=99)
    pd.testing.assert_frame_equal(a, b)
    assert elapsed < 20, f"200 x 8 simulations took {elapsed:.1f} s"
    assert list(a.columns[:5]) == ["separation", "bimodal_density", "dip_test", "bimodality_coefficient", "gmm_bic"]
    assert a["bimodal_density"].tolist() == [d > 2 for d in np.linspace(0, 7, 8)]


def test_power_standard_error():
    power = P.mixture_power(20, [3.0], n_sim=50, seed=3, n_boot=19)
    for name in P.POWER_TESTS:
        p = power[name].iloc[0]
        assert_allclose(power[f"{name}_se"].iloc[0], math.sqrt(p * (1 - p) / 50))


def test_separation_for_power_interpolates():
    frame = pd.DataFrame({"separation": [0.0, 1.0, 2.0], "dip_test": [0.0, 0.5, 1.0]})
    # linear between (1, 0.5) and (2, 1.0): 0.8 is reached at 1 + 0.3 / 0.5 = 1.6
    assert_allclose(P.separation_for_power(frame, test="dip_test", target=0.8), 1.6)
    assert math.isnan(P.separation_for_power(frame.iloc[:2], test="dip_test", target=0.8))
    # already reached at the smallest separation simulated: that separation
    assert P.separation_for_power(frame.assign(dip_test=[0.9, 0.95, 1.0]), test="dip_test", target=0.8) == 0.0


# ------------------------------------------------------------------------------------------ covariates

def test_covariate_correlation_matches_scipy_and_lists_missing():
    x = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=list("ABCDEF"))
    cov = pd.Series([1.0, 4.0, 9.0, 16.0, np.nan, 36.0, 99.0], index=list("ABCDEFG"))
    res = P.covariate_correlation(x, cov)
    # E has no covariate value: listed, not silently dropped; G is not among the scored cities
    assert res.missing == ("E",) and res.n == 5
    keep = [1.0, 2.0, 3.0, 4.0, 6.0], [1.0, 4.0, 9.0, 16.0, 36.0]
    assert_allclose([res.pearson, res.pearson_p_value], stats.pearsonr(*keep))
    assert_allclose(res.spearman, 1.0)   # strictly increasing: Spearman's rho is 1 by definition


def test_load_covariates(tmp_path):
    assert P.load_covariates(tmp_path) is None
    cov = P.load_covariates(DEFAULT_DATA)
    assert cov is not None and len(cov) == 293 and "gdp_per_capita" in cov.columns
    assert cov["gdp_per_capita"].dtype == float
    (tmp_path / "covariates.csv").write_text("unit,gdp_per_capita\nA,1000\nB,n/a\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3, column 'gdp_per_capita'.*'n/a'"):
        P.load_covariates(tmp_path)
    (tmp_path / "covariates.csv").write_text("city,gdp_per_capita\nA,1000\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 1: missing required column\(s\) unit"):   # the message of every CSV reader
        P.load_covariates(tmp_path)


# ---------------------------------------------------------------------------------------------- errors

@pytest.mark.parametrize("func", [P.dip_test, P.bimodality_coefficient, P.wolfson_polarization,
                                  lambda x: P.gmm_compare(x)])
def test_too_few_values(func):
    with pytest.raises(ParameterError, match=r"x should be a sample of at least \d+ values, but its value is 3 value"):
        func([1.0, 2.0, 3.0])


@pytest.mark.parametrize("func", [P.dip_test, P.bimodality_coefficient, P.wolfson_polarization])
def test_nan_names_the_city(func):
    x = pd.Series([1.0, np.nan, 3.0, 4.0, 5.0], index=["北京市", "上海市", "深圳市", "广州市", "杭州市"])
    # a bad value in the data is a DataError (before issue 11: a ParameterError)
    with pytest.raises(DataError, match=r"x: values must be finite .*1 of 5 values, at 上海市"):
        func(x)


def test_shape_and_type_errors():
    with pytest.raises(ParameterError, match="one-dimensional"):
        P.dip_test(np.ones((3, 4)))
    with pytest.raises(ParameterError, match="sequence of numbers"):
        P.dip_test("1234")
    with pytest.raises(ParameterError, match="sequence of numbers"):
        P.bimodality_coefficient(["a", "b", "c", "d"])


def test_constant_and_negative_samples():
    with pytest.raises(ParameterError, match="at least two distinct values.*all equal to 2"):
        P.bimodality_coefficient([2.0] * 6)
    with pytest.raises(ParameterError, match="at least two distinct values"):
        P.gmm_compare([2.0] * 6)
    with pytest.raises(ParameterError, match="at least two distinct values"):
        P.mixture_lrt([2.0] * 6, seed=0)
    with pytest.raises(DataError, match=r"x: values must be >= 0 \(1 of 4 values, at 0; first -1"):
        P.wolfson_polarization([-1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ParameterError, match="positive median"):
        P.wolfson_polarization([0.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("alpha", [0, 1, 1.5, -0.1, True, "0.05"])
def test_alpha_outside_unit_interval(alpha):
    with pytest.raises(ParameterError, match=r"alpha should be a finite number in \(0, 1\), but its value is"):
        P.mixture_power(50, [1.0], n_sim=5, seed=0, alpha=alpha)


def test_power_parameter_errors():
    with pytest.raises(ParameterError, match="n_sim should be a whole number >= 1, but its value is 0"):
        P.mixture_power(50, [1.0], n_sim=0, seed=0)
    with pytest.raises(ParameterError, match="n should be a whole number >= 6, but its value is 5"):
        P.mixture_power(5, [1.0], n_sim=5, seed=0)
    with pytest.raises(ParameterError, match="separations should be"):
        P.mixture_power(50, [1.0, -2.0], n_sim=5, seed=0)
    with pytest.raises(ParameterError, match=r"seed should be a whole number between 0 and 2\*\*32 - 1"):
        P.mixture_power(50, [1.0], n_sim=5, seed=None)
    with pytest.raises(TypeError):   # seed is required and keyword-only: seeds are always explicit
        P.mixture_power(50, [1.0], n_sim=5)
    with pytest.raises(ParameterError, match="test should be one of"):
        P.separation_for_power(pd.DataFrame({"separation": [0.0]}), test="ks")
    with pytest.raises(ParameterError, match="separation should be a number or an array of numbers, each finite and >= 0"):
        P.normal_mixture_bc(-1.0)


# ------------------------------------------------------------------------- mixture shape and BIC grades

def test_mixture_modes_threshold():
    # an equal mixture of two unit-variance normals has two modes exactly when its means are > 2 apart
    # (Robertson & Fryer 1969)
    assert P.MIXTURE_BIMODAL_SEPARATION == LIT.MIXTURE_BIMODAL_SEPARATION
    assert _polarization_mixture._mixture_modes([-1.5, 1.5], [1.0, 1.0], [0.5, 0.5]) == 2     # d = 3
    assert _polarization_mixture._mixture_modes([-0.9, 0.9], [1.0, 1.0], [0.5, 0.5]) == 1     # d = 1.8
    assert _polarization_mixture._mixture_modes([0.0, 0.0], [1.0, 2.0], [0.5, 0.5]) == 1      # same centre: one mode


def test_gmm_reports_modes_of_the_fit():
    assert P.gmm_compare(_mixture(6.0, 200, 1)).modes == 2
    # a skewed unimodal sample (lognormal): with a common variance, two components win on BIC as a large group
    # plus a small one far in the tail, whose density has a second, small peak: the count of modes does not tell
    # a skewed hump from two groups (notebook 04 measures how often skewed humps get "two components" instead)
    skewed = P.gmm_compare(np.random.default_rng(2).lognormal(0, 0.6, size=300))
    assert skewed.preferred_k == 2 and min(skewed.weights) < 0.1


@pytest.mark.parametrize("delta, grade", [(0.3, "not worth more than a bare mention"), (-1.99, "not worth more than a bare mention"),
                                          (2.0, "positive"), (-5.0, "positive"), (6.0, "strong"), (10.0, "strong"),
                                          (10.5, "very strong")])
def test_bic_evidence_grades(delta, grade):
    # Kass & Raftery (1995), section 3.2: 0-2, 2-6, 6-10, > 10 on the scale of 2 ln(Bayes factor)
    assert P.bic_evidence(delta) == grade
    assert grade == LIT.KASS_RAFTERY_GRADES[sum(abs(delta) >= b for b in LIT.KASS_RAFTERY_BOUNDS[:2])
                                            + (abs(delta) > LIT.KASS_RAFTERY_BOUNDS[2])]


def test_separation_to_gap():
    # d = 0: no gap; d = 2, total SD sqrt(2): within-group SD sqrt(2)/sqrt(2) = 1, gap 2 (by hand)
    assert P.separation_to_gap(0.0, total_sd=3.0) == 0.0
    assert_allclose(P.separation_to_gap(2.0, total_sd=math.sqrt(2)), 2.0)
    # check on simulated mixtures: rescale to total SD 15, the group means' gap matches
    rng = np.random.default_rng(9)
    g = rng.random(400_000) < 0.5
    x = rng.standard_normal(g.size) + 4.0 * (g - 0.5)
    x = x * 15 / x.std()
    assert_allclose(x[g].mean() - x[~g].mean(), P.separation_to_gap(4.0, total_sd=15.0), rtol=0.01)
    with pytest.raises(ParameterError, match="total_sd should be a positive number"):
        P.separation_to_gap(1.0, total_sd=0)


def test_bc_separation_constant():
    # hand: sqrt 15 = 3.872983, (3 + 3.872983)/2 = 3.436492, 2 sqrt(3.436492) = 3.707555; there the mixture's population BC is exactly 5/9 (normal_mixture_bc)
    assert_allclose(P.MIXTURE_BC_SEPARATION, 3.707555, rtol=1e-6)
    assert_allclose(P.normal_mixture_bc(P.MIXTURE_BC_SEPARATION), 5 / 9, rtol=1e-12)


# ------------------------------------------------- one validation vocabulary (issue 11): classes of bad input

BAD_SEEDS = [-1, 1.5, True, 2 ** 32, "0", None, np.float64(2.0)]
X12 = np.r_[np.linspace(0.0, 3.0, 6), np.linspace(7.0, 10.0, 6)]
SEEDED = {
    "mixture_lrt": lambda seed: P.mixture_lrt(X12, seed=seed, n_boot=19),
    "bimodality_summary": lambda seed: P.bimodality_summary(X12, seed=seed, n_boot=19),
    "mixture_power": lambda seed: P.mixture_power(10, [1.0], n_sim=2, seed=seed, n_boot=19),
    "null_rejection_rates": lambda seed: P.null_rejection_rates(10, n_sim=2, seed=seed, n_boot=19),
}


@pytest.mark.parametrize("seed", BAD_SEEDS, ids=repr)
@pytest.mark.parametrize("fn", sorted(SEEDED))
def test_a_seed_is_a_whole_number_0_to_2_32(fn, seed):
    # before issue 11: a seed of 2**32 passed here and failed inside numpy/scikit-learn with their own errors
    with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1"):
        SEEDED[fn](seed)


DATA_FUNCTIONS = {
    "dip_test": P.dip_test,
    "bimodality_coefficient": P.bimodality_coefficient,
    "wolfson_polarization": P.wolfson_polarization,
    "gmm_compare": lambda x: P.gmm_compare(x),
    "mixture_lrt": lambda x: P.mixture_lrt(x, seed=0, n_boot=19),
    "bimodality_summary": lambda x: P.bimodality_summary(x, seed=0, n_boot=19),
    "covariate_correlation": lambda x: P.covariate_correlation(x, pd.Series(1.0 + np.arange(len(x)), index=x.index)),
}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=repr)
@pytest.mark.parametrize("fn", sorted(DATA_FUNCTIONS))
def test_a_non_finite_score_is_a_data_error_naming_the_city(fn, bad):
    x = pd.Series(X12 + 1.0, index=[f"city{i:02d}" for i in range(12)])
    x.iloc[7] = bad
    with pytest.raises(DataError, match=r"x: values must be finite .*city07"):
        DATA_FUNCTIONS[fn](x)


@pytest.mark.parametrize("bad", ["abcdef", None, 3.0, np.ones((6, 2)), ["a"] * 6, {"a": 1.0}], ids=repr)
@pytest.mark.parametrize("fn", sorted(set(DATA_FUNCTIONS) - {"covariate_correlation"}))
def test_a_sample_of_the_wrong_kind_is_a_parameter_error(fn, bad):
    with pytest.raises(ParameterError, match="^x should be"):
        DATA_FUNCTIONS[fn](bad)


@pytest.mark.parametrize("value", [0, 2.5, 5.0, True, "5", None], ids=repr)
def test_max_iter_is_a_whole_number_of_at_least_1(value):
    with pytest.raises(ParameterError, match="^max_iter should be a whole number >= 1"):
        P.gmm_compare(X12, max_iter=value)


@pytest.mark.parametrize("value", [0, -1e-8, np.nan, True, "1e-8"], ids=repr)
def test_tol_is_a_positive_number(value):
    with pytest.raises(ParameterError, match="^tol should be a positive number"):
        P.gmm_compare(X12, tol=value)


@pytest.mark.parametrize("value", [0, 18, 19.0, True, "99"], ids=repr)
def test_n_boot_is_a_whole_number_of_at_least_19(value):
    # 19: the fewest with which a test at 5% can reject (p = 1/20)
    with pytest.raises(ParameterError, match="^n_boot should be a whole number >= 19"):
        P.mixture_lrt(X12, seed=0, n_boot=value)


@pytest.mark.parametrize("name, value", [("n", 10.0), ("n", True), ("n_sim", 2.0), ("n_sim", -1), ("n_sim", "2")],
                         ids=repr)
def test_power_counts_are_whole_numbers(name, value):
    # before: isinstance(value, numbers.Integral) refused these too, but with "at least" wording; now one vocabulary
    args = {"n": 10, "n_sim": 2, name: value}
    with pytest.raises(ParameterError, match=f"^{name} should be a whole number >= "):
        P.mixture_power(args["n"], [1.0], n_sim=args["n_sim"], seed=0, n_boot=19)
    with pytest.raises(ParameterError, match=f"^{name} should be a whole number >= "):
        P.null_rejection_rates(args["n"], n_sim=args["n_sim"], seed=0, n_boot=19)


@pytest.mark.parametrize("separations", [[np.nan], [np.inf], [], "1.0", [True], [[1.0, 2.0]]], ids=repr)
def test_separations_are_finite_non_negative_numbers(separations):
    with pytest.raises(ParameterError, match="^separations should be"):
        P.mixture_power(10, separations, n_sim=2, seed=0)


@pytest.mark.parametrize("name, call", [
    ("separation", lambda v: P.normal_mixture_bc(v)),
    ("separation", lambda v: P.separation_to_gap(v, total_sd=1.0)),
    ("cv", lambda v: P.wolfson_normal_reference(v)),
])
@pytest.mark.parametrize("value", [np.nan, -0.5, [0.5, np.inf], "0.5", True], ids=repr)
def test_grid_arguments_are_finite_non_negative(name, call, value):
    # before: np.asarray(value, dtype=float) accepted "0.5" and True (as 1.0)
    with pytest.raises(ParameterError, match=f"^{name} should be a number or an array of numbers, each finite and >= 0"):
        call(value)


@pytest.mark.parametrize("alpha", [0, 1, np.nan, True, "0.05"], ids=repr)
def test_alpha_of_the_verdicts(alpha):
    s = P.bimodality_summary(X12, seed=0, n_boot=19)
    with pytest.raises(ParameterError, match=r"^alpha should be a finite number in \(0, 1\)"):
        P.bimodality_verdict(s, alpha=alpha)


@pytest.mark.parametrize("target", [0, 1, 1.5, np.nan, True], ids=repr)
def test_target_power(target):
    frame = pd.DataFrame({"separation": [0.0, 1.0], "dip_test": [0.0, 1.0]})
    with pytest.raises(ParameterError, match=r"^target should be a finite number in \(0, 1\)"):
        P.separation_for_power(frame, target=target)


def test_power_frame_must_come_from_mixture_power():
    with pytest.raises(ParameterError, match="^power should be a frame from mixture_power"):
        P.separation_for_power(pd.DataFrame({"d": [0.0]}), test="dip_test")
    with pytest.raises(ParameterError, match="^power should be a frame from mixture_power"):
        P.separation_for_power([0.1, 0.2])


# --------------------------------------------------------------------------------------- named results

def test_results_are_frozen_dataclasses_with_one_vocabulary():
    import dataclasses

    dip = P.dip_test(X12)
    assert [f.name for f in dataclasses.fields(dip)] == ["statistic", "p_value", "n"]
    gmm = P.gmm_compare(X12)
    assert isinstance(gmm.means, tuple) and gmm.means[0] < gmm.means[1]
    lrt = P.mixture_lrt(X12, seed=0, n_boot=19)
    assert [f.name for f in dataclasses.fields(lrt)][:3] == ["statistic", "p_value", "n"]
    s = P.bimodality_summary(X12, seed=0, n_boot=19)
    assert (s.dip, s.dip_p_value) == (dip.statistic, dip.p_value)
    cov = P.covariate_correlation(pd.Series(X12), pd.Series(X12 ** 2))
    fields = {f.name for f in dataclasses.fields(cov)}
    assert {"pearson_p_value", "spearman_p_value"} <= fields and not {"pearson_p", "spearman_p"} & fields
    for res in (dip, gmm, lrt, s, cov):
        with pytest.raises(dataclasses.FrozenInstanceError):
            res.n = 0


def test_results_serialise_by_field_name():
    # the results writer keys a named result by its fields (cityeval.notebook.results.to_jsonable)
    from cityeval.notebook.results import to_jsonable

    out = to_jsonable(P.covariate_correlation(pd.Series(X12, index=list("abcdefghijkl")),
                                              pd.Series(X12 ** 2, index=list("abcdefghijkl"))))
    assert out["missing"] == [] and out["n"] == 12
    assert set(out) == {"n", "missing", "pearson", "pearson_p_value", "spearman", "spearman_p_value"}


# ---------------------------------------------------------------------- issue 14: covariates.csv read as the others
def test_covariates_csv_gets_the_checks_of_every_csv(tmp_path):
    from cityeval.analysis._polarization_covariates import load_covariates

    # lines counted by hand in each file: a blank line counts; a short row and another separator are errors
    (tmp_path / "covariates.csv").write_text("unit,gdp\n\nA,1\nB,x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 4, column 'gdp': covariates are numbers"):
        load_covariates(tmp_path)
    (tmp_path / "covariates.csv").write_text("unit,gdp\nA,1\nB\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3: a row must have as many fields"):
        load_covariates(tmp_path)
    (tmp_path / "covariates.csv").write_text("unit;gdp\nA;1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"semicolons"):
        load_covariates(tmp_path)
