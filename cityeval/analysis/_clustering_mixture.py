"""Gaussian mixtures whose BIC can be read: every covariance model at every k, and which fits are valid;
re-exported by :mod:`cityeval.analysis.clustering`.

A mixture component that sits on a few cities has a covariance estimated from too few points: with
m members in d dimensions a full covariance has rank at most m - 1, so for m <= d it is singular and
only scikit-learn's ``reg_covar`` (1e-6 added to the diagonal) keeps it invertible. The likelihood of
such a component is then enormous (its density is concentrated on a subspace), and the BIC rewards
exactly the fit that is least a description of groups of cities. :func:`mixture_fits` fits each
covariance model (scikit-learn's ``full``, ``tied``, ``diag`` and ``spherical``: mclust's VVV, EEE,
VVI and VII) at each k and marks a fit invalid when

* a component is the most probable one of fewer cities than its covariance needs
  (d + 1 for ``full``; 2 for the others: a variance needs two points, and the pooled covariance of
  ``tied`` is no excuse for a one-city group), or
* a component covariance is singular: its smallest eigenvalue is below :data:`SINGULAR_TOL` (1e-5,
  ten times scikit-learn's ``reg_covar``: the covariance is held positive definite by the
  regularisation, not by the data; on z-scored data an sd of 0.3% of a dimension's), or
* EM did not reach the tolerance :data:`GMM_TOL` (1e-8: the mean log-likelihood per city changes by less from one
  step to the next; scikit-learn's default 1e-3 stops many fits of 100 cities early) in :data:`GMM_MAX_ITER` steps.

Each fit puts the cities in a canonical order first (so it does not depend on their order, and the labels are mapped
back), runs every EM start (the Ward partition, then scikit-learn's k-means initialisation) to that tolerance, checks
each start's validity on its own and keeps the valid start with the highest likelihood: a (k, model) is rejected only
when no start gives a valid fit.

:func:`best_mixture` then chooses k and the model jointly by BIC among the valid fits (as mclust
chooses among its model family), and says which fits were rejected and why.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choices, check_integer, check_seed

from cityeval.analysis._clustering_engine import (_N_INIT, GMM_MAX_ITER, GMM_TOL, REG_COVAR, SINGULAR_TOL, _gmm,
                                                  _one_thread)
from cityeval.analysis._clustering_stages import COVARIANCE_TYPES, _prepare

__all__ = ["GMM_TOL", "GMM_MAX_ITER", "SINGULAR_TOL", "REG_COVAR", "MIXTURE_COLUMNS", "mixture_fits", "best_mixture", "MixtureChoice"]

#: The columns of :func:`mixture_fits`' table, in order.
MIXTURE_COLUMNS = ("k", "covariance_type", "bic", "log_likelihood", "n_parameters", "sizes", "smallest",
                   "min_members", "min_eigenvalue", "min_log_det", "converged", "n_iter", "start_seed", "n_valid_starts",
                   "valid", "reason")


def _ks(ks, n: int) -> list[int]:
    if isinstance(ks, (str, bytes)) or not np.iterable(ks):
        raise ParameterError("ks", "an iterable of whole numbers such as range(1, 7)", ks)
    out = sorted({check_integer("ks", k, low=1, high=n,
                                allowed=f"whole numbers between 1 and {n} (the number of cities)") for k in ks})
    if not out:
        raise ParameterError("ks", "at least one number of components", Shown("none"))
    return out


def mixture_fits(frame: pd.DataFrame, ks=range(1, 7), *, covariance_types=COVARIANCE_TYPES, seed: int = 0,
                 n_init: int = _N_INIT, standardize: bool = True) -> pd.DataFrame:
    """Gaussian mixtures of every covariance model and k, with the checks that make a fit valid.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        As in :func:`cluster`.
    ks : iterable of int, default range(1, 7)
        Numbers of components, each between 1 and n_cities.
    covariance_types : sequence of str, default all four of :data:`COVARIANCE_TYPES`
        scikit-learn's ``full``, ``tied``, ``diag``, ``spherical``.
    seed : int, default 0
        Seeds the k-means starts' ``random_state`` (:func:`numpy.random.SeedSequence`).
    n_init : int, default 10
        EM starts per fit: the Ward partition and ``n_init - 1`` k-means initialisations; the valid start with the
        highest likelihood is kept (k = 1 has one: its fit does not depend on the start).
    standardize : bool, default True
        z-score the columns first.

    Returns
    -------
    pandas.DataFrame
        One row per (k, model), columns :data:`MIXTURE_COLUMNS`: ``bic`` (scikit-learn's, lower is
        better; NaN when the mixture could not be fitted), ``log_likelihood`` (total), ``n_parameters``,
        ``sizes`` (cities whose most probable component each is), ``smallest`` (the smallest of them),
        ``min_members`` (what a component needs), ``min_eigenvalue`` (smallest eigenvalue of a component
        covariance), ``min_log_det`` (smallest log-determinant of
        a component covariance), ``converged`` (EM reached :data:`GMM_TOL`), ``n_iter`` (its EM steps),
        ``start_seed`` (the kept start's ``random_state``; None for the Ward start), ``n_valid_starts`` (of the
        ``n_init`` starts, valid on their own), ``valid`` and ``reason`` (why a fit is not valid, "" if it is: the
        reasons of the best start when no start is valid).

    Notes
    -----
    BIC :math:`= -2\\log\\hat L + p\\log n`, :math:`p` the free parameters: for k components in d
    dimensions, :math:`(k - 1) + kd` plus :math:`kd(d+1)/2` (full), :math:`d(d+1)/2` (tied), :math:`kd`
    (diag) or :math:`k` (spherical). A fit is valid when every component is the most probable one of at
    least ``min_members`` cities (d + 1 for ``full``, 2 otherwise), no component covariance is singular
    (smallest eigenvalue at least :data:`SINGULAR_TOL`) and EM reached :data:`GMM_TOL`. The eigenvalue bound is
    absolute, like scikit-learn's ``reg_covar``: on data of a very small scale (variances near 1e-5)
    standardize first.
    The BIC compares Gaussian components: a skewed or curved single cloud is fitted better by several,
    so its minimum counts components, not necessarily groups.

    References
    ----------
    Schwarz, G. (1978). Estimating the dimension of a model. *Ann. Statist.* 6(2), 461–464.
    Fraley, C. & Raftery, A. E. (2002). Model-based clustering, discriminant analysis, and density
    estimation. *J. Am. Stat. Assoc.* 97(458), 611–631. https://doi.org/10.1198/016214502760047131
    Celeux, G. & Govaert, G. (1995). Gaussian parsimonious clustering models. *Pattern Recognit.* 28(5),
    781–793. https://doi.org/10.1016/0031-3203(94)00125-6

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 1.0, size=(30, 2)) for m in (0, 8)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(60)], columns=["A", "B"])
    >>> fits = mixture_fits(frame, [1, 2], covariance_types=["full", "spherical"], n_init=2)
    >>> fits[["k", "covariance_type", "smallest", "valid"]].values.tolist()
    [[1, 'full', 60, True], [1, 'spherical', 60, True], [2, 'full', 30, True], [2, 'spherical', 30, True]]
    """
    x = _prepare(frame, standardize)
    ks = _ks(ks, len(x))
    models = check_choices("covariance_types", covariance_types, COVARIANCE_TYPES)
    seed = check_seed(seed)
    n_init = check_integer("n_init", n_init, low=1)
    with _one_thread():
        rows = [_gmm(x, k, seed, m, n_init) for k in ks for m in models]
    out = pd.DataFrame([{**{c: r.get(c) for c in MIXTURE_COLUMNS if c != "smallest"},
                         "smallest": min(r["sizes"]) if r["sizes"] else None} for r in rows],
                       columns=list(MIXTURE_COLUMNS))
    out["start_seed"] = pd.Series([r.get("start_seed") for r in rows], index=out.index, dtype=object)
    return out


@dataclass(frozen=True)
class MixtureChoice:
    """Result of :func:`best_mixture`.

    Attributes
    ----------
    k, covariance_type : int or None, str or None
        The valid fit with the lowest BIC (None when no fit is valid).
    statistic : float
        Its BIC (NaN when none).
    n_fits : int
        Fits compared.
    n_valid : int
        Of them valid.
    rejected : dict
        ``"k = 3, full"`` -> why that fit was rejected, for every rejected fit.
    models : tuple of str
        The covariance models compared.
    method : str
        What was chosen among.
    """

    k: int | None
    covariance_type: str | None
    statistic: float
    n_fits: int
    n_valid: int
    rejected: dict
    models: tuple
    method: str


def best_mixture(fits: pd.DataFrame, *, k: int | None = None) -> MixtureChoice:
    """k and covariance model chosen jointly by BIC among the valid fits of a :func:`mixture_fits` table.

    Parameters
    ----------
    fits : pandas.DataFrame
        From :func:`mixture_fits`.
    k : int, optional
        Choose only the model at this k (e.g. the k of the report's three stages).

    Returns
    -------
    MixtureChoice
        Ties in BIC go to the smaller k, then to the model listed first in ``fits``.

    Examples
    --------
    >>> fits = pd.DataFrame({"k": [1, 2, 2], "covariance_type": ["full", "full", "diag"],
    ...                      "bic": [10.0, 5.0, 7.0], "valid": [True, False, True],
    ...                      "reason": ["", "component 2 holds 4 cities", ""]})
    >>> choice = best_mixture(fits)
    >>> choice.k, choice.covariance_type, choice.statistic, choice.rejected
    (2, 'diag', 7.0, {'k = 2, full': 'component 2 holds 4 cities'})
    """
    need = {"k", "covariance_type", "bic", "valid", "reason"}
    if not isinstance(fits, pd.DataFrame) or not need <= set(fits.columns):
        raise ParameterError("fits", "the DataFrame returned by mixture_fits", Shown(type(fits).__name__))
    if k is not None:
        k = check_integer("k", k, low=1)
        if k not in set(fits["k"]):
            raise ParameterError("k", f"a k of the table ({sorted(set(fits['k']))})", k)
        fits = fits[fits["k"] == k]
    rejected = {f"k = {r.k}, {r.covariance_type}": r.reason for r in fits.itertuples() if not r.valid}
    valid = fits[fits["valid"].astype(bool) & fits["bic"].notna()]
    models = tuple(dict.fromkeys(fits["covariance_type"]))
    ks = sorted(set(fits["k"]))
    method = (f"Gaussian-mixture BIC, the lowest among the valid fits of {', '.join(models)} covariance at "
              + (f"k = {ks[0]}" if len(ks) == 1 else f"k = {ks[0]}..{ks[-1]}"))
    if valid.empty:
        return MixtureChoice(k=None, covariance_type=None, statistic=np.nan, n_fits=len(fits), n_valid=0,
                             rejected=rejected, models=models, method=method)
    best = valid.sort_values(["bic", "k"], kind="stable").iloc[0]
    return MixtureChoice(k=int(best["k"]), covariance_type=str(best["covariance_type"]), statistic=float(best["bic"]),
                         n_fits=len(fits), n_valid=len(valid), rejected=rejected, models=models,
                         method=method)
