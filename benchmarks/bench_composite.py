"""Time the full default pipeline on 3,000 units x 100 indicators (issue 3, section 6).

Synthetic data, seeded: 100 indicators drawn from lognormal distributions (a third of them
low-is-better) in 10 pillars of 10 under one index; no missing values. Prints the median
wall time of several repeats of :func:`cityeval.composite.pipeline.run` with the default method
(denominate -> no imputation -> no screening -> no treatment -> min-max 0-100 -> equal
weights -> arithmetic mean, level by level -> ranks). Building the dataset is not timed.

Run: ``.venv/bin/python benchmarks/bench_composite.py [--units 3000] [--indicators 100] [--repeats 7]``
(The entropy + TOPSIS comparison with pymcdm is in its own benchmark file.)
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from cityeval.composite.dataset import Dataset
from cityeval.composite.pipeline import run

SEED = 20221


def synthetic_dataset(n_units: int, n_indicators: int, *, n_pillars: int = 10, seed: int = SEED) -> Dataset:
    """A seeded synthetic dataset: ``n_indicators`` lognormal indicators in ``n_pillars`` pillars."""
    rng = np.random.default_rng(seed)
    codes = [f"i{j:03d}" for j in range(n_indicators)]
    pillars = [f"p{k:02d}" for k in range(n_pillars)]
    x = rng.lognormal(mean=0.0, sigma=rng.uniform(0.2, 1.0, n_indicators), size=(n_units, n_indicators))
    values = pd.DataFrame(x, index=pd.Index([f"u{u:05d}" for u in range(n_units)], name="unit"), columns=codes)
    rows = []
    for j, c in enumerate(codes):
        rows.append({"code": c, "level": 1, "parent": pillars[j % n_pillars], "direction": -1 if j % 3 == 0 else 1,
                     "weight": 1.0, "measure": "outcome", "unit": "", "name_zh": "", "name_en": c})
    for p in pillars:
        rows.append({"code": p, "level": 2, "parent": "index", "direction": 1, "weight": 1.0, "measure": "",
                     "unit": "", "name_zh": "", "name_en": p})
    rows.append({"code": "index", "level": 3, "parent": None, "direction": 1, "weight": 1.0, "measure": "",
                 "unit": "", "name_zh": "", "name_en": "index"})
    meta = pd.DataFrame(rows).set_index("code")
    return Dataset(values, meta, method={"synthetic": True})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    ds = synthetic_dataset(args.units, args.indicators)
    run(ds)  # warm-up (imports, caches)
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        run(ds)
        times.append(time.perf_counter() - t0)
    print(f"full default pipeline, {args.units} units x {args.indicators} indicators (seed {SEED}): "
          f"median {statistics.median(times):.4f} s over {args.repeats} repeats "
          f"(min {min(times):.4f} s, max {max(times):.4f} s)")


if __name__ == "__main__":
    main()
