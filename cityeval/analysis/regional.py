"""Regional patterns: do scores differ between regions, and is it "east high, west low"?

The report (Ch. 2 §3, Fig. 7) reads its regional means as "东高西低" (east high,
west low) and ranks regions per dimension. This module gives the statistics
notebook 05 uses: region means against the national mean, the Kruskal–Wallis
test of any difference between groups with its effect size, and the
Jonckheere–Terpstra test of an *ordered* difference (east > central > west),
which is the hypothesis "east high, west low" actually states.

* :func:`group_means` — means per group and the national mean;
* :func:`kruskal_wallis` (a :class:`KruskalWallisResult`) and
  :func:`jonckheere_terpstra` (a :class:`JonckheereTerpstraResult`);
  :func:`kruskal_wallis_by` and :func:`jonckheere_terpstra_by` run them on every
  column of a score table and correct the family for multiplicity (:func:`holm`, the
  field ``p_holm``); :func:`result_table` shows them side by side;
* :func:`national_mean_test` (:func:`national_mean_tests`, :func:`national_table`) — whether a
  region is *significantly* below (or above) the national mean, a one-sided permutation test;
  :func:`dunn_pairs` — which pairs of regions differ (Dunn, Holm over the pairs) where
  Kruskal–Wallis rejects after correction;
* :func:`require_groups`, :func:`display_names`, :func:`regions_in`, :func:`report_statements`,
  :func:`conclusions` and :func:`assumptions` — notebook 05's study: the report's regional
  statements checked on the data at hand, the conclusions the tests support and what they rest on;
* :func:`ensemble_statistics`, :func:`ensemble_labels`, :func:`ensemble_conclusions` and
  :class:`RegionalStatistics` (the callable for an ensemble summary) — those tests as numbers of
  one panel, compared across the ensemble of panels fitting the published ranks;
  :func:`order_is_published` says whether the composite's order among the cities kept is the
  published one (then its rank tests are decided by the published ranks alone).

Notes
-----
The tests treat the cities as independent draws from their group's
distribution. A top-``n`` selection (the report's top 100) is not a random
sample of a region's cities: the tests then describe the selected cities.
"""
from __future__ import annotations

from cityeval.analysis._regional_ensemble import (ENSEMBLE_PERMUTATIONS, RegionalStatistics, ensemble_conclusions,
                                                  ensemble_labels, ensemble_statistics, ensemble_zh,
                                                  order_is_published)
from cityeval.analysis._regional_findings import (N_DETAILED_STATEMENTS, SHORT_NAMES, RegionalConclusions,
                                                  assumptions, conclusions, display_names, regions_in,
                                                  report_statements, require_groups)
from cityeval.analysis._regional_posthoc import (DUNN_COLUMNS, REPORT_COMPARISONS, NationalMeanResult, dunn_pairs,
                                                 national_mean_test, national_mean_tests, national_table,
                                                 require_compared_regions)
from cityeval.analysis._regional_wording import (SHORT_NAMES_ZH, dunn_shown, national_shown,
                                                 results_shown, shown_names, statements_shown)
from cityeval.analysis._regional_tests import (ZONE_ORDER, JonckheereTerpstraResult, KruskalWallisResult,
                                               group_means, holm, jonckheere_terpstra, jonckheere_terpstra_by,
                                               kruskal_wallis, kruskal_wallis_by, result_table)

__all__ = ["group_means", "kruskal_wallis", "KruskalWallisResult", "jonckheere_terpstra", "JonckheereTerpstraResult",
           "kruskal_wallis_by", "jonckheere_terpstra_by", "result_table", "holm", "ZONE_ORDER",
           "national_mean_test", "national_mean_tests", "national_table", "NationalMeanResult", "REPORT_COMPARISONS",
           "dunn_pairs", "DUNN_COLUMNS", "require_compared_regions",
           "require_groups", "display_names", "SHORT_NAMES", "regions_in", "report_statements", "conclusions",
           "assumptions", "RegionalConclusions", "N_DETAILED_STATEMENTS", "ENSEMBLE_PERMUTATIONS",
           "ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "RegionalStatistics",
           "order_is_published", "SHORT_NAMES_ZH", "shown_names", "statements_shown", "results_shown",
           "national_shown", "dunn_shown", "ensemble_zh"]
