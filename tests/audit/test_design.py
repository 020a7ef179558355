"""Tests of cityeval.audit.design: the vectorized Monte Carlo and Sobol' engine against the pipeline.

Reference values:
- cityeval.composite.pipeline.run: every scenario of the vectorized engine equals the pipeline run with the
  equivalent method record (the key correctness test).
- numpy (mean, median, quantile "linear") on the raw rank matrix: the histogram summaries.
- COINr's ASEM example (tests/results/coinr_asem_audit.py, from ../shared/oracles/coinr-asem/README.md):
  CHE ranks first in COINr's documented nominal pipeline (Index 68.38, the highest); 51 units.
"""
from __future__ import annotations

import doctest
import importlib

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import cityeval.audit
from cityeval import audit, paths
from cityeval.audit import Scenarios, SensitivityResult, UncertaintyResult, load_spec, prepare
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import DataError, ParameterError
from markers import requires_coinr
from results import coinr_asem_audit as ASEM

TOY = paths.DATA / "examples" / "toy"
ASEM_SPEC = paths.DATA / "examples" / "coinr_asem_uncertainty.json"
BAD_SEEDS = [-1, 1.5, True, 2**32, "1", np.float64(1.0), [1]]
SEED_RULE = r"^seed should be a whole number between 0 and 2\*\*32 - 1"

# Scores: the vectorized engine sums the tree in one product (effective weights), the pipeline level
# by level; the two orders of summation differ by a few ulps of a 0-100 score.
SCORES = dict(rtol=1e-12, atol=1e-10)


def assert_engine_equals_pipeline(design, sc, code):
    """Every scenario of ``sc`` scored by the vectorized engine equals cityeval.composite.pipeline.run on the
    equivalent dataset and method record: scores to SCORES, ranks exactly."""
    ranks, scores = design.evaluate(sc), design.evaluate(sc, scores=True)
    for i in range(len(sc)):
        ds, record = design.pipeline_inputs(sc, i)
        res = run(ds, record)
        assert_allclose(scores[i], res.scores[code].to_numpy(), **SCORES)
        assert_array_equal(ranks[i], res.ranks[code].to_numpy(dtype=int))


