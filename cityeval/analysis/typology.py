"""The report's low-carbon typology: 起步型, 成长型, 成效型 (Ch. 3 §4, Fig. 16).

The report sorts the low-carbon top 100 into three types by two scores, green
ecology (绿色生态) and green development (绿色发展), and describes them in words
only:

- 成效型 (effective): "绿色生态和绿色发展双管齐下" — strong on both;
- 成长型 (growing): "优先绿色生态……在绿色生态方面的产出相对较多" — ecology ahead;
- 起步型 (starting): "绿色生态和绿色发展2个方面均相对较弱" — weak on both.

It publishes no thresholds. :func:`classify` makes the words a documented rule:
a score is *high* when it is at or above the ``quantile`` of that score among
the cities classified (default the median), or, with ``reference="all"``, over
all evaluated cities (a cut fixed before the top ``top_n`` is looked at). Then

============  ==========  =============  ==================================
ecology       development  type           note
============  ==========  =============  ==================================
high          high         成效型
high          low          成长型
low           low          起步型
low           high         发展先行型     not one of the report's types
============  ==========  =============  ==================================

The report's three types leave the fourth quadrant (development ahead of
ecology) undescribed; the rule names it instead of forcing it into a type.

A rule can fix a share whatever the data: with thresholds among the cities
classified, starting + growing are the cities below the development threshold,
exactly half of them under the median. :func:`rule_check` finds such shares by
classifying data of a plausible range of dependence with the rule and the
notebook's own selection (a :class:`RuleCheck`), and :func:`report_statements`
reports a claim about a fixed share, or one whose answer the rule and the
selection force, as untestable (in practice) under that rule. The all-city
rule does not escape it under an equal-weight selection: more than half needs
a correlation of the two scores below :func:`majority_rho_bound`;
:func:`majority_readings` checks each reading (:mod:`cityeval.analysis._typology_readings`).

* the rule: :func:`classify`, :func:`high_count`, :func:`rule_text`, :func:`rule_check`
  (:mod:`cityeval.analysis._typology_rule`);
* notebook 07's study: :func:`lowcarbon_typology` (the types of the low-carbon top
  ``top_n``), :func:`report_statements` (the report's two statements checked on
  them), :func:`describe_statements`, :func:`threshold_sweep`, :func:`typology_summary`,
  :func:`rule_block` and :func:`typology_assumptions` (:mod:`cityeval.analysis._typology_study`);
* what holds across panels: :func:`ensemble_statistics` (one panel's type shares,
  top-ten check and all-city share, the same function for the nominal panel and every
  ensemble member), with :func:`ensemble_labels` and :func:`ensemble_conclusions`;
  :class:`TypologyStatistics` is it as the ``statistics(panel)`` callable of an
  ensemble summary (:mod:`cityeval.analysis._typology_ensemble`);
* notebook 07's words in English or Chinese: :func:`type_name`, :func:`rule_text_zh`,
  :func:`statements_text`, :func:`readings_text`, :func:`checks_table`, :func:`rule_table`,
  :func:`statistics_zh`, :func:`typology_summary_zh` (:mod:`cityeval.analysis._typology_wording`).
"""
from __future__ import annotations

from cityeval.analysis._typology_ensemble import (ENSEMBLE_NAMES, TypologyStatistics, ensemble_conclusions,
                                                  ensemble_labels, ensemble_statistics)
from cityeval.analysis._typology_readings import READINGS, MajorityReadings, majority_readings
from cityeval.analysis._typology_rule import (REFERENCES, RHO_RANGE, SHARE_NAMES, TYPES, RuleCheck, classify,
                                              high_count, majority_rho_bound, rule_check, rule_text)
from cityeval.analysis._typology_wording import (checks_table, shown_table, readings_text, rule_table, rule_text_zh,
                                                 statements_text, statistics_zh, type_name, typology_summary_zh)
from cityeval.analysis._typology_study import (LOWCARBON_NAMES_ZH, SWEEP_QUANTILES, EffectiveVsTopK,
                                               LowCarbonTypology, TypologyStatements, describe_statements,
                                               lowcarbon_codes, lowcarbon_typology, report_statements, rule_block,
                                               threshold_sweep, typology_assumptions, typology_summary)

__all__ = ["classify", "TYPES", "REFERENCES", "SHARE_NAMES", "LOWCARBON_NAMES_ZH", "lowcarbon_codes",
           "lowcarbon_typology", "LowCarbonTypology", "report_statements", "TypologyStatements", "EffectiveVsTopK",
           "describe_statements", "threshold_sweep", "SWEEP_QUANTILES", "typology_summary",
           "typology_assumptions", "rule_block", "rule_check", "RuleCheck", "rule_text", "ENSEMBLE_NAMES",
           "ensemble_statistics", "TypologyStatistics", "ensemble_labels", "ensemble_conclusions", "high_count",
           "RHO_RANGE", "majority_rho_bound", "READINGS", "MajorityReadings", "majority_readings",
           "type_name", "rule_text_zh", "statements_text", "readings_text", "checks_table", "rule_table", "shown_table",
           "statistics_zh", "typology_summary_zh"]
