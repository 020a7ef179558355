"""Is a distribution of scores polarized? Tests of bimodality, a polarization index, and their power.

The report reads its Fig. 13 as "数字医疗健康水平呈现两极分化趋势" (digital healthcare is
polarized: many cities high or low, few in the middle) and its Fig. 14 as "数字生活水平相对平均"
(digital life is fairly even). This module gives the statistics that turn such a reading into a
testable statement about one sample of scores:

* :func:`dip_test` — Hartigan's dip test of unimodality (a test: null = one mode);
* :func:`bimodality_coefficient` — Sarle's bimodality coefficient, compared with 5/9;
* :func:`gmm_compare` — one vs two Gaussian components, by BIC;
* :func:`wolfson_polarization` — the Foster–Wolfson (bi)polarization index;
* :func:`bimodality_summary` — the four above on one sample;
* :func:`mixture_power` — how often each criterion detects an equal mixture of two normal groups,
  as a function of their separation, at a given sample size (a seeded simulation);
* :func:`covariate_correlation` and :func:`load_covariates` — scores against a city covariate
  (GDP per capita, report Figs. 13 and 14).

Every function takes the data first and its options keyword-only; bad input raises
:class:`~cityeval.errors.ParameterError` naming the parameter, what is allowed and what was received.
Samples must be one-dimensional, finite (no NaN: drop or impute missing cities first, the
functions never drop them silently) and hold at least 4 values.
"""
from __future__ import annotations

import math
import numbers
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError

__all__ = [
    "BC_UNIFORM", "MIXTURE_BIMODAL_SEPARATION", "MIXTURE_BC_SEPARATION",
    "dip_test", "bimodality_coefficient", "gmm_compare", "wolfson_polarization", "wolfson_normal_reference",
    "normal_mixture_bc", "bic_evidence", "bimodality_summary", "mixture_power", "separation_for_power",
    "separation_to_gap",
    "covariate_correlation", "load_covariates",
]

#: Sarle's bimodality coefficient of the uniform distribution (excess kurtosis -6/5, skewness 0):
#: 1 / (3 - 6/5) = 5/9. Values above it are read as a sign of bimodality (SAS/STAT manual; Pfister et al. 2013).
BC_UNIFORM = 5 / 9

#: An equal (50/50) mixture of two normals with the same standard deviation sigma has two modes exactly when
#: its means are more than 2 sigma apart (Robertson & Fryer 1969; Schilling, Watkins & Watkins 2002).
MIXTURE_BIMODAL_SEPARATION = 2.0
#: Separation d at which the population bimodality coefficient of that mixture reaches 5/9
#: (:func:`normal_mixture_bc`: a = d^2/4 > (3 + sqrt 15)/2, so d = 2 sqrt((3 + sqrt 15)/2) = 3.71).
MIXTURE_BC_SEPARATION = 2 * float(np.sqrt((3 + np.sqrt(15)) / 2))

#: Fewest values the tests accept: Sarle's small-sample correction divides by (n - 2)(n - 3).
MIN_N = 4

# Column names of the power table, one per criterion.
_TESTS = ("dip_test", "bimodality_coefficient", "gmm_bic")


class _Shown(str):
    """A description shown without quotes in a :class:`ParameterError` message."""

    def __repr__(self):
        return str(self)


# --------------------------------------------------------------------------------------------- checks

def _sample(x, *, name: str = "x", min_n: int = MIN_N) -> np.ndarray:
    """``x`` as a 1-D float array: finite, at least ``min_n`` values; else a ParameterError."""
    if x is None or isinstance(x, (str, bytes)) or np.isscalar(x):
        raise ParameterError(name, "a one-dimensional sequence of numbers (one value per city)", x)
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "a one-dimensional sequence of numbers (one value per city)",
                             _Shown(f"a {type(x).__name__} that is not numeric")) from None
    if arr.ndim != 1:
        raise ParameterError(name, "one-dimensional (one value per city)", _Shown(f"an array of shape {arr.shape}"))
    bad = ~np.isfinite(arr)
    if bad.any():
        labels = list(x.index[bad]) if isinstance(x, pd.Series) else list(np.flatnonzero(bad))
        where = ", ".join(str(v) for v in labels[:5]) + (", ..." if len(labels) > 5 else "")
        raise ParameterError(name, "free of NaN and infinite values (drop or impute the missing cities first)",
                             _Shown(f"{int(bad.sum())} non-finite of {arr.size} values, at {where}"))
    if arr.size < min_n:
        raise ParameterError(name, f"a sample of at least {min_n} values", _Shown(f"{arr.size} value(s)"))
    return arr


