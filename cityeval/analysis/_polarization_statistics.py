"""The bimodality statistics of :mod:`cityeval.analysis.polarization` (re-exported there).

Dip test, bimodality coefficient, the Foster–Wolfson index, and all of them with the mixture
criteria of ``_polarization_mixture`` on one sample (:func:`bimodality_summary`). Samples are one-dimensional,
finite and hold at least :data:`MIN_N` values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_numbers, check_sample

from cityeval.analysis._polarization_mixture import N_BOOT, gmm_compare, mixture_lrt

__all__ = ["BC_UNIFORM", "MIXTURE_BIMODAL_SEPARATION", "MIXTURE_BC_SEPARATION", "MIN_N", "DipTest",
           "BimodalitySummary", "dip_test", "bimodality_coefficient", "normal_mixture_bc", "wolfson_polarization",
           "wolfson_normal_reference", "bimodality_summary"]

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


def _sample(x, *, min_n: int = MIN_N) -> np.ndarray:
    """``x`` as a 1-D float array (:func:`cityeval.validation.check_sample`): a ParameterError for a value that
    is not a sequence of at least ``min_n`` numbers, a DataError naming the city of a NaN or an infinity."""
    return check_sample(x, name="x", min_n=min_n)


def _not_constant(arr: np.ndarray, name: str, what: str) -> None:
    if np.ptp(arr) == 0:
        raise ParameterError(name, f"a sample with at least two distinct values ({what} is undefined for a "
                                   "constant sample)", Shown(f"{arr.size} values all equal to {arr[0]:g}"))


def _as_float_or_array(out: np.ndarray):
    return float(out) if out.ndim == 0 else out


# ------------------------------------------------------------------------------------------- dip test

@dataclass(frozen=True)
class DipTest:
    """Result of :func:`dip_test`: ``statistic`` (the dip), ``p_value`` (null: unimodal) and ``n``."""

    statistic: float
    p_value: float
    n: int


def dip_test(x) -> DipTest:
    """Hartigan's dip test of unimodality.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample (e.g. one score per city); finite, at least 4 values.

    Returns
    -------
    DipTest
        ``statistic`` (the dip, between 1/(2n) and 1/4), ``p_value`` (for the null hypothesis that
        the distribution is unimodal) and ``n``.

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

    >>> dip_test([0.0, 0.0, 1.0, 1.0]).statistic
    0.25
    """
    import diptest

    arr = _sample(x)
    dip, p = diptest.diptest(arr, allow_zero=False)
    return DipTest(statistic=float(dip), p_value=float(p), n=int(arr.size))


# ------------------------------------------------------------------------------ bimodality coefficient

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
    d = check_numbers("separation", separation, low=0)
    a = d ** 2 / 4
    return _as_float_or_array((1 + a) ** 2 / (3 + 6 * a + a ** 2))


# ------------------------------------------------------------------------------------ Foster-Wolfson

def _gini(sorted_x: np.ndarray) -> float:
    """Gini coefficient of ascending values, as :math:`\\sum_i (2i - n - 1) x_{(i)} / (n \\sum x)`.

    Not :func:`cityeval.analysis.concentration.gini`: that one computes
    :math:`2 \\sum_i i x_{(i)} / (n \\sum x) - (n + 1)/n`, the same number in exact arithmetic but a
    different order of floating-point operations (its results differ in the last bits on most samples,
    LIV_HEALTH and LIV_LIFE of notebook 04 among them), so using it would move published results.
    """
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

    Raises
    ------
    DataError
        A NaN, an infinity or a negative value (named by its city).
    ParameterError
        Fewer than 4 values, or a median that is not positive.

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
    arr = check_sample(x, name="x", min_n=MIN_N, nonnegative=True)
    s = np.sort(arr)
    n = s.size
    mu, med = s.mean(), float(np.median(s))
    if med <= 0:
        raise ParameterError("x", "a sample with a positive median (the index divides by it)", Shown(f"median {med:g}"))
    lorenz = np.r_[0.0, np.cumsum(s)] / s.sum()        # at p = 0, 1/n, ..., 1
    half = np.interp(0.5, np.arange(n + 1) / n, lorenz)
    T = 0.5 - half
    value = 2 * (2 * T - _gini(s)) * mu / med
    return 0.0 if abs(value) < 1e-12 else float(value)  # a constant sample: 0 up to rounding


def wolfson_normal_reference(cv):
    """Foster–Wolfson index of a normal distribution with coefficient of variation ``cv``.

    Parameters
    ----------
    cv : float or array-like
        Coefficient(s) of variation, finite and >= 0.

    Returns
    -------
    float or numpy.ndarray

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
    c = check_numbers("cv", cv, low=0)
    return _as_float_or_array(2 * (math.sqrt(2 / math.pi) - 1 / math.sqrt(math.pi)) * c)


