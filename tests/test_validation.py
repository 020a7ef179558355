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


# ---------------------------------------------------------------- check_weight_column (data-side weights)
def test_check_weight_column_returns_the_weights_in_order():
    from cityeval.validation import check_weight_column
    # the values as given (not renormalised), in the Series' order; numeric strings from a CSV read as numbers
    assert check_weight_column(pd.Series([2.0, 0.0, 1.0], index=list("abc"))).tolist() == [2.0, 0.0, 1.0]
    assert check_weight_column(pd.Series(["0.5", 1], index=list("ab"), dtype=object)).tolist() == [0.5, 1.0]


@pytest.mark.parametrize("bad, label", [("x", "b"), (np.nan, "b"), (np.inf, "b"), (-np.inf, "b"), (-0.5, "b"),
                                        (None, "b"), (True, "b")])
def test_check_weight_column_a_bad_weight_is_a_data_error_naming_column_and_label(bad, label):
    from cityeval.validation import check_weight_column
    w = pd.Series([1.0, bad, 2.0], index=list("abc"), dtype=object)
    with pytest.raises(DataError, match=rf"column 'weight': weight values must be finite numbers >= 0 "
                                        rf"\(indicator '{label}' has"):
        check_weight_column(w)


def test_check_weight_column_all_zero_and_not_a_series():
    from cityeval.validation import check_weight_column
    with pytest.raises(DataError, match="column 'w': w values must have a positive sum"):
        check_weight_column(pd.Series([0.0, 0.0], index=["a", "b"]), column="w")
    with pytest.raises(ParameterError, match="^weight should be a pandas Series of weights"):
        check_weight_column([1.0, 2.0])


# ---- review findings: other members of each class of bad input

def test_a_number_too_large_for_a_float_is_refused_not_an_overflow():
    with pytest.raises(ParameterError, match="^x should be a finite number"):
        check_number("x", 10 ** 400)


@pytest.mark.parametrize("value", [np.array([1, 2]), pd.Series(["a"]), True, {"a": 1}])
def test_a_choice_that_is_not_one_value_is_refused(value):
    with pytest.raises(ParameterError, match="^m should be one of"):
        check_choice("m", value, ["a", 1])


@pytest.mark.parametrize("sample", [["1", "2", "3"], [True, False, True], np.array([1 + 2j, 3j, 1]),
                                    pd.Series(["x", "y"])])
def test_a_sample_of_strings_booleans_or_complex_numbers_is_refused(sample):
    with pytest.raises(ParameterError, match="not numeric"):
        check_sample(sample)


def test_a_sample_with_pandas_missing_values_is_a_data_error():
    with pytest.raises(DataError, match="values must be finite"):
        check_sample(pd.Series([1.0, None, 3.0], dtype="Float64"))


def test_a_complex_column_is_refused():
    with pytest.raises(DataError, match="column 'z': indicator values must be numeric"):
        check_frame(pd.DataFrame({"z": np.array([1 + 1j, 2 + 0j])}))


@pytest.mark.parametrize("weights, message", [
    (None, "weights should be a Series or dict"),
    (0.5, "weights should be a Series or dict"),
    ({"a": "1", "b": 1.0}, "weights should be numbers"),
    ([True, 1.0], "weights should be numbers"),
    ([1.0, -1.0], r"weights\['b'\] should be a finite number >= 0"),
    ([0.0, 0.0], "non-negative numbers with a positive sum"),
    ([1.0], "2 weights, one per indicator"),
])
def test_weights_rule(weights, message):
    from cityeval.validation import check_weights

    with pytest.raises(ParameterError, match=message):
        check_weights(weights, ["a", "b"])


def test_weights_in_the_codes_order_and_repeated_codes_refused():
    from cityeval.validation import check_weights

    # a dict in another order, with an extra code: reordered to the codes, the extra ignored (hand-checked)
    np.testing.assert_array_equal(check_weights({"b": 2, "a": 1, "zz": 9}, ["a", "b"]), [1.0, 2.0])
    with pytest.raises(ParameterError, match="codes should be unique"):
        check_weights([1, 1], ["a", "a"])


@pytest.mark.parametrize("value", [float("nan"), [0.1, float("inf")], "1", [True], np.array([], dtype=float)])
def test_numbers_rule(value):
    from cityeval.validation import check_numbers

    with pytest.raises(ParameterError, match="^rho should be a number or an array of numbers, each finite"):
        check_numbers("rho", value, low=-1, high=1)
    np.testing.assert_array_equal(check_numbers("rho", [0.5, -1], low=-1, high=1), [0.5, -1.0])


@pytest.mark.parametrize("values, message", [
    ("equal", r"^weightings should be a sequence of distinct names"),       # a string is not iterated by letter
    ((), r"^weightings should be a sequence of distinct names"),
    (5, r"^weightings should be a sequence of distinct names"),
    ({"equal": 1}, r"^weightings should be a sequence of distinct names"),
    (("equal", "entropi"), r"^weightings\[1\] should be one of 'equal', 'entropy'"),
    (("equal", "equal"), r"repeated: 'equal'"),
    ([["equal"]], r"^weightings should be one of"),
])
def test_choices_rule(values, message):
    from cityeval.validation import check_choices

    with pytest.raises(ParameterError, match=message):
        check_choices("weightings", values, ["equal", "entropy"])
    assert check_choices("weightings", ["entropy", "equal"], ["equal", "entropy"]) == ("entropy", "equal")


