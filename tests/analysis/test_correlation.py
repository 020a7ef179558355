"""Correlation statistics of notebook 02."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cityeval.analysis import correlation
from cityeval.errors import DataError, ParameterError


def test_fisher_ci_by_hand():
    # Hand calculation: z = atanh(0.7561) = 0.987197, se = 1/sqrt(97) = 0.101535, q = 1.959964:
    # tanh(0.987197 -/+ 0.199005) = 0.657298, 0.829350
    assert_allclose(correlation.fisher_ci(0.7561, 100), (0.657298, 0.829350), atol=1e-6)
    # Spearman: se = sqrt(1.06/97) (Fieller, Hartley & Pearson 1957) -> a wider interval
    lo, hi = correlation.fisher_ci(0.7561, 100, method="spearman")
    assert lo < 0.657298 and hi > 0.829350
    # symmetric in z: r = 0 gives -x, +x
    lo0, hi0 = correlation.fisher_ci(0.0, 50, level=0.9)
    assert_allclose(lo0, -hi0)
    assert_allclose(hi0, np.tanh(stats.norm.ppf(0.95) / np.sqrt(47)))


def test_part_whole_formula():
    # k = 6: rho = 0 -> 1/sqrt(6) = 0.408248; rho = 1 -> 1 (hand calculation)
    assert_allclose(correlation.part_whole_r(6, 0.0), 1 / np.sqrt(6))
    assert_allclose(correlation.part_whole_r(6, 1.0), 1.0)
    # the inverse: 0.7561 -> (6 * 0.7561^2 - 1) / 5 = 0.486025
    assert_allclose(correlation.implied_rho(0.7561, 6), 0.48602465, rtol=1e-7)
    assert_allclose(correlation.part_whole_r(6, correlation.implied_rho(0.7561, 6)), 0.7561)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.7])
def test_part_whole_against_simulation(rho):
    sims = correlation.simulate_part_whole(6, rho, n=400, n_sim=300, seed=11)
    # the sample mean of r over 300 samples of n = 400 is within 0.01 of the analytic value
    # (sampling sd of r at n = 400 is about (1 - r^2)/20 <= 0.05; / sqrt(300) -> 0.003, plus small-sample bias)
    assert_allclose(sims.mean(), correlation.part_whole_r(6, rho), atol=0.01)


def test_correlation_test_matches_scipy():
    rng = np.random.default_rng(5)
    x = rng.normal(size=80)
    y = 0.5 * x + rng.normal(size=80)
    res = correlation.correlation_test(x, y, n_boot=500, n_perm=500, seed=3)
    assert_allclose(res.statistic, stats.pearsonr(x, y)[0])
    assert res.boot_ci_low < res.statistic < res.boot_ci_high
    assert res.fisher_ci_low < res.statistic < res.fisher_ci_high
    assert res.p_value < 0.01  # true correlation 0.45 at n = 80
    sp = correlation.correlation_test(x, y, method="spearman", n_boot=200, n_perm=200, seed=3)
    assert_allclose(sp.statistic, stats.spearmanr(x, y)[0])
    # independent variables: a permutation p-value that is not small, for several seeds
    for seed in range(3):
        z = np.random.default_rng(100 + seed).normal(size=(2, 60))
        assert correlation.correlation_test(z[0], z[1] * 0 + np.random.default_rng(200 + seed).normal(size=60),
                                            n_boot=50, n_perm=400, seed=seed).p_value > 0.001


def test_composite_without():
    scores = pd.DataFrame({"A": [1.0, 2.0], "B": [3.0, 5.0], "C": [5.0, 8.0]}, index=["x", "y"])
    # hand: mean of B and C -> x: 4, y: 6.5
    assert_allclose(correlation.composite_without(scores, ["A", "B", "C"], "A"), [4.0, 6.5])
    # weights renormalised over the rest: B 1, C 3 -> x: (3 + 15)/4 = 4.5
    assert_allclose(correlation.composite_without(scores, ["A", "B", "C"], "A", weights={"A": 2, "B": 1, "C": 3}).iloc[0], 4.5)


@pytest.mark.parametrize("call, name", [
    (lambda: correlation.fisher_ci(1.0, 10), "r"),
    (lambda: correlation.fisher_ci(0.5, 3), "n"),
    (lambda: correlation.fisher_ci(0.5, 10, level=1.5), "level"),
    (lambda: correlation.correlation_test([1, 2, 3, 4], [1, 2, 3, 4], method="kendall"), "method"),
    (lambda: correlation.correlation_test([1, 2, 3], [1, 2, 4]), "x"),
    (lambda: correlation.correlation_test([1, 2, 3, 4, 5], [1, 2, 4, 3]), "x, y"),
    (lambda: correlation.correlation_test([1, 1, 1, 1], [1, 2, 3, 4]), "x, y"),
    (lambda: correlation.part_whole_r(6, -0.5), "rho"),
    (lambda: correlation.implied_rho(1.2, 6), "r"),
    (lambda: correlation.composite_without(pd.DataFrame({"A": [1.0]}), ["A"], "B"), "drop"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        call()


def test_coefficient_matches_scipy():
    x, y = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0, 6.0]
    assert_allclose(correlation.coefficient(x, y), stats.pearsonr(x, y)[0])
    # Spearman by hand: ranks (1..5) vs (2, 1, 4, 3, 5): sum d^2 = 4 -> 1 - 6*4/120 = 0.8
    assert_allclose(correlation.coefficient(x, y, method="spearman"), 0.8)


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_vectorized_resampling_gives_the_same_numbers(method):
    # issue 6: scipy evaluates the coefficient on all resamples at once (vectorized=True); the resamples
    # and permutations are those of vectorized=False for the same seed, so the interval and p-value are
    # the ones the one-call-per-resample form gives (Spearman with ties: up to rounding, ~1e-16)
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(size=60), 1)          # rounded: ties, so Spearman uses average ranks
    y = 0.6 * x + rng.normal(size=60)
    coef = (lambda a, b: stats.pearsonr(a, b)[0]) if method == "pearson" else (lambda a, b: stats.spearmanr(a, b)[0])
    boot = stats.bootstrap((x, y), coef, paired=True, vectorized=False, n_resamples=300, method="percentile",
                           rng=np.random.default_rng(4))
    perm = stats.permutation_test((x, y), coef, permutation_type="pairings", vectorized=False, n_resamples=300,
                                  rng=np.random.default_rng(4))
    res = correlation.correlation_test(x, y, method=method, n_boot=300, n_perm=300, seed=4)
    assert_allclose([res.boot_ci_low, res.boot_ci_high],
                    [boot.confidence_interval.low, boot.confidence_interval.high], rtol=1e-13)
    assert res.p_value == perm.pvalue


def test_mean_intercorrelation_by_hand():
    f = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [3.0, 2, 1]})
    # pairs ab = 1, ac = -1, bc = -1 (perfectly (anti)linear columns): mean -1/3
    assert_allclose(correlation.mean_intercorrelation(f), -1 / 3)
    with pytest.raises(ParameterError, match="^frame should be"):
        correlation.mean_intercorrelation(f[["a"]])


# ---- one validation vocabulary (issue 11): the class of bad inputs, for every function -------------------

X6 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
Y6 = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0]
BAD_SEEDS = [-1, 1.5, True, 2 ** 32, "1", None, np.float64(3.0)]
SEEDED = {
    "correlation_test": lambda seed: correlation.correlation_test(X6, Y6, n_boot=40, n_perm=5, seed=seed),
    "simulate_part_whole": lambda seed: correlation.simulate_part_whole(6, 0.2, n=10, n_sim=2, seed=seed),
    "simulate_selection": lambda seed: correlation.simulate_selection(6, n_total=20, n_top=5, rhos=[0.0], n_sim=2,
                                                                      seed=seed),
}


@pytest.mark.parametrize("seed", BAD_SEEDS, ids=repr)
@pytest.mark.parametrize("fn", sorted(SEEDED))
def test_a_seed_is_a_whole_number_0_to_2_32(fn, seed):
    # before issue 11, correlation_test(seed=-1) raised numpy's ValueError and seed=1.5 a TypeError
    with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1"):
        SEEDED[fn](seed)


@pytest.mark.parametrize("name", ["n_boot", "n_perm"])
@pytest.mark.parametrize("value", [0, -3, 2.0, 1.5, True, "10", None], ids=repr)
def test_resample_counts_are_positive_whole_numbers(name, value):
    # before: int(v) != v accepted 2.0 and raised a TypeError for "10" and None
    with pytest.raises(ParameterError, match=f"^{name} should be a whole number >= {1 if name == 'n_perm' else 40}"):
        correlation.correlation_test(X6, Y6, **{"n_boot": 40, "n_perm": 5, name: value})


@pytest.mark.parametrize("name, value", [("n", 2), ("n", 10.0), ("n_sim", 0), ("n_sim", True), ("rho", 1.0),
                                         ("rho", -0.2), ("rho", np.nan), ("k", 1), ("k", 6.0)])
def test_simulate_part_whole_arguments(name, value):
    # rho = 1 or -1/(k-1) = -0.2 make the correlation matrix singular (before: numpy's LinAlgError)
    args = {"k": 6, "rho": 0.2, "n": 10, "n_sim": 2, "seed": 0, name: value}
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        correlation.simulate_part_whole(args.pop("k"), args.pop("rho"), **args)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1, np.nan, True, "0.95"], ids=repr)
def test_level_is_in_the_open_unit_interval(level):
    with pytest.raises(ParameterError, match=r"^level should be a finite number in \(0, 1\)"):
        correlation.correlation_test(X6, Y6, n_boot=40, n_perm=5, level=level)
    with pytest.raises(ParameterError, match="^level should be"):
        correlation.fisher_ci(0.5, 10, level=level)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=repr)
@pytest.mark.parametrize("fn", ["coefficient", "correlation_test"])
def test_a_non_finite_value_is_a_data_error_naming_the_city(fn, bad):
    # before: ParameterError("x, y") for NaN, and an infinity went through to scipy
    cities = ["北京市", "上海市", "深圳市", "广州市", "杭州市", "成都市"]
    x = pd.Series(X6, index=cities)
    y = pd.Series(Y6, index=cities)
    y.iloc[3] = bad
    call = getattr(correlation, fn)
    with pytest.raises(DataError, match=r"y: values must be finite.*广州市"):
        call(x, y) if fn == "coefficient" else call(x, y, n_boot=40, n_perm=5)
    with pytest.raises(DataError, match=r"x: values must be finite.*广州市"):
        call(y, x) if fn == "coefficient" else call(y, x, n_boot=40, n_perm=5)


@pytest.mark.parametrize("bad", ["abcd", None, 3.0, [[1.0, 2.0], [3.0, 4.0]], ["a", "b", "c", "d"]], ids=repr)
def test_a_sample_of_the_wrong_kind_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="^x should be"):
        correlation.correlation_test(bad, Y6[:4], n_boot=40, n_perm=5)
    with pytest.raises(ParameterError, match="^x should be"):
        correlation.coefficient(bad, Y6[:4])


def test_frames_with_missing_values_are_data_errors():
    f = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, np.nan, 3, 2], "c": [3.0, 2, 1, 0]}, index=list("wxyz"))
    # before: frame.corr() dropped the city silently (pairwise) and composite_without summed over the NaN
    with pytest.raises(DataError, match=r"column 'b'.*'x'"):
        correlation.mean_intercorrelation(f)
    with pytest.raises(DataError, match=r"column 'b'.*'x'"):
        correlation.composite_without(f, ["a", "b", "c"], "a")
    with pytest.raises(ParameterError, match="^frame should be a pandas DataFrame"):
        correlation.mean_intercorrelation(f.to_numpy())
    with pytest.raises(ParameterError, match="^scores should be a pandas DataFrame"):
        correlation.composite_without(f.to_numpy(), ["a", "b", "c"], "a")
    with pytest.raises(ParameterError, match=r"^weights\['c'\] should be a finite number >= 0"):
        correlation.composite_without(f.fillna(0), ["a", "b", "c"], "a", weights={"a": 1, "b": 1, "c": -1})


def test_part_whole_r_refuses_a_nan_rho():
    # before: a NaN passed the range comparisons and came back as NaN
    with pytest.raises(ParameterError, match="^rho should be"):
        correlation.part_whole_r(6, [0.2, np.nan])


# ---- named results ------------------------------------------------------------------------------------------

def test_correlation_test_is_a_frozen_named_result():
    import dataclasses

    res = correlation.correlation_test(X6, Y6, n_boot=40, n_perm=20, seed=1)
    assert [f.name for f in dataclasses.fields(res)] == ["method", "n", "statistic", "fisher_ci_low", "fisher_ci_high",
                                                         "boot_ci_low", "boot_ci_high", "p_value", "selected"]
    # hand: Pearson r of X6 and Y6 (both mean 3.5, sum of squares 17.5): sum xy - n mean^2 = 89 - 73.5 = 15.5,
    # r = 15.5 / 17.5 = 0.885714
    assert_allclose(res.statistic, 15.5 / 17.5)
    assert (res.fisher_ci_low, res.fisher_ci_high) == correlation.fisher_ci(res.statistic, 6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.statistic = 0.0
    # the permutation p-value is (count + 1)/(n_perm + 1) (scipy's convention): at least 1/21
    assert res.p_value >= 1 / 21


def test_fisher_ci_is_a_named_pair():
    ci = correlation.fisher_ci(0.7561, 100)
    assert ci._fields == ("ci_low", "ci_high")
    assert_allclose((ci.ci_low, ci.ci_high), (0.657298, 0.829350), atol=1e-6)   # hand values of test_fisher_ci_by_hand


def test_fisher_ci_table_rows_are_fisher_ci():
    table = correlation.fisher_ci_table(0.7561, [30, 100, 293])
    assert list(table.index) == [30, 100, 293] and table.index.name == "n"
    assert list(table.columns) == ["fisher_ci_low", "fisher_ci_high"]
    for n in (30, 100, 293):
        assert tuple(table.loc[n]) == correlation.fisher_ci(0.7561, n)
    # n = 30 by hand: z = 0.987197, se = 1/sqrt(27) = 0.192450, q se = 0.377195 -> tanh(0.610002), tanh(1.364392)
    assert_allclose(table.loc[30].to_numpy(), [0.544022, 0.877373], atol=1e-6)
    with pytest.raises(ParameterError, match="^ns should be"):
        correlation.fisher_ci_table(0.5, [])


def test_part_whole_summary_by_hand():
    sims = {0.0: np.array([0.40, 0.42]), 0.3: np.array([0.6, 0.7])}
    s = correlation.part_whole_summary(6, reported_r=0.7561, mean_rho_top=0.1, mean_rho_all=-0.5, simulations=sims)
    # no association 1/sqrt(6); bound 1/sqrt(26); implied rho (6 * 0.7561^2 - 1)/5 = 0.486025; the prediction is at
    # the all-cities mean, and a mean below -1/5 is clipped to -1/5: r = 0
    assert_allclose([s.r_at_rho0, s.lower_bound, s.implied_rho, s.predicted_r_at_mean_rho],
                    [1 / np.sqrt(6), 1 / np.sqrt(26), 0.48602465, 0.0], atol=1e-8)
    assert (s.mean_rho_top, s.mean_rho_all) == (0.1, -0.5)
    assert correlation.part_whole_summary(6, reported_r=0.7561, mean_rho_top=0.1, simulations={}).predicted_r_at_mean_rho \
        is None   # no all-cities mean: no prediction (the top cities' mean is another population)
    assert list(s.simulation_check) == ["0.0", "0.3"]
    assert s.simulation_check["0.3"]["analytic"] == correlation.part_whole_r(6, 0.3)
    assert_allclose([s.simulation_check[r]["simulated_mean"] for r in ("0.0", "0.3")], [0.41, 0.65])  # means by hand
    with pytest.raises(DataError, match="finite"):
        correlation.part_whole_summary(6, reported_r=0.7561, mean_rho_top=0.1, simulations={0.0: np.array([np.nan])})


class _Panel:
    def __init__(self, scores):
        self.scores, self.top_code = scores, "INDEX"


def _fake_scoring(data, *, top_n, method=None):
    """A stand-in for scored_panel: entropy weights of z-scores are refused with a DataError, as the library
    does; the composite is TEC plus a multiple of another column that depends on the weighting (known r by
    hand). ``method=None`` (the dataset's own method) scores as equal/minmax."""
    if data not in ("", None):
        raise DataError(data, "dataset folder not found")
    method = method or {"weight": {"method": "equal"}, "normalize": {"method": "minmax"}}
    w, nm = method["weight"]["method"], method["normalize"]["method"]
    if (w, nm) == ("entropy", "zscore"):
        raise DataError(None, "entropy weights need values >= 0", detail="z-scores")
    if (w, nm) == ("critic", "rank"):
        raise ParameterError("weights", "a bad argument inside the pipeline", "x")
    tec = np.array([1.0, 2.0, 3.0, 4.0])
    other = {"equal": [1.0, -1.0, -1.0, 1.0], "entropy": [0.0, 0.0, 0.0, 0.0]}[w]
    return _Panel(pd.DataFrame({"TEC": tec, "INDEX": tec + np.array(other)}).iloc[:top_n])


def test_method_sensitivity_grid_and_refusals():
    res = correlation.method_sensitivity(_fake_scoring, "", top_n=4, x="TEC", weightings=("equal", "entropy"),
                                         normalizations=("minmax", "zscore"))
    assert list(res.grid.index) == ["entropy", "equal"] and list(res.grid.columns) == ["minmax", "zscore"]
    # entropy: composite = TEC, r = 1; equal: composite (2, 1, 2, 5), by hand: deviations of TEC (-1.5, -0.5, 0.5, 1.5),
    # SS 5; of the composite (-0.5, -1.5, -0.5, 2.5), SS 9; cross products 5: r = 5 / sqrt(45) = 0.745356
    assert_allclose(res.grid.loc["entropy", "minmax"], 1.0)
    assert_allclose(res.grid.loc["equal"].to_numpy(), [5 / np.sqrt(45)] * 2)
    assert np.isnan(res.grid.loc["entropy", "zscore"])
    assert res.refused == {"entropy/zscore": "<data>: entropy weights need values >= 0 (z-scores)"}
    with pytest.raises(ParameterError, match="^score_panel should be"):
        correlation.method_sensitivity("scored_panel", "", top_n=4, x="TEC")


def test_published_agreement_is_rank_agreement():
    from cityeval.analysis.rank_agreement import rank_agreement
    from cityeval.ccid2022 import published

    rankings = published.load_rankings()
    out = correlation.published_agreement(rankings)
    assert list(out) == ["infrastructure_top100", "governance_top50", "healthcare_top20"]
    ref = rank_agreement(rankings["overall_top100"], rankings["healthcare_top20"])
    assert out["healthcare_top20"] == {k: getattr(ref, k) for k in ("n", "spearman", "kendall")}
    # Table 3 x Table 4: 83 cities on both lists (test_claims_notebook_results counts the same)
    assert out["infrastructure_top100"]["n"] == 83
    with pytest.raises(ParameterError, match="^rankings should be a ranking named 'nope'"):
        correlation.published_agreement(rankings, others=["nope"])


@pytest.mark.parametrize("top_n", [0, 2, 10.0, True, "50"], ids=repr)
def test_method_sensitivity_raises_a_bad_top_n_instead_of_refusing_every_method(top_n):
    with pytest.raises(ParameterError, match="^top_n should be a whole number >= 4"):
        correlation.method_sensitivity(_fake_scoring, "", top_n=top_n, x="TEC")


# ---- review 2, finding 2: bad arguments raise, only a DataError of a combination is recorded -----------------

@pytest.mark.parametrize("kwargs, message", [
    ({"weightings": ("equal", "entropi")}, r"^weightings\[1\] should be one of 'given', 'equal'"),
    ({"weightings": "equal"}, r"^weightings should be a sequence of distinct names"),   # not read letter by letter
    ({"weightings": ("equal", "equal")}, r"^weightings should be .*repeated: 'equal'"),
    ({"weightings": ()}, r"^weightings should be a sequence"),
    ({"normalizations": ("minmax", "min-max")}, r"^normalizations\[1\] should be one of 'minmax'"),
    ({"normalizations": "rank"}, r"^normalizations should be a sequence"),
    ({"normalizations": ("rank", "rank")}, r"repeated: 'rank'"),
    ({"x": "TECC"}, r"^x should be one of 'TEC'"),              # before: a bare KeyError
    ({"x": "INDEX"}, r"^x should be one of 'TEC'"),             # the composite itself is not a choice of x
    ({"weightings": ("equal",), "normalizations": ("minmax", 3)}, r"^normalizations\[1\] should be one of"),
])
def test_method_sensitivity_refuses_bad_arguments_before_the_loop(kwargs, message):
    # before: unknown names were recorded as "refused", "equal" was iterated letter by letter, repeats
    # raised pandas' ValueError from pivot
    args = {"top_n": 4, "x": "TEC", **kwargs}
    with pytest.raises(ParameterError, match=message):
        correlation.method_sensitivity(_fake_scoring, "", **args)


def test_method_sensitivity_raises_what_is_not_a_refusal():
    # a missing data folder is a DataError of the folder, raised (before: recorded as refused for every pair)
    with pytest.raises(DataError, match="^nowhere: dataset folder not found"):
        correlation.method_sensitivity(_fake_scoring, "nowhere", top_n=4, x="TEC", weightings=("equal",),
                                       normalizations=("minmax",))
    # a ParameterError from inside the scoring is raised, not recorded (before: any ValueError was recorded)
    with pytest.raises(ParameterError, match="^weights should be a bad argument inside the pipeline"):
        correlation.method_sensitivity(_fake_scoring, "", top_n=4, x="TEC", weightings=("critic",),
                                       normalizations=("rank",))


def test_method_sensitivity_on_a_missing_folder_with_the_real_scoring(tmp_path):
    from cityeval.notebook.panel import scored_panel

    with pytest.raises(DataError, match="dataset folder not found"):
        correlation.method_sensitivity(scored_panel, tmp_path / "absent", top_n=50, x="TEC",
                                       weightings=("equal",), normalizations=("minmax",))


# ---- review 2, finding 5: two Series are paired by city ---------------------------------------------------

def _series(values, cities):
    return pd.Series(np.asarray(values, float), index=list(cities))


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_two_series_are_paired_by_city_not_by_position(method):
    x = _series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "abcdef")
    y = _series([1.0, 3.0, 2.0, 5.0, 4.0, 6.0], "abcdef")
    shuffled = y.iloc[[5, 2, 0, 4, 1, 3]]
    # the same pairs in another order: the same coefficient (before: paired by position, a wrong r)
    assert coefficient_of(x, shuffled, method) == coefficient_of(x, y, method)
    t1 = correlation.correlation_test(x, shuffled, method=method, n_boot=40, n_perm=20, seed=1)
    t0 = correlation.correlation_test(x, y, method=method, n_boot=40, n_perm=20, seed=1)
    assert t1 == t0
    # an array is paired by position (documented): reversing it changes r (hand: Pearson of 1..6 with
    # reversed y is -15.5/17.5)
    if method == "pearson":
        assert_allclose(correlation.coefficient(x, y.to_numpy()[::-1]), -15.5 / 17.5)


