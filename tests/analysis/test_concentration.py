"""Tests of cityeval.analysis.concentration: Gini, Theil, Lorenz curve, bootstrap intervals, the ratio-scale check,
head concentration and notebook 08's study.

Where the expected values come from: hand calculations written out beside each assertion (no peer library
computes the head gap); the Gini's identity with the Lorenz curve's area (Gini = 1 - 2 x area) and with the mean
absolute difference, and the Theil index's identity T = ln n - H(shares) with Shannon's entropy from
``scipy.stats.entropy`` (Theil 1967, ch. 4); the translation identity of the Gini, G(x + c) = G(x) mean /
(mean + c) (the mean absolute difference does not move under a shift); the bootstrap intervals against
``scipy.stats.bootstrap`` called directly with the same seed.
"""
from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import concentration
from cityeval.analysis.concentration import HeadConcentration
from cityeval.errors import DataError, ParameterError


def _gini_mad(x) -> float:
    """The Gini by its mean-absolute-difference definition, sum_ij |x_i - x_j| / (2 n^2 mean)."""
    x = np.asarray(x, float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_gini_by_hand():
    # sorted (1, 2, 3, 4): 2 * (1 + 4 + 9 + 16) / (4 * 10) - 5/4 = 0.25
    assert_allclose(concentration.gini([4, 1, 3, 2]), 0.25)
    assert concentration.gini([5, 5, 5]) == 0
    assert_allclose(concentration.gini([0, 0, 0, 4]), 0.75)  # (n - 1)/n


def test_theil_by_hand():
    # T = mean(r ln r), r = x / mean
    assert concentration.theil([1, 1]) == 0 and concentration.theil([0.1, 0.1, 0.1]) == 0
    assert_allclose(concentration.theil([0, 1]), np.log(2), rtol=1e-12)         # r = (0, 2): (0 + 2 ln 2) / 2
    assert_allclose(concentration.theil([0, 0, 0, 4]), np.log(4), rtol=1e-12)   # one of n holds all: ln n
    # (1, 2, 3): r = (0.5, 1, 1.5); (0.5 ln 0.5 + 0 + 1.5 ln 1.5) / 3 = (-0.346574 + 0.608198) / 3 = 0.087208
    assert_allclose(concentration.theil([1, 2, 3]), 0.0872080, atol=5e-7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_theil_is_log_n_minus_the_entropy_of_the_shares(seed):
    # a peer computation: scipy.stats.entropy normalizes x to shares and takes 0 ln 0 = 0
    x = np.random.default_rng(seed).lognormal(size=40)
    x[:3] = 0.0
    assert_allclose(concentration.theil(x), np.log(len(x)) - stats.entropy(x), rtol=1e-12)
    assert_allclose(concentration.gini(x), _gini_mad(x), rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 7])
def test_gini_and_theil_are_scale_invariant_but_not_translation_invariant(seed):
    x = np.random.default_rng(seed).lognormal(size=30)
    for measure in (concentration.gini, concentration.theil):
        assert_allclose(measure(1000 * x), measure(x), rtol=1e-12)       # a change of units changes nothing
        assert measure(x + 10) < measure(x)                               # a shift of the zero does
    # the mean absolute difference does not move under a shift, the mean does: G(x + c) = G(x) mean / (mean + c)
    g = concentration.gini(x)
    for c in (10.0, 50.0):
        assert_allclose(concentration.gini(x + c), g * x.mean() / (x.mean() + c), rtol=1e-12)


def test_a_min_max_result_moves_under_a_shift_and_a_raw_one_under_no_change_of_units():
    # the same cities, raw in firms per 10,000 residents: min-max onto [0, 100] or onto [10, 110] is the same
    # ranking and the same spacing, yet every ratio measure differs; the raw values in other units give the same
    raw = pd.Series([0.4, 0.9, 1.3, 2.0, 6.5, 12.0], index=list("abcdef"))
    minmax = 100 * (raw - raw.min()) / (raw.max() - raw.min())
    table = concentration.shift_dependence(pd.DataFrame({"minmax": minmax}), shifts=[10], head=1)
    at0, at10 = table.loc[("minmax", 0.0)], table.loc[("minmax", 10.0)]
    assert_allclose(at0["gini"], concentration.gini(minmax), rtol=1e-12)
    assert_allclose(at10["gini"], concentration.gini(minmax + 10), rtol=1e-12)
    assert abs(at0["gini"] - at10["gini"]) > 0.05 and abs(at0["theil"] - at10["theil"]) > 0.05
    assert at0["head_share"] != at10["head_share"]                       # 100 / sum vs 110 / (sum + 60)
    per_million = raw * 100                                              # per 1,000,000 residents
    for measure in ("gini", "theil"):
        assert_allclose(getattr(concentration, measure)(per_million), getattr(concentration, measure)(raw), rtol=1e-12)


def test_shift_dependence_by_hand():
    # (0, 50, 100): sum_ij |xi - xj| = 2 (50 + 100 + 50) = 400; Gini 400 / (2 x 9 x 50) = 4/9; after +50 the mean is
    # 100: 400 / 1800 = 2/9. Top 2 share: 150 / 150 = 1, then 250 / 300. Below half the leader: 0 < 50 (1 of 3),
    # then 50 < 75 (1 of 3).
    t = concentration.shift_dependence(pd.Series([0.0, 50.0, 100.0], name="s"), shifts=[50], head=2)
    assert list(t.index) == [("s", 0.0), ("s", 50.0)]
    assert_allclose(t["gini"], [4 / 9, 2 / 9], rtol=1e-12)
    assert_allclose(t["head_share"], [1.0, 250 / 300], rtol=1e-12)
    assert_allclose(t["weak_share"], [1 / 3, 1 / 3])


@pytest.mark.parametrize("shifts", [[0], [-5], ["10"], [np.nan]])
def test_shift_dependence_needs_positive_shifts(shifts):
    with pytest.raises(ParameterError, match="^shifts should be"):
        concentration.shift_dependence(pd.Series([1.0, 2.0]), shifts=shifts)


def test_head_concentration_by_hand():
    s = pd.Series([10.0, 9.0, 3.0, 2.0, 1.0], index=list("abcde"))
    res = concentration.head_concentration(s, head=2)
    # top two hold 19/25; gap between 2nd (9) and 3rd (3) is 6; consecutive gaps (1, 6, 1, 1) have median 1
    assert isinstance(res, HeadConcentration)
    assert res.leaders == ("a", "b")
    assert_allclose([res.head_share, res.gap_head, res.gap_ratio, res.even_share], [0.76, 6.0, 6.0, 0.4])
    assert_allclose(res.gap_head_sd, 6 / np.std([10, 9, 3, 2, 1], ddof=1))
    assert_allclose(res.theil, np.log(5) - stats.entropy([10, 9, 3, 2, 1]), rtol=1e-12)
    # a named result: frozen, fields in the package's vocabulary
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.gini = 0.0
    assert [f.name for f in dataclasses.fields(res)] == ["leaders", "head_share", "even_share", "gini", "theil",
                                                          "gap_head", "gap_head_sd", "gap_ratio"]


def test_the_gaps_are_free_of_the_zero_and_the_shares_are_not():
    s = pd.Series([10.0, 9.0, 3.0, 2.0, 1.0], index=list("abcde"))
    a, b = concentration.head_concentration(s), concentration.head_concentration(s + 10)
    assert (a.gap_head, a.gap_head_sd, a.gap_ratio, a.leaders) == (b.gap_head, b.gap_head_sd, b.gap_ratio, b.leaders)
    assert a.head_share != b.head_share and a.gini != b.gini and a.theil != b.theil


def test_head_concentration_with_equal_gaps_has_an_infinite_ratio():
    # gaps (0, 5, 0): median 0, so the head gap of 5 is infinitely many median gaps (documented as inf)
    res = concentration.head_concentration(pd.Series([10.0, 10.0, 5.0, 5.0]), head=2)
    assert res.gap_head == 5 and res.gap_ratio == float("inf")


def test_lorenz_curve_by_hand():
    # sorted (1, 3), total 4: population shares 0, 1/2, 1; cumulative shares 0, 1/4, 1
    p, share = concentration.lorenz_curve([3, 1])
    assert_allclose(p, [0, 0.5, 1])
    assert_allclose(share, [0, 0.25, 1])
    # the Gini is one minus twice the area under the curve (trapezoids): 1 - 2 * 0.375 = 0.25 = gini([1, 3])
    area = float(np.sum((share[1:] + share[:-1]) / 2 * np.diff(p)))
    assert_allclose(1 - 2 * area, concentration.gini([1, 3]))


# ---------------------------------------------------------------- bootstrap intervals
@pytest.mark.parametrize("measure, direct", [("gini", _gini_mad),
                                             ("theil", lambda x: np.log(len(x)) - stats.entropy(x))])
@pytest.mark.parametrize("method", ["BCa", "percentile"])
def test_the_interval_is_scipys_bootstrap_with_the_same_seed(measure, direct, method):
    # scipy.stats.bootstrap called here with a one-sample statistic written differently (not vectorized): the same
    # resamples (same seed) give the same interval
    x = np.random.default_rng(3).lognormal(size=25)
    got = concentration.concentration_interval(x, measure=measure, n_resamples=2000, seed=11, method=method)
    ref = stats.bootstrap((x,), direct, n_resamples=2000, method=method, vectorized=False,
                          rng=np.random.default_rng(11)).confidence_interval
    assert_allclose([got.ci_low, got.ci_high], [ref.low, ref.high], rtol=1e-9)
    assert_allclose(got.statistic, direct(x), rtol=1e-12)
    assert got.n == 25 and got.confidence == 0.95 and got.measure == measure
    assert f"{method} bootstrap" in got.method and "2000 resamples, seed 11" in got.method
    assert got.ci_low < got.statistic < got.ci_high


def test_the_interval_is_seeded():
    x = np.random.default_rng(4).lognormal(size=30)
    a, b = (concentration.concentration_interval(x, seed=5) for _ in range(2))
    assert a == b
    assert concentration.concentration_interval(x, seed=6) != a
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.ci_low = 0.0


def test_equal_values_have_an_interval_of_zero():
    res = concentration.concentration_interval([2.0, 2.0, 2.0, 2.0])
    assert (res.statistic, res.ci_low, res.ci_high) == (0.0, 0.0, 0.0) and "equal values" in res.method


@pytest.mark.parametrize("kwargs, name", [({"measure": "atkinson"}, "measure"), ({"confidence": 1.0}, "confidence"),
                                          ({"n_resamples": 10}, "n_resamples"), ({"seed": -1}, "seed"),
                                          ({"method": "bca"}, "method")])
def test_the_interval_checks_its_options(kwargs, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        concentration.concentration_interval([1.0, 2.0, 3.0], **kwargs)


# ---------------------------------------------------------------- the ratio-scale check
def test_ratio_scale_reads_the_units_of_the_embedded_panel():
    from cityeval.composite.dataset import load_dataset
    from cityeval import paths

    meta = load_dataset(paths.DATA / "synthetic" / "ccid2022").indicators
    table = concentration.ratio_scale(meta)
    # data/synthetic/ccid2022/indicators.csv, read by hand: of the 41 raw indicators only gov_emergency's unit is a
    # score ("score 0-100"); "% of ratings" (gov_good_rating) is a share of ratings, with a true zero
    assert len(table) == 41 and list(table.index[~table["ratio_scale"]]) == ["gov_emergency"]
    tec = ["tec_patents", "tec_contracts", "tec_rd_gdp", "tec_rd_staff", "tec_hightech", "tec_policies"]
    assert table.loc[tec, "ratio_scale"].all() and (table.loc[tec, "direction"] == 1).all()
    assert table.at["tec_hightech", "why"] == "firms per 10,000 residents: 0 means none (a true zero)"


def test_ratio_scale_checks_its_arguments():
    with pytest.raises(ParameterError, match="^indicators should be the indicator table"):
        concentration.ratio_scale(pd.DataFrame({"unit": ["x"]}))
    with pytest.raises(ParameterError, match="^codes should be codes of the indicator table"):
        concentration.ratio_scale(META, ["nope"])


# ---------------------------------------------------------------- one error rule
DATA_FUNCTIONS = {
    "gini": lambda x: concentration.gini(x),
    "theil": lambda x: concentration.theil(x),
    "lorenz_curve": lambda x: concentration.lorenz_curve(x),
    "head_concentration": lambda x: concentration.head_concentration(x, head=1),
    "concentration_interval": lambda x: concentration.concentration_interval(x, n_resamples=100),
}


@pytest.mark.parametrize("fn", sorted(DATA_FUNCTIONS))
@pytest.mark.parametrize("bad, where", [
    (pd.Series([1.0, np.nan, 3.0], index=["a", "b", "c"]), "b"),
    (pd.Series([1.0, np.inf, 3.0], index=["a", "b", "c"]), "b"),
    (pd.Series([1.0, 2.0, -3.0], index=["a", "b", "c"]), "c"),
    ([1.0, float("nan")], "1"),
])
def test_a_bad_value_in_the_data_is_a_data_error_naming_it(fn, bad, where):
    # issue 11: gini([1, nan]) raised a ParameterError, an infinity passed silently; a bad value in the data
    # is a DataError that says where it is (the city label, or the position in a plain list)
    with pytest.raises(DataError, match=rf"at {where}\b"):
        DATA_FUNCTIONS[fn](bad)


@pytest.mark.parametrize("fn", sorted(DATA_FUNCTIONS))
def test_all_zeros_is_a_data_error(fn):
    with pytest.raises(DataError, match="positive total"):
        DATA_FUNCTIONS[fn](pd.Series([0.0, 0.0, 0.0]))


@pytest.mark.parametrize("fn", sorted(DATA_FUNCTIONS))
@pytest.mark.parametrize("bad", ["abc", 3.0, None, np.ones((2, 2)), [1.0]])
def test_a_bad_argument_is_a_parameter_error(fn, bad):
    # not a one-dimensional sequence of at least two numbers
    with pytest.raises(ParameterError, match=r"^(x|scores) should be"):
        DATA_FUNCTIONS[fn](bad)


@pytest.mark.parametrize("head", [0, 4, 2.0, True, "2", None])
def test_head_must_be_a_whole_number_in_range(head):
    # four scores: head 1..3; a float, a bool or a string is refused (2.0 and True passed before)
    with pytest.raises(ParameterError, match="^head should be a whole number between 1 and 3"):
        concentration.head_concentration(pd.Series([4.0, 3.0, 2.0, 1.0]), head=head)


# ---------------------------------------------------------------- notebook 08's study
# Raw indicators s (firms per 10,000 residents) and t (% of GDP); u is a score (no true zero), v lower-is-better.
META = pd.DataFrame({"level": [1, 1, 1, 1, 2, 3],
                     "name_zh": ["s", "t", "u", "v", "子", "技术创新"],
                     "parent": ["C", "C", "C", "C", "TEC", ""],
                     "direction": [1, 1, 1, -1, 1, 1],
                     "unit": ["firms per 10,000 residents", "% of GDP", "score 0-100", "µg/m³", "score 0-100",
                              "score 0-100"]}, index=["s", "t", "u", "v", "C", "TEC"])
CITIES = ["x", "北京市", "上海市", "z"]
SCORES = pd.DataFrame({"TEC": [1.0, 5.0, 2.0, 4.0]}, index=CITIES)
RAW = pd.DataFrame({"s": [1.0, 10.0, 8.0, 2.0], "t": [1.5, 7.0, 6.0, 1.0], "u": [40.0, 90.0, 80.0, 50.0],
                    "v": [30.0, 20.0, 25.0, 40.0]}, index=CITIES)
NORMALIZED = 100 * (RAW - RAW.min()) / (RAW.max() - RAW.min())


def _frame(top_n=4, **kwargs):
    return concentration.innovation_frame(SCORES, RAW, NORMALIZED, META, top_n=top_n,
                                          **{"subject_code": "s", "transfer_code": "t", **kwargs})


def test_innovation_frame_keeps_the_top_by_innovation_with_raw_and_scored_values():
    frame = _frame(3)
    assert frame.index.tolist() == ["北京市", "z", "上海市"]          # innovation 5 > 4 > 2
    assert frame.loc["z"].tolist() == [4.0, 2.0, 1.0, NORMALIZED.at["z", "s"], NORMALIZED.at["z", "t"]]
    assert list(frame.columns) == ["innovation", "subject", "transfer", "subject_score", "transfer_score"]


@pytest.mark.parametrize("kwargs, name", [
    ({"top_n": 2}, "top_n"), ({"top_n": 5}, "top_n"), ({"top_n": 3.0}, "top_n"),
    ({"subject_code": "TEC"}, "subject_code"), ({"transfer_code": "nope"}, "transfer_code"),
    # a score has no true zero; a lower-is-better indicator's leaders are its worst cities
    ({"subject_code": "u"}, "subject_code"), ({"transfer_code": "v"}, "transfer_code")])
def test_innovation_frame_checks_its_arguments(kwargs, name):
    args = {"top_n": 3, **kwargs}
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        _frame(**args)


def test_a_stand_in_without_a_true_zero_is_refused_with_the_reason():
    with pytest.raises(ParameterError, match=r"ratio-scale.*: s, t, but its value is 'u' \(score 0-100: a score"):
        _frame(subject_code="u")


def test_innovation_frame_needs_the_dimension():
    with pytest.raises(DataError, match="技术创新"):
        concentration.innovation_frame(SCORES, RAW, NORMALIZED, META.assign(name_zh=list("stuvxy")), top_n=3,
                                       subject_code="s", transfer_code="t")


def _measures(frame=None):
    frame = _frame() if frame is None else frame
    return frame, {c: concentration.head_concentration(frame[c], head=2) for c in ("subject", "transfer", "innovation")}


def test_innovation_statements_by_hand():
    frame, measures = _measures()
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.5)
    # raw s: 北京市 10, 上海市 8 lead (the report's pair); below 5: 2 and 1 -> 2/4 = 0.5, not "most".
    # raw t: 北京市 7, 上海市 6 lead; below 3.5: 1.0 and 1.5 -> 2/4
    assert list(st.checks.values()) == [True, True, False, False]
    assert st.weak_share == {"subject": 0.5, "transfer": 0.5}
    assert "most cities weak on the subject stand-in (over half below 50% of the leader's raw value)" in st.checks
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.9)   # below 9 / 6.3: 3 of 4
    assert st.weak_share == {"subject": 0.75, "transfer": 0.75} and list(st.checks.values())[2:] == [True, True]


