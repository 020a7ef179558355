"""The power simulation of :mod:`cityeval.analysis.polarization` (re-exported there).

How often the dip test, the bimodality coefficient, the Gaussian-mixture BIC and the bootstrap
likelihood-ratio test detect an equal mixture of two normal groups, by separation, at a given sample
size; how often they call a single skewed hump "two groups"; the separation each needs for a given
power; a separation read as a gap in score units.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_numbers, check_seed

from cityeval.analysis._polarization_mixture import (GMM_MAX_ITER, GMM_TOL, N_BOOT, _loglik_ratio_batch, _lrt_critical,
                                                     _lrt_null)
from cityeval.analysis._polarization_statistics import BC_UNIFORM, MIXTURE_BIMODAL_SEPARATION, _bc_formula

__all__ = ["POWER_TESTS", "SKEWED_NULLS", "mixture_power", "null_rejection_rates", "check_dip_calibration",
           "separation_for_power", "separations_for_power", "separation_to_gap", "total_sd_separation"]

#: The criteria of the power table (its column names), in order.
POWER_TESTS = ("dip_test", "bimodality_coefficient", "gmm_bic", "mixture_lrt")

#: The single-hump distributions of :func:`null_rejection_rates`: a normal one and two right-skewed ones (a long
#: right tail is what "polarization" is most easily confused with). Fixed values, not fitted to any data:
#: skew-normal with shape 4 (skewness 0.78) and log-normal with log-SD 0.5 (skewness 1.75).
SKEWED_NULLS = {"normal": stats.norm(), "skew-normal (a = 4)": stats.skewnorm(4),
                "log-normal (σ = 0.5)": stats.lognorm(0.5)}


def _detections(flat: np.ndarray, *, alpha: float, n_boot: int, seed: int) -> tuple[dict, np.ndarray]:
    """Each criterion's verdict ("two groups") on every row of ``flat`` (shape (m, n)), and the rows whose mixture
    verdicts rest on a fit that did not converge.

    The mixture fits stop once their likelihood ratio is above both decision thresholds (2 ln n for BIC, the
    bootstrap test's critical value): EM never lowers the likelihood, so both verdicts are then certain.
    """
    import diptest

    m, n = flat.shape
    dip_p = np.array([diptest.diptest(row, allow_zero=False)[1] for row in flat])
    bc = _bc_formula(stats.skew(flat, axis=1, bias=False), stats.kurtosis(flat, axis=1, bias=False), n)
    null, _ = _lrt_null(n, n_boot, seed, GMM_TOL, GMM_MAX_ITER)
    critical = _lrt_critical(null, alpha)
    bic_threshold = 2 * np.log(n)                                   # ΔBIC = LR - 2 ln n > 0
    lr, state = _loglik_ratio_batch(flat, stop_above=np.full(m, max(bic_threshold, critical)))
    return {"dip_test": dip_p < alpha, "bimodality_coefficient": bc > BC_UNIFORM,
            "gmm_bic": lr > bic_threshold, "mixture_lrt": lr > critical}, state == 2


def _rates(detected: dict, unconverged: np.ndarray, shape: tuple) -> dict:
    out = {name: detected[name].reshape(shape).mean(axis=1) for name in POWER_TESTS}
    n_sim = shape[1]
    out.update({f"{name}_se": np.sqrt(out[name] * (1 - out[name]) / n_sim) for name in POWER_TESTS})
    out["fits_unconverged"] = unconverged.reshape(shape).sum(axis=1)
    return out


def _check_common(n, n_sim, seed, alpha, n_boot):
    return (check_integer("n", n, low=6), check_integer("n_sim", n_sim, low=1), check_seed(seed),
            check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True),
            check_integer("n_boot", n_boot, low=19))


def mixture_power(n: int, separations, *, n_sim: int = 500, seed: int, alpha: float = 0.05,
                  n_boot: int = N_BOOT) -> pd.DataFrame:
    """How often each criterion detects an equal mixture of two normal groups (simulation).

    For each separation d, ``n_sim`` samples of size ``n`` are drawn from
    ``0.5 N(-d/2, 1) + 0.5 N(d/2, 1)`` and each criterion "detects bimodality" when

    * dip test: p-value < ``alpha``;
    * bimodality coefficient: BC > 5/9;
    * Gaussian mixture: BIC prefers two components (ΔBIC = BIC₁ − BIC₂ > 0, common variance);
    * bootstrap likelihood-ratio test (:func:`mixture_lrt`): p <= ``alpha``.

    Parameters
    ----------
    n : int
        Sample size (e.g. the number of cities, ``top_n``), at least 6.
    separations : float or array-like
        Distances d between the group means, in units of the within-group standard deviation; d >= 0.
        The mixture density is bimodal only for d > 2; in units of the mixture's total SD the separation is
        :func:`total_sd_separation` (d / sqrt(1 + d²/4)).
    n_sim : int, default 500
        Simulated samples per separation (>= 1).
    seed : int
        Seed (0 ... 2**32 - 1) of :func:`numpy.random.default_rng` (the samples) and of the bootstrap null of the
        likelihood-ratio test (an independent stream of the same seed, as in :func:`mixture_lrt`).
    alpha : float, default 0.05
        Level of the dip test and of the likelihood-ratio test, in (0, 1).
    n_boot : int, default 4999
        Bootstrap samples of the likelihood-ratio test's null distribution (>= 19).

    Returns
    -------
    pandas.DataFrame
        One row per separation (in the order given): ``separation``, ``bimodal_density`` (d > 2),
        ``dip_test``, ``bimodality_coefficient``, ``gmm_bic``, ``mixture_lrt`` (share of samples detected), the
        Monte Carlo standard error of each (``<name>_se`` = sqrt(p (1 - p) / n_sim)), ``fits_unconverged``
        (samples whose mixture verdicts rest on a fit that reached the iteration limit: reported, 0 so far),
        and ``n``, ``n_sim``, ``alpha``, ``n_boot``.

    Notes
    -----
    Common random numbers: the same normal deviates and group labels (each value in a group with
    probability 1/2) serve every separation, :math:`x = z + d (g - 1/2)`, so the curves are smooth in d
    and differences between separations are not sampling noise. At d = 0 the rows give each criterion's
    false-positive rate on normal samples (:func:`null_rejection_rates` adds skewed single humps). The mixture
    fits are those of :func:`mixture_lrt`: a common variance, EM accelerated with SQUAREM to a tolerance of
    1e-8 from three starts, and tested against :func:`gmm_compare`'s scikit-learn fits; every verdict is that
    of a converged fit (a fit stops early only once its likelihood ratio is above both thresholds, which the
    converged fit would be too).

    Examples
    --------
    >>> power = mixture_power(100, [0.0, 6.0], n_sim=50, seed=1, n_boot=19)
    >>> power["dip_test"].tolist()[1] > power["dip_test"].tolist()[0], int(power["fits_unconverged"].sum())
    (True, 0)
    """
    n, n_sim, seed, alpha, n_boot = _check_common(n, n_sim, seed, alpha, n_boot)
    d = np.atleast_1d(check_numbers("separations", separations, low=0))
    if d.ndim != 1:
        raise ParameterError("separations", "a number or a one-dimensional sequence of numbers",
                             Shown(f"an array of shape {d.shape}"))

    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_sim, n))
    g = (rng.random((n_sim, n)) < 0.5) - 0.5                       # -1/2 or +1/2
    X = z[None, :, :] + d[:, None, None] * g[None, :, :]           # (separations, n_sim, n)
    detected, unconverged = _detections(X.reshape(-1, n), alpha=alpha, n_boot=n_boot, seed=seed)
    out = pd.DataFrame({"separation": d, "bimodal_density": d > MIXTURE_BIMODAL_SEPARATION})
    for name, values in _rates(detected, unconverged, (d.size, n_sim)).items():
        out[name] = values
    out["n"], out["n_sim"], out["alpha"], out["n_boot"] = n, n_sim, alpha, n_boot
    return out


def null_rejection_rates(n: int, *, n_sim: int = 500, seed: int, alpha: float = 0.05, n_boot: int = N_BOOT,
                         nulls: dict | None = None) -> pd.DataFrame:
    """How often each criterion calls a single hump "two groups": its false-positive rate under unimodal nulls.

    Parameters
    ----------
    n, n_sim, seed, alpha, n_boot
        As in :func:`mixture_power`. The samples come from child stream 1 of ``numpy.random.SeedSequence(seed)``
        (independent of :func:`mixture_power`'s samples and of the bootstrap's).
    nulls : dict, optional
        name -> a frozen continuous :mod:`scipy.stats` distribution (default :data:`SKEWED_NULLS`: normal,
        skew-normal a = 4, log-normal σ = 0.5), each unimodal.

    Returns
    -------
    pandas.DataFrame
        One row per distribution: ``null`` (its name), ``skewness`` (the distribution's), ``dip_test``,
        ``bimodality_coefficient``, ``gmm_bic``, ``mixture_lrt`` (share of samples called "two groups"), their
        Monte Carlo standard errors ``<name>_se``, ``fits_unconverged``, and ``n``, ``n_sim``, ``alpha``,
        ``n_boot``.

    Notes
    -----
    Every null here is unimodal, so each "two groups" verdict is a false positive for bimodality. For the
    likelihood-ratio test it is not a false positive for its own null hypothesis (one *normal*): a skewed hump is
    not normal, so that test is right to reject it, and wrong only if read as evidence of two groups.

    Examples
    --------
    >>> rates = null_rejection_rates(100, n_sim=40, seed=3, n_boot=19)
    >>> rates["null"].tolist(), round(float(rates["skewness"].iloc[2]), 2)
    (['normal', 'skew-normal (a = 4)', 'log-normal (σ = 0.5)'], 1.75)
    """
    n, n_sim, seed, alpha, n_boot = _check_common(n, n_sim, seed, alpha, n_boot)
    nulls = SKEWED_NULLS if nulls is None else nulls
    if not isinstance(nulls, dict) or not nulls or not all(
            isinstance(k, str) and hasattr(v, "rvs") and hasattr(v, "stats") for k, v in nulls.items()):
        raise ParameterError("nulls", "a non-empty dict of name -> frozen scipy.stats distribution",
                             Shown(type(nulls).__name__))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    X = np.stack([dist.rvs(size=(n_sim, n), random_state=rng) for dist in nulls.values()])
    detected, unconverged = _detections(X.reshape(-1, n), alpha=alpha, n_boot=n_boot, seed=seed)
    out = pd.DataFrame({"null": list(nulls), "skewness": [float(dist.stats(moments="s")) for dist in nulls.values()]})
    for name, values in _rates(detected, unconverged, (len(nulls), n_sim)).items():
        out[name] = values
    out["n"], out["n_sim"], out["alpha"], out["n_boot"] = n, n_sim, alpha, n_boot
    return out


def check_dip_calibration(power: pd.DataFrame, *, tolerance: float = 3.0) -> float:
    """Check that the dip test keeps its level in a :func:`mixture_power` run; return the bound it met.

    The dip test is calibrated on the uniform distribution, so for one normal group (separation 0) it
    rejects at most about ``alpha`` of the time. The share rejected at d = 0 must not exceed
    ``alpha + tolerance * se0``, with ``se0 = sqrt(alpha (1 - alpha) / n_sim)`` the Monte Carlo standard error
    at the nominal level. This is a property of the test, not of the data: a run that breaks it is a bug,
    and raises a RuntimeError.

    Parameters
    ----------
    power : pandas.DataFrame
        From :func:`mixture_power`, with a row at separation 0.
    tolerance : float, default 3.0
        Standard errors allowed above ``alpha`` (> 0).

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0], "dip_test": [0.0], "n_sim": [100], "alpha": [0.05]})
    >>> round(check_dip_calibration(power), 6)   # 0.05 + 3 sqrt(0.05 * 0.95 / 100)
    0.115383
    """
    _check_power(power, ("dip_test", "n_sim", "alpha"))
    tolerance = check_number("tolerance", tolerance, low=0, low_open=True)
    at0 = power.index[power["separation"].to_numpy(float) == 0]
    if not len(at0):
        raise ParameterError("power", "a frame from mixture_power with a row at separation 0",
                             Shown(f"separations {power['separation'].tolist()}"))
    row = power.loc[at0[0]]
    alpha, n_sim = float(row["alpha"]), float(row["n_sim"])
    se0 = np.sqrt(alpha * (1 - alpha) / n_sim)
    bound = alpha + tolerance * se0
    if not row["dip_test"] <= bound:
        raise RuntimeError(f"the dip test rejected a share {row['dip_test']:g} of the {n_sim:g} normal samples at d = 0, above "
                           f"alpha + {tolerance:g} se = {bound:g}: the simulation is miscalibrated (a bug)")
    return float(bound)


def _check_power(power, tests) -> None:
    need = {"separation", *tests}
    if not isinstance(power, pd.DataFrame) or not need <= set(power.columns) or power.empty:
        raise ParameterError("power", f"a frame from mixture_power (columns {', '.join(sorted(need))})",
                             Shown(type(power).__name__ if not isinstance(power, pd.DataFrame)
                                   else f"columns {', '.join(map(str, power.columns))}"))


def separation_for_power(power: pd.DataFrame, *, test: str = "dip_test", target: float = 0.8) -> float:
    """Smallest separation at which ``test`` reaches ``target`` power, by linear interpolation.

    Parameters
    ----------
    power : pandas.DataFrame
        A frame from :func:`mixture_power`.
    test : {"dip_test", "bimodality_coefficient", "gmm_bic", "mixture_lrt"}
        The criterion.
    target : float, default 0.8
        Power sought, in (0, 1).

    Returns
    -------
    float
        The separation (interpolated between the two grid points around the first crossing), or NaN when
        the largest separation simulated does not reach ``target``; the grid's smallest separation when
        it already does.

    Examples
    --------
    >>> frame = pd.DataFrame({"separation": [0.0, 1.0, 2.0], "dip_test": [0.0, 0.5, 1.0]})
    >>> round(separation_for_power(frame, test="dip_test", target=0.8), 12)   # 1 + 0.3 / 0.5
    1.6
    """
    check_choice("test", test, POWER_TESTS)
    target = check_number("target", target, low=0, high=1, low_open=True, high_open=True)
    _check_power(power, [test])
    curve = power.sort_values("separation")
    d, p = curve["separation"].to_numpy(float), curve[test].to_numpy(float)
    hit = np.flatnonzero(p >= target)
    if hit.size == 0:
        return float("nan")
    i = int(hit[0])
    if i == 0:
        return float(d[0])
    return float(d[i - 1] + (target - p[i - 1]) * (d[i] - d[i - 1]) / (p[i] - p[i - 1]))


def separations_for_power(power: pd.DataFrame, *, target: float = 0.8) -> dict:
    """:func:`separation_for_power` of every criterion: ``{test: separation}`` in :data:`POWER_TESTS` order.

    Examples
    --------
    >>> frame = pd.DataFrame({"separation": [0.0, 2.0], "dip_test": [0.0, 1.0], "bimodality_coefficient": [0.0, 0.5],
    ...                       "gmm_bic": [0.9, 1.0], "mixture_lrt": [0.0, 0.8]})
    >>> separations_for_power(frame)
    {'dip_test': 1.6, 'bimodality_coefficient': nan, 'gmm_bic': 0.0, 'mixture_lrt': 2.0}
    """
    return {t: separation_for_power(power, test=t, target=target) for t in POWER_TESTS}


def total_sd_separation(separation):
    r"""A separation in within-group SDs as a separation in SDs of the whole (mixed) distribution.

    Parameters
    ----------
    separation : float or array-like
        Separation d of two equal groups' means in within-group standard deviations, d >= 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`d / \sqrt{1 + d^2/4}` (:func:`separation_to_gap` with a total SD of 1): below 2 for every d.

    Examples
    --------
    >>> round(total_sd_separation(4.0), 4)      # 4 / sqrt(5)
    1.7889
    """
    return separation_to_gap(separation, total_sd=1.0)


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
    d = check_numbers("separation", separation, low=0)
    total_sd = check_number("total_sd", total_sd, low=0, low_open=True, allowed="a positive number")
    out = d * total_sd / np.sqrt(1 + d ** 2 / 4)
    return float(out) if out.ndim == 0 else out
