"""Whole-run time against its floor (issue 6): all notebooks vs the same number of notebooks that
only import the libraries, both through ``runner.run_notebooks`` (what ``make run`` calls: parameter
checks, papermill, HTML pages, index), measured in the same run on this machine. Prints figures;
asserts nothing.

The floor is what any papermill run costs regardless of the analysis: a kernel start, the imports
(numpy, pandas, scipy, scikit-learn, matplotlib, seaborn and cityeval's panel and results modules:
about as long to import as the union of what the notebooks import), and an HTML page. Goal: the
real run takes at most 1.5 x the floor.

Usage::

    python benchmarks/bench_run.py [--repeats 1]

With ``--repeats R`` floor and real runs alternate R times and the medians are compared.
"""
from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from cityeval.notebook import runner

IMPORTS = """import numpy, pandas, scipy, sklearn, matplotlib.pyplot, seaborn
import cityeval.notebook.panel, cityeval.notebook.results"""


def floor_notebook(folder: Path, i: int) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("n = 1  # placeholder parameter", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(IMPORTS)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{i:02d}_floor.ipynb"
    nbformat.write(nb, str(path))
    return path


def timed_run(**kwargs):
    t0 = time.perf_counter()
    outcomes = runner.run_notebooks(stream=io.StringIO(), **kwargs)
    seconds = time.perf_counter() - t0
    failed = [f"{o.stem}: {o.error}" for o in outcomes if not o.ok]
    if failed:
        raise SystemExit("notebooks failed: " + "; ".join(failed))
    return seconds, outcomes


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error(f"--repeats must be at least 1, got {args.repeats}")
    notebooks = runner.list_notebooks()
    floors, reals = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "floor_nb").mkdir()
        for i in range(len(notebooks)):
            floor_notebook(tmp / "floor_nb", i)
        for rep in range(args.repeats):
            floors.append(timed_run(folder=tmp / "floor_nb", out_dir=tmp / f"floor{rep}")[0])
            seconds, outcomes = timed_run(out_dir=tmp / f"real{rep}")
            reals.append(seconds)
    floor, real = statistics.median(floors), statistics.median(reals)
    print(f"make run's work (runner.run_notebooks), {len(notebooks)} notebooks at default parameters: {real:.1f} s; "
          f"floor ({len(notebooks)} import-only notebooks, same runner): {floor:.1f} s; "
          f"ratio {real / floor:.2f} (goal <= 1.5)" + (f"; medians of {args.repeats}" if args.repeats > 1 else ""))
    print("  per notebook, execution only (HTML pages render in the background):")
    for o in sorted(outcomes, key=lambda o: -o.seconds):
        print(f"  {o.stem:32s} {o.seconds:6.1f} s")


if __name__ == "__main__":
    main()
