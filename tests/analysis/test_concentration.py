"""Tests of cityeval.analysis.concentration: Gini, Lorenz curve, head concentration and notebook 08's study.

Expected values are hand calculations written out beside each assertion (no peer library computes the
head gap); the Gini's identity with the Lorenz curve's area is the textbook one (Gini = 1 - 2 x area).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval.analysis import concentration
from cityeval.analysis.concentration import HeadConcentration
from cityeval.errors import DataError, ParameterError


def test_gini_by_hand():
    # sorted (1, 2, 3, 4): 2 * (1 + 4 + 9 + 16) / (4 * 10) - 5/4 = 0.25
    assert_allclose(concentration.gini([4, 1, 3, 2]), 0.25)
    assert concentration.gini([5, 5, 5]) == 0
    assert_allclose(concentration.gini([0, 0, 0, 4]), 0.75)  # (n - 1)/n


def test_head_concentration_by_hand():
    s = pd.Series([10.0, 9.0, 3.0, 2.0, 1.0], index=list("abcde"))
    res = concentration.head_concentration(s, head=2)
    # top two hold 19/25; gap between 2nd (9) and 3rd (3) is 6; consecutive gaps (1, 6, 1, 1) have median 1
    assert isinstance(res, HeadConcentration)
    assert res.leaders == ("a", "b")
    assert_allclose([res.head_share, res.gap_head, res.gap_ratio, res.even_share], [0.76, 6.0, 6.0, 0.4])
    assert_allclose(res.gap_head_sd, 6 / np.std([10, 9, 3, 2, 1], ddof=1))
    # a named result: frozen, fields in the package's vocabulary
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.gini = 0.0
    assert [f.name for f in dataclasses.fields(res)] == ["leaders", "head_share", "even_share", "gini", "gap_head",
                                                          "gap_head_sd", "gap_ratio"]


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


# ---------------------------------------------------------------- one error rule
DATA_FUNCTIONS = {
    "gini": lambda x: concentration.gini(x),
    "lorenz_curve": lambda x: concentration.lorenz_curve(x),
    "head_concentration": lambda x: concentration.head_concentration(x, head=1),
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
META = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["s", "t", "技术创新", "总"]}, index=["s", "t", "TEC", "ALL"])
SCORES = pd.DataFrame({"TEC": [1.0, 5.0, 2.0, 4.0]}, index=["x", "北京市", "上海市", "z"])
NORMALIZED = pd.DataFrame({"s": [0.0, 90.0, 80.0, 10.0], "t": [5.0, 70.0, 60.0, 1.0]}, index=SCORES.index)


def test_innovation_frame_keeps_the_top_by_innovation():
    frame = concentration.innovation_frame(SCORES, NORMALIZED, META, top_n=3, subject_code="s", transfer_code="t")
    assert frame.index.tolist() == ["北京市", "z", "上海市"]          # innovation 5 > 4 > 2
    assert frame.loc["z"].tolist() == [4.0, 10.0, 1.0]


@pytest.mark.parametrize("kwargs, error, name", [
    ({"top_n": 2}, ParameterError, "top_n"), ({"top_n": 5}, ParameterError, "top_n"),
    ({"top_n": 3.0}, ParameterError, "top_n"), ({"subject_code": "TEC"}, ParameterError, "subject_code"),
    ({"transfer_code": "nope"}, ParameterError, "transfer_code"),
])
def test_innovation_frame_checks_its_arguments(kwargs, error, name):
    args = {"top_n": 3, "subject_code": "s", "transfer_code": "t", **kwargs}
    with pytest.raises(error, match=f"^{name} should be"):
        concentration.innovation_frame(SCORES, NORMALIZED, META, **args)


def test_innovation_frame_needs_the_dimension():
    with pytest.raises(DataError, match="技术创新"):
        concentration.innovation_frame(SCORES, NORMALIZED, META.assign(name_zh=["s", "t", "x", "y"]), top_n=3,
                                       subject_code="s", transfer_code="t")


def test_innovation_statements_and_summary_by_hand():
    frame = concentration.innovation_frame(SCORES, NORMALIZED, META, top_n=4, subject_code="s", transfer_code="t")
    measures = {c: concentration.head_concentration(frame[c], head=2) for c in frame.columns}
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.5)
    # subject leaders 北京市 (90), 上海市 (80): the report's pair; transfer leaders 北京市 (70), 上海市 (60) too.
    # innovation (5, 4, 2, 1): below 0.5 x 5 = 2.5 are 2 and 1 -> weak share 2/4 = 0.5, not "most"
    assert list(st.checks.values()) == [True, True, False]
    assert st.weak_share == 0.5
    assert "most cities weak (below 50% of the leader)" in st.checks
    text = concentration.innovation_summary(measures["innovation"], st, top_n=4, synthetic=True)
    # head share (5 + 4) / 12 = 75.0%; even share 2/4 = 50.0%
    assert text.startswith("Illustrative (synthetic panel): the top 2 hold 75.0% of the innovation total of the "
                           "top 4 (even share 50.0%)")
    assert "leaders 北京市, z; 50% below 50% of the leader." in text
    assert "Illustrative" not in concentration.innovation_summary(measures["innovation"], st, top_n=4,
                                                                  synthetic=False)


@pytest.mark.parametrize("weak_fraction", [0, 1, 1.5, -0.2, float("nan"), True, "0.5"])
def test_weak_fraction_must_be_in_the_open_unit_interval(weak_fraction):
    frame = concentration.innovation_frame(SCORES, NORMALIZED, META, top_n=4, subject_code="s", transfer_code="t")
    measures = {c: concentration.head_concentration(frame[c], head=2) for c in frame.columns}
    with pytest.raises(ParameterError, match=r"^weak_fraction should be a finite number in \(0, 1\)"):
        concentration.innovation_statements(frame, measures, weak_fraction=weak_fraction)


def test_head_concentration_table_names_the_leaders():
    measures = {"s": concentration.head_concentration(pd.Series([3.0, 1.0, 1.0], index=list("abc")), head=1)}
    table = concentration.head_concentration_table(measures, names=lambda units: [u.upper() for u in units])
    assert table.at["s", "leaders"] == ["A"] and table.at["s", "head_share"] == 0.6   # 3 / 5


# ---------------------------------------------------------------- review findings 8-10: bad input is named
def _measures():
    frame = concentration.innovation_frame(SCORES, NORMALIZED, META, top_n=4, subject_code="s", transfer_code="t")
    return frame, {c: concentration.head_concentration(frame[c], head=2) for c in frame.columns}


@pytest.mark.parametrize("measures, shown", [({}, "without 'subject', 'transfer'"), ({"subject": None}, "NoneType"),
                                             (None, "NoneType"), ([1], "list")])
def test_innovation_statements_names_bad_measures(measures, shown):
    # finding 8: innovation_statements(frame, {}) raised KeyError
    frame, _ = _measures()
    with pytest.raises(ParameterError, match=f"^measures should be a dict of HeadConcentration.*{shown}"):
        concentration.innovation_statements(frame, measures, weak_fraction=0.5)


@pytest.mark.parametrize("frame", [None, pd.DataFrame({"x": [1.0]}), pd.DataFrame({"innovation": []})])
def test_innovation_statements_needs_the_innovation_frame(frame):
    _, measures = _measures()
    with pytest.raises(ParameterError, match="^frame should be what innovation_frame returned"):
        concentration.innovation_statements(frame, measures, weak_fraction=0.5)


@pytest.mark.parametrize("measures", [{"a": 1}, {"a": None}, None, "a"])
def test_head_concentration_table_names_bad_measures(measures):
    # finding 8: head_concentration_table({"a": 1}) raised AttributeError
    with pytest.raises(ParameterError, match="^measures should be a dict of HeadConcentration"):
        concentration.head_concentration_table(measures)


@pytest.mark.parametrize("call", ["table", "summary"])
def test_names_must_be_a_callable(call):
    _, measures = _measures()
    frame, _ = _measures()
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.5)
    with pytest.raises(ParameterError, match="^names should be a callable"):
        if call == "table":
            concentration.head_concentration_table(measures, names={"北京市": "Beijing"})
        else:
            concentration.innovation_summary(measures["innovation"], st, top_n=4, synthetic=False, names=["x"])


@pytest.mark.parametrize("synthetic", ["yes", "no", 1, 0, None])
def test_innovation_summary_synthetic_must_be_a_bool(synthetic):
    # finding 10: synthetic="yes" (and "no") printed "Illustrative (synthetic panel)"
    frame, measures = _measures()
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.5)
    with pytest.raises(ParameterError, match="^synthetic should be True or False"):
        concentration.innovation_summary(measures["innovation"], st, top_n=4, synthetic=synthetic)


@pytest.mark.parametrize("kwargs, name", [({"measure": None}, "measure"), ({"statements": {}}, "statements")])
def test_innovation_summary_names_a_bad_result(kwargs, name):
    frame, measures = _measures()
    args = {"measure": measures["innovation"],
            "statements": concentration.innovation_statements(frame, measures, weak_fraction=0.5), **kwargs}
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        concentration.innovation_summary(args["measure"], args["statements"], top_n=4, synthetic=False)


@pytest.mark.parametrize("table, column, city", [("normalized", "s", "z"), ("normalized", "t", "北京市"),
                                                 ("all_scores", "TEC", "上海市")])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_innovation_frame_refuses_a_missing_score_of_a_kept_city(table, column, city, bad):
    # finding 9: a NaN normalized score passed through to the head measures; now a DataError naming it
    # (a NaN innovation score sorts last, so the NaN is put on a city kept by top_n=4: every city)
    tables = {"all_scores": SCORES.copy(), "normalized": NORMALIZED.copy()}
    tables[table].loc[city, column] = bad
    with pytest.raises(DataError, match=rf"complete and finite.*city '{city}'"):
        concentration.innovation_frame(tables["all_scores"], tables["normalized"], META, top_n=4, subject_code="s",
                                       transfer_code="t")
    # only the kept cities' scores are used: x (innovation 1, last) is not among the top 3
    normalized = NORMALIZED.copy()
    normalized.loc["x", ["s", "t"]] = bad
    frame = concentration.innovation_frame(SCORES, normalized, META, top_n=3, subject_code="s", transfer_code="t")
    assert frame.index.tolist() == ["北京市", "z", "上海市"]


@pytest.mark.parametrize("name, bad", [(name, bad) for name in ("all_scores", "normalized", "indicators")
                                       for bad in (None, [1.0], SCORES.to_numpy())]
                         + [("indicators", pd.DataFrame({"level": [1]}))])   # no name_zh column
def test_innovation_frame_names_a_table_that_is_not_one(name, bad):
    args = {"all_scores": SCORES, "normalized": NORMALIZED, "indicators": META}
    args[name] = bad
    with pytest.raises(ParameterError, match=f"^{name} should be a pandas DataFrame"):
        concentration.innovation_frame(args["all_scores"], args["normalized"], args["indicators"], top_n=3,
                                       subject_code="s", transfer_code="t")


def test_a_repeated_unit_is_a_data_error():
    # the leaders are named by the index: a repeated label would name one city twice
    with pytest.raises(DataError, match="must be unique.*repeated: a"):
        concentration.head_concentration(pd.Series([3.0, 2.0, 1.0], index=["a", "a", "b"]), head=1)


# ---------------------------------------------------------------- issue 12: the study in a few numbers per panel
def test_innovation_statistics_by_hand():
    # innovation (top 4): 北京市 5, z 4, 上海市 2, x 1 (SCORES); total 12
    st = concentration.innovation_statistics(SCORES, NORMALIZED, META, top_n=4, subject_code="s", transfer_code="t",
                                             head=2, weak_fraction=0.5, nominal_leaders=("z", "北京市"))
    assert st["head_share"] == 9 / 12                                 # (5 + 4) / 12
    # Gini by the mean absolute difference: sum_ij |xi - xj| = 2 x (1+3+4+2+3+1) = 28; / (2 x 16 x 3) = 0.291666
    assert_allclose(st["gini"], 28 / 96, rtol=1e-12)
    assert_allclose(st["gap_head_sd"], 2 / np.std([5, 4, 2, 1], ddof=1), rtol=1e-12)    # 4 - 2 = 2
    assert st["weak_share"] == 0.5                                     # 2 and 1 below 2.5
    assert st["report_city_leads"] == 1.0                              # 北京市 leads
    # subject: 北京市 90, 上海市 80 -> the report's pair; transfer: 北京市 70, 上海市 60 -> too
    assert st["report_pair_subject"] == st["report_pair_transfer"] == 1.0
    assert st["head_gap_largest"] == 1.0                               # gaps 1, 2, 1: the largest follows rank 2
    assert st["nominal_leaders_lead"] == 1.0                           # {北京市, z}, in any order
    other = concentration.innovation_statistics(SCORES, NORMALIZED, META, top_n=4, subject_code="s",
                                                transfer_code="t", head=1, nominal_leaders=("z",))
    # head 1: 5 / 12; gaps 1, 2, 1: the largest does not follow rank 1; a pair is never the head of 1
    assert other["head_share"] == 5 / 12 and other["head_gap_largest"] == 0.0
    assert other["nominal_leaders_lead"] == 0.0 and other["report_pair_subject"] == 0.0
    assert "nominal_leaders_lead" not in concentration.innovation_statistics(
        SCORES, NORMALIZED, META, top_n=4, subject_code="s", transfer_code="t")


def test_innovation_statistics_agree_with_the_study():
    # the same numbers as innovation_frame / head_concentration / innovation_statements, called one by one
    frame = concentration.innovation_frame(SCORES, NORMALIZED, META, top_n=3, subject_code="s", transfer_code="t")
    measures = {c: concentration.head_concentration(frame[c], head=2) for c in frame.columns}
    statements = concentration.innovation_statements(frame, measures, weak_fraction=0.4)
    st = concentration.innovation_statistics(SCORES, NORMALIZED, META, top_n=3, subject_code="s", transfer_code="t",
                                             weak_fraction=0.4)
    inn = measures["innovation"]
    assert (st["head_share"], st["gini"], st["gap_head_sd"]) == (inn.head_share, inn.gini, inn.gap_head_sd)
    assert st["weak_share"] == statements.weak_share
    assert [st["report_pair_subject"], st["report_pair_transfer"]] == [float(v) for v in
                                                                        list(statements.checks.values())[:2]]


@pytest.mark.parametrize("leaders", [("z",), ("z", "z"), "z北", ("z", "北京市", "x"), 3])
def test_innovation_statistics_nominal_leaders_must_be_head_ids(leaders):
    with pytest.raises(ParameterError, match="^nominal_leaders should be 2 distinct unit ids"):
        concentration.innovation_statistics(SCORES, NORMALIZED, META, top_n=4, subject_code="s", transfer_code="t",
                                            nominal_leaders=leaders)


def test_innovation_statistics_as_a_function_of_a_panel():
    from types import SimpleNamespace

    panel = SimpleNamespace(all_scores=SCORES, result=SimpleNamespace(scores=NORMALIZED),
                            dataset=SimpleNamespace(indicators=META))
    stats = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t",
                                               nominal_leaders=("北京市", "z"), leader_names=("Beijing", "Z"))
    values = stats(panel)
    assert values == concentration.innovation_statistics(SCORES, NORMALIZED, META, top_n=4, subject_code="s",
                                                         transfer_code="t", nominal_leaders=("北京市", "z"))
    assert list(stats.labels()) == list(values)          # a label for every number, in the same order
    tests = stats.conclusions()
    assert concentration.LEAD_CONCLUSION in tests
    assert ("the nominal panel's innovation top 2 (Beijing, Z) are the top 2 again "
            "(true on the nominal panel by construction)") in tests
    assert {text: test(values) for text, test in tests.items()} == {
        concentration.LEAD_CONCLUSION: True,
        "Beijing and Shanghai lead the subject stand-in (the report's statement)": True,
        "Beijing and Shanghai lead the transfer stand-in (the report's statement)": True,
        "the top 2 stand apart (the largest gap of the top 4 follows them)": True,
        "most of the top 4 weak (over half below 50% of the leader)": False,     # weak share 0.5 is not over half
        "the nominal panel's innovation top 2 (Beijing, Z) are the top 2 again "
        "(true on the nominal panel by construction)": True}
    without = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t")
    assert "nominal_leaders_lead" not in without.labels() and len(without.conclusions()) == 5


@pytest.mark.parametrize("kwargs, name", [
    ({"top_n": 2}, "top_n"), ({"top_n": 4.5}, "top_n"), ({"subject_code": ""}, "subject_code"),
    ({"transfer_code": 3}, "transfer_code"), ({"head": 0}, "head"), ({"head": 4}, "head"),
    ({"weak_fraction": 1.0}, "weak_fraction"), ({"weak_fraction": "half"}, "weak_fraction"),
    ({"nominal_leaders": ("a",)}, "nominal_leaders"), ({"nominal_leaders": "ab"}, "nominal_leaders"),
    ({"nominal_leaders": ("a", "a")}, "nominal_leaders"),
    ({"nominal_leaders": ("a", "b"), "leader_names": ("A",)}, "leader_names"),
    ({"leader_names": "AB"}, "leader_names"), ({"leader_names": ("A", "B")}, "leader_names")], ids=repr)
def test_innovation_statistics_checks_each_argument_when_made(kwargs, name):
    # one line naming the argument, when the object is made (not on the first panel of an ensemble);
    # head must leave a city after it in the top 4 (1 ... top_n - 1); names without leaders have nothing to name
    with pytest.raises(ParameterError, match=f"^{name} should be") as err:
        concentration.InnovationStatistics(**{"top_n": 4, "subject_code": "s", "transfer_code": "t", **kwargs})
    assert "\n" not in str(err.value)
    made = concentration.InnovationStatistics(top_n=4, subject_code="s", transfer_code="t",
                                              nominal_leaders=["a", "b"], leader_names=["A", "B"])
    assert made.nominal_leaders == ("a", "b") and made.leader_names == ("A", "B")   # lists kept as tuples


def test_innovation_summary_quotes_ranges_and_a_verdict_instead_of_leaders():
    frame, measures = _measures()
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.5)
    text = concentration.innovation_summary(measures["innovation"], st, top_n=4, synthetic=True, names=str.upper,
                                            ranges={"head_share": "75.0% (range A)", "gini": "0.29 (range B)"},
                                            lead_verdict="holds in 2 of 3 panels")
    assert text == ("Illustrative (synthetic panel): the top 2 hold 75.0% (range A) of the innovation total of the "
                    "top 4 (even share 50.0%), Gini 0.29 (range B); Beijing or Shanghai leads the innovation score: "
                    "holds in 2 of 3 panels; 50% below 50% of the leader.")
    assert "北京市" not in text and "Z" not in text.split("; ")[1]


@pytest.mark.parametrize("kwargs, name", [({"ranges": {"top": "x"}}, "ranges"), ({"ranges": ["x"]}, "ranges"),
                                          ({"ranges": {"gini": 0.3}}, "ranges"), ({"lead_verdict": 3}, "lead_verdict")])
def test_innovation_summary_names_bad_ranges_and_verdicts(kwargs, name):
    frame, measures = _measures()
    st = concentration.innovation_statements(frame, measures, weak_fraction=0.5)
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        concentration.innovation_summary(measures["innovation"], st, top_n=4, synthetic=True, **kwargs)
