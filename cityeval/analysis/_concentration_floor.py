"""Where a raw stand-in's bottom lies: the shift of its min-max score that a raw value amounts to, and what the
concentration measures would be with another lowest value.

Re-exported by :mod:`cityeval.analysis.concentration`; import from there.

Notes
-----
A min-max score is ``n = 100 (v - lo) / (hi - lo)`` over the cities evaluated, so every raw value is an affine
map of its score, ``v = lo + (hi - lo) n / 100 = (hi - lo)/100 · (n + c)`` with ``c = 100 lo / (hi - lo)``: a
ratio measure of the raw values (a share, the Gini, the Theil index, "below half of the leader") is that of the
score shifted by ``c`` points. On real data ``lo`` is where the data's true zero lies, a fact about the cities;
on the synthetic panel it is the lower end of the generator's documented range (``cityeval.ccid2022.synthetic``,
``RAW_INDICATORS``), a choice: the measures are then as much the generator's as the score's are the scale's.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.analysis._concentration_measures import head_concentration
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_number, check_numbers

__all__ = ["equivalent_shift", "floor_dependence", "FLOOR_MULTIPLES"]

#: The lowest raw values :func:`floor_dependence` tries, as multiples of the data's lowest value (1 = as is).
FLOOR_MULTIPLES = (0.0, 0.5, 1.0, 2.0)


def equivalent_shift(raw, score, *, tol: float = 1e-9) -> float:
    """The shift ``c`` (points) with ``raw`` proportional to ``score + c``, or NaN when ``raw`` is not an affine
    map of ``score`` (largest residual of the least-squares line, ``scipy.stats.linregress``, above ``tol`` times
    the range of ``raw``) or the map is not increasing.

    Parameters
    ----------
    raw, score : array-like
        The same units' raw values and min-max scores (at least 3 values, ``raw`` not constant).
    tol : float, default 1e-9

    Examples
    --------
    >>> # min-max over (1, 10, 8, 2): score = 100 (v - 1) / 9, so v = 0.09 (score + 100/9)
    >>> round(equivalent_shift([1.0, 10.0, 8.0, 2.0], [0.0, 100.0, 700 / 9, 100 / 9]), 6)
    11.111111
    >>> equivalent_shift([1.0, 4.0, 9.0], [0.0, 50.0, 100.0])      # not affine
    nan
    """
    x = check_numbers("score", score).ravel()
    y = check_numbers("raw", raw).ravel()
    tol = check_number("tol", tol, low=0)
    if x.size != y.size or x.size < 3 or np.ptp(y) == 0 or np.ptp(x) == 0:
        raise ParameterError("raw", "as many values as score, at least 3, neither constant",
                             Shown(f"{y.size} raw and {x.size} score values"))
    fit = stats.linregress(x, y)
    if fit.slope <= 0 or np.abs(y - (fit.intercept + fit.slope * x)).max() > tol * np.ptp(y):
        return float("nan")
    return float(fit.intercept / fit.slope)


def floor_dependence(values: pd.DataFrame, *, lowest: dict, highest: dict, head: int, weak_fraction: float,
                     multiples=FLOOR_MULTIPLES) -> pd.DataFrame:
    """The head measures of each column of ``values`` if the lowest raw value over the cities evaluated were
    ``k`` times ``lowest`` instead, the highest kept: ``v' = k lo + (v - lo)(hi - k lo)/(hi - lo)``.

    Parameters
    ----------
    values : pandas.DataFrame
        Raw values of the kept cities, one column per indicator.
    lowest, highest : dict
        Column -> lowest and highest raw value over every city evaluated (the min-max score's ends), lowest >= 0.
    head, weak_fraction
        As for :func:`head_concentration` and :func:`innovation_statements`.
    multiples : sequence of float, default :data:`FLOOR_MULTIPLES`
        Each >= 0 with ``k lo < hi``.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``column``, ``multiple``): ``lowest_raw`` (k lo), ``equivalent_shift`` (``100 k lo / (hi - k
        lo)`` points of the min-max score), ``gini``, ``theil``, ``head_share``, ``weak_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"s": [10.0, 8.0, 2.0, 1.0]})
    >>> t = floor_dependence(v, lowest={"s": 1.0}, highest={"s": 10.0}, head=2, weak_fraction=0.5,
    ...                      multiples=[0, 1])
    >>> # k = 0: v' = (v - 1) 10/9 = 10, 7.78, 1.11, 0 (the min-max score / 10); k = 1: the data as they are
    >>> t["equivalent_shift"].round(4).tolist(), t["lowest_raw"].tolist(), t["gini"].round(4).tolist()
    ([0.0, 11.1111], [0.0, 1.0], [0.4853, 0.3929])
    """
    if not isinstance(values, pd.DataFrame) or values.empty:
        raise ParameterError("values", "a non-empty DataFrame of raw values", Shown(type(values).__name__))
    multiples = check_numbers("multiples", multiples, low=0).ravel()
    rows, index = [], []
    for col in values.columns:
        lo = check_number(f"lowest[{col!r}]", (lowest or {}).get(col), low=0)
        hi = check_number(f"highest[{col!r}]", (highest or {}).get(col), low=lo, low_open=True)
        v = values[col].to_numpy(float)
        for k in multiples:
            floor = float(k) * lo
            if not floor < hi:
                raise ParameterError("multiples", f"multiples k with k x lowest < highest for {col} ({lo:g}, {hi:g})",
                                     float(k))
            moved = floor + (v - lo) * (hi - floor) / (hi - lo)
            m = head_concentration(pd.Series(moved, index=values.index), head=head)
            rows.append({"lowest_raw": floor, "equivalent_shift": 100 * floor / (hi - floor), "gini": m.gini,
                         "theil": m.theil, "head_share": m.head_share,
                         "weak_share": float((moved < weak_fraction * moved.max()).mean())})
            index.append((col, float(k)))
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["column", "multiple"]))
