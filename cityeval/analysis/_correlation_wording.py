"""Notebook 02's words in Chinese: the method names its figures show and its one-line summary.

The English texts stay in :mod:`cityeval.analysis._correlation_findings`; these say the same things, number for
number, for a page with ``lang="zh"``. Nothing here computes.
"""
from __future__ import annotations

from cityeval.errors import ParameterError

__all__ = ["banner", "METHOD_NAMES_ZH", "method_name", "summary_zh", "ensemble_labels_zh", "ensemble_conclusions_zh",
           "assumptions_zh", "refused_text", "conclusions_zh", "correlation_test_table", "implied_rho_shown",
           "published_agreement_shown", "TEST_COLUMNS", "IMPLIED_COLUMNS"]

#: Chinese names of the weighting and normalization methods notebook 02 re-scores with.
METHOD_NAMES_ZH = {"equal": "等权", "entropy": "熵权法", "critic": "CRITIC", "std": "标准差法", "cv": "变异系数法",
                   "pca": "主成分分析 PCA", "minmax": "极差标准化", "zscore": "z 分数", "rank": "排名", "percentile": "百分位"}


#: The synthetic panel's banner in Chinese (the English is ``cityeval.ccid2022.synthetic.BANNER``).
BANNER_ZH = "合成数据：按赛迪公布排名校准的示意面板数据，并非赛迪的得分或指标。"


def banner(panel, lang: str = "en") -> str:
    """The line a notebook prints above its numbers, in ``lang``: synthetic data (illustrative), or the folder read.

    ``panel``: a :class:`~cityeval.notebook.panel.ScoredPanel` (its ``banner``, ``synthetic`` and ``dataset.path``).

    >>> from types import SimpleNamespace
    >>> banner(SimpleNamespace(synthetic=True, banner="SYNTHETIC DATA"), "zh")
    '合成数据：按赛迪公布排名校准的示意面板数据，并非赛迪的得分或指标。'
    >>> banner(SimpleNamespace(synthetic=False, banner="Data: x (not synthetic).", dataset=SimpleNamespace(path="x")), "en")
    'Data: x (not synthetic).'
    """
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    if lang == "en":
        return panel.banner
    return BANNER_ZH if panel.synthetic else f"数据：{panel.dataset.path}（非合成数据）。"


def method_name(name: str, lang: str = "en") -> str:
    """A method's name for a figure in ``lang`` (the registry name in English, :data:`METHOD_NAMES_ZH` in Chinese).

    >>> method_name("entropy"), method_name("entropy", "zh"), method_name("other", "zh")
    ('entropy', '熵权法', 'other')
    """
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    return METHOD_NAMES_ZH.get(name, name) if lang == "zh" else name


def summary_zh(*, synthetic: bool, values: str, k: int, r0: float, lower_bound: float, null_mean: float,
               n_top: int, n_total: int, reported: str, unselected: float, n_unselected: int, selected: str,
               n_selected: int, n_selected_total: int) -> str:
    """The Chinese one-line summary of notebook 02 (the same numbers as ``InnovationFindings.summary``).

    >>> summary_zh(synthetic=True, values="r(TEC, 综合指数) = 0.360，去掉 TEC 后 0.070", k=6, r0=0.408,
    ...            lower_bound=0.196, null_mean=0.2, n_top=100, n_total=293, reported="0.7561", unselected=0.486,
    ...            n_unselected=293, selected="0.70", n_selected=100, n_selected_total=293).split("。")[0]
    '示意（合成面板）：r(TEC, 综合指数) = 0.360，去掉 TEC 后 0.070'
    """
    return (f"{'示意（合成面板）：' if synthetic else ''}{values}。毫无关联时，{k} 个标准化等权维度之一与综合指数的相关"
            f"在未经选择的城市中为 {r0:.3f}（这不是下限：下界为 {lower_bound:.3f}），在 {n_total} 座中按综合指数选出的前 "
            f"{n_top} 座中为 {null_mean:.3f}；报告的 {reported} 意味着：若在全部 {n_unselected} 座城市上计算、有效权重相等且"
            f"每对维度相关相同，则 ρ = {unselected:.3f}；若在 {n_selected_total} 座中的前 {n_selected} 座上计算，则 ρ ≈ "
            f"{selected}。")


