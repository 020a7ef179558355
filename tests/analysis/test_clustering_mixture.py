"""cityeval.analysis.clustering: Gaussian mixtures chosen among valid fits only (issue 13, item 3).

The defect: with a full covariance at n = 100 in 6 dimensions, the mixture BIC of notebook 03 was lowest for a fit
whose component held 4 cities (a singular covariance, log-det -44.4), so "the BIC picks k = 3" came from a
degenerate fit, and so did the Gaussian-mixture stages of the agreement table. Expected values: scikit-learn's
``GaussianMixture`` refitted here with the same arguments, and the validity rule written out here (a component the
most probable one of at least d + 1 cities for a full covariance, 2 otherwise; no covariance eigenvalue below
1e-5, ten times scikit-learn's reg_covar; EM converged); the issue's numbers re-measured on the panel it was
measured on (tests/fixtures/panel-before-ensemble).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from cityeval.analysis import clustering as stages
from cityeval.errors import DataError, ParameterError
from planted import planted

SEEDS = [0, 1, 7, 20221101]
OLD_PANEL = Path(__file__).resolve().parents[1] / "fixtures" / "panel-before-ensemble"
SEED = 20221101            # notebook 03's seed, at which the issue measured the degenerate fit


def _old_panel() -> pd.DataFrame:
    from cityeval.notebook.panel import scored_panel

    panel = scored_panel(OLD_PANEL, top_n=100)
    return panel.scores[panel.dimensions]


def _z(frame) -> np.ndarray:
    x = frame.to_numpy(float)
    return (x - x.mean(axis=0)) / x.std(axis=0)


def _valid_by_hand(gm, z, model) -> bool:
    """The validity rule, written out: component sizes, the smallest covariance eigenvalue, convergence."""
    k, d = gm.n_components, z.shape[1]
    sizes = np.bincount(gm.predict(z), minlength=k)
    cov = gm.covariances_
    eig = {"full": lambda: min(np.linalg.eigvalsh(c).min() for c in cov), "tied": lambda: np.linalg.eigvalsh(cov).min(),
           "diag": lambda: cov.min(), "spherical": lambda: cov.min()}[model]()
    return bool(sizes.min() >= (d + 1 if model == "full" else 2) and eig >= 1e-5 and gm.converged_)


def _valid_minimum(z, ks, seed, n_init=10):
    """(BIC, k, model) of the valid scikit-learn fit with the lowest BIC."""
    best = (np.inf, None, None)
    for k in ks:
        for model in stages.COVARIANCE_TYPES:
            gm = GaussianMixture(n_components=k, covariance_type=model, n_init=n_init, random_state=seed).fit(z)
            if _valid_by_hand(gm, z, model) and gm.bic(z) < best[0]:
                best = (gm.bic(z), k, model)
    return best


def test_the_issue_defect_is_recognised_on_the_panel_it_was_measured_on():
    frame = _old_panel()
    full = stages.mixture_fits(frame, [3], covariance_types=["full"], seed=SEED).iloc[0]
    # issue 13: "one component holds 4 cities (a singular covariance, log-det -44.4)"
    assert full["smallest"] == 4 and full["min_members"] == 7 and not full["valid"]
    assert_allclose(full["min_log_det"], -44.4, atol=0.05)
    assert "holds 4 cities (fewer than the d + 1 = 7 a full covariance in 6 dimensions needs)" in full["reason"]
    assert "a singular covariance" in full["reason"]
    # the same fit refitted with scikit-learn: its BIC, and why it won (it is the lowest of the full fits at k = 1..6)
    z = _z(frame)
    gm = GaussianMixture(n_components=3, covariance_type="full", n_init=10, random_state=SEED).fit(z)
    assert_allclose(full["bic"], gm.bic(z), rtol=1e-12)
    full_bics = [GaussianMixture(n_components=k, n_init=10, random_state=SEED).fit(z).bic(z) for k in range(1, 7)]
    assert int(np.argmin(full_bics)) + 1 == 3


def test_the_bic_pick_and_the_mixture_stages_come_from_a_valid_fit():
    # before: choose_k's BIC column was the full-covariance BIC whatever the fit (1694.8 at k = 3 here, a 4-city
    # component), and cluster(algorithm="gmm") returned that fit's labels
    frame = _old_panel()
    z = _z(frame)
    ev = stages.choose_k(frame, range(1, 7), seed=SEED, n_refs=2)
    bic, k, model = _valid_minimum(z, range(1, 7), SEED)
    assert stages.best_k(ev).bic == k
    assert_allclose(ev.at[k, "bic"], bic, rtol=1e-12)
    assert ev.at[k, "bic_model"] == model
    # the Gaussian-mixture stages at k = 3: the valid model with the lowest BIC at k = 3, refitted here
    bic3, _, model3 = _valid_minimum(z, [3], SEED)
    labels = stages.cluster(frame, k=3, algorithm="gmm", seed=SEED)
    gm = GaussianMixture(n_components=3, covariance_type=model3, n_init=10, random_state=SEED).fit(z)
    assert adjusted_rand_score(labels, gm.predict(z)) == 1.0
    assert_allclose(ev.at[3, "bic"], bic3, rtol=1e-12)


def _with_a_point_group(seed, n=60, d=3):
    """One Gaussian cloud plus three cities at (almost) one point far out: a full (or diag, spherical) covariance
    of the three is singular, and its likelihood unbounded."""
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.normal(size=(n, d)), 4.0 + 1e-7 * rng.normal(size=(3, d))])
    return pd.DataFrame(x, index=[f"c{i}" for i in range(n + 3)], columns=[f"D{j}" for j in range(d)])


@pytest.mark.parametrize("seed", SEEDS)
def test_every_fit_is_judged_by_the_rule(seed):
    frame = _with_a_point_group(seed)
    z = _z(frame)
    fits = stages.mixture_fits(frame, range(1, 4), seed=seed, n_init=3)
    assert list(fits.columns) == list(stages.MIXTURE_COLUMNS) and len(fits) == 12
    for row in fits.itertuples():
        gm = GaussianMixture(n_components=row.k, covariance_type=row.covariance_type, n_init=3 if row.k > 1 else 1,
                             random_state=seed).fit(z)
        assert_allclose(row.bic, gm.bic(z), rtol=1e-10)
        assert row.valid == _valid_by_hand(gm, z, row.covariance_type), (row.k, row.covariance_type)
        assert row.min_members == (4 if row.covariance_type == "full" else 2)
        assert (row.reason == "") == row.valid
    # the point group is what the full-covariance BIC would pick at k = 2, and that fit is rejected
    full2 = fits[(fits.k == 2) & (fits.covariance_type == "full")].iloc[0]
    assert full2["smallest"] == 3 and not full2["valid"]
    choice = stages.best_mixture(fits)
    assert choice.k is not None and fits.set_index(["k", "covariance_type"]).loc[(choice.k, choice.covariance_type),
                                                                                 "valid"]
    assert "k = 2, full" in choice.rejected and choice.n_fits == 12 and choice.models == stages.COVARIANCE_TYPES


def test_a_named_invalid_model_raises_and_auto_takes_a_valid_one():
    frame = _with_a_point_group(0)
    with pytest.raises(DataError, match=r"no valid Gaussian mixture with 2 components \(full: component \d holds 3 "):
        stages.cluster(frame, k=2, algorithm="gmm", covariance_type="full", seed=0)
    labels = stages.cluster(frame, k=2, algorithm="gmm", seed=0)     # "auto"
    fits = stages.mixture_fits(frame, [2], seed=0)
    model = stages.best_mixture(fits).covariance_type
    assert fits.set_index("covariance_type").loc[model, "valid"]
    gm = GaussianMixture(n_components=2, covariance_type=model, n_init=10, random_state=0).fit(_z(frame))
    assert adjusted_rand_score(labels, gm.predict(_z(frame))) == 1.0
    # the bootstrap of a mixture fits its resamples with the model chosen on all cities: it runs and is reproducible
    a = stages.bootstrap_stability(frame, k=2, algorithm="gmm", n_boot=3, seed=0)
    assert a.summary.algorithm == "gmm" and np.isfinite(a.ari).all()


def test_a_k_without_a_valid_mixture_has_no_bic_and_no_gmm_clustering():
    # 5 cities in 2 dimensions: from k = 2 on, some component of every model is left with a single city (or a
    # singular covariance), so no mixture with 2..4 components is valid; k = 1 (all 5 >= d + 1 = 3) is
    frame = pd.DataFrame({"A": [0.0, 0.1, 5.0, 5.1, 9.0], "B": [0.0, 1.0, 0.0, 1.0, 5.0]}, index=list("abcde"))
    assert not stages.mixture_fits(frame, [2, 3, 4], n_init=2)["valid"].any()
    ev = stages.choose_k(frame, [1, 2, 3, 4], algorithm="gmm", n_refs=2, mixture_n_init=2)
    assert np.isfinite(ev.at[1, "bic"]) and ev.at[1, "bic_model"] == "full"   # k = 1: full and tied tie, full first
    for k in (2, 3, 4):
        assert np.isnan(ev.at[k, "bic"]) and ev.at[k, "bic_model"] is None
        # with algorithm="gmm" there is no clustering to measure at such a k: no silhouette, no gap, no rule
        assert np.isnan(ev.at[k, "silhouette"]) and np.isnan(ev.at[k, "gap"])
    assert ev["gap_rule"].tolist() == [None, None, None, None]   # the rule needs both gaps
    assert stages.best_k(ev).bic == 1
    with pytest.raises(DataError, match="no valid Gaussian mixture with 2 components"):
        stages.cluster(frame, k=2, algorithm="gmm")
    # nor a bootstrap of it: the stability table says NaN at such a k instead of failing (notebook 03, algorithm=gmm)
    by_k = stages.stability_by_k(frame, [1, 2], algorithm="gmm", n_boot=2)
    assert list(by_k.index) == [2] and by_k.loc[2].isna().all()


def test_best_mixture_by_hand_and_its_checks():
    fits = pd.DataFrame({"k": [1, 2, 2, 3], "covariance_type": ["full", "full", "diag", "tied"],
                         "bic": [10.0, 5.0, 7.0, 7.0], "valid": [True, False, True, True],
                         "reason": ["", "component 2 holds 4 cities", "", ""]})
    # the lowest valid BIC is 7.0, at k = 2 (diag) and k = 3 (tied): the smaller k
    c = stages.best_mixture(fits)
    assert (c.k, c.covariance_type, c.statistic, c.n_fits, c.n_valid) == (2, "diag", 7.0, 4, 3)
    assert c.rejected == {"k = 2, full": "component 2 holds 4 cities"}
    at3 = stages.best_mixture(fits, k=3)
    assert (at3.k, at3.covariance_type, at3.n_fits) == (3, "tied", 1) and at3.method.endswith("at k = 3")
    none = stages.best_mixture(fits.assign(valid=False))
    assert none.k is None and np.isnan(none.statistic) and none.n_valid == 0
    with pytest.raises(ParameterError, match="^fits should be the DataFrame returned by mixture_fits"):
        stages.best_mixture(fits.drop(columns="valid"))
    with pytest.raises(ParameterError, match="^k should be a k of the table"):
        stages.best_mixture(fits, k=5)


@pytest.mark.parametrize("kwargs, name", [({"ks": [0]}, "ks"), ({"ks": "12"}, "ks"), ({"ks": []}, "ks"),
                                          ({"covariance_types": "full"}, "covariance_types"),
                                          ({"covariance_types": ["round"]}, r"covariance_types\[0\]"),
                                          ({"n_init": 0}, "n_init"), ({"seed": -1}, "seed")], ids=repr)
def test_mixture_fits_bad_arguments_name_the_parameter(kwargs, name):
    frame, _ = planted(0, n=5)
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        stages.mixture_fits(frame, **kwargs)


def test_planted_blobs_keep_every_fit_of_the_right_k_valid():
    # three blobs 10 sd apart, 20 cities each: at k = 3 every model fits one blob per component (20 >= d + 1 = 4)
    frame, truth = planted(0)
    fits = stages.mixture_fits(frame, [3], seed=0)
    assert fits["valid"].all() and (fits["smallest"] == 20).all()
    assert adjusted_rand_score(truth, stages.cluster(frame, k=3, algorithm="gmm", seed=0)) == 1.0
