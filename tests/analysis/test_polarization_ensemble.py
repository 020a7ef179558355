"""cityeval.analysis.polarization's per-panel statistics for the ensemble (``_polarization_ensemble``) and the
summary sentence that quotes their range (``healthcare_findings(spread=...)``).

Expected values: the peer libraries called directly (``diptest.diptest``, ``scipy.stats.skew``/``kurtosis``
in Sarle's formula as the SAS/STAT manual writes it, ``scipy.stats.pearsonr``, scikit-learn's ``GaussianMixture``
through ``gmm_compare`` for ΔBIC) or hand calculations beside each test.
"""
from __future__ import annotations

import diptest
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import polarization as P
from cityeval.errors import DataError, ParameterError


def _scores(seed: int, n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cities = [f"c{i:03d}" for i in range(n)]
    return pd.DataFrame({"LIV_HEALTH": np.r_[rng.normal(20, 4, n // 2), rng.normal(60, 4, n - n // 2)],
                         "LIV_LIFE": rng.lognormal(3, 0.4, n), "OTHER": rng.normal(size=n)}, index=cities)


def _sarle(x) -> float:
    # Sarle's BC (SAS/STAT, PROC CLUSTER): (g1^2 + 1) / (g2 + 3 (n-1)^2 / ((n-2)(n-3))), bias-corrected g1, g2
    x = np.asarray(x, float)
    n = x.size
    g1, g2 = stats.skew(x, bias=False), stats.kurtosis(x, bias=False)
    return (g1 ** 2 + 1) / (g2 + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_statistics_equal_the_peer_libraries(seed):
    scores = _scores(seed)
    rng = np.random.default_rng(100 + seed)
    gdp = pd.Series(rng.lognormal(11, 0.3, len(scores)), index=scores.index[::-1])   # another order: paired by city
    gdp.iloc[:3] = np.nan                                                             # three cities without GDP
    s = P.ensemble_statistics(scores, gdp=gdp, seed=seed, n_boot=19)
    assert list(s) == ["health_dip_p", "health_bc", "health_delta_bic", "health_lrt_p",
                       "life_dip_p", "life_bc", "life_delta_bic", "life_lrt_p", "life_gdp_r"]
    for key, code in (("health", "LIV_HEALTH"), ("life", "LIV_LIFE")):
        assert_allclose(s[f"{key}_dip_p"], diptest.diptest(scores[code].to_numpy(), allow_zero=False)[1], rtol=1e-12)
        assert_allclose(s[f"{key}_bc"], _sarle(scores[code]), rtol=1e-12)
        # the batch EM's ΔBIC against scikit-learn's converged fit (gmm_compare) of the same scores
        assert_allclose(s[f"{key}_delta_bic"], P.gmm_compare(scores[code]).delta_bic, atol=1e-3)
        assert s[f"{key}_lrt_p"] == P.mixture_lrt(scores[code], seed=seed, n_boot=19).p_value
    both = pd.concat([scores["LIV_LIFE"], gdp.rename("gdp")], axis=1).dropna()
    assert len(both) == len(scores) - 3
    assert_allclose(s["life_gdp_r"], stats.pearsonr(both["LIV_LIFE"], both["gdp"])[0], rtol=1e-12)


def test_two_separated_groups_are_seen_and_one_skewed_group_is_not():
    # healthcare: two groups 10 SDs apart (dip rejects, BC above 5/9); life: one lognormal hump (neither)
    s = P.ensemble_statistics(_scores(3, n=100), seed=0, n_boot=99)
    assert s["health_dip_p"] < 0.01 and s["health_bc"] > P.BC_UNIFORM
    assert s["life_dip_p"] > 0.05
    # two groups 10 SDs apart: the bootstrap test rejects one normal with the smallest p-value, 1 / (B + 1)
    assert s["health_lrt_p"] == 1 / 100 and s["health_delta_bic"] > 10
    tests = P.ensemble_conclusions(alpha=0.05, gdp=False)
    verdicts = [spec[0](s) for spec in tests.values()]
    assert verdicts[:4] == [False, False, True, True]


def test_without_gdp_there_is_no_correlation_and_the_labels_match():
    s = P.ensemble_statistics(_scores(4), seed=0, n_boot=19)
    assert "life_gdp_r" not in s
    assert list(P.ensemble_labels(gdp=False)) == list(s)
    assert list(P.ensemble_labels(gdp=True)) == list(s) + ["life_gdp_r"]
    assert set(P.ensemble_conclusions(alpha=0.05, gdp=True)) > set(P.ensemble_conclusions(alpha=0.05, gdp=False))


def test_the_statistics_are_invariant_to_a_linear_rescaling():
    # dip, BC, the mixture fits and Pearson's r do not change under x -> a x + b (a > 0): min-max scores on another
    # range agree (the mixture fits standardise first)
    scores = _scores(5)
    gdp = pd.Series(np.linspace(1, 2, len(scores)) ** 2, index=scores.index)
    a = P.ensemble_statistics(scores, gdp=gdp, seed=0, n_boot=19)
    b = P.ensemble_statistics(scores * 3.7 + 12.0, gdp=gdp, seed=0, n_boot=19)
    assert_allclose(list(b.values()), list(a.values()), rtol=1e-7, atol=1e-7)


def test_below_five_ninths_is_strict():
    # "below 5/9" holds for BC < 5/9 only: a BC of exactly 5/9 (a uniform sample's value) is not below it
    tests = P.ensemble_conclusions(alpha=0.05, gdp=False)
    below = {t: spec[0] for t, spec in tests.items() if "below 5/9" in t}
    assert len(below) == 2
    for name in ("health_bc", "life_bc"):
        test = next(f for t, f in below.items() if t.startswith("digital healthcare" if name == "health_bc"
                                                                else "digital life"))
        assert test({name: 5 / 9}) is False and test({name: 5 / 9 - 1e-9}) is True


@pytest.mark.parametrize("alpha, dip_p, holds", [(0.05, 0.05, True), (0.05, 0.0499, False), (0.1, 0.07, False)])
def test_the_dip_conclusion_is_a_test_at_alpha(alpha, dip_p, holds):
    # "does not reject at alpha" holds exactly when p >= alpha (a rejection is p < alpha)
    test = next(iter(P.ensemble_conclusions(alpha=alpha, gdp=False).values()))[0]
    assert test({"health_dip_p": dip_p}) is holds


def test_a_missing_column_a_bad_frame_or_a_nan_is_refused():
    with pytest.raises(ParameterError, match="scores"):
        P.ensemble_statistics(_scores(0).drop(columns="LIV_LIFE"), seed=0)
    with pytest.raises(ParameterError, match="scores"):
        P.ensemble_statistics(_scores(0)["LIV_HEALTH"], seed=0)
    bad = _scores(0)
    bad.iloc[5, 0] = np.nan
    with pytest.raises(DataError, match="c005"):
        P.ensemble_statistics(bad, seed=0)


def test_every_conclusion_is_the_generators_and_the_likelihood_ratio_ones_are_rejections():
    # no published table constrains a shape, a dip or a likelihood ratio (ranks fix no gap; digital life has no
    # published ranks): basis "generator" for all (before: the default "model", which spread words as "the published
    # ranks decide it"); "rejects one normal" is a rejection event, the others claims
    from cityeval.notebook import spread
    tests = P.ensemble_conclusions(alpha=0.05, gdp=True)
    assert {spec[1] for spec in tests.values()} == {"generator"}
    kinds = {t: (spec[2] if len(spec) == 3 else "claim") for t, spec in tests.items()}
    assert {t for t, k in kinds.items() if k == "rejection"} == {t for t in tests if "test rejects one normal" in t}
    assert set(kinds.values()) <= set(spread.KINDS) and "generator" in spread.BASES


@pytest.mark.parametrize("kwargs, name", [({"alpha": 1.5, "gdp": True}, "alpha"), ({"alpha": 0.05, "gdp": 1}, "gdp")])
def test_conclusions_refuse_bad_arguments(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        P.ensemble_conclusions(**kwargs)


# ------------------------------------------------------------------ the summary quotes the range

def _power():
    return pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
                         "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0],
                         "mixture_lrt": [0.05, 0.9, 1.0], "n": 100})


_EIGHT = [1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0]
_SPREAD = {"health_dip_p": "HDIP", "health_bc": "HBC", "health_delta_bic": "HBIC", "health_lrt_p": "HLRT",
           "life_dip_p": "LDIP", "life_bc": "LBC", "life_delta_bic": "LBIC", "life_lrt_p": "LLRT"}


def test_the_summary_quotes_the_spread_in_place_of_the_nominal_values():
    s = P.bimodality_summary(_EIGHT, seed=0, n_boot=19)
    cov = P.CovariateCorrelation(n=8, missing=(), pearson=0.25, pearson_p_value=0.01, spearman=0.15,
                                 spearman_p_value=0.13)
    power = _power()
    spread = {**_SPREAD, "life_gdp_r": "R"}
    kwargs = dict(power=power, needed=P.separations_for_power(power), alpha=0.05, synthetic=True, data_path="x",
                  health_gdp=cov, life_gdp=cov)
    with_spread = P.healthcare_findings(s, s, spread=spread, **kwargs)
    # every panel statistic of the summary is a range now, the mixture's ΔBIC and LRT p-value included (before
    # issue 13 ΔBIC was left out of the ensemble and quoted for the nominal panel only)
    assert with_spread.summary.startswith("Illustrative (synthetic panels, not CCID's scores): LIV_HEALTH dip p = "
                                          "HDIP, BC = HBC, ΔBIC = HBIC, bootstrap LRT p = HLRT; LIV_LIFE dip p = "
                                          "LDIP, BC = LBC, ΔBIC = LBIC, bootstrap LRT p = LLRT; LIV_LIFE~GDP per "
                                          "capita r = R; the dip test needs")
    assert "nominal panel only" not in with_spread.summary and f"{s.dip_p_value:.2f}" not in with_spread.summary
    plain = P.healthcare_findings(s, s, **kwargs)
    assert plain.summary.startswith("Illustrative (one synthetic panel, the nominal one; not CCID's scores): "
                                    f"LIV_HEALTH dip p = {s.dip_p_value:.2f}, BC = {s.bc:.2f}, "
                                    f"ΔBIC = {s.gmm_delta_bic:.1f}, bootstrap LRT p = {s.lrt_p_value:.3f}; LIV_LIFE")
    assert "r = 0.25" in plain.summary
    assert with_spread.conclusion == plain.conclusion
    # without GDP per capita the correlation's range is not needed
    no_gdp = dict(kwargs, health_gdp=None, life_gdp=None)
    assert "; no GDP per capita; the dip test" in P.healthcare_findings(s, s, spread=dict(_SPREAD), **no_gdp).summary


@pytest.mark.parametrize("spread, gdp", [({"health_dip_p": "a"}, False), (["a", "b"], False),
                                         ({**_SPREAD, "health_dip_p": 0.3}, False),
                                         ({"health_dip_p": "a", "health_bc": "b", "life_dip_p": "c", "life_bc": "d"},
                                          False),
                                         (dict(_SPREAD), True)])
def test_a_bad_spread_is_a_parameter_error(spread, gdp):
    # the fourth: the mixture statistics' ranges are needed too; the last: with GDP per capita the correlation's
    s = P.bimodality_summary(_EIGHT, seed=0, n_boot=19)
    cov = P.CovariateCorrelation(n=8, missing=(), pearson=0.25, pearson_p_value=0.01, spearman=0.15,
                                 spearman_p_value=0.13) if gdp else None
    with pytest.raises(ParameterError, match="spread"):
        P.healthcare_findings(s, s, power=_power(), needed=P.separations_for_power(_power()), alpha=0.05,
                              synthetic=True, data_path="x", spread=spread, health_gdp=cov, life_gdp=cov)


def test_spread_texts_use_each_statistics_format():
    from types import SimpleNamespace

    names = list(P.ensemble_labels(gdp=True))
    fake = SimpleNamespace(names=names, range_text=lambda name, fmt: f"{name}:{fmt}")
    texts = P.spread_texts(fake)
    assert texts["health_lrt_p"] == "health_lrt_p:.4f" and texts["life_delta_bic"] == "life_delta_bic:.1f"
    assert texts["life_gdp_r"] == "life_gdp_r:.2f" and set(texts) == set(names)
    with pytest.raises(ParameterError, match="^summary should be"):
        P.spread_texts(SimpleNamespace(names=["other"], range_text=lambda name, fmt: ""))


@pytest.mark.parametrize("alpha, p, holds", [(0.05, 0.05, True), (0.05, 0.052, False), (0.01, 0.002, True)])
def test_the_likelihood_ratio_conclusion_rejects_at_p_at_most_alpha(alpha, p, holds):
    # a Monte Carlo test rejects when p <= alpha (size alpha when alpha (B + 1) is whole: p = 25/500 = 0.05 rejects)
    tests = P.ensemble_conclusions(alpha=alpha, gdp=False)
    test = next(spec[0] for t, spec in tests.items() if "likelihood-ratio" in t and "healthcare" in t)
    assert test({"health_lrt_p": p}) is holds


# ------------------------------------------------------------------ the callable an ensemble summary takes

def test_healthcare_statistics_reads_the_scores_and_the_panels_gdp(tmp_path):
    from types import SimpleNamespace

    scores = _scores(6)
    gdp = pd.Series(np.linspace(5e4, 9e4, len(scores)), index=scores.index, name="gdp_per_capita")
    gdp.rename_axis("unit").reset_index().to_csv(tmp_path / "covariates.csv", index=False)
    panel = SimpleNamespace(scores=scores, dataset=SimpleNamespace(path=tmp_path))
    stats_ = P.HealthcareStatistics(gdp=True, alpha=0.05, seed=3, n_boot=19)
    got = stats_(panel)
    assert got == P.ensemble_statistics(scores, gdp=gdp, seed=3, n_boot=19)
    assert list(stats_.labels()) == list(got) and len(stats_.conclusions()) == 7
    # a panel without the GDP the others have is an error (the summary records it as a failed member)
    (tmp_path / "covariates.csv").unlink()
    with pytest.raises(DataError, match="gdp_per_capita"):
        stats_(panel)
    assert list(P.HealthcareStatistics(gdp=False, alpha=0.05, seed=3, n_boot=19)(panel)) == \
        list(P.ensemble_labels(gdp=False))


@pytest.mark.parametrize("kwargs, name", [({"gdp": "yes", "alpha": 0.05, "seed": 0}, "gdp"),
                                          ({"gdp": True, "alpha": 0, "seed": 0}, "alpha"),
                                          ({"gdp": True, "alpha": 0.05, "seed": -1}, "seed"),
                                          ({"gdp": True, "alpha": 0.05, "seed": 0, "n_boot": 5}, "n_boot")])
def test_healthcare_statistics_refuse_bad_arguments(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        P.HealthcareStatistics(**kwargs)