def _method(method: str) -> str:
    """A coefficient's name as the report writes it (``pearson`` -> ``Pearson``)."""
    return method.capitalize() if method in ("pearson", "spearman", "kendall") else method


def ensemble_labels_zh(*, x: str = "TEC", method: str = "pearson", n: int | None = None,
                       n_total: int | None = None) -> dict:
    """Chinese labels of the ensemble statistics, by name (the same keys as ``ensemble_labels``).

    >>> ensemble_labels_zh(n=100)["r"]
    'Pearson r(TEC, 综合指数)，前 100 座'
    """
    top = f"，前 {n} 座" if n is not None else ""
    every = f"，全部 {n_total} 座城市" if n_total is not None else "，全部城市"
    m = _method(method)
    return {"r": f"{m} r({x}, 综合指数){top}",
            "r_without": f"{m} r({x}, 去掉 {x} 后重建的综合指数){top}",
            "part_whole_difference": f"部分与整体差：r 减去去掉 {x} 后的 r{top}",
            "mean_rho": f"维度之间的平均 Pearson r{top}",
            "r_all": f"{m} r({x}, 综合指数){every}（未经选择）",
            "mean_rho_all": f"维度之间的平均 Pearson r{every}（未经选择）",
            "x_mean_r_with_others": f"{x} 与其他维度的平均 Pearson r{top}",
            "others_mean_r": f"其他维度彼此之间的平均 Pearson r{top}",
            "spread_effect": f"离散度效应：Pearson r 减去各维度 z 分数化后的 r{top}",
            "correlation_effect": f"相关效应：Pearson r 减去 {x} 与其他维度相关如同它们彼此相关时的 r{top}",
            "effective_weight": f"{x} 的有效权重（名义权重 × 标准差的占比）{top}"}


def ensemble_conclusions_zh(*, n: int, n_total: int, x: str = "TEC", no_association_q95: float | None = None,
                            guaranteed: bool = True) -> list[str]:
    """The Chinese of ``ensemble_conclusions``' sentences, in the same order (``guaranteed``: equal weights and
    Pearson's r, so the construction guarantees the part-whole difference).

    >>> ensemble_conclusions_zh(n=100, n_total=293, no_association_q95=0.38)[0].startswith('前 100 座上的 r(TEC, 综合指数) 超过 0.380')
    True
    """
    out = []
    if no_association_q95 is not None:
        out.append(f"前 {n} 座上的 r({x}, 综合指数) 超过 {no_association_q95:.3f}，即毫无关联时（模拟，ρ = 0）部分与整体"
                   f"效应加上从 {n_total} 座中选出前 {n} 座所给出的值的第 95 百分位数")
    out.append(f"{x} 移出综合指数后 r 下降（部分与整体差，即 r 减去去掉 {x} 后的 r，为正；等权时，除非 {x} 与其他维度的均值"
               "完全相关，构造本身就保证这一点）" if guaranteed else
               f"{x} 移出综合指数后 r 下降（部分与整体差，即 r 减去去掉 {x} 后的 r，为正）")
    if n < n_total:
        out.append(f"全部 {n_total} 座城市上的 r({x}, 综合指数) 超过前 {n} 座上的 r（按综合指数选择会降低相关系数：一种选择效应）")
        out.append(f"全部 {n_total} 座城市上维度之间的平均相关超过前 {n} 座上的（选择同样会降低它：一种选择效应）")
    out.append(f"{x} 与其他维度的平均相关低于其他维度彼此之间的平均相关（前 {n} 座）")
    out.append(f"{x} 与其他维度的相关对 Pearson r 的影响大于各维度离散度不等的影响（|相关效应| > |离散度效应|）")
    return out