@pytest.mark.parametrize("weak_fraction", [0, 1, 1.5, -0.2, float("nan"), True, "0.5"])
def test_weak_fraction_must_be_in_the_open_unit_interval(weak_fraction):
    frame, measures = _measures()
    with pytest.raises(ParameterError, match=r"^weak_fraction should be a finite number in \(0, 1\)"):
        concentration.innovation_statements(frame, measures, weak_fraction=weak_fraction)


def test_head_concentration_table_names_the_leaders():
    measures = {"s": concentration.head_concentration(pd.Series([3.0, 1.0, 1.0], index=list("abc")), head=1)}
    table = concentration.head_concentration_table(measures, names=lambda units: [u.upper() for u in units])
    assert table.at["s", "leaders"] == ["A"] and table.at["s", "head_share"] == 0.6   # 3 / 5


@pytest.mark.parametrize("measures, shown", [({}, "without 'subject', 'transfer'"), ({"subject": None}, "NoneType"),
                                             (None, "NoneType"), ([1], "list")])
def test_innovation_statements_names_bad_measures(measures, shown):
    frame, _ = _measures()
    with pytest.raises(ParameterError, match=f"^measures should be a dict of HeadConcentration.*{shown}"):
        concentration.innovation_statements(frame, measures, weak_fraction=0.5)


