"""Development stages as clusters: do the cities fall into the report's three stages?

The report places the top-100 cities in three stages, 能力搭建 (capability
building), 效能驱动 (efficiency driven) and 创新发展 (innovative development),
and reads them as infrastructure and governance coming first, the other
dimensions following. This module asks the data the questions that claim
raises:

- :func:`clusterability` asks, before any k is chosen, whether the cities form more than one
  cloud (:func:`dip_on_pc1`, :func:`dip_of_distances`);
- :func:`cluster` groups cities on their dimension scores (k-means, Ward or a
  Gaussian mixture, all from scikit-learn) and numbers the clusters 1..k by
  increasing mean composite, so cluster 1 is the lowest stage; :func:`composite_bands`
  measures how much of a clustering is just the composite's order;
- :func:`stage_profile` and :func:`stage_gaps` describe each cluster (:func:`dimension_skewness`
  each dimension); :func:`leaders_first`
  tests whether named dimensions (infrastructure, governance) are the ones in which
  the lower stages are closest to the top stage;
- :func:`choose_k` gives the evidence for the number of clusters (:func:`candidate_ks` the ks to
  compare): silhouette (named by its band, :func:`silhouette_band`), gap statistic, and the
  Gaussian-mixture BIC of valid fits only, chosen jointly with the covariance model
  (:func:`mixture_fits`, :func:`best_mixture`); :func:`best_k` says what each criterion picks;
- :func:`bootstrap_stability` and :func:`agreement` measure how reproducible a
  clustering is (resampling, other algorithms, other weightings);
- :func:`support_for_k` turns that evidence into a stated verdict with its reasons;
- :func:`ensemble_statistics` gives the few of these numbers notebook 03 computes on the nominal
  panel and on every member of the ensemble of panels fitting the published ranks
  (:func:`ensemble_labels`, :func:`ensemble_conclusions` name them and test them; :class:`EnsembleStatistics`
  bundles them for the notebook).

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
* k-means uses ``n_init=10`` starts; the Gaussian mixture ``n_init=10`` starts (the Ward partition first), each run to
  ``GMM_TOL`` = 1e-8 on the cities in a canonical order and checked on its own, and, by default
  (``covariance_type="auto"``), the valid fit with the lowest BIC among four covariance models
  (full, tied, diag, spherical); a fit with a component on fewer cities than its covariance
  needs, a singular covariance or no convergence is never used (:func:`mixture_fits`); Ward is
  deterministic.
* The clustering of the data themselves is scikit-learn's, and is computed once per data,
  k, algorithm and seed (a later call with the same arguments reuses it; so is a bootstrap).
  The many k-means fits of the gap statistic's reference data sets and of the bootstrap
  resamples run together in one vectorised k-means (``_kmeans_batch``: the same algorithm,
  k-means++ seeding, Lloyd's iterations and the best of ``n_init=10`` starts, about ten
  times faster than one scikit-learn estimator per data set). Ward and the Gaussian
  mixture are fitted one data set at a time as before.
* ``k`` may not exceed the number of *distinct* rows: more clusters than distinct
  cities is an error, not a silently smaller clustering.
* Bad arguments raise :class:`~cityeval.errors.ParameterError` naming the parameter (a seed is a
  whole number 0 ... 2**32 - 1); bad values in the data (a missing, infinite or non-numeric
  score, a repeated city) raise :class:`~cityeval.errors.DataError` naming the column and the city.

Where things are
----------------
The implementation sits in private modules by responsibility; import everything from here:
``_clustering_stages`` (:func:`cluster`, the profiles and their checks), ``_clustering_choice``
(:func:`choose_k`, :func:`best_k`, :func:`support_for_k`), ``_clustering_mixture`` (:func:`mixture_fits`,
:func:`best_mixture`), ``_clustering_structure`` (:func:`clusterability`, :func:`composite_bands`),
``_clustering_stability``
(:func:`bootstrap_stability`, :func:`stability_by_k`, :func:`agreement`), ``_clustering_engine``
(the fits, the memo, the batched k-means), ``_clustering_ensemble`` (one panel's statistics for the
ensemble spread) and ``_clustering_findings`` (notebook 03's tables,
agreement across weightings, verdict and conclusion texts: :func:`stage_table`,
:func:`membership`, :func:`leaders_by_name`, :func:`weighting_agreement`,
:func:`three_stage_verdict`, :func:`stage_findings`) and ``_clustering_assumptions`` (what the
results' headline numbers rest on: :func:`stage_assumptions`).
"""
from __future__ import annotations

