"""Tests of cityeval.audit.summary: reading a result.

Reference values: hand calculations on small frames (written out next to each assertion); numpy's
"linear" quantile (R type 7) for the 5% / 95% columns; the ``audit`` command's output before
issue 11 for :func:`describe_choices` (its text moved here from cityeval/cli/audit.py unchanged).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from cityeval import audit
from cityeval.audit import (WIDTH_MIN_PERIODS, WIDTH_WINDOW, ShiftSummary, SobolRow, alternatives_spec, choice_names,
                            choices_phrase, describe_choices, interval_widths, neighbor_order, rank_bands, robust_ranks,
                            shift_by_choice, shift_summary, sobol_summary, summarize_ranks)
from cityeval.errors import DataError, ParameterError

RANKS = pd.DataFrame({"a": [1, 2, 1, 1], "b": [2, 1, 2, 2], "c": [3, 3, 3, 3], "d": [3, 4, 4, 4]})


def test_robust_ranks_and_neighbor_order():
    t = pd.DataFrame({"nominal": pd.array([1, 2, 3, 4], dtype="Int64"), "q05": [1.0, 1.0, 3.0, -2.0],
                      "q95": [1.0, 7.0, 8.1, 4.0]}, index=list("abcd"))
    assert robust_ranks_list(t, 5) == [True, True, False, False]      # c: 8.1 > 3 + 5; d: -2 < 4 - 5
    assert robust_ranks_list(t, 0) == [True, False, False, False]
    with pytest.raises(ParameterError, match="tolerance should be a number of places >= 0"):
        audit.robust_ranks(t, tolerance=-1)
    r = RANKS
    assert_allclose(audit.neighbor_order(r, ["a", "b", "c", "d"]), [0.75, 1.0, 0.75])  # a tie is not "above"
    assert_allclose(audit.neighbor_order(r, ["d", "c"]), [0.0])


def robust_ranks_list(table, tolerance):
    return audit.robust_ranks(table, tolerance=tolerance).tolist()


# ------------------------------------------------------------------------------- checks


def test_robust_ranks_tolerance_checked():
    # a finite number of places: the old check let an infinite tolerance through
    t = pd.DataFrame({"nominal": [1], "q05": [1.0], "q95": [1.0]})
    for tolerance in (-1, np.nan, np.inf, True, "5", None):
        with pytest.raises(ParameterError, match=r"^tolerance should be a number of places >= 0"):
            robust_ranks(t, tolerance=tolerance)


def test_robust_ranks_numpy_tolerance_and_missing_columns():
    t = pd.DataFrame({"nominal": [1, 5], "q05": [1.0, 1.0], "q95": [3.0, 5.0]}, index=["a", "b"])
    assert robust_ranks(t, tolerance=np.int64(2)).tolist() == [True, False]      # b: 1 < 5 - 2
    with pytest.raises(ParameterError, match=r"^table should be a frame with columns nominal, q05, q95"):
        robust_ranks(t.drop(columns="q95"))
    with pytest.raises(ParameterError, match=r"^table should be a pandas DataFrame"):
        robust_ranks(t.to_numpy())


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_missing_ranks_are_data_errors(bad):
    # the old functions returned NaN summaries and shares computed over NaN comparisons
    r = RANKS.astype(float)
    r.iloc[1, 2] = bad
    with pytest.raises(DataError, match=r"column 'c'.*scenario 1"):
        summarize_ranks(r, pd.Series({"a": 1, "b": 2, "c": 3, "d": 4}))
    with pytest.raises(DataError, match=r"column 'c'.*scenario 1"):
        neighbor_order(r, ["b", "c"])


def test_summarize_ranks_by_hand_and_checks():
    out = summarize_ranks(RANKS, pd.Series({"d": 4, "c": 3, "b": 2, "a": 1}))   # aligned on the columns
    assert out["nominal"].tolist() == [1, 2, 3, 4]
    # a: 1 2 1 1 -> mean 1.25, median 1, q05 = 1 (h = 0.15 between 1 and 1), q95 = 1 + 0.85 * (2 - 1) = 1.85
    assert_allclose(out.loc["a", ["mean", "median", "q05", "q95"]].to_numpy(dtype=float), [1.25, 1.0, 1.0, 1.85])
    with pytest.raises(ParameterError, match=r"^nominal should be a rank for every unit.*none for d"):
        summarize_ranks(RANKS, pd.Series({"a": 1, "b": 2, "c": 3}))
    with pytest.raises(ParameterError, match=r"^nominal should be 4 ranks"):
        summarize_ranks(RANKS, [1, 2, 3])
    with pytest.raises(ParameterError, match=r"^ranks should be a pandas DataFrame"):
        summarize_ranks(RANKS.to_numpy(), [1, 2, 3, 4])
    with pytest.raises(ParameterError, match=r"^ranks should be a frame with at least 1 scenario"):
        summarize_ranks(RANKS.iloc[:0], [1, 2, 3, 4])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 12))
def test_summarize_ranks_intervals_hold_the_median(seed, n_scenarios, n_units):
    # q05 <= median <= q95 for every unit and any rank matrix (quantiles are monotone in the level);
    # notebook 09 asserted this on its own table before issue 11
    rng = np.random.default_rng(seed)
    ranks = pd.DataFrame(rng.integers(1, n_units + 1, (n_scenarios, n_units)), columns=[f"u{i}" for i in range(n_units)])
    out = summarize_ranks(ranks, np.arange(1, n_units + 1))
    assert ((out["q05"] <= out["median"]) & (out["median"] <= out["q95"])).all()


@pytest.mark.parametrize("units, match", [
    (["a", "zz"], r"unknown: zz"), (["a"], r"at least two distinct"), (["a", "a"], r"at least two distinct"),
    ("ab", r"a sequence of unit ids"), (5, r"a sequence of unit ids"),
])
def test_neighbor_order_units_checked(units, match):
    with pytest.raises(ParameterError, match=rf"^units should be.*{match}"):
        neighbor_order(RANKS, units)


# ------------------------------------------------------------------------------- tables


def _result():
    # 4 scenarios: normalization m/z x aggregation ar/ge, with hand-set mean rank shifts
    scen = pd.DataFrame({"normalize": pd.Categorical(["m", "z", "m", "z"]),
                         "aggregate": pd.Categorical(["ar", "ar", "ge", "ge"])})
    return SimpleNamespace(scenarios=scen, mean_rank_shift=np.array([0.0, 2.0, 4.0, 1.0]), n=4)


def test_shift_by_choice_by_hand():
    t = shift_by_choice(_result())
    # one scenario per combination: mean = median = its shift; groups in sorted (category) order
    assert t.index.tolist() == [("m", "ar"), ("m", "ge"), ("z", "ar"), ("z", "ge")]
    assert t["mean"].tolist() == [0.0, 4.0, 2.0, 1.0] and t["count"].tolist() == [1, 1, 1, 1]
    one = shift_by_choice(_result(), by=["aggregate"])
    assert one["mean"].tolist() == [1.0, 2.5] and one["median"].tolist() == [1.0, 2.5]   # ar: 0, 2; ge: 4, 1
    with pytest.raises(ParameterError, match=r"^by should be one of 'normalize', 'aggregate'"):
        shift_by_choice(_result(), by=["treat"])


def test_rank_bands_by_hand():
    t = pd.DataFrame({"nominal": [1, 2, 11, 12, 31], "robust": [True, False, True, True, False],
                      "width": [0.0, 2.0, 3.0, 5.0, 9.0]})
    out = rank_bands(t, top_n=31)
    # 1-10: 2 cities, 1 robust, widths 0, 2; 11-30: 2 cities, both robust, widths 3, 5; 31-50 -> 31-31: 1 city;
    # 51-None: starts after top_n, left out
    assert out.to_dict("list") == {"ranks": ["1-10", "11-30", "31-50"], "cities": [2, 2, 1],
                                   "robust_share": [0.5, 1.0, 0.0], "median_width": [1.0, 4.0, 9.0]}
    assert rank_bands(t, top_n=12)["ranks"].tolist() == ["1-10", "11-30"]          # labels keep the band's end
    assert rank_bands(t, top_n=60)["ranks"].tolist()[-1] == "51-60"                # None ends at top_n
    with pytest.raises(ParameterError, match=r"^intervals should be a frame with columns nominal, robust, width"):
        rank_bands(t.drop(columns="width"), top_n=5)


def test_interval_widths_by_hand():
    t = pd.DataFrame({"nominal": pd.array([2, 1, 3, 5, 4], dtype="Int64"), "q05": [1.0, 1.0, 1.0, 1.0, 1.0],
                      "q95": [2.0, 1.0, 5.0, 4.0, 3.0], "mean": 0.0}, index=list("abcde"))
    out = interval_widths(t, window=3, min_periods=1)
    assert out.columns.tolist() == ["nominal", "width", "running_median"]
    # nominal order b a c e d; widths 0 1 4 2 3; centred windows of 3 (2 at the ends):
    # (0, 1) 0.5, (0, 1, 4) 1, (1, 4, 2) 2, (4, 2, 3) 3, (2, 3) 2.5
    assert out.index.tolist() == ["b", "a", "c", "e", "d"]
    assert out["width"].tolist() == [0.0, 1.0, 4.0, 2.0, 3.0]
    assert out["running_median"].tolist() == [0.5, 1.0, 2.0, 3.0, 2.5]
    # min_periods 3: the two ends have 2 units in their window -> NaN
    assert out.index.equals(interval_widths(t, window=3, min_periods=3).index)
    assert interval_widths(t, window=3, min_periods=3)["running_median"].isna().tolist() == [True, False, False,
                                                                                           False, True]


def test_interval_widths_defaults_are_notebook_09s_rolling_median():
    # pandas' own call, the one notebook 09 made inline before issue 11:
    # width.rolling(21, center=True, min_periods=5).median() on the widths in nominal order
    rng = np.random.default_rng(7)
    q05 = rng.uniform(1, 50, 60)
    t = pd.DataFrame({"nominal": rng.permutation(60) + 1, "q05": q05, "q95": q05 + rng.uniform(0, 30, 60)})
    out = interval_widths(t)
    assert (WIDTH_WINDOW, WIDTH_MIN_PERIODS) == (21, 5)
    width = (t["q95"] - t["q05"]).loc[t["nominal"].sort_values().index]
    pd.testing.assert_series_equal(out["running_median"],
                                   width.rolling(21, center=True, min_periods=5).median().rename("running_median"))
    assert out["nominal"].is_monotonic_increasing


def test_interval_widths_checks_its_arguments():
    t = pd.DataFrame({"nominal": [1, 2], "q05": [1.0, 1.0], "q95": [2.0, 3.0]})
    for window in (0, 2.5, True, "3", None):
        with pytest.raises(ParameterError, match=r"^window should be"):
            interval_widths(t, window=window)
    for min_periods in (0, 4, 1.0, False):
        with pytest.raises(ParameterError, match=r"^min_periods should be"):
            interval_widths(t, window=3, min_periods=min_periods)
    with pytest.raises(ParameterError, match=r"^table should be a frame with columns nominal, q05, q95"):
        interval_widths(t.drop(columns="q05"))
    with pytest.raises(ParameterError, match=r"^table should be a pandas DataFrame"):
        interval_widths(t.to_numpy())


def test_sobol_summary_and_shift_summary_are_named():
    idx = pd.DataFrame({"first": [0.2, 0.1], "total": [0.5, 0.3], "first_lo": [0.1, 0.0], "first_hi": [0.3, 0.2],
                        "total_lo": [0.4, 0.2], "total_hi": [0.6, 0.4], "rank_first": [0.2, 0.1],
                        "rank_total": [0.4, 0.3]}, index=["weights", "aggregate"])
    out = sobol_summary(SimpleNamespace(indices=idx))
    assert list(out) == ["weights", "aggregate"]
    assert out["aggregate"] == SobolRow(first=0.1, total=0.3, first_ci95=[0.0, 0.2], total_ci95=[0.2, 0.4],
                                        rank_first=0.1, rank_total=0.3)
    s = shift_summary(SimpleNamespace(mean_rank_shift=np.array([0.0, 1.0, 2.0, 3.0, 4.0])))
    # numpy "linear": q05 at h = 4 * 0.05 = 0.2 -> 0.2; q95 at h = 3.8 -> 3.8
    assert isinstance(s, ShiftSummary) and s.mean == 2.0
    assert_allclose([s.q05, s.q95], [0.2, 3.8], rtol=1e-12)


# ------------------------------------------------------------------------------- words


def test_choice_names_and_phrase():
    spec = alternatives_spec([1, 2, 3], 0.25)
    # notebook 09's names and phrase before issue 11 (its NAMES dict and its first conclusion)
    assert choice_names(spec) == {"weights": "weights (±25%)", "normalize": "normalization",
                                  "aggregate": "aggregation"}
    assert choices_phrase(spec) == "weights ±25%, min-max or z-score, arithmetic or geometric mean"
    mixed = {"choices": {"treat": {"options": [{"winmax": 1}, {"method": "none"}]},
                         "weights": {"perturbation": {"1": 0.1, "2": 0.2}}}}
    assert choice_names(mixed) == {"treat": "outlier treatment",
                                   "weights": "weights (±10% at level 1, ±20% at level 2)"}
    assert choices_phrase(mixed) == "winmax=1 or none outlier treatment, weights ±10% at level 1, ±20% at level 2"


def test_describe_choices_is_the_audit_commands_text():
    # the text the audit command printed before issue 11 (cityeval/cli/audit.py's _describe)
    design = SimpleNamespace(factors=["normalize", "weights", "aggregate"],
                             spec={"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}}}},
                             options={"normalize": [{}, {}], "aggregate": [{}, {}]})
    assert describe_choices(design) == ("normalize (2 options), weights (±25% at level 1, ±25% at level 2), "
                                        "aggregate (2 options)")
    assert describe_choices(SimpleNamespace(factors=[])) == "none (every scenario is the nominal run)"
