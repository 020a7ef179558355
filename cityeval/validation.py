"""The one vocabulary of input checks that every cityeval function uses.

Rule (issue 11): a bad *argument* raises :class:`~cityeval.errors.ParameterError` naming
the parameter, what is allowed and what was received; a bad *value in the data* (a NaN,
an infinity, a non-numeric column, a repeated city) raises
:class:`~cityeval.errors.DataError` naming the column and the unit; an error is never
re-raised as a poorer class. A seed is a whole number 0 ... 2**32 - 1, or ``None``
only where a function documents that fresh entropy is meant.

Every check returns the value in the form the caller should use (a float, an int, a
float array), so a function's first lines read as its contract::

    x = check_frame(frame, what="indicator")
    n_boot = check_integer("n_boot", n_boot, low=1)
    seed = check_seed(seed)

>>> check_integer("k", 3, low=1, high=6)
3
>>> check_number("alpha", 1.5, low=0, high=1, low_open=True, high_open=True)
Traceback (most recent call last):
...
cityeval.errors.ParameterError: alpha should be a finite number in (0, 1), but its value is 1.5.
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError, plain_repr

__all__ = ["Shown", "SEED_MAX", "check_frame", "check_sample", "check_number", "check_integer", "check_seed",
           "check_choice", "check_bool", "option_names", "check_options", "check_used_options", "check_weights", "check_numbers", "check_weight_column",
           "check_values", "check_choices", "check_power_of_two"]

#: The largest seed: seeds are 32-bit, so every seed also works with the legacy ``RandomState``.
SEED_MAX = 2 ** 32 - 1


class Shown(str):
    """A description of the received value, shown without quotes in a ParameterError message
    ("but its value is an array of shape (3, 2).")."""

    def __repr__(self):
        return str(self)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _as_float(x) -> np.ndarray | None:
    """``x`` as a float array when every element is a real number (None and pandas' NA become NaN); ``None``
    when any element is a string, a boolean, a complex number or another object. Unlike
    ``np.asarray(x, dtype=float)`` this does not turn ``"1"`` or ``True`` into a number."""
    raw = np.asarray(x)
    if raw.dtype.kind in "iuf":
        return raw.astype(float)
    if raw.dtype.kind == "O":
        flat = raw.ravel()
        if all(_is_real(v) or v is None or v is pd.NA for v in flat):
            return np.array([np.nan if v is None or v is pd.NA else float(v) for v in flat],
                            dtype=float).reshape(raw.shape)
    return None


def _interval(low, high, low_open, high_open) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def check_number(name: str, value, *, low=None, high=None, low_open: bool = False, high_open: bool = False,
                 allowed: str | None = None) -> float:
    """``value`` as a finite float within the bounds; else a ParameterError.

    Booleans are refused (``True`` is not a number here). ``allowed`` replaces the wording
    of what is allowed, e.g. ``"a positive shift"``.
    """
    try:
        ok = _is_real(value) and bool(np.isfinite(float(value)))
    except OverflowError:  # an int too large for a float
        ok = False
    if ok:
        v = float(value)
        ok = ((low is None or (v > low if low_open else v >= low))
              and (high is None or (v < high if high_open else v <= high)))
    if not ok:
        what = allowed or " ".join(filter(None, ["a finite number", _interval(low, high, low_open, high_open)]))
        raise ParameterError(name, what, value)
    return float(value)


def check_integer(name: str, value, *, low=None, high=None, allowed: str | None = None) -> int:
    """``value`` as an int within ``[low, high]``; a float such as ``3.0`` or a bool is refused."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    ok = ok and (low is None or value >= low) and (high is None or value <= high)
    if not ok:
        if allowed is None:
            if low is not None and high is not None:
                allowed = f"a whole number between {low} and {high}"
            elif low is not None:
                allowed = f"a whole number >= {low}"
            elif high is not None:
                allowed = f"a whole number <= {high}"
            else:
                allowed = "a whole number"
        raise ParameterError(name, allowed, value)
    return int(value)


def check_seed(seed, *, name: str = "seed", allow_none: bool = False) -> int | None:
    """A seed: a whole number 0 ... 2**32 - 1 (``None`` too when ``allow_none``: fresh entropy)."""
    if seed is None and allow_none:
        return None
    return check_integer(name, seed, low=0, high=SEED_MAX,
                         allowed=f"a whole number between 0 and 2**32 - 1{' or None' if allow_none else ''}")


def check_choice(name: str, value, choices):
    """``value`` if it is one of ``choices`` (any iterable; a dict's keys), else a ParameterError listing them."""
    choices = list(choices)
    try:
        ok = bool(value in choices)
        if isinstance(value, (bool, np.bool_)):   # True == 1: a bool is a choice only among bools
            ok = ok and any(isinstance(c, (bool, np.bool_)) for c in choices)
    except (TypeError, ValueError):  # unhashable, or an array whose comparison has no single truth value
        ok = False
    if not ok:
        raise ParameterError(name, f"one of {', '.join(plain_repr(c) for c in choices)}", value)
    return value


def check_bool(name: str, value) -> bool:
    """``value`` if it is a bool (numpy's included); ``0``/``1`` and strings are refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(name, "True or False", value)
    return bool(value)


def _plural(word: str) -> str:
    """English plural of a noun such as "unit", "city", "dimension score" (the last word changes)."""
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def check_frame(frame, *, name: str = "frame", rows: str = "unit", columns: str = "indicator",
                min_rows: int = 1, min_columns: int = 1, complete: bool = False, unique_index: bool = False,
                why: str = "") -> np.ndarray:
    """The float values of a frame with one row per ``rows`` (a unit, a city) and one column per ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns (booleans are refused); missing values are NaN.
    name : str
        The parameter's name in messages.
    rows, columns : str
        What a row and a column are, in messages ("city", "dimension score").
    min_rows, min_columns : int
        The fewest rows and columns the caller can use (a ParameterError below that).
    complete : bool
        Refuse missing values as well as infinities (a DataError naming the first cell; ``why``
        says why the caller needs complete data, e.g. "DEA compares every unit with all the others").
    unique_index : bool
        Refuse a repeated row label (columns must always be unique).

    Returns
    -------
    numpy.ndarray of float, shape (n_rows, n_columns)

    Raises
    ------
    ParameterError
        Not a DataFrame, or too few rows or columns.
    DataError
        A repeated label, a non-numeric column, an infinite value (or a missing one with ``complete``).
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(name, f"a pandas DataFrame (rows = {_plural(rows)}, columns = {_plural(columns)})",
                             Shown(type(frame).__name__))
    if frame.shape[1] < min_columns:
        raise ParameterError(name, f"a frame with at least {min_columns} {columns} column(s)",
                             Shown(f"{frame.shape[1]} columns"))
    if frame.shape[0] < min_rows:
        raise ParameterError(name, f"a frame with at least {min_rows} {rows if min_rows == 1 else _plural(rows)} (rows)", Shown(f"{frame.shape[0]} rows"))
    labelled = [("columns", frame.columns, columns)] + ([("index", frame.index, rows)] if unique_index else [])
    for axis, labels, what in labelled:
        if labels.has_duplicates:
            dup = labels[labels.duplicated()].unique()
            raise DataError(None, f"{_plural(what)} (the {name}'s {axis}) must be unique",
                            detail=f"repeated: {', '.join(map(str, dup[:5]))}")
    bad = [str(c) for c, t in frame.dtypes.items()
           if not (pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
                   and not pd.api.types.is_complex_dtype(t))]
    if bad:
        raise DataError(None, f"{columns} values must be numeric", column=bad[0],
                        detail=f"non-numeric column(s): {', '.join(bad)}")
    x = frame.to_numpy(dtype=float, na_value=np.nan)
    bad_cells = ~np.isfinite(x) if complete else np.isinf(x)
    if bad_cells.any():
        i, j = np.argwhere(bad_cells)[0]
        rule = (f"{columns} values must be complete and finite" + (f" ({why})" if why else "")) if complete \
            else f"{columns} values must be finite"
        raise DataError(None, rule, column=str(frame.columns[j]),
                        detail=f"{rows} {plain_repr(frame.index[i])} has {x[i, j]}; {int(bad_cells.sum())} such value(s)")
    return x


def check_sample(x, *, name: str = "x", min_n: int = 2, nonnegative: bool = False, positive_sum: bool = False,
                 what: str = "one value per city") -> np.ndarray:
    """A one-dimensional sample as a float array.

    A value that is not a 1-d sequence of numbers, or too short, is a bad argument
    (ParameterError); a NaN, an infinity or (with ``nonnegative``) a negative value is a
    bad value in the data (DataError naming the first such element by its label).
    """
    if x is None or isinstance(x, (str, bytes)) or np.isscalar(x):
        raise ParameterError(name, f"a one-dimensional sequence of numbers ({what})", x)
    arr = _as_float(x)
    if arr is None:
        raise ParameterError(name, f"a one-dimensional sequence of numbers ({what})",
                             Shown(f"a {type(x).__name__} that is not numeric (strings, booleans and complex "
                                   "numbers are refused)"))
    if arr.ndim != 1:
        raise ParameterError(name, f"one-dimensional ({what})", Shown(f"an array of shape {arr.shape}"))
    labels = list(x.index) if isinstance(x, pd.Series) else list(range(arr.size))
    for bad, rule in ((~np.isfinite(arr), "values must be finite (drop or impute the missing cities first)"),
                      ((arr < 0) if nonnegative else np.zeros(arr.shape, bool), "values must be >= 0")):
        if bad.any():
            where = [labels[i] for i in np.flatnonzero(bad)]
            shown = ", ".join(str(v) for v in where[:5]) + (", ..." if len(where) > 5 else "")
            raise DataError(None, f"{name}: {rule}",
                            detail=f"{int(bad.sum())} of {arr.size} values, at {shown}; first {arr[bad][0]}")
    if arr.size < min_n:
        raise ParameterError(name, f"a sample of at least {min_n} values", Shown(f"{arr.size} value(s)"))
    if positive_sum and not arr.sum() > 0:
        raise DataError(None, f"{name}: values must have a positive total", detail="all zeros")
    return arr


def option_names(fn) -> set[str]:
    """The option names of a stage method: the keyword-only parameters after ``*`` in its signature.

    This is the one way options are discovered (the method record's checks, ``check_options``
    and the audit all use it).
    """
    return {p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY}


def check_options(fn, options: dict, *, where: str) -> None:
    """Raise a ParameterError naming the first option ``fn`` does not take (``where``: e.g.
    ``"aggregate(method='topsis')"``), listing the ones it does."""
    allowed = option_names(fn)
    for k in options:
        if k not in allowed:
            raise ParameterError(f"option {plain_repr(k)} of {where}",
                                 f"one of {sorted(allowed)}" if allowed else "absent (the method has no options)",
                                 options[k])


def check_used_options(method: str, options: dict, registry: dict, *, where: str, context=()) -> None:
    """Refuse an option that ``method`` does not use although another method of the same stage does: given
    with ``method`` it would do nothing (``{"treat": {"method": "log", "winmax": 50}}``: the log transform
    winsorises nothing). The message names the option, the method and the methods that use it.

    An option no method of ``registry`` takes is left to :func:`check_options` (an unknown option).

    Parameters
    ----------
    method : str
        The registered name of the chosen method.
    options : dict
        The options given with it.
    registry : dict
        The stage's methods, name -> function (their keyword-only parameters are their options).
    where : str
        Where the options were given, e.g. ``"treat(method='log')"`` or ``"treat"``.
    context : iterable of str
        Keyword-only parameters the stage supplies itself (never options).

    Raises
    ------
    ParameterError
        ``option 'winmax' of treat should be absent with method 'log', which does not use it ...``

    Examples
    --------
    >>> def _a(frame, *, k=1): ...
    >>> def _b(frame): ...
    >>> check_used_options("b", {"k": 2}, {"a": _a, "b": _b}, where="stage")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: option 'k' of stage should be absent with method 'b', which does not use it \
(only 'a' does), so it would do nothing, but its value is 2.
    """
    own = option_names(registry[method]) - set(context)
    for k in options:
        if k in own:
            continue
        users = [name for name, fn in registry.items() if k in option_names(fn) - set(context)]
        if users:
            who = ", ".join(map(repr, users))
            raise ParameterError(f"option {plain_repr(k)} of {where}",
                                 f"absent with method {method!r}, which does not use it (only {who} "
                                 f"do{'es' if len(users) == 1 else ''}), so it would do nothing", options[k])


def check_weights(weights, codes) -> np.ndarray:
    """Weights (Series/dict keyed by code, or a sequence in ``codes`` order) as a float array in the order of
    ``codes``, not renormalised; every weight finite and >= 0 with a positive sum. Entries for other codes
    are ignored."""
    codes = pd.Index(codes)
    if codes.has_duplicates:
        raise ParameterError("codes", "unique indicator codes", list(map(str, codes[codes.duplicated()])))
    if weights is None or isinstance(weights, (str, bytes)) or np.isscalar(weights):
        raise ParameterError("weights", "a Series or dict keyed by indicator code, or a sequence of numbers "
                             "in the indicators' order", weights)
    if isinstance(weights, dict):
        weights = pd.Series(weights, dtype=object)
    if isinstance(weights, pd.Series):
        missing = [str(c) for c in codes if c not in weights.index]
        if missing:
            raise ParameterError("weights", f"a weight for every indicator ({', '.join(map(str, codes))})",
                                 f"missing for {', '.join(missing)}")
        if weights.index.has_duplicates:
            raise ParameterError("weights", "one weight per indicator code (unique index)",
                                 f"repeated codes {sorted(map(str, weights.index[weights.index.duplicated()]))}")
        w = weights.reindex(codes)  # entries for other codes are ignored
    else:
        w = np.asarray(weights, dtype=object).ravel()
        if len(w) != len(codes):
            raise ParameterError("weights", f"{len(codes)} weights, one per indicator", f"{len(w)} weights")
        w = pd.Series(w, index=codes)
    w = _as_float(w.to_numpy())
    if w is None:
        raise ParameterError("weights", "numbers (strings and booleans are refused)", list(weights.values())
                             if isinstance(weights, dict) else weights)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        j = int(np.argmax(bad))
        raise ParameterError(f"weights[{plain_repr(codes[j])}]", "a finite number >= 0", float(w[j]))
    if not w.sum() > 0:
        raise ParameterError("weights", "non-negative numbers with a positive sum", w.tolist())
    return w


def check_numbers(name: str, value, *, low=None, high=None, low_open: bool = False, high_open: bool = False,
                  min_size: int = 1) -> np.ndarray:
    """An argument that is a number or an array of numbers (a grid of separations, of correlations ...)
    as a float array of the same shape, every element finite and within the bounds; else a ParameterError.

    Unlike :func:`check_sample` this is for *arguments*: a NaN is a bad argument, not a bad value in
    the data. Booleans and strings are refused (``"1"`` is not a number here).

    >>> check_numbers("separations", [0.0, 2.5], low=0).tolist()
    [0.0, 2.5]
    >>> check_numbers("cv", -0.1, low=0)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: cv should be a number or an array of numbers, each finite and >= 0, but its value is -0.1.
    """
    interval = _interval(low, high, low_open, high_open)
    allowed = "a number or an array of numbers, each finite" + (f" and {interval}" if interval else "")
    if min_size > 1:
        allowed += f", at least {min_size} of them"
    try:
        raw = np.asarray(value)
        ok = raw.dtype.kind in "iuf" or (raw.dtype.kind == "O" and all(_is_real(v) for v in raw.ravel()))
        arr = raw.astype(float) if ok else None
    except (TypeError, ValueError):
        ok, arr = False, None
    if ok:
        inside = np.isfinite(arr)
        if low is not None:
            inside &= (arr > low) if low_open else (arr >= low)
        if high is not None:
            inside &= (arr < high) if high_open else (arr <= high)
        ok = bool(inside.all()) and arr.size >= min_size
    if not ok:
        shown = value
        if isinstance(value, np.ndarray) and value.size > 10:
            shown = Shown(f"an array of shape {value.shape}" + (f" with {int((~inside).sum())} value(s) outside"
                                                                 if arr is not None else ""))
        raise ParameterError(name, allowed, shown)
    return arr


def check_weight_column(weights, *, column: str = "weight", rows: str = "indicator") -> np.ndarray:
    """Weights read from the data (a table's weight column: a Series keyed by label) as a float array in the
    Series' order: every weight a finite number >= 0, with a positive sum; else a DataError naming the column
    and the first bad label.

    The data-side twin of :func:`check_weights` (which checks weights given as an argument): a weight in an
    indicator table is a value in the data, so a bad one is a DataError, not a ParameterError.

    >>> check_weight_column(pd.Series([1.0, 3.0], index=["a", "b"])).tolist()
    [1.0, 3.0]
    >>> check_weight_column(pd.Series([1.0, -2.0], index=["a", "b"]))
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: <data>, column 'weight': weight values must be finite numbers >= 0 (indicator 'b' has -2.0)
    """
    if not isinstance(weights, pd.Series):
        raise ParameterError(column, f"a pandas Series of weights, one per {rows}", Shown(type(weights).__name__))
    w = np.empty(len(weights))
    for i, (label, value) in enumerate(weights.items()):
        try:
            w[i] = np.nan if isinstance(value, (bool, np.bool_)) else float(value)
        except (TypeError, ValueError):
            w[i] = np.nan
        if not (np.isfinite(w[i]) and w[i] >= 0):
            raise DataError(None, f"{column} values must be finite numbers >= 0", column=column,
                            detail=f"{rows} {plain_repr(label)} has {plain_repr(value)}")
    if not w.sum() > 0:
        raise DataError(None, f"{column} values must have a positive sum", column=column,
                        detail=f"{_plural(rows)} {', '.join(map(str, weights.index))}: all 0")
    return w


def check_choices(name: str, values, choices) -> tuple:
    """A sequence of distinct names, each one of ``choices`` (any iterable; a dict's keys), as a tuple; else a
    ParameterError. A single string is refused (it is not iterated letter by letter), as is an empty sequence.

    >>> check_choices("weightings", ["equal", "entropy"], {"equal": 1, "entropy": 2, "critic": 3})
    ('equal', 'entropy')
    >>> check_choices("weightings", "equal", ["equal", "entropy"])
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: weightings should be a sequence of distinct names, each one of 'equal', 'entropy', but its value is 'equal'.
    """
    choices = list(choices)
    allowed = f"a sequence of distinct names, each one of {', '.join(plain_repr(c) for c in choices)}"
    if isinstance(values, (str, bytes)) or not np.iterable(values) or isinstance(values, dict):
        raise ParameterError(name, allowed, values)
    values = tuple(values)
    if not values:
        raise ParameterError(name, allowed, values)
    for v in values:
        check_choice(f"{name}[{values.index(v)}]" if _hashable(v) else name, v, choices)
    if len(set(values)) != len(values):
        raise ParameterError(name, allowed, Shown(f"{plain_repr(values)} (repeated: "
                                                  f"{', '.join(sorted({plain_repr(v) for v in values if values.count(v) > 1}))})"))
    return values


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def check_values(name: str, x, *, ndims: tuple = (1, 2), what: str = "one value per unit") -> np.ndarray:
    """Data values with gaps: a 1-d (or, if allowed, 2-d) array of numbers as floats, NaN kept as missing.

    Not numbers (strings, booleans, ragged rows) or the wrong number of dimensions is a ParameterError; an
    infinity is a DataError (a bad value in the data). Unlike :func:`check_sample`, a NaN is allowed.

    >>> check_values("x", [1, None, 3.5]).tolist()
    [1.0, nan, 3.5]
    >>> check_values("x", ["a", "b"])
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: x should be a 1- or 2-dimensional array of numbers (one value per unit), but its value is a list that is not numeric (strings and booleans are refused).
    """
    dims = " or ".join(map(str, ndims)).replace(" or ", "- or ", len(ndims) - 1) + "-dimensional"
    allowed = f"a {dims} array of numbers ({what})"
    try:
        arr = None if isinstance(x, (str, bytes)) or x is None else _as_float(x)
    except (TypeError, ValueError):  # ragged rows
        arr = None
    if arr is None:
        raise ParameterError(name, allowed, Shown(f"a {type(x).__name__} that is not numeric (strings and booleans "
                                                  "are refused)"))
    if arr.ndim not in ndims:
        raise ParameterError(name, allowed, Shown(f"an array of shape {arr.shape}"))
    if np.isinf(arr).any():
        raise DataError(None, f"{name}: values must be finite (NaN for a missing value)",
                        detail=f"{int(np.isinf(arr).sum())} infinite value(s)")
    return arr


def check_power_of_two(name: str, value, *, low: int = 2, example: int = 512) -> int:
    """``value`` as an int that is a power of 2 and at least ``low`` (Sobol' sample sizes: the points are
    balanced only then).

    >>> check_power_of_two("n", 256)
    256
    >>> check_power_of_two("--sobol", 3)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: --sobol should be a power of 2 >= 2 (Sobol' points are balanced only then), e.g. 512, but its value is 3.
    """
    allowed = f"a power of 2 >= {low} (Sobol' points are balanced only then), e.g. {example}"
    value = check_integer(name, value, low=low, allowed=allowed)
    if value & (value - 1):
        raise ParameterError(name, allowed, value)
    return value
