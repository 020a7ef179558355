"""Every notebook executed with papermill (small parameters where that makes it faster).

Each must run without error, write ``results/<stem>.json`` with the documented keys and a
summary, and render to HTML.
"""
from __future__ import annotations

import json

import pytest

from cityeval import runner

#: Small parameters per notebook, so the suite stays fast; defaults otherwise.
SMALL = {
    "01_published_claims": {"n_sim": 200},
}

#: Keys each notebook's results must hold (beyond "summary").
EXPECTED_KEYS = {
    "01_published_claims": {"claims", "rank_agreement", "top100_by_province", "top100_by_region",
                            "truncation_compatible_latent_rho", "not_recomputable"},
}

NOTEBOOKS = runner.list_notebooks()


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    outcome = runner.execute_notebook(path, parameters=SMALL.get(path.stem, {}), out_dir=tmp_path)
    assert outcome.ok, outcome.error
    doc = json.loads((tmp_path / "results" / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert doc["results"]["summary"]
    assert EXPECTED_KEYS.get(path.stem, set()) <= set(doc["results"])
    assert (tmp_path / "notebooks" / f"{path.stem}.html").exists()


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
