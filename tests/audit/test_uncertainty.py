"""Tests of cityeval.audit.uncertainty: Sobol' estimators, the vectorised Monte Carlo, the spec, the CLI.

Reference values:
- Ishigami function (a = 7, b = 0.1), analytic indices (Sobol' & Levitan 1999; Saltelli et al.
  2010, Comput. Phys. Commun. 181:259, eq. 37): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437,
  recomputed here from the variance formulas of :func:`cityeval.audit.uncertainty.ishigami_indices`.
- scipy.stats.sobol_indices(func={"f_A": ..., "f_B": ..., "f_AB": ...}, n=n) (scipy >= 1.11): the
  same estimators on the same evaluations, to rounding.
- cityeval.composite.pipeline.run: every scenario of the vectorised engine equals the pipeline run with the
  equivalent method record (the key correctness test).
- COINr's ASEM example (../shared/oracles/coinr-asem/): CHE ranks first in COINr's documented
  nominal pipeline (README: Index 68.38, the highest).
"""
from __future__ import annotations

import doctest
import io
import json

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from cityeval import cli
from cityeval import paths
from cityeval.audit import uncertainty
from cityeval.cli.score import SYNTHETIC_BANNER
from cityeval.composite.coinr import convert_coinr
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.errors import DataError, ParameterError
from cityeval.composite.pipeline import run
from cityeval.audit.uncertainty import (_packed_order, _sorted_ranks, _sorted_ranks_exact, check_spec, ishigami,
                                  ishigami_indices, load_spec, prepare, rank_rows,
                                  sobol_estimates, sobol_matrices)
from markers import requires_coinr

TOY = paths.DATA / "examples" / "toy"
PANEL = paths.DATA / "synthetic" / "ccid2022"
ASEM_SPEC = paths.DATA / "examples" / "coinr_asem_uncertainty.json"

# Scores: the vectorised engine sums the tree in one product (effective weights), the pipeline level
# by level; the two orders of summation differ by a few ulps of a 0-100 score.
SCORES = dict(rtol=1e-12, atol=1e-10)


def assert_engine_equals_pipeline(design, sc, code):
    """Every scenario of ``sc`` scored by the vectorised engine equals cityeval.composite.pipeline.run on the
    equivalent dataset and method record: scores to SCORES, ranks exactly."""
    ranks, scores = design.evaluate(sc), design.evaluate(sc, scores=True)
    for i in range(len(sc)):
        ds, record = design.pipeline_inputs(sc, i)
        res = run(ds, record)
        assert_allclose(scores[i], res.scores[code].to_numpy(), **SCORES)
        assert_array_equal(ranks[i], res.ranks[code].to_numpy(dtype=int))

CHOICE_SPEC = {"choices": {
    "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2}]},
    "weights": {"perturbation": {"1": 0.25, "2": 0.25, "3": 0.25}},
    "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
}}


@pytest.fixture(scope="module")
def panel():
    return load_dataset(PANEL)


@pytest.fixture(scope="module")
def panel_design(panel):
    return prepare(panel, CHOICE_SPEC)


