"""Issue 13, items 1 and 2: the general part-whole formula, its lower bound, the implied rho (over the dimension's
effective weight and under selection of the top cities), Fisher's interval only where it fits, and what the
data's coefficient is made of.

Reference values: hand calculations (stated beside each), numpy on a covariance matrix, direct simulation,
scipy (``brentq`` for the implied rho, ``truncnorm`` for Thorndike's case II), and the measurements of issue 13's
methods review (an independent simulation: 0.227 (0.063-0.381) at rho = 0, rho ~ 0.79 for 0.7561, 0.765 at
rho = 0.8; and, on the panel before issue 12 kept at tests/fixtures/panel-before-ensemble, r = 0.356,
SDs 10.2-12.3, skew TEC 0.49 < IND 0.96, z-scored r 0.370, TEC's mean r with the others 0.050, mean 0.179 over
the top 100 and 0.479 over all 293).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, stats

from cityeval import paths
from cityeval.analysis import correlation
from cityeval.errors import ParameterError

OLD_PANEL = paths.ROOT / "tests" / "fixtures" / "panel-before-ensemble"


def _exchangeable(k, rho):
    m = np.full((k, k), float(rho))
    np.fill_diagonal(m, 1.0)
    return m


# ---- the general formula --------------------------------------------------------------------------------------

def test_composite_correlation_hand_cases():
    # identity (independent, equal parts): r = 1 / sqrt(6) = 0.408248 for every part (hand)
    assert_allclose(correlation.composite_correlation(np.eye(6)), np.full(6, 1 / np.sqrt(6)), rtol=1e-12)
    # TEC uncorrelated with the others, the other five perfectly correlated: cov(TEC, C) = 1, var(C) = 1 + 5^2,
    # so r = 1 / sqrt(26) = 0.196116 (hand; issue 13)
    corr = np.ones((6, 6))
    corr[0, 1:] = corr[1:, 0] = 0.0
    assert_allclose(correlation.composite_correlation(corr)[0], 1 / np.sqrt(26), rtol=1e-12)
    assert_allclose(1 / np.sqrt(26), 0.196116, atol=1e-6)
    # exchangeable, equal weights: the closed form sqrt((1 + 5 rho) / 6)
    for rho in (-0.1, 0.0, 0.3, 0.9):
        assert_allclose(correlation.composite_correlation(_exchangeable(6, rho)),
                        np.full(6, correlation.part_whole_r(6, rho)), rtol=1e-12)


def test_composite_correlation_is_numpy_on_a_covariance_matrix():
    rng = np.random.default_rng(7)
    f = rng.normal(size=(6, 9))
    cov = f @ f.T + np.diag(rng.uniform(0.2, 2.0, 6))
    w = rng.uniform(0.1, 1.0, 6)
    # numpy: r_j = (Sigma w)_j / sqrt(Sigma_jj w' Sigma w)
    expected = (cov @ w) / np.sqrt(np.diag(cov) * (w @ cov @ w))
    sd = np.sqrt(np.diag(cov))
    got = correlation.composite_correlation(cov / np.outer(sd, sd), weights=w, sd=sd)
    assert_allclose(got, expected, rtol=1e-12)
    # only the effective weights w * sd matter: the same r with sd folded into the weights
    assert_allclose(correlation.composite_correlation(cov / np.outer(sd, sd), weights=w * sd), expected, rtol=1e-12)
    # labelled input gives a Series keyed by the labels
    codes = list("ABCDEF")
    frame = pd.DataFrame(cov / np.outer(sd, sd), index=codes, columns=codes)
    series = correlation.composite_correlation(frame, weights=dict(zip(codes, w)), sd=pd.Series(sd, index=codes))
    assert list(series.index) == codes
    assert_allclose(series.to_numpy(), expected, rtol=1e-12)


def test_composite_correlation_against_a_direct_simulation():
    rng = np.random.default_rng(11)
    f = rng.normal(size=(5, 5))
    cov = f @ f.T + np.eye(5)
    w = np.array([0.1, 0.3, 0.2, 0.25, 0.15])
    x = rng.multivariate_normal(np.zeros(5), cov, size=200_000)
    c = x @ w
    simulated = [np.corrcoef(x[:, j], c)[0, 1] for j in range(5)]
    sd = np.sqrt(np.diag(cov))
    # sampling sd of r at n = 200000 is below (1 - r^2) / sqrt(n) < 0.0023
    assert_allclose(correlation.composite_correlation(cov / np.outer(sd, sd), weights=w, sd=sd), simulated, atol=0.01)


def test_composite_correlation_is_exact_on_sample_moments():
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, size=(80, 6)) * np.array([1, 2, 3, 1, 5, 2])
    w = np.array([1, 1, 2, 1, 1, 3], dtype=float)
    c = x @ w
    sample = [stats.pearsonr(x[:, j], c)[0] for j in range(6)]
    got = correlation.composite_correlation(np.corrcoef(x, rowvar=False), weights=w, sd=x.std(axis=0, ddof=1))
    assert_allclose(got, sample, rtol=1e-10)


@pytest.mark.parametrize("kwargs, name", [
    ({"corr": [[1.0, 0.5], [0.4, 1.0]]}, "corr"),                       # not symmetric
    ({"corr": [[1.0, 2.0], [2.0, 1.0]]}, "corr"),                       # outside [-1, 1]
    ({"corr": _exchangeable(3, -0.9)}, "corr"),                         # not positive semi-definite
    ({"corr": [[2.0, 0.0], [0.0, 1.0]]}, "corr"),                       # diagonal not 1
    ({"corr": np.eye(3), "weights": [1.0, -1.0, 1.0]}, "weights"),
    ({"corr": np.eye(3), "weights": [1.0, 1.0]}, "weights"),
    ({"corr": np.eye(3), "sd": [1.0, 0.0, 1.0]}, "sd"),
    ({"corr": [1.0, 0.0]}, "corr"),
], ids=repr)
def test_composite_correlation_refuses_bad_arguments(kwargs, name):
    with pytest.raises(ParameterError, match=f"^{re_escape(name)} should be"):
        correlation.composite_correlation(kwargs.pop("corr"), **kwargs)


def re_escape(text):
    import re

    return re.escape(text)


# ---- the bound ----------------------------------------------------------------------------------------------------

def test_the_lower_bound_is_one_over_sqrt_one_plus_k_minus_one_squared():
    # hand: k = 6 -> 1/sqrt(26) = 0.196116; k = 2 -> 1/sqrt(2); the old "floor" 1/sqrt(k) is above it for k > 2
    assert_allclose(correlation.part_whole_lower_bound(6), 1 / np.sqrt(26), rtol=1e-12)
    assert_allclose(correlation.part_whole_lower_bound(2), 1 / np.sqrt(2), rtol=1e-12)
    assert correlation.part_whole_lower_bound(6) < correlation.part_whole_r(6, 0.0)


@pytest.mark.parametrize("seed", range(5))
def test_no_non_negative_correlation_matrix_goes_below_the_bound(seed):
    # correlation matrices with non-negative entries from non-negative factor loadings; the minimum over 2000 of them
    # and their parts stays above 1/sqrt(1 + (k - 1)^2) (and may well go below 1/sqrt(k))
    rng = np.random.default_rng(seed)
    k = 6
    lowest = np.inf
    for _ in range(2000):
        load = rng.uniform(0, 1, (k, rng.integers(1, 4))) * (rng.uniform(size=(k, 1)) < 0.7)
        cov = load @ load.T + np.diag(rng.uniform(1e-3, 1.0, k))
        sd = np.sqrt(np.diag(cov))
        lowest = min(lowest, correlation.composite_correlation(cov / np.outer(sd, sd)).min())
    assert lowest >= correlation.part_whole_lower_bound(k) - 1e-12


def test_the_bound_is_a_minimum_found_by_an_optimizer():
    # scipy: minimise r_0 over the five correlations of part 0 and one common correlation among the others, all in
    # [0, 1] (every such matrix is positive semi-definite when part 0's correlations are 0; the optimizer finds that)
    def r0(p):
        corr = _exchangeable(5, p[5])
        full = np.eye(6)
        full[1:, 1:] = corr
        full[0, 1:] = full[1:, 0] = p[:5]
        if np.linalg.eigvalsh(full).min() < -1e-12:
            return 10.0
        return correlation.composite_correlation(full)[0]

    best = min((optimize.minimize(r0, x0, bounds=[(0, 1)] * 6, method="L-BFGS-B")
                for x0 in ([0.1] * 5 + [0.5], [0.0] * 5 + [0.9], [0.3] * 6)), key=lambda res: res.fun)
    assert_allclose(best.fun, 1 / np.sqrt(26), atol=1e-6)


# ---- the implied rho over the dimension's effective weight ------------------------------------------------------

def _numpy_r(k, rhos, w):
    """numpy: r(X_0, C) for exchangeable matrices at each of ``rhos`` (stacked), effective weights ``w``."""
    mats = np.repeat(np.eye(k)[None], len(rhos), axis=0) * (1 - rhos[:, None, None]) + rhos[:, None, None]
    return np.einsum("gij,j->gi", mats, w)[:, 0] / np.sqrt(np.einsum("i,gij,j->g", w, mats, w))


def _brentq_implied(r, k, e):
    """scipy: the rho on the rising branch where one part at weight share e correlates r with the composite."""
    w = np.r_[e, np.full(k - 1, (1 - e) / (k - 1))]

    def f(rho):
        return correlation.composite_correlation(_exchangeable(k, rho), weights=w)[0] - r

    grid = np.linspace(-1 / (k - 1) + 1e-9, 1 - 1e-9, 4001)
    start = grid[int(np.argmin(_numpy_r(k, grid, w)))]   # the minimum of r over rho: the rising branch lies above it
    if f(start) > 0 or f(1 - 1e-12) < 0:
        return math.nan
    return optimize.brentq(f, start, 1 - 1e-12, xtol=1e-13)


def test_implied_rho_at_the_issue_weights():
    # issue 13: with TEC's effective weight at 0.10 the implied rho is 0.558, at 0.25 it is 0.358 (and 0.486 at 1/6)
    got = correlation.implied_rho(0.7561, 6, weight=[0.10, 1 / 6, 0.25])
    assert_allclose(got, [0.558, 0.486, 0.358], atol=5e-4)
    assert_allclose(got, [_brentq_implied(0.7561, 6, e) for e in (0.10, 1 / 6, 0.25)], atol=1e-9)
    # at equal weights the quadratic agrees with the closed form (6 r^2 - 1) / 5
    assert_allclose(correlation.implied_rho(0.7561, 6, weight=1 / 6), correlation.implied_rho(0.7561, 6), atol=1e-12)


@pytest.mark.parametrize("r", [0.3, 0.5, 0.7561, 0.9])
def test_implied_rho_round_trips_through_the_general_formula(r):
    weights = np.linspace(0.02, 0.6, 12)
    rho = correlation.implied_rho(r, 6, weight=weights)
    for e, p in zip(weights, rho):
        expected = _brentq_implied(r, 6, e)
        if math.isnan(expected):
            assert math.isnan(p), (r, e)
            continue
        w = np.r_[e, np.full(5, (1 - e) / 5)]
        assert_allclose(correlation.composite_correlation(_exchangeable(6, p), weights=w)[0], r, atol=1e-9)
        assert_allclose(p, expected, atol=1e-8)


def test_implied_rho_is_nan_where_no_rho_gives_r():
    # at weight share 0.4 the lowest r over rho is where the rising branch starts; a coefficient below it has no rho
    w = np.r_[0.4, np.full(5, 0.12)]
    lowest = _numpy_r(6, np.linspace(-0.2 + 1e-9, 1, 20001), w).min()
    assert math.isnan(correlation.implied_rho(lowest - 0.05, 6, weight=0.4))
    assert not math.isnan(correlation.implied_rho(lowest + 0.05, 6, weight=0.4))


def test_implied_rho_curve():
    curve = correlation.implied_rho_curve(0.7561, 6)
    assert list(curve.columns) == ["weight", "implied_rho"]
    assert curve["weight"].is_monotonic_increasing and np.isclose(curve["weight"], 1 / 6).any()
    assert_allclose(curve["implied_rho"], correlation.implied_rho(0.7561, 6, weight=curve["weight"]), atol=1e-15)
    # a heavier TEC needs less correlation between the dimensions to reach the same r
    assert curve["implied_rho"].dropna().is_monotonic_decreasing
    with pytest.raises(ParameterError, match="^weights should be"):
        correlation.implied_rho_curve(0.7561, 6, weights=[0.0, 0.5])


def test_effective_weights():
    f = pd.DataFrame({"A": [0.0, 2.0, 4.0], "B": [1.0, 2.0, 3.0], "C": [0.0, 0.0, 3.0]})
    sd = f.std()   # pandas ddof = 1: 2, 1, sqrt(3)
    assert_allclose(correlation.effective_weights(f, list(f)), sd / sd.sum(), rtol=1e-12)
    w = {"A": 1.0, "B": 2.0, "C": 0.0}
    assert_allclose(correlation.effective_weights(f, list(f), weights=w), [2 / 4, 2 / 4, 0.0], rtol=1e-12)


# ---- selection of the top cities by composite ---------------------------------------------------------------------

def _thorndike(rho, k=6, n_top=100, n_total=293):
    """Large-sample r(part, composite) after keeping the top share p by composite (Thorndike 1949, case II):
    R u^1/2 / sqrt(1 - R^2 + R^2 u), R the unselected r, u the variance of a standard normal truncated below at
    its (1 - p) quantile (scipy.stats.truncnorm)."""
    big_r = math.sqrt((1 + (k - 1) * rho) / k)
    u = stats.truncnorm(stats.norm.ppf(1 - n_top / n_total), np.inf).var()
    return big_r * math.sqrt(u) / math.sqrt(1 - big_r ** 2 + big_r ** 2 * u)


@pytest.fixture(scope="module")
def top100():
    return correlation.simulate_selection(6, n_total=293, n_top=100, rhos=[0.0, 0.5, 0.75, 0.8, 0.85], n_sim=4000,
                                          seed=2024)


def test_selection_at_no_association_matches_the_issue_and_thorndike(top100):
    row = top100.at(0.0)
    # the Monte Carlo standard error of the mean over 4000 panels, from the simulated spread (normal approximation:
    # sd ~ (q95 - q05) / (2 x 1.645)); about 0.0015
    se = (row["q95"] - row["q05"]) / (2 * stats.norm.ppf(0.95)) / math.sqrt(top100.n_sim)
    assert 0.001 < se < 0.002
    # reference: an independent simulation of 20 000 panels (REVIEW13a, numpy) gives 0.2311 with se 0.0007; the two
    # may differ by their combined Monte Carlo error (4 standard errors: a false alarm in about 1 of 16 000 runs)
    assert abs(row["mean_r"] - 0.2311) < 4 * math.hypot(se, 0.0007)
    # issue 13's quantiles 0.063-0.381 (its own simulation); the se of a 5% quantile at 4000 panels is about 0.004
    assert_allclose([row["q05"], row["q95"]], [0.063, 0.381], atol=0.02)
    # Thorndike's large-sample value, 0.2317 (hand, scipy truncnorm): the finite top-100 mean is within 0.001 of it
    # (0.2311 above), so within 4 se + 0.001
    assert_allclose(_thorndike(0.0), 0.2317, atol=1e-4)
    assert abs(row["mean_r"] - _thorndike(0.0)) < 4 * se + 0.001
    # far below the unselected 1/sqrt(6)
    assert row["q95"] < correlation.part_whole_r(6, 0.0)


def test_selection_at_rho_08_and_the_implied_rho_of_07561(top100):
    # issue 13: at rho = 0.8 the mean top-100 r is 0.765; Thorndike gives 0.7659
    assert_allclose(top100.at(0.8)["mean_r"], 0.765, atol=0.006)
    assert_allclose(top100.at(0.8)["mean_r"], _thorndike(0.8), atol=0.006)
    res = correlation.implied_rho_selected(0.7561, top100)
    # issue 13: r = 0.7561 on the top 100 of 293 needs rho ~ 0.79
    assert_allclose(res.statistic, 0.79, atol=0.01)
    assert res.ci_low < res.statistic < res.ci_high and res.level == 0.90
    assert (res.n, res.n_total) == (100, 293)
    assert math.isnan(res.r_ci_low) and math.isnan(res.r_ci_high)   # no Fisher interval for a selected set
    assert "top 100" in res.population and "before the selection" in res.population


def test_selection_by_the_dimension_itself():
    # Thorndike's case II is symmetric in which variable of the pair is selected on: the top 100 by the part give about
    # the same mean r as the top 100 by the composite (large-sample 0.2317 at rho = 0, 0.7659 at rho = 0.8)
    sim = correlation.simulate_selection(6, rhos=[0.0, 0.8], n_sim=4000, seed=2024, by="part")
    assert sim.by == "part"
    assert_allclose([sim.at(0.0)["mean_r"], sim.at(0.8)["mean_r"]], [_thorndike(0.0), _thorndike(0.8)], atol=0.012)
    # but not the correlations between the parts: selecting on part 0 leaves the others' correlation with each other
    # at rho = 0 unchanged (about 0 here), selecting on their sum makes it negative
    assert abs(sim.at(0.0)["mean_inter_r"]) < 0.01
    by_composite = correlation.simulate_selection(6, rhos=[0.0], n_sim=500, seed=2024)
    assert by_composite.at(0.0)["mean_inter_r"] < -0.1
    res = correlation.implied_rho_selected(0.7561, sim)
    assert res.selected_by == "part" and "by dimension (part 0)" in res.population
    with pytest.raises(ParameterError, match="^by should be"):
        correlation.simulate_selection(6, rhos=[0.0], n_sim=10, by="TEC")


def test_without_selection_the_simulation_is_the_closed_form():
    sim = correlation.simulate_selection(6, n_total=293, n_top=293, rhos=[0.0, 0.5], n_sim=2000, seed=5)
    # unselected: the mean of r is part_whole_r (the mean of a sample r is biased by about r(1 - r^2)/(2n) < 0.001)
    assert_allclose(sim.grid["mean_r"], correlation.part_whole_r(6, sim.grid["rho"].to_numpy()), atol=0.005)
    # and the mean correlation between the parts is rho
    assert_allclose(sim.grid["mean_inter_r"], sim.grid["rho"], atol=0.005)
    # Spearman of a bivariate normal pair: (6 / pi) asin(r / 2) (Pearson 1907), r = part_whole_r(6, 0.5) = 0.7638
    sp = correlation.simulate_selection(6, n_total=293, n_top=293, rhos=[0.5], n_sim=2000, seed=5, method="spearman")
    assert_allclose(sp.at(0.5)["mean_r"], 6 / np.pi * np.arcsin(correlation.part_whole_r(6, 0.5) / 2), atol=0.005)


def test_selection_is_seeded_and_uses_common_random_numbers():
    a = correlation.simulate_selection(6, n_total=120, n_top=40, rhos=[0.0, 0.4, 0.8], n_sim=200, seed=9)
    b = correlation.simulate_selection(6, n_total=120, n_top=40, rhos=[0.8, 0.0, 0.4], n_sim=200, seed=9)
    pd.testing.assert_frame_equal(a.grid, b.grid)   # sorted, and the same draws whatever the order asked
    c = correlation.simulate_selection(6, n_total=120, n_top=40, rhos=[0.0, 0.4, 0.8], n_sim=200, seed=10)
    assert not a.grid.equals(c.grid)
    assert a.grid["mean_r"].is_monotonic_increasing
    with pytest.raises(ParameterError, match="^rho should be one of the simulated values"):
        a.at(0.5)


@pytest.mark.parametrize("kwargs, name", [({"n_top": 300}, "n_top"), ({"n_top": 3}, "n_top"),
                                          ({"rhos": [-0.2]}, "rhos"), ({"rhos": [1.2]}, "rhos"),
                                          ({"n_sim": 1}, "n_sim"), ({"method": "kendall"}, "method"),
                                          ({"seed": -1}, "seed"), ({"weights": [1, 1]}, "weights")], ids=repr)
def test_simulate_selection_refuses_bad_arguments(kwargs, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        correlation.simulate_selection(6, **{"n_total": 293, "n_sim": 10, **kwargs})


def _grid_sim(rho, mean, q05, q95):
    return correlation.SelectionSimulation(k=6, n_total=293, n_top=100, n_sim=1, seed=0, method="pearson",
                                           weights=(1 / 6,) * 6,
                                           grid=pd.DataFrame({"rho": rho, "mean_r": mean, "q05": q05, "q95": q95,
                                                              "mean_inter_r": np.zeros(len(rho))}))


def test_implied_rho_selected_by_hand():
    sim = _grid_sim([0.0, 0.5, 1.0], [0.2, 0.5, 0.9], [0.1, 0.4, 0.85], [0.3, 0.6, 0.95])
    res = correlation.implied_rho_selected(0.7, sim)
    # hand, linear between grid points: mean 0.7 at 0.5 + 0.5 * 0.2 / 0.4 = 0.75; q95 = 0.7 at
    # 0.5 + 0.5 * 0.1 / 0.35 = 0.642857; q05 = 0.7 at 0.5 + 0.5 * 0.3 / 0.45 = 0.833333 (a fine grid of step 0.0005)
    assert_allclose([res.statistic, res.ci_low, res.ci_high], [0.75, 0.642857, 0.833333], atol=6e-4)
    assert res.at_grid_edge is False
    edge = correlation.implied_rho_selected(0.92, sim)
    assert edge.at_grid_edge is True and edge.ci_high == 1.0
    outside = correlation.implied_rho_selected(0.05, sim)   # below every simulated mean and band
    assert math.isnan(outside.statistic) and math.isnan(outside.ci_low)


def test_fisher_interval_only_for_unselected_cities():
    res = correlation.implied_rho_unselected(0.7561, 6, n=293)
    # hand: z = atanh(0.7561) = 0.987197, se = 1/sqrt(290) = 0.058722, 1.959964 se = 0.115094:
    # tanh(0.872103) = 0.702365, tanh(1.102291) = 0.801266; rho = (6 r^2 - 1) / 5 at each end
    assert_allclose([res.r_ci_low, res.r_ci_high], [0.702365, 0.801266], atol=2e-6)
    assert_allclose([res.ci_low, res.statistic, res.ci_high],
                    [(6 * 0.702365 ** 2 - 1) / 5, 0.48602465, (6 * 0.801266 ** 2 - 1) / 5], atol=2e-5)
    assert "random sample" in res.population and "not a top group selected by the composite" in res.population
    # correlation_test: the same bootstrap and permutation numbers, no Fisher interval when the cities are selected
    rng = np.random.default_rng(4)
    x = rng.normal(size=60)
    y = x + rng.normal(size=60)
    plain = correlation.correlation_test(x, y, n_boot=100, n_perm=100, seed=1)
    sel = correlation.correlation_test(x, y, n_boot=100, n_perm=100, seed=1, selected=True)
    assert math.isnan(sel.fisher_ci_low) and math.isnan(sel.fisher_ci_high) and sel.selected
    assert (sel.statistic, sel.boot_ci_low, sel.boot_ci_high, sel.p_value) == \
        (plain.statistic, plain.boot_ci_low, plain.boot_ci_high, plain.p_value)
    assert "selected" in " ".join(correlation.correlation_test_assumptions(sel))
    table = correlation.implied_rho_table(res, correlation.implied_rho_selected(0.7561, _grid_sim(
        [0.0, 1.0], [0.2, 0.95], [0.1, 0.9], [0.3, 0.99])))
    assert list(table.index) == ["all 293 cities, unselected", "top 100 of 293 by composite"]
    assert np.isnan(table.loc["top 100 of 293 by composite", "fisher_r_ci_low"])


# ---- what the data's coefficient is made of -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def old_panel():
    from cityeval.notebook.panel import scored_panel

    return scored_panel(OLD_PANEL, top_n=100)


def test_anatomy_of_the_old_panel_reproduces_the_issue(old_panel):
    p = old_panel
    a = correlation.coefficient_anatomy(p.scores, p.dimensions, p.top_code, x="TEC")
    # issue 13 on this panel: r = 0.356; SDs 10.2-12.3; TEC's skew 0.49 below IND's 0.96; z-scored r 0.370;
    # TEC's mean correlation with the others 0.050 against 0.179 (the mean over all pairs)
    assert_allclose(a.statistic, 0.356, atol=5e-4)
    assert_allclose([min(a.sd.values()), max(a.sd.values())], [10.2, 12.3], atol=0.05)
    assert_allclose([a.skew["TEC"], a.skew["IND"]], [0.49, 0.96], atol=0.005)
    assert_allclose(a.r_zscored, 0.370, atol=5e-4)
    assert_allclose([a.x_mean_r_with_others, a.mean_rho], [0.050, 0.179], atol=5e-4)
    # and the same by numpy / scipy directly
    x = p.scores[p.dimensions].to_numpy()
    corr = np.corrcoef(x, rowvar=False)
    j = p.dimensions.index("TEC")
    others = [i for i in range(6) if i != j]
    assert_allclose(a.others_mean_r, corr[np.ix_(others, others)][np.triu_indices(5, 1)].mean(), rtol=1e-12)
    assert_allclose(list(a.skew.values()), stats.skew(x, axis=0, bias=False), rtol=1e-12)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    assert_allclose(a.r_zscored, stats.pearsonr(z[:, j], z.mean(axis=1))[0], rtol=1e-10)
    # the formula on sample moments is the sample r: the decomposition applies
    assert a.weighted_mean and abs(a.r_formula - a.statistic) < 1e-12
    # r with TEC given the others' mean correlation: numpy on the modified covariance matrix
    typical = corr.copy()
    typical[j, others] = typical[others, j] = a.others_mean_r
    sd = x.std(axis=0, ddof=1)
    cov = typical * np.outer(sd, sd)
    w = np.full(6, 1 / 6)
    assert_allclose(a.r_if_typical, (cov @ w)[j] / np.sqrt(cov[j, j] * (w @ cov @ w)), rtol=1e-10)
    assert_allclose(a.effective_weight, sd[j] / sd.sum(), rtol=1e-12)


def test_anatomy_says_when_the_composite_is_not_the_weighted_mean(old_panel):
    p = old_panel
    s = p.scores.copy()
    s["GEO"] = np.exp(np.log(s[p.dimensions].clip(lower=1)).mean(axis=1))   # a geometric mean
    a = correlation.coefficient_anatomy(s, p.dimensions, "GEO", x="TEC")
    assert not a.weighted_mean


# ---- the texts: computed, not asserted --------------------------------------------------------------------------------

def _findings(panel, *, anatomy=None, ranges=None, at_weights=False):
    from cityeval.analysis.correlation import MethodSensitivity

    s, dims = panel.scores, panel.dimensions
    head = correlation.correlation_test(s["TEC"], s[panel.top_code], n_boot=50, n_perm=50, seed=1, selected=True)
    without = correlation.correlation_test(s["TEC"], correlation.composite_without(s, dims, "TEC"), n_boot=50,
                                           n_perm=50, seed=1, selected=True)
    pw = correlation.part_whole_summary(6, reported_r=0.7561, simulations={},
                                        mean_rho_top=correlation.mean_intercorrelation(s[dims]),
                                        mean_rho_all=correlation.mean_intercorrelation(panel.all_scores[dims]))
    sim = correlation.simulate_selection(6, rhos=[0.0, 0.7, 0.75, 0.8, 0.85, 0.9], n_sim=400, seed=3)
    by_part = correlation.simulate_selection(6, rhos=[0.0, 0.7, 0.75, 0.8, 0.85, 0.9], n_sim=400, seed=3, by="part")
    implied = {"unselected": correlation.implied_rho_unselected(0.7561, 6, n=293),
               "selected": correlation.implied_rho_selected(0.7561, sim),
               "selected_by_dimension": correlation.implied_rho_selected(0.7561, by_part),
               "curve": correlation.implied_rho_curve(0.7561, 6)}
    if at_weights:
        implied.update(correlation.implied_rho_selected_at_weights(0.7561, 6, rhos=[0.6, 0.7, 0.8, 0.9], n_sim=200,
                                                                   seed=3))
    anatomy = anatomy or correlation.coefficient_anatomy(s, dims, panel.top_code)
    grid = MethodSensitivity(pd.DataFrame({"minmax": [0.36, 0.39]}), {})
    return correlation.innovation_findings(head, without, pw, implied, sim, anatomy, grid, synthetic=True,
                                           ranges=ranges)


def test_findings_state_the_bound_the_populations_and_no_share(old_panel):
    f = _findings(old_panel)
    text = " ".join(f.conclusions)
    # the false "floor" is gone: 0.408 is the value with no association, and 0.196 is the bound
    assert "floor for" not in text and "0.408 is not a floor" in text
    assert "1/√(1+(k−1)²) = 0.196" in text
    assert "part-whole share" not in text
    drop = next(line for line in f.conclusions if line.startswith("Without TEC"))
    assert drop.endswith("(r minus r without TEC: a difference between two correlations of TEC with two different "
                         "composites, not a share of r).")
    # the implied rho with its assumptions, over the weight, under selection; Fisher with its population
    assert "at effective weights 0.10 and 0.25 it implies 0.558 and 0.358" in text
    # the default curve has no rho from 0.35 on: at share 0.35 the lowest r over rho is 0.7689 (at rho = 0.016; numpy on
    # a grid of the closed form in test_implied_rho_is_nan_where_no_rho_gives_r), above 0.7561; at 0.34 it is 0.7551
    grid = np.linspace(-0.2 + 1e-9, 1, 20001)
    assert _numpy_r(6, grid, np.r_[0.35, np.full(5, 0.13)]).min() > 0.7561 > \
        _numpy_r(6, grid, np.r_[0.34, np.full(5, 0.132)]).min()
    assert "from an effective weight of 0.35 on no common rho gives it" in text
    assert "Fisher's 95% interval of r is 0.702-0.801" in text and "random sample" in text
    assert "no Fisher interval applies to a selected set" in text
    assert "If instead they are the top 100 by TEC itself (the report's text speaks of the 技术创新百强城市" in text
    assert "Fisher's interval is not given" in f.conclusions[0]
    # the unselected implied rho is set beside the all-cities mean (issue 13: 0.479), the top 100's (0.179) named as
    # another population
    assert "over all cities, 0.479, not with that over the top 100, 0.179, which selection lowers" in text
    assert "Illustrative" in f.summary and "not a floor" in f.summary


def test_findings_explain_the_coefficient_from_the_data(old_panel):
    text = " ".join(_findings(old_panel).conclusions)
    # issue 13: on this panel the cause is TEC's low correlation with the others, not its spread or tail
    assert "with every dimension z-scored r is 0.370" in text
    assert "TEC's mean correlation with the other 5 dimensions is 0.050, theirs among themselves 0.244" in text
    assert "So TEC's weaker correlation with the other dimensions, not the unequal spreads, moves r most." in text
    assert "long right tail" not in text and "TEC 0.49" in text
    # the verdict follows the numbers: where the spreads move r more, the text says so
    a = correlation.coefficient_anatomy(old_panel.scores, old_panel.dimensions, old_panel.top_code)
    import dataclasses

    flipped = dataclasses.replace(a, r_zscored=a.statistic - 0.3)
    text = " ".join(_findings(old_panel, anatomy=flipped).conclusions)
    assert "the unequal spreads move r more than TEC's weaker correlation with the other dimensions" in text


def test_findings_name_the_assumptions_of_each_number(old_panel):
    f = _findings(old_panel)
    assert set(f.assumptions) == {"headline", "other_coefficient", "without_tec", "part_whole", "implied_rho.unselected",
                                  "implied_rho.curve", "implied_rho.selected", "implied_rho.selected_by_dimension",
                                  "no_association_top", "anatomy", "conclusions"}
    for path, sentences in f.assumptions.items():
        assert sentences and all(isinstance(s, str) and len(s.split()) >= 3 for s in sentences), path
    joined = {path: " ".join(s) for path, s in f.assumptions.items()}
    assert "same effective weight" in joined["part_whole"] and "unselected" in joined["part_whole"]
    assert "exchangeably" in joined["part_whole"]
    assert "top 100 of 293 cities selected by the composite" in joined["implied_rho.selected"]
    assert "top 100 of 293 cities selected by the dimension itself" in joined["implied_rho.selected_by_dimension"]
    assert "bivariate normal" in joined["implied_rho.unselected"]
    assert "selected the same way" in joined["headline"]
    ranges = {name: f"<{name}>" for name in correlation.ENSEMBLE_STATISTICS}
    assert "ensemble" in _findings(old_panel, ranges=ranges).assumptions


def test_findings_refuse_a_wrong_input(old_panel):
    with pytest.raises(ParameterError, match="^synthetic should be True or False"):
        correlation.innovation_findings(None, None, None, None, None, None, None, synthetic=1)
    with pytest.raises(ParameterError, match="^head should be a CorrelationTest"):
        correlation.innovation_findings(None, None, None, None, None, None, None, synthetic=True)


# ---- issue 13, REVIEW13a finding 15: the selected reading at other effective weights -------------------------------

def _thorndike_weighted(rho, e, k=6, n_top=100, n_total=293):
    """Thorndike's case II at TEC's effective weight e (the others share 1 - e equally): R from the general
    formula sum_k a_k rho_jk / sqrt(a' R a) (numpy, exchangeable R), then R u^1/2 / sqrt(1 - R^2 + R^2 u)."""
    a = np.full(k, (1 - e) / (k - 1))
    a[0] = e
    corr = np.full((k, k), rho)
    np.fill_diagonal(corr, 1.0)
    big_r = (corr @ a)[0] / math.sqrt(a @ corr @ a)
    u = stats.truncnorm(stats.norm.ppf(1 - n_top / n_total), np.inf).var()
    return big_r * math.sqrt(u) / math.sqrt(1 - big_r ** 2 + big_r ** 2 * u)


@pytest.mark.parametrize("weight", [0.10, 0.25])
def test_the_selected_reading_at_other_effective_weights(weight):
    out = correlation.implied_rho_selected_at_weights(0.7561, 6, effective_weights=[weight],
                                                      rhos=correlation.DEFAULT_RHOS[10:], n_sim=1000, seed=3)
    res = out[correlation.weight_key(weight)]
    assert_allclose(res.effective_weight, weight, rtol=1e-12)
    assert not res.equal_weights
    assert (res.n, res.n_total, res.selected_by) == (100, 293, "composite")
    # reference: the rho at which Thorndike's large-sample top-100 r equals 0.7561 (scipy brentq); the finite-sample
    # mean is a little below Thorndike's (0.2311 vs 0.2317 at rho = 0), so the simulated rho is a little above
    reference = optimize.brentq(lambda rho: _thorndike_weighted(rho, weight) - 0.7561, 0.0, 0.999)
    assert -0.005 < res.statistic - reference < 0.02
    assert res.ci_low < res.statistic < res.ci_high
    assert f"effective weight {weight:.2f}" in res.population and "equal effective weights" not in res.population
    # the table names the weight
    table = correlation.implied_rho_table(res)
    assert list(table.index) == [f"top 100 of 293 by composite, effective weight {weight:.2f}"]


def test_a_lower_effective_weight_needs_a_higher_rho_under_selection_too():
    out = correlation.implied_rho_selected_at_weights(0.7561, 6, effective_weights=[0.10, 0.25],
                                                      rhos=correlation.DEFAULT_RHOS[10:], n_sim=300, seed=3)
    # hand: with less of TEC in the composite, the part-whole share falls, so more common correlation is needed
    assert out["selected_weight_10pct"].statistic > out["selected_weight_25pct"].statistic


def test_the_selection_assumptions_state_normality_and_the_weight():
    text = " ".join(correlation.selection_assumptions(293, 100, weight=0.25, k=6))
    assert "Normality is an assumption" in text and "effective weight 0.25" in text
    assert "equal effective weights" in " ".join(correlation.selection_assumptions(293, 100))


# ---- issue 13, REVIEW13a findings 6, 8, 15: what the report states, the summary's assumptions, normality -----------

def test_findings_do_not_state_which_top_100_fig_18_plots_nor_the_293_as_facts(old_panel):
    f = _findings(old_panel)
    text = " ".join(f.conclusions)
    # the report's figure is titled 数字城市建设与技术创新能力百强分布; which ranking defines its 100 is not stated, and
    # 293 is the 2020 edition's count (notebook 01), not stated in the 2022 report
    assert "Fig. 18 plots the top 100" not in text
    assert "Fig. 18 plots a top 100; by which ranking is not stated" in text
    assert "293 cities (the count of CCID's 2020 edition, assumed" in text
    for path in ("implied_rho.unselected", "implied_rho.selected", "implied_rho.selected_by_dimension"):
        joined = " ".join(f.assumptions[path])
        assert "2020 edition" in joined and "assumed" in joined, path
    for path in ("implied_rho.selected", "implied_rho.selected_by_dimension"):
        assert "by which ranking (the composite or technology innovation) is not stated" in " ".join(
            f.assumptions[path]), path


def test_the_summary_states_the_exchangeability_of_the_unselected_reading(old_panel):
    # (6 r^2 - 1) / 5 = 0.486 rests on equal effective weights AND one common correlation between every pair
    summary = _findings(old_panel).summary
    assert ("implies rho = 0.486 if computed on all 293 cities with equal effective weights and one common "
            "correlation between every pair") in summary


def test_findings_quote_the_selected_reading_at_other_weights_and_the_normality(old_panel):
    f = _findings(old_panel, at_weights=True)
    text = " ".join(f.conclusions)
    assert "with TEC at effective weight 0.10 it needs rho ≈" in text
    assert "with TEC at effective weight 0.25 it needs rho ≈" in text
    assert "Normality is an assumption, not a finding" in text
    for key in ("selected_weight_10pct", "selected_weight_25pct"):
        joined = " ".join(f.assumptions[f"implied_rho.{key}"])
        assert "Normality is an assumption" in joined
    assert "effective weight 0.10" in " ".join(f.assumptions["implied_rho.selected_weight_10pct"])
    assert "effective weight 0.25" in " ".join(f.assumptions["implied_rho.selected_weight_25pct"])
    assert "Normality is an assumption" in " ".join(f.assumptions["implied_rho.selected"])
