"""Benchmark: the audit and ``score`` at county scale (issue 16, goal 3), each figure printed next to its goal.

The size of a county-level index of China: 2,850 units x 100 indicators in 10 pillars of 10 under one
index. The dataset is generated (seeded) into a temporary folder, then

(a) ``score``: in this process, reading the folder (:func:`~cityeval.composite.dataset.load_dataset`), the
    pipeline (:func:`cityeval.composite.pipeline.run`) and writing the CSV; then the whole command ``python -m
    cityeval score FOLDER --out FILE`` (with the interpreter's start and the imports). Goal: <= 1 s.
(b) the Monte Carlo audit (:meth:`cityeval.audit.AuditDesign.rank_uncertainty`) of 100,000 scenarios in this
    process, on every core the process may use (its default ``workers``): wall time, time per scenario, and
    the process's peak resident memory (``resource.getrusage``). Goal: <= 30 s and <= 2 GiB on 2 cores.
(c) memory bounded by chunking whatever N is: the peak traced memory (``tracemalloc``: every numpy and
    Python allocation) at two sizes N and 4 N; the difference per scenario is the per-scenario record (its
    rank shift and options drawn, about 30 bytes), not a row of ranks.
(d) ``python -m cityeval audit FOLDER --spec SPEC --out FILE --n N``: the whole command, its wall time
    and peak resident memory (``RUSAGE_CHILDREN``). It is the same work as (b) plus start-up and output.

The ratio per scenario against COINr is printed against COINr's figure from another run and another size
(issue 16: 115.8 ms per scenario for COINr 1.1.14's ``get_sensitivity`` on its ASEM example, 51 units x 49
indicators, N = 10,000, measured on this machine), not a same-run ratio.

Uncertain choices (as ``benchmarks/bench_uncertainty.py``): normalization (min-max onto [1, 100] or z-score
with mean 10 and sd 2), weights ±25% at the indicator and pillar levels, arithmetic or geometric mean at
every level. Data: beta-distributed indicators (shapes 2-5, scales 1-1,000), a third low-is-better, no missing
values, so every z-score lies within 5 sd of the mean and the geometric mean is defined; they mean nothing
and are used only for timing.

Usage::

    python benchmarks/bench_county.py [--units 2850] [--pillars 10] [--per-pillar 10] [--scenarios 100000]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.audit import prepare
from cityeval.audit._montecarlo import default_workers
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.composite.pipeline import run
from cityeval.outputs import write_csv_atomic

SEED = 20221101
#: COINr 1.1.14 get_sensitivity on its ASEM example (51 units x 49 indicators, N = 10,000): issue 16.
COINR_MS_PER_SCENARIO = 115.8
SPEC = {
    "description": "benchmark: normalization x weights (±25% at levels 1 and 2) x aggregation",
    "choices": {
        "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100},
                                  {"method": "zscore", "mean": 10, "sd": 2}]},
        "weights": {"perturbation": {"1": 0.25, "2": 0.25}},
        "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
    },
}
GOAL_AUDIT_S, GOAL_AUDIT_BYTES, GOAL_SCORE_S = 30.0, 2 * 2**30, 1.0


def county_dataset(n_units: int = 2850, n_pillars: int = 10, per_pillar: int = 10, seed: int = SEED) -> Dataset:
    """Seeded beta-distributed indicators in ``n_pillars`` pillars of ``per_pillar`` under one index."""
    rng = np.random.default_rng(seed)
    k = n_pillars * per_pillar
    codes = [f"i{j:03d}" for j in range(k)]
    pillars = [f"p{p:02d}" for p in range(n_pillars)]
    x = rng.beta(rng.uniform(2, 5, k), rng.uniform(2, 5, k), size=(n_units, k)) * 10.0 ** rng.uniform(0, 3, k)
    values = pd.DataFrame(x, index=pd.Index([f"u{u:04d}" for u in range(n_units)], name="unit"), columns=codes)
    rows = [{"code": c, "level": 1, "parent": pillars[j // per_pillar], "direction": -1 if j % 3 == 0 else 1,
             "weight": 1.0, "measure": "outcome", "unit": "", "name_zh": "", "name_en": c} for j, c in enumerate(codes)]
    rows += [{"code": p, "level": 2, "parent": "index", "direction": 1, "weight": 1.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": p} for p in pillars]
    rows.append({"code": "index", "level": 3, "parent": None, "direction": 1, "weight": 1.0, "measure": "",
                 "unit": "", "name_zh": "", "name_en": "index"})
    return Dataset(values, pd.DataFrame(rows).set_index("code"), method={"synthetic": True})


def _command(args: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak resident bytes of ``python -m cityeval ARGS`` (a fresh process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cityeval", *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"python -m cityeval {' '.join(args)} failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, 1024 * max(peak, before)   # ru_maxrss is in KiB on Linux; the largest child so far


def _traced_peak(call) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "NOT met"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=2850)
    ap.add_argument("--pillars", type=int, default=10)
    ap.add_argument("--per-pillar", type=int, default=10)
    ap.add_argument("--scenarios", type=int, default=100_000)
    args = ap.parse_args(argv)
    env = {**os.environ, "CITYEVAL_PROGRESS": "0"}
    cores = default_workers()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}; "
          f"{cores} core(s) for this process (os.cpu_count() {os.cpu_count()}); load average {load} "
          "(a shared machine: the figures depend on what else runs)")
    k = args.pillars * args.per_pillar
    with tempfile.TemporaryDirectory(prefix="cityeval-county-") as tmp:
        folder = county_dataset(args.units, args.pillars, args.per_pillar).save(Path(tmp) / "county")
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(json.dumps(SPEC), encoding="utf-8")
        print(f"data: {args.units:,} units x {k} indicators in {args.pillars} pillars (seed {SEED}), in {folder}")

        # (a) score: in this process (reading the folder, the pipeline, writing the CSV), then the whole command
        t0 = time.perf_counter()
        ds = load_dataset(folder)
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = run(ds)
        t_run = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_csv_atomic(result.table(), Path(tmp) / "scores-here.csv", option="--out", na_rep="")
        t_write = time.perf_counter() - t0
        t_here = t_load + t_run + t_write
        t_score, rss_score = _command(["score", str(folder), "--out", str(Path(tmp) / "scores.csv")], env)
        print(f"(a) score: read {t_load:.2f} s + pipeline {t_run:.2f} s + write {t_write:.2f} s = {t_here:.2f} s "
              f"(goal <= {GOAL_SCORE_S:g} s: {_verdict(t_here, GOAL_SCORE_S)}); the whole command {t_score:.2f} s "
              f"({_verdict(t_score, GOAL_SCORE_S)}; with the interpreter's start and the imports), peak resident "
              f"memory {rss_score / 2**20:.0f} MiB")

        # (b) the audit in this process
        t0 = time.perf_counter()
        design = prepare(ds, SPEC)
        t_prep = time.perf_counter() - t0
        design.rank_uncertainty(min(2000, args.scenarios), seed=1)      # warm-up
        t0 = time.perf_counter()
        res = design.rank_uncertainty(args.scenarios, seed=SEED)
        t_mc = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        per = t_mc / args.scenarios
        total = t_prep + t_mc
        print(f"(b) audit, {args.scenarios:,} scenarios on {cores} worker thread(s), chunks of "
              f"{design._chunk(None, cores):,}: prepare {t_prep:.2f} s + Monte Carlo {t_mc:.2f} s = {total:.2f} s "
              f"(goal <= {GOAL_AUDIT_S:g} s: {_verdict(total, GOAL_AUDIT_S)})")
        print(f"    peak resident memory of this process {rss / 2**30:.2f} GiB (goal <= 2 GiB: "
              f"{_verdict(rss, GOAL_AUDIT_BYTES)}; includes the interpreter, pandas, scipy and the dataset)")
        print(f"    per scenario {1e6 * per:.0f} µs; COINr's get_sensitivity took {COINR_MS_PER_SCENARIO} ms per "
              f"scenario on its ASEM example (51 units x 49 indicators, N = 10,000; measured in another run, on "
              f"another size): {COINR_MS_PER_SCENARIO / 1e3 / per:,.0f}x that time per scenario, here on "
              f"{args.units / 51:.0f}x the units and {k / 49:.1f}x the indicators")
        print(f"    widest 5-95% interval: {(res.table['q95'] - res.table['q05']).max():g} places; mean shift "
              f"{res.mean_rank_shift.mean():.1f} places")

        # (c) memory bounded by chunking
        small = max(1000, args.scenarios // 10)
        p1 = _traced_peak(lambda: design.rank_uncertainty(small, seed=SEED))
        p4 = _traced_peak(lambda: design.rank_uncertainty(4 * small, seed=SEED))
        print(f"(c) peak traced memory: {p1 / 2**20:.0f} MiB at N = {small:,}, {p4 / 2**20:.0f} MiB at N = "
              f"{4 * small:,}: {(p4 - p1) / (3 * small):.0f} bytes per extra scenario (a row of ranks would be "
              f"{4 * args.units:,}): bounded by the chunk whatever N is")

        # (d) the command
        t_cli, rss_cli = _command(["audit", str(folder), "--spec", str(spec_path), "--out", str(Path(tmp) / "a.csv"),
                                   "--n", str(args.scenarios), "--seed", str(SEED)], env)
        print(f"(d) audit command, {args.scenarios:,} scenarios: {t_cli:.1f} s (goal <= {GOAL_AUDIT_S:g} s: "
              f"{_verdict(t_cli, GOAL_AUDIT_S)}), peak resident memory {rss_cli / 2**30:.2f} GiB "
              f"({_verdict(rss_cli, GOAL_AUDIT_BYTES)})")


if __name__ == "__main__":
    main()
