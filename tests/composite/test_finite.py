"""Issue 14 §4: numbers stay finite or fail loudly, through every stage's public function.

Property: any finite input gives finite results, or a CityevalError that names the stage (its function), the
unit and the indicator. Expected values are hand calculations: a power-of-two scale is exact, so min-max of
[-1e308, 0, 1e308] is 0, 50, 100 exactly as min-max of [-1, 0, 1].
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from cityeval.composite import aggregate, impute, normalize, rank, treat, weight
from cityeval.composite.normalization import constant_columns, zscore_columns
from cityeval.composite.treatment import fails, kurtosis, log_ct, skewness, winsorize
from cityeval.errors import CityevalError, DataError

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # no overflow warning leaks out of a stage

EXTREME = st.one_of(st.floats(-1.7e308, 1.7e308, allow_nan=False, allow_infinity=False),
                    st.sampled_from([1e308, -1e308, 1.7e308, 5e-324, -5e-324, 1e-310, 0.0, 1.0, 1.0 + 2.2e-16]))
FRAMES = arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(1, 3)), elements=EXTREME)


def _frame(x):
    return pd.DataFrame(x, index=[f"u{i}" for i in range(x.shape[0])], columns=[f"c{j}" for j in range(x.shape[1])])


def _finite_or_named(call, frame):
    try:
        out = call()
    except CityevalError as exc:
        text = str(exc)
        assert "np.float64" not in text
        if isinstance(exc, DataError) and "not finite" in text:  # the stage contract's error names unit and code
            assert "unit 'u" in text
        return None
    return out


NORMALIZE = [("minmax", {}), ("minmax", {"low": -1e308, "high": 1e308}), ("zscore", {}), ("rank", {}),
             ("percentile", {}), ("distance_to_max", {}), ("goalposts", {"lower": -1e308, "upper": 1e308}),
             ("distance_to_target", {"targets": 1.7e308})]


@settings(max_examples=60, deadline=None)
@given(FRAMES)
@pytest.mark.parametrize("method, options", NORMALIZE, ids=[f"{m}-{i}" for i, (m, _) in enumerate(NORMALIZE)])
def test_normalize_is_finite_or_fails_loudly(method, options, x):
    f = _frame(x)
    out = _finite_or_named(lambda: normalize(f, method=method, **options), f)
    if out is not None:
        assert np.isfinite(out.to_numpy()).all()


@settings(max_examples=60, deadline=None)
@given(FRAMES)
@pytest.mark.parametrize("method", ["entropy", "critic", "std", "cv", "pca", "equal"])
def test_weight_is_finite_or_fails_loudly(method, x):
    f = _frame(np.abs(x))
    out = _finite_or_named(lambda: weight(f, method=method), f)
    if out is not None:
        assert np.isfinite(out.to_numpy()).all() and abs(out.sum() - 1) < 1e-9


@settings(max_examples=60, deadline=None)
@given(FRAMES, st.lists(st.sampled_from([1.0, 1e308, 1e-308, 3.0]), min_size=3, max_size=3))
@pytest.mark.parametrize("method, options", [("arithmetic", {}), ("geometric", {}), ("harmonic", {}),
                                             ("generalized", {"p": 2}), ("topsis", {})])
def test_aggregate_is_finite_or_fails_loudly(method, options, x, w):
    f = _frame(np.abs(x) + 1.0)
    out = _finite_or_named(lambda: aggregate(f, w[:f.shape[1]], method=method, **options), f)
    if out is not None:
        assert np.isfinite(out.to_numpy()).all()


@settings(max_examples=60, deadline=None)
@given(FRAMES)
@pytest.mark.parametrize("method", ["jrc", "winsorize", "log"])
def test_treat_is_finite(method, x):
    treated, report = treat(_frame(x), method=method)
    assert np.isfinite(treated.to_numpy()).all()


@settings(max_examples=60, deadline=None)
@given(FRAMES)
@pytest.mark.parametrize("method", ["mean", "median"])
def test_impute_is_finite(method, x):
    x = x.copy()
    x[0, 0] = np.nan
    out = impute(_frame(x), method=method)
    assert np.isfinite(out.to_numpy()).all() or np.isnan(x[:, 0]).all()
    assert (out.to_numpy()[1:] == x[1:]).all()  # present values unchanged


# ----------------------------------------------------------------------------- the examples, by hand
def test_minmax_of_the_largest_floats_is_exact():
    # hand calculation: (y - min) / (max - min) of [-1e308, 0, 1e308] is 0, 1/2, 1; used to overflow
    f = pd.DataFrame({"a": [-1e308, 0.0, 1e308]}, index=list("pqr"))
    assert normalize(f)["a"].tolist() == [0.0, 50.0, 100.0]
    assert_allclose(normalize(f, method="zscore")["a"], [-1.0, 0.0, 1.0], rtol=1e-15)


def test_three_given_weights_of_1e308_are_a_third_each():
    # the issue: weight("given") with three weights of 1e308 returned 0, 0, 0
    f = pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0], "c": [1.0, 1.0]})
    assert_allclose(weight(f, method="given", weights=[1e308] * 3), [1 / 3] * 3, rtol=1e-15)


def test_an_overflowing_outlier_is_winsorised_not_untestable():
    # the issue: the JRC rule marked a 1e308 outlier "untestable" (its square overflows) and left it.
    # skewness and kurtosis are scale-invariant: those of [0]*10 + [1e308] equal those of [0]*10 + [1]
    x = pd.DataFrame({"a": [0.0] * 10 + [1e308]})
    ref = pd.DataFrame({"a": [0.0] * 10 + [1.0]})
    treated, report = treat(x, method="jrc")
    assert report.loc["a", "action"] == "winsorised" and treated["a"].max() == 0.0
    assert_allclose(report.loc["a", ["skew", "kurt"]].astype(float), treat(ref)[1].loc["a", ["skew", "kurt"]].astype(float),
                    rtol=1e-12)


def test_log_transform_of_a_range_beyond_the_largest_float():
    # log(x - min + 0.01 (max - min)) at x = max is log(1.01 * 2e308) = log(2.02) + log(1e308) (hand calculation)
    y = log_ct([-1e308, 0.0, 1e308])
    assert_allclose(y[2], np.log(2.02) + np.log(1e308), rtol=1e-14)


def test_mean_imputation_of_huge_values():
    # mean of 1e308 and 1.5e308 is 1.25e308 (used to be inf: the sum overflows)
    out = impute(pd.DataFrame({"a": [1e308, 1.5e308, np.nan]}), method="mean")
    assert out["a"].tolist() == [1e308, 1.5e308, 1.25e308]


def test_arithmetic_mean_of_the_largest_floats():
    # (1.7e308 + 1.7e308) / 2 = 1.7e308; used to be a DataError ("overflows")
    f = pd.DataFrame({"a": [1.7e308, 1.0], "b": [1.7e308, 2.0]}, index=["p", "q"])
    assert aggregate(f, [1, 1]).tolist() == [1.7e308, 1.5]


@pytest.mark.parametrize("method", ["minmax", "zscore", "percentile", "distance_to_max"])
def test_one_ulp_is_a_constant_column(method):
    # the issue: a range of one ulp was stretched to 0/50/100
    f = pd.DataFrame({"a": [1.0, np.nextafter(1.0, 2.0), np.nextafter(np.nextafter(1.0, 2.0), 2.0)]})
    with pytest.raises(DataError, match="constant indicator"):
        normalize(f, method=method)
    assert normalize(f, method=method, constant="midpoint")["a"].nunique() == 1


@pytest.mark.parametrize("method", ["entropy", "critic", "std", "cv", "pca"])
def test_one_ulp_carries_no_weight(method):
    f = pd.DataFrame({"a": [1.0, np.nextafter(1.0, 2.0), 1.0, 1.0], "b": [1.0, 2.0, 4.0, 3.0]})
    assert weight(f, method=method).tolist() == [0.0, 1.0]


def test_a_relative_range_just_above_the_tolerance_is_kept():
    # 1e-11 relative (above RANGE_RTOL = 1e-12): a real, if small, spread; min-max gives 0, 50, 100 (hand)
    f = pd.DataFrame({"a": [1.0, 1.0 + 5e-12, 1.0 + 1e-11]})
    assert_allclose(normalize(f)["a"], [0.0, 50.0, 100.0], rtol=1e-3)


PUBLIC = [lambda v: normalize(pd.DataFrame({"a": v})), lambda v: weight(pd.DataFrame({"a": v, "b": [1.0, 2, 3]}), method="std"),
          lambda v: aggregate(pd.DataFrame({"a": v}), [1]), lambda v: treat(pd.DataFrame({"a": v})),
          lambda v: impute(pd.DataFrame({"a": v})), lambda v: rank(pd.Series(v)), lambda v: skewness(v),
          lambda v: kurtosis(v), lambda v: fails(v), lambda v: winsorize(v), lambda v: log_ct(v),
          lambda v: constant_columns(np.array(v)[:, None]), lambda v: zscore_columns(np.array(v)[:, None])]


@pytest.mark.parametrize("k", range(len(PUBLIC)))
@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_inf_is_refused_by_every_public_function(k, bad):
    with pytest.raises(DataError, match="finite"):
        PUBLIC[k]([1.0, bad, 3.0])
