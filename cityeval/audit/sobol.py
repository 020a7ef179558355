r"""Sobol' sensitivity indices: the Saltelli design, the estimators, and the Ishigami test function.

The audit apportions the variance of a scenario's output (its mean absolute rank shift) to the
uncertain inputs with first-order and total Sobol' indices, estimated on a Saltelli design: two
matrices A and B of a scrambled Sobol' sequence, and for each input :math:`i` the matrix
:math:`A_B^{(i)}` (A with the columns of input :math:`i` from B). The Ishigami function, whose
indices are known analytically, checks the estimators.

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Comput. Phys. Commun.* 181(2), 259-270. https://doi.org/10.1016/j.cpc.2009.09.018
Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Comput. Phys. Commun.*
117, 35-43. https://doi.org/10.1016/S0010-4655(98)00154-4
Sobol', I. M. and Levitan, Y. L. (1999). On the use of variance reducing multipliers in Monte
Carlo computations of a global sensitivity index. *Comput. Phys. Commun.* 117, 52-61.
Ishigami, T. and Homma, T. (1990). An importance quantification technique in uncertainty analysis
for computer models. *Proc. ISUMA '90*, 398-403.
"""
from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from scipy.stats import qmc

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_integer, check_number, check_seed

__all__ = ["SobolIndices", "sobol_estimates", "sobol_matrices", "ishigami", "ishigami_indices", "bootstrap_estimates",
           "pooled_rank_indices", "UnbalancedSobolWarning", "balance_note"]


class UnbalancedSobolWarning(UserWarning):
    """A Sobol' design whose size is not a power of 2 (:func:`balance_note` says what is lost)."""


def balance_note(n: int) -> str | None:
    """The caveat of a Sobol' design of ``n`` rows that is not a power of 2 (None when it is one).

    scipy's :class:`scipy.stats.qmc.Sobol` warns "The balance properties of Sobol' points require n to be a
    power of 2": only then are the first ``n`` points a net, each elementary box of volume ``1/n`` holding
    exactly one. The estimators (Saltelli et al. 2010 first-order, Jansen 1999 total) stay valid, every
    scrambled point being uniform on the cube, but the design loses the net's variance reduction: their
    error is then rather that of plain Monte Carlo (about ``1/sqrt(n)``) than quasi-Monte Carlo's.

    >>> balance_note(512) is None
    True
    >>> print(balance_note(100))
    Sobol' design of n = 100 rows, not a power of 2: its points are not balanced (scipy's warning), so the Saltelli (2010) first-order and Jansen (1999) total estimates keep no quasi-Monte Carlo gain (expect plain Monte Carlo error, about 1/sqrt(n)); 64 or 128 would be balanced.
    """
    n = int(n)
    if n >= 1 and not n & (n - 1):
        return None
    low = 1 << max(0, n.bit_length() - 1)
    return (f"Sobol' design of n = {n} rows, not a power of 2: its points are not balanced (scipy's warning), so the "
            "Saltelli (2010) first-order and Jansen (1999) total estimates keep no quasi-Monte Carlo gain (expect plain "
            f"Monte Carlo error, about 1/sqrt(n)); {low} or {2 * low} would be balanced.")


class SobolIndices(NamedTuple):
    """First-order and total Sobol' indices, one entry per input (unpacks as ``first, total``)."""

    first: np.ndarray
    total: np.ndarray


