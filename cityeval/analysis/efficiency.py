r"""Efficiency: how much outcome each unit gets from its input.

An analysis module (after aggregation). It serves the report's Fig. 8 (per-capita
digital input against digital outcome) and anything of the same shape:

* :func:`measure_codes` and :func:`input_outcome_scores` — which second-level
  indicators under a parent are inputs and which are outcomes (the ``measure``
  column of the indicator table, Table 2's 投入/成效 tags), and one input and one
  outcome score per unit, their weighted means with the table's weights;
* :func:`input_outcome_regression` — the OLS line of outcome on input, with the
  rank statistics that say how often "more input" goes with "more outcome"
  (an :class:`InputOutcomeRegression`);
* :func:`dea` — data envelopment analysis, CCR (constant returns to scale) and
  BCC (variable returns to scale), input or output oriented, envelopment form,
  one linear programme per unit (stacked into one block-diagonal LP per phase) solved
  with ``scipy.optimize.linprog`` (HiGHS);
* :func:`scale_efficiency` — CRS and VRS side by side and their ratio;
* :func:`frontier_1d` — the frontier of a one-input, one-output DEA as a polyline
  to draw on a scatter;
* notebook 06's study of Fig. 8: :func:`models_for`, :func:`efficiency_frontier`,
  :func:`separate_inputs`, :func:`named_cities`, :func:`stage_means`,
  :func:`raw_input_units`, :func:`per_capita_variant` (drawn by :func:`plot_per_capita`),
  :func:`conclusions` and :func:`fig8_summary`; the stages are the report's three
  (:data:`STAGE_K`, k-means with seed :data:`STAGE_SEED`);
* what the scales' zero does: :func:`translation_dependence` (each model's efficiencies before and after
  shifting the input score, the outcome score or both; a :class:`TranslationDependence` that says it in
  sentences), and :func:`fig8_assumptions` (what each headline number of notebook 06 rests on);
* what holds across panels: :func:`ensemble_statistics` (one panel's headline statistics, the same
  function for the nominal panel and every ensemble member, with :func:`ensemble_labels` and
  :func:`ensemble_conclusions`; :class:`Fig8Statistics` is it as the ``statistics(panel)`` callable) and
  :func:`efficient_frequency` (how often each city is efficient across the panels, :func:`describe_frequency`).

Every function keeps its units' index and order; none drops a unit.

Notes
-----
DEA scores are relative to the set of units and assume the inputs and outputs
are on ratio scales; a normalized score (min-max puts the worst unit at 0) has
no natural zero, so CRS efficiencies of such scores depend on where the scale
starts (see :func:`dea`, "Data decisions"). Input-oriented VRS efficiencies do
not depend on the outputs' zero, and the set of VRS-efficient units on neither
zero (Ali & Seiford 1990; Pastor 1996): notebook 06 reads that set alone, not
the levels nor their order, which move too (:func:`translation_dependence`).

Examples
--------
>>> import pandas as pd
>>> x = pd.Series([2.0, 3.0, 6.0], index=["a", "b", "c"], name="input")
>>> y = pd.Series([1.0, 3.0, 4.0], index=["a", "b", "c"], name="output")
>>> dea(x, y)["efficiency"].round(4).tolist()
[0.5, 1.0, 0.6667]
"""
from __future__ import annotations

from cityeval.analysis._efficiency_dea import (EFFICIENT_TOL, ORIENTATIONS, RETURNS, dea, frontier_1d,
                                               scale_efficiency)
from cityeval.analysis._efficiency_ensemble import (ENSEMBLE_SHIFT, FEW_EFFICIENT, LEVEL_MOVES, ORDER_KEPT,
                                                    EfficiencyStatistics, Fig8Statistics, describe_frequency,
                                                    efficient_frequency, ensemble_conclusions, ensemble_labels,
                                                    ensemble_statistics)
from cityeval.analysis._efficiency_fig8 import (FIG8_DIMENSION, FIG8_NAMED_CITIES, MODEL_CHOICES, STAGE_K,
                                                STAGE_SEED, FrontierResults, NamedCities, PerCapita, PerCapitaVariant,
                                                SeparateInputs, SeparateInputsSummary, conclusions,
                                                describe_codes, efficiency_frontier, fig8_summary, models_for,
                                                named_cities, named_present, per_capita_variant,
                                                raw_input_units, separate_inputs, stage_means)
from cityeval.analysis._efficiency_plots import plot_per_capita
from cityeval.analysis._efficiency_wording import (STAGE_NAMES_ZH, codes_zh, conclusions_zh, ensemble_zh,
                                                   fig8_summary_zh, frequency_line_zh, frontier_lines_zh,
                                                   named_lines_zh, overview_caption, per_capita_note_zh,
                                                   separate_lines_zh, shown_table, translation_lines_zh)
from cityeval.analysis._efficiency_regression import (InputOutcomeRegression, input_outcome_regression,
                                                      input_outcome_scores, measure_codes)
from cityeval.analysis._efficiency_translation import (DOWN_TO, SIDES, TRANSLATION_SHIFTS, TranslationDependence,
                                                       downward_shift, fig8_assumptions, translation_dependence)

__all__ = ["dea", "scale_efficiency", "frontier_1d", "input_outcome_regression", "InputOutcomeRegression",
           "measure_codes", "input_outcome_scores", "EFFICIENT_TOL", "RETURNS", "ORIENTATIONS",
           "FIG8_DIMENSION", "FIG8_NAMED_CITIES", "MODEL_CHOICES", "models_for", "describe_codes", "named_present",
           "efficiency_frontier", "FrontierResults", "separate_inputs", "SeparateInputs", "SeparateInputsSummary",
           "named_cities", "NamedCities", "stage_means", "raw_input_units", "per_capita_variant", "PerCapita",
           "PerCapitaVariant", "conclusions", "fig8_summary", "STAGE_K", "STAGE_SEED", "plot_per_capita",
           "ensemble_statistics", "EfficiencyStatistics", "Fig8Statistics", "ensemble_labels", "ensemble_conclusions",
           "efficient_frequency", "describe_frequency", "FEW_EFFICIENT", "ENSEMBLE_SHIFT", "LEVEL_MOVES", "ORDER_KEPT",
           "translation_dependence", "TranslationDependence", "SIDES", "TRANSLATION_SHIFTS", "fig8_assumptions",
           "downward_shift", "DOWN_TO", "STAGE_NAMES_ZH", "codes_zh", "conclusions_zh", "ensemble_zh",
           "fig8_summary_zh", "frequency_line_zh", "frontier_lines_zh", "named_lines_zh", "overview_caption",
           "per_capita_note_zh", "separate_lines_zh", "shown_table", "translation_lines_zh"]
