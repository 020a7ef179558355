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
from mixture_reference import ward_init as _ward_init_by_hand

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


def _chosen_by_hand(z, k, model, seed, n_init=10):
    """The fit the rule keeps, refitted start by start (see _starts_by_hand): the valid start with the highest
    likelihood, else the best start; with the canonical row order and the labels in the rows' own order."""
    order = np.lexsort(z.T[::-1])
    xs = z[order]
    starts = _starts_by_hand(xs, k, model, seed, n_init)
    ok = [gm for gm in starts if _valid_by_hand(gm, xs, model)]
    gm = max(ok or starts, key=lambda g: g.score(xs))
    labels = np.empty(len(z), dtype=int)
    labels[order] = gm.predict(xs)
    return gm, xs, labels, bool(ok)


def _valid_minimum(z, ks, seed, n_init=10):
    """(BIC, k, model) of the valid fit with the lowest BIC, refitted here."""
    best = (np.inf, None, None)
    for k in ks:
        for model in stages.COVARIANCE_TYPES:
            gm, xs, _, valid = _chosen_by_hand(z, k, model, seed, n_init)
            if valid and gm.bic(xs) < best[0]:
                best = (gm.bic(xs), k, model)
    return best


def test_the_issue_defect_is_recognised_on_the_panel_it_was_measured_on():
    frame = _old_panel()
    z = _z(frame)
    # issue 13: "one component holds 4 cities (a singular covariance, log-det -44.4)": scikit-learn's fit as the
    # notebook made it then (n_init=10, default tol 1e-3), and why it won (the lowest of the full fits at k = 1..6)
    gm = GaussianMixture(n_components=3, covariance_type="full", n_init=10, random_state=SEED).fit(z)
    assert np.bincount(gm.predict(z)).min() == 4 and not _valid_by_hand(gm, z, "full")
    assert_allclose(min(np.linalg.slogdet(c)[1] for c in gm.covariances_), -44.4, atol=0.05)
    full_bics = [GaussianMixture(n_components=k, n_init=10, random_state=SEED).fit(z).bic(z) for k in range(1, 7)]
    assert int(np.argmin(full_bics)) + 1 == 3
    # the library keeps the best *valid* start instead: that start refitted here
    full = stages.mixture_fits(frame, [3], covariance_types=["full"], seed=SEED).iloc[0]
    mine, xs, _, valid = _chosen_by_hand(z, 3, "full", SEED)
    assert valid and full["valid"] and full["smallest"] >= full["min_members"] == 7
    assert_allclose(full["bic"], mine.bic(xs), rtol=1e-9)


def test_the_bic_pick_and_the_mixture_stages_come_from_a_valid_fit():
    # before: choose_k's BIC column was the full-covariance BIC whatever the fit (1694.8 at k = 3 here, a 4-city
    # component), and cluster(algorithm="gmm") returned that fit's labels
    frame = _old_panel()
    z = _z(frame)
    ev = stages.choose_k(frame, range(1, 7), seed=SEED, n_refs=2)
    bic, k, model = _valid_minimum(z, range(1, 7), SEED)
    assert stages.best_k(ev).bic == k
    assert_allclose(ev.at[k, "bic"], bic, rtol=1e-9)
    assert ev.at[k, "bic_model"] == model
    # the Gaussian-mixture stages at k = 3: the valid model with the lowest BIC at k = 3, refitted here
    bic3, _, model3 = _valid_minimum(z, [3], SEED)
    labels = stages.cluster(frame, k=3, algorithm="gmm", seed=SEED)
    _, _, mine, _ = _chosen_by_hand(z, 3, model3, SEED)
    assert adjusted_rand_score(labels, mine) == 1.0
    assert_allclose(ev.at[3, "bic"], bic3, rtol=1e-9)


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
        gm, xs, _, valid = _chosen_by_hand(z, row.k, row.covariance_type, seed, n_init=3)
        assert_allclose(row.bic, gm.bic(xs), rtol=1e-9)
        assert row.valid == valid == _valid_by_hand(gm, xs, row.covariance_type), (row.k, row.covariance_type)
        assert row.min_members == (4 if row.covariance_type == "full" else 2)
        assert (row.reason == "") == row.valid
    # the point group: a full-covariance fit at k = 2 that sits on it (3 cities < d + 1 = 4) is never valid; it is
    # reported only when no start avoids it
    full2 = fits[(fits.k == 2) & (fits.covariance_type == "full")].iloc[0]
    assert not (full2["smallest"] == 3 and full2["valid"])
    choice = stages.best_mixture(fits)
    assert choice.k is not None and fits.set_index(["k", "covariance_type"]).loc[(choice.k, choice.covariance_type),
                                                                                 "valid"]
    assert ("k = 2, full" in choice.rejected) == (not full2["valid"])
    assert choice.n_fits == 12 and choice.models == stages.COVARIANCE_TYPES


def test_a_named_invalid_model_raises_and_auto_takes_a_valid_one():
    tiny = pd.DataFrame({"A": [0.0, 0.1, 5.0, 5.1, 9.0], "B": [0.0, 1.0, 0.0, 1.0, 5.0]}, index=list("abcde"))
    with pytest.raises(DataError, match=r"no valid Gaussian mixture with 2 components \(full: component \d holds "):
        stages.cluster(tiny, k=2, algorithm="gmm", covariance_type="full", seed=0)
    frame = _with_a_point_group(0)
    labels = stages.cluster(frame, k=2, algorithm="gmm", seed=0)     # "auto"
    fits = stages.mixture_fits(frame, [2], seed=0)
    model = stages.best_mixture(fits).covariance_type
    assert fits.set_index("covariance_type").loc[model, "valid"]
    _, _, mine, _ = _chosen_by_hand(_z(frame), 2, model, 0)
    assert adjusted_rand_score(labels, mine) == 1.0
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


