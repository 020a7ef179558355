"""Ranks of many scenarios at once: one sort per row, with the pipeline's tie rules.

The audit ranks every unit in every scenario. :func:`rank_rows` does this row-wise with the
tie rules of :func:`cityeval.composite.ranking.rank`; the private kernels behind it sort packed
integer keys where that is exact and fall back to ``argsort`` where it cannot vouch for the
order (ties, scores a few ulps apart). The result is the same either way, row by row; the tests
check this against pandas.
"""
from __future__ import annotations

import numpy as np

from cityeval.composite.ranking import RANK_METHODS
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice

__all__ = ["rank_rows", "quantile_from_counts"]

# low bits of a 64-bit key that may hold the column index (4096 units lose 12 of the 52 mantissa bits)
_PACK_MAX_BITS = 16


def rank_rows(scores, *, ties: str = "min") -> np.ndarray:
    """Rank each row of ``scores``, 1 for the highest, with a tie rule (vectorized).

    Parameters
    ----------
    scores : array-like, shape (m, n)
        One row per scenario, one column per unit; finite numbers.
    ties : {"min", "dense", "average", "first"}, default "min"
        As :func:`cityeval.composite.ranking.rank`: "1224", "1223", "1 2.5 2.5 4", order of the columns.

    Returns
    -------
    numpy.ndarray, shape (m, n)
        ``int32`` ranks, ``float64`` for ``ties="average"``.

    Raises
    ------
    ParameterError
        An unknown tie rule; ``scores`` not a 2-D array of numbers.
    DataError
        A missing or infinite score (it has no rank here).

    Examples
    --------
    >>> rank_rows([[90.0, 80.0, 80.0, 70.0]]).tolist()
    [[1, 2, 2, 4]]
    >>> rank_rows([[90.0, 80.0, 80.0, 70.0]], ties="average").tolist()
    [[1.0, 2.5, 2.5, 4.0]]
    """
    check_choice("ties", ties, RANK_METHODS)
    try:
        s = np.asarray(scores, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("scores", "a 2-D array of numbers (scenarios x units)",
                             Shown(f"a {type(scores).__name__} that is not numeric")) from None
    if s.ndim != 2:
        raise ParameterError("scores", "a 2-D array (scenarios x units)", Shown(f"an array of shape {s.shape}"))
    bad = ~np.isfinite(s)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DataError(None, "scores must be finite (a missing score has no rank here)",
                        detail=f"scenario {i}, unit {j} has {s[i, j]}; {int(bad.sum())} such value(s)")
    order, ranked = sorted_ranks(s, ties)
    out = np.empty(s.shape, dtype=np.float64 if ties == "average" else np.int32)
    np.put_along_axis(out, order, ranked, axis=1)
    return out


def sorted_ranks(s: np.ndarray, ties: str):
    """``(order, ranked)``: ``ranked[k, j]`` is the rank of unit ``order[k, j]`` in row ``k`` (no checks).

    For the rules where the order inside a tie group does not matter ("min", "dense", "average"),
    rows are sorted by :func:`packed_order` (one integer sort instead of an argsort plus a gather);
    the rows it cannot vouch for (a tie, or two scores within ``2**bits`` units in the last place
    of each other: a relative 1e-13 for 293 units, 1.5e-11 for 65,536) are sorted again exactly.
    The result is the same as the exact path's, row by row. ``ranked`` may be a read-only
    broadcast of one row.

    >>> order, ranked = sorted_ranks(np.array([[3.0, 1.0, 2.0]]), "min")
    >>> order.tolist(), np.asarray(ranked).tolist()
    ([[1, 2, 0]], [[3, 2, 1]])
    """
    s = np.asarray(s, dtype=np.float64)
    m, n = s.shape
    bits = max(1, (n - 1).bit_length())
    if ties == "first" or bits > _PACK_MAX_BITS or m == 0:
        return sorted_ranks_exact(s, ties)
    order, unsure = packed_order(s, bits)
    pos = np.arange(n, 0, -1, dtype=np.int32)              # descending rank of ascending position
    if not unsure.any():
        return order, np.broadcast_to(pos, (m, n))
    rows = np.flatnonzero(unsure)
    order_r, ranked_r = sorted_ranks_exact(s[rows], ties)
    order[rows] = order_r
    ranked = np.empty((m, n), dtype=np.float64 if ties == "average" else np.int32)
    ranked[:] = pos
    ranked[rows] = ranked_r
    return order, ranked


def packed_order(s: np.ndarray, bits: int):
    """Ascending column order of each row of ``s`` from one sort of packed integer keys.

    A float64 maps onto an int64 with the same order (IEEE 754: flip the magnitude bits of
    negatives; ``+ 0.0`` first makes -0.0 equal to 0.0). The low ``bits`` bits of that key are
    replaced by the column index, and each row is sorted as integers. Truncating the low bits
    keeps order weakly (``a < b`` implies ``trunc(a) <= trunc(b)``), so wherever neighboring
    truncated keys differ the order is exact and strict. A row where two neighbors share a
    truncated key (a tie, or scores within ``2**bits`` units in the last place) is flagged
    ``unsure`` for an exact sort.

    Returns
    -------
    order : int64 array (m, n)
    unsure : bool array (m,)

    Examples
    --------
    >>> order, unsure = packed_order(np.array([[3.0, 1.0, 2.0, -5.0], [3.0, 1.0, 3.0, 0.5]]), bits=2)
    >>> order[0].tolist(), unsure.tolist()
    ([3, 1, 2, 0], [False, True])
    """
    key = (s + 0.0).view(np.int64)
    if (key < 0).any():                                      # sign bit set (a NaN's too): flip magnitudes
        key ^= (key >> 63) & np.int64(0x7FFFFFFFFFFFFFFF)   # -1 >> 63 is -1: only negatives change
    mask = np.int64((1 << bits) - 1)
    key &= ~mask
    key |= np.arange(s.shape[1], dtype=np.int64)
    key.sort(axis=1)
    order = key & mask
    # sorted, so a neighbor shares the high bits exactly when it is <= this key with all low bits set
    unsure = (key[:, 1:] <= (key[:, :-1] | mask)).any(axis=1)
    return order, unsure


def sorted_ranks_exact(s: np.ndarray, ties: str):
    """:func:`sorted_ranks` by ``argsort`` and a tie scan: the reference path, and the fallback.

    >>> order, ranked = sorted_ranks_exact(np.array([[1.0, 2.0, 2.0]]), "average")
    >>> np.take_along_axis(np.asarray(ranked), np.argsort(order, axis=1), axis=1).tolist()
    [[3.0, 1.5, 1.5]]
    """
    m, n = s.shape
    pos = np.arange(1, n + 1, dtype=np.int32)
    if ties == "first":
        order = np.argsort(-s, axis=1, kind="stable")     # ties in column order
        ranked = np.broadcast_to(pos, (m, n))
    else:
        # ascending order; the order inside a tie group does not matter for these rules, so numpy's
        # fast (SIMD) unstable sort will do. A unit's descending rank follows from its tie group's
        # first and last ascending positions: min = n + 1 - last, average = n + 1 - (first + last) / 2.
        order = np.argsort(s, axis=1)
        ss = np.take_along_axis(s, order, axis=1)
        new = np.ones((m, n), dtype=bool)                  # first of a tie group
        np.not_equal(ss[:, 1:], ss[:, :-1], out=new[:, 1:])
        if new.all():                                       # no ties at all: rank = n + 1 - position
            ranked = np.broadcast_to(pos[::-1], (m, n))
        elif ties == "dense":
            d = np.cumsum(new, axis=1, dtype=np.int32)
            ranked = d[:, -1:] - d + 1
        else:
            last = np.ones((m, n), dtype=bool)
            last[:, :-1] = new[:, 1:]
            end = np.minimum.accumulate(np.where(last, pos, n + 1)[:, ::-1], axis=1)[:, ::-1]
            if ties == "min":
                ranked = (n + 1 - end).astype(np.int32)
            else:
                start = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
                ranked = n + 1 - (start + end) / 2.0
    return order, ranked


def quantile_from_counts(counts: np.ndarray, values: np.ndarray, p: float) -> np.ndarray:
    """Per row, the quantile ``p`` (numpy's "linear" rule, R type 7) of a sample given as a histogram.

    >>> quantile_from_counts(np.array([[1, 2, 1]]), np.array([1.0, 2.0, 3.0]), 0.5).tolist()  # 1 2 2 3
    [2.0]
    """
    total = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    h = (total - 1) * p
    lo = np.floor(h).astype(np.int64)
    frac = h - lo
    x_lo = _order_statistic(cum, values, lo)
    x_hi = _order_statistic(cum, values, np.minimum(lo + 1, total - 1))
    return x_lo + frac * (x_hi - x_lo)


def _order_statistic(cum: np.ndarray, values: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The ``k``-th smallest (0-based) value of each row, from the rows' cumulative counts."""
    return values[(cum <= k[:, None]).sum(axis=1)]
