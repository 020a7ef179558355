"""Tests of cityeval.composite.weighting: weights of the indicators of one parent.

Reference values come from (each test says which):
- pymcdm 1.4 (test-only dependency), the exact call written next to the comparison;
- Saaty's published AHP examples (values as printed, to their printed precision; tests/results/saaty.py);
- hand calculations written out in the test;
- an independent implementation inside the test (power iteration, scikit-learn PCA).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from cityeval.composite.weighting import (AHP_CR_THRESHOLD, RANDOM_INDEX, WEIGHT_METHODS, ahp_consistency,
                                          ahp_weights, weight)
from cityeval.errors import CityevalError, DataError, ParameterError
from results import saaty

pymcdm_weights = pytest.importorskip("pymcdm.weights")

# Weights are sums/ratios of O(n*m) well-conditioned terms: agreement with pymcdm is at
# rounding level (~1e-16); 1e-9 is the issue's agreement target.
PEER_RTOL, PEER_ATOL = 1e-9, 1e-12


def frame_of(x, prefix="i"):
    x = np.asarray(x, dtype=float)
    return pd.DataFrame(x, columns=[f"{prefix}{j}" for j in range(x.shape[1])],
                        index=[f"u{i}" for i in range(x.shape[0])])


@pytest.fixture(params=[(0, 10, 4), (1, 50, 7), (2, 300, 12)], ids=lambda p: f"seed{p[0]}-{p[1]}x{p[2]}")
def positive_matrix(request):
    seed, n, m = request.param
    rng = np.random.default_rng(seed)
    # strictly positive, columns on different scales and with different spreads
    return rng.uniform(0.05, 1.0, (n, m)) * rng.uniform(0.5, 50, m) + rng.uniform(0, 3, m)


# --------------------------------------------------------------------------- pymcdm agreement


def test_entropy_matches_pymcdm(positive_matrix):
    # reference: pymcdm.weights.entropy_weights(X)  (pymcdm 1.4.0)
    ref = pymcdm_weights.entropy_weights(positive_matrix)
    got = weight(frame_of(positive_matrix), method="entropy")
    assert_allclose(got.to_numpy(), ref, rtol=PEER_RTOL, atol=PEER_ATOL)


def test_critic_matches_pymcdm(positive_matrix):
    # reference: pymcdm.weights.critic_weights(X)  (pymcdm 1.4.0; min-max rescales first, as we do
    # with the default rescale=True)
    ref = pymcdm_weights.critic_weights(positive_matrix)
    got = weight(frame_of(positive_matrix), method="critic")
    assert_allclose(got.to_numpy(), ref, rtol=PEER_RTOL, atol=PEER_ATOL)


def test_std_matches_pymcdm(positive_matrix):
    # reference: pymcdm.weights.standard_deviation_weights(X)  (pymcdm 1.4.0)
    ref = pymcdm_weights.standard_deviation_weights(positive_matrix)
    got = weight(frame_of(positive_matrix), method="std")
    assert_allclose(got.to_numpy(), ref, rtol=PEER_RTOL, atol=PEER_ATOL)


def test_equal_matches_pymcdm(positive_matrix):
    # reference: pymcdm.weights.equal_weights(X)
    assert_allclose(weight(frame_of(positive_matrix)).to_numpy(),
                    pymcdm_weights.equal_weights(positive_matrix), rtol=0, atol=1e-15)


# --------------------------------------------------------------------------- entropy: deliberate differences


def test_entropy_zero_is_the_limit_where_pymcdm_refuses():
    """A 0 in a column: pymcdm refuses, we use 0 ln 0 = 0, the limit of small positive values.

    Min-max normalized data always has a 0 in every varying column, so this is the normal
    case for the pipeline, not a corner case.
    """
    x = np.array([[0.0, 2.0, 1.0], [1.0, 3.0, 4.0], [2.0, 2.5, 0.5], [5.0, 1.0, 2.0]])
    with pytest.raises(ValueError, match="positive"):
        pymcdm_weights.entropy_weights(x)  # pymcdm 1.4: sum_normalization requires all positive values
    got = weight(frame_of(x), method="entropy").to_numpy()
    # reference: pymcdm.weights.entropy_weights(x with the 0 replaced by 1e-13); p ln p at
    # p ~ 1e-14 is ~4e-13, so the limit is reached well within the tolerance.
    near = x.copy()
    near[0, 0] = 1e-13
    assert_allclose(got, pymcdm_weights.entropy_weights(near), rtol=1e-9, atol=1e-11)


def test_entropy_epsilon_is_a_shift_of_the_data():
    """epsilon adds ε to every value before the shares: pymcdm on the shifted data is the reference."""
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 1, (40, 5))
    x[:, 0] = (x[:, 0] - x[:, 0].min()) / np.ptp(x[:, 0])  # min-max column: contains an exact 0
    for eps in (1e-4, 0.01, 1.0):
        # reference: pymcdm.weights.entropy_weights(x + eps)
        ref = pymcdm_weights.entropy_weights(x + eps)
        got = weight(frame_of(x), method="entropy", epsilon=eps).to_numpy()
        assert_allclose(got, ref, rtol=PEER_RTOL, atol=PEER_ATOL)
    # the shift is not neutral: a large ε evens the shares, raises e_j and flattens the weights
    w0 = weight(frame_of(x), method="entropy").to_numpy()
    w1 = weight(frame_of(x), method="entropy", epsilon=1.0).to_numpy()
    assert np.ptp(w1) < np.ptp(w0)
    assert np.abs(w1 - w0).max() > 1e-3


def test_entropy_direction_is_applied_before_weighting():
    """pymcdm's entropy_weights ignores criterion types; ours sees direction-adjusted values.

    Raw data with a cost indicator (col 1, lower is better). The normalize stage turns it into
    min/x (pymcdm's linear normalization for a cost, positive), and entropy is computed on that.
    Entropy is not invariant to the reversal, so weights from the raw matrix differ.
    """
    rng = np.random.default_rng(3)
    raw = rng.uniform(1, 10, (25, 3))
    adjusted = raw.copy()
    adjusted[:, 0] = raw[:, 0] / raw[:, 0].max()
    adjusted[:, 1] = raw[:, 1].min() / raw[:, 1]  # cost → benefit
    adjusted[:, 2] = raw[:, 2] / raw[:, 2].max()
    ours = weight(frame_of(adjusted), method="entropy").to_numpy()
    # reference: pymcdm.weights.entropy_weights(adjusted) – same recipe once direction is applied
    assert_allclose(ours, pymcdm_weights.entropy_weights(adjusted), rtol=PEER_RTOL, atol=PEER_ATOL)
    # pymcdm.weights.entropy_weights(raw, types) silently ignores types: weights of the raw cost column differ
    ignored = pymcdm_weights.entropy_weights(raw, np.array([1, -1, 1]))
    assert abs(ignored[1] - ours[1]) > 1e-3


# --------------------------------------------------------------------------- entropy: hand calculation, edges


def test_entropy_hand_calculation_with_missing_value():
    # column a = 1, 2, 3: p = 1/6, 2/6, 3/6; e = -(1/ln 3) Σ p ln p
    # column b = 4, NaN, 1: the missing value is skipped, n_b = 2, p = 4/5, 1/5, e = -(1/ln 2) Σ p ln p
    f = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, np.nan, 1.0]})
    e_a = -(1 / 6 * math.log(1 / 6) + 2 / 6 * math.log(2 / 6) + 3 / 6 * math.log(3 / 6)) / math.log(3)
    e_b = -(4 / 5 * math.log(4 / 5) + 1 / 5 * math.log(1 / 5)) / math.log(2)
    d = np.array([1 - e_a, 1 - e_b])
    assert_allclose(weight(f, method="entropy").to_numpy(), d / d.sum(), rtol=1e-12)


def test_entropy_constant_column_gets_zero_and_all_constant_raises():
    f = pd.DataFrame({"a": [0.2, 0.2, 0.2], "b": [0.0, 0.5, 1.0], "c": [0.0, 0.0, 0.0]})
    w = weight(f, method="entropy")
    assert w["a"] == 0 and w["c"] == 0 and w["b"] == pytest.approx(1.0)
    with pytest.raises(DataError, match="varies"):
        weight(f[["a", "c"]], method="entropy")


def test_sparse_column_counts_as_constant():
    # a column with a single value cannot tell units apart: weight 0 for every data-driven method
    f = pd.DataFrame({"a": [0.1, 0.5, 0.9, 0.4], "b": [0.7, 0.2, 0.4, 0.3], "c": [np.nan, 0.3, np.nan, np.nan]})
    for method in ("entropy", "critic", "std", "cv"):
        w = weight(f, method=method)
        assert w["c"] == 0 and w.sum() == pytest.approx(1.0), method


def test_entropy_rejects_negative_values_and_bad_epsilon():
    f = pd.DataFrame({"a": [-1.0, 0.0, 1.0], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError, match="column 'a'"):
        weight(f, method="entropy")
    # an explicit shift that makes the values non-negative is accepted
    assert weight(f, method="entropy", epsilon=1.0).sum() == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="epsilon"):
        weight(f, method="entropy", epsilon=-0.1)


# --------------------------------------------------------------------------- CRITIC, std, cv, PCA


def test_critic_constant_column_is_left_out():
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 1, (30, 4))
    xc = np.column_stack([x[:, :2], np.full(30, 0.7), x[:, 2:]])
    got = weight(frame_of(xc), method="critic").to_numpy()
    # reference: pymcdm.weights.critic_weights(x) on the matrix without the constant column
    assert got[2] == 0
    assert_allclose(np.delete(got, 2), pymcdm_weights.critic_weights(x), rtol=PEER_RTOL, atol=PEER_ATOL)


def test_critic_rescale_is_neutral_on_minmax_data_and_perfect_correlation_raises():
    rng = np.random.default_rng(12)
    x = rng.uniform(0, 1, (20, 3))
    mm = (x - x.min(0)) / np.ptp(x, axis=0)
    assert_allclose(weight(frame_of(mm), method="critic", rescale=False).to_numpy(),
                    weight(frame_of(mm), method="critic").to_numpy(), rtol=1e-12)
    f = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 3.0, 5.0]})  # b = 2a + 1: r = 1, C = 0
    with pytest.raises(DataError, match="perfectly correlated"):
        weight(f, method="critic")


def test_std_and_cv_hand_calculation():
    # a = 1, 2, 3: σ = 1 (ddof 1), mean 2, cv 0.5;  b = 2, 4, 12: σ = sqrt(28) (ddof 1), mean 6
    f = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, 12.0]})
    sb = math.sqrt(((2 - 6) ** 2 + (4 - 6) ** 2 + (12 - 6) ** 2) / 2)
    assert_allclose(weight(f, method="std").to_numpy(), [1 / (1 + sb), sb / (1 + sb)], rtol=1e-12)
    cv = np.array([0.5, sb / 6])
    assert_allclose(weight(f, method="cv").to_numpy(), cv / cv.sum(), rtol=1e-12)


def test_cv_needs_a_positive_mean():
    f = pd.DataFrame({"a": [-1.0, 0.0, 1.0], "b": [1.0, 2.0, 3.0]})  # z-score-like column: mean 0
    with pytest.raises(DataError, match="column 'a'"):
        weight(f, method="cv")


def test_pca_two_correlated_indicators_get_half_each():
    # 2x2 correlation matrix [[1, r], [r, 1]], r > 0: first eigenvector (1, 1)/√2 → squared loadings 1/2, 1/2
    f = pd.DataFrame({"a": [0.1, 0.4, 0.5, 0.9], "b": [0.3, 0.2, 0.8, 0.7]})
    assert_allclose(weight(f, method="pca").to_numpy(), [0.5, 0.5], rtol=1e-12)


def test_pca_matches_scikit_learn():
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(5)
    latent = rng.normal(size=(200, 1))
    x = latent @ rng.uniform(0.3, 1.0, (1, 5)) + rng.normal(scale=[0.3, 0.5, 0.8, 1.0, 1.5], size=(200, 5))
    # reference: PCA(n_components=1).fit(StandardScaler().fit_transform(x)).components_[0] ** 2
    # (the correlation-matrix PCA; the unit-norm component squared = squared loadings scaled to sum 1)
    ref = PCA(n_components=1).fit(StandardScaler().fit_transform(x)).components_[0] ** 2
    assert_allclose(weight(frame_of(x), method="pca").to_numpy(), ref, rtol=1e-8)


def test_pca_tied_components_raise_and_constant_column_gets_zero():
    tied = pd.DataFrame({"a": [1.0, -1.0, 0.0, 0.0], "b": [0.0, 0.0, 1.0, -1.0]})  # r = 0: λ1 = λ2 = 1
    with pytest.raises(DataError, match="unique first principal component"):
        weight(tied, method="pca")
    f = pd.DataFrame({"a": [0.1, 0.4, 0.5, 0.9], "b": [0.3, 0.2, 0.8, 0.7], "c": [1.0] * 4})
    assert_allclose(weight(f, method="pca").to_numpy(), [0.5, 0.5, 0.0], rtol=1e-12)


# --------------------------------------------------------------------------- AHP


# Saaty's published examples, with their citation: tests/results/saaty.py
HOUSE, HOUSE_W, HOUSE_CODES, WEALTH, WEALTH_W = saaty.HOUSE, saaty.HOUSE_W, saaty.HOUSE_CODES, saaty.WEALTH, saaty.WEALTH_W
PRINTED_3DP = saaty.PRINTED_3DP


def test_ahp_saaty_1990_house_example():
    out = ahp_consistency(HOUSE)
    assert_allclose(out["weights"], HOUSE_W, rtol=0, atol=PRINTED_3DP)
    assert_allclose(out["lambda_max"], saaty.HOUSE_LAMBDA_MAX, rtol=0, atol=PRINTED_3DP)
    assert_allclose(out["ci"], saaty.HOUSE_CI, rtol=0, atol=PRINTED_3DP)
    assert out["ri"] == saaty.RANDOM_INDEX[8 - 1]  # Saaty's RI for n = 8: 1.41
    assert_allclose(out["cr"], saaty.HOUSE_CR, rtol=0, atol=PRINTED_3DP)


def test_ahp_saaty_wealth_of_nations():
    w, cr = ahp_weights(WEALTH)
    assert_allclose(w, WEALTH_W, rtol=0, atol=PRINTED_3DP)
    assert_allclose(ahp_consistency(WEALTH)["lambda_max"], saaty.WEALTH_LAMBDA_MAX, rtol=0, atol=0.005)  # 2 decimals
    assert cr < AHP_CR_THRESHOLD  # accepted: weight() returns without allow_inconsistent
    f = pd.DataFrame(np.ones((2, 7)), columns=list("ABCDEFG"))
    assert_allclose(weight(f, method="ahp", matrix=WEALTH).to_numpy(), w, rtol=1e-12)


def test_ahp_inconsistent_matrix_raises_unless_allowed():
    f = pd.DataFrame(np.ones((2, 8)), columns=HOUSE_CODES)
    with pytest.raises(ParameterError, match=r"consistency ratio of matrix should be at most 0.1.*0\.169"):
        weight(f, method="ahp", matrix=HOUSE)
    w = weight(f, method="ahp", matrix=HOUSE, allow_inconsistent=True)
    assert list(w.index) == HOUSE_CODES
    assert_allclose(w.to_numpy(), HOUSE_W, rtol=0, atol=PRINTED_3DP)


def test_ahp_consistent_matrix_recovers_the_generating_vector():
    # a_ij = v_i / v_j is perfectly consistent: A v = n v, so w = v / Σv, λmax = n, CI = CR = 0 (Saaty 1980)
    v = np.array([4.0, 2.0, 1.0, 0.5, 3.0])
    out = ahp_consistency(np.outer(v, 1 / v))
    assert_allclose(out["weights"], v / v.sum(), rtol=1e-12)
    assert_allclose([out["lambda_max"], out["ci"], out["cr"]], [5.0, 0.0, 0.0], rtol=0, atol=1e-12)


def test_ahp_matches_power_iteration():
    # independent check of the eigen decomposition: power iteration w <- A w / Σ A w (Saaty 1980's
    # own procedure), λmax = Σ (A w) for w summing to 1.
    rng = np.random.default_rng(4)
    n = 6
    scale = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9])
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = rng.choice(scale)
            a[j, i] = 1 / a[i, j]
    w = np.full(n, 1 / n)
    for _ in range(2000):
        w = a @ w
        w /= w.sum()
    out = ahp_consistency(a)
    assert_allclose(out["weights"], w, rtol=1e-10)
    assert_allclose(out["lambda_max"], (a @ w).sum(), rtol=1e-10)


def test_ahp_labelled_matrix_is_aligned_by_code():
    m = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], index=list("xyz"), columns=list("xyz"))
    f = pd.DataFrame(np.ones((2, 3)), columns=["z", "x", "y"])  # another order than the matrix
    w = weight(f, method="ahp", matrix=m)
    ref, _ = ahp_weights(m)  # Series labelled x, y, z
    assert_allclose(w[["x", "y", "z"]].to_numpy(), ref.to_numpy(), rtol=1e-12)
    with pytest.raises(ParameterError, match="indicator codes"):
        weight(pd.DataFrame(np.ones((2, 3)), columns=list("xyw")), method="ahp", matrix=m)


def test_ahp_non_reciprocal_matrix_names_the_cell():
    m = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 4, 1]], index=list("xyz"), columns=list("xyz"))
    with pytest.raises(ParameterError, match=r"matrix\['z', 'y'\] should be the reciprocal of matrix\['y', 'z'\]"):
        ahp_weights(m)
    with pytest.raises(ParameterError, match=r"matrix\[1, 1\] should be 1"):
        ahp_weights([[1, 2], [0.5, 2]])
    with pytest.raises(ParameterError, match="square"):
        ahp_weights([[1, 2, 3], [0.5, 1, 2]])
    with pytest.raises(ParameterError, match="> 0"):
        ahp_weights([[1, -2], [-0.5, 1]])
    # 0.333 for 1/3 is within the default reciprocity tolerance (1e-3)
    assert ahp_weights([[1, 3], [0.333, 1]])[1] == 0.0


def test_ahp_random_index_table_and_sizes():
    # Saaty (1980): RI for n = 1..15 (tests/results/saaty.py)
    assert [RANDOM_INDEX[n] for n in range(1, 16)] == saaty.RANDOM_INDEX
    # n = 2: every reciprocal matrix is consistent
    w, cr = ahp_weights([[1, 4], [1 / 4, 1]])
    assert_allclose(w, [0.8, 0.2], rtol=1e-12)
    assert cr == 0
    # n = 16: no RI in the table → CR is NaN; weight() refuses unless told to accept it
    v = np.arange(1.0, 17.0)
    f = pd.DataFrame(np.ones((2, 16)), columns=[f"c{i}" for i in range(16)])
    assert np.isnan(ahp_weights(np.outer(v, 1 / v))[1])
    with pytest.raises(ParameterError, match="at most 15"):
        weight(f, method="ahp", matrix=np.outer(v, 1 / v))
    assert_allclose(weight(f, method="ahp", matrix=np.outer(v, 1 / v), allow_inconsistent=True).to_numpy(),
                    v / v.sum(), rtol=1e-10)


# --------------------------------------------------------------------------- given, dispatcher


def test_given_weights_are_normalised_and_checked():
    f = pd.DataFrame(np.ones((2, 3)), columns=list("abc"))
    w = weight(f, method="given", weights={"c": 2, "a": 1, "b": 1, "other": 5})  # extra code ignored
    assert w.to_dict() == {"a": 0.25, "b": 0.25, "c": 0.5}
    assert weight(f, method="given", weights=[1, 1, 2]).to_dict() == {"a": 0.25, "b": 0.25, "c": 0.5}
    with pytest.raises(ParameterError, match=r"weights\['b'\] should be a finite number >= 0"):
        weight(f, method="given", weights={"a": 1, "b": -1, "c": 1})
    with pytest.raises(ParameterError, match="missing for c"):
        weight(f, method="given", weights={"a": 1, "b": 1})
    with pytest.raises(ParameterError, match="positive sum"):
        weight(f, method="given", weights=[0, 0, 0])
    with pytest.raises(ParameterError, match="3 weights"):
        weight(f, method="given", weights=[1, 2])


def test_dispatcher_errors_and_single_indicator():
    f = pd.DataFrame({"a": [0.1, 0.2], "b": [0.3, 0.1]})
    with pytest.raises(ParameterError, match="method should be one of"):
        weight(f, method="magic")
    with pytest.raises(ParameterError, match="option 'eps' of weight"):
        weight(f, method="entropy", eps=0.1)
    with pytest.raises(DataError, match="numeric"):
        weight(pd.DataFrame({"a": ["x", "y"]}), method="equal")
    with pytest.raises(DataError, match="unique"):
        weight(pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]))
    # one indicator under a parent: weight 1 whatever the method, even where the method is undefined
    for method in ("equal", "entropy", "critic", "std", "cv", "pca"):
        assert weight(pd.DataFrame({"a": [0.5, 0.5]}), method=method).to_dict() == {"a": 1.0}
    assert isinstance(DataError(None, "x"), CityevalError)


# --------------------------------------------------------------------------- properties (hypothesis)


DATA_DRIVEN = ("entropy", "critic", "std", "cv", "pca")


@st.composite
def normalized_frames(draw, *, allow_nan=True):
    n = draw(st.integers(2, 25))
    m = draw(st.integers(1, 7))
    x = draw(arrays(np.float64, (n, m), elements=st.floats(0, 1, allow_nan=False, width=64)))
    if allow_nan and draw(st.booleans()):
        mask = draw(arrays(np.bool_, (n, m), elements=st.booleans()))
        x = np.where(mask & (draw(st.floats(0, 1)) < 0.3), np.nan, x)
    return frame_of(x)


def check_weights(w: pd.Series, frame: pd.DataFrame):
    assert list(w.index) == list(frame.columns)
    assert np.isfinite(w).all() and (w >= 0).all()
    assert_allclose(w.sum(), 1.0, rtol=0, atol=1e-12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=normalized_frames(), method=st.sampled_from(("equal",) + DATA_DRIVEN))
def test_property_weights_sum_to_one_or_a_documented_error(frame, method):
    try:
        w = weight(frame, method=method)
    except CityevalError:
        # documented refusals only: all-constant, too few values, perfect correlation, tied components
        assert method in DATA_DRIVEN
        return
    check_weights(w, frame)


@settings(max_examples=150, deadline=None)
@given(frame=normalized_frames(allow_nan=False), method=st.sampled_from(("equal", "entropy", "std", "cv")))
def test_property_no_refusal_when_an_indicator_varies(frame, method):
    # on complete data in [0, 1] with at least one varying column these methods are always defined
    assume(bool((frame.max() > frame.min()).any()))
    check_weights(weight(frame, method=method), frame)


@settings(max_examples=100, deadline=None)
@given(frame=normalized_frames(allow_nan=False), method=st.sampled_from(("equal",) + DATA_DRIVEN),
       seed=st.integers(0, 2**32 - 1))
def test_property_reordering_units_leaves_weights_unchanged(frame, method, seed):
    perm = np.random.default_rng(seed).permutation(len(frame))
    try:
        w = weight(frame, method=method)
    except CityevalError:
        with pytest.raises(CityevalError):
            weight(frame.iloc[perm], method=method)
        return
    assert_allclose(weight(frame.iloc[perm], method=method).to_numpy(), w.to_numpy(), rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(v=arrays(np.float64, st.integers(1, 9), elements=st.floats(0.1, 9)),
       frac=arrays(np.float64, 9, elements=st.floats(0, 1)))
def test_property_given_and_ahp_weights(v, frac):
    f = frame_of(np.ones((2, len(v))))
    check_weights(weight(f, method="given", weights=v * frac[: len(v)] + 1e-3), f)
    w = weight(f, method="ahp", matrix=np.outer(v, 1 / v))  # consistent: CR = 0
    check_weights(w, f)
    assert_allclose(w.to_numpy(), v / v.sum(), rtol=1e-9)


def test_registry_lists_every_method():
    assert set(WEIGHT_METHODS) == {"given", "equal", "entropy", "critic", "std", "cv", "pca", "ahp"}


# --------------------------------------------------------------------------- the unified contract and checks (issue 11)

F2 = pd.DataFrame({"a": [0.1, 0.5, 0.9], "b": [0.3, 0.2, 0.6]}, index=["x", "y", "z"])


@pytest.mark.parametrize("method, options, name", [
    ("entropy", {"epsilon": True}, "epsilon"), ("entropy", {"epsilon": float("nan")}, "epsilon"),
    ("entropy", {"epsilon": "0.01"}, "epsilon"),
    ("critic", {"rescale": 1}, "rescale"), ("critic", {"rescale": "yes"}, "rescale"),
    ("given", {"weights": [1, 1], "sum_to": "2"}, "sum_to"), ("given", {"weights": [1, 1], "sum_to": True}, "sum_to"),
    ("given", {"weights": [1, 1], "sum_to": 0}, "sum_to"),
    ("ahp", {"matrix": [[1, 2], [0.5, 1]], "allow_inconsistent": 0}, "allow_inconsistent"),
    ("ahp", {"matrix": [[1, 2], [0.5, 1]], "rtol": -1}, "rtol"),
    ("ahp", {"matrix": [[1, 2], [0.5, 1]], "rtol": True}, "rtol"),
])
def test_option_values_are_checked(method, options, name):
    # sum_to="2" used to be accepted (float("2")), a bool sum_to too
    with pytest.raises(ParameterError, match=rf"^{name} should be"):
        weight(F2, method=method, **options)


def test_unknown_method_wording():
    with pytest.raises(ParameterError, match="^weight method should be one of 'given', 'equal', 'entropy'"):
        weight(F2, method="entropie")


# --------------------------------------------------------------------------- review 2: bad arguments


_X2 = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=list("pqr"))


@pytest.mark.parametrize("method, name", [("given", "weights"), ("ahp", "matrix")])
def test_a_required_option_left_out_is_a_parameter_error(method, name):
    # used to be a TypeError (missing keyword-only argument)
    with pytest.raises(ParameterError, match=f"option '{name}' of weight"):
        weight(_X2, method=method)


@pytest.mark.parametrize("matrix", ["x", [[1, 2], [1]], [[True, True], [True, True]], [[np.True_, 1], [1, 1]],
                                    [["1", "2"], ["0.5", "1"]], np.array([[True, True], [True, True]]),
                                    pd.DataFrame([[True, True], [True, True]], index=["a", "b"], columns=["a", "b"])])
def test_an_ahp_matrix_of_non_numbers_is_a_parameter_error(matrix):
    # a string or ragged rows raised numpy's ValueError; booleans were read as 1 and gave weights
    with pytest.raises(ParameterError, match="matrix"):
        weight(_X2, method="ahp", matrix=matrix)
    if not isinstance(matrix, pd.DataFrame):
        with pytest.raises(ParameterError, match="matrix"):
            ahp_weights(matrix)


# ----------------------------------------------------------------------------- issue 14 finite numbers
def test_issue14_given_weights_of_1e308():
    f = pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0], "c": [1.0, 1.0]})
    assert_allclose(weight(f, method="given", weights=[1e308] * 3).to_numpy(), [1 / 3] * 3, rtol=1e-15)


def test_issue14_entropy_of_huge_values_equals_that_of_the_scaled_values():
    # entropy weights are scale-invariant per column: x and x * 2**-1000 have the same weights
    x = pd.DataFrame({"a": [1e308, 1.5e308, 0.0], "b": [1.0, 2.0, 3.0]})
    assert_allclose(weight(x, method="entropy").to_numpy(),
                    weight(x.assign(a=np.ldexp(x["a"].to_numpy(), -1000)), method="entropy").to_numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- issue 14, round 2: option ranges
@pytest.mark.parametrize("epsilon", [1e308, 1e14, 1e200])
def test_issue14b_an_entropy_epsilon_that_swamps_the_values_names_epsilon(epsilon):
    # epsilon=1e308 was reported as "every column is constant", which is not the reason
    f = pd.DataFrame({"a": [0.0, 50.0, 100.0], "b": [10.0, 0.0, 100.0]})
    with pytest.raises(ParameterError, match=r"^epsilon .*'a' distinguishable"):
        weight(f, method="entropy", epsilon=epsilon)


def test_issue14b_an_ordinary_entropy_epsilon_is_accepted():
    f = pd.DataFrame({"a": [0.0, 50.0, 100.0], "b": [10.0, 0.0, 100.0]})
    assert_allclose(weight(f, method="entropy", epsilon=1.0).sum(), 1.0)


@pytest.mark.parametrize("rtol", [1.0, 5.0, 1e308])
def test_issue14b_an_ahp_tolerance_of_100_percent_or_more_is_refused(rtol):
    # rtol=1e308 accepted [[1, 3], [0.001, 1]] as reciprocal (3 * 0.001 = 0.003, not 1)
    f = pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0]})
    with pytest.raises(ParameterError, match=r"^rtol .*\[0, 1\)"):
        weight(f, method="ahp", matrix=[[1, 3], [0.001, 1]], rtol=rtol)
    with pytest.raises(ParameterError, match=r"^rtol "):
        ahp_weights([[1, 3], [1 / 3, 1]], rtol=rtol)


def test_issue14b_weighting_module_is_under_600_lines():
    import cityeval.composite.weighting as mod
    from pathlib import Path
    assert len(Path(mod.__file__).read_text(encoding="utf-8").splitlines()) < 600
