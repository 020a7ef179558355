"""Every finding's results file names the assumptions its headline numbers rest on (issue 13).

The convention: ``results["assumptions"]`` maps a dotted path into ``results`` (the headline number or
conclusion) to the plain sentences it rests on. A path that resolves to nothing would attach assumptions to a
number the file does not hold, so every path is resolved here. The notebooks run with their small test
parameters (``executed_notebook``, tests/notebook/conftest.py), once per session.
"""
from __future__ import annotations

import pytest

from cityeval import paths

FINDINGS = sorted(p.stem for p in paths.NOTEBOOKS.glob("0[1-9]_*.ipynb"))


def _resolve(results: dict, dotted: str):
    node = results
    for part in dotted.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(f"{dotted!r} does not resolve: no {part!r}")
    return node


def test_every_finding_notebook_is_checked():
    # notebooks 01-09 are the findings (00 is the method walkthrough): a renamed or added notebook is caught
    assert [s[:2] for s in FINDINGS] == ["01", "02", "03", "04", "05", "06", "07", "08", "09"]


def test_resolve_reads_dotted_paths_and_refuses_missing_ones():
    results = {"a": {"b": [10, {"c": 3}]}}
    assert _resolve(results, "a.b.1.c") == 3
    with pytest.raises(KeyError, match="no 'x'"):
        _resolve(results, "a.x")


@pytest.mark.notebook
@pytest.mark.parametrize("stem", FINDINGS)
def test_results_name_the_assumptions_of_their_headline_numbers(executed_notebook, stem):
    results = executed_notebook(stem)["results"]
    assumptions = results.get("assumptions")
    assert isinstance(assumptions, dict) and assumptions, f"{stem}: no results['assumptions']"
    for path, sentences in assumptions.items():
        _resolve(results, path)   # may be empty: 05's Dunn pairs are [] when no Kruskal-Wallis test rejects
        assert isinstance(sentences, list) and sentences, f"{stem}: {path} has no assumption"
        for s in sentences:
            assert isinstance(s, str) and len(s.split()) >= 3, f"{stem}: {path}: {s!r} is not a sentence"