def coefficient_of(x, y, method):
    return correlation.coefficient(x, y, method=method)


@pytest.mark.parametrize("fn", ["coefficient", "correlation_test"])
def test_two_series_of_different_cities_are_refused(fn):
    call = getattr(correlation, fn)
    kw = {} if fn == "coefficient" else {"n_boot": 40, "n_perm": 5}
    x = _series([1.0, 2.0, 3.0, 4.0, 5.0], "abcde")
    for y in (_series([1.0, 3.0, 2.0, 5.0, 4.0], "abcdz"),          # one city differs
              _series([1.0, 3.0, 2.0, 5.0, 4.0, 6.0], "abcdef")):   # an extra city
        with pytest.raises(ParameterError, match="^y should be a Series of the same cities as x"):
            call(x, y, **kw)
    with pytest.raises(DataError, match="x: each city appears once"):
        call(_series([1.0, 2.0, 3.0, 4.0, 5.0], "abcda"), _series([1.0, 3.0, 2.0, 5.0, 4.0], "abcde"), **kw)
    with pytest.raises(DataError, match="y: each city appears once"):
        call(x, _series([1.0, 3.0, 2.0, 5.0, 4.0], "abcdd"), **kw)


# ---- review 2, finding 6: no silent NaN ------------------------------------------------------------------

