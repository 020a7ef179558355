"""The ensemble of calibrated panels (issue 12): what it costs. Prints figures; asserts nothing.

- one panel: ``synthetic.generate`` with drawn parameters (``draw_parameters``, the ABC step, timed apart);
- one member written to a cache (generation + CSV files + manifest);
- the default ensemble (50 members) into an empty cache, then read back from the warm cache;
- scoring and checking the members as a notebook does (``spread.ensemble_panels``);
- with ``--notebooks``: each of notebooks 02-09 run once with ``ensemble_size 0`` and once with the default
  ensemble (warm cache), through the runner, and the difference.

Usage::

    python benchmarks/bench_ensemble.py [--size 50] [--notebooks]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def _clock(fn, repeats=5):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=50)
    ap.add_argument("--notebooks", action="store_true", help="also time notebooks 02-09 with and without the ensemble")
    args = ap.parse_args(argv)
    if args.size < 1:
        ap.error(f"--size must be at least 1, got {args.size}")
    with tempfile.TemporaryDirectory(prefix="cityeval-bench-cache-") as cache:
        os.environ["CITYEVAL_CACHE"] = cache
        from cityeval.ccid2022 import ensemble, synthetic
        from cityeval.notebook import spread

        seeds = [ensemble.member_seed(ensemble.DEFAULT_SEED, k) for k in range(5)]
        it = iter(seeds * 10)
        t_draw = _clock(lambda: synthetic.draw_parameters(next(it)))
        pars = {s: synthetic.draw_parameters(s) for s in seeds}
        it = iter(seeds * 10)
        t_gen = _clock(lambda: (lambda s: synthetic.generate(s, parameters=pars[s]))(next(it)))
        t_nominal = _clock(lambda: synthetic.generate())
        print(f"draw_parameters (ABC) per member:        {t_draw * 1000:8.1f} ms (median of 5)")
        print(f"generate one calibrated panel:           {t_gen * 1000:8.1f} ms (nominal panel {t_nominal * 1000:.1f} ms)")
        t0 = time.perf_counter()
        ensemble.member_folders(args.size)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        ensemble.member_folders(args.size)
        warm = time.perf_counter() - t0
        print(f"ensemble of {args.size}, empty cache:            {cold:8.2f} s ({cold / args.size * 1000:.0f} ms per member)")
        print(f"ensemble of {args.size}, warm cache (checksums): {warm:8.2f} s")
        t0 = time.perf_counter()
        spread.ensemble_panels("", size=args.size, seed=ensemble.DEFAULT_SEED)
        scored = time.perf_counter() - t0
        print(f"scored and checked as a notebook does:   {scored:8.2f} s ({scored / args.size * 1000:.0f} ms per member)")
        size_mb = sum(p.stat().st_size for p in Path(cache).rglob("*") if p.is_file()) / 1e6
        print(f"cache on disk:                           {size_mb:8.1f} MB")
        if args.notebooks:
            from cityeval.notebook import runner

            print("\nper notebook, through the runner (warm cache): ensemble_size 0 / default, difference")
            for path in runner.list_notebooks():
                if not ("02" <= path.stem[:2] <= "09"):
                    continue
                times = {}
                for size in (0, args.size):
                    with tempfile.TemporaryDirectory() as out:
                        t0 = time.perf_counter()
                        outcome = runner.execute_notebook(path, parameters={"ensemble_size": size}, out_dir=out,
                                                          render_html=False)
                        times[size] = time.perf_counter() - t0
                        if not outcome.ok:
                            raise SystemExit(f"{path.stem} failed: {outcome.error}")
                print(f"  {path.stem:32s} {times[0]:6.1f} s / {times[args.size]:6.1f} s   "
                      f"+{times[args.size] - times[0]:5.1f} s")


if __name__ == "__main__":
    main()
