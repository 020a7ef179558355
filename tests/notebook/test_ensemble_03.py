"""Notebook 03's ensemble block: its values are what scikit-learn, diptest and numpy give on the members themselves.

The notebook runs once per session with its ``metadata.cityeval.test_parameters`` (``ensemble_size`` 3) through the
``executed_notebook`` fixture (tests/notebook/conftest.py). The silhouette and the Gaussian-mixture BIC are
recomputed here with scikit-learn (``KMeans``, ``silhouette_score``, ``GaussianMixture`` of the four covariance
models with 4 EM starts, the fits judged by the validity rule written out here) on the z-scored dimension scores;
the dip test on PC1 with ``diptest`` on scikit-learn's ``PCA``; the bands of the composite by hand with numpy; the
gap statistic's pick from :func:`cityeval.analysis.clustering.choose_k`'s table by Tibshirani's rule written out
here, the dip of the distances' Monte Carlo p-value from :func:`cityeval.analysis.clustering.dip_of_distances`
(no peer computes it), and the verdict by the rule of ``support_for_k`` written out here. No panel number is
written down (the generator's calibration changes them).
"""
from __future__ import annotations


import numpy as np
import pytest
from numpy.testing import assert_allclose

from cityeval.analysis import clustering as stages
from cityeval.ccid2022.ensemble import member_folders
from cityeval.notebook.panel import scored_panel
from mixture_reference import ward_init as _ward_init

STEM = "03_capability_stages"
N_REFS = N_BOOT = 20   # the reduced sizes the notebook's ensemble section states (20 reference sets, 20 resamples)
N_SIM = 99             # ... and 99 simulated Gaussian clouds for the dip of the distances (1 EM start: _direct)


def _gap_pick(table):
    """Tibshirani et al. (2001): the smallest k with Gap(k) >= Gap(k+1) - s(k+1); NaN when none in the table."""
    ks = list(table.index)
    for k, k1 in zip(ks, ks[1:]):
        if table.at[k, "gap"] >= table.at[k1, "gap"] - table.at[k1, "gap_se"]:
            return float(k)
    return np.nan


def _valid(gm, z, model) -> bool:
    """A mixture fit is used only if every component is the most probable one of at least d + 1 cities (full
    covariance) or 2 (the other models), no covariance eigenvalue is below 1e-5 (ten times reg_covar) and EM
    converged."""
    k, d = gm.n_components, z.shape[1]
    sizes = np.bincount(gm.predict(z), minlength=k)
    cov = gm.covariances_
    eig = {"full": lambda: min(np.linalg.eigvalsh(c).min() for c in cov), "tied": lambda: np.linalg.eigvalsh(cov).min(),
           "diag": lambda: cov.min(), "spherical": lambda: cov.min()}[model]()
    return bool(sizes.min() >= (d + 1 if model == "full" else 2) and eig >= 1e-5 and gm.converged_)


def _bands(z, labels, composite):
    """Share of cities in the stage the composite's order gives, and of the between-cluster spread on PC1."""
    stages_ = sorted(set(labels), key=lambda s: composite[labels == s].mean())
    sizes = [int((labels == s).sum()) for s in stages_]
    band = np.empty(len(labels), dtype=int)
    band[np.argsort(composite, kind="stable")] = np.repeat(stages_, sizes)
    zc = z - z.mean(axis=0)
    v1 = np.linalg.svd(zc, full_matrices=False)[2][0]
    cents = np.array([zc[labels == s].mean(axis=0) for s in stages_])
    return float(np.mean(band == labels)), float((sizes * (cents @ v1) ** 2).sum() / (sizes * (cents ** 2).sum(1)).sum())