@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_a_bootstrap_interval_that_is_not_finite_raises(method):
    # many ties: resamples of 5 pairs in which x or y is constant have no coefficient (before: boot CI nan)
    with pytest.raises(DataError, match="undefined in some bootstrap resamples"):
        correlation.correlation_test([0, 0, 0, 0, 1], [0, 0, 0, 1, 1], method=method, n_boot=50, n_perm=20)


@pytest.mark.parametrize("level, least", [(0.95, 40), (0.9, 20), (0.5, 4), (0.99, 200)])
def test_n_boot_has_a_minimum_for_the_level(level, least):
    # hand: each tail of the percentile interval holds (1 - level)/2 of the resamples: at least one needs
    # n_boot >= 2 / (1 - level); before: n_boot=1 gave a zero-width interval
    assert correlation.min_resamples(level) == least
    for n_boot in (1, least - 1):
        with pytest.raises(ParameterError, match=f"^n_boot should be a whole number >= {least}"):
            correlation.correlation_test(X6, Y6, n_boot=n_boot, n_perm=5, level=level)
    res = correlation.correlation_test(X6, Y6, n_boot=least, n_perm=5, level=level)
    assert res.boot_ci_low < res.boot_ci_high


@pytest.mark.parametrize("column", ["a", "c"])
def test_mean_intercorrelation_refuses_a_constant_column(column):
    f = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 3, 2], "c": [3.0, 2, 1]}).assign(**{column: 5.0})
    with pytest.raises(DataError, match=f"column '{column}': dimension values must vary"):   # before: nan
        correlation.mean_intercorrelation(f)


