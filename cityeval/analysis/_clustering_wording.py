"""Notebook 03's words in Chinese: the method names its figures show and its conclusion texts.

The English texts stay where they are (:mod:`cityeval.analysis._clustering_structure`,
:mod:`cityeval.analysis._clustering_findings`, :mod:`cityeval.analysis._clustering_ensemble`); these say the
same things, number for number, in the report's terms, for a page with ``lang="zh"``. Nothing here computes a
statistic: every number comes from the result it is given.
"""
from __future__ import annotations

import math

from cityeval.errors import ParameterError

__all__ = ["ALGORITHM_NAMES_ZH", "COVARIANCE_NAMES_ZH", "WEIGHTING_NAMES_ZH", "algorithm_name", "covariance_name",
           "weighting_name", "silhouette_band_zh", "ensemble_labels_zh", "ensemble_conclusions_zh", "reason_zh",
           "check_lang"]

#: The clustering algorithms by their Chinese names.
ALGORITHM_NAMES_ZH = {"kmeans": "k 均值聚类", "ward": "Ward 层次聚类", "gmm": "高斯混合模型"}
#: The Gaussian mixture's covariance models by their Chinese names.
COVARIANCE_NAMES_ZH = {"full": "完全协方差", "tied": "共享协方差", "diag": "对角协方差", "spherical": "球形协方差"}
#: The weighting methods by their Chinese names (as in notebook 02).
WEIGHTING_NAMES_ZH = {"equal": "等权", "entropy": "熵权法", "critic": "CRITIC", "std": "标准差法", "cv": "变异系数法",
                      "pca": "主成分分析 PCA", "ahp": "层次分析法 AHP", "dataset method": "数据集自身的方法"}
_ALGORITHM_NAMES_EN = {"kmeans": "k-means", "ward": "Ward", "gmm": "Gaussian mixture"}
_BANDS_ZH = {"strong structure": "结构强", "reasonable structure": "结构合理",
             "weak structure, could be artificial": "结构弱，可能是人为的", "no substantial structure": "无实质结构"}


def check_lang(lang) -> str:
    """``lang`` if it is "en" or "zh", else a ParameterError.

    >>> check_lang("zh")
    'zh'
    """
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    return lang


def algorithm_name(algorithm: str, lang: str = "en") -> str:
    """An algorithm's name in ``lang``: the registry name in English (as the figures always wrote it), Chinese else.

    >>> algorithm_name("kmeans"), algorithm_name("kmeans", "zh"), algorithm_name("gmm", "zh")
    ('kmeans', 'k 均值聚类', '高斯混合模型')
    """
    return ALGORITHM_NAMES_ZH.get(algorithm, algorithm) if check_lang(lang) == "zh" else algorithm


def covariance_name(model: str, lang: str = "en") -> str:
    """A covariance model's name in ``lang``.

    >>> covariance_name("tied", "zh"), covariance_name("tied")
    ('共享协方差', 'tied')
    """
    return COVARIANCE_NAMES_ZH.get(model, model) if check_lang(lang) == "zh" else model


def weighting_name(method: str, lang: str = "en") -> str:
    """A weighting method's name in ``lang``.

    >>> weighting_name("entropy", "zh"), weighting_name("dataset method", "zh"), weighting_name("cv")
    ('熵权法', '数据集自身的方法', 'cv')
    """
    return WEIGHTING_NAMES_ZH.get(method, method) if check_lang(lang) == "zh" else method


def silhouette_band_zh(value: float) -> str:
    """Kaufman & Rousseeuw's band of a mean silhouette, in Chinese, with its range.

    >>> silhouette_band_zh(0.22)
    '无实质结构（≤ 0.25）'
    """
    from cityeval.analysis._clustering_choice import silhouette_band

    name, span = silhouette_band(value), silhouette_band(value, with_range=True).rsplit("(", 1)[1].rstrip(")")
    return f"{_BANDS_ZH.get(name, name)}（{span.replace('<=', '≤')}）"


