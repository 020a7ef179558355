"""Tests of cityeval.composite.comparison: a method record run with one choice changed at a time.

Reference: each variant's ranks are those of a direct :func:`cityeval.composite.pipeline.run` with the
changed record; the movement table is recomputed by hand from those ranks in the test.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cityeval import paths
from cityeval.composite import framework
from cityeval.composite.comparison import MethodComparison, children_means, compare_methods
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import DataError, ParameterError

TOY = paths.DATA / "examples" / "toy"
METHOD = {"treat": {"method": "jrc"}, "normalize": {"method": "minmax", "low": 1, "high": 100}}
VARIANTS = {
    "treatment": {"JRC rule": {}, "none": {"treat": {"method": "none"}}},
    "normalization": {"rank": {"normalize": {"method": "rank"}}, "z-score": {"normalize": {"method": "zscore"}}},
    "aggregation": {"geometric": {"aggregate": {"method": "geometric"}}},
}


@pytest.fixture(scope="module")
def toy():
    return load_dataset(TOY)


@pytest.fixture(scope="module")
def cmp(toy):
    return compare_methods(toy, METHOD, VARIANTS)


def test_each_variant_is_the_run_of_the_changed_record(toy, cmp):
    assert isinstance(cmp, MethodComparison) and cmp.code == "index"
    assert list(cmp.ranks.columns) == [(g, label) for g, entries in VARIANTS.items() for label in entries]
    base = run(toy, METHOD).ranks["index"]
    # rows sorted by the method's own ranking, best first
    assert list(cmp.ranks.index) == list(base.sort_values().index) and cmp.baseline.is_monotonic_increasing
    for (group, label), changes in [((g, lab), ch) for g, e in VARIANTS.items() for lab, ch in e.items()]:
        if (group, label) == ("aggregation", "geometric"):
            continue
        expected = run(toy, {**METHOD, **changes}).ranks["index"]
        pd.testing.assert_series_equal(cmp.ranks[(group, label)], expected.loc[cmp.ranks.index], check_names=False)


def test_a_variant_the_data_cannot_support_is_recorded_not_raised(cmp):
    # the geometric mean after min-max onto [1, 100] is defined; of z-scores it is not (negative values)
    assert cmp.runs[("aggregation", "geometric")] is not None
    bad = compare_methods(load_dataset(TOY), {"normalize": {"method": "zscore"}},
                          {"aggregation": {"geometric": {"aggregate": {"method": "geometric"}}}})
    assert bad.runs[("aggregation", "geometric")] is None
    assert bad.ranks[("aggregation", "geometric")].isna().all()
    assert "geometric mean needs every value > 0" in bad.reasons["aggregation: geometric"]
    assert bad.not_computable("aggregation") == {"geometric": bad.reasons["aggregation: geometric"]}
    assert bad.movement().loc[("aggregation", "geometric")].tolist()[2] == "not computable"


def test_movement_by_hand(cmp):
    mv = cmp.movement()
    for col in cmp.ranks.columns:
        shift = (cmp.ranks[col].astype(float) - cmp.baseline.astype(float)).abs()
        assert mv.at[col, "cities that move"] == int((shift > 0).sum())
        assert mv.at[col, "largest move (ranks)"] == shift.max()
        firsts = [u for u in cmp.ranks.index if cmp.ranks.at[u, col] == 1]
        assert mv.at[col, "first place"] == ", ".join(firsts)
    # the method itself moves nobody
    assert mv.at[("treatment", "JRC rule"), "cities that move"] == 0


def test_table_weights_and_summary(toy, cmp):
    table = cmp.table()
    assert list(table.columns) == ["index score", "rank", "rank on infra", "rank on economy"]
    assert list(table.index) == list(cmp.ranks.index) and table["rank"].tolist() == sorted(table["rank"].tolist())
    w = compare_methods(toy, METHOD, {"weighting": {m: {"weight": {"method": m}} for m in ("equal", "entropy")}})
    weights = w.weights("weighting")
    pd.testing.assert_series_equal(weights["entropy"], run(toy, {**METHOD, "weight": {"method": "entropy"}}).weights,
                                   check_names=False)
    assert np.allclose(w.weight_sums("weighting"), 1.0) and list(w.weight_sums("weighting").index) == [
        "infra", "economy", "index"]
    # issue 15: the variants equal to the method itself (cmp.nominal) are not counted, nor the ones that cannot
    # be computed; first places come from computable variants only
    t = cmp.tally()
    mv = cmp.movement()
    assert t["changes"] == len(mv) - len(cmp.nominal) and t["computable"] <= t["changes"]
    assert "not computable" not in t["firsts"]
    missing = t["changes"] - t["computable"]
    left = f" ({missing} more cannot be computed)" if missing else ""
    assert cmp.summary() == (f"Illustrative numbers on invented data: {cmp.ranks.index[0]} ranks first on the toy "
                             f"data with the parameters' method; {t['moving']} of {t['computable']} computable "
                             f"one-choice variants move at least one city{left}; first place across variants: "
                             f"{', '.join(sorted(t['firsts']))}.")


def test_results_are_jsonable_and_named_as_notebook_00_records(cmp):
    from cityeval.notebook.results import to_jsonable

    res = cmp.results()
    meta = json.loads((paths.NOTEBOOKS / "00_method_walkthrough.ipynb").read_text(encoding="utf-8"))["metadata"]
    # the notebook adds data_note and (issue 15) summary_zh, the Chinese summary (cityeval.notebook.walkthrough)
    assert set(res) | {"data_note", "summary_zh"} == set(meta["cityeval"]["result_keys"]) | {"summary"}
    doc = to_jsonable(res)
    json.dumps(doc, allow_nan=False)
    assert doc["rank_variants"]["treatment: none"] == {u: float(r) for u, r in cmp.ranks[("treatment", "none")].items()}
    assert doc["rank_movement"]["treatment: JRC rule"] == {"cities_that_move": 0, "largest_move": 0.0,
                                                          "first_place": cmp.ranks.index[0]}


def test_bad_arguments(toy):
    with pytest.raises(ParameterError, match="^dataset should be"):
        compare_methods(toy.values, METHOD, VARIANTS)
    with pytest.raises(ParameterError, match="^normalize method should be one of"):
        compare_methods(toy, METHOD, {"normalization": {"bad": {"normalize": {"method": "minmaxx"}}}})
    with pytest.raises(ParameterError, match="^code should be an aggregate code"):
        compare_methods(toy, METHOD, VARIANTS, code="broadband_speed")
    with pytest.raises(ParameterError, match="^variants should be"):
        compare_methods(toy, METHOD, [("treatment", {})])
    with pytest.raises(DataError, match="geometric"):    # the method itself must run
        compare_methods(toy, {"normalize": {"method": "zscore"}, "aggregate": {"method": "geometric"}}, VARIANTS)


def test_children_means_hand(toy):
    r = run(toy, {})
    means = children_means(r, ["infra", "index"])
    kids = framework.children(toy.indicators, "infra")
    # hand definition: the plain mean of the children's scores
    pd.testing.assert_series_equal(means["infra"], r.scores[kids].mean(axis=1), check_names=False)
    assert np.allclose(means["index"], r.scores[["infra", "economy"]].mean(axis=1))


def test_dataset_files(toy):
    assert toy.files == [TOY / "values.csv", TOY / "indicators.csv", TOY / "method.json"]
    assert Dataset(toy.values, toy.indicators).files == []


@pytest.fixture(scope="module")
def _cmp():
    toy = load_dataset(paths.DATA / "examples" / "toy")
    return compare_methods(toy, None, {"treatment": {"JRC rule": {}, "none": {"treat": {"method": "none"}}}})


@pytest.mark.parametrize("group", ["nogroup", "JRC rule", 1, None])
@pytest.mark.parametrize("name", ["weights", "weight_sums", "not_computable"])
def test_an_unknown_group_is_a_parameter_error(_cmp, name, group):
    # weights("nogroup") raised a KeyError; not_computable("nogroup") returned {}
    with pytest.raises(ParameterError, match="group"):
        getattr(_cmp, name)(group)


@pytest.mark.parametrize("code", [["index"], {"index"}, 3, "nocode"])
def test_compare_methods_code_must_be_an_aggregate_code(code):
    toy = load_dataset(paths.DATA / "examples" / "toy")
    with pytest.raises(ParameterError, match="code"):
        compare_methods(toy, None, {"t": {"none": {"treat": {"method": "none"}}}}, code=code)


# ----------------------------------------------------------------------------- issue 14 finite numbers
def test_issue14_children_means_are_finite_on_the_toy_data():
    from cityeval.composite.comparison import children_means
    from cityeval.composite.pipeline import run as run_pipeline
    r = run_pipeline(load_dataset(paths.DATA / "examples" / "toy"))
    assert np.isfinite(children_means(r, ["infra", "index"]).to_numpy()).all()


def test_summary_names_each_first_place_city_once_when_first_place_is_tied():
    # notebook 00's index line said "first place across variants: Amberfield, Amberfield, Eastvale, ... Juniper Bay,
    # Juniper Bay": a variant with a tie for first reports "A, B", and the set of those strings repeated names.
    # On the lesson data Benefit of the Doubt ties Juniper Bay for first (data/examples/lesson/README.md).
    from cityeval.notebook.walkthrough import walkthrough_variants

    lesson = load_dataset(paths.DATA / "examples" / "lesson")
    cmp = compare_methods(lesson, None, walkthrough_variants(lesson, scale_low=1.0))
    tied = [cell for cell in cmp.movement()["first place"] if ", " in str(cell)]
    assert tied, "the lesson data no longer tie first place in any variant: pick another case"
    listed = cmp.summary().split("first place across variants: ")[1].rstrip(".").split(", ")
    assert len(listed) == len(set(listed)) and set(listed) >= set(tied[0].split(", "))
