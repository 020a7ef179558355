"""The contract every stage's methods follow, checked in one place.

Each stage (denominate, impute, screen, treat, normalize, weight, aggregate, rank) keeps its
interchangeable methods in one registry, ``name -> function``, and every registered function
has the signature::

    method(frame, *, <context>, <options>)

``frame`` is the stage's data (rows = units, columns = indicator codes). Everything else is
keyword-only:

- *options* are the choices a user makes (``low``, ``high``, ``epsilon``, ``winmax`` ...): they
  come from the stage function's ``**options`` or from the stage's entry of a method record;
- *context* is what the stage function itself supplies from its other arguments (the
  directions for normalize, the weights for aggregate, the denominator columns for denominate):
  each stage module lists those names in its ``CONTEXT`` tuple, and they are never options.

So the options of a method are found one way: its keyword-only parameters
(:func:`cityeval.validation.option_names`) less the stage's ``CONTEXT``. An unknown method is
always ``ParameterError("<stage> method", "one of ...", value)``.

>>> def _example(frame, *, directions, low=0.0):
...     return frame
>>> sorted(method_options(_example, context=("directions",)))
['low']
>>> pick_method("normalize", "minmaxx", {"minmax": _example})
Traceback (most recent call last):
...
cityeval.errors.ParameterError: normalize method should be one of 'minmax', but its value is 'minmaxx'.

Numbers stay finite (issue 14). Every stage refuses an infinite input (a
:class:`~cityeval.errors.DataError` naming the unit and the indicator) and checks with
:func:`check_finite_result` that every value it was given comes out finite; otherwise it fails
naming the stage, the unit and the indicator, instead of handing a silent NaN or inf on to the
next stage (where it would be read as a missing value). Where the arithmetic of a stage would
overflow or underflow only because of the *size* of the values (a range ``max - min`` of
``[-1e308, 1e308]``, a sum or a square of ``1e200``, a square of ``1e-200``), the stage first
scales the column by a power of two (:func:`scale_exponents`, exact in binary floating point)
and undoes the scale afterwards: values of ordinary size, ``2**-500 <= max|x| <= 2**500``, are
never scaled, so their results do not change by a single bit.

A column whose values differ by less than floating point resolves is *constant* for every stage
that divides by a range, a standard deviation or a mean (:func:`flat_range`): its range is at
most :data:`RANGE_RTOL` times its largest magnitude.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from cityeval.errors import DataError, ParameterError
from cityeval.validation import check_choice, option_names

__all__ = ["method_name", "pick_method", "method_options", "check_method_options", "RANGE_RTOL", "flat_range",
           "scale_exponents", "check_finite_result", "check_span", "check_shift"]

#: Relative tolerance of a constant column: a range ``max - min <= RANGE_RTOL * max(|min|, |max|)`` counts as
#: zero. Every value carries a rounding error of up to half an ulp, ``1.1e-16 * |x|``; with a range of at least
#: ``1e-12 * max|x|`` that error is at most ``1e-4`` of the range, so a min-max score (0 ... 100) is right to
#: 0.01 points. A smaller range (one ulp of 1.0 is ``2.2e-16``) would stretch rounding noise onto the whole
#: scale (0, 50, 100): such a column is treated as constant, with the constant column's error or rule.
RANGE_RTOL = 1e-12

#: Columns whose largest magnitude lies outside ``[2**-SCALE_LIMIT, 2**SCALE_LIMIT]`` are scaled by a power of
#: two before a stage squares, sums or subtracts them (squares overflow above ``2**512``, underflow below
#: ``2**-537``; sums and differences of values above ``2**1023`` overflow).
SCALE_LIMIT = 500


def method_name(stage: str, where: str | None = None) -> str:
    """The name of a stage's method in messages: ``"<stage> method"``, and where it was given, if not the stage
    entry itself (``"weight method of weight.by_parent['P1']"``). The rank stage's method is its tie rule,
    called ``ties``: ``"rank method (ties)"``.

    >>> method_name("weight", "weight.by_parent['P1']"), method_name("rank")
    ("weight method of weight.by_parent['P1']", 'rank method (ties)')
    """
    name = "rank method (ties)" if stage == "rank" else f"{stage} method"
    return name + (f" of {where}" if where and where != stage else "")


def pick_method(stage: str, method, registry: Mapping[str, Callable], *, where: str | None = None,
                aliases: Mapping[str, str] | None = None) -> Callable:
    """The registered function of ``method``; else ``ParameterError("<stage> method", "one of ...", method)``.

    ``aliases`` maps a former name to the registered one (e.g. ``"winsorise"`` to ``"winsorize"``).
    """
    if aliases and isinstance(method, str) and method in aliases:
        method = aliases[method]
    check_choice(method_name(stage, where), method, registry)
    return registry[method]


def method_options(fn: Callable, context: Iterable[str] = ()) -> set[str]:
    """The option names of a registered method: its keyword-only parameters less the stage's context."""
    return option_names(fn) - set(context)


