"""The assumptions behind each number an audit records, as plain sentences (``results["assumptions"]``).

Every headline number of notebook 09 rests on choices the data do not make: which alternatives are
uncertain and how they are drawn, what counts as robust, what summary the Sobol' indices
decompose, what "removing" an indicator means. :func:`audit_assumptions` writes them next to the
statistics they qualify, keyed by the results file's keys.
"""
from __future__ import annotations

import math
import re

from cityeval.audit.report import DECIDED
from cityeval.audit.summary import LANGUAGES, choice_names, choices_phrase
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["audit_assumptions", "check_lines", "spearman_text", "ensemble_zh", "summary_zh", "run_text",
           "ensemble_check_text", "shown_table", "option_name", "indicator_labels"]


def audit_assumptions(report, result, sensitivity, *, spearman, removed, bounds, ensemble: bool = True,
                      ensemble_scenarios: int | None = None, ensemble_sobol: int | None = None) -> dict:
    """``{results key: [sentence, ...]}``: the assumptions of each headline number of a robustness audit.

    Parameters
    ----------
    report : RobustnessReport
    result : UncertaintyResult
        The Monte Carlo audit the report reads (its spec, scenarios and ``synthetic`` flag).
    sensitivity : SensitivityResult
    spearman : ScenarioSpearman
    removed : IndicatorOut
    bounds : LowerBoundEffect
    ensemble : bool, default True
        Whether the results carry an ensemble block (then a key ``ensemble``).
    ensemble_scenarios, ensemble_sobol : int, optional
        Scenarios and Sobol' rows per ensemble panel (named in the ``ensemble`` sentences).

    Returns
    -------
    dict
        Keys ``summary``, ``rank_intervals``, ``robust_share``, ``neighbor_order_decided_share``,
        ``mean_rank_shift``, ``sobol``, ``scenario_spearman``, ``indicator_out``, ``lower_bound``,
        ``conclusions`` (and ``ensemble``), each a non-empty list of sentences.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import (alternatives_spec, indicator_out, lower_bound_effect, prepare,
    ...                             robustness_report, scenario_spearman)
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> mc = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> a = audit_assumptions(robustness_report(mc, top_n=5, tolerance=1), mc, design.sensitivity(16, seed=1),
    ...                       spearman=scenario_spearman(mc), removed=indicator_out(design, top_n=5, tolerance=1),
    ...                       bounds=lower_bound_effect(design, top_n=5, tolerance=1), ensemble=False)
    >>> sorted(a)[:3], all(isinstance(s, str) and s for v in a.values() for s in v)
    (['conclusions', 'indicator_out', 'lower_bound'], True)
    """
    ensemble = check_bool("ensemble", ensemble)
    for name, value, field in (("report", report, "robust_share"), ("result", result, "spec"),
                               ("sensitivity", sensitivity, "indices"), ("spearman", spearman, "median"),
                               ("removed", removed, "table"), ("bounds", bounds, "reference_low")):
        if not hasattr(value, field):
            raise ParameterError(name, f"an audit result with {field!r}", Shown(type(value).__name__))
    n, tol = result.n, report.tolerance
    drawn = (f"The uncertain choices are the spec's ({choices_phrase(result.spec)}), each drawn independently and "
             "with equal probability: the audit measures robustness to these alternatives only, not to choices it "
             "leaves fixed (the indicator set, imputation, outlier treatment, the direction of each indicator).")
    mc_error = (f"The quantiles come from {n} Monte Carlo scenarios with the data held fixed: their error is Monte "
                "Carlo error, not sampling error, and the scenarios are a designed distribution of methods, not a "
                "sample of anything.")
    nominal = ("The nominal ranking is the dataset's own method (method.json), not necessarily CCID's, which the "
               "report does not spell out in enough detail to rerun.")
    caveat = ([] if not result.synthetic else
              ["The panel is synthetic, calibrated to the published ranks only: its score gaps are invented, so the "
               "number illustrates the audit and does not measure the robustness of CCID's ranking."])
    robust = (f"A rank counts as robust when its 5-95% interval stays within the nominal rank ± {tol:g} places; the "
              "tolerance and the 90% coverage are conventions, not estimates.")
    decided = (f"Two neighbours' order counts as decided when the upper city stays ahead in at least "
               f"{100 * DECIDED:.0f}% of the scenarios, a convention.")
    sobol = [drawn,
             "Sobol' indices decompose the variance of one summary of a scenario, the mean absolute rank shift over all "
             "cities, under independent inputs (the perturbed weights form one input); another summary (e.g. the top "
             "10's ranks) can be driven by other choices.",
             f"Estimated from a Saltelli design of {sensitivity.n} rows (first order: Saltelli et al. 2010; total: "
             f"Jansen 1999) with {100 * sensitivity.confidence:.0f}% percentile bootstrap intervals over the rows; a "
             "discrete input with two options gives each index few distinct values to rest on.", *caveat]
    spear = [drawn,
             f"Spearman's coefficient over all {spearman.units} cities (average ranks for ties) weighs every pair of "
             "cities alike: it is dominated by cities far apart and can stay near 1 while many of the top ranks move, "
             "so it is read beside the rank intervals, not instead of them.",
             "Its quantiles are over the spec's equally likely scenarios, not a sampling distribution.", *caveat]
    leave = ["Removing an indicator means setting its weight to 0 and renormalizing within its parent (COINr's "
             "remove_elements); every other weight, the normalization (per indicator, so unchanged) and the "
             f"{removed.aggregation} mean are the nominal method's.",
             "Each indicator is removed alone: removing several at once can move cities further.",
             f"A city moves when its rank changes by more than ± {removed.tolerance:g} places, a convention.", nominal,
             *caveat]
    low = ["Only min-max's lower bound changes (" + ", ".join(f"{v:g}" for v in bounds.table.index)
           + f"; upper bound {bounds.high:g}); the weights are nominal and the geometric mean applies at every level.",
           "Under the arithmetic mean the bounds do not matter (an affine map of every indicator is an affine map of "
           "the score): the effect is specific to the geometric mean.",
           f"The reference bound {bounds.reference_low:g} (COINr's documented example) is itself an arbitrary choice, "
           "as are the alternatives.", *caveat]
    out = {
        "rank_intervals": [drawn, mc_error, nominal, *caveat],
        "robust_share": [drawn, robust, mc_error, *caveat],
        "neighbor_order_decided_share": [drawn, decided, mc_error, *caveat],
        "mean_rank_shift": [drawn, "The shift of a scenario is the mean over all cities of |rank - nominal rank|, "
                            "every city weighing alike.", mc_error, *caveat],
        "sobol": sobol,
        "scenario_spearman": spear,
        "indicator_out": leave,
        "lower_bound": low,
    }
    if ensemble:
        fewer = (f" with fewer draws per panel ({ensemble_scenarios} scenarios, {ensemble_sobol} Sobol' rows) than the "
                 "nominal panel's full audit" if ensemble_scenarios and ensemble_sobol else "")
        out["ensemble"] = [
            "Every panel of the ensemble reproduces the report's 270 published (rank, city) pairs; the generator's "
            "other assumptions (distributions, correlations, hence the gaps between scores) decide the spread across "
            "panels.",
            f"Every panel is audited with the same spec and seed{fewer}; a conclusion holding in every panel is still "
            "a statement about synthetic data within the generator's ranges.",
            "Robust ranks, decided pairs, the scenarios' correlations, the effect of one indicator or of the lower "
            "bound and the Sobol' indices all depend on the score gaps, which no published table constrains (ranks "
            "do not change under an increasing map of the scores): a verdict shared by every panel reflects the "
            "generator's structure, not the published ranks (basis 'generator')."]
    joint = [robust, decided, drawn, nominal, *caveat]
    out["conclusions"] = joint + [out["ensemble"][i] for i in (0, 2) if ensemble]
    out["summary"] = list(out["conclusions"])
    return out