def assumptions_zh(test, *, part_of_composite: bool = True) -> list:
    """The Chinese of ``correlation_test_assumptions``: what the intervals and the p-value rest on.

    >>> from cityeval.analysis._correlation_coefficient import CorrelationTest
    >>> t = CorrelationTest("pearson", 100, 0.5, float("nan"), float("nan"), 0.3, 0.6, 0.001, True)
    >>> assumptions_zh(t)[1]
    '不给出 Fisher 区间：按综合指数选出的城市不是来自二元正态总体的随机样本（综合指数被截断）。'
    """
    if test.selected:
        out = [f"自助法把这 {test.n} 座城市看作从以同样方式选出的城市（按综合指数排在前面的城市）总体中独立抽取的样本，"
               "而不是从全部城市中抽取。",
               "不给出 Fisher 区间：按综合指数选出的城市不是来自二元正态总体的随机样本（综合指数被截断）。"]
    else:
        out = [f"自助法把这 {test.n} 座城市看作从同类城市总体中独立抽取的样本。",
               "Fisher 区间还假设该总体服从二元正态分布。"]
    out.append("置换检验的 p 值检验的是“毫无关联”这一原假设"
               + ("，而部分与整体的构造已经排除了它（该维度是综合指数的一部分）。" if part_of_composite else "。"))
    return out


def refused_text(refused: dict, lang: str = "en") -> str:
    """The combinations of weighting and normalization the library refused, one line each, in ``lang``.

    English: ``"<weighting>/<normalization>: <the library's message>"``. Chinese: the methods by their Chinese
    names and the reason in Chinese where it is a known one (entropy or coefficient-of-variation weights of
    values below zero), else the library's message quoted as it is.

    >>> print(refused_text({"entropy/zscore": "x: entropy weights need values >= 0 (p_ij is a share)"}, "zh"))
    熵权法 × z 分数：不可行，熵权法要求取值非负（每个值除以其列和须为占比），而 z 分数标准化会产生负值。
    >>> refused_text({}, "zh")
    ''
    """
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    if lang == "en":
        return "\n".join(f"{key}: {why}" for key, why in refused.items())
    lines = []
    for key, why in refused.items():
        w, _, nm = key.partition("/")
        head = f"{method_name(w, 'zh')} × {method_name(nm, 'zh')}：不可行，"
        if "entropy weights need values >= 0" in why:
            lines.append(head + "熵权法要求取值非负（每个值除以其列和须为占比），而"
                         f" {method_name(nm, 'zh')}标准化会产生负值。")
        elif "cv" in w and ("> 0" in why or "positive" in why):
            lines.append(head + f"变异系数法要求均值为正，而 {method_name(nm, 'zh')}标准化后的均值不为正。")
        else:
            lines.append(head + f"程序给出的原因：`{why}`")
    return "\n".join(lines)


def _g(v, fmt=".3f") -> str:
    import math

    return "无定义" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, fmt)


