"""Runs (R): ``python -m cityeval run`` refuses an output folder or an option it cannot honour, before any kernel
starts (issue 14, section 2). Interrupts, two runs at once and the run record are ordinary tests in
``tests/notebook/test_run_faults.py`` and ``tests/notebook/test_runner.py``."""
from __future__ import annotations

import fcntl
import json
import os
import shutil

from bad_inputs import LESSON, PUBLISHED, ROOT, TOY, Case, toy


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


def _out_is_a_default_data_folder(t):
    # notebook 00 reads data/examples/lesson by default: no -p data given, still an input
    return {"argv": _run("--out", LESSON)}


def _out_is_another_embedded_folder(t):
    # no notebook chosen reads data/examples/toy, but it lies in the embedded data/, which every run reads
    # (reference tables, framework labels): refused too (before issue 15 a run wrote its pages into it)
    return {"argv": _run("--out", TOY)}


def _out_inside_the_embedded_data(t):
    # notebook 01 reads the embedded published tables (published_dir left empty): the embedded data/ is an input
    return {"argv": ["run", "--only", "01", "--out", str(PUBLISHED / "out")]}


def _out_notebooks_links_to_the_notebooks(t):
    # OUT/notebooks a link to the notebooks folder: the executed copy would replace the source notebook (a copy of
    # the notebooks folder, so that a regression overwrites no notebook of the repository)
    folder = t / "nbs"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_method_walkthrough.ipynb", folder)
    out = t / "out"
    out.mkdir()
    (out / "notebooks").symlink_to(folder, target_is_directory=True)

    def call():
        import io

        from cityeval.notebook.runner import run_notebooks
        run_notebooks(folder=folder, out_dir=out, stream=io.StringIO())
    return {"call": call}


def _out_results_links_to_the_data(t):
    data = toy(t, "mine")
    out = t / "out"
    out.mkdir()
    (out / "results").symlink_to(data, target_is_directory=True)
    return {"argv": _run("--data", data, "--out", out)}


def _out_results_holds_the_data(t):
    # the data folder inside OUT/results: the run would move it to stale/ as a file it did not write
    data = toy(t / "out" / "results", "mine")
    return {"argv": _run("--data", data, "--out", t / "out")}


def _out_links_to_the_data(t):
    data = toy(t, "mine")
    (t / "link").symlink_to(data, target_is_directory=True)
    return {"argv": _run("--data", data, "--out", t / "link")}


def _by_hand(t, make):
    """A call of write_results as a notebook run by hand makes it, with the user's cache folder in ``t/cache``."""
    folder = t / "cache" / "cityeval" / "by-hand"
    folder.parent.mkdir(parents=True)
    make(folder)

    def call():
        from cityeval.notebook.results import RUN_RESULTS_VARIABLE, write_results

        saved = {k: os.environ.pop(k, None) for k in ("XDG_CACHE_HOME", RUN_RESULTS_VARIABLE)}
        os.environ["XDG_CACHE_HOME"] = str(t / "cache")
        try:
            write_results("00_x", {"a": 1}, parameters={}, kind="example")
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None)
                if v is not None:
                    os.environ[k] = v
    return {"call": call}


def _by_hand_result_is_a_link(t):
    def make(folder):
        folder.mkdir(mode=0o700)
        (t / "victim.txt").write_text("a file of the user's own\n")
        (folder / "00_x.json").symlink_to(t / "victim.txt")
    return _by_hand(t, make)


def _by_hand_folder_is_a_link(t):
    def make(folder):
        (t / "elsewhere").mkdir()
        folder.symlink_to(t / "elsewhere", target_is_directory=True)
    return _by_hand(t, make)


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
    Case("R12", "--out is a notebook's default data folder (00's data/examples/lesson)", ("cli",),
         _out_is_a_default_data_folder, (r"cannot write --out .*data/examples/lesson: it is the data folder .*lesson, an input",)),
    Case("R13", "--out inside the embedded data a notebook reads by default (01's published tables)", ("cli",),
         _out_inside_the_embedded_data,
         (r"cannot write --out .*ccid2022/out: it lies inside the embedded data folder .*data, an input",)),
    Case("R14", "OUT/notebooks a link to the notebooks folder", ("api",), _out_notebooks_links_to_the_notebooks,
         (r"cannot write --out .*out: its notebooks/ is the notebooks folder .*nbs, an input",)),
    Case("R15", "OUT/results a link to the data folder", ("cli",), _out_results_links_to_the_data,
         (r"cannot write --out .*out: its results/ is the data folder .*mine, an input",)),
    Case("R16", "the data folder inside OUT/results", ("cli",), _out_results_holds_the_data,
         (r"cannot write --out .*out: its results/ contains the data folder .*mine, an input",)),
    Case("R17", "--out a link to the data folder", ("cli",), _out_links_to_the_data,
         (r"cannot write --out .*link: it is the data folder .*mine, an input",)),
    Case("R18", "a notebook run by hand whose results file is a symbolic link", ("api",), _by_hand_result_is_a_link,
         (r"cannot write .*by-hand/00_x\.json: a symbolic link in the by-hand results folder; cityeval does not "
          r"write through it",)),
    Case("R19", "a notebook run by hand whose results folder is a symbolic link", ("api",), _by_hand_folder_is_a_link,
         (r"cannot write .*cityeval/by-hand: the by-hand results folder is a symbolic link or not a folder",)),
    Case("R20", "--out is an embedded folder no chosen notebook reads (data/examples/toy with --only 00)", ("cli",),
         _out_is_another_embedded_folder, (r"cannot write --out .*data/examples/toy: it lies inside the embedded data folder",)),
]
