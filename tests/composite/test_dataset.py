"""The dataset model: loading, saving, and one bad file per validation rule (cityeval.composite.dataset)."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from cityeval import paths
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.errors import DataError

# A small valid dataset: 4 units, 3 indicators in 2 pillars under one index.
VALUES = """unit,region,pop,a,b,c
u1,East,10,1,5,0.5
u2,East,20,2,,0.7
u3,West,40,3,7,0.2
u4,West,80,4,8,0.9
"""
INDICATORS = """code,level,parent,direction,weight,measure,unit,name_zh,name_en,denominator,target
a,1,P1,1,1,input,count,甲,A,pop,5
b,1,P1,-1,2,outcome,days,乙,B,,
c,1,P2,1,1,outcome,share,丙,C,,
P1,2,I,1,1,,score,一,Pillar 1,,
P2,2,I,1,1,,score,二,Pillar 2,,
I,3,,1,1,,score,指数,Index,,
"""


def write(folder, values=VALUES, indicators=INDICATORS, method=None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "values.csv").write_text(values, encoding="utf-8")
    (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
    if method is not None:
        text = method if isinstance(method, str) else json.dumps(method)
        (folder / "method.json").write_text(text, encoding="utf-8")
    return folder


def edit(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


# ---- a valid dataset ------------------------------------------------------------------------


def test_load_valid_dataset(tmp_path):
    ds = load_dataset(write(tmp_path / "ds"))
    assert list(ds.units) == ["u1", "u2", "u3", "u4"]
    assert ds.indicator_codes == ["a", "b", "c"]
    assert ds.groups == ["region"]
    assert ds.denominators == ["pop"]
    assert ds.values["a"].dtype == np.float64 and ds.values["pop"].dtype == np.float64
    assert pd.api.types.is_string_dtype(ds.values["region"])
    assert math.isnan(ds.values.at["u2", "b"])          # blank cell = missing
    assert ds.directions.to_dict() == {"a": 1, "b": -1, "c": 1}
    assert ds.indicators.at["b", "weight"] == 2.0
    assert ds.indicators.at["I", "parent"] is None
    assert ds.indicators.at["a", "target"] == 5.0
    assert ds.top_level == 3
    assert ds.method is None and not ds.synthetic


def test_na_token_is_missing(tmp_path):
    ds = load_dataset(write(tmp_path / "ds", values=edit(VALUES, "u3,West,40,3,7", "u3,West,40,NA,7")))
    assert math.isnan(ds.values.at["u3", "a"])


def test_save_roundtrip_is_exact_and_keeps_other_files(tmp_path):
    folder = write(tmp_path / "ds", method={"treat": {"method": "jrc"}})
    (folder / "README.md").write_text("data dictionary\n", encoding="utf-8")
    ds = load_dataset(folder)
    ds.values.loc["u1", "c"] = 0.1 + 0.2          # 0.30000000000000004: needs full precision
    ds.save(folder)
    again = load_dataset(folder)
    pd.testing.assert_frame_equal(again.values, ds.values)
    pd.testing.assert_frame_equal(again.indicators, ds.indicators)
    assert again.method == {"treat": {"method": "jrc"}}
    assert (folder / "README.md").read_text(encoding="utf-8") == "data dictionary\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]     # no temporary folder left behind


def test_repeated_loads_are_independent_copies_and_see_edits(tmp_path):
    # load_dataset keeps parsed datasets keyed by the files' contents: a second load of unchanged
    # files is served from memory, but must be a separate object (changing it changes nothing
    # for the next caller), and a file edited in between, even to the same size, is read again.
    folder = write(tmp_path / "ds", method={"treat": {"method": "jrc"}})
    first = load_dataset(folder)
    first.values.loc["u1", "c"] = -999.0
    first.indicators.loc["c", "weight"] = 123.0
    first.method["treat"]["method"] = "none"
    second = load_dataset(folder)
    assert second.values.loc["u1", "c"] != -999.0 and second.indicators.loc["c", "weight"] != 123.0
    assert second.method == {"treat": {"method": "jrc"}} and second.path == folder
    text = (folder / "values.csv").read_text(encoding="utf-8")
    old = text.splitlines()[1]
    new = old[:-1] + ("8" if old[-1] != "8" else "9")                   # same length, another value
    (folder / "values.csv").write_text(text.replace(old, new), encoding="utf-8")
    third = load_dataset(folder)
    assert not third.values.equals(second.values)
    assert load_dataset(folder).values.equals(third.values)


def test_save_new_folder_without_method(tmp_path):
    ds = load_dataset(write(tmp_path / "ds", method={"synthetic": True}))
    ds.method = None
    out = ds.save(tmp_path / "copy")
    assert sorted(p.name for p in out.iterdir()) == ["indicators.csv", "values.csv"]


def test_in_memory_dataset_is_checked():
    values = pd.DataFrame({"a": [1.0, 2.0]}, index=pd.Index(["x", "y"], name="unit"))
    meta = pd.DataFrame({"level": [1, 2], "parent": ["I", None], "direction": [1, 1], "weight": [1.0, 1.0],
                         "measure": ["input", ""], "unit": ["", ""], "name_zh": ["", ""], "name_en": ["", ""]},
                        index=["a", "I"])
    ds = Dataset(values, meta)
    assert ds.indicator_codes == ["a"]
    meta.loc["a", "direction"] = 2
    with pytest.raises(DataError, match="direction must be 1 or -1"):
        Dataset(values, meta)


def test_synthetic_flag_from_path_and_method(tmp_path):
    # issue 14: the path no longer decides (see test_synthetic_is_decided_by_method_json_alone below)
    assert not load_dataset(write(tmp_path / "data" / "synthetic" / "panel")).synthetic
    assert load_dataset(write(tmp_path / "m", method={"synthetic": True})).synthetic
    assert not load_dataset(write(tmp_path / "real")).synthetic


def test_toy_example_loads():
    ds = load_dataset(paths.DATA / "examples" / "toy")
    assert ds.values.shape[0] == 8 and len(ds.indicator_codes) == 6
    assert ds.synthetic


# ---- one bad file per rule ------------------------------------------------------------------

BAD_INDICATORS = [
    # (id, edited indicators.csv, rule fragment, line, column)
    ("duplicate code", INDICATORS + "c,1,P2,1,1,outcome,share,丙,C,,\n", "duplicate code", 8, "code"),
    ("parent missing", edit(INDICATORS, "c,1,P2,", "c,1,P9,"), "parent is not a code", 4, "parent"),
    ("cycle", edit(edit(INDICATORS, "P1,2,I,", "P1,2,P2,"), "P2,2,I,", "P2,2,P1,"),
     "form a cycle", 5, "parent"),
    ("direction 0", edit(INDICATORS, "b,1,P1,-1,", "b,1,P1,0,"), "direction must be 1 or -1", 3, "direction"),
    ("direction text", edit(INDICATORS, "b,1,P1,-1,", "b,1,P1,down,"), "direction must be 1 or -1", 3, "direction"),
    ("negative weight", edit(INDICATORS, "b,1,P1,-1,2,", "b,1,P1,-1,-2,"), "must not be negative", 3, "weight"),
    ("weight text", edit(INDICATORS, "b,1,P1,-1,2,", "b,1,P1,-1,heavy,"), "weight must be a number", 3, "weight"),
    ("measure", edit(INDICATORS, "c,1,P2,1,1,outcome,", "c,1,P2,1,1,output,"), "measure must be input or outcome",
     4, "measure"),
    ("measure blank at level 1", edit(INDICATORS, "c,1,P2,1,1,outcome,", "c,1,P2,1,1,,"),
     "measure is blank; every level-1 indicator needs one: input or outcome", 4, "measure"),
    ("level not whole", edit(INDICATORS, "c,1,P2,", "c,1.5,P2,"), "level must be a whole number", 4, "level"),
    ("level skips", edit(INDICATORS, "I,3,,", "I,4,,"), "exactly one level above", 5, "level"),
    ("no parent below top", edit(INDICATORS, "P2,2,I,", "P2,2,,"), "may have a blank parent", 6, "parent"),
    ("aggregate without child", INDICATORS + "P3,2,I,1,1,,score,三,Pillar 3,,\n", "needs at least one child", 8, "code"),
    ("zero weights", edit(INDICATORS, "c,1,P2,1,1,", "c,1,P2,1,0,"), "must not all be zero", 4, "weight"),
    ("denominator on aggregate", edit(INDICATORS, "P2,2,I,1,1,,score,二,Pillar 2,,", "P2,2,I,1,1,,score,二,Pillar 2,pop,"),
     "only level-1 indicators can have a denominator", 6, "denominator"),
    ("target text", edit(INDICATORS, "a,1,P1,1,1,input,count,甲,A,pop,5", "a,1,P1,1,1,input,count,甲,A,pop,high"),
     "target must be a number", 2, "target"),
    ("unknown denominator", edit(INDICATORS, "A,pop,", "A,people,"), "unknown denominator", 2, "denominator"),
]


@pytest.mark.parametrize("indicators,rule,line,column", [b[1:] for b in BAD_INDICATORS],
                         ids=[b[0] for b in BAD_INDICATORS])
def test_bad_indicators_file(tmp_path, indicators, rule, line, column):
    folder = write(tmp_path / "ds", indicators=indicators)
    with pytest.raises(DataError, match=rule) as err:
        load_dataset(folder)
    assert err.value.path.name == "indicators.csv"
    assert (err.value.row, err.value.column) == (line, column)
    assert "indicators.csv" in str(err.value) and f"line {line}" in str(err.value)


BAD_VALUES = [
    # (id, edited values.csv, rule fragment, line, column)
    ("duplicate unit", VALUES + "u2,West,5,1,1,1\n", "duplicate unit id", 6, "unit"),
    ("blank unit", edit(VALUES, "u3,West", ",West"), "unit id is blank", 4, "unit"),
    ("non-numeric value", edit(VALUES, "u3,West,40,3,7,0.2", "u3,West,40,3,seven,0.2"), "values must be numbers",
     4, "b"),
    ("non-numeric denominator", edit(VALUES, "u4,West,80,", "u4,West,eighty,"), "values must be numbers", 5, "pop"),
    ("infinite value", edit(VALUES, "u1,East,10,1,5,0.5", "u1,East,10,1,5,inf"), "finite", 2, "c"),
    ("indicator without values", "unit,region,pop,a,b,c\nu1,East,10,1,,0.5\nu2,East,20,2,,0.7\n",
     "indicator has no values", None, "b"),
    ("unit without values", edit(VALUES, "u3,West,40,3,7,0.2", "u3,West,40,,,"), "unit has no values", 4, "unit"),
    ("zero denominator", edit(VALUES, "u2,East,20,", "u2,East,0,"), "denominator must be a non-zero number", 3, "pop"),
    ("missing denominator", edit(VALUES, "u2,East,20,", "u2,East,,"), "denominator must be a non-zero number",
     3, "pop"),
    ("unknown numeric column", VALUES.replace("\n", ",1\n").replace("c,1\n", "c,d\n", 1),
     "unknown code", 1, "d"),
    ("aggregate as column", VALUES.replace("\n", ",1\n").replace("c,1\n", "c,P1\n", 1),
     "named after an aggregate", 1, "P1"),
]


@pytest.mark.parametrize("values,rule,line,column", [b[1:] for b in BAD_VALUES], ids=[b[0] for b in BAD_VALUES])
def test_bad_values_file(tmp_path, values, rule, line, column):
    folder = write(tmp_path / "ds", values=values)
    with pytest.raises(DataError, match=rule) as err:
        load_dataset(folder)
    assert err.value.path.name == "values.csv"
    assert (err.value.row, err.value.column) == (line, column)


def test_unknown_code_indicator_without_column(tmp_path):
    values = VALUES.replace(",c\n", ",cc\n", 1)     # indicators.csv says c, values.csv says cc
    with pytest.raises(DataError, match="unknown code") as err:
        load_dataset(write(tmp_path / "ds", values=values))
    assert "'c' (indicators.csv line 4)" in str(err.value)


def test_missing_denominator_allowed_where_nothing_to_divide(tmp_path):
    # u2 has no population but also no value of `a`, the only indicator divided by it
    values = edit(VALUES, "u2,East,20,2,", "u2,East,,,")
    ds = load_dataset(write(tmp_path / "ds", values=values))
    assert math.isnan(ds.values.at["u2", "pop"])


def test_text_column_is_a_group_not_an_error(tmp_path):
    values = VALUES.replace("\n", ",x\n").replace("c,x\n", "c,tier\n", 1)
    assert load_dataset(write(tmp_path / "ds", values=values)).groups == ["region", "tier"]


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="dataset folder not found"):
        load_dataset(tmp_path / "nowhere")


def test_folder_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(DataError, match="found a file"):
        load_dataset(tmp_path / "f")


@pytest.mark.parametrize("name", ["values.csv", "indicators.csv"])
def test_missing_file(tmp_path, name):
    folder = write(tmp_path / "ds")
    (folder / name).unlink()
    with pytest.raises(DataError, match="file not found") as err:
        load_dataset(folder)
    assert err.value.path.name == name


def test_missing_required_indicator_column(tmp_path):
    indicators = INDICATORS.replace("measure,", "", 1)
    with pytest.raises(DataError, match="missing required column"):
        load_dataset(write(tmp_path / "ds", indicators=indicators))


def test_method_json_not_json(tmp_path):
    with pytest.raises(DataError, match="not valid JSON") as err:
        load_dataset(write(tmp_path / "ds", method='{"treat": {"method": "jrc",}\n}'))
    assert err.value.path.name == "method.json" and err.value.row == 1


def test_method_json_unknown_method(tmp_path):
    with pytest.raises(DataError, match="not a valid method record") as err:
        load_dataset(write(tmp_path / "ds", method={"normalize": {"method": "minmaxx"}}))
    assert "minmax" in str(err.value) and "zscore" in str(err.value)   # lists the valid ones


# =============================================================================================================
# issue 14 options: the method record against the folder (section 3 of issue 14; the expected lines are those of
# INDICATORS above: header = line 1, 'a' = line 2, ..., 'I' = line 7)
# =============================================================================================================
from cityeval.errors import ParameterError  # noqa: E402


def test_synthetic_is_decided_by_method_json_alone(tmp_path):
    # before: a folder whose path contained data/synthetic was "illustrative", whatever its method.json said
    assert not load_dataset(write(tmp_path / "data" / "synthetic" / "east")).synthetic
    assert not load_dataset(write(tmp_path / "mydata" / "synthetic_free" / "east", method={})).synthetic
    assert load_dataset(write(tmp_path / "mydata" / "x", method={"synthetic": True})).synthetic
    assert not load_dataset(write(tmp_path / "y", method={"synthetic": False})).synthetic


def test_the_embedded_synthetic_panel_says_so_in_its_method_json():
    folder = paths.DATA / "synthetic" / "ccid2022"
    assert json.loads((folder / "method.json").read_text(encoding="utf-8"))["synthetic"] is True
    assert load_dataset(folder).synthetic


def test_the_synthetic_generator_writes_the_field():
    # what every ensemble member's method.json is written from (cityeval.ccid2022.synthetic.generate -> write_panel)
    import inspect

    from cityeval.ccid2022 import synthetic
    assert '"synthetic": True' in inspect.getsource(synthetic.generate)


@pytest.mark.parametrize("blank_lines", [0, 2])
def test_direction_of_an_aggregate_must_be_1(tmp_path, blank_lines):
    # before: -1 on an aggregate was read, checked and ignored
    text = edit(INDICATORS, "P2,2,I,1,", "P2,2,I,-1,")
    if blank_lines:
        text = edit(text, "\nc,1,P2", "\n" * (blank_lines + 1) + "c,1,P2")
    with pytest.raises(DataError, match="direction of an aggregate") as err:
        load_dataset(write(tmp_path / "ds", indicators=text))
    assert err.value.row == 6 + blank_lines and err.value.column == "direction" and "'P2'" in str(err.value)


def test_an_unequal_weight_column_under_another_weight_method_is_refused(tmp_path):
    # INDICATORS weighs a 1 and b 2 under P1: "equal" would ignore that
    with pytest.raises(DataError, match=r"children of 'P1' differ \(a 1, b 2\).*method 'equal'") as err:
        load_dataset(write(tmp_path / "ds", method={"weight": {"method": "equal"}}))
    # the line of the first child whose weight differs from the most frequent one (a tie: from the first child's)
    assert err.value.path.name == "indicators.csv" and err.value.row == 3 and err.value.column == "weight"
    # P1 weighed by its column, the rest equally (P2 has one child, I's children weigh 1 and 1): accepted
    ds = load_dataset(write(tmp_path / "ok", method={"weight": {"method": "equal", "by_parent": {"P1": {
        "method": "given"}}}}))
    assert ds.method["weight"]["by_parent"] == {"P1": {"method": "given"}}


def test_the_default_honours_the_weight_column(tmp_path):
    from cityeval.composite.pipeline import run
    w = run(load_dataset(write(tmp_path / "ds", method={"impute": {"method": "mean"}}))).weights
    # hand calculation from INDICATORS: a 1/(1+2), b 2/(1+2); P1 and P2 1/2 each
    np.testing.assert_allclose(w[["a", "b", "P1", "P2"]], [1 / 3, 2 / 3, 0.5, 0.5], rtol=1e-15)


def test_an_override_for_a_parent_the_tree_lacks_is_refused_on_load(tmp_path):
    with pytest.raises(ParameterError, match=r"weight\.by_parent key \(method of .*method\.json\) should be a parent "
                                             r"code of the tree \(did you mean 'P1'\?\)"):
        load_dataset(write(tmp_path / "ds", method={"weight": {"by_parent": {"p1": {"method": "given"}}}}))


def test_with_method_checks_the_record_against_the_tree(tmp_path):
    ds = load_dataset(write(tmp_path / "ds"))
    with pytest.raises(ParameterError, match=r"aggregate\.by_level key should be a level of the tree"):
        ds.with_method({"aggregate": {"by_level": {"4": {"method": "geometric"}}}})
    with pytest.raises(DataError, match="children of 'P1' differ"):
        ds.with_method({"weight": {"method": "entropy"}})
    assert ds.with_method(None).method is None


@pytest.mark.parametrize("text, fragment", [
    ('{"weight": {"method": "given"},\n "weight": {"method": "equal"}}', r"line 2: a key given twice"),
    ('{"normalize": {"high": 1' + "0" * 400 + '}}', r"line 1: a number too large for a float .*normalize\.high"),
])
def test_method_json_read_strictly(tmp_path, text, fragment):
    with pytest.raises(DataError, match=fragment) as err:
        load_dataset(write(tmp_path / "ds", method=text))
    assert err.value.path.name == "method.json"


# ---- issue 14 (hole 21): a blank cell of a required column of indicators.csv says it is blank, never "nan"
BLANK_CELLS = [
    # (column, the row of b (line 3) with that cell blank, the message), from INDICATORS above
    ("level", ("b,1,P1,", "b,,P1,"), "level is blank; every row needs a level, a whole number >= 1"),
    ("direction", ("b,1,P1,-1,", "b,1,P1,,"), "direction is blank; every row needs a direction, 1 or -1"),
    ("weight", ("b,1,P1,-1,2,", "b,1,P1,-1,,"), "weight is blank; every row needs a weight, a number >= 0"),
    ("measure", ("b,1,P1,-1,2,outcome,", "b,1,P1,-1,2,,"),
     "measure is blank; every level-1 indicator needs one: input or outcome (or 投入 or 成效)"),
]


@pytest.mark.parametrize("column, change, rule", BLANK_CELLS, ids=[b[0] for b in BLANK_CELLS])
def test_a_blank_required_cell_is_called_blank(tmp_path, column, change, rule):
    folder = write(tmp_path / "ds", indicators=edit(INDICATORS, *change))
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    assert str(err.value) == f"{folder / 'indicators.csv'}, line 3, column '{column}': {rule}"
    assert "nan" not in str(err.value)


@pytest.mark.parametrize("column", ["level", "direction", "weight"])
def test_a_missing_number_in_a_frame_built_in_memory_is_called_blank_too(column):
    ds = load_dataset(paths.DATA / "examples" / "toy")
    meta = ds.indicators.copy()
    meta[column] = meta[column].astype(float)
    meta.iloc[2, meta.columns.get_loc(column)] = np.nan          # outage_hours, the third row: line 4
    with pytest.raises(DataError, match=rf"^indicators\.csv, line 4, column '{column}': {column} is blank"):
        Dataset(ds.values, meta)


def test_na_in_a_required_number_cell_is_shown_as_typed(tmp_path):
    folder = write(tmp_path / "ds", indicators=edit(INDICATORS, "b,1,P1,-1,", "b,1,P1,NA,"))
    with pytest.raises(DataError, match=r"line 3, column 'direction': direction is missing; every row needs a "
                                        r"direction, 1 or -1 \(found 'NA'\)$"):
        load_dataset(folder)


# ---- issue 14 (hole 22): the report's words for a measure are the same values
def test_measure_in_chinese_or_any_case_is_read_as_input_or_outcome(tmp_path):
    chinese = edit(edit(INDICATORS, ",input,", ",投入,"), "b,1,P1,-1,2,outcome,", "b,1,P1,-1,2, Outcome ,")
    chinese = edit(chinese, "c,1,P2,1,1,outcome,", "c,1,P2,1,1,成效,")
    ds = load_dataset(write(tmp_path / "zh", indicators=chinese))
    english = load_dataset(write(tmp_path / "en"))
    assert ds.indicators["measure"].tolist() == english.indicators["measure"].tolist() == \
        ["input", "outcome", "outcome", "", "", ""]


def test_a_wrong_measure_says_which_spellings_are_accepted(tmp_path):
    folder = write(tmp_path / "ds", indicators=edit(INDICATORS, "c,1,P2,1,1,outcome,", "c,1,P2,1,1,产出物,"))
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    assert str(err.value).endswith("line 4, column 'measure': measure must be input or outcome (or 投入 or 成效, "
                                   "the report's words) (found '产出物')")


# ---- issue 14 (hole 20): a method.json option naming what the dataset lacks names the file
@pytest.mark.parametrize("method, fragment", [
    ({"impute": {"method": "group_mean", "group": "regio"}},
     r"^impute\.group \(method of .*/ds/method\.json\) should be a group column of values\.csv \(region\), but its "
     r"value is 'regio'\.$"),
    ({"impute": {"method": "group_median"}}, r"^impute\.group \(method of .*/ds/method\.json\) .* value is None\.$"),
    ({"normalize": {"method": "distance_to_target"}},
     r"^normalize\.targets \(method of .*/ds/method\.json\) should be a target for every indicator .*missing for b, c"),
])
def test_a_method_option_the_dataset_cannot_meet_names_method_json(tmp_path, method, fragment):
    # VALUES has one group column, region; INDICATORS gives a target to a only
    folder = write(tmp_path / "ds", method=method)
    with pytest.raises(ParameterError, match=fragment):
        load_dataset(folder)


def test_with_method_checks_the_options_against_the_dataset_too(tmp_path):
    ds = load_dataset(write(tmp_path / "ds"))
    with pytest.raises(ParameterError, match=r"^impute\.group should be a group column of values\.csv \(region\)"):
        ds.with_method({"impute": {"method": "group_mean", "group": "province"}})
    assert ds.with_method({"impute": {"method": "group_mean", "group": "region"}}).method["impute"]["group"] == "region"
