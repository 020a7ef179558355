"""Tests of cityeval.composite.method and the stages' one contract (cityeval.composite._contract).

Issue 11, item 3: every registered method of every stage is ``method(frame, *, <options>)``, its
options are found one way (its keyword-only parameters, less the stage's context), an unknown
method is always ``"<stage> method"``, and every stage function's defaults are the method record's
defaults (:data:`cityeval.composite.method.DEFAULT_METHOD`). The expected values below are read off
DEFAULT_METHOD and the module docstrings.
"""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

from cityeval.composite import aggregation, denomination, imputation, normalization, ranking, treatment, weighting
from cityeval.composite.aggregation import aggregate
from cityeval.composite.denomination import denominate
from cityeval.composite.imputation import impute, screen
from cityeval.composite.method import DEFAULT_METHOD, REGISTRIES, STAGES, record_options, resolve_method
from cityeval.composite.normalization import normalize
from cityeval.composite.ranking import rank
from cityeval.composite.treatment import treat
from cityeval.composite.weighting import weight
from cityeval.errors import ParameterError
from cityeval.validation import option_names

#: Each stage's function, the name of its method argument, and the module that declares its CONTEXT.
STAGE_FUNCTIONS = {
    "denominate": (denominate, "method", denomination),
    "impute": (impute, "method", imputation),
    "screen": (screen, "method", imputation),
    "treat": (treat, "method", treatment),
    "normalize": (normalize, "method", normalization),
    "weight": (weight, "method", weighting),
    "aggregate": (aggregate, "method", aggregation),
    "rank": (rank, "ties", ranking),
}
METHODS = [(stage, name) for stage in STAGES for name in REGISTRIES[stage]]

FRAME = pd.DataFrame({"a": [1.0, 2.0, 4.0, 9.0], "b": [3.0, 1.0, 2.0, 5.0]}, index=list("pqrs"))


@pytest.mark.parametrize("stage", STAGES)
def test_stage_function_defaults_are_the_record_defaults(stage):
    assert set(STAGE_FUNCTIONS) == set(STAGES) == set(REGISTRIES)
    fn, selector, module = STAGE_FUNCTIONS[stage]
    params = inspect.signature(fn).parameters
    record = DEFAULT_METHOD[stage]
    # the default method (treat() used to default to "jrc" and screen() to "availability", the record to "none")
    if stage == "weight":
        # issue 14: the record's default is "given" (the weight column of indicators.csv, as COINr's iMeta
        # Weight); weight() is not given the column, so it defaults to "equal" (documented in method.py)
        assert record[selector] == "given" and params[selector].default == "equal"
        return
    assert params[selector].default == record[selector]
    assert params[selector].kind is inspect.Parameter.KEYWORD_ONLY
    # every option the record states: its default in the method's own signature (the stage functions take
    # **options, so the method's default is the function's default)
    method_fn = REGISTRIES[stage][record[selector]]
    method_params = inspect.signature(method_fn).parameters
    for name, value in record.items():
        if name != selector:
            assert name in method_params and method_params[name].default == value, (stage, name)
    # the option defaults the stage function itself declares, if any, agree with the method's (the context,
    # such as normalize's directions, is the stage function's own argument)
    # (review 2: the former loop here only looked at parameters that no stage function has, so it could not
    # fail.) Options reach the method through **options, and a stage parameter that shares an option's name
    # must have the method's default
    assert stage == "rank" or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()), stage
    shared = [n for n in params if n in method_params and n not in module.CONTEXT and n != selector
              and params[n].kind is inspect.Parameter.KEYWORD_ONLY]
    for name in shared:
        assert params[name].default == method_params[name].default, (stage, name)


@pytest.mark.parametrize("stage, name", METHODS)
def test_every_method_has_the_one_signature(stage, name):
    fn = REGISTRIES[stage][name]
    params = list(inspect.signature(fn).parameters.values())
    assert params[0].name == "frame" and params[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:]), (stage, name)
    # the stage's context is a keyword-only parameter of every one of its methods
    context = STAGE_FUNCTIONS[stage][2].CONTEXT
    assert set(context) <= option_names(fn), (stage, name)


