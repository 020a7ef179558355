"""Notebook 06's ensemble block equals a direct recomputation on the first members (issue 12).

The expected values come from the members themselves, recomputed here without the library's study functions:
the input and outcome scores as the weighted means of Table 2's tagged children (pandas, the indicator table's
weights), Pearson's r from ``scipy.stats.pearsonr``, the concordant share by counting city pairs, the CRS-efficient
cities as those with the best outcome/input ratio (with one input and one outcome the CRS frontier is that ray, so
CRS efficiency is the ratio over the best ratio, before and after adding 10 points to both scores, with Spearman's
rho from ``scipy.stats.spearmanr``), and the VRS efficiencies from the multiplier (dual) form of the BCC linear
programme solved with ``scipy.optimize.linprog``, a formulation the library (envelopment form) does not use.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from scipy.optimize import linprog

from cityeval.ccid2022 import ensemble
from cityeval.notebook.panel import scored_panel

STEM = "06_input_outcome_efficiency"
# The notebook's default ensemble seed (its parameters cell); the test checks the run used it.
SEED = 20221201
# A city is on the VRS frontier when its multiplier-form efficiency is 1 up to the LP's tolerance (HiGHS ~1e-7)
VRS_TOL = 1e-6


def _input_outcome(panel, parent="INF"):
    meta = panel.dataset.indicators
    kids = meta[meta["parent"] == parent]
    out = {}
    for kind in ("input", "outcome"):
        codes = kids.index[kids["measure"].str.lower() == kind]
        w = kids.loc[codes, "weight"].astype(float)
        out[kind] = (panel.scores[codes] * w).sum(axis=1) / w.sum()
    return out["input"].to_numpy(float), out["outcome"].to_numpy(float)


def _vrs_multiplier(x, y, o):
    """BCC input-oriented efficiency of unit o, multiplier form: max u y_o - u0 s.t. v x_o = 1,
    u y_j - v x_j - u0 <= 0 for every j, u, v >= 0, u0 free (Banker, Charnes & Cooper 1984)."""
    n = len(x)
    c = [-y[o], 0.0, 1.0]                                   # variables u, v, u0; minimize -(u y_o - u0)
    a_ub = np.column_stack([y, -x, -np.ones(n)])
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=[[0.0, x[o], 0.0]], b_eq=[1.0],
                  bounds=[(0, None), (0, None), (None, None)], method="highs")
    assert res.status == 0, res.message
    return -res.fun


def _direct(panel) -> dict:
    x, y = _input_outcome(panel)
    n = len(x)
    pairs = [np.sign(x[i] - x[j]) * np.sign(y[i] - y[j]) for i, j in itertools.combinations(range(n), 2)]
    ratio = y / x
    shifted = (y + 10) / (x + 10)
    theta = np.array([_vrs_multiplier(x, y, o) for o in range(n)])
    # every unit is clearly on or clearly off the frontier, so counting at VRS_TOL is not a tolerance artefact
    assert not ((theta < 1 - VRS_TOL) & (theta > 1 - 1e-4)).any()
    return {"r": stats.pearsonr(x, y)[0],
            "concordant_share": sum(p > 0 for p in pairs) / sum(p != 0 for p in pairs),
            "crs_share": int((ratio >= ratio.max() * (1 - 1e-12)).sum()) / n,
            "crs_median": np.median(ratio / ratio.max()),
            "crs_median_shifted": np.median(shifted / shifted.max()),
            "crs_spearman_shifted": stats.spearmanr(ratio, shifted)[0],
            "vrs_share": int((theta >= 1 - VRS_TOL).sum()) / n,
            "vrs_median": np.median(np.minimum(theta, 1.0)),
            "vrs_efficient": set(panel.scores.index[theta >= 1 - VRS_TOL])}


@pytest.mark.notebook
def test_ensemble_values_equal_a_direct_recomputation(executed_notebook):
    doc = executed_notebook(STEM)
    block = doc["results"]["ensemble"]
    top_n = doc["parameters"]["top_n"]
    assert doc["parameters"]["ensemble_seed"] == SEED and doc["parameters"]["returns"] == "both"
    assert block["size"] == doc["parameters"]["ensemble_size"] >= 2 and block["members_used"] == block["size"]
    assert set(block["statistics"]) == {"r", "concordant_share", "crs_share", "vrs_share", "crs_median", "vrs_median",
                                        "crs_median_shifted", "crs_spearman_shifted"}  # the file sorts keys
    folders = ensemble.member_folders(block["size"], SEED)
    direct = [_direct(scored_panel(folder, top_n=top_n)) for folder in folders]
    for name, tol in (("r", 1e-10), ("concordant_share", 0), ("crs_share", 0), ("vrs_share", 0), ("crs_median", 1e-7),
                      ("crs_median_shifted", 1e-7), ("crs_spearman_shifted", 1e-9), ("vrs_median", 1e-6)):
        recorded = block["statistics"][name]["values"][:2]
        assert_allclose(recorded, [d[name] for d in direct[:2]], rtol=0, atol=tol, err_msg=name)
    # the nominal value is the same function on the nominal panel
    nominal = _direct(scored_panel(doc["parameters"]["data"], top_n=top_n))
    assert_allclose(block["statistics"]["vrs_share"]["nominal"], nominal["vrs_share"], atol=0)
    assert_allclose(block["statistics"]["r"]["nominal"], nominal["r"], rtol=0, atol=1e-10)
    # every statistic's range is the 5-95% quantile of its values (numpy's default, linear interpolation)
    for s in block["statistics"].values():
        assert_allclose([s["q05"], s["q95"]], np.quantile(s["values"], [0.05, 0.95]))
    # how often each city is VRS-efficient: counted over all the members from the direct frontiers
    counts = {}
    for d in direct:
        for city in d["vrs_efficient"]:
            counts[city] = counts.get(city, 0) + 1
    recorded = {row["city"]: row["vrs efficient"] for row in doc["results"]["efficient_frequency"]
                if row["vrs efficient"]}
    assert recorded == counts


@pytest.mark.notebook
def test_names_no_efficient_city_as_a_finding_on_synthetic_data(executed_notebook):
    doc = executed_notebook(STEM)
    assert doc["data_kind"].startswith("synthetic")
    res = doc["results"]
    # the summary quotes the ensemble range and says illustrative; the efficient cities are counted, not named
    assert "illustrative" in res["summary"].lower() and "5–95% over" in res["summary"]
    names = {c for m in ("crs", "vrs") for c in (res["efficient_cities_en"][m] or [])}
    text = " ".join([res["summary"], *res["conclusions"]])
    assert names and not any(name in text for name in names), names
    # the sentences of the ensemble are among the conclusions
    assert any("of the illustrative ensemble" in line for line in res["conclusions"])


@pytest.mark.notebook
def test_the_crs_share_is_the_rules_and_said_so(executed_notebook):
    # one input, one outcome: the CRS frontier is the best outcome/input ratio, one city (1/top_n) in every panel, so
    # "fewer than 10% CRS-efficient" is decided by the method (basis "rule"); the VRS one by the data, which no
    # published table constrains (input and outcome are never ranked apart): basis "generator"
    doc = executed_notebook(STEM)
    block = doc["results"]["ensemble"]
    n = doc["parameters"]["top_n"]
    crs = block["statistics"]["crs_share"]
    assert crs["values"] == [1 / n] * block["size"] and crs["nominal"] == 1 / n
    assert block["conclusions"]["fewer than 10% of the cities CRS-efficient"]["basis"] == "rule"
    assert block["conclusions"]["fewer than 10% of the cities VRS-efficient"]["basis"] == "generator"
    # issue 13 review, finding 5: no unanimous verdict credits the published ranks, since none of 06's readings is
    # about a quantity a published table constrains; the shift of the CRS median is the method's (CRS is not
    # translation invariant, Ali & Seiford 1990)
    concl = block["conclusions"]
    assert {c["basis"] for c in concl.values()} <= {"rule", "generator"}
    assert concl["+10 points on both scores move the median CRS efficiency by more than 0.01 (no city changed)"][
        "basis"] == "rule"
    assert not any("published ranks" in line and "decide" in line for line in doc["results"]["conclusions"])
    assert any("fewer than 10% of the cities CRS-efficient" in line and "the method's own rule decides it" in line
               for line in doc["results"]["conclusions"])


@pytest.mark.notebook
def test_other_data_have_no_efficiency_frequencies(executed_notebook, copied_panel):
    # the common checks are in test_ensemble_notebooks.py
    doc = executed_notebook(STEM, data=str(copied_panel))
    assert "no ensemble" in doc["results"]["summary"]
    assert doc["results"]["efficient_frequency"] == []