@pytest.mark.parametrize("frame", [None, pd.DataFrame({"x": [1.0]}), pd.DataFrame({"subject": [], "transfer": []})])
def test_innovation_statements_needs_the_innovation_frame(frame):
    _, measures = _measures()
    with pytest.raises(ParameterError, match="^frame should be what innovation_frame returned"):
        concentration.innovation_statements(frame, measures, weak_fraction=0.5)


@pytest.mark.parametrize("measures", [{"a": 1}, {"a": None}, None, "a"])
def test_head_concentration_table_names_bad_measures(measures):
    with pytest.raises(ParameterError, match="^measures should be a dict of HeadConcentration"):
        concentration.head_concentration_table(measures)


@pytest.mark.parametrize("table, column, city", [("values", "s", "z"), ("normalized", "t", "北京市"),
                                                 ("all_scores", "TEC", "上海市")])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_innovation_frame_refuses_a_missing_value_of_a_kept_city(table, column, city, bad):
    # a NaN passed through to the head measures before issue 11; now a DataError naming it (a NaN innovation
    # score sorts last, so the NaN is put on a city kept by top_n=4: every city)
    tables = {"all_scores": SCORES.copy(), "values": RAW.copy(), "normalized": NORMALIZED.copy()}
    tables[table].loc[city, column] = bad
    with pytest.raises(DataError, match=rf"complete and finite.*city '{city}'"):
        concentration.innovation_frame(tables["all_scores"], tables["values"], tables["normalized"], META, top_n=4,
                                       subject_code="s", transfer_code="t")
    # only the kept cities' values are used: x (innovation 1, last) is not among the top 3
    raw = RAW.copy()
    raw.loc["x", ["s", "t"]] = bad
    frame = concentration.innovation_frame(SCORES, raw, NORMALIZED, META, top_n=3, subject_code="s", transfer_code="t")
    assert frame.index.tolist() == ["北京市", "z", "上海市"]


