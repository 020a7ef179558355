"""Rank agreement and the truncation simulation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import rank_agreement as agreement
from cityeval.errors import ParameterError


def _ranking(cities):
    return pd.DataFrame({"rank": range(1, len(cities) + 1), "city": cities})


def test_rank_agreement_by_hand():
    a = _ranking(["A", "B", "C", "D", "E"])
    b = _ranking(["E", "D", "C", "B", "A", "F"])
    res = agreement.rank_agreement(a, b)
    # reversed order on the 5 common cities: Spearman -1, Kendall -1 (by definition)
    assert res["n"] == 5 and res["only_a"] == [] and res["only_b"] == ["F"]
    assert_allclose([res["spearman"], res["kendall"]], [-1.0, -1.0])


def test_rank_agreement_partial():
    a = _ranking(["A", "B", "C", "D"])
    b = _ranking(["B", "A", "C", "X", "D"])
    res = agreement.rank_agreement(a, b)
    # common ranks (1,2,3,4) vs (2,1,3,5): scipy.stats.spearmanr gives 0.8 (d^2 sum = 2, 1 - 12/60)
    assert_allclose(res["spearman"], 0.8)
    assert_allclose(res["kendall"], stats.kendalltau([1, 2, 3, 4], [2, 1, 3, 5])[0])


def test_too_few_common_cities_gives_nan():
    res = agreement.rank_agreement(_ranking(["A", "B"]), _ranking(["B", "A"]))
    assert res["n"] == 2 and np.isnan(res["spearman"])


def test_truncation_limits():
    # rho = 1: both rankings identical, so the overlap is the top 100 and its Spearman is exactly 1
    one = agreement.truncated_agreement(1.0, n_units=200, top_a=100, top_b=100, n_sim=20, seed=1)
    assert_allclose(one[["q05", "q95"]].to_numpy(), 1.0)
    assert_allclose(one["overlap_mean"], 100)
    # no truncation (top = all units): the observed Spearman is unbiased around rho (here 0.6)
    full = agreement.truncated_agreement(0.6, n_units=150, top_a=150, top_b=150, n_sim=400, seed=2)
    # Spearman's rho of a bivariate normal: (6/pi) asin(rho/2) = 0.5821 (Pearson 1907); Monte Carlo SE ~ 0.003
    assert_allclose(full["mean"], 6 / np.pi * np.arcsin(0.3), atol=0.01)


def test_truncation_attenuates():
    curve = agreement.truncated_agreement([0.5, 0.8], n_units=293, top_a=100, top_b=100, n_sim=300, seed=3)
    # restriction of range: the overlap coefficient lies well below the latent one
    assert (curve["mean"] < curve.index.to_numpy() - 0.2).all()
    assert curve["mean"].is_monotonic_increasing


def test_vectorised_overlap_spearman_matches_scipy():
    rng = np.random.default_rng(7)
    z1 = rng.standard_normal((6, 60))
    z2 = 0.4 * z1 + rng.standard_normal((6, 60))
    ra = (-z1).argsort(1).argsort(1) + 1
    rb = (-z2).argsort(1).argsort(1) + 1
    mask = (ra <= 35) & (rb <= 35)
    expected = [stats.spearmanr(ra[i, mask[i]], rb[i, mask[i]])[0] for i in range(6)]
    assert_allclose(agreement._overlap_spearman(ra, rb, mask), expected, rtol=1e-12)


def test_compatible_range():
    curve = pd.DataFrame({"q05": [0.0, 0.2, 0.5], "q95": [0.3, 0.6, 0.9]}, index=[0.1, 0.5, 0.9])
    assert agreement.compatible_latent_rho(0.55, curve) == (0.5, 0.9)
    assert np.isnan(agreement.compatible_latent_rho(0.95, curve)[0])


@pytest.mark.parametrize("kwargs, name", [({"rho": 1.5}, "rho"), ({"rho": 0.5, "top_a": 500}, "top_a"),
                                          ({"rho": 0.5, "n_sim": 0}, "n_sim")])
def test_bad_parameters(kwargs, name):
    rho = kwargs.pop("rho")
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        agreement.truncated_agreement(rho, **kwargs)


def _full_ranking_curve(rho, n_units, top_a, top_b, n_sim, seed):
    """The truncation simulation written with full rankings of every unit (how it was first computed),
    with the same common random numbers: z1 and the noise drawn once, in this order, for every rho."""
    rng = np.random.default_rng(seed)
    rows = []
    z1 = rng.standard_normal((n_sim, n_units))
    noise = rng.standard_normal((n_sim, n_units))
    for r in np.atleast_1d(rho):
        z2 = r * z1 + np.sqrt(1 - r * r) * noise
        ra = (-z1).argsort(axis=1).argsort(axis=1) + 1
        rb = (-z2).argsort(axis=1).argsort(axis=1) + 1
        both = (ra <= top_a) & (rb <= top_b)
        overlap = both.sum(axis=1)
        coefs = agreement._overlap_spearman(ra, rb, both)
        coefs[overlap < 3] = np.nan
        rows.append({"rho": float(r), "overlap_mean": float(overlap.mean()), "mean": float(np.nanmean(coefs)),
                     "q05": float(np.nanquantile(coefs, 0.05)), "q50": float(np.nanquantile(coefs, 0.5)),
                     "q95": float(np.nanquantile(coefs, 0.95))})
    return pd.DataFrame(rows).set_index("rho")


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:All-NaN slice")  # rho = -1: no overlap of 3
@pytest.mark.parametrize("n_units, top_a, top_b", [(293, 100, 50), (40, 40, 12), (30, 3, 30), (60, 10, 5)])
def test_truncation_equals_full_ranking_computation(n_units, top_a, top_b):
    # issue 6: the simulation sorts each score once and ranks only the listed units; with continuous
    # scores (no ties) every coefficient is the one the full rankings give, so the frames are identical
    rho = [-1.0, -0.3, 0.0, 0.55, 0.97, 1.0]
    expected = _full_ranking_curve(rho, n_units, top_a, top_b, n_sim=150, seed=9)
    got = agreement.truncated_agreement(rho, n_units=n_units, top_a=top_a, top_b=top_b, n_sim=150, seed=9)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_truncation_pairs_equal_separate_calls():
    # one set of draws for several list lengths gives what each separate call (same seed) gives
    rho = [0.2, 0.8]
    pairs = [(100, 100), (100, 50), (50, 20)]
    many = agreement.truncated_agreement_pairs(rho, pairs, n_units=200, n_sim=120, seed=4)
    for (top_a, top_b), got in zip(pairs, many):
        one = agreement.truncated_agreement(rho, n_units=200, top_a=top_a, top_b=top_b, n_sim=120, seed=4)
        pd.testing.assert_frame_equal(got, one, check_exact=True)
    with pytest.raises(ParameterError, match="^top_b should be"):
        agreement.truncated_agreement_pairs(rho, [(100, 2)], n_units=200)
    with pytest.raises(ParameterError, match="^pairs should be"):
        agreement.truncated_agreement_pairs(rho, [], n_units=200)
