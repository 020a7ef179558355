"""What notebook 10 prints and records about a what-if: the banner, a check of the page's arithmetic against the
library's run, how far one dimension alone moves the top, and the conclusion in English or Chinese.

Re-exported by :mod:`cityeval.notebook.whatif`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cityeval.notebook.labels import check_language

__all__ = ["banner", "SelfCheck", "self_check", "single_dimension", "conclusions"]

#: Seed of the weight vectors of :func:`self_check` (fixed: the results file is the same on every run).
CHECK_SEED = 20221015

_BANNER_ZH = "合成数据：按赛迪公布排名校准的示意面板数据，并非赛迪的得分或指标。"


def banner(what, lang: str = "en") -> str:
    """The line printed above the page: what the data are (the synthetic panel, invented or other synthetic data:
    illustrative; a user's folder: named, no label).

    >>> from cityeval import paths
    >>> from cityeval.notebook import whatif
    >>> banner(whatif.build("", top_n=3), "zh")
    '**合成数据：按赛迪公布排名校准的示意面板数据，并非赛迪的得分或指标。**'
    >>> banner(whatif.build(paths.DATA / "examples" / "toy", top_n=3))
    '**INVENTED DATA (data/examples/toy, see its README.md): illustrative numbers, not measurements of real cities.**'
    """
    from cityeval.notebook._whatif_strings import data_kind, folder_name

    zh = check_language(lang) == "zh"
    kind, folder = data_kind(what), folder_name(what)
    if kind == "panel":
        return f"**{_BANNER_ZH}**" if zh else f"**{what.panel.banner}**"
    if kind == "invented":
        return (f"**虚构数据（{folder}，见其中的 README.md）：示意数字，并非真实城市的测量值。**" if zh else
                f"**INVENTED DATA ({folder}, see its README.md): illustrative numbers, not measurements of real cities.**")
    if kind == "synthetic":
        return (f"**合成数据（{folder}）：示意数字，并非测量值。**" if zh else
                f"**SYNTHETIC DATA ({folder}): illustrative numbers, not measurements.**")
    return f"数据：{folder}（非合成数据）。" if zh else f"Data: {folder} (not synthetic)."


@dataclass(frozen=True)
class SelfCheck:
    """The page's arithmetic against the library's run.

    Attributes
    ----------
    weights : list of dict
        The weight vectors tried (slider values, steps of 0.05 in [0, 5]).
    max_score_difference : float
        The largest |page score − run score| over every vector, pair and city, relative to the largest |score|.
    rank_mismatches : int
        Cities whose rank differs between the two (0 expected).
    pairs : int
        (normalization, aggregation) pairs checked: every one the data support.
    """

    weights: list
    max_score_difference: float
    rank_mismatches: int
    pairs: int


def self_check(what, *, n: int = 2) -> SelfCheck:
    """Compare :func:`~cityeval.notebook.whatif.reweigh` (the page's arithmetic) with
    :func:`~cityeval.notebook.whatif.score` (the library's run) for ``n`` seeded weight vectors and every pair.

    >>> from cityeval import paths
    >>> from cityeval.notebook import whatif
    >>> check = self_check(whatif.build(paths.DATA / "examples" / "toy", top_n=3), n=1)
    >>> check.max_score_difference < 1e-12, check.rank_mismatches
    (True, 0)
    """
    from cityeval.composite.ranking import rank
    from cityeval.notebook._whatif_score import reweigh, score

    rng = np.random.default_rng(CHECK_SEED)
    vectors = [{d: float(v) for d, v in zip(what.dimensions, np.round(rng.uniform(0, 5, len(what.dimensions)) * 20) / 20)}
               for _ in range(n)]
    worst, mismatches = 0.0, 0
    top = what.panel.top_code
    for weights in vectors:
        if not sum(weights.values()) > 0:
            continue
        for norm, agg in what.dimension_scores:
            page = reweigh(what, weights, normalization=norm, aggregation=agg)
            result = score(what.dataset, weights, normalization=norm, aggregation=agg)
            lib = result.scores[top].reindex(page.index)
            scale = float(np.nanmax(np.abs(lib.to_numpy())))
            worst = max(worst, float(np.nanmax(np.abs(page.to_numpy() - lib.to_numpy()))) / (scale or 1.0))
            mine = rank(page, ties=what.ties)
            mismatches += int((mine != result.ranks[top].reindex(page.index)).fillna(False).sum())
    return SelfCheck(weights=vectors, max_score_difference=worst, rank_mismatches=mismatches,
                     pairs=len(what.dimension_scores))


def single_dimension(what) -> dict:
    """For each dimension: how many of the nominal top ``what.top_n`` stay in the top when that dimension alone
    weighs (the others 0), under the nominal normalization and aggregation.

    >>> from cityeval import paths
    >>> from cityeval.notebook import whatif
    >>> single_dimension(whatif.build(paths.DATA / "examples" / "toy", top_n=3))
    {'infra': 2, 'economy': 2}
    """
    from cityeval.composite.ranking import rank
    from cityeval.notebook._whatif_score import reweigh

    norm, agg = what.nominal
    nominal_top = set(what.nominal_ranks.index[what.nominal_ranks <= what.top_n])
    out = {}
    for d in what.dimensions:
        weights = {e: float(e == d) for e in what.dimensions}
        ranks = rank(reweigh(what, weights, normalization=norm, aggregation=agg), ties=what.ties)
        out[d] = len(nominal_top & set(ranks.index[ranks <= what.top_n]))
    return out


def conclusions(what, check: SelfCheck, alone: dict, lang: str = "en") -> str:
    """The conclusion as Markdown, in ``lang`` (illustrative / 示意 when the data are synthetic).

    >>> from cityeval import paths
    >>> from cityeval.notebook import whatif
    >>> what = whatif.build(paths.DATA / "examples" / "toy", top_n=3)
    >>> text = conclusions(what, self_check(what, n=1), single_dimension(what), "zh")
    >>> text.startswith("- ")
    True
    """
    from cityeval.notebook._whatif_strings import dimension_name

    lang = check_language(lang)
    n = what.top_n
    low = min(alone, key=alone.get)
    high = max(alone, key=alone.get)
    refused = [a for a in what.aggregations if any((m, a) in what.refused for m in what.normalizations)]
    zh = lang == "zh"
    mark = ("示意：" if zh else "Illustrative: ") if what.panel.synthetic else ""
    lines = []
    name_low, name_high = dimension_name(what, low, lang), dimension_name(what, high, lang)
    if zh:
        if alone[low] == alone[high]:
            clause = ("：在前列，这些数据的排名几乎不取决于权重" if alone[low] == n else "")
            lines.append(f"{mark}只给一个维度权重（其余为 0）时，无论是哪一个维度，基准前 {n} 名中都有 {alone[low]} 个"
                         f"城市留在前 {n} 名{clause}。")
        else:
            lines.append(f"{mark}只给一个维度权重（其余为 0）时，基准前 {n} 名中留在前 {n} 名的城市数从"
                         f"{alone[low]}（{name_low}）到 {alone[high]}（{name_high}）不等：权重决定谁进入前列。")
        lines.append(f"页面的计算与本库的 `run` 一致：{check.pairs} 种组合、{len(check.weights)} 组随机权重下，"
                     f"得分的最大相对差为 {check.max_score_difference:.1e}，排名不一致的城市数为 {check.rank_mismatches}。")
        if refused:
            lines.append("本库对这些数据拒绝的组合（页面显示原因）：" + "；".join(
                f"{_name(agg, 'zh')}与" + "、".join(_name(m, "zh") for m in _refused_with(what, agg)) for agg in refused)
                + "。")
    else:
        start = f"{mark}{'w' if mark else 'W'}ith one dimension alone weighted (the others 0), "
        if alone[low] == alone[high]:
            clause = (": at the top, the ranking of these data hardly depends on the weights" if alone[low] == n else "")
            lines.append(f"{start}whichever it is, {alone[low]} of the nominal top {n} stay in the top {n}{clause}.")
        else:
            lines.append(f"{start}between {alone[low]} ({name_low}) and {alone[high]} ({name_high}) of the nominal "
                         f"top {n} stay in the top {n}: the weights decide who is at the top.")
        lines.append(f"The page's arithmetic agrees with the library's `run`: over {check.pairs} pairs and "
                     f"{len(check.weights)} random weight vectors the largest relative score difference is "
                     f"{check.max_score_difference:.1e}, and {check.rank_mismatches} cities differ in rank.")
        if refused:
            lines.append("Pairs the library refuses for these data (the page shows why): the " + "; the ".join(
                f"{_name(agg, 'en')} with " + ", ".join(_name(m, "en") for m in _refused_with(what, agg))
                for agg in refused) + ".")
    return "\n".join(f"- {line}" for line in lines)


def _refused_with(what, aggregation) -> list:
    return [m for m in what.normalizations if (m, aggregation) in what.refused]


def _name(key: str, lang: str) -> str:
    from cityeval.notebook._whatif_score import NAMES

    return NAMES.get(key, (key, key))[lang == "zh"]
