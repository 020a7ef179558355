"""The notebook cache (issue 16, goal 1): a rerun serves what has not changed, executes what has, never serves a
corrupt entry; ``--force`` executes all; the index says which pages came from the cache."""
from __future__ import annotations

import io
import json
import shutil

import nbformat
import pytest

from cityeval import paths
from cityeval.notebook import _cache, runner

# Each notebook records a fresh random token: the same token after a rerun means served from the cache, a new one
# means executed (the only way to tell from outside; nothing else in a results file changes between executions).
TOKEN = ("import secrets\nfrom cityeval.notebook.results import record_results\n"
         "record_results({'summary': f'n is {n}', 'token': secrets.token_hex(8)}, kind='example'{inputs})")


def _notebook(path, params="n = 3  # int: a count\n", inputs=""):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"),
                nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(TOKEN.replace("{inputs}", inputs))]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CITYEVAL_FIGURE_TEXTS", raising=False)


def _tokens(out):
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))["results"]["token"]
            for p in sorted((out / "results").glob("*.json"))}


@pytest.fixture
def steady_library(monkeypatch):
    """The library's digest held still: other work on the package while the test runs (an editor saving a file)
    would rightly make every notebook execute again; what these tests change is the notebooks and their inputs.
    (The library's part of the key: test_the_key_covers_the_library_and_every_file_of_the_data_folder.)"""
    monkeypatch.setattr(_cache, "environment_digest", lambda argv=(), **kw: "a library that does not change")


def _run(folder, out, **kw):
    log = io.StringIO()
    outcomes = runner.run_notebooks(folder=folder, out_dir=out, stream=log, jobs=1, **kw)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return log.getvalue()


