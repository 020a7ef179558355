"""The ensemble of calibrated panels (issue 12): what it costs. Prints figures; asserts nothing.

- one panel: ``synthetic.generate`` with drawn parameters (``draw_parameters``, the ABC step, timed apart);
- one member written to a cache (generation + CSV files + manifest);
- the default ensemble (50 members) into an empty cache, then read back from the warm cache;
- scoring and checking the members as a notebook does (``spread.ensemble_panels``);
- with ``--calibration``: the figures the README and the generator's notes state about the calibration,
  recomputed: the loadings the published overlaps allow, the per-dimension shifts over the members, the
  gap test against the uncalibrated model, technology innovation's correlation with the other dimensions
  among the top 100;
- with ``--notebooks``: each of notebooks 02-09 run once with ``ensemble_size 0`` and once with the default
  ensemble (warm cache), through the runner, and the difference.

Usage::

    python benchmarks/bench_ensemble.py [--size 50] [--calibration] [--notebooks]
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
    ap.add_argument("--calibration", action="store_true", help="print the calibration figures the README states")
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
        if args.calibration:
            calibration_figures(args.size)
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


def calibration_figures(size: int) -> None:
    import numpy as np
    import pandas as pd
    from scipy import stats

    from cityeval.ccid2022 import ensemble, published, synthetic

    framework = published.load_framework()
    scorer = synthetic._Scorer(framework)
    top = published.load_ranking("overall_top100")["city"]
    dims = scorer.dims

    def off_mean(d):
        cm = np.corrcoef(d, rowvar=False)
        return cm[~np.eye(len(dims), dtype=bool)].reshape(len(dims), -1).mean(axis=1)

    def gaps(c):
        head = np.sort(np.asarray(c))[::-1][:101]
        return -np.diff(head)

    free = [dims.index(d) for d in ("IND", "TEC", "LOW")]

    def free_pairs(d):
        cm = np.corrcoef(d[:, free], rowvar=False)
        return cm[np.triu_indices(len(free), 1)].mean()

    loads, shifts, corr_cal, corr_unc, g_cal, g_unc, fp_cal, fp_unc = [], [], [], [], [], [], [], []
    for k in range(size):
        seed = ensemble.member_seed(ensemble.DEFAULT_SEED, k)
        par = synthetic.draw_parameters(seed)
        panel = synthetic.generate(seed, parameters=par)
        loads.append(par.dimension_loading)
        shifts.append(panel.shifts)
        n = panel.normalized
        d = pd.DataFrame(scorer.dim_scores(n.to_numpy()), columns=dims, index=n.index)
        corr_cal.append(off_mean(d.loc[top].to_numpy()))
        fp_cal.append(free_pairs(d.loc[top].to_numpy()))
        g_cal.append(gaps(scorer.composite(n.to_numpy())))
        rng = np.random.default_rng([seed, 99])
        m = synthetic._draw(rng, par, framework, scorer, 293)
        c = scorer.composite(m)
        corr_unc.append(off_mean(scorer.dim_scores(m)[np.argsort(-c)[:100]]))
        fp_unc.append(free_pairs(scorer.dim_scores(m)[np.argsort(-c)[:100]]))
        g_unc.append(gaps(c))
    lam = pd.DataFrame(loads)
    print(f"\ncalibration figures over the {size} members of the default ensemble")
    print("loadings on the general factor, 5% / median / 95%:")
    print(lam.quantile([0.05, 0.5, 0.95]).round(2).to_string())
    allshift = pd.concat(shifts, keys=range(size), names=["member"])
    mean = allshift["mean"].unstack()
    top_mean = allshift["top100_mean"].unstack()
    print(f"largest |mean shift| of a dimension over all cities: {mean.abs().max().max():.2f} points "
          f"(median over members {mean.abs().max(axis=1).median():.2f})")
    print("mean shift per dimension among the published top 100, averaged over members:")
    print(top_mean.mean().round(2).to_string())
    print("mean absolute shift among the top 100:", allshift["top100_mean_abs"].unstack().mean().round(2).to_dict())
    p = stats.ks_2samp(np.concatenate(g_cal), np.concatenate(g_unc)).pvalue
    print(f"gaps of the top 100, calibrated vs uncalibrated (KS, pooled): p = {p:.2f}; median gap "
          f"{np.median(np.concatenate(g_cal)):.3f} vs {np.median(np.concatenate(g_unc)):.3f}")
    print("mean correlation with the other dimensions among the top 100, calibrated / uncalibrated:")
    print(pd.DataFrame({"calibrated": np.mean(corr_cal, axis=0), "uncalibrated": np.mean(corr_unc, axis=0)},
                       index=dims).round(3).to_string())
    print(f"mean correlation between the free dimensions IND, TEC, LOW among the top 100: calibrated "
          f"{np.mean(fp_cal):.3f}, uncalibrated {np.mean(fp_unc):.3f}")


if __name__ == "__main__":
    main()