def check_lines(report, spearman, removed, bounds, *, synthetic: bool, lang: str = "en") -> list:
    """The conclusions of the three checks beside the Monte Carlo, one sentence each (illustrative on synthetic data).

    The first sets the scenarios' Spearman correlation with the nominal ranking beside the share of robust
    ranks (a high correlation over the whole list does not make the top ranks robust); the others are
    :meth:`IndicatorOut.text` and :meth:`LowerBoundEffect.text` (in Chinese, the same numbers in Chinese
    sentences).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import (alternatives_spec, indicator_out, lower_bound_effect, prepare,
    ...                             robustness_report, scenario_spearman)
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> mc = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> parts = (robustness_report(mc, top_n=5, tolerance=1), scenario_spearman(mc),
    ...          indicator_out(design, top_n=5, tolerance=1), lower_bound_effect(design, top_n=5, tolerance=1))
    >>> lines = check_lines(*parts, synthetic=True)
    >>> len(lines), lines[0].startswith("Illustrative (synthetic panel): each scenario's ranking")
    (3, True)
    >>> [line[:9] for line in check_lines(*parts, synthetic=True, lang="zh")]
    ['示意（合成数据）：', '示意（合成数据）：', '示意（合成数据）：']
    """
    synthetic = check_bool("synthetic", synthetic)
    if check_choice("lang", lang, LANGUAGES) == "zh":
        return _check_lines_zh(report, spearman, removed, bounds, synthetic=synthetic)
    mark = "Illustrative (synthetic panel): " if synthetic else ""
    top = len(report.intervals)
    first = (f"{mark}each scenario's ranking correlates with the nominal one at Spearman {spearman.text()}, yet only "
             f"{report.robust_share:.0%} of the top {top} ranks stay within ± {report.tolerance:g} places: a rank "
             "correlation over the whole list is dominated by cities far apart and does not show that single ranks "
             "are stable.")
    return [first, *(mark + text[0].lower() + text[1:] if mark else text for text in (removed.text(), bounds.text()))]