def _skewed_dataset(seed=7):
    """40 units, 6 heavy-tailed indicators (two low-is-better) in two pillars of unequal given weights.

    With seed 7 the JRC rule treats x0 (one outlier) and x1: winmax 1 winsorises x0 and logs x1, winmax 3
    winsorises both, so the four treat options of SKEWED_SPEC give four different data sets."""
    rng = np.random.default_rng(seed)
    codes = [f"x{j}" for j in range(6)]
    x = rng.lognormal(0.0, [0.3, 1.2, 1.5, 0.4, 1.3, 0.8], size=(40, 6))
    x[0, 0] = 20 * x[:, 0].max()          # one gross outlier: a single winsorisation step fixes x0
    values = pd.DataFrame(x, index=pd.Index([f"u{i:02d}" for i in range(40)], name="unit"), columns=codes)
    rows = [{"code": c, "level": 1, "parent": "p1" if j < 3 else "p2", "direction": -1 if j in (2, 4) else 1,
             "weight": [1.0, 2.0, 1.5, 1.0, 0.5, 3.0][j], "measure": "outcome", "unit": "", "name_zh": "",
             "name_en": c} for j, c in enumerate(codes)]
    rows += [{"code": "p1", "level": 2, "parent": "idx", "direction": 1, "weight": 2.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": "p1"},
             {"code": "p2", "level": 2, "parent": "idx", "direction": 1, "weight": 1.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": "p2"},
             {"code": "idx", "level": 3, "parent": None, "direction": 1, "weight": 1.0, "measure": "", "unit": "",
              "name_zh": "", "name_en": "idx"}]
    method = {"treat": {"method": "jrc", "winmax": 5}, "normalize": {"method": "minmax", "low": 1, "high": 100},
              "weight": {"method": "given"}}
    return Dataset(values, pd.DataFrame(rows).set_index("code"), method=method)


SKEWED_SPEC = {"choices": {
    "treat": {"options": [{"winmax": 1}, {"winmax": 3}, {"method": "none"}, {"method": "log"}]},
    "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2},
                              {"method": "rank"}]},
    "weights": {"perturbation": {"1": 0.5, "2": 0.3}},
    "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
}}


# ------------------------------------------------------------------------------- Sobol' estimators


def test_ishigami_analytic_indices():
    first, total = ishigami_indices(7, 0.1)
    # the published values (4 decimals), recomputed from the variance formulas
    assert_allclose(first, [0.3139, 0.4424, 0.0], atol=5e-5)
    assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=5e-5)
    # definition check: V = V1 + V2 + V13 (the only non-zero terms), so S1 + S2 + S13 = 1
    assert_allclose(first.sum() + (total[2] - first[2]), 1.0, rtol=1e-14)


def _ishigami_runs(n, seed):
    A, B = sobol_matrices(n, 3, seed=seed)
    f = lambda u: ishigami(-np.pi + 2 * np.pi * u)  # noqa: E731 - inputs uniform on [-pi, pi]
    f_AB = np.stack([f(np.where(np.arange(3) == i, B, A)) for i in range(3)])
    return f(A), f(B), f_AB


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_sobol_estimates_recover_ishigami(seed):
    n = 2**14
    f_A, f_B, f_AB = _ishigami_runs(n, seed)
    first, total = sobol_estimates(f_A, f_B, f_AB)
    exact_first, exact_total = ishigami_indices()
    # Tolerance from n: 4 standard errors of each estimator as a plain Monte Carlo mean (CLT), computed
    # from the evaluations themselves. Scrambled Sobol' points converge faster than plain MC, so this
    # bounds the error from above; it is about 0.02-0.04 at n = 2**14, and shrinks as 1/sqrt(n).
    mean = (f_A.mean() + f_B.mean()) / 2
    a, b, ab = f_A - mean, f_B - mean, f_AB - mean
    var = (np.mean(a * a) + np.mean(b * b)) / 2
    se_first = (b * (ab - a)).std(axis=1) / np.sqrt(n) / var
    se_total = (0.5 * (a - ab) ** 2).std(axis=1) / np.sqrt(n) / var
    assert np.all(np.abs(first - exact_first) <= 4 * se_first)
    assert np.all(np.abs(total - exact_total) <= 4 * se_total)
    assert se_first.max() < 0.02 and se_total.max() < 0.02     # the bound is tight enough to mean something


def test_sobol_estimates_equal_scipy():
    n = 2**10
    f_A, f_B, f_AB = _ishigami_runs(n, 3)
    # two outputs: the function and its square, to check the output axis
    fa, fb, fab = np.stack([f_A, f_A**2]), np.stack([f_B, f_B**2]), np.stack([f_AB, f_AB**2], axis=1)
    ref = scipy.stats.sobol_indices(func={"f_A": fa, "f_B": fb, "f_AB": fab}, n=n)
    first, total = sobol_estimates(fa, fb, fab)                # (d, s); scipy gives (s, d)
    assert_allclose(first, ref.first_order.T, rtol=1e-12, atol=1e-14)
    assert_allclose(total, ref.total_order.T, rtol=1e-12, atol=1e-14)