@pytest.mark.parametrize("stage, name", METHODS)
def test_record_options_are_the_keyword_only_parameters(stage, name):
    selector = STAGE_FUNCTIONS[stage][1]
    allowed = record_options(stage, name)
    context = set(STAGE_FUNCTIONS[stage][2].CONTEXT)
    assert allowed == option_names(REGISTRIES[stage][name]) - context - ({"weights"} if stage == "weight" else set())
    params = inspect.signature(REGISTRIES[stage][name]).parameters
    required = {k: 1 for k in allowed if params[k].default is inspect.Parameter.empty}  # AHP's matrix
    for option in allowed:   # each is accepted by name (values are checked when the stage runs)
        resolve_method({stage: {selector: name, **required, option: 1}})
    for option in sorted(context) + ["not_an_option"]:
        with pytest.raises(ParameterError, match=f"^option {option!r} of {stage} should be"):
            resolve_method({stage: {selector: name, **required, option: 1}})


@pytest.mark.parametrize("stage", STAGES)
def test_unknown_method_has_one_wording(stage):
    fn, selector, _ = STAGE_FUNCTIONS[stage]
    expected = "rank method (ties)" if stage == "rank" else f"{stage} method"
    with pytest.raises(ParameterError) as from_record:
        resolve_method({stage: {selector: "no_such_method"}})
    args = {"aggregate": (FRAME, [1, 1]), "rank": (FRAME,)}.get(stage, (FRAME,))
    with pytest.raises(ParameterError) as from_function:
        fn(*args, **{selector: "no_such_method"})
    for err in (from_record.value, from_function.value):
        assert err.name == expected and err.received == "no_such_method"
        assert err.allowed == "one of " + ", ".join(repr(m) for m in REGISTRIES[stage])


def test_sub_entries_say_where():
    with pytest.raises(ParameterError, match=r"^weight method of weight\.by_parent\['P1'\] should be one of"):
        resolve_method({"weight": {"by_parent": {"P1": {"method": "magic"}}}})
    with pytest.raises(ParameterError, match=r"^option 'sd' of aggregate\.by_level\['2'\] should be one of \['shift'\]"):
        resolve_method({"aggregate": {"by_level": {"2": {"method": "geometric", "sd": 1}}}})


def test_given_weights_come_from_the_dataset_not_the_record():
    # weight(method="given") takes weights=...; in a record they are the weight column of indicators.csv
    assert "weights" in option_names(REGISTRIES["weight"]["given"])
    with pytest.raises(ParameterError, match=r"^option 'weights' of weight should be one of \['sum_to'\]"):
        resolve_method({"weight": {"method": "given", "weights": [1, 2]}})
    assert resolve_method({"weight": {"method": "given", "sum_to": 1}})["weight"] == {"method": "given", "sum_to": 1}


def test_group_is_an_option_of_the_group_methods_only():
    assert resolve_method({"impute": {"method": "group_mean", "group": "region"}})["impute"]["group"] == "region"
    with pytest.raises(ParameterError, match="^option 'group' of impute should be absent"):
        resolve_method({"impute": {"method": "mean", "group": "region"}})


def test_winsorise_is_read_as_winsorize():
    rec = resolve_method({"treat": {"method": "winsorise", "winmax": 3}})
    assert rec["treat"] == {"method": "winsorize", "winmax": 3}
    assert resolve_method(rec) == rec                                   # the resolved record reruns as it is


@pytest.mark.parametrize("path", ["data/synthetic/ccid2022/method.json", "data/examples/toy/method.json"])
def test_bundled_records_still_resolve(path):
    import json

    from cityeval import paths
    record = json.loads((paths.ROOT / path).read_text(encoding="utf-8"))
    out = resolve_method(record)
    for stage in STAGES:
        if stage in record:
            assert {k: v for k, v in record[stage].items()} == {k: out[stage][k] for k in record[stage]}


def test_coinr_example_record_still_resolves():
    from cityeval.composite.coinr import COINR_EXAMPLE_METHOD
    out = resolve_method(COINR_EXAMPLE_METHOD)
    assert out["impute"] == {"method": "group_mean", "group": "EurAsia_group"}
    assert out["treat"] == COINR_EXAMPLE_METHOD["treat"] and out["screen"] == COINR_EXAMPLE_METHOD["screen"]


def test_one_constant_columns_helper():
    # weighting and normalization decide "constant" with the same function (issue 11: no duplicate)
    assert weighting.constant_columns is normalization.constant_columns
    x = np.array([[1.0, np.nan], [1.0, 2.0]])
    assert normalization.constant_columns(x).tolist() == [True, True]


# --------------------------------------------------------------------------- review 2: by_level keys


