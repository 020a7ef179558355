"""Notebook 07's words in English or Chinese: the rule, the statements, the readings, the ensemble's labels and
conclusions in Chinese, the figure's words and the Chinese one-line summary.

The English texts are the study's own (:func:`describe_statements`, :meth:`RuleCheck.describe`,
:meth:`MajorityReadings.sentences`, :func:`typology_summary`), unchanged; the Chinese ones say the same with the same
numbers, in the report's terms (起步型, 成长型, 成效型, 绿色生态, 绿色发展, 低碳发展).
Re-exported by :mod:`cityeval.analysis.typology`; import from there.
"""
from __future__ import annotations

from cityeval.analysis._typology_readings import MajorityReadings
from cityeval.analysis._typology_rule import SHARE_NAMES, TYPES, RuleCheck, _quantile, rule_text
from cityeval.analysis._typology_study import (LowCarbonTypology, TypologyStatements, _spread_text, _statements,
                                               _typology, describe_statements)
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["LANGUAGES", "type_name", "rule_text_zh", "statements_text", "readings_text", "statistics_zh",
           "typology_summary_zh", "checks_table", "rule_table", "shown_table"]

#: Languages of the texts here.
LANGUAGES = ("en", "zh")
_MARK_ZH = "示意（合成数据）："
_SHARES_ZH = {"starting": "起步型", "growing": "成长型", "effective": "成效型", "development_first": "发展先行型",
              "majority_share": "起步型 + 成长型"}
_CHECKS_ZH = {"majority_starting_or_growing": "绝大部分城市都属于起步型和成长型（读作过半）",
              "all_top_k_are_effective": "总排名前 {k} 名都是成效型",
              "all_effective_are_in_top_k": "成效型城市都在总排名前 {k} 名",
              "effective_equals_top_k": "成效型城市就是总排名前 {k} 名"}


_CHECKS_EN = {"majority_starting_or_growing": "Most cities are starting or growing (read as: over half)",
              "all_top_k_are_effective": "The overall top {k} are all effective",
              "all_effective_are_in_top_k": "Every effective city is in the overall top {k}",
              "effective_equals_top_k": "The effective cities are the overall top {k}"}
_SHARES_EN = {"starting": "Starting", "growing": "Growing", "effective": "Effective",
              "development_first": "Development-first (not in the report)", "majority_share": "Starting + growing"}
#: Words of notebook 07's tables: identifier or English heading -> (English, Chinese).
_TABLE_WORDS = {
    "type": ("Type", "类型"), "quantile": ("Quantile of the rule", "规则的分位数"), "cities": ("Cities", "城市数"),
    "testable under this rule": ("Testable under this rule", "该规则下可检验"),
    "holds on these data": ("Holds on these data", "在这些数据上成立"),
    "min": ("Lowest", "最小"), "max": ("Highest", "最大"), "fixed by the rule": ("Fixed by the rule", "由规则固定"),
    "more than half decided by rule and selection": ("More than half decided by rule and selection",
                                                     "过半由规则和入选方式决定"),
    "ecology": ("Green ecology score", "绿色生态得分"), "development": ("Green development score", "绿色发展得分"),
}


def _lang(lang) -> str:
    return check_choice("lang", lang, LANGUAGES)


def type_name(kind: str, lang: str = "en") -> str:
    """A type's name in ``lang``: the report's Chinese name, or its English gloss (:data:`TYPES`).

    >>> type_name("成长型"), type_name("成长型", "zh"), type_name("发展先行型", "zh")
    ('growing', '成长型', '发展先行型（报告中没有）')
    """
    if kind not in TYPES:
        raise ParameterError("kind", f"one of {', '.join(TYPES)}", kind)
    if _lang(lang) == "zh":
        return "发展先行型（报告中没有）" if kind == "发展先行型" else kind
    return TYPES[kind]