def _anatomy_zh(a, *, where: str) -> list:
    """The Chinese of ``_anatomy_lines``: what the data's Pearson r is made of."""
    import math

    import pandas as pd

    if not a.weighted_mean:
        return [f"这里的综合指数不是各维度的加权算术平均（公式给出 {a.r_formula:.3f}，数据为 {a.statistic:.3f}），"
                "因此不对该系数作分解。"]
    x, k = a.x, len(a.sd)
    sd, skew = pd.Series(a.sd), pd.Series(a.skew)
    skew_rank = int((skew > skew[x]).sum()) + 1
    spread, corr = a.statistic - a.r_zscored, a.statistic - a.r_if_typical
    place = "最大" if skew_rank == 1 else "最小" if skew_rank == k else f"从大到小第 {skew_rank} 位（共 {k} 个）"
    lines = [f"{where} Pearson r({x}, 综合指数) = {a.statistic:.3f} 由什么构成：各维度标准差在 {sd.min():.1f}–{sd.max():.1f} "
             f"之间（{x} 为 {sd[x]:.1f}，有效权重 {a.effective_weight:.3f}，等权时为 1/{k} = {1 / k:.3f}）；把每个维度都化为 "
             f"z 分数后 r 为 {a.r_zscored:.3f}（离散度不等使它变化 {spread:+.3f}）。偏度在 {skew.min():.2f}–{skew.max():.2f} "
             f"之间（{x} 为 {skew[x]:.2f}，{place}）；偏度只通过相关和离散度影响 Pearson r。"]
    if math.isnan(a.r_if_typical):
        lines.append(f"{x} 与其他 {k - 1} 个维度的平均相关为 {a.x_mean_r_with_others:.3f}，其他维度彼此之间为 "
                     f"{a.others_mean_r:.3f}（让 {x} 取其他维度之间的相关不能构成有效的相关矩阵，因此不计算这一效应）。")
        return lines
    weaker = "较弱" if a.x_mean_r_with_others < a.others_mean_r else "较强"
    bigger = abs(corr) > abs(spread)
    lines.append(f"{x} 与其他 {k - 1} 个维度的平均相关为 {a.x_mean_r_with_others:.3f}，其他维度彼此之间为 "
                 f"{a.others_mean_r:.3f}；若 {x} 与其他维度的相关如同它们彼此之间那样，r 将是 {a.r_if_typical:.3f}"
                 f"（{x} 的相关{weaker}带来 {corr:+.3f}）。因此，"
                 + (f"对 r 影响最大的是 {x} 与其他维度{weaker}的相关，而不是离散度不等。" if bigger
                    else f"离散度不等对 r 的影响大于 {x} 与其他维度{weaker}的相关。"))
    return lines


