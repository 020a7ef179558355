"""How many clusters? The evidence for k and the verdict on it; re-exported by :mod:`cityeval.analysis.clustering`.

:func:`choose_k` (silhouette, gap statistic, Gaussian-mixture BIC per k), :func:`best_k` (what
each criterion picks, a :class:`KChoice`) and :func:`support_for_k` (the stated verdict, a
:class:`KSupport`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_seed

from cityeval.analysis._clustering_engine import (_N_INIT, _fit, _fit_uncached, _gmm_choice, _kmeans_batch, _log_w,
                                                  _log_w_rows, _one_thread, _reference_sample, _seeded)
from cityeval.analysis._clustering_stability import Stability, StabilitySummary
from cityeval.analysis._clustering_stages import ALGORITHMS, COVARIANCE_CHOICES, _prepare

__all__ = ["candidate_ks", "choose_k", "best_k", "KChoice", "support_for_k", "KSupport", "REFERENCES",
           "SILHOUETTE_WEAK", "SILHOUETTE_REASONABLE", "SILHOUETTE_STRONG", "ARI_MIN", "silhouette_band"]

#: Null distributions of the gap statistic :func:`choose_k` offers.
REFERENCES = ("pca", "uniform")

#: :func:`support_for_k`'s default thresholds: Kaufman & Rousseeuw's silhouette bands (at most 0.25: no
#: substantial structure; above 0.5: reasonable) and the mean bootstrap ARI regarded as stable (Hennig's 0.75).
SILHOUETTE_WEAK, SILHOUETTE_REASONABLE, ARI_MIN = 0.25, 0.5, 0.75
#: Above it Kaufman & Rousseeuw speak of a strong structure.
SILHOUETTE_STRONG = 0.7

#: Kaufman & Rousseeuw's (1990) bands of a mean silhouette, from the top: (exclusive lower bound, name, range).
_SILHOUETTE_BANDS = ((SILHOUETTE_STRONG, "strong structure", "0.71-1.00"),
                     (SILHOUETTE_REASONABLE, "reasonable structure", "0.51-0.70"),
                     (SILHOUETTE_WEAK, "weak structure, could be artificial", "0.26-0.50"),
                     (-np.inf, "no substantial structure", "<= 0.25"))


def silhouette_band(value: float, *, with_range: bool = False) -> str:
    """Kaufman & Rousseeuw's name for a mean silhouette.

    Above 0.70 "strong structure", above 0.50 "reasonable structure", above 0.25 "weak structure,
    could be artificial", else "no substantial structure" (their table gives the bands as 0.71–1.00,
    0.51–0.70, 0.26–0.50 and <= 0.25; a value between, such as 0.255, goes to the band below).

    Parameters
    ----------
    value : float
        A mean silhouette, in [-1, 1].
    with_range : bool, default False
        Add the band's range: ``'no substantial structure (<= 0.25)'``.

    References
    ----------
    Kaufman, L. & Rousseeuw, P. J. (1990). *Finding Groups in Data: An Introduction to Cluster Analysis*.
    Wiley, ch. 2 (the interpretation of the silhouette coefficient).

    Examples
    --------
    >>> silhouette_band(0.22), silhouette_band(0.26), silhouette_band(0.71, with_range=True)
    ('no substantial structure', 'weak structure, could be artificial', 'strong structure (0.71-1.00)')
    """
    value = check_number("value", value, low=-1, high=1)
    _, name, span = next(band for band in _SILHOUETTE_BANDS if value > band[0])   # the last bound is -inf
    return f"{name} ({span})" if with_range else name


def _evidence_row(x, refs, k, algorithm, seed, covariance_type, mixture_n_init) -> dict:
    """One row of :func:`choose_k`'s table; ``refs`` is the (B, n, d) stack of reference data sets."""
    from sklearn.metrics import silhouette_score

    mixture = _gmm_choice(x, k, seed, covariance_type, mixture_n_init, strict=False)
    bic = {"bic": mixture["bic"] if mixture else np.nan, "bic_model": mixture["covariance_type"] if mixture else None}
    if algorithm == "gmm" and k > 1:
        if mixture is None:   # no valid mixture at this k: no clustering to measure
            return {"silhouette": np.nan, "log_w": np.nan, "log_w_ref": np.nan, "gap": np.nan, "gap_se": np.nan,
                    **bic}
        labels, covariance_type = mixture["labels"], mixture["covariance_type"]
    else:
        labels = _fit(x, k, algorithm, seed)
    sil = float(silhouette_score(x, labels)) if 2 <= len(np.unique(labels)) <= len(x) - 1 else np.nan
    lw = _log_w(x, labels)
    if k == 1:
        lw_ref = _log_w_rows(refs, np.zeros(refs.shape[:2], dtype=np.intp), 1)
    elif algorithm == "kmeans":  # all references in one batched k-means (see _kmeans_batch)
        lw_ref = _log_w_rows(refs, _kmeans_batch(refs, k, _seeded(seed, 1, k)), k)
    else:   # a mixture's references are fitted with the model chosen on the data, with as many EM starts
        lw_ref = np.array([_log_w(r, _fit_uncached(r, k, algorithm, seed, covariance_type, mixture_n_init))
                           for r in refs])
    return {"silhouette": sil, "log_w": lw, "log_w_ref": float(lw_ref.mean()), "gap": float(lw_ref.mean() - lw),
            "gap_se": float(lw_ref.std(ddof=0) * np.sqrt(1 + 1 / len(refs))), **bic}


