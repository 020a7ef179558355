"""Concentration at the head of a distribution (report Ch. 3 §5, Fig. 19).

The report finds technology innovation "两极分化": Beijing and Shanghai far ahead
of every other city on the innovation-subject and technology-transfer indices.
These measures say how far ahead the head is.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError

__all__ = ["gini", "lorenz_curve", "head_concentration"]


def _values(x, name="x"):
    v = np.asarray(x, dtype=float)
    if v.ndim != 1 or len(v) < 2:
        raise ParameterError(name, "a 1-d array of at least 2 values", f"shape {v.shape}")
    if np.isnan(v).any():
        raise ParameterError(name, "values without NaN", "an array containing NaN")
    if (v < 0).any():
        raise ParameterError(name, "non-negative values (shares of a total)", float(v.min()))
    if v.sum() == 0:
        raise ParameterError(name, "values with a positive total", "all zeros")
    return v


def gini(x) -> float:
    """Gini coefficient of non-negative values.

    Notes
    -----
    With values sorted ascending, x_(1) <= ... <= x_(n):
    G = (2 sum_i i x_(i)) / (n sum x) - (n + 1)/n. 0 when all are equal; (n-1)/n when one
    unit holds everything.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    v = np.sort(_values(x))
    n = len(v)
    i = np.arange(1, n + 1)
    return float(2 * (i * v).sum() / (n * v.sum()) - (n + 1) / n)


def lorenz_curve(x) -> tuple[np.ndarray, np.ndarray]:
    """Points of the Lorenz curve: cumulative share of units (lowest first) and of the total.

    Both arrays start at 0 and end at 1 (n + 1 points).

    Examples
    --------
    >>> p, l = lorenz_curve([1, 3])
    >>> p.tolist(), l.tolist()
    ([0.0, 0.5, 1.0], [0.0, 0.25, 1.0])
    """
    v = np.sort(_values(x))
    return np.linspace(0, 1, len(v) + 1), np.r_[0.0, np.cumsum(v) / v.sum()]


def head_concentration(scores: pd.Series, *, head: int = 2) -> dict:
    """How far the ``head`` leading units stand from the rest.

    Returns
    -------
    dict
        ``leaders`` (the head, highest first), ``head_share`` (their share of the total),
        ``gini``, ``gap_head`` (score of the last leader minus the next unit's), ``gap_head_sd``
        (that gap in standard deviations of the scores), ``gap_ratio`` (that gap over the median gap
        between consecutive units), ``even_share`` (head / n: the share with no concentration).
    """
    s = pd.Series(scores, dtype=float).sort_values(ascending=False, kind="stable")
    _values(s.to_numpy(), "scores")
    if int(head) != head or not 1 <= head < len(s):
        raise ParameterError("head", f"a whole number between 1 and {len(s) - 1}", head)
    gaps = -np.diff(s.to_numpy())
    gap = float(s.iloc[head - 1] - s.iloc[head])
    med = float(np.median(gaps))
    return {"leaders": list(s.index[:head]), "head_share": float(s.iloc[:head].sum() / s.sum()),
            "even_share": head / len(s), "gini": gini(s.to_numpy()), "gap_head": gap,
            "gap_head_sd": gap / float(s.std(ddof=1)), "gap_ratio": gap / med if med > 0 else float("inf")}