def spearman_text(spearman, *, lang: str = "en") -> str:
    """:meth:`ScenarioSpearman.text <cityeval.audit.agreement.ScenarioSpearman.text>` in ``lang``.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> s = SimpleNamespace(median=0.99, q05=0.95, q95=0.999, minimum=0.9, n=200, units=8, by_option=pd.DataFrame(),
    ...                     text=lambda: "median 0.990 ...")
    >>> spearman_text(s, lang="zh")
    '中位数 0.990（5%-95%：0.950-0.999；最低 0.900），共 200 个情景、8 个单位'
    """
    if check_choice("lang", lang, LANGUAGES) == "en":
        return spearman.text()
    out = (f"中位数 {spearman.median:.3f}（5%-95%：{spearman.q05:.3f}-{spearman.q95:.3f}；最低 {spearman.minimum:.3f}），"
           f"共 {spearman.n} 个情景、{spearman.units} 个单位")
    if len(spearman.by_option) > 1:
        keys = [c for c in spearman.by_option.columns if c not in ("n", "median", "q05", "q95")]
        out += "；各选项的中位数：" + "，".join(
            f"{' × '.join(option_name(row[k], 'zh') for k in keys)} {row['median']:.3f}（{row['n']} 个情景）"
            for _, row in spearman.by_option.iterrows())
    return out


