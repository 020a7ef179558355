"""Notebook 07's study: the low-carbon types of the top ``top_n`` and the report's two statements on them.

:func:`lowcarbon_typology` classifies the low-carbon top ``top_n`` with a rule of
:mod:`cityeval.analysis._typology_rule`; :func:`report_statements` checks the report's statements, saying
which the rule itself decides (:func:`cityeval.analysis.typology.rule_check`); :func:`describe_statements`,
:func:`threshold_sweep`, :func:`typology_summary` and :func:`typology_assumptions` write what notebook 07
prints and records.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_integer, check_numbers, check_sample

from cityeval.analysis._typology_rule import (REFERENCES, TYPES, RuleCheck, _quantile, _table, classify, rule_check,
                                              rule_text)

__all__ = ["LOWCARBON_NAMES_ZH", "SWEEP_QUANTILES", "lowcarbon_codes", "LowCarbonTypology", "lowcarbon_typology",
           "EffectiveVsTopK", "TypologyStatements", "report_statements", "describe_statements", "threshold_sweep",
           "typology_summary", "typology_assumptions", "rule_block"]

#: The indicator names (``name_zh`` of the indicator table) of the low-carbon dimension and its two scores.
LOWCARBON_NAMES_ZH = {"dimension": "低碳发展", "ecology": "绿色生态", "development": "绿色发展"}
#: Quantiles of :func:`threshold_sweep` by default.
SWEEP_QUANTILES = (0.3, 0.5, 0.7, 0.9)


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
    reference : str, default "classified"
        Where the thresholds come from (``"classified"``: the cities classified; ``"all"``: all cities).
    n_units : int, optional
        Cities the top ``top_n`` were taken from (``None``: unknown, e.g. a hand-made typology).
    thresholds : tuple, optional
        The (ecology, development) cuts used.
    selection_weights : tuple, optional
        The low-carbon score's effective weights on the standardized (ecology, development) scores: the
        least-squares coefficients of the low-carbon score on the two, times their standard deviations over all
        cities, rescaled to sum to 1 (the selection :func:`rule_check` reproduces); ``selection_r2`` is that
        fit's R² (1: the low-carbon score is exactly a weighted mean of the two).
    """

    types: pd.DataFrame
    counts: pd.Series
    overall_head: list
    top_n: int
    top_k_overall: int
    quantile: float
    reference: str = "classified"
    n_units: int | None = None
    thresholds: tuple | None = None
    selection_weights: tuple = (0.5, 0.5)
    selection_r2: float = float("nan")

    @property
    def rule(self) -> str:
        """The rule in words (:func:`cityeval.analysis.typology.rule_text`)."""
        return rule_text(self.quantile, self.reference, self.n_units)

    @property
    def rule_name(self) -> str:
        """The rule's short name: ``"the median rule"``, ``"the all-city median rule"``."""
        return self.rule.split(" (")[0]

    @property
    def head_classified(self) -> list:
        """The cities of the overall head that are among the cities classified, in rank order."""
        return [c for c in self.overall_head if c in self.types.index]


def lowcarbon_typology(all_scores: pd.DataFrame, indicators: pd.DataFrame, *, composite: str, top_n: int = 100,
                       quantile: float = 0.5, top_k_overall: int = 10,
                       reference: str = "classified") -> LowCarbonTypology:
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
    reference : {"classified", "all"}, default "classified"
        Where each score's ``quantile`` is taken: among the ``top_n`` cities classified (the report's words
        read literally; the rule then fixes some shares, :func:`rule_check`), or among all cities of
        ``all_scores`` (a cut fixed before the top ``top_n`` is looked at).

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
        infinite or repeated city among the cities classified (with ``reference="all"``: among all cities).

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
    q = _quantile(quantile)
    check_choice("reference", reference, REFERENCES)
    low_top = all_scores[codes["dimension"]].sort_values(ascending=False, kind="stable").index[:top_n]
    overall_head = all_scores[composite].sort_values(ascending=False, kind="stable").index[:top_k_overall]
    eco, dev = all_scores.loc[low_top, codes["ecology"]], all_scores.loc[low_top, codes["development"]]
    if reference == "all":
        pool = [check_sample(all_scores[codes[k]], name=f"all_scores[{codes[k]!r}]", what="one score per city")
                for k in ("ecology", "development")]
        cuts = (float(np.quantile(pool[0], q)), float(np.quantile(pool[1], q)))
        types = classify(eco, dev, thresholds=cuts)
    else:
        types = classify(eco, dev, quantile=q)
        cuts = (float(np.quantile(types["ecology"], q)), float(np.quantile(types["development"], q)))
    counts = types["type"].value_counts().reindex(list(TYPES), fill_value=0)
    weights, r2 = _selection_weights(all_scores, codes)
    return LowCarbonTypology(types=types, counts=counts, overall_head=list(overall_head), top_n=top_n,
                             top_k_overall=top_k_overall, quantile=q, reference=reference,
                             n_units=len(all_scores), thresholds=cuts, selection_weights=weights, selection_r2=r2)