def rule_text_zh(quantile: float = 0.5, reference: str = "classified", n_units: int | None = None) -> str:
    """:func:`~cityeval.analysis.typology.rule_text` in Chinese.

    >>> rule_text_zh(0.5, "all", 293)
    '全城市中位数规则（阈值：每项得分在全部 293 个参评城市中的中位数）'
    >>> rule_text_zh(0.3)
    '0.3 分位数规则（阈值：每项得分在参与分类的城市中的0.3 分位数）'
    """
    q = _quantile(quantile)
    rule_text(q, reference, n_units)   # the same checks
    what = "中位数" if q == 0.5 else f"{q:g} 分位数"
    if reference == "all":
        over = f"在全部 {n_units} 个参评城市中" if n_units else "在全部参评城市中"
        return f"全城市{what}规则（阈值：每项得分{over}的{what}）"
    return f"{what}规则（阈值：每项得分在参与分类的城市中的{what}）"


def _rule_name_zh(typology: LowCarbonTypology) -> str:
    return rule_text_zh(typology.quantile, typology.reference, typology.n_units).split("（")[0]


def _majority_words_zh(statements: TypologyStatements) -> str:
    if statements.checks.get("majority_starting_or_growing", False) is None:
        if statements.rule is not None and not statements.rule.fixed("majority_share"):
            return "（在任何合理的数据上，过半与否都由规则和入选方式决定：实际上无法检验）"
        return "（无论数据如何都由规则固定：在该规则下无法检验）"
    return ""


def _describe_zh(typology: LowCarbonTypology, statements: TypologyStatements) -> str:
    c = statements.comparison
    return (f"{_rule_name_zh(typology)}：起步型 + 成长型占 {typology.top_n} 个城市的 {statements.majority_share:.0%}"
            f"{_majority_words_zh(statements)}；成效型 {len(c.effective)} 个城市；与总排名前 {typology.top_k_overall} "
            f"名重合 {len(c.overlap)} 个（Jaccard {c.jaccard:.2f}）")


def _rule_check_zh(rule: RuleCheck) -> str:
    lo, hi = rule.rho_range
    w_e, w_d = rule.weights
    head = (f"在{rule_text_zh(rule.quantile, rule.reference, rule.n_units)}下，{rule.n_draws} 个各含 {rule.n_units} 个城市的"
            f"数据集（两项得分的相关系数从 {lo:g} 到 {hi:g}，偏态或正态边际分布；按 {w_e:.2f} × 绿色生态 + {w_d:.2f} × "
            f"绿色发展（标准化）选出前 {rule.top_n} 名，与本笔记本的入选方式相同）给出：")
    fixed = [n for n in SHARE_NAMES if rule.fixed(n)]
    m = "majority_share"
    text = head
    if fixed:
        text += ("；".join(f"{_SHARES_ZH[n]}每次都是 {rule.low[n]:.0%}" for n in fixed)
                 + "：这些占比由规则（在这种入选方式下）固定，关于它们的说法在该规则下无法检验")
        if m in fixed:
            return text + "。"
        text += "；而"
    rng = f"起步型 + 成长型从 {rule.low[m]:.0%} 到 {rule.high[m]:.0%}"
    answer = rule.decided(m)
    if answer is None:
        where = ""
        if rule.draws:
            w = rule.majority_where()
            kinds = {"normal": "正态", "skewed": "偏态"}
            parts = [f"{kinds[k]}边际仅在 ρ ≤ {r:.2f} 时" if r is not None else f"{kinds[k]}边际从未"
                     for k, r in w["rho_max"].items()]
            where = f"（{rule.n_draws} 个数据集中有 {w['n']} 个过半：" + "；".join(parts) + "）"
        return text + rng + "：在这样的数据上过半可能成立也可能不成立，因此在该规则下由得分决定" + where + "。"
    return text + (rng + f"：在每一个数据集上过半都{'成立' if answer else '不成立'}，因此在该规则和入选方式下，"
                   "这一说法实际上无法检验：决定它的是规则和入选方式，而不是城市。")