def _check_lines_zh(report, spearman, removed, bounds, *, synthetic: bool) -> list:
    mark = "示意（合成数据）：" if synthetic else ""
    top, tol = len(report.intervals), report.tolerance
    first = (f"{mark}每个情景的排名与基准排名的 Spearman 相关系数为{spearman_text(spearman, lang='zh')}，但前 {top} 名中"
             f"只有 {report.robust_share:.0%} 的名次保持在 ± {tol:g} 名以内：整个名单上的秩相关由相距很远的城市主导，"
             "并不说明单个名次稳定。")
    t = removed.table
    low, big = t["spearman"].idxmin(), t["moved"].idxmax()
    second = (f"{mark}每次去掉 {len(t)} 个指标中的一个（其权重在上级指标内设为 0，其余按基准方法），排名与基准排名的 "
              f"Spearman 相关系数最低为 {t['spearman'].min():.3f}（去掉 {low}）；平均绝对名次变化为 "
              f"{t['mean_shift'].min():.1f}-{t['mean_shift'].max():.1f} 位。前 {removed.top_n} 名中，有 "
              f"{int((removed.cities['moved_by'] > 0).sum())} 个城市在去掉至少一个指标时名次变化超过 ± "
              f"{removed.tolerance:g} 位；去掉 {big} 影响最大（{int(t.at[big, 'moved'])} 个城市，最多 "
              f"{int(t.at[big, 'max_shift'])} 位）。")
    others = bounds.table.drop(index=bounds.reference_low)
    worst = others["spearman_reference"].idxmin()
    third = (f"{mark}在几何平均和名义权重下，把最小-最大标准化的下界从 {bounds.reference_low:g} 改为 "
             + " 或 ".join(f"{v:g}" for v in others.index) + f"（上界 {bounds.high:g}），所得排名与 [{bounds.reference_low:g}, "
             f"{bounds.high:g}] 排名的 Spearman 相关系数为 "
             + "，".join(f"{others.at[v, 'spearman_reference']:.3f}（下界 {v:g}）" for v in others.index)
             + f"；下界为 {worst:g} 时，前 {bounds.top_n} 名中有 {int(others.at[worst, 'moved'])} 个城市名次变化超过 ± "
             f"{bounds.tolerance:g} 位（最多 {int(others.at[worst, 'max_shift'])} 位）。")
    if bounds.n:
        third += (f"用每个下界重做整个审计（{bounds.n} 个情景），前 {bounds.top_n} 名中稳健的名次分别占 "
                  + "、".join(f"{bounds.table.at[v, 'robust_share']:.0%}" for v in bounds.table.index)
                  + "（下界 " + "、".join(f"{v:g}" for v in bounds.table.index) + "）。")
    return [first, second, third]


def ensemble_zh(statistics) -> dict:
    """Chinese names of the statistics and conclusions of a :class:`~cityeval.audit.statistics.RobustnessStatistics`,
    for :func:`cityeval.notebook.spread.summarize`'s ``zh`` (statistic name or conclusion text -> Chinese).

    >>> from cityeval.audit import RobustnessStatistics, alternatives_spec
    >>> stats = RobustnessStatistics(alternatives_spec([1, 2], 0.25), n=50, n_sobol=8, seed=1, top_n=5, tolerance=1)
    >>> zh = ensemble_zh(stats)
    >>> zh["robust_share"], sorted(zh) == sorted([*stats.labels(), *stats.conclusions()])
    ('前 5 名中稳健名次的占比（± 1；50 个情景）', True)
    """
    s = statistics
    names = choice_names(s.spec, lang="zh")
    lows = " 或 ".join(f"{low:g}" for low in s.lows)
    low0 = _spec_low_zh(s.spec)
    out = {"robust_share": f"前 {s.top_n} 名中稳健名次的占比（± {s.tolerance:g}；{s.n} 个情景）",
           "robust_share_top10": f"第 1-10 名中稳健名次的占比（± {s.tolerance:g}；{s.n} 个情景）",
           "decided_share": f"前 {s.top_n} 名相邻名次先后确定的占比（{s.n} 个情景）",
           "mean_rank_shift": f"平均绝对名次变化，位（{s.n} 个情景）"}
    for kind, word in (("first", "一阶"), ("total", "总")):
        for choice in s.spec["choices"]:
            out[f"sobol_{kind}_{choice}"] = f"{names[choice]}的{word} Sobol 指数（{s.n_sobol} 行）"
    out.update({
        "spearman_median": f"情景排名与基准排名的 Spearman 相关系数中位数（{s.n} 个情景）",
        "spearman_q05": f"该 Spearman 相关系数在各情景中的 5% 分位数（{s.n} 个情景）",
        "indicator_out_spearman_min": "去掉一个指标后与基准排名的最低 Spearman 相关系数",
        "indicator_out_moved_max": f"去掉一个指标使前 {s.top_n} 名中名次变化超过 ± {s.tolerance:g} 位的城市数（各指标中的最大值）",
        "bound_spearman_min": f"下界 {lows} 与下界 {low0} 的几何平均排名的最低 Spearman 相关系数",
        "bound_moved_max": f"下界 {lows} 使前 {s.top_n} 名中名次变化超过 ± {s.tolerance:g} 位的城市数（几何平均；两者中较大者）"})
    texts = list(s.conclusions())
    zh_texts = [f"前 {s.top_n} 名中稳健的名次不到一半（大多在噪声之内）",
                f"前 {s.top_n} 名的相邻名次大多未确定先后",
                f"第 1-10 名比前 {s.top_n} 名整体更常稳健",
                f"在 95% 的情景中，全部城市的排名与基准排名的 Spearman 相关系数 ≥ {_spearman_threshold():g}",
                f"去掉单个指标会使前 {s.top_n} 名中至少一个城市的名次变化超过 ± {s.tolerance:g} 位",
                f"最小-最大标准化的下界取 {lows} 而非 {low0}，在几何平均下会使前 {s.top_n} 名中至少一个城市的名次"
                f"变化超过 ± {s.tolerance:g} 位"]
    zh_texts += [f"{names[c]}的总 Sobol 指数最大" for c in s.largest_texts()]
    out.update(dict(zip(texts, zh_texts)))
    return out


