"""Development stages as clusters: do the cities fall into the report's three stages?

The report places the top-100 cities in three stages, 能力搭建 (capability
building), 效能驱动 (efficiency driven) and 创新发展 (innovative development),
and reads them as infrastructure and governance coming first, the other
dimensions following. This module asks the data the questions that claim
raises:

- :func:`cluster` groups cities on their dimension scores (k-means, Ward or a
  Gaussian mixture, all from scikit-learn) and numbers the clusters 1..k by
  increasing mean composite, so cluster 1 is the lowest stage;
- :func:`stage_profile` and :func:`stage_gaps` describe each cluster; :func:`leaders_first`
  tests whether named dimensions (infrastructure, governance) are the ones in which
  the lower stages are closest to the top stage;
- :func:`choose_k` gives the evidence for the number of clusters (silhouette, gap
  statistic, Gaussian-mixture BIC) and :func:`best_k` what each criterion picks;
- :func:`bootstrap_stability` and :func:`agreement` measure how reproducible a
  clustering is (resampling, other algorithms, other weightings);
- :func:`support_for_k` turns that evidence into a stated verdict with its reasons.

Decisions that hold for every function
--------------------------------------
* ``frame`` has one row per city (its index, kept in every result) and one numeric
  column per dimension; a missing or infinite value raises: clustering has no
  missing-value rule here, impute first.
* ``standardize=True`` (the default) z-scores each column over the cities of
  ``frame`` (population standard deviation) before clustering, so every dimension
  counts equally in the distances whatever its spread. A constant column becomes
  all zeros: it carries no information and adds nothing to any distance.
* Every random step takes an explicit ``seed``: the same call gives the same numbers.
* The fits of :func:`cluster`, :func:`choose_k` and :func:`bootstrap_stability` run with
  BLAS/OpenMP limited to one thread (``threadpoolctl``): on 100 × 6 data, thread
  start-up costs more than it saves (a Gaussian mixture took three times as long with
  two threads). The numbers do not depend on it.
* k-means uses ``n_init=10`` starts; the Gaussian mixture ``n_init=10`` starts and
  full covariance matrices (``covariance_type`` changes that); Ward is deterministic.
* The clustering of the data themselves is scikit-learn's, and is computed once per data,
  k, algorithm and seed (a later call with the same arguments reuses it). The many
  k-means fits of the gap statistic's reference data sets and of the bootstrap resamples
  run together in one vectorised k-means (:func:`_kmeans_batch`: the same algorithm,
  k-means++ seeding, Lloyd's iterations and the best of ``n_init=10`` starts, about ten
  times faster than one scikit-learn estimator per data set). Ward and the Gaussian
  mixture are fitted one data set at a time as before.
* ``k`` may not exceed the number of *distinct* rows: more clusters than distinct
  cities is an error, not a silently smaller clustering.
"""
from __future__ import annotations

import hashlib
import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from cityeval.errors import DataError, ParameterError

__all__ = ["STAGES", "ALGORITHMS", "COVARIANCE_TYPES", "check_algorithm", "stage_names", "cluster", "stage_profile", "stage_gaps",
           "leaders_first", "choose_k", "best_k", "bootstrap_stability", "Stability", "agreement",
           "support_for_k", "principal_scores"]

#: The report's three stages, lowest first: (Chinese name, English translation).
STAGES = (("能力搭建", "capability building"), ("效能驱动", "efficiency driven"),
          ("创新发展", "innovative development"))

#: Clustering algorithms :func:`cluster` accepts.
ALGORITHMS = ("kmeans", "ward", "gmm")

#: Covariance structures of the Gaussian mixture (scikit-learn's names).
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

_N_INIT = 10


# --------------------------------------------------------------------------- checks


_CONTROLLER = []


def _one_thread():
    """Context manager limiting BLAS and OpenMP to one thread (``threadpoolctl``).

    The controller that finds the libraries is built once (``threadpool_limits`` rebuilds it on
    every call, about 3 ms), after scikit-learn's OpenMP runtime is loaded.
    """
    if not _CONTROLLER:
        import sklearn.cluster  # noqa: F401  (loads the OpenMP runtime the controller must see)

        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1)


def _check_frame(frame, name="frame") -> np.ndarray:
    """Float values of ``frame``; raises for anything clustering cannot use."""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(name, "a pandas DataFrame (rows = cities, columns = dimension scores)",
                             type(frame).__name__)
    if frame.shape[1] == 0:
        raise ParameterError(name, "a frame with at least one dimension column", "0 columns")
    if frame.shape[0] < 2:
        raise ParameterError(name, "a frame with at least 2 cities (rows)", f"{frame.shape[0]} rows")
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique()
        raise DataError(None, "cities (the frame's index) must be unique",
                        detail=f"repeated: {', '.join(map(str, dup[:5]))}")
    bad = [str(c) for c, t in frame.dtypes.items()
           if not (pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t))]
    if bad:
        raise ParameterError(f"{name} column {bad[0]!r}", "numeric scores", str(frame[bad[0]].dtype))
    x = frame.to_numpy(dtype=float)
    nonfinite = ~np.isfinite(x)
    if nonfinite.any():
        i, j = np.argwhere(nonfinite)[0]
        raise DataError(None, "clustering needs a finite score for every city and dimension (impute first)",
                        column=str(frame.columns[j]), detail=f"city {frame.index[i]!r} has {x[i, j]}")
    return x


def _check_int(name, value, lo, hi=None, hi_text=None):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        allowed = f"a whole number >= {lo}" if hi is None else f"a whole number between {lo} and {hi}"
        raise ParameterError(name, allowed + (f" ({hi_text})" if hi_text else ""), value)
    if value < lo or (hi is not None and value > hi):
        allowed = f"a whole number >= {lo}" if hi is None else f"a whole number between {lo} and {hi}"
        raise ParameterError(name, allowed + (f" ({hi_text})" if hi_text else ""), value)
    return int(value)


