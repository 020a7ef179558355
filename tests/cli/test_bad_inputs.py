"""Every bad input of the catalogue (tests/bad_inputs.py), through every route it names.

Each must exit non-zero with one clear message (no traceback) naming the file, line, column, city or
parameter and what was expected, and leave no output file that looks valid.
"""
from __future__ import annotations

import subprocess
import sys

import papermill
import pytest

from bad_inputs import CASES, ROOT, markdown_table
from cityeval.notebook import runner
from cityeval.cli import main

CASE_ROUTES = [(c, r) for c in CASES for r in c.routes]


def _nb(case):
    return next(p for p in runner.list_notebooks() if p.stem.startswith(case.notebook + "_"))


def _argv(case, route, made, out):
    if route == "score":
        return ["score", str(made["data"]), "--out", str(out / "scores.csv")]
    if route == "validate":
        return ["validate", str(made["table"])]
    argv = ["run", "--only", case.notebook, "--out", str(out)]
    if "data" in made:
        argv += ["--data", str(made["data"])]
    if "published_dir" in made:
        argv += ["-p", "published_dir", str(made["published_dir"])]
    for name, value in made.get("parameters", {}).items():
        argv += ["-p", name, str(value)]
    return argv


def _check_message(case, message):
    for fragment in case.expect:
        assert pytest.importorskip("re").search(fragment, message), f"{case.id}: {fragment!r} not in {message!r}"


@pytest.mark.parametrize("case, route", CASE_ROUTES, ids=[f"{c.id}-{r}" for c, r in CASE_ROUTES])
def test_bad_input(case, route, tmp_path, capsys):
    made = case.make(tmp_path)
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    if route == "papermill":
        nb = _nb(case)
        with pytest.raises(papermill.PapermillExecutionError) as info:
            papermill.execute_notebook(str(nb), str(tmp_path / "executed.ipynb"), parameters=made["parameters"],
                                       kernel_name="python3", progress_bar=False, cwd=str(nb.parent),
                                       log_output=False)
        assert info.value.ename in ("ParameterError", "DataError", "CityevalError")
        _check_message(case, info.value.evalue)
    else:
        code = main(_argv(case, route, made, out))
        err = capsys.readouterr().err
        assert code == 2, f"{case.id}: exit {code}, stderr {err!r}"
        assert err.startswith("error: ") and "Traceback" not in err
        _check_message(case, err)
    # nothing that looks like a valid output: no scores file, no results, no executed notebook
    assert not (out / "scores.csv").exists()
    assert not list(out.glob("results/*.json")) and not list(out.glob("notebooks/*.ipynb"))
    # input files are never modified
    assert all(p.read_bytes() == data for p, data in before.items())


def test_catalogue_size_and_docs():
    assert len(CASES) >= 25 and len({c.id for c in CASES}) == len(CASES)
    docs = (ROOT / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    assert markdown_table() in docs, "docs/bad-inputs.md is out of date: python tests/bad_inputs.py"


@pytest.mark.parametrize("argv", [["score", "no_such_folder"], ["run", "--only", "02", "-p", "top_n", "500"]])
def test_real_process_prints_one_line_and_no_traceback(argv, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cityeval", *argv], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