def _direct(panel, params) -> dict:
    import diptest
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score
    from sklearn.mixture import GaussianMixture

    frame = panel.scores[panel.dimensions]
    composite = panel.scores[panel.top_code].to_numpy(float)
    x = frame.to_numpy(float)
    x = (x - x.mean(axis=0)) / x.std(axis=0)       # population sd, as the notebook's standardize=True
    seed, ks = params["seed"], range(1, 7)
    km = {k: KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x) for k in ks if k > 1}
    sil = {k: silhouette_score(x, lab) for k, lab in km.items()}
    bic = {}
    xs = x[np.lexsort(x.T[::-1])]      # the rows in a canonical (lexicographic) order: the fit does not depend on it
    for k in ks:
        for model in ("full", "tied", "diag", "spherical"):
            # the ensemble's one EM start: the Ward partition (mclust's kind of start), run to tol 1e-8
            init = _ward_init(xs, k, model) if k > 1 else {}
            gm = GaussianMixture(n_components=k, covariance_type=model, tol=1e-8, max_iter=100_000, random_state=0,
                                 **init).fit(xs)
            if _valid(gm, xs, model):
                bic[(k, model)] = gm.bic(xs)
    common = {"algorithm": "kmeans", "seed": seed, "standardize": True, "n_refs": N_REFS}
    gap = _gap_pick(stages.choose_k(frame, ks, reference="pca", **common))
    gap_uniform = _gap_pick(stages.choose_k(frame, ks, reference="uniform", **common))
    ari = stages.bootstrap_stability(frame, k=3, n_boot=N_BOOT, seed=seed).summary.mean
    picks = {"k_silhouette": float(max(sil, key=sil.get)), "k_gap": gap, "k_gap_uniform": gap_uniform,
             "k_bic": float(min(bic, key=bic.get)[0])}
    votes = sum(picks[n] == 3 for n in ("k_silhouette", "k_gap", "k_bic"))
    # support_for_k's rule (Notes): not supported when no vote or silhouette <= 0.25; supported with >= 2 votes,
    # silhouette > 0.5 and ARI >= 0.75; else inconclusive
    verdict = -1.0 if votes == 0 or sil[3] <= 0.25 else (1.0 if votes >= 2 and sil[3] > 0.5 and ari >= 0.75 else 0.0)
    agreement, pc1_share = _bands(x, km[3], composite)
    return {**picks, "dip_p": diptest.diptest(PCA(n_components=1).fit_transform(x)[:, 0], allow_zero=False)[1],
            "dip_distances_p": stages.dip_of_distances(frame, n_sim=N_SIM, seed=seed).p_value,
            "silhouette_best": max(sil.values()), "silhouette_3": sil[3], "ari_3": ari,
            "band_agreement_3": agreement, "pc1_share_3": pc1_share, "verdict_3": verdict}


@pytest.mark.notebook
def test_ensemble_values_equal_a_direct_recomputation(executed_notebook):
    doc = executed_notebook(STEM)
    params, block = doc["parameters"], doc["results"]["ensemble"]
    assert (params["algorithm"], params["standardize"], params["top_n"]) == ("kmeans", True, 100)   # _direct's set-up
    assert (block["size"], block["seed"]) == (params["ensemble_size"], params["ensemble_seed"])
    assert block["illustrative"] is True and block["failures"] == {} and block["members_used"] == block["size"]
    folders = member_folders(2, params["ensemble_seed"])
    direct = [_direct(scored_panel(f, top_n=params["top_n"]), params) for f in folders]
    for name in stages.ENSEMBLE_STATISTICS:
        got = [np.nan if v is None else v for v in block["statistics"][name]["values"][:2]]
        assert_allclose(got, [d[name] for d in direct], rtol=1e-9, err_msg=name)
    nominal = _direct(scored_panel(params["data"], top_n=params["top_n"]), params)
    for name, value in nominal.items():
        assert_allclose(block["statistics"][name]["nominal"], value, rtol=1e-9, err_msg=name)
    # the report states three stages: drawn beside every k a criterion picks, and nowhere else
    assert {n: s.get("reported") for n, s in block["statistics"].items() if "reported" in s} == \
        {"k_silhouette": 3, "k_gap": 3, "k_gap_uniform": 3, "k_bic": 3}


