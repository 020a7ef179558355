"""A pool of noisy weight sets drawn once, each scenario picking one (issue 16: COINr's sampling design).

COINr's documented uncertainty recipe draws ``get_noisy_weights(Nrep = 100)`` once and each scenario of
``get_sensitivity()`` picks one of those 100 sets; cityeval's default draws fresh weights per scenario.
``spec.choices.weights.pool = K`` gives COINr's design. Expected values: by construction (a pool of K sets
gives at most K distinct weight rows, each one of the pool's; the pool follows the seed alone) and the
pipeline (every pool scenario is a pipeline run with its weights given).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from cityeval import paths
from cityeval.audit import check_spec, load_spec, prepare
from cityeval.composite.dataset import load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import DataError, ParameterError
from markers import requires_coinr
from results import coinr_asem_audit as ASEM

TOY = paths.DATA / "examples" / "toy"
ASEM_SPEC = paths.DATA / "examples" / "coinr_asem_uncertainty.json"
CHOICES = {"normalize": {"options": [{"method": "minmax", "low": 1, "high": 100},
                                     {"method": "zscore", "mean": 10, "sd": 2}]},
           "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}}


def _spec(pool=None):
    weights = {"perturbation": {"1": 0.25, "2": 0.25}}
    if pool is not None:
        weights["pool"] = pool
    return {"choices": {"weights": weights, **CHOICES}}


@pytest.fixture(scope="module")
def toy():
    return load_dataset(TOY)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "100", [100]])
def test_pool_must_be_a_whole_number_of_sets(bad):
    with pytest.raises(ParameterError, match=r"^spec\.choices\.weights\.pool should be a whole number >= 1 \(the size "
                                             r"of the pool of weight sets, e.g\. 100\), but its value is "):
        check_spec(_spec(bad))


def test_a_bad_pool_in_a_file_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(_spec(0)), encoding="utf-8")
    with pytest.raises(DataError, match=r"spec\.json.*not a valid uncertainty spec.*spec\.choices\.weights\.pool") as err:
        load_spec(path)
    assert "\n" not in str(err.value)


def test_default_is_fresh_weights_per_scenario(toy):
    design = prepare(toy, _spec())
    assert design.pool_size is None and design.weight_pool(1) is None
    sc = design.sample(500, seed=1)
    assert sc.weight_set is None and len(np.unique(sc.weights, axis=0)) == 500     # every scenario its own
    assert "weights" not in design.rank_uncertainty(50, seed=1).scenarios.columns
    with pytest.raises(ParameterError, match=r"^pool should be None"):
        design.decode(np.zeros((2, design.dimension)), pool=np.ones((3, len(design.weight_codes))))


@pytest.mark.parametrize("k", [1, 7, 100])
def test_a_pool_of_k_gives_at_most_k_weight_sets_each_one_drawn(toy, k):
    design = prepare(toy, _spec(k))
    assert design.dimension == 3                         # normalize, aggregate, and the pick of a set
    pool = design.weight_pool(5)
    assert pool.shape == (k, len(design.weight_codes)) and len(np.unique(pool, axis=0)) == k
    sc = design.sample(2000, seed=5)
    distinct = np.unique(sc.weights, axis=0)
    assert len(distinct) <= k
    # every weight row is one of the pool's (drawn once), and the one its index names
    assert_array_equal(sc.weights, pool[sc.weight_set])
    assert all((pool == row).all(axis=1).any() for row in distinct)
    if k <= 7:                                           # 2000 picks of 7 sets: each set is picked
        assert sorted(np.unique(sc.weight_set)) == list(range(k))
    # the pool's sets perturb the nominal weights by at most ±25%, as fresh weights do
    ratio = pool / design.nominal_weights
    assert (ratio >= 0.75 - 1e-12).all() and (ratio <= 1.25 + 1e-12).all()


def test_the_pool_follows_the_seed(toy):
    design = prepare(toy, _spec(10))
    assert_array_equal(design.weight_pool(3), prepare(toy, _spec(10)).weight_pool(3))
    assert not np.array_equal(design.weight_pool(3), design.weight_pool(4))
    a, b = design.rank_uncertainty(300, seed=3), design.rank_uncertainty(300, seed=3)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.scenarios, b.scenarios)
    # the same pool for any n (drawn from its own stream of the seed): the first 100 picks of 300 are those of 100
    first = design.sample(100, seed=3)
    assert_array_equal(design.sample(300, seed=3).weight_set[:100], first.weight_set)
    # the scenarios table records the set each scenario picked
    assert_array_equal(a.scenarios["weights"].to_numpy(), design.sample(300, seed=3).weight_set)


def test_pool_scenarios_are_pipeline_runs(toy):
    design = prepare(toy, _spec(4))
    sc = design.sample(12, seed=2)
    ranks = design.evaluate(sc)
    for i in range(len(sc)):
        ds, rec = design.pipeline_inputs(sc, i)
        expected = run(ds, rec).ranks[design.target].to_numpy(dtype=int)
        assert_array_equal(ranks[i], expected)


def test_pool_results_do_not_depend_on_chunks_or_workers(toy):
    design = prepare(toy, _spec(6))
    ref = design.rank_uncertainty(500, seed=9, return_ranks=True, chunk_size=500, workers=1)
    for chunk, workers in ((7, 1), (7, 3), (64, 2)):
        res = design.rank_uncertainty(500, seed=9, return_ranks=True, chunk_size=chunk, workers=workers)
        pd.testing.assert_frame_equal(res.table, ref.table)
        pd.testing.assert_frame_equal(res.ranks, ref.ranks)
        pd.testing.assert_frame_equal(res.scenarios, ref.scenarios)
        assert_array_equal(res.mean_rank_shift, ref.mean_rank_shift)


def test_sensitivity_with_a_pool_treats_the_pick_as_one_input(toy):
    design = prepare(toy, _spec(20))
    sens = design.sensitivity(64, seed=1, n_boot=0)
    assert list(sens.indices.index) == ["weights", "normalize", "aggregate"] and sens.evaluations == 64 * 5
    assert np.isfinite(sens.indices[["first", "total"]].to_numpy()).all()
    with pytest.raises(ParameterError, match=r"^pool should be the run's pool of 20 weight sets"):
        design.decode(np.zeros((2, design.dimension)))


@requires_coinr
def test_coinr_asem_spec_uses_a_pool_of_100(asem_folder):
    # COINr's documented recipe: get_noisy_weights(Nrep = 100), N = 100 scenarios (data/examples/...json)
    spec = load_spec(ASEM_SPEC)
    assert spec["choices"]["weights"] == {"perturbation": {"2": 0.25, "3": 0.25}, "pool": 100}
    assert "what each design estimates" in spec["description"].lower()
    design = prepare(load_dataset(asem_folder), spec)
    assert design.pool_size == 100 and design.dimension == 4
    res = design.rank_uncertainty(return_ranks=True)                 # N = 100, seed 1
    assert res.n == 100 and res.table.at[ASEM.TOP_UNIT, "nominal"] == 1
    picked = res.scenarios["weights"].to_numpy()
    assert picked.min() >= 0 and picked.max() <= 99 and len(np.unique(picked)) <= 100
