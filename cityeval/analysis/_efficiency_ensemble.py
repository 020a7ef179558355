"""Notebook 06's statistics of one panel, computed alike on the nominal panel and on every panel of an ensemble,
and how often each city is efficient across the panels.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there. The functions take plain frames (a
panel's ``scores`` and indicator table), so this module knows nothing of how the panels were made.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityeval.analysis._efficiency_dea import RETURNS, dea
from cityeval.analysis._efficiency_fig8 import FIG8_DIMENSION, _labels
from cityeval.analysis._efficiency_regression import input_outcome_regression, input_outcome_scores
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_number

__all__ = ["EfficiencyStatistics", "Fig8Statistics", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions",
           "efficient_frequency", "describe_frequency", "FEW_EFFICIENT"]

#: "A few cities make the frontier" read as: fewer than this share of the cities is efficient.
FEW_EFFICIENT = 0.10


@dataclass(frozen=True)
class EfficiencyStatistics:
    """One panel's statistics (:func:`ensemble_statistics`).

    Attributes
    ----------
    statistics : dict
        name -> number: ``r`` (Pearson r of input and outcome), ``concordant_share`` (share of the city pairs
        differing in both in which more input goes with more outcome), and ``<model>_share`` for each DEA
        model run (share of the cities that are efficient, input-oriented).
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
                        models=("crs", "vrs")) -> EfficiencyStatistics:
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

    Returns
    -------
    EfficiencyStatistics
        ``statistics`` with keys ``r``, ``concordant_share`` and ``<model>_share`` per model, in that order.

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
    :math:`1/n` by construction, whatever the data. The cost is one stacked LP per model and phase
    (about 0.07 s per model for 100 cities).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"parent": ["P", "P"], "measure": ["input", "outcome"], "weight": [1.0, 1.0]},
    ...                     index=["x", "y"])
    >>> scores = pd.DataFrame({"x": [2.0, 3.0, 6.0, 5.0], "y": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> s = ensemble_statistics(scores, meta, parent="P")
    >>> {k: round(v, 4) for k, v in s.statistics.items()}, s.efficient
    ({'r': 0.7071, 'concordant_share': 0.8333, 'crs_share': 0.25, 'vrs_share': 0.75}, {'crs': ['b'], 'vrs': ['a', 'b', 'c']})
    """
    models = _models(models)
    io = input_outcome_scores(scores, indicators, parent=parent)
    reg = input_outcome_regression(io["input"], io["outcome"])
    stats = {"r": reg.r, "concordant_share": reg.concordant_share}
    efficient = {}
    for m in models:
        res = dea(io[["input"]], io[["outcome"]], orientation="input", returns=m)
        efficient[m] = list(res.index[res["efficient"]])
        stats[f"{m}_share"] = len(efficient[m]) / len(io)
    return EfficiencyStatistics(statistics=stats, efficient=efficient, units=list(io.index))


def ensemble_labels(models=("crs", "vrs")) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures.

    >>> ensemble_labels(["vrs"])["vrs_share"]
    'share of cities VRS-efficient (DEA, input-oriented)'
    """
    labels = {"r": "Pearson r of input and outcome",
              "concordant_share": "share of city pairs where more input goes with more outcome"}
    for m in _models(models):
        labels[f"{m}_share"] = f"share of cities {m.upper()}-efficient (DEA, input-oriented)"
    return labels


def ensemble_conclusions(models=("crs", "vrs")) -> dict:
    """The yes/no tests notebook 06 makes of each panel's statistics: text -> ``(test(stats) -> bool, basis)``
    (the bases of ``cityeval.notebook.spread``).

    - "for most cities, outcome rises with input", read as more than half of the city pairs concordant
      (the report's 大多数城市随着人均数字化投入的增加，数字化建设成效也相应提升, as the notebook reads it);
      basis ``"model"``;
    - "a few cities make the <model> frontier": fewer than :data:`FEW_EFFICIENT` of the cities efficient.
      For CRS the basis is ``"rule"``: with one input and one outcome exactly one city (barring ties) is
      CRS-efficient, a share of 1/n whatever the data (:func:`ensemble_statistics`, Notes), so the
      method decides it (it holds for more than 10 cities). For VRS, ``"model"``.

    >>> tests = ensemble_conclusions(["crs", "vrs"])
    >>> [(t({"concordant_share": 0.6, "crs_share": 0.01, "vrs_share": 0.04}), basis) for t, basis in tests.values()]
    [(True, 'model'), (True, 'rule'), (True, 'model')]
    """
    out = {"more than half of the city pairs concordant (more input, more outcome)":
           (lambda s: s["concordant_share"] > 0.5, "model")}
    for m in _models(models):
        out[f"fewer than {FEW_EFFICIENT:.0%} of the cities {m.upper()}-efficient"] = (
            lambda s, key=f"{m}_share": s[key] < FEW_EFFICIENT, "rule" if m == "crs" else "model")
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
    (0.3333333333333333, {'crs': ['b']}, ['r', 'concordant_share', 'crs_share'])
    """

    parent: str = FIG8_DIMENSION
    models: tuple = ("crs", "vrs")
    members: list = field(default_factory=list)                # the ensemble's panels, in member order
    computed: dict = field(default_factory=dict, repr=False)   # member index or "nominal" -> EfficiencyStatistics

    def __post_init__(self):
        self.models = tuple(_models(self.models))
        self.members = list(self.members)

    def _key(self, panel):
        # the member index, found by identity in the list the caller holds (a copy of a member is not that member)
        return next((k for k, member in enumerate(self.members) if member is panel), "nominal")

    def __call__(self, panel) -> dict:
        result = ensemble_statistics(panel.scores, panel.dataset.indicators, parent=self.parent, models=self.models)
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
        return ensemble_labels(self.models)

    def conclusions(self) -> dict:
        return ensemble_conclusions(self.models)
