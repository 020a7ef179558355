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


@pytest.mark.parametrize("factor", [True, 0, float("nan"), float("inf"), "10", None, -1, -0.5, float("-inf")])
def test_scale_must_be_a_finite_positive_number(factor):
    # a bool is not a number; issue 14, round 3: a negative factor would flip the sign of the quotient, so the
    # indicator's direction, silently (denominate(X, D, scale={"k": -1}) gave [-5, -10])
    with pytest.raises(ParameterError, match=r"scale\['k'\] should be a finite non-zero positive number"):
        denominate(X, D, by={"k": "pop"}, scale={"k": factor})


@pytest.mark.parametrize("scale", [{"k": 10}, {"k": -1}, {}])
def test_a_scale_with_method_none_is_refused(scale):
    # issue 14, round 3: "none" divides nothing, so any scale with it would do nothing (it used to be accepted)
    with pytest.raises(ParameterError, match=r"^option 'scale' of denominate\(method='none'\) should be absent"):
        denominate(X, D, method="none", by={"k": "pop"}, scale=scale)
    assert denominate(X, D, method="none", by={"k": "pop"}).equals(X)


@pytest.mark.parametrize("bad", [-3.0, -1e-300])
def test_a_negative_denominator_is_a_data_error_naming_unit_and_column(bad):
    # issue 14, round 3: population -450 gave a negative quotient (its direction flipped); zero was refused already
    d = pd.DataFrame({"pop": [2.0, bad]}, index=["u", "v"])
    with pytest.raises(DataError, match=r"a denominator must be > 0 .*unit 'v' has -") as err:
        denominate(X, d, by={"k": "pop"})
    assert err.value.column == "pop"
    # a negative denominator of a unit with nothing to divide does no harm (as a missing one)
    x = pd.DataFrame({"k": [10.0, np.nan]}, index=["u", "v"])
    assert denominate(x, d, by={"k": "pop"})["k"].iloc[0] == 5.0


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
    # method "none" takes no scale at all (issue 14, round 3: it would do nothing)
    with pytest.raises(ParameterError, match="^option 'scale' of denominate\\(method='none'\\) should be absent"):
        denominate(x, d, method="none", by={"a": "pop"}, scale=scale)


# ---- issue 14: a scale factor that would divide nothing, through the pipeline ---------------------------------
@pytest.mark.parametrize("record, fragment", [
    ({"denominate": {"scale": {"stations_5g": 0}}}, r"scale\['stations_5g'\] .* non-zero"),
    ({"denominate": {"scale": {"nosuch": 10}}}, r"factors for nosuch"),
    ({"denominate": {"scale": {"broadband_speed": 10}}}, r"factors for broadband_speed"),
    ({"denominate": {"method": "none", "scale": {"nosuch": 10}}}, r"option 'scale' of denominate .*absent with "
                                                                   r"method 'none'.*would do nothing"),
    ({"denominate": {"method": "none", "scale": {"stations_5g": 10}}}, r"absent with method 'none'"),
    ({"denominate": {"method": "divide", "scale": {"stations_5g": -1}}}, r"scale\['stations_5g'\] .* positive"),
    ({"denominate": {"scale": 5}}, r"scale .* a mapping from indicator codes"),
])
def test_a_scale_that_divides_nothing_is_a_one_line_error(record, fragment):
    from cityeval import paths
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run
    with pytest.raises(ParameterError, match=fragment) as err:
        run(load_dataset(paths.DATA / "examples" / "toy"), record)
    assert "\n" not in str(err.value)


