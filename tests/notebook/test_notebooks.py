"""Every notebook executed with papermill (small parameters where that makes it faster).

Each must run without error, write ``results/<stem>.json`` with the documented keys and a
summary, and render to HTML.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from cityeval import paths
from cityeval.notebook import parameters, runner, style
from cityeval.files import file_sha256

NOTEBOOKS = runner.list_notebooks()


def _data_checksums() -> dict:
    """SHA-256 of every file under data/ (inputs must never be modified by a run)."""
    return {p.relative_to(paths.DATA).as_posix(): file_sha256(p) for p in sorted(paths.DATA.rglob("*")) if p.is_file()}


def _test_meta(path) -> dict:
    """A notebook's ``metadata.cityeval``: ``test_parameters`` (small, so the suite stays fast) and
    ``result_keys`` (keys its results must hold beyond ``summary``)."""
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("cityeval", {})


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert "result_keys" in _test_meta(path), f"{path.name} has no metadata.cityeval.result_keys"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_parameter_is_documented(path):
    # papermill's parser skips a line it cannot read (e.g. '=' inside the comment) with only a warning;
    # then `papermill --help-notebook` and the runner's checks would not know the parameter.
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    tree = ast.parse("".join(cell["source"]))
    names = [t.target.id if isinstance(t, ast.AnnAssign) else t.targets[0].id for t in tree.body]
    declared = parameters.notebook_parameters(path)
    assert names == list(declared)
    for name, info in declared.items():
        assert info["help"], f"{path.stem}: parameter {name} has no comment"
        assert info["type"] in ("int", "float", "str", "bool"), f"{path.stem}: parameter {name} has no type"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path, executed_run):
    meta = _test_meta(path)
    # the run the other tests read too (executed once per session, page rendered)
    first = executed_run(path.stem, render_html=True)
    result_file = first / "results" / f"{path.stem}.json"
    doc = json.loads(result_file.read_text(encoding="utf-8"))
    # reproducible: a second run with the same parameters, into a fresh folder, writes a byte-identical results file
    before = _data_checksums()
    again = runner.execute_notebook(path, parameters=meta.get("test_parameters", {}), out_dir=tmp_path / "again",
                                    render_html=False)
    assert again.ok, again.error
    assert (tmp_path / "again" / "results" / f"{path.stem}.json").read_bytes() == result_file.read_bytes()
    # input files are never modified
    assert _data_checksums() == before
    # the record: parameters as run, package versions, the checksum of every input file
    assert doc["parameters"] and doc["versions"]["numpy"] and doc["inputs_sha256"]
    assert doc["results"]["summary"]
    missing = set(meta.get("result_keys", [])) - set(doc["results"])
    assert not missing, f"results of {path.stem} lack {sorted(missing)}"
    if doc["data_kind"].startswith("synthetic"):
        assert "illustrative" in doc["results"]["summary"].lower()
    assert (first / "notebooks" / f"{path.stem}.html").exists()
    # English labels by default: no character drawn as an empty box
    assert _glyph_warnings(first / "notebooks" / f"{path.stem}.ipynb") == []


def _glyph_warnings(executed) -> list[str]:
    """matplotlib's 'Glyph ... missing from font(s)' warnings in an executed notebook's outputs: a
    character drawn as an empty box (tests/notebook/test_labels.py shows the warning is raised for CJK text
    drawn with the default font, so an empty list means something)."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    texts = ["".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    return [line for t in texts for line in t.splitlines() if "missing from font" in line]


ZH_NOTEBOOKS = [p for p in NOTEBOOKS if "lang" in parameters.notebook_parameters(p)]


def test_every_notebook_has_chinese_pages():
    # issue 15: "with lang zh, every figure's text ... and every printed conclusion ... is Chinese, in every notebook"
    assert ZH_NOTEBOOKS == NOTEBOOKS
    for path in NOTEBOOKS:
        assert parameters.notebook_parameters(path)["lang"]["default"] in ('"en"', "'en'"), path.stem   # the literal