def _not_constant(arr: np.ndarray, name: str, what: str) -> None:
    if np.ptp(arr) == 0:
        raise ParameterError(name, f"a sample with at least two distinct values ({what} is undefined for a "
                                   "constant sample)", _Shown(f"{arr.size} values all equal to {arr[0]:g}"))


def _integer(value, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ParameterError(name, f"a whole number of at least {low}", value)
    return int(value)


def _seed(value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ParameterError("seed", "a non-negative whole number", value)
    return int(value)


def _alpha(value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ParameterError("alpha", "in the open interval (0, 1)", value)
    return float(value)


# ---------------------------------------------------------------------------------------- statistics

def dip_test(x) -> dict:
    """Hartigan's dip test of unimodality.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample (e.g. one score per city); finite, at least 4 values.

    Returns
    -------
    dict
        ``dip`` (the dip statistic, between 1/(2n) and 1/4), ``p_value`` (for the
        null hypothesis that the distribution is unimodal) and ``n``.

    Notes
    -----
    The dip is the largest distance between the empirical distribution function :math:`F_n` and the
    closest unimodal distribution function, :math:`D = \\inf_{G\\ \\mathrm{unimodal}} \\sup_x |F_n(x) - G(x)|`
    (Hartigan & Hartigan 1985). The p-value is calibrated on the uniform distribution, the least
    favourable unimodal one, so the test is conservative for other unimodal shapes (a normal sample is
    rejected far less often than ``alpha``).

    The dip of an empirical distribution of n values is at least :math:`1/(2n)`; like R's ``dip``
    (``min.is.0 = FALSE``) the statistic is reported with that floor (``allow_zero=False``), so evenly
    spaced or constant samples get :math:`1/(2n)` and a p-value near 1 rather than 0.

    The computation uses the ``diptest`` package rather than a re-implementation: it is a maintained C++
    implementation (a port of Maechler's R package ``diptest`` of Hartigan's algorithm AS 217) whose
    p-value interpolates tabulated critical values of the dip under the uniform null, so it is exact where
    hand-written versions are easy to get subtly wrong, and fast enough to run thousands of times in
    :func:`mixture_power`.

    References
    ----------
    Hartigan, J. A. & Hartigan, P. M. (1985). The dip test of unimodality. *Annals of Statistics* 13(1), 70-84.

    Examples
    --------
    Two equal point masses are the most bimodal sample there is, with the largest possible dip:

    >>> dip_test([0.0, 0.0, 1.0, 1.0])["dip"]
    0.25
    """
    import diptest

    arr = _sample(x)
    dip, p = diptest.diptest(arr, allow_zero=False)
    return {"dip": float(dip), "p_value": float(p), "n": int(arr.size)}


def _bc_formula(g1, g2, n):
    """Sarle's BC from bias-corrected skewness ``g1``, excess kurtosis ``g2`` and size ``n`` (arrays allowed)."""
    return (g1 ** 2 + 1) / (g2 + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def bimodality_coefficient(x) -> float:
    """Sarle's bimodality coefficient (BC).

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample; finite, at least 4 values, not constant.

    Returns
    -------
    float
        BC in (0, 1]. About 1/3 for a normal sample, 5/9 (:data:`BC_UNIFORM`) for a uniform one; values
        above 5/9 are conventionally read as a sign of bimodality.

    Notes
    -----
    .. math::

        BC = \\frac{g_1^2 + 1}{g_2 + \\dfrac{3 (n-1)^2}{(n-2)(n-3)}}

    with :math:`g_1` the bias-corrected sample skewness and :math:`g_2` the bias-corrected sample excess
    kurtosis (``scipy.stats.skew`` and ``scipy.stats.kurtosis`` with ``bias=False``). For large n the
    denominator is the kurtosis, so BC tends to :math:`(\\gamma_1^2 + 1)/\\kappa`. BC is a descriptive
    rule, not a test: skewed unimodal samples can exceed 5/9 (Pfister et al. 2013), and a symmetric
    mixture of two normal groups only exceeds it when the groups are more than about 3.7 standard
    deviations apart (:func:`normal_mixture_bc`).

    A constant sample has no skewness or kurtosis: it raises rather than returning NaN.

    References
    ----------
    SAS Institute. *SAS/STAT User's Guide*, The CLUSTER procedure (bimodality coefficient).
    Pfister, R., Schwarz, K. A., Janczyk, M., Dale, R. & Freeman, J. B. (2013). Good things peak in pairs:
    a note on the bimodality coefficient. *Frontiers in Psychology* 4:700. doi:10.3389/fpsyg.2013.00700

    Examples
    --------
    >>> round(bimodality_coefficient([1.0, 2.0, 3.0, 4.0]), 6)   # g1 = 0, g2 = -1.2: 1 / (-1.2 + 13.5)
    0.081301
    """
    arr = _sample(x)
    _not_constant(arr, "x", "the bimodality coefficient")
    g1 = stats.skew(arr, bias=False)
    g2 = stats.kurtosis(arr, fisher=True, bias=False)
    return float(_bc_formula(g1, g2, arr.size))


def normal_mixture_bc(separation):
    """Population bimodality coefficient of an equal mixture of two unit-variance normals.

    Parameters
    ----------
    separation : float or array-like
        Distance d between the two means (in units of the common standard deviation), d >= 0.

    Returns
    -------
    float or numpy.ndarray
        BC of the mixture ``0.5 N(-d/2, 1) + 0.5 N(d/2, 1)``.

    Notes
    -----
    With :math:`a = d^2/4` the mixture has variance :math:`1 + a`, fourth central moment
    :math:`3 + 6a + a^2` and no skewness, so :math:`BC = (1 + a)^2 / (3 + 6a + a^2)`. It is 1/3 at
    d = 0 and exceeds 5/9 only for :math:`a > (3 + \\sqrt{15})/2`, i.e. d > 3.71, although the density
    is bimodal from d > 2 (:data:`MIXTURE_BIMODAL_SEPARATION`).

    Examples
    --------
    >>> float(normal_mixture_bc(0.0))
    0.3333333333333333
    """
    d = np.asarray(separation, dtype=float)
    if np.any(~np.isfinite(d)) or np.any(d < 0):
        raise ParameterError("separation", "finite and non-negative", separation)
    a = d ** 2 / 4
    out = (1 + a) ** 2 / (3 + 6 * a + a ** 2)
    return float(out) if out.ndim == 0 else out


def gmm_compare(x, *, seed: int, n_init: int = 5) -> dict:
    """One vs two Gaussian components, compared by BIC.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample; finite, at least 6 values (more than the 5 parameters of the two-component
        model), not constant.
    seed : int
        ``random_state`` of :class:`sklearn.mixture.GaussianMixture` (fixed, so the fit is reproducible).
    n_init : int, default 5
        Initialisations of each fit (at least 3); the best likelihood is kept.

    Returns
    -------
    dict
        ``bic_1``, ``bic_2`` (BIC of the 1- and 2-component fits), ``delta_bic`` (= ``bic_1 - bic_2``:
        positive when two components are preferred), ``evidence`` (:func:`bic_evidence` of ``delta_bic``),
        ``preferred_k`` (1 or 2), and the two-component fit: ``means``, ``sds``, ``weights`` (sorted by
        mean), ``separation`` (distance between the means in units of the root mean within-component
        variance) and ``modes`` (number of modes of the fitted two-component density: 1 when the two
        components overlap into a single peak, as they do for a skewed sample).

    Notes
    -----
    :math:`BIC_k = -2 \\ln \\hat L_k + p_k \\ln n` with :math:`p_1 = 2` (mean, variance) and
    :math:`p_2 = 5` (two means, two variances, one weight). A difference above 10 is "very strong"
    evidence on Kass & Raftery's (1995) scale. Two components can be preferred for a *skewed* unimodal
    sample too: the criterion detects departure from one normal, not bimodality as such; ``modes`` says
    whether the preferred two-component fit has two peaks (few cities in the middle) or one.

    References
    ----------
    Schwarz, G. (1978). Estimating the dimension of a model. *Annals of Statistics* 6(2), 461-464.
    Kass, R. E. & Raftery, A. E. (1995). Bayes factors. *JASA* 90(430), 773-795.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.r_[rng.normal(-3, 1, 100), rng.normal(3, 1, 100)]
    >>> gmm_compare(x, seed=0)["preferred_k"]
    2
    """
    from sklearn.mixture import GaussianMixture

    arr = _sample(x, min_n=6)
    _not_constant(arr, "x", "a Gaussian mixture fit")
    seed = _seed(seed)
    n_init = _integer(n_init, "n_init", 3)
    X = arr[:, None]
    fits = {k: GaussianMixture(k, n_init=n_init, random_state=seed).fit(X) for k in (1, 2)}
    bic = {k: float(f.bic(X)) for k, f in fits.items()}
    two = fits[2]
    order = np.argsort(two.means_.ravel())
    means = two.means_.ravel()[order]
    variances = two.covariances_.ravel()[order]
    return {
        "bic_1": bic[1], "bic_2": bic[2], "delta_bic": bic[1] - bic[2], "preferred_k": 2 if bic[2] < bic[1] else 1,
        "means": means.tolist(), "sds": np.sqrt(variances).tolist(), "weights": two.weights_[order].tolist(),
        "separation": float((means[1] - means[0]) / np.sqrt(variances.mean())),
        "modes": _mixture_modes(means, np.sqrt(variances), two.weights_[order]),
        "evidence": bic_evidence(bic[1] - bic[2]),
    }


def _mixture_modes(means, sds, weights, *, points: int = 4001) -> int:
    """Number of local maxima of a 1-D Gaussian mixture density, counted on a fine grid."""
    means, sds, weights = (np.asarray(v, dtype=float) for v in (means, sds, weights))
    grid = np.linspace((means - 5 * sds).min(), (means + 5 * sds).max(), points)
    dens = (weights[:, None] * stats.norm.pdf(grid[None, :], means[:, None], sds[:, None])).sum(axis=0)
    rises = np.diff(dens) > 0
    return int(np.sum(rises[:-1] & ~rises[1:]))


def bic_evidence(delta_bic: float) -> str:
    """Kass & Raftery's (1995) verbal grade of a BIC difference, for the model with the lower BIC.

    Parameters
    ----------
    delta_bic : float
        A difference of BICs (its sign does not matter).

    Returns
    -------
    str
        ``"not worth more than a bare mention"`` (|Δ| < 2), ``"positive"`` (2-6), ``"strong"`` (6-10) or
        ``"very strong"`` (> 10).

    References
    ----------
    Kass, R. E. & Raftery, A. E. (1995). Bayes factors. *JASA* 90(430), 773-795 (section 3.2, on the scale
    of twice the log Bayes factor, which the BIC difference approximates).

    Examples
    --------
    >>> bic_evidence(-7.5)
    'strong'
    """
    if isinstance(delta_bic, bool) or not isinstance(delta_bic, numbers.Real) or not math.isfinite(delta_bic):
        raise ParameterError("delta_bic", "a finite number", delta_bic)
    size = abs(float(delta_bic))
    if size < 2:
        return "not worth more than a bare mention"
    if size < 6:
        return "positive"
    if size <= 10:
        return "strong"
    return "very strong"


def _gini(sorted_x: np.ndarray) -> float:
    n = sorted_x.size
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * sorted_x) / (n * sorted_x.sum()))


def wolfson_polarization(x) -> float:
    """Foster–Wolfson bipolarization index.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample; finite, non-negative, at least 4 values, with a positive median.

    Returns
    -------
    float
        The index, in [0, 1]: 0 for a constant sample, 1 when half the values are 0 and the other
        half equal (e.g. ``[0, 0, 2, 2]``).

    Notes
    -----
    .. math::

        P = 2\\,(2T - G)\\,\\frac{\\mu}{m}, \\qquad T = \\tfrac12 - L(\\tfrac12)

    with :math:`\\mu` the mean, :math:`m` the median, :math:`G` the Gini coefficient and :math:`L` the
    Lorenz curve, so :math:`T` is the gap between half the total and the share of the lower half.
    Equivalently (Foster & Wolfson 2010), :math:`P = 2\\,[(1 - G)\\,\\mu - \\mu_L] / m` with :math:`\\mu_L`
    the mean of the lower half. :math:`T - G/2` is the area between the Lorenz curve and its tangent
    at the median (slope :math:`m/\\mu`), hence :math:`P \\ge 0`.

    The sample version uses the piecewise-linear empirical Lorenz curve through
    :math:`(i/n, \\sum_{j \\le i} x_{(j)} / \\sum x)`, its Gini :math:`G = \\sum_i (2i - n - 1) x_{(i)} /
    (n \\sum x)` (mean absolute difference over twice the mean) and the usual sample median, which is a
    slope of that curve at 1/2; so the sample index is non-negative too, and exactly 0 for a constant
    sample. (Counting the values ``<= median`` as the lower half, as some implementations do, breaks
    both properties with ties.)

    The index is scale invariant but not translation invariant: on min-max scores (0 = the worst city of
    the whole panel) its level depends on where that zero lies. Compare indices of scores on one scale,
    and against :func:`wolfson_normal_reference` at the same coefficient of variation.

    References
    ----------
    Wolfson, M. C. (1994). When inequalities diverge. *American Economic Review* 84(2), 353-358.
    Foster, J. E. & Wolfson, M. C. (2010). Polarization and the decline of the middle class: Canada and
    the U.S. *Journal of Economic Inequality* 8(2), 247-273.

    Examples
    --------
    >>> round(wolfson_polarization([1.0, 2.0, 3.0, 4.0]), 6)   # T = 0.2, G = 0.25, mu = m = 2.5
    0.3
    """
    arr = _sample(x)
    if np.any(arr < 0):
        raise ParameterError("x", "non-negative (the Lorenz curve needs non-negative values)",
                             _Shown(f"{int((arr < 0).sum())} negative value(s), the smallest {arr.min():g}"))
    s = np.sort(arr)
    n = s.size
    mu, med = s.mean(), float(np.median(s))
    if med <= 0:
        raise ParameterError("x", "a sample with a positive median (the index divides by it)", _Shown(f"median {med:g}"))
    lorenz = np.r_[0.0, np.cumsum(s)] / s.sum()        # at p = 0, 1/n, ..., 1
    half = np.interp(0.5, np.arange(n + 1) / n, lorenz)
    T = 0.5 - half
    value = 2 * (2 * T - _gini(s)) * mu / med
    return 0.0 if abs(value) < 1e-12 else float(value)  # a constant sample: 0 up to rounding


def wolfson_normal_reference(cv):
    """Foster–Wolfson index of a normal distribution with coefficient of variation ``cv``.

    Notes
    -----
    For :math:`N(\\mu, \\sigma^2)` (with negligible mass below 0), the lower half has mean
    :math:`\\mu - 2\\sigma\\varphi(0)`, so :math:`T = \\sigma\\varphi(0)/\\mu`, and
    :math:`G = \\sigma / (\\sqrt{\\pi}\\,\\mu)`; with :math:`m = \\mu`:
    :math:`P = 2\\,(\\sqrt{2/\\pi} - 1/\\sqrt{\\pi})\\,\\sigma/\\mu \\approx 0.4674\\,\\mathrm{cv}`.
    A sample whose index is near this value is about as polarized as a normal sample of the same spread.

    Examples
    --------
    >>> round(wolfson_normal_reference(0.1), 5)
    0.04674
    """
    c = np.asarray(cv, dtype=float)
    if np.any(~np.isfinite(c)) or np.any(c < 0):
        raise ParameterError("cv", "finite and non-negative", cv)
    out = 2 * (math.sqrt(2 / math.pi) - 1 / math.sqrt(math.pi)) * c
    return float(out) if out.ndim == 0 else out


def bimodality_summary(x, *, seed: int) -> dict:
    """Every criterion of this module on one sample.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample (non-negative for the polarization index; a negative sample gets ``None`` there).
    seed : int
        Passed to :func:`gmm_compare`.

    Returns
    -------
    dict
        ``n``, ``mean``, ``sd``, ``dip``, ``dip_p``, ``bc``, ``bc_above_5_9``, ``gmm_delta_bic``,
        ``gmm_preferred_k``, ``gmm_evidence``, ``gmm_separation``, ``gmm_modes`` (see :func:`gmm_compare`),
        ``polarization`` (Foster–Wolfson) and
        ``polarization_normal`` (the index of a normal sample with the same coefficient of variation).
    """
    arr = _sample(x, min_n=6)
    _not_constant(arr, "x", "a bimodality summary")
    dip = dip_test(arr)
    bc = bimodality_coefficient(arr)
    gmm = gmm_compare(arr, seed=seed)
    polar = wolfson_polarization(arr) if arr.min() >= 0 and np.median(arr) > 0 else None
    mean, sd = float(arr.mean()), float(arr.std(ddof=1))
    return {
        "n": int(arr.size), "mean": mean, "sd": sd, "dip": dip["dip"], "dip_p": dip["p_value"], "bc": bc,
        "bc_above_5_9": bool(bc > BC_UNIFORM), "gmm_delta_bic": gmm["delta_bic"],
        "gmm_preferred_k": gmm["preferred_k"], "gmm_evidence": gmm["evidence"], "gmm_separation": gmm["separation"],
        "gmm_modes": gmm["modes"], "polarization": polar,
        "polarization_normal": wolfson_normal_reference(sd / mean) if polar is not None else None,
    }


# ------------------------------------------------------------------------------------ power analysis

# Rows of X per block of the vectorised EM: the working arrays of a block (3 starts x rows x n values)
# stay in the CPU cache (notebook 04's 14,500 samples: 0.8 s in blocks of 500, 1.0-1.6 s in one block).
_EM_BLOCK = 500


def _gmm_bic_batch(X: np.ndarray, *, split_quantiles=(0.25, 0.75), max_iter: int = 100, tol: float = 1e-3,
                   reg_covar: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """BIC of 1- and 2-component 1-D Gaussian mixtures for every row of ``X`` (shape (m, n)), vectorised.

    The one-component fit is closed form. The two-component fit is EM run on all rows at once, from
    three starts per row (the optimal 1-D two-means split, found exactly by scanning every split of the
    sorted row, and the splits at ``split_quantiles``), keeping the best likelihood, with the
    conventions of :class:`sklearn.mixture.GaussianMixture` (``reg_covar`` added to each variance, stop
    when the mean log-likelihood changes by less than ``tol``). It exists because fitting sklearn's
    estimator thousands of times would take minutes; tests check that it agrees with :func:`gmm_compare`.

    Each (row, start) stops on its own criterion, and once stopped it is no longer iterated: the rows
    are processed in blocks of ``_EM_BLOCK`` and every EM step works only on the fits still running.
    The numbers are those of iterating every fit until all have stopped (a stopped fit's likelihood
    was frozen there), only without the wasted arithmetic.
    """
    m = X.shape[0]
    bic1, bic2 = np.empty(m), np.empty(m)
    for lo in range(0, m, _EM_BLOCK):
        bic1[lo:lo + _EM_BLOCK], bic2[lo:lo + _EM_BLOCK] = _gmm_bic_block(
            X[lo:lo + _EM_BLOCK], split_quantiles, max_iter, tol, reg_covar)
    return bic1, bic2


def _gmm_bic_block(X, split_quantiles, max_iter, tol, reg_covar):
    m, n = X.shape
    Xs = np.sort(X, axis=1)
    var1 = Xs.var(axis=1)
    ll1 = -0.5 * n * (np.log(2 * np.pi * (var1 + reg_covar)) + var1 / (var1 + reg_covar))
    bic1 = -2 * ll1 + 2 * np.log(n)

    # starts: number of (sorted) values given to the lower component
    cs = np.cumsum(Xs, axis=1)
    k = np.arange(1, n)
    left, right = cs[:, :-1], cs[:, -1:] - cs[:, :-1]
    best_split = np.argmax(left ** 2 / k + right ** 2 / (n - k), axis=1) + 1   # max between-group sum of squares
    splits = [best_split] + [np.full(m, min(max(int(round(q * n)), 1), n - 1)) for q in split_quantiles]
    Y = np.tile(Xs, (len(splits), 1))
    r1 = (np.arange(n)[None, :] < np.concatenate(splits)[:, None]).astype(float)   # P(lower component)
    eps = 10 * np.finfo(float).eps
    ll = np.full(Y.shape[0], -np.inf)
    prev = ll.copy()
    run = np.arange(Y.shape[0])          # the fits still running; y, r1 and every temporary hold only them
    y = Y
    for _ in range(max_iter + 1):
        r2 = np.subtract(1, r1)
        tmp = np.empty_like(y)
        n1, n2 = r1.sum(1) + eps, r2.sum(1) + eps
        mu1 = np.multiply(r1, y, out=tmp).sum(1) / n1
        mu2 = np.multiply(r2, y, out=tmp).sum(1) / n2
        lp1 = np.square(np.subtract(y, mu1[:, None]))          # (y - mu1)^2, then the log density below
        lp2 = np.square(np.subtract(y, mu2[:, None]))
        v1 = np.multiply(r1, lp1, out=tmp).sum(1) / n1 + reg_covar
        v2 = np.multiply(r2, lp2, out=tmp).sum(1) / n2 + reg_covar
        lp1 /= (2 * v1)[:, None]
        np.subtract((np.log(n1 / n) - 0.5 * np.log(2 * np.pi * v1))[:, None], lp1, out=lp1)
        lp2 /= (2 * v2)[:, None]
        np.subtract((np.log(n2 / n) - 0.5 * np.log(2 * np.pi * v2))[:, None], lp2, out=lp2)
        lse = np.logaddexp(lp1, lp2, out=tmp)
        ll_new = lse.mean(1)
        ll[run] = ll_new
        going = np.abs(ll_new - prev[run]) >= tol
        prev[run] = ll_new
        if not going.any():
            break
        if going.all():
            r1 = np.subtract(lp1, lse, out=lp1)
        else:
            r1 = np.subtract(lp1[going], lse[going])
            run = run[going]
            y = Y[run]
        np.exp(r1, out=r1)
    ll2 = n * ll.reshape(len(splits), m).max(axis=0)
    bic2 = -2 * ll2 + 5 * np.log(n)
    return bic1, bic2


def mixture_power(n: int, separations, *, n_sim: int = 500, seed: int, alpha: float = 0.05) -> pd.DataFrame:
    """How often each criterion detects an equal mixture of two normal groups (simulation).

    For each separation d, ``n_sim`` samples of size ``n`` are drawn from
    ``0.5 N(-d/2, 1) + 0.5 N(d/2, 1)`` and each criterion "detects bimodality" when

    * dip test: p-value < ``alpha``;
    * bimodality coefficient: BC > 5/9;
    * Gaussian mixture: BIC prefers two components (ΔBIC = BIC₁ − BIC₂ > 0).

    Parameters
    ----------
    n : int
        Sample size (e.g. the number of cities, ``top_n``), at least 6.
    separations : float or array-like
        Distances d between the group means, in units of the within-group standard deviation; d >= 0.
        The mixture density is bimodal only for d > 2.
    n_sim : int, default 500
        Simulated samples per separation.
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    alpha : float, default 0.05
        Level of the dip test, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per separation (in the order given): ``separation``, ``bimodal_density`` (d > 2),
        ``dip_test``, ``bimodality_coefficient``, ``gmm_bic`` (share of samples detected), the Monte Carlo
        standard error of each (``<name>_se`` = sqrt(p (1 - p) / n_sim)), and ``n``, ``n_sim``, ``alpha``.

    Notes
    -----
    Common random numbers: the same normal deviates and group labels (each value in a group with
    probability 1/2) serve every separation, :math:`x = z + d (g - 1/2)`, so the curves are smooth in d
    and differences between separations are not sampling noise. At d = 0 the rows give each criterion's
    false-positive rate on normal samples. The mixture fits of the simulation use a vectorised EM
    (three starts per sample) equivalent to :func:`gmm_compare`'s, to keep 10,000 fits to seconds.

    Examples
    --------
    >>> power = mixture_power(100, [0.0, 6.0], n_sim=50, seed=1)
    >>> power["dip_test"].tolist()[1] > power["dip_test"].tolist()[0]
    True
    """
    import diptest

    n = _integer(n, "n", 6)
    n_sim = _integer(n_sim, "n_sim", 1)
    seed = _seed(seed)
    alpha = _alpha(alpha)
    try:
        d = np.atleast_1d(np.asarray(separations, dtype=float))
    except (TypeError, ValueError):
        raise ParameterError("separations", "a sequence of non-negative numbers", separations) from None
    if d.ndim != 1 or d.size == 0 or np.any(~np.isfinite(d)) or np.any(d < 0):
        raise ParameterError("separations", "a non-empty sequence of finite, non-negative numbers", separations)

    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_sim, n))
    g = (rng.random((n_sim, n)) < 0.5) - 0.5                       # -1/2 or +1/2
    X = z[None, :, :] + d[:, None, None] * g[None, :, :]           # (separations, n_sim, n)
    flat = X.reshape(-1, n)

    dip_p = np.array([diptest.diptest(row, allow_zero=False)[1] for row in flat]).reshape(d.size, n_sim)
    bc = _bc_formula(stats.skew(flat, axis=1, bias=False), stats.kurtosis(flat, axis=1, bias=False), n)
    bic1, bic2 = _gmm_bic_batch(flat)
    detected = {
        "dip_test": dip_p < alpha,
        "bimodality_coefficient": (bc > BC_UNIFORM).reshape(d.size, n_sim),
        "gmm_bic": (bic1 - bic2 > 0).reshape(d.size, n_sim),
    }
    out = pd.DataFrame({"separation": d, "bimodal_density": d > MIXTURE_BIMODAL_SEPARATION})
    for name in _TESTS:
        out[name] = detected[name].mean(axis=1)
    for name in _TESTS:
        out[f"{name}_se"] = np.sqrt(out[name] * (1 - out[name]) / n_sim)
    out["n"], out["n_sim"], out["alpha"] = n, n_sim, alpha
    return out


def separation_for_power(power: pd.DataFrame, *, test: str = "dip_test", target: float = 0.8) -> float:
    """Smallest separation at which ``test`` reaches ``target`` power, by linear interpolation.

    Parameters
    ----------
    power : pandas.DataFrame
        A frame from :func:`mixture_power`.
    test : {"dip_test", "bimodality_coefficient", "gmm_bic"}
        The criterion.
    target : float, default 0.8
        Power sought, in (0, 1).

    Returns
    -------
    float
        The separation (interpolated between the two grid points around the first crossing), or NaN when
        the largest separation simulated does not reach ``target``; the grid's smallest separation when
        it already does.
    """
    if test not in _TESTS:
        raise ParameterError("test", f"one of {', '.join(_TESTS)}", test)
    if isinstance(target, bool) or not isinstance(target, numbers.Real) or not 0 < target < 1:
        raise ParameterError("target", "in the open interval (0, 1)", target)
    curve = power.sort_values("separation")
    d, p = curve["separation"].to_numpy(float), curve[test].to_numpy(float)
    hit = np.flatnonzero(p >= target)
    if hit.size == 0:
        return float("nan")
    i = int(hit[0])
    if i == 0:
        return float(d[0])
    return float(d[i - 1] + (target - p[i - 1]) * (d[i] - d[i - 1]) / (p[i] - p[i - 1]))


def separation_to_gap(separation, *, total_sd: float):
    r"""Distance between two equal groups' means, in score units, for a sample of overall SD ``total_sd``.

    Parameters
    ----------
    separation : float or array-like
        Separation d of the groups' means in within-group standard deviations (as in :func:`mixture_power`).
    total_sd : float
        Standard deviation of the whole sample (e.g. of the observed scores), > 0.

    Returns
    -------
    float or numpy.ndarray
        The gap :math:`d\,\sigma / \sqrt{1 + d^2/4}` between the group means.

    Notes
    -----
    An equal mixture of two groups with within-group SD :math:`s` and means d s apart has total variance
    :math:`s^2 (1 + d^2/4)`. Holding the total SD at :math:`\sigma` gives :math:`s = \sigma/\sqrt{1 + d^2/4}`
    and a gap of d s. The gap tends to :math:`2\sigma` as d grows (two point masses at
    :math:`\pm\sigma` around the mean).

    Examples
    --------
    >>> round(separation_to_gap(2.0, total_sd=2 ** 0.5), 12)
    2.0
    """
    d = np.asarray(separation, dtype=float)
    if np.any(~np.isfinite(d)) or np.any(d < 0):
        raise ParameterError("separation", "finite and non-negative", separation)
    if isinstance(total_sd, bool) or not isinstance(total_sd, numbers.Real) or not total_sd > 0:
        raise ParameterError("total_sd", "a positive number", total_sd)
    out = d * float(total_sd) / np.sqrt(1 + d ** 2 / 4)
    return float(out) if out.ndim == 0 else out


# ----------------------------------------------------------------------------------------- covariates

def covariate_correlation(x: pd.Series, covariate: pd.Series) -> dict:
    """Pearson and Spearman correlation of scores with a city covariate, matched by city.

    Parameters
    ----------
    x : pandas.Series
        Scores indexed by city; finite.
    covariate : pandas.Series
        The covariate (e.g. GDP per capita) indexed by city. Cities of ``x`` without a finite covariate
        value are left out of the coefficients and listed in ``missing`` (never dropped silently).

    Returns
    -------
    dict
        ``n`` (cities used), ``missing`` (cities of ``x`` without covariate), ``pearson``, ``pearson_p``,
        ``spearman``, ``spearman_p`` (two-sided p-values, ``scipy.stats``).
    """
    for name, s in (("x", x), ("covariate", covariate)):
        if not isinstance(s, pd.Series):
            raise ParameterError(name, "a pandas Series indexed by city", _Shown(type(s).__name__))
    _sample(x)
    cov = pd.to_numeric(covariate.reindex(x.index), errors="coerce")
    ok = np.isfinite(cov.to_numpy(float))
    missing = list(x.index[~ok])
    if ok.sum() < MIN_N:
        raise ParameterError("covariate", f"available for at least {MIN_N} of the cities of x",
                             _Shown(f"values for {int(ok.sum())} of {len(x)} cities"))
    a, b = x.to_numpy(float)[ok], cov.to_numpy(float)[ok]
    r, p_r = stats.pearsonr(a, b)
    rho, p_rho = stats.spearmanr(a, b)
    return {"n": int(ok.sum()), "missing": missing, "pearson": float(r), "pearson_p": float(p_r),
            "spearman": float(rho), "spearman_p": float(p_rho)}


def load_covariates(folder) -> pd.DataFrame | None:
    """``<folder>/covariates.csv`` indexed by ``unit``, or ``None`` when the folder has none.

    The file holds one row per city: ``unit`` (as in ``values.csv``) and numeric columns such as
    ``population`` and ``gdp_per_capita``; blank cells are missing values.

    Raises
    ------
    DataError
        No ``unit`` column, a repeated unit, or a non-numeric cell in another column.
    """
    path = Path(folder) / "covariates.csv"
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "unit" not in frame.columns:
        raise DataError(path, "a covariates file needs a 'unit' column naming each city",
                        detail=f"columns: {', '.join(frame.columns)}")
    dup = frame["unit"][frame["unit"].duplicated()]
    if len(dup):
        raise DataError(path, "each unit appears once", row=int(dup.index[0]) + 2, column="unit",
                        detail=f"{dup.iloc[0]!r} repeated")
    out = frame.set_index("unit")
    for col in out.columns:
        raw = out[col].str.strip()
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        bad = num.isna() & (raw != "")
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(path, "covariates are numbers (blank = missing)", row=first + 2, column=col,
                            detail=f"found {raw.iloc[first]!r}")
        out[col] = num.astype(float)
    return out