# ----------------------------------------------------------------------------- issue 14, round 2: no silent 0 or inf
def test_issue14b_a_tiny_scale_factor_does_not_turn_values_into_zero():
    # d / s overflowed to inf (1 / 1e-306 = 1e306, 820 / 1e-306 = 8.2e308), then x / inf = 0; the true values
    # x * s / d are floats (hand: 10 * 1e-306 / 1 = 1e-305 ... 80 * 1e-306 / 1 = 8e-305)
    x = pd.DataFrame({"a": [10.0 * k for k in range(1, 9)]})
    out = denominate(x, pd.DataFrame({"p": [1.0] * 8}), by={"a": "p"}, scale={"a": 1e-306})
    assert_allclose(out["a"].to_numpy(), [1e-305 * k for k in range(1, 9)], rtol=1e-15)
    # the same on the toy data's 820 ... (stations_5g / population_10k * 1e-306): 9800 / 820 * 1e-306
    d = pd.DataFrame({"p": [820.0, 1e300]})
    out = denominate(pd.DataFrame({"a": [9800.0, 1e300]}), d, by={"a": "p"}, scale={"a": 1e-306})
    assert_allclose(out["a"].to_numpy(), [9800 / 820 * 1e-306, 1e-306], rtol=1e-15)


def test_issue14b_the_toy_run_with_a_tiny_scale_factor_keeps_the_values():
    # the reviewer's case: method.json {"denominate": {"scale": {"stations_5g": 1e-306}}} on the toy data gave
    # [0, 0, 0, 0, 0, 6e-306, 0, 0]; the right values are stations_5g / population_10k * 1e-306 (hand)
    from cityeval import paths
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run
    toy = load_dataset(paths.DATA / "examples" / "toy")
    r = run(toy, {"denominate": {"scale": {"stations_5g": 1e-306}}})
    got = r.stages["denominated"]["stations_5g"]
    want = toy.values["stations_5g"] / toy.values["population_10k"] * 1e-306  # e.g. Amberfield 9800 / 820 * 1e-306
    assert_allclose(got.to_numpy(), want.reindex(got.index).to_numpy(), rtol=1e-14)
    assert got.index.equals(r.ranks.index)  # and the run completes with every unit ranked


@pytest.mark.parametrize("x, d, scale", [([1e10, 1.0, 2.0], [1e-308, 1.0, 2.0], None),
                                          ([1e300, 1.0, 2.0], [1.0, 1.0, 2.0], {"a": 1e10}),
                                          ([5.0, 1.0, 2.0], [1.0, 1.0, 2.0], {"a": 1.7e308})])
def test_issue14b_denominate_itself_refuses_an_overflowing_quotient(x, d, scale):
    # denominate() returned inf (with a RuntimeWarning) for 1e10 / 1e-308 = 1e318; only pipeline._run checked
    import warnings
    frame, den = pd.DataFrame({"a": x}, index=list("pqr")), pd.DataFrame({"pop": d}, index=list("pqr"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        with pytest.raises(DataError, match=r"column 'a'.*denominate.*not finite.*'pop'.*unit 'p'"):
            denominate(frame, den, by={"a": "pop"}, **({"scale": scale} if scale else {}))


@pytest.mark.parametrize("x, d", [(1e-200, 1e200), (1e-300, 1e10), (5e-324, 2.0)])
def test_issue14b_denominate_refuses_a_quotient_that_underflows(x, d):
    # 1e-200 / 1e200 = 1e-400 became 0 silently; 1e-300 / 1e10 = 1e-310 kept 4 digits; 5e-324 / 2 became 0
    frame, den = pd.DataFrame({"a": [x, 1.0]}, index=["p", "q"]), pd.DataFrame({"pop": [d, 1.0]}, index=["p", "q"])
    with pytest.raises(DataError, match=r"column 'a'.*underflows.*unit 'p'"):
        denominate(frame, den, by={"a": "pop"})


def test_issue14b_ordinary_quotients_are_computed_as_the_formula_reads():
    # bit for bit x / (d / s): the exact-exponent path is taken only where that over- or underflows
    rng = np.random.default_rng(14)
    x, d = rng.uniform(1, 1e6, 50), rng.uniform(1, 1e6, 50)
    out = denominate(pd.DataFrame({"a": x}), pd.DataFrame({"p": d}), by={"a": "p"}, scale={"a": 1000.0})
    assert_array_equal(out["a"].to_numpy(), x / (d / 1000.0))