def _selection_weights(all_scores: pd.DataFrame, codes: dict) -> tuple:
    """The low-carbon score's effective weights on the standardized two scores (least squares over every city
    with finite scores), clipped at 0 and rescaled to sum to 1 (equal when undefined), and the fit's R²."""
    frame = all_scores[[codes["dimension"], codes["ecology"], codes["development"]]].astype(float)
    frame = frame[np.isfinite(frame).all(axis=1)]
    y, x = frame.iloc[:, 0].to_numpy(), frame.iloc[:, 1:].to_numpy()
    sd = x.std(axis=0)
    if len(frame) < 3 or not np.all(sd > 0) or not y.std() > 0:
        return (0.5, 0.5), float("nan")
    design = np.column_stack([(x - x.mean(axis=0)) / sd, np.ones(len(y))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    r2 = 1 - float(np.sum((y - design @ coef) ** 2) / np.sum((y - y.mean()) ** 2))
    w = np.clip(coef[:2], 0, None)
    return ((0.5, 0.5) if w.sum() == 0 else tuple(float(v) for v in w / w.sum())), r2


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
        ``all_effective_are_in_top_k`` and ``effective_equals_top_k``: True or False on these data, or
        None where the rule fixes the answer (untestable under that rule).
    comparison : EffectiveVsTopK
    majority_share : float
        Share of the classified cities that are starting or growing.
    rule : RuleCheck or None
        What the rule fixes whatever the data (:func:`rule_check`); None when it was not checked (the
        cities classified unknown).
    rule_value : dict
        Check -> the answer the rule forces (only for the checks it fixes).
    """

    checks: dict
    comparison: EffectiveVsTopK
    majority_share: float
    rule: RuleCheck | None = None
    rule_value: dict = field(default_factory=dict)

    @property
    def testable(self) -> dict:
        """Check -> whether the data can decide it under the rule (False: the rule fixes the answer)."""
        return {k: v is not None for k, v in self.checks.items()}

    def table(self) -> pd.DataFrame:
        """One row per check: ``testable under this rule`` and ``holds on these data`` (the words
        "untestable: fixed by the rule" where the rule decides it)."""
        holds = {k: (v if v is not None else f"untestable: {'holds' if self.rule_value.get(k) else 'fails'} "
                     "by the rule") for k, v in self.checks.items()}
        return pd.DataFrame({"testable under this rule": self.testable, "holds on these data": holds})


def _typology(typology) -> None:
    if not isinstance(typology, LowCarbonTypology):
        raise ParameterError("typology", "a LowCarbonTypology (from lowcarbon_typology)", Shown(type(typology).__name__))


def _statements(statements) -> None:
    if not isinstance(statements, TypologyStatements):
        raise ParameterError("statements", "a TypologyStatements (from report_statements)",
                             Shown(type(statements).__name__))


def report_statements(typology: LowCarbonTypology, *, n_draws: int = 200, seed: int = 0) -> TypologyStatements:
    """Check the report's two statements on a :class:`LowCarbonTypology`, saying which the rule decides.

    The first statement (more than half starting or growing) is read on the share of starting + growing;
    :func:`rule_check` (``n_draws`` data sets, ``seed``) classifies data of a plausible range of dependence with
    the same rule and the typology's selection and, when "more than half" has one answer on all of them (the
    share fixed, or its feasible range on one side of one half), the check is None: untestable (in practice)
    under this rule (the answer rule and selection force is in ``rule_value``). Without ``n_units`` (a hand-made typology) the rule is not
    checked.

    Examples
    --------
    >>> import pandas as pd
    >>> types = pd.DataFrame({"type": ["成效型", "起步型", "成长型"]}, index=list("abc"))
    >>> t = LowCarbonTypology(types, pd.Series(dtype=int), ["a", "z"], 3, 2, 0.5)
    >>> s = report_statements(t)
    >>> s.checks["all_effective_are_in_top_k"], s.comparison.overlap, s.comparison.jaccard
    (True, ['a'], 0.5)
    >>> t100 = LowCarbonTypology(types, pd.Series(dtype=int), ["a"], 100, 10, 0.5, n_units=293)
    >>> report_statements(t100, n_draws=20).checks["majority_starting_or_growing"] is None
    True
    """
    _typology(typology)
    types = typology.types
    effective = set(types.index[types["type"] == "成效型"])
    head = set(typology.overall_head)
    overlap = effective & head
    majority_share = float(types["type"].isin(["起步型", "成长型"]).mean())
    check = (rule_check(top_n=typology.top_n, quantile=typology.quantile, reference=typology.reference,
                        n_units=typology.n_units, n_draws=n_draws, seed=seed, weights=typology.selection_weights)
             if typology.n_units else None)
    fixed = check is not None and check.decided("majority_share") is not None
    checks = {
        "majority_starting_or_growing": None if fixed else majority_share > 0.5,
        "all_top_k_are_effective": head <= effective,
        "all_effective_are_in_top_k": effective <= head,
        "effective_equals_top_k": effective == head,
    }
    comparison = EffectiveVsTopK(
        effective=sorted(effective), overall_top_k=list(typology.overall_head), overlap=sorted(overlap),
        jaccard=len(overlap) / len(effective | head) if effective | head else float("nan"),
        top_k_outside_low_carbon_top=sorted(head - set(types.index)))
    rule_value = {"majority_starting_or_growing": check.decided("majority_share")} if fixed else {}
    return TypologyStatements(checks=checks, comparison=comparison, majority_share=majority_share, rule=check,
                              rule_value=rule_value)


def _majority_words(statements: TypologyStatements) -> str:
    if statements.checks.get("majority_starting_or_growing", False) is None:
        if statements.rule is not None and not statements.rule.fixed("majority_share"):
            return " (more than half decided by the rule and the selection on any plausible data: untestable in practice)"
        return " (fixed by the rule whatever the data: untestable under it)"
    return ""


def describe_statements(typology: LowCarbonTypology, statements: TypologyStatements) -> str:
    """One line: the rule, the starting-or-growing share (marked when the rule fixes it), the size of the
    effective type and its overlap with the head.

    Examples
    --------
    >>> import pandas as pd
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series(dtype=int), [], 4, 2, 0.5)
    >>> describe_statements(t, TypologyStatements({}, EffectiveVsTopK(["a"], [], ["a"], 0.5, []), 0.5))
    'the median rule: starting + growing: 50% of 4; effective type: 1 cities; overlap with the overall top 2: 1 (Jaccard 0.50)'
    """
    _typology(typology)
    _statements(statements)
    c = statements.comparison
    return (f"{typology.rule_name}: starting + growing: {statements.majority_share:.0%} of {typology.top_n}"
            f"{_majority_words(statements)}; effective type: {len(c.effective)} cities; overlap with the overall top "
            f"{typology.top_k_overall}: {len(c.overlap)} (Jaccard {c.jaccard:.2f})")


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
                     spread: dict | None = None, alternative: tuple | None = None) -> str:
    """The one-sentence summary of notebook 07 (marked illustrative on synthetic data).

    ``spread`` (optional): label -> text of a statistic's range over an ensemble of panels (e.g.
    ``EnsembleSummary.range_text``), appended as " Ensemble spread: label text; ...". ``alternative``
    (optional): ``(LowCarbonTypology, TypologyStatements)`` under another rule (e.g. ``reference="all"``),
    whose starting-or-growing share is quoted beside, as what can be tested.

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
    alt = ""
    if alternative is not None:
        if not (isinstance(alternative, tuple) and len(alternative) == 2):
            raise ParameterError("alternative", "None or a pair (LowCarbonTypology, TypologyStatements)",
                                 Shown(type(alternative).__name__))
        other, other_st = alternative
        _typology(other)
        _statements(other_st)
        verdict = other_st.checks.get("majority_starting_or_growing")
        alt = (f" Under {other.rule_name}, a cut stated up front, {other_st.majority_share:.0%} are starting or "
               "growing" + (f", so \"more than half\" {'holds' if verdict else 'fails'} on these data"
                            if verdict is not None else
                            " (untestable in practice under that rule too: the rule and the selection decide it)")
               + ".")
    return (f"{mark}with {typology.rule_name} "
            f"{statements.majority_share:.0%} of the low-carbon top {typology.top_n} are starting or growing"
            f"{_majority_words(statements)}; "
            f"{len(c.effective)} effective-type cities, {len(c.overlap)} of them in the overall top "
            f"{typology.top_k_overall}." + alt + _spread_text(spread))


