"""The notebook runner: parameter checks before any kernel starts, failure reporting, the index page."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys

import nbformat
import pytest

from cityeval import paths
from cityeval.notebook import parameters, runner
from cityeval.errors import CityevalError, ParameterError
from cityeval.notebook.results import write_results


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """A notebook cache (and ensemble cache) of this test's own: a test that runs a notebook executes it, whatever
    an earlier test or session stored (``CITYEVAL_CACHE`` is shared otherwise)."""
    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))


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
    with pytest.raises(ParameterError, match=r"^notebook 01_x has no parameter 'm' \(its parameters: n, name\); no notebook has one\.$"):
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


# ---- a run's output is consistent (issue 14, section 2): the run record, the index, staging, the lock

_RECORDS = ("import os\nfrom cityeval.notebook.results import record_results\n"
            "assert not fail, 'asked to fail'\n"
            "record_results({'summary': f'n was {n}', 'progress': os.environ.get('CITYEVAL_PROGRESS'),\n"
            "                'cwd': os.getcwd()}, kind='example')")


def _recording(folder, stem):
    return _notebook(folder / f"{stem}.ipynb", [_RECORDS], params="n: int = 3  # a count\nfail: bool = False  # fail\n")


def _runs(out):
    return json.loads((out / "runs.json").read_text(encoding="utf-8"))["notebooks"]


def test_the_index_lists_every_notebook_with_its_latest_run_and_a_failed_rerun_leaves_no_results(tmp_path,
                                                                                                  monkeypatch):
    # the issue: "A failed rerun leaves the previous run's output/results/<stem>.json in place, looking valid ...
    # --only rewrites index.html with only that subset"; also the kernel is told to show progress bars
    # (CITYEVAL_PROGRESS=1) when the runner's own progress is on, and starts in the notebooks' folder
    monkeypatch.setenv("CITYEVAL_PROGRESS", "1")
    folder = tmp_path / "nbs"
    folder.mkdir()
    for stem in ("01_first", "02_second"):
        _recording(folder, stem)
    _notebook(folder / "03_never.ipynb", ["print(n)"])
    out = tmp_path / "out"
    runner.run_notebooks(folder=folder, only=["01", "02"], out_dir=out, parameters={"n": 4}, stream=io.StringIO())
    first = _runs(out)
    doc = json.loads((out / "results" / "02_second.json").read_text(encoding="utf-8"))
    assert doc["results"]["progress"] == "1" and doc["results"]["cwd"] == str(folder.resolve())
    assert first["02_second"]["status"] == "ok" and first["02_second"]["parameters"] == {"n": 4, "fail": False}
    # the rerun of 02 fails: its results file goes, 01's entry is kept as it was
    outcomes = runner.run_notebooks(folder=folder, only=["02"], out_dir=out, parameters={"fail": True},
                                    stream=io.StringIO())
    assert [o.ok for o in outcomes] == [False]
    runs = _runs(out)
    assert runs["01_first"] == first["01_first"]
    assert runs["02_second"]["status"] == "failed" and runs["02_second"]["results"] is None
    assert "asked to fail" in runs["02_second"]["error"] and runs["02_second"]["parameters"]["fail"] is True
    assert sorted(p.name for p in (out / "results").iterdir()) == ["01_first.json"]
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = [line for line in index.splitlines() if line.startswith("<tr class=")]
    assert [r.split('"')[1] for r in rows] == ["ok", "failed", "notrun"]          # every notebook, in order
    assert "n was 4" in rows[0] and "n=4" in rows[0] and first["01_first"]["started"] in rows[0]
    assert "asked to fail" in rows[1] and "fail=true" in rows[1]
    assert sorted(p.name for p in out.iterdir()) == ["glossary.html", "index.html", "notebooks", "results", "runs.json"]  # no debris


def test_a_relative_out_is_resolved_once_and_the_runner_never_changes_its_folder(tmp_path, monkeypatch):
    # the issue: "run --out relout loses or misplaces HTML pages: papermill changes the process's working folder
    # while the background renderer uses the relative path"
    folder = tmp_path / "nbs"
    folder.mkdir()
    for stem in ("01_a", "02_b"):
        _recording(folder, stem)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    seen = []
    real_render = runner._render_html
    monkeypatch.setattr(runner, "_render_html", lambda ipynb: (seen.append(os.getcwd()), real_render(ipynb))[1])
    runner.run_notebooks(folder=folder, out_dir="relout", stream=io.StringIO())
    assert sorted(p.name for p in (work / "relout" / "notebooks").iterdir()) == \
        ["01_a.html", "01_a.ipynb", "02_b.html", "02_b.ipynb"]
    assert sorted(p.name for p in folder.iterdir()) == ["01_a.ipynb", "02_b.ipynb"]   # nothing beside the sources
    assert set(seen) == {str(work)} and os.getcwd() == str(work)


def test_a_folder_in_use_is_refused_before_any_kernel_starts(tmp_path, monkeypatch):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _recording(folder, "01_a")
    out = tmp_path / "out"
    out.mkdir()
    lock = runner._FolderLock(out).acquire()
    monkeypatch.setattr(runner, "_execute", lambda *a, **k: pytest.fail("a kernel was started"))
    try:
        with pytest.raises(CityevalError, match=f"^output folder {out} is in use by another run \\(pid {os.getpid()}\\)"):
            runner.run_notebooks(folder=folder, out_dir=out, stream=io.StringIO())
    finally:
        lock.release()
    assert list(out.iterdir()) == []


def test_debris_of_a_run_killed_outright_is_removed(tmp_path):
    # a run killed with SIGKILL cannot clean up: the next run into the folder removes what it left (today's
    # hidden partial .<stem>.XXXX.ipynb files "stay forever")
    folder = tmp_path / "nbs"
    folder.mkdir()
    _recording(folder, "01_a")
    out = tmp_path / "out"
    (out / ".run-abc123" / "results").mkdir(parents=True)
    (out / "notebooks").mkdir()
    (out / "notebooks" / ".01_a.k2j3h4.ipynb").write_text("{}")
    (out / ".lock").write_text("12345\n")            # its lock file (the lock itself died with it)
    runner.run_notebooks(folder=folder, out_dir=out, stream=io.StringIO())
    assert sorted(p.name for p in out.iterdir()) == ["glossary.html", "index.html", "notebooks", "results", "runs.json"]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["01_a.html", "01_a.ipynb"]


def test_only_given_twice_runs_both(tmp_path):
    from cityeval.cli import build_parser

    args = build_parser().parse_args(["run", "--only", "00", "--only", "01"])
    assert args.only == ["00", "01"]      # argparse's default for a repeated option keeps only the last


def test_progress_lines_are_one_per_notebook_without_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYEVAL_PROGRESS", "0")
    folder = tmp_path / "nbs"
    folder.mkdir()
    _recording(folder, "01_a")
    log = io.StringIO()
    runner.run_notebooks(folder=folder, out_dir=tmp_path / "out", stream=log)
    lines = log.getvalue().splitlines()
    assert re.fullmatch(r"\[1/1\] 01_a \.\.\. ok \(\d+\.\d s\)", lines[0]) and len(lines) == 2, lines


def _tree(folder):
    """Every file and link under ``folder`` with its bytes (a link: where it points)."""
    return {p.relative_to(folder).as_posix(): (os.readlink(p) if p.is_symlink() else p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def test_files_the_record_does_not_describe_are_moved_to_stale(tmp_path):
    # review of issue 14: results and pages left by earlier runs (older code with no runs.json, notebooks no
    # longer recorded) stayed in results/ and notebooks/ looking current while the index said "not run"
    folder = tmp_path / "nbs"
    folder.mkdir()
    _recording(folder, "01_a")
    out = tmp_path / "out"
    for name in ("results/01_a.json", "results/02_gone.json", "notebooks/02_gone.html", "notebooks/02_gone.ipynb"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(f"an earlier run's {name}\n", encoding="utf-8")     # no runs.json: older code
    (out / "results" / "03_link.json").symlink_to(tmp_path / "elsewhere.json")
    runner.run_notebooks(folder=folder, out_dir=out, stream=io.StringIO())
    assert sorted(p.name for p in (out / "results").iterdir()) == ["01_a.json"]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["01_a.html", "01_a.ipynb"]
    assert json.loads((out / "results" / "01_a.json").read_text(encoding="utf-8"))["notebook"] == "01_a"  # the new one
    stale = _tree(out / "stale")
    assert sorted(stale) == ["notebooks/02_gone.html", "notebooks/02_gone.ipynb", "results/01_a.json",
                             "results/02_gone.json", "results/03_link.json"]
    assert stale["results/01_a.json"] == b"an earlier run's results/01_a.json\n"
    # a record entry left "committing" (a run killed while moving files in) describes nothing
    doc = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    doc["notebooks"]["01_a"]["status"] = "committing"
    (out / "runs.json").write_text(json.dumps(doc), encoding="utf-8")
    from cityeval.notebook._output import _sweep_stale
    moved = _sweep_stale(out)
    assert sorted(p.relative_to(out).as_posix() for p in moved) == \
        ["stale/notebooks/01_a.html", "stale/notebooks/01_a.ipynb", "stale/results/01_a.json"]
    entry = _runs(out)["01_a"]
    assert entry["status"] == "failed" and entry["results"] is None and "moved into place" in entry["error"]
    assert 'class="failed"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("failing", ["the run record", "the index"])
def test_a_commit_that_fails_partway_leaves_the_folder_as_it_was(tmp_path, monkeypatch, failing):
    # review of issue 14: a commit failing after the notebook's files were moved (runs.json or index.html not
    # written) left the new results under the old record
    from cityeval.errors import OutputError

    folder = tmp_path / "nbs"
    folder.mkdir()
    nb = _recording(folder, "01_a")
    out = tmp_path / "out"
    runner.execute_notebook(nb, out_dir=out, parameters={"n": 4})
    before = _tree(out)
    assert "results/01_a.json" in before and "notebooks/01_a.html" in before
    real_write_runs, calls = runner._write_runs, []

    def fail(*args, **kwargs):
        raise OutputError(out / "x", "no space left on the device (ENOSPC)")

    def write_runs(out_dir, runs):               # the "committing" entry is written, the final record fails
        calls.append(runs)
        if len(calls) > 1:
            fail()
        real_write_runs(out_dir, runs)

    if failing == "the run record":
        monkeypatch.setattr(runner, "_write_runs", write_runs)
    else:
        monkeypatch.setattr(runner, "write_index", fail)
    with pytest.raises(OutputError, match="no space left"):
        runner.execute_notebook(nb, out_dir=out, parameters={"n": 5})
    assert _tree(out) == before                  # the old files, the old record, the old index; nothing else
    assert sorted(p.name for p in out.iterdir()) == ["glossary.html", "index.html", "notebooks", "results", "runs.json"]


def test_the_inputs_include_every_notebooks_default_folders():
    # review of issue 14: only the parameters given were checked, so `run --only 00 --out data/examples/toy`
    # (00's default data) was accepted; 01 reads the embedded published tables when published_dir is empty
    found = runner._inputs({paths.NOTEBOOKS / "00_method_walkthrough.ipynb": {},
                            paths.NOTEBOOKS / "01_published_claims.ipynb": {}})
    assert found == {"the notebooks folder": paths.NOTEBOOKS, "the data folder": paths.DATA / "examples" / "lesson",
                     "the embedded data folder": paths.DATA}
    # issue 15 review: the embedded data/ is an input of every run (reference tables, framework labels), so
    # `run --only 00 --out data/examples/toy` (no longer 00's default) is still refused, not written into
    only_00 = runner._inputs({paths.NOTEBOOKS / "00_method_walkthrough.ipynb": {}})
    assert only_00["the embedded data folder"] == paths.DATA