@pytest.mark.parametrize("stage", ["weight", "aggregate"])
@pytest.mark.parametrize("key", [2, "2", np.int64(2)])
def test_by_level_keys_resolve_to_the_level_string(stage, key):
    # an int key stayed an int and matched nothing in run(); record_json() then wrote "2"
    resolved = resolve_method({stage: {"by_level": {key: {}}}})
    assert list(resolved[stage]["by_level"]) == ["2"]


@pytest.mark.parametrize("stage", ["weight", "aggregate"])
@pytest.mark.parametrize("key", ["02", "1", "0", 1, True, 2.0, "2.0", "x", "", "٢"])
def test_by_level_keys_that_are_no_aggregated_level_are_refused(stage, key):
    with pytest.raises(ParameterError, match=f"{stage}.by_level key"):
        resolve_method({stage: {"by_level": {key: {}}}})


def test_the_same_level_twice_is_refused():
    with pytest.raises(ParameterError, match="each level once"):
        resolve_method({"weight": {"by_level": {2: {}, "2": {"method": "std"}}}})


@pytest.mark.parametrize("record", [{"weight": {"method": "ahp"}},
                                    {"weight": {"by_parent": {"P1": {"method": "ahp"}}}}])
def test_a_required_option_missing_from_the_record_is_refused(record):
    # AHP without a matrix used to fail at run time with a TypeError
    with pytest.raises(ParameterError, match="option 'matrix'"):
        resolve_method(record)


# ---- issue 14: options that do nothing, and numbers a float cannot hold --------------------------------------
# Expected values: the issue's examples (section 3, "Options that do nothing are errors"; section 4, "Integers too
# large for a float in method.json"), and hand-worked lines of the small JSON texts below.

import json as _json  # noqa: E402

from cityeval import paths  # noqa: E402
from cityeval.composite.dataset import load_dataset  # noqa: E402
from cityeval.composite.method import check_overrides, check_weight_column, read_json_object  # noqa: E402
from cityeval.composite.pipeline import run  # noqa: E402
from cityeval.errors import DataError  # noqa: E402

TOY = paths.DATA / "examples" / "toy"
BIG = "1" + "0" * 400


@pytest.mark.parametrize("text, line, fragment", [
    ('{"weight": {"method": "equal"},\n"weight": {"method": "given"}}', 2, r"\(weight, first on line 1\)"),
    ('{"normalize": {"low": 0,\n\n "low": 1}}', 3, r"\(normalize\.low, first on line 1\)"),
    ('{"weight": {"by_parent": {"infra": {"method": "equal"},\n "infra": {"method": "entropy"}}}}', 2,
     r"weight\.by_parent\.infra"),
    ('{"normalize": {"method": "distance_to_target", "targets": [{"a": 1, "a": 2}]}}', 1, r"targets\[0\]\.a"),
])
def test_a_key_given_twice_is_an_error_naming_the_key_and_its_line(tmp_path, text, line, fragment):
    # before: json.loads kept the last value silently
    f = tmp_path / "method.json"
    f.write_text(text)
    with pytest.raises(DataError, match="a key given twice") as err:
        read_json_object(f)
    assert err.value.row == line and err.value.path == f
    assert __import__("re").search(fragment, str(err.value))


@pytest.mark.parametrize("literal, fragment", [
    (BIG, "an integer of 401 digits"), ("-" + BIG, "an integer of 401 digits"), ("1e400", "is 1e400"),
    ("-2.5E+309", "is -2.5E+309"), ("1" + "0" * 5000, "an integer of 5001 digits"),   # beyond str(int)'s limit
])
def test_a_number_too_large_for_a_float_is_one_error_naming_the_key(tmp_path, literal, fragment):
    # before: a 401-digit integer gave a TypeError/OverflowError traceback (or a 400-digit message)
    f = tmp_path / "method.json"
    f.write_text('{"normalize": {"method": "minmax",\n "high": ' + literal + "}}")
    with pytest.raises(DataError, match="too large for a float") as err:
        read_json_object(f)
    assert err.value.row == 2 and "normalize.high" in str(err.value) and fragment in str(err.value)
    assert "\n" not in str(err.value) and len(str(err.value)) < 300


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(tmp_path, literal):
    f = tmp_path / "method.json"
    f.write_text('{"normalize": {"low": ' + literal + "}}")
    with pytest.raises(DataError, match=f"normalize.low is {literal}, which JSON does not allow"):
        read_json_object(f)