def _spread_text(spread) -> str:
    if spread is None:
        return ""
    if not isinstance(spread, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in spread.items()):
        raise ParameterError("spread", "a dict of label -> range text (str -> str), or None", Shown(type(spread).__name__))
    return (" Ensemble spread: " + "; ".join(f"{k} {v}" for k, v in spread.items()) + ".") if spread else ""



def rule_block(typology: LowCarbonTypology, statements: TypologyStatements, *, synthetic: bool) -> dict:
    """A typology under one rule as the results file records it: the rule, its thresholds, the type counts,
    the starting-or-growing share, the checks (None: untestable under the rule), what the rule fixes.

    >>> import pandas as pd
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series({"起步型": 1}), [], 4, 2, 0.5, "all", 10, (1.0, 2.0))
    >>> rule_block(t, TypologyStatements({}, EffectiveVsTopK([], [], [], 0.0, []), 0.25), synthetic=True)["rule"]
    'the all-city median rule (thresholds: the median of each score over all 10 evaluated cities)'
    """
    _typology(typology)
    _statements(statements)
    return {"rule": typology.rule, "reference": typology.reference, "quantile": typology.quantile,
            "thresholds": list(typology.thresholds) if typology.thresholds is not None else None,
            "type_counts": {k: int(v) for k, v in typology.counts.items()},
            "majority_share": statements.majority_share, "statement_checks": dict(statements.checks),
            "rule_check": statements.rule.block() if statements.rule is not None else None,
            "illustrative": check_bool("synthetic", synthetic)}