# ---- one panel's statistics for the ensemble spread (notebook 02, section 6) ---------------------------------------


def _panel_frame(seed=0, n=40):
    """Six dimensions with a common factor and their mean as the composite (a stand-in for a scored panel)."""
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(n)
    dims = ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
    frame = pd.DataFrame({d: 0.5 * g + rng.standard_normal(n) for d in dims}, index=[f"c{i}" for i in range(n)])
    frame["INDEX"] = frame[dims].mean(axis=1)
    return frame, dims


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_ensemble_statistics_match_scipy(method):
    frame, dims = _panel_frame()
    every, _ = _panel_frame(seed=1, n=90)
    s = correlation.ensemble_statistics(frame, dims, "INDEX", x="TEC", method=method, all_scores=every)
    assert list(s) == list(correlation.ENSEMBLE_STATISTICS)
    coef = stats.pearsonr if method == "pearson" else stats.spearmanr
    rest = frame[[d for d in dims if d != "TEC"]].mean(axis=1)
    r, r_without = coef(frame["TEC"], frame["INDEX"])[0], coef(frame["TEC"], rest)[0]
    corr = np.corrcoef(frame[dims].to_numpy(), rowvar=False)
    corr_all = np.corrcoef(every[dims].to_numpy(), rowvar=False)
    assert_allclose([s["r"], s["r_without"], s["part_whole_difference"], s["mean_rho"], s["r_all"], s["mean_rho_all"]],
                    [r, r_without, r - r_without, corr[np.triu_indices(6, 1)].mean(),
                     coef(every["TEC"], every["INDEX"])[0], corr_all[np.triu_indices(6, 1)].mean()], rtol=1e-12)
    # TEC (column 4) with the other five, and the other five among themselves: numpy's corrcoef
    others = [0, 1, 2, 3, 5]
    assert_allclose([s["x_mean_r_with_others"], s["others_mean_r"]],
                    [corr[4, others].mean(), corr[np.ix_(others, others)][np.triu_indices(5, 1)].mean()], rtol=1e-12)
    # the spread effect: Pearson r minus r(z_TEC, mean of z-scores), computed directly with scipy
    z = (frame[dims] - frame[dims].mean()) / frame[dims].std()
    assert_allclose(s["spread_effect"], stats.pearsonr(frame["TEC"], frame["INDEX"])[0]
                    - stats.pearsonr(z["TEC"], z.mean(axis=1))[0], atol=1e-12)
    sd = frame[dims].std()
    assert_allclose(s["effective_weight"], sd["TEC"] / sd.sum(), rtol=1e-12)
    assert all(isinstance(v, float) for v in s.values())
    # without the unselected cities the two all-cities statistics are NaN, the others unchanged
    alone = correlation.ensemble_statistics(frame, dims, "INDEX", x="TEC", method=method)
    assert np.isnan(alone["r_all"]) and np.isnan(alone["mean_rho_all"]) and alone["r"] == s["r"]