def conclusions_zh(f: dict) -> list:
    """The Chinese of ``InnovationFindings.conclusions``, sentence for sentence, from the numbers
    :func:`~cityeval.analysis.correlation.innovation_findings` computed (``f``: its named values)."""
    import numpy as np

    head, without, pw, unsel, sel, by_x = f["head"], f["without"], f["part_whole"], f["unsel"], f["sel"], f["by_x"]
    x, k, n, n_total, null, null0, ranges = f["x"], f["k"], head.n, f["n_total"], f["null"], f["null0"], f["ranges"]
    reported, grid = f["reported"], f["grid"]
    kind = ("示意的基准合成面板" if ranges else "示意合成面板") if f["synthetic"] else "当前数据"
    over = f"在 {n_total} 座中的前 {n} 座上" if head.selected else f"在 {n} 座城市上"
    if head.selected:
        interval = (f"95% 自助法区间 {head.boot_ci_low:.3f}–{head.boot_ci_high:.3f}，它针对的是像这前 {n} 座一样选出的城市"
                    "总体；不给出 Fisher 区间，因为按综合指数选出的城市不是二元正态的随机样本")
    else:
        interval = (f"95% Fisher 区间 {head.fisher_ci_low:.3f}–{head.fisher_ci_high:.3f}，自助法区间 "
                    f"{head.boot_ci_low:.3f}–{head.boot_ci_high:.3f}")
    drop = f["drop"]
    weights, unreachable, at_weights = f["weights"], f["unreachable"], f["at_weights"]
    edge = "，已到模拟网格的端点"
    ranges = f["ranges_zh"] or ranges
    lines = [
        f"在{kind}上，{over}的 {_method(head.method)} r({x}, 综合指数) = {head.statistic:.3f}（{interval}）。其置换检验 "
        f"p = {head.p_value:.4f} 检验的是毫无关联，而部分与整体的构造本身已经排除了这一点。"
        + (f"合成面板对赛迪的 {reported} 什么也说明不了：没有任何东西按它调校。" if f["synthetic"] else ""),
        f"在毫无关联（ρ = 0）时，{k} 个标准化、等权的维度之一与综合指数的相关在未经选择的城市中为 {pw.r_at_rho0:.3f}，"
        f"在按综合指数从 {n_total} 座中选出的前 {null.n_top} 座中平均为 {null0['mean_r']:.3f}（{null.n_sim} 次模拟的 5–95%："
        f"{null0['q05']:.3f}–{null0['q95']:.3f}）；这里的 r {'超出' if f['exceeds'] else '没有超出'}这一区间。",
        f"{pw.r_at_rho0:.3f} 不是下限：相关非负时，系数可低至 1/√(1+(k−1)²) = {pw.lower_bound:.3f}（k = {k}；{x} 与其他维度"
        "不相关，而其他维度彼此完全相关）。",
        f"综合指数去掉 {x} 后系数为 {without.statistic:.3f}：{'下降' if drop >= 0 else '上升'}了 {abs(drop):.3f}（r 减去去掉 "
        f"{x} 后的 r：这是 {x} 与两个不同综合指数的两个相关系数之差，不是 r 的一个份额）。",
        f"倒推回去，报告的 {reported} 意味着维度之间的共同相关 ρ = {unsel.statistic:.3f}，但这只在以下条件下成立：它是在未经"
        f"选择的城市上计算的，{x} 的有效权重（名义权重 × 标准差的占比）为 1/{k}，且每对维度的相关都相同"
        + (f"；有效权重为 {'和'.join(f'{w:.2f}' for w, _ in weights)} 时，它意味着 "
           f"{'和'.join(f'{v:.3f}' for _, v in weights)}" if weights else "")
        + (f"；有效权重从 {unreachable:.2f} 起，任何共同的 ρ 都给不出它（仅该维度的权重就使 r 更大）"
           if unreachable is not None else "")
        + "。赛迪没有公布各维度的离散度，因此其有效权重未知。",
        f"若它是在全部 {unsel.n} 座城市上计算的（赛迪 2020 年版的城市数，为假设：2022 年报告没有说明），r 的 Fisher 95% "
        f"区间为 {unsel.r_ci_low:.3f}–{unsel.r_ci_high:.3f}（ρ 为 {unsel.ci_low:.3f}–{unsel.ci_high:.3f}）；它针对的是一个"
        f"假想的城市总体：这 {unsel.n} 座是它的随机样本，未经选择，每个维度与综合指数服从二元正态分布；不是这些城市本身，"
        "也不是按综合指数选出的头部城市。",
        f"若它是在按综合指数从 {sel.n_total} 座中选出的前 {sel.n} 座上计算的（图 18 画的是一个百强；按哪种排名没有说明），"
        f"则需要 ρ ≈ {_g(sel.statistic, '.2f')}（模拟的 5–95% 区间包含它的 ρ：{_g(sel.ci_low, '.2f')}–"
        f"{_g(sel.ci_high, '.2f')}{edge if sel.at_grid_edge else ''}）；对选出的集合不适用 Fisher 区间。"
        + (f"若它们改为按 {x} 本身选出的前 {by_x.n} 座（报告正文说的是技术创新百强城市），则需要 ρ ≈ "
           f"{_g(by_x.statistic, '.2f')}（{_g(by_x.ci_low, '.2f')}–{_g(by_x.ci_high, '.2f')}）：按这对变量中的任何一个选择，"
           "对相关的限制大致相同（Thorndike 第二种情形）。" if by_x is not None else "")
        + ("在按综合指数选出的头部城市上，" + "；".join(
            f"{x} 的有效权重为 {v.effective_weight:.2f} 时需要 ρ ≈ {_g(v.statistic, '.2f')}（{_g(v.ci_low, '.2f')}–"
            f"{_g(v.ci_high, '.2f')}{edge if v.at_grid_edge else ''}）" for v in at_weights.values()) + "。"
           if at_weights else "")
        + "模拟抽取的是多元正态的维度。正态性是假设而不是发现：赛迪的维度得分没有公布，重尾或偏斜的维度（例如"
        "笔记本 01 的 t 连接函数）会改变模拟区间以及由它读出的 ρ；这里没有模拟其他分布。",
        f"两个倒推值都是选择之前全部城市之间的相关。在{kind}上，应把它们与全部城市上维度之间的平均相关 "
        f"{ranges['mean_rho_all'] if ranges else _g(pw.mean_rho_all)} 相比，而不是与前 {n} 座上的 "
        f"{ranges['mean_rho'] if ranges else _g(pw.mean_rho_top)} 相比，后者被选择压低了：在模拟中，ρ = "
        f"{_g(sel.statistic, '.2f')} 时 {sel.n_total} 座中的前 {sel.n} 座维度之间的平均相关为 {_g(f['sel_inter'])}。",
        *_anatomy_zh(f["anatomy"], where=f"{kind}的"),
        f"在各种赋权 × 标准化组合下，系数在 {np.nanmin(grid):.3f}–{np.nanmax(grid):.3f} 之间"
        + ("（仅在基准面板上）。" if ranges else "。"),
        "公布的表格中没有技术创新排名，因此报告的这个数字无法用公开数据核对。",
    ]
    if ranges:
        lines.append(f"在符合公布排名的各组面板上：r = {ranges['r']}，全部城市上 {ranges['r_all']}，去掉 {x} 后 "
                     f"{ranges['r_without']}，部分与整体差 {ranges['part_whole_difference']}；{x} 与其他维度的平均相关 "
                     f"{ranges['x_mean_r_with_others']}，其他维度彼此之间 {ranges['others_mean_r']}；离散度效应 "
                     f"{ranges['spread_effect']}，相关效应 {ranges['correlation_effect']}。")
    return lines