def _check_k(k, x, lo=2, name="k"):
    n = x.shape[0]
    k = _check_int(name, k, lo, n, f"the number of cities is {n}")
    distinct = len(np.unique(x, axis=0))
    if k > distinct:
        raise ParameterError(name, f"at most {distinct}, the number of distinct rows (cities with different "
                             "scores); more clusters than distinct points are not defined", k)
    return k


def _check_choice(name, value, allowed):
    if value not in allowed:
        raise ParameterError(name, f"one of {', '.join(repr(a) for a in allowed)}", value)
    return value


def _check_seed(seed):
    return _check_int("seed", seed, 0, 2**32 - 1)


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(name, "True or False", value)
    return bool(value)


def _prepare(frame, standardize) -> np.ndarray:
    x = _check_frame(frame)
    if _check_bool("standardize", standardize):
        x = _zscore(x)
    return x


def _zscore(x: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=0)
    sd = x.std(axis=0, ddof=0)
    const = sd <= 1e-12 * np.maximum(1.0, np.abs(mean))
    sd[const] = 1.0
    z = (x - mean) / sd
    z[:, const] = 0.0
    return z


def _check_labels(labels, frame, name="labels") -> pd.Series:
    """``labels`` aligned on ``frame``'s cities, as integers; raises on a mismatch or a missing label."""
    if not isinstance(labels, pd.Series):
        raise ParameterError(name, "a pandas Series of cluster numbers indexed by city", type(labels).__name__)
    missing = frame.index.difference(labels.index)
    extra = labels.index.difference(frame.index)
    if len(missing) or len(extra):
        what = (f"{len(missing)} cities of the frame without a label (e.g. {missing[0]!r})" if len(missing)
                else f"{len(extra)} labelled cities not in the frame (e.g. {extra[0]!r})")
        raise ParameterError(name, "a label for exactly the cities of the frame", what)
    lab = labels.reindex(frame.index)
    if lab.isna().any():
        raise ParameterError(name, "a cluster number for every city", f"missing for {lab.index[lab.isna()][0]!r}")
    return lab


# --------------------------------------------------------------------------- clustering


def _fit(x: np.ndarray, k: int, algorithm: str, seed: int, covariance_type: str = "full") -> np.ndarray:
    """Cluster labels 0..k-1 (as the algorithm numbers them) of the rows of ``x`` (memoised, see :func:`_memo`)."""
    return _memo(("fit", k, algorithm, seed, covariance_type), x,
                 lambda: _fit_uncached(x, k, algorithm, seed, covariance_type)).copy()


def _gmm_bic(x: np.ndarray, k: int, seed: int, covariance_type: str) -> float:
    """BIC of the ``n_init = 10`` Gaussian mixture with ``k`` components fitted to ``x`` (NaN when it cannot be
    fitted: too few points for the components); memoised, see :func:`_memo`."""
    def fit():
        from sklearn.mixture import GaussianMixture

        try:
            return float(GaussianMixture(n_components=k, covariance_type=covariance_type, n_init=_N_INIT,
                                         random_state=seed).fit(x).bic(x))
        except ValueError:  # too few points for the components: no BIC
            return np.nan
    return _memo(("bic", k, seed, covariance_type), x, fit)


#: Results of the deterministic full-data fits, keyed by the data and every argument (see :func:`_memo`).
_MEMO: dict = {}
_MEMO_SIZE = 64


def _memo(key: tuple, x: np.ndarray, compute):
    """``compute()``, remembered for the same data and arguments.

    A notebook fits the same data with the same k, algorithm and seed several times (``cluster``,
    both references of ``choose_k``, ``bootstrap_stability``'s full-data clustering); every fit here
    is a deterministic function of the data and the arguments, so the second call returns the
    first one's result instead of refitting. The key holds a 128-bit BLAKE2 digest of the data's
    bytes, so different data do not share an entry; the oldest entries are dropped beyond ``_MEMO_SIZE``.
    """
    full = key + (x.shape, x.dtype.str, hashlib.blake2b(np.ascontiguousarray(x).tobytes(), digest_size=16).digest())
    if full in _MEMO:
        return _MEMO[full]
    value = compute()
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[full] = value
    return value


def _fit_uncached(x: np.ndarray, k: int, algorithm: str, seed: int, covariance_type: str = "full") -> np.ndarray:
    if k == 1:
        return np.zeros(len(x), dtype=int)
    if algorithm == "kmeans":
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=_N_INIT, random_state=seed).fit_predict(x)
    if algorithm == "ward":
        from sklearn.cluster import AgglomerativeClustering

        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)
    from sklearn.mixture import GaussianMixture

    try:
        gm = GaussianMixture(n_components=k, covariance_type=covariance_type, n_init=_N_INIT,
                             random_state=seed).fit(x)
    except ValueError as exc:  # ill-defined covariance: too few points per component
        raise DataError(None, f"the Gaussian mixture with {k} components and {covariance_type!r} covariance "
                        "could not be fitted (too few cities per component); use fewer clusters, "
                        "covariance_type='diag' or another algorithm", detail=str(exc).split("\n")[0]) from None
    return gm.predict(x)


# Problems (data set x start) per block of the batched k-means: bounds its memory to a few MB per block.
_BATCH_ELEMENTS = 2_000_000


