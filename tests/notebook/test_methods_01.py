"""Notebook 01's truncation study says under which copula its latent sets hold, and uses the overlap too (issue 13).

The notebook runs with its test parameters (``executed_notebook``, tests/notebook/conftest.py). Expected values
are counts from the published tables (Table 3 x Table 4: 83 common cities; x Table 5: 49; x Table 7: 20) and the
sets' definitions (cityeval.analysis.rank_agreement): the joint set keeps a grid value only if the Spearman-only
set does.
"""
from __future__ import annotations

import json

import pytest

from cityeval import paths

STEM = "01_published_claims"


def _markdown() -> str:
    nb = json.loads((paths.NOTEBOOKS / f"{STEM}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_the_notebook_says_the_set_holds_under_a_gaussian_copula_only():
    text = _markdown()
    assert "90% set" in text and "Gaussian copula" in text and "t copula" in text
    assert "only\n  under it" in text or "only under it" in text
    assert "overlap" in text


@pytest.mark.notebook
def test_the_results_record_both_copulas_and_the_joint_sets(executed_notebook):
    res = executed_notebook(STEM)["results"]
    assert "truncation_compatible_latent_rho" not in res      # renamed: results.truncation.compatible_latent_rho
    block = res["truncation"]
    assert block["copulas"] == {"gaussian": "Gaussian copula", "t": "t copula (4 degrees of freedom)"}
    assert {k: v["overlap"] for k, v in block["observed"].items()} == {
        "overall_top100~infrastructure_top100": 83, "overall_top100~governance_top50": 49,
        "overall_top100~healthcare_top20": 20}
    for copula in ("gaussian", "t"):
        for pair in block["observed"]:
            joint = set(block["joint_latent_rho"][copula][pair]["values"])
            alone = set(block["compatible_latent_rho"][copula][pair]["values"])
            assert joint <= alone, (copula, pair)
    text = " ".join(block["text"])
    assert "under a Gaussian copula" in text and "90% set" in text and "joint coverage" in text
    # the assumptions name the copula of each set
    a = res["assumptions"]
    assert "Gaussian copula" in " ".join(a["truncation.compatible_latent_rho.gaussian"])
    assert "t copula with 4 degrees of freedom" in " ".join(a["truncation.compatible_latent_rho.t"])
    assert a["rank_agreement"]