# ----------------------------------------------------------------------------- tables for a reader
#: Readable headers of :func:`correlation_test_table` per language.
TEST_COLUMNS = {
    "en": {"n": "Cities", "statistic": "r", "fisher_ci_low": "Fisher CI low", "fisher_ci_high": "Fisher CI high",
           "boot_ci_low": "Bootstrap CI low", "boot_ci_high": "Bootstrap CI high", "p_value": "Permutation p-value",
           "selected": "Selected by composite"},
    "zh": {"n": "城市数", "statistic": "相关系数 r", "fisher_ci_low": "费希尔区间下端", "fisher_ci_high": "费希尔区间上端",
           "boot_ci_low": "自助法区间下端", "boot_ci_high": "自助法区间上端", "p_value": "置换检验 p 值",
           "selected": "按综合指数选出"},
}

#: Readable headers of :func:`implied_rho_shown` per language.
IMPLIED_COLUMNS = {
    "en": {"n": "Cities", "effective_weight": "Effective weight", "implied_rho": "Implied ρ", "rho_ci_low": "ρ interval low",
           "rho_ci_high": "ρ interval high", "level": "Level", "fisher_r_ci_low": "Fisher r CI low",
           "fisher_r_ci_high": "Fisher r CI high", "population": "Population the interval is about"},
    "zh": {"n": "城市数", "effective_weight": "有效权重", "implied_rho": "所意味的 ρ", "rho_ci_low": "ρ 区间下端",
           "rho_ci_high": "ρ 区间上端", "level": "水平", "fisher_r_ci_low": "r 的费希尔区间下端",
           "fisher_r_ci_high": "r 的费希尔区间上端", "population": "区间所针对的总体"},
}

_METHOD_ZH = {"pearson": "Pearson", "spearman": "Spearman"}


def correlation_test_table(tests, lang: str = "en", *, n_perm: int | None = None):
    """:class:`~cityeval.analysis.correlation.CorrelationTest` results as a table for a reader: one row per
    coefficient, readable headers in ``lang``, 是/否 in Chinese, and the permutation p-value as "≤ 1/(B+1)" when
    it is the smallest ``n_perm`` permutations can give (else "< 0.001" below 0.001).

    >>> from cityeval.analysis.correlation import CorrelationTest
    >>> t = CorrelationTest("pearson", 60, 0.4, float("nan"), float("nan"), 0.2, 0.5, 1 / 51, True)
    >>> shown = correlation_test_table([t], "zh", n_perm=50)
    >>> shown.index.name, list(shown.columns)[:2], shown.iloc[0]["按综合指数选出"], shown.iloc[0]["置换检验 p 值"]
    ('相关系数', ['城市数', '相关系数 r'], '是', '≤ 0.0196')
    """
    import pandas as pd

    from cityeval.analysis._clustering_tables import yes_no

    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    rows = pd.DataFrame([vars(t) for t in tests]).set_index("method")
    rows = rows[[c for c in TEST_COLUMNS[lang] if c in rows.columns]]
    rows["selected"] = rows["selected"].map(lambda v: yes_no(bool(v), lang))
    rows["p_value"] = rows["p_value"].map(lambda p: _p_at_bound(p, n_perm))
    rows.index = [_METHOD_ZH.get(m, m) for m in rows.index]
    rows.index.name = "相关系数" if lang == "zh" else "Coefficient"
    return rows.rename(columns=TEST_COLUMNS[lang])