@pytest.mark.parametrize("x, cls", [(["a", "b"], ParameterError), ([True, False], ParameterError), ("ab", ParameterError),
                                    (None, ParameterError), (3.0, ParameterError), ([[1.0], [1.0, 2.0]], ParameterError),
                                    (np.ones((2, 2, 2)), ParameterError), ([1.0, np.inf], DataError)])
def test_check_values_refuses_non_numbers_and_infinities_but_keeps_gaps(x, cls):
    from cityeval.validation import check_values

    with pytest.raises(cls):
        check_values("x", x)
    assert np.isnan(check_values("x", [1, None, np.nan])[1:]).all()  # gaps are allowed (NaN)


# ---- issue 14, section 5: numpy scalars in messages are shown as plain numbers, through every check
NUMPY_SCALARS = [np.float64(2018.0), np.float32(0.5), np.float16(1.5), np.int64(7), np.int32(-3), np.uint8(9),
                 np.bool_(True)]


def _numpy_repr_free(exc):
    text = str(exc)
    assert "np." not in text and "numpy" not in text, text
    return text


def _all_checks():
    from cityeval import validation
    return sorted(n for n in validation.__all__ if n.startswith("check_"))


@pytest.mark.parametrize("value", NUMPY_SCALARS, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("check", _all_checks())
def test_numpy_scalars_are_shown_as_plain_numbers_by_every_check(check, value):
    # every check_* of cityeval.validation, fed a numpy scalar it must refuse, names it as Python would print
    # the equal Python value (np.float64(2018.0) -> 2018.0, np.int64(7) -> 7, np.bool_(True) -> True)
    from cityeval import validation

    fn = getattr(validation, check)
    calls = {
        "check_number": lambda: fn("alpha", value, low=1e6),
        "check_integer": lambda: fn("k", value, low=10 ** 6),
        "check_seed": lambda: fn(value if not isinstance(value, np.integer) else np.int64(-1)),
        "check_choice": lambda: fn("method", value, [np.int64(1), np.int64(2)]),
        "check_bool": lambda: fn("flag", value) if not isinstance(value, np.bool_) else fn("flag", np.float64(1.0)),
        "check_choices": lambda: fn("methods", [value, value], [value]),
        "check_numbers": lambda: fn("grid", [value, np.float64(-2.5)], low=1e6),
        "check_power_of_two": lambda: fn("n", value if not isinstance(value, np.integer) else np.int64(3)),
        "check_options": lambda: fn(lambda *, a=1: None, {np.int64(3): value}, where="f()"),
        "check_used_options": lambda: fn("b", {"k": value}, {"a": lambda f, *, k=1: None, "b": lambda f: None},
                                         where="s"),
        "check_weights": lambda: fn({"a": np.float64(-1.0), "b": value}, ["a", "b"]),
        "check_weight_column": lambda: fn(pd.Series([np.float64(-2.0), value], index=[np.int64(4), np.int64(5)])),
        "check_frame": lambda: fn(pd.DataFrame({"x": [np.inf, float(value)]}, index=[np.int64(11), np.int64(12)])),
        "check_sample": lambda: fn(pd.Series([np.nan, float(value)], index=[np.int64(11), np.int64(12)])),
        "check_values": lambda: fn("x", value),
    }
    assert set(calls) == set(_all_checks()), "a new check_* needs a numpy case here"
    with pytest.raises((ParameterError, DataError)) as info:
        calls[check]()
    text = _numpy_repr_free(info.value)
    shown = {np.float64: "2018.0", np.float32: "0.5", np.float16: "1.5", np.int64: "7", np.int32: "-3",
             np.uint8: "9", np.bool_: "True"}[type(value)]
    if check in ("check_number", "check_integer", "check_choice", "check_choices", "check_numbers"):
        assert shown in text, text
    if check in ("check_choice",):
        assert "one of 1, 2" in text, text
    if check in ("check_weight_column", "check_frame"):
        assert " 4 has -2.0" in text or " 11 has inf" in text, text


def test_parameter_and_data_errors_show_numpy_values_plainly():
    # the example: a list of numpy Time values (read_coinr's message) printed np.float64(2018.0)
    from cityeval.errors import CityevalError, plain, plain_text

    err = ParameterError("time", f"one of the Time values {[np.float64(2018.0), np.float64(2019.0)]}", np.int64(2017))
    assert str(err) == "time should be one of the Time values [2018.0, 2019.0], but its value is 2017."
    err = DataError("v.csv", "bad", row=np.int64(3), column=np.str_("a"), detail=f"found {np.float32(0.25)!r}")
    assert str(err) == "v.csv, line 3, column 'a': bad (found 0.25)"
    assert str(CityevalError(f"{np.True_!r} {np.str_('x')!r} {np.uint16(5)!r}")) == "True 'x' 5"
    assert plain({np.int64(1): (np.float64(0.5), [np.bool_(False)])}) == {1: (0.5, [False])}
    assert type(plain(np.int64(1))) is int and type(plain(np.float32(0.1))) is float and plain(np.float32(0.1)) == 0.1
    assert plain_text("no numpy here (np. is text)") == "no numpy here (np. is text)"
