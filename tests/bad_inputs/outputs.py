"""Outputs (O): where a command or the Python API is asked to write (issue 14, section 1).

Every output path of every command (``score --out``, ``audit --out/--ranks``, ``convert-coinr ... OUT_FOLDER``,
``synthesize --out``) and of the Python API's writers: an existing folder, a path below a file, a device that
is full, a name too long, a loop of links, a read-only or full file system, a file where a folder is to be
written, a user's folder that would be replaced, a folder holding the inputs. Each must fail with one line
naming the option and the path, write nothing and leave nothing behind (no temporary ``.name.XXXX.tmp`` file,
no half folder). The failures of the operating system that cannot be made for real without root (a read-only
or full file system) are simulated by making the system call fail with that error number.
"""
from __future__ import annotations

import errno
import json
import os
from unittest import mock

from bad_inputs import LESSON, ROOT, TOY, Case, toy

#: COINr's iData/iMeta for three units and two indicators (the format of ``cityeval.composite.coinr``).
IDATA = "uCode,uName,A,B\nX,Ex,1,4\nY,Why,2,6\nZ,Zed,3,5\n"
IMETA = ("Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
         "1,A,Aa,1,1,,,,Index,Indicator\n1,B,Bb,-1,1,,,,Index,Indicator\n2,Index,The index,1,1,,,,,Aggregate\n")
#: An audit spec for the toy data: 20 scenarios, normalization uncertain.
SPEC = {"n": 20, "seed": 1, "choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "zscore"}]}}}


def _spec(tmp_path, record=SPEC):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def _coinr(tmp_path, folder=None):
    folder = tmp_path if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "iData.csv").write_text(IDATA, encoding="utf-8")
    (folder / "iMeta.csv").write_text(IMETA, encoding="utf-8")
    return folder / "iData.csv", folder / "iMeta.csv"


def _real(tmp_path):
    """The toy folder, not labelled synthetic (so the command prints nothing before its error)."""
    folder = toy(tmp_path)
    record = json.loads((folder / "method.json").read_text(encoding="utf-8"))
    record["synthetic"] = False
    record.pop("invented", None)                     # toy is invented data; real data are not
    (folder / "method.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def _score(out):
    return lambda tmp_path: {"argv": ["score", _real(tmp_path), "--out", out(tmp_path)]}


def _existing_folder(tmp_path):
    (tmp_path / "results").mkdir()
    return tmp_path / "results"


def _below_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return tmp_path / "notes.txt" / "scores.csv"


def _loop(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    return tmp_path / "a.csv"


def _audit(tmp_path, *args):
    return {"argv": ["audit", _real(tmp_path), "--spec", _spec(tmp_path), "--out", tmp_path / "ranks.csv", *args]}


def _ranks_to_a_folder(tmp_path):
    (tmp_path / "matrix").mkdir()
    return _audit(tmp_path, "--ranks", tmp_path / "matrix")


def _no_uncertain_choice(tmp_path):
    return {"data": _real(tmp_path), "spec": _spec(tmp_path, {"n": 5, "seed": 1, "choices": {}}),
            "args": ["--ranks", str(tmp_path / "out" / "matrix.csv"), "--sobol", "4"]}


def _failing(target, exc):
    """``made["call"]``: score the toy data and write the table while ``target`` fails with ``exc``."""
    def make(tmp_path):
        def call():
            from cityeval.composite.dataset import load_dataset
            from cityeval.composite.pipeline import run
            result = run(load_dataset(TOY))
            with mock.patch(target, side_effect=exc):
                result.to_csv(tmp_path / "new" / "scores.csv")
        return {"call": call}
    return make


def _convert(out):
    def make(tmp_path):
        idata, imeta = _coinr(tmp_path / "coinr")
        return {"argv": ["convert-coinr", idata, imeta, out(tmp_path)]}
    return make


def _a_file(tmp_path):
    (tmp_path / "asem").write_text("my file\n", encoding="utf-8")
    return tmp_path / "asem"


def _users_folder(tmp_path):
    (tmp_path / "asem").mkdir()
    (tmp_path / "asem" / "thesis.tex").write_text("\\documentclass{article}\n", encoding="utf-8")
    return tmp_path / "asem"


def _convert_full(tmp_path):
    idata, imeta = _coinr(tmp_path / "coinr")

    def call():
        from cityeval.composite.coinr import convert_coinr
        with mock.patch("tempfile.mkdtemp", side_effect=OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))):
            convert_coinr(idata, imeta, tmp_path / "new" / "asem")
    return {"call": call}


def _synthesize(out):
    return lambda tmp_path: {"argv": ["synthesize", "--out", out(tmp_path)]}