def test_a_rerun_serves_unchanged_notebooks_and_executes_only_what_changed(tmp_path, steady_library):
    folder = tmp_path / "nb"
    folder.mkdir()
    extra = tmp_path / "extra.csv"            # an input outside every data folder, named by the results file
    extra.write_text("a\n1\n")
    _notebook(folder / "01_a.ipynb")
    _notebook(folder / "02_b.ipynb", inputs=f", inputs=[{str(extra)!r}]")
    out = tmp_path / "out"
    _run(folder, out)
    first = _tokens(out)
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "notebooks").iterdir()}
    files.update({f"results/{k}.json": (out / "results" / f"{k}.json").read_bytes() for k in first})

    log = _run(folder, out)                                    # nothing changed: both served
    assert _tokens(out) == first
    assert "[1/2] 01_a ... cached (ran " in log and "(2 from the cache)" in log, log
    # the files in place are those of the run that made them, byte for byte (results, executed copy, page)
    assert {k: (out / k).read_bytes() for k in files} == files
    runs = runner.read_runs(out)
    assert runs["01_a"]["cached"] is True and runs["01_a"]["status"] == "ok" and runs["01_a"]["results"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("ok, from the cache") == 2

    _notebook(folder / "01_a.ipynb", params="n = 4  # int: a count\n")     # the notebook's source changes
    _run(folder, out)
    now = _tokens(out)
    assert now["01_a"] != first["01_a"] and now["02_b"] == first["02_b"]
    assert runner.read_runs(out)["01_a"]["cached"] is False
    assert "ok, from the cache" in (out / "index.html").read_text(encoding="utf-8")   # 02_b's row

    _run(folder, out, parameters={"n": 5})                      # a parameter changes: both execute
    five = _tokens(out)
    assert five["01_a"] != now["01_a"] and five["02_b"] != now["02_b"]
    _run(folder, out, parameters={"n": 5})
    assert _tokens(out) == five

    extra.write_text("a\n2\n")                                  # a file 02_b read changes: only 02_b executes
    _run(folder, out, parameters={"n": 5})
    changed = _tokens(out)
    assert changed["01_a"] == five["01_a"] and changed["02_b"] != five["02_b"]

    _run(folder, out, parameters={"n": 5}, force=True)          # --force: every notebook executes
    forced = _tokens(out)
    assert forced["01_a"] != changed["01_a"] and forced["02_b"] != changed["02_b"]
    assert not any(r["cached"] for r in runner.read_runs(out).values())


def test_a_corrupt_or_partial_entry_is_executed_again_never_served(tmp_path, steady_library):
    folder = tmp_path / "nb"
    folder.mkdir()
    _notebook(folder / "01_a.ipynb")
    out = tmp_path / "out"
    _run(folder, out)
    entries = list((_cache.cache_folder() / "01_a").iterdir())
    assert len(entries) == 1 and sorted(p.name for p in entries[0].iterdir()) == [
        "entry.json", "executed.ipynb", "page.html", "results.json"]
    for damage in ("truncate the page", "alter the results", "drop the notebook", "break entry.json"):
        before = _tokens(out)
        entry = next((_cache.cache_folder() / "01_a").iterdir())
        if damage == "truncate the page":
            (entry / "page.html").write_bytes((entry / "page.html").read_bytes()[:100])
        elif damage == "alter the results":
            doc = json.loads((entry / "results.json").read_text())
            doc["results"]["token"] = "forged"
            (entry / "results.json").write_text(json.dumps(doc))
        elif damage == "drop the notebook":
            (entry / "executed.ipynb").unlink()
        else:
            (entry / "entry.json").write_text('{"format": ')
        _run(folder, out)
        after = _tokens(out)
        assert after["01_a"] not in (before["01_a"], "forged"), damage      # executed again
        assert runner.read_runs(out)["01_a"]["cached"] is False, damage
        _run(folder, out)                                                   # and the new entry is served
        assert _tokens(out) == after, damage


def test_a_failed_notebook_is_never_cached(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    nb = _notebook(folder / "01_a.ipynb")
    book = nbformat.read(str(nb), as_version=4)
    book.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('always fails')"))
    nbformat.write(book, str(nb))
    out = tmp_path / "out"
    for _ in range(2):
        outcomes = runner.run_notebooks(folder=folder, out_dir=out, stream=io.StringIO(), jobs=1)
        assert not outcomes[0].ok and "always fails" in outcomes[0].error
        assert runner.read_runs(out)["01_a"]["cached"] is False
        assert not (out / "results" / "01_a.json").exists()     # issue 14: a failed run leaves no results file
    assert not (_cache.cache_folder() / "01_a").exists() or not any((_cache.cache_folder() / "01_a").iterdir())


def test_the_key_covers_the_library_and_every_file_of_the_data_folder(tmp_path):
    # the key: source, parameters, the checksums of the files read (incl. the data folder), the library
    nb = _notebook(tmp_path / "01_a.ipynb")
    data = tmp_path / "data"
    shutil.copytree(paths.DATA / "examples" / "toy", data)
    library = tmp_path / "lib" / "cityeval"
    shutil.copytree(paths.ROOT / "cityeval", library, ignore=shutil.ignore_patterns("__pycache__"))
    assert _cache.PACKAGE == paths.ROOT / "cityeval"
    env = _cache.environment_digest(["python"], package=library)
    key = _cache.notebook_key(nb, {"n": 3}, [data], env)
    assert key == _cache.notebook_key(nb, {"n": 3}, [data], _cache.environment_digest(["python"], package=library))
    (data / "notes.txt").write_text("a file added to the data folder\n")
    assert _cache.notebook_key(nb, {"n": 3}, [data], env) != key
    (data / "notes.txt").unlink()
    assert _cache.notebook_key(nb, {"n": 3}, [data], env) == key
    (library / "composite" / "normalization.py").write_text((library / "composite" / "normalization.py").read_text() + "\n#\n")
    assert _cache.environment_digest(["python"], package=library) != env
    assert _cache.environment_digest(["python3"], package=library) != \
        _cache.environment_digest(["python"], package=library)                                # another kernel
