"""Issue 15 §8, the smaller things a user hits, each as a class: a saved dataset keeps its optional tables,
no kernel log in a run's progress, parameter errors that name the right thing, plain help texts, ``--version``,
``--only 1``, ``list``, numbers for a person, and a run without the ``cityeval`` kernel."""
from __future__ import annotations

import dataclasses
import importlib.metadata
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cityeval import cli, load_dataset, paths
from cityeval.analysis.polarization import load_covariates
from cityeval.cli import _show
from cityeval.composite.dataset import UNIT_TABLES
from cityeval.errors import ParameterError
from cityeval.notebook import _kernel, parameters, runner

PANEL = paths.DATA / "synthetic" / "ccid2022"
TOY = paths.DATA / "examples" / "toy"


# ---- 1. Dataset.save keeps every table of the folder
def test_a_subset_saved_keeps_the_covariates_of_its_units(tmp_path):
    ds = load_dataset(PANEL)
    east = dataclasses.replace(ds, values=ds.values[ds.values["region"] == "华东"])    # the README's example
    east.save(tmp_path / "east")
    back = load_dataset(tmp_path / "east")
    pd.testing.assert_frame_equal(back.values, east.values)
    pd.testing.assert_frame_equal(back.indicators, ds.indicators)
    assert back.method == ds.method
    source = load_covariates(PANEL)
    pd.testing.assert_frame_equal(load_covariates(tmp_path / "east"), source.loc[east.values.index])
    assert sorted(p.name for p in (tmp_path / "east").iterdir()) == \
        sorted(["values.csv", "indicators.csv", "method.json", *UNIT_TABLES])


def test_a_whole_dataset_saved_elsewhere_keeps_every_table_byte_for_byte(tmp_path):
    load_dataset(PANEL).save(tmp_path / "copy")
    for name in UNIT_TABLES:
        assert (tmp_path / "copy" / name).read_bytes() == (PANEL / name).read_bytes()


def test_a_dataset_saved_over_its_own_folder_keeps_its_tables(tmp_path):
    load_dataset(PANEL).save(tmp_path / "mine")
    ds = load_dataset(tmp_path / "mine")
    ds.values = ds.values.iloc[:10]
    dataclasses.replace(ds).save(tmp_path / "mine")            # through the checks again
    assert list(load_covariates(tmp_path / "mine").index) == list(ds.values.index)


def test_a_folder_without_tables_gets_none(tmp_path):
    load_dataset(TOY).save(tmp_path / "toy")
    assert not any((tmp_path / "toy" / name).exists() for name in UNIT_TABLES)