def sobol_estimates(f_A, f_B, f_AB) -> SobolIndices:
    r"""First-order and total Sobol' indices from evaluations on the A, B and AB matrices.

    Parameters
    ----------
    f_A, f_B : array-like, shape (..., n)
        The output at the rows of A and of B (any leading output dimensions).
    f_AB : array-like, shape (d, ..., n)
        The output at :math:`A_B^{(i)}` (A with the columns of input :math:`i` from B), one page per input.

    Returns
    -------
    SobolIndices
        ``first`` and ``total``, each of shape (d, ...): :math:`S_i` and :math:`S_{Ti}`; 0 where the
        output does not vary (scipy's convention).

    Raises
    ------
    ParameterError
        Shapes that do not match.
    DataError
        A missing or infinite evaluation (it would make every index NaN, silently reported as 0).

    Notes
    -----
    After centering every evaluation on the mean of :math:`f(A)` and :math:`f(B)` (Sobol' and
    Levitan 1999), with :math:`V` the variance of :math:`f(A)` and :math:`f(B)` pooled:

    .. math::
        S_i = \frac{\frac1n \sum_j f(B)_j \big(f(A_B^{(i)})_j - f(A)_j\big)}{V}
        \quad\text{(Saltelli et al. 2010, Table 2 (b))}

        S_{Ti} = \frac{\frac1{2n} \sum_j \big(f(A)_j - f(A_B^{(i)})_j\big)^2}{V}
        \quad\text{(Jansen 1999; Saltelli et al. 2010, Table 2 (f))}

    These are the estimators of :func:`scipy.stats.sobol_indices` (``method="saltelli_2010"``),
    which the tests check to rounding. scipy is not called directly because it requires ``n``
    to be a power of 2 even for given evaluations and its bootstrap cannot be seeded.

    Examples
    --------
    >>> A, B = sobol_matrices(2**12, 3, seed=1)
    >>> X = lambda M: -np.pi + 2 * np.pi * M
    >>> f = lambda M: ishigami(X(M))
    >>> AB = np.stack([np.where(np.arange(3) == i, B, A) for i in range(3)])
    >>> first, total = sobol_estimates(f(A), f(B), np.stack([f(m) for m in AB]))
    >>> exact_first, exact_total = ishigami_indices()
    >>> float(np.abs(first - exact_first).max()) < 0.02, float(np.abs(total - exact_total).max()) < 0.02
    (True, True)
    """
    f_A = np.asarray(f_A, dtype=float)
    f_B = np.asarray(f_B, dtype=float)
    f_AB = np.asarray(f_AB, dtype=float)
    if f_A.shape != f_B.shape or f_AB.shape[1:] != f_A.shape:
        raise ParameterError("f_A, f_B, f_AB", "shapes (..., n), (..., n) and (d, ..., n)",
                             f"{f_A.shape}, {f_B.shape}, {f_AB.shape}")
    for name, f in (("f_A", f_A), ("f_B", f_B), ("f_AB", f_AB)):
        bad = ~np.isfinite(f)
        if bad.any():
            raise DataError(None, f"{name}: model evaluations must be finite",
                            detail=f"{int(bad.sum())} of {f.size} values; first at index "
                                   f"{tuple(int(i) for i in np.argwhere(bad)[0])}")
    mean = (f_A.mean(axis=-1) + f_B.mean(axis=-1)) / 2.0
    a = f_A - mean[..., None]
    b = f_B - mean[..., None]
    ab = f_AB - mean[..., None]
    var = (np.mean(a * a, axis=-1) + np.mean(b * b, axis=-1)) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(b * (ab - a), axis=-1) / var
        total = 0.5 * np.mean((a - ab) ** 2, axis=-1) / var
    first[~np.isfinite(first)] = 0.0
    total[~np.isfinite(total)] = 0.0
    return SobolIndices(first, total)


def sobol_matrices(n: int, d: int, *, seed=None):
    """The A and B matrices of a Saltelli design.

    Parameters
    ----------
    n : int
        Rows, >= 1; a power of 2 keeps the points balanced. Any other size runs, with an
        :class:`UnbalancedSobolWarning` whose text is :func:`balance_note` (in place of scipy's).
    d : int
        Inputs (columns of each matrix), >= 1.
    seed : int, optional
        Seeds the scrambling, 0 ... 2**32 - 1; ``None`` draws fresh entropy (a different design each call).

    Returns
    -------
    A, B : numpy.ndarray, shape (n, d)
        ``n`` rows of a scrambled Sobol' sequence in ``2 d`` dimensions, split in two, values in [0, 1)
        (as :func:`scipy.stats.sobol_indices`).

    Examples
    --------
    >>> A, B = sobol_matrices(8, 2, seed=1)
    >>> A.shape, B.shape, bool(((0 <= A) & (A < 1)).all())
    ((8, 2), (8, 2), True)
    """
    n = check_integer("n", n, low=1)
    d = check_integer("d", d, low=1)
    seed = check_seed(seed, allow_none=True)
    note = balance_note(n)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The balance properties of Sobol", category=UserWarning)
        u = qmc.Sobol(d=2 * d, scramble=True, rng=np.random.default_rng(seed)).random(n)
    if note is not None:
        warnings.warn(note, UnbalancedSobolWarning, stacklevel=2)
    return u[:, :d], u[:, d:]