@pytest.mark.parametrize("name, bad", [(name, bad) for name in ("all_scores", "values", "normalized", "indicators")
                                       for bad in (None, [1.0], SCORES.to_numpy())]
                         + [("indicators", pd.DataFrame({"level": [1]}))])   # no name_zh column
def test_innovation_frame_names_a_table_that_is_not_one(name, bad):
    args = {"all_scores": SCORES, "values": RAW, "normalized": NORMALIZED, "indicators": META}
    args[name] = bad
    with pytest.raises(ParameterError, match=f"^{name} should be a pandas DataFrame"):
        concentration.innovation_frame(args["all_scores"], args["values"], args["normalized"], args["indicators"],
                                       top_n=3, subject_code="s", transfer_code="t")


def test_a_repeated_unit_is_a_data_error():
    with pytest.raises(DataError, match="must be unique.*repeated: a"):
        concentration.head_concentration(pd.Series([3.0, 2.0, 1.0], index=["a", "a", "b"]), head=1)


def _study(**kwargs):
    return concentration.innovation_study(SCORES, RAW, NORMALIZED, META, top_n=4, subject_code="s",
                                          transfer_code="t", n_resamples=500, **kwargs)


def test_innovation_study_measures_the_raw_values():
    st = _study()
    # raw s of the top 4 (10, 2, 8, 1): sum 21, the top 2 hold 18/21; Gini by the mean absolute difference
    assert_allclose(st.measures["subject"].head_share, 18 / 21, rtol=1e-12)
    assert_allclose(st.measures["subject"].gini, _gini_mad([10, 2, 8, 1]), rtol=1e-12)
    assert_allclose(st.measures["transfer"].theil, np.log(4) - stats.entropy([7, 1, 6, 1.5]), rtol=1e-12)
    assert st.intervals["subject"]["gini"].statistic == st.measures["subject"].gini
    assert st.codes == {"subject": "s", "transfer": "t"} and st.units["subject"] == "firms per 10,000 residents"
    assert st.lowest == {"subject": 1.0, "transfer": 1.0}
    # every raw indicator under 技术创新 is classified; only the ratio-scale, higher-is-better ones are measured
    assert st.indicators.index.tolist() == ["s", "t", "u", "v"]
    assert st.indicators["ratio_scale"].tolist() == [True, True, False, True]
    assert st.indicators["gini"].notna().tolist() == [True, True, False, False]
    # the scores' measures beside their shifts: the Gini falls as mean / (mean + c); the raw ones only at 0
    inn = st.frame["innovation"]
    g = st.shifts["gini"]
    for c in concentration.SCORE_SHIFTS:
        assert_allclose(g.loc[("innovation", float(c))], g.loc[("innovation", 0.0)] * inn.mean() / (inn.mean() + c))
    assert [i for i in st.shifts.index if i[0] in ("subject", "transfer")] == [("subject", 0.0), ("transfer", 0.0)]


