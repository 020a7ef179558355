"""Numbers that would become non-finite, or near-constant columns (N): issue 14 §4.

Every stage's result is finite or the stage fails naming the stage, the unit and the indicator; a column whose
range is at most 1e-12 of its magnitude is constant (rounding noise is never stretched onto the scale).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from bad_inputs import Case, data_case, edit, write_method

_ORDER = ["Amberfield", "Brookhaven", "Cedarport", "Dunmore", "Eastvale", "Fairbridge", "Glenwick", "Harbourton"]


def _column(folder, code, values):
    """Set ``code`` in values.csv to ``values`` (one per city, written as exact float reprs)."""
    p = folder / "values.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    j = header.index(code)
    out = [lines[0]]
    for line, v in zip(lines[1:], values):
        cells = line.split(",")
        cells[j] = repr(float(v))
        out.append(",".join(cells))
    p.write_text("\n".join(out) + "\n", encoding="utf-8")


def _ulps(start=300.0, n=8):
    """``n`` values one ulp apart from ``start``: a range of 4e-14 of their size."""
    v = [start]
    for _ in range(n - 1):
        v.append(float(np.nextafter(v[-1], np.inf)))
    return v


def _near_constant(method):
    def change(folder):
        _column(folder, "broadband_speed", _ulps())
        write_method(folder, {"normalize": {"method": method}})
    return change


def _tiny_denominator(folder):
    edit(folder / "values.csv", "Amberfield,East,820,", "Amberfield,East,1e-310,")
    write_method(folder, {"treat": {"method": "jrc"}})


def _goalposts_close(folder):
    write_method(folder, {"normalize": {"method": "goalposts", "lower": 1000, "upper": 1000.0000000001}})


def _goalposts_overflow(folder):
    write_method(folder, {"normalize": {"method": "goalposts", "lower": 0, "upper": 1e-307, "truncate": False}})


def _target_at_worst(folder):
    # broadband_speed's worst value is Fairbridge's 150; a target 1e-11 above it (7e-14 of its size)
    edit(folder / "indicators.csv", "Average fixed broadband download speed,,300",
         "Average fixed broadband download speed,,150.00000000001")
    write_method(folder, {"normalize": {"method": "distance_to_target"}})


def _zscore_sd(folder):
    write_method(folder, {"normalize": {"method": "zscore", "sd": 1e308}})


def _cv_of_zscores(folder):
    write_method(folder, {"normalize": {"method": "zscore"}, "weight": {"method": "cv"}})


def _api(call):
    def make(tmp_path):
        return {"call": call}
    return make


def _constant_columns_inf():
    from cityeval.composite.normalization import constant_columns
    constant_columns(np.array([[1.0], [np.inf]]))


def _zscore_columns_inf():
    from cityeval.composite.normalization import zscore_columns
    zscore_columns(np.array([[1.0], [2.0], [-np.inf]]))


def _flat(n=4):
    return pd.DataFrame({"a": _ulps(1.0, n), "b": _ulps(5.0, n)}, index=list("pqrs")[:n])


def _weight_near_constant(method):
    def call():
        from cityeval.composite import weight
        weight(_flat(), method=method)
    return call


def _normalize_goalposts_ulp():
    from cityeval.composite import normalize
    normalize(pd.DataFrame({"a": [1.0, 2.0]}), method="goalposts", lower=1.0, upper=float(np.nextafter(1.0, 2.0)))


def _normalize_reference_at_worst():
    from cityeval.composite import normalize
    # the reference unit r is 1e-13 above the worst value (relative 1e-16): every distance divides by noise
    frame = pd.DataFrame({"a": [1000.0, 2000.0, 1000.0000000000001]}, index=["p", "q", "r"])
    normalize(frame, method="distance_to_reference", reference="r")


def _impute_inf():
    from cityeval.composite import impute
    impute(pd.DataFrame({"a": [1.0, None, -np.inf]}, index=["p", "q", "r"]), method="mean")


def _rank_inf():
    from cityeval.composite import rank
    rank(pd.Series([1.0, -np.inf], index=["p", "q"]))


def _treat_inf():
    from cityeval.composite import treat
    treat(pd.DataFrame({"a": [1.0, 2.0, 3.0, np.inf]}, index=list("pqrs")), method="jrc")


CASES = [
    Case("N01", "a denominator so close to 0 that the quotient overflows (population 1e-310)", ("score",),
         data_case(_tiny_denominator),
         ("denominate stage", "stations_5g", "Amberfield", "population_10k", "not finite")),
    Case("N02", "an indicator whose values are one ulp apart (min-max)", ("score",),
         data_case(_near_constant("minmax")), ("normalize stage", "broadband_speed", "constant indicator")),
    Case("N03", "an indicator whose values are one ulp apart (z-scores)", ("score",),
         data_case(_near_constant("zscore")), ("z-score of a constant indicator", "broadband_speed")),
    Case("N04", "an indicator whose values are one ulp apart (percentile ranks)", ("score",),
         data_case(_near_constant("percentile")), ("percentile rank of a constant indicator", "broadband_speed")),
    Case("N05", "an indicator whose values are one ulp apart (distance to the maximum)", ("score",),
         data_case(_near_constant("distance_to_max")), ("distance to maximum of a constant", "broadband_speed")),
    Case("N06", "goalposts closer than 1e-12 of their size", ("score",), data_case(_goalposts_close),
         (r"upper\['broadband_speed'\]", "greater than lower", "1e-12")),
    Case("N07", "a target within 1e-12 of the worst value (distance to target)", ("score",),
         data_case(_target_at_worst), ("broadband_speed", "reference value equals the worst value")),
    Case("N08", "z-scores rescaled to a standard deviation of 1e308", ("score",), data_case(_zscore_sd),
         ("normalize stage", "not finite", "overflows", "unit '")),
    Case("N09", "untruncated goalposts 1e-307 apart: the scores overflow", ("score",),
         data_case(_goalposts_overflow), ("normalize stage", "not finite", "broadband_speed", "Amberfield")),
    Case("N10", "coefficient-of-variation weights of z-scores (mean 0 up to rounding)", ("score",),
         data_case(_cv_of_zscores), ("cv weights", "positive mean", "1e-12")),
    Case("N11", "constant_columns() given an infinity", ("api",), _api(_constant_columns_inf),
         ("must be finite", "infinite")),
    Case("N12", "zscore_columns() given an infinity", ("api",), _api(_zscore_columns_inf),
         ("must be finite", "infinite")),
    Case("N13", "standard-deviation weights of columns that vary by one ulp", ("api",),
         _api(_weight_near_constant("std")), ("standard-deviation weights", "varies", "constant")),
    Case("N14", "entropy weights of columns that vary by one ulp", ("api",),
         _api(_weight_near_constant("entropy")), ("entropy weights", "varies", "constant")),
    Case("N15", "goalposts one ulp apart through normalize()", ("api",), _api(_normalize_goalposts_ulp),
         (r"upper\['a'\]", "greater than lower", "1e-12")),
    Case("N16", "a reference unit 1e-13 above the worst value", ("api",), _api(_normalize_reference_at_worst),
         ("column 'a'", "reference value equals the worst value")),
    Case("N17", "an infinite value given to impute()", ("api",), _api(_impute_inf), ("finite", "column 'a'", "'r'")),
    Case("N18", "an infinite score given to rank()", ("api",), _api(_rank_inf), ("finite", "'q'")),
    Case("N19", "an infinite value given to treat()", ("api",), _api(_treat_inf), ("finite", "column 'a'", "'s'")),
]


# ----------------------------------------------------------------------------- issue 14, round 2 (N20 ...)


def _denominate_scale_overflow(folder):
    # stations_5g / (population_10k / 1e308): 9800 * 1e308 / 820 = 1.2e309 is beyond the largest float
    write_method(folder, {"denominate": {"scale": {"stations_5g": 1e308}}})


def _minmax_subnormal_range(folder):
    write_method(folder, {"normalize": {"low": 0, "high": 5e-324}})


def _geometric_swamping_shift(folder):
    write_method(folder, {"aggregate": {"method": "geometric", "shift": 1e308}})


def _entropy_swamping_epsilon(folder):
    write_method(folder, {"weight": {"method": "entropy", "epsilon": 1e308}})


def _zscore_sd_swamped(folder):
    write_method(folder, {"normalize": {"method": "zscore", "mean": 1e20, "sd": 1e-3}})


def _percentile_subnormal_scale(folder):
    write_method(folder, {"normalize": {"method": "percentile", "scale": 1e-310}})


def _denominate_inf():
    from cityeval.composite import denominate
    denominate(pd.DataFrame({"a": [1e10, 1.0, 2.0]}, index=["p", "q", "r"]),
               pd.DataFrame({"pop": [1e-308, 1.0, 2.0]}, index=["p", "q", "r"]), by={"a": "pop"})


def _denominate_underflow():
    from cityeval.composite import denominate
    denominate(pd.DataFrame({"a": [1e-200, 1.0]}, index=["p", "q"]),
               pd.DataFrame({"pop": [1e200, 1.0]}, index=["p", "q"]), by={"a": "pop"})


def _ahp_rtol_one():
    from cityeval.composite import weight
    weight(pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0]}), method="ahp", matrix=[[1, 3], [0.001, 1]], rtol=1.0)


CASES += [
    Case("N20", "a denominate scale factor whose result overflows (9800 * 1e308 / 820)", ("score",),
         data_case(_denominate_scale_overflow), ("denominate", "not finite", "stations_5g", "population_10k",
                                                 "Amberfield")),
    Case("N21", "min-max onto [0, 5e-324]: a range that holds only rounding noise", ("score",),
         data_case(_minmax_subnormal_range), ("high", "greater than low", "rounding noise", "5e-324")),
    Case("N22", "a geometric-mean shift of 1e308 that swamps the values", ("score",),
         data_case(_geometric_swamping_shift), ("shift", "distinguishable", "1e\\+308")),
    Case("N23", "an entropy epsilon of 1e308 that swamps the values", ("score",),
         data_case(_entropy_swamping_epsilon), ("epsilon", "distinguishable", "1e\\+308")),
    Case("N24", "z-scores with a standard deviation swamped by their mean (1e-3 and 1e20)", ("score",),
         data_case(_zscore_sd_swamped), ("sd", "swamped by mean", "0.001")),
    Case("N25", "percentile ranks on a scale of 1e-310 (subnormal)", ("score",),
         data_case(_percentile_subnormal_scale), ("scale", "rounding noise", "1e-310")),
    Case("N26", "denominate() whose quotient overflows (1e10 / 1e-308)", ("api",), _api(_denominate_inf),
         ("denominate", "not finite", "column 'a'", "'p'", "'pop'")),
    Case("N27", "denominate() whose quotient underflows (1e-200 / 1e200)", ("api",), _api(_denominate_underflow),
         ("denominate", "underflows", "column 'a'", "'p'", "pop")),
    Case("N28", "an AHP tolerance of 1 (it would accept any matrix as reciprocal)", ("api",), _api(_ahp_rtol_one),
         ("rtol", r"\[0, 1\)", "1.0")),
]
