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