def test_innovation_summary_quotes_the_raw_measures_and_the_scores_shift():
    st = _study()
    text = concentration.innovation_summary(st, synthetic=True, names=lambda units: [u.upper() for u in units])
    # issue 13 review, finding 3: on synthetic data the raw values are an affine map of the min-max score, so
    # "ratio scale, 0 = none" is not said of them; the equivalent shift is computed: s runs 1 ... 10 over the four
    # cities, so s = 0.09 (score + 100/9), +11.11 points; t runs 1 ... 7, +100/6 = +16.67
    assert text.startswith("Illustrative (synthetic panel): raw stand-ins over the innovation top 4 (on the synthetic "
                           "panel affine maps of their min-max scores onto the generator's documented ranges, "
                           "equivalent to shifting the scores by +11.11 (subject) and +16.67 (transfer) points: how "
                           "far their bottom lies from zero, and so their levels, is the generator's choice). Subject "
                           f"s (firms per 10,000 residents): Gini {st.measures['subject'].gini:.2f}, 95% bootstrap CI")
    assert "ratio scale, 0 = none" not in text
    assert concentration.innovation_summary(st, synthetic=False).startswith(
        "Raw stand-ins (ratio scale, 0 = none) over the innovation top 4. Subject s")
    assert "the top 2 hold 85.7% of the sum (even share 50.0%); 50% below 50% of the leader" in text   # 18 / 21
    assert "Innovation score leaders 北京市, Z." in text
    moved = st.shifts.at[("innovation", 50.0), "gini"]
    assert text.endswith(f"its Gini {st.measures['innovation'].gini:.2f} becomes {moved:.2f} if its zero moves by 50 "
                         "points, so it is not read as a concentration.")
    assert not concentration.innovation_summary(st, synthetic=False).startswith("Illustrative")
    ranged = concentration.innovation_summary(st, synthetic=True, ranges={"gini_subject": "0.4 (range A)"},
                                              lead_verdict="holds in 2 of 3 panels")
    assert "Gini 0.4 (range A), 95% bootstrap CI" in ranged
    assert "Beijing or Shanghai leads the innovation score: holds in 2 of 3 panels." in ranged
    assert "北京市" not in ranged


