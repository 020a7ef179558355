"""The report's low-carbon typology: 起步型, 成长型, 成效型 (Ch. 3 §4, Fig. 16).

The report sorts the low-carbon top 100 into three types by two scores, green
ecology (绿色生态) and green development (绿色发展), and describes them in words
only:

- 成效型 (effective): "绿色生态和绿色发展双管齐下" — strong on both;
- 成长型 (growing): "优先绿色生态……在绿色生态方面的产出相对较多" — ecology ahead;
- 起步型 (starting): "绿色生态和绿色发展2个方面均相对较弱" — weak on both.

It publishes no thresholds. :func:`classify` makes the words a documented rule:
a score is *high* when it is at or above the ``quantile`` of that score among
the cities classified (default the median). Then

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

Notebook 07's study is :func:`lowcarbon_typology` (the types of the low-carbon
top ``top_n``), :func:`report_statements` (the report's two statements checked
on them), :func:`threshold_sweep` and :func:`typology_summary`. What holds across
panels is :func:`ensemble_statistics` (one panel's type shares and top-ten check,
the same function for the nominal panel and every ensemble member), with
:func:`ensemble_labels` and :func:`ensemble_conclusions`; :class:`TypologyStatistics`
is it as the ``statistics(panel)`` callable of an ensemble summary.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_integer, check_number, check_numbers, check_sample

__all__ = ["classify", "TYPES", "LOWCARBON_NAMES_ZH", "lowcarbon_codes", "lowcarbon_typology", "LowCarbonTypology",
           "report_statements", "TypologyStatements", "EffectiveVsTopK", "describe_statements", "threshold_sweep", "SWEEP_QUANTILES",
           "typology_summary", "ENSEMBLE_NAMES", "ensemble_statistics", "TypologyStatistics", "ensemble_labels", "ensemble_conclusions",
           "high_count"]

#: Type names (zh) with English labels, in the report's order of maturity, plus the fourth quadrant.
TYPES = {"起步型": "starting", "成长型": "growing", "成效型": "effective", "发展先行型": "development-first (not in the report)"}
#: The indicator names (``name_zh`` of the indicator table) of the low-carbon dimension and its two scores.
LOWCARBON_NAMES_ZH = {"dimension": "低碳发展", "ecology": "绿色生态", "development": "绿色发展"}
#: Quantiles of :func:`threshold_sweep` by default.
SWEEP_QUANTILES = (0.3, 0.5, 0.7, 0.9)


def _quantile(quantile) -> float:
    return check_number("quantile", quantile, low=0, high=1, low_open=True, high_open=True)


def _table(name: str, value, columns=()) -> pd.DataFrame:
    """``value`` if it is a DataFrame holding ``columns``, else a ParameterError naming ``name``."""
    if not isinstance(value, pd.DataFrame) or not set(columns) <= set(value.columns):
        allowed = "a pandas DataFrame" + (f" with columns {', '.join(columns)}" if columns else "")
        raise ParameterError(name, allowed, Shown(f"a DataFrame with columns {list(value.columns)}"
                                                  if isinstance(value, pd.DataFrame) else type(value).__name__))
    return value


def _unique_cities(series: pd.Series, name: str) -> None:
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()].unique()
        raise DataError(None, f"cities (the {name}'s index) must be unique: a city is classified once",
                        detail=f"repeated: {', '.join(map(str, dup[:5]))}")


def classify(ecology: pd.Series, development: pd.Series, *, quantile: float = 0.5) -> pd.DataFrame:
    """Classify cities into the low-carbon types by the rule in the module docstring.

    Parameters
    ----------
    ecology, development : Series
        Green-ecology and green-development scores, same index (cities), finite, at least two cities.
    quantile : float, default 0.5
        A score is high when it is >= this quantile of the same score among these cities (0 < q < 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by city: ``ecology``, ``development``, ``type`` (zh), ``type_en``.

    Raises
    ------
    ParameterError
        ``quantile`` outside (0, 1), scores for different cities, fewer than two cities.
    DataError
        A NaN or infinite score (naming the city), a repeated city.

    Examples
    --------
    >>> import pandas as pd
    >>> eco = pd.Series([4.0, 3.0, 1.0, 2.0], index=list("abcd"))
    >>> dev = pd.Series([4.0, 1.0, 2.0, 3.0], index=list("abcd"))
    >>> classify(eco, dev)["type_en"].tolist()
    ['effective', 'growing', 'starting', 'development-first (not in the report)']
    """
    quantile = _quantile(quantile)
    check_sample(ecology, name="ecology", what="one score per city")
    check_sample(development, name="development", what="one score per city")
    eco = pd.Series(ecology, dtype=float)
    dev = pd.Series(development, dtype=float)
    _unique_cities(eco, "ecology")
    _unique_cities(dev, "development")
    if not eco.index.equals(dev.index):
        raise ParameterError("development", "a series with the same cities (index) as ecology",
                             f"{len(dev)} cities, {len(set(dev.index) ^ set(eco.index))} not shared")
    high_eco = eco >= eco.quantile(quantile)
    high_dev = dev >= dev.quantile(quantile)
    kind = pd.Series("起步型", index=eco.index)
    kind[high_eco & high_dev] = "成效型"
    kind[high_eco & ~high_dev] = "成长型"
    kind[~high_eco & high_dev] = "发展先行型"
    return pd.DataFrame({"ecology": eco, "development": dev, "type": kind, "type_en": kind.map(TYPES)})


def lowcarbon_codes(indicators: pd.DataFrame) -> dict:
    """The codes of :data:`LOWCARBON_NAMES_ZH` in an indicator table: ``{"dimension": ..., "ecology": ...,
    "development": ...}`` (the first code carrying each name).

    Raises
    ------
    ParameterError
        ``indicators`` is not a DataFrame with a ``name_zh`` column.
    DataError
        A name no indicator carries.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展"]}, index=["LOW", "LOW_ECO", "LOW_DEV"])
    >>> lowcarbon_codes(meta)
    {'dimension': 'LOW', 'ecology': 'LOW_ECO', 'development': 'LOW_DEV'}
    """
    indicators = _table("indicators", indicators, ["name_zh"])
    found = {key: indicators.index[indicators["name_zh"] == name] for key, name in LOWCARBON_NAMES_ZH.items()}
    missing = [LOWCARBON_NAMES_ZH[key] for key, codes in found.items() if not len(codes)]
    if missing:
        raise DataError(None, f"the indicator table needs the indicators {', '.join(LOWCARBON_NAMES_ZH.values())} "
                        "(name_zh)", column="name_zh", detail=f"missing: {', '.join(missing)}")
    return {key: codes[0] for key, codes in found.items()}


@dataclass(frozen=True)
class LowCarbonTypology:
    """The types of the low-carbon top ``top_n`` (:func:`lowcarbon_typology`).

    Attributes
    ----------
    types : pandas.DataFrame
        :func:`classify` of those cities, in the order of the low-carbon score.
    counts : pandas.Series
        Cities per type, in the order of :data:`TYPES` (0 for an empty type).
    overall_head : list
        The overall top ``top_k_overall`` by composite score.
    top_n, top_k_overall : int
    quantile : float
    """

    types: pd.DataFrame
    counts: pd.Series
    overall_head: list
    top_n: int
    top_k_overall: int
    quantile: float

    @property
    def head_classified(self) -> list:
        """The cities of the overall head that are among the cities classified, in rank order."""
        return [c for c in self.overall_head if c in self.types.index]


def lowcarbon_typology(all_scores: pd.DataFrame, indicators: pd.DataFrame, *, composite: str, top_n: int = 100,
                       quantile: float = 0.5, top_k_overall: int = 10) -> LowCarbonTypology:
    """Classify the low-carbon top ``top_n`` into the report's types.

    Parameters
    ----------
    all_scores : pandas.DataFrame
        Aggregate scores of every city (``ScoredPanel.all_scores``): the columns of
        :func:`lowcarbon_codes` and ``composite``.
    indicators : pandas.DataFrame
        The indicator table (``name_zh``).
    composite : str
        The composite's code (``ScoredPanel.top_code``), for the overall head.
    top_n : int, default 100
        Cities classified: the top by the low-carbon dimension (3 ... number of cities).
    quantile : float, default 0.5
        As for :func:`classify`.
    top_k_overall : int, default 10
        Size of the overall head the effective type is compared with (1 ... number of cities).

    Returns
    -------
    LowCarbonTypology

    Raises
    ------
    ParameterError
        ``all_scores`` not a DataFrame, ``composite`` not one of its columns, ``top_n``,
        ``top_k_overall`` or ``quantile`` out of range.
    DataError
        The indicator table lacks a low-carbon indicator or ``all_scores`` its column; a missing,
        infinite or repeated city among the cities classified.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展", "总"]}, index=["LOW", "E", "D", "ALL"])
    >>> s = pd.DataFrame({"LOW": [4.0, 3, 2, 1], "E": [4.0, 3, 1, 2], "D": [4.0, 1, 2, 3], "ALL": [1.0, 2, 3, 4]},
    ...                  index=list("abcd"))
    >>> t = lowcarbon_typology(s, meta, composite="ALL", top_n=4, top_k_overall=2)
    >>> t.counts.to_dict(), t.overall_head
    ({'起步型': 1, '成长型': 1, '成效型': 1, '发展先行型': 1}, ['d', 'c'])
    """
    all_scores = _table("all_scores", all_scores)
    codes = lowcarbon_codes(indicators)
    missing = [c for c in codes.values() if c not in all_scores.columns]
    if missing:
        raise DataError(None, "all_scores needs a column for each low-carbon code of the indicator table",
                        column=missing[0], detail=f"missing: {', '.join(map(str, missing))}")
    if not isinstance(composite, str) or composite not in all_scores.columns:
        raise ParameterError("composite", f"a column of all_scores ({', '.join(map(str, all_scores.columns))})",
                             composite)
    top_n = check_integer("top_n", top_n, low=3, high=len(all_scores))
    top_k_overall = check_integer("top_k_overall", top_k_overall, low=1, high=len(all_scores))
    low_top = all_scores[codes["dimension"]].sort_values(ascending=False, kind="stable").index[:top_n]
    overall_head = all_scores[composite].sort_values(ascending=False, kind="stable").index[:top_k_overall]
    types = classify(all_scores.loc[low_top, codes["ecology"]], all_scores.loc[low_top, codes["development"]],
                     quantile=quantile)
    counts = types["type"].value_counts().reindex(list(TYPES), fill_value=0)
    return LowCarbonTypology(types=types, counts=counts, overall_head=list(overall_head), top_n=top_n,
                             top_k_overall=top_k_overall, quantile=_quantile(quantile))


@dataclass(frozen=True)
class EffectiveVsTopK:
    """The effective type against the overall head.

    Attributes
    ----------
    effective : list
        Cities of the effective type (成效型), sorted.
    overall_top_k : list
        The overall head, in rank order.
    overlap : list
        Cities in both, sorted.
    jaccard : float
        |overlap| / |union| (NaN when both are empty).
    top_k_outside_low_carbon_top : list
        Cities of the head that are not among the cities classified, sorted.
    """

    effective: list
    overall_top_k: list
    overlap: list
    jaccard: float
    top_k_outside_low_carbon_top: list


@dataclass(frozen=True)
class TypologyStatements:
    """The report's two statements on the data at hand (:func:`report_statements`).

    Attributes
    ----------
    checks : dict
        ``majority_starting_or_growing`` (绝大部分城市都属于起步型和成长型, read as more than half),
        and, for 低碳成效型城市同时也是2022数字城市百强的前十名, ``all_top_k_are_effective``,
        ``all_effective_are_in_top_k`` and ``effective_equals_top_k``.
    comparison : EffectiveVsTopK
    majority_share : float
        Share of the classified cities that are starting or growing.
    """

    checks: dict
    comparison: EffectiveVsTopK
    majority_share: float

    def table(self) -> pd.DataFrame:
        """``checks`` as a one-column frame ("holds on these data")."""
        return pd.Series(self.checks, name="holds on these data").to_frame()


def _typology(typology) -> None:
    if not isinstance(typology, LowCarbonTypology):
        raise ParameterError("typology", "a LowCarbonTypology (from lowcarbon_typology)", Shown(type(typology).__name__))


def _statements(statements) -> None:
    if not isinstance(statements, TypologyStatements):
        raise ParameterError("statements", "a TypologyStatements (from report_statements)",
                             Shown(type(statements).__name__))


def report_statements(typology: LowCarbonTypology) -> TypologyStatements:
    """Check the report's two statements on a :class:`LowCarbonTypology`.

    Examples
    --------
    >>> import pandas as pd
    >>> types = pd.DataFrame({"type": ["成效型", "起步型", "成长型"]}, index=list("abc"))
    >>> t = LowCarbonTypology(types, pd.Series(dtype=int), ["a", "z"], 3, 2, 0.5)
    >>> s = report_statements(t)
    >>> s.checks["all_effective_are_in_top_k"], s.comparison.overlap, s.comparison.jaccard
    (True, ['a'], 0.5)
    """
    _typology(typology)
    types = typology.types
    effective = set(types.index[types["type"] == "成效型"])
    head = set(typology.overall_head)
    overlap = effective & head
    majority_share = float(types["type"].isin(["起步型", "成长型"]).mean())
    checks = {
        "majority_starting_or_growing": majority_share > 0.5,
        "all_top_k_are_effective": head <= effective,
        "all_effective_are_in_top_k": effective <= head,
        "effective_equals_top_k": effective == head,
    }
    comparison = EffectiveVsTopK(
        effective=sorted(effective), overall_top_k=list(typology.overall_head), overlap=sorted(overlap),
        jaccard=len(overlap) / len(effective | head) if effective | head else float("nan"),
        top_k_outside_low_carbon_top=sorted(head - set(types.index)))
    return TypologyStatements(checks=checks, comparison=comparison, majority_share=majority_share)


def describe_statements(typology: LowCarbonTypology, statements: TypologyStatements) -> str:
    """One line: the starting-or-growing share, the size of the effective type and its overlap with the head.

    Examples
    --------
    >>> import pandas as pd
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series(dtype=int), [], 4, 2, 0.5)
    >>> describe_statements(t, TypologyStatements({}, EffectiveVsTopK(["a"], [], ["a"], 0.5, []), 0.5))
    'starting + growing: 50% of 4; effective type: 1 cities; overlap with the overall top 2: 1 (Jaccard 0.50)'
    """
    _typology(typology)
    _statements(statements)
    c = statements.comparison
    return (f"starting + growing: {statements.majority_share:.0%} of {typology.top_n}; effective type: "
            f"{len(c.effective)} cities; overlap with the overall top {typology.top_k_overall}: {len(c.overlap)} "
            f"(Jaccard {c.jaccard:.2f})")


def threshold_sweep(types: pd.DataFrame, quantiles=SWEEP_QUANTILES) -> pd.DataFrame:
    """Cities per type when :func:`classify` is rerun on the same scores with each quantile.

    Parameters
    ----------
    types : pandas.DataFrame
        With columns ``ecology`` and ``development`` (e.g. :attr:`LowCarbonTypology.types`).
    quantiles : sequence of float, default :data:`SWEEP_QUANTILES`
        Each in (0, 1), at least one.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``quantile``, one column per type of :data:`TYPES` (counts).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"ecology": [4.0, 3, 1, 2], "development": [4.0, 1, 2, 3]})
    >>> threshold_sweep(t, [0.5]).to_dict("records")
    [{'起步型': 1, '成长型': 1, '成效型': 1, '发展先行型': 1}]
    """
    types = _table("types", types, ["ecology", "development"])
    if np.ndim(check_numbers("quantiles", quantiles, low=0, high=1, low_open=True, high_open=True)) != 1:
        raise ParameterError("quantiles", "a sequence of numbers in (0, 1)", quantiles)
    sweep = pd.DataFrame({q: classify(types["ecology"], types["development"], quantile=q)["type"].value_counts()
                          .reindex(list(TYPES), fill_value=0) for q in quantiles}).T
    sweep.index.name = "quantile"
    return sweep


def typology_summary(typology: LowCarbonTypology, statements: TypologyStatements, *, synthetic: bool,
                     spread: dict | None = None) -> str:
    """The one-sentence summary of notebook 07 (marked illustrative on synthetic data).

    ``spread`` (optional): label -> text of a statistic's range over an ensemble of panels (e.g.
    ``EnsembleSummary.range_text``), appended as " Ensemble spread: label text; ...".

    Examples
    --------
    >>> import pandas as pd
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series(dtype=int), [], 100, 10, 0.5)
    >>> s = TypologyStatements({}, EffectiveVsTopK(["a", "b"], [], ["a"], 0.5, []), 0.75)
    >>> typology_summary(t, s, synthetic=False)
    'with the median rule 75% of the low-carbon top 100 are starting or growing; 2 effective-type cities, 1 of them in the overall top 10.'
    """
    _typology(typology)
    _statements(statements)
    c = statements.comparison
    mark = "Illustrative (synthetic panel): " if check_bool("synthetic", synthetic) else ""
    rule = "the median rule" if typology.quantile == 0.5 else f"the {typology.quantile:g}-quantile rule"
    return (f"{mark}with {rule} "
            f"{statements.majority_share:.0%} of the low-carbon top {typology.top_n} are starting or growing; "
            f"{len(c.effective)} effective-type cities, {len(c.overlap)} of them in the overall top "
            f"{typology.top_k_overall}." + _spread_text(spread))


def _spread_text(spread) -> str:
    if spread is None:
        return ""
    if not isinstance(spread, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in spread.items()):
        raise ParameterError("spread", "a dict of label -> range text (str -> str), or None", Shown(type(spread).__name__))
    return (" Ensemble spread: " + "; ".join(f"{k} {v}" for k, v in spread.items()) + ".") if spread else ""


#: The names of :func:`ensemble_statistics`, in order: the share of each type of :data:`TYPES`, then the report's
#: two statements as numbers.
ENSEMBLE_NAMES = ("starting", "growing", "effective", "development_first", "majority_share", "top_k_effective",
                  "effective_in_top_k")


def ensemble_statistics(all_scores: pd.DataFrame, indicators: pd.DataFrame, *, composite: str, top_n: int = 100,
                        quantile: float = 0.5, top_k_overall: int = 10) -> dict:
    r"""Notebook 07's headline statistics of one panel: the type shares and the top-ten check.

    Parameters
    ----------
    all_scores, indicators, composite, top_n, quantile, top_k_overall
        As for :func:`lowcarbon_typology` (one panel's ``all_scores`` and indicator table).

    Returns
    -------
    dict
        name -> float, in the order of :data:`ENSEMBLE_NAMES`:

        - ``starting``, ``growing``, ``effective``, ``development_first``: the share of the low-carbon
          top ``top_n`` in each type (they sum to 1);
        - ``majority_share``: starting + growing (the report's 绝大部分城市都属于起步型和成长型);
        - ``top_k_effective``: the share of the overall top ``top_k_overall`` that is of the effective type
          (a city of the head outside the low-carbon top ``top_n`` is not classified, so not effective);
        - ``effective_in_top_k``: the share of the effective type that is in the overall head (NaN when the
          type is empty). Both are 1 exactly when 低碳成效型城市同时也是2022数字城市百强的前十名 holds.

    Raises
    ------
    ParameterError, DataError
        As :func:`lowcarbon_typology`.

    Notes
    -----
    Under the rule of :func:`classify`, starting + growing are the cities whose development score is
    below its ``quantile``: with the median and distinct scores that is exactly half of an even number
    of cities, so "more than half" cannot hold whatever the data; the size of the effective type is
    likewise set by the rule (about a quarter when the two scores are unrelated).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展", "总"]}, index=["LOW", "E", "D", "ALL"])
    >>> s = pd.DataFrame({"LOW": [4.0, 3, 2, 1], "E": [4.0, 3, 1, 2], "D": [4.0, 1, 2, 3], "ALL": [1.0, 2, 3, 4]},
    ...                  index=list("abcd"))
    >>> ensemble_statistics(s, meta, composite="ALL", top_n=4, top_k_overall=2)
    {'starting': 0.25, 'growing': 0.25, 'effective': 0.25, 'development_first': 0.25, 'majority_share': 0.5, 'top_k_effective': 0.0, 'effective_in_top_k': 0.0}
    """
    study = lowcarbon_typology(all_scores, indicators, composite=composite, top_n=top_n, quantile=quantile,
                               top_k_overall=top_k_overall)
    statements = report_statements(study)
    shares = (study.counts / study.counts.sum()).to_numpy(float)
    c = statements.comparison
    out = dict(zip(ENSEMBLE_NAMES[:4], map(float, shares)))
    out["majority_share"] = statements.majority_share
    out["top_k_effective"] = len(c.overlap) / len(c.overall_top_k)
    out["effective_in_top_k"] = len(c.overlap) / len(c.effective) if c.effective else float("nan")
    return out


def ensemble_labels(top_k_overall: int = 10) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures.

    >>> ensemble_labels(10)["top_k_effective"]
    'share of the overall top 10 of the effective type'
    """
    k = check_integer("top_k_overall", top_k_overall, low=1)
    # English only: figures are drawn with the default font unless lang is zh (a CJK glyph would be an empty box)
    return {"starting": "share of the type starting", "growing": "share of the type growing",
            "effective": "share of the type effective",
            "development_first": "share of the type development-first (not in the report)",
            "majority_share": "share starting or growing", "top_k_effective": f"share of the overall top {k} of the "
            "effective type", "effective_in_top_k": f"share of the effective type in the overall top {k}"}


def high_count(n: int, quantile: float = 0.5) -> int:
    """How many of ``n`` distinct scores are high under :func:`classify`'s rule: at or above the ``quantile``
    (linear interpolation, pandas' and numpy's default), ``n - ceil(quantile * (n - 1))``.

    Without ties both scores have exactly this many high cities, whatever their values, so the rule fixes
    the share of starting + growing (low development) at ``1 - high_count / n`` and bounds the effective
    type (high on both) between ``max(0, 2 high_count - n)`` and ``high_count`` cities.

    >>> high_count(100), high_count(100, 0.3), high_count(101), high_count(4, 0.9)
    (50, 70, 51, 1)
    """
    n = check_integer("n", n, low=2)
    q = _quantile(quantile)
    ranks = np.arange(n, dtype=float)
    return int((ranks >= np.quantile(ranks, q)).sum())


def ensemble_conclusions(top_k_overall: int = 10, *, top_n: int | None = None, quantile: float = 0.5) -> dict:
    """The yes/no tests notebook 07 makes of each panel's statistics: text -> ``(test(stats) -> bool, basis)``
    (the bases of ``cityeval.notebook.spread``).

    The report's two statements (the first read as more than half), and a weaker form of the second.

    Bases, for ``top_n`` cities classified at ``quantile`` (distinct scores; :func:`high_count` gives the
    ``m`` high cities of each score):

    - "more than half ... starting or growing": ``"rule"``. Starting + growing are the cities with low
      development, ``n - m`` of them whatever the data (exactly one half with the median and an even
      ``n``: "more than half" then never holds).
    - "every city of the overall top k is effective": ``"rule"`` when ``k > m`` (the type cannot hold k
      cities), else ``"model"``.
    - "the effective type is the overall top k": ``"rule"`` when ``k`` is outside the sizes the rule allows
      the type, ``max(0, 2m - n)`` ... ``m``; else ``"model"``. With the median and 100 cities the type may
      hold 0 to 50 cities (as many as the starting type): ten is possible, if ecology and development are
      opposed enough (80 of 100 cities growing or development-first), so the data decide it.
    - "more than half of the overall top k are effective": ``"rule"`` when ``m < k // 2 + 1``, else ``"model"``.

    Without ``top_n`` only the first is known to rest on the rule; the others are ``"model"``.

    >>> tests = ensemble_conclusions(10, top_n=100)
    >>> [t({"majority_share": 0.5, "top_k_effective": 1.0, "effective_in_top_k": 0.4}) for t, _ in tests.values()]
    [False, True, False, True]
    >>> [basis for _, basis in tests.values()]
    ['rule', 'model', 'model', 'model']
    >>> [basis for _, basis in ensemble_conclusions(10, top_n=100, quantile=0.3).values()]
    ['rule', 'model', 'rule', 'model']
    """
    k = check_integer("top_k_overall", top_k_overall, low=1)
    q = _quantile(quantile)
    if top_n is None:
        every = exact = most = "model"
    else:
        n = check_integer("top_n", top_n, low=2)
        m = high_count(n, q)
        every = "rule" if k > m else "model"
        exact = "rule" if not max(0, 2 * m - n) <= k <= m else "model"
        most = "rule" if m < k // 2 + 1 else "model"
    return {
        "more than half of the classified cities are starting or growing": (lambda s: s["majority_share"] > 0.5, "rule"),
        f"every city of the overall top {k} is of the effective type": (lambda s: s["top_k_effective"] == 1, every),
        f"the effective type is the overall top {k}":
            (lambda s: s["top_k_effective"] == 1 and s["effective_in_top_k"] == 1, exact),
        f"more than half of the overall top {k} are of the effective type":
            (lambda s: s["top_k_effective"] > 0.5, most),
    }


@dataclass(frozen=True)
class TypologyStatistics:
    """:func:`ensemble_statistics` as the one ``statistics(panel)`` function of an ensemble summary.

    Called with a panel (any object with ``all_scores``, ``dataset.indicators`` and ``top_code``, e.g. a
    notebook's scored panel), it returns that panel's statistics with these options.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> meta = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展", "总"]}, index=["LOW", "E", "D", "ALL"])
    >>> s = pd.DataFrame({"LOW": [4.0, 3, 2, 1], "E": [4.0, 3, 1, 2], "D": [4.0, 1, 2, 3], "ALL": [1.0, 2, 3, 4]},
    ...                  index=list("abcd"))
    >>> panel = SimpleNamespace(all_scores=s, dataset=SimpleNamespace(indicators=meta), top_code="ALL")
    >>> TypologyStatistics(top_n=4, top_k_overall=2)(panel)["majority_share"]
    0.5
    """

    top_n: int = 100
    quantile: float = 0.5
    top_k_overall: int = 10

    def __call__(self, panel) -> dict:
        return ensemble_statistics(panel.all_scores, panel.dataset.indicators, composite=panel.top_code,
                                   top_n=self.top_n, quantile=self.quantile, top_k_overall=self.top_k_overall)

    def labels(self) -> dict:
        return ensemble_labels(self.top_k_overall)

    def conclusions(self) -> dict:
        return ensemble_conclusions(self.top_k_overall, top_n=self.top_n, quantile=self.quantile)
