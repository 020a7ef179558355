"""Denomination: turn extensive indicators into intensive ones (value per denominator).

An indicator such as a city's broadband subscriptions is divided by a size
variable (population) so that large and small units compare fairly. Which
indicator is divided by which column is declared in the ``denominator`` column
of ``indicators.csv``.

Methods (registry :data:`DENOMINATE_METHODS`, one signature
``f(frame, denominators, by, scale) -> frame``):

``"none"``
    Leave every value as it is.
``"divide"``
    ``x / (d / s)`` for each indicator with a denominator ``d`` and scale factor ``s``
    (default 1): COINr's ``Denominate()`` with its ``ScaleFactor``.

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

from cityeval.errors import DataError, ParameterError

__all__ = ["denominate", "DENOMINATE_METHODS"]


def _none(frame, denominators, by, scale):
    return frame.copy()


def _divide(frame, denominators, by, scale):
    out = frame.copy()
    for code, dcol in by.items():
        d = denominators[dcol].to_numpy(dtype=float) / float(scale.get(code, 1.0))
        out[code] = frame[code].to_numpy(dtype=float) / d
    return out


#: name -> function(frame, denominators, by, scale) returning the denominated frame.
DENOMINATE_METHODS = {"none": _none, "divide": _divide}


def denominate(frame: pd.DataFrame, denominators: pd.DataFrame | None = None, *, method: str = "divide",
               by: Mapping[str, str] | None = None, scale: Mapping[str, float] | None = None) -> pd.DataFrame:
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
    scale : mapping of str to float, optional
        ``{indicator code: factor s}``; the denominator is divided by ``s`` first (e.g.
        ``s = 1000`` turns "per person" into "per 1,000 people"). Default 1.

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``frame``; the named indicators are denominated.

    Raises
    ------
    ParameterError
        Unknown method, an indicator or denominator column that does not exist.
    DataError
        A denominator that is zero or missing for a unit that has a value of an indicator
        it divides (the result would be infinite or silently missing); the message names
        the unit and the column. Where every indicator it divides is missing, a missing
        denominator does no harm and is allowed.

    Notes
    -----
    .. math:: x'_{ui} = \\frac{x_{ui}}{d_{u,D(i)} / s_i}

    A missing indicator value stays missing.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [10.0, 30.0]}, index=["u1", "u2"])
    >>> d = pd.DataFrame({"pop": [2.0, 3.0]}, index=["u1", "u2"])
    >>> denominate(x, d, by={"a": "pop"})["a"].tolist()
    [5.0, 10.0]
    """
    if method not in DENOMINATE_METHODS:
        raise ParameterError("denominate method", f"one of {sorted(DENOMINATE_METHODS)}", method)
    by = dict(by or {})
    scale = dict(scale or {})
    if method == "none" or not by:
        return frame.copy()
    if denominators is None:
        raise ParameterError("denominators", "a frame of denominator columns when `by` names any", None)
    for code, dcol in by.items():
        if code not in frame.columns:
            raise ParameterError("by", f"a mapping from indicator codes of the frame ({', '.join(map(str, frame.columns))})",
                                 code)
        if dcol not in denominators.columns:
            raise ParameterError(f"by[{code!r}]", f"one of the denominator columns {list(denominators.columns)}", dcol)
    for code, s in scale.items():
        if not (isinstance(s, (int, float)) and np.isfinite(s) and s != 0):
            raise ParameterError(f"scale[{code!r}]", "a finite non-zero number", s)
    denominators = denominators.reindex(frame.index)
    for dcol in dict.fromkeys(by.values()):
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
    return DENOMINATE_METHODS[method](frame, denominators, by, scale)
