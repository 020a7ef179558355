"""Tests of cityeval.composite.normalization: indicators brought to one scale, higher is better.

Expected values are hand calculations on x = 1, 2, 4, 8 written out next to each case; the
properties (hypothesis) are the invariants of the issue: min-max bounds, reversing a direction
reverses the ranks, reordering units reorders the results only, rank methods unchanged by a
monotone transform.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from cityeval.composite.normalization import NORMALIZE_METHODS, constant_columns, normalize, zscore_columns
from cityeval.composite.ranking import rank
from cityeval.errors import DataError, ParameterError

UNITS = ["a", "b", "c", "d"]


def col(values, name="x", index=UNITS):
    return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=index[:len(values)])


# ---- normalize ----------------------------------------------------------------------------------

X = col([1, 2, 4, 8])


@pytest.mark.parametrize("method,options,expected", [
    # hand calculations on x = 1, 2, 4, 8 (min 1, max 8, range 7)
    ("minmax", {}, [0, 100 / 7, 300 / 7, 100]),
    ("minmax", {"low": -1, "high": 1}, [-1, -1 + 2 / 7, -1 + 6 / 7, 1]),
    # mean 3.75, sample sd sqrt(28.75 / 3)
    ("zscore", {}, (np.array([1, 2, 4, 8]) - 3.75) / np.sqrt(28.75 / 3)),
    ("zscore", {"mean": 10, "sd": 2}, 10 + 2 * (np.array([1, 2, 4, 8]) - 3.75) / np.sqrt(28.75 / 3)),
    ("rank", {}, [1, 2, 3, 4]),
    ("percentile", {}, [0, 100 / 3, 200 / 3, 100]),
    # goalposts 0 and 5: (x - 0) / 5, truncated at 1
    ("goalposts", {"lower": 0, "upper": 5}, [20, 40, 80, 100]),
    ("goalposts", {"lower": 0, "upper": 5, "truncate": False, "scale": 1}, [0.2, 0.4, 0.8, 1.6]),
    # reference unit c (x = 4): 1 - (4 - x) / (4 - 1)
    ("distance_to_reference", {"reference": "c", "scale": 1}, [0, 1 / 3, 1, 7 / 3]),
    ("distance_to_reference", {"reference": "c", "scale": 1, "cap": True}, [0, 1 / 3, 1, 1]),
    # target 6: 1 - (6 - x) / (6 - 1)
    ("distance_to_target", {"targets": {"x": 6}}, [0, 20, 60, 140]),
    ("distance_to_max", {}, [0, 100 / 7, 300 / 7, 100]),
])
def test_normalize_methods(method, options, expected):
    assert_allclose(normalize(X, method=method, **options)["x"], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("method,options,expected", [
    # direction -1 on x = 1, 2, 4, 8: y = -x
    ("minmax", {}, [100, 600 / 7, 400 / 7, 0]),
    ("rank", {}, [4, 3, 2, 1]),
    # goalposts 0 and 5, lower is better: (5 - x) / 5, truncated at 0
    ("goalposts", {"lower": 0, "upper": 5}, [80, 60, 20, 0]),
    # target 2, lower is better: y = -x, target -2, min y = -8: 1 - (-2 + x) / 6
    ("distance_to_target", {"targets": {"x": 2}, "scale": 1}, [7 / 6, 1, 2 / 3, 0]),
])
def test_normalize_negative_direction(method, options, expected):
    assert_allclose(normalize(X, method=method, directions={"x": -1}, **options)["x"], expected, rtol=1e-12,
                    atol=1e-12)


def test_normalize_ties_and_missing():
    x = col([1, 2, 2, np.nan])
    assert normalize(x, method="rank")["x"].tolist()[:3] == [1, 2, 2]            # "min" ties, as R's rank
    assert_allclose(normalize(x, method="percentile")["x"].iloc[:3], [0, 50, 50])  # (r - 1) / (3 - 1)
    assert np.isnan(normalize(x)["x"].iloc[3])


@pytest.mark.parametrize("method", ["minmax", "zscore", "percentile", "distance_to_max"])
def test_constant_indicator_error_or_midpoint(method):
    x = pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": [5.0, 5.0, 5.0]}, index=list("abc"))
    with pytest.raises(DataError, match="constant indicator") as err:
        normalize(x, method=method)
    assert err.value.column == "k"
    out = normalize(x, method=method, constant="midpoint")
    expected = {"minmax": 50.0, "zscore": 0.0, "percentile": 50.0, "distance_to_max": 50.0}[method]
    assert out["k"].tolist() == [expected] * 3


def test_constant_indicator_rank_is_all_tied():
    assert normalize(col([3, 3, 3]), method="rank")["x"].tolist() == [1.0, 1.0, 1.0]


def test_normalize_errors():
    with pytest.raises(ParameterError, match="minmax"):
        normalize(X, method="min-max")
    with pytest.raises(ParameterError, match="option 'lo'"):
        normalize(X, method="minmax", lo=0)
    with pytest.raises(ParameterError, match="greater than low"):
        normalize(X, high=0)
    with pytest.raises(ParameterError, match="1 or -1"):
        normalize(X, directions={"x": 2})
    with pytest.raises(ParameterError, match="missing x"):
        normalize(X, directions={"y": 1})
    with pytest.raises(ParameterError, match="reference"):
        normalize(X, method="distance_to_reference", reference="zz")
    with pytest.raises(DataError, match="worst value"):
        normalize(X, method="distance_to_reference", reference="a")
    with pytest.raises(ParameterError, match="goalposts"):
        normalize(X, method="goalposts")
    with pytest.raises(DataError, match="no values"):
        normalize(col([np.nan, np.nan]))
    assert len(NORMALIZE_METHODS) == 8



# ---- the unified contract and checks (issue 11) -------------------------------------------------------------------


@pytest.mark.parametrize("direction", [True, 1.5, 0, "1", None, float("nan")])
def test_direction_must_be_plus_or_minus_one(direction):
    # True used to pass as 1 and "1" as 1.0
    with pytest.raises(ParameterError, match=r"directions\['x'\] should be 1 or -1"):
        normalize(X, directions={"x": direction})


@pytest.mark.parametrize("method, options, name", [
    ("minmax", {"low": True}, "low"), ("minmax", {"high": float("inf")}, "high"), ("minmax", {"low": "0"}, "low"),
    ("zscore", {"sd": 0}, "sd"), ("zscore", {"mean": None}, "mean"),
    ("percentile", {"scale": True}, "scale"), ("percentile", {"ties": "first"}, "ties"),
    ("goalposts", {"lower": 0, "upper": 5, "truncate": "no"}, "truncate"),
    ("goalposts", {"lower": {"x": True}, "upper": 5}, r"lower\['x'\]"),
    ("distance_to_reference", {"reference": "c", "cap": 1}, "cap"),
    ("distance_to_reference", {"reference": ["c"]}, "reference"),
    ("distance_to_target", {"targets": {"x": 6}, "cap": "yes"}, "cap"),
    ("distance_to_max", {"scale": -1}, "scale"),
    ("rank", {"constant": "drop"}, "constant"), ("goalposts", {"lower": 0, "upper": 5, "constant": 0}, "constant"),
])
def test_option_values_are_checked(method, options, name):
    # each used to pass (a bool as a number or a flag, any 'constant' for rank and goalposts) or raise a TypeError
    with pytest.raises(ParameterError, match=rf"^{name} should be"):
        normalize(X, method=method, **options)


def test_unknown_option_and_method_wording():
    # the listing is the method's options, never the context the stage supplies ('directions')
    with pytest.raises(ParameterError) as err:
        normalize(X, method="minmax", lo=0)
    assert str(err.value) == ("option 'lo' of normalize(method='minmax') should be one of ['constant', 'high', 'low'], "
                              "but its value is 0.")
    with pytest.raises(ParameterError, match="^normalize method should be one of 'minmax', 'zscore', 'rank'"):
        normalize(X, method="min-max")


@pytest.mark.parametrize("method", sorted(NORMALIZE_METHODS))
@pytest.mark.parametrize("frame, error, fragment", [
    (X["x"], ParameterError, "pandas DataFrame"),
    (X.assign(x=["1", "2", "4", "8"]), DataError, "numeric"),
    (X.replace(8.0, np.inf), DataError, "finite"),
])
def test_frame_is_checked(method, frame, error, fragment):
    with pytest.raises(error, match=fragment):
        normalize(frame, method=method)


def test_constant_columns_hand():
    x = np.array([[1.0, 2.0, np.nan, 4.0], [1.0, 3.0, 5.0, np.nan], [1.0, 2.0, np.nan, np.nan]])
    # column 0 all equal; 1 varies; 2 a single value; 3 a single value (the rest missing)
    assert constant_columns(x).tolist() == [True, False, True, True]
    assert constant_columns(np.full((2, 1), np.nan)).tolist() == [True]        # no value at all


def test_zscore_columns_hand_and_tolerance():
    x = np.array([[1.0, 5.0, 0.0], [2.0, 5.0, 1e-15], [3.0, 5.0, np.nan]])
    z, const = zscore_columns(x)
    # column 0: mean 2, sample sd 1 (ddof 1) -> -1, 0, 1; column 1 constant -> 0; column 2 sd 7.07e-16 > 0
    assert_allclose(z[:, 0], [-1, 0, 1], rtol=0, atol=1e-15)
    assert z[:, 1].tolist() == [0.0, 0.0, 0.0] and const.tolist() == [False, True, False]
    assert np.isnan(z[2, 2])
    # population sd (ddof 0): sqrt(2/3); with a tolerance the tiny spread of column 2 counts as constant
    z0, const0 = zscore_columns(x, ddof=0, tol=1e-12)
    assert_allclose(z0[:, 0], np.array([-1, 0, 1]) / np.sqrt(2 / 3), rtol=1e-15)
    assert const0.tolist() == [False, True, True] and z0[:2, 2].tolist() == [0.0, 0.0]


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 30), st.integers(1, 5)),
              elements=st.floats(-1e6, 1e6, allow_nan=False, width=64)))
def test_zscore_columns_is_the_textbook_formula(x):
    # reference: (x - mean) / std written out with numpy (the formula of the docstring), for both ddofs.
    # Issue 14: a column whose range is at most 1e-12 of its magnitude is constant, and a column of values all
    # below 2**-500 is scaled first (numpy's std underflows to 0 there): those columns are checked in the
    # issue-14 section below; every other column must agree with the textbook formula bit for bit.
    flat = np.ptp(x, axis=0) <= 1e-12 * np.abs(x).max(axis=0)
    tiny = (np.abs(x).max(axis=0) < 2.0 ** -500) & (np.abs(x).max(axis=0) > 0)
    for ddof in (0, 1):
        z, const = zscore_columns(x, ddof=ddof)
        sd = x.std(axis=0, ddof=ddof)
        assert const.tolist() == np.where(tiny, flat, (sd == 0) | flat).tolist()
        with np.errstate(invalid="ignore", divide="ignore"):
            ref = np.where(sd > 0, (x - x.mean(axis=0)) / sd, 0.0)
        keep = ~flat & ~tiny
        assert z[:, keep].tobytes() == ref[:, keep].tobytes()


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
distinct_ints = st.lists(st.integers(-1000, 1000), min_size=2, max_size=40, unique=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(finite, min_size=2, max_size=40), finite, st.floats(1e-3, 1e6))
def test_minmax_bounds(values, low, width):
    x = np.array(values)
    if x.max() == x.min():
        return
    high = low + width
    out = normalize(col(x, index=[f"u{i}" for i in range(len(x))]), low=low, high=high)["x"].to_numpy()
    tol = 1e-9 * (abs(low) + abs(high) + 1)
    assert out.min() >= low - tol and out.max() <= high + tol
    assert_allclose([out.min(), out.max()], [low, high], atol=tol)


@settings(max_examples=100, deadline=None)
@given(distinct_ints, st.sampled_from(["minmax", "zscore", "rank", "percentile", "distance_to_max"]))
def test_reversing_direction_reverses_ranks(values, method):
    x = col(values, index=[f"u{i}" for i in range(len(values))])
    up = rank(normalize(x, method=method, directions={"x": 1})["x"])
    down = rank(normalize(x, method=method, directions={"x": -1})["x"])
    n = len(values)
    assert (up + down == n + 1).all()          # distinct values: rank r becomes n + 1 - r


@settings(max_examples=100, deadline=None)
@given(distinct_ints, st.randoms(use_true_random=False))
def test_reordering_units_reorders_results_only(values, rnd):
    idx = [f"u{i}" for i in range(len(values))]
    # y = x^3 keeps distinct values distinct (x^2 would make y constant for values such as [-1, 1])
    x = pd.DataFrame({"x": np.array(values, float), "y": np.array(values, float) ** 3}, index=idx)
    perm = list(idx)
    rnd.shuffle(perm)
    for method in ("minmax", "zscore", "rank", "percentile"):
        a = normalize(x, method=method, directions={"x": 1, "y": -1})
        b = normalize(x.loc[perm], method=method, directions={"x": 1, "y": -1})
        assert list(b.index) == perm
        pd.testing.assert_frame_equal(b.loc[idx], a)


@settings(max_examples=100, deadline=None)
@given(distinct_ints, st.sampled_from(["cube", "exp", "affine"]))
def test_rank_normalization_unchanged_by_monotone_transforms(values, transform):
    x = np.array(values, dtype=float)
    f = {"cube": lambda v: v ** 3, "exp": lambda v: np.exp(v / 100), "affine": lambda v: 3 * v - 7}[transform]
    idx = [f"u{i}" for i in range(len(x))]
    for method in ("rank", "percentile"):
        assert_array_equal(normalize(col(x, index=idx), method=method)["x"],
                           normalize(col(f(x), index=idx), method=method)["x"])


_HUGE = pd.DataFrame({"a": [-1e308, 1e308, 0.0]}, index=list("pqr"))


# numpy warns about the overflow it then reports as inf/NaN; the point is the DataError that follows
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning", "ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("method, extra", [("minmax", {}), ("distance_to_max", {}), ("zscore", {}),
                                           ("goalposts", {"lower": -1e308, "upper": 1e308}),
                                           ("distance_to_reference", {"reference": "r"}),
                                           ("distance_to_target", {"targets": {"a": 1e308}}),
                                           ("percentile", {}), ("rank", {})])
def test_extreme_finite_values_never_give_a_silent_nan(method, extra):
    # max - min overflows to inf: min-max gave NaN, z-scores 0 for every unit
    try:
        out = normalize(_HUGE, method=method, **extra)
    except DataError as exc:
        assert "overflow" in str(exc)
    else:
        assert np.isfinite(out.to_numpy()).all()
        assert out["a"].nunique() == 3  # three different values stay distinguishable


# ----------------------------------------------------------------------------- issue 14 finite numbers
def test_issue14_minmax_of_huge_values_is_computed_not_refused():
    # hand: [-1e308, 1e308, 0] is [-1, 1, 0] times 1e308, whose min-max is 0, 100, 50
    assert normalize(_HUGE)["a"].tolist() == [0.0, 100.0, 50.0]


def test_issue14_near_constant_column_is_constant():
    x = np.array([[1.0, 0.0], [np.nextafter(1.0, 2.0), 5e-324]])
    assert constant_columns(x).tolist() == [True, False]   # one ulp of 1: constant; 0 vs 5e-324: a full range


# ----------------------------------------------------------------------------- issue 14, round 2: option ranges
_F14 = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=["p", "q", "r"])


@pytest.mark.parametrize("low, high", [(0, 5e-324), (0, 1e-300), (1e300, 1e300 * (1 + 1e-13)), (-5e-324, 5e-324)])
def test_issue14b_minmax_onto_a_range_of_rounding_noise_is_refused(low, high):
    # {"normalize": {"low": 0, "high": 5e-324}} ran and every unit tied: [0, 5e-324] holds one step of 5e-324
    with pytest.raises(ParameterError, match=r"^high .*greater than low.*rounding noise"):
        normalize(_F14, method="minmax", low=low, high=high)


def test_issue14b_minmax_onto_narrow_but_resolvable_ranges_is_kept():
    # 1e-290 wide (above 2.2e-296) and 1e-11 of its ends (above 1e-12): (x - 1) / 2 * width + low (hand)
    assert_allclose(normalize(_F14, method="minmax", low=0, high=1e-290)["a"], [0, 0.5e-290, 1e-290], rtol=1e-15)
    out = normalize(_F14, method="minmax", low=1.0, high=1.0 + 1e-11)["a"].to_numpy()
    assert out[0] < out[1] < out[2]


@pytest.mark.parametrize("method, options, name", [
    ("zscore", {"mean": 1e20, "sd": 1e-3}, "sd"),  # mean + sd * z is 1e20 for every unit
    ("zscore", {"sd": 1e-310}, "sd"),  # z * 1e-310 is subnormal: 4 digits
    ("percentile", {"scale": 1e-310}, "scale"),
    ("goalposts", {"lower": 0, "upper": 10, "scale": 5e-324}, "scale"),
    ("distance_to_max", {"scale": 1e-320}, "scale"),
])
def test_issue14b_output_scales_of_rounding_noise_are_refused(method, options, name):
    with pytest.raises(ParameterError, match=rf"^{name} .*rounding noise"):
        normalize(_F14, method=method, **options)