# ---------------------------------------------------------------------------------------------- summary

@dataclass(frozen=True)
class BimodalitySummary:
    """Result of :func:`bimodality_summary`: every criterion on one sample.

    Attributes
    ----------
    n, mean, sd, skewness : int, float, float, float
        Size, mean, standard deviation (ddof = 1) and bias-corrected skewness g1.
    dip, dip_p_value : float
        :func:`dip_test`'s statistic and p-value.
    bc, bc_above_5_9 : float, bool
        :func:`bimodality_coefficient` and whether it exceeds 5/9.
    gmm_delta_bic, gmm_preferred_k, gmm_evidence, gmm_separation, gmm_modes, gmm_converged
        From :func:`gmm_compare` (two normal components with a common variance against one).
    lrt_statistic, lrt_p_value, lrt_n_boot
        From :func:`mixture_lrt` (parametric bootstrap, McLachlan 1987).
    polarization : float or None
        :func:`wolfson_polarization` (``None`` for a sample with a negative value or a median <= 0).
    polarization_normal : float or None
        :func:`wolfson_normal_reference` at the sample's coefficient of variation.
    """

    n: int
    mean: float
    sd: float
    skewness: float
    dip: float
    dip_p_value: float
    bc: float
    bc_above_5_9: bool
    gmm_delta_bic: float
    gmm_preferred_k: int
    gmm_evidence: str
    gmm_separation: float
    gmm_modes: int
    gmm_converged: bool
    lrt_statistic: float
    lrt_p_value: float
    lrt_n_boot: int
    polarization: float | None
    polarization_normal: float | None


def bimodality_summary(x, *, seed: int, n_boot: int = N_BOOT) -> BimodalitySummary:
    """Every criterion of this module on one sample.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample: finite, at least 6 values, not constant (non-negative for the polarization index; a
        sample with a negative value gets ``None`` there).
    seed : int
        Seed of :func:`mixture_lrt`'s bootstrap (the other criteria draw no random number).
    n_boot : int, default 4999
        Bootstrap samples of :func:`mixture_lrt`.

    Returns
    -------
    BimodalitySummary

    Examples
    --------
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> s.n, s.dip, s.gmm_preferred_k, s.gmm_modes   # two tight groups: dip 3/16, two components, two modes
    (8, 0.1875, 2, 2)
    """
    arr = _sample(x, min_n=6)
    _not_constant(arr, "x", "a bimodality summary")
    dip = dip_test(arr)
    bc = bimodality_coefficient(arr)
    gmm = gmm_compare(arr)
    lrt = mixture_lrt(arr, seed=seed, n_boot=n_boot)
    polar = wolfson_polarization(arr) if arr.min() >= 0 and np.median(arr) > 0 else None
    mean, sd = float(arr.mean()), float(arr.std(ddof=1))
    return BimodalitySummary(
        n=int(arr.size), mean=mean, sd=sd, skewness=float(stats.skew(arr, bias=False)), dip=dip.statistic,
        dip_p_value=dip.p_value, bc=bc, bc_above_5_9=bool(bc > BC_UNIFORM), gmm_delta_bic=gmm.delta_bic,
        gmm_preferred_k=gmm.preferred_k, gmm_evidence=gmm.evidence, gmm_separation=gmm.separation,
        gmm_modes=gmm.modes, gmm_converged=gmm.converged, lrt_statistic=lrt.statistic, lrt_p_value=lrt.p_value,
        lrt_n_boot=lrt.n_boot, polarization=polar,
        polarization_normal=wolfson_normal_reference(sd / mean) if polar is not None else None,
    )
