"""Tests of cityeval.composite.denomination: indicators divided by their denominator columns.

Expected values are hand calculations written out next to each assertion.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from cityeval.composite.denomination import DENOMINATE_METHODS, denominate
from cityeval.errors import DataError, ParameterError

UNITS = ["a", "b", "c", "d"]


def col(values, name="x", index=UNITS):
    return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=index[:len(values)])


def test_denominate_divides_with_scale():
    x = pd.DataFrame({"k": [10.0, 30.0, np.nan], "m": [1.0, 2.0, 3.0]}, index=["u", "v", "w"])
    d = pd.DataFrame({"pop": [3.0, 2.0, 0.0]}, index=["u", "v", "w"])
    out = denominate(x, d, by={"k": "pop"}, scale={"k": 10})
    # hand calculation, x / (pop / 10): u 10 / 0.3, v 30 / 0.2; w has no value, so its zero pop is harmless
    assert_allclose(out["k"].iloc[:2], [10 / 0.3, 30 / 0.2], rtol=1e-15)
    assert np.isnan(out.at["w", "k"])
    assert_array_equal(out["m"], x["m"])                                    # not named: unchanged


def test_denominate_rows_matched_by_unit_id():
    x = pd.DataFrame({"k": [10.0, 30.0]}, index=["u", "v"])
    d = pd.DataFrame({"pop": [3.0, 2.0]}, index=["v", "u"])
    assert denominate(x, d, by={"k": "pop"})["k"].tolist() == [5.0, 10.0]    # 10/2, 30/3


@pytest.mark.parametrize("bad", [0.0, np.nan])
def test_denominate_zero_or_missing_denominator(bad):
    x = pd.DataFrame({"k": [10.0, 30.0]}, index=["u", "v"])
    d = pd.DataFrame({"pop": [2.0, bad]}, index=["u", "v"])
    with pytest.raises(DataError, match="non-zero number") as err:
        denominate(x, d, by={"k": "pop"})
    assert "'v'" in str(err.value) and err.value.column == "pop"


def test_denominate_none_and_unknown():
    x = col([1, 2])
    assert denominate(x, method="none").equals(x)
    with pytest.raises(ParameterError, match="divide"):
        denominate(x, method="ratio")
    assert set(DENOMINATE_METHODS) == {"none", "divide"}


# ---- the unified checks (issue 11): bad arguments are ParameterErrors, bad data DataErrors ----------------------

X = pd.DataFrame({"k": [10.0, 30.0]}, index=["u", "v"])
D = pd.DataFrame({"pop": [2.0, 3.0]}, index=["u", "v"])


@pytest.mark.parametrize("factor", [True, 0, float("nan"), float("inf"), "10", None])
@pytest.mark.parametrize("method", ["divide", "none"])
def test_scale_must_be_a_finite_non_zero_number(factor, method):
    # a bool is not a number, and a bad factor is refused whatever the method (it used to pass with "none")
    with pytest.raises(ParameterError, match=r"scale\['k'\] should be a finite non-zero number"):
        denominate(X, D, method=method, by={"k": "pop"}, scale={"k": factor})


def test_unknown_option_and_method_wording():
    with pytest.raises(ParameterError, match=r"option 'ratio' of denominate\(method='divide'\) should be one of \['scale'\]"):
        denominate(X, D, by={"k": "pop"}, ratio=2)
    with pytest.raises(ParameterError, match="^denominate method should be one of 'none', 'divide', but its value is"):
        denominate(X, method="per_capita")


@pytest.mark.parametrize("frame, error", [
    ([[1.0, 2.0]], ParameterError),                                                      # not a DataFrame
    (pd.DataFrame({"k": ["ten", "thirty"]}, index=["u", "v"]), DataError),               # non-numeric
    (pd.DataFrame({"k": [10.0, np.inf]}, index=["u", "v"]), DataError),                  # infinite
])
def test_frame_is_checked(frame, error):
    with pytest.raises(error):
        denominate(frame, D, by={"k": "pop"})


_XD = pd.DataFrame({"a": [10.0, 30.0, 5.0]}, index=list("pqr"))
_DD = pd.DataFrame({"pop": [2.0, 3.0, 5.0], "name": list("xyz")}, index=list("pqr"))


@pytest.mark.parametrize("kwargs, name", [
    ({"denominators": _DD, "by": "ab"}, "by"), ({"denominators": _DD, "by": ["a"]}, "by"),
    ({"denominators": [1, 2, 3], "by": {"a": "pop"}}, "denominators"),
    ({"denominators": _DD["pop"], "by": {"a": "pop"}}, "denominators"),
])
def test_bad_by_or_denominators_are_parameter_errors(kwargs, name):
    # used to raise ValueError (dict("ab")) or AttributeError (a list has no .columns)
    with pytest.raises(ParameterError, match=name):
        denominate(_XD, **kwargs)


@pytest.mark.parametrize("column", [list("xyz"), [True, False, True]])
def test_a_non_numeric_denominator_is_a_data_error_naming_the_column(column):
    d = _DD.assign(name=column)
    with pytest.raises(DataError, match="column 'name'"):
        denominate(_XD, d, by={"a": "name"})


@pytest.mark.parametrize("scale", [{"zz": 10}, {"b": 10}, {"a": 10, "c": 2}])
def test_a_scale_factor_for_an_indicator_without_a_denominator_is_refused(scale):
    # review finding: denominate(..., scale={"zz": 10}) had no effect and said nothing; only "a" is divided here
    x = pd.DataFrame({"a": [10.0, 20.0], "b": [1.0, 2.0], "c": [3.0, 4.0]}, index=["u1", "u2"])
    d = pd.DataFrame({"pop": [2.0, 4.0]}, index=["u1", "u2"])
    with pytest.raises(ParameterError, match="^scale should be factors for indicators that have a denominator \\(a\\)"):
        denominate(x, d, by={"a": "pop"}, scale=scale)
    # method "none" keeps the factors of a record that switches denomination off (documented), but only
    # factors that could apply (issue 14: a factor for an unknown code or a code without a denominator is an
    # error under "none" too, whenever `by` is given, as the pipeline always gives it)
    with pytest.raises(ParameterError, match="^scale should be factors for indicators that have a denominator \\(a\\)"):
        denominate(x, d, method="none", by={"a": "pop"}, scale=scale)
    assert denominate(x, d, method="none", by={"a": "pop"}, scale={"a": 10}).equals(x)


# ---- issue 14: a scale factor that would divide nothing, through the pipeline ---------------------------------
@pytest.mark.parametrize("record, fragment", [
    ({"denominate": {"scale": {"stations_5g": 0}}}, r"scale\['stations_5g'\] .* non-zero"),
    ({"denominate": {"scale": {"nosuch": 10}}}, r"factors for nosuch"),
    ({"denominate": {"scale": {"broadband_speed": 10}}}, r"factors for broadband_speed"),
    ({"denominate": {"method": "none", "scale": {"nosuch": 10}}}, r"method 'none'.*factors for nosuch"),
    ({"denominate": {"scale": 5}}, r"scale .* a mapping from indicator codes"),
])
def test_a_scale_that_divides_nothing_is_a_one_line_error(record, fragment):
    from cityeval import paths
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run
    with pytest.raises(ParameterError, match=fragment) as err:
        run(load_dataset(paths.DATA / "examples" / "toy"), record)
    assert "\n" not in str(err.value)