@pytest.mark.parametrize("kwargs, name", [({"ranges": {"top": "x"}}, "ranges"), ({"ranges": ["x"]}, "ranges"),
                                          ({"ranges": {"gini_subject": 0.3}}, "ranges"),
                                          ({"lead_verdict": 3}, "lead_verdict"), ({"synthetic": "yes"}, "synthetic"),
                                          ({"names": ["x"]}, "names")])
def test_innovation_summary_names_bad_arguments(kwargs, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        concentration.innovation_summary(_study(), **{"synthetic": True, **kwargs})


def test_every_assumption_names_a_number_of_the_results():
    st = _study()
    results = st.results(summary="s", ensemble={"size": 0}, conclusions=["c"], synthetic=True)
    assert results["assumptions"] == concentration.innovation_assumptions(st, synthetic=True)
    for path, sentences in results["assumptions"].items():
        node = results
        for part in path.split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)
        assert node is not None and sentences and all(len(s.split()) >= 3 for s in sentences), path
    text = " ".join(results["assumptions"]["concentration.subject.gini"])
    assert "ratio scale" in text and "generator's choice" in text and "lowest city 1 firms" in text
    assert "generator" not in " ".join(concentration.innovation_assumptions(st, synthetic=False)[
        "concentration.subject.gini"])
    # issue 13 review, finding 3: "do not depend on a chosen zero" is said of real data only; on synthetic data the
    # sentence gives the computed equivalent shift (s: 100 x 1 / (10 - 1) = +11.11 points)
    assert "do not depend on a chosen zero" not in text
    assert "would be on a ratio scale in real data" in text and "shifted by +11.11 points" in text
    assert "do not depend on a chosen zero" in " ".join(concentration.innovation_assumptions(st, synthetic=False)[
        "concentration.subject.gini"])
    assert "floor_dependence" in results["assumptions"] and len(results["floor_dependence"]) == 8
    assert "interval scale" in " ".join(results["assumptions"]["concentration.innovation"])


# ---------------------------------------------------------------- the study in a few numbers per panel
def _panel(scores=SCORES, raw=RAW, normalized=NORMALIZED):
    return SimpleNamespace(all_scores=scores, result=SimpleNamespace(scores=normalized),
                           dataset=SimpleNamespace(indicators=META, data=raw))


def test_no_headline_number_moves_with_the_zero_of_the_scores():
    # issue 13, item 8: the Gini, the head's share and the weak share were of the min-max innovation score, so
    # moving its zero (+10 points on every score: the same cities, the same order, the same spacing) moved them.
    # Now every number of the ensemble statistics is either of the raw values or free of the zero.
    stats_of = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t")
    base = stats_of(_panel())
    shifted = stats_of(_panel(scores=SCORES + 10, normalized=NORMALIZED + 10))
    for name in base:
        assert_allclose(shifted[name], base[name], rtol=1e-12, err_msg=name)
    # and no number moves with the raw values' units either (per 10,000 -> per 1,000,000 residents)
    rescaled = stats_of(_panel(raw=RAW * 100))
    for name in base:
        assert_allclose(rescaled[name], base[name], rtol=1e-12, err_msg=name)


