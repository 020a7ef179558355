"""Notebook 06's words in Chinese: the printed lines, the table headings, the ensemble's labels and the conclusions.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there. The English texts of
:mod:`cityeval.analysis._efficiency_fig8` and its neighbours stay as they are (the results file keeps them); this
module words the same numbers in Chinese, with the report's terms (投入, 成效, 信息基础).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["STAGE_NAMES_ZH", "shown_table", "ensemble_zh", "codes_zh", "frontier_lines_zh", "translation_lines_zh",
           "separate_lines_zh", "named_lines_zh", "per_capita_note_zh", "frequency_line_zh", "conclusions_zh",
           "fig8_summary_zh", "overview_caption"]

#: The report's three stages (Fig. 8: 能力搭建 → 效能驱动 → 创新发展), by the English names of
#: ``cityeval.analysis.clustering.stage_names(3)``.
STAGE_NAMES_ZH = {"capability building": "能力搭建", "efficiency driven": "效能驱动",
                  "innovative development": "创新发展"}

_TABLE_WORDS = {
    # the regression
    "n": ("Cities", "城市数"), "slope": ("Slope", "斜率"), "intercept": ("Intercept", "截距"), "r": ("Pearson r", "Pearson r"),
    "p_value": ("p-value", "p 值"), "slope_stderr": ("Slope standard error", "斜率标准误"),
    "intercept_stderr": ("Intercept standard error", "截距标准误"), "spearman": ("Spearman ρ", "Spearman ρ"),
    "spearman_p_value": ("Spearman p-value", "Spearman p 值"), "kendall_tau": ("Kendall τ", "Kendall τ"),
    "kendall_p_value": ("Kendall p-value", "Kendall p 值"), "concordant_pairs": ("Concordant pairs", "同向城市对数"),
    "discordant_pairs": ("Discordant pairs", "反向城市对数"),
    "concordant_share": ("Share of concordant pairs", "同向城市对比例"), "value": ("Value", "值"),
    # the frontier
    "cities": ("Cities", "城市数"), "efficient": ("Efficient cities", "有效城市数"), "min": ("Minimum", "最小值"),
    "median": ("Median", "中位数"), "max": ("Maximum", "最大值"), "crs": ("CRS", "CRS"), "vrs": ("VRS", "VRS"),
    "scale": ("Scale efficiency", "规模效率"), "rank": ("Rank", "名次"), "city_en": ("City", "城市"),
    "input": ("Input score", "投入得分"), "outcome": ("Outcome score", "成效得分"),
    "most efficient": ("Most efficient", "效率最高"), "least efficient": ("Least efficient", "效率最低"),
    # the translation table
    "same_efficient": ("Same efficient cities", "有效城市不变"), "max_change": ("Largest change", "最大变化"),
    "model": ("Model", "模型"), "shifted": ("Scores shifted", "平移的得分"), "shift": ("Shift", "平移量"),
    "none": ("None", "不平移"), "both": ("Both scores", "两项得分"), "input only": ("Input only", "仅投入"),
    # the named cities, stages, frequency, raw units
    "composite rank": ("Composite rank", "综合名次"), "input rank": ("Input rank", "投入名次"),
    "outcome rank": ("Outcome rank", "成效名次"), "crs efficient": ("CRS efficient", "CRS 有效"),
    "vrs efficient": ("VRS efficient", "VRS 有效"), "input_mean": ("Mean input score", "平均投入得分"),
    "outcome_mean": ("Mean outcome score", "平均成效得分"), "panels": ("Panels", "面板数"),
    "crs share": ("CRS-efficient share", "CRS 有效比例"), "vrs share": ("VRS-efficient share", "VRS 有效比例"),
    "named by the report": ("Named by the report", "报告点名"), "parent": ("Parent", "上级指标"),
    "unit": ("Unit", "单位"), "name_en": ("Name", "名称"),
    "already per resident or a share": ("Already per resident or a share", "已是人均或比例"), "code": ("Indicator", "指标"),
    "stage": ("Stage", "阶段"),
    **{en: (en, zh) for en, zh in STAGE_NAMES_ZH.items()},
}
#: Chinese of the words of notebook 06's tables (identifier or English word -> Chinese).
_TABLE_ZH = {k: zh for k, (_, zh) in _TABLE_WORDS.items()}


def _lang(lang) -> str:
    return check_choice("lang", lang, ("en", "zh"))


def shown_table(frame: pd.DataFrame, lang: str = "en", *, cities=None, indicators=None) -> pd.DataFrame:
    """A table of notebook 06 for a reader: headings, index names, words in cells (stage names, yes/no) in
    ``lang`` (English headers are words too: "Mean input score", not ``input_mean``).

    ``cities`` (optional): a callable list of cities -> names in ``lang``, applied to a ``city_en`` column (the
    Chinese page shows the data's own names). ``indicators`` (optional, the dataset's indicator table): indicator
    codes (index, ``parent``) are named in ``lang``, units are in ``lang`` and a ``name_en`` column is dropped
    (the index says it).

    Examples
    --------
    >>> t = pd.DataFrame({"input_mean": [1.0]}, index=["capability building"])
    >>> shown = shown_table(t, "zh")
    >>> list(shown.index), list(shown.columns)
    (['能力搭建'], ['平均投入得分'])
    >>> list(shown_table(t).columns)
    ['Mean input score']
    """
    from cityeval.analysis._rank_agreement_shown import shown_frame

    _lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", "a pandas DataFrame", Shown(type(frame).__name__))
    out = frame.copy()
    if cities is not None and "city_en" in out.columns:
        out["city_en"] = cities(list(out.index.get_level_values(-1)))
    if indicators is not None and "name_en" in out.columns:
        out = out.drop(columns="name_en")
    return shown_frame(out, lang, _TABLE_WORDS, indicators=indicators,
                       units=["unit"] if indicators is not None else ())


def overview_caption(frontier, *, synthetic: bool, lang: str = "en") -> str:
    """The caption of ``frontier.overview`` in ``lang``, without the "synthetic panel: illustrative" words (the
    table's own "Illustrative" prefix, :func:`cityeval.notebook.style.table`, says it).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> overview_caption(SimpleNamespace(sort_by="vrs"), synthetic=True, lang="zh")[:12]
    '各模型的投入导向效率分布'
    """
    synthetic = check_bool("synthetic", synthetic)
    if _lang(lang) == "zh":
        if synthetic:
            return ("各模型的投入导向效率分布（哪些城市效率最高、最低是生成器的抽样结果，故不列出）。效率水平取决于 0–100 分制从哪里起算"
                    "（CRS 取决于两个零点，VRS 取决于投入的零点），其顺序也是如此（见平移表）：应看 VRS 有效城市的个数，而不是水平")
        return (f"按 {frontier.sort_by.upper()} 效率最高和最低的城市（相同时按成效排序；水平及其顺序都取决于 0–100 分制从哪里起算："
                "见平移表）")
    if synthetic:
        return ("Efficiency, input-oriented, per model (which cities are most and least efficient is the generator's "
                "draw, so they are not listed). The levels depend on where the 0-100 scales start (CRS on both "
                "zeros, VRS on the input's), and so does their order (see the translation table): read the "
                "VRS-efficient count, not the levels")
    return frontier.extremes_caption(synthetic=False)


def ensemble_zh(models=("crs", "vrs"), *, shift: float) -> dict:
    """``{statistic name or conclusion text: Chinese}`` for notebook 06's ensemble summary (``summarize(zh=...)``).

    Examples
    --------
    >>> ensemble_zh(["vrs"], shift=10)["vrs_share"]
    'VRS 有效城市的比例（DEA，投入导向；不受量表零点影响）'
    """
    from cityeval.analysis._efficiency_ensemble import (FEW_EFFICIENT, LEVEL_MOVES, ORDER_KEPT, ensemble_conclusions,
                                                        ensemble_labels)

    labels = ensemble_labels(models, shift=shift)
    zh = {"r": "投入与成效的 Pearson r", "concordant_share": "投入较多者成效也较多的城市对比例"}
    for m in ("crs", "vrs"):
        M = m.upper()
        zh[f"{m}_share"] = f"{M} 有效城市的比例（DEA，投入导向" + ("；不受量表零点影响）" if m == "vrs" else "；按构造只有一个城市）")
        zh[f"{m}_median"] = f"{M} 效率中位数（随" + ("两个量表的零点变动）" if m == "crs" else "投入得分的零点变动）")
    zh["crs_median_shifted"] = f"两项得分各加 {shift:g} 分后的 CRS 效率中位数（没有城市改变）"
    zh["crs_spearman_shifted"] = f"平移 +{shift:g} 前后 CRS 效率的 Spearman ρ"
    out = {k: zh[k] for k in labels}
    texts = {"more than half of the city pairs concordant (more input, more outcome)":
             "超过一半的城市对同向（投入较多，成效也较多）"}
    for m in ("crs", "vrs"):
        texts[f"fewer than {FEW_EFFICIENT:.0%} of the cities {m.upper()}-efficient"] = \
            f"{m.upper()} 有效的城市少于 {FEW_EFFICIENT:.0%}"
    texts[f"+{shift:g} points on both scores move the median CRS efficiency by more than {LEVEL_MOVES:g} "
          "(no city changed)"] = f"两项得分各加 {shift:g} 分使 CRS 效率中位数变动超过 {LEVEL_MOVES:g}（没有城市改变）"
    texts[f"the CRS order is kept under that shift (Spearman above {ORDER_KEPT:g})"] = \
        f"在这一平移下 CRS 效率的顺序保持不变（Spearman 高于 {ORDER_KEPT:g}）"
    out.update({t: texts[t] for t in ensemble_conclusions(models, shift=shift)})
    return out


def codes_zh(codes: dict, table2: dict, indicators: pd.DataFrame, *, parent: str, n_units: int, top_n: int,
             composite: str) -> list[str]:
    """:func:`describe_codes` in Chinese (the indicators' ``name_zh``).

    Examples
    --------
    >>> meta = pd.DataFrame({"name_zh": ["网", "数", "基"]}, index=["a", "c", "P"])
    >>> codes_zh({"input": ["a"], "outcome": ["c"]}, {"input": ["a"], "outcome": ["c"]}, meta, parent="P",
    ...          n_units=5, top_n=5, composite="X")[1]
    '  投入：a（网）'
    """
    def name(code):
        return indicators.at[code, "name_zh"] if code in indicators.index and "name_zh" in indicators else code

    lines = [f"{n_units} 个城市（按 {composite} 取前 {top_n} 名）；{parent}（{name(parent)}）之下："]
    lines += [f"  {'投入' if kind == 'input' else '成效'}：" + "、".join(f"{c}（{name(c)}）" for c in cs)
              for kind, cs in codes.items()]
    lines.append("数据集的标记与所转录的表 2 " + ("一致。" if codes == table2 else f"不同（表 2：{table2}）；使用数据集自己的标记。"))
    return lines


def frontier_lines_zh(frontier, *, synthetic: bool, names=None) -> list[str]:
    """``frontier.describe`` in Chinese (``names``: a callable list of cities -> names, on real data)."""
    n = len(frontier.table)
    if check_bool("synthetic", synthetic):
        return [f"{m.upper()}：{n} 个城市中 {len(frontier.efficient[m])} 个有效（合成结果，示意；哪些城市是生成器的抽样结果，此处不列名）"
                for m in frontier.models]
    names = names or (lambda cs: list(cs))
    return [f"{m.upper()} 有效（本数据上）：" + "、".join(
        f"{name}（第 {frontier.table.at[c, 'rank']} 名）" for c, name in zip(frontier.efficient[m], names(frontier.efficient[m])))
        for m in frontier.models]


def translation_lines_zh(translation) -> list[str]:
    """``translation.describe()`` in Chinese, from the same table (:class:`TranslationDependence`)."""
    out = []
    plus = "、".join(f"{float(c):+.3g}" for c in translation.shifts)
    sides = {"both": "两项得分", "outcome": "成效", "input": "投入"}

    def order(m):
        low = translation.lowest_spearman(m)
        if low["spearman"] >= 1 - 1e-9:
            return "其顺序也不变（在所有平移下与未平移效率的 Spearman 都为 1）"
        return (f"其顺序也会变：与未平移效率的 Spearman ρ 最低为 {low['spearman']:.3f}"
                f"（{sides[low['shifted']]} {low['shift']:+.3g} 分）")

    for m in translation.models:
        base = translation.row(m, "none", 0)["median"]
        if m == "crs":
            moved = "、".join(f"{translation.row(m, 'both', s)['median']:.3f}" for s in translation.shifts)
            out.append(f"CRS 效率水平取决于 0–100 分制从哪里起算：两项得分各平移 {plus} 分，虽然没有城市改变，θ 的中位数却从 "
                       f"{base:.3f} 变为 {moved}，而且{order('crs')}；因此 CRS 的水平及其顺序都不作为发现"
                       + ("" if translation.same_frontier("crs") else "，甚至哪个城市 CRS 有效也会改变") + "。")
        else:
            outcome = translation._rows("vrs", "outcome")["max_change"].max()
            inp = "、".join(f"{translation.row('vrs', 'input', s)['median']:.3f}" for s in translation.shifts)
            same = translation.same_frontier("vrs")
            out.append(f"VRS（投入导向）效率不取决于成效得分的零点（成效平移 {plus} 分：θ 的最大变化 {outcome:.1g}），VRS 有效的城市"
                       + ("在所有平移下都相同" if same else "在某些平移下会变（求解器容差：见表）")
                       + f"；其水平随投入得分的零点变动（投入平移 {plus} 分后，θ 的中位数 {base:.3f} → {inp}），而且{order('vrs')}。"
                       + ("所以要点只是 VRS 有效城市的集合，它不受两个零点影响；θ 的水平及其顺序都不是。" if same else
                          "所以要点是 VRS 有效城市的个数，需结合表格阅读；θ 的水平及其顺序都不是。"))
    return out


def separate_lines_zh(separate, *, synthetic: bool) -> list[str]:
    """``separate.describe`` in Chinese."""
    synthetic = check_bool("synthetic", synthetic)
    return [f"{m.upper()}，投入 {'、'.join(separate.codes)} 分开：{s.n_efficient} 个有效"
            + ("" if synthetic else f"（{'、'.join(separate.efficient_en[m])}）")
            + f"，平均为一个投入时为 {s.n_efficient_one_input} 个" + ("（合成面板：示意）" if synthetic else "")
            for m, s in separate.summary.items()]


def named_lines_zh(named, *, n_units: int, synthetic: bool) -> list[str]:
    """``named.describe`` in Chinese (:class:`NamedCities`)."""
    synthetic = check_bool("synthetic", synthetic)
    lines = [f"不在这 {n_units} 个城市中：{'、'.join(map(str, named.missing))}"] if named.missing else []
    return lines + [f"报告点名的城市在这 {n_units} 个城市中的名次，以及是否有效（只是标记，不是水平：水平随量表零点变动）"
                    + ("（合成面板：示意）" if synthetic else "")]


def per_capita_note_zh(per_capita, *, path) -> str:
    """``per_capita.note`` in Chinese (:class:`PerCapita`)."""
    rec = per_capita.record
    if rec is None:
        if "has no covariates.csv" in per_capita.note:
            return f"人均变体已跳过：{path} 中没有带 population（人口）列的 covariates.csv。"
        return "人均变体已跳过：部分城市缺少人口数据。"
    return (f"成效对每万人投入得分：斜率 {rec.regression.slope:.3g}，r = {rec.regression.r:.3f}，p = {rec.regression.p_value:.2g}；"
            f"对其对数：r = {rec.regression_log_input.r:.3f}；对数人口与投入得分的相关系数 = {rec.r_population_input:.3f}；"
            f"对数每万人投入与对数人口的相关系数 = {rec.r_log_per_capita_log_population:.3f}")


def frequency_line_zh(frequency: pd.DataFrame, nominal, *, model: str, majority: float = 0.5) -> str:
    """:func:`describe_frequency` in Chinese.

    Examples
    --------
    >>> from cityeval.analysis.efficiency import EfficiencyStatistics, efficient_frequency
    >>> a = EfficiencyStatistics({}, {"vrs": ["x", "y"]}, ["x", "y", "z"])
    >>> b = EfficiencyStatistics({}, {"vrs": ["x"]}, ["x", "y", "z"])
    >>> frequency_line_zh(efficient_frequency([a, b], labels=list), a, model="vrs")
    '基准面板的 2 个 VRS 有效城市中，有 1 个在 2 个示意面板中超过一半的面板上 VRS 有效；有 2 个城市至少在一个面板上 VRS 有效。'
    """
    n_panels = int(frequency.attrs.get("panels", frequency["panels"].max() if len(frequency) else 0))
    if not n_panels:
        return "没有集合：无法说明一个城市多常有效。"
    mine = list(nominal.efficient[model])
    held = int((frequency[f"{model} share"].reindex(mine).fillna(0) > majority).sum())
    ever = int((frequency[f"{model} efficient"] > 0).sum())
    half = "一半" if majority == 0.5 else f"{majority:.0%}"
    M = model.upper()
    return (f"基准面板的 {len(mine)} 个 {M} 有效城市中，有 {held} 个在 {n_panels} 个示意面板中超过{half}的面板上 {M} 有效；"
            f"有 {ever} 个城市至少在一个面板上 {M} 有效。")


def conclusions_zh(reg, frontier, separate, by_stage: pd.DataFrame, per_capita, *, synthetic: bool,
                   translation=None, names=None) -> list[str]:
    """:func:`conclusions` in Chinese, one sentence per line, from the same numbers.

    Examples
    --------
    >>> from cityeval.analysis.efficiency import (efficiency_frontier, input_outcome_regression, separate_inputs,
    ...                                           stage_means)
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0, 5.0], "outcome": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> f = efficiency_frontier(io, models=["crs"], labels=list)
    >>> s = separate_inputs(io[["input"]], io[["outcome"]], frontier=f, labels=list)
    >>> stages = stage_means(io, pd.Series([1, 1, 2, 2], index=io.index), ["low", "high"])
    >>> conclusions_zh(input_outcome_regression(io["input"], io["outcome"]), f, s, stages, None, synthetic=False)[1]
    'DEA，投入导向：CRS 1 个有效（b）；其效率中位数 0.583 取决于 0–100 分制从哪里起算，所以这一水平不是发现。'
    """
    synthetic = check_bool("synthetic", synthetic)
    names = names or (lambda cs: list(cs))
    kind = "合成面板上（示意）" if synthetic else "本数据上"

    def dea(m):
        who = f"（共 {reg.n} 个）" if synthetic else f"（{'、'.join(names(frontier.efficient[m]))}）"
        median = frontier.table[m].median()
        if m == "vrs":
            return (f"VRS {len(frontier.efficient[m])} 个有效{who}，这一集合不取决于 0–100 分制从哪里起算（效率中位数 "
                    f"{median:.3f}，这一水平随投入得分的零点变动）")
        return f"CRS {len(frontier.efficient[m])} 个有效{who}；其效率中位数 {median:.3f} 取决于 0–100 分制从哪里起算，所以这一水平不是发现"

    lines = [
        f"在{kind}，前 {reg.n} 名城市：成效 = {reg.intercept:.2f} + {reg.slope:.3f} × 投入（斜率标准误 {reg.slope_stderr:.3f}），"
        f"r = {reg.r:.3f}，p = {reg.p_value:.2g}；在两项得分都不同的城市对中，有 {reg.concordant_share:.0%} 是投入较多的城市成效也较多"
        + ("——在 5% 水平上为正。" if reg.slope > 0 and reg.p_value < 0.05 else "——在 5% 水平上没有明确的正向关系。"),
        "DEA，投入导向：" + "；".join(dea(m) for m in sorted(frontier.models, key=lambda m: m != "vrs"))
        + ("——合成结果：哪些城市有效是生成器的抽样结果（每个城市在集合中多常有效见旁边），不是关于真实城市的表述。" if synthetic else "。"),
        *(translation_lines_zh(translation) if translation is not None else []),
        f"投入 {'、'.join(separate.codes)} 分开时：" + "；".join(f"{m.upper()} {separate.summary[m].n_efficient} 个有效"
                                                      for m in frontier.models) + "。",
        f"发展阶段（对六个维度做 k 均值聚类）：从最低到最高阶段，平均投入 {'、'.join(f'{v:.1f}' for v in by_stage['input_mean'])}，"
        f"平均成效 {'、'.join(f'{v:.1f}' for v in by_stage['outcome_mean'])}（部分是机械的：信息基础是参与聚类的维度之一）。",
        (f"人均变体（每万人投入得分）：r = {per_capita.regression.r:.3f}，p = {per_capita.regression.p_value:.2g}；其对数与对数人口的相关为 "
         f"{per_capita.r_log_per_capita_log_population:.2f}：得分除以人口主要衡量的是城市大小。"
         if per_capita else "未计算人均变体：该数据集没有人口协变量。"),
        "无法检验：赛迪的投入和成效得分、它的 50 个典型城市和人均口径都未公布，所以图 8 既不能复现也不能核对。",
    ]
    return lines


def fig8_summary_zh(reg, frontier, *, synthetic: bool, spread: dict | None = None, translation=None) -> str:
    """:func:`fig8_summary` in Chinese (``spread``: label -> range text, in Chinese).

    Examples
    --------
    >>> from cityeval.analysis.efficiency import efficiency_frontier, input_outcome_regression
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0, 5.0], "outcome": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> f = efficiency_frontier(io, models=["crs"], labels=list)
    >>> fig8_summary_zh(input_outcome_regression(io["input"], io["outcome"]), f, synthetic=True)[:20]
    '示意（合成面板）：信息基础的成效对投入，'
    """
    mark = "示意（合成面板）：" if check_bool("synthetic", synthetic) else ""
    parts = []
    if "vrs" in frontier.models:
        parts.append(f"VRS {len(frontier.efficient['vrs'])} 个有效（哪些城市不取决于 0–100 分制从哪里起算）")
    if "crs" in frontier.models:
        crs = f"CRS {len(frontier.efficient['crs'])} 个有效"
        if translation is not None and "crs" in getattr(translation, "models", ()):
            moved = "、".join(format(translation.row("crs", "both", c)["median"], ".2f") for c in translation.shifts)
            shifts = "、".join(format(c, "+.3g") for c in translation.shifts)
            base = format(translation.row("crs", "none", 0)["median"], ".2f")
            crs += f"（两个量表的零点平移 {shifts} 分时，其效率中位数 {base} 变为 {moved}：CRS 水平不是发现）"
        parts.append(crs)
    extra = ("集合范围：" + "；".join(f"{k} {v}" for k, v in spread.items()) + "。") if spread else ""
    return (f"{mark}信息基础的成效对投入，前 {reg.n} 名：斜率 {reg.slope:.3f}，r = {reg.r:.3f}，p = {reg.p_value:.2g}，"
            f"{reg.concordant_share:.0%} 的城市对同向；DEA 投入导向 " + "，".join(parts) + "。" + extra
            + "赛迪的得分和它的 50 个城市未公布：图 8 无法核对。")