def ensemble_labels_zh(*, algorithm: str, n_refs: int, n_boot: int, top_k: int, mixture_n_init: int,
                       n_sim: int) -> dict:
    """Chinese labels of the ensemble statistics, by name (the keys of ``ensemble_labels``).

    >>> ensemble_labels_zh(algorithm="kmeans", n_refs=20, n_boot=20, top_k=6, mixture_n_init=1, n_sim=19)["k_gap"]
    '间隙统计量选出的 k（PCA 盒参照，20 组参照数据；k ≤ 5 都未选出则无定义，不画点）'
    """
    alg = algorithm_name(algorithm, "zh")
    none = f"k ≤ {top_k - 1} 都未选出则无定义，不画点"
    starts = f"，每组 {mixture_n_init} 个 EM 起点" if algorithm == "gmm" else ""
    return {"k_silhouette": f"平均轮廓系数选出的 k（{alg}，k = 2..{top_k}）",
            "k_gap": f"间隙统计量选出的 k（PCA 盒参照，{n_refs} 组参照数据{starts}；{none}）",
            "k_gap_uniform": f"间隙统计量选出的 k（均匀盒参照，{n_refs} 组参照数据{starts}；{none}）",
            "k_bic": f"高斯混合模型 BIC 选出的 k（4 种协方差模型的有效拟合，k = 1..{top_k}，{mixture_n_init} 个 EM 起点）",
            "dip_p": "第一主成分上 Hartigan 单峰性检验的 p 值",
            "dip_distances_p": f"两两距离的 Hartigan 单峰性检验（对照单一高斯点云，{n_sim} 个点云）的 p 值",
            "silhouette_best": f"最佳平均轮廓系数（{alg}，k = 2..{top_k}）",
            "silhouette_3": f"k = 3 时的平均轮廓系数（{alg}）",
            "ari_3": f"k = 3 时的自助法平均 ARI（{n_boot} 次重抽样）",
            "band_agreement_3": f"落在其综合指数分段内的城市占比（{alg}，k = 3）",
            "pc1_share_3": f"类间离散沿第一主成分的占比（{alg}，k = 3）",
            "verdict_3": "对三阶段的判定（1 得到支持，0 无定论，-1 得不到支持）"}


def ensemble_conclusions_zh(*, level: float, silhouette_weak: float, ari_min: float, band_share: float) -> list:
    """The Chinese of ``ensemble_conclusions``' sentences, in the same order.

    >>> ensemble_conclusions_zh(level=0.025, silhouette_weak=0.25, ari_min=0.75, band_share=0.75)[4]
    '第一主成分上的 Hartigan 单峰性检验拒绝单峰（p < 0.025）'
    """
    return ["平均轮廓系数选出 k = 3", "间隙统计量（PCA 盒参照）选出 k = 3", "间隙统计量（均匀盒参照）选出 k = 3",
            "高斯混合模型 BIC（有效拟合）选出 k = 3", f"第一主成分上的 Hartigan 单峰性检验拒绝单峰（p < {level}）",
            f"两两距离的 Hartigan 单峰性检验拒绝单一高斯点云（p < {level}）",
            f"最佳平均轮廓系数不超过 {silhouette_weak}（任何 k 下都无实质结构）",
            f"k = 3 时的平均轮廓系数不超过 {silhouette_weak}（无实质的聚类结构）",
            f"k = 3 时的自助法平均 ARI 低于 {ari_min}（聚类不可重现）",
            f"k = 3 的聚类（大体上）是综合指数的分段（两个占比都至少为 {band_share}）",
            "第 6 节的判定规则认为三阶段得不到支持", "第 6 节的判定规则认为三阶段得到支持"]


def _picks_zh(picked) -> str:
    names = {"silhouette": "轮廓系数", "gap": "间隙统计量", "bic": "BIC"}
    return "，".join(f"{names[n]} {'k = ' + str(getattr(picked, n)) if getattr(picked, n) is not None else '表中无 k'}"
                    for n in ("silhouette", "gap", "bic"))


