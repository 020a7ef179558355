"""Notebook 05's words in Chinese: dimension names, the report's statements, table headings and the conclusions.

Re-exported by :mod:`cityeval.analysis.regional`; import from there. The English texts stay where they are
(:mod:`cityeval.analysis._regional_findings`); this module gives their Chinese counterparts, built from the same
numbers, so a page in Chinese says what the English page says.
"""
from __future__ import annotations

import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice

from cityeval.analysis._clustering_tables import relabel

__all__ = ["SHORT_NAMES_ZH", "shown_names", "statements_shown", "results_shown", "national_shown",
           "dunn_shown", "conclusion_lines_zh"]

_LANGS = ("en", "zh")

#: The report's names of its six dimensions (Table 2), for tables and legends of Chinese pages.
SHORT_NAMES_ZH = {"INF": "信息基础", "GOV": "城市治理", "LIV": "民生服务", "IND": "产业经济", "TEC": "技术创新",
                  "LOW": "低碳发展"}
_COMPOSITE_ZH = "综合（数字城市竞争力）"
_REGION_ZH = {"华东": "华东", "西南": "西南", "西北": "西北", "东北": "东北", "中南": "中南", "华北": "华北"}

#: Chinese of :func:`report_statements`' first rows, in its order ({alpha} filled in).
_STATEMENTS_ZH = (
    "信息基础：华东、西南领先",
    "信息基础：西北、东北显著低于全国均值（单侧置换检验，两者各 p < {alpha}）",
    "城市治理：华东最高",
    "城市治理：西北最低",
    "民生服务：中南、华北、东北高于全国均值",
    "产业经济：华北最高",
    "技术创新：华北最高",
    "低碳发展：西南最高",
)
_TREND_ZH = "{name}：东高西低（Jonckheere–Terpstra 检验，Holm 校正后 p < {alpha}）"
_BASIS_ZH = {
    "order of the regional means (descriptive, untested)": "区域均值的排序（描述性，未检验）",
    ("one-sided permutation test of each region's mean against the rest, each at alpha (both must reject: an "
     "intersection-union test)"): "各区域均值对其余城市均值的单侧置换检验，各在 α 水平（两者都须拒绝：交并检验）",
    "Jonckheere-Terpstra, one-sided, Holm-adjusted over the family of columns tested together":
        "Jonckheere–Terpstra 单侧检验，对同时检验的各列做 Holm 校正",
}
_COLUMNS_ZH = {"statistic": "统计量", "p_value": "p 值", "p_holm": "Holm 校正 p", "epsilon2": "效应量 ε²",
               "k": "区域数", "n": "城市数", "expected": "期望值", "z": "z",
               "statement": "报告的表述", "holds on these data": "在本数据上成立", "basis": "判定依据",
               "comparison": "比较", "direction": "方向", "difference_to_national": "与全国均值之差",
               "difference_to_rest": "与其余城市均值之差", "mann_whitney_p": "曼-惠特尼检验 p 值",
               "n_rest": "其余城市数", "column": "维度", "group_a": "区域 A", "group_b": "区域 B",
               "p_adjusted": "Holm 校正 p", "differs": "有差异", "region": "区域", "cities": "城市数",
               "national": "全国"}
#: The same headers in English words (the frames keep their code-like column names for the results file).
_COLUMNS_EN = {"statistic": "Statistic", "p_value": "p-value", "p_holm": "Holm-adjusted p", "epsilon2": "Effect size ε²",
               "k": "Regions", "n": "Cities", "expected": "Expected", "z": "z",
               "statement": "The report's statement", "holds on these data": "Holds on these data", "basis": "Basis",
               "comparison": "Comparison", "direction": "Direction", "difference_to_national": "Difference to national mean",
               "difference_to_rest": "Difference to the other cities' mean", "mann_whitney_p": "Mann-Whitney p-value",
               "n_rest": "Other cities", "column": "Dimension", "group_a": "Region A", "group_b": "Region B",
               "p_adjusted": "Holm-adjusted p", "differs": "Differs", "region": "Region", "cities": "Cities",
               "national": "National", "less": "below", "greater": "above"}


