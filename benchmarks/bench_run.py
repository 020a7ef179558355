"""Whole-run time against its floor (issue 6): all notebooks vs the same number of notebooks that
only import the libraries, measured in the same run on this machine. Prints figures; asserts nothing.

The floor is what any papermill run costs regardless of the analysis: a kernel start, the imports,
and rendering to HTML. Goal: the real run takes at most 1.5 x the floor.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat

from cityeval import runner

IMPORTS = """import numpy, pandas, scipy, sklearn, matplotlib, seaborn
import cityeval.panel, cityeval.results"""


def floor_notebook(folder: Path, i: int) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("n = 1  # placeholder parameter", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(IMPORTS)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{i:02d}_floor.ipynb"
    nbformat.write(nb, str(path))
    return path


def main() -> None:
    notebooks = runner.list_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floors = [floor_notebook(tmp, i) for i in range(len(notebooks))]
        t0 = time.perf_counter()
        for p in floors:
            assert runner.execute_notebook(p, out_dir=tmp / "floor").ok
        floor = time.perf_counter() - t0
        t0 = time.perf_counter()
        outcomes = [runner.execute_notebook(p, out_dir=tmp / "real") for p in notebooks]
        real = time.perf_counter() - t0
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    print(f"{len(notebooks)} notebooks at default parameters: {real:.1f} s; floor ({len(notebooks)} import-only "
          f"notebooks): {floor:.1f} s; ratio {real / floor:.2f} (goal <= 1.5)")
    for o in sorted(outcomes, key=lambda o: -o.seconds):
        print(f"  {o.stem:32s} {o.seconds:6.1f} s")


if __name__ == "__main__":
    main()
