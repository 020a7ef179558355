"""What every notebook with an ensemble section (02-09) does when the data are not the embedded panel.

The copy of the embedded panel in another folder holds the same numbers, so each notebook still runs
and labels its numbers illustrative, but it has no ensemble (only the embedded panel has one): the
results must say so, not show an empty range as if it were one.
"""
from __future__ import annotations

import pytest

STEMS = ["02_innovation_correlation", "03_capability_stages", "04_healthcare_polarization", "05_regional_patterns",
         "06_input_outcome_efficiency", "07_lowcarbon_typology", "08_innovation_concentration", "09_robustness"]


@pytest.mark.notebook
@pytest.mark.parametrize("stem", STEMS)
def test_other_data_have_no_ensemble_and_say_why(executed_notebook, copied_panel, stem):
    res = executed_notebook(stem, data=str(copied_panel))["results"]
    block = res["ensemble"]
    assert block["members_used"] == 0 and "not the embedded synthetic panel" in block["reason"]
    assert block["statistics"] and all(s["values"] == [] for s in block["statistics"].values())
    assert all(c["verdict"] == "untested (no ensemble)" for c in block["conclusions"].values())
    assert "5–95%" not in res["summary"] and "illustrative" in res["summary"].lower()
    assert f"No ensemble: {block['reason']}. The numbers above come from one panel only." in res["conclusions"]
