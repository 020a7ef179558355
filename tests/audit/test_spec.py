"""Tests of cityeval.audit.spec: the spec's schema, its file, the notebook's spec of alternatives.

Reference values: the spec file data/examples/coinr_asem_uncertainty.json (COINr's documented
uncertainty analysis, tests/results/coinr_asem_audit.py); the spec notebook 09 wrote by hand before
issue 11 (benchmarks/baseline/results-before-layout/09_robustness.json, ``results.spec``).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cityeval import paths
from cityeval.audit import alternatives_spec, check_spec, load_spec, option_label
from cityeval.audit.spec import merge_entry
from cityeval.errors import DataError, ParameterError
from results import coinr_asem_audit as ASEM

ASEM_SPEC = paths.DATA / "examples" / "coinr_asem_uncertainty.json"
BASELINE_09 = (Path(__file__).resolve().parents[2] / "benchmarks" / "baseline" / "results-before-layout"
               / "09_robustness.json")


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
     r"options\[0\].method should be one of 'arithmetic', 'geometric'"),
    ({"choices": {"aggregate": {"options": [{"method": "geometric", "shift": 1}]}}}, "key 'shift'"),
    ({"choices": {"weights": {"perturbation": {"2": 1.0}}}}, r"should be a fraction in \(0, 1\)"),
    # an audit in which nothing varies (issue 14): no choice, a perturbation of 0, an option its method ignores
    ({"choices": {}}, r"spec.choices should be an object naming at least one uncertain input .*nothing varies"),
    ({"choices": {"weights": {"perturbation": {"2": 0}}}}, r"perturbation\['2'\] should be a fraction in \(0, 1\) "
                                                           r"\(0.25 for ±25%; 0 perturbs nothing"),
    ({"choices": {"treat": {"options": [{"method": "log", "winmax": 50}]}}},
     r"options\[0\] should be a valid treat entry \(option 'winmax' of treat should be absent with method 'log'"),
    ({"choices": {"treat": {"options": [{"exclude": ["a"], "min_nonzero": 0.5}]}}}, r"options\[0\] should be a valid"),
    ({"choices": {"weights": {"perturbation": {"pillar": 0.2}}}}, "should be a level number"),
    ({"choices": {"weights": {"perturbation": {}}}}, "non-empty object"),
    ({"choices": {"weights": {"perturbation": {"2": 0.2}, "distribution": "normal"}}}, "'uniform'"),
    ({"choices": {}, "n": 0}, "spec.n should be a whole number >= 1"),
    ({"choices": {}, "seed": -1}, r"spec.seed should be a whole number between 0 and 2\*\*32 - 1"),
])
def test_spec_errors(spec, match):
    with pytest.raises(ParameterError, match=match):
        check_spec(spec)


def test_spec_file_of_the_coinr_example_is_valid():
    spec = load_spec(ASEM_SPEC)
    assert spec["n"] == 100 and list(spec["choices"]) == ["treat", "normalize", "weights", "aggregate"]
    assert [o["winmax"] for o in spec["choices"]["treat"]["options"]] == list(ASEM.WINMAX)
    assert spec["choices"]["weights"]["perturbation"] == {"2": 0.25, "3": 0.25}


# ------------------------------------------------------------------------------- the shared vocabulary


@pytest.mark.parametrize("seed", [-1, 1.5, True, 2**32, "1", np.float64(1.0), [1]])
def test_spec_seed_is_a_32_bit_whole_number(seed):
    # one rule for every seed (cityeval.validation.check_seed); the old check let 2**32 and above through
    with pytest.raises(ParameterError, match=r"^spec.seed should be a whole number between 0 and 2\*\*32 - 1"):
        check_spec({"choices": {}, "seed": seed})


def test_spec_seed_bounds():
    for seed in (0, 2**32 - 1, np.int64(7), None):
        assert check_spec({"choices": {"weights": {"perturbation": {"2": 0.1}}}, "seed": seed})["seed"] == seed
    with pytest.raises(ParameterError, match=r"^spec.seed should be a whole number between 0 and 2\*\*32 - 1"):
        check_spec({"choices": {}, "seed": 2**32})


def test_spec_perturbation_fraction():
    # any real number in (0, 1) (numpy's included: the old check refused np.float32), stored as a float; 0
    # perturbs nothing and is refused (issue 14)
    for frac in (1e-9, 0.25, np.float32(0.5), np.float64(0.25)):
        out = check_spec({"choices": {"weights": {"perturbation": {2: frac}}}})["choices"]["weights"]["perturbation"]
        assert out == {"2": float(frac)} and type(out["2"]) is float
    for frac in (np.nan, np.inf, -0.1, 0, 0.0, 1.0, True, "0.2", None, [0.2]):
        with pytest.raises(ParameterError,
                           match=r"^spec.choices.weights.perturbation\['2'\] should be a fraction in \(0, 1\)"):
            check_spec({"choices": {"weights": {"perturbation": {"2": frac}}}})


def test_spec_perturbation_level_checked():
    # "²" passes str.isdigit(), and the old check then failed in int() with a bare ValueError
    for level in ("²", "0", "-1", "1.5", "", True, 2.0, None):
        with pytest.raises(ParameterError, match=r"^spec.choices.weights.perturbation key should be a level number"):
            check_spec({"choices": {"weights": {"perturbation": {level: 0.2}}}})


def test_load_spec_keeps_the_key_in_a_data_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"choices": {}, "seed": 2**40}), encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.json: not a valid uncertainty spec \(spec.seed should be a whole "
                                        r"number between 0 and 2\*\*32 - 1"):
        load_spec(bad)


# ------------------------------------------------------------------------------- helpers


def test_alternatives_spec_is_notebook_09s_spec():
    # the spec notebook 09 built by hand before issue 11, as recorded in its baseline results file
    recorded = json.loads(BASELINE_09.read_text(encoding="utf-8"))["results"]["spec"]
    spec = alternatives_spec(range(1, 4), 0.25, target="INDEX", description=recorded["description"])
    assert spec == recorded
    assert list(spec["choices"]) == ["weights", "normalize", "aggregate"]   # the order of the Sobol' inputs
    with pytest.raises(ParameterError, match=r"perturbation\['1'\] should be a fraction"):
        alternatives_spec([1], 1.5)


def test_merge_entry_and_option_label():
    # the pipeline's merging rule (cityeval.composite.method), over the nominal entry
    nominal = {"method": "jrc", "winmax": 5, "skew_thresh": 2.0, "by_level": {"2": {}}}
    assert merge_entry(nominal, {"winmax": 1}) == {"method": "jrc", "winmax": 1, "skew_thresh": 2.0}
    assert merge_entry(nominal, {"method": "jrc", "winmax": 2})["winmax"] == 2
    assert merge_entry(nominal, {"method": "none"}) == {"method": "none"}
    # labels as in the scenarios table of notebook 09's results ("minmax(low=1, high=100)")
    assert option_label({"method": "minmax", "low": 1, "high": 100}) == "minmax(low=1, high=100)"
    assert option_label({"method": "zscore", "mean": 10, "sd": 2.5}) == "zscore(mean=10, sd=2.5)"
    assert option_label({"winmax": 3}) == "winmax=3" and option_label({}) == "nominal"
    assert option_label({"method": "geometric"}) == "geometric"


# ---- issue 14: keys given twice or colliding after parsing, numbers a float cannot hold -----------------------
def test_a_spec_file_giving_a_key_twice_is_an_error_naming_the_key_and_line(tmp_path):
    # before: json.loads kept the second "normalize" silently
    f = tmp_path / "spec.json"
    f.write_text('{"choices": {\n "normalize": {"options": [{"method": "rank"}]},\n'
                 ' "normalize": {"options": [{"method": "zscore"}]}}}')
    with pytest.raises(DataError, match=r"line 3: a key given twice .*choices\.normalize, first on line 2") as err:
        load_spec(f)
    assert err.value.path == f


@pytest.mark.parametrize("pert", [{"2": 0.1, 2: 0.3}, {"2": 0.1, "02": 0.3}])
def test_perturbation_levels_that_are_one_level_after_parsing_are_refused(pert):
    # before: {"2": 0.1, 2: 0.3} became {"2": 0.3}
    with pytest.raises(ParameterError, match=r"perturbation key should be a level given once"):
        check_spec({"choices": {"weights": {"perturbation": pert}}})


def test_a_spec_number_too_large_for_a_float_names_the_key(tmp_path):
    f = tmp_path / "spec.json"
    f.write_text('{"choices": {"weights": {"perturbation": {"2": 1' + "0" * 400 + '}}}}')
    with pytest.raises(DataError, match=r"too large for a float .*choices\.weights\.perturbation\.2 is an integer "
                                        r"of 401 digits"):
        load_spec(f)


# ---- issue 14, round 3: two options that are one entry, a pool that cannot fit (holes 12, 16) -------------------
@pytest.mark.parametrize("stage, options, first, second", [
    ("aggregate", [{"method": "arithmetic"}, {"method": "arithmetic"}], 0, 1),     # the reviewer's spec
    ("aggregate", [{"method": "arithmetic"}, {"method": "geometric"}, {"method": "geometric"}], 1, 2),
    ("treat", [{"winmax": 2}, {"winmax": 3}, {"winmax": 2}], 0, 2),                  # no method: as written
    # min-max's defaults are low 0, high 100 (cityeval.composite.normalization): the two read the same
    ("normalize", [{"method": "minmax"}, {"method": "minmax", "low": 0, "high": 100}], 0, 1),
])
def test_two_options_of_a_choice_that_are_one_entry_are_refused(stage, options, first, second):
    spec = {"n": 10, "choices": {stage: {"options": options}}}
    where = rf"spec\.choices\.{stage}\.options"
    with pytest.raises(ParameterError, match=rf"^{where}\[{second}\] should be an option different from "
                                             rf"{where}\[{first}\]"):
        check_spec(spec)


def test_distinct_options_pass():
    spec = {"choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "minmax", "low": 1}]},
                        "treat": {"options": [{"winmax": 1}, {"winmax": 2}]}}}
    assert check_spec(spec)["choices"]["normalize"]["options"][1] == {"method": "minmax", "low": 1}


def test_a_duplicate_option_in_a_spec_file_names_the_file(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"n": 10, "choices": {"aggregate": {"options": [{"method": "arithmetic"},
                                                                              {"method": "arithmetic"}]}}}))
    with pytest.raises(DataError, match=r"spec\.json: not a valid uncertainty spec .*aggregate\.options\[1\] .*"
                                        r"options\[0\]"):
        load_spec(path)


def test_a_weight_pool_that_cannot_fit_blames_the_pool(monkeypatch):
    # the reviewer's spec: pool 10**12 with n 10 was refused as "spec.n ... (an estimated 58.2 TiB)"; each of the
    # pool's sets holds at least one 8-byte weight, so 10**12 sets need 8 TB at the least (1 GiB available here)
    from cityeval import progress
    monkeypatch.setattr(progress, "available_memory", lambda: 2**30)
    spec = {"n": 10, "choices": {"weights": {"pool": 10**12, "perturbation": {"1": 0.1}}}}
    with pytest.raises(ParameterError, match=r"^spec\.choices\.weights\.pool should be a number of weight sets .* "
                                             r"memory available \(1\.0 GiB\), but its value is 1000000000000 "
                                             r"\(an estimated 7\.3 TiB\)"):
        check_spec(spec)
    assert check_spec({**spec, "choices": {"weights": {"pool": 1000, "perturbation": {"1": 0.1}}}})
