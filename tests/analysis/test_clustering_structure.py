"""cityeval.analysis.clustering: clusterability before any k, bands of the composite after, and the silhouette's
band in the texts (issue 13, items 3 and 11).

Expected values: the peer libraries called here with the exact call (``diptest.diptest``/``diptest.dipstat``,
``scipy.spatial.distance.pdist``, ``sklearn.decomposition.PCA``, ``sklearn.metrics.adjusted_rand_score``),
hand calculations (commented), seeded known cases (planted groups, one Gaussian cloud), and Kaufman & Rousseeuw's
(1990, ch. 2) table of silhouette bands: 0.71-1.00 strong, 0.51-0.70 reasonable, 0.26-0.50 weak and could be
artificial, <= 0.25 no substantial structure.
"""
from __future__ import annotations

import diptest
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.spatial.distance import pdist
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

from cityeval.analysis import clustering as stages
from cityeval.errors import ParameterError
from planted import planted


def _frame(x) -> pd.DataFrame:
    return pd.DataFrame(x, index=[f"c{i}" for i in range(len(x))], columns=[f"D{j}" for j in range(x.shape[1])])


def _z(frame) -> np.ndarray:
    x = frame.to_numpy(float)
    return (x - x.mean(axis=0)) / x.std(axis=0)


# ---- the dip tests ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 3, 11])
def test_dip_on_pc1_is_diptest_on_sklearns_first_component(seed):
    rng = np.random.default_rng(seed)
    frame = _frame(rng.normal(size=(80, 4)) @ rng.normal(size=(4, 4)))
    got = stages.dip_on_pc1(frame)
    pc1 = PCA(n_components=1).fit_transform(_z(frame))[:, 0]      # the sign does not change the dip
    dip, p = diptest.diptest(pc1, allow_zero=False)
    assert_allclose([got.statistic, got.p_value], [dip, p], rtol=1e-10)
    assert got.n == 80 and got.alternative == "multimodal" and "first principal component" in got.method


def test_dip_of_distances_statistic_is_diptest_of_scipys_pdist():
    frame, _ = planted(2)
    got = stages.dip_of_distances(frame, n_sim=9, seed=0)
    assert_allclose(got.statistic, diptest.dipstat(pdist(_z(frame)), allow_zero=False), rtol=1e-12)
    # planted: three groups 10 sd apart; no Gaussian cloud of the same covariance has distances as bimodal, so the
    # Monte Carlo p-value is its smallest possible value 1 / (n_sim + 1)
    assert got.p_value == 1 / 10


def test_dip_of_distances_null_clouds_get_the_datas_transform():
    # REVIEW13b finding 7: the data are z-scored, so each simulated Gaussian cloud must be z-scored too (ddof 0)
    # before its distances are taken. Expected: the Monte Carlo p-value written out with numpy's
    # multivariate_normal (same generator, same call), each cloud z-scored, diptest's dipstat of scipy's pdist
    rng0 = np.random.default_rng(3)
    frame = _frame(rng0.normal(size=(30, 3)) @ np.array([[1.0, 0.6, 0.3], [0.0, 0.8, 0.4], [0.0, 0.0, 0.7]]))
    z = _z(frame)
    rng = np.random.default_rng(11)
    sims = rng.multivariate_normal(z.mean(0), np.cov(z, rowvar=False), size=(49, 30), method="eigh")
    dips = [diptest.dipstat(pdist((s - s.mean(0)) / s.std(0)), allow_zero=False) for s in sims]
    dip = diptest.dipstat(pdist(z), allow_zero=False)
    expected = (1 + sum(d >= dip for d in dips)) / 50
    got = stages.dip_of_distances(frame, n_sim=49, seed=11)
    assert_allclose(got.statistic, dip, rtol=1e-12)
    assert got.p_value == expected
    # and the unstandardized clouds give another p-value here (so this test sees the difference)
    raw = [diptest.dipstat(pdist(s), allow_zero=False) for s in sims]
    assert (1 + sum(d >= dip for d in raw)) / 50 != expected


def test_dip_of_distances_is_calibrated_on_one_gaussian_cloud():
    # the null the p-value is computed under: rejections at 0.05 over 60 seeds. With the mean and covariance
    # estimated the test is only approximately exact; a binomial(60, 0.05) exceeds 8 with probability < 0.5%.
    rejections = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        frame = _frame(rng.normal(size=(40, 3)) @ np.array([[1.0, 0.6, 0.3], [0.0, 0.8, 0.4], [0.0, 0.0, 0.7]]))
        rejections += stages.dip_of_distances(frame, n_sim=39, seed=seed).p_value <= 0.05
    assert rejections <= 8


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_clusterability_finds_planted_groups_and_not_one_cloud(seed):
    frame, _ = planted(seed)
    yes = stages.clusterability(frame, n_sim=19, seed=seed)
    assert yes.clusterable and yes.pc1.p_value < 0.025 and yes.alpha == 0.05
    assert yes.sentence.startswith("Clusterability, before any k is chosen: the dip test on the first principal")
    assert "There is evidence of structure beyond a single cloud" in yes.sentence