#: Four English words in a row: a sentence left untranslated (terms, names and acronyms are fewer).
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]{2,}){3,}")


def _untranslated(executed) -> list[str]:
    """Printed output of a notebook run with lang zh that is still English: a Markdown or plain-text display or
    stdout with a run of four English words (code spans, math and links' targets left out), or without a single
    Chinese character."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or "appendix" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                texts = ["".join(out["text"])]
            elif out.get("output_type") in ("display_data", "execute_result") and "text/markdown" in out["data"]:
                texts = ["".join(out["data"]["text/markdown"])]
            else:
                continue
            for text in texts:
                plain = re.sub(r"`[^`]*`|\$[^$]*\$|\]\([^)]*\)", " ", text)
                run = _ENGLISH_RUN.search(plain)
                if run or not re.search(r"[\u4e00-\u9fff]", plain):
                    found.append(f"cell {i}: {(run.group(0) if run else plain.strip())[:120]!r}")
    return found


@pytest.mark.notebook
@pytest.mark.parametrize("path", ZH_NOTEBOOKS, ids=[p.stem for p in ZH_NOTEBOOKS])
def test_notebook_in_chinese_has_no_english_and_no_empty_box(path, executed_run):
    # every figure's text is recorded as it is drawn (cityeval.notebook.style's recorder, which executed_run turns
    # on); text_problems names English words in a Chinese figure and any glyph the font lacks
    # (tests/notebook/test_style.py shows both fail)
    folder = executed_run(path.stem, lang="zh")
    record = folder / "figure-texts.jsonl"
    executed = folder / "notebooks" / f"{path.stem}.ipynb"
    assert _glyph_warnings(executed) == []
    figures = _figure_count(executed)
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    assert len(lines) >= figures, f"{figures} figures in the notebook, {len(lines)} recorded: call use_style(lang)"
    assert (style.text_problems(record) if lines else []) == []
    assert _untranslated(executed) == []
    doc = json.loads((folder / "results" / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert doc["parameters"]["lang"] == "zh"
    assert re.search(r"[\u4e00-\u9fff]", doc["results"].get("summary_zh", "")), "no Chinese summary_zh"


def _figure_count(executed) -> int:
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    return sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def test_claims_notebook_results(tmp_path):
    path = next(p for p in NOTEBOOKS if p.stem == "01_published_claims")
    outcome = runner.execute_notebook(path, parameters={"n_sim": 100}, out_dir=tmp_path, render_html=False)
    assert outcome.ok, outcome.error
    doc = json.loads((tmp_path / "results" / "01_published_claims.json").read_text(encoding="utf-8"))
    res = doc["results"]
    assert doc["data_kind"].startswith("published")
    assert all(c["match"] for c in res["claims"]) and len(res["claims"]) == 15
    # Table 3 x Table 4: 83 cities on both lists (100 - 17 infrastructure-only cities)
    assert res["rank_agreement"]["overall_top100~infrastructure_top100"]["n"] == 83


def test_readme_shows_a_figure_of_every_notebook():
    # issue 7: the README shows one figure from each finding (docs/make_figures.py copies them)
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        figure = paths.ROOT / "docs" / "figures" / f"{path.stem}.png"
        assert figure.exists() and figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", figure
        assert f"docs/figures/{path.stem}.png" in readme and f"`{path.stem}`" in readme, path.stem


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path):
    # issue 11: formulas, verdicts and helpers live in the library (tested there); a notebook calls it and
    # plots, records its results through record_results (stem and parameters from what papermill injected),
    # and is committed without outputs
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                found.append(f"cell {i}: {type(node).__name__} at line {node.lineno}")
        if "write_results(" in source:
            found.append(f"cell {i}: write_results (use record_results)")
        if cell.get("outputs") or cell.get("execution_count") is not None:
            found.append(f"cell {i}: committed with outputs")
    assert found == []
    assert "record_results(" in "".join("".join(c["source"]) for c in nb["cells"])
