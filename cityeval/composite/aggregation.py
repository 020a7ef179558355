r"""Aggregation: one score per unit from the indicators of one parent.

The stage after weighting. Every method has the stages' one signature,
``f(frame, *, weights, <options>) -> scores`` (``weights`` is the context :func:`aggregate`
supplies, :data:`CONTEXT`: the checked weights as a float array in column order), and sits in
:data:`AGGREGATION_METHODS`; :func:`aggregate` dispatches::

    aggregate(frame, weights, method="geometric", shift=0.0)

``frame`` holds normalized values (rows = units, columns = indicator codes,
higher is better); ``weights`` one non-negative weight per column. The result is
a ``pd.Series`` indexed by ``frame.index``, in the same order: no unit is dropped
or reordered.

Missing values
--------------
The mean-type methods (arithmetic, geometric, harmonic, generalized) skip a
missing value and renormalise the weights over the indicators the unit has, as
COINr's ``Aggregate()`` does by default: unit i's score uses
:math:`w_{ij} / \sum_{k \in A_i} w_k` for :math:`j \in A_i`, the indicators
available for i. A unit with no values – or whose available indicators all have
weight 0 – gets NaN. TOPSIS and Benefit-of-the-Doubt compare each unit with all
the others (ideal points, a frontier), for which skipping is not defined; they
raise :class:`DataError` on missing values (impute first).

Finite numbers of any size
--------------------------
Values beyond ``2**500`` (or all below ``2**-500``) are scaled by one power of two, and the scale
undone, where the arithmetic would overflow: before the arithmetic mean (a weighted mean of
``1.7e308`` and ``1.7e308`` is ``1.7e308``, not an overflow) and TOPSIS (scale-invariant; its
squares overflow above ``1e154``), and before the harmonic mean of tiny values (whose reciprocals
overflow). The geometric and generalized means work in logarithms and need no scaling. Weights of
extreme size are scaled too (every method is invariant to a common factor of the weights).
Ordinary values are never scaled. A unit with a usable value whose
score is still not finite is a :class:`DataError` naming the unit.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from cityeval.composite._contract import (check_finite_result, check_method_options, check_shift, pick_method,
                                          scale_exponents)
from cityeval.errors import DataError, ParameterError
from cityeval.validation import check_bool, check_choice, check_frame, check_number, check_weights

__all__ = ["aggregate", "AGGREGATION_METHODS", "benefit_of_the_doubt", "CONTEXT"]

#: Keyword-only parameters of the methods that :func:`aggregate` supplies (not options).
CONTEXT = ("weights",)


# --------------------------------------------------------------------------- helpers


def _values(frame: pd.DataFrame) -> np.ndarray:
    """Float values of ``frame`` (NaN for missing); :func:`aggregate` has checked it with ``check_frame``."""
    return frame.to_numpy(dtype=float, na_value=np.nan)


def _masked_weights(x: np.ndarray, w: np.ndarray):
    """(weights per cell, 0 where missing; row sums; availability mask)."""
    avail = ~np.isnan(x)
    wm = np.where(avail, w, 0.0) if not avail.all() else np.broadcast_to(w, x.shape)
    return wm, wm.sum(axis=1), avail


def _shifted(frame, x, shift, *, strict: bool, method: str):
    """x + shift, checked > 0 (strict) or >= 0 over the available cells."""
    s = check_number("shift", shift)
    check_shift("shift", s, x, frame.columns)  # a shift that swamps the values leaves only rounding noise
    y = x + s if s else x
    bad = (y <= 0) if strict else (y < 0)  # NaN compares False: missing cells pass
    if bad.any():
        i, j = np.argwhere(bad)[0]
        need = "> 0" if strict else ">= 0"
        raise DataError(None, f"the {method} mean needs every value {need}"
                        + (f" after adding shift={s:g}" if s else "")
                        + "; choose a normalization with a positive range or pass an explicit shift= "
                          "(added before, subtracted after aggregating)",
                        column=str(frame.columns[j]),
                        detail=f"unit {frame.index[i]!r} has {x[i, j]:g}; {int(bad.sum())} such value(s)")
    return y, s


# --------------------------------------------------------------------------- mean-type methods


def _arithmetic(frame, *, weights):
    """Weighted arithmetic mean."""
    x = _values(frame)
    wm, ws, avail = _masked_weights(x, weights)
    num = (np.where(avail, x, 0.0) * wm).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ws > 0, num / ws, np.nan)


def _geometric(frame, *, weights, shift: float = 0.0):
    """Weighted geometric mean of values > 0 (after shift)."""
    x = _values(frame)
    y, s = _shifted(frame, x, shift, strict=True, method="geometric")
    wm, ws, avail = _masked_weights(y, weights)
    logs = (np.log(np.where(avail, y, 1.0)) * wm).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ws > 0, np.exp(logs / ws), np.nan) - s


def _harmonic(frame, *, weights, shift: float = 0.0):
    """Weighted harmonic mean of values > 0 (after shift)."""
    x = _values(frame)
    y, s = _shifted(frame, x, shift, strict=True, method="harmonic")
    wm, ws, avail = _masked_weights(y, weights)
    # the reciprocal of a value below 2**-500 (or a sum of reciprocals of values above 2**500) is out of reach of
    # floating point: such a unit's row is scaled by the power of two of its smallest weighted value (exact), and
    # the scale undone; the harmonic mean is scaled by the same factor. Ordinary rows are not scaled.
    low = np.where(avail & (wm > 0), y, np.inf).min(axis=1)
    e = scale_exponents(np.where(np.isfinite(low), low, 0.0)[None, :])  # one exponent per unit, 0 if ordinary
    ys = np.ldexp(y, -e[:, None]) if e.any() else y
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # 1 / inf = 0: a negligible term
        inv = (wm / np.where(avail, ys, 1.0)).sum(axis=1)
        return np.ldexp(np.where(ws > 0, ws / inv, np.nan), e) - s


def _generalized(frame, *, weights, p: float = None, shift: float = 0.0):
    """Weighted power (generalized) mean of order p."""
    if p is None:
        raise ParameterError("p", "a finite number given explicitly (1 arithmetic, 0 geometric, -1 harmonic)", p)
    p = check_number("p", p)
    if p == 0:
        return _geometric(frame, weights=weights, shift=shift)
    x = _values(frame)
    if p == 1:
        check_number("shift", shift)  # validated, then irrelevant:
        return _arithmetic(frame, weights=weights)  # shifting then unshifting is the identity for the arithmetic mean
    y, s = _shifted(frame, x, shift, strict=p < 0, method=f"generalized (p={p:g})")
    wm, ws, avail = _masked_weights(y, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = wm / ws[:, None]  # renormalised weights over the available cells
        t = p * np.log(np.where(avail, y, 1.0))  # log(0) = -inf allowed for p > 0: exp(-inf) = 0
        # ln M_p = (1/p) ln sum_j a_j exp(t_j). For small |t| use expm1/log1p, which keep
        # full precision as p -> 0 (where exp(t) ~ 1 and the naive sum cancels).
        small = np.abs(np.where(np.isfinite(t), t, np.inf)).max(axis=1) < 0.5
        ln_small = np.log1p((a * np.expm1(t)).sum(axis=1)) / p
        from scipy.special import logsumexp   # here: scipy.special is ~0.25 s to import, needed by power means only

        ln_big = logsumexp(t, b=a, axis=1) / p
        out = np.exp(np.where(small, ln_small, ln_big))
        return np.where(ws > 0, out, np.nan) - s


# --------------------------------------------------------------------------- TOPSIS


def _row_norm(diff):
    """Euclidean norm of each row; a row whose largest entry is of extreme size (its square over- or underflows) is
    scaled by a power of two first (exact) and the scale undone, other rows are computed as ``sqrt(sum(d**2))``."""
    e = scale_exponents(np.abs(diff).T)  # one exponent per row
    if e.any():
        diff = np.ldexp(diff, -e[:, None])
    return np.ldexp(np.sqrt((diff ** 2).sum(axis=1)), e)


def _topsis(frame, *, weights, types=None, normalization: str = "vector"):
    """TOPSIS closeness coefficient (Hwang & Yoon 1981)."""
    x = check_frame(frame, complete=True, why="TOPSIS compares every unit with all the others and needs complete data; impute first")
    m = x.shape[1]
    if types is None:
        t = np.ones(m)
    else:
        if isinstance(types, dict):
            types = pd.Series(types)
        if isinstance(types, pd.Series):
            missing = [str(c) for c in frame.columns if c not in types.index]
            if missing:
                raise ParameterError("types", "a type (1 benefit, -1 cost) for every column of frame",
                                     f"missing for {', '.join(missing)}")
            types = types.reindex(frame.columns).to_numpy()
        t = np.asarray(types, dtype=object).ravel()
        if len(t) != m:
            raise ParameterError("types", f"{m} values (1 benefit, -1 cost), one per column", f"{len(t)} values")
        t = np.array([{1: 1.0, -1: -1.0, "benefit": 1.0, "cost": -1.0}.get(v, np.nan)
                      if not isinstance(v, (bool, np.bool_)) else np.nan for v in np.asarray(types, dtype=object).ravel()])
        if np.isnan(t).any():
            j = int(np.argmax(np.isnan(t)))
            raise ParameterError(f"types[{frame.columns[j]!r}]", "1 or 'benefit', -1 or 'cost'",
                                 np.asarray(types, dtype=object).ravel()[j])
    check_choice("normalization", normalization, ("vector", "minmax", "none"))
    if normalization == "vector":
        norm = np.sqrt((x * x).sum(axis=0))
        r = x / np.where(norm > 0, norm, 1.0)
    elif normalization == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        r = (x - lo) / np.where(hi > lo, hi - lo, 1.0)
    else:  # "none"
        r = x
    v = r * (weights / weights.sum())
    vmax, vmin = v.max(axis=0), v.min(axis=0)
    ideal = np.where(t > 0, vmax, vmin)
    anti = np.where(t > 0, vmin, vmax)
    d_plus, d_minus = _row_norm(v - ideal), _row_norm(v - anti)
    tot = d_plus + d_minus
    if not (tot > 0).all():
        raise DataError(None, "TOPSIS needs at least one indicator with positive weight that varies across "
                        "units (otherwise every unit is both the ideal and the anti-ideal)",
                        detail=f"columns {', '.join(map(str, frame.columns))}")
    return d_minus / tot


# --------------------------------------------------------------------------- Benefit of the Doubt


def _bod_solve(frame, w, share_bounds):
    x = check_frame(frame, complete=True,
                    why="Benefit-of-the-Doubt compares every unit with all the others and needs complete data; "
                        "impute first")
    neg = x < 0
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise DataError(None, "Benefit-of-the-Doubt needs values >= 0 (a DEA output)",
                        column=str(frame.columns[j]), detail=f"unit {frame.index[i]!r} has {x[i, j]:g}")
    n, m = x.shape
    w0 = w / w.sum()
    # the scores do not change when a column is multiplied by a factor (its multiplier takes the inverse) or when
    # one unit's objective is (its score takes the factor): columns and objectives of extreme size are scaled by
    # a power of two (exact) so that the solver sees coefficients it resolves; ordinary ones are not scaled
    ec = scale_exponents(x)
    if ec.any():
        x = np.ldexp(x, -ec)
    eo = scale_exponents(x.T)
    if share_bounds is not None:
        pair = isinstance(share_bounds, (tuple, list, np.ndarray)) and np.ndim(share_bounds) == 1 \
            and len(share_bounds) == 2
        try:
            lo, hi = (check_number("share_bounds", b) for b in share_bounds) if pair else (np.nan, np.nan)
        except ParameterError:  # a bool, a string, a non-finite bound
            lo = hi = np.nan
        if not (0 <= lo <= 1 <= hi and np.isfinite(hi)):
            raise ParameterError("share_bounds", "None or a pair (lo, hi) with 0 <= lo <= 1 <= hi", share_bounds)
    scores = np.empty(n)
    mult = np.empty((n, m))
    eye = np.eye(m)
    # Constraint generation: at an optimum at most m unit constraints bind, so each LP is solved on a
    # small active set of units, and the units whose constraint the solution violates are added until
    # none is. The result is the optimum of the full LP (a relaxation's optimum that is feasible for the
    # full problem is optimal for it), at a fraction of the cost of n constraints per LP.
    seeds = np.unique(np.argmax(x, axis=0))  # the best unit on each indicator bounds every w_j
    var_bounds = [(0, 0) if top == 0 else (0, None) for top in x.max(axis=0)]  # an all-zero indicator: w_j = 0
    batch = max(2 * m, 10)
    for i in range(n):
        yc = np.ldexp(x[i], -eo[i]) if eo[i] else x[i]
        if share_bounds is not None:
            # share_j = w_j y_ij / sum_k w_k y_ik must lie in [lo * w0_j, hi * w0_j]:
            #   lo w0_j (y_i . w) - y_ij w_j <= 0   and   y_ij w_j - hi w0_j (y_i . w) <= 0
            shares = np.vstack([lo * w0[:, None] * yc[None, :] - eye * yc[None, :],
                                eye * yc[None, :] - hi * w0[:, None] * yc[None, :]])
        active = np.union1d(seeds, [i])
        from scipy.optimize import linprog   # here: scipy.optimize is ~0.3 s to import, needed only by BoD

        while True:
            a_ub, b_ub = x[active], np.ones(len(active))
            if share_bounds is not None:
                a_ub, b_ub = np.vstack([a_ub, shares]), np.concatenate([b_ub, np.zeros(2 * m)])
            res = linprog(-yc, A_ub=a_ub, b_ub=b_ub, bounds=var_bounds, method="highs")
            if res.status != 0:  # w = 0 is feasible and the seed rows bound w: only values the solver cannot
                # resolve in floating point (e.g. spanning 1e-300 to 1e300) make it fail
                raise DataError(None, "the Benefit-of-the-Doubt linear programme cannot be solved for these values "
                                "(they are too extreme for floating point); rescale the indicators",
                                detail=f"unit {frame.index[i]!r}: {res.message}")
            excess = x @ res.x - 1.0
            new = np.setdiff1d(np.flatnonzero(excess > 1e-9), active, assume_unique=True)
            if new.size == 0:
                break
            active = np.union1d(active, new[np.argsort(excess[new])[::-1][:batch]])
        scores[i] = np.ldexp(-res.fun, eo[i])
        mult[i] = np.ldexp(res.x, -ec) if ec.any() else res.x
        # units binding here lie on the frontier and tend to bind for other units too: seed the next LPs
        binding = np.flatnonzero(excess > -1e-9)
        if binding.size and len(seeds) < 4 * batch:
            seeds = np.union1d(seeds, binding)
    return np.clip(scores, 0.0, 1.0), mult


def _bod(frame, *, weights, share_bounds=None):
    """Benefit-of-the-Doubt scores (Cherchye et al. 2007)."""
    return _bod_solve(frame, weights, share_bounds)[0]


def benefit_of_the_doubt(frame: pd.DataFrame, weights=None, *, share_bounds=None, return_weights: bool = False):
    r"""Benefit-of-the-Doubt composite scores, optionally with each unit's own weights.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Normalized values >= 0, higher is better, no missing values.
    weights : pandas.Series, dict or sequence, optional
        Reference weights, used only by ``share_bounds``. Default: equal.
    share_bounds : tuple (lo, hi), optional
        Pie-share restrictions relative to the reference weights: in unit i's
        score the share of indicator j, :math:`w_{ij} y_{ij} / \sum_k w_{ik} y_{ik}`,
        must lie in :math:`[lo \cdot w^0_j, hi \cdot w^0_j]` (``0 <= lo <= 1 <= hi``).
        ``None`` (default): unrestricted weights.
    return_weights : bool, default False
        Also return each unit's optimal multipliers.

    Returns
    -------
    scores : pandas.Series
        Indexed by ``frame.index``, in [0, 1]; 1 for units on the frontier.
    weights : pandas.DataFrame, only if ``return_weights``
        Units × indicators, the optimal :math:`w_{ij}` of each unit's LP (not
        normalised). A unit can have several optimal weight vectors (frontier
        units often do); which one is returned depends on the solver path and may
        change with the order of the units. The scores do not.

    Notes
    -----
    For each unit c, the linear programme (Cherchye et al. 2007)

    .. math::
        CI_c = \max_{w \ge 0} \sum_j w_j y_{cj}
        \quad \text{s.t.} \quad \sum_j w_j y_{kj} \le 1 \;\; \forall k,

    solved with ``scipy.optimize.linprog(method="highs")``. Each unit gets the
    weights most favourable to it, subject to no unit scoring above 1 with them.
    Since at most m constraints bind at an optimum, each LP is solved by
    constraint generation: on a small active set of units (the best unit on each
    indicator, the unit itself, frontier units found earlier), adding the units
    whose constraint the solution violates until none does. That optimum is the
    full LP's optimum (exact, not an approximation); it makes 3,000 units x 10
    indicators take seconds rather than minutes. An indicator that is 0 for
    every unit gets weight 0.
    With a lower share bound ``lo > 0``, a unit with a 0 on some indicator cannot
    give that indicator any share, so its score is 0: this is what the pie-share
    restriction means, not a failure.

    References
    ----------
    Cherchye, L., Moesen, W., Rogge, N., & Van Puyenbroeck, T. (2007). An
    introduction to 'benefit of the doubt' composite indicators. *Social
    Indicators Research*, 82(1), 111–145.
    Melyn, W., & Moesen, W. (1991). Towards a synthetic indicator of
    macroeconomic performance. KU Leuven Public Economics Research Paper 17.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"a": [1.0, 0.5, 0.4], "b": [0.5, 1.0, 0.4]}, index=["x", "y", "z"])
    >>> benefit_of_the_doubt(f).round(4).to_dict()
    {'x': 1.0, 'y': 1.0, 'z': 0.5333}
    """
    check_frame(frame)
    w = np.ones(frame.shape[1]) if weights is None else check_weights(weights, frame.columns)
    return_weights = check_bool("return_weights", return_weights)
    scores, mult = _bod_solve(frame, w, share_bounds)
    s = pd.Series(scores, index=frame.index, dtype=float, name="score")
    if return_weights:
        return s, pd.DataFrame(mult, index=frame.index, columns=frame.columns)
    return s


#: name → function(frame, *, weights (float array in column order), **options) returning one score per row.
AGGREGATION_METHODS: dict[str, Callable[..., np.ndarray]] = {
    "arithmetic": _arithmetic,
    "geometric": _geometric,
    "harmonic": _harmonic,
    "generalized": _generalized,
    "topsis": _topsis,
    "bod": _bod,
}


def aggregate(frame: pd.DataFrame, weights, *, method: str = "arithmetic", **options) -> pd.Series:
    r"""Aggregate the indicators of one parent into one score per unit.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_units, n_indicators)
        Normalized values, higher is better; NaN for missing.
    weights : pandas.Series, dict or sequence
        One non-negative weight per column (a Series/dict keyed by code; entries
        for other codes are ignored), positive sum; need not sum to 1.
    method : str, default "arithmetic"
        A key of :data:`AGGREGATION_METHODS`: ``"arithmetic"``, ``"geometric"``,
        ``"harmonic"``, ``"generalized"``, ``"topsis"``, ``"bod"``.
    **options
        * ``geometric``, ``harmonic``, ``generalized``: ``shift`` (float, default 0),
          added to every value before aggregating and subtracted from the result.
        * ``generalized``: ``p`` (float, required).
        * ``topsis``: ``types`` (1/"benefit" or -1/"cost" per column, default all
          benefit); ``normalization`` ("vector" default, "minmax", "none").
        * ``bod``: ``share_bounds`` (see :func:`benefit_of_the_doubt`).

    Returns
    -------
    pandas.Series
        One score per unit, indexed by ``frame.index`` in the same order; NaN for a
        unit with no usable values (mean-type methods).

    Raises
    ------
    ParameterError
        Unknown method or option, bad weights or option values.
    DataError
        Values outside a method's domain (named: unit and indicator), e.g. a 0
        for the geometric mean without ``shift``; missing values for TOPSIS/BoD.

    Notes
    -----
    With :math:`a_{ij} = w_j / \sum_{k \in A_i} w_k` the weights renormalised
    over the indicators :math:`A_i` available for unit i, and :math:`s` = ``shift``:

    * **arithmetic**: :math:`\sum_j a_{ij} x_{ij}`.
    * **geometric**: :math:`\exp\left(\sum_j a_{ij}\ln(x_{ij}+s)\right) - s`;
      needs :math:`x_{ij} + s > 0`. A zero is not silently replaced: the geometric
      mean of anything with a 0 is 0, which erases every other indicator, so we
      raise and let the user choose a shift (or a normalization whose range
      starts above 0, e.g. min-max onto [1, 100] as COINr's examples do).
    * **harmonic**: :math:`\left(\sum_j a_{ij}/(x_{ij}+s)\right)^{-1} - s`; same
      domain as geometric.
    * **generalized** (power mean of order p): :math:`M_p = \left(\sum_j a_{ij}
      (x_{ij}+s)^p\right)^{1/p} - s`; p = 1 is arithmetic, p = −1 harmonic,
      p = 0 is defined as the limit, the geometric mean. Needs values > 0 for
      p <= 0 and >= 0 for p > 0 (after shift). Computed in log space
      (``expm1``/``log1p`` for small :math:`|p \ln x|`, ``logsumexp`` otherwise) so
      that p → 0 converges smoothly to the geometric mean. M_p is non-decreasing
      in p: harmonic <= geometric <= arithmetic.
    * **topsis** (Hwang & Yoon 1981): :math:`r_{ij} = x_{ij}/\sqrt{\sum_i x_{ij}^2}`
      (``normalization="vector"``; ``"minmax"`` is pymcdm's default;
      ``"none"`` uses the values as they are), :math:`v_{ij} = w_j r_{ij}`
      (weights scaled to sum 1), ideal :math:`v^+_j = \max_i v_{ij}` for a benefit
      and :math:`\min_i` for a cost indicator, anti-ideal the other way round,
      :math:`D^\pm_i = \lVert v_i - v^\pm \rVert_2`, score
      :math:`C_i = D^-_i/(D^+_i + D^-_i) \in [0, 1]`. A column whose norm is 0 is
      left at 0. The scores are relative to the set of units: adding a unit can
      change everyone's score.
    * **bod**: Benefit-of-the-Doubt; see :func:`benefit_of_the_doubt`. ``weights``
      only matter through ``share_bounds``.

    References
    ----------
    Becker, W., et al. COINr: Composite Indicator Construction and Analysis (R
    package, v1.1), ``Aggregate()``, ``a_amean``, ``a_gmean``, ``a_hmean``,
    ``a_genmean`` ("If x contains NAs, these x values and the corresponding w
    values are removed before applying the formula", ``a_amean`` help page).
    Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods
    and Applications*. Springer (TOPSIS).
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, step 6
    (weighting and aggregation).
    Cherchye, L., et al. (2007). An introduction to 'benefit of the doubt'
    composite indicators. *Social Indicators Research*, 82(1), 111–145.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"a": [1.0, 4.0, None], "b": [4.0, 1.0, None]}, index=["x", "y", "z"])
    >>> aggregate(f, {"a": 1, "b": 1}, method="geometric").to_dict()
    {'x': 2.0, 'y': 2.0, 'z': nan}
    >>> aggregate(f, {"a": 3, "b": 1}).to_dict()
    {'x': 1.75, 'y': 3.25, 'z': nan}
    """
    fn = pick_method("aggregate", method, AGGREGATION_METHODS)
    check_method_options(fn, options, where=f"aggregate(method={method!r})", context=CONTEXT)
    x = check_frame(frame)
    with np.errstate(over="ignore"):  # weights near 1e308: their sum overflows to inf, still > 0
        w = check_weights(weights, frame.columns)
    ew = int(scale_exponents(w, axis=None))
    if ew:  # weights near 1e308 (their sum overflows) or 1e-308: a common factor changes no method's result
        w = np.ldexp(w, -ew)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below, naming the unit
        out = _scaled_call(fn, method, frame, x, w, options)
    scored = (~np.isnan(x) & (w > 0)).any(axis=1)  # a unit with a usable value must get a finite score
    check_finite_result(f"aggregate(method={method!r})", out, units=frame.index, present=scored)
    return pd.Series(out, index=frame.index, dtype=float, name="score")


#: Methods whose score scales with the values (``A(c x, shift=c s) = c A(x, shift=s)``) and that overflow on
#: values of extreme size (harmonic: only on tiny ones), and those whose score does not change when every value
#: is multiplied by one factor. The geometric and generalized means work in logarithms; Benefit-of-the-Doubt
#: is left alone: scaling cannot bring values that span 1e-300 .. 1e300 within what its solver resolves.
_EQUIVARIANT = ("arithmetic", "harmonic")
_INVARIANT = ("topsis",)


def _scaled_call(fn, method, frame, x, w, options):
    """``fn(frame, weights=w, **options)``, computed on the values scaled by one power of two when they are of
    extreme size (and the scale undone for the mean-type methods); exact, and only for such values."""
    if method in _INVARIANT and options.get("normalization", "vector") in ("vector", "minmax"):
        e = scale_exponents(x)  # TOPSIS normalizes each column: invariant to a factor per column
        if e.any():
            frame = pd.DataFrame(np.ldexp(x, -e), index=frame.index, columns=frame.columns)
        return np.asarray(fn(frame, weights=w, **options), dtype=float)
    shift = options.get("shift", 0.0)
    sized = isinstance(shift, (int, float, np.integer, np.floating)) and not isinstance(shift, (bool, np.bool_)) \
        and np.isfinite(shift)
    e = int(scale_exponents(np.append(x.ravel(), shift if sized else 0.0), axis=None)) \
        if method in _EQUIVARIANT + _INVARIANT else 0
    if not e or (method in _EQUIVARIANT and not sized) or (method == "harmonic" and e > 0):
        return np.asarray(fn(frame, weights=w, **options), dtype=float)
    scaled = pd.DataFrame(np.ldexp(x, -e), index=frame.index, columns=frame.columns)
    if method in _INVARIANT:
        return np.asarray(fn(scaled, weights=w, **options), dtype=float)
    if "shift" in options:
        options = {**options, "shift": float(np.ldexp(float(shift), -e))}
    return np.ldexp(np.asarray(fn(scaled, weights=w, **options), dtype=float), e)