def _kmeans_batch(xs: np.ndarray, k: int, rng: np.random.Generator, n_init: int = _N_INIT,
                  max_iter: int = 300) -> np.ndarray:
    """k-means of many small data sets at once: labels (B, n) of ``xs`` (B, n, d), best of ``n_init`` starts each.

    The same algorithm as scikit-learn's ``KMeans(n_init=n_init, algorithm="lloyd")``, run on all
    B x n_init problems together with numpy instead of one estimator per data set (which costs
    about 5 ms of Python overhead per fit on 100 x 6 data): greedy k-means++ seeding (Arthur &
    Vassilvitskii 2007, with ``2 + int(log k)`` candidate centres per step, as scikit-learn),
    Lloyd's iterations until no label changes (scikit-learn stops at a small centre shift, so these
    runs are at least as converged), an empty cluster's centre moved to the point farthest from its
    own centre (as scikit-learn), and per data set the start with the smallest within-cluster sum
    of squares kept (the first on a tie). The random numbers come from ``rng``, so the labels differ
    from scikit-learn's for the same seed wherever the starts reach different local optima; the
    optimum reached is as good. On the 2 x 50 gap-statistic references (PCA box and uniform) and
    the 200 bootstrap resamples of notebook 03, k = 2..6, it reached a lower W_k than
    ``KMeans(n_init=10)`` in 8-54% of the data sets and a higher one in 10-54%; the mean
    difference of log W_k was between -0.0017 and +0.0015, against gap standard errors
    s_k of 0.034-0.041; on 300 references per k (k = 3, 5, 6) it was within two Monte Carlo
    standard errors of zero (at most 0.0005 in size).
    """
    B, n, d = xs.shape
    per_block = max(1, _BATCH_ELEMENTS // (n_init * n * max(d, k)))
    out = np.empty((B, n), dtype=np.intp)
    for lo in range(0, B, per_block):
        out[lo:lo + per_block] = _kmeans_block(xs[lo:lo + per_block], k, rng, n_init, max_iter)
    return out


def _kmeans_block(xs, k, rng, n_init, max_iter):
    B, n, d = xs.shape
    P = B * n_init
    X = np.repeat(xs, n_init, axis=0)                       # problem p = data set p // n_init
    Xt = np.ascontiguousarray(X.transpose(0, 2, 1))
    xsq = np.einsum("pnd,pnd->pn", X, X)
    rows = np.arange(P)
    # greedy k-means++ seeding
    trials = 2 + int(np.log(k))
    centers = np.empty((P, k, d))
    centers[:, 0] = X[rows, rng.integers(0, n, size=P)]
    closest = ((X - centers[:, :1]) ** 2).sum(-1)           # squared distance to the nearest centre so far
    pot = closest.sum(1)
    for c in range(1, k):
        r = rng.random((P, trials)) * pot[:, None]
        cand = (np.cumsum(closest, axis=1)[:, None, :] < r[:, :, None]).sum(-1)   # searchsorted, per row
        np.minimum(cand, n - 1, out=cand)
        cpts = X[rows[:, None], cand]                       # (P, trials, d)
        dist = cpts @ Xt
        dist *= -2
        dist += xsq[rows[:, None], cand][:, :, None]
        dist += xsq[:, None, :]
        np.maximum(dist, 0, out=dist)
        np.minimum(dist, closest[:, None, :], out=dist)
        cpot = dist.sum(-1)
        best = cpot.argmin(1)
        pot, closest = cpot[rows, best], dist[rows, best]
        centers[:, c] = cpts[rows, best]
    # Lloyd's iterations. `cur` are the problems iterated (with their data, centres and labels); a
    # problem whose labels no longer change has converged: another step would give the same centres
    # and labels, so converged problems are dropped from `cur` when they become the majority.
    labels = np.empty((P, n), dtype=np.intp)
    cur, Xc, Cc = rows, Xt, centers.copy()
    Lc = np.full((P, n), -1, dtype=np.intp)
    ks = np.arange(k)[None, :, None]
    for _ in range(max_iter):
        score = Cc @ Xc                                     # |c|^2 - 2 x.c: the squared distance minus |x|^2
        score *= -2
        score += np.einsum("akd,akd->ak", Cc, Cc)[:, :, None]
        new = _argmin_axis1(score)
        changed = (new != Lc).any(1)
        Lc = new
        if not changed.any():
            break
        if changed.sum() < 0.6 * len(cur):
            done = ~changed
            labels[cur[done]], centers[cur[done]] = Lc[done], Cc[done]
            cur, Xc, Cc, Lc = cur[changed], Xc[changed], Cc[changed], Lc[changed]
        onehot = (Lc[:, None, :] == ks).astype(float)      # (A, k, n)
        counts = onehot.sum(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cnew = (Xc @ onehot.transpose(0, 2, 1)).transpose(0, 2, 1) / counts[..., None]
        empty = counts == 0
        for a in np.flatnonzero(empty.any(1)):              # rare: relocate empty clusters to the farthest points
            xa = Xc[a].T
            own = ((xa - Cc[a][Lc[a]]) ** 2).sum(-1)
            far = np.argsort(-own, kind="stable")
            for j, e in enumerate(np.flatnonzero(empty[a])):
                cnew[a, e] = xa[far[j]]
        Cc = cnew
    labels[cur], centers[cur] = Lc, Cc
    inertia = ((X - np.take_along_axis(centers, labels[:, :, None], axis=1)) ** 2).sum((1, 2)).reshape(B, n_init)
    return labels[np.arange(B) * n_init + inertia.argmin(1)]


def _argmin_axis1(score: np.ndarray) -> np.ndarray:
    """``score.argmin(axis=1)`` of a (A, k, n) array (the first index on ties), faster for small k."""
    best = score[:, 0].copy()
    lab = np.zeros(best.shape, dtype=np.intp)
    for j in range(1, score.shape[1]):
        m = score[:, j] < best
        np.copyto(best, score[:, j], where=m)
        lab[m] = j
    return lab


def _log_w_rows(xs: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """:func:`_log_w` of every data set ``xs[b]`` (B, n, d) with its ``labels[b]`` (0..k-1), vectorised."""
    onehot = (labels[:, None, :] == np.arange(k)[None, :, None]).astype(float)   # (B, k, n)
    counts = onehot.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (onehot @ xs) / counts[..., None]
    means[counts == 0] = 0.0
    w = ((xs - np.take_along_axis(means, labels[:, :, None], axis=1)) ** 2).sum((1, 2))
    with np.errstate(divide="ignore"):
        return np.where(w > 0, np.log(w), -np.inf)


def _ari_rows(truth: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Adjusted Rand index of ``truth`` (n,) against every row of ``labels`` (B, n), vectorised.

    The same integer pair-counting formula as :func:`sklearn.metrics.adjusted_rand_score` (via the
    pair confusion matrix), so each value is the one that function returns.
    """
    _, a = np.unique(truth, return_inverse=True)
    m, n = labels.shape
    ka = int(a.max()) + 1
    kb = int(labels.max()) + 1
    cont = np.bincount((np.arange(m)[:, None] * (ka * kb) + a[None, :] * kb + labels).ravel(),
                       minlength=m * ka * kb).reshape(m, ka, kb).astype(np.int64)
    n_c, n_k = cont.sum(2), cont.sum(1)
    ss = (cont ** 2).sum((1, 2))
    tp = ss - n
    fp = (cont * n_k[:, None, :]).sum((1, 2)) - ss
    fn = (cont * n_c[:, :, None]).sum((1, 2)) - ss
    tn = n * n - fp - fn - ss
    out = np.empty(m)
    for i in range(m):  # Python integers, as sklearn, so no product can overflow
        t_n, f_p, f_n, t_p = int(tn[i]), int(fp[i]), int(fn[i]), int(tp[i])
        out[i] = 1.0 if f_n == 0 and f_p == 0 else \
            2.0 * (t_p * t_n - f_n * f_p) / ((t_p + f_n) * (f_n + t_n) + (t_p + f_p) * (f_p + t_n))
    return out


def _seeded(seed: int, purpose: int, k: int) -> np.random.Generator:
    """The generator of the batched k-means starts: its own stream per purpose and k, so a row of
    :func:`choose_k` does not depend on the other ks asked for, and never shares numbers with the
    references or the resamples (drawn from ``default_rng(seed)``)."""
    return np.random.default_rng(np.random.SeedSequence([seed, purpose, k]))


def _ordered(raw: np.ndarray, order_values: np.ndarray) -> np.ndarray:
    """Renumber labels 1..m by increasing mean of ``order_values`` (ties: the algorithm's order)."""
    present = np.unique(raw)
    means = np.array([order_values[raw == c].mean() for c in present])
    rank = np.empty(len(present), dtype=int)
    rank[np.argsort(means, kind="stable")] = np.arange(1, len(present) + 1)
    return rank[np.searchsorted(present, raw)]


def check_algorithm(algorithm: str) -> str:
    """Return ``algorithm`` if it is one of :data:`ALGORITHMS`, else raise.

    Raises
    ------
    ParameterError
        The message lists the valid names: "algorithm should be one of 'kmeans', 'ward',
        'gmm', but its value is 'dbscan'."
    """
    return _check_choice("algorithm", algorithm, ALGORITHMS)


def stage_names(k: int, *, lang: str = "en") -> list[str]:
    """Names of clusters 1..k: the report's stages when ``k == 3``, else ``"cluster i"``.

    Parameters
    ----------
    k : int
        Number of clusters (>= 1).
    lang : {"en", "zh"}, default "en"
        English translation or the report's Chinese name (only used when ``k == 3``).

    Returns
    -------
    list of str
        ``k`` names, lowest stage first.

    Examples
    --------
    >>> stage_names(3)
    ['capability building', 'efficiency driven', 'innovative development']
    >>> stage_names(2)
    ['cluster 1 (lowest)', 'cluster 2 (highest)']
    """
    k = _check_int("k", k, 1)
    _check_choice("lang", lang, ("en", "zh"))
    if k == 3:
        return [zh if lang == "zh" else en for zh, en in STAGES]
    if k == 1:
        return ["cluster 1"]
    return [f"cluster {i}" + (" (lowest)" if i == 1 else " (highest)" if i == k else "") for i in range(1, k + 1)]


def cluster(frame: pd.DataFrame, *, k: int = 3, algorithm: str = "kmeans", seed: int = 0,
            standardize: bool = True, order_by: pd.Series | None = None,
            covariance_type: str = "full") -> pd.Series:
    """Cluster the cities on their dimension scores; number clusters by increasing composite.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        One row per city (the index), one numeric column per dimension; no missing values.
    k : int, default 3
        Number of clusters, between 2 and the number of distinct rows.
    algorithm : {"kmeans", "ward", "gmm"}, default "kmeans"
        scikit-learn's ``KMeans`` (``n_init=10``), ``AgglomerativeClustering`` with Ward
        linkage, or ``GaussianMixture`` (``n_init=10``; a city goes to its most probable component).
    seed : int, default 0
        ``random_state`` of k-means and of the mixture (Ward does not use it).
    standardize : bool, default True
        z-score each column before clustering (see the module notes).
    order_by : pandas.Series, optional
        A score per city (e.g. the composite), indexed by city; clusters are numbered
        1..k by increasing mean of it. Default: the row mean of ``frame`` (the composite
        of equally weighted dimensions), on the original scale.
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
        Covariance structure of the Gaussian mixture (ignored by the other algorithms).

    Returns
    -------
    pandas.Series of int, name ``"stage"``
        Indexed like ``frame`` (same cities, same order): 1 = the cluster with the lowest
        mean ``order_by``, k = the highest. A Gaussian mixture can leave a component that is
        no city's most probable one; the labels are then 1..m with m < k (count them).

    Raises
    ------
    ParameterError
        ``k`` below 2 or above the number of (distinct) cities, an unknown ``algorithm``
        (the message lists the valid ones), ``order_by`` missing a city or holding NaN.
    DataError
        A missing or infinite score, duplicate cities.

    Notes
    -----
    k-means minimizes the within-cluster sum of squares
    :math:`W_k = \\sum_{r=1}^{k} \\sum_{i \\in C_r} \\lVert x_i - \\bar x_r \\rVert^2`;
    Ward's agglomeration merges, at each step, the two clusters whose union increases
    :math:`W` least; the Gaussian mixture maximizes the likelihood of
    :math:`\\sum_r \\pi_r \\, \\mathcal N(x; \\mu_r, \\Sigma_r)` by EM. With ties in the mean
    ``order_by`` the algorithm's own numbering decides.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> cluster(frame, k=3).tolist()
    [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
    """
    x = _prepare(frame, standardize)
    k = _check_k(k, x)
    _check_choice("algorithm", algorithm, ALGORITHMS)
    _check_choice("covariance_type", covariance_type, COVARIANCE_TYPES)
    seed = _check_seed(seed)
    if order_by is None:
        order_values = _check_frame(frame).mean(axis=1)
    else:
        if not isinstance(order_by, pd.Series):
            raise ParameterError("order_by", "a pandas Series of scores indexed by city", type(order_by).__name__)
        missing = frame.index.difference(order_by.index)
        if len(missing):
            raise ParameterError("order_by", "a score for every city of the frame",
                                 f"missing for {len(missing)} cities, e.g. {missing[0]!r}")
        order_values = pd.to_numeric(order_by.reindex(frame.index), errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(order_values).all():
            bad = frame.index[~np.isfinite(order_values)][0]
            raise ParameterError("order_by", "a finite score for every city", f"{order_by.get(bad)!r} for {bad!r}")
    with _one_thread():
        raw = _fit(x, k, algorithm, seed, covariance_type)
    return pd.Series(_ordered(raw, order_values), index=frame.index, name="stage")


# --------------------------------------------------------------------------- profiles


def stage_profile(frame: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Mean score of each dimension in each cluster.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        Scores on their original scale (as in :func:`cluster`, before any standardization).
    labels : pandas.Series
        A cluster number for every city of ``frame`` (e.g. from :func:`cluster`).

    Returns
    -------
    pandas.DataFrame
        Index ``stage`` (the cluster numbers, sorted), one column per column of ``frame``:
        :math:`\\bar x_{sd} = \\frac{1}{n_s} \\sum_{i \\in s} x_{id}`.

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [1.0, 3.0, 10.0]}, index=["a", "b", "c"])
    >>> stage_profile(frame, pd.Series([1, 1, 2], index=["a", "b", "c"]))["A"].tolist()
    [2.0, 10.0]
    """
    _check_frame(frame)
    lab = _check_labels(labels, frame)
    out = frame.groupby(lab.to_numpy()).mean()
    out.index.name = "stage"
    return out.sort_index()


def stage_gaps(frame: pd.DataFrame, labels: pd.Series, *, reference=None) -> pd.DataFrame:
    """Each cluster's mean minus the reference cluster's, in standard deviations of the dimension.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        Scores on their original scale.
    labels : pandas.Series
        A cluster number for every city of ``frame``.
    reference : label, optional
        The cluster compared against; default the highest label (the top stage).

    Returns
    -------
    pandas.DataFrame
        Index ``stage``, one column per dimension: :math:`g_{sd}` below; the reference row is 0.
        A negative gap means the cluster is behind the reference cluster in that dimension.

    Notes
    -----
    .. math:: g_{sd} = \\frac{\\bar x_{sd} - \\bar x_{\\mathrm{ref},d}}{\\sigma_d}

    with :math:`\\sigma_d` the standard deviation (ddof = 1) of dimension :math:`d` over
    all cities of ``frame``. Dividing by :math:`\\sigma_d` makes the gaps comparable
    across dimensions whose scales differ (a min-max score's zero is the weakest city
    of the whole panel, so raw means or ratios of means are not comparable across
    dimensions). A constant dimension has every gap 0.
    """
    x = _check_frame(frame)
    prof = stage_profile(frame, labels)
    if reference is None:
        reference = prof.index.max()
    if reference not in prof.index:
        raise ParameterError("reference", f"one of the cluster labels {list(prof.index)}", reference)
    sd = x.std(axis=0, ddof=1) if len(x) > 1 else np.zeros(x.shape[1])
    sd = pd.Series(sd, index=frame.columns)
    diff = prof - prof.loc[reference]
    gaps = diff.div(sd.where(sd > 0, np.inf), axis=1)
    gaps.index.name = "stage"
    return gaps


def leaders_first(gaps: pd.DataFrame, leaders, *, reference=None) -> pd.DataFrame:
    """Are the ``leaders`` the dimensions in which each lower stage is closest to the top?

    The report's reading ("infrastructure and governance first, the rest follow")
    predicts that cities in the lower stages have already caught up in the leading
    dimensions and lag most in the others: their gaps to the top stage (from
    :func:`stage_gaps`) are the smallest in the leading dimensions.

    Parameters
    ----------
    gaps : pandas.DataFrame
        From :func:`stage_gaps`: stages × dimensions.
    leaders : sequence of str
        The dimensions expected to come first (e.g. ``["INF", "GOV"]``).
    reference : label, optional
        The reference stage to leave out; default the highest label.

    Returns
    -------
    pandas.DataFrame
        One row per stage other than the reference: ``closest`` (the ``len(leaders)``
        dimensions with the smallest gaps, closest first), ``rank_<leader>`` for each
        leader (1 = the smallest gap among all dimensions) and ``leaders_closest``
        (True when the leaders are exactly the ``len(leaders)`` closest dimensions).

    Notes
    -----
    Rank of dimension :math:`d` in stage :math:`s`: its position when the gaps
    :math:`g_{sd}` are sorted decreasingly, i.e. by shortfall :math:`-g_{sd}` increasingly
    (the least-behind dimension, or one where the stage is ahead of the top, is rank 1;
    ties share the lower rank; ``closest`` breaks ties by column order).
    """
    if not isinstance(gaps, pd.DataFrame) or gaps.shape[0] < 2:
        raise ParameterError("gaps", "a stages x dimensions DataFrame with at least 2 stages (from stage_gaps)",
                             type(gaps).__name__ if not isinstance(gaps, pd.DataFrame) else f"{gaps.shape[0]} rows")
    leaders = [leaders] if isinstance(leaders, str) else list(leaders)
    unknown = [d for d in leaders if d not in gaps.columns]
    if unknown or not leaders:
        raise ParameterError("leaders", f"dimensions among {list(gaps.columns)}", unknown or leaders)
    if reference is None:
        reference = gaps.index.max()
    rows = {}
    for stage, g in gaps.drop(index=reference).iterrows():
        r = (-g).rank(method="min")
        closest = list((-g).sort_values(kind="stable").index[:len(leaders)])
        row = {"closest": closest}
        for d in leaders:
            row[f"rank_{d}"] = int(r[d])
        row["leaders_closest"] = bool(all(r[d] <= len(leaders) for d in leaders))
        rows[stage] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "stage"
    return out


def principal_scores(frame: pd.DataFrame, *, standardize: bool = True, n_components: int = 2) -> pd.DataFrame:
    """The cities' coordinates on the first principal components (for a scatter plot).

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
    standardize : bool, default True
        z-score the columns first, as :func:`cluster` does.
    n_components : int, default 2
        Between 1 and ``min(n_cities, n_dimensions)``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``frame``, columns ``PC1``..; ``.attrs["explained_variance_ratio"]``
        holds each component's share of the total variance.

    Notes
    -----
    With :math:`Z = U D V^\\top` the singular value decomposition of the centred data,
    the scores are :math:`U D` and component :math:`j` explains
    :math:`d_j^2 / \\sum_l d_l^2` of the variance.
    """
    x = _prepare(frame, standardize)
    m = _check_int("n_components", n_components, 1, min(x.shape), "at most min(cities, dimensions)")
    z = x - x.mean(axis=0)
    u, d, vt = np.linalg.svd(z, full_matrices=False)
    # sign convention: the largest loading of each component is positive (deterministic output)
    signs = np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])
    signs[signs == 0] = 1.0
    scores = (u * d * signs)[:, :m]
    out = pd.DataFrame(scores, index=frame.index, columns=[f"PC{j + 1}" for j in range(m)])
    total = float((d ** 2).sum())
    out.attrs["explained_variance_ratio"] = ((d[:m] ** 2) / total).tolist() if total > 0 else [0.0] * m
    return out


# --------------------------------------------------------------------------- choosing k


def _log_w(x: np.ndarray, labels: np.ndarray) -> float:
    """log of the pooled within-cluster sum of squares (Tibshirani et al.'s W_k)."""
    w = 0.0
    for c in np.unique(labels):
        xc = x[labels == c]
        w += float(((xc - xc.mean(axis=0)) ** 2).sum())
    return float(np.log(w)) if w > 0 else -np.inf


def _reference_sample(x: np.ndarray, rng: np.random.Generator, how: str) -> np.ndarray:
    """One null reference data set: uniform over the range of the data (``"uniform"``) or over the
    box aligned with the principal components of the data (``"pca"``, Tibshirani et al.'s (b))."""
    if how == "uniform":
        lo, hi = x.min(axis=0), x.max(axis=0)
        return rng.uniform(lo, hi, size=x.shape)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    xp = (x - mean) @ vt.T
    zp = rng.uniform(xp.min(axis=0), xp.max(axis=0), size=xp.shape)
    return zp @ vt + mean


def _evidence_row(x, refs, k, algorithm, seed, covariance_type) -> dict:
    """One row of :func:`choose_k`'s table; ``refs`` is the (B, n, d) stack of reference data sets."""
    from sklearn.metrics import silhouette_score

    labels = _fit(x, k, algorithm, seed, covariance_type)
    sil = float(silhouette_score(x, labels)) if 2 <= len(np.unique(labels)) <= len(x) - 1 else np.nan
    lw = _log_w(x, labels)
    if k == 1:
        lw_ref = _log_w_rows(refs, np.zeros(refs.shape[:2], dtype=np.intp), 1)
    elif algorithm == "kmeans":  # all references in one batched k-means (see _kmeans_batch)
        lw_ref = _log_w_rows(refs, _kmeans_batch(refs, k, _seeded(seed, 1, k)), k)
    else:
        lw_ref = np.array([_log_w(r, _fit_uncached(r, k, algorithm, seed, covariance_type)) for r in refs])
    bic = _gmm_bic(x, k, seed, covariance_type)
    return {"silhouette": sil, "log_w": lw, "log_w_ref": float(lw_ref.mean()), "gap": float(lw_ref.mean() - lw),
            "gap_se": float(lw_ref.std(ddof=0) * np.sqrt(1 + 1 / len(refs))), "bic": bic}


def choose_k(frame: pd.DataFrame, ks=range(2, 7), *, algorithm: str = "kmeans", seed: int = 0, n_refs: int = 50,
             reference: str = "pca", standardize: bool = True, covariance_type: str = "full") -> pd.DataFrame:
    """Evidence for the number of clusters: silhouette, gap statistic and Gaussian-mixture BIC per k.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        As in :func:`cluster`.
    ks : iterable of int, default range(2, 7)
        Numbers of clusters to compare, each between 1 and n_cities - 1; include 1 so the
        gap statistic can say "no clusters". Sorted and de-duplicated.
    algorithm : {"kmeans", "ward", "gmm"}, default "kmeans"
        The clustering whose silhouette and within-cluster dispersion are measured
        (also on the gap statistic's reference data sets).
    seed : int, default 0
        Seeds the clusterings and the reference data sets (with ``algorithm="kmeans"`` the
        references are clustered by :func:`_kmeans_batch`, whose starts come from their own
        stream derived from ``seed`` and k).
    n_refs : int, default 50
        Reference data sets B of the gap statistic (>= 2).
    reference : {"pca", "uniform"}, default "pca"
        Null distribution of the gap statistic: uniform over the box aligned with the
        data's principal components (Tibshirani et al.'s option (b), which takes the
        shape of the data into account) or over each column's range (option (a)).
    standardize : bool, default True
        z-score the columns first.
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
        Of the Gaussian mixture whose BIC is reported.

    Returns
    -------
    pandas.DataFrame
        Index ``k``; columns ``silhouette`` (NaN for k = 1), ``log_w``, ``log_w_ref``
        (mean over the references), ``gap``, ``gap_se`` (:math:`s_k`), ``gap_rule``
        (True when :math:`\\mathrm{Gap}(k) \\ge \\mathrm{Gap}(k+1) - s_{k+1}`, None when
        k + 1 is not in ``ks``) and ``bic`` (lower is better; NaN where the mixture cannot be
        fitted, too few cities per component). :func:`best_k` reads it.

    Raises
    ------
    ParameterError
        A k outside 1..n_cities-1 (or above the number of distinct rows), an unknown
        algorithm or reference, ``n_refs`` < 2.

    Notes
    -----
    Silhouette of city :math:`i` (Rousseeuw 1987): :math:`s_i = (b_i - a_i)/\\max(a_i, b_i)`,
    :math:`a_i` the mean distance to the other members of its cluster, :math:`b_i` the
    smallest mean distance to another cluster; the table gives the mean over cities
    (euclidean distances on the data as clustered).

    Gap statistic (Tibshirani, Walther & Hastie 2001): with
    :math:`W_k = \\sum_r \\sum_{i \\in C_r} \\lVert x_i - \\bar x_r \\rVert^2` and
    :math:`\\log W^*_{kb}` the same on reference data set :math:`b = 1..B`,

    .. math::

        \\mathrm{Gap}(k) = \\frac{1}{B}\\sum_b \\log W^*_{kb} - \\log W_k, \\qquad
        s_k = \\mathrm{sd}_k \\sqrt{1 + 1/B},

    :math:`\\mathrm{sd}_k` the (ddof = 0) standard deviation of the :math:`\\log W^*_{kb}`.
    The chosen k is the smallest with :math:`\\mathrm{Gap}(k) \\ge \\mathrm{Gap}(k+1) - s_{k+1}`.
    The PCA-aligned reference stretches along the data's main axis; when the groups lie
    on one line (as stages ordered by one composite would) it can make Gap(2) barely exceed
    Gap(1) and the rule stop at k = 1 (in our trials: three equally spaced blobs 10 sd apart
    on a line, 4 dimensions, 20 points each, seeds 0-7: "pca" picked 1 for 7 seeds of 8,
    "uniform" picked 3 for all 8). Compare both.

    BIC of a Gaussian mixture with :math:`p` free parameters and maximized likelihood
    :math:`\\hat L`: :math:`-2 \\log \\hat L + p \\log n` (scikit-learn's ``bic``).

    References
    ----------
    Tibshirani, R., Walther, G. & Hastie, T. (2001). Estimating the number of clusters in a
    data set via the gap statistic. *J. R. Stat. Soc. B* 63(2), 411–423.
    https://doi.org/10.1111/1467-9868.00293
    Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and validation
    of cluster analysis. *J. Comput. Appl. Math.* 20, 53–65. https://doi.org/10.1016/0377-0427(87)90125-7
    Schwarz, G. (1978). Estimating the dimension of a model. *Ann. Statist.* 6(2), 461–464.
    """
    x = _prepare(frame, standardize)
    _check_choice("algorithm", algorithm, ALGORITHMS)
    _check_choice("reference", reference, ("pca", "uniform"))
    _check_choice("covariance_type", covariance_type, COVARIANCE_TYPES)
    seed = _check_seed(seed)
    n_refs = _check_int("n_refs", n_refs, 2)
    try:
        ks = sorted(set(ks))
    except TypeError:
        raise ParameterError("ks", "an iterable of whole numbers such as range(2, 7)", ks) from None
    if not ks:
        raise ParameterError("ks", "at least one number of clusters", ks)
    distinct = len(np.unique(x, axis=0))
    for k in ks:  # silhouette and W_k > 0 need k <= n - 1; more clusters than distinct rows are undefined
        _check_int("ks", k, 1, min(len(x) - 1, distinct),
                   f"the number of cities minus 1 is {len(x) - 1}, of distinct rows {distinct}")
    ks = [int(k) for k in ks]
    rng = np.random.default_rng(seed)
    refs = np.stack([_reference_sample(x, rng, reference) for _ in range(n_refs)])
    with _one_thread():
        rows = {k: _evidence_row(x, refs, k, algorithm, seed, covariance_type) for k in ks}
    out = pd.DataFrame.from_dict(rows, orient="index")
    rule = []
    for k in out.index:
        if k + 1 in out.index:
            rule.append(bool(out.at[k, "gap"] >= out.at[k + 1, "gap"] - out.at[k + 1, "gap_se"]))
        else:
            rule.append(None)
    out.insert(out.columns.get_loc("gap_se") + 1, "gap_rule", pd.Series(rule, index=out.index, dtype=object))
    out.index.name = "k"
    return out


def best_k(evidence: pd.DataFrame) -> dict:
    """The k each criterion of a :func:`choose_k` table picks.

    Parameters
    ----------
    evidence : pandas.DataFrame
        From :func:`choose_k`.

    Returns
    -------
    dict
        ``silhouette``: the k with the largest mean silhouette (smallest k on a tie);
        ``gap``: the smallest k whose ``gap_rule`` holds (Tibshirani et al.), ``None``
        when none does in the table (the answer may lie beyond its largest k);
        ``bic``: the k with the smallest BIC. ``None`` where the column is all NaN.
    """
    need = {"silhouette", "gap_rule", "bic"}
    if not isinstance(evidence, pd.DataFrame) or not need <= set(evidence.columns):
        raise ParameterError("evidence", "the DataFrame returned by choose_k", type(evidence).__name__)
    sil = evidence["silhouette"].astype(float)
    bic = evidence["bic"].astype(float)
    rule = [k for k, r in evidence["gap_rule"].items() if r is True or r is np.True_]
    return {"silhouette": int(sil.idxmax()) if sil.notna().any() else None,
            "gap": int(rule[0]) if rule else None,
            "bic": int(bic.idxmin()) if bic.notna().any() else None}


# --------------------------------------------------------------------------- stability


class Stability(NamedTuple):
    """Result of :func:`bootstrap_stability`: ``ari`` (one value per resample) and ``summary``."""

    ari: np.ndarray
    summary: dict


def bootstrap_stability(frame: pd.DataFrame, *, k: int = 3, algorithm: str = "kmeans", n_boot: int = 200,
                        seed: int = 0, standardize: bool = True, covariance_type: str = "full") -> Stability:
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
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
        Of the Gaussian mixture.

    Returns
    -------
    Stability
        ``ari``: array of ``n_boot`` adjusted Rand indices; ``summary``: dict with ``n_boot``,
        ``mean``, ``median``, ``q05`` and ``q95`` (5% and 95% quantiles, numpy's default
        linear interpolation), ``k`` and ``algorithm``.

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
    """
    x = _prepare(frame, standardize)
    k = _check_k(k, x)
    _check_choice("algorithm", algorithm, ALGORITHMS)
    _check_choice("covariance_type", covariance_type, COVARIANCE_TYPES)
    seed = _check_seed(seed)
    n_boot = _check_int("n_boot", n_boot, 1)
    with _one_thread():
        ari = _bootstrap_ari(x, k, algorithm, n_boot, seed, covariance_type)
    summary = {"k": k, "algorithm": algorithm, "n_boot": n_boot, "mean": float(ari.mean()),
               "median": float(np.median(ari)), "q05": float(np.quantile(ari, 0.05)),
               "q95": float(np.quantile(ari, 0.95))}
    return Stability(ari=ari, summary=summary)


def _bootstrap_ari(x, k, algorithm, n_boot, seed, covariance_type) -> np.ndarray:
    full = _fit(x, k, algorithm, seed, covariance_type)
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
        labs = np.array([_fit_uncached(xb[b], k, algorithm, seed, covariance_type) for b in range(n_boot)])
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
                             type(labelings).__name__ if not isinstance(labelings, dict) else labelings)
    names = list(labelings)
    first = labelings[names[0]]
    series = {}
    for name in names:
        s = labelings[name]
        if not isinstance(s, pd.Series):
            raise ParameterError(f"labelings[{name!r}]", "a pandas Series indexed by city", type(s).__name__)
        if s.index.has_duplicates:
            raise ParameterError(f"labelings[{name!r}]", "one label per city (unique index)",
                                 f"repeated city {s.index[s.index.duplicated()][0]!r}")
        if s.isna().any():
            raise ParameterError(f"labelings[{name!r}]", "a label for every city", f"missing for {s.index[s.isna()][0]!r}")
        if set(s.index) != set(first.index):
            diff = set(s.index) ^ set(first.index)
            raise ParameterError(f"labelings[{name!r}]", f"labels for the same cities as labelings[{names[0]!r}]",
                                 f"{len(diff)} cities differ, e.g. {sorted(map(str, diff))[0]!r}")
        series[name] = s.reindex(first.index).to_numpy()
    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            out.loc[a, b] = out.loc[b, a] = adjusted_rand_score(series[a], series[b])
    return out


# --------------------------------------------------------------------------- verdict


def support_for_k(evidence: pd.DataFrame, stability: dict, *, k: int = 3, silhouette_weak: float = 0.25,
                  silhouette_reasonable: float = 0.5, ari_min: float = 0.75) -> dict:
    """Do the evidence table and the bootstrap say the data have ``k`` clusters?

    Parameters
    ----------
    evidence : pandas.DataFrame
        From :func:`choose_k`; must contain the row ``k``.
    stability : dict
        ``summary`` of :func:`bootstrap_stability` run with this ``k``.
    k : int, default 3
    silhouette_weak, silhouette_reasonable : float, default 0.25 and 0.5
        Kaufman & Rousseeuw's bands of the mean silhouette: <= 0.25 "no substantial
        structure", 0.26–0.50 "weak and could be artificial", 0.51–0.70 "reasonable".
    ari_min : float, default 0.75
        Mean bootstrap ARI regarded as stable. A convention, not a test: it borrows
        Hennig's (2007) 0.75 threshold for cluster-wise Jaccard stability.

    Returns
    -------
    dict
        ``supported`` (True, False or None = inconclusive), ``reason`` (one sentence),
        ``votes`` (which of silhouette, gap, BIC pick ``k``: from :func:`best_k`),
        ``picked`` (what each picks), ``silhouette_at_k`` and ``mean_ari``.

    Notes
    -----
    * **False** when no criterion picks k, or the mean silhouette at k is at most
      ``silhouette_weak`` (no substantial structure).
    * **True** when at least two of the three criteria pick k, the silhouette at k exceeds
      ``silhouette_reasonable`` and the mean bootstrap ARI is at least ``ari_min``.
    * **None** (inconclusive) otherwise; the reason says what is mixed.

    References
    ----------
    Kaufman, L. & Rousseeuw, P. J. (1990). *Finding Groups in Data*. Wiley, ch. 2 (silhouette bands).
    Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Comput. Stat. Data Anal.* 52, 258–271.
    """
    picked = best_k(evidence)
    k = _check_int("k", k, 2)
    if k not in evidence.index:
        raise ParameterError("k", f"a k of the evidence table ({list(evidence.index)})", k)
    if not isinstance(stability, dict) or "mean" not in stability:
        raise ParameterError("stability", "the summary dict of bootstrap_stability", stability)
    if stability.get("k", k) != k:
        raise ParameterError("stability", f"a bootstrap summary for k = {k}", f"k = {stability.get('k')}")
    sil = float(evidence.at[k, "silhouette"])
    ari = float(stability["mean"])
    votes = {name: picked[name] == k for name in ("silhouette", "gap", "bic")}
    n_votes = sum(votes.values())
    picks = ", ".join(f"{name} {'k = ' + str(v) if v is not None else 'no k in the table'}"
                      for name, v in picked.items())
    if n_votes == 0 or sil <= silhouette_weak:
        why = []
        if n_votes == 0:
            why.append(f"no criterion picks k = {k} ({picks})")
        if sil <= silhouette_weak:
            why.append(f"the mean silhouette at k = {k} is {sil:.2f} <= {silhouette_weak} "
                       "(no substantial cluster structure, Kaufman & Rousseeuw)")
        supported, reason = False, "; ".join(why)
    elif n_votes >= 2 and sil > silhouette_reasonable and ari >= ari_min:
        supported = True
        reason = (f"{n_votes} of 3 criteria pick k = {k} ({picks}), silhouette {sil:.2f} > {silhouette_reasonable} "
                  f"and mean bootstrap ARI {ari:.2f} >= {ari_min}")
    else:
        supported = None
        reason = (f"inconclusive: {n_votes} of 3 criteria pick k = {k} ({picks}), silhouette {sil:.2f} "
                  f"(reasonable structure needs > {silhouette_reasonable}), mean bootstrap ARI {ari:.2f} "
                  f"(stable needs >= {ari_min})")
    return {"k": k, "supported": supported, "reason": reason, "votes": votes, "picked": picked,
            "silhouette_at_k": sil, "mean_ari": ari}