@pytest.mark.notebook
def test_conclusions_count_the_panels_where_they_hold(executed_notebook):
    doc = executed_notebook(STEM)
    block = doc["results"]["ensemble"]
    v = {name: np.asarray([np.nan if x is None else x for x in s["values"]], float)
         for name, s in block["statistics"].items()}
    expected = {
        "the mean silhouette picks k = 3": v["k_silhouette"] == 3,
        "the gap statistic (PCA-box reference) picks k = 3": v["k_gap"] == 3,
        "the gap statistic (uniform reference) picks k = 3": v["k_gap_uniform"] == 3,
        "the Gaussian-mixture BIC (valid fits) picks k = 3": v["k_bic"] == 3,
        "the dip test on PC1 rejects unimodality (p < 0.025)": v["dip_p"] < 0.025,
        "the dip of the pairwise distances rejects one Gaussian cloud (p < 0.025)": v["dip_distances_p"] < 0.025,
        "the best mean silhouette is at most 0.25 (no substantial structure at any k)": v["silhouette_best"] <= 0.25,
        "the mean silhouette at k = 3 is at most 0.25 (no substantial cluster structure)": v["silhouette_3"] <= 0.25,
        "the mean bootstrap ARI at k = 3 is below 0.75 (the clusters are not reproducible)": v["ari_3"] < 0.75,
        "the k = 3 clusters are (mostly) bands of the composite (both shares at least 0.75)":
            (v["band_agreement_3"] >= 0.75) & (v["pc1_share_3"] >= 0.75),
        "the verdict rule (support_for_k) finds three stages not supported": v["verdict_3"] == -1,
        "the verdict rule (support_for_k) finds three stages supported": v["verdict_3"] == 1,
    }
    assert set(block["conclusions"]) == set(expected)
    for text, holds in expected.items():
        assert block["conclusions"][text]["holds_in"] == int(holds.sum()), text
    assert f"5–95% over {block['size']} illustrative panels" in doc["results"]["summary"]
    assert "illustrative" in doc["results"]["summary"].lower()
    assert sum(c.startswith("“") for c in doc["results"]["conclusions"]) == len(expected)


@pytest.mark.notebook
def test_a_statistic_undefined_on_a_panel_is_counted_and_said(executed_notebook):
    # a criterion that picks no k is NaN (None in the JSON) on that panel: the block counts it as undefined, the
    # range leaves it out (panels), a sentence says so (test_clustering_ensemble.py forces such a panel; here the
    # notebook's own members, where the count may be 0)
    res = executed_notebook(STEM)["results"]
    block = res["ensemble"]
    for name, stat in block["statistics"].items():
        missing = sum(v is None or v != v for v in stat["values"])
        assert block["undefined"].get(name, 0) == missing, name
        assert stat["panels"] == block["members_used"] - missing, name
        said = [c for c in res["conclusions"] if c.startswith(f"{stat['label']} is undefined on {missing} of ")]
        assert len(said) == (1 if missing else 0), name


@pytest.mark.notebook
def test_no_conclusion_credits_the_published_ranks_unless_its_basis_is_published(executed_notebook):
    # REVIEW13b finding 2: shapes, gaps, silhouettes and dip tests of the dimension scores are constrained by no
    # published table (ranks are invariant under monotone maps), so no sentence may say the published ranks decide
    # or rule them out; the two dip tests are rejections, and a rejection in no panel is not worded as ruling out
    res = executed_notebook(STEM)["results"]
    block = res["ensemble"]
    assert {c["basis"] for c in block["conclusions"].values()} == {"generator"}
    assert {t for t, c in block["conclusions"].items() if c["kind"] == "rejection"} == {
        "the dip test on PC1 rejects unimodality (p < 0.025)",
        "the dip of the pairwise distances rejects one Gaussian cloud (p < 0.025)"}
    for text, c in block["conclusions"].items():
        sentence = next(x for x in res["conclusions"] if x.startswith(f"“{text}”"))
        if c["basis"] != "published":
            assert "published ranks decide" not in sentence and "published ranks rule" not in sentence, sentence
            assert "published ranks alone" not in sentence, sentence
        if c["kind"] == "rejection" and c["holds_in"] == 0:
            assert "not evidence against" in sentence, sentence
