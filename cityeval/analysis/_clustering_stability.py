"""How reproducible is a clustering? Bootstrap stability and agreement between clusterings;
re-exported by :mod:`cityeval.analysis.clustering`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.progress import progress
from cityeval.validation import Shown, check_choice, check_integer, check_seed

from cityeval.analysis._clustering_engine import (_ari_rows, _fit, _fit_uncached, _gmm_choice, _kmeans_batch,
                                                  _memo, _one_thread, _seeded)
from cityeval.analysis._clustering_stages import ALGORITHMS, COVARIANCE_CHOICES, _check_k, _prepare

__all__ = ["Stability", "StabilitySummary", "bootstrap_stability", "stability_by_k", "agreement"]


class StabilitySummary(NamedTuple):
    """The summary of :func:`bootstrap_stability`: ``k``, ``algorithm``, ``n_boot`` and the ``mean``,
    ``median``, ``q05`` and ``q95`` (5% and 95% quantiles, numpy's linear interpolation) of the
    bootstrap ARIs."""

    k: int
    algorithm: str
    n_boot: int
    mean: float
    median: float
    q05: float
    q95: float


class Stability(NamedTuple):
    """Result of :func:`bootstrap_stability`: ``ari`` (one value per resample) and ``summary``
    (a :class:`StabilitySummary`)."""

    ari: np.ndarray
    summary: StabilitySummary


def bootstrap_stability(frame: pd.DataFrame, *, k: int = 3, algorithm: str = "kmeans", n_boot: int = 200,
                        seed: int = 0, standardize: bool = True, covariance_type: str = "auto") -> Stability:
    """How reproducible the clustering is under resampling of the cities (bootstrap ARI).

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        As in :func:`cluster`.
    k : int, default 3
        Number of clusters.
    algorithm : {"kmeans", "ward", "gmm"}, default "kmeans"
    n_boot : int, default 200
        Bootstrap resamples (>= 1).
    seed : int, default 0
        Seeds the resampling and every clustering (with ``algorithm="kmeans"`` the resamples
        are clustered by :func:`_kmeans_batch`, whose starts come from their own stream
        derived from ``seed`` and k; the resamples themselves are those ``default_rng(seed)`` draws).
    standardize : bool, default True
        z-score the columns once, on all cities, before resampling (so every resample is
        clustered in the same coordinates as the full data).
    covariance_type : {"auto", "full", "tied", "diag", "spherical"}, default "auto"
        Of the Gaussian mixture, as in :func:`cluster`: the model is chosen (and checked) on all
        cities, and the resamples are fitted with that model.

    Returns
    -------
    Stability
        ``ari``: array of ``n_boot`` adjusted Rand indices; ``summary``: a :class:`StabilitySummary`
        (``k``, ``algorithm``, ``n_boot``, ``mean``, ``median``, ``q05`` and ``q95``: 5% and 95%
        quantiles, numpy's default linear interpolation).

    Notes
    -----
    Let :math:`L` be the clustering of all :math:`n` cities. For :math:`b = 1..B`: draw
    :math:`n` cities with replacement, cluster the resample with the same algorithm and k,
    compute the centroid :math:`c_r` (mean of the resample's members) of each of its
    clusters, assign *every original city* to its nearest centroid,
    :math:`L_b(i) = \\arg\\min_r \\lVert x_i - c_r \\rVert`, and record
    :math:`\\mathrm{ARI}(L, L_b)`. The nearest-centroid rule is used for all three
    algorithms, so the numbers are comparable. A resample with fewer than k distinct
    cities is drawn again. ARI = 1 is identical partitions, ≈ 0 is chance agreement.

    References
    ----------
    Hubert, L. & Arabie, P. (1985). Comparing partitions. *J. Classif.* 2, 193–218.
    https://doi.org/10.1007/BF01908075
    Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Comput. Stat. Data Anal.*
    52(1), 258–271. https://doi.org/10.1016/j.csda.2006.11.025

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> bootstrap_stability(frame, k=3, n_boot=5).summary.mean   # three tight groups: found in every resample
    1.0
    """
    x = _prepare(frame, standardize)
    k = _check_k(k, x)
    check_choice("algorithm", algorithm, ALGORITHMS)
    check_choice("covariance_type", covariance_type, COVARIANCE_CHOICES)
    seed = check_seed(seed)
    n_boot = check_integer("n_boot", n_boot, low=1)

    def compute():
        with _one_thread():
            return _bootstrap_ari(x, k, algorithm, n_boot, seed, covariance_type)

    # deterministic in the data and the arguments: a second call (another k's table, the verdict) reuses it
    ari = _memo(("bootstrap", k, algorithm, n_boot, seed, covariance_type), x, compute).copy()
    summary = StabilitySummary(k=k, algorithm=algorithm, n_boot=n_boot, mean=float(ari.mean()),
                               median=float(np.median(ari)), q05=float(np.quantile(ari, 0.05)),
                               q95=float(np.quantile(ari, 0.95)))
    return Stability(ari=ari, summary=summary)


def _bootstrap_ari(x, k, algorithm, n_boot, seed, covariance_type) -> np.ndarray:
    full = _fit(x, k, algorithm, seed, covariance_type)
    if algorithm == "gmm":   # the resamples are fitted with the model chosen (and checked) on all cities
        covariance_type = _gmm_choice(x, k, seed, covariance_type)["covariance_type"]
    rng = np.random.default_rng(seed)
    n = len(x)
    _, row_id = np.unique(x, axis=0, return_inverse=True)   # equal rows share an id
    row_id = row_id.ravel()
    idx = np.empty((n_boot, n), dtype=np.intp)
    for b in range(n_boot):
        for _attempt in range(1000):
            idx[b] = rng.integers(0, n, size=n)
            if np.count_nonzero(np.bincount(row_id[idx[b]])) >= k:   # distinct rows in the resample
                break
        else:  # pragma: no cover - needs k close to n and very many duplicates
            raise DataError(None, f"could not draw a bootstrap resample with {k} distinct cities in 1000 attempts; "
                            "use fewer clusters")
    xb = x[idx]                                              # (n_boot, n, d)
    if algorithm == "kmeans":  # all resamples in one batched k-means (see _kmeans_batch)
        labs = _kmeans_batch(xb, k, _seeded(seed, 2, k))
    else:
        labs = np.array([_fit_uncached(xb[b], k, algorithm, seed, covariance_type)
                         for b in progress(range(n_boot), total=n_boot, desc=f"{algorithm} bootstrap", unit="fit")])
    # centroid of each resample's clusters; a label a resample does not use gets no centroid (infinitely far)
    ks = int(labs.max()) + 1
    onehot = (labs[:, None, :] == np.arange(ks)[None, :, None]).astype(float)   # (n_boot, ks, n)
    counts = onehot.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        centroids = (onehot @ xb) / counts[..., None]
    d2 = ((x[None, :, None, :] - centroids[:, None, :, :]) ** 2).sum(axis=3)   # (n_boot, n, ks)
    d2[np.broadcast_to((counts == 0)[:, None, :], d2.shape)] = np.inf
    return _ari_rows(full, d2.argmin(axis=2))


def agreement(labelings: dict) -> pd.DataFrame:
    """Pairwise adjusted Rand index between clusterings of the same cities.

    Parameters
    ----------
    labelings : dict of str -> pandas.Series
        Named clusterings (e.g. one per algorithm, or one per weighting), each indexed by
        city; all must label the same set of cities (the order may differ).

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, index and columns the names in the order given, 1 on the diagonal.

    Notes
    -----
    ARI (Hubert & Arabie 1985) from the contingency table :math:`n_{ij}` of the two
    partitions, with row sums :math:`a_i`, column sums :math:`b_j`:

    .. math::

        \\mathrm{ARI} = \\frac{\\sum_{ij}\\binom{n_{ij}}{2} - \\Big[\\sum_i\\binom{a_i}{2}\\sum_j\\binom{b_j}{2}\\Big]
        \\Big/\\binom{n}{2}}{\\tfrac12\\Big[\\sum_i\\binom{a_i}{2}+\\sum_j\\binom{b_j}{2}\\Big]
        - \\Big[\\sum_i\\binom{a_i}{2}\\sum_j\\binom{b_j}{2}\\Big]\\Big/\\binom{n}{2}}

    It does not depend on how the clusters are numbered.

    References
    ----------
    Hubert, L. & Arabie, P. (1985). Comparing partitions. *J. Classif.* 2, 193–218.
    https://doi.org/10.1007/BF01908075

    Examples
    --------
    >>> a = pd.Series([1, 1, 2, 2], index=list("wxyz"))
    >>> b = pd.Series([2, 2, 1, 1], index=list("wxyz"))
    >>> agreement({"a": a, "b": b}).loc["a", "b"]
    np.float64(1.0)
    """
    from sklearn.metrics import adjusted_rand_score

    if not isinstance(labelings, dict) or not labelings:
        raise ParameterError("labelings", "a non-empty dict of name -> pandas Series of cluster labels",
                             Shown(type(labelings).__name__) if not isinstance(labelings, dict) else labelings)
    names = list(labelings)
    first = labelings[names[0]]
    series = {}
    for name in names:
        s = labelings[name]
        if not isinstance(s, pd.Series):
            raise ParameterError(f"labelings[{name!r}]", "a pandas Series indexed by city", Shown(type(s).__name__))
        if s.index.has_duplicates:
            raise ParameterError(f"labelings[{name!r}]", "one label per city (unique index)",
                                 Shown(f"repeated city {s.index[s.index.duplicated()][0]!r}"))
        if s.isna().any():
            raise ParameterError(f"labelings[{name!r}]", "a label for every city",
                                 Shown(f"missing for {s.index[s.isna()][0]!r}"))
        if set(s.index) != set(first.index):
            diff = set(s.index) ^ set(first.index)
            raise ParameterError(f"labelings[{name!r}]", f"labels for the same cities as labelings[{names[0]!r}]",
                                 Shown(f"{len(diff)} cities differ, e.g. {sorted(map(str, diff))[0]!r}"))
        series[name] = s.reindex(first.index).to_numpy()
    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            out.loc[a, b] = out.loc[b, a] = adjusted_rand_score(series[a], series[b])
    return out


def _no_valid_mixture(frame, k, seed, standardize, covariance_type) -> bool:
    """True when no Gaussian mixture with ``k`` components is valid for ``frame`` (nothing to resample)."""
    x = _prepare(frame, standardize)
    check_choice("covariance_type", covariance_type, COVARIANCE_CHOICES)
    with _one_thread():
        return _gmm_choice(x, _check_k(k, x), check_seed(seed), covariance_type, strict=False) is None


def stability_by_k(frame: pd.DataFrame, ks, *, algorithm: str = "kmeans", n_boot: int = 200, seed: int = 0,
                   standardize: bool = True, covariance_type: str = "auto") -> pd.DataFrame:
    """:func:`bootstrap_stability` for each k of ``ks`` that is at least 2 (k = 1 has nothing to reproduce).

    Parameters
    ----------
    frame, algorithm, n_boot, seed, standardize, covariance_type
        As in :func:`bootstrap_stability` (the same arguments for every k).
    ks : iterable of int
        Numbers of clusters (e.g. those of :func:`choose_k`); the ones below 2 are skipped.

    Returns
    -------
    pandas.DataFrame
        Index ``k`` (in the order given), columns ``mean``, ``median``, ``q05``, ``q95`` of the bootstrap ARIs;
        with ``algorithm="gmm"`` a k without a valid mixture (:func:`mixture_fits`) has NaN there: there is no
        clustering to reproduce.

    Examples
    --------
    >>> x = np.repeat([[0.0, 0.0], [9.0, 9.0]], 6, axis=0) + np.tile([[0.0, 0.1], [0.1, 0.0], [0.2, 0.2]], (4, 1))
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(12)], columns=["A", "B"])
    >>> stability_by_k(frame, [1, 2], n_boot=10)["mean"].tolist()   # two far-apart groups: always found again
    [1.0]
    """
    if isinstance(ks, (str, bytes)) or not np.iterable(ks):
        raise ParameterError("ks", "an iterable of whole numbers such as range(1, 7)", ks)
    rows = {}
    for k in ks:
        if check_integer("ks", k, low=1) >= 2:
            if algorithm == "gmm" and _no_valid_mixture(frame, k, seed, standardize, covariance_type):
                rows[int(k)] = dict.fromkeys(("mean", "median", "q05", "q95"), np.nan)
                continue
            s = bootstrap_stability(frame, k=k, algorithm=algorithm, n_boot=n_boot, seed=seed,
                                    standardize=standardize, covariance_type=covariance_type).summary
            rows[int(k)] = {"mean": s.mean, "median": s.median, "q05": s.q05, "q95": s.q95}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["mean", "median", "q05", "q95"], dtype=float)
    out.index.name = "k"
    return out