def _spearman_threshold() -> float:
    from cityeval.audit.statistics import SPEARMAN_THRESHOLD

    return SPEARMAN_THRESHOLD


def _spec_low_zh(spec) -> str:
    from cityeval.audit.statistics import _spec_low

    return _spec_low(spec)


def summary_zh(report, result, sensitivity, *, ensemble=None, statistics=None) -> str:
    """The Chinese one-line summary of notebook 09 (``results["summary_zh"]``): the ensemble's ranges first when
    there is one (as :meth:`RobustnessStatistics.summary` does in English), then the nominal panel's full audit.

    Parameters
    ----------
    report, result, sensitivity
        The nominal panel's full audit, as for :func:`~cityeval.audit.report.conclusions`.
    ensemble : EnsembleSummary, optional
        From :func:`cityeval.notebook.spread.summarize` with ``statistics``; without it (or with no member),
        the summary is the nominal audit's.
    statistics : RobustnessStatistics, optional

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare, robustness_report
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> res = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> summary_zh(robustness_report(res, top_n=5, tolerance=1), res, design.sensitivity(16, seed=1))[:9]
    '示意（合成数据）：'
    """
    from cityeval.audit.report import conclusions

    nominal = conclusions(report, result, sensitivity, lang="zh").summary
    panels = ensemble.n_ok("robust_share") if ensemble is not None else 0
    if not panels or statistics is None:
        return nominal
    names = choice_names(result.spec, lang="zh")
    rob, dec = ensemble.quantiles("robust_share"), ensemble.quantiles("decided_share")
    largest = {c: sum(ensemble.conclusions[text]["holds"]) for c, text in statistics.largest_texts().items()}
    lead = sorted((c for c in largest if largest[c]), key=lambda c: -largest[c])
    lead_text = "，".join(f"{names[c]}（{panels} 个中 {largest[c]} 个）" for c in lead) or "任何数据中都没有"
    over = f"{panels} 个示意数据的 5%-95%"
    mark = "示意（合成数据）：" if result.synthetic else ""
    return (f"{mark}在 {panels} 个符合公布排名的数据中（每个 {statistics.n} 个情景），前 {len(report.intervals)} 名中 "
            f"{rob[0]:.0%}-{rob[2]:.0%} 的名次保持在 ± {report.tolerance:g} 名以内（{over}），"
            f"{dec[0]:.0%}-{dec[2]:.0%} 的相邻名次在 90% 的情景中保持先后（{over}）；总 Sobol 指数最大的是："
            f"{lead_text}。基准面板的完整审计：{nominal.removeprefix(mark)}")