def _words() -> dict:
    return {k: (_COLUMNS_EN.get(k, k), _COLUMNS_ZH.get(k, k)) for k in {*_COLUMNS_EN, *_COLUMNS_ZH}}


def _lang(lang) -> str:
    return check_choice("lang", lang, _LANGS)


def shown_names(names: dict, lang: str = "en") -> dict:
    """``{English display name: name in lang}`` for the keys of :func:`display_names`' values.

    Examples
    --------
    >>> shown_names({"INF": "Infrastructure", "INDEX": "Composite"}, "zh")
    {'Infrastructure': '信息基础', 'Composite': '综合（数字城市竞争力）'}
    >>> shown_names({"INF": "Infrastructure"})
    {'Infrastructure': 'Infrastructure'}
    """
    _lang(lang)
    if not isinstance(names, dict):
        raise ParameterError("names", "a dict {code: display name} (display_names)", Shown(type(names).__name__))
    if lang == "en":
        return {v: v for v in names.values()}
    return {v: SHORT_NAMES_ZH.get(code, _COMPOSITE_ZH if v == "Composite" else v) for code, v in names.items()}


def statements_shown(table: pd.DataFrame, *, dims, names: dict, alpha: float, lang: str = "en") -> pd.DataFrame:
    """:func:`report_statements`' table for a reader in ``lang``: the statements in full, Chinese when ``"zh"``.

    Examples
    --------
    >>> t = pd.DataFrame({"statement": ["a"] * 8 + ["Infrastructure: east high"], "holds on these data": [True] * 9,
    ...                   "basis": ["order of the regional means (descriptive, untested)"] * 9})
    >>> statements_shown(t, dims=["INF"], names={"INF": "Infrastructure"}, alpha=0.05, lang="zh").iloc[8, 0]
    '信息基础：东高西低（Jonckheere–Terpstra 检验，Holm 校正后 p < 0.05）'
    >>> t.loc[0, "statement"] = "INF: East China and Southwest lead"
    >>> statements_shown(t, dims=["INF"], names={"INF": "Infrastructure"}, alpha=0.05).iloc[0, 0]
    'Infrastructure: East China and Southwest lead'
    """
    _lang(lang)
    if not isinstance(table, pd.DataFrame) or not {"statement", "holds on these data", "basis"} <= set(table.columns):
        raise ParameterError("table", "what report_statements returned", Shown(type(table).__name__))
    if lang == "en":
        # a statement starting with a dimension code ("INF: East China and Southwest lead") names the dimension
        # for a reader ("Infrastructure: East China and Southwest lead"); the results keep the code
        def named(text):
            code, sep, rest = str(text).partition(": ")
            return f"{names[code]}: {rest}" if sep and code in names else text

        return relabel(table.assign(statement=[named(t) for t in table["statement"]]), _words(), lang)
    dims = list(dims)
    if len(table) != len(_STATEMENTS_ZH) + len(dims):
        raise ParameterError("dims", f"the dimensions of the table's {len(table) - len(_STATEMENTS_ZH)} trend rows",
                             dims)
    zh = [s.format(alpha=alpha) for s in _STATEMENTS_ZH]
    zh += [_TREND_ZH.format(name=SHORT_NAMES_ZH.get(d, names.get(d, d)), alpha=alpha) for d in dims]
    out = pd.DataFrame({"statement": zh,
                        "holds on these data": ["是" if v else "否" for v in table["holds on these data"]],
                        "basis": [_BASIS_ZH.get(b, b) for b in table["basis"]]}, index=table.index)
    return out.rename(columns=_COLUMNS_ZH)