from cityeval.analysis._clustering_assumptions import ASSUMPTION_PATHS, stage_assumptions
from cityeval.analysis._clustering_choice import (ARI_MIN, REFERENCES, SILHOUETTE_REASONABLE, SILHOUETTE_STRONG,
                                                  SILHOUETTE_WEAK, KChoice, KSupport, best_k, candidate_ks, choose_k,
                                                  silhouette_band, support_for_k)
from cityeval.analysis._clustering_ensemble import (ENSEMBLE_MIXTURE_N_INIT, ENSEMBLE_N_BOOT, ENSEMBLE_N_REFS,
                                                    ENSEMBLE_N_SIM, ENSEMBLE_STATISTICS, VERDICT_CODES,
                                                    EnsembleStatistics, ensemble_conclusions, ensemble_labels,
                                                    ensemble_statistics)
from cityeval.analysis._clustering_findings import (REPORT_LEADERS, LeadersCheck, StageFindings, WeightingAgreement,
                                                    leaders_by_name, membership, stage_findings, stage_labels,
                                                    stage_table, three_stage_verdict, weighting_agreement)
from cityeval.analysis._clustering_mixture import (GMM_MAX_ITER, GMM_TOL, MIXTURE_COLUMNS, REG_COVAR, SINGULAR_TOL,
                                                   MixtureChoice, best_mixture, mixture_fits)
from cityeval.analysis._clustering_stability import (Stability, StabilitySummary, agreement, bootstrap_stability,
                                                     stability_by_k)
from cityeval.analysis._clustering_stages import (ALGORITHMS, COVARIANCE_CHOICES, COVARIANCE_TYPES, STAGES,
                                                  check_algorithm, cluster, dimension_skewness, leaders_first,
                                                  principal_scores, stage_gaps, stage_names, stage_profile)
from cityeval.analysis._clustering_structure import (BAND_SHARE, N_SIM, BandCheck, Clusterability, DipResult,
                                                     clusterability, composite_bands, dip_of_distances, dip_on_pc1)
from cityeval.analysis._clustering_wording import (ALGORITHM_NAMES_ZH, COVARIANCE_NAMES_ZH, WEIGHTING_NAMES_ZH,
                                                   algorithm_name, covariance_name, weighting_name)
from cityeval.analysis._clustering_tables import (evidence_shown, leaders_table_shown, rejected_fits_shown, relabel,
                                                  stability_shown, stage_table_shown, yes_no)
from cityeval.analysis._correlation_wording import banner

__all__ = ["ALGORITHM_NAMES_ZH", "COVARIANCE_NAMES_ZH", "WEIGHTING_NAMES_ZH", "algorithm_name", "covariance_name",
           "weighting_name", "banner", "STAGES", "ALGORITHMS", "COVARIANCE_TYPES", "COVARIANCE_CHOICES", "REFERENCES", "check_algorithm",
           "stage_names", "cluster", "dimension_skewness", "stage_profile", "stage_gaps", "leaders_first",
           "principal_scores",
           # before any k: clusterability; after: how much of a clustering is bands of the composite
           "dip_on_pc1", "dip_of_distances", "DipResult", "clusterability", "Clusterability", "N_SIM",
           "composite_bands", "BandCheck", "BAND_SHARE",
           # the evidence for k
           "candidate_ks", "choose_k", "best_k", "KChoice", "silhouette_band", "SILHOUETTE_WEAK",
           "SILHOUETTE_REASONABLE", "SILHOUETTE_STRONG", "mixture_fits", "best_mixture", "MixtureChoice",
           "MIXTURE_COLUMNS", "SINGULAR_TOL", "REG_COVAR", "GMM_TOL", "GMM_MAX_ITER",
           # reproducibility and the verdict
           "bootstrap_stability", "stability_by_k", "Stability", "StabilitySummary", "agreement", "support_for_k",
           "KSupport", "ARI_MIN",
           # notebook 03's tables, texts and assumptions
           "REPORT_LEADERS", "stage_labels", "stage_table", "membership", "LeadersCheck", "leaders_by_name",
           "WeightingAgreement", "weighting_agreement", "three_stage_verdict", "StageFindings", "stage_findings",
           "stage_assumptions", "ASSUMPTION_PATHS",
           # the tables a reader sees: headers in words, in the page's language
           "relabel", "yes_no", "stage_table_shown", "leaders_table_shown", "evidence_shown", "rejected_fits_shown",
           "stability_shown",
           # the ensemble spread
           "ENSEMBLE_STATISTICS", "ENSEMBLE_N_REFS", "ENSEMBLE_N_BOOT", "ENSEMBLE_MIXTURE_N_INIT", "ENSEMBLE_N_SIM",
           "VERDICT_CODES", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "EnsembleStatistics"]