def test_sobol_estimates_constant_output_is_zero():
    first, total = sobol_estimates(np.ones(8), np.ones(8), np.ones((2, 8)))
    assert_array_equal(first, 0.0) and assert_array_equal(total, 0.0)
    with pytest.raises(ParameterError, match="shapes"):
        sobol_estimates(np.ones(8), np.ones(7), np.ones((2, 8)))


def test_sobol_matrices_need_a_power_of_two():
    with pytest.raises(ParameterError, match="power of 2"):
        sobol_matrices(100, 3, seed=1)
    A, B = sobol_matrices(64, 3, seed=1)
    assert A.shape == B.shape == (64, 3) and 0 <= A.min() and A.max() < 1
    assert_array_equal(sobol_matrices(64, 3, seed=1)[0], A)


# ------------------------------------------------------------------------------- ranks


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=7, max_size=7), min_size=1, max_size=5),
       st.sampled_from(["min", "dense", "average", "first"]))
def test_rank_rows_equals_pandas(rows, ties):
    s = np.array(rows, dtype=float)          # small integers: many ties
    expected = pd.DataFrame(s.T).rank(axis=0, method=ties, ascending=False).to_numpy().T
    assert_array_equal(rank_rows(s, ties=ties), expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 700), st.sampled_from(["min", "dense", "average"]))
def test_packed_sort_equals_exact_path(seed, n, ties):
    # The packed-key sort must give the argsort path's ranks row by row, also on the cases it
    # cannot vouch for: exact ties, neighbours one ulp apart (same key after truncation), -0.0
    # against 0.0, negative scores, and more than 512 columns (10 index bits).
    rng = np.random.default_rng(seed)
    s = rng.normal(0, 50, (6, n))
    s[1, : n // 2] = s[1, n // 2: 2 * (n // 2)]                     # exact ties
    s[2, 1] = np.nextafter(s[2, 0], np.inf)                          # one ulp apart
    s[3, :2] = [0.0, -0.0]                                           # equal as numbers
    s[4] = np.round(s[4])                                            # many ties
    s[5] = np.abs(s[5]) + 1.0                                        # all positive
    order, ranked = _sorted_ranks(s, ties)
    got = np.empty(s.shape, dtype=np.asarray(ranked).dtype)
    np.put_along_axis(got, order, ranked, axis=1)
    order_x, ranked_x = _sorted_ranks_exact(s, ties)
    expected = np.empty(s.shape, dtype=np.asarray(ranked_x).dtype)
    np.put_along_axis(expected, order_x, ranked_x, axis=1)
    assert_array_equal(got, expected)
    # and the reference is right: pandas on the same rows
    assert_array_equal(expected, pd.DataFrame(s.T).rank(method=ties, ascending=False).to_numpy().T)


def test_packed_order_flags_only_rows_it_cannot_vouch_for():
    # hand-made rows: distinct scores are sorted without a flag; a tie, a one-ulp pair and
    # 0.0 / -0.0 are flagged for the exact sort
    s = np.array([[3.0, 1.0, 2.0, -5.0],
                  [3.0, 1.0, 3.0, 0.5],
                  [1.0, np.nextafter(1.0, 2.0), 7.0, 8.0],
                  [0.0, -0.0, 1.0, 2.0]])
    order, unsure = _packed_order(s, bits=2)
    assert_array_equal(order[0], [3, 1, 2, 0])                       # ascending: -5, 1, 2, 3
    assert_array_equal(unsure, [False, True, True, True])


def test_rank_rows_rejects_unknown_ties():
    with pytest.raises(ParameterError, match="ties should be one of"):
        rank_rows([[1.0, 2.0]], ties="max")


# ------------------------------------------------------------------------------- Monte Carlo


def test_zero_perturbation_single_choice_reproduces_nominal(panel):
    spec = {"choices": {"normalize": {"options": [{"method": "minmax", "low": 0, "high": 100}]},
                        "weights": {"perturbation": {"1": 0.0, "2": 0.0, "3": 0.0}},
                        "aggregate": {"options": [{"method": "arithmetic"}]}}}
    res = prepare(panel, spec).rank_uncertainty(300, seed=5, return_ranks=True)
    nominal = run(panel).ranks["INDEX"]
    assert_array_equal(res.table["nominal"].to_numpy(dtype=float), nominal.to_numpy(dtype=float))
    # every scenario is the nominal ranking, exactly
    assert (res.ranks.to_numpy() == nominal.to_numpy(dtype=int)[None, :]).all()
    for col in ("mean", "median", "q05", "q95"):
        assert_array_equal(res.table[col].to_numpy(), nominal.to_numpy(dtype=float))
    assert_array_equal(res.mean_rank_shift, 0.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scenarios_equal_pipeline_runs_panel(panel, panel_design, seed):
    # every treat x normalize x aggregate combination once, with random weights around nominal
    sc = panel_design.sample(4, seed=seed)
    sc.choice[:] = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1]]      # z-score and geometric included
    assert_engine_equals_pipeline(panel_design, sc, "INDEX")


