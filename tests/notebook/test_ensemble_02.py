"""Notebook 02's ensemble block: its values are what scipy and numpy give on the members themselves.

The notebook runs once per session with its ``metadata.cityeval.test_parameters`` (``ensemble_size`` 3) through the
``executed_notebook`` fixture (tests/notebook/conftest.py). Every expected value below is recomputed here from the
member's scores with :func:`scipy.stats.pearsonr` / :func:`scipy.stats.spearmanr` and numpy, not with
``cityeval.analysis.correlation``; no panel number is written down (the generator's calibration changes them).
"""
from __future__ import annotations


import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.ccid2022.ensemble import member_folders
from cityeval.notebook.panel import scored_panel

STEM = "02_innovation_correlation"
#: The report's coefficient, Ch. 3 §5 (Fig. 18): drawn beside the spread, never a target.
REPORTED_R = 0.7561


def _direct(panel, method: str) -> dict:
    """r(TEC, composite), r(TEC, mean of the other dimensions), their difference and the mean inter-dimension r."""
    coef = (lambda a, b: stats.pearsonr(a, b)[0]) if method == "pearson" else (lambda a, b: stats.spearmanr(a, b)[0])
    s = panel.scores
    others = [d for d in panel.dimensions if d != "TEC"]
    r = coef(s["TEC"].to_numpy(), s[panel.top_code].to_numpy())
    r_without = coef(s["TEC"].to_numpy(), s[others].to_numpy().mean(axis=1))
    corr = np.corrcoef(s[panel.dimensions].to_numpy(), rowvar=False)
    return {"r": r, "r_without": r_without, "part_whole_share": r - r_without,
            "mean_rho": corr[np.triu_indices(len(panel.dimensions), 1)].mean()}


def _scored(folder, params):
    record = {"weight": {"method": params["weighting"]}, "normalize": {"method": params["normalization"]}}
    return scored_panel(folder, top_n=params["top_n"], method=record)


@pytest.mark.notebook
def test_ensemble_values_equal_a_direct_recomputation(executed_notebook):
    doc = executed_notebook(STEM)
    params, results = doc["parameters"], doc["results"]
    block = results["ensemble"]
    assert (block["size"], block["seed"]) == (params["ensemble_size"], params["ensemble_seed"])
    assert block["illustrative"] is True and block["failures"] == {} and block["members_used"] == block["size"]
    # two members, loaded and scored here as the notebook scores them (same top_n, weighting, normalization)
    direct = [_direct(_scored(f, params), params["method"]) for f in member_folders(2, params["ensemble_seed"])]
    for name in ("r", "r_without", "part_whole_share", "mean_rho"):
        got = block["statistics"][name]["values"][:2]
        assert_allclose(got, [d[name] for d in direct], rtol=1e-10, atol=1e-12, err_msg=name)
    # the nominal panel's values are the notebook's own section 1 and 2 results (the same scipy calls)
    nominal = _direct(_scored(params["data"], params), params["method"])
    for name, value in nominal.items():
        assert_allclose(block["statistics"][name]["nominal"], value, rtol=1e-10, atol=1e-12, err_msg=name)
    assert_allclose(block["statistics"]["r"]["nominal"], results["headline"]["statistic"], rtol=1e-12)
    assert_allclose(block["statistics"]["r_without"]["nominal"], results["without_tec"]["statistic"], rtol=1e-12)
    # the report's value sits beside r only
    assert block["statistics"]["r"]["reported"] == REPORTED_R
    assert all("reported" not in block["statistics"][n] for n in ("r_without", "part_whole_share", "mean_rho"))
    # quantiles are numpy's 5% / 95% of the recorded values
    for name, stat in block["statistics"].items():
        assert_allclose([stat["q05"], stat["q95"]], np.quantile(stat["values"], [0.05, 0.95]), err_msg=name)


@pytest.mark.notebook
def test_conclusions_count_the_panels_where_they_hold(executed_notebook):
    doc = executed_notebook(STEM)
    block, n = doc["results"]["ensemble"], doc["parameters"]["top_n"]
    values = {name: np.asarray(stat["values"]) for name, stat in block["statistics"].items()}
    floor = 1 / np.sqrt(6)                              # part-whole floor of six equal parts at rho = 0
    z = stats.norm.ppf(0.975) / np.sqrt(n - 3)          # Fisher's half-width in z (Pearson)
    expected = {
        "r(TEC, composite) is above the no-association floor 1/√6 = 0.408": values["r"] > floor,
        "r falls when TEC leaves the composite (the part-whole difference r minus r without TEC is positive)":
            values["part_whole_share"] > 0,
        "TEC correlates positively with the composite rebuilt without it (the 95% Fisher interval lies above 0)":
            np.tanh(np.arctanh(values["r_without"]) - z) > 0,
        "the reported 0.7561 lies outside the 95% Fisher interval of r(TEC, composite)":
            (np.tanh(np.arctanh(values["r"]) + z) < REPORTED_R) | (np.tanh(np.arctanh(values["r"]) - z) > REPORTED_R),
    }
    assert doc["parameters"]["method"] == "pearson"     # the Fisher half-width above is Pearson's
    assert set(block["conclusions"]) == set(expected)
    for text, holds in expected.items():
        assert block["conclusions"][text]["holds_in"] == int(holds.sum()), text
        assert block["conclusions"][text]["of"] == block["size"]
    # the one-line summary quotes the range, and every conclusion sentence is among the results' conclusions
    assert f"5–95% over {block['size']} illustrative panels" in doc["results"]["summary"]
    assert sum(c.startswith("“") for c in doc["results"]["conclusions"]) == len(expected)


@pytest.mark.notebook
def test_another_data_folder_keeps_the_nominal_statistics(executed_notebook, copied_panel):
    # the common checks are in test_ensemble_notebooks.py; here: the nominal value is still the headline's
    doc = executed_notebook(STEM, data=str(copied_panel))
    assert doc["results"]["ensemble"]["statistics"]["r"]["nominal"] == doc["results"]["headline"]["statistic"]
