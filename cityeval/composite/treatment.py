"""Outlier treatment: the JRC skewness/kurtosis rule used by COINr.

An indicator *fails* when its distribution has both a strong asymmetry and heavy
tails:

.. math:: |\\mathrm{skew}(x)| \\ge 2 \\quad\\text{and}\\quad \\mathrm{kurt}(x) \\ge 3.5

with the sample skewness and excess kurtosis of Excel / ``e1071`` type 2
(:func:`skewness`, :func:`kurtosis`, the definitions of COINr's ``skew()`` and
``kurt()``). A failing indicator is treated in two stages, as COINr's default
``Treat()``:

1. **Winsorisation.** While it fails and fewer than ``winmax`` points have been
   winsorised: if the skewness is >= 0 the highest value(s) are set to the next
   highest value, otherwise the lowest value(s) to the next lowest. Tied extreme
   values move together and all count.
2. **Log transform.** If it still fails after winsorisation, the winsorised values
   are discarded and the *original* values are transformed instead:

   .. math:: x' = \\log\\big(x - \\min x + 0.01(\\max x - \\min x)\\big)

   (COINr's ``log_CT``). The result is checked again and reported; nothing further is done.

Methods (registry :data:`TREAT_METHODS`, the stages' one signature
``f(frame, *, <options>) -> (treated, report)``; they differ only in what they do to a failing
indicator, and each takes only the options it uses: ``winmax`` only the two that winsorise,
``exclude`` all but ``"none"``, the thresholds all four, since they also decide what the report
calls failing; an option the method does not use is an error naming it, not ignored):

``"jrc"``       winsorisation, then the log transform if still failing (COINr's default);
``"winsorize"`` winsorisation only (``"winsorise"``, the former spelling, is accepted as an
                alias: :data:`TREAT_ALIASES`);
``"log"``       the log transform of every failing indicator, no winsorisation;
``"none"``      nothing (the report still gives skewness and kurtosis).

The report keeps COINr's vocabulary (``n_winsorised``, ``winsorised``, action
``"winsorised"``).

Decided edge cases: missing values are ignored by the statistics and stay
missing; an indicator with fewer than 4 values or zero variance cannot be tested
(skewness/kurtosis undefined, reported as NaN) and is left untouched; winsorisation
also stops when every value has become equal. Zero variance includes a range of at most
:data:`~cityeval.composite._contract.RANGE_RTOL` (``1e-12``) times the largest magnitude: the
moments of such values are rounding noise, and a log transform would blow that noise up into a
spread that looks real. Values of any finite size are tested: the moments are scale-invariant and
are computed on the indicator scaled by a power of two when its values exceed ``2**250`` (a
``1e308`` outlier is winsorised, not left "untestable" because its square overflows), and the
log transform is computed without overflowing too. Every value that goes in comes out finite, or
the stage fails naming the unit and the indicator. Direction plays no part (COINr's
choice): a low-is-better indicator is winsorised on whichever side it is skewed.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, step 4. 
https://doi.org/10.1787/9789264043466-en
Becker, W. et al. (2022). COINr, ``Treat()``, ``winsorise()``, ``log_CT()``, ``check_SkewKurt()``.
https://doi.org/10.21105/joss.04567
Joanes, D. N. and Gill, C. A. (1998). Comparing measures of sample skewness and kurtosis.
*The Statistician* 47(1), 183-189 (type G1/G2 estimators).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

import warnings

from cityeval.composite._contract import (check_finite_result, check_method_options, flat_range, pick_method,
                                          scale_exponents)
from cityeval.errors import ParameterError
from cityeval.validation import check_frame, check_integer, check_number, check_used_options, check_values

__all__ = ["treat", "skewness", "kurtosis", "fails", "winsorize", "winsorise", "log_ct", "TREAT_METHODS",
           "TREAT_ALIASES", "REPORT_COLUMNS", "CONTEXT"]

#: Keyword-only parameters of the methods that :func:`treat` supplies (not options): none.
CONTEXT = ()


def _moments(x: np.ndarray):
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    e = scale_exponents(x, limit=250)
    if e.any():  # skewness and kurtosis are scale-invariant: fourth powers of 1e100 (or 1e-100) stay representable
        x = np.ldexp(x, -e)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
        flat = flat_range(np.nanmin(x, axis=0), np.nanmax(x, axis=0))
    n = (~np.isnan(x)).sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = x - np.nanmean(x, axis=0)
    d = np.where(np.isnan(d), 0.0, d)
    d2 = d * d
    m2 = d2.sum(axis=0)
    m3 = (d2 * d).sum(axis=0)
    m4 = (d2 * d2).sum(axis=0)
    return n, np.where(flat, 0.0, m2), m3, m4


def _thresholds(skew_thresh, kurt_thresh):
    """The failing rule's thresholds, checked: ``skew_thresh`` > 0, ``kurt_thresh`` any finite number."""
    return (check_number("skew_thresh", skew_thresh, low=0, low_open=True),
            check_number("kurt_thresh", kurt_thresh))