def candidate_ks(frame: pd.DataFrame, *, max_k: int = 6) -> list[int]:
    """The numbers of clusters to compare for ``frame``: 1 ... min(``max_k``, n_cities - 1).

    k = 1 is included so the gap statistic can answer "no clusters"; k stops at n_cities - 1 because a
    silhouette needs a cluster with two cities. ``frame`` is checked as in :func:`cluster`.

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [0.0, 1.0, 2.0, 3.0]}, index=list("abcd"))
    >>> candidate_ks(frame), candidate_ks(frame, max_k=2)
    ([1, 2, 3], [1, 2])
    """
    n = _prepare(frame, False).shape[0]
    max_k = check_integer("max_k", max_k, low=1)
    return list(range(1, min(max_k, n - 1) + 1))


def choose_k(frame: pd.DataFrame, ks=range(2, 7), *, algorithm: str = "kmeans", seed: int = 0, n_refs: int = 50,
             reference: str = "pca", standardize: bool = True, covariance_type: str = "auto",
             mixture_n_init: int = _N_INIT) -> pd.DataFrame:
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
    covariance_type : {"auto", "full", "tied", "diag", "spherical"}, default "auto"
        Of the Gaussian mixtures whose BIC is reported (and, with ``algorithm="gmm"``, clustered):
        ``"auto"`` the valid fit with the lowest BIC among the four models at each k (so the k the
        BIC picks is chosen jointly with the model, as mclust does); a named model only that one.
        Only a valid fit counts (:func:`mixture_fits`: no component of fewer cities than its
        covariance needs, no singular covariance, EM converged).
    mixture_n_init : int, default 10
        EM starts of each mixture: of the data's and, with ``algorithm="gmm"``, of every reference data set's.

    Returns
    -------
    pandas.DataFrame
        Index ``k``; columns ``silhouette`` (NaN for k = 1), ``log_w``, ``log_w_ref``
        (mean over the references), ``gap``, ``gap_se`` (:math:`s_k`), ``gap_rule``
        (True when :math:`\\mathrm{Gap}(k) \\ge \\mathrm{Gap}(k+1) - s_{k+1}`, None when
        k + 1 is not in ``ks``; None where either gap is NaN), ``bic`` (lower is better: the
        lowest BIC of a valid mixture at that k; NaN where no fit is valid) and ``bic_model``
        (its covariance model, None where none). With ``algorithm="gmm"`` a k without a valid
        mixture has no clustering: its silhouette and gap are NaN. :func:`best_k` reads the table.

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
    :math:`\\hat L`: :math:`-2 \\log \\hat L + p \\log n` (scikit-learn's ``bic``), of valid fits only:
    a component on fewer cities than its covariance needs has a singular covariance and an
    unbounded likelihood, and would win the BIC for the wrong reason (:func:`mixture_fits`).

    References
    ----------
    Tibshirani, R., Walther, G. & Hastie, T. (2001). Estimating the number of clusters in a
    data set via the gap statistic. *J. R. Stat. Soc. B* 63(2), 411–423.
    https://doi.org/10.1111/1467-9868.00293
    Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and validation
    of cluster analysis. *J. Comput. Appl. Math.* 20, 53–65. https://doi.org/10.1016/0377-0427(87)90125-7
    Schwarz, G. (1978). Estimating the dimension of a model. *Ann. Statist.* 6(2), 461–464.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> evidence = choose_k(frame, [1, 2, 3, 4], n_refs=5, reference="uniform")
    >>> best_k(evidence).silhouette, list(evidence.index)
    (3, [1, 2, 3, 4])
    """
    x = _prepare(frame, standardize)
    check_choice("algorithm", algorithm, ALGORITHMS)
    check_choice("reference", reference, REFERENCES)
    check_choice("covariance_type", covariance_type, COVARIANCE_CHOICES)
    seed = check_seed(seed)
    n_refs = check_integer("n_refs", n_refs, low=2)
    mixture_n_init = check_integer("mixture_n_init", mixture_n_init, low=1)
    if isinstance(ks, (str, bytes)) or not np.iterable(ks):
        raise ParameterError("ks", "an iterable of whole numbers such as range(2, 7)", ks)
    distinct = len(np.unique(x, axis=0))
    hi = min(len(x) - 1, distinct)
    # silhouette and W_k > 0 need k <= n - 1; more clusters than distinct rows are undefined
    ks = sorted({check_integer("ks", k, low=1, high=hi,
                               allowed=f"whole numbers between 1 and {hi} (the number of cities minus 1 is "
                                       f"{len(x) - 1}, of distinct rows {distinct})") for k in ks})
    if not ks:
        raise ParameterError("ks", "at least one number of clusters", Shown("none"))
    rng = np.random.default_rng(seed)
    refs = np.stack([_reference_sample(x, rng, reference) for _ in range(n_refs)])
    with _one_thread():
        rows = {k: _evidence_row(x, refs, k, algorithm, seed, covariance_type, mixture_n_init) for k in ks}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["bic_model"] = pd.Series([rows[k]["bic_model"] for k in out.index], index=out.index, dtype=object)
    rule = []
    for k in out.index:
        if k + 1 in out.index and np.isfinite([out.at[k, "gap"], out.at[k + 1, "gap"]]).all():
            rule.append(bool(out.at[k, "gap"] >= out.at[k + 1, "gap"] - out.at[k + 1, "gap_se"]))
        else:
            rule.append(None)
    out.insert(out.columns.get_loc("gap_se") + 1, "gap_rule", pd.Series(rule, index=out.index, dtype=object))
    out.index.name = "k"
    return out




@dataclass(frozen=True)
class KChoice:
    """Result of :func:`best_k`: the k each criterion picks (``None`` where it picks none in the table)."""

    silhouette: int | None
    gap: int | None
    bic: int | None


def best_k(evidence: pd.DataFrame) -> KChoice:
    """The k each criterion of a :func:`choose_k` table picks.

    Parameters
    ----------
    evidence : pandas.DataFrame
        From :func:`choose_k`.

    Returns
    -------
    KChoice
        ``silhouette``: the k with the largest mean silhouette (smallest k on a tie);
        ``gap``: the smallest k whose ``gap_rule`` holds (Tibshirani et al.), ``None``
        when none does in the table (the answer may lie beyond its largest k);
        ``bic``: the k with the smallest BIC. ``None`` where the column is all NaN.

    Examples
    --------
    >>> ev = pd.DataFrame({"silhouette": [np.nan, 0.3, 0.5], "gap_rule": [False, True, None],
    ...                    "bic": [9.0, 5.0, 7.0]}, index=pd.Index([1, 2, 3], name="k"))
    >>> best_k(ev)
    KChoice(silhouette=3, gap=2, bic=2)
    """
    need = {"silhouette", "gap_rule", "bic"}
    if not isinstance(evidence, pd.DataFrame) or not need <= set(evidence.columns):
        raise ParameterError("evidence", "the DataFrame returned by choose_k", Shown(type(evidence).__name__))
    sil = evidence["silhouette"].astype(float)
    bic = evidence["bic"].astype(float)
    rule = [k for k, r in evidence["gap_rule"].items() if r is True or r is np.True_]
    return KChoice(silhouette=int(sil.idxmax()) if sil.notna().any() else None,
                   gap=int(rule[0]) if rule else None,
                   bic=int(bic.idxmin()) if bic.notna().any() else None)


@dataclass(frozen=True)
class KSupport:
    """Result of :func:`support_for_k`.

    Attributes
    ----------
    k : int
    supported : bool or None
        True, False, or None (inconclusive, or not assessed).
    reason : str
        One sentence.
    votes : dict or None
        Which of silhouette, gap and BIC pick ``k``.
    picked : KChoice or None
        What each criterion picks (:func:`best_k`).
    silhouette_at_k, mean_ari : float or None
        The mean silhouette at ``k`` and the mean bootstrap ARI.
    """

    k: int
    supported: bool | None
    reason: str
    votes: dict | None
    picked: KChoice | None
    silhouette_at_k: float | None
    mean_ari: float | None


_CRITERIA = ("silhouette", "gap", "bic")


def support_for_k(evidence: pd.DataFrame, stability, *, k: int = 3, silhouette_weak: float = SILHOUETTE_WEAK,
                  silhouette_reasonable: float = SILHOUETTE_REASONABLE, ari_min: float = ARI_MIN) -> KSupport:
    """Do the evidence table and the bootstrap say the data have ``k`` clusters?

    Parameters
    ----------
    evidence : pandas.DataFrame
        From :func:`choose_k`; must contain the row ``k``.
    stability : Stability or StabilitySummary
        :func:`bootstrap_stability` run with this ``k`` (or its ``summary``).
    k : int, default 3
    silhouette_weak, silhouette_reasonable : float, default 0.25 and 0.5
        Kaufman & Rousseeuw's bands of the mean silhouette: <= 0.25 "no substantial
        structure", 0.26–0.50 "weak and could be artificial", 0.51–0.70 "reasonable".
    ari_min : float, default 0.75
        Mean bootstrap ARI regarded as stable. A convention, not a test: it borrows
        Hennig's (2007) 0.75 threshold for cluster-wise Jaccard stability.

    Returns
    -------
    KSupport
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

    Examples
    --------
    >>> from cityeval.analysis.clustering import StabilitySummary
    >>> ev = pd.DataFrame({"silhouette": [np.nan, 0.2, 0.6, 0.4], "gap_rule": [False, False, True, None],
    ...                    "bic": [9.0, 9.0, 1.0, 9.0]}, index=pd.Index([1, 2, 3, 4], name="k"))
    >>> stable = StabilitySummary(k=3, algorithm="kmeans", n_boot=100, mean=0.9, median=0.9, q05=0.8, q95=1.0)
    >>> support_for_k(ev, stable, k=3).supported
    True
    """
    picked = best_k(evidence)
    k = check_integer("k", k, low=2)
    silhouette_weak = check_number("silhouette_weak", silhouette_weak, low=-1, high=1)
    silhouette_reasonable = check_number("silhouette_reasonable", silhouette_reasonable, low=-1, high=1)
    ari_min = check_number("ari_min", ari_min, low=-1, high=1)
    if k not in evidence.index:
        raise ParameterError("k", f"a k of the evidence table ({list(evidence.index)})", k)
    if isinstance(stability, Stability):
        stability = stability.summary
    if not isinstance(stability, StabilitySummary):
        raise ParameterError("stability", "the result of bootstrap_stability (or its summary)",
                             Shown(type(stability).__name__))
    if stability.k != k:
        raise ParameterError("stability", f"a bootstrap summary for k = {k}", Shown(f"k = {stability.k}"))
    sil = float(evidence.at[k, "silhouette"])
    ari = float(stability.mean)
    votes = {name: getattr(picked, name) == k for name in _CRITERIA}
    n_votes = sum(votes.values())
    picks = ", ".join(f"{name} {'k = ' + str(v) if v is not None else 'no k in the table'}"
                      for name, v in ((name, getattr(picked, name)) for name in _CRITERIA))
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
                  f"(Kaufman & Rousseeuw: {silhouette_band(sil)}; reasonable structure needs > "
                  f"{silhouette_reasonable}), mean bootstrap ARI {ari:.2f} (stable needs >= {ari_min})")
    return KSupport(k=k, supported=supported, reason=reason, votes=votes, picked=picked, silhouette_at_k=sil,
                    mean_ari=ari)