def reason_zh(verdict) -> str:
    """The Chinese of a :class:`~cityeval.analysis.clustering.KSupport`'s ``reason`` (support_for_k's default
    thresholds: silhouette 0.25 and 0.5, bootstrap ARI 0.75).

    >>> from cityeval.analysis.clustering import KSupport
    >>> reason_zh(KSupport(k=3, supported=None, reason="not assessed: 3 cities", votes=None, picked=None,
    ...                    silhouette_at_k=None, mean_ari=None))
    '未评估：城市太少，无法比较 k = 1..4'
    """
    from cityeval.analysis._clustering_choice import ARI_MIN, SILHOUETTE_REASONABLE, SILHOUETTE_WEAK

    k = verdict.k
    if verdict.votes is None:
        return "未评估：城市太少，无法比较 k = 1..4"
    n_votes, sil, ari = sum(verdict.votes.values()), verdict.silhouette_at_k, verdict.mean_ari
    picks = _picks_zh(verdict.picked)
    if verdict.supported is False:
        why = []
        if n_votes == 0:
            why.append(f"没有任何准则选出 k = {k}（{picks}）")
        if sil <= SILHOUETTE_WEAK:
            why.append(f"k = {k} 时的平均轮廓系数为 {sil:.2f} ≤ {SILHOUETTE_WEAK}（无实质的聚类结构，Kaufman 与 Rousseeuw）")
        return "；".join(why)
    if verdict.supported:
        return (f"3 个准则中有 {n_votes} 个选出 k = {k}（{picks}），轮廓系数 {sil:.2f} > {SILHOUETTE_REASONABLE}，"
                f"自助法平均 ARI {ari:.2f} ≥ {ARI_MIN}")
    return (f"无定论：3 个准则中有 {n_votes} 个选出 k = {k}（{picks}），轮廓系数 {sil:.2f}（Kaufman 与 Rousseeuw："
            f"{silhouette_band_zh(sil)}；结构合理需要 > {SILHOUETTE_REASONABLE}），自助法平均 ARI {ari:.2f}"
            f"（稳定需要 ≥ {ARI_MIN}）")


def p_zh(p: float) -> str:
    """A p-value as the English texts write it (``p < 0.001``, ``p = 0.004``, ``p = 0.31``).

    >>> p_zh(0.0004), p_zh(0.31)
    ('p < 0.001', 'p = 0.31')
    """
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def clusterability_zh(*, pc1, distances, pc1_share: float, rejects: dict, clusterable: bool, n_sim: int,
                      level: float, alpha: float) -> str:
    """The Chinese of ``Clusterability.sentence``.

    >>> from types import SimpleNamespace as N
    >>> clusterability_zh(pc1=N(statistic=0.03, p_value=0.5), distances=N(statistic=0.01, p_value=0.2), pc1_share=0.4,
    ...                   rejects={"pc1": False, "distances": False}, clusterable=False, n_sim=199, level=0.025,
    ...                   alpha=0.05).startswith('可聚类性（在选择任何 k 之前）：第一主成分（占方差 40%）上的单峰性 dip 检验不拒绝单峰')
    True
    """
    def says(name, t, null, extra=""):
        return f"{'拒绝' if rejects[name] else '不拒绝'}{null}（dip {t.statistic:.3f}，{p_zh(t.p_value)}{extra}）"

    verdict = ("有超出单一点云的结构证据" if clusterable else
               "没有超出单一点云的聚类结构证据（不拒绝并不表明没有结构）：下面选出的任何 k 都可能是在切分一个点云")
    return (f"可聚类性（在选择任何 k 之前）：第一主成分（占方差 {100 * pc1_share:.0f}%）上的单峰性 dip 检验"
            f"{says('pc1', pc1, '单峰')}；两两距离的 dip 检验"
            f"{says('distances', distances, '与城市均值和协方差相同的单一高斯点云', f'，{n_sim} 个点云')}。"
            f"{verdict}（每个检验的水平为 {level:g}，两个检验按 Bonferroni 合计 {alpha:g}）。")


