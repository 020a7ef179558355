"""Missing values: imputation, and screening units by data availability.

Imputation methods (registry :data:`IMPUTE_METHODS`, the stages' one signature
``f(frame, *, options) -> frame``; only the group methods have an option, ``group``):

``"none"``
    No imputation, and no missing value allowed: a missing cell raises a
    :class:`~cityeval.errors.DataError` that names the missing cells (unit, code).
``"skip"``
    No imputation: missing cells stay missing and aggregation later skips them,
    renormalising the weights over the available values (COINr's behaviour when
    no imputation is run).
``"mean"`` / ``"median"``
    The indicator's mean / median over the units that have a value.
``"group_mean"`` / ``"group_median"``
    The indicator's mean / median over the units of the same group (a group
    column of ``values.csv``, e.g. region) that have a value: COINr's
    ``i_mean_grp`` / ``i_median_grp``.

Decided edge cases: a cell whose whole group (or whose unit's group label) is
missing stays missing after group imputation, as in COINr; screening or
aggregation then deals with it. Imputation never changes a value that is present.
An indicator with values beyond ``2**500`` (or all below ``2**-500``) is imputed from its values
scaled by a power of two (a mean or median is scale-equivariant), so the mean of ``1e308`` and
``1.5e308`` is ``1.25e308``, not an overflow to inf; an imputed value that is still not finite is a
:class:`~cityeval.errors.DataError` naming the unit and the indicator.

Screening (:func:`screen`) keeps the units whose data availability reaches a
threshold, as COINr's ``Screen()``. Its rules (registry :data:`SCREEN_METHODS`, the same
signature ``f(frame, *, min_availability, min_nonzero) -> keep mask``) all take both
thresholds, so that a record can switch screening off or on without editing them.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, step 3 "Imputation of
missing data". https://doi.org/10.1787/9789264043466-en
Becker, W. et al. (2022). COINr, ``Impute()`` and ``Screen()``. https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cityeval.composite._contract import check_finite_result, check_method_options, pick_method, scale_exponents
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame, check_number, check_used_options

__all__ = ["impute", "screen", "missing_cells", "IMPUTE_METHODS", "SCREEN_METHODS", "CONTEXT"]

#: Keyword-only parameters of the methods that the stage functions supply (not options): none.
CONTEXT = ()


def missing_cells(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The missing cells of ``frame`` as ``(unit, code)`` pairs, row by row.

    >>> import pandas as pd
    >>> missing_cells(pd.DataFrame({"a": [1.0, None]}, index=["p", "q"]))
    [('q', 'a')]
    """
    rows, cols = np.nonzero(frame.isna().to_numpy())
    return [(frame.index[r], frame.columns[c]) for r, c in zip(rows, cols)]


def _none(frame):
    cells = missing_cells(frame)
    if cells:
        shown = "; ".join(f"unit {u!r} indicator {c!r}" for u, c in cells[:10])
        more = f" and {len(cells) - 10} more" if len(cells) > 10 else ""
        raise DataError(None, "missing values with imputation method 'none'; choose an imputation method "
                        "('skip', 'mean', 'median', 'group_mean', 'group_median') or complete the data",
                        detail=f"{len(cells)} missing: {shown}{more}")
    return frame.copy()


def _skip(frame):
    return frame.copy()


def _column(stat):
    def f(frame):
        return frame.fillna(getattr(frame, stat)(axis=0, skipna=True))
    f.__name__ = f"_{stat}"
    return f


def _grouped(stat):
    def f(frame, *, group=None):
        if group is None:
            raise ParameterError("group", f"a Series of group labels for imputation method 'group_{stat}'", None)
        if not isinstance(group, pd.Series):
            raise ParameterError("group", "a pandas Series of group labels indexed by unit id",
                                 Shown(type(group).__name__))
        missing = [u for u in frame.index if u not in group.index]
        if missing or group.index.has_duplicates:
            raise ParameterError("group", "a Series with one group label for every unit of the frame (indexed by "
                                 "unit id)", Shown(f"no label for unit(s) {', '.join(map(str, missing[:5]))}"
                                                   if missing else "a Series with a repeated unit id"))
        g = group.reindex(frame.index)
        fill = frame.groupby(g.to_numpy(), dropna=True).transform(stat)
        fill.index = frame.index
        return frame.fillna(fill)
    f.__name__ = f"_group_{stat}"
    return f