# ---- 2. no kernel log in a successful run's progress
def _notebook(path, cells, kernel="python3"):
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "id": "p", "metadata": {"tags": ["parameters"]},
                      "outputs": [], "source": "n = 1\n"}] +
                    [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                      "source": c} for i, c in enumerate(cells)],
           "metadata": {"kernelspec": {"name": kernel, "display_name": "Python (cityeval)", "language": "python"}},
           "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_kernels_own_log_stays_out_of_the_progress(tmp_path):
    # the kernel logs as ipykernel does when jupyter_client's shutdown SIGINT lands while it is busy
    # ("[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel."); its stderr is the runner's
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_tiny.ipynb", ["k = get_ipython().kernel\n"
                                         "k.log.error('KeyboardInterrupt caught in kernel.')\n"
                                         "k.log.warning('a warning of the kernel')\nprint(n)"])
    code = (f"from cityeval.notebook import runner; "
            f"runner.run_notebooks(folder={str(folder)!r}, out_dir={str(tmp_path / 'out')!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "[IPKernelApp]" not in done.stderr + done.stdout and "KeyboardInterrupt" not in done.stderr + done.stdout
    assert re.fullmatch(r"\[1/1\] 01_tiny \.\.\. ok \(\d+\.\d s\)\n1 of 1 notebooks ran; index: .*\n", done.stdout), \
        done.stdout


# ---- 3. a parameter no chosen notebook has: said so, with the notebooks that have it
def test_a_parameter_a_notebook_lacks_names_it_and_the_notebooks_that_have_it(capsys):
    assert cli.main(["run", "--only", "02", "-p", "alpha", "0.1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: notebook 02_innovation_correlation has no parameter 'alpha' (its parameters: "
                          "data, top_n, "), err
    takers = [p.stem for p in runner.list_notebooks() if "alpha" in parameters.parameter_names(p)]
    assert f"'alpha' is a parameter of {', '.join(takers)}" in err and "value is" not in err
    assert len(err.splitlines()) == 1


def test_a_parameter_of_one_notebook_by_the_api_names_it_too():
    with pytest.raises(ParameterError) as info:
        parameters.check_parameters(paths.NOTEBOOKS / "09_robustness.ipynb", {"k": 3})
    assert str(info.value).startswith("notebook 09_robustness has no parameter 'k' (its parameters: data, n, ")
    assert "'k' is a parameter of 03_capability_stages" in str(info.value) and "value is" not in str(info.value)


def test_no_message_says_the_value_is_the_name():
    # the shape "X should be ... but its value is 'X'": a name reported as if it were a value
    for chosen, name in ((["02"], "alpha"), (["02", "03"], "topn"), (["01"], "data")):
        with pytest.raises(ParameterError) as info:
            parameters.check_names(runner.list_notebooks(chosen), [name])
        assert f"its value is {name!r}" not in str(info.value)


# ---- 4. help texts are plain text
def _parsers():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {"": parser, **sub.choices}


@pytest.mark.parametrize("command", list(_parsers()), ids=lambda c: c or "main")
def test_every_help_text_is_plain(command):
    text = _parsers()[command].format_help()
    assert "%%" not in text and "``" not in text, text
    assert not re.search(r":[a-z]+:`", text), text


def test_plain_help_renders_the_restructured_text_of_a_docstring():
    assert cli.plain_help("a ``--as NAME`` and :func:`~cityeval.x.check` or :mod:`cityeval.audit`, 5%%") == \
        "a --as NAME and check or cityeval.audit, 5%"


# ---- 5. --version
def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"cityeval {importlib.metadata.version('cityeval')}\n"


# ---- 6. --only with or without leading zeros, several, ambiguous
def test_only_takes_numbers_with_or_without_zeros_and_stems():
    stems = [p.stem for p in runner.list_notebooks(["1", "002", "09_robustness", "03_capability"])]
    assert stems == ["01_published_claims", "02_innovation_correlation", "03_capability_stages", "09_robustness"]
    with pytest.raises(ParameterError, match=r"^--only should be a notebook stem or number among 00_method_walkthrough"):
        runner.list_notebooks(["99"])


def test_only_refuses_a_name_of_two_notebooks(tmp_path):
    for stem in ("01_a", "01_b"):
        _notebook(tmp_path / f"{stem}.ipynb", [])
    with pytest.raises(ParameterError, match=r"naming one notebook \(it names 01_a, 01_b; the notebooks: 01_a, 01_b"):
        runner.list_notebooks(["1"], tmp_path)
    assert [p.stem for p in runner.list_notebooks(["01_b"], tmp_path)] == ["01_b"]


# ---- 7. list
def test_list_shows_every_notebook_with_its_parameters(capsys):
    assert cli.main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [nb["stem"] for nb in listed] == [p.stem for p in runner.list_notebooks()]
    by_stem = {nb["stem"]: nb for nb in listed}
    nb03 = by_stem["03_capability_stages"]
    assert nb03["title"].startswith("03 · ")          # the notebook's first heading
    algorithm = next(p for p in nb03["parameters"] if p["name"] == "algorithm")
    assert algorithm == {"name": "algorithm", "type": "str", "default": "kmeans", "help": "kmeans, ward or gmm",
                         "choices": ["gmm", "kmeans", "ward"]}
    assert [p["name"] for p in nb03["parameters"]] == parameters.parameter_names(paths.NOTEBOOKS / "03_capability_stages.ipynb")
    assert cli.main(["list", "--only", "3"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("03_capability_stages: 03 · ")
    assert "    algorithm (str, default \"kmeans\"): kmeans, ward or gmm [choices: gmm, kmeans, ward]\n" in text
    assert "    standardize (bool, default True): " in text


# ---- 8. numbers for a person; CSV at full precision
class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_table_on_a_terminal_is_rounded_and_csv_is_not(monkeypatch, capsys):
    assert cli.main(["score", str(PANEL)]) == 0
    csv_text = capsys.readouterr().out
    assert re.search(r",\d+\.\d{8,}", csv_text)                       # full precision in the CSV
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert cli.main(["score", str(PANEL)]) == 0
    shown = terminal.getvalue()
    digits = [len(t.replace(".", "").lstrip("0")) for t in re.findall(r"\b\d+\.\d+\b", shown)]
    assert digits and max(digits) <= _show.DIGITS, shown[:500]          # no 94.73521282476506
    beijing = pd.read_csv(io.StringIO(csv_text), index_col="unit").loc["北京市", "INDEX"]
    row = next(line for line in shown.splitlines() if line.startswith("北京市"))
    assert f" {_show.show(beijing)} " in row and "full precision as CSV: --out FILE" in shown


def test_show_formats_as_the_notebooks_do():
    assert [_show.show(x) for x in (94.73521282476506, 12.0, 0.1 + 0.2, 1e-20)] == ["94.74", "12", "0.3", "0"]


# ---- 9. the notebooks' cityeval kernel absent: the runner falls back and says so
def test_without_the_cityeval_kernel_the_runner_runs_this_python_and_says_so(tmp_path, monkeypatch, capsys):
    absent = "cityeval-absent-for-this-test"
    monkeypatch.setattr(_kernel, "PREFERRED_KERNEL", absent)
    name, why = _kernel.kernel_choice()
    assert name == "python3" and why == (f"python3 (this Python's own kernel, {sys.executable}): "
                                         f"no {absent!r} kernel is installed")
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_k.ipynb", ["import sys\nprint(sys.executable)"], kernel=absent)   # as the notebooks declare
    outcomes = runner.run_notebooks(folder=folder, out_dir=tmp_path / "out", stream=io.StringIO())
    assert [o.ok for o in outcomes] == [True], outcomes
    executed = json.loads((tmp_path / "out" / "notebooks" / "01_k.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in executed["cells"] if "sys.executable" in "".join(c["source"]))
    assert cell["outputs"][0]["text"] == [f"{sys.executable}\n"]    # this interpreter
    # the command line says which kernel it uses (run_notebooks itself is stubbed: the real notebooks are slow)
    import cityeval.cli.run as run_command
    monkeypatch.setattr(run_command, "PREFERRED_KERNEL", absent)
    monkeypatch.setattr(run_command, "run_notebooks", lambda **kw: [])
    assert cli.main(["run", "--only", "01"]) == 0
    assert capsys.readouterr().out == f"note: the notebooks run in kernel {why}\n"


def test_a_python3_kernel_of_another_python_is_not_used(monkeypatch):
    # a teacher's ~/.local/share/jupyter/kernels/python3 may start a Python without cityeval
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    monkeypatch.setattr(_kernel, "PREFERRED_KERNEL", "cityeval-absent-for-this-test")
    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec",
                        lambda self, name: KernelSpec(argv=["/usr/bin/python3", "-m", "ipykernel_launcher"],
                                                      display_name=name, language="python"))
    assert _kernel.kernel_command()[0] == sys.executable
    km = _kernel._kernel_manager_class(None, {}, str(paths.NOTEBOOKS))(kernel_name="python3")
    assert km.kernel_spec.argv[0] == sys.executable


def test_a_subset_of_the_lesson_saved_keeps_its_ahp_judgements(tmp_path):
    # review of issue 15: Dataset.save dropped ahp.json, so `-p weighting ahp` was refused on a saved subset
    import dataclasses

    lesson = load_dataset(paths.DATA / "examples" / "lesson")
    saved = dataclasses.replace(lesson, values=lesson.values.iloc[:8]).save(tmp_path / "sub")
    assert (saved / "ahp.json").read_bytes() == (paths.DATA / "examples" / "lesson" / "ahp.json").read_bytes()
    from cityeval.notebook.parameters import check_values

    check_values(paths.NOTEBOOKS / "00_method_walkthrough.ipynb", {"data": str(saved), "weighting": "ahp"})


# ---- issue 14 (hole 18): a command line argparse cannot read is one line, for every command
def _one_line_error(argv, capsys):
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2, (argv, code, err)
    assert err.startswith("error: ") and err.count("\n") == 1 and "usage:" not in err, (argv, err)
    return err.strip()


def _typed_options():
    """(command, option, type) of every option of every command that argparse converts with int or float."""
    for command, parser in _parsers().items():
        for action in parser._actions:
            if action.option_strings and action.type in (int, float):
                yield command, action.option_strings[-1], action.type


@pytest.mark.parametrize("command, option, kind", list(_typed_options()), ids=lambda x: getattr(x, "__name__", x))
def test_a_number_option_given_text_is_one_line_naming_command_and_option(command, option, kind, capsys):
    # the words are the ones the messages promise: "a whole number" for int, "a number" for float
    err = _one_line_error([command, option, "1.5x"], capsys)
    expected = "a whole number" if kind is int else "a number"
    assert err == (f"error: {command} {option}: expected {expected} (found '1.5x'; "
                   f"see python -m cityeval {command} --help)"), err


@pytest.mark.parametrize("command", [c for c in _parsers() if c], ids=str)
def test_an_unknown_option_of_any_command_is_one_line(command, capsys):
    err = _one_line_error([command, "--no-such-option"], capsys)
    assert f"see python -m cityeval {command} --help" in err, err
    # a command with a required argument may report that first; otherwise the option is named
    assert "--no-such-option" in err or "required" in err, err


def test_missing_arguments_name_them_and_what_they_are(capsys):
    assert _one_line_error(["score"], capsys) == \
        "error: score FOLDER: required: the dataset folder (found none; see python -m cityeval score --help)"
    err = _one_line_error(["convert-coinr", "a.csv"], capsys)
    assert err.startswith("error: convert-coinr IMETA, OUT_FOLDER: required: COINr iMeta as CSV; ") and \
        "found none of them" in err, err
    err = _one_line_error(["audit", "folder"], capsys)
    assert err.startswith("error: audit --spec FILE: required: the uncertainty spec (JSON)"), err
    assert _one_line_error([], capsys).startswith("error: expected a command: one of run, score, ")


def test_other_parse_errors_are_one_line(capsys):
    assert _one_line_error(["run", "-j", "0"], capsys) == (
        "error: run -j/--jobs: expected a whole number of notebooks run at once, at least 1 (found '0'; "
        "see python -m cityeval run --help)")
    assert "did you mean 'score'?" in _one_line_error(["scroe", "x"], capsys)
    assert "did you mean --out?" in _one_line_error(["score", "x", "--outt", "y"], capsys)
    assert _one_line_error(["--nope"], capsys).startswith("error: --nope: unknown option")
    assert _one_line_error(["list", "--only"], capsys).startswith("error: list --only: expected at least one NAME")
    assert _one_line_error(["list", "--json=1"], capsys).startswith("error: list --json: takes no value (found '1'")
    assert _one_line_error(["run", "-p", "top_n"], capsys).startswith("error: run -p/--parameter: expected NAME VALUE")
    assert _one_line_error(["audit", "x", "--s", "1"], capsys).startswith("error: audit --s: ambiguous")
    assert _one_line_error(["score", "x", "y"], capsys).startswith("error: score: too many arguments")


def test_help_is_still_argparses_usage_and_exits_0(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["score", "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: python -m cityeval score [-h] [--out FILE] FOLDER")


def test_a_parse_error_in_a_real_process_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cityeval", "synthesize", "--seed", "x"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr == (
        "error: synthesize --seed: expected a whole number (found 'x'; see python -m cityeval synthesize --help)\n")
    assert not any(tmp_path.iterdir())


# ---- issue 14 (hole 24): notebook 00 says how its data folder is resolved
def test_notebook_00_data_help_says_how_a_relative_folder_is_resolved(tmp_path):
    help_text = parameters.notebook_parameters(paths.NOTEBOOKS / "00_method_walkthrough.ipynb")["data"]["help"]
    assert "relative to the repository root" not in help_text
    assert "from the folder the command runs in" in help_text and "from the repository root" in help_text
    # what it says is what happens: given to run, a relative folder is taken from the working folder ...
    resolved = parameters.resolve_paths({"data": "data/examples/toy"})["data"]
    assert resolved == str((Path.cwd() / "data" / "examples" / "toy").resolve())
    # ... while the default, left relative, is read from the repository root
    assert parameters.data_folder("00_method_walkthrough", "data/examples/lesson") == \
        paths.ROOT / "data" / "examples" / "lesson"