def _p_at_bound(p, b) -> str:
    """A permutation p-value: ``"≤ 1/(B+1)"`` when it is the smallest B permutations can give, else 3 digits."""
    bound = 1 / (b + 1) if b else None
    if bound is not None and p <= bound * (1 + 1e-9):
        return f"≤ {bound:.3g}"
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3g}"


def _population_zh(res) -> str:
    if res.selected_by == "none":
        return (f"假想的城市总体：这 {res.n} 座是它的随机样本，未经选择，每个维度与综合指数服从二元正态分布；"
                "不是这些城市本身，也不是按综合指数选出的头部城市。")
    weights = ("各维度有效权重（名义权重 × 标准差）相等" if res.equal_weights else
               f"该维度的有效权重为 {res.effective_weight:.2f}，其余维度均分其余部分")
    by = "该维度" if res.selected_by == "part" else "综合指数"
    return (f"{res.n_total} 座城市的模拟面板：各维度为可交换相关的正态变量，{weights}；保留按{by}排名的前 {res.n} 座；"
            "ρ 是选择之前全部城市之间的相关。")


def _reading_zh(res) -> str:
    if res.selected_by == "none":
        text = f"全部 {res.n} 座城市，未经选择"
    else:
        text = f"按{'该维度' if res.selected_by == 'part' else '综合指数'}从 {res.n_total} 座中选出的前 {res.n} 座"
    if not res.equal_weights:
        text += f"，有效权重 {res.effective_weight:.2f}"
    return text


def implied_rho_shown(*results, lang: str = "en"):
    """:func:`~cityeval.analysis.correlation.implied_rho_table` for a reader: readable headers, and with
    ``lang="zh"`` the readings and populations in Chinese (the same content).

    >>> from cityeval.analysis.correlation import implied_rho_unselected
    >>> shown = implied_rho_shown(implied_rho_unselected(0.7561, 6, n=293), lang="zh")
    >>> shown.index[0], list(shown.columns)[:3]
    ('全部 293 座城市，未经选择', ['城市数', '有效权重', '所意味的 ρ'])
    """
    from cityeval.analysis._correlation_selection import implied_rho_table

    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    frame = implied_rho_table(*results)
    if lang == "zh":
        frame["population"] = [_population_zh(r) for r in results]
        frame.index = [_reading_zh(r) for r in results]
        frame.index.name = "读法"
    else:
        frame.index.name = "Reading"
    return frame.rename(columns=IMPLIED_COLUMNS[lang])


def published_agreement_shown(agreement: dict, lang: str = "en"):
    """:func:`~cityeval.analysis.correlation.published_agreement` as a table for a reader: one row per list,
    the lists by name, readable headers in ``lang``.

    >>> shown = published_agreement_shown({"governance_top50": {"n": 49, "spearman": 0.75, "kendall": 0.55}}, "zh")
    >>> shown.index[0], list(shown.columns)
    ('数字治理50强', ['共同城市数', 'Spearman ρ', 'Kendall τ'])
    """
    import pandas as pd

    from cityeval.analysis._rank_agreement_wording import list_name_zh

    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    frame = pd.DataFrame(agreement).T
    if lang == "zh":
        frame.index = [list_name_zh(k) for k in frame.index]
        return frame.rename(columns={"n": "共同城市数", "spearman": "Spearman ρ", "kendall": "Kendall τ"})
    frame.index = [k.replace("_top", " top ") for k in frame.index]
    return frame.rename(columns={"n": "Cities on both", "spearman": "Spearman ρ", "kendall": "Kendall τ"})
