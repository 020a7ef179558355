"""The Chinese wording of :class:`cityeval.notebook.spread.EnsembleSummary` (private; the English is in spread.py).

Each function mirrors an English method sentence for sentence, so the two say the same: the same verdicts, the same
bases, the same bounds. Statistic labels and conclusion texts come from the ``zh`` mapping a notebook passes to
:func:`cityeval.notebook.spread.summarize`, falling back to the English label.
"""
from __future__ import annotations

import re

__all__ = ["reason", "label", "conclusion", "verdict", "range_text", "sentences", "caption", "TABLE_COLUMNS", "FIGURE_WORDS"]

#: The table's columns in Chinese, by the English column names of ``EnsembleSummary.table``.
TABLE_COLUMNS = {"statistic": "统计量", "nominal panel": "基准面板", "median": "中位数", "5%": "5%", "95%": "95%",
                 "panels": "数据组数", "report states": "报告所述"}

#: The figure's words in Chinese.
FIGURE_WORDS = {"ensemble panel": "集合中的一组数据", "5–95% of panels": "各组数据的 5–95%",
                "nominal panel": "基准面板", "the report states": "报告所述",
                "the same in every panel": "各组数据均相同"}


def reason(summary) -> str:
    """Why there is no ensemble, in Chinese (the reasons :func:`cityeval.notebook.spread.ensemble_panels` gives).

    >>> from types import SimpleNamespace
    >>> reason(SimpleNamespace(reason="ensemble_size is 0"))
    'ensemble_size 为 0'
    >>> reason(SimpleNamespace(reason="the data (/x/y) are not the embedded synthetic panel; an ensemble exists only for that panel"))
    '数据（/x/y）不是内嵌的合成面板；只有该面板才有集合'
    """
    text = summary.reason
    if text == "ensemble_size is 0":
        return "ensemble_size 为 0"
    m = re.fullmatch(r"the data \((.*)\) are not the embedded synthetic panel; an ensemble exists only for that panel",
                     text)
    if m:
        return f"数据（{m.group(1)}）不是内嵌的合成面板；只有该面板才有集合"
    return text


def label(summary, name: str) -> str:
    return summary.zh.get(name) or summary.labels.get(name, name)


def conclusion(summary, text: str) -> str:
    return summary.zh.get(text, text)


def verdict(summary, text: str) -> str:
    c = summary.conclusions[text]
    n, k = sum(c["holds"]), len(c["holds"])
    if k == 0:
        return "未检验（每组数据都计算失败）" if len(summary.values) else "未检验（无集合）"
    if n == k:
        return f"在全部 {k} 组数据中成立"
    if n == 0:
        return f"在全部 {k} 组数据中均不成立"
    return f"在 {k} 组数据中的 {n} 组成立"


def range_text(summary, name: str, fmt: str = ".2f") -> str:
    nom = format(summary.nominal[name], fmt)
    if not len(summary.values):
        return f"{nom}（仅一组数据；无集合：{reason(summary)}）"
    if summary.n_ok(name) == 0:
        return f"{nom}（在全部 {len(summary.values)} 组集合数据上均无定义）"
    lo, _, hi = summary.quantiles(name)
    return f"{nom}（{summary.n_ok(name)} 组示意数据的 5–95%：{format(lo, fmt)}–{format(hi, fmt)}）"


def caption(summary) -> str:
    if not len(summary.values):
        return (f"{'示意（合成数据）；' if summary.synthetic else ''}无集合：{reason(summary)}。仅有基准面板的数值。")
    return (f"示意：{len(summary.values)} 组按公布排名校准的合成数据（集合种子 {summary.seed}）；"
            "并非赛迪的得分。")


def sentences(summary) -> list[str]:
    """The Chinese of ``EnsembleSummary.sentences``, sentence for sentence."""
    if not len(summary.values):
        return [f"无集合：{reason(summary)}。以上数值只来自一组数据。"]
    out = []
    for text, c in summary.conclusions.items():
        n, k = sum(c["holds"]), len(c["holds"])
        nominal = "成立" if c["nominal"] else "不成立"
        where = f"“{conclusion(summary, text)}”在基准面板上{nominal}，在示意集合中{verdict(summary, text)}"
        if k == 0:
            out.append(f"{where}。")
            continue
        bound = f"{3 / k:.0%}"
        if c.get("kind") == "rejection" and n == 0:
            why = ("检验在任何一组数据中都不拒绝"
                   + ("（这仅由公布排名决定：在所有符合公布排名的数据中都一样）" if c["basis"] == "published" else "")
                   + "；而检验不拒绝并不构成反对该说法的证据（样本这么小，检验可能缺乏拒绝的功效）")
        elif c["basis"] == "rule":
            why = "这由方法本身的规则决定，与数据无关"
        elif c["basis"] == "published":
            why = "这仅由公布排名决定（在所有符合公布排名的数据中都一样）"
        elif c["basis"] == "generator":
            why = ("没有任何公布的表格约束它，因此"
                   + ("每组数据中结论相同反映的是生成器的结构，而不是公布排名" if n in (0, k)
                      else "决定它的是生成器的假设，而不是公布的数据"))
        elif n in (0, k) and bool(n) != c["nominal"]:
            why = "因此这是基准面板这一次抽取的性质，而不是公布排名的性质"
        elif n == k:
            why = ("因此，在生成器记载的范围内，公布排名决定了它（"
                   + (f"{k} 组抽样数据表明，它不成立的数据所占比例低于约 {bound}" if 3 / k < 0.5
                      else f"不过 {k} 组抽样数据太少，无法界定它不成立的频率")
                   + "）；这仍是关于合成数据的陈述，而不是关于赛迪得分的陈述")
        elif n == 0:
            why = ("因此，在生成器记载的范围内，公布排名在这类数据上排除了它（"
                   + (f"它在这类数据中成立的比例低于约 {bound}" if 3 / k < 0.5
                      else f"不过 {k} 组抽样数据太少，无法界定它成立的频率") + "）")
        else:
            why = "因此决定它的是生成器的假设，而不是公布的数据"
        out.append(f"{where}：{why}。")
    same = summary.constant()
    if same:
        out.append("在基准面板和示意集合的每组数据上都相同："
                   + "；".join(f"{label(summary, n)} = {summary.nominal[n]:.3g}" for n in same) + "。")
    for name, m in summary.undefined().items():
        out.append(f"{label(summary, name)} 在 {len(summary.values) - len(summary.failures)} 组数据中的 {m} 组上无定义；"
                   "这些数据不计入其范围，关于它的结论在这些数据上记为不成立。")
    if summary.failures:
        out.append(f"有 {len(summary.failures)} 组数据（共 {summary.size} 组；成员 "
                   f"{', '.join(map(str, sorted(summary.failures)))}）无法计算统计量；范围不含这些数据。")
    return out