def statements_text(typology: LowCarbonTypology, statements: TypologyStatements, *, lang: str = "en") -> str:
    """The statements' line and the rule check's sentence, in ``lang`` (English: :func:`describe_statements` and
    :meth:`RuleCheck.describe`, one per line).

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.typology import EffectiveVsTopK
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series(dtype=int), [], 4, 2, 0.5)
    >>> s = TypologyStatements({}, EffectiveVsTopK(["a"], [], ["a"], 0.5, []), 0.5)
    >>> statements_text(t, s, lang="zh")
    '中位数规则：起步型 + 成长型占 4 个城市的 50%；成效型 1 个城市；与总排名前 2 名重合 1 个（Jaccard 0.50）'
    """
    _typology(typology)
    _statements(statements)
    if _lang(lang) == "en":
        lines = [describe_statements(typology, statements)]
        if statements.rule is not None:
            lines.append(statements.rule.describe())
        return "\n".join(lines)
    lines = [_describe_zh(typology, statements)]
    if statements.rule is not None:
        lines.append(_rule_check_zh(statements.rule))
    return "\n".join(lines)


def readings_text(readings: MajorityReadings, *, lang: str = "en") -> str:
    """:meth:`MajorityReadings.sentences` in ``lang``, one per line.

    >>> readings_text(object())
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: readings should be a MajorityReadings (from majority_readings), but its value is object.
    """
    if not isinstance(readings, MajorityReadings):
        raise ParameterError("readings", "a MajorityReadings (from majority_readings)", Shown(type(readings).__name__))
    if _lang(lang) == "en":
        return "\n".join(readings.sentences())
    first = next(iter(readings.checks.values()))
    lo, hi = first.rho_range
    out = [f"对“绝大部分城市都属于起步型和成长型”（过半为起步型或成长型）的各种读法，每种都在 {first.n_draws} 个各含 "
           f"{first.n_units} 个城市的数据集上检验（两项得分的相关系数从 {lo:g} 到 {hi:g}，正态或偏态边际；按 "
           f"{readings.weights[0]:.2f} × 绿色生态 + {readings.weights[1]:.2f} × 绿色发展（标准化）选出前 {first.top_n} 名，"
           "与低碳得分的选法相同）："]
    m = "majority_share"
    for c in readings.checks.values():
        what = f"前 {c.top_n} 名" if c.top_n < c.n_units else f"全部 {c.n_units} 个参评城市"
        if c.fixed(m):
            verdict = f"起步型 + 成长型在每个数据集上都是 {c.value(m):.1%}（由规则固定）：无法检验"
        else:
            answer = c.decided(m)
            span = f"起步型 + 成长型 {c.low[m]:.0%}–{c.high[m]:.0%}"
            verdict = (span + "：过半可能成立也可能不成立，因此由得分决定（原则上可检验）" if answer is None else
                       span + f"，在每个数据集上过半都{'成立' if answer else '不成立'}：实际上无法检验")
        out.append(f"  {rule_text_zh(c.quantile, c.reference, c.n_units)}，对{what}分类：{verdict}。")
    out.append("在椭圆型相依结构下（如二元正态），只有当入选得分与绿色发展负相关时，入选城市中才会有过半在期望上低于绿色发展的"
               f"全城市中位数，即在这些权重下 ρ(绿色生态, 绿色发展) < −（绿色发展权重 / 绿色生态权重）= {readings.rho_bound:.2f}"
               + ("（权重相等时任何相关系数都做不到）" if readings.rho_bound <= -1 else "")
               + "；在有限样本和偏态得分下，它会在略高于此处出现，如上面的范围所示。报告既不公布低碳得分的权重，也不公布两项得分，"
               "因此这无法核实。")
    testable = [n for n in readings.checks if readings.testable(n)]
    if testable:
        out.append("数据只能在" + "、".join(rule_text_zh(readings.checks[n].quantile, readings.checks[n].reference,
                                                      readings.checks[n].n_units) for n in testable)
                   + "下决定它（其他读法由各自的规则和入选方式决定），而那时过半需要两项得分强烈相反（见上面的相关系数）："
                   "这一说法就等于说参评城市中绿色生态与绿色发展强烈负相关，而没有任何公布的表格显示这一点；检验它需要赛迪的两项得分，"
                   "报告并未公布。")
    else:
        out.append("这些读法都无法检验：每一种都让答案成为规则和入选方式的结果。可检验的读法需要一个绝对的切分点（绿色发展得分"
                   "低于某一水平即为弱），报告没有给出，而且要用赛迪的得分，报告也没有公布。")
    return "\n".join(out)


