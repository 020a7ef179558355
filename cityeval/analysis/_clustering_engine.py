"""The computing engine of :mod:`cityeval.analysis.clustering`: fits, memo, batched k-means, W_k and ARI.

Private: the public functions (:mod:`cityeval.analysis.clustering`) check their arguments and call
these. Nothing here checks its input.

* :func:`_fit` — scikit-learn's k-means, Ward and Gaussian mixture of the data themselves, computed
  once per data and arguments (:func:`_memo`); :func:`_gmm` one mixture fit with its validity checks
  (component sizes against :func:`_min_members`, a singular covariance, convergence to :data:`GMM_TOL`), per EM
  start on the rows in a canonical order (:func:`_canonical`), and
  :func:`_gmm_choice` the valid model with the lowest BIC at a k;
* :func:`_kmeans_batch` — the many k-means fits of the gap statistic's reference data sets and of
  the bootstrap resamples, run together (the same algorithm, about ten times faster);
* :func:`_log_w`, :func:`_log_w_rows`, :func:`_ari_rows`, :func:`_reference_sample`, :func:`_seeded`,
  :func:`_one_thread`.
"""
from __future__ import annotations

import hashlib

import numpy as np
from threadpoolctl import ThreadpoolController

from cityeval.errors import DataError

_N_INIT = 10

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


def _fit(x: np.ndarray, k: int, algorithm: str, seed: int, covariance_type: str = "auto",
         mixture_n_init: int = _N_INIT) -> np.ndarray:
    """Cluster labels 0..k-1 (as the algorithm numbers them) of the rows of ``x`` (memoised, see :func:`_memo`).

    A Gaussian mixture's labels come from a *valid* fit only (:func:`_gmm_choice`): with
    ``covariance_type="auto"`` the valid model with the lowest BIC at this k; a named model that is not
    valid, or no valid model at all, raises a DataError saying why.
    """
    if algorithm == "gmm" and k > 1:
        chosen = _gmm_choice(x, k, seed, covariance_type, mixture_n_init)
        return chosen["labels"].copy()
    return _memo(("fit", k, algorithm, seed), x, lambda: _fit_uncached(x, k, algorithm, seed)).copy()


#: Results of the deterministic full-data fits, keyed by the data and every argument (see :func:`_memo`).
_MEMO: dict = {}
_MEMO_SIZE = 256   # a panel's mixtures alone are 4 models x 6 ks


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


#: scikit-learn's ``reg_covar``: added to the diagonal of every component covariance.
REG_COVAR = 1e-6
#: Smallest eigenvalue of a component covariance below which it counts as singular: within a factor 10 of
#: ``REG_COVAR``, i.e. held positive definite by the regularisation, not by the data.
SINGULAR_TOL = 10 * REG_COVAR


def _min_members(covariance_type: str, d: int) -> int:
    """Cities a component needs for its covariance to be estimable from its own members.

    ``"full"``: d + 1 (the sample covariance of m points in d dimensions has rank at most m - 1, so
    fewer than d + 1 members leave it singular); ``"diag"`` and ``"spherical"``: 2 (a variance needs two
    points); ``"tied"``: 2 (the covariance is pooled over all components; a one-city component is a point,
    not a group).
    """
    return d + 1 if covariance_type == "full" else 2


#: EM's stopping rule for every Gaussian mixture here: the change of the mean log-likelihood per city below ``GMM_TOL``
#: (scikit-learn's criterion; its default 1e-3 stops many fits of 100 cities early), within ``GMM_MAX_ITER`` steps.
GMM_TOL = 1e-8
GMM_MAX_ITER = 100_000


def _canonical(x: np.ndarray) -> np.ndarray:
    """The row order that sorts ``x`` lexicographically (first column first): the same matrix for any order of the
    same rows (rows that are equal are interchangeable), so a fit of ``x[order]`` does not depend on the row order."""
    return np.lexsort(x.T[::-1])


def _start_seeds(seed: int, n_init: int) -> list[int]:
    """``random_state`` of each EM start (k-means initialisation, scikit-learn's default), from ``seed``."""
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(n_init)]


