"""The pipeline stages one by one: framework, denominate, impute/screen, treat, normalize, rank."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from cityeval.composite import framework
from cityeval.composite.denomination import DENOMINATE_METHODS, denominate
from cityeval.errors import DataError, ParameterError
from cityeval.composite.imputation import IMPUTE_METHODS, impute, screen
from cityeval.composite.normalization import NORMALIZE_METHODS, normalize
from cityeval.composite.ranking import rank
from cityeval.composite.treatment import fails, kurtosis, log_ct, skewness, treat, winsorise

UNITS = ["a", "b", "c", "d"]


def col(values, name="x", index=UNITS):
    return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=index[:len(values)])


# ---- framework ----------------------------------------------------------------------------------

META = pd.DataFrame({"level": [1, 1, 1, 2, 2, 3], "parent": ["P1", "P1", "P2", "I", "I", None]},
                    index=["a", "b", "c", "P1", "P2", "I"])


def test_tree_helpers():
    assert framework.children(META, "P1") == ["a", "b"]
    assert framework.children(META, "a") == []
    assert framework.codes_at_level(META, 2) == ["P1", "P2"]
    assert framework.levels(META) == [1, 2, 3]
    order = framework.topological_order(META)
    for code, parent in framework.parent_map(META).items():
        if parent is not None:
            assert order.index(code) < order.index(parent)
    assert framework.leaves_of(META, "I") == ["a", "b", "c"]
    assert framework.find_cycle(framework.parent_map(META)) is None


def test_find_cycle():
    assert framework.find_cycle({"a": "b", "b": "c", "c": "a", "d": None}) == ["a", "b", "c", "a"]
    assert framework.find_cycle({"a": "a"}) == ["a", "a"]
    assert framework.find_cycle({"a": "b", "b": None, "c": "b"}) is None


# ---- denominate ---------------------------------------------------------------------------------


def test_denominate_divides_with_scale():
    x = pd.DataFrame({"k": [10.0, 30.0, np.nan], "m": [1.0, 2.0, 3.0]}, index=["u", "v", "w"])
    d = pd.DataFrame({"pop": [3.0, 2.0, 0.0]}, index=["u", "v", "w"])
    out = denominate(x, d, by={"k": "pop"}, scale={"k": 10})
    # hand calculation, x / (pop / 10): u 10 / 0.3, v 30 / 0.2; w has no value, so its zero pop is harmless
    assert_allclose(out["k"].iloc[:2], [10 / 0.3, 30 / 0.2], rtol=1e-15)
    assert np.isnan(out.at["w", "k"])
    assert_array_equal(out["m"], x["m"])                                    # not named: unchanged


def test_denominate_rows_matched_by_unit_id():
    x = pd.DataFrame({"k": [10.0, 30.0]}, index=["u", "v"])
    d = pd.DataFrame({"pop": [3.0, 2.0]}, index=["v", "u"])
    assert denominate(x, d, by={"k": "pop"})["k"].tolist() == [5.0, 10.0]    # 10/2, 30/3


@pytest.mark.parametrize("bad", [0.0, np.nan])
def test_denominate_zero_or_missing_denominator(bad):
    x = pd.DataFrame({"k": [10.0, 30.0]}, index=["u", "v"])
    d = pd.DataFrame({"pop": [2.0, bad]}, index=["u", "v"])
    with pytest.raises(DataError, match="non-zero number") as err:
        denominate(x, d, by={"k": "pop"})
    assert "'v'" in str(err.value) and err.value.column == "pop"


def test_denominate_none_and_unknown():
    x = col([1, 2])
    assert denominate(x, method="none").equals(x)
    with pytest.raises(ParameterError, match="divide"):
        denominate(x, method="ratio")
    assert set(DENOMINATE_METHODS) == {"none", "divide"}


# ---- impute and screen --------------------------------------------------------------------------

GAPPY = pd.DataFrame({"x": [1.0, np.nan, 5.0, 7.0, np.nan], "y": [2.0, 4.0, np.nan, 8.0, 10.0]},
                     index=list("pqrst"))
GROUP = pd.Series(["E", "E", "W", "E", "W"], index=list("pqrst"))


def test_impute_none_names_the_missing_cells():
    with pytest.raises(DataError, match="missing values") as err:
        impute(GAPPY)
    msg = str(err.value)
    assert "3 missing" in msg
    assert "unit 'q' indicator 'x'" in msg and "unit 'r' indicator 'y'" in msg and "unit 't' indicator 'x'" in msg


def test_impute_mean_median():
    # hand calculation: mean(x) = (1+5+7)/3 = 13/3, median(x) = 5; mean(y) = 24/4 = 6, median(y) = 6
    m = impute(GAPPY, method="mean")
    assert_allclose(m.loc[["q", "t"], "x"], [13 / 3, 13 / 3])
    assert m.at["r", "y"] == 6.0
    assert impute(GAPPY, method="median").loc[["q", "t"], "x"].tolist() == [5.0, 5.0]
    assert impute(GAPPY, method="skip").equals(GAPPY)


def test_impute_group_mean_and_median():
    g = impute(GAPPY, method="group_mean", group=GROUP)
    # hand calculation: group E = p, q, s; W = r, t
    # x: q (E) <- mean(1, 7) = 4; t (W) <- mean(5) = 5.   y: r (W) <- mean(10) = 10
    assert g.at["q", "x"] == 4.0 and g.at["t", "x"] == 5.0 and g.at["r", "y"] == 10.0
    assert g.notna().all().all()
    gm = impute(GAPPY, method="group_median", group=GROUP)
    assert gm.at["q", "x"] == 4.0          # median of (1, 7)
    # present values never change
    assert (g.where(GAPPY.notna()) == GAPPY.where(GAPPY.notna())).sum().sum() == GAPPY.notna().sum().sum()


def test_group_without_values_stays_missing():
    frame = pd.DataFrame({"x": [1.0, 2.0, np.nan, np.nan]}, index=list("abcd"))
    out = impute(frame, method="group_mean", group=pd.Series(list("EEWW"), index=list("abcd")))
    assert out["x"].isna().tolist() == [False, False, True, True]     # as COINr's i_mean_grp


def test_impute_errors():
    with pytest.raises(ParameterError, match="group_mean"):
        impute(GAPPY, method="knn")
    with pytest.raises(ParameterError, match="group"):
        impute(GAPPY, method="group_mean")
    assert set(IMPUTE_METHODS) == {"none", "skip", "mean", "median", "group_mean", "group_median"}


def test_screen_by_availability():
    frame = pd.DataFrame({"x": [1, np.nan, np.nan, 0], "y": [1, 1, np.nan, 0], "z": [1, 1, 1, 0.0]},
                         index=list("abcd"))
    kept, report = screen(frame, min_availability=2 / 3)
    # availability: a 3/3, b 2/3, c 1/3, d 3/3 -> c removed; b kept since >= is inclusive (COINr)
    assert list(kept.index) == ["a", "b", "d"]
    assert_allclose(report["availability"], [1, 2 / 3, 1 / 3, 1])
    kept, report = screen(frame, method="nonzero", min_nonzero=0.5)
    assert list(kept.index) == ["a", "b", "c"]            # d: 0 of 3 values non-zero
    kept, _ = screen(frame, method="availability_and_nonzero", min_availability=0.5, min_nonzero=0.5)
    assert list(kept.index) == ["a", "b"]
    kept, report = screen(frame, method="none")
    assert list(kept.index) == list("abcd") and report["included"].all()
    with pytest.raises(ParameterError, match=r"\[0, 1\]"):
        screen(frame, min_availability=90)


# ---- treat --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_skew_kurt_equal_scipy_unbiased(seed):
    x = np.random.default_rng(seed).lognormal(size=(30, 4))
    x[3, 1] = np.nan
    for j in range(4):
        v = x[:, j][~np.isnan(x[:, j])]
        # reference: scipy.stats with bias=False is the type-2 (Excel/e1071/COINr) estimator
        assert_allclose(skewness(x)[j], scipy.stats.skew(v, bias=False), rtol=1e-10)
        assert_allclose(kurtosis(x)[j], scipy.stats.kurtosis(v, fisher=True, bias=False), rtol=1e-10)
        assert_allclose(skewness(v), scipy.stats.skew(v, bias=False), rtol=1e-10)


def test_statistics_undefined_cases():
    assert np.isnan(skewness([1.0, 2.0])) and np.isnan(kurtosis([1.0, 2.0, 3.0]))
    assert np.isnan(skewness([5.0] * 6)) and not fails([5.0] * 6)


def test_winsorise_coinr_documentation_example():
    # COINr's ?winsorise / ?Treat example: x <- c(1:10, 30, 100)
    x = np.r_[np.arange(1, 11), 30, 100.0]
    # precondition (scipy): it fails the rule, skew 3.06 >= 2 and kurtosis 9.74 >= 3.5
    assert scipy.stats.skew(x, bias=False) >= 2 and scipy.stats.kurtosis(x, bias=False) >= 3.5
    out, nwin, sides = winsorise(x, winmax=2)
    # hand calculation: one step moves 100 to the next highest value 30; then
    # skew(1..10, 30, 30) = 1.71 < 2 (scipy) so it passes and stops after 1 point
    assert_array_equal(out, np.r_[np.arange(1, 11), 30, 30.0])
    assert (nwin, sides) == (1, ["high"])
    assert scipy.stats.skew(out, bias=False) < 2


def test_winsorise_ties_move_together_and_count():
    # two tied maxima: the first step moves both (COINr: which(x == max(x)))
    x = np.r_[np.zeros(20), 1, 2, 3, 50, 50.0]
    out, nwin, _ = winsorise(x, winmax=5)
    assert out.max() < 50 and nwin >= 2


def test_winsorise_low_side():
    x = -np.r_[np.arange(1, 11), 30, 100.0]        # mirror image: negative skew, low outliers
    out, nwin, sides = winsorise(x, winmax=2)
    assert_array_equal(out, -np.r_[np.arange(1, 11), 30, 30.0])
    assert sides == ["low"]


def test_treat_log_when_winsorising_is_not_enough():
    x = 1 / np.linspace(0.01, 1, 100)                # 100, 50, 33, ...: a long right tail
    # precondition: winsorising the 5 highest values (to the 6th) still fails the rule (scipy)
    w = np.sort(x)
    w[-5:] = w[-6]
    assert abs(scipy.stats.skew(w, bias=False)) >= 2 and scipy.stats.kurtosis(w, bias=False) >= 3.5
    treated, report = treat(col(x, index=[f"u{i}" for i in range(100)]), winmax=5)
    # COINr's log_CT on the original values: log(x - min + 0.01 (max - min))
    assert_allclose(treated["x"], np.log(x - x.min() + 0.01 * (x.max() - x.min())), rtol=1e-14)
    r = report.loc["x"]
    assert r["action"] == "log" and r["log_transformed"] and r["n_winsorised"] == 0
    assert_allclose(log_ct(x), treated["x"])


def test_treat_report_and_options():
    x = pd.DataFrame({"out": np.r_[np.arange(1, 11), 30, 100.0], "ok": np.arange(12.0),
                      "few": np.r_[1.0, 2.0, 3.0, [np.nan] * 9]}, index=[f"u{i}" for i in range(12)])
    treated, report = treat(x, winmax=2)
    assert report.loc["out", "action"] == "winsorised" and report.loc["out", "units_changed"] == "u11"
    assert report.loc["ok", "action"] == "none" and not report.loc["ok", "failed"]
    assert report.loc["few", "action"] == "untestable"
    assert treated["ok"].equals(x["ok"]) and treated["few"].equals(x["few"])
    assert report["passes_after"].all()
    _, report = treat(x, exclude=["out"])
    assert report.loc["out", "action"] == "excluded"
    _, report = treat(x, method="none")
    assert report.loc["out", "failed"] and report.loc["out", "action"] == "none"
    with pytest.raises(ParameterError, match="winmax"):
        treat(x, winmax=-1)
    with pytest.raises(ParameterError, match="jrc"):
        treat(x, method="boxcox")


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


# ---- rank ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("ties,expected", [
    # scores 90, 80, 80, 70 (hand): competition, dense, fractional, ordinal ranking
    ("min", [1, 2, 2, 4]), ("dense", [1, 2, 2, 3]), ("average", [1, 2.5, 2.5, 4]), ("first", [1, 2, 3, 4]),
])
def test_rank_tie_rules(ties, expected):
    s = pd.Series([90.0, 80.0, 80.0, 70.0], index=list("abcd"), name="index")
    r = rank(s, ties=ties)
    assert r.tolist() == expected and r.name == "index" and list(r.index) == list("abcd")


def test_rank_missing_and_frame():
    r = rank(pd.DataFrame({"s": [1.0, np.nan, 3.0]}, index=list("abc")))
    assert r["s"].tolist() == [2, pd.NA, 1]
    with pytest.raises(ParameterError, match="dense"):
        rank(pd.Series([1.0]), ties="olympic")


# ---- properties (hypothesis) --------------------------------------------------------------------

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