def run_text(report, result, *, seconds: float, lang: str = "en") -> str:
    """What the Monte Carlo run did, in ``lang``: scenarios, cities, time, and whether the nominal ranks are the
    published ones.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> r = SimpleNamespace(reproduces_published=True, intervals=pd.DataFrame(index=range(5)), top_n=5)
    >>> m = SimpleNamespace(n=200, table=pd.DataFrame(index=range(8)))
    >>> run_text(r, m, seconds=0.5)
    '200 scenarios x 8 cities ranked in 0.50 s; nominal ranks equal Table 3 for the top 5: True.'
    >>> run_text(r, m, seconds=0.5, lang="zh")
    '200 个情景 × 8 个城市的排名用时 0.50 秒；前 5 名的基准名次与表 3 相同：是。'
    """
    same = report.reproduces_published
    if check_choice("lang", lang, LANGUAGES) == "zh":
        word = {True: "是", False: "否", None: "未比较"}[same]
        return (f"{result.n} 个情景 × {len(result.table)} 个城市的排名用时 {seconds:.2f} 秒；前 {report.top_n} 名的"
                f"基准名次与表 3 相同：{word}。")
    return (f"{result.n} scenarios x {len(result.table)} cities ranked in {seconds:.2f} s; nominal ranks equal "
            f"Table 3 for the top {report.top_n}: {same}.")


def ensemble_check_text(ensemble, report, result, *, panels: int, seconds: float, scenarios: int,
                        lang: str = "en") -> str:
    """The ensemble's run in ``lang``: panels audited, time, and the nominal panel's shares with the ensemble's
    smaller counts beside the full audit's (a measure of the Monte Carlo error).

    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(top_n=5, robust_share=0.4, neighbor_order_decided_share=0.25)
    >>> e = SimpleNamespace(nominal={"robust_share": 0.6, "decided_share": 0.25}, reason="")
    >>> print(ensemble_check_text(e, r, SimpleNamespace(n=200), panels=3, seconds=1.0, scenarios=50, lang="zh"))
    审计了 3 个数据，用时 1.0 秒
    基准面板，50 个情景：前 5 名中 60% 稳健，25% 的相邻名次先后确定（完整审计，200 个情景：40%，25%）
    """
    nom = ensemble.nominal
    values = (nom["robust_share"], nom["decided_share"], report.robust_share, report.neighbor_order_decided_share)
    robust, decided, full_robust, full_decided = ("nan" if v is None or (isinstance(v, float) and math.isnan(v))
                                                  else f"{v:.0%}" for v in values)
    if check_choice("lang", lang, LANGUAGES) == "zh":
        head = f"审计了 {panels} 个数据，用时 {seconds:.1f} 秒" + (f"（没有集合：{ensemble.reason}）" if ensemble.reason else "")
        return (f"{head}\n基准面板，{scenarios} 个情景：前 {report.top_n} 名中 {robust} 稳健，{decided} 的相邻名次先后确定"
                f"（完整审计，{result.n} 个情景：{full_robust}，{full_decided}）")
    head = f"{panels} panels audited in {seconds:.1f} s" + (f" (no ensemble: {ensemble.reason})" if ensemble.reason else "")
    return (f"{head}\nnominal panel, {scenarios} scenarios: {robust} of the top {report.top_n} robust, {decided} of "
            f"neighbour pairs decided (full audit, {result.n} scenarios: {full_robust}, {full_decided})")


_OPTION_EN = {"minmax": "min-max", "zscore": "z-score", "arithmetic": "arithmetic mean", "geometric": "geometric mean",
              "harmonic": "harmonic mean"}
_OPTION_PARAMETERS = {"low": ("lower bound", "下界"), "high": ("upper bound", "上界"), "mean": ("mean", "均值"),
                      "sd": ("standard deviation", "标准差")}