def results_shown(frame: pd.DataFrame, names: dict, lang: str = "en") -> pd.DataFrame:
    """A table of :func:`result_table` (rows keyed by display name) with rows and columns in ``lang``.

    Examples
    --------
    >>> f = pd.DataFrame({"p_value": [0.5]}, index=["Infrastructure"])
    >>> shown = results_shown(f, {"INF": "Infrastructure"}, "zh")
    >>> list(shown.index), list(shown.columns)
    (['信息基础'], ['p 值'])
    """
    _lang(lang)
    return relabel(frame.rename(index=shown_names(names, lang)), _words(), lang)


def national_shown(frame: pd.DataFrame, lang: str = "en", *, names: dict | None = None,
                   regions: dict | None = None) -> pd.DataFrame:
    """:func:`national_table` in ``lang``: comparison ``INF:西北`` as 信息基础：西北 (or, in English, with ``names``
    ``{code: name}`` and ``regions`` ``{Chinese: English}``, "Infrastructure: Northwest"), direction 低于/高于
    (below/above), headers in words.

    Examples
    --------
    >>> t = pd.DataFrame({"comparison": ["INF:西北"], "direction": ["less"], "p_value": [0.3]})
    >>> national_shown(t, names={"INF": "Infrastructure"}, regions={"西北": "Northwest"}).iloc[0, :2].tolist()
    ['Infrastructure: Northwest', 'below']
    >>> national_shown(t, "zh").iloc[0, :2].tolist()
    ['信息基础：西北', '低于']
    """
    _lang(lang)
    out = frame.copy()
    if lang == "en":
        names, regions = names or {}, regions or {}
        out["comparison"] = [f"{names.get(c.partition(':')[0], c.partition(':')[0])}: "
                             f"{regions.get(c.partition(':')[2], c.partition(':')[2])}" for c in out["comparison"]]
        return relabel(out, _words(), lang)
    out["comparison"] = [f"{SHORT_NAMES_ZH.get(c.partition(':')[0], c.partition(':')[0])}："
                         f"{c.partition(':')[2]}" for c in out["comparison"]]
    out["direction"] = out["direction"].map({"less": "低于", "greater": "高于"}).fillna(out["direction"])
    return relabel(out, _words(), lang)


def dunn_shown(frame: pd.DataFrame, names: dict, lang: str = "en", *, regions: dict | None = None) -> pd.DataFrame:
    """:func:`dunn_pairs` in ``lang``: the dimensions by name, the regions in English by ``regions`` (``{Chinese:
    English}``) on an English page, headers in words, Yes/No (是/否).

    >>> t = pd.DataFrame({"column": ["Infrastructure"], "group_a": ["华东"], "differs": [True]})
    >>> dunn_shown(t, {"INF": "Infrastructure"}, "zh").iloc[0].tolist(), dunn_shown(t, {}).columns.tolist()
    (['信息基础', '华东', '是'], ['Dimension', 'Region A', 'Differs'])
    """
    _lang(lang)
    out = frame.copy()
    if "column" in out.columns and not out.empty:
        shown = shown_names(names, lang)
        out["column"] = [shown.get(c, c) for c in out["column"]]
    if lang == "en" and regions:
        for c in ("group_a", "group_b"):
            if c in out.columns:
                out[c] = out[c].map(lambda r: regions.get(r, r))
    return relabel(out, _words(), lang)


def _national_line_zh(national: dict, alpha: float, below_keys) -> str:
    parts = []
    for key, r in national.items():
        code, _, region = key.partition(":")
        word = "低于" if r.alternative == "less" else "高于"
        parts.append(f"{region}在{SHORT_NAMES_ZH.get(code, code)}上是否{word}全国均值（均值减全国均值 {r.statistic:+.2f}，"
                     f"减其余城市均值 {r.difference_to_rest:+.2f}，即检验统计量；p = {r.p_value:.3g}，{r.n} 个城市）")
    verdict = ""
    below = [k for k in below_keys if k in national]
    if len(below) == len(below_keys):
        ok = all(national[k].p_value < alpha and national[k].statistic < 0 for k in below)
        verdict = (f"报告所说信息基础上西北、东北“显著低于全国均值”在 α = {alpha} 下{'成立' if ok else '不成立'}"
                   "（两项检验都须拒绝）" + ("" if ok else "；城市这么少，未拒绝并不表明它们不低于全国均值") + "。")
    return "与全国均值比较（各区域均值对其余城市均值的单侧置换检验）：" + "；".join(parts) + "。" + verdict