def test_ensemble_statistics_part_whole_difference_of_independent_parts():
    # six independent standard normal parts: r(part, sum) -> 1/sqrt(6) and r(part, sum of the others) -> 0, so the
    # difference -> 1/sqrt(6) = 0.408 (part_whole_r at rho = 0); n = 20000 gives a sampling sd of about 0.007
    rng = np.random.default_rng(1)
    dims = list("ABCDEF")
    frame = pd.DataFrame(rng.standard_normal((20000, 6)), columns=dims)
    frame["T"] = frame[dims].mean(axis=1)
    s = correlation.ensemble_statistics(frame, dims, "T", x="A")
    assert_allclose(s["part_whole_difference"], 1 / np.sqrt(6), atol=0.03)
    assert_allclose(s["r_without"], 0.0, atol=0.03)


@pytest.mark.parametrize("kwargs, name", [({"x": "NOPE"}, "x"), ({"composite": "TEC"}, "composite"),
                                          ({"composite": "NOPE"}, "composite"), ({"method": "kendall"}, "method")],
                         ids=repr)
def test_ensemble_statistics_bad_arguments_name_the_parameter(kwargs, name):
    frame, dims = _panel_frame()
    args = {"composite": "INDEX", "x": "TEC", **kwargs}
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        correlation.ensemble_statistics(frame, dims, args.pop("composite"), **args)
    with pytest.raises(ParameterError, match="^scores should be a pandas DataFrame"):
        correlation.ensemble_statistics(frame.to_numpy(), dims, "INDEX")