def ishigami(x, *, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    r"""The Ishigami function :math:`\sin x_1 + a \sin^2 x_2 + b x_3^4 \sin x_1` of each row of ``x``.

    The test function of Ishigami & Homma (1990) for sensitivity analysis, with inputs
    uniform on :math:`[-\pi, \pi]`; :func:`ishigami_indices` gives its Sobol' indices.

    Parameters
    ----------
    x : array-like, shape (n, 3)
        One point per row.
    a, b : float, default 7 and 0.1
        The coefficients (the usual values).

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> ishigami([[np.pi / 2, np.pi / 2, 1.0]]).round(6).tolist()   # 1 + 7 + 0.1
    [8.1]
    """
    a = check_number("a", a)
    b = check_number("b", b)
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("x", "an array of numbers of shape (n, 3)", Shown(f"a {type(x).__name__}")) from None
    if x.ndim != 2 or x.shape[1] != 3:
        raise ParameterError("x", "an array of shape (n, 3)", Shown(f"an array of shape {x.shape}"))
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def bootstrap_estimates(y, n_boot: int, rng, *, max_bytes: int = 64 * 2**20, bar=None) -> SobolIndices:
    """:func:`sobol_estimates` on ``n_boot`` bootstrap resamples of the rows, drawn in chunks of bounded memory.

    ``y`` holds the outputs at A, B and the A_B pages, shape (d + 2, n). Resample ``b`` takes the rows
    ``rng.integers(0, n, size=(n_boot, n))[b]``; the chunks draw the same numbers in the same order and each
    resample's estimate depends on its own rows only, so the result is the same for any ``max_bytes``.
    ``bar`` (a :func:`cityeval.progress.progress` bar) is advanced by one per resample.

    Returns
    -------
    SobolIndices
        ``first`` and ``total``, each of shape (d, n_boot).

    Examples
    --------
    >>> y = np.random.default_rng(0).random((4, 16))
    >>> a = bootstrap_estimates(y, 50, np.random.default_rng(1))
    >>> b = bootstrap_estimates(y, 50, np.random.default_rng(1), max_bytes=1)
    >>> a.first.shape, bool((a.first == b.first).all() and (a.total == b.total).all())
    ((2, 50), True)
    """
    y = np.asarray(y, dtype=float)
    d, n = y.shape[0] - 2, y.shape[1]
    step = max(1, int(max_bytes) // (8 * (5 * d + 6) * n))
    first, total = [], []
    for lo in range(0, n_boot, step):
        idx = rng.integers(0, n, size=(min(step, n_boot - lo), n))
        bf, bt = sobol_estimates(y[0][idx], y[1][idx], y[2:][:, idx])     # (d, chunk)
        first.append(bf)
        total.append(bt)
        if bar is not None:
            bar.update(len(idx))
    if not first:
        return SobolIndices(np.empty((d, 0)), np.empty((d, 0)))
    return SobolIndices(np.concatenate(first, axis=1), np.concatenate(total, axis=1))


def pooled_rank_indices(ranks) -> SobolIndices:
    r"""Sobol' indices of the units' ranks, pooled with variance weights :math:`\sum_u V_u S_u / \sum_u V_u`.

    ``ranks`` has shape (d + 2, n, units): the ranks at A, B and the d A_B pages. Each unit's ranks are
    centred on the mean of its A and B ranks; the estimators are those of :func:`sobol_estimates`, one
    input at a time (memory of one (units, n) page). An output that never varies gives 0.

    Examples
    --------
    >>> r = np.random.default_rng(0).integers(1, 5, size=(4, 32, 3)).astype(float)
    >>> first, total = pooled_rank_indices(r)
    >>> first.shape, bool((total >= 0).all())
    ((2,), True)
    """
    r = np.moveaxis(np.asarray(ranks, dtype=float), 2, 1)          # (d + 2, units, n)
    d = r.shape[0] - 2
    mean_u = (r[0].mean(axis=1) + r[1].mean(axis=1)) / 2
    a, b = r[0] - mean_u[:, None], r[1] - mean_u[:, None]
    vs = (((a * a).mean(axis=1) + (b * b).mean(axis=1)) / 2).sum()
    first, total = np.zeros(d), np.zeros(d)
    if vs > 0:
        for i in range(d):
            ab = r[2 + i] - mean_u[:, None]
            first[i] = (b * (ab - a)).mean(axis=1).sum() / vs
            total[i] = 0.5 * ((a - ab) ** 2).mean(axis=1).sum() / vs
    return SobolIndices(first, total)


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> SobolIndices:
    r"""Analytic first-order and total Sobol' indices of :func:`ishigami`.

    Notes
    -----
    .. math::
        V = \tfrac{a^2}{8} + \tfrac{b\pi^4}{5} + \tfrac{b^2\pi^8}{18} + \tfrac12,\quad
        V_1 = \tfrac12\big(1 + \tfrac{b\pi^4}{5}\big)^2,\quad V_2 = \tfrac{a^2}{8},\quad V_3 = 0,\quad
        V_{13} = \tfrac{8 b^2 \pi^8}{225}

    :math:`S_i = V_i/V`, :math:`S_{T1} = (V_1 + V_{13})/V`, :math:`S_{T2} = S_2`,
    :math:`S_{T3} = V_{13}/V` (Sobol' & Levitan 1999; Saltelli et al. 2010, eq. 37).

    Examples
    --------
    >>> first, total = ishigami_indices()
    >>> np.round(first, 4).tolist(), np.round(total, 4).tolist()
    ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437])
    """
    a = check_number("a", a)
    b = check_number("b", b)
    pi = math.pi
    v = a * a / 8 + b * pi**4 / 5 + b * b * pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a * a / 8
    v13 = 8 * b * b * pi**8 / 225
    return SobolIndices(np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v)
