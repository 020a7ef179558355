"""Tests of cityeval.analysis.rank_agreement: rank agreement of published lists and the truncation simulation.

Expected values: hand calculations (written out beside each test), scipy's ``spearmanr``/``kendalltau`` on
the same ranks, and Pearson's (1907) closed form of Spearman's rho for a bivariate normal.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import rank_agreement as agreement
from cityeval.analysis.rank_agreement import LatentRange, RankAgreement
from cityeval.errors import DataError, ParameterError


def _ranking(cities):
    return pd.DataFrame({"rank": range(1, len(cities) + 1), "city": cities})


def test_rank_agreement_by_hand():
    a = _ranking(["A", "B", "C", "D", "E"])
    b = _ranking(["E", "D", "C", "B", "A", "F"])
    res = agreement.rank_agreement(a, b)
    # reversed order on the 5 common cities: Spearman -1, Kendall -1 (by definition)
    assert isinstance(res, RankAgreement)
    assert res.n == 5 and res.only_a == [] and res.only_b == ["F"]
    assert_allclose([res.spearman, res.kendall], [-1.0, -1.0])


def test_rank_agreement_partial():
    a = _ranking(["A", "B", "C", "D"])
    b = _ranking(["B", "A", "C", "X", "D"])
    res = agreement.rank_agreement(a, b)
    # common ranks (1,2,3,4) vs (2,1,3,5): scipy.stats.spearmanr gives 0.8 (d^2 sum = 2, 1 - 12/60)
    assert_allclose(res.spearman, 0.8)
    assert_allclose(res.spearman_p_value, stats.spearmanr([1, 2, 3, 4], [2, 1, 3, 5]).pvalue)
    assert_allclose(res.kendall, stats.kendalltau([1, 2, 3, 4], [2, 1, 3, 5])[0])
    assert_allclose(res.kendall_p_value, stats.kendalltau([1, 2, 3, 4], [2, 1, 3, 5]).pvalue)


def test_too_few_common_cities_gives_nan():
    res = agreement.rank_agreement(_ranking(["A", "B"]), _ranking(["B", "A"]))
    assert res.n == 2 and np.isnan(res.spearman) and np.isnan(res.kendall_p_value)


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
    assert agreement.compatible_latent_rho(0.55, curve) == LatentRange(lo=0.5, hi=0.9) == (0.5, 0.9)
    assert np.isnan(agreement.compatible_latent_rho(0.95, curve).lo)
    assert np.isnan(agreement.compatible_latent_rho(float("nan"), curve).hi)


@pytest.mark.parametrize("kwargs, name", [({"rho": 1.5}, "rho"), ({"rho": 0.5, "top_a": 500}, "top_a"),
                                          ({"rho": 0.5, "n_sim": 0}, "n_sim")])
def test_bad_parameters(kwargs, name):
    rho = kwargs.pop("rho")
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        agreement.truncated_agreement(rho, **kwargs)


def _full_ranking_curve(rho, n_units, top_a, top_b, n_sim, seed, copula="gaussian", df=4):
    """The truncation simulation written with full rankings of every unit (how it was first computed),
    with the same common random numbers: z1 and the noise drawn once, in this order, for every rho (then, for
    the t copula, one chi-square mixing draw per unit scaling both scores: a bivariate t)."""
    rng = np.random.default_rng(seed)
    rows = []
    z1 = rng.standard_normal((n_sim, n_units))
    noise = rng.standard_normal((n_sim, n_units))
    scale = np.sqrt(df / rng.chisquare(df, (n_sim, n_units))) if copula == "t" else 1.0
    for r in np.atleast_1d(rho):
        z2 = r * z1 + np.sqrt(1 - r * r) * noise
        ra = (-z1 * scale).argsort(axis=1).argsort(axis=1) + 1
        rb = (-z2 * scale).argsort(axis=1).argsort(axis=1) + 1
        both = (ra <= top_a) & (rb <= top_b)
        overlap = both.sum(axis=1)
        coefs = agreement._overlap_spearman(ra, rb, both)
        coefs[overlap < 3] = np.nan
        ok = np.isfinite(coefs)
        # overlap quantiles among the simulated counts (numpy's inverted_cdf); the coefficient's linear ones
        o05, o95 = np.quantile(overlap, 0.05, method="inverted_cdf"), np.quantile(overlap, 0.95, method="inverted_cdf")
        q05, q50, q95 = ((np.nanquantile(coefs, 0.05), np.nanquantile(coefs, 0.5), np.nanquantile(coefs, 0.95))
                         if ok.any() else (np.nan,) * 3)
        inside = [o05 <= o <= o95 and q05 <= c <= q95 for o, c in zip(overlap, coefs)]  # NaN: outside
        rows.append({"rho": float(r), "overlap_mean": float(overlap.mean()), "overlap_q05": float(o05),
                     "overlap_q95": float(o95), "mean": float(np.nanmean(coefs)) if ok.any() else np.nan,
                     "q05": float(q05), "q50": float(q50), "q95": float(q95), "joint_coverage": float(np.mean(inside))})
    return pd.DataFrame(rows).set_index("rho")


@pytest.mark.parametrize("copula", ["gaussian", "t"])
@pytest.mark.parametrize("n_units, top_a, top_b", [(293, 100, 50), (40, 40, 12), (30, 3, 30), (60, 10, 5)])
def test_truncation_equals_full_ranking_computation(n_units, top_a, top_b, copula):
    # issue 6: the simulation sorts each score once and ranks only the listed units; with continuous
    # scores (no ties) every coefficient is the one the full rankings give, so the frames are identical
    # (issue 13: under the t copula as well, and the overlap's band and the joint coverage too)
    rho = [-1.0, -0.3, 0.0, 0.55, 0.97, 1.0]
    expected = _full_ranking_curve(rho, n_units, top_a, top_b, n_sim=150, seed=9, copula=copula)
    got = agreement.truncated_agreement(rho, n_units=n_units, top_a=top_a, top_b=top_b, n_sim=150, seed=9,
                                        copula=copula)
    assert list(got.columns) == list(agreement.CURVE_COLUMNS)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=0)


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


# ---------------------------------------------------------------- one error rule
@pytest.mark.parametrize("seed", [-1, 2 ** 32, 1.5, True, "0", None])
def test_seed_must_be_a_32_bit_whole_number(seed):
    # -1 raised numpy's ValueError, 1.5 a TypeError, True passed as 1
    with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1"):
        agreement.truncated_agreement(0.5, n_units=50, top_a=10, top_b=10, n_sim=5, seed=seed)
    with pytest.raises(ParameterError, match="^seed should be"):
        agreement.truncated_agreement_pairs(0.5, [(10, 10)], n_units=50, n_sim=5, seed=seed)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_sim": 1.5}, "n_sim"), ({"n_sim": True}, "n_sim"), ({"n_sim": -2}, "n_sim"),
    ({"n_units": 50.0}, "n_units"), ({"n_units": 2}, "n_units"),
    ({"top_a": 10.5}, "top_a"), ({"top_b": True}, "top_b"), ({"top_b": 51}, "top_b"),
])
def test_counts_must_be_whole_numbers_in_range(kwargs, name):
    # n_sim=1.5 and True, top lengths such as 10.5, passed before
    args = {"n_units": 50, "top_a": 10, "top_b": 10, "n_sim": 5, **kwargs}
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        agreement.truncated_agreement(0.5, **args)


@pytest.mark.parametrize("rho", [float("nan"), [0.2, float("nan")], 1.01, -2, "0.5", True, [], [[0.1, 0.2]]])
def test_rho_must_be_correlations(rho):
    # a NaN correlation was simulated silently before
    with pytest.raises(ParameterError, match="^rho should be"):
        agreement.truncated_agreement(rho, n_units=50, top_a=10, top_b=10, n_sim=5)


@pytest.mark.parametrize("pairs", [[(10,)], [(10, 10, 10)], [10], None])
def test_pairs_must_be_pairs_of_lengths(pairs):
    with pytest.raises(ParameterError, match="^pairs should be"):
        agreement.truncated_agreement_pairs(0.5, pairs, n_units=50, n_sim=5)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.assign(rank=[1.0, np.nan, 3.0]), r"rank values must be complete and finite.*row 1"),
    (lambda f: f.assign(city=["A", "A", "C"]), r"each city once.*'A'"),
    (lambda f: f.assign(rank=["1", "2", "3"]), r"rank values must be numeric"),
])
def test_a_bad_ranking_is_a_data_error(change, message):
    good = _ranking(["A", "B", "C"])
    for a, b in ((change(good), good), (good, change(good))):
        with pytest.raises(DataError, match=message):
            agreement.rank_agreement(a, b)


@pytest.mark.parametrize("bad", [None, [1, 2], pd.DataFrame({"rank": [1]})])
def test_a_ranking_that_is_not_one_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="^a should be a published ranking"):
        agreement.rank_agreement(bad, _ranking(["A"]))


# ---------------------------------------------------------------- notebook 01's study
def test_agreement_between_and_its_table():
    r = {"x": _ranking(["A", "B", "C", "D"]), "y": _ranking(["B", "A", "C", "X", "D"]), "z": _ranking(["D", "C"])}
    agree = agreement.agreement_between(r, [("x", "y"), ("x", "z")])
    assert list(agree) == ["x~y", "x~z"] and agree["x~y"] == agreement.rank_agreement(r["x"], r["y"])
    table = agreement.agreement_table(agree)
    assert list(table.columns) == list(agreement.STATISTICS) and table.at["x~y", "n"] == 4
    assert_allclose(table.at["x~y", "spearman"], 0.8)       # as in test_rank_agreement_partial
    assert np.isnan(table.at["x~z", "spearman"])             # 2 common cities
    lines = agreement.describe_overlaps(agree, {"A": "a", "B": "b", "C": "c", "D": "d", "X": "x"})
    assert lines[:2] == ["y: 1 cities outside x: x", "x: 0 cities outside y"]
    assert lines[3] == "x: 2 cities outside z (first ten: a, b)"
    with pytest.raises(ParameterError, match="^pairs should be"):
        agreement.agreement_between(r, [("x", "nope")])


def test_truncation_study_equals_its_parts():
    # y lists 20 of x's 30 cities: six triples reversed (d^2 = 4 + 0 + 4 each) and the last two swapped
    # (1 + 1): Spearman 1 - 6 * 50 / (20 * 399) = 0.9624 on the overlap
    y = [f"c{3 * b + k}" for b in range(6) for k in (2, 1, 0)] + ["c19", "c18"]
    r = {"x": _ranking([f"c{i}" for i in range(30)]), "y": _ranking(y)}
    agree = agreement.agreement_between(r, [("x", "y")])
    assert_allclose(agree["x~y"].spearman, 1 - 6 * 50 / (20 * 399))
    rho = [0.3, 0.9, 0.99, 1.0]
    study = agreement.truncation_study(r, agree, [("x", "y")], rho=rho, n_units=60, n_sim=40, seed=5)
    assert study.copulas == ("gaussian", "t") and study.observed == {"x~y": {"overlap": 20,
                                                                             "spearman": agree["x~y"].spearman}}
    for copula in study.copulas:
        # the curve is truncated_agreement for the lists' lengths (30 and 20), the sets read from it
        curve = agreement.truncated_agreement(rho, n_units=60, top_a=30, top_b=20, n_sim=40, seed=5, copula=copula)
        pd.testing.assert_frame_equal(study.curves[copula]["x~y"], curve, check_exact=True)
        assert study.compatible[copula]["x~y"] == agreement.compatible_values(agree["x~y"].spearman, curve)
        assert study.joint[copula]["x~y"] == agreement.compatible_values(agree["x~y"].spearman, curve, overlap=20)
        assert study.range(copula, "x~y") == agreement.compatible_latent_rho(agree["x~y"].spearman, curve)
    assert 0.9 <= study.range("gaussian", "x~y").lo <= study.range("gaussian", "x~y").hi <= 1.0
    assert list(study.table().columns) == ["overlap", "spearman", "spearman_set", "latent_rho_lo", "latent_rho_hi",
                                           "joint_set", "joint_lo", "joint_hi", "joint_coverage_min",
                                           "joint_coverage_max"]
    assert list(study.table().index) == [("x~y", "gaussian"), ("x~y", "t")]


def test_latent_grid_is_the_documented_one():
    # 0, 0.05, ..., 0.75 (16 values), then 0.80, 0.81, ..., 1.00 (21 values)
    grid = agreement.LATENT_RHO_GRID
    assert len(grid) == 37 and grid[:3] == (0.0, 0.05, 0.1) and grid[15] == 0.75 and grid[16:18] == (0.8, 0.81)
    assert grid[-1] == 1.0


# ---------------------------------------------------------------- review findings 8 and 9: observed is a Spearman rho
CURVE = pd.DataFrame({"q05": [-1.0, 0.2, 0.5], "q95": [0.3, 0.6, 1.0]}, index=[0.1, 0.5, 0.9])


@pytest.mark.parametrize("observed", ["0.5", None, True, np.bool_(False), [0.5], 2.0, -1.0001, float("inf"),
                                      -float("inf")])
def test_observed_must_be_a_spearman_rho(observed):
    # finding 8: "0.5" raised TypeError; finding 9: 2.0 (no rho can be 2) returned (nan, nan); True passed as 1
    with pytest.raises(ParameterError, match=r"^observed should be a Spearman rho, a number in \[-1, 1\]"):
        agreement.compatible_latent_rho(observed, CURVE)
    # the bounds themselves, an int and a numpy float are rhos, read on the curve by hand: -1 and 0 lie only in
    # the band of 0.1 ([-1, 0.3]), 1 only in that of 0.9 ([0.5, 1]), 0.25 in those of 0.1 and 0.5 ([0.2, 0.6])
    for rho, expected in ((-1.0, (0.1, 0.1)), (1.0, (0.9, 0.9)), (np.float64(0.25), (0.1, 0.5)), (0, (0.1, 0.1))):
        assert agreement.compatible_latent_rho(rho, CURVE) == expected


# ---------------------------------------------------------------- issue 13, item 6: the copula and the overlap
PUBLISHED_PAIRS = [("overall_top100", "infrastructure_top100"), ("overall_top100", "governance_top50"),
                   ("overall_top100", "healthcare_top20")]


@pytest.fixture(scope="module")
def published_agreements():
    from cityeval.ccid2022 import published

    rankings = published.load_rankings()
    return rankings, agreement.agreement_between(rankings, PUBLISHED_PAIRS)


def test_the_observed_pairs_are_counted_from_the_published_tables(published_agreements):
    # Table 3 x Table 4: 83 common cities (tests/notebook/test_notebooks.py counts them too); Table 3 x Table 5: 49
    # of the governance top 50; Table 3 x Table 7: all 20 healthcare cities are in the overall top 100
    _, agree = published_agreements
    assert [agree[f"{a}~{b}"].n for a, b in PUBLISHED_PAIRS] == [83, 49, 20]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_under_a_t_copula_the_compatible_set_differs_from_the_gaussian_one(published_agreements, seed):
    # issue 13: "0.92–0.96" was a 90% set under a Gaussian copula only. The same observation (83 common cities,
    # Spearman of Table 3 vs Table 4) read under a t copula with 4 degrees of freedom gives another set, for any
    # seed (a property of the simulation, not of one draw)
    rankings, agree = published_agreements
    study = agreement.truncation_study(rankings, agree, PUBLISHED_PAIRS[:1], n_sim=600, seed=seed)
    key = "overall_top100~infrastructure_top100"
    gauss, t = study.compatible["gaussian"][key], study.compatible["t"][key]
    assert gauss and t and gauss != t
    # heavier joint tails: the same head agreement is compatible with a lower latent correlation
    assert min(t) < min(gauss)
    assert study.joint["gaussian"][key] != study.joint["t"][key]


def test_the_joint_set_is_a_subset_of_the_spearman_only_set(published_agreements):
    rankings, agree = published_agreements
    study = agreement.truncation_study(rankings, agree, PUBLISHED_PAIRS, n_sim=600, seed=4)
    strict = 0
    for copula in study.copulas:
        for key in study.observed:
            joint, alone = set(study.joint[copula][key]), set(study.compatible[copula][key])
            assert joint <= alone, (copula, key)
            strict += joint < alone
    # the overlap is evidence: it removes some latent correlation somewhere (with 20 of 20 healthcare cities in
    # the overall top 100, a latent rho of 0 is ruled out under the t copula, where the Spearman rho alone allows it)
    assert strict >= 1
    assert 0.0 in study.compatible["t"]["overall_top100~healthcare_top20"]
    assert 0.0 not in study.joint["t"]["overall_top100~healthcare_top20"]


def test_joint_set_by_hand():
    # rho 0.1: Spearman band [0, 0.3], overlap band [1, 4]; 0.5: [0.2, 0.6], [5, 8]; 0.9: [0.5, 0.9], [9, 10]
    curve = pd.DataFrame({"q05": [0.0, 0.2, 0.5], "q95": [0.3, 0.6, 0.9], "overlap_q05": [1, 5, 9],
                          "overlap_q95": [4, 8, 10]}, index=[0.1, 0.5, 0.9])
    assert agreement.compatible_values(0.55, curve) == (0.5, 0.9)           # 0.55 in the bands of 0.5 and 0.9
    assert agreement.compatible_values(0.55, curve, overlap=6) == (0.5,)    # 6 only in the overlap band of 0.5
    assert agreement.compatible_values(0.55, curve, overlap=9) == (0.9,)
    assert agreement.compatible_values(0.55, curve, overlap=2) == ()        # 2 fits 0.1, whose Spearman band does not
    assert np.isnan(agreement.compatible_latent_rho(0.55, curve, overlap=2).lo)
    assert agreement.compatible_latent_rho(0.55, curve, overlap=6) == LatentRange(0.5, 0.5)
    with pytest.raises(ParameterError, match="^overlap should be a whole number >= 0"):
        agreement.compatible_values(0.55, curve, overlap=2.5)
    with pytest.raises(ParameterError, match="^curve should be what truncated_agreement returned"):
        agreement.compatible_values(0.55, curve[["q05", "q95"]], overlap=6)


def test_grid_runs_split_a_set_with_gaps():
    grid = agreement.LATENT_RHO_GRID
    assert agreement.grid_runs([0.0, 0.05, 0.8, 0.81, 0.82, 0.99], grid) == [(0.0, 0.05), (0.8, 0.82), (0.99, 0.99)]
    assert agreement.grid_runs([], grid) == []
    with pytest.raises(ParameterError, match="^values should be values of the grid"):
        agreement.grid_runs([0.333], grid)


def test_the_t_copula_is_scipys_bivariate_t():
    # peer: scipy.stats.multivariate_t(loc=[0, 0], shape=[[1, r], [r, 1]], df=4).rvs ranked like the simulation;
    # the mean overlap and the mean Spearman rho agree within 4 Monte Carlo standard errors of the difference
    n_units, top, n_sim = 150, 40, 600
    for r in (0.0, 0.6):
        got = agreement.truncated_agreement(r, n_units=n_units, top_a=top, top_b=top, n_sim=n_sim, seed=3,
                                            copula="t", df=4)
        x = stats.multivariate_t(loc=[0, 0], shape=[[1, r], [r, 1]], df=4, seed=11).rvs(size=n_sim * n_units)
        x = x.reshape(n_sim, n_units, 2)
        ra, rb = ((-x[..., k]).argsort(axis=1).argsort(axis=1) + 1 for k in (0, 1))
        both = (ra <= top) & (rb <= top)
        overlap, coefs = both.sum(axis=1), agreement._overlap_spearman(ra, rb, both)
        se_o, se_s = overlap.std() / np.sqrt(n_sim), np.nanstd(coefs) / np.sqrt(n_sim)
        assert abs(got.at[r, "overlap_mean"] - overlap.mean()) < 4 * np.sqrt(2) * se_o
        assert abs(got.at[r, "mean"] - np.nanmean(coefs)) < 4 * np.sqrt(2) * se_s
    # independence gives a hypergeometric overlap: 40 * 40 / 150 = 10.67 expected under the Gaussian copula at
    # rho = 0; the t copula at rho = 0 is not independence (the shared mixing variable), so more cities are on both
    gauss0 = agreement.truncated_agreement(0.0, n_units=n_units, top_a=top, top_b=top, n_sim=n_sim, seed=3)
    t0 = agreement.truncated_agreement(0.0, n_units=n_units, top_a=top, top_b=top, n_sim=n_sim, seed=3, copula="t")
    assert abs(gauss0.at[0.0, "overlap_mean"] - 40 * 40 / 150) < 0.3      # SD ~2.5 / sqrt(600) = 0.1
    assert t0.at[0.0, "overlap_mean"] > 40 * 40 / 150 + 0.5


def test_the_gaussian_draws_do_not_depend_on_the_copula_option():
    # the mixing variable is drawn after the normal deviates: the Gaussian curve is what it was before issue 13
    pairs = agreement.truncated_agreement_pairs([0.5, 0.9], [(30, 30), (30, 10)], n_units=80, n_sim=50, seed=2)
    again = agreement.truncated_agreement_pairs([0.5, 0.9], [(30, 30), (30, 10)], n_units=80, n_sim=50, seed=2,
                                                copula="gaussian", df=1.5)
    for a, b in zip(pairs, again):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_joint_coverage_is_between_bonferronis_bound_and_the_level():
    # both bands are 90% bands (the overlap's at least 90%: quantiles among the counts), so by Bonferroni's
    # inequality both hold together in at least 1 - 0.1 - 0.1 = 80% of the draws, and in at most ~90% + the
    # discreteness of the counts
    curve = agreement.truncated_agreement(agreement.LATENT_RHO_GRID[10::4], n_units=293, top_a=100, top_b=50,
                                          n_sim=400, seed=6, copula="t")
    assert ((curve["joint_coverage"] >= 0.8 - 0.03) & (curve["joint_coverage"] <= 0.95)).all()


@pytest.mark.parametrize("kwargs, message", [({"copula": "clayton"}, r"^copula should be one of 'gaussian', 't'"),
                                             ({"copula": "t", "df": 0}, "^df should be a finite number > 0"),
                                             ({"copula": "t", "df": float("inf")}, "^df should be")])
def test_copula_options_are_checked(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        agreement.truncated_agreement(0.5, n_units=50, top_a=10, top_b=10, n_sim=5, **kwargs)


def test_the_text_names_the_copula_and_the_level(published_agreements):
    rankings, agree = published_agreements
    study = agreement.truncation_study(rankings, agree, PUBLISHED_PAIRS, n_sim=200, seed=1)
    text = " ".join(study.sentences())
    # issue 13: the compatible latent rho is a 90% set under a Gaussian copula only, and the text says so
    assert "90% set" in text and "Gaussian copula" in text and "t copula (4 degrees of freedom)" in text
    assert "overlap" in text and "joint coverage" in text
    block = study.block()
    assert set(block["compatible_latent_rho"]) == {"gaussian", "t"} == set(block["joint_latent_rho"])
    assert block["copulas"]["gaussian"] == "Gaussian copula" and block["text"] == study.sentences()
    assumptions = agreement.results_assumptions(study)
    assert "Gaussian copula" in " ".join(assumptions["truncation.compatible_latent_rho.gaussian"])
    assert "t copula" in " ".join(assumptions["truncation.joint_latent_rho.t"])
    results = {"rank_agreement": {"x": 1}, "truncation": block}
    for path in assumptions:   # every path resolves in the block recorded under "truncation"
        node = results
        for part in path.split("."):
            node = node[part]
        assert node
    with pytest.raises(ParameterError, match="^study should be a TruncationStudy"):
        agreement.results_assumptions(block)


# ---------------------------------------------------------------- review 13a, finding 1: panels that fit the lists
def test_normal_score_correlation_is_pearson_of_van_der_waerden_scores():
    # peer: scipy's rankdata, norm.ppf and pearsonr, on scores with ties and skewed margins
    rng = np.random.default_rng(4)
    x = np.round(np.exp(rng.normal(size=80)), 1)
    y = x + rng.normal(size=80)
    ns = [stats.norm.ppf((stats.rankdata(v) - 0.5) / 80) for v in (x, y)]
    assert agreement.normal_score_correlation(x, y) == pytest.approx(stats.pearsonr(*ns).statistic, abs=1e-12)
    # under a Gaussian copula it estimates rho whatever the margins: 20 000 draws at rho = 0.6, SE about 0.005
    z = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], size=20_000)
    assert agreement.normal_score_correlation(np.exp(z[:, 0]), z[:, 1] ** 3) == pytest.approx(0.6, abs=0.02)


def test_kendall_implied_rho_by_hand_and_under_a_t_copula():
    # one discordant pair of six: tau = 4/6, sin(pi/3) = 0.8660
    assert agreement.kendall_implied_rho([1, 2, 3, 4], [1, 2, 4, 3]) == pytest.approx(np.sqrt(3) / 2)
    # tau = (2/pi) asin(rho) holds for the t copula too (Lindskog, McNeil & Schmock 2003): scipy's bivariate t, df 4
    t = stats.multivariate_t(shape=[[1, 0.8], [0.8, 1]], df=4).rvs(size=4000, random_state=3)
    assert agreement.kendall_implied_rho(t[:, 0], t[:, 1]) == pytest.approx(0.8, abs=0.02)


def test_with_panels_counts_the_panels_inside_each_set_by_hand():
    y = [f"c{3 * b + k}" for b in range(6) for k in (2, 1, 0)] + ["c19", "c18"]
    r = {"x": _ranking([f"c{i}" for i in range(30)]), "y": _ranking(y)}
    agree = agreement.agreement_between(r, [("x", "y")])
    study = agreement.truncation_study(r, agree, [("x", "y")], rho=[0.3, 0.9, 0.99, 1.0], n_units=60, n_sim=40, seed=5)
    # hand-made panels: A and B with chosen Kendall tau / normal scores; counted by the nearest grid value
    rng = np.random.default_rng(0)
    frames = []
    for rho in (0.2, 0.6, 0.95, 0.999):
        z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=60)
        frames.append(pd.DataFrame({"A": z[:, 0], "B": z[:, 1]}))
    panels = agreement.panel_latent(study.observed, {"x": "A", "y": "B"}, nominal=frames[0], members=frames)
    with_p = study.with_panels(panels)
    grid = np.array([0.3, 0.9, 0.99, 1.0])
    for copula, measure in (("gaussian", "normal_score"), ("t", "kendall_rho")):
        chosen = set(study.compatible[copula]["x~y"])
        vals = panels.members["x~y"][measure]
        expected = sum(float(grid[np.argmin(np.abs(grid - v))]) in chosen for v in vals)
        assert with_p.panel_counts()[copula]["x~y"]["spearman_set"] == expected
    text = " ".join(with_p.sentences())
    assert "do not bound CCID's latent correlation" in text
    assert f"normal-score correlation {panels.nominal['x~y']['normal_score']:.3f} on the embedded panel" in text
    block = with_p.block()
    assert block["panels"]["n_members"] == 4 and block["level"]["compatible_latent_rho"] == 0.9
    assert "truncation.panels" in agreement.results_assumptions(with_p)
    assert "panels" not in study.block()          # without panels, nothing is claimed about them
    with pytest.raises(ParameterError, match="^panels should be"):
        study.with_panels({"x~y": 0.5})
    with pytest.raises(ParameterError, match="^pairs should be"):
        agreement.panel_latent(["x~z"], {"x": "A", "y": "B"})