def checks_table(statements: TypologyStatements, *, top_k_overall: int = 10, lang: str = "en"):
    """:meth:`TypologyStatements.table` for a reader, in ``lang``: the checks in words (not their identifiers),
    yes/no (是/否) for the booleans, the verdict words in ``lang``.

    >>> from cityeval.analysis.typology import EffectiveVsTopK
    >>> s = TypologyStatements({"majority_starting_or_growing": None}, EffectiveVsTopK([], [], [], 0.0, []), 0.5,
    ...                        rule_value={"majority_starting_or_growing": False})
    >>> checks_table(s, lang="zh").to_dict("records")
    [{'该规则下可检验': '否', '在这些数据上成立': '无法检验：由规则决定为不成立'}]
    >>> checks_table(s).index.tolist()
    ['Most cities are starting or growing (read as: over half)']
    """
    from cityeval.analysis._rank_agreement_shown import shown_frame

    _statements(statements)
    table = statements.table()
    if _lang(lang) == "zh":
        holds = {k: (v if v is not None else f"无法检验：由规则决定为{'成立' if statements.rule_value.get(k) else '不成立'}")
                 for k, v in statements.checks.items()}
        table = table.assign(**{"holds on these data": list(holds.values())})
    rows = _CHECKS_ZH if lang == "zh" else _CHECKS_EN
    table.index = [rows.get(k, k).format(k=top_k_overall) for k in table.index]
    return shown_frame(table, lang, _TABLE_WORDS)


def rule_table(rule: RuleCheck, *, lang: str = "en"):
    """:meth:`RuleCheck.table` for a reader, in ``lang`` (share names and columns in words, yes/no; a check the
    data decide is shown as such; an example runs in ``tests/analysis/test_tables_zh_06_09.py``)."""
    from cityeval.analysis._rank_agreement_shown import shown_frame

    if not isinstance(rule, RuleCheck):
        raise ParameterError("rule", "a RuleCheck (from rule_check)", Shown(type(rule).__name__))
    table = rule.table()
    shares = _SHARES_ZH if _lang(lang) == "zh" else _SHARES_EN
    table.index = [shares[n] for n in table.index]
    column = "more than half decided by rule and selection"
    by_data = "由数据决定" if lang == "zh" else "decided by the data"
    table[column] = table[column].map(lambda v: by_data if v is None else v)
    return shown_frame(table, lang, _TABLE_WORDS)


def shown_table(frame, lang: str = "en"):
    """One of notebook 07's other tables (the counts per type, the quantile sweep) for a reader, in ``lang``:
    type names (:func:`type_name`) and headings in words.

    >>> import pandas as pd
    >>> counts = pd.Series({"起步型": 3, "成效型": 2}, name="cities").rename_axis("type").to_frame()
    >>> shown = shown_table(counts, "zh")
    >>> shown.index.name, list(shown.index), list(shown.columns)
    ('类型', ['起步型', '成效型'], ['城市数'])
    >>> shown_table(counts).index.tolist()
    ['starting', 'effective']
    """
    from cityeval.analysis._rank_agreement_shown import shown_frame

    _lang(lang)
    words = {**_TABLE_WORDS, **{kind: (type_name(kind, "en"), type_name(kind, "zh")) for kind in TYPES}}
    return shown_frame(frame, lang, words)


