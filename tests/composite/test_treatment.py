"""Tests of cityeval.composite.treatment: the JRC skewness/kurtosis rule, winsorisation, log transform.

Reference values: scipy.stats (``skew(x, bias=False)``, ``kurtosis(x, fisher=True, bias=False)``, the
type-2 estimators COINr uses), COINr's ``?winsorise`` documentation example, and hand calculations.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from numpy.testing import assert_allclose, assert_array_equal

from cityeval.composite.treatment import (TREAT_METHODS, fails, kurtosis, log_ct, skewness, treat, winsorise,
                                          winsorize)
from cityeval.errors import DataError, ParameterError

UNITS = ["a", "b", "c", "d"]


def col(values, name="x", index=UNITS):
    return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=index[:len(values)])


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
    out, nwin, sides = winsorize(x, winmax=2)
    # hand calculation: one step moves 100 to the next highest value 30; then
    # skew(1..10, 30, 30) = 1.71 < 2 (scipy) so it passes and stops after 1 point
    assert_array_equal(out, np.r_[np.arange(1, 11), 30, 30.0])
    assert (nwin, sides) == (1, ["high"])
    assert scipy.stats.skew(out, bias=False) < 2


def test_winsorise_ties_move_together_and_count():
    # two tied maxima: the first step moves both (COINr: which(x == max(x)))
    x = np.r_[np.zeros(20), 1, 2, 3, 50, 50.0]
    out, nwin, _ = winsorize(x, winmax=5)
    assert out.max() < 50 and nwin >= 2


def test_winsorise_low_side():
    x = -np.r_[np.arange(1, 11), 30, 100.0]        # mirror image: negative skew, low outliers
    out, nwin, sides = winsorize(x, winmax=2)
    assert_array_equal(out, -np.r_[np.arange(1, 11), 30, 30.0])
    assert sides == ["low"]


def test_treat_log_when_winsorising_is_not_enough():
    x = 1 / np.linspace(0.01, 1, 100)                # 100, 50, 33, ...: a long right tail
    # precondition: winsorising the 5 highest values (to the 6th) still fails the rule (scipy)
    w = np.sort(x)
    w[-5:] = w[-6]
    assert abs(scipy.stats.skew(w, bias=False)) >= 2 and scipy.stats.kurtosis(w, bias=False) >= 3.5
    treated, report = treat(col(x, index=[f"u{i}" for i in range(100)]), method="jrc", winmax=5)
    # COINr's log_CT on the original values: log(x - min + 0.01 (max - min))
    assert_allclose(treated["x"], np.log(x - x.min() + 0.01 * (x.max() - x.min())), rtol=1e-14)
    r = report.loc["x"]
    assert r["action"] == "log" and r["log_transformed"] and r["n_winsorised"] == 0
    assert_allclose(log_ct(x), treated["x"])


def test_treat_report_and_options():
    x = pd.DataFrame({"out": np.r_[np.arange(1, 11), 30, 100.0], "ok": np.arange(12.0),
                      "few": np.r_[1.0, 2.0, 3.0, [np.nan] * 9]}, index=[f"u{i}" for i in range(12)])
    treated, report = treat(x, method="jrc", winmax=2)
    assert report.loc["out", "action"] == "winsorised" and report.loc["out", "units_changed"] == "u11"
    assert report.loc["ok", "action"] == "none" and not report.loc["ok", "failed"]
    assert report.loc["few", "action"] == "untestable"
    assert treated["ok"].equals(x["ok"]) and treated["few"].equals(x["few"])
    assert report["passes_after"].all()
    _, report = treat(x, method="jrc", exclude=["out"])
    assert report.loc["out", "action"] == "excluded"
    _, report = treat(x, method="none")
    assert report.loc["out", "failed"] and report.loc["out", "action"] == "none"
    with pytest.raises(ParameterError, match="winmax"):
        treat(x, method="jrc", winmax=-1)
    with pytest.raises(ParameterError, match="jrc"):
        treat(x, method="boxcox")


# ---- the unified contract and checks (issue 11) -------------------------------------------------------------------

OUTLIER = pd.DataFrame({"out": np.r_[np.arange(1, 11), 30, 100.0]}, index=[f"u{i}" for i in range(12)])


def test_treat_default_is_the_records_default_none():
    # DEFAULT_METHOD["treat"] is {"method": "none"}: treat() without a method leaves the data alone
    # (it used to default to "jrc" and winsorise u11 here), and still reports the failing indicator
    treated, report = treat(OUTLIER)
    assert treated.equals(OUTLIER)
    assert report.at["out", "failed"] and report.at["out", "action"] == "none"


def test_winsorize_is_the_us_spelling_and_winsorise_an_alias():
    assert "winsorize" in TREAT_METHODS and "winsorise" not in TREAT_METHODS
    us = treat(OUTLIER, method="winsorize", winmax=2)
    uk = treat(OUTLIER, method="winsorise", winmax=2)
    pd.testing.assert_frame_equal(us[0], uk[0])
    pd.testing.assert_frame_equal(us[1], uk[1])
    # winsorising only: moved 100 to 30 (hand calculation, as COINr's example above)
    assert us[0]["out"].max() == 30.0 and us[1].at["out", "action"] == "winsorised"
    assert winsorise is winsorize


@pytest.mark.parametrize("name, value", [
    ("winmax", True), ("winmax", 2.0), ("winmax", -1), ("winmax", "5"),
    ("skew_thresh", True), ("skew_thresh", 0), ("skew_thresh", float("nan")), ("skew_thresh", "2"),
    ("kurt_thresh", True), ("kurt_thresh", float("nan")), ("kurt_thresh", float("inf")), ("kurt_thresh", None),
])
@pytest.mark.parametrize("method", ["jrc", "winsorize", "log", "none"])
def test_numeric_options_are_checked_for_every_method(name, value, method):
    if name == "winmax" and method in ("log", "none"):   # they winsorise nothing: winmax is refused (issue 14)
        pytest.skip("winmax is no option of log and none: test_pipeline.py::test_an_option_the_method_does_not_use_is_refused")
    with pytest.raises(ParameterError, match=rf"^{name} should be"):
        treat(OUTLIER, method=method, **{name: value})


def test_unknown_option_and_method_wording():
    with pytest.raises(ParameterError, match=r"option 'winmx' of treat\(method='jrc'\) should be one of "
                                             r"\['exclude', 'kurt_thresh', 'skew_thresh', 'winmax'\]"):
        treat(OUTLIER, method="jrc", winmx=3)
    with pytest.raises(ParameterError, match="^treat method should be one of 'jrc', 'winsorize', 'log', 'none'"):
        treat(OUTLIER, method="boxcox")


@pytest.mark.parametrize("frame, error, fragment", [
    (OUTLIER["out"], ParameterError, "pandas DataFrame"),
    (OUTLIER.assign(out=OUTLIER["out"].astype(str)), DataError, "numeric"),
    (OUTLIER.replace(100.0, np.inf), DataError, "finite"),
])
def test_frame_is_checked(frame, error, fragment):
    with pytest.raises(error, match=fragment):
        treat(frame, method="jrc")


_SKEWED = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [1.0, 2.0, 3.0, 4.0, 50.0]}, index=list("pqrst"))


@pytest.mark.parametrize("method", ["jrc", "winsorize", "log"])
@pytest.mark.parametrize("exclude", [5, None, [["a"]], {"a": 1}, 1.5])
def test_exclude_that_is_not_codes_is_a_parameter_error(method, exclude):
    # used to raise TypeError (not iterable / unhashable)
    with pytest.raises(ParameterError, match="exclude"):
        treat(_SKEWED, method=method, exclude=exclude)


@pytest.mark.parametrize("fn", [skewness, kurtosis, fails, log_ct, winsorize])
@pytest.mark.parametrize("x", [["a", "b", "c"], [True, False, True], "abc", None, [[1.0, 2.0], [1.0]]])
def test_public_helpers_refuse_non_numbers(fn, x):
    # used to raise numpy's ValueError, or read booleans as 0/1
    with pytest.raises(ParameterError, match="x should be"):
        fn(x)


@pytest.mark.parametrize("kwargs, name", [({"skew_thresh": "x"}, "skew_thresh"), ({"skew_thresh": 0}, "skew_thresh"),
                                          ({"kurt_thresh": np.nan}, "kurt_thresh"), ({"kurt_thresh": True}, "kurt_thresh")])
@pytest.mark.parametrize("fn", [fails, winsorize])
def test_public_helpers_check_their_thresholds(fn, kwargs, name):
    with pytest.raises(ParameterError, match=name):
        fn(np.r_[np.zeros(10), 100.0], **kwargs)


@pytest.mark.parametrize("winmax", ["5", 2.5, -1, True])
def test_winsorize_checks_winmax(winmax):
    # winmax="5" used to be accepted (compared as a string)
    with pytest.raises(ParameterError, match="winmax"):
        winsorize(np.r_[np.zeros(10), 100.0], winmax=winmax)


# ----------------------------------------------------------------------------- issue 14 finite numbers
def test_issue14_huge_outlier_is_tested_and_winsorised():
    treated, report = treat(pd.DataFrame({"a": [0.0] * 10 + [1e308]}), method="jrc")
    assert report.loc["a", "action"] == "winsorised" and treated["a"].max() == 0.0
    # scale-invariant: the same skewness as [0]*10 + [1] (scipy.stats.skew(..., bias=False) = 3.3166)
    assert_allclose(report.loc["a", "skew"], 3.3166247903554, rtol=1e-12)


def test_issue14_near_constant_column_is_untestable():
    treated, report = treat(pd.DataFrame({"a": [1.0] * 10 + [np.nextafter(1.0, 2.0)]}), method="jrc")
    assert report.loc["a", "action"] == "untestable" and np.isnan(skewness([1.0] * 10 + [np.nextafter(1.0, 2.0)]))
