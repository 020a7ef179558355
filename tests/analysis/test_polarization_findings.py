"""cityeval.analysis.polarization, notebook 04's findings, tables, figures and covariates (``_polarization_findings``,
``_polarization_covariates``, the calibration check of ``_polarization_power``). Split from test_polarization.py
(size); every expected value says where it comes from (hand calculation or scipy).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval.analysis import polarization as P
from cityeval.errors import DataError, ParameterError

X12 = np.r_[np.linspace(0.0, 3.0, 6), np.linspace(7.0, 10.0, 6)]   # as in test_polarization.py: two groups of six


# ------------------------------------------------------------------------------- notebook 04's findings

def _summary(dip_p=0.5, bc=0.4, k=1, evidence="positive", modes=1, polarization=0.2, lrt_p=0.3, converged=True):
    return P.BimodalitySummary(n=100, mean=30.0, sd=15.0, skewness=0.8, dip=0.03, dip_p_value=dip_p, bc=bc,
                               bc_above_5_9=bc > 5 / 9, gmm_delta_bic=-3.0, gmm_preferred_k=k, gmm_evidence=evidence,
                               gmm_separation=1.0, gmm_modes=modes, gmm_converged=converged, lrt_statistic=6.2,
                               lrt_p_value=lrt_p, lrt_n_boot=499, polarization=polarization,
                               polarization_normal=None if polarization is None else 0.21)


def test_bimodality_verdict_texts():
    # each branch of the sentence, constructed by hand
    # a non-rejection is reported as that, with its p-value first (issue 13 item 5: it does not show unimodality)
    assert P.bimodality_verdict(_summary(), alpha=0.05) == (
        "the dip test does not reject unimodality (p = 0.50, dip = 0.030); BC = 0.400, below 5/9; BIC prefers 1 "
        "normal component (common variance; ΔBIC = -3.0: positive evidence on Kass and Raftery's scale); the "
        "two-component fit has 1 mode; the bootstrap likelihood-ratio test does not reject one normal distribution "
        "(LR = 6.2, p = 0.300, B = 499); Foster–Wolfson P = 0.200, against 0.210 for a normal distribution with the "
        "same coefficient of variation")
    two = P.bimodality_verdict(_summary(dip_p=0.001, bc=0.6, k=2, evidence="not worth more than a bare mention",
                                        modes=2, polarization=None, lrt_p=0.01, converged=False), alpha=0.01)
    assert two.startswith("the dip test rejects unimodality at α = 0.01 (p = 0.001, dip = 0.030); BC = 0.600, above 5/9")
    assert "BIC prefers 2 normal components" in two and "evidence not worth more than a bare mention" in two
    assert "has 2 modes (its EM fit did not converge, so this ΔBIC is a lower bound)" in two
    # p <= alpha rejects (the Monte Carlo test's rule)
    assert two.endswith("the bootstrap likelihood-ratio test rejects one normal distribution at α = 0.01 (LR = 6.2, "
                        "p = 0.010, B = 499)")


POWER = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9], "bimodality_coefficient": [0.0, 0.1, 0.2],
                      "gmm_bic": [0.0, 0.9, 1.0], "mixture_lrt": [0.05, 0.95, 1.0], "n": 100})


def test_power_statement_and_format():
    needed = P.separations_for_power(POWER)
    # by hand: dip 2 + (0.8 - 0.5) * 2 / 0.4 = 3.5; BC never reaches 0.8; GMM 0 + 0.8 * 2 / 0.9 = 1.78
    assert_allclose([needed["dip_test"], needed["gmm_bic"]], [3.5, 16 / 9])
    assert math.isnan(needed["bimodality_coefficient"])
    labels = {"dip_test": "dip", "bimodality_coefficient": "BC", "gmm_bic": "GMM", "mixture_lrt": "LRT"}
    text = P.power_statement(POWER, needed, labels=labels, summary=_summary())
    first, second = text.split("\n")
    # total SDs by hand: 3.5 / sqrt(1 + 3.5^2/4) = 3.5 / 2.0156 = 1.74; 1.78 / sqrt(1.790) = 1.33; LRT:
    # 0 + 0.8 * 2 / 0.95 = 1.684, / sqrt(1.709) = 1.29
    assert first == ("80% power with n = 100 cities is reached at (d in within-group SDs): dip: d ≈ 3.5 (1.7 total "
                     "SDs); BC: more than d = 4; GMM: d ≈ 1.8 (1.3 total SDs); LRT: d ≈ 1.7 (1.3 total SDs).")
    # gap: 3.5 * 15 / sqrt(1 + 3.5^2 / 4) = 52.5 / 2.0156 = 26.0 points
    assert second.endswith("two equal groups 3.5 within-group SDs apart would have means about 26 points apart on "
                           "the 0-100 scale.")


def test_healthcare_findings_texts():
    needed = P.separations_for_power(POWER)
    cov = P.CovariateCorrelation(n=98, missing=("a", "b"), pearson=0.25, pearson_p_value=0.01, spearman=0.15,
                                 spearman_p_value=0.13)
    f = P.healthcare_findings(_summary(), _summary(dip_p=0.8), power=POWER, needed=needed, alpha=0.05, synthetic=True,
                              data_path="data/x", health_gdp=cov, life_gdp=cov)
    # issue 13 item 5: the separation in within-group SDs, and in SDs of the whole distribution beside it
    assert f.summary == ("Illustrative (one synthetic panel, the nominal one; not CCID's scores): LIV_HEALTH dip p = "
                         "0.50, BC = 0.40, ΔBIC = -3.0, bootstrap LRT p = 0.300; LIV_LIFE dip p = 0.80, BC = 0.40, "
                         "ΔBIC = -3.0, bootstrap LRT p = 0.300; LIV_LIFE~GDP per capita r = 0.25; "
                         "the dip test needs two equal groups d ≈ 3.5 within-group SDs (1.7 total SDs) apart for 80% "
                         "power at n = 100.")
    lines = f.conclusion.split("\n")
    assert lines[0] == "**On this synthetic panel (illustrative numbers, not CCID's scores)**, for the top 100 cities:"
    assert lines[4] == ("* **With GDP per capita:** digital life r = 0.25 (p = 0.010), ρ = 0.15 (p = 0.130); digital "
                        "healthcare r = 0.25, ρ = 0.15 (n = 98).")
    assert lines[5] == ("* **Power:** with n = 100, the dip test reaches 80% power only for two equal groups whose means "
                        "are d ≈ 3.5 within-group SDs apart (1.7 SDs of the whole distribution); BC > 5/9 needs more "
                        "than d = 4, the GMM BIC d ≈ 1.8 (1.3 total SDs), the bootstrap LRT d ≈ 1.7 (1.3 total SDs).")
    assert "None of this" in lines[-1]
    real = P.healthcare_findings(_summary(), _summary(), power=POWER, needed=needed, alpha=0.05, synthetic=False,
                                 data_path="data/x")
    assert real.conclusion.startswith("**On the data in data/x**") and "None of this" not in real.conclusion
    assert "not computed — this data folder has no `covariates.csv`" in real.conclusion
    assert real.summary.endswith("; no GDP per capita; the dip test needs two equal groups d ≈ 3.5 within-group SDs "
                                 "(1.7 total SDs) apart for 80% power at n = 100.")
    assert not real.summary.startswith("Illustrative")


def test_notebook_tables():
    s = P.bimodality_summary(X12, seed=0, n_boot=19)
    table = P.criteria_table({"A": s, "B": s})
    assert list(table.columns) == ["A", "B"] and table.loc["dip test p-value", "A"] == s.dip_p_value
    assert table.loc["bootstrap LRT: p-value", "A"] == s.lrt_p_value and table.loc["GMM: EM converged (tol 1e-08)", "A"]
    with pytest.raises(ParameterError, match="^summaries should be"):
        P.criteria_table({"A": {"dip": 0.1}})
    power = P.mixture_power(10, [0.0, 1.0, 1.5], n_sim=3, seed=0, n_boot=19)
    shown = P.power_table(power)
    assert list(shown.index) == [0.0, 1.0]       # 1.5 is not among the separations shown
    assert_allclose(shown["total SDs"], [0.0, 1 / math.sqrt(1.25)])     # d / sqrt(1 + d^2/4), by hand
    cov = P.covariate_correlations(pd.DataFrame({"A": X12, "B": -X12}), pd.Series(X12 ** 2), ["A", "B"])
    assert_allclose(P.covariate_table(cov).loc["B ~ GDP per capita", "spearman"], -1.0)   # decreasing: rho = -1
    assert P.covariate_notes(cov) == "No city lacks GDP per capita."
    assert P.covariate_notes({"A": P.CovariateCorrelation(5, ("x", "y"), 0, 1, 0, 1)}) == \
        "A: 2 cities without GDP per capita left out: x, y"
    with pytest.raises(ParameterError, match="^codes should be"):
        P.covariate_correlations(pd.DataFrame({"A": X12}), None, ["B"])


def test_require_indicators_and_describe_covariate(tmp_path):
    with pytest.raises(DataError, match=r"indicators\.csv: this notebook needs .*LIV_LIFE \(数字生活\).*missing: LIV_LIFE"):
        P.require_indicators(pd.DataFrame({"LIV_HEALTH": [1.0]}), {"LIV_HEALTH": "数字医健", "LIV_LIFE": "数字生活"},
                             path=tmp_path / "indicators.csv")
    P.require_indicators(pd.DataFrame({"LIV_HEALTH": [1.0]}), {"LIV_HEALTH": "数字医健"}, path="x")   # no error
    assert P.load_covariate(tmp_path) is None
    (tmp_path / "covariates.csv").write_text("unit,population\nA,10\n", encoding="utf-8")
    assert P.describe_covariate(tmp_path, None, synthetic=False).startswith(f"No GDP per capita: {tmp_path} has no")
    assert P.describe_covariate(tmp_path, pd.Series([1.0]), synthetic=True) == \
        f"GDP per capita (synthetic): {tmp_path / 'covariates.csv'}"


def test_figures(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = pd.Series(X12 * 10, index=[f"c{i}" for i in range(12)])
    s = P.bimodality_summary(x, seed=0, n_boot=19)
    fig = P.plot_distribution(x, s, label="Score", title="T")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[0].startswith(f"dip = {s.dip:.3f}, p = {s.dip_p_value:.3f}\nBC = {s.bc:.3f} (5/9 = 0.556)")
    assert fig.axes[0].get_title() == "T"
    gdp = pd.Series(np.linspace(2e4, 2e5, 12), index=x.index)
    cov = P.covariate_correlations(x.to_frame("A"), gdp, ["A"])
    fig2 = P.plot_covariates(x.to_frame("A"), gdp, cov, labels={"A": "Score"}, titles={"A": "vs GDP"})
    ax = fig2.axes[0]
    assert ax.get_xscale() == "log" and ax.get_title() == "vs GDP"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["20k", "30k", "50k", "70k", "100k", "150k", "200k"]
    assert P.plot_covariates(x.to_frame("A"), None, {"A": None}, labels={}, titles={}) is None
    plt.close("all")


# ---- review 2, finding 9: a covariates file without the column is not "no covariate" ----------------------------

@pytest.mark.parametrize("column", ["gdp_per_capita", "zz", "POPULATION", "", None, 3])
def test_load_covariate_refuses_a_column_the_file_lacks(tmp_path, column):
    (tmp_path / "covariates.csv").write_text("unit,population\nA,10\nB,\n", encoding="utf-8")
    # before: None, read as "the folder has no covariates.csv"
    with pytest.raises(ParameterError, match=r"^column should be a column of .*covariates\.csv \(population\)"):
        P.load_covariate(tmp_path, column)
    got = P.load_covariate(tmp_path, "population")
    assert got.to_dict() == {"A": 10.0, "B": None} or (got["A"] == 10.0 and np.isnan(got["B"]))
    assert P.load_covariate(tmp_path / "no such folder", column) is None     # no file: no covariate


# ---- review 2, finding 6: a constant input gives no silent NaN -------------------------------------------------

@pytest.mark.parametrize("which", ["x", "covariate"])
def test_covariate_correlation_refuses_a_constant(which):
    x = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=list("abcde"))
    cov = pd.Series([2.0, 9.0, 4.0, 1.0, 7.0], index=list("abcde"))
    args = {"x": x * 0 + 3.0 if which == "x" else x, "covariate": cov * 0 + 2.0 if which == "covariate" else cov}
    with pytest.raises(ParameterError, match=f"^{which} should be values that are not constant"):   # before: nan
        P.covariate_correlation(args["x"], args["covariate"])
    # constant only over the cities used (those with a covariate): the same
    cov_part = pd.Series([5.0, 5.0, 5.0, 5.0, np.nan, 8.0], index=list("abcdez"))
    with pytest.raises(ParameterError, match="^covariate should be values that are not constant"):
        P.covariate_correlation(x, cov_part)


# ---- review 2, finding 14: notebook 04's calibration check is the library's --------------------------------------

def test_check_dip_calibration():
    # hand: bound = alpha + 3 sqrt(alpha (1 - alpha) / n_sim) = 0.05 + 3 sqrt(0.0475 / 100) = 0.1153835
    power = pd.DataFrame({"separation": [0.0, 2.0], "dip_test": [0.11, 0.9], "n_sim": 100, "alpha": 0.05})
    assert_allclose(P.check_dip_calibration(power), 0.05 + 3 * math.sqrt(0.05 * 0.95 / 100))
    assert_allclose(P.check_dip_calibration(power.assign(dip_test=[0.07, 0.9]), tolerance=1),
                    0.05 + math.sqrt(0.05 * 0.95 / 100))
    with pytest.raises(RuntimeError, match="miscalibrated"):
        P.check_dip_calibration(power.assign(dip_test=[0.12, 0.9]))
    with pytest.raises(RuntimeError, match="miscalibrated"):
        P.check_dip_calibration(power, tolerance=1)                       # 0.11 > 0.0718
    with pytest.raises(ParameterError, match="^power should be a frame from mixture_power with a row at separation 0"):
        P.check_dip_calibration(power.iloc[1:])
    with pytest.raises(ParameterError, match="^power should be a frame from mixture_power"):
        P.check_dip_calibration(power.drop(columns="n_sim"))
    for bad in (0, -1, np.nan, True, "3"):
        with pytest.raises(ParameterError, match="^tolerance should be"):
            P.check_dip_calibration(power, tolerance=bad)
    real = P.mixture_power(40, [0.0, 3.0], n_sim=100, seed=1, n_boot=19)
    assert P.check_dip_calibration(real) == pytest.approx(0.05 + 3 * math.sqrt(0.05 * 0.95 / 100))


# ---- issue 13 item 5: the reading of the power simulation is built from its table ------------------------------

def test_power_reading_quotes_the_rates_at_d_2_and_3_and_says_who_misses_them():
    power = pd.DataFrame({"separation": [0.0, 2.0, 3.0, 4.0], "dip_test": [0.0, 0.01, 0.1, 0.8],
                          "bimodality_coefficient": [0.0, 0.0, 0.02, 0.5], "gmm_bic": [0.01, 0.09, 0.78, 1.0],
                          "mixture_lrt": [0.05, 0.25, 0.94, 1.0], "n": 100})
    nulls = pd.DataFrame({"null": ["normal", "log-normal (σ = 0.5)"], "skewness": [0.0, 1.75], "dip_test": [0.0, 0.0],
                          "bimodality_coefficient": [0.0, 0.3], "gmm_bic": [0.01, 0.98], "mixture_lrt": [0.08, 1.0]})
    text = P.power_reading(power, P.separations_for_power(power), nulls=nulls)
    # d80 of the dip test: 4.0 exactly (0.8 reached there); 4 / sqrt(5) = 1.79 total SDs
    assert "only when their means are d ≈ 4.0 within-group SDs apart, which is 1.8 SDs of the whole distribution" in text
    # d = 2, 3 in total SDs: 2 / sqrt(2) = 1.41, 3 / sqrt(3.25) = 1.66
    assert "2 and 3 within-group SDs apart (1.41 and 1.66 total SDs)" in text
    assert ("the dip test 1% and 10%; BC > 5/9 0% and 2%; the GMM BIC 9% and 78%; the bootstrap LRT 25% and 94%"
            in text)
    # the old sentence said all three criteria miss 2-3 SD groups; the table says the mixture criteria do not
    assert "At d = 3 the dip test and BC > 5/9 miss them most of the time (below 50%)" in text
    assert ("The GMM BIC and the bootstrap LRT detect them at d = 3 more often than not, but they also call a single "
            "skewed hump two groups: the GMM BIC 98%, the bootstrap LRT 100% of log-normal (σ = 0.5) samples") in text
    # a separation off the grid is interpolated, and said to be
    assert "(interpolated between simulated separations)" in P.power_reading(power, P.separations_for_power(power),
                                                                              nulls=nulls, at=(2.5, 3.0))
