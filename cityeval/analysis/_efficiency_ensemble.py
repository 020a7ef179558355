"""Notebook 06's statistics of one panel, computed alike on the nominal panel and on every panel of an ensemble,
and how often each city is efficient across the panels.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there. The functions take plain frames (a
panel's ``scores`` and indicator table), so this module knows nothing of how the panels were made.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from cityeval.analysis._efficiency_dea import RETURNS, dea
from cityeval.analysis._efficiency_fig8 import FIG8_DIMENSION, _labels
from cityeval.analysis._efficiency_regression import input_outcome_regression, input_outcome_scores
from cityeval.analysis._efficiency_translation import TRANSLATION_SHIFTS
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_number

__all__ = ["EfficiencyStatistics", "Fig8Statistics", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions",
           "efficient_frequency", "describe_frequency", "FEW_EFFICIENT", "ENSEMBLE_SHIFT", "LEVEL_MOVES", "ORDER_KEPT"]

#: "A few cities make the frontier" read as: fewer than this share of the cities is efficient.
FEW_EFFICIENT = 0.10
#: The shift of both scores (points) under which the ensemble statistics measure how CRS levels move.
ENSEMBLE_SHIFT = float(TRANSLATION_SHIFTS[0])
#: "CRS levels move with the scales' zero" read as: the median CRS efficiency moves by more than this under
#: :data:`ENSEMBLE_SHIFT`; "the CRS order is kept" as: Spearman's rho with the unshifted efficiencies above
#: :data:`ORDER_KEPT`.
LEVEL_MOVES = 0.01
ORDER_KEPT = 0.9


@dataclass(frozen=True)
class EfficiencyStatistics:
    """One panel's statistics (:func:`ensemble_statistics`).

    Attributes
    ----------
    statistics : dict
        name -> number: ``r`` (Pearson r of input and outcome), ``concordant_share`` (share of the city pairs
        differing in both in which more input goes with more outcome), ``<model>_share`` and ``<model>_median``
        for each DEA model run (share of the cities that are efficient, input-oriented, and the median
        efficiency), and with CRS, ``crs_median_shifted`` and ``crs_spearman_shifted`` (the median CRS
        efficiency after shifting both scores by ``shift`` points, and Spearman's rho of the CRS
        efficiencies with and without that shift).
    efficient : dict
        model -> the efficient cities, in the order of ``units``.
    units : list
        The cities compared, in the order of ``scores``.
    """

    statistics: dict
    efficient: dict
    units: list


def _models(models) -> list:
    models = [check_choice("models", m, RETURNS) for m in _labels("models", models)]
    if not models or len(set(models)) != len(models):
        raise ParameterError("models", "one or more distinct DEA models among 'crs', 'vrs'", models)
    return models


def ensemble_statistics(scores: pd.DataFrame, indicators: pd.DataFrame, *, parent: str = FIG8_DIMENSION,
                        models=("crs", "vrs"), shift: float = ENSEMBLE_SHIFT) -> EfficiencyStatistics:
    r"""Notebook 06's headline statistics of one panel: input-outcome agreement and the share of DEA-efficient cities.

    Parameters
    ----------
    scores : pandas.DataFrame
        Cities x aggregate codes of one panel (``ScoredPanel.scores``: the top ``top_n``), holding every
        child of ``parent``.
    indicators : pandas.DataFrame
        The panel's indicator table (``parent``, ``measure``, ``weight``).
    parent : str, default :data:`FIG8_DIMENSION`
        The dimension whose children are tagged input and outcome.
    models : sequence of str, default ("crs", "vrs")
        DEA models (returns to scale), each input-oriented.
    shift : float, default :data:`ENSEMBLE_SHIFT`
        Points added to both scores for the CRS statistics of translation, > 0.

    Returns
    -------
    EfficiencyStatistics
        ``statistics`` with keys ``r``, ``concordant_share``, then ``<model>_share`` and ``<model>_median`` per
        model, then (with CRS) ``crs_median_shifted`` and ``crs_spearman_shifted``, in that order.

    Raises
    ------
    ParameterError
        ``models`` empty, repeated or not among ``'crs'``, ``'vrs'``; the frames' errors as in
        :func:`input_outcome_scores`.
    DataError
        As :func:`input_outcome_scores`, :func:`input_outcome_regression` and :func:`dea` (a score that is
        not finite, a constant input, an input <= 0).

    Notes
    -----
    The input and outcome scores are :func:`input_outcome_scores`; ``r`` and ``concordant_share`` are
    those of :func:`input_outcome_regression` (C / (C + D) over the city pairs); the efficient share of
    a model is the number of cities with :func:`dea` efficiency :math:`\ge 1 - 10^{-9}` over the
    number of cities. With one input and one outcome the CRS efficiency is a city's outcome/input
    ratio over the best ratio, so exactly one city (barring ties) is CRS-efficient: that share is
    :math:`1/n` by construction, whatever the data. The VRS-efficient share does not depend on where the
    0-100 scales start; the medians do (CRS on both zeros, VRS input-oriented on the input's only), which
    ``crs_median_shifted`` shows (:func:`translation_dependence` solves the shifted LPs; here, with one input
    and one outcome, the shifted CRS efficiency is the closed form (y + c)/(x + c) over its maximum). The cost
    is one stacked LP per model and phase (about 0.07 s per model for 100 cities).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"parent": ["P", "P"], "measure": ["input", "outcome"], "weight": [1.0, 1.0]},
    ...                     index=["x", "y"])
    >>> scores = pd.DataFrame({"x": [2.0, 3.0, 6.0, 5.0], "y": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> s = ensemble_statistics(scores, meta, parent="P")
    >>> {k: round(v, 4) for k, v in s.statistics.items()}
    {'r': 0.7071, 'concordant_share': 0.8333, 'crs_share': 0.25, 'crs_median': 0.5833, 'vrs_share': 0.75, 'vrs_median': 1.0, 'crs_median_shifted': 0.8958, 'crs_spearman_shifted': 0.8}
    >>> s.efficient
    {'crs': ['b'], 'vrs': ['a', 'b', 'c']}
    """
    models = _models(models)
    shift = check_number("shift", shift, low=0, low_open=True)
    io = input_outcome_scores(scores, indicators, parent=parent)
    reg = input_outcome_regression(io["input"], io["outcome"])
    stats = {"r": reg.r, "concordant_share": reg.concordant_share}
    efficient = {}
    theta = {}
    for m in models:
        res = dea(io[["input"]], io[["outcome"]], orientation="input", returns=m)
        efficient[m] = list(res.index[res["efficient"]])
        theta[m] = res["efficiency"].to_numpy(float)
        stats[f"{m}_share"] = len(efficient[m]) / len(io)
        stats[f"{m}_median"] = float(np.median(theta[m]))
    if "crs" in models:
        # one input, one outcome: the CRS efficiency is the ratio over the best ratio (what dea returns, to the LP's
        # tolerance), so the shifted one needs no LP: 51 panels would cost 51 more
        ratio = (io["outcome"].to_numpy(float) + shift) / (io["input"].to_numpy(float) + shift)
        t = ratio / ratio.max()
        stats["crs_median_shifted"] = float(np.median(t))
        stats["crs_spearman_shifted"] = float(scipy_stats.spearmanr(theta["crs"], t)[0])
    return EfficiencyStatistics(statistics=stats, efficient=efficient, units=list(io.index))


def ensemble_labels(models=("crs", "vrs"), *, shift: float = ENSEMBLE_SHIFT) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures.

    >>> ensemble_labels(["vrs"])["vrs_share"]
    "share of cities VRS-efficient (DEA, input-oriented; free of the scales' zeros)"
    """
    labels = {"r": "Pearson r of input and outcome",
              "concordant_share": "share of city pairs where more input goes with more outcome"}
    models = _models(models)
    for m in models:
        labels[f"{m}_share"] = f"share of cities {m.upper()}-efficient (DEA, input-oriented" + (
            "; free of the scales' zeros)" if m == "vrs" else "; one city by construction)")
        labels[f"{m}_median"] = (f"median {m.upper()} efficiency (moves with "
                                 + ("both scales' zeros)" if m == "crs" else "the input score's zero)"))
    if "crs" in models:
        labels["crs_median_shifted"] = f"median CRS efficiency after +{shift:g} points on both scores (no city changed)"
        labels["crs_spearman_shifted"] = f"Spearman of CRS efficiency with and without that +{shift:g} shift"
    return labels


def ensemble_conclusions(models=("crs", "vrs"), *, shift: float = ENSEMBLE_SHIFT) -> dict:
    """The yes/no tests notebook 06 makes of each panel's statistics: text -> ``(test(stats) -> bool, basis)``
    (the bases of ``cityeval.notebook.spread``).

    - "for most cities, outcome rises with input", read as more than half of the city pairs concordant
      (the report's 大多数城市随着人均数字化投入的增加，数字化建设成效也相应提升, as the notebook reads it);
      basis ``"generator"``: the published ranks constrain the information-infrastructure score, the mean of
      input and outcome, never how the two relate, so no published table constrains it;
    - "a few cities make the <model> frontier": fewer than :data:`FEW_EFFICIENT` of the cities efficient.
      For CRS the basis is ``"rule"``: with one input and one outcome exactly one city (barring ties) is
      CRS-efficient, a share of 1/n whatever the data (:func:`ensemble_statistics`, Notes), so the
      method decides it (it holds for more than 10 cities). For VRS, ``"generator"`` (it turns on the joint
      spread of input and outcome, which nothing published constrains);
    - with CRS, "CRS levels move with the scales' zero": a shift of both scores by ``shift`` points moves
      the median CRS efficiency by more than :data:`LEVEL_MOVES`; basis ``"rule"``: CRS θ is not
      translation invariant (Ali & Seiford 1990), (y + c)/(x + c) is another ratio than y/x whenever the
      ratios differ, so it is a property of the method, not a finding about any panel; and "the CRS order is
      kept under that shift": Spearman's rho above :data:`ORDER_KEPT`; basis ``"generator"`` (it depends on
      the unpublished joint spread of input and outcome).

    >>> tests = ensemble_conclusions(["crs", "vrs"])
    >>> s = {"concordant_share": 0.6, "crs_share": 0.01, "vrs_share": 0.04, "crs_median": 0.3,
    ...      "crs_median_shifted": 0.4, "crs_spearman_shifted": 0.99}
    >>> [(t(s), basis) for t, basis in tests.values()]
    [(True, 'generator'), (True, 'rule'), (True, 'generator'), (True, 'rule'), (True, 'generator')]
    """
    out = {"more than half of the city pairs concordant (more input, more outcome)":
           (lambda s: s["concordant_share"] > 0.5, "generator")}
    models = _models(models)
    for m in models:
        out[f"fewer than {FEW_EFFICIENT:.0%} of the cities {m.upper()}-efficient"] = (
            lambda s, key=f"{m}_share": s[key] < FEW_EFFICIENT, "rule" if m == "crs" else "generator")
    if "crs" in models:
        out[f"+{shift:g} points on both scores move the median CRS efficiency by more than {LEVEL_MOVES:g} "
            "(no city changed)"] = (lambda s: abs(s["crs_median_shifted"] - s["crs_median"]) > LEVEL_MOVES, "rule")
        out[f"the CRS order is kept under that shift (Spearman above {ORDER_KEPT:g})"] = (
            lambda s: s["crs_spearman_shifted"] > ORDER_KEPT, "generator")
    return out


def efficient_frequency(results, *, labels, named=()) -> pd.DataFrame:
    """How often each city is efficient across panels (one :class:`EfficiencyStatistics` per panel).

    Parameters
    ----------
    results : sequence of EfficiencyStatistics
        One per panel (e.g. the ensemble's members; the nominal panel left out), the same models in each.
    labels : callable
        A list of cities -> their display names.
    named : sequence, optional
        Cities the report names; flagged in the column ``named by the report``.

    Returns
    -------
    pandas.DataFrame
        One row per city compared in some panel, sorted by the share of panels in which it is efficient under the
        last model (then by the first, then by the city): ``city_en``, ``panels`` (in how many panels it was
        among the cities compared), ``<model> efficient`` (in how many it was efficient), ``<model> share``
        (that count over ``panels``), ``named by the report``. Empty (with those columns) when ``results`` is.
        ``attrs["panels"]`` is the number of panels.

    Examples
    --------
    >>> a = EfficiencyStatistics({}, {"vrs": ["x", "y"]}, ["x", "y", "z"])
    >>> b = EfficiencyStatistics({}, {"vrs": ["x"]}, ["x", "z"])
    >>> efficient_frequency([a, b], labels=list, named=["z"])[["panels", "vrs efficient", "vrs share"]]
       panels  vrs efficient  vrs share
    x       2              2        1.0
    y       1              1        1.0
    z       2              0        0.0
    """
    results = _labels("results", results)
    for r in results:
        if not isinstance(r, EfficiencyStatistics):
            raise ParameterError("results", "EfficiencyStatistics (from ensemble_statistics), one per panel",
                                 Shown(type(r).__name__))
    models = list(results[0].efficient) if results else []
    if any(list(r.efficient) != models for r in results):
        raise ParameterError("results", f"panels all run with the same DEA models ({', '.join(models)})",
                             Shown(", ".join(sorted({"/".join(r.efficient) for r in results}))))
    named = set(_labels("named", named))
    units = list(dict.fromkeys(u for r in results for u in r.units))
    panels = pd.Series(0, index=pd.Index(units, dtype=object), dtype=int)
    counts = {m: pd.Series(0, index=panels.index, dtype=int) for m in models}
    for r in results:
        panels[r.units] += 1
        for m in models:
            counts[m][r.efficient[m]] += 1
    table = pd.DataFrame({"city_en": labels(units), "panels": panels}, index=panels.index)
    for m in models:
        table[f"{m} efficient"] = counts[m]
        table[f"{m} share"] = counts[m] / panels
    table["named by the report"] = [u in named for u in units]
    if models:
        keys = [f"{models[-1]} share", f"{models[0]} share"]
        order = np.lexsort([np.array([str(u) for u in units])] + [-table[k].to_numpy() for k in reversed(keys)])
        table = table.iloc[order]
    table.attrs["panels"] = len(results)
    return table


def describe_frequency(frequency: pd.DataFrame, nominal: EfficiencyStatistics, *, model: str,
                       majority: float = 0.5) -> str:
    """One sentence: how many of the nominal panel's ``model``-efficient cities are efficient in more than
    ``majority`` of the panels (:func:`efficient_frequency`), and how many cities ever are.

    >>> a = EfficiencyStatistics({}, {"vrs": ["x", "y"]}, ["x", "y", "z"])
    >>> b = EfficiencyStatistics({}, {"vrs": ["x"]}, ["x", "y", "z"])
    >>> describe_frequency(efficient_frequency([a, b], labels=list), a, model="vrs")
    'Of the 2 VRS-efficient cities of the nominal panel, 1 is VRS-efficient in more than half of the 2 illustrative panels; 2 cities are VRS-efficient in at least one panel.'
    """
    if not isinstance(nominal, EfficiencyStatistics):
        raise ParameterError("nominal", "EfficiencyStatistics (from ensemble_statistics)", Shown(type(nominal).__name__))
    model = check_choice("model", model, list(nominal.efficient))
    majority = check_number("majority", majority, low=0, high=1, high_open=True)
    column = f"{model} share"
    if not isinstance(frequency, pd.DataFrame) or "panels" not in frequency.columns:
        raise ParameterError("frequency", "what efficient_frequency returned", Shown(type(frequency).__name__))
    n_panels = int(frequency.attrs.get("panels", frequency["panels"].max() if len(frequency) else 0))
    if not n_panels:
        return "No ensemble: how often a city is efficient cannot be said."
    if column not in frequency.columns:
        raise ParameterError("frequency", f"what efficient_frequency returned, with a column {column!r}",
                             Shown(f"a DataFrame with columns {list(frequency.columns)}"))
    mine = nominal.efficient[model]
    held = int((frequency[column].reindex(mine).fillna(0) > majority).sum())
    ever = int((frequency[f"{model} efficient"] > 0).sum())
    half = "half" if majority == 0.5 else f"{majority:.0%}"
    return (f"Of the {len(mine)} {model.upper()}-efficient cities of the nominal panel, {held} "
            f"{'is' if held == 1 else 'are'} {model.upper()}-efficient in more than {half} of the {n_panels} "
            f"illustrative panels; {ever} cities are {model.upper()}-efficient in at least one panel.")


@dataclass
class Fig8Statistics:
    """:func:`ensemble_statistics` as the one ``statistics(panel)`` function of an ensemble summary.

    Calling it with a panel (any object with ``scores`` and ``dataset.indicators``, e.g. a notebook's
    scored panel) returns that panel's statistics dict and keeps the full :class:`EfficiencyStatistics`
    (with the efficient cities), so :func:`efficient_frequency` needs no second DEA run. The results
    are kept by member index: a panel that is the ``k``-th of ``members`` (the ensemble's panels, in
    member order) is kept under ``k``, any other panel (the nominal one) under ``"nominal"`` (the
    last such call).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> meta = pd.DataFrame({"parent": ["P", "P"], "measure": ["input", "outcome"], "weight": [1.0, 1.0]},
    ...                     index=["x", "y"])
    >>> panel = SimpleNamespace(scores=pd.DataFrame({"x": [2.0, 3.0, 6.0], "y": [1.0, 3.0, 4.0]}, index=list("abc")),
    ...                         dataset=SimpleNamespace(indicators=meta))
    >>> stats = Fig8Statistics(parent="P", models=("crs",))
    >>> stats(panel)["crs_share"], stats.of("nominal").efficient, list(stats.labels())
    (0.3333333333333333, {'crs': ['b']}, ['r', 'concordant_share', 'crs_share', 'crs_median', 'crs_median_shifted', 'crs_spearman_shifted'])
    """

    parent: str = FIG8_DIMENSION
    models: tuple = ("crs", "vrs")
    members: list = field(default_factory=list)                # the ensemble's panels, in member order
    shift: float = ENSEMBLE_SHIFT                              # points on both scores, for the CRS translation
    computed: dict = field(default_factory=dict, repr=False)   # member index or "nominal" -> EfficiencyStatistics

    def __post_init__(self):
        self.models = tuple(_models(self.models))
        self.members = list(self.members)
        self.shift = check_number("shift", self.shift, low=0, low_open=True)

    def _key(self, panel):
        # the member index, found by identity in the list the caller holds (a copy of a member is not that member)
        return next((k for k, member in enumerate(self.members) if member is panel), "nominal")

    def __call__(self, panel) -> dict:
        result = ensemble_statistics(panel.scores, panel.dataset.indicators, parent=self.parent, models=self.models,
                                     shift=self.shift)
        self.computed[self._key(panel)] = result
        return result.statistics

    def of(self, key) -> EfficiencyStatistics:
        """The :class:`EfficiencyStatistics` kept under ``key``: a member index, or ``"nominal"`` (KeyError when
        not computed: a member that failed, or a call that never happened)."""
        return self.computed[key]

    def of_members(self) -> list:
        """Those of the members computed, in member order (a member that failed is left out)."""
        return [self.computed[k] for k in range(len(self.members)) if k in self.computed]

    def labels(self) -> dict:
        return ensemble_labels(self.models, shift=self.shift)

    def conclusions(self) -> dict:
        return ensemble_conclusions(self.models, shift=self.shift)