def skewness(x) -> np.ndarray | float:
    """Sample skewness (type 2, as Excel's SKEW and COINr's ``skew()``), per column, NaN ignored.

    Parameters
    ----------
    x : array-like, shape (n,) or (n, k)

    Returns
    -------
    float or numpy.ndarray of shape (k,)
        NaN where fewer than 3 values or zero variance (a range of at most ``RANGE_RTOL`` = 1e-12 times the
        largest magnitude counts as zero).

    Notes
    -----
    .. math:: G_1 = \\frac{\\sqrt{n(n-1)}}{n-2}\\,
              \\frac{\\sqrt{n}\\sum d^3}{(\\sum d^2)^{3/2}}, \\quad d = x - \\bar x

    Equal to ``scipy.stats.skew(x, bias=False)``.

    >>> round(skewness([1.0, 2.0, 10.0]), 4)   # scipy.stats.skew([1, 2, 10], bias=False)
    1.6523
    """
    x = check_values("x", x)
    n, m2, m3, _ = _moments(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.sqrt(n) * m3 / m2 ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    g = np.where((n >= 3) & (m2 > 0), g, np.nan)
    return float(g[0]) if np.ndim(x) == 1 else g


def kurtosis(x) -> np.ndarray | float:
    """Sample excess kurtosis (type 2, as Excel's KURT and COINr's ``kurt()``), per column, NaN ignored.

    Parameters
    ----------
    x : array-like, shape (n,) or (n, k)

    Returns
    -------
    float or numpy.ndarray of shape (k,)
        NaN where fewer than 4 values or zero variance (as in :func:`skewness`).

    Notes
    -----
    .. math:: G_2 = \\frac{(n-1)\\big((n+1)(r-3) + 6\\big)}{(n-2)(n-3)}, \\quad
              r = \\frac{n \\sum d^4}{(\\sum d^2)^2}

    Equal to ``scipy.stats.kurtosis(x, fisher=True, bias=False)``.
    """
    x = check_values("x", x)
    n, m2, _, m4 = _moments(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * m4 / m2 ** 2
        g = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    g = np.where((n >= 4) & (m2 > 0), g, np.nan)
    return float(g[0]) if np.ndim(x) == 1 else g


def fails(x, *, skew_thresh: float = 2.0, kurt_thresh: float = 3.5):
    """Whether each column fails the rule ``|skew| >= skew_thresh and kurt >= kurt_thresh``.

    Undefined statistics (NaN) never fail. Same shape conventions as :func:`skewness`.

    >>> fails(np.r_[np.zeros(10), 100.0])
    True
    """
    skew_thresh, kurt_thresh = _thresholds(skew_thresh, kurt_thresh)
    s, k = skewness(x), kurtosis(x)
    with np.errstate(invalid="ignore"):
        out = (np.abs(s) >= skew_thresh) & (k >= kurt_thresh)
    return bool(out) if np.ndim(out) == 0 else out


def winsorize(x, *, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5):
    """Winsorize one indicator until it passes, moving at most about ``winmax`` points.

    Parameters
    ----------
    x : array-like, shape (n,)
    winmax : int, default 5
        Stop once this many points have been moved (COINr's ``winmax``).
    skew_thresh, kurt_thresh : float
        The failing rule (see the module docstring).

    Returns
    -------
    x : numpy.ndarray
        The winsorised values.
    n_winsorised : int
        COINr's count ``nwin``: the size of the last group of tied extreme points moved on
        the high side plus that on the low side. Moving one side only, this is the number
        of points moved, because each step adds the moved points to the next tie.
    sides : list of str
        ``"high"`` and/or ``"low"``, the sides that were winsorised.

    Notes
    -----
    Step: if :math:`\\mathrm{skew}(x) \\ge 0`, every value equal to :math:`\\max x` becomes
    the largest of the other values; otherwise every value equal to :math:`\\min x` becomes
    the smallest of the others. Repeat while the indicator fails and ``n_winsorised < winmax``.
    This follows COINr's ``winsorise()`` step by step, including its count.

    Examples
    --------
    >>> import numpy as np
    >>> x, n, sides = winsorize(np.r_[np.arange(1, 11), 30, 100.0], winmax=2)   # COINr's ?winsorise example
    >>> float(x.max()), n, sides
    (30.0, 1, ['high'])
    """
    x = check_values("x", x, ndims=(1,)).copy()
    winmax = check_integer("winmax", winmax, low=0)
    skew_thresh, kurt_thresh = _thresholds(skew_thresh, kurt_thresh)
    imax = np.empty(0, dtype=int)
    imin = np.empty(0, dtype=int)
    nwin = 0
    sides: list[str] = []
    failing = fails(x, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    while failing and nwin < winmax:
        if skewness(x) >= 0:
            top = np.nanmax(x)
            imax = np.flatnonzero(x == top)
            rest = np.delete(x, imax)
            rest = rest[~np.isnan(rest)]
            if rest.size == 0:
                break
            x[imax] = rest.max()
            side = "high"
        else:
            bottom = np.nanmin(x)
            imin = np.flatnonzero(x == bottom)
            rest = np.delete(x, imin)
            rest = rest[~np.isnan(rest)]
            if rest.size == 0:
                break
            x[imin] = rest.min()
            side = "low"
        if side not in sides:
            sides.append(side)
        nwin = len(imax) + len(imin)
        failing = fails(x, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    return x, nwin, sides


#: The former (UK) spelling of :func:`winsorize`, kept as an alias.
winsorise = winsorize


def log_ct(x) -> np.ndarray:
    """COINr's ``log_CT``: :math:`\\log(x - \\min x + 0.01(\\max x - \\min x))`, NaN ignored.

    The minimum maps to :math:`\\log(0.01 (\\max x - \\min x))`, so the transform is defined for
    any non-constant indicator, negative values included, and keeps the order of the values.

    >>> log_ct([0.0, 1.0]).round(4).tolist()
    [-4.6052, 0.01]
    """
    x = check_values("x", x, ndims=(1,))
    e = int(scale_exponents(x))
    if e:  # log(x - lo + 0.01 (hi - lo)) = e ln 2 + the same of x / 2**e, where hi - lo cannot overflow
        return e * np.log(2.0) + log_ct(np.ldexp(x, -e))
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def _jrc_step(x, winmax, skew_thresh, kurt_thresh, *, log_step=True, win_step=True):
    """What the JRC rule does to one failing indicator: (treated values, info)."""
    info = {"n_winsorised": 0, "winsorised": "", "log_transformed": False}
    if win_step:
        xw, nwin, sides = winsorize(x, winmax=winmax, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
        info.update(n_winsorised=int(nwin), winsorised="+".join(sides))
        if not fails(xw, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh) or not log_step:
            return xw, info
    if log_step:
        info.update(n_winsorised=0, winsorised="", log_transformed=True)
        return log_ct(x), info
    return np.array(x, dtype=float), info


def _winsorize_step(x, winmax, skew_thresh, kurt_thresh):
    return _jrc_step(x, winmax, skew_thresh, kurt_thresh, log_step=False)


def _log_step(x, winmax, skew_thresh, kurt_thresh):
    return _jrc_step(x, winmax, skew_thresh, kurt_thresh, win_step=False)


REPORT_COLUMNS = ["skew", "kurt", "failed", "action", "n_winsorised", "winsorised", "log_transformed",
                  "units_changed", "skew_after", "kurt_after", "passes_after"]


def _treat_frame(frame, step, winmax, skew_thresh, kurt_thresh, exclude, name="none"):
    """Apply ``step`` (None: nothing) to every failing indicator of ``frame``; (treated, report)."""
    winmax = check_integer("winmax", winmax, low=0)
    skew_thresh, kurt_thresh = _thresholds(skew_thresh, kurt_thresh)
    given = check_frame(frame)
    x = given.copy()
    if isinstance(exclude, str):
        exclude = [exclude]
    try:
        if isinstance(exclude, (bytes, Mapping)):
            raise TypeError
        exclude = set(exclude)
    except TypeError:  # None, a number, a list of lists
        raise ParameterError("exclude", "a code or a list of codes of the frame", exclude) from None
    unknown = exclude - set(frame.columns)
    if unknown:
        raise ParameterError("exclude", f"codes of the frame ({', '.join(map(str, frame.columns))})", sorted(unknown))
    sk, ku = skewness(x), kurtosis(x)
    with np.errstate(invalid="ignore"):
        failed = (np.abs(sk) >= skew_thresh) & (ku >= kurt_thresh)
    rows = []
    for j, code in enumerate(frame.columns):
        row = {"skew": sk[j], "kurt": ku[j], "failed": bool(failed[j]), "action": "none", "n_winsorised": 0,
               "winsorised": "", "log_transformed": False, "units_changed": ""}
        if code in exclude:
            row["action"] = "excluded"
        elif np.isnan(sk[j]) or np.isnan(ku[j]):
            row["action"] = "untestable"
        elif failed[j] and step is not None:
            new, info = step(x[:, j], winmax, skew_thresh, kurt_thresh)
            changed = ~np.isnan(new) & (new != x[:, j])
            row.update(info)
            row["action"] = "log" if info["log_transformed"] else ("winsorised" if info["n_winsorised"] else "none")
            row["units_changed"] = ";".join(map(str, frame.index[changed]))
            x[:, j] = new
        rows.append(row)
    check_finite_result(f"treat(method={name!r})", x, units=frame.index, codes=frame.columns,
                        present=~np.isnan(given), given=given)
    treated = pd.DataFrame(x, index=frame.index, columns=frame.columns)
    sk2, ku2 = skewness(x), kurtosis(x)
    report = pd.DataFrame(rows, index=pd.Index(frame.columns, name="code"))
    report["skew_after"] = sk2
    report["kurt_after"] = ku2
    with np.errstate(invalid="ignore"):
        report["passes_after"] = ~((np.abs(sk2) >= skew_thresh) & (ku2 >= kurt_thresh))
    return treated, report[REPORT_COLUMNS]


def _method(name, step):
    """The registered function of method ``name``: its keyword-only parameters are exactly the options it uses
    (``"log"`` winsorises nothing, so takes no ``winmax``; ``"none"`` treats nothing, so excludes nothing)."""
    if name == "none":
        def f(frame, *, skew_thresh=2.0, kurt_thresh=3.5):
            return _treat_frame(frame, None, 0, skew_thresh, kurt_thresh, (), name)
    elif name == "log":
        def f(frame, *, skew_thresh=2.0, kurt_thresh=3.5, exclude=()):
            return _treat_frame(frame, step, 0, skew_thresh, kurt_thresh, exclude, name)
    else:
        def f(frame, *, winmax=5, skew_thresh=2.0, kurt_thresh=3.5, exclude=()):
            if name == "winsorize" and check_integer("winmax", winmax, low=0) == 0:
                raise ParameterError("winmax", "a whole number >= 1 with method 'winsorize' (0 winsorises nothing, "
                                     "so the method would do nothing; use method 'none')", winmax)
            return _treat_frame(frame, step, winmax, skew_thresh, kurt_thresh, exclude, name)
    f.__name__ = f"_{name}"
    return f


#: name -> function(frame, *, <its options>) -> (treated frame, report); the options of each method are those
#: it uses: ``"jrc"``, ``"winsorize"``: winmax, skew_thresh, kurt_thresh, exclude; ``"log"``: skew_thresh,
#: kurt_thresh, exclude; ``"none"``: skew_thresh, kurt_thresh (they decide what the report calls failing).
TREAT_METHODS = {"jrc": _method("jrc", _jrc_step), "winsorize": _method("winsorize", _winsorize_step),
                 "log": _method("log", _log_step), "none": _method("none", None)}
#: Former method names still accepted (by :func:`treat` and in method records) -> the registered name.
TREAT_ALIASES = {"winsorise": "winsorize"}


def treat(frame: pd.DataFrame, *, method: str = "none", **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treat outliers indicator by indicator with the JRC skewness/kurtosis rule.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Indicator values (before normalization), rows units, columns codes.
    method : {"none", "jrc", "winsorize", "log"}, default "none"
        See the module docstring (``"winsorise"`` is accepted for ``"winsorize"``).
    **options
        ``winmax`` : int >= 0 (>= 1 for ``"winsorize"``), default 5. Most points winsorised per indicator
        (COINr's ``winmax``); ``"jrc"`` and ``"winsorize"`` only.
        ``skew_thresh`` : float > 0, default 2.0. Absolute skewness threshold.
        ``kurt_thresh`` : float, default 3.5. (Excess) kurtosis threshold.
        ``exclude`` : iterable of str, default (). Codes to leave untreated (reported with
        action ``"excluded"``); not with ``"none"``, which treats nothing.

    Returns
    -------
    treated : pandas.DataFrame
        Same index and columns as ``frame``.
    report : pandas.DataFrame
        Indexed by code, columns: ``skew``, ``kurt`` (before), ``failed`` (bool, before),
        ``action`` (``"none"``, ``"winsorised"``, ``"log"``, ``"excluded"``,
        ``"untestable"``), ``n_winsorised`` (COINr's count), ``winsorised`` (``"high"``,
        ``"low"``, ``"high+low"`` or ``""``), ``log_transformed`` (bool), ``units_changed``
        (ids of the units whose value changed, ``;``-separated; every unit with a value
        for a log transform), ``skew_after``, ``kurt_after``, ``passes_after`` (bool).

    Raises
    ------
    ParameterError
        Unknown method or option, an option the method does not use (``winmax`` with ``"log"``),
        a bad option value, an excluded code not in the frame.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0]})
    >>> treated, report = treat(x, method="jrc", winmax=2)
    >>> report.loc["a", "action"], report.loc["a", "units_changed"], float(treated["a"].max())
    ('winsorised', '11', 30.0)
    """
    fn = pick_method("treat", method, TREAT_METHODS, aliases=TREAT_ALIASES)
    where = f"treat(method={method!r})"
    check_used_options(TREAT_ALIASES.get(method, method), options, TREAT_METHODS, where=where, context=CONTEXT)
    check_method_options(fn, options, where=where, context=CONTEXT)
    return fn(frame, **options)