def check_method_options(fn: Callable, options: Mapping, *, where: str, context: Iterable[str] = (),
                         required: bool = True) -> None:
    """Raise a ParameterError naming the first key of ``options`` that is not an option of ``fn``
    (``where``: e.g. ``"normalize(method='minmax')"`` or ``"weight.by_parent['P1']"``), listing the
    ones it takes. Same wording as :func:`cityeval.validation.check_options`. With ``required``, an option
    without a default (AHP's ``matrix``, the given ``weights``) that ``options`` lacks is a ParameterError too.

    >>> def _given(frame, *, weights, sum_to=None):
    ...     return frame
    >>> check_method_options(_given, {}, where="weight(method='given')")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: option 'weights' of weight(method='given') should be given (the method requires it), but its value is None.
    """
    allowed = method_options(fn, context)
    for k in options:
        if k not in allowed:
            raise ParameterError(f"option {k!r} of {where}",
                                 f"one of {sorted(allowed)}" if allowed else "absent (the method has no options)",
                                 options[k])
    if required:
        params = inspect.signature(fn).parameters
        for k in sorted(allowed):
            if params[k].default is inspect.Parameter.empty and k not in options:
                raise ParameterError(f"option {k!r} of {where}", "given (the method requires it)", None)


def flat_range(lo, hi) -> np.ndarray:
    """True where the range ``hi - lo`` is at most :data:`RANGE_RTOL` times ``max(|lo|, |hi|)`` (or where
    ``lo``/``hi`` are NaN: no values): a column that is constant to floating-point resolution.

    A range that overflows (``[-1e308, 1e308]``) is not flat.

    >>> flat_range(np.array([1.0, 1.0, 0.0, -1e308]), np.array([1.0, 1.0 + 2.2e-16, 5e-324, 1e308])).tolist()
    [True, True, False, False]
    """
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        return ~(hi - lo > RANGE_RTOL * np.maximum(np.abs(lo), np.abs(hi)))


def check_span(name: str, lo: float, hi: float, *, what: str, value=None) -> None:
    """Raise ``ParameterError(name, ...)`` unless the option range ``[lo, hi]`` (an output scale such as min-max's
    ``low``/``high``) is wider than rounding noise: more than :data:`RANGE_RTOL` times ``max(|lo|, |hi|)``, and
    at least ``2.2e-308 / RANGE_RTOL`` (about ``2.2e-296``), so that a
    difference of ``RANGE_RTOL`` of the range is still a normal float (below, the scores lose their digits).
    ``value`` (default ``hi``) is the option's value shown in the message.

    >>> check_span("high", 0.0, 5e-324, what="greater than low (0)")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: high should be greater than low (0) (a range from 0.0 to 5e-324 holds only rounding noise: it must be wider than 1e-12 times its ends and than 2.2e-296), but its value is 5e-324.
    """
    with np.errstate(over="ignore"):
        width = float(hi) - float(lo)
    if flat_range(lo, hi) or not width >= np.finfo(float).tiny / RANGE_RTOL:
        raise ParameterError(name, f"{what} (a range from {_plain(lo)} to {_plain(hi)} holds only rounding noise: it "
                             f"must be wider than {RANGE_RTOL:g} times its ends and than "
                             f"{np.finfo(float).tiny / RANGE_RTOL:.2g})",
                             hi if value is None else value)