def statistics_zh(statistics) -> dict:
    """Chinese names of the statistics and conclusions of a :class:`TypologyStatistics`, for
    :func:`cityeval.notebook.spread.summarize`'s ``zh`` (name or conclusion text -> Chinese).

    >>> from cityeval.analysis.typology import TypologyStatistics
    >>> stats = TypologyStatistics(top_n=60, top_k_overall=10, n_units=293)
    >>> zh = statistics_zh(stats)
    >>> zh["top_k_effective"], sorted(zh) == sorted([*stats.labels(), *stats.conclusions()])
    ('总排名前 10 名中成效型的占比', True)
    """
    k = statistics.top_k_overall
    q = _quantile(statistics.quantile)
    what = "中位数" if q == 0.5 else f"{q:g} 分位数"
    out = {"starting": "起步型的占比", "growing": "成长型的占比", "effective": "成效型的占比",
           "development_first": "发展先行型（报告中没有）的占比",
           "majority_share": "起步型或成长型的占比（阈值在参与分类的城市中）",
           "top_k_effective": f"总排名前 {k} 名中成效型的占比",
           "effective_in_top_k": f"成效型中属于总排名前 {k} 名的占比",
           "majority_share_all": f"起步型或成长型的占比，全城市{what}规则"}
    out = {name: text for name, text in out.items() if name in statistics.labels()}
    zh = ["参与分类的城市中过半是起步型或成长型",
          f"总排名前 {k} 名的每个城市都是成效型",
          f"成效型就是总排名前 {k} 名",
          f"总排名前 {k} 名中过半是成效型",
          f"在全城市{what}规则下，参与分类的城市中过半是起步型或成长型"]
    out.update(dict(zip(statistics.conclusions(), zh)))
    return out


def typology_summary_zh(typology: LowCarbonTypology, statements: TypologyStatements, *, synthetic: bool,
                        spread: dict | None = None, alternative: tuple | None = None) -> str:
    """:func:`~cityeval.analysis.typology.typology_summary` in Chinese (``results["summary_zh"]``); ``spread`` maps
    Chinese labels to Chinese range texts (``EnsembleSummary.range_text(name, fmt, lang="zh")``).

    >>> import pandas as pd
    >>> from cityeval.analysis.typology import EffectiveVsTopK
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series(dtype=int), [], 100, 10, 0.5)
    >>> s = TypologyStatements({}, EffectiveVsTopK(["a", "b"], [], ["a"], 0.5, []), 0.75)
    >>> typology_summary_zh(t, s, synthetic=False)
    '在中位数规则下，低碳发展前 100 名中 75% 是起步型或成长型；成效型城市 2 个，其中 1 个在总排名前 10 名。'
    """
    _typology(typology)
    _statements(statements)
    c = statements.comparison
    mark = _MARK_ZH if check_bool("synthetic", synthetic) else ""
    alt = ""
    if alternative is not None:
        if not (isinstance(alternative, tuple) and len(alternative) == 2):
            raise ParameterError("alternative", "None or a pair (LowCarbonTypology, TypologyStatements)",
                                 Shown(type(alternative).__name__))
        other, other_st = alternative
        _typology(other)
        _statements(other_st)
        verdict = other_st.checks.get("majority_starting_or_growing")
        alt = (f"在事先给定切分点的{_rule_name_zh(other)}下，{other_st.majority_share:.0%} 是起步型或成长型"
               + (f"，因此“过半”在这些数据上{'成立' if verdict else '不成立'}" if verdict is not None else
                  "（在该规则下实际上也无法检验：由规则和入选方式决定）") + "。")
    spread_text = ""
    if spread:
        _spread_text(spread)   # the same checks
        spread_text = "集合范围：" + "；".join(f"{k} {v}" for k, v in spread.items()) + "。"
    return (f"{mark}在{_rule_name_zh(typology)}下，低碳发展前 {typology.top_n} 名中 {statements.majority_share:.0%} 是起步型"
            f"或成长型{_majority_words_zh(statements)}；成效型城市 {len(c.effective)} 个，其中 {len(c.overlap)} 个在总排名前 "
            f"{typology.top_k_overall} 名。" + alt + spread_text)
