"""Benchmark: the vectorized Monte Carlo rank audit (cityeval.audit) vs a per-scenario pymcdm loop.

(a) 10,000 scenarios x 293 cities x 36 indicators (6 pillars of 6) with
    :meth:`cityeval.audit.AuditDesign.rank_uncertainty`, one thread (BLAS/OpenMP limited to 1
    before numpy is imported, and by threadpoolctl): median wall time of several repeats, and the
    peak memory of one run (tracemalloc: every numpy and Python allocation, so the chunking shows).
    Goal (issue 6): <= 3 s, memory bounded by chunking.
(b) The same scenarios as a per-scenario Python loop over pymcdm: per scenario, each pillar's weights
    from ``pymcdm.weights.equal_weights`` times the scenario's perturbation factors, renormalized;
    the pillar scores and the index by ``pymcdm.methods.WSM`` (weighted sum: the arithmetic mean)
    or ``WPM`` (weighted product: the geometric mean), both with an identity normalization (the data
    are already normalized); ranks by ``pymcdm.helpers.rrankdata``. Timed on a subset, scaled to
    10,000, and the ratio (b)/(a) is printed (goal >= 50x), with pymcdm's input validation on (its
    default) and off (``validation=False``; the validation dominates its run time). The loop's ranks are checked equal to the
    engine's for the same scenarios, so the two do the same work.

Both sides get the normalized data precomputed once per normalization option (min-max onto
[1, 100], z-score with mean 10 and sd 2): the engine does this in ``prepare`` (timed separately
and printed), the loop reuses those matrices. Uncertain choices: normalization (2 options), weights
±25% at the indicator and pillar levels, arithmetic vs geometric aggregation at every level.

Data: synthetic, seeded: mildly skewed lognormal indicators (sigma 0.1-0.3, so that every z-score lies within
5 sd of the mean and the geometric mean is defined), a third low-is-better, no missing values; they mean
nothing and are used only for timing.

Usage::

    python benchmarks/bench_uncertainty.py [--scenarios 10000] [--units 293] [--loop 300] [--repeats 5]
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402 - after the thread settings, which must precede numpy's import
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from cityeval.composite.dataset import Dataset  # noqa: E402
from cityeval.audit import prepare  # noqa: E402

SEED = 20221101
SPEC = {
    "description": "benchmark: normalization x weights (±25% at levels 1 and 2) x aggregation",
    "choices": {
        "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100},
                                  {"method": "zscore", "mean": 10, "sd": 2}]},
        "weights": {"perturbation": {"1": 0.25, "2": 0.25}},
        "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
    },
}


def synthetic_dataset(n_units: int, n_pillars: int = 6, per_pillar: int = 6, seed: int = SEED) -> Dataset:
    """Seeded lognormal indicators in ``n_pillars`` pillars of ``per_pillar`` under one index."""
    rng = np.random.default_rng(seed)
    k = n_pillars * per_pillar
    codes = [f"i{j:02d}" for j in range(k)]
    pillars = [f"p{p}" for p in range(n_pillars)]
    x = rng.lognormal(0.0, rng.uniform(0.1, 0.3, k), size=(n_units, k))
    values = pd.DataFrame(x, index=pd.Index([f"c{u:03d}" for u in range(n_units)], name="unit"), columns=codes)
    rows = [{"code": c, "level": 1, "parent": pillars[j // per_pillar], "direction": -1 if j % 3 == 0 else 1,
             "weight": 1.0, "measure": "outcome", "unit": "", "name_zh": "", "name_en": c} for j, c in enumerate(codes)]
    rows += [{"code": p, "level": 2, "parent": "index", "direction": 1, "weight": 1.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": p} for p in pillars]
    rows.append({"code": "index", "level": 3, "parent": None, "direction": 1, "weight": 1.0, "measure": "",
                 "unit": "", "name_zh": "", "name_en": "index"})
    return Dataset(values, pd.DataFrame(rows).set_index("code"), method={"synthetic": True})


def pymcdm_loop(design, u: np.ndarray, n_pillars: int, per_pillar: int, *, validation: bool = True) -> np.ndarray:
    """Ranks of the index for each row of ``u`` by a per-scenario loop of pymcdm calls."""
    from pymcdm.helpers import rrankdata
    from pymcdm.methods import WPM, WSM
    from pymcdm.weights import equal_weights

    identity = lambda x, cost: x  # noqa: E731 - the data are normalized already
    methods = {"arithmetic": WSM(normalization_function=identity), "geometric": WPM(normalization_function=identity)}
    cols = design._columns
    n_opt = len(design.options["normalize"])
    delta_p = SPEC["choices"]["weights"]["perturbation"]["2"]
    delta_i = SPEC["choices"]["weights"]["perturbation"]["1"]
    types_i = np.ones(per_pillar)
    types_p = np.ones(n_pillars)
    out = np.empty((len(u), design._base.shape[2]))
    for s, row in enumerate(u):
        j = min(int(row[cols["normalize"][0]] * n_opt), n_opt - 1)
        agg = methods[design.options["aggregate"][min(int(row[cols["aggregate"][0]] * 2), 1)]["method"]]
        uw = row[cols["weights"]]                       # pillars first, then the indicators (design order)
        x = design._base[0, j]
        pillar_scores = np.empty((x.shape[0], n_pillars))
        for p in range(n_pillars):
            block = x[:, p * per_pillar:(p + 1) * per_pillar]
            w = equal_weights(block) * (1 + delta_i * (2 * uw[n_pillars + p * per_pillar:
                                                             n_pillars + (p + 1) * per_pillar] - 1))
            pillar_scores[:, p] = agg(block, w / w.sum(), types_i, validation=validation)
        wp = equal_weights(pillar_scores) * (1 + delta_p * (2 * uw[:n_pillars] - 1))
        out[s] = rrankdata(agg(pillar_scores, wp / wp.sum(), types_p, validation=validation))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--units", type=int, default=293)
    ap.add_argument("--loop", type=int, default=300, help="scenarios of the pymcdm loop (timed, then scaled)")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    n_pillars, per_pillar = 6, 6

    with threadpool_limits(limits=1):
        blas = ", ".join(f"{i['internal_api']}={i['num_threads']}" for i in threadpool_info()) or "none found"
        print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}; threads: {blas}")
        ds = synthetic_dataset(args.units, n_pillars, per_pillar)
        t0 = time.perf_counter()
        design = prepare(ds, SPEC)
        t_prep = time.perf_counter() - t0
        print(f"data: {args.units} units x {n_pillars * per_pillar} indicators in {n_pillars} pillars (seed {SEED}); "
              f"uncertain: {', '.join(design.factors)} ({design.dimension} random numbers per scenario)")
        print(f"prepare (pipeline run per normalization option, checks): {t_prep:.3f} s")

        # (a) the vectorized engine
        design.rank_uncertainty(1000, seed=1)                                    # warm-up
        times = []
        for rep in range(args.repeats):
            t0 = time.perf_counter()
            res = design.rank_uncertainty(args.scenarios, seed=SEED)
            times.append(time.perf_counter() - t0)
        t_engine = statistics.median(times)
        chunk = design._chunk(None)
        tracemalloc.start()
        design.rank_uncertainty(args.scenarios, seed=SEED)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tracemalloc.start()
        full = design.rank_uncertainty(args.scenarios, seed=SEED, return_ranks=True)
        _, peak_ranks = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tracemalloc.start()
        design.rank_uncertainty(4 * args.scenarios, seed=SEED)
        _, peak4 = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"(a) vectorized engine, {args.scenarios:,} scenarios x {args.units} units: median {t_engine:.3f} s of "
              f"{args.repeats} (min {min(times):.3f} s); goal <= 3 s: {'met' if t_engine <= 3 else 'NOT met'}")
        print(f"    chunks of {chunk:,} scenarios; peak traced memory {peak / 2**20:.1f} MiB "
              f"({peak_ranks / 2**20:.1f} MiB when also keeping the {args.scenarios:,} x {args.units} int32 rank "
              f"matrix); {peak4 / 2**20:.1f} MiB for {4 * args.scenarios:,} scenarios; mean rank shift over scenarios {res.mean_rank_shift.mean():.2f}")

        # (b) the pymcdm loop on a subset, same scenarios (the first rows of the same random stream)
        u = np.random.default_rng(SEED).random((args.loop, design.dimension))
        pymcdm_loop(design, u[:10], n_pillars, per_pillar)                        # warm-up
        same = True
        for validation in (True, False):
            t0 = time.perf_counter()
            loop_ranks = pymcdm_loop(design, u, n_pillars, per_pillar, validation=validation)
            t_loop = time.perf_counter() - t0
            agree = np.array_equal(loop_ranks, full.ranks.to_numpy()[:args.loop])
            same &= agree
            per = t_loop / args.loop
            scaled = per * args.scenarios
            print(f"(b) pymcdm loop, validation={validation} (equal_weights + WSM/WPM per pillar and for the index + "
                  f"rrankdata), {args.loop} scenarios: {t_loop:.3f} s = {1e3 * per:.2f} ms per scenario -> "
                  f"{scaled:.1f} s for {args.scenarios:,}; ranks equal to the engine's: {agree}")
            print(f"    ratio (b)/(a): {scaled / t_engine:.0f}x (goal >= 50x: "
                  f"{'met' if scaled / t_engine >= 50 else 'NOT met'}); counting the engine's prepare: "
                  f"{scaled / (t_engine + t_prep):.0f}x")
    print(f"process peak resident memory (ru_maxrss, whole run incl. imports): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if not same:
        raise SystemExit("the pymcdm loop and the engine disagree: the comparison is not like for like")


if __name__ == "__main__":
    main()
