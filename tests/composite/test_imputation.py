"""Tests of cityeval.composite.imputation: missing values imputed, units screened by data availability.

Expected values are hand calculations written out next to each assertion (COINr's rules for
i_mean_grp and Screen(), as the module docstring cites them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval.composite.imputation import IMPUTE_METHODS, SCREEN_METHODS, impute, screen
from cityeval.errors import DataError, ParameterError

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
    kept, report = screen(frame, method="availability", min_availability=2 / 3)
    # availability: a 3/3, b 2/3, c 1/3, d 3/3 -> c removed; b kept since >= is inclusive (COINr)
    assert list(kept.index) == ["a", "b", "d"]
    assert_allclose(report["availability"], [1, 2 / 3, 1 / 3, 1])
    kept, report = screen(frame, method="nonzero", min_nonzero=0.5)
    assert list(kept.index) == ["a", "b", "c"]            # d: 0 of 3 values non-zero
    kept, _ = screen(frame, method="availability_and_nonzero", min_availability=0.5, min_nonzero=0.5)
    assert list(kept.index) == ["a", "b"]
    kept, report = screen(frame, method="none")
    assert list(kept.index) == list("abcd") and report["included"].all()
    with pytest.raises(ParameterError, match=r"\(0, 1\]"):
        screen(frame, method="availability", min_availability=90)


# ---- the unified contract and checks (issue 11) -------------------------------------------------------------------


def test_screen_default_is_the_records_default_none():
    # DEFAULT_METHOD["screen"] is {"method": "none"}: screen() without a method keeps every unit
    # (it used to default to "availability" and drop unit c here)
    frame = pd.DataFrame({"x": [1.0, np.nan, np.nan], "y": [1.0, 1.0, np.nan], "z": [1.0, 1.0, 1.0]},
                         index=list("abc"))
    kept, report = screen(frame)
    assert list(kept.index) == list("abc") and report["included"].all()
    # the default availability threshold is COINr's dat_thresh, 2/3: c has 1/3 and goes
    assert list(screen(frame, method="availability")[0].index) == ["a", "b"]


@pytest.mark.parametrize("name", ["min_availability", "min_nonzero"])
@pytest.mark.parametrize("value", [True, -0.1, 1.5, float("nan"), "0.5", None])
def test_screen_thresholds_are_numbers_in_0_1(name, value):
    with pytest.raises(ParameterError, match=rf"^{name} should be a share in \(0, 1\]"):
        screen(GAPPY, method="availability_and_nonzero", **{name: value})


def test_options_are_checked_by_name():
    # a group is the option of the group methods only; a typo is named (both used to pass or raise TypeError)
    with pytest.raises(ParameterError, match=r"option 'group' of impute\(method='mean'\) should be absent"):
        impute(GAPPY, method="mean", group=GROUP)
    with pytest.raises(ParameterError, match=r"option 'min_avail' of screen\(method='availability'\)"):
        screen(GAPPY, method="availability", min_avail=0.5)
    with pytest.raises(ParameterError, match="^impute method should be one of 'none', 'skip'"):
        impute(GAPPY, method="knn")
    with pytest.raises(ParameterError, match="^screen method should be one of 'none', 'availability'"):
        screen(GAPPY, method="byNA")
    assert set(SCREEN_METHODS) == {"none", "availability", "nonzero", "availability_and_nonzero"}


@pytest.mark.parametrize("fn", [lambda f: impute(f, method="mean"), lambda f: screen(f, method="availability")],
                         ids=["impute", "screen"])
@pytest.mark.parametrize("frame, error, fragment", [
    (GAPPY.to_numpy(), ParameterError, "pandas DataFrame"),
    (GAPPY.assign(x=GAPPY["x"].astype(str)), DataError, "numeric"),
    (GAPPY.replace(7.0, np.inf), DataError, "finite"),
])
def test_frame_is_checked(fn, frame, error, fragment):
    with pytest.raises(error, match=fragment):
        fn(frame)


_GAP = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0]}, index=list("pqrs"))


@pytest.mark.parametrize("method", ["group_mean", "group_median"])
@pytest.mark.parametrize("group", [list("aabbc"), list("aabb"), "a", 3,
                                   pd.Series(list("aab"), index=list("pqr")),          # no label for unit s
                                   pd.Series(list("aabb"), index=list("ppqr"))])       # a repeated unit
def test_group_labels_that_do_not_name_every_unit_are_a_parameter_error(method, group):
    # used to raise IndexError (labels became NaN after the reindex) or fill nothing
    with pytest.raises(ParameterError, match="group"):
        impute(_GAP, method=method, group=group)


# ----------------------------------------------------------------------------- issue 14 finite numbers
@pytest.mark.parametrize("method", ["mean", "median"])
def test_issue14_imputing_huge_values_does_not_overflow(method):
    out = impute(pd.DataFrame({"a": [1e308, 1.5e308, np.nan]}), method=method)
    assert out["a"].tolist() == [1e308, 1.5e308, 1.25e308]   # hand: (1e308 + 1.5e308) / 2
