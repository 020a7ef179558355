"""The robustness report of a ranking: which ranks survive other reasonable method choices, in numbers and words.

:func:`robustness_report` reads an :class:`~cityeval.audit.design.UncertaintyResult` for the
top units by nominal rank: each unit's rank interval and whether it is *robust* (its 5-95%
interval within the nominal rank ± a tolerance), whether neighbors keep their order
(*decided*: the upper one stays ahead in at least 90% of the scenarios), the same by band of
ranks, and what changes without the scenarios of the combination of choices that moves units
most. :func:`conclusions` turns a report and the Sobol' indices into the sentences a reader
takes away. :mod:`cityeval.audit.statistics` reduces a whole audit of one dataset to a few
numbers, so that it can be repeated on every panel of an ensemble that fits the published ranks.

Definitions (both on the nominal rank *r*):

- A rank is **robust** when the unit's 5-95% interval lies within *r* ± ``tolerance``: in at
  least 90% of the scenarios it stays within ``tolerance`` places of its rank
  (:func:`~cityeval.audit.summary.robust_ranks`).
- The **order of two neighbors** (ranks *r* and *r* + 1) is **decided** when the upper unit
  stays ahead of the lower one in at least :data:`DECIDED` of the scenarios
  (:func:`~cityeval.audit.summary.neighbor_order`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.audit.summary import (LANGUAGES, choice_names, choices_phrase, neighbor_order, rank_bands,
                                    robust_ranks, shift_by_choice, summarize_ranks)
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number

__all__ = ["DECIDED", "NEIGHBOR_DEFINITION", "PairRemoved", "RobustnessReport", "robustness_report", "Conclusions",
           "conclusions", "option_zh"]

#: Share of the scenarios in which the upper of two neighbors must stay ahead for their order to be decided.
DECIDED = 0.9
#: The definition of a decided order of neighbors, in words.
NEIGHBOR_DEFINITION = "the city at nominal rank r stays ahead of the one at r + 1 in >= 90% of scenarios"
#: Chinese names of the options an audit's scenarios carry (their English labels are the spec's).
_OPTION_ZH = {"minmax": "最小-最大标准化", "zscore": "z分数标准化", "arithmetic": "算术平均", "geometric": "几何平均",
              "harmonic": "调和平均"}


def option_zh(label) -> str:
    """The Chinese name of a scenario option label such as ``"minmax"`` or ``"minmax(low=1, high=100)"`` (the
    label itself when it has none).

    >>> option_zh("minmax(low=1, high=100)"), option_zh("geometric"), option_zh("winmax=2")
    ('最小-最大标准化(low=1, high=100)', '几何平均', 'winmax=2')
    """
    text = str(label)
    head, sep, rest = text.partition("(")
    return _OPTION_ZH[head] + sep + rest if head in _OPTION_ZH else text


@dataclass(frozen=True)
class PairRemoved:
    """The robust and decided shares without the scenarios of one combination of options.

    Attributes
    ----------
    pair : tuple of str
        The labels of the options (e.g. normalization and aggregation) whose scenarios were dropped.
    scenarios_dropped : int
    robust_share, neighbor_order_decided_share : float
        As in :class:`RobustnessReport`, on the remaining scenarios.
    """

    pair: tuple
    scenarios_dropped: int
    robust_share: float
    neighbor_order_decided_share: float


@dataclass(frozen=True)
class RobustnessReport:
    """How robust the top ranks are (:func:`robustness_report`).

    Attributes
    ----------
    intervals : pandas.DataFrame
        The top units by nominal rank, indexed by unit: ``published`` (when given), ``nominal``,
        ``mean``, ``median``, ``q05``, ``q95``, ``width`` (``q95 - q05``), ``robust``.
    tolerance : float
        Places around the nominal rank.
    top_n : int
        The units asked for (``intervals`` has fewer when there are fewer units).
    robust_share : float
        Share of ``intervals`` that are robust.
    neighbor_ahead : numpy.ndarray
        For each pair of consecutive units of ``intervals``, the share of scenarios in which the
        upper one stays ahead.
    neighbor_order_decided_share : float
        Share of those pairs whose order is decided (``neighbor_ahead >= DECIDED``).
    by_rank_band : pandas.DataFrame
        :func:`~cityeval.audit.summary.rank_bands` of ``intervals``.
    shift_by_choice : pandas.DataFrame
        :func:`~cityeval.audit.summary.shift_by_choice` of the scenarios.
    without_most_disruptive_pair : PairRemoved
        The shares without the scenarios of the combination with the largest mean rank shift.
    reproduces_published : bool or None
        Whether the nominal ranks equal the published ones for every unit of ``intervals``
        (``None`` without published ranks).
    """

    intervals: pd.DataFrame
    tolerance: float
    top_n: int
    robust_share: float
    neighbor_ahead: np.ndarray
    neighbor_order_decided_share: float
    by_rank_band: pd.DataFrame
    shift_by_choice: pd.DataFrame
    without_most_disruptive_pair: PairRemoved
    reproduces_published: bool | None

    @property
    def robust_definition(self) -> str:
        """The definition of a robust rank, in words."""
        return f"5-95% Monte Carlo rank interval within nominal rank ± {self.tolerance}"

    def interval_table(self) -> pd.DataFrame:
        """:attr:`intervals` as a flat table: ``city``, ``published_rank`` (when given), ``nominal_rank``,
        ``median``, ``q05``, ``q95``, ``mean``, ``width``, ``robust``."""
        flat = self.intervals.reset_index().rename(columns={self.intervals.index.name or "index": "city",
                                                            "published": "published_rank", "nominal": "nominal_rank"})
        columns = ["city", "published_rank", "nominal_rank", "median", "q05", "q95", "mean", "width", "robust"]
        return flat[[c for c in columns if c in flat.columns]]

    def intervals_by_verdict(self) -> dict:
        """:attr:`intervals` split by verdict: ``{"robust": ..., "within noise": ...}``, each in nominal order.

        The two frames partition :attr:`intervals` (either may be empty); a figure draws them in two colors.

        >>> from cityeval import paths
        >>> from cityeval.audit import alternatives_spec, prepare
        >>> from cityeval.composite.dataset import load_dataset
        >>> toy = load_dataset(paths.DATA / "examples" / "toy")
        >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
        >>> report = robustness_report(design.rank_uncertainty(200, seed=1, return_ranks=True), top_n=5, tolerance=1)
        >>> parts = report.intervals_by_verdict()
        >>> list(parts), sum(len(part) for part in parts.values()) == len(report.intervals)
        (['robust', 'within noise'], True)
        """
        robust = self.intervals["robust"].to_numpy(dtype=bool)
        return {"robust": self.intervals[robust], "within noise": self.intervals[~robust]}

    def shift_table(self) -> pd.DataFrame:
        """:attr:`shift_by_choice` as a flat table, the option labels as strings."""
        flat = self.shift_by_choice.reset_index()
        return flat.astype({name: str for name in self.shift_by_choice.index.names})

    def robustness_text(self, *, shown: int = 8, lang: str = "en") -> str:
        """Robust ranks, decided neighbors, and the ``shown`` widest intervals that are not robust, in ``lang``."""
        top = self.intervals
        ahead = self.neighbor_ahead
        robust = [int(r) for r in top.loc[top["robust"], "nominal"]]
        noisy = top.loc[~top["robust"]].sort_values("width", ascending=False).head(shown)
        if check_choice("lang", lang, LANGUAGES) == "zh":
            lines = [f"在 ± {self.tolerance} 名内稳健：{len(top)} 个名次中的 {int(top['robust'].sum())} 个"
                     f"（{100 * self.robust_share:.0f}%）：{robust}",
                     f"相邻名次的先后在至少 {100 * DECIDED:.0f}% 的情景中确定：{len(ahead)} 对中的 "
                     f"{int((ahead >= DECIDED).sum())} 对（{100 * self.neighbor_order_decided_share:.0f}%）",
                     "前列城市中区间最宽者（名次：城市，5%-95%）："]
        else:
            lines = [f"robust at ± {self.tolerance}: {int(top['robust'].sum())} of {len(top)} ranks "
                     f"({100 * self.robust_share:.0f}%): {robust}",
                     f"neighbor order decided in >= {100 * DECIDED:.0f}% of scenarios: {int((ahead >= DECIDED).sum())} of "
                     f"{len(ahead)} adjacent pairs ({100 * self.neighbor_order_decided_share:.0f}%)",
                     "widest intervals among the top units (rank: unit, 5-95%):"]
        lines += [f"  {int(row['nominal'])}: {unit} [{row['q05']:g}, {row['q95']:g}]" for unit, row in noisy.iterrows()]
        return "\n".join(lines)

    def disruption_text(self, *, lang: str = "en") -> str:
        """The most disruptive combination of options, and the shares without its scenarios, in ``lang``."""
        shift = self.shift_by_choice["mean"]
        pair = self.without_most_disruptive_pair
        worst = pair.pair if len(pair.pair) > 1 else pair.pair[0]
        others = shift.drop(worst).max() if len(shift) > 1 else float("nan")
        if check_choice("lang", lang, LANGUAGES) == "zh":
            return (f"扰动最大的组合：{'配合'.join(option_zh(p) for p in pair.pair)}（平均名次变化 {shift.at[worst]:.1f} 位，"
                    f"其他组合至多 {others:.1f} 位）\n"
                    f"去掉它的 {pair.scenarios_dropped} 个情景后：在 ± {self.tolerance} 名内稳健的名次占 "
                    f"{100 * pair.robust_share:.0f}%（全部情景：{100 * self.robust_share:.0f}%）；相邻名次先后确定的占 "
                    f"{100 * pair.neighbor_order_decided_share:.0f}%（全部情景：{100 * self.neighbor_order_decided_share:.0f}%）")
        return (f"most disruptive combination: {' with '.join(map(str, pair.pair))} (mean rank shift "
                f"{shift.at[worst]:.1f} places, against {others:.1f} at most for the others)\n"
                f"without its {pair.scenarios_dropped} scenarios: robust at ± {self.tolerance}: "
                f"{100 * pair.robust_share:.0f}% (all scenarios: {100 * self.robust_share:.0f}%); neighbor order "
                f"decided: {100 * pair.neighbor_order_decided_share:.0f}% "
                f"(all: {100 * self.neighbor_order_decided_share:.0f}%)")


def robustness_report(result, *, top_n: int, tolerance: float = 5, published: pd.Series | None = None,
                      by=("normalize", "aggregate")) -> RobustnessReport:
    """How robust the ``top_n`` ranks of an uncertainty analysis are (module docstring).

    Parameters
    ----------
    result : UncertaintyResult
        From :meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty` with ``return_ranks=True``.
    top_n : int
        Units reported, by nominal rank (ties in dataset order).
    tolerance : float, default 5
        Places around the nominal rank within which a robust unit's 5-95% interval lies.
    published : pandas.Series, optional
        Published ranks indexed by unit, shown beside the nominal ranks and compared with them.
    by : sequence of str, default ("normalize", "aggregate")
        The discrete choices whose combinations are compared (:func:`~cityeval.audit.summary.shift_by_choice`).

    Returns
    -------
    RobustnessReport

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> report = robustness_report(design.rank_uncertainty(200, seed=1, return_ranks=True), top_n=5, tolerance=1)
    >>> list(report.intervals.columns)
    ['nominal', 'mean', 'median', 'q05', 'q95', 'width', 'robust']
    >>> len(report.neighbor_ahead), report.without_most_disruptive_pair.scenarios_dropped > 0
    (4, True)
    """
    if result.ranks is None:
        raise ParameterError("result", "an UncertaintyResult with its rank matrix (rank_uncertainty(..., "
                             "return_ranks=True))", Shown("a result without ranks"))
    top_n = check_integer("top_n", top_n, low=2)
    check_number("tolerance", tolerance, low=0, allowed="a number of places >= 0")
    top = result.table.sort_values("nominal", kind="stable").head(top_n).copy()
    if published is not None:
        if not isinstance(published, pd.Series):
            raise ParameterError("published", "a pandas Series of ranks indexed by unit",
                                 Shown(type(published).__name__))
        top.insert(0, "published", published.reindex(top.index).astype("Int64"))
    top["width"] = top["q95"] - top["q05"]
    top["robust"] = robust_ranks(top, tolerance=tolerance)
    reproduces = (bool(top["published"].notna().all() and (top["published"] == top["nominal"]).all())
                  if published is not None else None)
    ahead = neighbor_order(result.ranks, top.index)
    robust_share = float(top["robust"].mean())
    decided_share = float((ahead >= DECIDED).mean())
    shifts = shift_by_choice(result, by=by)
    return RobustnessReport(intervals=top, tolerance=tolerance, top_n=top_n, robust_share=robust_share,
                            neighbor_ahead=ahead, neighbor_order_decided_share=decided_share,
                            by_rank_band=rank_bands(top, top_n=top_n), shift_by_choice=shifts,
                            without_most_disruptive_pair=_without_worst(result, top, shifts, tolerance),
                            reproduces_published=reproduces)


def _without_worst(result, top: pd.DataFrame, shifts: pd.DataFrame, tolerance) -> PairRemoved:
    """The robust and decided shares of ``top`` without the scenarios of the combination with the largest mean shift."""
    worst = shifts["mean"].idxmax()
    worst = worst if isinstance(worst, tuple) else (worst,)
    drop = np.ones(result.n, dtype=bool)
    for name, label in zip(shifts.index.names, worst):
        drop &= (result.scenarios[name] == label).to_numpy()
    keep = ~drop
    without = summarize_ranks(result.ranks.loc[keep, top.index], top["nominal"])
    return PairRemoved(pair=tuple(worst), scenarios_dropped=int((~keep).sum()),
                       robust_share=float(robust_ranks(without, tolerance=tolerance).mean()),
                       neighbor_order_decided_share=float((neighbor_order(result.ranks.loc[keep], top.index)
                                                           >= DECIDED).mean()))


@dataclass(frozen=True)
class Conclusions:
    """What an audit found, in words: a one-sentence ``summary`` and the ``lines`` of the conclusion.

    ``str()`` gives the lines as a bulleted list.
    """

    summary: str
    lines: tuple

    def __str__(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines)


def conclusions(report: RobustnessReport, result, sensitivity, *, reference: str = "the published ranking",
                owner: str = "the publisher", lang: str = "en") -> Conclusions:
    """The conclusions of an audit: robust ranks, the top 10, decided neighbors, rank shift, Sobol' indices.

    Parameters
    ----------
    report : RobustnessReport
    result : UncertaintyResult
        The analysis the report reads (its spec names the choices; ``synthetic`` adds a caveat).
    sensitivity : SensitivityResult
    reference : str, default "the published ranking"
        The published ranking the synthetic data are calibrated to (e.g. "Table 3"), in the caveat.
    owner : str, default "the publisher"
        Whose ranking it is (e.g. "CCID"), in the caveat.
    lang : {"en", "zh"}, default "en"
        The language of the sentences (``reference`` and ``owner`` are used as given: pass them in ``lang``).

    Returns
    -------
    Conclusions

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> res = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> text = conclusions(robustness_report(res, top_n=5, tolerance=1), res, design.sensitivity(16, seed=1))
    >>> text.summary.split(",")[0]
    'Illustrative (synthetic panel): over 200 scenarios of weights (±25%)'
    >>> len(text.lines)
    6
    >>> zh = conclusions(robustness_report(res, top_n=5, tolerance=1), res, design.sensitivity(16, seed=1), lang="zh")
    >>> zh.summary.split("，")[0]
    '示意（合成数据）：在权重（±25%）、标准化方法、加权汇总方法的 200 个情景中'
    """
    if check_choice("lang", lang, LANGUAGES) == "zh":
        return _conclusions_zh(report, result, sensitivity, reference=reference, owner=owner)
    top, table, ahead = report.intervals, result.table, report.neighbor_ahead
    names = choice_names(result.spec)
    idx = sensitivity.indices
    first, total = idx["first"], idx["total"]
    lead = total.idxmax()
    top10 = top[top["nominal"] <= 10]
    shift = result.mean_rank_shift
    robust_share, decided_share = report.robust_share, report.neighbor_order_decided_share
    tolerance = report.tolerance
    pair = report.without_most_disruptive_pair
    kind = "illustrative, synthetic panel" if result.synthetic else "data at hand"
    # the texts are recorded results (notebook 09): "neighbouring" keeps its recorded spelling until the
    # texts themselves are allowed to change
    lines = [
        f"On the {kind}, over {result.n} scenarios ({choices_phrase(result.spec)}), {int(top['robust'].sum())} of the "
        f"top {len(top)} ranks ({100 * robust_share:.0f}%) stay within ± {tolerance} places in 90% of the scenarios; "
        f"the other {int((~top['robust']).sum())} are within the noise of the method.",
        f"Top 10: {int(top10['robust'].sum())} of {len(top10)} robust; median interval width "
        f"{top10['width'].median():g} places, against {top['width'].median():g} for the top {len(top)} and "
        f"{(table['q95'] - table['q05']).median():g} for all {len(table)} cities.",
        f"The order of adjacent cities is decided (>= 90% of scenarios) for {100 * decided_share:.0f}% of the "
        f"{len(ahead)} neighbouring pairs of the top {len(top)}: most single-place differences in the table are "
        f"{'not ' if decided_share < 0.5 else ''}settled by the data under these choices.",
        f"The mean absolute rank shift is {shift.mean():.1f} places on average (5-95%: "
        f"{np.quantile(shift, 0.05):.1f}-{np.quantile(shift, 0.95):.1f}). "
        f"{names[lead].capitalize()} has the largest total Sobol' index ({total[lead]:.2f}); first-order / total: "
        + ", ".join(f"{names[f]} {first[f]:.2f} / {total[f]:.2f}" for f in idx.index) + ".",
        f"The most disruptive pair of choices is {' with the '.join(map(str, pair.pair))} mean; without its scenarios, "
        f"{100 * pair.robust_share:.0f}% of the top {len(top)} ranks are robust (with them: {100 * robust_share:.0f}%) "
        f"and {100 * pair.neighbor_order_decided_share:.0f}% of neighbouring pairs decided (with them: "
        f"{100 * decided_share:.0f}%).",
    ]
    if result.synthetic:
        lines.append(f"The synthetic panel reproduces {reference}'s order but its score gaps are invented: these "
                     f"intervals illustrate the audit, they do not measure the robustness of {owner}'s ranking, which "
                     "would need its scores.")
    chosen = list(names.values())
    listed = ", ".join(chosen[:-1]) + " and " + chosen[-1] if len(chosen) > 1 else chosen[0]
    summary = (f"{'Illustrative (synthetic panel): ' if result.synthetic else ''}over {result.n} scenarios of "
               f"{listed}, {100 * robust_share:.0f}% of the top {len(top)} ranks stay within ± {tolerance} places "
               f"(5-95% interval) and {100 * decided_share:.0f}% of adjacent pairs keep their order in 90% of "
               f"scenarios; largest total Sobol' index: {names[lead]} ({total[lead]:.2f}).")
    return Conclusions(summary=summary, lines=tuple(lines))


def _conclusions_zh(report: RobustnessReport, result, sensitivity, *, reference: str, owner: str) -> Conclusions:
    """:func:`conclusions` in Chinese: the same sentences, the same numbers."""
    top, table, ahead = report.intervals, result.table, report.neighbor_ahead
    names = choice_names(result.spec, lang="zh")
    idx = sensitivity.indices
    first, total = idx["first"], idx["total"]
    lead = total.idxmax()
    top10 = top[top["nominal"] <= 10]
    shift = result.mean_rank_shift
    robust_share, decided_share = report.robust_share, report.neighbor_order_decided_share
    tolerance = report.tolerance
    pair = report.without_most_disruptive_pair
    kind = "示意性的合成数据" if result.synthetic else "现有数据"
    phrase = choices_phrase(result.spec, lang="zh")
    lines = [
        f"在{kind}上，{result.n} 个情景（{phrase}）中，前 {len(top)} 名里有 {int(top['robust'].sum())} 个名次"
        f"（{100 * robust_share:.0f}%）在 90% 的情景中保持在 ± {tolerance} 名以内；其余 "
        f"{int((~top['robust']).sum())} 个在方法的噪声之内。",
        f"前 10 名：{len(top10)} 个中 {int(top10['robust'].sum())} 个稳健；区间宽度中位数 {top10['width'].median():g} 位，"
        f"前 {len(top)} 名为 {top['width'].median():g} 位，全部 {len(table)} 个城市为 "
        f"{(table['q95'] - table['q05']).median():g} 位。",
        f"前 {len(top)} 名的 {len(ahead)} 对相邻城市中，{100 * decided_share:.0f}% 的先后顺序已确定（至少 90% 的情景）："
        f"在这些选择下，表中大多数一位之差{'并未' if decided_share < 0.5 else '已'}由数据确定。",
        f"平均绝对名次变化平均为 {shift.mean():.1f} 位（5%-95%：{np.quantile(shift, 0.05):.1f}-"
        f"{np.quantile(shift, 0.95):.1f}）。{names[lead]}的总 Sobol 指数最大（{total[lead]:.2f}）；一阶 / 总指数："
        + "，".join(f"{names[f]} {first[f]:.2f} / {total[f]:.2f}" for f in idx.index) + "。",
        f"扰动最大的选择组合是{'配合'.join(option_zh(p) for p in pair.pair)}；去掉其情景后，前 {len(top)} 名中稳健的名次占 "
        f"{100 * pair.robust_share:.0f}%（含这些情景：{100 * robust_share:.0f}%），相邻名次先后确定的占 "
        f"{100 * pair.neighbor_order_decided_share:.0f}%（含这些情景：{100 * decided_share:.0f}%）。",
    ]
    if result.synthetic:
        lines.append(f"合成数据重现了{reference}的名次顺序，但其得分差距是虚构的：这些区间只是演示审计方法，"
                     f"并不衡量{owner}排名的稳健性，那需要其得分。")
    listed = "、".join(names.values())
    summary = (f"{'示意（合成数据）：' if result.synthetic else ''}在{listed}的 {result.n} 个情景中，前 {len(top)} 名里 "
               f"{100 * robust_share:.0f}% 的名次保持在 ± {tolerance} 名以内（5%-95% 区间），"
               f"{100 * decided_share:.0f}% 的相邻名次在 90% 的情景中保持先后；总 Sobol 指数最大的是{names[lead]}"
               f"（{total[lead]:.2f}）。")
    return Conclusions(summary=summary, lines=tuple(lines))