def _skewed_dataset(seed=7):
    """40 units, 6 heavy-tailed indicators (two low-is-better) in two pillars of unequal given weights.

    With seed 7 the JRC rule treats x0 (one outlier) and x1: winmax 1 winsorizes x0 and logs x1, winmax 3
    winsorizes both, so the four treat options of SKEWED_SPEC give four different data sets."""
    rng = np.random.default_rng(seed)
    codes = [f"x{j}" for j in range(6)]
    x = rng.lognormal(0.0, [0.3, 1.2, 1.5, 0.4, 1.3, 0.8], size=(40, 6))
    x[0, 0] = 20 * x[:, 0].max()          # one gross outlier: a single winsorization step fixes x0
    values = pd.DataFrame(x, index=pd.Index([f"u{i:02d}" for i in range(40)], name="unit"), columns=codes)
    rows = [{"code": c, "level": 1, "parent": "p1" if j < 3 else "p2", "direction": -1 if j in (2, 4) else 1,
             "weight": [1.0, 2.0, 1.5, 1.0, 0.5, 3.0][j], "measure": "outcome", "unit": "", "name_zh": "",
             "name_en": c} for j, c in enumerate(codes)]
    rows += [{"code": "p1", "level": 2, "parent": "idx", "direction": 1, "weight": 2.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": "p1"},
             {"code": "p2", "level": 2, "parent": "idx", "direction": 1, "weight": 1.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": "p2"},
             {"code": "idx", "level": 3, "parent": None, "direction": 1, "weight": 1.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": "idx"}]
    method = {"treat": {"method": "jrc", "winmax": 5}, "normalize": {"method": "minmax", "low": 1, "high": 100},
              "weight": {"method": "given"}}
    return Dataset(values, pd.DataFrame(rows).set_index("code"), method=method)


SKEWED_SPEC = {"choices": {
    "treat": {"options": [{"winmax": 1}, {"winmax": 3}, {"method": "none"}, {"method": "log"}]},
    "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2},
                              {"method": "rank"}]},
    "weights": {"perturbation": {"1": 0.5, "2": 0.3}},
    "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
}}


# ------------------------------------------------------------------------------- Monte Carlo


def test_zero_perturbation_single_choice_reproduces_nominal(panel):
    # (a perturbation of 0, which would vary nothing, is refused since issue 14: one option per choice instead)
    spec = {"choices": {"normalize": {"options": [{"method": "minmax", "low": 0, "high": 100}]},
                        "aggregate": {"options": [{"method": "arithmetic"}]}}}
    res = prepare(panel, spec).rank_uncertainty(300, seed=5, return_ranks=True)
    nominal = run(panel).ranks["INDEX"]
    assert_array_equal(res.table["nominal"].to_numpy(dtype=float), nominal.to_numpy(dtype=float))
    # every scenario is the nominal ranking, exactly
    assert (res.ranks.to_numpy() == nominal.to_numpy(dtype=int)[None, :]).all()
    for col in ("mean", "median", "q05", "q95"):
        assert_array_equal(res.table[col].to_numpy(), nominal.to_numpy(dtype=float))
    assert_array_equal(res.mean_rank_shift, 0.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scenarios_equal_pipeline_runs_panel(panel, panel_design, seed):
    # every treat x normalize x aggregate combination once, with random weights around nominal
    sc = panel_design.sample(4, seed=seed)
    sc.choice[:] = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1]]      # z-score and geometric included
    assert_engine_equals_pipeline(panel_design, sc, "INDEX")


@pytest.mark.parametrize("seed", [11, 12])
def test_scenarios_equal_pipeline_runs_with_treatment(seed):
    ds = _skewed_dataset()
    design = prepare(ds, SKEWED_SPEC)
    # merged over the nominal entry by the pipeline's rule
    assert design.options["treat"] == [{"method": "jrc", "winmax": 1}, {"method": "jrc", "winmax": 3},
                                       {"method": "none"}, {"method": "log"}]
    sc = design.sample(24, seed=seed)
    sc.choice[:] = np.array([[t, j, a] for t in range(4) for j in range(3) for a in range(2)])
    assert_engine_equals_pipeline(design, sc, "idx")
    # the treatment options really differ (otherwise the test above would prove little)
    assert len({design._base[t, 0].tobytes() for t in range(4)}) == 4


def test_monte_carlo_summary_equals_numpy_on_raw_ranks(panel_design):
    res = panel_design.rank_uncertainty(501, seed=9, return_ranks=True)
    r = res.ranks.to_numpy()
    assert r.shape == (501, 293)
    assert_allclose(res.table["mean"], r.mean(axis=0), rtol=1e-14)
    assert_allclose(res.table["median"], np.median(r, axis=0), rtol=1e-14)
    assert_allclose(res.table["q05"], np.quantile(r, 0.05, axis=0), rtol=1e-14)
    assert_allclose(res.table["q95"], np.quantile(r, 0.95, axis=0), rtol=1e-14)
    nominal = res.table["nominal"].to_numpy(dtype=float)
    assert_allclose(res.mean_rank_shift, np.abs(r - nominal).mean(axis=1), rtol=1e-14)
    # the same summary from the raw matrix (e.g. for a subset of the scenarios)
    pd.testing.assert_frame_equal(audit.summarize_ranks(res.ranks, res.table["nominal"]).astype(float),
                                  res.table.astype(float), check_exact=False, rtol=1e-14)
    # the scenarios are those sample() draws, and the labels follow them
    assert_array_equal(r, panel_design.evaluate(panel_design.sample(501, seed=9)))
    assert set(res.scenarios.columns) == {"normalize", "aggregate"}
    assert set(res.scenarios["aggregate"]) == {"arithmetic", "geometric"}


def test_deterministic_for_a_seed_and_independent_of_chunking(panel_design):
    a = panel_design.rank_uncertainty(400, seed=20221101, return_ranks=True)
    b = panel_design.rank_uncertainty(400, seed=20221101, return_ranks=True, chunk_size=37)
    c = panel_design.rank_uncertainty(400, seed=20221102)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    assert not a.table.equals(c.table)
    s1 = panel_design.sensitivity(64, seed=4, n_boot=50)
    s2 = panel_design.sensitivity(64, seed=4, n_boot=50, chunk_size=10)
    pd.testing.assert_frame_equal(s1.indices, s2.indices)


def test_seed_from_spec_or_recorded(panel, choice_spec):
    spec = {**choice_spec, "seed": 3, "n": 50}
    design = prepare(panel, spec)
    res = design.rank_uncertainty()
    assert res.seed == 3 and res.n == 50
    fresh = prepare(panel, choice_spec).rank_uncertainty(20)
    again = prepare(panel, choice_spec).rank_uncertainty(20, seed=fresh.seed)
    pd.testing.assert_frame_equal(fresh.table, again.table)


def test_sensitivity_indices(panel_design, panel):
    sens = panel_design.sensitivity(128, seed=1, n_boot=200)
    idx = sens.indices
    assert list(idx.index) == ["normalize", "weights", "aggregate"] and sens.evaluations == 128 * 5
    assert (idx["total"] >= 0).all() and (idx["total"] <= 1.2).all()
    assert (idx["first_lo"] <= idx["first_hi"]).all() and (idx["total_lo"] <= idx["total_hi"]).all()
    # winsorization options under the nominal "none" treatment would do nothing: refused since issue 14 (they
    # used to give indices of exactly 0)
    spec = {"choices": {"treat": {"options": [{"winmax": 1}, {"winmax": 5}]},
                        "weights": {"perturbation": {"3": 0.25}}}}
    with pytest.raises(ParameterError, match="absent with method 'none'"):
        prepare(panel, spec)
    # issue 16: a size that is not a power of 2 (COINr users run N = 100) runs, with the estimator's caveat as a
    # warning and in the result (it used to be refused); below 2 rows there is no design
    with pytest.warns(audit.UnbalancedSobolWarning, match=r"n = 100 rows, not a power of 2.*64 or 128"):
        odd = panel_design.sensitivity(100, seed=1, n_boot=0)
    assert odd.n == 100 and odd.evaluations == 100 * 5 and "Jansen (1999) total" in odd.note
    assert sens.note is None and np.isfinite(odd.indices[["first", "total"]].to_numpy()).all()
    with pytest.raises(ParameterError, match=r"^n should be a whole number >= 2, but its value is 1\.$"):
        panel_design.sensitivity(1, seed=1)


def test_spec_errors_against_the_dataset(panel, choice_spec, tmp_path):
    with pytest.raises(ParameterError, match=r"perturbation key '4' should be a level of the codes below 'INDEX'"):
        prepare(panel, {"choices": {"weights": {"perturbation": {"4": 0.1}}}})
    with pytest.raises(ParameterError, match="spec.target should be an aggregate code"):
        prepare(panel, {"target": "inf_5g_bs", "choices": {"weights": {"perturbation": {"2": 0.1}}}})
    # a sub-index as target: only its subtree is weighted
    design = prepare(panel, {"target": "INF", "choices": {"weights": {"perturbation": {"2": 0.2}}}})
    assert design.weight_codes[:3] == ["INF_NET", "INF_PLAT", "INF_DATA"] and len(design.leaves) == 8
    res = design.rank_uncertainty(50, seed=1)
    assert_array_equal(res.table["nominal"].to_numpy(dtype=int), run(panel).ranks["INF"].to_numpy(dtype=int))
    # geometric mean of min-max 0-100 data: zeros, refused before any scenario, naming option, indicator, unit
    with pytest.raises(DataError, match=r"column '.+': geometric aggregation needs every normalized value > 0.*"
                                        r"normalize option 0 'nominal'.*gives 0 for unit"):
        prepare(panel, {"choices": {"aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}}})
    with pytest.raises(ParameterError, match="n should be a whole number >= 1"):
        prepare(panel, choice_spec).rank_uncertainty(0)
    bad = tmp_path / "bad.json"
    bad.write_text("{\"choices\": {", encoding="utf-8")
    with pytest.raises(DataError, match="bad.json.*not valid JSON"):
        load_spec(bad)
    bad.write_text('{"choices": {"normalize": {"options": "minmax"}}}', encoding="utf-8")
    with pytest.raises(DataError, match="not a valid uncertainty spec.*non-empty list"):
        load_spec(bad)
    with pytest.raises(DataError, match="spec file not found"):
        load_spec(tmp_path / "missing.json")


# ------------------------------------------------------------------------------- COINr's ASEM example


@requires_coinr
def test_coinr_asem_uncertainty_example(asem_folder):
    ds = load_dataset(asem_folder)
    design = prepare(ds, ASEM_SPEC)
    assert design.factors == ["treat", "normalize", "weights", "aggregate"]
    assert [o["winmax"] for o in design.options["treat"]] == list(ASEM.WINMAX)
    assert all(o["method"] == "jrc" for o in design.options["treat"])            # merged over the nominal JRC rule
    assert design.weight_codes[:2] == list(ASEM.SUBINDICES)
    assert len(design.weight_codes) == ASEM.N_SUBINDICES + ASEM.N_PILLARS + ASEM.N_INDICATORS
    # 3 discrete choices + the pick of one of the pool's 100 weight sets (COINr's design, issue 16; without the
    # pool: 3 + the 10 perturbed weights)
    assert design.pool_size == 100 and design.dimension == 3 + 1
    res = design.rank_uncertainty()                                                # the spec's N = 100, seed 1
    t = res.table
    assert res.n == 100 and len(t) == ASEM.N_UNITS
    assert t.at[ASEM.TOP_UNIT, "nominal"] == 1                                     # COINr's documented top unit
    assert_array_equal(t["nominal"].to_numpy(dtype=int), run(ds).ranks["Index"].to_numpy(dtype=int))
    assert (t["q05"] <= t["median"]).all() and (t["median"] <= t["q95"]).all()
    assert t["q05"].min() >= 1 and t["q95"].max() <= ASEM.N_UNITS
    assert (t["q95"] - t["q05"]).max() > 0                                         # the choices do move ranks
    # scenarios with every winmax, both normalizations and both aggregations equal pipeline runs
    sc = design.sample(20, seed=3)
    sc.choice[:] = np.array([[w, j, a] for w in range(5) for j in range(2) for a in range(2)])
    assert_engine_equals_pipeline(design, sc, "Index")


def test_doctests():
    modules = [cityeval.audit] + [importlib.import_module(f"cityeval.audit.{name}")
                                  for name in ("spec", "design", "ranks", "sobol", "summary", "report")]
    attempted = 0
    for module in modules:
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 10


# ------------------------------------------------------------------------------- the shared vocabulary


@pytest.fixture(scope="module")
def toy_design():
    return prepare(load_dataset(TOY), {"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}},
                                                   "normalize": {"options": [{"method": "minmax"},
                                                                             {"method": "rank"}]}}})


def _seeded_calls(design, seed):
    ds, spec = design.dataset, design.spec
    return [lambda: design.rank_uncertainty(5, seed=seed), lambda: design.sensitivity(4, seed=seed, n_boot=0),
            lambda: design.sample(3, seed=seed), lambda: audit.rank_uncertainty(ds, spec, n=5, seed=seed),
            lambda: audit.sensitivity(ds, spec, n=4, seed=seed, n_boot=0)]


@pytest.mark.parametrize("seed", BAD_SEEDS)
def test_every_seed_is_a_32_bit_whole_number(toy_design, seed):
    # one rule for every function taking a seed: the old code raised numpy's ValueError or a TypeError
    # in sample(), and accepted 2**32 and above elsewhere
    for call in _seeded_calls(toy_design, seed):
        with pytest.raises(ParameterError, match=SEED_RULE):
            call()


def test_seeds_at_the_bounds(toy_design):
    # 2**32 - 1 is the largest seed; the old code also accepted 2**32 and above
    for call in _seeded_calls(toy_design, 2**32 - 1):
        call()
    for call in _seeded_calls(toy_design, 2**32):
        with pytest.raises(ParameterError, match=SEED_RULE):
            call()
    assert toy_design.rank_uncertainty(5, seed=np.int64(7)).seed == 7


def test_fresh_seed_is_recorded_within_the_seed_range(toy_design):
    # no seed in the call or the spec: a fresh one, 0 ... 2**32 - 1 (the old code drew up to 2**63),
    # recorded so that the run can be repeated
    for _ in range(5):
        res = toy_design.rank_uncertainty(10, return_ranks=True)
        assert isinstance(res.seed, int) and 0 <= res.seed <= 2**32 - 1
        pd.testing.assert_frame_equal(toy_design.rank_uncertainty(10, seed=res.seed, return_ranks=True).ranks,
                                      res.ranks)
        sens = toy_design.sensitivity(4, n_boot=0)
        assert 0 <= sens.seed <= 2**32 - 1


def _assert_parameter_errors(design, cases):
    for call, match in cases:
        with pytest.raises(ParameterError, match=match):
            call(design)


def test_rank_uncertainty_arguments_are_checked(toy_design):
    _assert_parameter_errors(toy_design, [
        (lambda d: d.rank_uncertainty(0, seed=1), r"^n should be a whole number >= 1"),
        (lambda d: d.rank_uncertainty(2.0, seed=1), r"^n should be a whole number >= 1"),
        (lambda d: d.rank_uncertainty(True, seed=1), r"^n should be a whole number >= 1"),
        (lambda d: d.rank_uncertainty(5, seed=1, return_ranks="yes"), r"^return_ranks should be True or False"),
        (lambda d: d.rank_uncertainty(5, seed=1, return_ranks=1), r"^return_ranks should be True or False"),
        (lambda d: d.rank_uncertainty(5, seed=1, chunk_size=0), r"^chunk_size should be a whole number >= 1"),
        (lambda d: d.rank_uncertainty(5, seed=1, chunk_size=2.5), r"^chunk_size should be a whole number >= 1"),
    ])


def test_sensitivity_arguments_are_checked(toy_design):
    confidence = r"^confidence should be a finite number in \(0, 1\)"
    _assert_parameter_errors(toy_design, [
        (lambda d: d.sensitivity(4, seed=1, n_boot=-1), r"^n_boot should be a whole number >= 0"),
        (lambda d: d.sensitivity(4, seed=1, n_boot=1.5), r"^n_boot should be a whole number >= 0"),
        (lambda d: d.sensitivity(4, seed=1, confidence=1), confidence),
        (lambda d: d.sensitivity(4, seed=1, confidence=np.nan), confidence),
        (lambda d: d.sensitivity(4, seed=1, confidence="0.9"), confidence),
        (lambda d: d.sensitivity(4, seed=1, confidence=True), confidence),
        (lambda d: d.sensitivity(1, seed=1), r"^n should be a whole number >= 2"),   # 6 runs since issue 16
    ])


def test_scenario_methods_check_their_arguments(toy_design):
    # the old code accepted u outside [0, 1), scores="yes" and i=-1 (the last scenario), and raised
    # AttributeError / IndexError for a bare array and i past the end
    _assert_parameter_errors(toy_design, [
        (lambda d: d.sample(0, seed=1), r"^n should be a whole number >= 1"),
        (lambda d: d.decode(np.full((2, d.dimension), 1.0)), r"^u should be uniform numbers in \[0, 1\)"),
        (lambda d: d.decode(np.full((2, d.dimension), np.nan)), r"^u should be uniform numbers in \[0, 1\)"),
        (lambda d: d.decode(np.zeros((2, d.dimension + 1))), r"^u should be an array of shape"),
        (lambda d: d.evaluate(np.zeros((2, d.dimension))), r"^scenarios should be a Scenarios batch"),
        (lambda d: d.evaluate(d.sample(2, seed=1), scores="yes"), r"^scores should be True or False"),
        (lambda d: d.pipeline_inputs(d.sample(2, seed=1), -1), r"^i should be a whole number between 0 and 1"),
        (lambda d: d.pipeline_inputs(d.sample(2, seed=1), 2), r"^i should be a whole number between 0 and 1"),
        (lambda d: prepare(d.dataset.values, d.spec), r"^dataset should be a cityeval.composite.dataset.Dataset"),
    ])


def test_confidence_any_real_number_in_the_open_interval(toy_design):
    # numpy floats too (the old check refused np.float32); the level is recorded as a float
    sens = toy_design.sensitivity(4, seed=1, n_boot=20, confidence=np.float32(0.5))
    assert type(sens.confidence) is float and sens.confidence == 0.5


def test_results_are_frozen_named_results(toy_design):
    res = toy_design.rank_uncertainty(5, seed=1)
    sens = toy_design.sensitivity(4, seed=1, n_boot=0)
    sc = toy_design.sample(2, seed=1)
    for obj, name in ((res, "n"), (sens, "n"), (sc, "choice")):
        with pytest.raises(AttributeError):   # dataclasses.FrozenInstanceError
            setattr(obj, name, None)
    assert isinstance(res, UncertaintyResult) and isinstance(sens, SensitivityResult) and isinstance(sc, Scenarios)

