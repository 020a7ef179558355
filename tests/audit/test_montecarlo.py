"""The Monte Carlo loop in chunks on several threads (issue 16, county scale): the same result, to the bit.

:mod:`cityeval.audit._montecarlo` draws every chunk's uniform numbers in order on one thread and scores,
ranks and counts the chunks on worker threads; the rank histograms are integer counts added at the end.
So a tiny chunk, one worker or several must give identical tables, shifts, options and rank matrices
(expected values: the one-chunk, one-worker run, itself checked against the pipeline in test_design.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from cityeval.audit import audit_memory, prepare
from cityeval.audit._montecarlo import default_workers
from cityeval.errors import ParameterError

SPEC = {"choices": {
    "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2}]},
    "weights": {"perturbation": {"1": 0.25, "2": 0.25}},
    "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
}}


def _bench_county():
    """benchmarks/bench_county.py, loaded by its path (the benchmark's generator is the one these tests use)."""
    import importlib.util

    from cityeval import paths

    spec = importlib.util.spec_from_file_location("bench_county", paths.ROOT / "benchmarks" / "bench_county.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def county_like(n_units=60, n_pillars=4, per_pillar=5, seed=11):
    """Seeded beta-distributed indicators in pillars under one index: benchmarks/bench_county.py's generator, small."""
    return _bench_county().county_dataset(n_units=n_units, n_pillars=n_pillars, per_pillar=per_pillar, seed=seed)


@pytest.fixture(scope="module", params=["min", "average"])
def design(request):
    return prepare(county_like(), SPEC, method={"rank": {"ties": request.param}})


def _same(a, b):
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.scenarios, b.scenarios)
    assert_array_equal(a.mean_rank_shift, b.mean_rank_shift)
    if a.ranks is not None:
        pd.testing.assert_frame_equal(a.ranks, b.ranks)


def test_chunked_equals_unchunked_for_any_workers(design):
    n = 1000
    whole = design.rank_uncertainty(n, seed=4, return_ranks=True, chunk_size=n, workers=1)
    for chunk, workers in ((1, 1), (3, 1), (3, 2), (17, 4), (999, 2), (None, None)):
        _same(design.rank_uncertainty(n, seed=4, return_ranks=True, chunk_size=chunk, workers=workers), whole)
    # the rank matrix is the engine's, row by row (and each row a pipeline run: test_design.py)
    assert_array_equal(whole.ranks.to_numpy(), design.evaluate(design.sample(n, seed=4)))


def test_the_table_follows_from_the_rank_matrix(design):
    res = design.rank_uncertainty(400, seed=2, return_ranks=True, chunk_size=7, workers=3)
    r = res.ranks.to_numpy(dtype=float)
    np.testing.assert_allclose(res.table["mean"], r.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.table["median"], np.median(r, axis=0))
    np.testing.assert_allclose(res.table["q05"], np.quantile(r, 0.05, axis=0))
    np.testing.assert_allclose(res.table["q95"], np.quantile(r, 0.95, axis=0))
    nominal = res.table["nominal"].to_numpy(dtype=float)
    np.testing.assert_allclose(res.mean_rank_shift, np.abs(r - nominal).mean(axis=1), rtol=1e-12)


def test_workers_are_checked_and_counted_in_the_memory_estimate(design):
    assert default_workers() >= 1
    with pytest.raises(ParameterError, match=r"^workers should be a whole number >= 1, but its value is 0\.$"):
        design.rank_uncertainty(10, seed=1, workers=0)
    one = audit_memory(design, 10**5, workers=1).uncertainty
    four = audit_memory(design, 10**5, workers=4).uncertainty
    assert four >= one                        # one histogram per worker; the chunk shrinks with the workers
    # memory bounded by the chunk whatever n is: 100 times the scenarios add only their per-scenario record
    per_scenario = (audit_memory(design, 10**7, workers=2).uncertainty
                    - audit_memory(design, 10**5, workers=2).uncertainty) / (10**7 - 10**5)
    assert per_scenario <= 64


def test_the_progress_bar_counts_scenarios(design, monkeypatch, capfd):
    # the bar (cityeval.progress) goes to standard error when asked for, and changes no result
    monkeypatch.setenv("CITYEVAL_PROGRESS", "1")
    monkeypatch.setattr("cityeval.progress.DELAY", 0.0)
    with_bar = design.rank_uncertainty(300, seed=3, chunk_size=10, workers=2)
    err = capfd.readouterr().err
    assert "audit: scenarios" in err and "/300" in err and "scenario/s" in err      # counted in scenarios
    monkeypatch.setenv("CITYEVAL_PROGRESS", "0")
    _same(with_bar, design.rank_uncertainty(300, seed=3, chunk_size=10, workers=2))