def test_innovation_statistics_by_hand():
    st = concentration.innovation_statistics(SCORES, RAW, NORMALIZED, META, top_n=4, subject_code="s",
                                             transfer_code="t", head=2, weak_fraction=0.5,
                                             nominal_leaders=("z", "北京市"))
    assert_allclose(st["head_share_subject"], 18 / 21, rtol=1e-12)              # (10 + 8) / 21
    assert_allclose(st["head_share_transfer"], 13 / 15.5, rtol=1e-12)           # (7 + 6) / 15.5
    # Gini of (10, 2, 8, 1) by the mean absolute difference: 2 x (8+2+9+6+1+7) = 66; / (2 x 16 x 5.25) = 0.392857
    assert_allclose(st["gini_subject"], 66 / 168, rtol=1e-12)
    assert_allclose(st["theil_subject"], np.log(4) - stats.entropy([10, 2, 8, 1]), rtol=1e-12)
    assert st["weak_share_subject"] == st["weak_share_transfer"] == 0.5
    # innovation (5, 4, 2, 1): the gap after rank 2 is 2, over SD(ddof 1)
    assert_allclose(st["gap_head_sd"], 2 / np.std([5, 4, 2, 1], ddof=1), rtol=1e-12)
    assert st["report_city_leads"] == 1.0 and st["report_pair_subject"] == st["report_pair_transfer"] == 1.0
    assert st["head_gap_largest"] == 1.0                               # gaps 1, 2, 1: the largest follows rank 2
    assert st["nominal_leaders_lead"] == 1.0                           # {北京市, z}, in any order
    assert not {"gini", "head_share", "weak_share"} & set(st)          # no ratio measure of the score
    other = concentration.innovation_statistics(SCORES, RAW, NORMALIZED, META, top_n=4, subject_code="s",
                                                transfer_code="t", head=1, nominal_leaders=("z",))
    assert other["head_share_subject"] == 10 / 21 and other["head_gap_largest"] == 0.0
    assert other["nominal_leaders_lead"] == 0.0 and other["report_pair_subject"] == 0.0


def test_innovation_statistics_agree_with_the_study():
    st = _study(weak_fraction=0.4)
    values = concentration.innovation_statistics(SCORES, RAW, NORMALIZED, META, top_n=4, subject_code="s",
                                                 transfer_code="t", weak_fraction=0.4)
    for col in ("subject", "transfer"):
        m = st.measures[col]
        assert (values[f"gini_{col}"], values[f"theil_{col}"], values[f"head_share_{col}"]) == (m.gini, m.theil,
                                                                                             m.head_share)
        assert values[f"weak_share_{col}"] == st.statements.weak_share[col]
    assert values["gap_head_sd"] == st.measures["innovation"].gap_head_sd


@pytest.mark.parametrize("leaders", [("z",), ("z", "z"), "z北", ("z", "北京市", "x"), 3])
def test_innovation_statistics_nominal_leaders_must_be_head_ids(leaders):
    with pytest.raises(ParameterError, match="^nominal_leaders should be 2 distinct unit ids"):
        concentration.innovation_statistics(SCORES, RAW, NORMALIZED, META, top_n=4, subject_code="s",
                                            transfer_code="t", nominal_leaders=leaders)


def test_innovation_statistics_as_a_function_of_a_panel():
    stats_of = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t",
                                                  nominal_leaders=("北京市", "z"), leader_names=("Beijing", "Z"))
    values = stats_of(_panel())
    assert values == concentration.innovation_statistics(SCORES, RAW, NORMALIZED, META, top_n=4, subject_code="s",
                                                         transfer_code="t", nominal_leaders=("北京市", "z"))
    labels = stats_of.labels()
    assert list(labels) == list(values)          # a label for every number, in the same order
    assert labels["gini_subject"] == "Gini of the raw subject stand-in (s) over the top 4"
    tests = stats_of.conclusions()
    # issue 13 review, finding 5: no published table ranks technology innovation, so every conclusion's basis is
    # "generator" (a unanimous verdict is then never credited to the published ranks)
    assert {basis for _, basis in tests.values()} == {"generator"}
    assert {text: test(values) for text, (test, _) in tests.items()} == {
        concentration.LEAD_CONCLUSION: True,
        "Beijing and Shanghai lead the subject stand-in (the report's statement)": True,
        "Beijing and Shanghai lead the transfer stand-in (the report's statement)": True,
        "the top 2 stand apart (the largest gap of the top 4 follows them)": True,
        # weak shares 0.5: not over half
        "most of the top 4 weak on the subject stand-in (over half below 50% of the leader's raw value)": False,
        "most of the top 4 weak on the transfer stand-in (over half below 50% of the leader's raw value)": False,
        "the nominal panel's innovation top 2 (Beijing, Z) are the top 2 again "
        "(true on the nominal panel by construction)": True}
    without = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t")
    assert "nominal_leaders_lead" not in without.labels() and len(without.conclusions()) == 6


@pytest.mark.parametrize("kwargs, name", [
    ({"top_n": 2}, "top_n"), ({"top_n": 4.5}, "top_n"), ({"subject_code": ""}, "subject_code"),
    ({"transfer_code": 3}, "transfer_code"), ({"head": 0}, "head"), ({"head": 4}, "head"),
    ({"weak_fraction": 1.0}, "weak_fraction"), ({"weak_fraction": "half"}, "weak_fraction"),
    ({"nominal_leaders": ("a",)}, "nominal_leaders"), ({"nominal_leaders": "ab"}, "nominal_leaders"),
    ({"nominal_leaders": ("a", "a")}, "nominal_leaders"),
    ({"nominal_leaders": ("a", "b"), "leader_names": ("A",)}, "leader_names"),
    ({"leader_names": "AB"}, "leader_names"), ({"leader_names": ("A", "B")}, "leader_names")], ids=repr)
def test_innovation_statistics_checks_each_argument_when_made(kwargs, name):
    # one line naming the argument, when the object is made (not on the first panel of an ensemble)
    with pytest.raises(ParameterError, match=f"^{name} should be") as err:
        concentration.InnovationStatistics(**{"top_n": 4, "subject_code": "s", "transfer_code": "t", **kwargs})
    assert "\n" not in str(err.value)
    made = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t",
                                              nominal_leaders=["a", "b"], leader_names=["A", "B"])
    assert made.nominal_leaders == ("a", "b") and made.leader_names == ("A", "B")   # lists kept as tuples