@pytest.mark.parametrize("seed", [11, 12])
def test_scenarios_equal_pipeline_runs_with_treatment(seed):
    ds = _skewed_dataset()
    design = prepare(ds, SKEWED_SPEC)
    # merged over the nominal entry by the pipeline's rule
    assert design.options["treat"] == [{"method": "jrc", "winmax": 1}, {"method": "jrc", "winmax": 3},
                                       {"method": "none"}, {"method": "log"}]
    sc = design.sample(24, seed=seed)
    sc.choice[:] = np.array([[t, j, a] for t in range(4) for j in range(3) for a in range(2)])
    assert_engine_equals_pipeline(design, sc, "idx")
    # the treatment options really differ (otherwise the test above would prove little)
    assert len({design._base[t, 0].tobytes() for t in range(4)}) == 4


def test_monte_carlo_summary_equals_numpy_on_raw_ranks(panel_design):
    res = panel_design.rank_uncertainty(501, seed=9, return_ranks=True)
    r = res.ranks.to_numpy()
    assert r.shape == (501, 293)
    assert_allclose(res.table["mean"], r.mean(axis=0), rtol=1e-14)
    assert_allclose(res.table["median"], np.median(r, axis=0), rtol=1e-14)
    assert_allclose(res.table["q05"], np.quantile(r, 0.05, axis=0), rtol=1e-14)
    assert_allclose(res.table["q95"], np.quantile(r, 0.95, axis=0), rtol=1e-14)
    nominal = res.table["nominal"].to_numpy(dtype=float)
    assert_allclose(res.mean_rank_shift, np.abs(r - nominal).mean(axis=1), rtol=1e-14)
    # the same summary from the raw matrix (e.g. for a subset of the scenarios)
    pd.testing.assert_frame_equal(uncertainty.summarize_ranks(res.ranks, res.table["nominal"]).astype(float),
                                  res.table.astype(float), check_exact=False, rtol=1e-14)
    # the scenarios are those sample() draws, and the labels follow them
    assert_array_equal(r, panel_design.evaluate(panel_design.sample(501, seed=9)))
    assert set(res.scenarios.columns) == {"normalize", "aggregate"}
    assert set(res.scenarios["aggregate"]) == {"arithmetic", "geometric"}


