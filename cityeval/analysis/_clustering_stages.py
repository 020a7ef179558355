"""Clustering the cities into stages, and describing the stages: the core of :mod:`cityeval.analysis.clustering`.

:func:`cluster`, :func:`stage_names`, :func:`check_algorithm`, :func:`stage_profile`,
:func:`stage_gaps`, :func:`leaders_first` and :func:`principal_scores`, with the checks every
function of the clustering modules applies to its data (:func:`_prepare`, :func:`_check_k`).
Re-exported by :mod:`cityeval.analysis.clustering`; import from there.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_frame, check_integer, check_seed

from cityeval.analysis._clustering_engine import _fit, _one_thread
from cityeval.composite.normalization import zscore_columns

__all__ = ["STAGES", "ALGORITHMS", "COVARIANCE_TYPES", "COVARIANCE_CHOICES", "check_algorithm", "stage_names", "cluster", "dimension_skewness",
           "stage_profile",
           "stage_gaps", "leaders_first", "principal_scores"]

#: The report's three stages, lowest first: (Chinese name, English translation).
STAGES = (("能力搭建", "capability building"), ("效能驱动", "efficiency driven"),
          ("创新发展", "innovative development"))

#: Clustering algorithms :func:`cluster` accepts.
ALGORITHMS = ("kmeans", "ward", "gmm")

#: Covariance structures of the Gaussian mixture (scikit-learn's names; mclust's VVV, EEE, VVI and VII).
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
#: What a ``covariance_type`` argument accepts: a model, or ``"auto"``, the valid model with the lowest BIC.
COVARIANCE_CHOICES = ("auto",) + COVARIANCE_TYPES


# --------------------------------------------------------------------------- checks


def _values(frame, name: str = "frame") -> np.ndarray:
    """Float values of ``frame`` (:func:`cityeval.validation.check_frame`): a ParameterError for anything but a
    DataFrame of at least 2 rows and 1 column; a DataError for a repeated city, a non-numeric column, a
    missing or infinite score (naming the column and the city)."""
    return check_frame(frame, name=name, rows="unit", columns="dimension score", min_rows=2, complete=True,
                       unique_index=True, why="clustering has no missing-value rule: impute first")


def _prepare(frame, standardize) -> np.ndarray:
    x = _values(frame)
    if check_bool("standardize", standardize):
        # population sd (ddof=0); a column with sd <= 1e-12 of its size is constant and becomes zeros
        x = zscore_columns(x, ddof=0, tol=1e-12)[0]
    return x


def _check_k(k, x, lo=2, name="k"):
    n = x.shape[0]
    k = check_integer(name, k, low=lo, high=n,
                      allowed=f"a whole number between {lo} and {n} (the number of cities is {n})")
    distinct = len(np.unique(x, axis=0))
    if k > distinct:
        raise ParameterError(name, f"at most {distinct}, the number of distinct rows (cities with different "
                             "scores); more clusters than distinct points are not defined", k)
    return k


def _check_labels(labels, frame, name="labels") -> pd.Series:
    """``labels`` aligned on ``frame``'s cities; raises on a mismatch or a missing label."""
    if not isinstance(labels, pd.Series):
        raise ParameterError(name, "a pandas Series of cluster numbers indexed by city", Shown(type(labels).__name__))
    missing = frame.index.difference(labels.index)
    extra = labels.index.difference(frame.index)
    if len(missing) or len(extra):
        what = (f"{len(missing)} cities of the frame without a label (e.g. {missing[0]!r})" if len(missing)
                else f"{len(extra)} labelled cities not in the frame (e.g. {extra[0]!r})")
        raise ParameterError(name, "a label for exactly the cities of the frame", Shown(what))
    lab = labels.reindex(frame.index)
    if lab.isna().any():
        raise ParameterError(name, "a cluster number for every city",
                             Shown(f"missing for {lab.index[lab.isna()][0]!r}"))
    return lab


