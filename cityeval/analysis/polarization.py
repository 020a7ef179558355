"""Is a distribution of scores polarized? Tests of bimodality, a polarization index, and their power.

The report reads its Fig. 13 as "数字医疗健康水平呈现两极分化趋势" (digital healthcare is
polarized: many cities high or low, few in the middle) and its Fig. 14 as "数字生活水平相对平均"
(digital life is fairly even). This module gives the statistics that turn such a reading into a
testable statement about one sample of scores:

* :func:`dip_test` — Hartigan's dip test of unimodality (a test: null = one mode);
* :func:`bimodality_coefficient` — Sarle's bimodality coefficient, compared with 5/9;
* :func:`gmm_compare` — one vs two normal components (common variance), by BIC, fitted to convergence
  and independent of the order of the values;
* :func:`mixture_lrt` — the parametric-bootstrap likelihood-ratio test of one vs two components
  (McLachlan 1987);
* :func:`wolfson_polarization` — the Foster–Wolfson (bi)polarization index;
* :func:`bimodality_summary` — the four above on one sample (a :class:`BimodalitySummary`);
* :func:`mixture_power` — how often each criterion detects an equal mixture of two normal groups,
  as a function of their separation, at a given sample size (a seeded simulation), and
  :func:`separation_for_power` / :func:`separations_for_power`, the separation each needs;
  :func:`null_rejection_rates` — how often each calls a single (normal or skewed) hump "two groups";
* :func:`covariate_correlation` and :func:`load_covariates` — scores against a city covariate
  (GDP per capita, report Figs. 13 and 14);
* :func:`bimodality_verdict`, :func:`power_statement`, :func:`power_reading`, :func:`null_statement`,
  :func:`healthcare_findings`, :func:`healthcare_assumptions`, :func:`criteria_table`,
  :func:`plot_distribution`, :func:`plot_covariates` — notebook 04's verdicts, texts, tables, the
  assumptions of its results, and repeated figures;
* :func:`ensemble_statistics`, :func:`ensemble_labels`, :func:`ensemble_conclusions`, :func:`spread_texts` and
  :class:`HealthcareStatistics` (the callable for an ensemble summary) — the statistics of one panel
  that notebook 04 compares across the ensemble of panels fitting the published ranks.

The implementation sits in private modules by responsibility (``_polarization_statistics``,
``_polarization_mixture``, ``_polarization_power``, ``_polarization_assumptions``, ``_polarization_covariates``, ``_polarization_findings``, ``_polarization_ensemble``,
``_polarization_plots``); import everything from here.

Every function takes the data first and its options keyword-only. A bad argument raises
:class:`~cityeval.errors.ParameterError` naming the parameter, what is allowed and what was
received; a NaN, an infinity (or, for the polarization index, a negative value) in a sample raises
:class:`~cityeval.errors.DataError` naming the city: drop or impute missing cities first, the
functions never drop them silently. Samples must be one-dimensional and hold at least 4 values.
"""
from __future__ import annotations

from cityeval.analysis._polarization_assumptions import healthcare_assumptions
from cityeval.analysis._polarization_covariates import (CovariateCorrelation, covariate_correlation,
                                                        covariate_correlations, covariate_table, load_covariate,
                                                        load_covariates)
from cityeval.analysis._polarization_ensemble import (UNIMODAL_BY_CONSTRUCTION, HealthcareStatistics,
                                                      ensemble_conclusions, ensemble_labels, ensemble_statistics,
                                                      spread_texts)
from cityeval.analysis._polarization_findings import (HealthcareFindings, bimodality_verdict, convergence_note,
                                                      covariate_notes, criteria_table, describe_covariate,
                                                      format_separation, grade_caveat, healthcare_findings,
                                                      null_statement, null_table, power_reading, power_statement,
                                                      power_table, require_indicators)
from cityeval.analysis._polarization_mixture import (GMM_MAX_ITER, GMM_TOL, N_BOOT, START_QUANTILES, GmmComparison,
                                                     MixtureLRT, bic_evidence, gmm_compare, mixture_lrt)
from cityeval.analysis._polarization_plots import plot_covariates, plot_distribution
from cityeval.analysis._polarization_wording import (UNIMODAL_BY_CONSTRUCTION_ZH, convergence_note_zh,
                                                     covariate_source, ensemble_zh, healthcare_conclusion_zh,
                                                     healthcare_summary_zh, null_statement_zh, power_reading_zh,
                                                     power_statement_zh, power_words, score_names, shown_table,
                                                     skipped_comparisons)
from cityeval.analysis._polarization_power import (POWER_TESTS, SKEWED_NULLS, check_dip_calibration, mixture_power,
                                                   null_rejection_rates, separation_for_power, separation_to_gap,
                                                   separations_for_power, total_sd_separation)
from cityeval.analysis._polarization_statistics import (BC_UNIFORM, MIN_N, MIXTURE_BC_SEPARATION,
                                                        MIXTURE_BIMODAL_SEPARATION, BimodalitySummary, DipTest,
                                                        bimodality_coefficient, bimodality_summary, dip_test,
                                                        normal_mixture_bc, wolfson_normal_reference,
                                                        wolfson_polarization)

__all__ = [
    "UNIMODAL_BY_CONSTRUCTION", "BC_UNIFORM", "MIXTURE_BIMODAL_SEPARATION", "MIXTURE_BC_SEPARATION", "MIN_N", "POWER_TESTS",
    "SKEWED_NULLS", "GMM_TOL", "GMM_MAX_ITER", "N_BOOT", "START_QUANTILES",
    "DipTest", "GmmComparison", "MixtureLRT", "BimodalitySummary", "CovariateCorrelation", "HealthcareFindings",
    "dip_test", "bimodality_coefficient", "gmm_compare", "mixture_lrt", "wolfson_polarization",
    "wolfson_normal_reference", "normal_mixture_bc", "bic_evidence", "bimodality_summary", "mixture_power",
    "null_rejection_rates", "check_dip_calibration", "separation_for_power", "separations_for_power",
    "separation_to_gap", "total_sd_separation",
    "covariate_correlation", "covariate_correlations", "covariate_table", "load_covariates", "load_covariate",
    "require_indicators", "describe_covariate", "criteria_table", "power_table", "null_table", "format_separation",
    "covariate_notes", "power_statement", "power_reading", "null_statement", "convergence_note",
    "bimodality_verdict", "grade_caveat", "healthcare_findings", "healthcare_assumptions",
    "plot_distribution", "plot_covariates", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions",
    "spread_texts", "HealthcareStatistics",
    "UNIMODAL_BY_CONSTRUCTION_ZH", "convergence_note_zh", "covariate_source", "ensemble_zh", "healthcare_conclusion_zh",
    "healthcare_summary_zh", "null_statement_zh", "power_reading_zh", "power_statement_zh", "power_words",
    "score_names", "shown_table", "skipped_comparisons",
]