def bands_zh(*, bands: str, agreement: float, ari: float, eta2: float, pc1_share: float, r: float,
             band_share: float) -> str:
    """The Chinese of ``BandCheck.sentence``.

    >>> bands_zh(bands="bands", agreement=1.0, ari=1.0, eta2=0.9, pc1_share=0.95, r=0.99, band_share=0.75).startswith('聚类是综合指数的分段（每个阶段')
    True
    """
    lead = {"bands": "聚类是综合指数的分段（每个阶段的综合指数范围都在前一个阶段之上）",
            "mostly bands": f"聚类大体上是综合指数的分段（两个占比都至少为 {band_share}，一种约定），沿一条轴切分",
            "not bands": "聚类不只是综合指数的分段"}[bands]
    return (f"{lead}：{100 * agreement:.0f}% 的城市所在的阶段，与按相同阶段规模切分综合指数排序得到的阶段相同（ARI "
            f"{ari:.2f}）；各阶段解释了综合指数方差的 {100 * eta2:.0f}%（η²）；类间离散的 {100 * pc1_share:.0f}% 沿第一"
            f"主成分分布（与综合指数的 r = {r:.2f}）。一个被切成 k 块的细长高斯点云在这两个占比上同样得分很高：分段说明聚类"
            "是综合指数排序的切分，而不是说明城市形成了组。")


def leaders_zh(leaders, names_zh: dict) -> str:
    """What notebook 03 prints about the report's two "obligatory" dimensions, in Chinese.

    ``leaders``: a :class:`~cityeval.analysis.clustering.LeadersCheck`; ``names_zh``: code -> Chinese name.

    >>> from cityeval.analysis.clustering import LeadersCheck
    >>> leaders_zh(LeadersCheck(["INF", "GOV"], None, ""), {"INF": "信息基础", "GOV": "城市治理"})
    '领先维度：INF 信息基础、GOV 城市治理'
    """
    if leaders.note:
        return "数据集中没有名为信息基础和城市治理的维度：跳过“基础设施先行”的比较。"
    return "领先维度：" + "、".join(f"{c} {names_zh.get(c, c)}" for c in leaders.leaders)


def weighting_note_zh(agreement) -> str:
    """The Chinese of ``WeightingAgreement.note``: the weightings left out, the overlap of the top cities.

    >>> from cityeval.analysis.clustering import WeightingAgreement
    >>> import pandas as pd
    >>> weighting_note_zh(WeightingAgreement({"equal": pd.Series([1, 2])}, pd.DataFrame(), {"equal": 2}, {}))
    '在各赋权方案下，本面板前 2 座城市中仍在前 2 座的：等权 2'
    """
    lines = [f"赋权方案 {weighting_name(m, 'zh')} 无法使用，已略去：`{why}`" for m, why in agreement.failed.items()]
    n = len(next(iter(agreement.labelings.values()))) if agreement.labelings else 0
    overlap = "，".join(f"{weighting_name(m, 'zh')} {v}" for m, v in agreement.overlap.items())
    return "\n".join(lines + [f"在各赋权方案下，本面板前 {n} 座城市中仍在前 {n} 座的：{overlap}"])


def _f(v, fmt=".2f") -> str:
    return "无定义" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, fmt)


def _mixture_zh(choice, gmm_tol: float) -> str:
    if choice.k is None:
        return f"在 {choice.n_fits} 个拟合中没有有效拟合（全部被拒绝：见混合模型表）"
    rejected = choice.n_fits - choice.n_valid
    return (f"k = {choice.k}（{covariance_name(choice.covariance_type, 'zh')}，在 {len(choice.models)} 种协方差模型的 "
            f"{choice.n_fits} 个拟合中 {choice.n_valid} 个有效拟合里 BIC 最低"
            + (f"；{rejected} 个因某个成分的城市少于其协方差所需、协方差奇异或未收敛而被拒绝" if rejected else "")
            + f"；每个拟合取其各 EM 起点中最好的有效结果，收敛容差 {gmm_tol:g}，城市按规范顺序排列，因此选择不取决于"
              "城市的顺序，尽管未尝试的起点仍可能找到更好的最优解）")