def test_robust_ranks_and_neighbour_order():
    t = pd.DataFrame({"nominal": pd.array([1, 2, 3, 4], dtype="Int64"), "q05": [1.0, 1.0, 3.0, -2.0],
                      "q95": [1.0, 7.0, 8.1, 4.0]}, index=list("abcd"))
    assert robust_ranks_list(t, 5) == [True, True, False, False]      # c: 8.1 > 3 + 5; d: -2 < 4 - 5
    assert robust_ranks_list(t, 0) == [True, False, False, False]
    with pytest.raises(ParameterError, match="tolerance should be a number of places >= 0"):
        uncertainty.robust_ranks(t, tolerance=-1)
    r = pd.DataFrame({"a": [1, 2, 1, 1], "b": [2, 1, 2, 2], "c": [3, 3, 3, 3], "d": [3, 4, 4, 4]})
    assert_allclose(uncertainty.neighbour_order(r, ["a", "b", "c", "d"]), [0.75, 1.0, 0.75])  # a tie is not "above"
    assert_allclose(uncertainty.neighbour_order(r, ["d", "c"]), [0.0])


def robust_ranks_list(table, tolerance):
    return uncertainty.robust_ranks(table, tolerance=tolerance).tolist()


def test_deterministic_for_a_seed_and_independent_of_chunking(panel_design):
    a = panel_design.rank_uncertainty(400, seed=20221101, return_ranks=True)
    b = panel_design.rank_uncertainty(400, seed=20221101, return_ranks=True, chunk_size=37)
    c = panel_design.rank_uncertainty(400, seed=20221102)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    assert not a.table.equals(c.table)
    s1 = panel_design.sensitivity(64, seed=4, n_boot=50)
    s2 = panel_design.sensitivity(64, seed=4, n_boot=50, chunk_size=10)
    pd.testing.assert_frame_equal(s1.indices, s2.indices)


def test_seed_from_spec_or_recorded(panel):
    spec = {**CHOICE_SPEC, "seed": 3, "n": 50}
    design = prepare(panel, spec)
    res = design.rank_uncertainty()
    assert res.seed == 3 and res.n == 50
    fresh = prepare(panel, CHOICE_SPEC).rank_uncertainty(20)
    again = prepare(panel, CHOICE_SPEC).rank_uncertainty(20, seed=fresh.seed)
    pd.testing.assert_frame_equal(fresh.table, again.table)


def test_sensitivity_indices(panel_design, panel):
    sens = panel_design.sensitivity(128, seed=1, n_boot=200)
    idx = sens.indices
    assert list(idx.index) == ["normalize", "weights", "aggregate"] and sens.evaluations == 128 * 5
    assert (idx["total"] >= 0).all() and (idx["total"] <= 1.2).all()
    assert (idx["first_lo"] <= idx["first_hi"]).all() and (idx["total_lo"] <= idx["total_hi"]).all()
    # an input that changes nothing has indices exactly 0: winsorisation options under the nominal
    # "none" treatment do nothing
    spec = {"choices": {"treat": {"options": [{"winmax": 1}, {"winmax": 5}]},
                        "weights": {"perturbation": {"3": 0.25}}}}
    s = prepare(panel, spec).sensitivity(64, seed=2, n_boot=0)
    assert s.indices.loc["treat", ["first", "total", "rank_first", "rank_total"]].eq(0).all()
    assert s.indices.loc["weights", "total"] > 0 and s.indices["first_lo"].isna().all()
    with pytest.raises(ParameterError, match="power of 2"):
        panel_design.sensitivity(100, seed=1)


# ------------------------------------------------------------------------------- spec validation