def test_ensemble_statistics_refuse_a_missing_score():
    frame, dims = _panel_frame()
    frame.iloc[3, frame.columns.get_loc("TEC")] = np.nan
    with pytest.raises(DataError):
        correlation.ensemble_statistics(frame, dims, "INDEX")


def test_ensemble_labels_name_every_statistic():
    labels = correlation.ensemble_labels(x="TEC", method="spearman", n=60, n_total=293)
    assert list(labels) == list(correlation.ENSEMBLE_STATISTICS)
    assert labels["r"] == "spearman r(TEC, composite), top 60"
    assert labels["r_all"] == "spearman r(TEC, composite), all 293 cities (unselected)"
    assert "share" not in labels["part_whole_difference"]   # r - r_without is a difference, not a share


def test_ensemble_conclusions_by_hand():
    tests = correlation.ensemble_conclusions(n=100, n_total=293, no_association_q95=0.381)
    texts = list(tests)
    assert texts[0].startswith("r(TEC, composite) over the top 100 exceeds 0.381, the 95th percentile")
    assert not any("floor" in t or "share" in t or "Fisher" in t for t in texts)
    base = {"r": 0.36, "r_without": 0.07, "part_whole_difference": 0.29, "mean_rho": 0.18, "r_all": 0.66,
            "mean_rho_all": 0.48, "x_mean_r_with_others": 0.05, "others_mean_r": 0.24, "spread_effect": -0.014,
            "correlation_effect": -0.247}
    # 0.36 < 0.381; 0.29 > 0; 0.66 > 0.36; 0.48 > 0.18; 0.05 < 0.24; 0.247 > 0.014
    assert [t(base) for t, _ in tests.values()] == [False, True, True, True, True, True]
    flipped = {**base, "r": 0.40, "part_whole_difference": -0.01, "r_all": 0.30, "mean_rho_all": 0.1,
               "x_mean_r_with_others": 0.3, "correlation_effect": 0.01}
    assert [t(flipped) for t, _ in tests.values()] == [True, False, False, False, False, False]
    # without the simulated band that test is left out; with no selection (n = n_total) the two all-vs-top tests too
    assert len(correlation.ensemble_conclusions(n=100, n_total=293)) == 5
    assert len(correlation.ensemble_conclusions(n=293, n_total=293)) == 3


