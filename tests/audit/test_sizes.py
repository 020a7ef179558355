"""The audit's memory estimate, checked before anything runs, and its progress bar (issue 14, section 6).

``audit`` with ``n: 10**9`` grew without bound and showed nothing. The estimate
(:mod:`cityeval.audit.sizes`) must bound what numpy actually allocates (measured with ``tracemalloc``,
which numpy reports its buffers to); a size beyond the memory available is refused with a one-line
ParameterError naming it; the bootstrap is drawn in chunks that change no result; the bar goes to
standard error only when asked for and changes no result.
"""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from cityeval import paths, progress
from cityeval.audit import audit_memory, check_audit_size, load_spec, prepare, sizes, sobol
from cityeval.composite import load_dataset
from cityeval.errors import ParameterError

TOY = paths.DATA / "examples" / "toy"
SPEC = {"choices": {
    "weights": {"perturbation": {"1": 0.25, "2": 0.25}},
    "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2}]},
    "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
}}


@pytest.fixture(scope="module", params=["min", "average"])
def design(request):
    return prepare(load_dataset(TOY), SPEC, method={"normalize": {"method": "minmax", "low": 1, "high": 100},
                                                   "rank": {"ties": request.param}})


def _peak(call):
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("n, keep", [(20_000, False), (400_000, False), (400_000, True)])
def test_uncertainty_estimate_bounds_what_numpy_allocates(design, n, keep):
    peak = _peak(lambda: design.rank_uncertainty(n, seed=1, return_ranks=keep))
    est = audit_memory(design, n, return_ranks=keep).uncertainty
    assert peak <= est <= peak + 200 * 2**20        # an upper bound, and not a wild one


@pytest.mark.parametrize("n, n_boot", [(256, 1000), (8192, 300)])
def test_sensitivity_estimate_bounds_what_numpy_allocates(design, n, n_boot):
    peak = _peak(lambda: design.sensitivity(n, seed=1, n_boot=n_boot))
    est = audit_memory(design, 0, sobol=n, n_boot=n_boot).sensitivity
    assert peak <= est <= peak + 300 * 2**20


def test_estimate_grows_with_what_is_kept(design):
    # per scenario: the shift (8 bytes), the options drawn, and with the ranks a row of 8 ranks (4 or 8 bytes each)
    a, b = audit_memory(design, 10**6).uncertainty, audit_memory(design, 2 * 10**6).uncertainty
    kept = audit_memory(design, 10**6, return_ranks=True).uncertainty - a
    assert 8 <= (b - a) / 10**6 <= 64
    assert kept == 10**6 * 8 * (8 if design.ties == "average" else 4)


def test_a_size_beyond_the_memory_is_refused_before_anything_runs(design, monkeypatch):
    monkeypatch.setattr(progress, "available_memory", lambda: 2**20)      # a machine with 1 MiB free
    with pytest.raises(ParameterError, match=r"^n should be a number of scenarios whose memory estimate fits in "
                                             r"the memory available \(1\.0 MiB\), but its value is 1000 "
                                             r"\(an estimated [\d.]+ MiB\)\.$"):
        design.rank_uncertainty(1000, seed=1)
    with pytest.raises(ParameterError, match=r"^n should be a number of Sobol' rows .*\(1\.0 MiB\), but its value "
                                             r"is 64 "):
        design.sensitivity(64, seed=1)
    with pytest.raises(ParameterError, match=r"^--sobol should be"):
        check_audit_size(design, 10, sobol=64, names=("--n", "--sobol"))


def test_no_check_when_the_memory_is_unknown(design, monkeypatch):
    monkeypatch.setattr(progress, "available_memory", lambda: None)
    assert check_audit_size(design, 10**12).uncertainty > 2**40        # estimated, not refused


def test_the_spec_n_is_the_default(design):
    spec_n = audit_memory(design, design.spec.get("n", 1000)).uncertainty
    assert check_audit_size(design, None).uncertainty == spec_n


def test_bootstrap_in_chunks_gives_the_same_numbers(design, monkeypatch):
    whole = design.sensitivity(128, seed=3, n_boot=500).indices
    monkeypatch.setattr(sizes, "BOOT_BYTES", 1)
    import cityeval.audit._sensitivity as engine                     # the Sobol' run (issue 16: out of design.py)
    monkeypatch.setattr(engine, "BOOT_BYTES", 1)                     # one resample per chunk
    chunked = design.sensitivity(128, seed=3, n_boot=500).indices
    assert whole.to_csv(float_format="%.17g") == chunked.to_csv(float_format="%.17g")


