"""Runs (R): ``python -m cityeval run`` refuses an output folder or an option it cannot honour, before any kernel
starts (issue 14, section 2). Interrupts, two runs at once and the run record are ordinary tests in
``tests/notebook/test_run_faults.py`` and ``tests/notebook/test_runner.py``."""
from __future__ import annotations

import fcntl
import json
import os
import shutil

from bad_inputs import ROOT, TOY, Case, toy


def _run(*args):
    return ["run", "--only", "00", *map(str, args)]


def _out_is_a_file(t):
    (t / "f.txt").write_text("not a folder\n")
    return {"argv": _run("--out", t / "f.txt")}


def _out_below_a_file(t):
    (t / "f.txt").write_text("not a folder\n")
    return {"argv": _run("--out", t / "f.txt" / "out")}


def _out_name_too_long(t):
    return {"argv": _run("--out", t / ("x" * 300))}


def _out_empty(t):
    return {"argv": _run("--out", "")}


def _out_is_the_data(t):
    data = toy(t, "mine")
    return {"argv": _run("--data", data, "--out", data)}


def _out_holds_the_notebooks(t):
    # run_notebooks(folder=F, out_dir=F.parent): the executed copies would go to F, over the notebooks themselves
    folder = t / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_method_walkthrough.ipynb", folder)

    def call():
        import io

        from cityeval.notebook.runner import run_notebooks
        run_notebooks(folder=folder, out_dir=t, stream=io.StringIO())
    return {"call": call}


def _data_twice(t):
    data = toy(t, "mine")
    return {"argv": _run("--data", data, "-p", "data", data, "--out", t / "out")}


def _folder_in_use(t):
    out = t / "busy"
    out.mkdir()
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)    # held by "another run" as long as the case lives
    os.write(fd, b"4242\n")
    return {"argv": _run("--out", out), "lock": fd}


def _not_a_run_record(t):
    out = t / "out"
    out.mkdir()
    (out / "runs.json").write_text(json.dumps({"scores": [1, 2]}))
    return {"argv": _run("--out", out)}


def _unknown_notebook(t):
    return {"argv": ["run", "--only", "99", "--out", str(t / "out")]}


CASES = [
    Case("R01", "--out is an existing file", ("cli",), _out_is_a_file,
         (r"cannot write --out .*f\.txt: it is an existing file, not a folder",)),
    Case("R02", "--out lies below a file", ("cli",), _out_below_a_file,
         (r"cannot write --out .*f\.txt/out: cannot create the folder: a part of the path is a file, not a folder \(ENOTDIR\)",)),
    Case("R03", "--out with a name too long for the file system", ("cli",), _out_name_too_long,
         (r"cannot write --out .*x{300}: cannot create the folder: a name in the path is too long \(ENAMETOOLONG\)",)),
    Case("R04", "--out given empty (would have meant output/)", ("cli",), _out_empty,
         (r"^error: --out should be a folder name \(it is empty\)",)),
    Case("R05", "--out is the --data folder", ("cli",), _out_is_the_data,
         (r"cannot write --out .*mine: it is the data folder .*mine, an input",)),
    Case("R06", "an output folder whose notebooks/ is the notebooks folder", ("api",), _out_holds_the_notebooks,
         (r"cannot write --out .*: its notebooks/ is the notebooks folder .*notebooks, an input",)),
    Case("R07", "the data folder given twice (--data and -p data)", ("cli",), _data_twice,
         (r"--data should be given once: either --data or -p data, not both",)),
    Case("R08", "an output folder another run is using", ("cli",), _folder_in_use,
         (r"output folder .*busy is in use by another run \(pid 4242\); wait for it to finish or give another --out",)),
    Case("R09", "a runs.json in the output folder that is not a run record", ("cli",), _not_a_run_record,
         (r"runs\.json: not a cityeval run record",)),
    Case("R10", "--only naming no notebook", ("cli",), _unknown_notebook,
         (r"--only should be a notebook stem or number among 00_method_walkthrough, ",)),
    Case("R11", "--data with --only a notebook that takes no data folder (01)", ("cli",),
         lambda tmp_path: {"argv": ["run", "--only", "01", "--data", str(TOY), "--out", str(tmp_path / "out")]},
         (r"--data should be given only with a notebook that takes a data folder \(00_method_walkthrough, ",
          r"with --only 01_published_claims")),
]