@pytest.mark.parametrize("kwargs, name", [({"n": 3}, "n"), ({"n_total": 50}, "n_total"),
                                          ({"no_association_q95": 1.5}, "no_association_q95")], ids=repr)
def test_ensemble_conclusions_bad_arguments_name_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        correlation.ensemble_conclusions(**{"n": 100, "n_total": 293, **kwargs})


def test_ensemble_statistics_callable_reads_a_panel():
    from types import SimpleNamespace

    frame, dims = _panel_frame()
    every, _ = _panel_frame(seed=1, n=90)
    weights = pd.Series(1 / 6, index=dims + ["INDEX"])
    panel = SimpleNamespace(scores=frame, all_scores=every, dimensions=dims, top_code="INDEX",
                            result=SimpleNamespace(weights=weights))
    stats_ = correlation.EnsembleStatistics(n=len(frame), n_total=90, reported_r=0.7561, method="spearman")
    assert stats_(panel) == correlation.ensemble_statistics(frame, dims, "INDEX", x="TEC", method="spearman",
                                                            all_scores=every, weights=weights[dims])
    assert stats_.labels() == correlation.ensemble_labels(x="TEC", method="spearman", n=len(frame), n_total=90)
    assert list(stats_.conclusions()) == list(correlation.ensemble_conclusions(n=len(frame), n_total=90,
                                                                               method="spearman"))
    assert set(stats_.figure_names) <= set(stats_(panel))
    with pytest.raises(ParameterError, match="^n should be"):   # checked when made, not on the first panel
        correlation.EnsembleStatistics(n=2, n_total=90, reported_r=0.7561)


