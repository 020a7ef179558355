"""The pipeline: method records, the run level by level, the record that reruns it."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from cityeval.composite import framework
from cityeval import paths
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.errors import DataError, ParameterError
from cityeval.composite.pipeline import DEFAULT_METHOD, resolve_method, run

TOY = paths.DATA / "examples" / "toy"


@pytest.fixture(scope="module")
def toy():
    return load_dataset(TOY)


def small_dataset(x: np.ndarray, directions, *, units=None, method=None) -> Dataset:
    """n units x k indicators, indicators alternately in pillars P0/P1 under index I."""
    n, k = x.shape
    codes = [f"i{j}" for j in range(k)]
    units = units or [f"u{i}" for i in range(n)]
    values = pd.DataFrame(x, index=pd.Index(units, name="unit"), columns=codes)
    rows = [dict(code=c, level=1, parent=f"P{j % 2}" if k > 1 else "P0", direction=directions[j], weight=1.0,
                 measure="outcome", unit="", name_zh="", name_en="") for j, c in enumerate(codes)]
    pillars = ["P0", "P1"] if k > 1 else ["P0"]
    rows += [dict(code=p, level=2, parent="I", direction=1, weight=1.0, measure="", unit="", name_zh="",
                  name_en="") for p in pillars]
    rows.append(dict(code="I", level=3, parent=None, direction=1, weight=1.0, measure="", unit="", name_zh="",
                     name_en=""))
    return Dataset(values, pd.DataFrame(rows).set_index("code"), method=method)


# ---- method records -----------------------------------------------------------------------------


def test_default_method_is_documented_choice():
    m = resolve_method(None)
    assert m == DEFAULT_METHOD
    assert m["normalize"] == {"method": "minmax", "low": 0, "high": 100}
    # the weight column of indicators.csv by default, as COINr uses iMeta's Weight (issue 14)
    assert m["weight"]["method"] == "given" and m["aggregate"]["method"] == "arithmetic"
    assert m["impute"]["method"] == "none" and m["treat"]["method"] == "none"


def test_partial_record_is_completed_and_not_modified():
    given_ = {"normalize": {"high": 10}, "treat": {"method": "jrc"}}
    m = resolve_method(given_)
    assert m["normalize"] == {"method": "minmax", "low": 0, "high": 10}        # default method: options merge
    assert m["treat"] == {"method": "jrc"}
    assert given_ == {"normalize": {"high": 10}, "treat": {"method": "jrc"}}
    m = resolve_method({"normalize": {"method": "zscore"}})                 # another method: its own defaults
    assert m["normalize"] == {"method": "zscore"}


@pytest.mark.parametrize("record,fragment", [
    ({"normalise": {}}, "method key 'normalise' should be one of"),
    ({"normalize": {"method": "minmaxx"}}, "normalize method should be one of"),
    ({"weight": {"method": "entropie"}}, "entropy"),
    ({"aggregate": {"method": "median"}}, "geometric"),
    ({"impute": {"method": "knn"}}, "group_mean"),
    ({"treat": {"method": "jrc", "winmx": 3}}, "option 'winmx' of treat should be one of"),
    ({"normalize": {"method": "minmax", "lo": 0}}, "option 'lo' of normalize"),
    ({"rank": {"ties": "olympic"}}, "rank method (ties) should be one of"),
    ({"rank": {"method": "min"}}, "option 'method' of rank should be absent"),
    ({"synthetic": "yes"}, "method.synthetic should be a bool"),
    ({"normalize": {"low": float("nan")}}, "JSON-serialisable"),
    ({"weight": {"by_level": {"two": {"method": "equal"}}}}, "level number"),
    ({"weight": {"by_parent": {"P1": {"method": "magic"}}}}, "weight method of weight.by_parent['P1']"),
])
def test_bad_records_list_the_valid_choices(record, fragment):
    with pytest.raises(ParameterError, match="should be") as err:
        resolve_method(record)
    assert fragment in str(err.value)


# ---- a run on the toy example -------------------------------------------------------------------


def test_toy_run_levels_are_means_of_children(toy):
    result = run(toy, {})               # the default method (toy's method.json switches treatment on)
    meta = toy.indicators
    norm = result.stages["normalized"]
    assert_allclose(norm.min(), 0, atol=1e-12)
    assert_allclose(norm.max(), 100)
    for parent in ["infra", "economy", "index"]:
        kids = framework.children(meta, parent)
        # equal weights, arithmetic mean: the plain mean of the children (hand definition)
        assert_allclose(result.scores[parent], result.scores[kids].mean(axis=1), rtol=1e-13)
    assert list(result.scores.columns) == framework.topological_order(meta)
    assert list(result.ranks.columns) == ["infra", "economy", "index"]
    # ranks follow the scores, 1 = best
    assert result.ranks["index"].idxmin() == result.scores["index"].idxmax()
    for parent in ["infra", "economy", "index"]:
        w = result.weights[framework.children(meta, parent)]
        assert_allclose(w.sum(), 1.0)
        assert_allclose(w, 1 / len(w))


def test_toy_denominated_and_directions(toy):
    result = run(toy, {})
    # stations per 10,000 people: Harbourton 52000 / 1250 = 41.6 (hand calculation)
    assert_allclose(result.stages["denominated"].at["Harbourton", "stations_5g"], 41.6)
    # outage hours: lower is better, Harbourton has the fewest (1.8) -> 100, Fairbridge the most (8.5) -> 0
    assert result.stages["normalized"].at["Harbourton", "outage_hours"] == 100
    assert result.stages["normalized"].at["Fairbridge", "outage_hours"] == 0


def test_toy_method_json_treats_the_outlier(toy):
    result = run(toy)                                   # toy's method.json: JRC treatment on
    rep = result.treatment
    assert rep.index[rep["failed"]].tolist() == ["stations_5g"]
    assert rep.at["stations_5g", "units_changed"] == "Harbourton"
    # winsorised to the next highest value, Amberfield's 9800 / 820 (hand calculation)
    assert_allclose(result.stages["treated"].at["Harbourton", "stations_5g"], 9800 / 820)


def test_rerun_from_record_alone_is_identical(toy, tmp_path):
    record = {"treat": {"method": "jrc"}, "normalize": {"method": "zscore", "sd": 10, "mean": 50},
              "weight": {"method": "entropy"}, "aggregate": {"method": "geometric"}}
    first = run(toy, record)
    again = run(toy, json.loads(first.record_json()))          # through JSON text
    pd.testing.assert_frame_equal(first.scores, again.scores)
    pd.testing.assert_frame_equal(first.ranks, again.ranks)
    assert again.method == first.method
    # the record saved as method.json beside the data
    folder = toy.with_method(first.method).save(tmp_path / "toy")
    pd.testing.assert_frame_equal(run(load_dataset(folder)).scores, first.scores)


def test_overrides_by_parent_and_level(toy):
    base = run(toy, {"normalize": {"low": 1}})
    mixed = run(toy, {"normalize": {"low": 1}, "aggregate": {"by_parent": {"economy": {"method": "geometric"}},
                                                             "by_level": {"3": {"method": "harmonic"}}}})
    pd.testing.assert_series_equal(mixed.scores["infra"], base.scores["infra"])
    econ = framework.children(toy.indicators, "economy")
    # geometric mean, equal weights (hand definition): exp(mean(log x))
    assert_allclose(mixed.scores["economy"], np.exp(np.log(base.scores[econ]).mean(axis=1)), rtol=1e-12)
    pillars = mixed.scores[["infra", "economy"]]
    assert_allclose(mixed.scores["index"], 2 / (1 / pillars).sum(axis=1), rtol=1e-12)     # harmonic mean


def test_given_weights_from_indicators_csv(toy):
    meta = toy.indicators.copy()
    meta.loc["broadband_speed", "weight"] = 2.0
    ds = Dataset(toy.values, meta)
    result = run(ds, {"weight": {"method": "given"}})
    infra = ["broadband_speed", "stations_5g", "outage_hours"]
    assert_allclose(result.weights[infra], [0.5, 0.25, 0.25])
    n = result.stages["normalized"][infra]
    assert_allclose(result.scores["infra"], n @ np.array([0.5, 0.25, 0.25]), rtol=1e-12)


def test_distance_to_target_uses_indicator_targets(toy):
    result = run(toy, {"normalize": {"method": "distance_to_target"}})
    # broadband target 300 Mbps, worst 150: Amberfield 310 -> 100 * (1 - (300 - 310) / (300 - 150))
    assert_allclose(result.stages["normalized"].at["Amberfield", "broadband_speed"], 100 * (1 + 10 / 150))


def test_missing_values_need_an_imputation_choice():
    x = np.array([[1.0, 2.0], [np.nan, 3.0], [4.0, 5.0]])
    ds = small_dataset(x, [1, 1])
    with pytest.raises(DataError, match="unit 'u1' indicator 'i0'"):
        run(ds)
    skipped = run(ds, {"impute": {"method": "skip"}})
    # u1: P0 has no value; the index is the mean over the available pillar only (COINr's a_amean)
    assert np.isnan(skipped.scores.at["u1", "P0"])
    assert skipped.scores.at["u1", "I"] == skipped.scores.at["u1", "P1"]


def test_screened_units_kept_in_table():
    x = np.array([[1.0, 2.0, 3.0], [np.nan, np.nan, 3.0], [4.0, 5.0, 6.0], [2.0, 1.0, 0.0]])
    result = run(small_dataset(x, [1, 1, 1]), {"impute": {"method": "skip"},
                                               "screen": {"method": "availability", "min_availability": 0.5}})
    assert list(result.scores.index) == ["u0", "u2", "u3"]         # u1 has 1 of 3 values < 0.5
    table = result.table()
    assert list(table.index) == ["u0", "u1", "u2", "u3"]
    assert table["included"].tolist() == [True, False, True, True]
    assert table.loc["u1", ["I", "rank_I"]].isna().all()
    assert list(table.columns) == ["included", "I", "P0", "P1", "rank_I", "rank_P0", "rank_P1"]


def test_group_imputation_needs_a_group_column(toy):
    with pytest.raises(ParameterError, match="region"):
        run(toy, {"impute": {"method": "group_mean", "group": "province"}})
    result = run(toy, {"impute": {"method": "group_mean", "group": "region"}})
    assert result.method["impute"]["group"] == "region"


def test_everything_screened_out_is_an_error():
    x = np.array([[1.0, np.nan], [np.nan, 2.0]])
    with pytest.raises(DataError, match="removed every unit"):
        run(small_dataset(x, [1, 1]), {"impute": {"method": "skip"},
                                       "screen": {"method": "availability", "min_availability": 1.0}})


def test_constant_indicator_is_not_silent():
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    with pytest.raises(DataError, match="constant indicator"):
        run(small_dataset(x, [1, 1]))
    result = run(small_dataset(x, [1, 1]), {"normalize": {"constant": "midpoint"}})
    assert (result.scores["i1"] == 50).all()


# ---- properties ---------------------------------------------------------------------------------

matrices = st.integers(3, 12).flatmap(lambda n: st.lists(
    st.lists(st.integers(0, 1000), min_size=4, max_size=4), min_size=n, max_size=n))


@settings(max_examples=60, deadline=None)
@given(matrices, st.randoms(use_true_random=False))
def test_pipeline_reordering_units_reorders_results_only(rows, rnd):
    x = np.array(rows, dtype=float)
    x[0] = [0, 0, 0, 0]
    x[1] = [1000, 1000, 1000, 1000]            # no constant indicator
    units = [f"u{i}" for i in range(len(x))]
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    record = {"treat": {"method": "jrc"}}
    a_ds = small_dataset(x, [1, -1, 1, 1], units=units)
    b_ds = small_dataset(x[perm], [1, -1, 1, 1], units=[units[i] for i in perm])
    try:
        a = run(a_ds, record)
    except DataError as exc:             # winsorising can leave an indicator constant: same error either way
        with pytest.raises(DataError, match="constant indicator"):
            run(b_ds, record)
        assert "constant indicator" in str(exc)
        return
    b = run(b_ds, record)
    assert list(b.scores.index) == [units[i] for i in perm]
    assert_allclose(b.scores.loc[units].to_numpy(), a.scores.to_numpy(), rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(b.ranks.loc[units], a.ranks)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-500, 500), min_size=2, max_size=20, unique=True))
def test_pipeline_reversing_direction_reverses_ranks(values):
    x = np.array(values, dtype=float)[:, None]
    up = run(small_dataset(x, [1])).ranks["I"]
    down = run(small_dataset(x, [-1])).ranks["I"]
    assert (up + down == len(values) + 1).all()


@settings(max_examples=40, deadline=None)
@given(matrices, st.sampled_from(["equal", "entropy", "critic", "std", "cv"]))
@example(rows=[[0, 0, 0, 0]] * 3, method="critic")   # every indicator the same column: CRITIC undefined
def test_weights_sum_to_one_under_each_parent(rows, method):
    x = np.array(rows, dtype=float) + np.arange(len(rows))[:, None] * 1e-3
    x[0] = 0.0
    x[1] = 1000.0
    ds = small_dataset(x, [1, 1, -1, 1])
    try:
        result = run(ds, {"weight": {"method": method}})
    except DataError as exc:
        # The one documented refusal on these data (every indicator varies, rows 0 and 1 see to that, and
        # min-max keeps the values >= 0 with a positive mean): CRITIC is undefined when every varying
        # indicator of a parent is perfectly correlated with every other (weighting.weight, Notes).
        # It must come as a DataError saying so, with the place in the tree.
        assert method == "critic" and "perfectly correlated" in exc.rule, exc
        assert "weighting and aggregating the children of" in exc.rule
        return
    for parent in ["P0", "P1", "I"]:
        assert_allclose(result.weights[framework.children(ds.indicators, parent)].sum(), 1.0, rtol=1e-12)


# ---- errors keep their class, path and context (issue 11) ----------------------------------------------------------


def _toy_with(tmp_path, record):
    folder = tmp_path / "toy"
    import shutil
    shutil.copytree(TOY, folder)
    (folder / "method.json").write_text(json.dumps(record), encoding="utf-8")
    return load_dataset(folder)


def test_critic_on_identical_indicators_is_a_data_error():
    # the example hypothesis found: every indicator the same column -> every pair perfectly correlated
    x = np.array([[0.0] * 4, [1000.0] * 4, [0.002] * 4])
    with pytest.raises(DataError, match="perfectly correlated") as err:
        run(small_dataset(x, [1, 1, -1, 1]), {"weight": {"method": "critic"}})
    # P1 holds i1 and i3, both higher-is-better: r = 1 (P0's i2 is reversed, r = -1 with i0: defined)
    assert "children of 'P1' at level 2 with critic weights" in err.value.rule


def test_weighting_data_error_keeps_its_class_path_and_column(tmp_path):
    # z-scores are negative somewhere: the geometric mean is undefined (the DataError of aggregation)
    ds = _toy_with(tmp_path, {"normalize": {"method": "zscore"}, "aggregate": {"method": "geometric"}})
    with pytest.raises(DataError) as err:
        run(ds)
    exc = err.value
    assert type(exc) is DataError                                     # not a bare CityevalError
    assert exc.path == ds.path / "values.csv"
    assert exc.column in ds.indicator_codes and "unit" in exc.detail
    assert exc.rule.startswith("weighting and aggregating the children of 'infra' at level 2 with given weights "
                               f"and geometric aggregation (method of {ds.path / 'method.json'}): the geometric mean")


def test_weighting_parameter_error_keeps_its_class_and_values(tmp_path):
    # an AHP matrix that is not reciprocal, for one pillar: the ParameterError of weighting
    matrix = [[1, 2, 3], [0.5, 1, 2], [1, 0.5, 1]]
    ds = _toy_with(tmp_path, {"weight": {"by_parent": {"infra": {"method": "ahp", "matrix": matrix}}}})
    with pytest.raises(ParameterError) as err:
        run(ds)
    exc = err.value
    assert type(exc) is ParameterError
    # matrix[2, 0] = 1 is not the reciprocal of matrix[0, 2] = 3 (infra's children: broadband_speed, stations_5g,
    # outage_hours, in the order of indicators.csv)
    assert exc.name.startswith("matrix['outage_hours', 'broadband_speed'] (weighting and aggregating the children of "
                               "'infra' at level 2 with ahp weights and arithmetic aggregation, method of ")
    assert exc.name.endswith("method.json)") and exc.received == 1.0 and "reciprocal" in exc.allowed


def test_data_error_without_a_folder_says_data(toy):
    ds = Dataset(toy.values, toy.indicators)                            # built in memory: no path
    with pytest.raises(DataError) as err:
        run(ds, {"normalize": {"method": "zscore"}, "aggregate": {"method": "geometric"}})
    assert err.value.path is None and str(err.value).startswith("<data>, column ")


# --------------------------------------------------------------------------- review 2: overrides and context


@pytest.mark.parametrize("key", [2, "2"])
def test_level_override_given_as_int_or_str_applies_and_reruns(toy, key):
    # an int key used to match nothing (the lookup is by str): the scores were the default's
    base = run(toy)
    result = run(toy, {"aggregate": {"by_level": {key: {"method": "geometric", "shift": 1}}}})
    assert not np.allclose(result.scores[["infra", "economy"]], base.scores[["infra", "economy"]])
    assert result.method["aggregate"]["by_level"] == {"2": {"method": "geometric", "shift": 1}}
    again = run(toy, json.loads(result.record_json()))
    pd.testing.assert_frame_equal(again.scores, result.scores)


@pytest.mark.parametrize("stage, key, overrides", [
    ("aggregate", "by_level", {"02": {}}), ("aggregate", "by_level", {"9": {}}), ("weight", "by_level", {"1": {}}),
    ("weight", "by_level", {4: {}}), ("aggregate", "by_level", {True: {}}), ("weight", "by_parent", {"INFRA": {}}),
    ("aggregate", "by_parent", {"broadband_speed": {}}),  # a level-1 code is no parent
])
def test_an_override_that_matches_nothing_is_refused(toy, stage, key, overrides):
    with pytest.raises(ParameterError, match=f"{stage}.{key} key"):
        run(toy, {stage: {key: overrides}})


def test_an_override_that_matches_nothing_names_method_json(toy, tmp_path):
    import shutil
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    (folder / "method.json").write_text(json.dumps({"weight": {"by_parent": {"INFRA": {}}}}))
    with pytest.raises(ParameterError, match="method.json"):
        run(load_dataset(folder))


@pytest.mark.parametrize("record, cls, fragment", [
    ({"normalize": {"high": -1}}, ParameterError, r"high \(normalize stage, method 'minmax'\)"),
    ({"normalize": {"method": "zscore", "sd": 0}}, ParameterError, r"sd \(normalize stage"),
    ({"treat": {"method": "jrc", "winmax": -1}}, ParameterError, r"winmax \(treat stage, method 'jrc'\)"),
    ({"screen": {"method": "availability", "min_availability": 2}}, ParameterError, r"\(screen stage"),
    ({"denominate": {"scale": "x"}}, ParameterError, r"scale \(denominate stage, method 'divide'\)"),
    ({"impute": {"method": "mean"}, "normalize": {"method": "goalposts"}}, ParameterError,
     r"\(normalize stage, method 'goalposts'\)"),
])
def test_every_stage_error_names_the_stage_and_keeps_its_class(toy, record, cls, fragment):
    # only weight and aggregate errors used to name where they arose
    with pytest.raises(cls, match=fragment):
        run(toy, record)


def test_a_stage_data_error_stays_a_data_error_naming_values_csv(toy):
    values = toy.values.copy()
    values.loc[values.index[0], "broadband_speed"] = np.nan
    folder_ds = Dataset(values=values, indicators=toy.indicators, path=toy.path)
    with pytest.raises(DataError, match=r"values\.csv.*impute stage"):
        run(folder_ds)


# ----------------------------------------------------------------------------- issue 14 finite numbers
def test_issue14_tiny_denominator_fails_at_the_denominate_stage(tmp_path):
    folder = tmp_path / "toy"
    shutil.copytree(paths.DATA / "examples" / "toy", folder)
    p = folder / "values.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("Amberfield,East,820,", "Amberfield,East,1e-310,"), encoding="utf-8")
    with pytest.raises(DataError, match="denominate stage.*not finite.*population_10k.*Amberfield") as err:
        run(load_dataset(folder))
    assert err.value.column == "stations_5g"


def test_issue14_huge_outlier_is_winsorised_in_a_run(tmp_path):
    # the issue: 1e308 was "untestable", kept, and every other city scored 0 on the indicator
    folder = tmp_path / "toy"
    shutil.copytree(paths.DATA / "examples" / "toy", folder)
    p = folder / "values.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("Amberfield,East,820,310,", "Amberfield,East,820,1e308,"),
                 encoding="utf-8")
    result = run(load_dataset(folder))
    assert result.treatment.loc["broadband_speed", "action"] == "winsorised"
    assert (result.stages["normalized"]["broadband_speed"].drop("Amberfield") > 0).any()


# ---- issue 14, round 2: options that do nothing, the weight column through the API, warnings, messages ------
import shutil  # noqa: E402  (this section's imports, kept with it)
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from cityeval import paths, run
from cityeval.composite.dataset import load_dataset
from cityeval.composite.imputation import screen
from cityeval.composite.method import resolve_method
from cityeval.composite.treatment import treat
from cityeval.errors import DataError, ParameterError

TOY = paths.DATA / "examples" / "toy"


def _toy(tmp_path, edit=None, values=None, method=False):
    f = tmp_path / "toy"
    shutil.copytree(TOY, f)
    if not method:
        (f / "method.json").unlink()
    if edit:
        p = f / "indicators.csv"
        p.write_text(edit(p.read_text(encoding="utf-8")), encoding="utf-8")
    if values:
        p = f / "values.csv"
        p.write_text(values(p.read_text(encoding="utf-8")), encoding="utf-8")
    return f


def _heavy_5g(text):   # stations_5g weighs 100 within infra (the reviewer's example)
    return text.replace("population_10k,15", "population_10k,15").replace(
        "stations_5g,1,infra,1,1,", "stations_5g,1,infra,1,100,")


# ---- 1. the weight column is checked for every record, whatever its source ------------------------------------

@pytest.mark.parametrize("record", [{"weight": {"method": "equal"}},
                                    {"weight": {"by_parent": {"infra": {"method": "entropy"}}}},
                                    {"weight": {"by_level": {"2": {"method": "equal"}}}}])
def test_run_refuses_a_record_that_would_ignore_unequal_column_weights(tmp_path, record):
    ds = load_dataset(_toy(tmp_path, _heavy_5g))
    assert ds.method is None
    with pytest.raises(DataError, match=r"indicators\.csv, line 3, column 'weight': the weights of the children of "
                                        r"'infra' differ \(broadband_speed 1, stations_5g 100, outage_hours 1\)"):
        run(ds, record)
    # the same record through with_method was already refused: one rule, two doors
    with pytest.raises(DataError, match="the weights of the children of 'infra' differ"):
        ds.with_method(record)


def test_run_column_weights_ignore_is_the_explicit_opt_out(tmp_path):
    ds = load_dataset(_toy(tmp_path, _heavy_5g))
    res = run(ds, {"weight": {"method": "equal"}}, column_weights="ignore")
    # equal weights within infra: 1/3 each (hand calculation), the column's 100 replaced on purpose
    np.testing.assert_allclose(res.weights[["broadband_speed", "stations_5g", "outage_hours"]], [1 / 3] * 3)
    given = run(ds)   # the default "given" honours the 100: 100/102 (hand calculation)
    assert given.weights["stations_5g"] == pytest.approx(100 / 102)
    with pytest.raises(ParameterError, match=r"^column_weights should be one of 'check', 'ignore'"):
        run(ds, column_weights="off")


# ---- 2. options that do nothing are refused ------------------------------------------------------------------

@pytest.mark.parametrize("record, key", [
    ({"screen": {"method": "none", "min_availability": 0.99}}, "min_availability"),
    ({"screen": {"method": "availability", "min_nonzero": 0.5}}, "min_nonzero"),
    ({"screen": {"method": "nonzero", "min_availability": 0.5}}, "min_availability"),
    ({"treat": {"method": "none", "winmax": 5}}, "winmax"),
    ({"treat": {"method": "log", "winmax": 50}}, "winmax"),
    ({"treat": {"method": "none", "exclude": ["stations_5g"]}}, "exclude"),
])
def test_an_option_the_method_does_not_use_is_refused(record, key):
    stage = next(iter(record))
    method = record[stage]["method"]
    with pytest.raises(ParameterError, match=rf"^option '{key}' of {stage} should be absent with method "
                                             rf"'{method}', which does not use it .*so it would do nothing"):
        resolve_method(record)
    fn = screen if stage == "screen" else treat
    frame = pd.DataFrame({"stations_5g": [1.0, 2.0, 3.0, 4.0, 50.0]})
    opts = {k: v for k, v in record[stage].items() if k != "method"}
    with pytest.raises(ParameterError, match=rf"^option '{key}' of {stage}\(method='{method}'\) should be absent"):
        fn(frame, method=method, **opts)


@pytest.mark.parametrize("call, match", [
    (lambda f: screen(f, method="availability", min_availability=0), r"^min_availability should be a share in \(0, 1\]"),
    (lambda f: screen(f, method="nonzero", min_nonzero=0.0), r"^min_nonzero should be a share in \(0, 1\]"),
    (lambda f: treat(f, method="winsorize", winmax=0), r"^winmax should be a whole number >= 1 with method 'winsorize'"),
])
def test_a_value_that_makes_the_method_do_nothing_is_refused(call, match):
    with pytest.raises(ParameterError, match=match):
        call(pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 50.0]}))


@pytest.mark.parametrize("text", ["index,3,,1,1e300,", "index,3,,1,0,", "index,3,,1,2,"])
def test_a_weight_on_a_top_code_is_refused(tmp_path, text):
    f = _toy(tmp_path, lambda t: t.replace("index,3,,1,1,", text))
    with pytest.raises(DataError, match=r"indicators\.csv, line 10, column 'weight': the weight of a top code "
                                        r"\(blank parent\) must be 1"):
        load_dataset(f)


@pytest.mark.parametrize("record, match", [
    ({"aggregate": {"by_level": {"2": {}}}}, r"^aggregate\.by_level\['2'\] should be an entry that differs"),
    ({"aggregate": {"by_level": {"3": {"method": "arithmetic"}}}}, r"^aggregate\.by_level\['3'\] should be an entry"),
    ({"weight": {"by_parent": {"infra": {"method": "given"}}}}, r"^weight\.by_parent\['infra'\] should be an entry"),
    ({"aggregate": {"by_level": {"2": {"method": "geometric"}},
                    "by_parent": {"infra": {"method": "harmonic"}, "economy": {"method": "arithmetic"}}}},
     r"^aggregate\.by_level key should be a level with a parent that has no by_parent override: every parent at "
     r"level 2 \(infra, economy\) has its own"),
])
def test_an_override_that_would_do_nothing_is_refused(record, match):
    with pytest.raises(ParameterError, match=match):
        run(load_dataset(TOY), record)


# ---- 3. no RuntimeWarning on stderr ------------------------------------------------------------------------------

def test_huge_weights_give_no_overflow_warning(tmp_path):
    f = _toy(tmp_path, lambda t: "\n".join(
        ",".join(c if i != 4 or c == "weight" else ("1e308" if not row.startswith("index,") else c)
                 for i, c in enumerate(row.split(","))) for row in t.splitlines()) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(load_dataset(f))
    out = subprocess.run([sys.executable, "-m", "cityeval", "validate", str(f)], capture_output=True, text=True)
    assert "RuntimeWarning" not in out.stderr and out.returncode == 0, out.stderr


# ---- 4. messages show the text as typed ------------------------------------------------------------------------

def test_a_number_too_large_is_shown_as_typed(tmp_path):
    f = _toy(tmp_path, values=lambda t: t.replace("9800,2.1,", "9800,1e400,", 1))
    with pytest.raises(DataError, match=r"values\.csv, line 2, column 'outage_hours': values must be finite numbers "
                                        r".*\(found '1e400'\)"):
        load_dataset(f)
    g = _toy(tmp_path / "w", lambda t: t.replace("stations_5g,1,infra,1,1,", "stations_5g,1,infra,1,1e400,"))
    with pytest.raises(DataError, match=r"line 3, column 'weight': weight must be a number >= 0 \(found '1e400'\)"):
        load_dataset(g)
