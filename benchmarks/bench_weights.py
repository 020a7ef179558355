"""Benchmark: entropy weights + TOPSIS on 3,000 units x 100 indicators, cityeval vs pymcdm.

Prints, for each step and for the two together, the median wall time of several repeats of
cityeval and of pymcdm in the same run, and their ratio (cityeval / pymcdm; < 1 is faster).
Also checks that both give the same numbers, so the timing compares like with like.

Usage::

    python benchmarks/bench_weights.py [--units 3000] [--indicators 100] [--repeats 15] [--seed 20220101]

The data are seeded uniform values in (0.01, 1]: strictly positive, because pymcdm's entropy
refuses zeros. cityeval is timed through its public API (``weight``/``aggregate`` on a
DataFrame, input checks included); pymcdm on the bare ndarray, as its users call it:
``pymcdm.weights.entropy_weights(X)`` and
``pymcdm.methods.TOPSIS(vector_normalization)(X, w, types)``.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import pandas as pd


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--seed", type=int, default=20220101)
    args = ap.parse_args(argv)

    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    from pymcdm.weights import entropy_weights

    from cityeval.composite.aggregation import aggregate
    from cityeval.composite.weighting import weight

    rng = np.random.default_rng(args.seed)
    x = rng.uniform(0.01, 1.0, (args.units, args.indicators))
    frame = pd.DataFrame(x, columns=[f"ind{j:03d}" for j in range(args.indicators)],
                         index=[f"city{i:04d}" for i in range(args.units)])
    types = np.ones(args.indicators)
    topsis = TOPSIS(vector_normalization)

    def ours_entropy():
        return weight(frame, method="entropy")

    def peer_entropy():
        return entropy_weights(x)

    w = ours_entropy()
    w_np = w.to_numpy()

    def ours_topsis():
        return aggregate(frame, w, method="topsis")

    def peer_topsis():
        return topsis(x, w_np, types)

    def ours_both():
        return aggregate(frame, weight(frame, method="entropy"), method="topsis")

    def peer_both():
        return topsis(x, entropy_weights(x), types)

    # same numbers, or the timing is meaningless
    np.testing.assert_allclose(w_np, peer_entropy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours_topsis().to_numpy(), peer_topsis(), rtol=1e-9, atol=1e-12)

    from importlib.metadata import version

    print(f"entropy weights + TOPSIS, {args.units} units x {args.indicators} indicators, seed {args.seed}, "
          f"median of {args.repeats} repeats")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"pymcdm {version('pymcdm')}")
    print(f"{'step':<18}{'cityeval (ms)':>15}{'pymcdm (ms)':>14}{'ratio':>9}")
    for name, ours, peer in [("entropy weights", ours_entropy, peer_entropy),
                             ("TOPSIS", ours_topsis, peer_topsis),
                             ("entropy + TOPSIS", ours_both, peer_both)]:
        t_ours, t_peer = median_time(ours, args.repeats), median_time(peer, args.repeats)
        print(f"{name:<18}{t_ours * 1e3:>15.2f}{t_peer * 1e3:>14.2f}{t_ours / t_peer:>9.2f}")


if __name__ == "__main__":
    main()