@pytest.mark.parametrize("kwargs, name", [({"n": 2}, "n"), ({"n_total": 10}, "n_total"),
                                          ({"reported_r": 1.5}, "reported_r"), ({"reported_r": "0.75"}, "reported_r"),
                                          ({"x": ""}, "x"), ({"x": 3}, "x"), ({"method": "kendall"}, "method"),
                                          ({"no_association_q95": np.nan}, "no_association_q95")], ids=repr)
def test_ensemble_statistics_callable_checks_each_argument_when_made(kwargs, name):
    # one line naming the argument, at construction (not on the first panel of an ensemble)
    with pytest.raises(ParameterError, match=f"^{name} should be") as err:
        correlation.EnsembleStatistics(**{"n": 100, "n_total": 293, "reported_r": 0.7561, **kwargs})
    assert "\n" not in str(err.value)


# ---- issue 13, REVIEW13a finding 5: each ensemble conclusion declares what its verdict rests on --------------------

def test_ensemble_conclusions_declare_their_basis():
    from cityeval.notebook.spread import BASES

    tests = correlation.ensemble_conclusions(n=100, n_total=293, no_association_q95=0.381)
    bases = {text: basis for text, (_, basis) in tests.items()}
    assert set(bases.values()) <= set(BASES)
    by_start = {text.split(" (")[0]: basis for text, basis in bases.items()}
    # TEC's scores are in no published table: what is about TEC's correlations rests on the generator
    assert by_start["r(TEC, composite) over the top 100 exceeds 0.381, the 95th percentile of what the part-whole "
                    "effect and the selection of the top 100 of 293 give with no association at all"] == "generator"
    assert by_start["TEC's mean correlation with the other dimensions is below the others' mean correlation among "
                    "themselves"] == "generator"
    assert by_start["TEC's correlations with the other dimensions move Pearson's r more than the unequal spreads do"] \
        == "generator"
    # selection effects: the all-cities correlations exceed the top 100's because the top 100 are selected
    assert by_start["r(TEC, composite) over all 293 cities exceeds r over the top 100"] == "generator"
    assert by_start["the mean correlation between the dimensions over all 293 cities exceeds that over the top 100"] \
        == "generator"
    # the part-whole construction (equal weights, Pearson): a rule; otherwise the model decides it
    assert by_start["r falls when TEC leaves the composite"] == "rule"
    for kwargs in ({"equal_weights": False}, {"method": "spearman"}):
        other = correlation.ensemble_conclusions(n=100, n_total=293, **kwargs)
        assert {b for t, (_, b) in other.items() if t.startswith("r falls")} == {"model"}
    # EnsembleStatistics passes its choices on
    assert correlation.EnsembleStatistics(n=100, n_total=293, reported_r=0.7561).conclusions().keys() == \
        correlation.ensemble_conclusions(n=100, n_total=293).keys()


def test_the_part_whole_rule_holds_whatever_the_data():
    # the "rule" basis: with C = (X + (k-1) M) / k, M the mean of the others, Y = (k-1) M, rho = r(X, M) and
    # s = sd(Y) / sd(X), r(X, C) = (1 + rho s) / sqrt(1 + 2 rho s + s^2) > rho for every |rho| < 1 (hand: positive
    # when 1 + rho s > 0 >= rho; else compare squares, (1 + rho s)^2 - rho^2 (1 + 2 rho s + s^2) = (1 - rho^2)
    # (1 + 2 rho s), positive for rho >= 0 and negative, i.e. |r(X, C)| < |rho| with both negative, when
    # 1 + 2 rho s < 0). Checked with numpy on 3000 random panels of arbitrary spreads and correlations of either sign.
    rng = np.random.default_rng(13)
    negative = 0
    for _ in range(3000):
        loadings = rng.uniform(-1, 1, 6)
        x = rng.standard_normal((40, 1)) * loadings + rng.standard_normal((40, 6)) * rng.uniform(0.05, 3, 6)
        x *= rng.uniform(0.01, 10, 6)
        m = x[:, 1:].mean(axis=1)
        rho = np.corrcoef(x[:, 0], m)[0, 1]
        negative += rho < 0
        assert np.corrcoef(x[:, 0], x.mean(axis=1))[0, 1] > rho
    assert negative > 500