def _panel_over_a_folder(tmp_path):
    folder = toy(tmp_path, "mine")
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return folder


def _save_over_a_file(tmp_path):
    (tmp_path / "copy").write_text("my file\n", encoding="utf-8")

    def call():
        from cityeval.composite.dataset import load_dataset
        load_dataset(TOY).save(tmp_path / "copy")
    return {"call": call}


def _result_over(name):
    """``made["call"]``: score a copy of the toy folder and write the table over the folder's own ``name``."""
    def make(tmp_path):
        folder = _real(tmp_path)

        def call():
            from cityeval.composite.dataset import load_dataset
            from cityeval.composite.pipeline import run
            run(load_dataset(folder)).to_csv(folder / name)
        return {"call": call}
    return make


def _save_to(out, exc=None):
    """``made["call"]``: save the toy dataset to ``out(tmp_path)`` (with ``tempfile.mkdtemp`` failing with ``exc``)."""
    def make(tmp_path):
        target = out(tmp_path)

        def call():
            from cityeval.composite.dataset import load_dataset
            ds = load_dataset(TOY)
            if exc is None:
                ds.save(target)
            else:
                with mock.patch("tempfile.mkdtemp", side_effect=exc):
                    ds.save(target)
        return {"call": call}
    return make


def _fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    return tmp_path / "pipe"


def _dangling(tmp_path):
    (tmp_path / "latest.csv").symlink_to(tmp_path / "gone" / "away" / "latest.csv")
    return tmp_path / "latest.csv"


def _not_synthetic(tmp_path):
    return _real(tmp_path)


# ---- issue 14, the class "outputs never destroy inputs and never half-exist" (review holes 1-5, 13, 17, 19)
def _score_toy(out):
    """``score`` the repository's toy folder (read only) with ``--out out(tmp_path)``."""
    return lambda tmp_path: {"argv": ["score", TOY, "--out", out(tmp_path)]}


def _another_dataset(tmp_path):
    """A dataset folder other than the scored one: an output inside it would sit among its data."""
    return toy(tmp_path, "other") / "scores.csv"


def _users_dataset_with_notes(tmp_path):
    folder = toy(tmp_path, "mine")
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return folder


def _users_web_folder(tmp_path):
    """A folder cityeval did not make: the user's own index.html, notebook and results (no runs.json)."""
    folder = tmp_path / "site"
    for name, text in (("index.html", "<html>my page</html>\n"), ("notebooks/mywork.ipynb", "{}\n"),
                       ("results/summary.json", "{}\n")):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _a_run_folder(tmp_path):
    """An earlier run's output folder: its run record (the format of cityeval.notebook._output) and results/."""
    folder = tmp_path / "earlier"
    (folder / "results").mkdir(parents=True)
    (folder / "runs.json").write_text(json.dumps({"format": "cityeval run record, version 1", "notebooks": {}}),
                                      encoding="utf-8")
    return folder


def _run(out, *args):
    return lambda tmp_path: {"argv": ["run", "--only", "00", "--out", out(tmp_path), *args]}


def _convert_panel(tmp_path):
    idata, imeta = _coinr(tmp_path / "coinr")
    return {"argv": ["convert-coinr", idata, imeta, tmp_path / "new", "--time", "2018"]}


