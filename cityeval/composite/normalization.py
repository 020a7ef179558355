"""Normalization: bring indicators onto a common scale where higher is better.

Every method first applies the indicator's direction, :math:`y = d\\,x` with
:math:`d = \\pm 1` (COINr's convention: a low-is-better indicator is negated), then
maps :math:`y` column by column, ignoring missing values (which stay missing).

Methods (registry :data:`NORMALIZE_METHODS`, the stages' one signature
``f(frame, *, directions, <options>) -> array``: ``frame`` holds the direction-applied values
:math:`y` and ``directions`` the :math:`d` of each column, the context :func:`normalize`
supplies, :data:`CONTEXT`; every method also takes ``constant``):

``"minmax"`` (options ``low=0``, ``high=100``)
    :math:`\\frac{y - \\min y}{\\max y - \\min y}(h - l) + l`, any output range.
``"zscore"`` (options ``mean=0``, ``sd=1``)
    :math:`\\frac{y - \\bar y}{s_y} \\sigma + \\mu` with the sample standard deviation
    :math:`s_y` (ddof = 1, as R's ``sd``).
``"rank"`` (option ``ties="min"``)
    Rank of :math:`y`, 1 for the lowest, ties sharing the lowest rank of their group
    (R's ``ties.method = "min"``, COINr's ``n_rank``); ``ties`` may also be ``"average"``,
    ``"max"``, ``"dense"``.
``"percentile"`` (options ``ties="min"``, ``scale=100``)
    Percentile rank :math:`\\frac{r - 1}{n - 1} \\cdot` ``scale`` with :math:`r` the rank above
    and :math:`n` the number of units with a value (COINr's ``n_prank``, times ``scale``).
``"goalposts"`` (options ``lower``, ``upper``, ``scale=100``, ``truncate=True``)
    :math:`\\frac{x - L}{U - L}` for :math:`d = 1`, :math:`\\frac{U - x}{U - L}` for
    :math:`d = -1`, goalposts :math:`L < U` in the indicator's own units (a number for
    every indicator, or a mapping code -> number), truncated to [0, 1], times ``scale``.
``"distance_to_reference"`` (options ``reference`` (a unit id), ``cap=False``, ``scale=100``)
    :math:`1 - \\frac{y_{ref} - y}{y_{ref} - \\min y}`: 1 at the reference unit, 0 at the
    worst unit, above 1 for units better than the reference unless ``cap`` (COINr's
    ``n_dist2ref``), times ``scale``.
``"distance_to_target"`` (options ``targets`` (mapping code -> target, in the indicator's
units), ``cap=False``, ``scale=100``)
    :math:`1 - \\frac{d\\,T - y}{d\\,T - \\min y}`: 1 at the target, 0 at the worst unit
    (COINr's ``n_dist2targ``), times ``scale``.
``"distance_to_max"`` (option ``scale=100``)
    :math:`1 - \\frac{\\max y - y}{\\max y - \\min y}` times ``scale`` (COINr's ``n_dist2max``;
    the same numbers as min-max onto [0, scale]).

Decided edge case, a *constant* indicator (all its values equal, or a single value):
min-max, z-score, percentile and the distances have a zero denominator. By default
(``constant="error"``) :func:`normalize` raises a :class:`~cityeval.errors.DataError`
naming the indicators; ``constant="midpoint"`` gives every unit the middle of the
output scale instead (``(low + high) / 2``, ``mean``, ``scale / 2``) — the indicator then
cannot move the ranking. Rank normalization of a constant indicator gives every unit the
same rank, needing no option. A zero denominator that is not a constant indicator
(the reference unit or the target equal to the worst value) always raises.

A *near-constant* indicator counts as constant: one whose range is at most
:data:`~cityeval.composite._contract.RANGE_RTOL` (``1e-12``) times its largest magnitude
(``[1, 1 + 2.2e-16, 1 + 4.4e-16]``, one ulp apart, would otherwise be stretched to 0, 50, 100:
rounding noise posing as a ranking; at ``1e-12`` the rounding error of the values is at most
``1e-4`` of the range). Likewise goalposts, or a reference or target and the worst value,
closer than that relative tolerance are refused as equal.

Finite numbers of any size: an indicator with values beyond ``2**500`` (or all below
``2**-500``) is scaled by a power of two before its range, mean or standard deviation is taken
(every method here is scale-invariant), so min-max of ``[-1e308, 0, 1e308]`` is 0, 50, 100
rather than an overflow; ordinary values are not scaled. A result that is still not finite
raises a :class:`~cityeval.errors.DataError` naming the unit and the indicator (never a silent
NaN, which the later stages would read as a missing value).

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, step 5 "Normalisation",
Table 3. https://doi.org/10.1787/9789264043466-en
Becker, W. et al. (2022). COINr, ``Normalise()`` and its ``n_*`` functions.
https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from cityeval.composite._contract import (RANGE_RTOL, check_finite_result, check_method_options, check_span,
                                          flat_range, pick_method, scale_exponents)
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_frame, check_number, check_values

__all__ = ["normalize", "NORMALIZE_METHODS", "CONSTANT_RULES", "CONTEXT", "constant_columns", "zscore_columns"]

CONSTANT_RULES = ("error", "midpoint")
#: Keyword-only parameters of the methods that :func:`normalize` supplies (not options).
CONTEXT = ("directions",)


def _per_code(name, value, codes):
    """A number for every code, from a scalar or a mapping code -> number."""
    if isinstance(value, Mapping):
        missing = [c for c in codes if c not in value]
        if missing:
            raise ParameterError(name, f"a number for every indicator; missing {', '.join(map(str, missing))}",
                                 dict(value))
        extra = [k for k in value if k not in set(codes)]
        if extra:   # a key that names no indicator would be ignored silently (a typo, or another dataset's code)
            raise ParameterError(name, f"a number for each indicator and nothing else, keys among {list(codes)}",
                                 Shown(f"a mapping with the unknown key(s) {', '.join(map(repr, extra))}"))
        return np.array([check_number(f"{name}[{c!r}]", value[c]) for c in codes])
    return np.full(len(codes), check_number(name, value))


def _range(y):
    with np.errstate(invalid="ignore"):
        return np.nanmin(y, axis=0), np.nanmax(y, axis=0)


def _scaled(y, *others):
    """``y`` (units x codes) and ``others`` (one number per code, in the same units) scaled column by column by
    a power of two when the column's values are of extreme size (:func:`~cityeval.composite._contract.
    scale_exponents`); unchanged otherwise. Exact, so any scale-invariant formula gives the same result."""
    e = scale_exponents(np.vstack([y, *[np.reshape(o, (1, -1)) for o in others]]))
    if not e.any():
        return (y, *others)
    return (np.ldexp(y, -e), *[np.ldexp(o, -e) for o in others])


def constant_columns(x: np.ndarray) -> np.ndarray:
    """True for the columns of ``x`` whose available (non-NaN) values are all equal, to floating-point
    resolution, or that have none.

    A column with a single value, or none, cannot tell units apart: the stages treat it as constant
    (normalization refuses it or gives the midpoint, data-driven weights give it weight 0). So does a
    column whose range ``max - min`` is at most :data:`~cityeval.composite._contract.RANGE_RTOL` (``1e-12``)
    times its largest magnitude: its differences are rounding noise. An infinite value is a DataError.

    >>> import numpy as np
    >>> constant_columns(np.array([[1.0, 2.0, np.nan, 1.0], [1.0, 3.0, 5.0, 1.0 + 2.2e-16]])).tolist()
    [True, False, True, True]
    """
    x = check_values("x", x)
    if not np.isnan(x).any():
        return flat_range(x.min(axis=0, initial=np.inf), x.max(axis=0, initial=-np.inf))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
        hi = np.nanmax(x, axis=0)
        lo = np.nanmin(x, axis=0)
    return flat_range(lo, hi)  # NaN (no values) counts as constant


def _rescale(num, den, const, *, mid):
    """num / den column-wise; constant columns get ``mid`` (rule checked by the caller)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    if const.any():
        out[:, const] = np.where(np.isnan(num[:, const]), np.nan, mid)
    return out


def zscore_columns(x: np.ndarray, *, ddof: int = 1, tol: float = 0.0, codes=None) -> tuple[np.ndarray, np.ndarray]:
    """Column z-scores :math:`(x - \\bar x) / s`, NaN ignored (and kept), and which columns are constant.

    Parameters
    ----------
    x : numpy.ndarray, shape (n, k)
    ddof : int, default 1
        Delta degrees of freedom of the standard deviation :math:`s` (1: the sample standard
        deviation, as R's ``sd``; 0: the population one).
    tol : float, default 0
        A column is constant when it has fewer than 2 values, or :math:`s \\le` ``tol`` :math:`\\cdot
        \\max(1, |\\bar x|)`, or it is constant to floating-point resolution (:func:`constant_columns`);
        its z-scores are 0 (NaN where missing). A column of extreme size is scaled by a power of two first
        (z-scores are scale-invariant), so ``[-1e308, 0, 1e308]`` gives -1, 0, 1.
    codes : sequence, optional
        The column names, for the message of the DataError raised when a standard deviation overflows.

    Returns
    -------
    z : numpy.ndarray, shape (n, k)
    constant : numpy.ndarray of bool, shape (k,)

    Examples
    --------
    >>> import numpy as np
    >>> z, const = zscore_columns(np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]))
    >>> z.tolist(), const.tolist()
    ([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]], [False, True])
    """
    x = check_values("x", x, ndims=(2,))
    e = scale_exponents(x)
    xs = np.ldexp(x, -e) if e.any() else x
    n = (~np.isnan(x)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.nanmean(xs, axis=0)
        s = np.nanstd(xs, axis=0, ddof=ddof)
    if e.any():  # the tolerance is in the units of x: tol * max(1, |mean|) brought to the scaled units
        # (comparing there, not after scaling s back, which underflows to 0 for a column of subnormal values)
        with np.errstate(over="ignore", invalid="ignore"):
            threshold = np.where(tol == 0, 0.0, tol * np.maximum(np.ldexp(1.0, -e), np.abs(mu)))
        const = (n < 2) | (s <= threshold)
    else:
        const = (n < 2) | (s <= tol * np.maximum(1.0, np.abs(mu)))
    const |= constant_columns(xs)
    over = ~const & ~np.isfinite(s)
    if over.any():
        j = int(np.argmax(over))
        raise DataError(None, "the standard deviation overflows floating point; rescale the indicator",
                        column=None if codes is None else str(codes[j]), detail=f"column {j}, mean {mu[j]:g}")
    return _rescale(xs - mu, s, const, mid=0.0), const


def _scale_option(scale):
    """The ``scale`` option (the top of the output scale), checked > 0 and wide enough to hold more than rounding
    noise (:func:`~cityeval.composite._contract.check_span`)."""
    scale = check_number("scale", scale, low=0, low_open=True)
    check_span("scale", 0.0, scale, what="a number > 0")
    return scale


def _check_constant(const, codes, constant, what):
    check_choice("constant", constant, CONSTANT_RULES)
    if const.any() and constant == "error":
        names = [str(codes[i]) for i in np.flatnonzero(const)]
        raise DataError(None, f"{what} of a constant indicator divides by zero; pass constant='midpoint' to give "
                        "every unit the middle of the scale, or drop the indicator",
                        column=names[0], detail=f"constant: {', '.join(names)}")


def _minmax(frame, *, directions, low=0.0, high=100.0, constant="error"):
    y = frame.to_numpy()
    given = high                   # shown as the user wrote it (0, not 0.0)
    low, high = check_number("low", low), check_number("high", high)
    if not low < high:
        raise ParameterError("high", f"a number greater than low ({low:g})", given)
    check_span("high", low, high, what=f"a number greater than low ({low:g})")
    (y,) = _scaled(y)
    lo, hi = _range(y)
    const = flat_range(lo, hi)
    _check_constant(const, frame.columns, constant, "min-max")
    z = _rescale(y - lo, hi - lo, const, mid=0.5)
    if np.isfinite(high - low):
        return z * (high - low) + low
    return z * high + (1.0 - z) * low  # the same, without the overflowing high - low (e.g. [-1e308, 1e308])


def _zscore(frame, *, directions, mean=0.0, sd=1.0, constant="error"):
    mean = check_number("mean", mean)
    sd = check_number("sd", sd, low=0, low_open=True)
    with np.errstate(over="ignore"):
        check_span("sd", mean - sd, mean + sd, what=f"a number > 0 that is not swamped by mean ({mean:g})", value=sd)
    z, const = zscore_columns(frame.to_numpy(), codes=frame.columns)
    _check_constant(const, frame.columns, constant, "z-score")
    return z * sd + mean


_TIES = {"min": "min", "max": "max", "average": "average", "dense": "dense"}


def _ranks(y, ties):
    check_choice("ties", ties, _TIES)
    return pd.DataFrame(y).rank(axis=0, method=_TIES[ties], na_option="keep", ascending=True).to_numpy()


def _rank(frame, *, directions, ties="min", constant="error"):
    check_choice("constant", constant, CONSTANT_RULES)  # accepted by every method; a rank needs no rule
    return _ranks(frame.to_numpy(), ties)


def _percentile(frame, *, directions, ties="min", scale=100.0, constant="error"):
    y = frame.to_numpy()
    scale = _scale_option(scale)
    r = _ranks(y, ties)
    n = (~np.isnan(y)).sum(axis=0)
    const = constant_columns(y)
    _check_constant(const, frame.columns, constant, "percentile rank")
    z = _rescale(r - 1.0, (n - 1.0) * np.ones_like(r), const, mid=0.5)
    return z * scale


def _goalposts(frame, *, directions, lower=None, upper=None, scale=100.0, truncate=True, constant="error"):
    codes = frame.columns
    if lower is None or upper is None:
        raise ParameterError("lower/upper", "goalposts for every indicator (a number or a mapping code -> number)",
                             {"lower": lower, "upper": upper})
    lower, upper = _per_code("lower", lower, codes), _per_code("upper", upper, codes)
    bad = np.flatnonzero(~(lower < upper) | flat_range(lower, upper))
    if len(bad):
        c = codes[bad[0]]
        close = "" if not lower[bad[0]] < upper[bad[0]] else \
            f", by more than {RANGE_RTOL:g} times their size (closer goalposts stretch rounding noise)"
        raise ParameterError(f"upper[{c!r}]", f"greater than lower ({lower[bad[0]]:g}){close}", upper[bad[0]])
    scale = _scale_option(scale)
    truncate = check_bool("truncate", truncate)
    check_choice("constant", constant, CONSTANT_RULES)  # goalposts never divide by the data's range
    x = frame.to_numpy() * directions  # back to the indicator's own units
    x, lower, upper = _scaled(x, lower, upper)
    with np.errstate(over="ignore"):  # a value far outside close goalposts: inf, truncated or refused by normalize
        z = np.where(directions > 0, (x - lower) / (upper - lower), (upper - x) / (upper - lower))
    if truncate:
        z = np.clip(z, 0.0, 1.0)
    return z * scale


def _distance(y, ref, codes, constant, what, cap, scale):
    y, ref = _scaled(y, ref)
    lo, hi = _range(y)
    const = flat_range(lo, hi)
    _check_constant(const, codes, constant, what)
    degenerate = np.flatnonzero(~const & flat_range(np.minimum(lo, ref), np.maximum(lo, ref)))
    if len(degenerate):
        c = codes[degenerate[0]]
        raise DataError(None, f"{what}: the reference value equals the worst value, so every distance "
                        "divides by zero", column=c)
    with np.errstate(over="ignore"):  # a reference close to the worst value: refused by normalize if not finite
        z = _rescale(y - lo, ref - lo, const, mid=0.5)
    if cap:
        z = np.minimum(z, 1.0)
    return z * scale


def _dist_reference(frame, *, directions, reference=None, cap=False, scale=100.0, constant="error"):
    codes = frame.columns
    try:
        known = reference is not None and reference in frame.index
    except TypeError:  # an unhashable reference
        known = False
    if not known:
        raise ParameterError("reference", "the id of a unit of the frame", reference)
    y = frame.to_numpy()
    pos = frame.index.get_loc(reference)
    ref = y[pos, :]
    if np.isnan(ref).any():
        c = codes[int(np.flatnonzero(np.isnan(ref))[0])]
        raise DataError(None, "distance to reference: the reference unit has no value", column=c,
                        detail=f"unit {reference!r}")
    return _distance(y, ref, codes, constant, "distance to reference", check_bool("cap", cap),
                     _scale_option(scale))


def _dist_target(frame, *, directions, targets=None, cap=False, scale=100.0, constant="error"):
    if targets is None:
        raise ParameterError("targets", "a mapping code -> target value (indicators.csv column 'target')", None)
    t = _per_code("targets", targets, frame.columns) * directions
    return _distance(frame.to_numpy(), t, frame.columns, constant, "distance to target", check_bool("cap", cap),
                     _scale_option(scale))


def _dist_max(frame, *, directions, scale=100.0, constant="error"):
    y = frame.to_numpy()
    lo, hi = _range(y)
    return _distance(y, hi, frame.columns, constant, "distance to maximum", False,
                     _scale_option(scale))


#: name -> function(frame of direction-applied values, *, directions, **options) returning an array.
NORMALIZE_METHODS = {
    "minmax": _minmax,
    "zscore": _zscore,
    "rank": _rank,
    "percentile": _percentile,
    "goalposts": _goalposts,
    "distance_to_reference": _dist_reference,
    "distance_to_target": _dist_target,
    "distance_to_max": _dist_max,
}


def normalize(frame: pd.DataFrame, *, method: str = "minmax", directions: pd.Series | Mapping | None = None,
              **options) -> pd.DataFrame:
    """Normalize every indicator (column) of ``frame`` so that higher is better.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Indicator values, rows units, columns codes; missing values are NaN.
    method : str, default "minmax"
        One of :data:`NORMALIZE_METHODS` (see the module docstring).
    directions : pandas.Series or mapping of code -> {1, -1}, optional
        Direction of each indicator; default 1 (higher is better) for all.
    **options
        Options of the method (see the module docstring), and ``constant`` in
        {"error", "midpoint"} (default "error") for constant indicators.

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``frame``, normalized; missing values stay missing.

    Raises
    ------
    ParameterError
        Unknown method or option, a bad option value, a direction that is not ±1 or is
        missing for an indicator.
    DataError
        A constant (or near-constant) indicator with ``constant="error"``; an indicator with no values; an
        infinite value; a result that is not finite (named: unit and indicator).

    Notes
    -----
    The formulas are in the module docstring; every method is applied to
    :math:`y_{ui} = d_i x_{ui}`.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"gdp": [1.0, 2.0, 3.0], "co2": [10.0, 20.0, 40.0]}, index=["a", "b", "c"])
    >>> normalize(x, directions={"gdp": 1, "co2": -1}).round(2).to_dict("list")
    {'gdp': [0.0, 50.0, 100.0], 'co2': [100.0, 66.67, 0.0]}
    """
    fn = pick_method("normalize", method, NORMALIZE_METHODS)
    check_method_options(fn, options, where=f"normalize(method={method!r})", context=CONTEXT)
    x = check_frame(frame)
    codes = list(frame.columns)
    if directions is None:
        d = np.ones(len(codes))
    else:
        dser = pd.Series(directions, dtype=object) if isinstance(directions, Mapping) else directions
        if not isinstance(dser, pd.Series):
            raise ParameterError("directions", "a pandas Series or a mapping code -> 1 or -1", directions)
        missing = [c for c in codes if c not in dser.index]
        if missing:
            raise ParameterError("directions", f"a direction for every indicator; missing {', '.join(map(str, missing))}",
                                 list(dser.index))
        values = [dser[c] for c in codes]
        ok = [not isinstance(v, (bool, np.bool_)) and isinstance(v, (int, float, np.integer, np.floating))
              and v in (1, -1) for v in values]
        if not all(ok):
            c = codes[ok.index(False)]
            raise ParameterError(f"directions[{c!r}]", "1 or -1", dser[c])
        d = np.array(values, dtype=float)
    empty = np.flatnonzero(np.isnan(x).all(axis=0)) if len(x) else np.arange(len(codes))
    if len(empty):
        raise DataError(None, "indicator has no values to normalize", column=codes[empty[0]])
    y = pd.DataFrame(x * d, index=frame.index, columns=frame.columns)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below, naming unit and code
        out = fn(y, directions=d, **options)
    # a value in, so a finite value out (never a silent NaN or inf)
    check_finite_result(f"normalize(method={method!r})", out, units=frame.index, codes=codes, present=~np.isnan(x),
                        given=x, hint="rescale the indicator, or choose options that keep the scores finite")
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)