def _ward_start(xs: np.ndarray, k: int, covariance_type: str) -> dict:
    """The deterministic EM start of a mixture (as mclust starts from a hierarchical partition): the weights, means and
    precisions of the Ward partition of ``xs`` into k groups (scikit-learn's ``AgglomerativeClustering`` and its
    M-step ``_estimate_gaussian_parameters`` with :data:`REG_COVAR`), as ``GaussianMixture``'s ``*_init`` arguments."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters

    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(xs)
    resp = np.eye(k)[labels]
    nk, means, cov = _estimate_gaussian_parameters(xs, resp, REG_COVAR, covariance_type)
    prec = np.linalg.inv(cov) if covariance_type in ("full", "tied") else 1.0 / cov
    return {"weights_init": nk / nk.sum(), "means_init": means, "precisions_init": prec}


def _gmm_checks(gm, xs: np.ndarray, k: int, covariance_type: str, need: int) -> dict:
    """The validity checks of one fitted start (on the sorted data ``xs``)."""
    n, d = xs.shape
    labels = gm.predict(xs)
    sizes = np.bincount(labels, minlength=k)
    cov = gm.covariances_
    if covariance_type == "full":
        eig = np.array([np.linalg.eigvalsh(c).min() for c in cov])
        logdet = np.array([np.linalg.slogdet(c)[1] for c in cov])
    elif covariance_type == "tied":
        eig = np.array([np.linalg.eigvalsh(cov).min()])
        logdet = np.array([np.linalg.slogdet(cov)[1]])
    elif covariance_type == "diag":
        eig, logdet = cov.min(axis=1), np.log(cov).sum(axis=1)
    else:
        eig, logdet = cov, d * np.log(cov)
    min_eig = float(eig.min())
    reasons = []
    small = [(j + 1, int(m)) for j, m in enumerate(sizes) if m < need]
    if small:
        why = (f"fewer than the d + 1 = {need} a full covariance in {d} dimensions needs" if covariance_type == "full"
               else "fewer than the 2 a component needs")
        reasons.append(", ".join(f"component {j} holds {m} {'city' if m == 1 else 'cities'}" for j, m in small)
                       + f" ({why})")
    if min_eig < SINGULAR_TOL:
        reasons.append(f"a singular covariance (smallest eigenvalue {min_eig:.1e}, below {SINGULAR_TOL:g}: held up by "
                       f"the regularisation {REG_COVAR:g}; log-det {float(logdet.min()):.1f})")
    if not gm.converged_:
        reasons.append(f"EM did not reach the tolerance {GMM_TOL:g} in {gm.max_iter} iterations")
    return {"bic": float(gm.bic(xs)), "log_likelihood": float(gm.score(xs) * n), "n_parameters": int(gm._n_parameters()),
            "sizes": tuple(int(m) for m in sizes), "min_eigenvalue": min_eig, "min_log_det": float(logdet.min()),
            "converged": bool(gm.converged_), "n_iter": int(gm.n_iter_), "valid": not reasons,
            "reason": "; ".join(reasons), "labels": labels}


def _gmm(x: np.ndarray, k: int, seed: int, covariance_type: str, n_init: int = _N_INIT) -> dict:
    """One Gaussian mixture fitted to ``x`` and the checks of its validity (memoised, see :func:`_memo`).

    The rows are put in a canonical order first (:func:`_canonical`) and the labels mapped back, so the fit does not
    depend on the order of the cities. Each of the ``n_init`` EM starts (the first the Ward partition,
    :func:`_ward_start`; the others scikit-learn's k-means initialisation with the seeds of :func:`_start_seeds`) is run to :data:`GMM_TOL` and checked on its own; the valid start with the highest
    likelihood is kept, and only when no start is valid the best start is returned with its reasons. With k = 1 one
    start is fitted (the fit does not depend on the start).

    Returns a dict: ``k``, ``covariance_type``, ``bic``, ``log_likelihood`` (total), ``n_parameters``,
    ``sizes`` (cities whose most probable component it is, per component), ``min_members``,
    ``min_eigenvalue`` (smallest eigenvalue of any component covariance), ``min_log_det`` (smallest log-determinant
    of a component covariance), ``converged`` (reached :data:`GMM_TOL`), ``n_iter``, ``valid``, ``reason`` ("" when
    valid; else every failed check of the best start, "; "-joined), ``labels`` (in the rows' own order), ``start``
    (index of the kept start: 0 the Ward start), ``start_seed`` (its ``random_state``; None for the Ward start), ``n_valid_starts``, ``order`` (the canonical
    row order the fit used) and ``params`` (weights, means, precisions of the kept fit, in that order's frame).
    """
    def fit():
        from sklearn.mixture import GaussianMixture

        n, d = x.shape
        order = _canonical(x)
        xs = np.ascontiguousarray(x[order])
        need = _min_members(covariance_type, d)
        n_starts = 1 if k == 1 else n_init
        base = {"k": k, "covariance_type": covariance_type, "min_members": need, "n_init": n_starts, "order": order}
        starts = []
        for i, s in enumerate([None] + _start_seeds(seed, n_starts - 1)):
            try:
                init = _ward_start(xs, k, covariance_type) if s is None and k > 1 else {}
                gm = GaussianMixture(n_components=k, covariance_type=covariance_type, n_init=1, reg_covar=REG_COVAR,
                                     tol=GMM_TOL, max_iter=GMM_MAX_ITER, random_state=0 if s is None else s,
                                     **init).fit(xs)
            except ValueError as exc:  # fewer cities than components
                return {**base, "bic": np.nan, "log_likelihood": np.nan, "n_parameters": None, "sizes": (),
                        "min_eigenvalue": np.nan, "min_log_det": np.nan, "converged": False, "n_iter": 0,
                        "valid": False, "reason": "could not be fitted: " + str(exc).split("\n")[0], "labels": None,
                        "start": None, "start_seed": None, "n_valid_starts": 0, "params": None}
            starts.append((i, s, gm, _gmm_checks(gm, xs, k, covariance_type, need)))
        valid = [t for t in starts if t[3]["valid"]]
        pool = valid or starts
        i, s, gm, best = max(pool, key=lambda t: (t[3]["log_likelihood"], -t[0]))
        labels = np.empty(n, dtype=best["labels"].dtype)
        labels[order] = best["labels"]
        return {**base, **best, "labels": labels, "start": i, "start_seed": s, "n_valid_starts": len(valid),
                "params": (gm.weights_, gm.means_, gm.precisions_)}
    return _memo(("gmm", k, seed, covariance_type, n_init if k > 1 else 1), x, fit)


#: The covariance models of the Gaussian mixture, in the order a tie in BIC is broken (scikit-learn's names).
_MODELS = ("full", "tied", "diag", "spherical")


def _gmm_choice(x: np.ndarray, k: int, seed: int, covariance_type: str, n_init: int = _N_INIT,
                strict: bool = True) -> dict | None:
    """The mixture fit behind a ``covariance_type`` at ``k``: the named model's fit, or with ``"auto"`` the valid
    model with the lowest BIC (:func:`_gmm`). An invalid named fit or no valid model: a DataError naming why
    (``strict``), else None."""
    models = _MODELS if covariance_type == "auto" else (covariance_type,)
    fits = [_gmm(x, k, seed, m, n_init) for m in models]
    valid = [f for f in fits if f["valid"]]
    if valid:
        return min(valid, key=lambda f: f["bic"])
    if not strict:
        return None
    why = "; ".join(f"{f['covariance_type']}: {f['reason']}" for f in fits)
    raise DataError(None, f"no valid Gaussian mixture with {k} components ({why}); use fewer clusters, "
                    "another covariance_type or another algorithm")


def _fit_uncached(x: np.ndarray, k: int, algorithm: str, seed: int, covariance_type: str = "full",
                  mixture_n_init: int = _N_INIT) -> np.ndarray:
    """Labels of one fit without validity checks: the data themselves for k-means and Ward (through :func:`_fit`),
    a gap statistic's reference data set or a bootstrap resample for any algorithm (``covariance_type`` a
    model, not ``"auto"``: the model chosen on the data themselves; ``mixture_n_init`` EM starts)."""
    if k == 1:
        return np.zeros(len(x), dtype=int)
    if algorithm == "kmeans":
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=_N_INIT, random_state=seed).fit_predict(x)
    if algorithm == "ward":
        from sklearn.cluster import AgglomerativeClustering

        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)
    from sklearn.mixture import GaussianMixture

    order = _canonical(x)
    try:
        gm = GaussianMixture(n_components=k, covariance_type=covariance_type, n_init=mixture_n_init, tol=GMM_TOL,
                             max_iter=GMM_MAX_ITER, random_state=seed).fit(x[order])
    except ValueError as exc:  # ill-defined covariance: too few points per component
        raise DataError(None, f"the Gaussian mixture with {k} components and {covariance_type!r} covariance "
                        "could not be fitted (too few cities per component); use fewer clusters, "
                        "covariance_type='diag' or another algorithm", detail=str(exc).split("\n")[0]) from None
    labels = np.empty(len(x), dtype=np.intp)
    labels[order] = gm.predict(x[order])
    return labels


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

