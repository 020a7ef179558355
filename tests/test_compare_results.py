"""benchmarks/compare_results.py: the check that the reorganisation of issue 11 changed no result except
the keys the README lists as renamed. Expected values are worked by hand on the small documents below."""
from __future__ import annotations

import importlib.util
import json

import pytest

from cityeval import paths

_spec = importlib.util.spec_from_file_location("compare_results", paths.ROOT / "benchmarks" / "compare_results.py")
compare_results = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_results)


def test_rename_walks_lists_and_renames_only_the_last_key():
    doc = {"results": {"tests": [{"p": 0.1, "x": 1}, {"p": 0.2}], "kw": {"p": 0.3}}}
    assert compare_results.rename(doc, "results.tests[].p", "results.tests[].p_value") == 2
    assert compare_results.rename(doc, "results.kw.p", "results.kw.p_value") == 1
    assert doc == {"results": {"tests": [{"p_value": 0.1, "x": 1}, {"p_value": 0.2}], "kw": {"p_value": 0.3}}}
    doc = {"results": {"by_dim": {"INF": {"p": 1}, "GOV": {"p": 2}}}}
    assert compare_results.rename(doc, "results.by_dim.*.p", "results.by_dim.*.p_value") == 2
    assert doc == {"results": {"by_dim": {"INF": {"p_value": 1}, "GOV": {"p_value": 2}}}}
    with pytest.raises(SystemExit, match="only the last key"):
        compare_results.rename(doc, "results.kw.p", "other.kw.p")


def test_readme_table_is_read_and_a_difference_is_named(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("## Changelog\n\nRenamed keys in results files:\n\n| notebook | old key | new key |\n"
                      "| --- | --- | --- |\n| 05_x | `results.kw.p` | `results.kw.p_value` |\n\n## Next\n| a | b | c |\n",
                      encoding="utf-8")
    renames = compare_results.read_renames(readme)
    assert renames == {"05_x": [("results.kw.p", "results.kw.p_value")]}
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "05_x.json").write_text(json.dumps({"results": {"kw": {"p": 0.5}, "n": 3}}), encoding="utf-8")
    (new / "05_x.json").write_text(compare_results._text({"results": {"kw": {"p_value": 0.5}, "n": 3}}), encoding="utf-8")
    assert compare_results.compare(old, new, renames) == 0
    (new / "05_x.json").write_text(compare_results._text({"results": {"kw": {"p_value": 0.5}, "n": 4}}), encoding="utf-8")
    assert compare_results.compare(old, new, renames) == 1


def test_the_readme_lists_only_renames_of_known_notebooks():
    stems = {p.stem for p in paths.NOTEBOOKS.glob("[0-9]*.ipynb")}
    assert set(compare_results.read_renames(paths.ROOT / "README.md")) <= stems


def test_values_listed_as_changed_are_left_out_and_nothing_else(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("Changed values in results files:\n\n| notebook | key | why |\n| --- | --- | --- |\n"
                      "| 02_x | `results.refused.a/b` | a message text |\n\nAfter the table.\n", encoding="utf-8")
    changed = compare_results.read_changed(readme)
    assert changed == {"02_x": ["results.refused.a/b"]}
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "02_x.json").write_text(json.dumps({"results": {"refused": {"a/b": "old text"}, "n": 3}}), encoding="utf-8")
    (new / "02_x.json").write_text(compare_results._text({"results": {"refused": {"a/b": "new text"}, "n": 3}}),
                                   encoding="utf-8")
    assert compare_results.compare(old, new, {}, changed) == 0
    assert compare_results.compare(old, new, {}, {}) == 1          # not listed: the change is reported
    (new / "02_x.json").write_text(compare_results._text({"results": {"refused": {"a/b": "new text"}, "n": 4}}),
                                   encoding="utf-8")
    assert compare_results.compare(old, new, {}, changed) == 1     # any other change still is