def option_name(label, lang: str = "en") -> str:
    """A scenario option label (``"minmax(low=1, high=100)"``, ``"geometric"``) in words, in ``lang``.

    >>> option_name("minmax(low=1, high=100)"), option_name("zscore(mean=10, sd=2)", "zh")
    ('min-max (lower bound 1, upper bound 100)', 'z分数标准化（均值 10，标准差 2）')
    >>> option_name("geometric", "zh"), option_name("winmax=2")
    ('几何平均', 'winmax=2')
    """
    from cityeval.audit.report import _OPTION_ZH

    zh = check_choice("lang", lang, LANGUAGES) == "zh"
    text = str(label)
    head, sep, rest = text.partition("(")
    names = _OPTION_ZH if zh else _OPTION_EN
    if head not in names:
        return text
    if not sep:
        return names[head]
    parts = []
    for item in rest.rstrip(")").split(","):
        key, _, value = item.strip().partition("=")
        word = _OPTION_PARAMETERS.get(key, (key, key))[1 if zh else 0]
        parts.append(f"{word} {value}")
    return f"{names[head]}（{'，'.join(parts)}）" if zh else f"{names[head]} ({', '.join(parts)})"


def _table_words(tolerance) -> dict:
    t = f"{tolerance:g}" if isinstance(tolerance, (int, float)) else "?"
    return {
        "published": ("Published rank", "公布名次"), "nominal": ("Nominal rank", "基准名次"),
        "mean": ("Mean rank", "平均名次"), "median": ("Median rank", "名次中位数"),
        "q05": ("5th percentile of the rank", "名次 5% 分位数"), "q95": ("95th percentile of the rank", "名次 95% 分位数"),
        "width": ("Interval width", "区间宽度"), "robust": (f"Robust (± {t})", f"稳健（± {t}）"), "unit": ("City", "城市"),
        "first": ("First-order index", "一阶指数"), "total": ("Total index", "总指数"),
        "first_lo": ("First-order, lower end", "一阶指数下端"), "first_hi": ("First-order, upper end", "一阶指数上端"),
        "total_lo": ("Total, lower end", "总指数下端"), "total_hi": ("Total, upper end", "总指数上端"),
        "rank_first": ("First-order index, cities' ranks", "一阶指数（各城市名次）"),
        "rank_total": ("Total index, cities' ranks", "总指数（各城市名次）"),
        "input": ("Choice", "选择"), "count": ("Scenarios", "情景数"), "normalize": ("Normalization", "标准化"),
        "aggregate": ("Aggregation", "加权汇总"), "weights": ("Weights", "权重"), "ranks": ("Ranks", "名次段"),
        "cities": ("Cities", "城市数"), "robust_share": ("Share robust", "稳健占比"),
        "median_width": ("Median interval width", "区间宽度中位数"),
        "spearman": ("Spearman with the nominal ranking", "与基准排名的 Spearman 相关"),
        "mean_shift": ("Mean rank shift", "平均名次变化"), "max_shift": ("Largest rank shift", "最大名次变化"),
        "moved": (f"Cities moved > ± {t}", f"移动超过 ± {t} 位的城市数"), "also_removed": ("Also removed", "一并去掉"),
        "indicator": ("Indicator removed", "去掉的指标"), "best": ("Best rank", "最好名次"), "worst": ("Worst rank", "最差名次"),
        "median_shift": ("Median rank shift", "名次变化中位数"),
        "worst_indicator": ("Removal giving the worst rank", "导致最差名次的去掉"),
        "moved_by": (f"Removals moving it > ± {t}", f"使其移动超过 ± {t} 位的去掉次数"),
        "spearman_nominal": ("Spearman with the nominal ranking", "与基准排名的 Spearman 相关"),
        "spearman_reference": ("Spearman with the ranking at lower bound 1", "与下界为 1 时排名的 Spearman 相关"),
        "decided_share": ("Share of neighbour pairs decided", "相邻先后已定的占比"),
        "spearman_median": ("Median Spearman over the scenarios", "各情景 Spearman 相关的中位数"),
        "low": ("Lower bound of min-max", "最小-最大标准化的下界"),
    }