def test_the_largest_float_sized_numbers_still_read(tmp_path):
    f = tmp_path / "method.json"
    f.write_text('{"a": 1' + "0" * 308 + ', "b": 1.7976931348623157e308, "c": [1, {"d": null}], "e": "x\\"y"}')
    doc = read_json_object(f)
    assert doc == _json.loads(f.read_text())


def test_resolve_method_refuses_an_integer_too_large_for_a_float_naming_the_key():
    # before: OverflowError traceback from the AHP weights
    record = {"weight": {"by_parent": {"infra": {"method": "ahp", "matrix": [[1, 10 ** 400, 1], [1, 1, 1],
                                                                                [1, 1, 1]]}}}}
    with pytest.raises(ParameterError, match=r"^method\.weight\.by_parent\.infra\.matrix\[0\]\[1\] should be a "
                                             r"number that fits a float .*an integer of 401 digits\.$"):
        resolve_method(record)


def _toy():
    return load_dataset(TOY)


@pytest.mark.parametrize("stage, key, value, fragment", [
    ("weight", "by_parent", "Infra", "did you mean 'infra'"),             # the example
    ("aggregate", "by_parent", " infra", "did you mean 'infra'"),          # a blank: the same code after stripping
    ("weight", "by_parent", "infar", "did you mean 'infra'"),             # a typo
    ("weight", "by_parent", "stations_5g", r"one of \['infra', 'economy', 'index'\]"),   # an indicator
    ("aggregate", "by_level", "4", r"one of \['2', '3'\]"),
])
def test_an_override_the_tree_does_not_have_is_an_error(stage, key, value, fragment):
    ds = _toy()
    record = resolve_method({stage: {key: {value: {"method": "equal" if stage == "weight" else "geometric"}}}})
    with pytest.raises(ParameterError, match=fragment) as err:
        check_overrides(record, ds.indicators)
    assert f"{stage}.{key} key" in str(err.value) and repr(value) in str(err.value)


def test_the_default_weight_method_honours_the_weight_column():
    # before: weights 100 vs 1 gave identical scores under the default method (issue 14, section 3)
    ds = _toy()
    assert resolve_method({})["weight"] == {"method": "given"}
    meta = ds.indicators.copy()
    meta.loc["broadband_speed", "weight"] = 100.0
    heavy = type(ds)(ds.values, meta, method={"treat": ds.method["treat"]})
    w = run(heavy).weights
    # hand calculation: 100 / (100 + 1 + 1) and 1 / 102 under infra; economy's column is uniform: 1/3 each
    np.testing.assert_allclose(w[["broadband_speed", "stations_5g", "economy"]], [100 / 102, 1 / 102, 1 / 2],
                               rtol=1e-15)
    assert not run(heavy).scores["infra"].equals(run(ds).scores["infra"])


def test_a_uniform_column_gives_exactly_the_equal_weights_scores():
    # the embedded toy has weight 1 everywhere: "given" (the new default) = "equal" (the old one), bit for bit
    ds = _toy()
    given = run(ds)
    equal = run(ds, {**ds.method, "weight": {"method": "equal"}})
    assert given.method["weight"] == {"method": "given"} and equal.method["weight"] == {"method": "equal"}
    pd.testing.assert_frame_equal(given.scores, equal.scores, check_exact=True)
    pd.testing.assert_frame_equal(given.ranks, equal.ranks, check_exact=True)


@pytest.mark.parametrize("record, parent", [
    ({"weight": {"method": "equal"}}, "infra"),
    ({"weight": {"method": "given", "by_level": {"2": {"method": "entropy"}}}}, "infra"),
    ({"weight": {"by_parent": {"infra": {"method": "critic"}}}}, "infra"),
])
def test_a_method_that_ignores_an_unequal_weight_column_is_refused(record, parent):
    ds = _toy()
    meta = ds.indicators.copy()
    meta.loc["broadband_speed", "weight"] = 100.0
    with pytest.raises(DataError, match=f"children of {parent!r} differ") as err:
        check_weight_column(resolve_method(record), meta, path="indicators.csv")
    assert err.value.row == 2 and err.value.column == "weight"      # broadband_speed is line 2 of the toy's table
    # the same record on another parent's unequal column is fine where that parent is weighed by "given"
    meta2 = ds.indicators.copy()
    meta2.loc["digital_gdp_share", "weight"] = 3.0
    rec = resolve_method({"weight": {"by_parent": {"infra": {"method": "critic"}}}})
    check_weight_column(rec, meta2)
