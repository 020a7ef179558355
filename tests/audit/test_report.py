"""Tests of cityeval.audit.report: the robustness report of the top ranks and its conclusions.

Reference values:
- a hand calculation on a 3-unit, 4-scenario result (written out in ``test_report_by_hand``);
- notebook 09's results before issue 11 (benchmarks/baseline/results-before-layout/09_robustness.json,
  produced by its own inline code with the default parameters), which the report must reproduce exactly.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval.audit import (DECIDED, NEIGHBOR_DEFINITION, Conclusions, PairRemoved, RobustnessReport,
                            UncertaintyResult, alternatives_spec, conclusions, prepare, robustness_report,
                            summarize_ranks)
from cityeval.ccid2022 import published
from cityeval.errors import ParameterError
from cityeval.notebook.results import to_jsonable

BASELINE_09 = (Path(__file__).resolve().parents[2] / "benchmarks" / "baseline" / "results-before-layout"
               / "09_robustness.json")


def _hand_result() -> UncertaintyResult:
    # ranks of units a, b, c (nominal 1, 2, 3) in 4 scenarios
    ranks = pd.DataFrame({"a": [1, 1, 2, 1], "b": [2, 3, 1, 2], "c": [3, 2, 3, 3]})
    nominal = pd.Series({"a": 1, "b": 2, "c": 3})
    table = summarize_ranks(ranks, nominal)
    table["nominal"] = pd.array(nominal.to_numpy(), dtype="Int64")
    shift = np.abs(ranks.to_numpy() - nominal.to_numpy()).mean(axis=1)       # 0, 2/3, 2/3, 0
    scen = pd.DataFrame({"normalize": pd.Categorical(["m", "z", "m", "z"]),
                         "aggregate": pd.Categorical(["ar", "ar", "ge", "ge"])})
    return UncertaintyResult(table=table, mean_rank_shift=shift, scenarios=scen, ranks=ranks, n=4, seed=1,
                             target="idx", synthetic=False, spec={"choices": {}})


def test_report_by_hand():
    rep = robustness_report(_hand_result(), top_n=3, tolerance=1, published=pd.Series({"a": 1, "b": 3}))
    top = rep.intervals
    assert list(top.columns) == ["published", "nominal", "mean", "median", "q05", "q95", "width", "robust"]
    # a: 1 1 2 1 -> q05 1, q95 1 + 0.85 = 1.85; b: 2 3 1 2 -> 1.15, 2.85; c: 3 2 3 3 -> 2.15, 3
    assert_allclose(top["width"], [0.85, 1.70, 0.85], rtol=1e-12)
    assert top["robust"].tolist() == [True, True, True] and rep.robust_share == 1.0      # all within ± 1
    # a ahead of b in scenarios 1, 2, 4; b ahead of c in 1, 3, 4 -> 0.75, 0.75; none >= 0.9
    assert_allclose(rep.neighbor_ahead, [0.75, 0.75])
    assert rep.neighbor_order_decided_share == 0.0
    assert rep.reproduces_published is False                          # b published 3, c not published
    assert top["published"].isna().tolist() == [False, False, True]
    # mean shifts by combination: (m, ar) 0, (m, ge) 2/3, (z, ar) 2/3, (z, ge) 0 -> (m, ge) first of the largest
    pair = rep.without_most_disruptive_pair
    assert pair.pair == ("m", "ge") and pair.scenarios_dropped == 1
    # without scenario 3: a 1 1 1, b 2 3 2, c 3 2 3: all robust at ± 1; a ahead of b 3/3, b ahead of c 2/3
    assert pair.robust_share == 1.0 and pair.neighbor_order_decided_share == 0.5
    assert rep.by_rank_band.to_dict("list") == {"ranks": ["1-10"], "cities": [3], "robust_share": [1.0],
                                                "median_width": [pytest.approx(0.85)]}
    assert rep.robust_definition == "5-95% Monte Carlo rank interval within nominal rank ± 1"
    # the flat tables of a results file
    assert rep.interval_table().columns.tolist() == ["city", "published_rank", "nominal_rank", "median", "q05",
                                                     "q95", "mean", "width", "robust"]
    assert rep.shift_table()["normalize"].tolist() == ["m", "m", "z", "z"]
    assert isinstance(rep, RobustnessReport) and isinstance(pair, PairRemoved)


def test_intervals_by_verdict_partitions_the_intervals(notebook_09):
    # by hand: at tolerance 1 all three units are robust (test_report_by_hand), at 0 none is
    # (a: q95 1.85 > 1; b: q05 1.15 < 2; c: q05 2.15 < 3)
    for tolerance, robust, noisy in ((1, ["a", "b", "c"], []), (0, [], ["a", "b", "c"])):
        parts = robustness_report(_hand_result(), top_n=3, tolerance=tolerance).intervals_by_verdict()
        assert list(parts) == ["robust", "within noise"]
        assert parts["robust"].index.tolist() == robust and parts["within noise"].index.tolist() == noisy
    # notebook 09: the two parts are the top 100 split by their robust flag, each in nominal order
    report = notebook_09[3]
    parts = report.intervals_by_verdict()
    top = report.intervals
    assert len(parts["robust"]) == round(100 * report.robust_share) == int(top["robust"].sum())
    assert 0 < len(parts["robust"]) < 100
    assert parts["robust"]["robust"].all() and not parts["within noise"]["robust"].any()
    pd.testing.assert_frame_equal(pd.concat(parts.values()).sort_values("nominal"), top)
    assert all(part["nominal"].is_monotonic_increasing for part in parts.values())


def test_report_checks_its_arguments():
    res = _hand_result()
    for top_n in (1, 2.5, True, "3"):
        with pytest.raises(ParameterError, match=r"^top_n should be a whole number >= 2"):
            robustness_report(res, top_n=top_n)
    for tolerance in (-1, np.nan, "5"):
        with pytest.raises(ParameterError, match=r"^tolerance should be a number of places >= 0"):
            robustness_report(res, top_n=3, tolerance=tolerance)
    with pytest.raises(ParameterError, match=r"^published should be a pandas Series"):
        robustness_report(res, top_n=3, published={"a": 1})
    no_ranks = UncertaintyResult(**{**res.__dict__, "ranks": None})
    with pytest.raises(ParameterError, match=r"^result should be an UncertaintyResult with its rank matrix"):
        robustness_report(no_ranks, top_n=3)


@pytest.fixture(scope="module")
def notebook_09(panel):
    # notebook 09 with its default parameters (n 2000, weight_perturbation 0.25, seed 20221101, top_n 100,
    # n_sobol 512, tolerance 5)
    baseline = json.loads(BASELINE_09.read_text(encoding="utf-8"))
    spec = alternatives_spec(range(1, panel.top_level), 0.25, target="INDEX",
                             description=baseline["results"]["spec"]["description"])
    design = prepare(panel, spec)
    mc = design.rank_uncertainty(2000, seed=20221101, return_ranks=True)
    table3 = published.load_ranking("overall_top100").set_index("city")["rank"]
    report = robustness_report(mc, top_n=100, tolerance=5, published=table3)
    return baseline["results"], mc, design.sensitivity(512, seed=20221101), report


def test_report_reproduces_notebook_09(notebook_09):
    recorded, mc, sens, report = notebook_09
    assert report.robust_share == recorded["robust_share"]
    assert report.neighbor_order_decided_share == recorded["neighbour_order_decided_share"]
    assert to_jsonable(report.without_most_disruptive_pair) == {
        **{k: v for k, v in recorded["without_most_disruptive_pair"].items() if k != "neighbour_order_decided_share"},
        "neighbor_order_decided_share": recorded["without_most_disruptive_pair"]["neighbour_order_decided_share"]}
    assert to_jsonable(report.by_rank_band) == recorded["by_rank_band"]
    assert to_jsonable(report.interval_table()) == recorded["rank_intervals"]
    assert to_jsonable(report.shift_table()) == recorded["shift_by_choice"]
    assert report.reproduces_published is recorded["reproduces_table3"] is True
    assert report.robust_definition == recorded["robust_definition"]
    # every interval holds its median (notebook 09 asserted this inline before issue 11)
    top = report.intervals
    assert ((top["q05"] <= top["median"]) & (top["median"] <= top["q95"])).all()
    assert NEIGHBOR_DEFINITION == recorded["neighbour_definition"] and DECIDED == 0.9


def test_conclusions_reproduce_notebook_09(notebook_09):
    recorded, mc, sens, report = notebook_09
    verdict = conclusions(report, mc, sens, reference="Table 3", owner="CCID")
    assert isinstance(verdict, Conclusions)
    assert list(verdict.lines) == recorded["conclusions"]
    assert verdict.summary == recorded["summary"]
    assert str(verdict).splitlines()[0] == "- " + recorded["conclusions"][0]


def test_conclusions_on_data_at_hand():
    # not synthetic: no "Illustrative" prefix, no caveat sentence, "data at hand"
    res = _hand_result()
    res = UncertaintyResult(**{**res.__dict__, "spec": alternatives_spec([1], 0.25)})
    idx = pd.DataFrame({"first": [0.1, 0.2, 0.3], "total": [0.2, 0.4, 0.6]}, index=["weights", "normalize",
                                                                                      "aggregate"])
    verdict = conclusions(robustness_report(res, top_n=3, tolerance=1), res, type("S", (), {"indices": idx})())
    assert len(verdict.lines) == 5
    assert verdict.lines[0].startswith("On the data at hand, over 4 scenarios (weights ±25%")
    assert verdict.summary.startswith("over 4 scenarios of weights (±25%), normalization and aggregation, 100% of")
    assert "largest total Sobol' index: aggregation (0.60)" in verdict.summary