def _dunn_line_zh(dunn: pd.DataFrame, followed: list, *, names: dict, m: int) -> str:
    if not followed and dunn.empty:
        return (f"经 {m} 项检验的 Holm 校正后，没有一个维度的 Kruskal–Wallis 检验拒绝原假设，因此不比较区域两两之间"
                "（Dunn 检验只在整体检验拒绝后进行）。")
    zh = shown_names(names, "zh")
    parts = []
    for column, rows in dunn.groupby("column", sort=False):
        pairs = rows[rows["differs"]]
        listed = "、".join(f"{a}–{b}" for a, b in zip(pairs["group_a"], pairs["group_b"])) or "无"
        parts.append(f"{zh.get(column, column)}：{listed}（{len(rows)} 对中 {int(rows['differs'].sum())} 对）")
    return ("有差异的区域对（Dunn 检验，每个维度的各对做 Holm 校正，只在 Kruskal–Wallis 经 Holm 校正后拒绝的维度上）："
            + "；".join(parts) + "。")


def conclusion_lines_zh(*, synthetic: bool, alpha: float, n_dims: int, m_kw: int, m_jt: int, n_kw: int, n_jt: int,
                        n_hold: int, n_statements: int, effect: float, effect_name: str, spread: dict | None,
                        names: dict, national: dict | None, below_keys, dunn: pd.DataFrame | None,
                        followed: list, composite: dict | None, n_detailed: int) -> tuple[list, str]:
    """The Chinese lines and one-line summary of :func:`conclusions`, from the numbers it computed.

    ``composite`` is None or ``{"kw": KruskalWallisResult, "jt": JonckheereTerpstraResult, "decided": [names]}``.

    Examples
    --------
    >>> lines, summary = conclusion_lines_zh(synthetic=True, alpha=0.05, n_dims=6, m_kw=7, m_jt=7, n_kw=0, n_jt=1,
    ...     n_hold=3, n_statements=4, effect=0.3, effect_name="Governance", spread=None,
    ...     names={"GOV": "Governance"}, national=None, below_keys=(), dunn=None, followed=[], composite=None,
    ...     n_detailed=8)
    >>> lines[0]
    '在合成面板上（示意），6 个维度中有 0 个在区域间有差异（α = 0.05，Kruskal–Wallis，对 7 项检验做 Holm 校正；最大效应 ε² = 0.300，城市治理）。'
    >>> summary
    '示意（合成面板）：6 个维度中 0 个在区域间有差异，1 个自西向东上升（alpha 0.05，Holm 校正）；报告的区域表述中 4 条有 3 条在本数据上成立。'
    """
    zh = shown_names(names, "zh")
    kind = "合成面板上（示意）" if synthetic else "本数据上"
    holm_kw = f"Kruskal–Wallis，对 {m_kw} 项检验做 Holm 校正"
    holm_jt = f"Jonckheere–Terpstra，对 {m_jt} 项检验做 Holm 校正"
    if spread is None:
        lines = [f"在{kind}，{n_dims} 个维度中有 {n_kw} 个在区域间有差异（α = {alpha}，{holm_kw}；最大效应 "
                 f"ε² = {effect:.3f}，{zh.get(effect_name, effect_name)}）。",
                 f"{n_dims} 个维度中有 {n_jt} 个自西向东上升（α = {alpha}，{holm_jt}）。",
                 f"报告的区域表述中 {n_statements} 条有 {n_hold} 条在本数据上成立。"]
    else:
        lines = [f"在{kind}，{n_dims} 个维度中有 {spread['kw_dims']} 个在区域间有差异（α = {alpha}，{holm_kw}）。",
                 f"{n_dims} 个维度中有 {spread['jt_dims']} 个自西向东上升（α = {alpha}，{holm_jt}）。",
                 f"报告的 {n_detailed} 条区域细分表述中有 {spread['statements']} 条成立（基准面板上，连同趋势在内的全部 "
                 f"{n_statements} 条中有 {n_hold} 条）。"]
    if national is not None:
        lines.append(_national_line_zh(national, alpha, below_keys))
    if dunn is not None:
        lines.append(_dunn_line_zh(dunn, followed, names=names, m=m_kw))
    published = ""
    if composite is not None:
        kw_c, jt_c, decided = composite["kw"], composite["jt"], composite["decided"]
        differs = "在区域间有差异" if kw_c.p_holm < alpha else "在区域间没有可检出的差异"
        rises = "自西向东上升" if jt_c.p_holm < alpha else "没有可检出的自西向东上升"
        names_zh = {"Kruskal-Wallis": "Kruskal–Wallis", "Jonckheere-Terpstra": "Jonckheere–Terpstra"}
        holm_note = (f"Holm 校正后的结论也由公布排名决定（每个原始 p 要么 ≥ {alpha}，要么低于 {alpha}/m，而 Holm 校正后的 p "
                     "介于 p 与 m·p 之间）" if not decided else
                     f"Holm 校正后 {'和'.join(names_zh[d] for d in decided)} 的结论还取决于各维度的检验，而公布排名并不决定它们")
        lines.append(f"在这 {kw_c.n} 个城市中，综合得分的顺序就是赛迪公布的排名，两项秩检验只用这一顺序和城市所属区域，"
                     "所以它们的原始 p 值是关于公布排名的发现，而不是示意（在每个符合公布排名的面板上都一样）；"
                     f"{holm_note}：在 α = {alpha} 下，综合得分{differs}（Kruskal–Wallis p = {kw_c.p_value:.3g}，"
                     f"Holm 校正 {kw_c.p_holm:.3g}，效应量 ε² = {kw_c.epsilon2:.3f}），{rises}（Jonckheere–Terpstra "
                     f"p = {jt_c.p_value:.3g}，Holm 校正 {jt_c.p_holm:.3g}）。")
        published = (f"由公布排名本身（非示意）：综合得分{differs}（Kruskal–Wallis p = {kw_c.p_value:.3g}，Holm 校正 "
                     f"{kw_c.p_holm:.3g}），{rises}（Jonckheere–Terpstra p = {jt_c.p_value:.3g}，Holm 校正 "
                     f"{jt_c.p_holm:.3g}）。")
    lines.append("赛迪的区域均值（图 7）由未公布的得分计算，无法核对；公布的榜单只确定各区域有几个城市进入前 100"
                 "（见笔记本 01）。")
    if synthetic:
        lines.append("合成面板的区域结构只来自公布的榜单和随机抽样，因此这里的相符或不符不能说明赛迪数据的任何情况"
                     + ("（上面综合得分的秩检验除外，它们由公布排名决定）。" if composite is not None else "。"))
    if spread is None:
        summary = (f"{'示意（合成面板）：' if synthetic else ''}{n_dims} 个维度中 {n_kw} 个在区域间有差异，{n_jt} 个"
                   f"自西向东上升（alpha {alpha}，Holm 校正）；报告的区域表述中 {n_statements} 条有 {n_hold} 条在本数据上成立。")
    else:
        summary = (f"{'示意（合成面板）：' if synthetic else ''}{n_dims} 个维度中 {spread['kw_dims']} 个在区域间有差异，"
                   f"{spread['jt_dims']} 个自西向东上升（alpha {alpha}，Holm 校正）；报告的 {n_detailed} 条区域细分表述中"
                   f"有 {spread['statements']} 条成立。")
    return lines, summary + published
