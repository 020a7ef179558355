"""Concentration at the head of a distribution (report Ch. 3 §5, Fig. 19).

The report finds technology innovation "两极分化": Beijing and Shanghai far ahead
of every other city on the innovation-subject and technology-transfer indices.
These measures say how far ahead the head is:

* :func:`gini`, :func:`theil` and :func:`lorenz_curve` — inequality of non-negative values;
  :func:`concentration_interval` — either index with a bootstrap interval
  (``scipy.stats.bootstrap``, seeded);
* :func:`head_concentration` — the head's share, its gap to the next unit
  (a :class:`HeadConcentration`);
* :func:`ratio_scale` — which indicators have a true zero (the measures above need one), and
  :func:`shift_dependence` — what moving the zero does to them; :func:`equivalent_shift` — the shift of a
  min-max score that its raw values amount to, and :func:`floor_dependence` — the measures with another
  lowest raw value (on synthetic data the lowest value is the generator's choice);
* :func:`innovation_frame`, :func:`innovation_statements`, :func:`innovation_study`,
  :func:`innovation_summary` and :func:`innovation_assumptions` — notebook 08's study: the innovation
  top ``top_n`` with the two raw indicators standing for the report's two indices, their concentration
  with intervals, the report's statements checked on them, the sentence that sums it up and what each
  number rests on;
* :func:`caption`, :func:`weak_share_text`, :func:`innovation_summary_zh`, :func:`statistics_zh`,
  :func:`summary_ranges` and :func:`ensemble_run_text` — notebook 08's words in English or Chinese;
* :func:`innovation_statistics` and :class:`InnovationStatistics` — the same study
  reduced to a few numbers per panel, computed alike on the nominal panel and on
  every panel of the ensemble that fits the published ranks
  (:mod:`cityeval.notebook.spread`), with the yes/no conclusions tested on them.

Notes
-----
A Gini coefficient, a Theil index, a share of the total or "half of the leader" assumes a ratio
scale (a true zero): each is unchanged when the unit changes (per 10,000 or per million residents)
but not when the zero moves. A min-max normalized score (0 for the lowest city evaluated) is an
interval scale: its zero is a convention, and the same measures move with it (for a shift c the
Gini becomes G mean / (mean + c)). Notebook 08 therefore measures concentration on the raw
indicators and shows the scores' numbers only beside their translation dependence.
"""
from __future__ import annotations

from cityeval.analysis._concentration_ensemble import InnovationStatistics, innovation_statistics
from cityeval.analysis._concentration_floor import FLOOR_MULTIPLES, equivalent_shift, floor_dependence
from cityeval.analysis._concentration_innovation import (INNOVATION_NAME_ZH, LEAD_CONCLUSION, RANGE_FORMATS,
                                                         RANGE_NAMES, REPORT_LEADERS, SCORE_SHIFTS, STAND_INS,
                                                         SYNTHETIC_CAVEAT, InnovationStatements, InnovationStudy,
                                                         innovation_assumptions, innovation_frame,
                                                         innovation_statements, innovation_study, innovation_summary)
from cityeval.analysis._concentration_measures import (BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MEASURES, NOT_RATIO_UNITS,
                                                       ConcentrationInterval, HeadConcentration,
                                                       concentration_interval, gini, head_concentration,
                                                       head_concentration_table, lorenz_curve, ratio_scale,
                                                       shift_dependence, theil)
from cityeval.analysis._concentration_plots import plot_concentration
from cityeval.analysis._concentration_wording import (STAND_INS_ZH, SYNTHETIC_CAVEAT_ZH, caption, ensemble_run_text,
                                                      innovation_summary_zh, statistics_zh, summary_ranges,
                                                      weak_share_text, shown_table)

__all__ = ["gini", "theil", "lorenz_curve", "head_concentration", "HeadConcentration", "head_concentration_table",
           "concentration_interval", "ConcentrationInterval", "MEASURES", "BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED",
           "ratio_scale", "NOT_RATIO_UNITS", "shift_dependence",
           "innovation_frame", "innovation_statements", "InnovationStatements", "innovation_study", "InnovationStudy",
           "innovation_summary", "innovation_assumptions", "innovation_statistics", "InnovationStatistics",
           "INNOVATION_NAME_ZH", "REPORT_LEADERS", "LEAD_CONCLUSION", "SYNTHETIC_CAVEAT", "STAND_INS", "SCORE_SHIFTS",
           "RANGE_NAMES", "RANGE_FORMATS", "plot_concentration", "equivalent_shift", "floor_dependence",
           "FLOOR_MULTIPLES", "caption", "weak_share_text", "statistics_zh", "ensemble_run_text", "summary_ranges",
           "innovation_summary_zh", "STAND_INS_ZH", "SYNTHETIC_CAVEAT_ZH", "shown_table"]
