"""Tests of the audit's checks beside the Monte Carlo (issue 13, item 10): each scenario's Spearman correlation with
the nominal ranking, one indicator out, and min-max's lower bound under the geometric mean.

Expected values come from peers, never from the code under test:

- Spearman's coefficient: ``scipy.stats.spearmanr`` of each scenario's ranks with the nominal ranks;
- one indicator out: :func:`cityeval.composite.pipeline.run` on the dataset *without* the indicator (its row of
  ``indicators.csv`` and its column of ``values.csv`` dropped), ranked by pandas (``Series.rank(method="min",
  ascending=False)``, the pipeline's tie rule); the mean absolute rank change is COINr's ``remove_elements`` summary
  (mean over units of |rank - nominal rank|), computed here with numpy;
- the lower bound: :func:`cityeval.audit.prepare` with the changed min-max option (its own pipeline runs) for the
  normalized data, and a pipeline run with that min-max, equal weights and the geometric mean for the ranks;
- the invariance of the arithmetic mean to the bounds: an affine map of every indicator is an affine map of the
  score (hand argument), so the ranks must not change.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from cityeval import audit, paths
from cityeval.audit import alternatives_spec, prepare
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import ParameterError

TOY = paths.DATA / "examples" / "toy"


@pytest.fixture(scope="module")
def toy():
    return load_dataset(TOY)


@pytest.fixture(scope="module")
def toy_design(toy):
    return prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})


def _without(dataset: Dataset, codes) -> Dataset:
    """The dataset with the indicators ``codes`` (and parents listed with them) removed from both tables."""
    meta = dataset.indicators.drop(index=list(codes))
    values = dataset.values.drop(columns=[c for c in codes if c in dataset.values.columns])
    if "denominator" in meta:              # a denominator no indicator uses any more is not data either
        used = set(meta["denominator"].dropna())
        values = values.drop(columns=[d for d in dataset.indicators["denominator"].dropna() if d not in used])
    return Dataset(values, meta, method=copy.deepcopy(dataset.method), path=None)


def _pipeline_ranks(dataset: Dataset, record: dict, target: str) -> pd.Series:
    scores = run(dataset, record).scores[target]
    return scores.rank(method="min", ascending=False)


# ------------------------------------------------------------------ Spearman of each scenario with the nominal ranking
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spearman_rows_equal_scipy_row_by_row(seed):
    rng = np.random.default_rng(seed)
    nominal = rng.permutation(30) + 1.0
    ranks = np.round(rng.normal(size=(12, 30)), 1)             # rounded: ties, which both re-rank by their average
    got = audit.spearman_rows(ranks, nominal)
    want = [stats.spearmanr(row, nominal).statistic for row in ranks]
    assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # a row without any order (all tied) has no coefficient: NaN, never a number
    assert np.isnan(audit.spearman_rows(np.ones((1, 30)), nominal)[0])
    with pytest.raises(ParameterError, match="^ranks"):
        audit.spearman_rows(ranks[:, :5], nominal)


def test_scenario_spearman_of_an_audit_equals_scipy_per_scenario(toy_design):
    mc = toy_design.rank_uncertainty(300, seed=4, return_ranks=True)
    sp = audit.scenario_spearman(mc)
    nominal = mc.table["nominal"].to_numpy(float)
    want = np.array([stats.spearmanr(row, nominal).statistic for row in mc.ranks.to_numpy(float)])
    assert_allclose(sp.values, want, rtol=1e-12, atol=1e-12)
    # numpy's default quantiles over the scenarios (R's type 7, as the rank intervals)
    assert_allclose([sp.median, sp.q05, sp.q95, sp.minimum],
                    [np.median(want), np.quantile(want, 0.05), np.quantile(want, 0.95), want.min()], rtol=1e-12)
    assert sp.n == 300 and sp.units == len(toy_design.units)
    assert set(sp.summary()) == {"n", "units", "median", "q05", "q95", "minimum", "method", "by_option"}
    # REVIEW13b finding 10: the pooled median hides a mixture of option pairs, so the median per pair of
    # normalization x aggregation is given too (pandas groupby of the drawn labels, scipy's coefficients)
    frame = mc.scenarios.astype(str).assign(rho=want)
    pairs = frame.groupby(list(mc.scenarios.columns))["rho"]
    assert len(sp.by_option) == pairs.ngroups == 4
    for _, row in sp.by_option.iterrows():
        part = pairs.get_group(tuple(row[c] for c in mc.scenarios.columns))
        assert row["n"] == len(part)
        assert_allclose([row["median"], row["q05"], row["q95"]],
                        [part.median(), part.quantile(0.05), part.quantile(0.95)], rtol=1e-12)
        assert f"{' × '.join(row[c] for c in mc.scenarios.columns)} {row['median']:.3f} ({row['n']} scenarios)" \
            in sp.text()
    with pytest.raises(ParameterError, match="^result"):
        audit.scenario_spearman(toy_design.rank_uncertainty(10, seed=4))       # no rank matrix kept


# ------------------------------------------------------------------ one indicator out
def test_one_indicator_out_is_the_pipeline_without_that_indicator(toy):
    # the toy's nominal method (jrc treatment, min-max 0-100, equal weights, arithmetic mean): per-indicator
    # treatment and normalization, so removing an indicator from the data is setting its weight to 0
    design = prepare(toy, alternatives_spec([1, 2], 0.25))
    out = audit.indicator_out(design, top_n=5, tolerance=1)
    record = design.record
    assert list(out.table.index) == design.leaves
    nominal = pd.Series(design.nominal_rank, index=design.units)
    for code in design.leaves:
        want = _pipeline_ranks(_without(toy, [code]), record, design.target).reindex(design.units)
        assert_array_equal(out.ranks.loc[code].to_numpy(float), want.to_numpy(float), err_msg=code)
        shift = (want - nominal).abs()
        assert_allclose(out.table.at[code, "mean_shift"], shift.mean(), rtol=1e-12)       # COINr's MeanAbsDiff
        assert_allclose(out.table.at[code, "spearman"], stats.spearmanr(want, nominal).statistic, rtol=1e-12)
        top = nominal.sort_values(kind="stable").index[:5]
        assert out.table.at[code, "max_shift"] == shift[top].max()
        assert out.table.at[code, "moved"] == (shift[top] > 1).sum()
    # the per-city summary reads the same matrix: worst rank over the removals, and how many move the city
    shifts = (out.ranks - nominal).abs()
    for unit, row in out.cities.iterrows():
        assert row["worst"] == out.ranks[unit].max() and row["best"] == out.ranks[unit].min()
        assert row["moved_by"] == (shifts[unit] > 1).sum()
        assert row["max_shift"] == shifts[unit].max()


def test_one_indicator_out_under_a_nominal_geometric_mean(toy):
    method = {"treat": {"method": "none"}, "normalize": {"method": "minmax", "low": 1, "high": 100},
              "aggregate": {"method": "geometric"}}
    design = prepare(toy, {"choices": {"weights": {"perturbation": {"1": 0.25}}}}, method=method)
    out = audit.indicator_out(design, top_n=8, tolerance=0, indicators=["outage_hours", "permit_days"])
    assert out.aggregation == "geometric"
    for code in ("outage_hours", "permit_days"):
        without = _without(toy, [code])
        want = _pipeline_ranks(without, {**design.record}, design.target).reindex(design.units)
        assert_array_equal(out.ranks.loc[code].to_numpy(float), want.to_numpy(float), err_msg=code)


def test_removing_a_parents_only_indicator_removes_the_parent(toy):
    # a tree where "infra" keeps one indicator: removing it must remove "infra" too (the pipeline on the dataset
    # without both gives the expected ranks)
    small = _without(toy, ["stations_5g", "outage_hours"])
    design = prepare(small, alternatives_spec([1, 2], 0.25))
    out = audit.indicator_out(design, top_n=3)
    assert out.table.at["broadband_speed", "also_removed"] == "infra"
    want = _pipeline_ranks(_without(small, ["broadband_speed", "infra"]), design.record, design.target)
    assert_array_equal(out.ranks.loc["broadband_speed"].to_numpy(float),
                       want.reindex(design.units).to_numpy(float))


def test_indicator_out_refuses_bad_arguments(toy_design):
    with pytest.raises(ParameterError, match="^indicators"):
        audit.indicator_out(toy_design, indicators=["infra"])          # an aggregate, not an indicator
    with pytest.raises(ParameterError, match="^indicators"):
        audit.indicator_out(toy_design, indicators="broadband_speed")
    with pytest.raises(ParameterError, match="^top_n"):
        audit.indicator_out(toy_design, top_n=0)
    with pytest.raises(ParameterError, match="^tolerance"):
        audit.indicator_out(toy_design, tolerance=-1)


# ------------------------------------------------------------------ min-max's lower bound under the geometric mean
@pytest.mark.parametrize("low", [0.1, 10.0, 50.0])
def test_a_changed_lower_bound_equals_preparing_with_that_option(toy, low):
    spec = alternatives_spec([1, 2], 0.25)
    design = prepare(toy, spec)
    changed = copy.deepcopy(spec)
    changed["choices"]["normalize"]["options"][0]["low"] = low
    want = prepare(toy, changed)
    got = audit.with_minmax_low(design, low)
    assert_allclose(got._base, want._base, rtol=1e-12, atol=1e-12)
    assert_allclose(got._log, want._log, rtol=1e-12, atol=1e-12)
    assert got.labels["normalize"] == want.labels["normalize"]
    # the whole audit with the changed bound: the same scenarios give the same ranks
    assert_array_equal(got.rank_uncertainty(100, seed=2, return_ranks=True).ranks,
                       want.rank_uncertainty(100, seed=2, return_ranks=True).ranks)
    # the original design is untouched
    assert_allclose(design._base, prepare(toy, spec)._base, rtol=0, atol=0)


def test_lower_bound_effect_ranks_are_the_pipelines_geometric_ranks(toy):
    design = prepare(toy, alternatives_spec([1, 2], 0.25))
    effect = audit.lower_bound_effect(design, [0.1, 10], top_n=8, tolerance=0)
    assert effect.table.index.tolist() == [0.1, 1.0, 10.0] and effect.reference_low == 1.0 and effect.high == 100
    for low in (0.1, 1.0, 10.0):
        record = {**copy.deepcopy(design.record), "normalize": {"method": "minmax", "low": low, "high": 100},
                  "aggregate": {"method": "geometric"}}
        want = _pipeline_ranks(toy, record, design.target).reindex(design.units).to_numpy(float)
        assert_array_equal(effect.ranks.loc[low].to_numpy(float), want, err_msg=str(low))
        ref = effect.ranks.loc[1.0].to_numpy(float)
        assert_allclose(effect.table.at[low, "spearman_reference"], stats.spearmanr(want, ref).statistic, rtol=1e-12)
        assert_allclose(effect.table.at[low, "spearman_nominal"],
                        stats.spearmanr(want, design.nominal_rank).statistic, rtol=1e-12)
        assert effect.table.at[low, "moved"] == int((np.abs(want - ref) > 0).sum())
    assert effect.table.at[1.0, "spearman_reference"] == 1.0 and effect.table.at[1.0, "moved"] == 0


def test_the_arithmetic_mean_does_not_depend_on_the_bounds(toy):
    # hand argument: min-max onto [a, b] is a + (b - a) z, and a weighted mean (weights summing to 1) of it is
    # a + (b - a) (weighted mean of z): the same order for every a < b
    design = prepare(toy, alternatives_spec([1, 2], 0.25))
    arith = int(np.flatnonzero(~design._geometric)[0])
    choice = np.array([[0, 0, arith]])
    ranks = [audit.with_minmax_low(design, low).evaluate(audit.Scenarios(choice=choice,
                                                                          weights=design.nominal_weights[None]))
             for low in (0.1, 1.0, 10.0, 90.0)]
    for r in ranks[1:]:
        assert_array_equal(r, ranks[0])


def test_the_reference_bounds_rerun_is_the_audit_itself(toy_design):
    # with n scenarios the design's own bound reruns the audit with the same seed: its robust share is the report's
    effect = audit.lower_bound_effect(toy_design, top_n=5, tolerance=1, n=200, seed=1)
    report = audit.robustness_report(toy_design.rank_uncertainty(200, seed=1, return_ranks=True), top_n=5, tolerance=1)
    assert effect.table.at[1.0, "robust_share"] == report.robust_share
    assert effect.table.at[1.0, "decided_share"] == report.neighbor_order_decided_share
    assert effect.text().endswith("of the top 5 ranks robust (lower bound 0.1, 1, 10).")


def test_lower_bound_effect_refuses_bad_arguments(toy, toy_design):
    arithmetic_only = prepare(toy, {"choices": {"weights": {"perturbation": {"1": 0.25}}}})
    with pytest.raises(ParameterError, match="^design"):
        audit.lower_bound_effect(arithmetic_only)
    with pytest.raises(ParameterError, match="^lows"):
        audit.lower_bound_effect(toy_design, [0.0])                    # log 0: no geometric mean
    with pytest.raises(ParameterError, match="^low"):
        audit.with_minmax_low(toy_design, 100)                         # not below the upper bound
    with pytest.raises(ParameterError, match="^seed"):
        audit.lower_bound_effect(toy_design, n=10)                     # a rerun needs a seed


# ------------------------------------------------------------------ the new numbers of the ensemble statistics
def test_robustness_statistics_carry_the_three_checks(toy):
    spec = alternatives_spec([1, 2], 0.25)
    got = audit.robustness_statistics(toy, spec, n=200, n_sobol=32, seed=5, top_n=6, tolerance=1)
    design = prepare(toy, spec)
    mc = design.rank_uncertainty(200, seed=5, return_ranks=True)
    rho = [stats.spearmanr(row, design.nominal_rank).statistic for row in mc.ranks.to_numpy(float)]
    assert_allclose([got["spearman_median"], got["spearman_q05"]], [np.median(rho), np.quantile(rho, 0.05)],
                    rtol=1e-12)
    nominal = pd.Series(design.nominal_rank, index=design.units)
    top = nominal.sort_values(kind="stable").index[:6]
    out = {c: _pipeline_ranks(_without(toy, [c]), design.record, design.target) for c in design.leaves}
    assert_allclose(got["indicator_out_spearman_min"], min(stats.spearmanr(r.reindex(design.units), nominal).statistic
                                                           for r in out.values()), rtol=1e-12)
    assert got["indicator_out_moved_max"] == max(((r[top] - nominal[top]).abs() > 1).sum() for r in out.values())
    geo = {low: _pipeline_ranks(toy, {**copy.deepcopy(design.record), "aggregate": {"method": "geometric"},
                                      "normalize": {"method": "minmax", "low": low, "high": 100}}, design.target)
           for low in (0.1, 1, 10)}
    assert_allclose(got["bound_spearman_min"], min(stats.spearmanr(geo[low], geo[1]).statistic for low in (0.1, 10)),
                    rtol=1e-12)
    assert got["bound_moved_max"] == max(((geo[low][top] - geo[1][top]).abs() > 1).sum() for low in (0.1, 10))
