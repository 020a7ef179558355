"""What notebook 03's headline numbers rest on, as ``results["assumptions"]``; used by :func:`stage_findings`.

Each key is a dotted path into notebook 03's results file, each value the plain sentences the number or
conclusion at that path rests on. They are written here, next to the statistics, so that a change of
method changes them in one place.
"""
from __future__ import annotations

from cityeval.validation import check_bool, check_integer

from cityeval.analysis._clustering_choice import ARI_MIN, SILHOUETTE_REASONABLE, SILHOUETTE_WEAK
from cityeval.analysis._clustering_engine import _N_INIT, GMM_MAX_ITER, GMM_TOL, SINGULAR_TOL
from cityeval.analysis._clustering_ensemble import (ENSEMBLE_MIXTURE_N_INIT, ENSEMBLE_N_BOOT, ENSEMBLE_N_REFS,
                                                    ENSEMBLE_N_SIM)
from cityeval.analysis._clustering_structure import BAND_SHARE

__all__ = ["stage_assumptions", "ASSUMPTION_PATHS"]

#: The results paths :func:`stage_assumptions` names (``profile.leaders_first`` only when it was assessed).
ASSUMPTION_PATHS = ("clusterability", "k_evidence.best", "k_evidence.mixtures.choice", "stability",
                    "agreement_algorithms", "agreement_weightings", "bands", "profile.leaders_first",
                    "supports_three_stages_reason", "ensemble", "conclusions")