def shown_table(frame, lang: str = "en", *, indicators=None, names=None, choices=None, tolerance=None,
                percent=()):
    """One of notebook 09's tables for a reader, in ``lang``: headings in words (not ``rank_lo``-style
    identifiers), indicators by name, options in words (:func:`option_name`), yes/no (是/否).

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of a :class:`~cityeval.audit.RobustnessReport`, a Sobol' index table, an
        :func:`~cityeval.audit.indicator_out` or :func:`~cityeval.audit.lower_bound_effect` table.
    lang : {"en", "zh"}, default "en"
    indicators : pandas.DataFrame, optional
        The dataset's indicator table (``name_en``, ``name_zh``): indicator codes in the index and cells are named.
    names : callable, optional
        A list of cities -> their names in ``lang``, applied to an index named ``unit``.
    choices : dict, optional
        ``{input: name}`` of the uncertain inputs (:func:`~cityeval.audit.choice_names`).
    tolerance : float, optional
        The robustness tolerance, said in the headings that depend on it.
    percent : iterable of str
        Columns of shares shown as percentages.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"nominal": [1], "robust": [True]}, index=pd.Index(["北京市"], name="unit"))
    >>> shown = shown_table(t, "zh", tolerance=5)
    >>> shown.index.name, list(shown.columns), shown.iloc[0]["稳健（± 5）"]
    ('城市', ['基准名次', '稳健（± 5）'], '是')
    >>> list(shown_table(t, tolerance=5).columns)
    ['Nominal rank', 'Robust (± 5)']
    """
    import pandas as pd

    check_choice("lang", lang, LANGUAGES)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", "a pandas DataFrame", Shown(type(frame).__name__))
    words = _table_words(tolerance)
    side = 1 if lang == "zh" else 0
    known = set(indicators.index) if indicators is not None else set()

    def name(v):
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
        if not isinstance(v, str):
            return v
        if choices and v in choices:
            return choices[v]
        if v in words:
            return words[v][side]
        if v in known:
            return str(indicators.at[v, f"name_{lang}"])
        if "," in v and all(p.strip() in known for p in v.split(",")):
            return ("、" if lang == "zh" else ", ").join(str(indicators.at[p.strip(), f"name_{lang}"])
                                                        for p in v.split(","))
        if re.match(r"^[a-z]+(\(.*\))?$", v):
            return option_name(v, lang)
        return v

    out = frame.copy()
    for column in percent:
        if column in out.columns:
            out[column] = out[column].map(lambda v: "–" if v is None or v != v else f"{100 * float(v):.1f}%")
    out = out.apply(lambda col: col.map(name)) if len(out.columns) else out
    if names is not None and out.index.name == "unit":
        out.index = pd.Index(names(list(out.index)), name="unit")
    out = out.rename(index=name, columns=name)
    out.index.names = [name(n) for n in out.index.names]
    out.columns.names = [name(n) for n in out.columns.names]
    return out


_CJK_GLOSS = re.compile(r"\s*[(（][^()（）]*[\u4e00-\u9fff][^()（）]*[)）]")


def indicator_labels(codes, lang: str = "en", *, indicators) -> list:
    """The names of indicator ``codes`` for a figure's ticks, in ``lang``: an English name drops a Chinese gloss
    in parentheses ("Unified city-management (一网统管) scenarios" -> "Unified city-management scenarios"), which
    the English figure font cannot draw (empty boxes).

    >>> import pandas as pd
    >>> meta = pd.DataFrame({"name_en": ["Unified city-management (一网统管) scenarios"], "name_zh": ["“一网统管”场景数"]},
    ...                     index=["gov_onenet_scenes"])
    >>> indicator_labels(["gov_onenet_scenes"], indicators=meta), indicator_labels(["gov_onenet_scenes"], "zh", indicators=meta)
    (['Unified city-management scenarios'], ['“一网统管”场景数'])
    """
    zh = check_choice("lang", lang, LANGUAGES) == "zh"
    out = []
    for code in codes:
        name = str(indicators.at[code, f"name_{lang}"]) if code in indicators.index else str(code)
        out.append(name if zh else _CJK_GLOSS.sub("", name))
    return out
