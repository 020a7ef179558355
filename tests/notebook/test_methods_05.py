"""Notebook 05 after issue 13 (item 9): "significantly below" is tested, each family of seven tests is corrected with
Holm, Dunn's pairs follow a rejected Kruskal-Wallis test, the ε² bands are attributed to rcompanion, and the results
carry the assumptions of every headline number.

Expected values come from peers, on the nominal panel the notebook ran on (its test parameters):
``scipy.stats.kruskal``, ``statsmodels.stats.multitest.multipletests(method="holm")``,
``scipy.stats.permutation_test`` (difference of means, region vs the other cities, one-sided,
``rng=numpy.random.default_rng(seed)``) and ``scikit_posthocs.posthoc_dunn(..., p_adjust="holm")``.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cityeval import paths
from cityeval.notebook.panel import scored_panel

pytestmark = pytest.mark.notebook
STEM = "05_regional_patterns"


def _resolve(results: dict, path: str):
    node = results
    for part in path.split("."):
        node = node[part]
    return node


def _nominal(doc):
    panel = scored_panel(doc["parameters"]["data"] or None, top_n=doc["parameters"]["top_n"])
    region = panel.groups("region").reindex(panel.scores.index)
    return panel, region


def test_significantly_below_is_tested_with_a_permutation_test(executed_notebook):
    doc = executed_notebook(STEM)
    res, par = doc["results"], doc["parameters"]
    panel, region = _nominal(doc)
    x = panel.scores["INF"]
    tests = {t["comparison"]: t for t in res["national_mean_tests"]}
    for r in ("西北", "东北"):
        want = stats.permutation_test((x[region == r], x[region != r]),
                                      lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis), vectorized=True,
                                      n_resamples=par["n_perm"], alternative="less",
                                      rng=np.random.default_rng(par["seed"])).pvalue
        assert_allclose(tests[f"INF:{r}"]["p_value"], want, rtol=1e-12)
        assert_allclose(tests[f"INF:{r}"]["difference_to_national"], x[region == r].mean() - x.mean(), rtol=1e-12)
        # the permutation test's statistic beside it (REVIEW13b finding 9): region minus the other cities (pandas)
        assert_allclose(tests[f"INF:{r}"]["difference_to_rest"], x[region == r].mean() - x[region != r].mean(),
                        rtol=1e-12)
    # the statement holds only when both means are below the national one AND both tests reject at alpha
    row = next(s for s in res["statement_checks"] if s["statement"].startswith("INF: Northwest and Northeast"))
    assert "significantly below" in row["statement"] and row["basis"].startswith("one-sided permutation test")
    expected = all(tests[f"INF:{r}"]["difference_to_national"] < 0 and tests[f"INF:{r}"]["p_value"] < par["alpha"]
                   for r in ("西北", "东北"))
    assert row["holds on these data"] == expected
    assert any("significantly below the national mean" in line and "both tests must reject" in line
               for line in res["conclusions"])


@pytest.mark.parametrize("key", ["kruskal", "jonckheere"])
def test_each_family_of_seven_tests_is_holm_corrected(executed_notebook, key):
    doc = executed_notebook(STEM)
    results = doc["results"][key]
    assert len(results) == 7                                    # six dimensions and the composite
    raw = [r["p_value"] for r in results.values()]
    assert_allclose([r["p_holm"] for r in results.values()], multipletests(raw, method="holm")[1], rtol=1e-12)
    if key == "kruskal":                                        # the raw p-values are scipy's
        panel, region = _nominal(doc)
        names = {"Infrastructure": "INF", "Governance": "GOV", "Livelihood": "LIV", "Industry": "IND",
                 "Innovation": "TEC", "Low-carbon": "LOW", "Composite": panel.top_code}
        for name, r in results.items():
            col = panel.scores[names[name]]
            want = stats.kruskal(*[col[region == g] for g in sorted(set(region))]).pvalue
            assert_allclose(r["p_value"], want, rtol=1e-12, err_msg=name)
    # the counts in the conclusions read the adjusted p-values
    alpha = doc["parameters"]["alpha"]
    dims = [k for k in results if k != "Composite"]
    n = sum(results[d]["p_holm"] < alpha for d in dims)
    word = "differ between regions" if key == "kruskal" else "rise from west to east"
    line = next(s for s in doc["results"]["conclusions"] if word in s and "Holm-adjusted over 7 tests" in s)
    assert line.startswith((f"On the synthetic panel (illustrative), {n} ", f"{n} "))


def test_dunn_pairs_follow_only_a_rejected_holm_adjusted_kruskal_wallis(executed_notebook):
    import scikit_posthocs

    doc = executed_notebook(STEM)
    res, alpha = doc["results"], doc["parameters"]["alpha"]
    followed = sorted(k for k, r in res["kruskal"].items() if r["p_holm"] < alpha)
    assert sorted({row["column"] for row in res["dunn"]}) == followed
    if not followed:
        assert any(line.startswith("No dimension's Kruskal-Wallis test rejects after Holm's correction over 7 tests")
                   for line in res["conclusions"])
        return
    panel, region = _nominal(doc)
    names = {"Infrastructure": "INF", "Governance": "GOV", "Livelihood": "LIV", "Industry": "IND",
             "Innovation": "TEC", "Low-carbon": "LOW", "Composite": panel.top_code}
    for name in followed:
        want = scikit_posthocs.posthoc_dunn(pd.DataFrame({"v": panel.scores[names[name]], "g": region}), val_col="v",
                                            group_col="g", p_adjust="holm")
        for row in (r for r in res["dunn"] if r["column"] == name):
            assert_allclose(row["p_holm"], want.at[row["group_a"], row["group_b"]], rtol=1e-12)


def test_the_epsilon_squared_bands_are_mangiaficos_in_the_text():
    # issue 13: "about 0.01 small, 0.08 medium, 0.26 large (Tomczak & Tomczak 2014)" attributed rcompanion's bands to
    # Tomczak & Tomczak, who give the formula H / (n - 1) but not these bands
    nb = json.loads((paths.NOTEBOOKS / f"{STEM}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "0.26 large (Tomczak" not in text
    paragraph = next(p for p in text.split("\n\n") if "0.26 large" in p)
    assert "Mangiafico" in paragraph and "rcompanion" in paragraph and "not from Tomczak & Tomczak" in paragraph


def test_results_carry_the_assumptions_of_each_headline_number(executed_notebook):
    res = executed_notebook(STEM)["results"]
    a = res["assumptions"]
    assert isinstance(a, dict) and {"kruskal", "jonckheere", "national_mean_tests", "dunn", "statement_checks",
                                    "conclusions", "summary", "ensemble"} <= set(a)
    for path, sentences in a.items():
        _resolve(res, path)                                     # every key names a part of the results
        assert isinstance(sentences, list) and sentences and all(isinstance(s, str) and s for s in sentences), path
    assert any("Holm" in s for s in a["kruskal"]) and any("Mangiafico" in s for s in a["kruskal"])
    assert any("intersection-union" in s for s in a["national_mean_tests"])
    assert any("synthetic" in s for s in a["conclusions"])