def test_one_gaussian_cloud_is_not_called_clusterable():
    rng = np.random.default_rng(5)
    no = stages.clusterability(_frame(rng.normal(size=(100, 4))), n_sim=39, seed=5)
    assert not no.clusterable
    assert "does not reject unimodality" in no.sentence and "a non-rejection does not show" in no.sentence
    with pytest.raises(ParameterError, match="^alpha should be"):
        stages.clusterability(_frame(rng.normal(size=(10, 2))), alpha=1.0)
    with pytest.raises(ParameterError, match="^frame should be at least 4 cities"):
        stages.dip_on_pc1(_frame(rng.normal(size=(3, 2))))
    with pytest.raises(ParameterError, match="^n_sim should be"):
        stages.dip_of_distances(_frame(rng.normal(size=(10, 2))), n_sim=0)


# ---- bands of the composite -----------------------------------------------------------------------------------------


def test_composite_bands_by_hand():
    # composite 1..6; stages {1, 2, 4} and {3, 5, 6}: cutting the composite at the same sizes (3, 3) gives {1, 2, 3},
    # {4, 5, 6}, so 4 of 6 cities are in their band; stage means 7/3 and 14/3 around 3.5: between-stage sum of
    # squares 3 (7/3 - 7/2)^2 + 3 (14/3 - 7/2)^2 = 49/6 of a total 17.5, eta^2 = 7/15
    c = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=list("abcdef"))
    labels = pd.Series([1, 1, 2, 1, 2, 2], index=c.index)
    frame = pd.DataFrame({"A": c, "B": 2 * c}, index=c.index)       # on a line: PC1 carries all the spread
    b = stages.composite_bands(frame, labels, c)
    assert not b.contiguous and b.bands == "not bands"
    assert_allclose([b.band_agreement, b.eta2, b.pc1_share, b.pc1_composite_r], [4 / 6, 7 / 15, 1.0, 1.0])
    assert_allclose(b.band_ari, adjusted_rand_score(labels, [1, 1, 1, 2, 2, 2]))
    assert (b.k, b.n) == (2, 6)
    # numbered the other way round (stage 1 = the higher composite), the bands are read by mean composite
    assert stages.composite_bands(frame, 3 - labels, c).band_agreement == 4 / 6


def test_clusters_off_the_main_axis_are_not_bands():
    # A spreads the cities (0, 0, 1, 1, ..., 4, 4: PC1 without standardizing), B = +-0.5 alternates and makes the
    # clusters: their centroids differ in B only, orthogonal to PC1, so none of the between-cluster spread is on PC1
    a = np.repeat(np.arange(5.0), 2)
    frame = pd.DataFrame({"A": a, "B": np.tile([0.5, -0.5], 5)}, index=[f"c{i}" for i in range(10)])
    labels = pd.Series(np.tile([2, 1], 5), index=frame.index)
    b = stages.composite_bands(frame, labels, frame["A"] + frame["B"], standardize=False)
    assert_allclose(b.pc1_share, 0.0, atol=1e-12)
    assert b.bands == "not bands" and b.sentence.startswith("The clusters are not just bands of the composite")


def test_contiguous_stages_are_bands_and_k_means_of_one_cloud_mostly_bands():
    frame, truth = planted(0)
    b = stages.composite_bands(frame, truth, frame.mean(axis=1))
    assert b.contiguous and b.band_agreement == 1.0 and b.bands == "bands"   # row means 0, 10/3, 20/3 apart
    # one elongated Gaussian cloud (correlation 0.8): k-means cuts it along its main axis, i.e. into bands of its mean
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3)) @ np.linalg.cholesky(0.2 * np.eye(3) + 0.8).T
    cloud = _frame(x)
    composite = cloud.mean(axis=1)
    lab = stages.cluster(cloud, k=3, order_by=composite)
    b = stages.composite_bands(cloud, lab, composite)
    assert b.bands in ("bands", "mostly bands") and b.pc1_share > 0.9 and b.pc1_composite_r > 0.99
    with pytest.raises(ParameterError, match="^composite should be a pandas Series"):
        stages.composite_bands(cloud, lab, composite.to_numpy())


# ---- the silhouette's band, in the texts (item 11) --------------------------------------------------------------------