CASES = [
    # ---- files: score --out, audit --out/--ranks, the Python API's writers
    Case("O01", "score --out an existing folder", ("cli",), _score(_existing_folder),
         ("--out", "results", "it is an existing folder")),
    Case("O02", "score --out below a regular file", ("cli",), _score(_below_a_file),
         ("--out", r"notes\.txt is a file, not a folder")),
    Case("O03", "score --out /dev/full (a device that is always full)", ("cli",), _score(lambda t: "/dev/full"),
         ("--out /dev/full", "no space left on the device", "ENOSPC")),
    Case("O04", "audit --ranks /dev/full: --out is not written either", ("cli",),
         lambda t: _audit(t, "--ranks", "/dev/full"), ("--ranks /dev/full", "ENOSPC")),
    Case("O05", "score --out a file name of 300 bytes", ("cli",), _score(lambda t: t / ("s" * 296 + ".csv")),
         ("--out", "300 bytes long, more than the 255")),
    Case("O06", "score --out a loop of symbolic links", ("cli",), _score(_loop),
         ("--out", r"a\.csv", "loop of symbolic links")),
    Case("O07", "audit --ranks an existing folder: --out is not written either", ("cli",), _ranks_to_a_folder,
         ("--ranks", "matrix", "it is an existing folder")),
    Case("O08", "audit --sobol with no uncertain choice: fails before --out and --ranks are written", ("audit",),
         _no_uncertain_choice, ("at least one uncertain input",)),
    Case("O09", "Result.to_csv where the temporary file may not be created (permission denied)", ("api",),
         _failing("tempfile.mkstemp", PermissionError(errno.EACCES, os.strerror(errno.EACCES))),
         (r"scores\.csv", "permission denied", "EACCES")),
    Case("O10", "Result.to_csv on a read-only file system (the final rename fails)", ("api",),
         _failing("os.replace", OSError(errno.EROFS, os.strerror(errno.EROFS))),
         (r"scores\.csv", "read-only", "EROFS")),
    Case("O11", "Result.to_csv on a full file system (the write fails)", ("api",),
         _failing("os.fdopen", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
         (r"scores\.csv", "no space left on the device", "ENOSPC")),
    # ---- folders: convert-coinr OUT_FOLDER, synthesize --out, Dataset.save
    Case("O12", "convert-coinr OUT_FOLDER an existing file (it was turned into a folder)", ("cli",),
         _convert(_a_file), ("OUT_FOLDER", "asem", "it is an existing file, not a folder")),
    Case("O13", "convert-coinr OUT_FOLDER a user's folder that is not a dataset folder", ("cli",),
         _convert(_users_folder), ("OUT_FOLDER", "not a dataset folder", "give an empty or a new folder")),
    Case("O14", "convert-coinr OUT_FOLDER the folder holding IDATA and IMETA", ("cli",),
         _convert(lambda t: t / "coinr"), ("OUT_FOLDER", "holds none of them", "the IDATA file")),
    Case("O15", "convert_coinr on a full file system", ("api",), _convert_full,
         ("out_folder", "asem", "no space left on the device", "ENOSPC")),
    Case("O16", "synthesize --out an existing file", ("cli",), _synthesize(_a_file),
         ("--out", "asem", "it is an existing file, not a folder")),
    Case("O17", "synthesize --out a folder with files the panel would not keep", ("cli",),
         _synthesize(_panel_over_a_folder), ("--out", r"notes\.txt", "would not keep")),
    Case("O18", "Dataset.save onto an existing file", ("api",), _save_over_a_file,
         ("copy", "it is an existing file, not a folder")),
    # ---- round 2: an output that is an input of the API, what the path reaches, a user's dataset
    Case("O19", "Result.to_csv over the values.csv of the dataset folder it scored", ("api",),
         _result_over("values.csv"), (r"^path should be a file that is none of the inputs", r"values\.csv",
                                      "a file of the dataset folder, which is an input")),
    Case("O20", "Result.to_csv over the method.json of the dataset folder it scored", ("api",),
         _result_over("method.json"), (r"^path should be", r"method\.json", "a file of the dataset folder")),
    Case("O21", "Dataset.save below a file of a dataset folder (values.csv/z)", ("api",),
         _save_to(lambda t: toy(t, "mine") / "values.csv" / "z"),
         (r"^cannot write folder", r"values\.csv is a file, not a folder")),
    Case("O22", "Dataset.save below /proc/sys (the kernel's virtual file system)", ("api",),
         _save_to(lambda t: "/proc/sys/cityeval-x/ds"), ("folder /proc/sys/cityeval-x/ds", "virtual file system")),
    Case("O23", "Dataset.save onto a named pipe", ("api",), _save_to(_fifo),
         ("folder", "pipe", r"it is a named pipe \(FIFO\), not a folder")),
    Case("O24", "Dataset.save on a full file system below missing folders: none is left", ("api",),
         _save_to(lambda t: t / "new" / "deep" / "ds", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
         ("folder", "ds", "no space left on the device", "ENOSPC")),
    Case("O25", "score --out a named pipe that no program reads (it would block forever)", ("cli",), _score(_fifo),
         ("--out", "pipe", "no program reads", "ENXIO")),
    Case("O26", "score --out '~/scores.csv' quoted (the shell did not expand ~)", ("cli",),
         _score(lambda t: "~/cityeval-no-such-x/scores.csv"), ("--out", "the folder ~ does not exist", "expand")),
    Case("O27", "score --out a dangling symbolic link into missing folders", ("cli",), _score(_dangling),
         ("--out", r"latest\.csv is a symbolic link to", "which does not exist")),
    Case("O28", "score --out /proc/version (a file of the kernel's virtual file system)", ("cli",),
         _score(lambda t: "/proc/version"), ("--out /proc/version", "virtual file system")),
    Case("O29", "synthesize --out a user's dataset folder (not a synthetic panel)", ("cli",),
         _synthesize(_not_synthetic), ("--out", "not a synthetic panel", "give an empty or a new folder")),
    # ---- round 3 (review of issue 14): outputs into cityeval's own folders, another dataset or run folder,
    # a folder another command wrote, a user's folder a run would sweep, standard streams, the --seed options
    Case("O30", "score --out the repository's data/reference/cities.csv (an embedded table)", ("cli",),
         _score_toy(lambda t: ROOT / "data" / "reference" / "cities.csv"),
         ("--out", r"cities\.csv: it lies inside the embedded data folder")),
    Case("O31", "score --out a notebook of the repository (notebooks/00_method_walkthrough.ipynb)", ("cli",),
         _score_toy(lambda t: ROOT / "notebooks" / "00_method_walkthrough.ipynb"),
         ("--out", "it lies inside the notebooks folder")),
    Case("O32", "score --out the embedded synthetic panel's values.csv", ("cli",),
         _score_toy(lambda t: ROOT / "data" / "synthetic" / "ccid2022" / "values.csv"),
         ("--out", "it lies inside the embedded data folder")),
    Case("O33", "audit --ranks the embedded lesson data's values.csv", ("cli",),
         lambda t: _audit(t, "--ranks", LESSON / "values.csv"),
         ("--ranks", r"lesson/values\.csv: it lies inside the embedded data folder")),
    Case("O34", "score --out inside the package source (cityeval/)", ("cli",),
         _score_toy(lambda t: ROOT / "cityeval" / "scores.csv"), ("--out", "it lies inside the package source")),
    Case("O35", "score --out inside a dataset folder other than the one scored", ("cli",), _score(_another_dataset),
         ("--out", "it lies inside the dataset folder", "values.csv and indicators.csv")),
    Case("O36", "score --out another run's runs.json (its run record)", ("cli",),
         _score(lambda t: _a_run_folder(t) / "runs.json"), ("--out", "the output folder of a run", r"runs\.json")),
    Case("O37", "convert-coinr OUT_FOLDER the repository's data/examples/toy", ("cli",),
         _convert(lambda t: TOY), ("OUT_FOLDER", "it lies inside the embedded data folder")),
    Case("O38", "convert-coinr OUT_FOLDER a user's dataset folder with other files (not written by convert-coinr)",
         ("cli",), _convert(_users_dataset_with_notes), ("OUT_FOLDER", "convert-coinr did not write")),
    Case("O39", "convert-coinr --time on an iData without a Time column (ignored before)", ("cli",), _convert_panel,
         (r"--time should be given only for panel data", "no Time column")),
    Case("O40", "synthesize --out the repository's data/examples/toy (invented teaching data)", ("cli",),
         _synthesize(lambda t: TOY), ("--out", "it lies inside the embedded data folder")),
    Case("O41", "synthesize --out a copy of the invented toy data (\"synthetic\" and \"invented\": true)", ("cli",),
         _synthesize(lambda t: toy(t, "copy")), ("--out", "invented data", "not a synthetic panel synthesize wrote")),
    Case("O42", "run --out a user's folder with no runs.json (index.html, notebooks/mywork.ipynb, results/...)",
         ("cli",), _run(_users_web_folder), ("--out", "a folder cityeval did not make", r"notebooks/mywork\.ipynb")),
    Case("O43", "run --out inside another run's output folder (its results/)", ("cli",),
         _run(lambda t: _a_run_folder(t) / "results"), ("--out", "the output folder of another run")),
    Case("O44", "run --out inside a dataset folder", ("cli",), _run(lambda t: toy(t, "mine") / "out"),
         ("--out", "it lies inside the dataset folder")),
    Case("O45", "score --out /dev/stdin", ("cli",), _score(lambda t: "/dev/stdin"),
         ("--out /dev/stdin", "it is standard input")),
    Case("O46", "score --out /dev/fd/987, a file descriptor that is not open", ("cli",),
         _score(lambda t: "/dev/fd/987"), ("--out /dev/fd/987", "file descriptor 987 is not open")),
    Case("O47", "audit --ranks - without --out (both tables would go to standard output)", ("cli",),
         lambda t: {"argv": ["audit", _real(t), "--spec", _spec(t), "--ranks", "-"]},
         (r"--ranks should be a file when --out is not given",)),
    Case("O48", "audit --seed -3", ("cli",), lambda t: _audit(t, "--seed", "-3"),
         (r"--seed should be a whole number between 0 and 2\*\*32 - 1",)),
    Case("O49", "synthesize --seed -1", ("cli",),
         lambda t: {"argv": ["synthesize", "--seed", "-1", "--out", t / "panel"]},
         (r"--seed should be a whole number between 0 and 2\*\*32 - 1",)),
]