#: name -> function(frame, *, options) returning the imputed frame.
IMPUTE_METHODS = {
    "none": _none,
    "skip": _skip,
    "mean": _column("mean"),
    "median": _column("median"),
    "group_mean": _grouped("mean"),
    "group_median": _grouped("median"),
}


def impute(frame: pd.DataFrame, *, method: str = "none", **options) -> pd.DataFrame:
    """Fill missing indicator values.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Indicator values, rows units, columns codes; missing values are NaN.
    method : str, default "none"
        One of :data:`IMPUTE_METHODS` (see the module docstring).
    **options
        ``group`` : pandas.Series, the group label of each unit, indexed by unit id; the
        option of the group methods, and required by them. (In a method record ``group``
        names the group column of ``values.csv`` instead; the pipeline looks it up.)

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``frame``; present values unchanged.

    Raises
    ------
    DataError
        Method ``"none"`` and a missing value: the message lists the missing cells. A
        non-numeric or infinite value. An imputed value that is not finite (named: unit and indicator).
    ParameterError
        Unknown method or option, ``frame`` not a DataFrame, or a group method without ``group``.

    Notes
    -----
    Group mean: :math:`\\hat x_{ui} = \\frac{1}{|G_u^i|}\\sum_{v \\in G_u^i} x_{vi}` where
    :math:`G_u^i` are the units of ``u``'s group with a value of indicator ``i``.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, None, 5.0, 7.0]}, index=list("pqrs"))
    >>> g = pd.Series(["E", "E", "W", "E"], index=list("pqrs"))
    >>> impute(x, method="group_mean", group=g)["a"].tolist()
    [1.0, 4.0, 5.0, 7.0]
    >>> impute(x, method="median")["a"].tolist()
    [1.0, 5.0, 5.0, 7.0]
    """
    fn = pick_method("impute", method, IMPUTE_METHODS)
    check_used_options(method, options, IMPUTE_METHODS, where=f"impute(method={method!r})", context=CONTEXT)
    check_method_options(fn, options, where=f"impute(method={method!r})", context=CONTEXT)
    x = check_frame(frame)
    e = scale_exponents(x)
    if e.any():  # a sum of values near 1e308 overflows: impute from the scaled columns, fill only the gaps
        scaled = pd.DataFrame(np.ldexp(x, -e), index=frame.index, columns=frame.columns)
        fill = np.ldexp(fn(scaled, **options).to_numpy(dtype=float, na_value=np.nan), e)
        out = frame.fillna(pd.DataFrame(fill, index=frame.index, columns=frame.columns))
    else:
        out = fn(frame, **options)
    check_finite_result(f"impute(method={method!r})", out.to_numpy(dtype=float, na_value=np.nan), units=frame.index,
                        codes=frame.columns, present=~np.isnan(x), given=x)
    return out


def _shares(frame: pd.DataFrame):
    """(n_missing, n_zero, availability, non-zero share) per unit."""
    x = frame.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(x)
    n_missing = missing.sum(axis=1)
    n_zero = ((x == 0) & ~missing).sum(axis=1)
    avail = 1.0 - n_missing / x.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        nonzero = 1.0 - n_zero / (x.shape[1] - n_missing)
    return n_missing, n_zero, avail, nonzero


def _screen_rule(name, use_avail, use_zero):
    """The keep-mask function of a screening rule, taking exactly the thresholds the rule uses."""
    def keep_of(frame, min_availability, min_nonzero):
        _, _, avail, nonzero = _shares(frame)
        keep = np.ones(len(frame), dtype=bool)
        if use_avail:
            keep &= avail >= min_availability
        if use_zero:
            keep &= nonzero >= min_nonzero
        return keep

    if use_avail and use_zero:
        def f(frame, *, min_availability=2 / 3, min_nonzero=0.05):
            return keep_of(frame, min_availability, min_nonzero)
    elif use_avail:
        def f(frame, *, min_availability=2 / 3):
            return keep_of(frame, min_availability, None)
    elif use_zero:
        def f(frame, *, min_nonzero=0.05):
            return keep_of(frame, None, min_nonzero)
    else:
        def f(frame):
            return keep_of(frame, None, None)
    f.__name__ = f"_screen_{name}"
    return f


