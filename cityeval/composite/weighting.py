"""Weighting: the weight of each indicator among the indicators of one parent.

This is the stage between normalization and aggregation. Every method has the
stages' one signature, ``f(frame, *, options) -> weights``, and sits in
:data:`WEIGHT_METHODS`; :func:`weight` dispatches::

    weight(frame, method="entropy", epsilon=0.0)

``frame`` holds the *normalized* values of the indicators that share one parent:
one row per unit (city), one column per indicator code, higher is better (the
normalize stage has already applied each indicator's direction). The result is a
``pd.Series`` of non-negative weights indexed by ``frame.columns`` that sums to 1.

Decisions that hold for every method
------------------------------------
* A frame with a single indicator gets weight 1 whatever the method (``given``
  and ``ahp`` still check their inputs).
* The data-driven methods (entropy, critic, std, cv, pca) give an indicator that
  is exactly constant across units (or has fewer than two values) weight 0: it
  carries no information to tell units apart. If *every* indicator is constant they raise :class:`DataError`
  rather than return a made-up answer.
* Missing values (NaN) are skipped: entropy, std and cv use each column's
  available values, critic uses pairwise-complete correlations, pca uses the
  complete rows. Infinite values raise.
* Weights never come back NaN, negative or summing to anything but 1: if a
  method cannot produce such weights it raises.
* "Constant" includes constant to floating-point resolution: a range of at most
  :data:`~cityeval.composite._contract.RANGE_RTOL` (``1e-12``) times the column's largest
  magnitude (:func:`~cityeval.composite.normalization.constant_columns`); the standard deviation,
  coefficient of variation or entropy of such a column is rounding noise. Likewise cv counts a mean
  of at most ``1e-12`` times the largest magnitude as 0 (the mean of z-scores is 0 up to rounding).
* Values and weights of any finite size: columns beyond ``2**500`` (or below ``2**-500``) are scaled
  by a power of two before squares, sums and ranges are taken (every method is scale-invariant), and
  given weights whose sum overflows (three weights of ``1e308``) are scaled before they are
  normalised: 1/3 each, not 0.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from cityeval.composite._contract import RANGE_RTOL, check_method_options, check_shift, pick_method, scale_exponents
from cityeval.composite._weighting_ahp import (AHP_CR_THRESHOLD, RANDOM_INDEX, _matrix_values, ahp_consistency,
                                               ahp_weights)
from cityeval.composite.normalization import constant_columns
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_frame, check_number, check_weights

__all__ = [
    "weight",
    "WEIGHT_METHODS",
    "ahp_weights",
    "ahp_consistency",
    "RANDOM_INDEX",
    "AHP_CR_THRESHOLD",
    "CONTEXT",
]

#: Keyword-only parameters of the methods that :func:`weight` supplies (not options): none. (The
#: pipeline takes the ``weights`` of method ``"given"`` from ``indicators.csv``.)
CONTEXT = ()


# --------------------------------------------------------------------------- helpers


def _values(frame: pd.DataFrame) -> np.ndarray:
    """Float values of ``frame`` (NaN for missing); :func:`weight` has checked it with ``check_frame``."""
    return frame.to_numpy(dtype=float, na_value=np.nan)


def _all_constant_error(frame, method):
    return DataError(None, f"{method} weights need at least one indicator that varies across units",
                     detail=f"every column is constant: {', '.join(map(str, frame.columns))}")


def _to_weights(scores: np.ndarray, frame: pd.DataFrame, method: str) -> np.ndarray:
    """scores / sum(scores), or a DataError when they cannot be normalised.

    Exactly constant columns are handled by each method; this catches the numerical
    remainder: columns that vary by less than floating point can resolve (subnormal
    spreads) or whose spread overflows.
    """
    total = scores.sum()
    if not (np.isfinite(scores).all() and total > 0 and np.isfinite(total)):
        raise DataError(None, f"{method} weights are undefined for these values: no indicator varies by an "
                        "amount floating point can resolve, or the values overflow; rescale the group",
                        detail=f"columns {', '.join(map(str, frame.columns))}")
    return scores / total


def _minmax_columns(x: np.ndarray) -> np.ndarray:
    """Each (varying) column rescaled to [0, 1]; NaN kept (columns of extreme size scaled first: exact)."""
    e = scale_exponents(x)
    if e.any():
        x = np.ldexp(x, -e)
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    return (x - lo) / (hi - lo)


def _common_scale(x: np.ndarray) -> np.ndarray:
    """``x`` scaled by one power of two when its values are of extreme size (for the methods whose weights are
    invariant to a scale common to every column, not to one per column: std, CRITIC without rescaling)."""
    e = int(scale_exponents(x, axis=None))
    return np.ldexp(x, -e) if e else x


# --------------------------------------------------------------------------- methods


def _given(frame: pd.DataFrame, *, weights, sum_to=None) -> np.ndarray:
    """Weights given by the user, normalised to sum 1.

    ``sum_to`` (optional) declares what the given weights of each parent add up to (e.g. 1 or 100):
    a group that does not is an error naming its indicators and its sum, instead of being
    renormalised silently (relative tolerance 1e-6).
    """
    codes = frame.columns
    with np.errstate(over="ignore"):  # weights near 1e308: their sum overflows (weight() scales them)
        w = pd.Series(check_weights(weights, codes), index=codes)
    if sum_to is not None:
        sum_to = check_number("sum_to", sum_to, low=0, low_open=True)
    if sum_to is not None and not np.isclose(w.sum(), float(sum_to), rtol=1e-6, atol=0):
        raise ParameterError(f"weights of {', '.join(map(str, codes))}",
                             f"numbers adding up to {sum_to:g} (declared by sum_to)", Shown(f"a sum of {w.sum():g}"))
    return w.to_numpy()


def _equal(frame: pd.DataFrame) -> np.ndarray:
    """Equal weights 1/m."""
    m = frame.shape[1]
    return np.full(m, 1.0 / m)


def _entropy(frame: pd.DataFrame, *, epsilon: float = 0.0) -> np.ndarray:
    """Entropy weights (熵权法); see :func:`weight` for the formula and edge cases."""
    eps = check_number("epsilon", epsilon, low=0)
    x = _values(frame)
    check_shift("epsilon", eps, x, frame.columns)  # an epsilon that swamps the values makes every column constant
    if eps:
        x = x + eps
    e = scale_exponents(x)
    if e.any():  # p_ij = x_ij / sum_i x_ij is scale-invariant; sums and x ln x of 1e308 are not representable
        x = np.ldexp(x, -e)
    has_nan = bool(np.isnan(x).any())
    avail = ~np.isnan(x) if has_nan else None
    neg = (x < 0).any(axis=0)  # NaN < 0 is False: missing cells pass
    if neg.any():
        j = int(np.argmax(neg))
        raise DataError(None, "entropy weights need values >= 0 (p_ij = x_ij / sum_i x_ij is a share); "
                        "normalize to a non-negative range (e.g. min-max) or raise epsilon",
                        column=str(frame.columns[j]), detail=f"minimum {np.nanmin(_values(frame)[:, j]):g}"
                        + (f" before adding epsilon={eps:g}" if eps else ""))
    # a column with fewer than 2 values is constant (weight 0); keep ln n_j > 0 for the arithmetic
    n_j = np.maximum(avail.sum(axis=0) if has_nan else np.full(x.shape[1], x.shape[0]), 2)
    const = constant_columns(x)
    if const.all():
        raise _all_constant_error(frame, "entropy")
    if has_nan:
        x = np.where(avail, x, 0.0)  # a missing value contributes p = 0, like an absent term
    s = x.sum(axis=0)
    s[const] = 1.0  # constant columns are set to d = 0 below; avoid 0/0 for all-zero ones
    # sum_i p ln p with p = x/s equals (sum_i x ln x)/s - ln s: one large temporary instead of
    # three. 0 ln 0 = 0, the limit of x ln x as x -> 0 (xlogy encodes it; log is faster without zeros).
    if (x > 0).all():
        xlx = np.einsum("ij,ij->j", x, np.log(x))
    else:
        from scipy.special import xlogy   # here: scipy.special is ~0.25 s to import (the score command's start)

        xlx = xlogy(x, x).sum(axis=0)
    e = -(xlx / s - np.log(s)) / np.log(n_j)
    d = np.clip(1.0 - e, 0.0, None)  # e <= 1 in exact arithmetic; clip rounding
    d[const] = 0.0
    return _to_weights(d, frame, "entropy")


def _corr(x: np.ndarray, codes) -> np.ndarray:
    """Pearson correlation of the columns of x (pairwise-complete when NaN present)."""
    if not np.isnan(x).any():
        return np.atleast_2d(np.corrcoef(x, rowvar=False))
    r = pd.DataFrame(x).corr(method="pearson", min_periods=2).to_numpy()
    if np.isnan(r).any():
        i, j = np.argwhere(np.isnan(r))[0]
        raise DataError(None, "correlations need at least 2 units with values in both indicators, "
                        "varying in both", column=str(codes[i]), detail=f"with {codes[j]!s}")
    return r


def _critic(frame: pd.DataFrame, *, rescale: bool = True) -> np.ndarray:
    """CRITIC weights (Diakoulaki et al. 1995); see :func:`weight`."""
    rescale = check_bool("rescale", rescale)
    x = _values(frame)
    const = constant_columns(x)
    if const.all():
        raise _all_constant_error(frame, "CRITIC")
    keep = ~const
    if keep.sum() == 1:  # the only informative indicator takes the whole weight, as with entropy or std
        return keep.astype(float)
    mm = _minmax_columns(x[:, keep])
    sigma = np.nanstd(mm if rescale else _common_scale(x[:, keep]), axis=0, ddof=1)
    r = _corr(mm, frame.columns[keep])  # correlation is affine-invariant: computed on [0, 1] columns
    c = sigma * (1.0 - r).sum(axis=0)
    if (np.abs(1.0 - r) <= 1e-12).all():
        raise DataError(None, "CRITIC weights are undefined when every varying indicator is perfectly "
                        "correlated with every other (all C_j = 0)",
                        detail=f"varying indicators: {', '.join(map(str, frame.columns[keep]))}")
    w = np.zeros(x.shape[1])
    w[keep] = _to_weights(c, frame, "CRITIC")
    return w


def _std(frame: pd.DataFrame) -> np.ndarray:
    """Standard-deviation weights; see :func:`weight`."""
    x = _values(frame)
    const = constant_columns(x)
    if const.all():
        raise _all_constant_error(frame, "standard-deviation")
    keep = ~const
    sd = np.zeros(x.shape[1])
    # σ(x) = (max − min) σ(min-max(x)): exact, and immune to underflow of tiny spreads
    xk = _common_scale(x[:, keep])
    spread = np.nanmax(xk, axis=0) - np.nanmin(xk, axis=0)
    sd[keep] = spread * np.nanstd(_minmax_columns(x[:, keep]), axis=0, ddof=1)
    return _to_weights(sd, frame, "standard-deviation")


def _cv(frame: pd.DataFrame) -> np.ndarray:
    """Coefficient-of-variation weights (变异系数法); see :func:`weight`."""
    x = _values(frame)
    const = constant_columns(x)
    if const.all():
        raise _all_constant_error(frame, "coefficient-of-variation")
    # σ/mean is scale-invariant: compute it on x / max|x| (same sign of the mean, no underflow)
    xs = np.where(const, 1.0, x)
    xs = xs / np.nanmax(np.abs(xs), axis=0)
    mean = np.nanmean(xs, axis=0)
    bad = ~const & ~(mean > RANGE_RTOL)  # xs is x / max|x|: a mean below 1e-12 of that is 0 up to rounding
    if bad.any():
        j = int(np.argmax(bad))
        raise DataError(None, "coefficient-of-variation weights need indicators with a positive mean "
                        "(sigma / mean is meaningless otherwise, e.g. for z-scores; a mean of at most "
                        f"{RANGE_RTOL:g} times the largest magnitude counts as 0); normalize to a "
                        "positive range such as min-max", column=str(frame.columns[j]),
                        detail=f"mean {np.nanmean(x[:, j]):g}")
    cv = np.where(const, 0.0, np.nanstd(xs, axis=0, ddof=1) / mean)
    return _to_weights(cv, frame, "coefficient-of-variation")


def _pca(frame: pd.DataFrame) -> np.ndarray:
    """First-principal-component weights; see :func:`weight`."""
    x = _values(frame)
    complete = ~np.isnan(x).any(axis=1)
    if complete.sum() < 2:
        raise DataError(None, "PCA weights need at least 2 units with values in every indicator of the group",
                        detail=f"{int(complete.sum())} complete unit(s) of {x.shape[0]}")
    x = x[complete]
    const = constant_columns(x)
    if const.all():
        raise _all_constant_error(frame, "PCA")
    keep = ~const
    w = np.zeros(x.shape[1])
    if keep.sum() == 1:
        w[keep] = 1.0
        return w
    r = np.corrcoef(_minmax_columns(x[:, keep]), rowvar=False)  # affine-invariant; avoids σ underflow
    vals, vecs = np.linalg.eigh(r)  # ascending eigenvalues
    if vals[-1] - vals[-2] <= 1e-9 * max(vals[-1], 1.0):
        raise DataError(None, "PCA weights need a unique first principal component; the two largest "
                        "eigenvalues of the correlation matrix are equal (e.g. uncorrelated indicators)",
                        detail=f"eigenvalues {vals[-1]:.6g} and {vals[-2]:.6g}")
    u = vecs[:, -1]
    w[keep] = u * u  # squared loadings scaled to unit sum: l_j^2 / sum l^2 = u_j^2
    return _to_weights(w, frame, "PCA")


def _ahp(frame: pd.DataFrame, *, matrix, allow_inconsistent: bool = False, rtol: float = 1e-3) -> np.ndarray:
    """AHP principal-eigenvector weights; see :func:`weight` and :func:`ahp_weights`."""
    allow_inconsistent = check_bool("allow_inconsistent", allow_inconsistent)
    codes = list(frame.columns)
    if isinstance(matrix, pd.DataFrame):
        rows, cols = [str(c) for c in matrix.index], [str(c) for c in matrix.columns]
        want = [str(c) for c in codes]
        if sorted(rows) != sorted(want) or sorted(cols) != sorted(want):
            raise ParameterError("matrix", f"a pairwise comparison matrix whose index and columns are the "
                                 f"indicator codes {want}", f"index {rows}, columns {cols}")
        matrix = matrix.set_axis(rows, axis=0).set_axis(cols, axis=1).loc[want, want]
    else:
        a = _matrix_values(matrix)
        if a.shape != (len(codes), len(codes)):
            raise ParameterError("matrix", f"a {len(codes)}x{len(codes)} pairwise comparison matrix in the "
                                 f"order of frame.columns ({', '.join(map(str, codes))})", f"shape {a.shape}")
        matrix = pd.DataFrame(a, index=[str(c) for c in codes], columns=[str(c) for c in codes])
    w, cr = ahp_weights(matrix, rtol=rtol)
    if not allow_inconsistent:
        if np.isnan(cr):
            raise ParameterError("size of matrix", "at most 15 for a consistency ratio (Saaty's random index "
                                 "table stops at n = 15; pass allow_inconsistent=True to use it unchecked)",
                                 len(codes))
        if cr > AHP_CR_THRESHOLD:
            raise ParameterError("consistency ratio of matrix",
                                 f"at most {AHP_CR_THRESHOLD} (Saaty's rule; revise the judgements or pass "
                                 f"allow_inconsistent=True)", round(float(cr), 4))
    return w.to_numpy()


#: name → function(frame, **options) returning one weight per column. Adding a
#: method is adding one function here; :func:`weight` checks its output.
WEIGHT_METHODS: dict[str, Callable[..., np.ndarray]] = {
    "given": _given,
    "equal": _equal,
    "entropy": _entropy,
    "critic": _critic,
    "std": _std,
    "cv": _cv,
    "pca": _pca,
    "ahp": _ahp,
}


# --------------------------------------------------------------------------- dispatcher


def weight(frame: pd.DataFrame, *, method: str = "equal", **options) -> pd.Series:
    r"""Weights of the indicators of one parent.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Normalized values of the indicators that share one parent: rows are units,
        columns are indicator codes. **Direction already applied** (higher is
        better): no method here reverses anything.
    method : str, default "equal"
        A key of :data:`WEIGHT_METHODS`: ``"given"``, ``"equal"``, ``"entropy"``,
        ``"critic"``, ``"std"``, ``"cv"``, ``"pca"``, ``"ahp"``.
    **options
        Method options:

        * ``given``: ``weights`` – Series/dict keyed by code (entries for other codes
          are ignored, so one table can serve every group) or a sequence in column
          order; non-negative, positive sum; normalised to sum 1.
        * ``entropy``: ``epsilon`` (float >= 0, default 0) – added to every value
          before the shares ``p_ij`` are computed.
        * ``critic``: ``rescale`` (bool, default True) – min-max rescale each
          column first, as Diakoulaki et al. (1995) do.
        * ``ahp``: ``matrix`` – pairwise comparison matrix (array in column order,
          or DataFrame labelled by codes); ``allow_inconsistent`` (bool, default
          False); ``rtol`` (float, default 1e-3) for the reciprocity check.

    Returns
    -------
    pandas.Series
        Non-negative weights indexed by ``frame.columns``, summing to 1 (to
        floating-point rounding).

    Raises
    ------
    ParameterError
        Unknown method or option, or a bad option value (the message names it).
    DataError
        Data on which the method is undefined (named in the message): negative
        values for entropy, a non-positive mean for cv, every indicator constant, ...

    Notes
    -----
    Let :math:`x_{ij}` be the value of unit :math:`i` (of :math:`n`) on indicator
    :math:`j` (of :math:`m`).

    **equal** – :math:`w_j = 1/m`.

    **entropy** (熵权法; Shannon entropy as a weight, Hwang & Yoon 1981, Zeleny 1982):

    .. math::
        p_{ij} = \frac{x_{ij} + \varepsilon}{\sum_i (x_{ij} + \varepsilon)},\quad
        e_j = -\frac{1}{\ln n_j}\sum_i p_{ij}\ln p_{ij},\quad
        d_j = 1 - e_j,\quad w_j = d_j / \sum_k d_k

    with :math:`0 \ln 0 = 0` (the limit), :math:`n_j` the number of units with a
    value on :math:`j`, and :math:`\varepsilon` = ``epsilon``. Values must be >= 0
    after adding ε (shares of a total); negative values raise. With ε = 0 a zero
    value is used as it is, through the limit; many Chinese applications instead
    shift min-max values by a small ε (e.g. 1e-4 or 0.01) before taking logs –
    pass that ε to reproduce them; it changes the weights (a shift makes every
    column more even, so e_j rises and the weights flatten). Direction: the input
    is already direction-adjusted by the normalize stage, so a cost indicator is
    seen as its reversed normalized values. Entropy is not invariant to that
    reversal (p of ``1 - x`` differs from p of ``x``), which is why the direction is
    applied *before* weighting, uniformly with the other methods. A constant
    column has :math:`e_j = 1, d_j = 0`: weight 0.
    pymcdm's ``entropy_weights`` agrees with this recipe on strictly positive
    data. It refuses any zero (pymcdm 1.4 raises in ``sum_normalization``; its
    entropy code would otherwise set :math:`e_j = 0`, i.e. the largest weight), so
    it cannot weight min-max normalized data, where every varying column has a
    0; here a zero is the limit of small positive values, and ``epsilon`` = ε
    gives exactly pymcdm's weights of the data shifted by ε.

    **critic** (Diakoulaki, Mavrotas & Papayannakis 1995): with each column
    min-max rescaled (``rescale=True``), :math:`\sigma_j` its standard deviation and
    :math:`r_{jk}` the Pearson correlation,
    :math:`C_j = \sigma_j \sum_k (1 - r_{jk})`, :math:`w_j = C_j / \sum_k C_k`.
    Constant columns get weight 0 and are left out of the others' sums (their
    correlation is undefined); a single varying column takes weight 1. If every
    remaining pair is perfectly correlated, all :math:`C_j = 0` and the method
    raises. Correlations are computed on min-max rescaled columns either way
    (Pearson's r is affine-invariant; this avoids underflow on tiny spreads).

    **std** – :math:`w_j = \sigma_j / \sum_k \sigma_k` (the ddof cancels).

    **cv** (变异系数法) – :math:`w_j \propto \sigma_j / \bar{x}_j`; needs
    :math:`\bar{x}_j > 0` for every varying column (meaningless for z-scores).

    **pca** – weights from the first principal component of the correlation
    matrix of the group (complete units only), following the OECD/JRC Handbook
    (2008, §6.1 and its Table 17), which weights by *squared* loadings scaled to
    unity sum: :math:`w_j = l_j^2 / \sum_k l_k^2 = u_j^2`, where
    :math:`l_j = u_j\sqrt{\lambda_1}` and :math:`u` is the unit eigenvector. We
    use squared rather than absolute loadings because the squared loading is the
    share of the indicator's variance that the component explains (so the weights
    have a variance interpretation and sum to 1 without further choice) and
    because it is the Handbook's rule; absolute loadings have neither property.
    The sign of the component is irrelevant. Note that an indicator loading
    negatively still gets a positive weight: check the loadings' signs. If the
    two largest eigenvalues tie, the component is not unique and the method
    raises. The Handbook's factor-analysis variant (several rotated factors) is
    not implemented.

    **ahp** (Saaty 1980) – principal-eigenvector weights of the pairwise matrix
    (see :func:`ahp_consistency`); ``CR > 0.1`` raises unless
    ``allow_inconsistent=True``. ``frame``'s values are not used, only its columns.

    A frame with one column gets weight 1 for every method (``given`` and ``ahp``
    still validate their inputs).

    References
    ----------
    Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining objective
    weights in multiple criteria problems: the CRITIC method. *Computers &
    Operations Research*, 22(7), 763–770.
    Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making*. Springer.
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and
    User Guide*. OECD Publishing, §6.1.
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.2, 0.4, 0.6]}, index=["x", "y", "z"])
    >>> weight(f, method="std").round(4).to_dict()
    {'a': 0.7143, 'b': 0.2857}
    >>> weight(f, method="given", weights={"a": 3, "b": 1}).to_dict()
    {'a': 0.75, 'b': 0.25}
    """
    fn = pick_method("weight", method, WEIGHT_METHODS)
    check_method_options(fn, options, where=f"weight(method={method!r})", context=CONTEXT)
    check_frame(frame)
    if frame.shape[1] == 1 and method not in ("given", "ahp"):
        w = np.ones(1)
    else:
        w = np.asarray(fn(frame, **options), dtype=float)
    if w.shape != (frame.shape[1],) or not np.isfinite(w).all() or (w < 0).any() or not w.max(initial=0.0) > 0:
        raise RuntimeError(f"weight method {method!r} returned invalid weights {w!r}")  # a bug, not bad input
    e = int(scale_exponents(w, axis=None))
    if e > 0:  # given weights near 1e308: their sum overflows; scale them (exactly) first
        w = np.ldexp(w, -e)
    return pd.Series(w / w.sum(), index=frame.columns, dtype=float, name="weight")