def conclusion_zh(f: dict) -> str:
    """The Chinese of ``StageFindings.conclusion`` (Markdown), from the values
    :func:`~cityeval.analysis.clustering.stage_findings` computed (``f``: its named values)."""
    from cityeval.analysis._clustering_engine import GMM_TOL

    verdict, best, best_uniform, joint, at_k = f["verdict"], f["best"], f["best_uniform"], f["joint"], f["at_k"]
    k, top_k, s, evidence = f["k"], f["top_k"], f["s"], f["evidence"]
    off_diag, w_off, weightings, leaders = f["off_diag"], f["w_off"], f["weightings"], f["leaders"]
    spread, synthetic = f["spread"], f["synthetic"]
    kind = (f"在{'基准' if spread else '这一'}合成面板上（示意数值）" if synthetic else f"在 {f['data_name']} 上")
    word = {True: "得到支持", False: "得不到支持"}.get(verdict.supported, "既不能支持也不能排除（无定论）")

    def pick(v):
        return f"k = {v}" if v is not None else f"k < {top_k} 中没有"

    sil_best = f["sil_best"]
    sil_text = (f"轮廓系数选 {pick(best.silhouette)}（平均轮廓系数 {sil_best:.2f}，Kaufman 与 Rousseeuw 的分档："
                f"{silhouette_band_zh(sil_best)}）" if best.silhouette is not None else "轮廓系数：无 k")
    gmm_model = (f"（{covariance_name(at_k.covariance_type, 'zh')}，k = {k} 时 BIC 最低的有效模型）"
                 if at_k is not None and at_k.k is not None else "")
    at3 = (f"；k = 3 时平均轮廓系数为 {float(evidence.at[3, 'silhouette']):.2f}（{silhouette_band_zh(float(evidence.at[3, 'silhouette']))}）。"
           if 3 in evidence.index and math.isfinite(evidence.at[3, "silhouette"]) else "。")
    lines = [
        f"**{kind}，三阶段{word}。** 理由：{reason_zh(verdict)}。",
        f["clusterability"],
        f"关于 k 的证据（k = 1..{top_k}）：{sil_text}，间隙统计量选 {pick(best.gap)}（均匀盒参照：{pick(best_uniform.gap)}），"
        f"高斯混合模型 BIC {_mixture_zh(joint, GMM_TOL)}{at3}",
        f"稳定性（{algorithm_name(f['algorithm'], 'zh')}，k = {k}）：自助法平均 ARI {s.mean:.2f}（5–95%：{s.q05:.2f}–"
        f"{s.q95:.2f}）；k 均值聚类、Ward 层次聚类与高斯混合模型{gmm_model}之间的一致性：ARI {off_diag.min():.2f}–"
        f"{off_diag.max():.2f}"
        + (f"；赋权方案（{'、'.join(weighting_name(m, 'zh') for m in weightings.labelings)}）之间：ARI "
           f"{w_off.min():.2f}–{w_off.max():.2f}。" if len(w_off) else "。"),
        f["bands"],
    ]
    if leaders.table is not None:
        names, stage_zh = f["names_zh"], f["stage_zh"]
        consistent = bool(leaders.table["leaders_closest"].all())
        closest = "；".join(f"第 {st} 阶段（{stage_zh[st - 1]}）：{'、'.join(names[c] for c in row['closest'])}"
                           + "（" + "、".join(f"{names[c]}排第 {row['rank_' + c]}" for c in leaders.leaders)
                           + f"，共 {len(names)} 个）" for st, row in leaders.table.iterrows())
        lines.append(f"信息基础和城市治理先行？较低阶段与最高阶段最接近的维度是——{closest}。"
                     + ("这正是报告的解读所预期的格局。" if consistent else
                        "这不是报告的解读所预期的格局（信息基础和城市治理最接近）。")
                     + "这是这些聚类在某一年的描述性格局，而不是时间上的先后顺序。")
    if weightings.failed:
        lines.append("略去的赋权方案：" + "；".join(f"{weighting_name(m, 'zh')}（`{n}`）"
                                              for m, n in weightings.failed.items()) + "。")
    if spread:
        lines.insert(1, f"**在符合公布排名的各组示意面板上：** {f['across_zh']}。")
    return "\n\n".join(lines)