#: Screening rules: name -> function(frame, *, <the thresholds it uses>) returning the keep mask
#: (``"availability"``: min_availability; ``"nonzero"``: min_nonzero; ``"availability_and_nonzero"``: both;
#: ``"none"``: no option).
SCREEN_METHODS = {
    "none": _screen_rule("none", False, False),
    "availability": _screen_rule("availability", True, False),
    "nonzero": _screen_rule("nonzero", False, True),
    "availability_and_nonzero": _screen_rule("availability_and_nonzero", True, True),
}


def screen(frame: pd.DataFrame, *, method: str = "none", **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the units with enough data.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Indicator values; missing values are NaN.
    method : {"none", "availability", "nonzero", "availability_and_nonzero"}, default "none"
        Which rule removes a unit: none (keep every unit), availability below
        ``min_availability``, share of non-zero values below ``min_nonzero``, or either.
        COINr's ``unit_screen = "byNA"``, ``"byzeros"``, ``"byNAandzeros"``.
    **options
        ``min_availability`` : float in (0, 1], default 2/3. Lowest share of indicators
        with a value (COINr's ``dat_thresh``, same default); methods ``"availability"`` and
        ``"availability_and_nonzero"`` only.
        ``min_nonzero`` : float in (0, 1], default 0.05. Lowest share of non-zero values
        among the available ones (COINr's ``nonzero_thresh``); methods ``"nonzero"`` and
        ``"availability_and_nonzero"`` only. A threshold the method does not use, or of 0
        (which removes no unit), is an error: it would do nothing.

    Returns
    -------
    kept : pandas.DataFrame
        The rows of ``frame`` that pass, in their original order.
    report : pandas.DataFrame
        Indexed like ``frame``, columns ``n_missing``, ``n_zero``, ``availability``,
        ``nonzero_share``, ``included`` (bool).

    Raises
    ------
    ParameterError
        Unknown method or option, a threshold the method does not use, a threshold outside (0, 1],
        ``frame`` not a DataFrame.
    DataError
        A non-numeric or infinite value.

    Notes
    -----
    .. math:: a_u = 1 - \\frac{\\#\\{i: x_{ui}\\ \\text{missing}\\}}{n_i}, \\qquad
              z_u = 1 - \\frac{\\#\\{i: x_{ui} = 0\\}}{\\#\\{i: x_{ui}\\ \\text{present}\\}}

    A unit is kept when :math:`a_u \\ge` ``min_availability`` (and/or :math:`z_u \\ge`
    ``min_nonzero``), as in COINr.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, np.nan, 2.0], "b": [1.0, np.nan, np.nan]}, index=["p", "q", "r"])
    >>> kept, report = screen(x, method="availability", min_availability=0.5)
    >>> list(kept.index), report["availability"].tolist()
    (['p', 'r'], [1.0, 0.0, 0.5])
    """
    fn = pick_method("screen", method, SCREEN_METHODS)
    where = f"screen(method={method!r})"
    check_used_options(method, options, SCREEN_METHODS, where=where, context=CONTEXT)
    check_method_options(fn, options, where=where, context=CONTEXT)
    check_frame(frame)
    for name, value in options.items():   # a threshold of 0 removes no unit: the rule would do nothing
        check_number(name, value, low=0, high=1, low_open=True,
                     allowed="a share in (0, 1] (0 removes no unit, so the rule would do nothing; use "
                             "method 'none' to keep every unit)")
    n_missing, n_zero, avail, nonzero = _shares(frame)
    keep = fn(frame, **options)
    report = pd.DataFrame({"n_missing": n_missing, "n_zero": n_zero, "availability": avail,
                           "nonzero_share": nonzero, "included": keep}, index=frame.index)
    return frame.loc[keep], report
