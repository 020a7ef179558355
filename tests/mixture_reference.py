"""An independent reference for the starts of cityeval's Gaussian-mixture fits (notebook 03), shared by the tests
that refit them with scikit-learn: the Ward partition's weights, means and precisions, written from the
definitions (each covariance the members' scatter / n_j, ddof 0, plus scikit-learn's default reg_covar 1e-6)."""
from __future__ import annotations

import numpy as np


def ward_init(xs, k, model):
    """``weights_init``, ``means_init`` and ``precisions_init`` of the Ward partition of ``xs`` into ``k`` for
    covariance ``model`` (full, tied, diag, spherical), as keyword arguments of ``GaussianMixture``."""
    from sklearn.cluster import AgglomerativeClustering

    lab = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(xs)
    n, d = xs.shape
    w = np.bincount(lab, minlength=k) / n
    mu = np.array([xs[lab == j].mean(0) for j in range(k)])
    scat = [(xs[lab == j] - mu[j]).T @ (xs[lab == j] - mu[j]) for j in range(k)]
    covs = np.array([sc / (lab == j).sum() for j, sc in enumerate(scat)])
    if model == "full":
        prec = np.array([np.linalg.inv(c + 1e-6 * np.eye(d)) for c in covs])
    elif model == "tied":
        prec = np.linalg.inv(sum(scat) / n + 1e-6 * np.eye(d))
    elif model == "diag":
        prec = 1.0 / (np.array([np.diag(c) for c in covs]) + 1e-6)
    else:
        prec = 1.0 / (np.array([np.diag(c).mean() for c in covs]) + 1e-6)
    return {"weights_init": w, "means_init": mu, "precisions_init": prec}
