"""The notebook runner: parameter checks before any kernel starts, failure reporting, the index page."""
from __future__ import annotations

import io
import json
import shutil
import sys

import nbformat
import pytest

from cityeval import paths
from cityeval.notebook import parameters, runner
from cityeval.errors import ParameterError
from cityeval.notebook.results import write_results


def _notebook(path, source_cells, params="n = 3  # int: a count\nname = 'x'  # str: a name\n"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A tiny test notebook"),
                nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in source_cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_check_parameters(tmp_path):
    nb = _notebook(tmp_path / "01_x.ipynb", ["print(n)"])
    assert parameters.check_parameters(nb, {"n": 5}) == {"n": 5}
    with pytest.raises(ParameterError, match=r"parameter 'm' of notebook 01_x should be one of n, name"):
        parameters.check_parameters(nb, {"m": 5})
    with pytest.raises(ParameterError, match=r"parameter 'n' of notebook 01_x should be of type int"):
        parameters.check_parameters(nb, {"n": "five"})
    with pytest.raises(ParameterError, match="of type int"):
        parameters.check_parameters(nb, {"n": True})


def test_coerce_value():
    assert parameters.coerce_value("3") == 3 and parameters.coerce_value("0.5") == 0.5
    assert parameters.coerce_value("true") is True and parameters.coerce_value("kmeans") == "kmeans"


def test_list_notebooks_only():
    stems = [p.stem for p in runner.list_notebooks()]
    assert "01_published_claims" in stems and stems == sorted(stems)
    assert [p.stem for p in runner.list_notebooks(["01"])] == ["01_published_claims"]
    with pytest.raises(ParameterError, match="--only should be a notebook stem"):
        runner.list_notebooks(["99"])


def test_failing_notebook_is_reported_and_others_run(tmp_path):
    good = _notebook(tmp_path / "01_good.ipynb", [
        "from cityeval.notebook.results import write_results\n"
        "write_results('01_good', {'summary': 'it worked'}, parameters={'n': n}, synthetic=False)"])
    bad = _notebook(tmp_path / "02_bad.ipynb", ["x = 1", "raise RuntimeError('boom in cell')"])
    out = tmp_path / "out"
    outcomes = [runner.execute_notebook(p, out_dir=out, parameters={"n": 4}) for p in (good, bad)]
    assert [o.ok for o in outcomes] == [True, False]
    assert "RuntimeError: boom in cell" in outcomes[1].error
    assert outcomes[0].summary == "it worked"
    assert json.loads((out / "results" / "01_good.json").read_text())["parameters"] == {"n": 4}
    assert (out / "notebooks" / "02_bad.html").exists()  # the failed notebook is still rendered
    index = runner.write_index(outcomes, out).read_text()
    assert 'href="notebooks/01_good.html"' in index and "boom in cell" in index


def test_results_file_is_deterministic(tmp_path):
    paths = [write_results("01_x", {"a": 1.5, "b": [1, 2]}, parameters={"seed": 1}, synthetic=True,
                           out_dir=tmp_path / d) for d in ("one", "two")]
    assert paths[0].read_bytes() == paths[1].read_bytes()
    doc = json.loads(paths[0].read_text())
    assert doc["data_kind"].startswith("synthetic: illustrative")
    assert set(doc) == {"notebook", "data_kind", "parameters", "inputs_sha256", "versions", "results"}


def test_run_notebooks_renders_pages_in_the_background_and_reports_a_page_that_fails(tmp_path, monkeypatch):
    # run_notebooks (what make run calls) renders each page while the next notebook runs; every page
    # exists before the index is written, and a page that cannot be rendered fails its notebook by name
    folder = tmp_path / "nbs"
    folder.mkdir()
    for stem in ("01_first", "02_second", "03_third"):
        _notebook(folder / f"{stem}.ipynb", ["print(n * 2)"] + (["raise RuntimeError('boom')"] if stem == "02_second" else []))
    real_render = runner._render_html

    def render(ipynb):
        if ipynb.stem == "02_second":
            raise OSError("disk full (simulated)")
        return real_render(ipynb)

    monkeypatch.setattr(runner, "_render_html", render)
    out = tmp_path / "out"
    (out / "notebooks").mkdir(parents=True)
    (out / "notebooks" / "02_second.html").write_text("a page from an earlier run", encoding="utf-8")
    log = io.StringIO()
    outcomes = runner.run_notebooks(folder=folder, out_dir=out, parameters={"n": 4}, stream=log)
    assert [o.ok for o in outcomes] == [True, False, True]
    # the notebook's own error comes first, the page's failure is added to it
    assert outcomes[1].error.startswith("RuntimeError: boom")
    assert outcomes[1].error.endswith("; HTML page not rendered: OSError: disk full (simulated)")
    assert "02_second: HTML page not rendered" in log.getvalue()
    assert (out / "notebooks" / "01_first.html").exists() and (out / "notebooks" / "03_third.html").exists()
    assert not (out / "notebooks" / "02_second.html").exists()
    index = (out / "index.html").read_text()
    assert 'href="notebooks/03_third.html"' in index and 'href="notebooks/02_second.html"' not in index
    assert "disk full" in index


def test_a_relative_folder_parameter_means_relative_to_where_the_command_runs(tmp_path, monkeypatch):
    # the kernel runs in the notebook's own folder, so a relative -p data must be made absolute first
    # (review finding: `run --only 05 -p data data/synthetic/ccid2022` passed the check, then failed in cell 3)
    folder = tmp_path / "nbs"
    folder.mkdir()
    nb = _notebook(folder / "01_reads.ipynb", [
        "import os\nassert os.path.isabs(data) and os.path.isfile(os.path.join(data, 'values.csv')), data"],
        params="data: str = ''  # a dataset folder\n")
    work = tmp_path / "work"
    shutil.copytree(paths.DATA / "examples" / "toy", work / "mine")
    monkeypatch.chdir(work)
    outcomes = runner.run_notebooks(folder=folder, parameters={"data": "mine"}, out_dir=tmp_path / "out",
                                    stream=io.StringIO())
    assert [o.ok for o in outcomes] == [True], outcomes[0].error
    assert parameters.resolve_paths({"data": "", "n": 1}) == {"data": "", "n": 1}   # empty: the embedded data
    assert parameters.resolve_paths({"published_dir": "x"})["published_dir"] == str(work / "x")


def test_a_cityeval_kernel_of_another_environment_is_passed_over(monkeypatch):
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    def spec(argv):
        return lambda self, name: KernelSpec(argv=argv, display_name=name, language="python")

    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", spec(["/elsewhere/venv/bin/python", "-m", "ipykernel"]))
    assert runner._kernel_name() == "python3"
    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", spec([sys.executable, "-m", "ipykernel"]))
    assert runner._kernel_name() == "cityeval"
    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", spec(["python", "-m", "ipykernel"]))
    assert runner._kernel_name() == "cityeval" and runner.kernel_command()[0] == sys.executable