# --- issue 13, review finding 1: the fits converge, do not depend on the order of the cities, and a (k, model) is
# rejected only when no start is valid. Expected values: scikit-learn's GaussianMixture refitted here start by start
# (tol 1e-8, the starts written out from the documented convention: the Ward partition, then k-means initialisations
# seeded by numpy's SeedSequence(seed).generate_state(n_init - 1)) on the rows sorted lexicographically, and the
# validity rule written out above (_valid_by_hand).

def _sorted(z):
    return z[np.lexsort(z.T[::-1])]


def _starts_by_hand(xs, k, model, seed, n_init):
    seeds = [None] + [int(s) for s in np.random.SeedSequence(seed).generate_state(n_init - 1)]
    out = []
    for s in (seeds if k > 1 else [0]):     # k = 1: one start (it does not depend on the start)
        init = _ward_init_by_hand(xs, k, model) if s is None else {}
        gm = GaussianMixture(n_components=k, covariance_type=model, tol=1e-8, max_iter=100_000, reg_covar=1e-6,
                             random_state=0 if s is None else s, **init).fit(xs)
        out.append(gm)
    return out


def test_best_mixture_does_not_depend_on_the_order_of_the_cities():
    # REVIEW13b finding 1: on the nominal panel the joint pick moved between k = 4 and k = 5 spherical, and the
    # number of valid fits between 17 and 20, under reorderings of the same 100 cities
    frame = _old_panel()
    base = stages.mixture_fits(frame, range(1, 7), seed=SEED, n_init=4)
    pick = stages.best_mixture(base)
    for s in range(4):
        perm = np.random.default_rng(s).permutation(len(frame))
        other = stages.mixture_fits(frame.iloc[perm], range(1, 7), seed=SEED, n_init=4)
        got = stages.best_mixture(other)
        assert (got.k, got.covariance_type, got.n_valid) == (pick.k, pick.covariance_type, pick.n_valid)
        assert_allclose(got.statistic, pick.statistic, rtol=1e-12)
        assert_allclose(other["bic"].to_numpy(float), base["bic"].to_numpy(float), rtol=1e-12)
        assert other["valid"].tolist() == base["valid"].tolist()
    # the labels of a mixture are those of the same cities, whatever their order
    labels = stages.cluster(frame, k=3, algorithm="gmm", seed=SEED)
    perm = np.random.default_rng(9).permutation(len(frame))
    again = stages.cluster(frame.iloc[perm], k=3, algorithm="gmm", seed=SEED).reindex(labels.index)
    assert adjusted_rand_score(labels, again) == 1.0


def test_every_fit_reaches_the_tolerance_and_keeps_the_best_valid_start():
    frame = _old_panel()
    z = _z(frame)
    xs = _sorted(z)
    n_init = 3
    fits = stages.mixture_fits(frame, range(1, 7), seed=SEED, n_init=n_init)
    for row in fits.itertuples():
        starts = _starts_by_hand(xs, row.k, row.covariance_type, SEED, n_init)
        # scikit-learn's own flag at tol 1e-8 for every start, and one more EM step from the kept start moves the
        # mean log-likelihood per city by less than 1e-8
        assert all(gm.converged_ for gm in starts), (row.k, row.covariance_type)
        ok = [gm for gm in starts if _valid_by_hand(gm, xs, row.covariance_type)]
        assert bool(row.valid) == bool(ok), (row.k, row.covariance_type)
        best = max(ok or starts, key=lambda gm: gm.score(xs))
        assert_allclose(row.bic, best.bic(xs), rtol=1e-9, err_msg=f"{row.k} {row.covariance_type}")
        step = GaussianMixture(n_components=row.k, covariance_type=row.covariance_type, max_iter=1, tol=0,
                               reg_covar=1e-6, weights_init=best.weights_, means_init=best.means_,
                               precisions_init=best.precisions_)
        with pytest.warns(Warning):   # one step: scikit-learn warns that it did not converge
            step.fit(xs)
        assert abs(step.score(xs) - step.lower_bound_) < 1e-8
        assert_allclose(step.lower_bound_ * len(xs), row.log_likelihood, rtol=1e-9)
    # the issue's degenerate k = 3 full fit: rejected only if no start of the three gives a valid one
    assert fits["converged"].all()


def test_mixture_n_init_is_the_starts_of_the_reference_fits_too(monkeypatch):
    # choose_k(algorithm="gmm")'s mixture_n_init ("EM starts of each mixture") was ignored by the gap statistic's
    # reference fits, which always used 10 starts (issue 16: the ensemble's gmm statistics took about 30 s a panel
    # for it); every GaussianMixture fitted here is recorded with its number of starts
    import sklearn.mixture

    seen = []
    real = sklearn.mixture.GaussianMixture.fit

    def fit(self, *args, **kwargs):
        seen.append(self.n_init)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(sklearn.mixture.GaussianMixture, "fit", fit)
    frame, _ = planted(31, n=15)
    stages.choose_k(frame, [1, 2, 3], algorithm="gmm", seed=5, n_refs=3, mixture_n_init=2)
    # the data's mixtures are fitted start by start (n_init 1 each, _gmm); the 3 reference sets at k = 2 and at
    # k = 3 with n_init = 2 (before: 10)
    assert seen.count(2) == 2 * 3 and set(seen) <= {1, 2}, seen
