"""The power simulation of :mod:`cityeval.analysis.polarization` (re-exported there).

How often the dip test, the bimodality coefficient and the Gaussian-mixture BIC detect an equal
mixture of two normal groups, by separation, at a given sample size; the separation each needs
for a given power; a separation read as a gap in score units.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_numbers, check_seed

from cityeval.analysis._polarization_statistics import BC_UNIFORM, MIXTURE_BIMODAL_SEPARATION, _bc_formula

__all__ = ["POWER_TESTS", "mixture_power", "check_dip_calibration", "separation_for_power", "separations_for_power",
           "separation_to_gap"]

#: The criteria of the power table (its column names), in order.
POWER_TESTS = ("dip_test", "bimodality_coefficient", "gmm_bic")

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
        Simulated samples per separation (>= 1).
    seed : int
        Seed (0 ... 2**32 - 1) of :func:`numpy.random.default_rng`.
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

    n = check_integer("n", n, low=6)
    n_sim = check_integer("n_sim", n_sim, low=1)
    seed = check_seed(seed)
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    d = np.atleast_1d(check_numbers("separations", separations, low=0))
    if d.ndim != 1:
        raise ParameterError("separations", "a number or a one-dimensional sequence of numbers",
                             Shown(f"an array of shape {d.shape}"))

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
    for name in POWER_TESTS:
        out[name] = detected[name].mean(axis=1)
    for name in POWER_TESTS:
        out[f"{name}_se"] = np.sqrt(out[name] * (1 - out[name]) / n_sim)
    out["n"], out["n_sim"], out["alpha"] = n, n_sim, alpha
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
    ...                       "gmm_bic": [0.9, 1.0]})
    >>> separations_for_power(frame)
    {'dip_test': 1.6, 'bimodality_coefficient': nan, 'gmm_bic': 0.0}
    """
    return {t: separation_for_power(power, test=t, target=target) for t in POWER_TESTS}


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
