"""AHP (Saaty 1980): the pairwise comparison matrix, its principal-eigenvector weights and consistency.

Private implementation of :mod:`cityeval.composite.weighting`, which re-exports :func:`ahp_weights`,
:func:`ahp_consistency`, :data:`RANDOM_INDEX` and :data:`AHP_CR_THRESHOLD` (write
``from cityeval.composite.weighting import ahp_weights``) and registers the ``"ahp"`` weighting method.
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_number

__all__ = ["ahp_weights", "ahp_consistency", "RANDOM_INDEX", "AHP_CR_THRESHOLD"]

#: Saaty's random consistency index RI(n): the mean consistency index of random
#: reciprocal matrices of order n filled from the 1–9 scale. Values: Saaty's table
#: (Saaty 1980, *The Analytic Hierarchy Process*), n = 1..15, as reproduced
#: throughout the AHP literature (n <= 10 is the commonly printed part; the dip at
#: n = 12 is in the published table, from small simulation samples, and is kept).
#: Later tables by Saaty differ slightly (e.g. 0.52, 0.89, 1.11 for n = 3, 4, 5);
#: using another table changes CR by a few per cent.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
                9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}

#: Saaty's rule: a pairwise comparison matrix is acceptably consistent when CR <= 0.1.
AHP_CR_THRESHOLD = 0.1



def _matrix_values(matrix) -> np.ndarray:
    """A comparison matrix's entries as a float array; a ParameterError for anything but numbers (a string,
    booleans, a ragged list of rows: ``np.asarray`` would turn ``True`` into 1 or fail with a ValueError)."""
    if isinstance(matrix, pd.DataFrame):
        raw = matrix.to_numpy()
    elif isinstance(matrix, np.ndarray):
        raw = matrix
    else:  # a list of rows: as objects, so that a True among numbers is seen (and ragged rows stay lists)
        try:
            raw = np.asarray(matrix, dtype=object)
        except (TypeError, ValueError):
            raw = None
    if raw is not None and raw.dtype.kind == "O":
        numeric = all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in raw.ravel())
        raw = raw.astype(float) if numeric else None
    if raw is None or raw.dtype.kind not in "iuf":
        shown = Shown(f"a {type(matrix).__name__} of {raw.dtype} values" if raw is not None
                      else f"a {type(matrix).__name__} with entries that are not all numbers (or rows of different "
                           "lengths)")
        raise ParameterError("matrix", "a square n x n pairwise comparison matrix of numbers (booleans and "
                             "strings are refused)", shown)
    return raw.astype(float)


def _ahp_matrix(matrix, rtol):
    if isinstance(matrix, pd.DataFrame):
        labels = list(matrix.index)
        if list(map(str, matrix.columns)) != list(map(str, labels)):
            raise ParameterError("matrix", "a DataFrame with the same labels, in the same order, on its index "
                                 "and columns", f"index {list(matrix.index)}, columns {list(matrix.columns)}")
        a = _matrix_values(matrix)
    else:
        a = _matrix_values(matrix)
        labels = list(range(a.shape[0])) if a.ndim == 2 else []
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ParameterError("matrix", "a square n x n pairwise comparison matrix", f"shape {a.shape}")
    if not np.isfinite(a).all() or (a <= 0).any():
        i, j = np.argwhere(~(np.isfinite(a) & (a > 0)))[0]
        raise ParameterError(f"matrix[{labels[i]!r}, {labels[j]!r}]", "a finite number > 0", float(a[i, j]))
    # a tolerance of 1 (100 %) or more would accept any matrix as reciprocal (a_ij * a_ji = 0.001 included)
    rtol = check_number("rtol", rtol, low=0, high=1, high_open=True,
                        allowed="a number in [0, 1) (a relative tolerance; 1 or more accepts any matrix)")
    diag = np.abs(np.diag(a) - 1.0) > rtol
    if diag.any():
        i = int(np.argmax(diag))
        raise ParameterError(f"matrix[{labels[i]!r}, {labels[i]!r}]", "1 (an element compared with itself)",
                             float(a[i, i]))
    off = np.abs(a * a.T - 1.0) > rtol
    if off.any():
        i, j = np.argwhere(np.triu(off, 1))[0]
        raise ParameterError(f"matrix[{labels[j]!r}, {labels[i]!r}]",
                             f"the reciprocal of matrix[{labels[i]!r}, {labels[j]!r}] = {a[i, j]:g}, "
                             f"i.e. {1 / a[i, j]:.6g} (within relative tolerance {rtol:g})", float(a[j, i]))
    return a, labels


def ahp_consistency(matrix, *, rtol: float = 1e-3) -> dict:
    """Principal eigenvalue and consistency of an AHP pairwise comparison matrix.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame, shape (n, n)
        Positive reciprocal matrix: ``matrix[i, j]`` is how many times element i is
        preferred to (more important than) element j on Saaty's 1–9 scale, and
        ``matrix[j, i] = 1 / matrix[i, j]``. A DataFrame must carry the same labels
        on its index and columns.
    rtol : float, default 1e-3
        Relative tolerance of the checks ``a_ii = 1`` and ``a_ij * a_ji = 1``
        (so that 0.333 for 1/3 is accepted).

    Returns
    -------
    dict
        ``weights`` (ndarray, or Series labelled like ``matrix``), ``lambda_max``,
        ``ci``, ``ri``, ``cr`` (``cr`` is NaN for n > 15, where Saaty's table stops;
        0 for n <= 2, where every reciprocal matrix is consistent).

    Raises
    ------
    ParameterError
        Not square, a non-positive or non-finite entry, a diagonal entry other than 1,
        or a non-reciprocal pair (the message names the offending cell).

    Notes
    -----
    Weights are the principal (Perron) eigenvector of A, scaled to sum 1:
    ``A w = λmax w``. Consistency index ``CI = (λmax − n)/(n − 1)``; consistency ratio
    ``CR = CI / RI(n)`` with :data:`RANDOM_INDEX` (Saaty 1980).

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process.
    *European Journal of Operational Research*, 48(1), 9–26.
    """
    a, labels = _ahp_matrix(matrix, rtol)
    n = a.shape[0]
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    v = vecs[:, k].real
    w = v / v.sum()  # the Perron vector has entries of one sign; dividing by the sum fixes it
    if n <= 2:
        ci, ri, cr = 0.0, 0.0, 0.0  # every 2x2 reciprocal matrix is consistent (λmax = n exactly)
    else:
        ci = (lam - n) / (n - 1)
        ri = RANDOM_INDEX.get(n, np.nan)
        cr = ci / ri if n in RANDOM_INDEX else np.nan
    weights = pd.Series(w, index=matrix.index, dtype=float) if isinstance(matrix, pd.DataFrame) else w
    return {"weights": weights, "lambda_max": lam, "ci": float(ci), "ri": float(ri), "cr": float(cr)}


def ahp_weights(matrix, *, rtol: float = 1e-3):
    """AHP weights and consistency ratio of a pairwise comparison matrix.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame, shape (n, n)
        Positive reciprocal pairwise comparison matrix (see :func:`ahp_consistency`).
    rtol : float, default 1e-3
        Tolerance of the reciprocity check.

    Returns
    -------
    weights : ndarray of shape (n,), or Series labelled like ``matrix``
        Principal-eigenvector weights summing to 1.
    cr : float
        Consistency ratio ``CI / RI``; Saaty accepts a matrix when ``cr <= 0.1``.
        This function does not enforce that rule; ``weight(method="ahp")`` does.

    Examples
    --------
    >>> w, cr = ahp_weights([[1, 3], [1/3, 1]])
    >>> w.round(3).tolist(), cr
    ([0.75, 0.25], 0.0)
    """
    out = ahp_consistency(matrix, rtol=rtol)
    return out["weights"], out["cr"]