@pytest.mark.parametrize("spec, match", [
    ([], "spec should be a dict"),
    ({"choices": {}, "sample": 3}, "spec key 'sample' should be one of"),
    ({}, "spec.choices should be present"),
    ({"choices": {"weighting": {}}}, "spec.choices key 'weighting' should be one of"),
    ({"choices": {"normalize": {"options": []}}}, "spec.choices.normalize.options should be a non-empty list"),
    ({"choices": {"normalize": {"options": [{"method": "minmax"}], "labels": []}}}, "key 'labels'"),
    ({"choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "zcore"}]}}},
     r"spec.choices.normalize.options\[1\] should be a valid normalize entry"),
    ({"choices": {"normalize": {"options": [{"method": "zscore", "center": 3}]}}}, "center"),
    ({"choices": {"aggregate": {"options": [{"method": "harmonic"}]}}},
     r"options\[0\].method should be one of \['arithmetic', 'geometric'\]"),
    ({"choices": {"aggregate": {"options": [{"method": "geometric", "shift": 1}]}}}, "key 'shift'"),
    ({"choices": {"weights": {"perturbation": {"2": 1.0}}}}, r"should be a fraction in \[0, 1\)"),
    ({"choices": {"weights": {"perturbation": {"pillar": 0.2}}}}, "should be a level number"),
    ({"choices": {"weights": {"perturbation": {}}}}, "non-empty object"),
    ({"choices": {"weights": {"perturbation": {"2": 0.2}, "distribution": "normal"}}}, "'uniform'"),
    ({"choices": {}, "n": 0}, "spec.n should be a whole number >= 1"),
    ({"choices": {}, "seed": -1}, "spec.seed should be a whole number >= 0"),
])
def test_spec_errors(spec, match):
    with pytest.raises(ParameterError, match=match):
        check_spec(spec)


def test_spec_errors_against_the_dataset(panel, tmp_path):
    with pytest.raises(ParameterError, match=r"perturbation key '4' should be a level of the codes below 'INDEX'"):
        prepare(panel, {"choices": {"weights": {"perturbation": {"4": 0.1}}}})
    with pytest.raises(ParameterError, match="spec.target should be an aggregate code"):
        prepare(panel, {"target": "inf_5g_bs", "choices": {}})
    # a sub-index as target: only its subtree is weighted
    design = prepare(panel, {"target": "INF", "choices": {"weights": {"perturbation": {"2": 0.2}}}})
    assert design.weight_codes[:3] == ["INF_NET", "INF_PLAT", "INF_DATA"] and len(design.leaves) == 8
    res = design.rank_uncertainty(50, seed=1)
    assert_array_equal(res.table["nominal"].to_numpy(dtype=int), run(panel).ranks["INF"].to_numpy(dtype=int))
    # geometric mean of min-max 0-100 data: zeros, refused before any scenario, naming option, indicator, unit
    with pytest.raises(DataError, match=r"column '.+': geometric aggregation needs every normalized value > 0.*"
                                        r"normalize option 0 'nominal'.*gives 0 for unit"):
        prepare(panel, {"choices": {"aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}}})
    with pytest.raises(ParameterError, match="n should be a whole number >= 1"):
        prepare(panel, CHOICE_SPEC).rank_uncertainty(0)
    bad = tmp_path / "bad.json"
    bad.write_text("{\"choices\": {", encoding="utf-8")
    with pytest.raises(DataError, match="bad.json.*not valid JSON"):
        load_spec(bad)
    bad.write_text(json.dumps({"choices": {"normalize": {"options": "minmax"}}}), encoding="utf-8")
    with pytest.raises(DataError, match="not a valid uncertainty spec.*non-empty list"):
        load_spec(bad)
    with pytest.raises(DataError, match="spec file not found"):
        load_spec(tmp_path / "missing.json")


def test_spec_file_of_the_coinr_example_is_valid():
    spec = load_spec(ASEM_SPEC)
    assert spec["n"] == 100 and list(spec["choices"]) == ["treat", "normalize", "weights", "aggregate"]
    assert [o["winmax"] for o in spec["choices"]["treat"]["options"]] == [1, 2, 3, 4, 5]
    assert spec["choices"]["weights"]["perturbation"] == {"2": 0.25, "3": 0.25}


# ------------------------------------------------------------------------------- COINr's ASEM example


@pytest.fixture(scope="module")
def asem_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("asem") / "asem"
    convert_coinr(paths.COINR_ASEM / "ASEM_iData.csv", paths.COINR_ASEM / "ASEM_iMeta.csv", folder)
    return folder


@requires_coinr
def test_coinr_asem_uncertainty_example(asem_folder):
    ds = load_dataset(asem_folder)
    design = prepare(ds, ASEM_SPEC)
    assert design.factors == ["treat", "normalize", "weights", "aggregate"]
    assert [o["winmax"] for o in design.options["treat"]] == [1, 2, 3, 4, 5]
    assert all(o["method"] == "jrc" for o in design.options["treat"])            # merged over the nominal JRC rule
    assert design.weight_codes[:2] == ["Conn", "Sust"] and len(design.weight_codes) == 2 + 8 + 49
    assert design.dimension == 3 + 2 + 8                                           # 3 discrete + 10 perturbed weights
    res = design.rank_uncertainty()                                                # the spec's N = 100, seed 1
    t = res.table
    assert res.n == 100 and len(t) == 51
    assert t.at["CHE", "nominal"] == 1                                             # COINr's documented top unit
    assert_array_equal(t["nominal"].to_numpy(dtype=int), run(ds).ranks["Index"].to_numpy(dtype=int))
    assert (t["q05"] <= t["median"]).all() and (t["median"] <= t["q95"]).all()
    assert t["q05"].min() >= 1 and t["q95"].max() <= 51
    assert (t["q95"] - t["q05"]).max() > 0                                         # the choices do move ranks
    # scenarios with every winmax, both normalisations and both aggregations equal pipeline runs
    sc = design.sample(20, seed=3)
    sc.choice[:] = np.array([[w, j, a] for w in range(5) for j in range(2) for a in range(2)])
    assert_engine_equals_pipeline(design, sc, "Index")


# ------------------------------------------------------------------------------- command line


def test_cli_registered():
    assert "cityeval.cli.audit" in cli.COMMAND_MODULES
    assert "audit" in cli.build_parser().format_help()


def test_cli_writes_csv(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}}}}), encoding="utf-8")
    out = tmp_path / "out" / "ranks.csv"
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--out", str(out), "--n", "60", "--seed", "4"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == SYNTHETIC_BANNER                 # toy's method.json says synthetic
    assert "60 scenarios, seed 4" in captured.out and "wrote" in captured.out
    table = pd.read_csv(out, index_col="unit")
    assert list(table.columns) == ["nominal", "mean", "median", "q05", "q95"]
    expected = prepare(load_dataset(TOY), load_spec(spec)).rank_uncertainty(60, seed=4).table
    assert_allclose(table.to_numpy(dtype=float), expected.to_numpy(dtype=float), rtol=0, atol=0)
    assert list(table.index) == list(expected.index)
    assert sorted(p.name for p in out.parent.iterdir()) == ["ranks.csv"]              # no temp file left
    # to standard output, with the raw ranks and Sobol' indices
    ranks = tmp_path / "raw.csv"
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "10", "--seed", "4", "--ranks", str(ranks),
                     "--sobol", "16"]) == 0
    captured = capsys.readouterr()
    assert len(pd.read_csv(io.StringIO(captured.out), index_col="unit")) == 8
    assert "Sobol' indices" in captured.err and pd.read_csv(ranks, index_col="scenario").shape == (10, 8)


def test_cli_errors_are_one_line(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"7": 0.25}}}}), encoding="utf-8")
    assert cli.main(["audit", str(TOY), "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(SYNTHETIC_BANNER) and "error: spec.choices.weights.perturbation key '7'" in err
    assert cli.main(["audit", str(TOY), "--spec", str(tmp_path / "none.json")]) == 2
    assert "spec file not found" in capsys.readouterr().err


@requires_coinr
def test_cli_runs_the_coinr_example(asem_folder, tmp_path, capsys):
    out = tmp_path / "asem.csv"
    assert cli.main(["audit", str(asem_folder), "--spec", str(ASEM_SPEC), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert SYNTHETIC_BANNER not in captured.err and "100 scenarios, seed 1" in captured.out
    table = pd.read_csv(out, index_col="unit")
    assert table.at["CHE", "nominal"] == 1 and len(table) == 51


def test_doctests():
    result = doctest.testmod(uncertainty, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 10
