"""What ``make run`` costs (issue 16, goals 1 and 2), measured in one run on this machine. Prints figures next to
their goals; asserts nothing.

- **cold, -j 1**: every notebook executed one after another (``--force``), through ``runner.run_notebooks`` (what
  ``make run`` calls: parameter checks, papermill, HTML pages, index).
- **cold, -j C** (C = this machine's cores): the same notebooks, copied to another folder (so none is in the
  cache), executed C at a time. Its results files must be byte-identical to the sequential run's.
- **warm rerun** (goal 1: <= 3 s): ``python -m cityeval run --out <the -j 1 run's folder>`` as a new process,
  nothing changed, so every notebook is served from the cache.
- **one notebook touched**: a markdown cell of one copied notebook edited; the rerun executes that one only.
- **the floor** (goal 2): the same number of notebooks that only import the libraries (numpy, pandas, scipy,
  scikit-learn, matplotlib, seaborn and cityeval's panel and results modules), through the same runner,
  sequentially; the machine's limit is floor / cores; goal: cold -j C <= 1.5 x that limit.

Where the time of each notebook goes is read from the executed notebooks (papermill records each cell's duration):
kernel start and papermill's own work (the notebook's time less its cells'), imports (the cell after the
parameters, when it imports), figures (cells whose output is an image), analysis (the other cells).

Usage::

    python benchmarks/bench_run.py [--jobs C] [--small]

``--small`` runs every notebook with small sizes (:data:`SMALL`, about each notebook's test parameters): a quick
check of the mechanics on a busy machine; the goals are stated for the default parameters.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cityeval.notebook import runner

IMPORTS = """import numpy, pandas, scipy, sklearn, matplotlib.pyplot, seaborn
import cityeval.notebook.panel, cityeval.notebook.results"""


#: Small sizes for --small (each notebook's metadata.cityeval.test_parameters, one value per name).
SMALL = {"n_sim": 40, "n_boot": 40, "ensemble_size": 3, "n_perm": 200, "n": 100, "n_sobol": 64,
         "ensemble_scenarios": 50, "ensemble_sobol": 32}


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


def where_time_goes(executed: Path, total: float) -> dict:
    """Seconds of one executed notebook by kind of cell (see the module's docstring)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    parts = {"kernel+papermill": 0.0, "imports": 0.0, "analysis": 0.0, "figures": 0.0}
    after_parameters = False
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        seconds = float(cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
        tags = cell.get("metadata", {}).get("tags", [])
        source = "".join(cell["source"]).lstrip()
        if "parameters" in tags or "injected-parameters" in tags:
            after_parameters = True
            parts["analysis"] += seconds
            continue
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            parts["figures"] += seconds
        elif after_parameters and source.startswith(("import", "from")) and parts["imports"] == 0.0:
            parts["imports"] += seconds
        else:
            parts["analysis"] += seconds
    parts["kernel+papermill"] = max(0.0, total - sum(parts.values()))
    return parts


def _same_files(a: Path, b: Path) -> list[str]:
    """Results files that differ between two output folders."""
    names = sorted(p.name for p in (a / "results").glob("*.json"))
    return [n for n in names if (a / "results" / n).read_bytes() != (b / "results" / n).read_bytes()] + \
        sorted(set(p.name for p in (b / "results").glob("*.json")) ^ set(names))


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="C, notebooks at once (default: cores)")
    ap.add_argument("--small", action="store_true", help="small sizes (SMALL), not the default parameters")
    args = ap.parse_args(argv)
    params = dict(SMALL) if args.small else {}
    cli_params = [a for k, v in params.items() for a in ("-p", k, str(v))]
    cores = os.cpu_count() or 1
    notebooks = runner.list_notebooks()
    n = len(notebooks)
    print(f"{n} notebooks at {'small sizes ' + str(params) if params else 'default parameters'}, {cores} cores, -j {args.jobs}; {_load()} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "floor_nb").mkdir()
        for i in range(n):
            floor_notebook(tmp / "floor_nb", i)
        copy = tmp / "nb"
        copy.mkdir()
        for p in notebooks:
            shutil.copy2(p, copy / p.name)
        floor, _ = timed_run(folder=tmp / "floor_nb", out_dir=tmp / "floor", jobs=1, cache=False)
        floor_j, _ = timed_run(folder=tmp / "floor_nb", out_dir=tmp / "floor_j", jobs=args.jobs, cache=False)
        seq, seq_outcomes = timed_run(out_dir=tmp / "seq", jobs=1, force=True, parameters=params)
        par, _ = timed_run(folder=copy, out_dir=tmp / "par", jobs=args.jobs, parameters=params)
        differ = _same_files(tmp / "seq", tmp / "par")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "cityeval", "run", "--out", str(tmp / "seq"), *cli_params],
                              capture_output=True, text=True)
        warm = time.perf_counter() - t0
        if proc.returncode:
            raise SystemExit(f"warm rerun failed: {proc.stderr}")
        served = proc.stdout.count("... cached")
        touched = copy / notebooks[1].name
        nb = json.loads(touched.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
        cell["source"] = "".join(cell["source"]) + " "
        touched.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        one, one_outcomes = timed_run(folder=copy, out_dir=tmp / "par", jobs=args.jobs, parameters=params)
        executed = [o.stem for o in one_outcomes if not o.extra.get("cached")]
        parts = {o.stem: where_time_goes(tmp / "seq" / "notebooks" / f"{o.stem}.ipynb", o.seconds)
                 for o in seq_outcomes}
    limit = floor / cores
    print(f"goal 1, warm rerun (python -m cityeval run, nothing changed, {served} of {n} served from the cache): "
          f"{warm:.2f} s (goal <= 3 s)")
    print(f"goal 1, one notebook touched ({', '.join(executed)} executed, the others served): {one:.1f} s")
    print(f"goal 2, cold run -j {args.jobs}: {par:.1f} s; floor {floor:.1f} s sequential ({n} import-only notebooks, "
          f"same runner) / {cores} cores = limit {limit:.1f} s; ratio {par / limit:.2f} (goal <= 1.5)")
    print(f"  cold run -j 1: {seq:.1f} s (speed-up of -j {args.jobs}: {seq / par:.2f}x); "
          f"floor at -j {args.jobs}: {floor_j:.1f} s")
    print(f"  results files of -j {args.jobs} and -j 1: " +
          ("byte-identical" if not differ else f"DIFFER: {', '.join(differ)}"))
    work = sum(p["analysis"] + p["figures"] for p in parts.values())
    print(f"  the notebooks' own work (analysis + figures of the -j 1 run, {work:.1f} s) / {cores} cores = "
          f"{work / cores:.1f} s: no schedule of these notebooks on {cores} cores beats it; 1.5 x the limit is "
          f"{1.5 * limit:.1f} s" + (" (so goal 2 cannot be met at these sizes without cutting them)"
                                     if work / cores > 1.5 * limit else ""))
    print(f"  {_load()} at the end")
    print("  per notebook (the -j 1 run), seconds: total = kernel start and papermill + imports + analysis + cells that"
          " draw a figure (with the analysis done in those cells; pages render in the background)")
    for o in sorted(seq_outcomes, key=lambda o: -o.seconds):
        p = parts[o.stem]
        print(f"  {o.stem:32s} {o.seconds:6.1f} = {p['kernel+papermill']:5.1f} + {p['imports']:5.1f} + "
              f"{p['analysis']:5.1f} + {p['figures']:5.1f}")


if __name__ == "__main__":
    main()
