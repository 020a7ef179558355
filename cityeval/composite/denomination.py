"""Denomination: turn extensive indicators into intensive ones (value per denominator).

An indicator such as a city's broadband subscriptions is divided by a size
variable (population) so that large and small units compare fairly. Which
indicator is divided by which column is declared in the ``denominator`` column
of ``indicators.csv``.

Methods (registry :data:`DENOMINATE_METHODS`, the stages' one signature
``f(frame, *, denominators, by, scale=None) -> frame``; ``denominators`` and ``by`` are the
context :func:`denominate` supplies, :data:`CONTEXT`):

``"none"``
    Leave every value as it is. It takes no option: a ``scale`` with it would do nothing, so it is
    an error (issue 14: an option a method does not use is refused, never ignored).
``"divide"``
    ``x / (d / s)`` for each indicator with a denominator ``d`` > 0 and scale factor ``s`` > 0
    (default 1): COINr's ``Denominate()`` with its ``ScaleFactor``. A negative factor or
    denominator would flip the sign of the indicator, so turn its direction over silently: both
    are refused.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*, step 3 (imputation) and §1.3 (scaling by size). https://doi.org/10.1787/9789264043466-en
Becker, W. et al. (2022). COINr, ``Denominate()``. https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cityeval.composite._contract import check_finite_result, check_method_options, pick_method
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame, check_number

__all__ = ["denominate", "DENOMINATE_METHODS", "CONTEXT"]

#: Keyword-only parameters of the methods that :func:`denominate` supplies (not options).
CONTEXT = ("denominators", "by")


def _none(frame, *, denominators=None, by=None):
    return frame.copy()


def _quotient(x, d, s):
    """``x / (d / s)``; where that over- or underflows in the middle (``d / s`` infinite or below the smallest
    normal float, or the result not finite or below it), ``x * s / d`` computed on the mantissas and the
    exponents apart (:func:`numpy.frexp`), which is right wherever the result itself is a float."""
    with np.errstate(all="ignore"):
        q = d / s
        out = x / q
        tiny = np.finfo(float).tiny
        redo = ~(np.isfinite(q) & (np.abs(q) >= tiny)) | ~np.isfinite(out) | ((np.abs(out) < tiny) & (x != 0))
        redo &= np.isfinite(x) & np.isfinite(d) & (d != 0)
        if redo.any():
            (mx, ex), (md, ed), (ms, es) = np.frexp(x[redo]), np.frexp(d[redo]), np.frexp(s)
            out[redo] = np.ldexp(mx * ms / md, ex + es - ed)  # |mx * ms / md| in [1/8, 2): no overflow
    return out


def _divide(frame, *, denominators, by, scale=None):
    scale = scale or {}
    out = frame.copy()
    for code, dcol in by.items():
        out[code] = _quotient(frame[code].to_numpy(dtype=float), denominators[dcol].to_numpy(dtype=float),
                              float(scale.get(code, 1.0)))
    return out


#: name -> function(frame, *, denominators, by, scale) returning the denominated frame.
DENOMINATE_METHODS = {"none": _none, "divide": _divide}


def denominate(frame: pd.DataFrame, denominators: pd.DataFrame | None = None, *, method: str = "divide",
               by: Mapping[str, str] | None = None, **options) -> pd.DataFrame:
    """Divide indicators by their denominator columns.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Indicator values, rows units, columns codes.
    denominators : pandas.DataFrame, shape (n_units, n_denominators), optional
        The denominator columns, on the same index as ``frame`` (rows are matched by
        unit id, not by position).
    method : {"divide", "none"}, default "divide"
        See the module docstring.
    by : mapping of str to str, optional
        ``{indicator code: denominator column}``; indicators not named are left unchanged.
    **options
        ``scale`` : mapping of str to float, optional. ``{indicator code: factor s}``; the
        denominator is divided by ``s`` first (e.g. ``s = 1000`` turns "per person" into
        "per 1,000 people"). Default 1.

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``frame``; the named indicators are denominated.

    Raises
    ------
    ParameterError
        Unknown method or option, ``frame`` not a DataFrame, an indicator or denominator column
        that does not exist, a scale factor that is not a finite number > 0, a ``scale`` with method
        ``"none"`` (it would do nothing).
    DataError
        A non-numeric or infinite indicator value; a denominator that is zero, negative or missing for a unit that has a value of an indicator
        it divides (the result would be infinite or silently missing); the message names
        the unit and the column. Where every indicator it divides is missing, a missing
        denominator does no harm and is allowed. A result that is not a float (beyond 1.8e308) or
        that underflows (a non-zero value below 2.2e-308, which would become 0 or lose its digits);
        the message names the unit, the indicator and its denominator.

    Notes
    -----
    .. math:: x'_{ui} = \\frac{x_{ui}}{d_{u,D(i)} / s_i}

    A missing indicator value stays missing. Where ``d / s`` or the quotient would over- or
    underflow although the result is a float (``s = 1e-306``), it is computed as ``x s / d`` on
    mantissas and exponents apart; other values are computed as the formula reads.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [10.0, 30.0]}, index=["u1", "u2"])
    >>> d = pd.DataFrame({"pop": [2.0, 3.0]}, index=["u1", "u2"])
    >>> denominate(x, d, by={"a": "pop"})["a"].tolist()
    [5.0, 10.0]
    >>> denominate(x, d, by={"a": "pop"}, scale={"a": 10})["a"].tolist()
    [50.0, 100.0]
    """
    fn = pick_method("denominate", method, DENOMINATE_METHODS)
    check_method_options(fn, options, where=f"denominate(method={method!r})", context=CONTEXT)
    check_frame(frame)
    if by is not None and not isinstance(by, Mapping):
        raise ParameterError("by", "a mapping from indicator codes to denominator columns", by)
    by_given = by is not None
    by = dict(by or {})
    scale = options.get("scale")
    if scale is not None and not isinstance(scale, Mapping):
        raise ParameterError("scale", "a mapping from indicator codes to factors", scale)
    scale = dict(scale or {})
    for code, s in scale.items():
        # a negative factor flips the indicator's sign, so its direction: "per -1 person" is no scale
        check_number(f"scale[{code!r}]", s, low=0, low_open=True,
                     allowed="a finite non-zero positive number (a negative factor would flip the "
                                                     "indicator's direction)")
    if method != "none" or by_given:
        # a factor for an indicator that is not divided (an unknown code, or one without a denominator) would
        # silently do nothing
        unused = [str(code) for code in scale if code not in by]
        if unused:
            raise ParameterError("scale", f"factors for indicators that have a denominator "
                                 f"({', '.join(map(str, by)) or 'none has'})", Shown(f"factors for {', '.join(unused)}"))
    if method == "none" or not by:
        return frame.copy()
    if denominators is None:
        raise ParameterError("denominators", "a frame of denominator columns when `by` names any", None)
    if not isinstance(denominators, pd.DataFrame):
        raise ParameterError("denominators", "a pandas DataFrame of denominator columns (rows = units)",
                             Shown(type(denominators).__name__))
    for code, dcol in by.items():
        if code not in frame.columns:
            raise ParameterError("by", f"a mapping from indicator codes of the frame ({', '.join(map(str, frame.columns))})",
                                 code)
        if dcol not in denominators.columns:
            raise ParameterError(f"by[{code!r}]", f"one of the denominator columns {list(denominators.columns)}", dcol)
    denominators = denominators.reindex(frame.index)
    for dcol in dict.fromkeys(by.values()):
        dtype = denominators[dcol].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise DataError(None, "denominator values must be numeric", column=str(dcol),
                            detail=f"dtype {dtype}; used by {', '.join(c for c, v in by.items() if v == dcol)}")
        d = denominators[dcol].to_numpy(dtype=float)
        users = [c for c, v in by.items() if v == dcol]
        needed = frame[users].notna().to_numpy().any(axis=1)
        bad = np.flatnonzero((~np.isfinite(d) | (d == 0)) & needed)
        if len(bad):
            unit = frame.index[bad[0]]
            raise DataError(None, "a denominator must be a non-zero number for every unit with a value to divide",
                            column=dcol,
                            detail=f"unit {unit!r} has {'a missing value' if np.isnan(d[bad[0]]) else d[bad[0]]}; "
                                   f"used by {', '.join(users)}")
        negative = np.flatnonzero((d < 0) & needed)
        if len(negative):   # a size below 0 (a population of -450) flips the sign of the quotient, so its direction
            unit = frame.index[negative[0]]
            raise DataError(None, "a denominator must be > 0 for every unit with a value to divide (a negative one "
                            "would flip the indicator's direction)", column=dcol,
                            detail=f"unit {unit!r} has {d[negative[0]]:g}; used by {', '.join(users)}")
    with np.errstate(all="ignore"):  # a result that is not a float is reported just below, naming unit and columns
        out = fn(frame, denominators=denominators, by=by, scale=scale)
    codes = list(by)
    given = frame[codes].to_numpy(dtype=float, na_value=np.nan)
    got = out[codes].to_numpy(dtype=float, na_value=np.nan)
    hint = lambda c: (f"check its denominator {by[c]!r} (a denominator near 0 makes the quotient overflow)"  # noqa: E731
                      + (f" and its scale factor {scale[c]:g}" if c in scale else ""))
    check_finite_result(f"denominate (by {', '.join(f'{c} / {v}' for c, v in by.items())})"
                        if len(by) == 1 else "denominate", got, units=frame.index, codes=codes,
                        present=~np.isnan(given), given=given, hint=hint)
    lost = (np.abs(got) < np.finfo(float).tiny) & (given != 0) & np.isfinite(given)
    if lost.any():
        i, j = np.argwhere(lost)[0]
        c = codes[j]
        raise DataError(None, f"the result of denominate underflows floating point (below the smallest normal "
                        f"float, 2.2e-308, it is 0 or loses its digits): {c} / {by[c]}; rescale the indicator, "
                        "its denominator or its scale factor",
                        column=str(c), detail=f"unit {frame.index[i]!r} has {float(given[i, j])!r} and "
                        f"{by[c]} {float(denominators[by[c]].iloc[i])!r}; {int(lost.sum())} such value(s)")
    return out