def test_plot_concentration_draws_the_scores_curve_with_its_shift():
    import matplotlib

    matplotlib.use("Agg")
    english = {"北京市": "Beijing", "上海市": "Shanghai"}
    fig = concentration.plot_concentration(_study(), names=lambda cities: [english[c] for c in cities])
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["Beijing", "Shanghai"]   # the report's leaders
    labels = [line.get_label() for line in fig.axes[1].lines]
    assert labels[0].startswith("raw s (Gini") and labels[1].startswith("raw t (Gini")
    assert "depends on its zero" in labels[2] and labels[3].startswith("the same score +10 points")
    with pytest.raises(ParameterError, match="^study should be"):
        concentration.plot_concentration(None)


# ---------------------------------------------------------------- where the raw values' bottom lies (issue 13 review, 3)
def test_the_equivalent_shift_is_that_of_the_min_max_map():
    # min-max over the cities: n = 100 (v - lo) / (hi - lo), so v = (hi - lo)/100 (n + 100 lo / (hi - lo))
    st = _study()
    assert_allclose([st.equivalent_shift["subject"], st.equivalent_shift["transfer"]], [100 / 9, 100 / 6],
                    rtol=1e-9)
    assert st.highest == {"subject": 10.0, "transfer": 7.0}
    # the raw Gini is the score's Gini after that shift (G(x + c) = G(x) mean / (mean + c))
    score = st.frame["subject_score"].to_numpy(float)
    assert_allclose(concentration.gini(score + 100 / 9), st.measures["subject"].gini, rtol=1e-12)
    # not an affine map: NaN; a decreasing one: NaN
    assert np.isnan(concentration.equivalent_shift([1.0, 4.0, 9.0], [0.0, 50.0, 100.0]))
    assert np.isnan(concentration.equivalent_shift([3.0, 2.0, 1.0], [0.0, 50.0, 100.0]))
    with pytest.raises(ParameterError, match="^raw should be as many values as score"):
        concentration.equivalent_shift([1.0, 2.0], [0.0, 100.0])


def test_the_floor_table_moves_the_lowest_value_and_keeps_the_highest():
    st = _study()
    f = st.floors
    assert f.index.tolist() == [(c, k) for c in ("subject", "transfer") for k in concentration.FLOOR_MULTIPLES]
    # k = 1 is the data as they are
    assert_allclose(f.at[("subject", 1.0), "gini"], st.measures["subject"].gini, rtol=1e-12)
    assert f.at[("subject", 1.0), "weak_share"] == st.statements.weak_share["subject"]
    # k = 0: the lowest city at 0, so the raw values are the min-max score over 10 (hi = 10): Gini of the score
    assert_allclose(f.at[("subject", 0.0), "gini"], concentration.gini(st.frame["subject_score"]), rtol=1e-12)
    # k = 2: lowest 2, v' = 2 + (v - 1) 8/9 for s = 1, 10, 8, 2 -> 2, 10, 8.222, 2.889; equivalent shift 100 x 2 / 8
    moved = 2 + (np.array([1.0, 10.0, 8.0, 2.0]) - 1) * 8 / 9
    assert_allclose(f.at[("subject", 2.0), "gini"], concentration.gini(moved), rtol=1e-12)
    assert_allclose(f.at[("subject", 2.0), "equivalent_shift"], 25.0, rtol=1e-12)
    assert f["gini"].loc["subject"].is_monotonic_decreasing            # a higher floor, a lower Gini
    with pytest.raises(ParameterError, match="^multiples should be multiples k with k x lowest < highest"):
        concentration.floor_dependence(st.frame[["subject"]], lowest={"subject": 1.0}, highest={"subject": 10.0},
                                       head=2, weak_fraction=0.5, multiples=[10])


def test_the_captions_say_illustrative_and_what_the_raw_zero_is():
    st = _study()
    # finding 12: the interval caption and every table caption say illustrative on synthetic data
    assert st.interval_caption(synthetic=True).startswith("Illustrative (synthetic panel): 95% intervals: BCa")
    assert not st.interval_caption(synthetic=False).startswith("Illustrative")
    for table in ("frame", "indicators", "concentration", "statements", "floors"):
        assert st.table_caption(table, synthetic=True).startswith("Illustrative (synthetic panel): "), table
        assert not st.table_caption(table, synthetic=False).startswith("Illustrative"), table
    with pytest.raises(ParameterError, match="^table should be one of frame"):
        st.table_caption("nope", synthetic=True)
    # finding 3: the shift caption says "do not depend on such a choice" of real data only; on synthetic data it
    # gives the computed shifts (+11.11, +16.67: test_the_equivalent_shift_is_that_of_the_min_max_map)
    syn, real = st.shift_caption(synthetic=True), st.shift_caption(synthetic=False)
    assert "do not depend on such a choice" not in syn and "do not depend on such a choice" in real
    assert "shifted by +11.11 (subject) and +16.67 (transfer) points" in syn and "generator's choice" in syn