def _order_values(frame: pd.DataFrame, x_raw: np.ndarray, order_by) -> np.ndarray:
    """The score per city that numbers the clusters: ``order_by`` aligned on the frame's cities, or the row mean."""
    if order_by is None:
        return x_raw.mean(axis=1)
    if not isinstance(order_by, pd.Series):
        raise ParameterError("order_by", "a pandas Series of scores indexed by city", Shown(type(order_by).__name__))
    missing = frame.index.difference(order_by.index)
    if len(missing):
        raise ParameterError("order_by", "a score for every city of the frame",
                             Shown(f"missing for {len(missing)} cities, e.g. {missing[0]!r}"))
    order_values = pd.to_numeric(order_by.reindex(frame.index), errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(order_values).all():
        bad = frame.index[~np.isfinite(order_values)][0]
        raise DataError(None, "order_by: the composite must be a finite number for every city",
                        detail=f"{order_by.get(bad)!r} for {bad!r}")
    return order_values


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

    Examples
    --------
    >>> check_algorithm("ward")
    'ward'
    """
    return check_choice("algorithm", algorithm, ALGORITHMS)


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
    k = check_integer("k", k, low=1)
    check_choice("lang", lang, ("en", "zh"))
    if k == 3:
        return [zh if lang == "zh" else en for zh, en in STAGES]
    if k == 1:
        return ["cluster 1"]
    return [f"cluster {i}" + (" (lowest)" if i == 1 else " (highest)" if i == k else "") for i in range(1, k + 1)]


def cluster(frame: pd.DataFrame, *, k: int = 3, algorithm: str = "kmeans", seed: int = 0,
            standardize: bool = True, order_by: pd.Series | None = None,
            covariance_type: str = "auto") -> pd.Series:
    """Cluster the cities on their dimension scores; number clusters by increasing composite.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        One row per city (the index), one numeric column per dimension; no missing values.
    k : int, default 3
        Number of clusters, between 2 and the number of distinct rows.
    algorithm : {"kmeans", "ward", "gmm"}, default "kmeans"
        scikit-learn's ``KMeans`` (``n_init=10``), ``AgglomerativeClustering`` with Ward
        linkage, or ``GaussianMixture`` (``n_init=10``; a city goes to its most probable component;
        only a valid fit is used, see :func:`mixture_fits`).
    seed : int, default 0
        ``random_state`` of k-means and of the mixture (Ward does not use it).
    standardize : bool, default True
        z-score each column before clustering (see the module notes).
    order_by : pandas.Series, optional
        A score per city (e.g. the composite), indexed by city; clusters are numbered
        1..k by increasing mean of it. Default: the row mean of ``frame`` (the composite
        of equally weighted dimensions), on the original scale.
    covariance_type : {"auto", "full", "tied", "diag", "spherical"}, default "auto"
        Covariance structure of the Gaussian mixture (ignored by the other algorithms): ``"auto"``
        takes, among the four models, the valid fit with the lowest BIC at this ``k``
        (:func:`best_mixture`); a named model is used only if its fit is valid.

    Returns
    -------
    pandas.Series of int, name ``"stage"``
        Indexed like ``frame`` (same cities, same order): 1 = the cluster with the lowest
        mean ``order_by``, k = the highest. (A valid Gaussian-mixture fit has no empty
        component, so the labels are always 1..k.)

    Raises
    ------
    ParameterError
        ``k`` below 2 or above the number of (distinct) cities, an unknown ``algorithm``
        (the message lists the valid ones), a bad ``seed``, ``order_by`` missing a city.
    DataError
        A missing, infinite or non-numeric score, duplicate cities, an ``order_by`` that is not
        finite for every city; a Gaussian mixture with no valid fit (the message says why each
        model was rejected: a component of too few cities, a singular covariance, no convergence).

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
    check_choice("algorithm", algorithm, ALGORITHMS)
    check_choice("covariance_type", covariance_type, COVARIANCE_CHOICES)
    seed = check_seed(seed)
    order_values = _order_values(frame, _values(frame), order_by)
    with _one_thread():
        raw = _fit(x, k, algorithm, seed, covariance_type)
    return pd.Series(_ordered(raw, order_values), index=frame.index, name="stage")



# --------------------------------------------------------------------------- profiles


def dimension_skewness(frame: pd.DataFrame, *, names=None) -> pd.Series:
    """Skewness of each dimension over the cities (:func:`scipy.stats.skew`, the biased sample estimator
    g1 = m3 / m2**1.5; 0 for a symmetric distribution), indexed by ``names`` (one per column, e.g. the English
    names) or else by the columns. ``frame`` is checked as in :func:`cluster`.

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [0.0, 0.0, 0.0, 1.0], "B": [1.0, 2.0, 3.0, 4.0]}, index=list("abcd"))
    >>> dimension_skewness(frame, names=["a", "b"]).round(6).to_dict()   # A: m2 = 3/16, m3 = 3/32 -> 2/sqrt(3)
    {'a': 1.154701, 'b': 0.0}
    """
    from scipy import stats

    x = _values(frame)
    index = list(frame.columns) if names is None else list(names)
    if len(index) != x.shape[1]:
        raise ParameterError("names", f"{x.shape[1]} names, one per column of frame", Shown(f"{len(index)} names"))
    return pd.Series(stats.skew(x, axis=0), index=index)


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
    _values(frame)
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

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [0.0, 2.0, 4.0, 6.0]}, index=list("abcd"))
    >>> gaps = stage_gaps(frame, pd.Series([1, 1, 2, 2], index=list("abcd")))
    >>> round(float(gaps.loc[1, "A"]), 4)   # (1 - 5) / sd(0, 2, 4, 6) = -4 / sqrt(20/3)
    -1.5492
    """
    x = _values(frame)
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

    Examples
    --------
    >>> gaps = pd.DataFrame({"INF": [-0.2, 0.0], "GOV": [-0.3, 0.0], "TEC": [-2.0, 0.0]},
    ...                     index=pd.Index([1, 2], name="stage"))
    >>> out = leaders_first(gaps, ["INF", "GOV"])   # INF and GOV lag least in stage 1
    >>> out.loc[1, "closest"], bool(out.loc[1, "leaders_closest"])
    (['INF', 'GOV'], True)
    """
    check_frame(gaps, name="gaps", rows="stage", columns="dimension gap", min_rows=2, complete=True,
                why="from stage_gaps")
    leaders = [leaders] if isinstance(leaders, str) else list(leaders)
    unknown = [d for d in leaders if d not in gaps.columns]
    if unknown or not leaders:
        raise ParameterError("leaders", f"dimensions among {list(gaps.columns)}", unknown or leaders)
    if reference is None:
        reference = gaps.index.max()
    elif reference not in gaps.index:
        raise ParameterError("reference", f"one of the stages {list(gaps.index)}", reference)
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

    Examples
    --------
    >>> t = np.linspace(0, 1, 5)
    >>> pcs = principal_scores(pd.DataFrame({"a": t, "b": 2 * t}, index=list("vwxyz")))
    >>> [round(v, 12) for v in pcs.attrs["explained_variance_ratio"]]   # points on a line: one component
    [1.0, 0.0]
    """
    x = _prepare(frame, standardize)
    m = check_integer("n_components", n_components, low=1, high=min(x.shape),
                      allowed=f"a whole number between 1 and {min(x.shape)} (at most min(cities, dimensions))")
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


