"""cityeval.validation: the one vocabulary of checks, and its rule (a bad argument is a ParameterError naming the
parameter; a bad value in the data is a DataError naming the column and unit). Expected messages are the
ParameterError shape of cityeval/errors.py: "<name> should be <allowed>, but its value is <received>."."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.errors import DataError, ParameterError
from cityeval.validation import (SEED_MAX, check_bool, check_choice, check_frame, check_integer, check_number,
                                 check_options, check_sample, check_seed, option_names)


@pytest.mark.parametrize("bad", [-1, 1.5, 2.0, True, np.bool_(False), "7", None, SEED_MAX + 1, 2 ** 64])
def test_a_seed_is_a_whole_number_0_to_2_32_minus_1(bad):
    with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1"):
        check_seed(bad)


@given(st.integers(0, SEED_MAX))
def test_every_32_bit_seed_is_accepted(seed):
    assert check_seed(seed) == seed and type(check_seed(np.uint32(seed))) is int


def test_none_is_a_seed_only_where_fresh_entropy_is_meant():
    assert check_seed(None, allow_none=True) is None
    with pytest.raises(ParameterError, match="or None"):
        check_seed(-3, allow_none=True)


@pytest.mark.parametrize("value, ok", [(0.5, True), (0, False), (1, False), (float("nan"), False),
                                       (float("inf"), False), (True, False), ("0.5", False), (np.float32(0.25), True)])
def test_number_in_an_open_interval(value, ok):
    if ok:
        assert check_number("alpha", value, low=0, high=1, low_open=True, high_open=True) == float(value)
    else:
        with pytest.raises(ParameterError, match=r"^alpha should be a finite number in \(0, 1\), but its value is"):
            check_number("alpha", value, low=0, high=1, low_open=True, high_open=True)


def test_integer_refuses_floats_and_bools_and_names_its_bounds():
    assert check_integer("k", np.int64(3), low=1, high=6) == 3
    for bad in (3.0, True, 0, 7):
        with pytest.raises(ParameterError, match=r"^k should be a whole number between 1 and 6, but its value is"):
            check_integer("k", bad, low=1, high=6)


def test_choice_lists_the_choices():
    assert check_choice("method", "ward", ("kmeans", "ward")) == "ward"
    with pytest.raises(ParameterError, match=r"^method should be one of 'kmeans', 'ward', but its value is 'wrd'\.$"):
        check_choice("method", "wrd", ("kmeans", "ward"))
    with pytest.raises(ParameterError):       # an unhashable value is refused, not a TypeError
        check_choice("method", ["ward"], {"ward": None})


def test_bool_is_only_a_bool():
    assert check_bool("cap", np.bool_(True)) is True
    for bad in (1, 0, "true", None):
        with pytest.raises(ParameterError, match="^cap should be True or False"):
            check_bool("cap", bad)


def test_frame_bad_arguments_are_parameter_errors():
    with pytest.raises(ParameterError, match="^frame should be a pandas DataFrame"):
        check_frame(np.ones((2, 2)))
    with pytest.raises(ParameterError, match=r"at least 2 cities \(rows\)"):
        check_frame(pd.DataFrame({"a": [1.0]}), rows="city", min_rows=2)
    with pytest.raises(ParameterError, match=r"rows = cities, columns = dimension scores"):
        check_frame([[1.0]], rows="city", columns="dimension score")
    with pytest.raises(DataError, match="cities .* must be unique"):
        check_frame(pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"]), rows="city", unique_index=True)


@pytest.mark.parametrize("value, complete, rule", [
    (np.inf, False, "indicator values must be finite"),
    (np.nan, True, "indicator values must be complete and finite"),
])
def test_frame_bad_values_are_data_errors_naming_column_and_unit(value, complete, rule):
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, value]}, index=["a", "b"])
    with pytest.raises(DataError, match=rf"column 'y': {rule}.*unit 'b' has {value}") as info:
        check_frame(frame, complete=complete)
    assert info.value.column == "y"


def test_frame_missing_values_pass_unless_complete_is_asked():
    x = check_frame(pd.DataFrame({"x": [1.0, None]}))
    assert np.isnan(x[1, 0])


def test_frame_labels_and_types():
    with pytest.raises(DataError, match="must be unique.*repeated: x"):
        check_frame(pd.DataFrame([[1.0, 2.0]], columns=["x", "x"]))
    with pytest.raises(DataError, match="must be unique.*repeated: a"):
        check_frame(pd.DataFrame({"x": [1.0, 2.0]}, index=["a", "a"]), unique_index=True)
    with pytest.raises(DataError, match="column 'flag': indicator values must be numeric"):
        check_frame(pd.DataFrame({"x": [1.0], "flag": [True]}))


def test_sample_rule():
    assert check_sample([1, 2, 3]).dtype == float
    with pytest.raises(ParameterError, match="^x should be a one-dimensional sequence"):
        check_sample(3.0)
    with pytest.raises(ParameterError, match=r"one-dimensional .* an array of shape \(2, 2\)"):
        check_sample(np.ones((2, 2)))
    with pytest.raises(ParameterError, match="a sample of at least 4 values"):
        check_sample([1.0, 2.0], min_n=4)
    # bad values in the data: DataError, naming where (the Series' labels)
    with pytest.raises(DataError, match="x: values must be finite.*1 of 2 values, at 上海"):
        check_sample(pd.Series([1.0, np.nan], index=["北京", "上海"]))
    with pytest.raises(DataError, match="values must be >= 0"):
        check_sample([1.0, -2.0], nonnegative=True)
    with pytest.raises(DataError, match="positive total"):
        check_sample([0.0, 0.0], positive_sum=True)


def test_options_are_the_keyword_only_parameters():
    def method(frame, *, low=0.0, high=100.0):
        return frame

    assert option_names(method) == {"low", "high"}
    check_options(method, {"low": 1}, where="normalize(method='m')")
    with pytest.raises(ParameterError, match=r"^option 'lo' of normalize\(method='m'\) should be one of \['high', 'low'\]"):
        check_options(method, {"lo": 1}, where="normalize(method='m')")