@pytest.mark.parametrize("value, band", [(-0.3, "no substantial structure"), (0.22, "no substantial structure"),
                                         (0.25, "no substantial structure"),
                                         (0.26, "weak structure, could be artificial"),
                                         (0.50, "weak structure, could be artificial"),
                                         (0.51, "reasonable structure"), (0.70, "reasonable structure"),
                                         (0.71, "strong structure"), (1.0, "strong structure")])
def test_silhouette_bands_are_kaufman_and_rousseeuws(value, band):
    assert stages.silhouette_band(value) == band


def test_silhouette_band_checks_its_value():
    assert stages.silhouette_band(0.22, with_range=True) == "no substantial structure (<= 0.25)"
    with pytest.raises(ParameterError, match="^value should be"):
        stages.silhouette_band(1.5)


def _findings(frame, seed=0):
    labels = stages.cluster(frame, k=3, seed=seed)
    evidence = stages.choose_k(frame, range(1, 5), n_refs=5, seed=seed)
    return evidence, stages.stage_findings(
        verdict=stages.three_stage_verdict(frame, evidence, algorithm="kmeans", n_boot=5, seed=seed, standardize=True),
        evidence=evidence, evidence_uniform=evidence, stability=stages.bootstrap_stability(frame, k=3, n_boot=5),
        ari_algorithms=stages.agreement({a: stages.cluster(frame, k=3, algorithm=a, seed=seed)
                                         for a in stages.ALGORITHMS}),
        weightings=stages.WeightingAgreement({}, pd.DataFrame(), {}, {}), labels=labels,
        composite=frame.mean(axis=1), leaders=stages.LeadersCheck([], None, ""), algorithm="kmeans",
        dimension_names=pd.Series({c: c for c in frame.columns}), synthetic=True, data_path="x",
        clusterability=stages.clusterability(frame, n_sim=9, seed=seed),
        bands=stages.composite_bands(frame, labels, frame.mean(axis=1)),
        mixtures=stages.mixture_fits(frame, range(1, 5), n_init=2, seed=seed))


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_a_silhouette_that_picks_a_k_is_named_by_its_band(seed):
    # before: "silhouette picks k = 2" and "the best mean silhouette is 0.22", with no word that 0.22 is in the
    # "no substantial structure" band. One Gaussian cloud: its best mean silhouette is in the lowest band
    rng = np.random.default_rng(seed)
    evidence, f = _findings(_frame(rng.normal(size=(60, 5))), seed)
    best = float(evidence["silhouette"].max())
    assert best <= 0.25                                               # K&R: no substantial structure
    assert f"silhouette picks k={stages.best_k(evidence).silhouette} ({best:.2f}: “no substantial structure”)" \
        in f.summary
    line = next(part for part in f.conclusion.split("\n\n") if part.startswith("Evidence for k"))
    assert f"(mean silhouette {best:.2f}: “no substantial structure” (<= 0.25) in Kaufman & Rousseeuw's bands)" in line


def test_every_silhouette_quoted_carries_its_band():
    frame, _ = planted(0)
    evidence, f = _findings(frame)
    line = next(part for part in f.conclusion.split("\n\n") if part.startswith("Evidence for k"))
    assert f"{evidence['silhouette'].max():.2f}: “strong structure” (0.71-1.00)" in line
    assert f"at k = 3 the mean silhouette is {evidence.at[3, 'silhouette']:.2f}: “strong structure”" in line
    # the inconclusive verdict's reason names the band as well
    ev = pd.DataFrame({"silhouette": [np.nan, 0.2, 0.4, 0.3], "gap_rule": [False, False, True, None],
                       "bic": [9.0, 9.0, 1.0, 9.0]}, index=pd.Index([1, 2, 3, 4], name="k"))
    summary = stages.StabilitySummary(k=3, algorithm="kmeans", n_boot=10, mean=0.9, median=0.9, q05=0.8, q95=1.0)
    v = stages.support_for_k(ev, summary, k=3)
    assert v.supported is None and "silhouette 0.40 (Kaufman & Rousseeuw: weak structure, could be artificial;" \
        in v.reason


def test_the_findings_carry_their_assumptions():
    frame, _ = planted(0)
    _, f = _findings(frame)
    assert set(f.assumptions) <= set(stages.ASSUMPTION_PATHS)
    assert "profile.leaders_first" not in f.assumptions            # no leaders table here: nothing to rest on
    assert all(isinstance(v, list) and v and all(len(s.split()) >= 3 for s in v) for v in f.assumptions.values())
    assert any("Bonferroni" in s for s in f.assumptions["clusterability"])
    assert any("valid mixture fits" in s for s in f.assumptions["k_evidence.best"])