def stage_assumptions(*, algorithm: str, k: int, n: int, standardize: bool, leaders, synthetic: bool,
                      alpha: float = 0.05) -> dict:
    """Results path -> the assumptions the number or conclusion there rests on (plain sentences).

    Parameters
    ----------
    algorithm : str
        The notebook's clustering algorithm.
    k : int
        The notebook's number of clusters.
    n : int
        The number of cities clustered (the top n by composite).
    standardize : bool
        The dimensions were z-scored before clustering.
    leaders : LeadersCheck
        :func:`leaders_by_name` (``profile.leaders_first`` is named only when its table exists).
    synthetic : bool
        The data are the synthetic panel.
    alpha : float, default 0.05
        The clusterability check's family-wise level.

    Returns
    -------
    dict
        Keys among :data:`ASSUMPTION_PATHS`, values non-empty lists of sentences.

    Examples
    --------
    >>> from cityeval.analysis.clustering import LeadersCheck
    >>> a = stage_assumptions(algorithm="kmeans", k=3, n=100, standardize=True, leaders=LeadersCheck([], None, ""),
    ...                       synthetic=True)
    >>> "profile.leaders_first" in a, a["bands"][0]
    (False, 'The stages are numbered and banded by the mean of the composite the dataset itself computes.')
    """
    k, n = check_integer("k", k, low=1), check_integer("n", n, low=1)
    standardize, synthetic = check_bool("standardize", standardize), check_bool("synthetic", synthetic)
    space = ("Euclidean distances on z-scored dimensions: every dimension counts equally, whatever its weight in "
             "the composite." if standardize else
             "Euclidean distances on the raw dimension scores: a dimension with a larger spread counts more.")
    sample = (f"The clustered cities are the top {n} by composite, a selected head of all evaluated cities: structure "
              "(or its absence) within a truncated cloud says nothing about the structure of them all.")
    out = {
        "clusterability": [
            "The dip test sees only structure along the first principal component; groups separated along a "
            "minor axis do not show in it.",
            "The dip test's p-value is calibrated on the uniform distribution, the least favourable unimodal one, "
            "so it is conservative for other unimodal shapes; a non-rejection does not show unimodality.",
            "The dip of the pairwise distances is compared with Gaussian clouds of the cities' own means and "
            "covariances: a skewed or heavy-tailed single cloud can exceed them without being clustered.",
            f"Each of the two tests is made at alpha / 2 = {alpha / 2:g} (Bonferroni for {alpha:g}).",
            sample,
        ],
        "k_evidence.best": [
            space,
            f"Kaufman & Rousseeuw's silhouette bands (<= {SILHOUETTE_WEAK} no substantial structure, "
            f"> {SILHOUETTE_REASONABLE} reasonable) are conventions, not a test.",
            "The gap statistic's null is uniform scatter over a box (aligned with the principal components, or "
            "the data's ranges); the PCA-aligned box can stop at k = 1 for groups along one line.",
            "The BIC counts Gaussian components: a skewed or curved single cloud is fitted better by several.",
            "Only valid mixture fits count (every component the most probable one of at least d + 1 cities for a "
            f"full covariance, 2 otherwise; no covariance eigenvalue below {SINGULAR_TOL:g}, where only the "
            f"regularisation keeps it positive; EM converged to a tolerance of {GMM_TOL:g}), chosen jointly with "
            "the covariance model by BIC.",
        ],
        "k_evidence.mixtures.choice": [
            f"Each mixture is the best valid fit of {_N_INIT} EM starts (the Ward partition, then scikit-learn's "
            "k-means initialisation), each run until the mean log-likelihood per city changes by less than "
            f"{GMM_TOL:g} (at most {GMM_MAX_ITER} steps) and checked for validity on its own; the cities are put in "
            "a canonical order first, so the fit does not depend on their order; a start not tried can still "
            "reach another local optimum.",
            "A fit whose component rests on fewer cities than its covariance needs, or whose covariance is "
            "singular, is rejected: its likelihood is unbounded and its BIC says nothing about groups.",
            "scikit-learn's four covariance models (full, tied, diag, spherical) are compared; mclust's other "
            "constrained models are not.",
        ],
        "stability": [
            "A bootstrap resample of the cities stands for another sample from the same population.",
            "Each resample's clusters are carried to all cities by the nearest centroid, for every algorithm.",
            f"A mean ARI of {ARI_MIN} as 'stable' is a convention borrowed from Hennig's (2007) Jaccard threshold.",
        ],
        "agreement_algorithms": [
            f"The same k = {k} for k-means, Ward and the Gaussian mixture.",
            f"The Gaussian mixture's stages come from the valid covariance model with the lowest BIC at k = {k}.",
            space,
        ],
        "agreement_weightings": [
            f"The same cities (this panel's top {n} under its own method) are re-scored; every method choice but "
            "the weights is kept.",
        ],
        "bands": [
            "The stages are numbered and banded by the mean of the composite the dataset itself computes.",
            "The first principal component of the clustered coordinates stands for the composite's direction "
            "(their correlation is reported).",
            f"'Mostly bands' (both shares at least {BAND_SHARE}) is a convention, not a test.",
        ],
        "supports_three_stages_reason": [
            "The verdict rule (support_for_k) is a convention: supported needs two of silhouette, gap and BIC to "
            f"pick 3, a silhouette above {SILHOUETTE_REASONABLE} and a mean bootstrap ARI of at least {ARI_MIN}; "
            f"not supported when none picks 3 or the silhouette at 3 is at most {SILHOUETTE_WEAK}.",
            f"It is judged on {algorithm} at k = 3, whatever k the notebook clusters with.",
            space,
            sample,
        ],
        "ensemble": [
            "Every synthetic panel that reproduces the published ranks is taken as plausible as the nominal one; "
            "what varies between them is decided by the generator's assumptions, not by published data.",
            f"Per panel the gap statistic uses {ENSEMBLE_N_REFS} reference sets, the bootstrap {ENSEMBLE_N_BOOT} "
            f"resamples, each Gaussian mixture {ENSEMBLE_MIXTURE_N_INIT} EM start"
            f"{'' if ENSEMBLE_MIXTURE_N_INIT == 1 else 's'} (the Ward partition first; with one start the BIC's joint "
            "pick was the 10-start pick on 28 of 51 panels when measured) and the dip of the distances "
            f"{ENSEMBLE_N_SIM} simulated clouds (fewer than the sections above), the nominal panel included.",
        ],
        "conclusions": [
            ("Every number is illustrative: the synthetic panel is a latent-factor model calibrated to the "
             "published ranks, with no stages planted." if synthetic else
             "The numbers are about the dataset given, not about CCID's unpublished scores."),
            sample,
            "One year's cross-section: a profile of clusters cannot show an order in time.",
        ],
    }
    if getattr(leaders, "table", None) is not None:
        out["profile.leaders_first"] = [
            "The profiles describe clusters made from the same six dimensions: the dimensions that separate "
            "the clusters are the ones that made them, so this is no independent test of a sequence.",
            "Gaps are in standard deviations of each dimension over the clustered cities.",
        ]
    return out
