"""cityeval.notebook.results: named results serialised by field name, and record_results, which takes the
notebook's stem and parameters from the notebook papermill runs (issue 11, item 5)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import NamedTuple

import nbformat
import numpy as np
import pytest

from cityeval.errors import ParameterError
from cityeval.notebook import runner
from cityeval.notebook.results import NOTEBOOK_PATH_NAME, record_results, to_jsonable


@dataclass(frozen=True)
class _Test:
    statistic: float
    p_value: float
    n: int


class _Interval(NamedTuple):
    ci_low: float
    ci_high: float


def test_named_results_become_objects_keyed_by_field():
    got = to_jsonable({"kw": _Test(np.float64(3.5), float("nan"), np.int64(12)), "ci": _Interval(0.1, 0.9)})
    assert got == {"kw": {"statistic": 3.5, "p_value": None, "n": 12}, "ci": {"ci_low": 0.1, "ci_high": 0.9}}
    assert to_jsonable([_Interval(1, 2)]) == [{"ci_low": 1, "ci_high": 2}]
    assert to_jsonable((1, 2)) == [1, 2]                      # a plain tuple stays a list


def _notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("n: int = 3  # a count\nlang: str = 'en'  # labels",
                                          metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_record_results_takes_stem_and_parameters_from_the_notebook(tmp_path):
    nb = _notebook(tmp_path / "07_some_finding.ipynb")
    ns = {NOTEBOOK_PATH_NAME: str(nb), "n": 5, "lang": "zh", "unrelated": 1}
    out = record_results({"summary": "s"}, kind="example", namespace=ns, out_dir=tmp_path / "results")
    assert out.name == "07_some_finding.json"
    doc = json.loads(out.read_text(encoding="utf-8"))
    # every declared parameter with its value now (5 injected over the default 3), nothing else
    assert doc["parameters"] == {"n": 5, "lang": "zh"} and doc["notebook"] == "07_some_finding"


def test_record_results_uses_the_callers_globals_by_default(tmp_path):
    nb = _notebook(tmp_path / "08_x.ipynb")
    code = f"{NOTEBOOK_PATH_NAME} = {str(nb)!r}\nn = 4\nlang = 'en'\nout = record_results({{}}, kind='example', out_dir={str(tmp_path)!r})"
    ns = {"record_results": record_results}
    exec(code, ns)
    assert json.loads(ns["out"].read_text(encoding="utf-8"))["parameters"] == {"n": 4, "lang": "en"}


def test_record_results_without_the_notebook_path_says_how_to_run(tmp_path):
    with pytest.raises(ParameterError, match="PAPERMILL_INPUT_PATH.*python -m cityeval run"):
        record_results({}, kind="example", namespace={"n": 1}, out_dir=tmp_path)
    nb = _notebook(tmp_path / "09_y.ipynb")
    with pytest.raises(ParameterError, match="lang undefined"):
        record_results({}, kind="example", namespace={NOTEBOOK_PATH_NAME: str(nb), "n": 1}, out_dir=tmp_path)
    assert not (tmp_path / "09_y.json").exists()


def test_a_relative_notebook_path_lost_by_papermill_cwd_is_one_clear_line(tmp_path, monkeypatch):
    # `papermill notebooks/00_x.ipynb out.ipynb --inject-input-path --cwd elsewhere` (the README's command, from
    # another folder or with --cwd): papermill injects the path as typed, the kernel runs elsewhere; the message
    # said "should be injected by papermill ... (run it with ... --inject-input-path)", which the user had done
    from cityeval.errors import CityevalError

    (tmp_path / "notebooks").mkdir()
    nb = _notebook(tmp_path / "notebooks" / "09_y.ipynb")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(CityevalError) as caught:
        record_results({}, kind="example", namespace={NOTEBOOK_PATH_NAME: "notebooks/09_y.ipynb", "n": 1},
                       out_dir=tmp_path / "r")
    assert str(caught.value) == (
        f"cannot find this notebook (notebooks/09_y.ipynb, the path papermill injected as typed) from the kernel's "
        f"folder {elsewhere} (papermill --cwd): give papermill the notebook's absolute path, e.g. "
        '"$PWD/notebooks/09_y.ipynb", or leave out --cwd')
    assert "\n" not in str(caught.value) and nb.is_file()
    monkeypatch.chdir(tmp_path)                     # from where the path was typed, it is found
    record_results({}, kind="example", namespace={NOTEBOOK_PATH_NAME: "notebooks/09_y.ipynb", "n": 1, "lang": "en"},
                   out_dir=tmp_path / "r")


def test_the_runner_injects_the_notebook_path(tmp_path):
    nb = _notebook(tmp_path / "01_runs.ipynb")
    book = nbformat.read(str(nb), as_version=4)
    book.cells.append(nbformat.v4.new_code_cell(
        "from cityeval.notebook.results import record_results\n"
        "record_results({'summary': 'recorded'}, kind='example')"))
    nbformat.write(book, str(nb))
    outcome = runner.execute_notebook(nb, parameters={"n": 9}, out_dir=tmp_path / "out", render_html=False)
    assert outcome.ok, outcome.error
    doc = json.loads((tmp_path / "out" / "results" / "01_runs.json").read_text(encoding="utf-8"))
    assert doc["parameters"] == {"n": 9, "lang": "en"} and outcome.summary == "recorded"


# ---- bad input to the results writer: one-line ParameterErrors, nothing written (review findings)

@pytest.mark.parametrize("stem", ["", "..", "a/b", "../x", ".hidden", 3])
def test_a_stem_is_a_notebook_name(tmp_path, stem):
    from cityeval.notebook.results import write_results

    with pytest.raises(ParameterError, match="^stem should be a notebook stem"):
        write_results(stem, {}, parameters={}, kind="example", out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_kind_and_inputs_are_checked(tmp_path):
    from cityeval.errors import DataError
    from cityeval.notebook.results import write_results

    with pytest.raises(ParameterError, match="^kind should be one of 'published', 'synthetic'"):
        write_results("01_x", {}, parameters={}, kind="nope", out_dir=tmp_path)
    with pytest.raises(ParameterError, match="^synthetic should be True or False"):
        write_results("01_x", {}, parameters={}, synthetic="no", out_dir=tmp_path)
    with pytest.raises(DataError, match="missing.csv: an input file the results record names does not exist"):
        write_results("01_x", {}, parameters={}, kind="example", inputs=[tmp_path / "missing.csv"], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_record_results_needs_a_kind_or_a_panel(tmp_path):
    nb = _notebook(tmp_path / "01_k.ipynb")
    ns = {NOTEBOOK_PATH_NAME: str(nb), "n": 1, "lang": "en"}
    with pytest.raises(ParameterError, match="^kind should be one of .* when no panel is given"):
        record_results({}, namespace=ns, out_dir=tmp_path / "r")
    with pytest.raises(ParameterError, match="^panel should be a ScoredPanel"):
        record_results({}, panel="x", namespace=ns, out_dir=tmp_path / "r")
    assert not (tmp_path / "r").exists()


def test_nothing_is_lost_in_json():
    import pandas as pd

    with pytest.raises(ParameterError, match="keys that stay distinct"):
        to_jsonable({1: 2, "1": 3})
    with pytest.raises(ParameterError, match="reset_index"):      # the city index would be dropped
        to_jsonable(pd.DataFrame({"x": [1]}, index=["北京"]))
    assert to_jsonable(pd.DataFrame({"x": [1]}, index=["北京"]).reset_index(names="city")) == [{"city": "北京", "x": 1}]
    with pytest.raises(ParameterError, match="^results should be numbers, strings"):
        to_jsonable(object())


def test_a_notebook_run_by_hand_writes_to_a_folder_private_to_the_user(tmp_path, monkeypatch, capfd):
    # review of issue 14: by hand, results went to a shared, predictable $TMPDIR/cityeval-by-hand/results, where
    # another user could plant a link (a hand run then overwrote any file the user can write) or own the folder
    import os
    import stat

    from cityeval.errors import OutputError
    from cityeval.notebook.results import RUN_RESULTS_VARIABLE, write_results

    monkeypatch.delenv(RUN_RESULTS_VARIABLE, raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "tmp" / "cityeval-by-hand" / "results").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n")
    # a link planted in the old shared folder is never reached: that folder is no longer used
    (tmp_path / "tmp" / "cityeval-by-hand" / "results" / "00_x.json").symlink_to(victim)
    target = write_results("00_x", {"a": 1}, parameters={}, kind="example")
    folder = tmp_path / "cache" / "cityeval" / "by-hand"
    assert target == folder / "00_x.json" and victim.read_text() == "the user's own file\n"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700          # no other user reads it or writes into it
    out, err = capfd.readouterr()
    note = f"note: run by hand, so the results went to {target}, not output/results/"
    assert note in out and note in err                           # in the notebook, and on papermill's terminal
    # a link in the private folder (however it came there) is refused, not written through
    target.unlink()
    target.symlink_to(victim)
    with pytest.raises(OutputError, match="a symbolic link in the by-hand results folder"):
        write_results("00_x", {"a": 2}, parameters={}, kind="example")
    assert victim.read_text() == "the user's own file\n"
    # a folder made accessible to others is made private again
    os.chmod(folder, 0o777)
    write_results("00_y", {"a": 1}, parameters={}, kind="example")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to make a folder another user's")
def test_a_by_hand_folder_of_another_user_is_refused(tmp_path, monkeypatch):
    from cityeval.errors import OutputError
    from cityeval.notebook.results import RUN_RESULTS_VARIABLE, write_results

    monkeypatch.delenv(RUN_RESULTS_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "cityeval" / "by-hand"
    folder.mkdir(parents=True)
    os.chown(folder, 65534, 65534)
    with pytest.raises(OutputError, match=r"by-hand results folder belongs to another user \(uid 65534\)"):
        write_results("00_x", {"a": 1}, parameters={}, kind="example")
    assert list(folder.iterdir()) == []