def check_shift(name: str, s: float, x, codes) -> None:
    """Raise ``ParameterError(name, ...)`` if adding ``s`` to the values ``x`` (rows units, columns ``codes``)
    leaves the values of a column that varies indistinguishable (:func:`flat_range` after, not before) or makes
    one infinite: a shift that swamps the values (``shift=1e308`` on scores of 0 ... 100).

    >>> check_shift("shift", 1e308, np.array([[0.0], [100.0]]), ["a"])
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: shift should be a number that leaves the values of 'a' distinguishable (at most 1e+12 times their range, 100, and finite after adding it), but its value is 1e+308.
    """
    if not s:
        return
    x = np.asarray(x, dtype=float)
    x = x.reshape(len(x), -1)
    with np.errstate(over="ignore", invalid="ignore"):
        lo, hi = np.nanmin(x, axis=0, initial=np.inf, where=~np.isnan(x)), \
            np.nanmax(x, axis=0, initial=-np.inf, where=~np.isnan(x))
        bad = (~flat_range(lo, hi) & flat_range(lo + s, hi + s)) | (np.isfinite(hi) & ~np.isfinite(hi + s)) \
            | (np.isfinite(lo) & ~np.isfinite(lo + s))
    if bad.any():
        j = int(np.argmax(bad))
        raise ParameterError(name, f"a number that leaves the values of {str(codes[j])!r} distinguishable (at most "
                             f"{1 / RANGE_RTOL:g} times their range, {float(hi[j] - lo[j]):g}, and finite after "
                             "adding it)", s)


def scale_exponents(x, *, axis=0, limit: int = SCALE_LIMIT) -> np.ndarray:
    """The exponents ``e`` with which ``np.ldexp(x, -e)`` brings each column's largest magnitude into
    ``[0.5, 1)``, for the columns of extreme size (``max|x|`` above ``2**limit`` or below ``2**-limit`` but not 0);
    0 for every other column (ordinary values are never scaled). ``axis=None``: one exponent for all of ``x``.
    ``limit`` (default 500, for squares) is lower where higher powers are taken (250 for fourth powers).

    Multiplying by a power of two is exact (bar the underflow of values ``2**-1022`` times smaller than the
    column's largest), so a stage that is scale-invariant gives the same result on the scaled column.

    >>> scale_exponents(np.array([[1e308, 3.0, 1e-300], [-1e308, 4.0, 0.0]])).tolist()
    [1024, 0, -996]
    """
    x = np.asarray(x, dtype=float)
    big = np.where(np.isfinite(x), np.abs(x), 0.0).max(axis=axis, initial=0.0)
    extreme = (big > 2.0 ** limit) | ((big > 0) & (big < 2.0 ** -limit))
    return np.where(extreme, np.frexp(big)[1], 0).astype(int)


def _plain(v) -> str:
    """A number as a message shows it: ``310.0``, ``1e+308``, ``inf``, ``nan`` (never ``np.float64(...)``)."""
    return repr(float(v))


def check_finite_result(stage: str, out, *, units, codes=None, present=None, given=None,
                        hint="rescale the indicator") -> None:
    """Raise a DataError unless every value of a stage's result is finite where it must be.

    Parameters
    ----------
    stage : str
        The stage (or function) in the message: ``"normalize(method='minmax')"``, ``"denominate"``.
    out : array_like, shape (n_units, n_codes) or (n_units,)
        The result.
    units, codes : sequence
        The labels of the rows and columns (``codes=None`` for a one-column result such as a score).
    present : array_like of bool, same shape as ``out``, optional
        Where the stage was given a value (so a value must come out); default everywhere. An infinity is
        refused everywhere.
    given : array_like, same shape as ``out``, optional
        The stage's input, to show the value that went in.
    hint : str or callable, default "rescale the indicator"
        What to do, at the end of the rule; a callable is given the bad cell's code (or None).

    Raises
    ------
    DataError
        Naming the first bad cell's indicator (column) and unit, the stage, and how many cells are bad.

    >>> check_finite_result("normalize", np.array([[0.0, np.nan]]), units=["p"], codes=["a", "b"],
    ...                     given=np.array([[1.0, 1e308]]))
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: <data>, column 'b': the result of normalize is not finite: its arithmetic overflows floating point (or is undefined) for these values; rescale the indicator (unit 'p' has 1e+308, which becomes nan; 1 such value(s))
    """
    out = np.asarray(out, dtype=float)
    bad = np.isinf(out) | (np.isnan(out) & (True if present is None else np.asarray(present, dtype=bool)))
    if not bad.any():
        return
    first = tuple(np.argwhere(bad)[0]) if out.ndim else ()
    i = first[0] if first else 0
    column = str(codes[first[1]]) if codes is not None and len(first) > 1 else None
    had = f"has {_plain(np.asarray(given, dtype=float)[first])}, which becomes" if given is not None else "gets"
    hint = hint(column) if callable(hint) else hint
    raise DataError(None, f"the result of {stage} is not finite: its arithmetic overflows floating point (or is "
                    f"undefined) for these values; {hint}", column=column,
                    detail=f"unit {units[i]!r} {had} {_plain(out[first])}; {int(bad.sum())} such value(s)")