def _data_sentence(synthetic: bool) -> str:
    return ("the scores are the synthetic panel's (illustrative): the report publishes neither the two scores nor the "
            "low-carbon top 100" if synthetic else "the scores are those of the data folder given (not CCID's)")


def typology_assumptions(typology: LowCarbonTypology, statements: TypologyStatements, *, synthetic: bool,
                         alternative: tuple | None = None, alternative_key: str = "testable_rule",
                         ensemble: bool = False, readings_key: str | None = None) -> dict:
    """``results["assumptions"]`` of notebook 07: dotted path -> the sentences each headline rests on.

    Paths: ``majority_share``, ``statement_checks``, ``effective_vs_top_k``; with ``alternative`` (a pair as
    for :func:`typology_summary`, recorded by :func:`rule_block` under ``alternative_key``)
    ``<alternative_key>.majority_share``; with ``ensemble``, ``ensemble`` and ``conclusions``; with
    ``readings_key``, that key (where the results hold :meth:`MajorityReadings.block`).

    >>> import pandas as pd
    >>> types = pd.DataFrame({"type": ["成效型", "起步型", "成长型"]}, index=list("abc"))
    >>> t = LowCarbonTypology(types, pd.Series(dtype=int), ["a"], 100, 10, 0.5, n_units=293)
    >>> s = report_statements(t, n_draws=20)
    >>> sorted(typology_assumptions(t, s, synthetic=True))
    ['effective_vs_top_k', 'majority_share', 'statement_checks']
    """
    _typology(typology)
    _statements(statements)
    data = _data_sentence(check_bool("synthetic", synthetic))

    def rule_sentences(t, st):
        out = [f"the report's words made a rule stated here, {t.rule}: a score is high when at or above its threshold "
               "(the report publishes no rule)", "the scores are distinct (no ties)"]
        if st.rule is not None:
            c = st.rule
            lo, hi = c.rho_range
            data_sets = (f"{c.n_draws} data sets with correlations of the two scores from {lo:g} to {hi:g} and the "
                         f"notebook's selection (the top {c.top_n} by {c.weights[0]:.2f} × ecology + "
                         f"{c.weights[1]:.2f} × development, standardized; the low-carbon score's effective weights, "
                         f"R² {t.selection_r2:.3f}) (rule_check)")
            if c.fixed("majority_share"):
                out.append(f"under this rule the share is {c.value('majority_share'):.0%} on every one of "
                           f"{data_sets}: it measures the rule, not the cities, so the claim is untestable under it")
            elif c.decided("majority_share") is not None:
                out.append(f"under this rule the share ranges {c.low['majority_share']:.0%}–"
                           f"{c.high['majority_share']:.0%} over {data_sets}, so more than half "
                           f"{'holds' if c.decided('majority_share') else 'fails'} on all of them: the rule and the "
                           "selection decide it, not the data (untestable in practice)")
            else:
                out.append(f"under this rule the share ranges {c.low['majority_share']:.0%}–"
                           f"{c.high['majority_share']:.0%} over {data_sets}: more than half can fail or hold, so "
                           f"the scores decide it, but only strongly opposed scores make it hold ({c._where()})")
        return out

    out = {"majority_share": rule_sentences(typology, statements) + [data],
           "statement_checks": ["more than half is how 绝大部分 (the vast majority) is read",
                                "a check is null where the rule fixes its answer (untestable under the rule)", data],
           "effective_vs_top_k": ["the overall top k are the published Table 3 top k (every panel reproduces them)",
                                  "which of them are in the low-carbon top 100, and of which type, is not published",
                                  data]}
    if alternative is not None:
        other, other_st = alternative
        _typology(other)
        _statements(other_st)
        out[f"{alternative_key}.majority_share"] = (rule_sentences(other, other_st)
                                                    + ["the cut is stated before the types are looked at", data])
    if readings_key is not None:
        out[readings_key] = [
            "each reading is checked on data sets whose two scores have a Gaussian copula with a correlation from "
            "-0.9 to 0.95, on normal or log-normal margins (rule_check): another dependence (e.g. opposed only in "
            "the tails) could give other ranges",
            f"the selection is the top {typology.top_n} by the low-carbon score, reproduced as a weighted mean of the "
            f"two standardized scores (effective weights {typology.selection_weights[0]:.2f}, "
            f"{typology.selection_weights[1]:.2f}; least-squares R² {typology.selection_r2:.3f} on these data)",
            "majority_rho_bound assumes an elliptical dependence of the two scores (e.g. bivariate normal)", data]
    if ensemble:
        members = ["every ensemble panel reproduces the report's published (rank, city) pairs",
                   "what the published ranks leave open (here the low-carbon scores) is set by the generator's "
                   "documented ranges (cityeval.ccid2022.ensemble), so the spread is illustrative"]
        out["ensemble"] = members
        out["conclusions"] = members + ["a conclusion's basis 'rule' means the classification rule (with the "
                                        "notebook's selection) decides it on any plausible data (rule_check or the "
                                        "rule's arithmetic)",
                                        "a conclusion's basis 'generator' means no published table constrains it (the "
                                        "low-carbon scores and top 100 are unpublished): the same verdict on every "
                                        "panel reflects the generator's structure, not the published ranks"]
    return out