def test_bootstrap_estimates_match_one_draw():
    # the reference: all resamples drawn at once, as the engine did before it chunked them
    y = np.random.default_rng(0).random((5, 64))
    idx = np.random.default_rng([7, 1]).integers(0, 64, size=(300, 64))
    ref = sobol.sobol_estimates(y[0][idx], y[1][idx], y[2:][:, idx])
    got = sobol.bootstrap_estimates(y, 300, np.random.default_rng([7, 1]), max_bytes=5000)
    assert np.array_equal(ref.first, got.first) and np.array_equal(ref.total, got.total)


def test_progress_bar_on_stderr_only_when_asked_and_results_unchanged(design, monkeypatch, capfd):
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.delenv("CITYEVAL_PROGRESS", raising=False)
    quiet = design.rank_uncertainty(300_000, seed=2, chunk_size=10_000)
    quiet_s = design.sensitivity(256, seed=2, n_boot=100)
    out, err = capfd.readouterr()
    assert out == "" and err == ""                                   # not a terminal: nothing at all
    monkeypatch.setenv("CITYEVAL_PROGRESS", "1")
    shown = design.rank_uncertainty(300_000, seed=2, chunk_size=10_000)
    shown_s = design.sensitivity(256, seed=2, n_boot=100)
    out, err = capfd.readouterr()
    assert out == "" and "audit: scenarios" in err and "audit: Sobol' runs and bootstrap" in err
    assert shown.table.to_csv() == quiet.table.to_csv()
    assert shown.mean_rank_shift.tobytes() == quiet.mean_rank_shift.tobytes()
    assert shown_s.indices.to_csv(float_format="%.17g") == quiet_s.indices.to_csv(float_format="%.17g")


# ---- round 2 (issue 14b): what the process really allocates, and each size as the user named it

_RSS = """
import resource, sys
from cityeval.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
assert code == 0, code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss(tmp_path, *args):
    """Peak resident memory (bytes) of a child process running ``cityeval audit`` on the synthetic panel."""
    import os
    import subprocess
    import sys
    import json

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "zscore"}]}}}))
    env = {**os.environ, "CITYEVAL_PROGRESS": "0"}
    proc = subprocess.run([sys.executable, "-c", _RSS, "audit", str(paths.DATA / "synthetic" / "ccid2022"),
                           "--spec", str(spec), "--seed", "1", "--out", str(tmp_path / "o.csv"), *args],
                          capture_output=True, text=True, env=env, check=True)
    return int(proc.stdout.split()[-1]) * 1024, spec              # ru_maxrss is in KiB on Linux


def test_writing_the_rank_matrix_costs_what_the_estimate_says(tmp_path):
    # the issue: audit --ranks built the whole CSV as one string and encoded a second copy, so its peak was
    # about 3 times the estimate (1.6 GB against 436 MiB for 300000 scenarios of the panel). Streamed in chunks,
    # the growth the --ranks option causes is the rank matrix (n x 293 int32) and one chunk: the estimate's
    # difference, within 16 MiB (allocator slack). Measured: 43.9 MB for 40000 scenarios (124 MB before).
    n = 40_000
    without, spec = _peak_rss(tmp_path, "--n", str(n))
    with_ranks, _ = _peak_rss(tmp_path, "--n", str(n), "--ranks", str(tmp_path / "r.csv"))
    design = prepare(load_dataset(paths.DATA / "synthetic" / "ccid2022"), load_spec(spec))
    extra = audit_memory(design, n, return_ranks=True).uncertainty - audit_memory(design, n).uncertainty
    assert extra >= n * 293 * 4
    assert with_ranks - without <= extra + 16 * 2**20, (with_ranks - without, extra)
    assert sum(1 for _ in open(tmp_path / "r.csv", encoding="utf-8")) == n + 1


def test_the_sobol_check_counts_the_monte_carlo_result_still_held(design):
    # the command line runs the Sobol' analysis while the Monte Carlo's rank matrix is held: a size whose two
    # parts fit one at a time but not together is refused, naming --sobol
    est = audit_memory(design, 10**6, return_ranks=True, sobol=2**15)
    assert est.kept >= 10**6 * 8 * 4 and est.peak == max(est.uncertainty, est.kept + est.sensitivity)
    room = max(est.uncertainty, est.sensitivity) + 1
    assert room < est.kept + est.sensitivity
    with pytest.raises(ParameterError, match=r"^--sobol should be a number of Sobol' rows"):
        check_audit_size(design, 10**6, return_ranks=True, sobol=2**15, names=("--n", "--sobol"), available=room)
    check_audit_size(design, 0, sobol=2**15, available=room)           # alone (the API's sensitivity) it fits
