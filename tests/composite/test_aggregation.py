"""Tests of cityeval.composite.aggregation: one score per unit from the indicators of one parent.

Reference values come from (each test says which): hand calculations written out in the
test, pymcdm 1.4's TOPSIS (the exact call next to the comparison, or in tests/results/pymcdm.py
for the values hard-coded from its docstring example), and a Benefit-of-the-Doubt
example solved by hand (vertex enumeration of a 2-D linear programme).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from cityeval.composite.aggregation import AGGREGATION_METHODS, aggregate, benefit_of_the_doubt
from cityeval.errors import CityevalError, DataError, ParameterError
from results import pymcdm as pymcdm_results

pymcdm_methods = pytest.importorskip("pymcdm.methods")
from pymcdm.normalizations import vector_normalization  # noqa: E402

# Hand-calculated means are a handful of float operations: 1e-12 relative is rounding level.
HAND = dict(rtol=1e-12, atol=0)
# TOPSIS vs pymcdm: same algorithm, different order of operations; the issue's target is 1e-9.
PEER = dict(rtol=1e-9, atol=1e-12)
# HiGHS solves the BoD LPs to its default feasibility/optimality tolerances (~1e-7 relative).
LP = dict(rtol=0, atol=1e-7)

W = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
# unit x = (1, 4, 2), unit y = (2, 2, 2), unit z = (4, 1, NaN)
FRAME = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [4.0, 2.0, 1.0], "c": [2.0, 2.0, np.nan]},
                     index=["x", "y", "z"])


def frame_of(x):
    x = np.asarray(x, dtype=float)
    return pd.DataFrame(x, columns=[f"i{j}" for j in range(x.shape[1])],
                        index=[f"u{i}" for i in range(x.shape[0])])


# --------------------------------------------------------------------------- hand calculations


def test_arithmetic_hand():
    # x: 0.5*1 + 0.3*4 + 0.2*2 = 2.1;  y: constant 2;  z: c missing → (0.5*4 + 0.3*1) / (0.5 + 0.3) = 2.875
    assert_allclose(aggregate(FRAME, W).to_numpy(), [2.1, 2.0, 2.875], **HAND)


def test_geometric_hand():
    # x: 1^0.5 * 4^0.3 * 2^0.2;  z: (4^0.5 * 1^0.3)^(1/0.8) (weights renormalised over a, b)
    expected = [4 ** 0.3 * 2 ** 0.2, 2.0, (4 ** 0.5) ** (1 / 0.8)]
    assert_allclose(aggregate(FRAME, W, method="geometric").to_numpy(), expected, **HAND)


def test_harmonic_hand():
    # x: 1 / (0.5/1 + 0.3/4 + 0.2/2) = 1/0.675;  z: 0.8 / (0.5/4 + 0.3/1) = 0.8/0.425
    expected = [1 / 0.675, 2.0, 0.8 / 0.425]
    assert_allclose(aggregate(FRAME, W, method="harmonic").to_numpy(), expected, **HAND)


def test_generalized_mean_hand_and_special_cases():
    # p = 2: x: sqrt(0.5*1 + 0.3*16 + 0.2*4) = sqrt(6.1);  z: sqrt((0.5*16 + 0.3*1) / 0.8)
    assert_allclose(aggregate(FRAME, W, method="generalized", p=2).to_numpy(),
                    [math.sqrt(6.1), 2.0, math.sqrt(8.3 / 0.8)], **HAND)
    ari = aggregate(FRAME, W, method="arithmetic").to_numpy()
    geo = aggregate(FRAME, W, method="geometric").to_numpy()
    har = aggregate(FRAME, W, method="harmonic").to_numpy()
    assert_allclose(aggregate(FRAME, W, method="generalized", p=1).to_numpy(), ari, **HAND)
    assert_allclose(aggregate(FRAME, W, method="generalized", p=-1).to_numpy(), har, **HAND)
    assert_allclose(aggregate(FRAME, W, method="generalized", p=0).to_numpy(), geo, **HAND)
    # p → 0: M_p = M_0 (1 + p Var_w(ln x)/2 + O(p²)); with Var ~ 0.3 and p = ±1e-9 the gap is ~1e-10,
    # and the expm1/log1p evaluation adds no cancellation error
    for p in (1e-9, -1e-9):
        assert_allclose(aggregate(FRAME, W, method="generalized", p=p).to_numpy(), geo, rtol=1e-9)
    # p = 0.5 by hand for x: (0.5*1 + 0.3*2 + 0.2*sqrt(2))^2
    assert_allclose(aggregate(FRAME, W, method="generalized", p=0.5)["x"], (0.5 + 0.6 + 0.2 * math.sqrt(2)) ** 2,
                    **HAND)


def test_power_means_are_ordered_in_p():
    # M_p is non-decreasing in p (power-mean inequality): harmonic <= geometric <= arithmetic <= M_2
    rng = np.random.default_rng(0)
    f = frame_of(rng.uniform(0.1, 1, (50, 6)))
    w = rng.uniform(0.1, 1, 6)
    ps = [-5, -1, -0.3, 0, 0.3, 1, 2, 5]
    scores = np.array([aggregate(f, w, method="generalized", p=p).to_numpy() for p in ps])
    assert (np.diff(scores, axis=0) >= -1e-12).all()


# --------------------------------------------------------------------------- missing values, weights


def test_missing_values_renormalise_and_all_missing_gives_nan():
    f = pd.DataFrame({"a": [np.nan, 1.0], "b": [np.nan, np.nan]}, index=["empty", "half"])
    for method, opts in [("arithmetic", {}), ("geometric", {}), ("harmonic", {}), ("generalized", {"p": 3})]:
        out = aggregate(f, {"a": 1, "b": 3}, method=method, **opts)
        assert np.isnan(out["empty"])
        assert out["half"] == pytest.approx(1.0)  # only a is available: its weight becomes 1
    # a unit whose available indicators all have weight 0 has no usable value either
    g = pd.DataFrame({"a": [1.0, 2.0], "b": [np.nan, 3.0]}, index=["u", "v"])
    out = aggregate(g, {"a": 0, "b": 1})
    assert np.isnan(out["u"]) and out["v"] == 3.0


def test_weights_are_aligned_by_code_and_checked():
    shuffled = pd.Series({"c": 0.2, "extra": 9.0, "a": 0.5, "b": 0.3})  # other order; extra code ignored
    assert_allclose(aggregate(FRAME, shuffled).to_numpy(), aggregate(FRAME, W).to_numpy(), **HAND)
    assert_allclose(aggregate(FRAME, [5, 3, 2]).to_numpy(), aggregate(FRAME, W).to_numpy(), **HAND)  # unnormalised
    with pytest.raises(ParameterError, match="missing for c"):
        aggregate(FRAME, {"a": 1, "b": 1})
    with pytest.raises(ParameterError, match=r"weights\['b'\] should be a finite number >= 0"):
        aggregate(FRAME, {"a": 1, "b": -1, "c": 1})
    with pytest.raises(ParameterError, match="positive sum"):
        aggregate(FRAME, [0, 0, 0])
    with pytest.raises(ParameterError, match="3 weights"):
        aggregate(FRAME, [1, 2])


def test_unit_order_and_index_are_kept():
    out = aggregate(FRAME, W)
    assert list(out.index) == ["x", "y", "z"]
    rev = aggregate(FRAME.iloc[::-1], W)
    assert list(rev.index) == ["z", "y", "x"]
    assert_allclose(rev[out.index].to_numpy(), out.to_numpy(), **HAND)


# --------------------------------------------------------------------------- zeros: never silent


@pytest.mark.parametrize("method,opts", [("geometric", {}), ("harmonic", {}), ("generalized", {"p": -1}),
                                         ("generalized", {"p": 0})])
def test_zero_raises_without_shift_and_names_the_cell(method, opts):
    f = pd.DataFrame({"a": [0.5, 0.0], "b": [0.2, 0.8]}, index=["Beijing", "Shanghai"])
    with pytest.raises(DataError, match=r"column 'a'.*unit 'Shanghai' has 0"):
        aggregate(f, [1, 1], method=method, **opts)


def test_shift_is_added_then_subtracted():
    f = pd.DataFrame({"a": [0.5, 0.0], "b": [0.2, 0.8]}, index=["u", "v"])
    # geometric, shift 1: v = sqrt((0 + 1)(0.8 + 1)) - 1 = sqrt(1.8) - 1
    assert aggregate(f, [1, 1], method="geometric", shift=1.0)["v"] == pytest.approx(math.sqrt(1.8) - 1, rel=1e-12)
    # harmonic, shift 1: v = 2 / (1/1 + 1/1.8) - 1
    assert aggregate(f, [1, 1], method="harmonic", shift=1.0)["v"] == pytest.approx(2 / (1 + 1 / 1.8) - 1, rel=1e-12)
    # p > 0 accepts zeros without a shift: p = 2, v = sqrt((0 + 0.64)/2)
    assert aggregate(f, [1, 1], method="generalized", p=2)["v"] == pytest.approx(math.sqrt(0.32), rel=1e-12)
    with pytest.raises(DataError, match="after adding shift=0.1"):
        aggregate(f - 0.5, [1, 1], method="geometric", shift=0.1)
    with pytest.raises(ParameterError, match="shift"):
        aggregate(f, [1, 1], method="geometric", shift=float("nan"))


def test_generalized_needs_p_and_options_are_checked():
    with pytest.raises(ParameterError, match="p should be a finite number given explicitly"):
        aggregate(FRAME, W, method="generalized")
    with pytest.raises(ParameterError, match="option 'p' of aggregate"):
        aggregate(FRAME, W, method="arithmetic", p=2)
    with pytest.raises(ParameterError, match="method should be one of"):
        aggregate(FRAME, W, method="median")


# --------------------------------------------------------------------------- TOPSIS


def test_topsis_pymcdm_docstring_example():
    # pymcdm 1.4 TOPSIS docstring example (default min-max normalization): the printed values and the
    # full-precision output of pymcdm.methods.TOPSIS()(matrix, weights, types), tests/results/pymcdm.py
    f = frame_of(pymcdm_results.TOPSIS_MATRIX)
    got = aggregate(f, pymcdm_results.TOPSIS_WEIGHTS, method="topsis", types=pymcdm_results.TOPSIS_TYPES,
                    normalization="minmax").to_numpy()
    assert_allclose(got, pymcdm_results.TOPSIS_PRINTED, rtol=0, atol=5e-4)
    assert_allclose(got, pymcdm_results.TOPSIS_SCORES, **PEER)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_topsis_matches_pymcdm(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(3, 200), rng.integers(2, 15)
    x = rng.uniform(0.1, 10, (n, m)) * rng.uniform(1, 100, m)
    w = rng.uniform(0.1, 1, m)
    w /= w.sum()
    types = rng.choice([1, -1], m)
    f = frame_of(x)
    # reference: pymcdm.methods.TOPSIS(vector_normalization)(x, w, types) – Hwang & Yoon's vector normalization
    ref = pymcdm_methods.TOPSIS(vector_normalization)(x, w, types)
    assert_allclose(aggregate(f, w, method="topsis", types=types).to_numpy(), ref, **PEER)
    # reference: pymcdm.methods.TOPSIS()(x, w, types) – pymcdm's default min-max normalization
    ref = pymcdm_methods.TOPSIS()(x, w, types)
    assert_allclose(aggregate(f, w, method="topsis", types=types, normalization="minmax").to_numpy(), ref, **PEER)
    # types by code, as strings, in another order
    named = pd.Series({c: ("benefit" if t > 0 else "cost") for c, t in zip(f.columns, types)}).iloc[::-1]
    assert_allclose(aggregate(f, w, method="topsis", types=named).to_numpy(),
                    pymcdm_methods.TOPSIS(vector_normalization)(x, w, types), **PEER)


def test_topsis_dominating_unit_scores_one_and_errors():
    # a unit best on every benefit indicator is the ideal (D+ = 0 → C = 1); worst on all is the anti-ideal
    f = pd.DataFrame({"a": [3.0, 2.0, 1.0], "b": [5.0, 4.0, 1.0]}, index=["best", "mid", "worst"])
    out = aggregate(f, [1, 1], method="topsis")
    assert out["best"] == 1.0 and out["worst"] == 0.0 and 0 < out["mid"] < 1
    with pytest.raises(DataError, match="complete data"):
        aggregate(FRAME, W, method="topsis")
    with pytest.raises(DataError, match="varies"):
        aggregate(pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 2.0]}), [1, 1], method="topsis")
    with pytest.raises(ParameterError, match=r"types\['b'\]"):
        aggregate(f, [1, 1], method="topsis", types=[1, 0])
    with pytest.raises(ParameterError, match="normalization"):
        aggregate(f, [1, 1], method="topsis", normalization="sum")


# --------------------------------------------------------------------------- Benefit of the Doubt

# Five units, two indicators. The LP max w·y_c s.t. w·y_k <= 1 for all k, w >= 0 has feasible
# region {w >= 0: w1 + 0.2 w2 <= 1, 0.6 w1 + 0.6 w2 <= 1, 0.2 w1 + w2 <= 1} (the rows of D and E are
# implied), whose vertices are (0, 0), (1, 0), (5/6, 5/6), (0, 1). A linear objective is maximal at
# a vertex, so by hand:
#   A = (1, .2):  1, .833, .2  → 1        B = (.6, .6): .6, 1, .6 → 1      C = (.2, 1): → 1 (mirror of A)
#   D = (.4, .4): .4, 2/3, .4 → 2/3       E = (.5, .1): .5, .5, .1 → 1/2
BOD = pd.DataFrame({"x1": [1.0, 0.6, 0.2, 0.4, 0.5], "x2": [0.2, 0.6, 1.0, 0.4, 0.1]}, index=list("ABCDE"))


def test_bod_hand_example():
    scores, mult = benefit_of_the_doubt(BOD, return_weights=True)
    assert_allclose(scores.to_numpy(), [1, 1, 1, 2 / 3, 1 / 2], **LP)
    # each unit's own weights reproduce its score and keep every unit at or below 1
    assert_allclose((mult.to_numpy() * BOD.to_numpy()).sum(axis=1), scores.to_numpy(), **LP)
    assert (BOD.to_numpy() @ mult.to_numpy().T <= 1 + 1e-7).all()
    assert_allclose(aggregate(BOD, [1, 1], method="bod").to_numpy(), scores.to_numpy(), **LP)


def test_bod_share_bounds_hand_example():
    # share_bounds=(1, 1) with equal reference weights fixes each indicator's share of the unit's score
    # at 1/2: w_j y_cj = S/2. For E = (.5, .1): w = (S, 5S); the rows give S <= 1/2 (A), 1/3.6 (B),
    # 1/5.2 (C), 1/2.4 (D), 1 (E) → S = 1/5.2. For D = (.4, .4): w = (1.25 S, 1.25 S), A, B, C bind
    # at 1.5 S <= 1 → 2/3, as unrestricted. For B = (.6, .6): w = (5S/6, 5S/6), binding row B → 1.
    out = aggregate(BOD, [1, 1], method="bod", share_bounds=(1, 1))
    assert_allclose(out[["B", "D", "E"]].to_numpy(), [1, 2 / 3, 1 / 5.2], **LP)
    # looser bounds can only raise scores (the feasible set grows) and never above the unrestricted ones
    loose = aggregate(BOD, [1, 1], method="bod", share_bounds=(0.5, 1.5)).to_numpy()
    free = aggregate(BOD, [1, 1], method="bod").to_numpy()
    assert (loose >= out.to_numpy() - 1e-7).all() and (loose <= free + 1e-7).all()


def test_bod_matches_the_full_linear_programme():
    # reference: the LP of Cherchye et al. (2007) written out with every unit's constraint,
    # scipy.optimize.linprog(-y_c, A_ub=Y, b_ub=1, bounds=(0, None), method="highs") per unit;
    # cityeval solves it by constraint generation, which must reach the same optimum
    from scipy.optimize import linprog

    rng = np.random.default_rng(8)
    x = rng.uniform(0, 1, (120, 5)) ** 2
    full = [-linprog(-x[i], A_ub=x, b_ub=np.ones(len(x)), bounds=(0, None), method="highs").fun
            for i in range(len(x))]
    assert_allclose(aggregate(frame_of(x), np.ones(5), method="bod").to_numpy(), full, **LP)


def test_bod_errors():
    with pytest.raises(DataError, match="complete data"):
        aggregate(FRAME, W, method="bod")
    with pytest.raises(DataError, match=">= 0"):
        aggregate(BOD - 0.5, [1, 1], method="bod")
    with pytest.raises(ParameterError, match="share_bounds"):
        aggregate(BOD, [1, 1], method="bod", share_bounds=(0.5, 0.9))


# --------------------------------------------------------------------------- properties (hypothesis)

MEANS = [("arithmetic", {}), ("geometric", {}), ("harmonic", {}), ("generalized", {"p": 2.5}),
         ("generalized", {"p": -0.7}), ("generalized", {"p": 1e-6})]


@st.composite
def frames_and_weights(draw, *, lo=0.01, allow_nan=True):
    n = draw(st.integers(1, 20))
    m = draw(st.integers(1, 6))
    x = draw(arrays(np.float64, (n, m), elements=st.floats(lo, 1, width=64)))
    if allow_nan:
        mask = draw(arrays(np.bool_, (n, m), elements=st.booleans()))
        x = np.where(mask & draw(st.booleans()), np.nan, x)
    w = draw(arrays(np.float64, m, elements=st.floats(0.01, 10)))
    return frame_of(x), w


@settings(max_examples=150, deadline=None)
@given(c=st.floats(0.001, 1000), shape=st.tuples(st.integers(1, 20), st.integers(1, 6)),
       w=arrays(np.float64, 6, elements=st.floats(0.001, 10)), which=st.sampled_from(range(len(MEANS))))
def test_property_constant_frame_gives_the_constant(c, shape, w, which):
    method, opts = MEANS[which]
    f = frame_of(np.full(shape, c))
    out = aggregate(f, w[: shape[1]], method=method, **opts)
    assert_allclose(out.to_numpy(), c, rtol=1e-12 if opts.get("p") != 1e-6 else 1e-9)


@settings(max_examples=150, deadline=None)
@given(fw=frames_and_weights(), which=st.sampled_from(range(len(MEANS))))
def test_property_means_lie_between_min_and_max(fw, which):
    f, w = fw
    method, opts = MEANS[which]
    out = aggregate(f, w, method=method, **opts).to_numpy()
    lo, hi = np.nanmin(f.to_numpy(), axis=1, initial=np.inf), np.nanmax(f.to_numpy(), axis=1, initial=-np.inf)
    has = ~np.isnan(f.to_numpy()).all(axis=1)
    assert np.isnan(out[~has]).all()
    assert (out[has] >= lo[has] * (1 - 1e-9)).all() and (out[has] <= hi[has] * (1 + 1e-9)).all()


@settings(max_examples=100, deadline=None)
@given(fw=frames_and_weights(allow_nan=False), seed=st.integers(0, 2**32 - 1),
       which=st.sampled_from(range(len(MEANS) + 2)))
def test_property_reordering_units_reorders_results_only(fw, seed, which):
    f, w = fw
    method, opts = (MEANS + [("topsis", {}), ("bod", {})])[which]
    perm = np.random.default_rng(seed).permutation(len(f))
    try:
        out = aggregate(f, w, method=method, **opts)
    except CityevalError:  # e.g. TOPSIS on a frame where nothing varies: the permuted frame must refuse too
        with pytest.raises(CityevalError):
            aggregate(f.iloc[perm], w, method=method, **opts)
        return
    permuted = aggregate(f.iloc[perm], w, method=method, **opts)
    assert list(permuted.index) == list(f.index[perm])
    tol = LP if method == "bod" else dict(rtol=1e-12, atol=1e-15)
    assert_allclose(permuted.to_numpy(), out.iloc[perm].to_numpy(), **tol)


def test_registry_lists_every_method():
    assert set(AGGREGATION_METHODS) == {"arithmetic", "geometric", "harmonic", "generalized", "topsis", "bod"}


# --------------------------------------------------------------------------- the unified contract and checks (issue 11)


def test_unknown_method_wording_and_listing():
    with pytest.raises(ParameterError, match="^aggregate method should be one of 'arithmetic', 'geometric'"):
        aggregate(FRAME, W, method="median")
    # the listing is the method's options, never the weights the stage supplies
    with pytest.raises(ParameterError) as err:
        aggregate(FRAME, W, method="arithmetic", p=2)
    assert str(err.value) == ("option 'p' of aggregate(method='arithmetic') should be absent (the method has no "
                              "options), but its value is 2.")


_F2 = pd.DataFrame({"a": [0.2, 0.6, 0.9], "b": [0.8, 0.3, 0.5]}, index=list("pqr"))


@pytest.mark.parametrize("types", [[np.True_, -1], [True, -1], {"a": np.False_, "b": 1}, [1, "yes"]])
def test_topsis_types_refuse_booleans_of_any_kind(types):
    # np.True_ == 1 slipped past isinstance(v, bool)
    with pytest.raises(ParameterError, match="types"):
        aggregate(_F2, [1, 1], method="topsis", types=types)


@pytest.mark.parametrize("bounds", [(True, True), (np.False_, 2), {0.1: 1, 2: 1}, {0.5, 2}, "01", (0.5,),
                                    (0.5, 2, 3), (0.5, np.inf), (np.nan, 2), ("0.5", "2"), 1])
def test_share_bounds_must_be_a_pair_of_numbers(bounds):
    # (True, True) was read as (1, 1); a dict was read through its keys
    with pytest.raises(ParameterError, match="share_bounds"):
        aggregate(_F2, [1, 1], method="bod", share_bounds=bounds)


@pytest.mark.parametrize("method, extra", [("geometric", {}), ("harmonic", {}), ("generalized", {"p": 1}),
                                           ("generalized", {"p": 2}), ("generalized", {"p": 0})])
def test_shift_none_is_refused_by_every_mean(method, extra):
    # geometric/harmonic read None as 0 while generalized p=1 raised: one rule now
    with pytest.raises(ParameterError, match="shift"):
        aggregate(_F2, [1, 1], method=method, shift=None, **extra)


# numpy warns about the overflow it then reports as inf/NaN; the point is the DataError that follows
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning", "ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("method, extra", [("arithmetic", {}), ("geometric", {}), ("generalized", {"p": 2}),
                                           ("generalized", {"p": 0.5})])
def test_an_aggregate_that_overflows_is_a_data_error(method, extra):
    # 1e308 + 1e308 overflows to inf (arithmetic); the score used to come back inf
    f = pd.DataFrame({"a": [1.7e308, 1.0], "b": [1.7e308, 2.0]}, index=["p", "q"])
    out = None
    try:
        out = aggregate(f, [1, 1], method=method, **extra)
    except DataError as exc:
        assert "overflows" in str(exc)
    if out is not None:  # a method that stays finite must give a finite score (never inf/NaN)
        assert np.isfinite(out).all()


def test_bod_on_values_spanning_1e_300_to_1e300_is_solved():
    # HiGHS reported a model error on these coefficients (first a RuntimeError, then a DataError); scaling each
    # column and each unit's objective by a power of two (exact) solves it. By hand: units p and q are on the
    # frontier; r's best multipliers are w_a = w_b = 1e-300 (bound by p and q), r = 0.5e-300 + 0.5e-300 = 1e-300;
    # s = 1e150 * 1e-300 = 1e-150 (w_a <= 1e-300 from p; w_b's term 1e-150 * 1e-300 is negligible)
    f = pd.DataFrame({"a": [1e300, 1e-300, 0.5, 1e150], "b": [1e-300, 1e300, 0.5, 1e-150]}, index=list("pqrs"))
    assert_allclose(benefit_of_the_doubt(f).to_numpy(), [1.0, 1.0, 1e-300, 1e-150], rtol=1e-9)


# ----------------------------------------------------------------------------- issue 14 finite numbers
def test_issue14_arithmetic_mean_of_huge_values_and_weights():
    f = pd.DataFrame({"a": [1.7e308, 1.0], "b": [1.7e308, 2.0]}, index=["p", "q"])
    assert aggregate(f, [1e308, 1e308]).tolist() == [1.7e308, 1.5]   # hand: equal weights


def test_issue14_harmonic_mean_of_tiny_values():
    # hand: 2 / (1/1e-310 + 1/3e-310) = 1.5e-310 (the reciprocals overflowed, giving 0)
    f = pd.DataFrame({"a": [1e-310], "b": [3e-310]})
    assert_allclose(aggregate(f, [1, 1], method="harmonic"), [1.5e-310], rtol=1e-9)


# ----------------------------------------------------------------------------- issue 14, round 2: one unit's tiny
# or huge row (the column's maximum is ordinary, so scaling the columns does not help)
def _rows(*cols):
    return pd.DataFrame({f"c{i}": v for i, v in enumerate(cols)}, index=["p", "q", "r"])


@pytest.mark.parametrize("v", [1e-308, 5e-324, 1e-200, 1e300, 1.7e308])
def test_issue14b_harmonic_mean_of_one_units_extreme_row(v):
    # the reviewer's case: harmonic of (1e-308, 1e-308) gave 0 (1 / 1e-308 overflows); the harmonic mean of equal
    # values is that value (hand), of (1, 1) is 1 and of (1, 2) is 2 / (1 + 1/2) = 4/3
    out = aggregate(_rows([v, 1, 1], [v, 1, 2]), [1, 1], method="harmonic")
    assert_allclose(out.to_numpy(), [v, 1.0, 4 / 3], rtol=1e-15)


@pytest.mark.parametrize("v", [5e-324, 1e-308])
def test_issue14b_harmonic_mean_of_a_tiny_and_an_ordinary_value(v):
    # 2 / (1/v + 1/1) = 2v (hand, the second term is negligible); 1 / 5e-324 overflowed and the mean came out 0.
    # Unit r has one value (the other is missing): its harmonic mean is that value
    out = aggregate(_rows([v, 1, np.nan], [1.0, 1, 2]), [1, 1], method="harmonic")
    assert_allclose(out.to_numpy(), [2 * v, 1.0, 2.0], rtol=1e-15)


@pytest.mark.parametrize("p", [-1, -2, -0.5, -50])
@pytest.mark.parametrize("v", [1e-308, 5e-324, 1e308])
def test_issue14b_generalized_mean_of_one_units_extreme_row(p, v):
    # the power mean of equal values is that value, for every p (hand)
    out = aggregate(_rows([v, 1, 2], [v, 1, 2]), [1, 3], method="generalized", p=p)
    assert_allclose(out.to_numpy(), [v, 1.0, 2.0], rtol=1e-12)


def test_issue14b_topsis_distance_of_a_tiny_row_does_not_underflow():
    # unit q is 1e-200 above the anti-ideal p on both indicators: its squared distance 1e-400 became 0, so q tied
    # with p at 0. Hand (vector): r_a = (0, 1e-200, 1), r_b = (0, 1e-200, 2) / 2; v = r / 2; D- of q =
    # 0.5 * sqrt(1e-400 + 0.25e-400) = 5.590e-201, D+ = 0.5 * sqrt((1 - 1e-200)**2 + (1 - 0.5e-200)**2) = 0.7071
    out = aggregate(_rows([0, 1e-200, 1], [0, 1e-200, 2]), [1, 1], method="topsis")
    assert_allclose(out.to_numpy(), [0.0, 0.5 * np.sqrt(1.25) * 1e-200 / (0.5 * np.sqrt(2)), 1.0], rtol=1e-12)
    assert out["q"] > out["p"]


def test_issue14b_topsis_scales_each_column_on_its_own():
    # one scale for all columns let the ordinary column b underflow when a held 1e300: the scores came out
    # (1, 0, 0). Hand (vector): r_a = (1, 1e-300, 1e-300), r_b = (1, 1, 2) / sqrt(6); v = r / 2;
    # ideal (0.5, 1/sqrt(6)), anti (0, 0.5/sqrt(6)); p: D+ = 0.5/sqrt(6), D- = 0.5 -> 0.5 / (0.5 + 0.2041) = 0.7101
    out = aggregate(_rows([1e300, 1, 1], [1, 1, 2]), [1, 1], method="topsis")
    h = 0.5 / np.sqrt(6)
    assert_allclose(out.to_numpy(), [0.5 / (0.5 + h), 0.0, h / (h + 0.5)], rtol=1e-12)


@pytest.mark.parametrize("v", [1e-308, 1e-200])
def test_issue14b_bod_score_of_a_tiny_row(v):
    # HiGHS returned half the optimum (5e-309) for an objective of 1e-308: unit p's best multipliers are
    # w = (1, 0) (bound by q = (1, 1)): score v (hand)
    out = aggregate(_rows([v, 1, 1], [v, 1, 2]), [1, 1], method="bod")
    assert_allclose(out.to_numpy(), [v, 1.0, 1.0], rtol=1e-9)


@pytest.mark.parametrize("method, extra", [("geometric", {}), ("harmonic", {}), ("generalized", {"p": 2}),
                                           ("generalized", {"p": -1})])
@pytest.mark.parametrize("shift", [1e308, 1e14, -1e300])
def test_issue14b_a_shift_that_swamps_the_values_is_refused(method, extra, shift):
    # shift=1e308 made every unit score 1.357e294 (all tied): x + s no longer tells the values 0 ... 100 apart
    f = _rows([0.0, 50.0, 100.0], [100.0, 0.0, 50.0])
    with pytest.raises(ParameterError, match=r"shift .*'c0' distinguishable"):
        aggregate(f, [1, 1], method=method, shift=shift, **extra)


def test_issue14b_an_ordinary_shift_is_accepted():
    f = _rows([0.0, 50.0, 100.0], [100.0, 0.0, 50.0])
    # geometric with shift 1: sqrt(1 * 101) - 1 (hand)
    assert_allclose(aggregate(f, [1, 1], method="geometric", shift=1.0)["p"], np.sqrt(101.0) - 1, rtol=1e-15)
