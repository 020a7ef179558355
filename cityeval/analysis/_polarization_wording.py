"""Notebook 04's words in English or Chinese: score names, table headings, what is skipped without GDP per capita,
the ensemble's labels and the conclusion.

Re-exported by :mod:`cityeval.analysis.polarization`; import from there. The English texts of
:mod:`cityeval.analysis._polarization_findings` stay as they are (the results file keeps them); this module gives
their Chinese counterparts from the same numbers.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

from cityeval.analysis._clustering_tables import relabel
from cityeval.analysis._polarization_mixture import GMM_TOL
from cityeval.analysis._polarization_statistics import BimodalitySummary

__all__ = ["score_names", "skipped_comparisons", "covariate_source", "shown_table", "ensemble_zh",
           "UNIMODAL_BY_CONSTRUCTION_ZH", "healthcare_conclusion_zh", "healthcare_summary_zh", "power_words",
           "power_statement_zh", "null_statement_zh", "convergence_note_zh", "power_reading_zh"]

_SCORE_NAMES = {"en": {"LIV_HEALTH": "Digital healthcare (LIV_HEALTH)", "LIV_LIFE": "Digital life (LIV_LIFE)"},
                "zh": {"LIV_HEALTH": "数字医健（LIV_HEALTH）", "LIV_LIFE": "数字生活（LIV_LIFE）"}}

#: English row, column and cell labels of notebook 04's tables -> Chinese.
_TABLE_ZH = {
    "skewness g1": "偏度 g1", "dip statistic": "Hartigan 单峰性检验统计量 D", "dip test p-value": "Hartigan 单峰性检验 p 值",
    "bimodality coefficient (5/9 = 0.556)": "双峰系数 BC（5/9 = 0.556）",
    "GMM ΔBIC = BIC1 − BIC2 (common variance)": "高斯混合 ΔBIC = BIC1 − BIC2（共同方差）",
    "GMM: BIC prefers k": "高斯混合：BIC 偏好的成分数 k",
    "GMM: Kass-Raftery grade": "高斯混合：BIC 差的证据等级（卡斯–拉夫特里标准）",
    "2-component fit: separation (within-group SDs)": "两成分拟合：组间距离（组内标准差）",
    "2-component fit: modes": "两成分拟合：峰数",
    "bootstrap LRT: LR = 2 ln(L2/L1)": "自助似然比检验：LR = 2 ln(L2/L1)", "bootstrap LRT: p-value": "自助似然比检验：p 值",
    "bootstrap LRT: samples B": "自助似然比检验：样本数 B", "Foster-Wolfson P": "福斯特–沃尔夫森极化指数 P",
    "P of a normal with the same CV": "同变异系数正态分布的 P",
    "LIV_HEALTH": "数字医健", "LIV_LIFE": "数字生活",
    "LIV_HEALTH ~ GDP per capita": "数字医健 ~ 人均 GDP", "LIV_LIFE ~ GDP per capita": "数字生活 ~ 人均 GDP",
    "total SDs": "总体标准差", "separation": "组间距离 d", "skewness": "偏度",
    "dip_test": "Hartigan 单峰性检验", "bimodality_coefficient": "BC > 5/9", "gmm_bic": "高斯混合 BIC",
    "mixture_lrt": "自助似然比检验", "null": "单峰分布",
    "normal": "正态", "skew-normal (a = 4)": "偏正态（a = 4）", "log-normal (σ = 0.5)": "对数正态（σ = 0.5）",
    "very strong": "非常强", "strong": "强", "positive": "正面", "not worth more than a bare mention": "不值一提",
    "pearson": "Pearson r", "pearson_p_value": "Pearson p 值", "spearman": "Spearman ρ",
    "spearman_p_value": "Spearman p 值", "n": "城市数", "missing": "缺少的城市",
    f"GMM: EM converged (tol {GMM_TOL:g})": f"高斯混合：EM 算法收敛（容差 {GMM_TOL:g}）",
}
#: The labels of notebook 04's tables that are code names, in English words (the rest are words already).
_TABLE_EN = {
    "LIV_HEALTH": "Digital healthcare", "LIV_LIFE": "Digital life",
    "LIV_HEALTH ~ GDP per capita": "Digital healthcare ~ GDP per capita",
    "LIV_LIFE ~ GDP per capita": "Digital life ~ GDP per capita",
    "total SDs": "Total SDs", "separation": "Separation d", "skewness": "Skewness",
    "dip_test": "Dip test", "bimodality_coefficient": "BC > 5/9", "gmm_bic": "GMM BIC",
    "mixture_lrt": "Bootstrap LRT", "null": "Single-hump distribution", "normal": "Normal",
    "pearson": "Pearson r", "pearson_p_value": "Pearson p-value", "spearman": "Spearman ρ",
    "spearman_p_value": "Spearman p-value", "n": "Cities", "missing": "Cities missing",
    f"GMM: EM converged (tol {GMM_TOL:g})": f"GMM: EM converged (tolerance {GMM_TOL:g})",
}


def _lang(lang) -> str:
    return check_choice("lang", lang, ("en", "zh"))


def score_names(lang: str = "en") -> dict:
    """``{code: name}`` of the two scores notebook 04 studies, in ``lang``.

    Examples
    --------
    >>> score_names("zh")["LIV_HEALTH"]
    '数字医健（LIV_HEALTH）'
    """
    return dict(_SCORE_NAMES[_lang(lang)])


def skipped_comparisons(folder, values, *, lang: str = "en", column: str = "gdp_per_capita") -> str:
    """What notebook 04 skips, and why, when the dataset ``folder`` has no GDP per capita (``values`` None), as
    Markdown in ``lang``; an empty string when ``values`` is given.

    Examples
    --------
    >>> skipped_comparisons("data/x", None).split(", so")[0]
    '**Skipped: the comparisons with GDP per capita.** data/x has no `covariates.csv` with a `gdp_per_capita` column'
    >>> skipped_comparisons("data/x", pd.Series([1.0]))
    ''
    """
    _lang(lang)
    if values is not None:
        return ""
    folder = Path(folder)
    if lang == "zh":
        return (f"**已跳过：与人均 GDP 的比较。** {folder} 中没有带 `{column}` 列的 `covariates.csv`，因此以下各项没有计算："
                "第 4 节数字医健、数字生活对人均 GDP 的两幅散点图（对应报告图 13、图 14）及其 Pearson、Spearman 相关系数；"
                "结论中“与人均 GDP”一条；第 6 节集合中数字生活与人均 GDP 的相关系数 r。"
                "分布的检验（第 2、3、5、6 节）不需要人均 GDP，照常进行。要做这些比较，请在该文件夹中放入 `covariates.csv`"
                f"（列 `city` 和 `{column}`，单位：元）。")
    return (f"**Skipped: the comparisons with GDP per capita.** {folder} has no `covariates.csv` with a `{column}` "
            "column, so these are not computed: section 4's two scatter plots of digital healthcare and digital life "
            "against GDP per capita (report Figs. 13 and 14) with their Pearson and Spearman coefficients; the "
            "conclusion's \"With GDP per capita\" line; and digital life's r with GDP per capita in section 6's "
            "ensemble. The distribution tests (sections 2, 3, 5 and 6) do not need it and run as usual. To run the "
            f"comparisons, put `covariates.csv` (columns `city` and `{column}`, in yuan) in the folder.")


def covariate_source(folder, values, *, synthetic: bool, lang: str = "en") -> str:
    """Where GDP per capita comes from (``lang``), or :func:`skipped_comparisons` when there is none.

    Examples
    --------
    >>> covariate_source("data/x", pd.Series([1.0]), synthetic=True, lang="zh")
    '人均 GDP（合成数据，示意）：data/x/covariates.csv'
    """
    synthetic = check_bool("synthetic", synthetic)
    if values is None:
        return skipped_comparisons(folder, values, lang=lang)
    path = Path(folder) / "covariates.csv"
    if _lang(lang) == "zh":
        return f"人均 GDP（{'合成数据，示意' if synthetic else '按所提供的数据'}）：{path}"
    return f"GDP per capita ({'synthetic' if synthetic else 'as supplied'}): {path}"


def shown_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A table of notebook 04 (criteria, power, single-hump rates, GDP correlations) with its labels in ``lang``.

    Examples
    --------
    >>> t = pd.DataFrame({"LIV_HEALTH": [0.5]}, index=["dip test p-value"])
    >>> shown_table(t, "zh").columns.tolist(), shown_table(t, "zh").index.tolist()
    (['数字医健'], ['Hartigan 单峰性检验 p 值'])
    """
    _lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", "a pandas DataFrame", Shown(type(frame).__name__))
    words = {k: (_TABLE_EN.get(k, k), _TABLE_ZH.get(k, k)) for k in {*_TABLE_EN, *_TABLE_ZH}}
    return relabel(frame, words, lang)


def power_words(alpha: float, lang: str = "en") -> dict:
    """The criteria's names in the power figure and statements, in ``lang``.

    Examples
    --------
    >>> power_words(0.05, "zh")["mixture_lrt"]
    '自助似然比检验（p ≤ 0.05）'
    """
    if _lang(lang) == "zh":
        return {"dip_test": f"Hartigan 单峰性检验（p < {alpha:g}）", "bimodality_coefficient": "BC > 5/9",
                "gmm_bic": "高斯混合：BIC 偏好 2 个成分", "mixture_lrt": f"自助似然比检验（p ≤ {alpha:g}）"}
    return {"dip_test": f"dip test (p < {alpha:g})", "bimodality_coefficient": "BC > 5/9",
            "gmm_bic": "GMM: BIC prefers 2", "mixture_lrt": f"bootstrap LRT (p ≤ {alpha:g})"}


def ensemble_zh(*, alpha: float, gdp: bool) -> dict:
    """``{statistic name or conclusion text: Chinese}`` for notebook 04's ensemble summary (``summarize(zh=...)``).

    Examples
    --------
    >>> ensemble_zh(alpha=0.05, gdp=True)["life_gdp_r"]
    '数字生活与人均 GDP：Pearson r'
    """
    from cityeval.analysis._polarization_ensemble import ensemble_conclusions

    out = {}
    for key, name in (("health", "数字医健"), ("life", "数字生活")):
        out.update({f"{key}_dip_p": f"{name}：Hartigan 单峰性检验 p 值（查表的零分布，无模拟）",
                    f"{key}_bc": f"{name}：双峰系数（5/9 = 0.556）",
                    f"{key}_delta_bic": f"{name}：混合模型 ΔBIC = BIC1 − BIC2（共同方差，已收敛）",
                    f"{key}_lrt_p": f"{name}：自助似然比检验 p 值（一个正态对两个）"})
    if gdp:
        out["life_gdp_r"] = "数字生活与人均 GDP：Pearson r"
    zh = [f"Hartigan 单峰性检验在 α = {alpha:g} 下不拒绝数字医健的单峰性", "数字医健的双峰系数低于 5/9",
          f"自助似然比检验在 α = {alpha:g} 下拒绝数字医健服从一个正态分布",
          f"Hartigan 单峰性检验在 α = {alpha:g} 下不拒绝数字生活的单峰性", "数字生活的双峰系数低于 5/9",
          f"自助似然比检验在 α = {alpha:g} 下拒绝数字生活服从一个正态分布"]
    if gdp:
        zh.append("数字生活与人均 GDP 正相关（r > 0）")
    out.update(dict(zip(ensemble_conclusions(alpha=alpha, gdp=gdp), zh)))
    return out


#: :data:`UNIMODAL_BY_CONSTRUCTION` in Chinese.
UNIMODAL_BY_CONSTRUCTION_ZH = (
    "单峰性是生成器内置的：它从同一个群体中抽取所有城市（每个指标一个右偏的峰），因此每个面板在构造上都是单峰的，"
    "Hartigan 单峰性检验在每个面板上都不拒绝单峰性正是这一构造的结果。它对赛迪的数据没有任何说明，既不支持也不反对报告所说的“两极分化”。")

_GRADE_ZH = {"very strong": "非常强", "strong": "强", "positive": "正面", "not worth more than a bare mention": "不值一提"}


def _p(p: float) -> str:
    return f"{p:.3f}" if p >= 0.001 else f"{p:.4f}"


def _verdict_zh(s: BimodalitySummary, alpha: float) -> str:
    dip = (f"Hartigan 单峰性检验在 α = {alpha:g} 下拒绝单峰性（p = {s.dip_p_value:.3f}，D = {s.dip:.3f}）" if s.dip_p_value < alpha
           else f"Hartigan 单峰性检验不拒绝单峰性（p = {s.dip_p_value:.2f}，D = {s.dip:.3f}）")
    bc = f"BC = {s.bc:.3f}，{'高于' if s.bc_above_5_9 else '低于'} 5/9"
    gmm = (f"BIC 偏好 {s.gmm_preferred_k} 个正态成分（共同方差；ΔBIC = {s.gmm_delta_bic:.1f}：按 Kass–Raftery 的分级为"
           f"“{_GRADE_ZH.get(s.gmm_evidence, s.gmm_evidence)}”）；两成分拟合有 {s.gmm_modes} 个峰")
    if not s.gmm_converged:
        gmm += "（其 EM 拟合未收敛，故此 ΔBIC 是下界）"
    lrt_p = f"LR = {s.lrt_statistic:.1f}，p = {_p(s.lrt_p_value)}，B = {s.lrt_n_boot}"
    lrt = (f"自助似然比检验在 α = {alpha:g} 下拒绝一个正态分布（{lrt_p}）" if s.lrt_p_value <= alpha
           else f"自助似然比检验不拒绝一个正态分布（{lrt_p}）")
    polar = ("" if s.polarization is None else
             f"；Foster–Wolfson P = {s.polarization:.3f}，同变异系数的正态分布为 {s.polarization_normal:.3f}")
    return f"{dip}；{bc}；{gmm}；{lrt}{polar}"


def _caveat_zh(s: BimodalitySummary, nulls) -> str:
    if nulls is None or s.gmm_preferred_k != 2:
        return ""
    below = nulls[nulls["skewness"] <= s.skewness]
    row = below.loc[below["skewness"].idxmax()] if len(below) else nulls.loc[nulls["skewness"].idxmin()]
    shape = _TABLE_ZH.get(row["null"], row["null"])
    return (f"。对这么偏的样本（偏度 {s.skewness:.2f}），ΔBIC 的等级不是两组的证据：在{shape}形状的单峰样本上"
            f"（偏度 {row['skewness']:.2f}，{'低于' if row['skewness'] <= s.skewness else '高于'}本样本），"
            f"同样大小的 {int(row['n_sim'])} 个模拟样本中有 {100 * row['gmm_bic']:.0f}% 被高斯混合 BIC 判为两个成分")


def _separation_zh(d: float, top: float) -> str:
    if not np.isfinite(d):
        return f"超过 d = {top:g} 个组内标准差"
    return f"d ≈ {d:.1f} 个组内标准差（总体标准差 {d / np.sqrt(1 + d * d / 4):.1f}）"


def healthcare_conclusion_zh(health: BimodalitySummary, life: BimodalitySummary, *, needed: dict, top: float,
                             alpha: float, synthetic: bool, data_path, health_gdp=None, life_gdp=None,
                             nulls=None) -> str:
    """:func:`healthcare_findings`' conclusion in Chinese (Markdown), from the same numbers.

    ``top`` is the largest separation simulated (``power["separation"].max()``).

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> text = healthcare_conclusion_zh(s, s, needed={"dip_test": 3.5, "bimodality_coefficient": float("nan"),
    ...     "gmm_bic": 1.8, "mixture_lrt": 1.8}, top=4.0, alpha=0.05, synthetic=True, data_path="data/x")
    >>> text.splitlines()[0]
    '**在这个合成面板上（示意性数字，不是赛迪的得分）**，前 8 名城市：'
    """
    synthetic = check_bool("synthetic", synthetic)
    where = "在这个合成面板上（示意性数字，不是赛迪的得分）" if synthetic else f"在 {data_path} 的数据上"
    lines = [f"**{where}**，前 {health.n} 名城市：", "",
             f"* **数字医健（LIV_HEALTH）：**{_verdict_zh(health, alpha)}{_caveat_zh(health, nulls)}。",
             f"* **数字生活（LIV_LIFE）：**{_verdict_zh(life, alpha)}{_caveat_zh(life, nulls)}。"]
    if life_gdp is not None and health_gdp is not None:
        lines.append(f"* **与人均 GDP：**数字生活 r = {life_gdp.pearson:.2f}（p = {life_gdp.pearson_p_value:.3f}），"
                     f"ρ = {life_gdp.spearman:.2f}（p = {life_gdp.spearman_p_value:.3f}）；数字医健 r = "
                     f"{health_gdp.pearson:.2f}，ρ = {health_gdp.spearman:.2f}（n = {life_gdp.n}）。")
    else:
        lines.append("* **与人均 GDP：**未计算——该数据文件夹中没有带 `gdp_per_capita` 列的 `covariates.csv`。")
    d = needed["dip_test"]
    dip_need = (f"两个等大小、均值相距 d ≈ {d:.1f} 个组内标准差（整体分布的 {d / np.sqrt(1 + d * d / 4):.1f} 个标准差）的组"
                if np.isfinite(d) else f"所模拟的任何组间距离（至多 d = {top:g} 个组内标准差）都不够")
    lines.append(f"* **功效：**n = {health.n} 时，Hartigan 单峰性检验只有对{dip_need}才达到 80% 的功效；BC > 5/9 需要 "
                 f"{_separation_zh(needed['bimodality_coefficient'], top)}，高斯混合 BIC 需要 "
                 f"{_separation_zh(needed['gmm_bic'], top)}，自助似然比检验需要 {_separation_zh(needed['mixture_lrt'], top)}。")
    if synthetic:
        lines += ["", "这些结果既不证实也不否定报告：合成面板复现了赛迪公布的排名（包括数字医健前 20 名），但其中没有任何设定"
                      "使数字医健两极分化或数字生活均衡，而且生成器从同一个群体中抽取所有城市，单峰正是它应有的样子。"
                      "它的分布对赛迪的得分没有任何说明。"]
    return "\n".join(lines)


def healthcare_summary_zh(health: BimodalitySummary, life: BimodalitySummary, *, needed: dict, top: float,
                          synthetic: bool, gdp: bool, life_gdp=None, spread: dict | None = None) -> str:
    """:func:`healthcare_findings`' one-line summary in Chinese (``spread``: the ensemble ranges, in Chinese).

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> healthcare_summary_zh(s, s, needed={"dip_test": 3.5}, top=4.0, synthetic=False, gdp=False).split("；")[-2:]
    ['无人均 GDP', '在 n = 8 时，Hartigan 单峰性检验需要两个等大小的组相距 d ≈ 3.5 个组内标准差（总体标准差 1.7）才有 80% 的功效。']
    """
    if spread is None:
        text = {"health_dip_p": f"{health.dip_p_value:.2f}", "health_bc": f"{health.bc:.2f}",
                "health_delta_bic": f"{health.gmm_delta_bic:.1f}", "health_lrt_p": _p(health.lrt_p_value),
                "life_dip_p": f"{life.dip_p_value:.2f}", "life_bc": f"{life.bc:.2f}",
                "life_delta_bic": f"{life.gmm_delta_bic:.1f}", "life_lrt_p": _p(life.lrt_p_value),
                "life_gdp_r": f"{life_gdp.pearson:.2f}" if life_gdp is not None else ""}
        mark = "示意（一个合成面板，即基准面板；不是赛迪的得分）：" if synthetic else ""
    else:
        text = spread
        mark = "示意（合成面板，不是赛迪的得分）：" if synthetic else ""
    parts = [f"{code} Hartigan 单峰性检验 p = {text[f'{key}_dip_p']}，BC = {text[f'{key}_bc']}，ΔBIC = {text[f'{key}_delta_bic']}，"
             f"自助似然比检验 p = {text[f'{key}_lrt_p']}" for key, code in (("health", "LIV_HEALTH"), ("life", "LIV_LIFE"))]
    parts.append(f"LIV_LIFE 与人均 GDP r = {text['life_gdp_r']}" if gdp else "无人均 GDP")
    return (mark + "；".join(parts) + f"；在 n = {health.n} 时，Hartigan 单峰性检验需要两个等大小的组相距 "
            f"{_separation_zh(needed['dip_test'], top)}才有 80% 的功效。")


_CRITERIA_ZH = {"dip_test": "Hartigan 单峰性检验", "bimodality_coefficient": "BC > 5/9", "gmm_bic": "高斯混合 BIC",
                "mixture_lrt": "自助似然比检验"}


def power_statement_zh(power: pd.DataFrame, needed: dict, *, sd: float, code: str = "LIV_HEALTH") -> str:
    """:func:`power_statement` in Chinese (``sd``: the SD of the observed ``code`` scores, in points).

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 4.0], "n": 100})
    >>> power_statement_zh(power, {"dip_test": float("nan"), "gmm_bic": 1.8}, sd=10.0)
    'n = 100 个城市时达到 80% 功效所需的组间距离（d 以组内标准差计）：Hartigan 单峰性检验 超过 d = 4 个组内标准差；高斯混合 BIC d ≈ 1.8 个组内标准差（总体标准差 1.3）。'
    """
    top, n = float(power["separation"].max()), int(power["n"].iloc[0])
    text = (f"n = {n} 个城市时达到 80% 功效所需的组间距离（d 以组内标准差计）："
            + "；".join(f"{_CRITERIA_ZH[t]} {_separation_zh(d, top)}" for t, d in needed.items()) + "。")
    d = needed.get("dip_test", float("nan"))
    if np.isfinite(d):
        gap = d * sd / np.sqrt(1 + d * d / 4)
        text += (f"\n按这里 {code} 得分的离散程度（标准差 {sd:.1f} 分），相距 {d:.1f} 个组内标准差的两个等大小组，"
                 f"其均值在 0–100 分制上相差约 {gap:.0f} 分。")
    return text


def null_statement_zh(nulls: pd.DataFrame, *, observed: dict | None = None) -> str:
    """:func:`null_statement` in Chinese.

    Examples
    --------
    >>> nulls = pd.DataFrame({"null": ["normal"], "skewness": [0.0], "dip_test": [0.0], "bimodality_coefficient": [0.0],
    ...                       "gmm_bic": [0.02], "mixture_lrt": [0.05], "n": 100, "n_sim": 500})
    >>> null_statement_zh(nulls).split("：", 1)[1].split("。")[0]
    '正态（偏度 0.00）：Hartigan 单峰性检验 0%，BC > 5/9 0%，高斯混合 BIC 2%，自助似然比检验 5%'
    """
    n, n_sim = int(nulls["n"].iloc[0]), int(nulls["n_sim"].iloc[0])
    rows = "；".join(f"{_TABLE_ZH.get(name, name)}（偏度 {row['skewness']:.2f}）："
                    + "，".join(f"{_CRITERIA_ZH[t]} {100 * row[t]:.0f}%" for t in _CRITERIA_ZH)
                    for name, row in nulls.set_index("null").iterrows())
    text = (f"在 {n_sim} 个 n = {n} 的模拟单峰样本中，各准则判为两组的比例（对双峰性而言是假阳性；模拟分布，不是面板的得分）："
            f"{rows}。在正态样本上，自助似然比检验的比例估计的是给定这一组自助样本时的检验水平；对所有自助样本组平均，水平为 α。")
    if observed:
        text += ("这里分析的得分偏度为 " + "，".join(f"{s.skewness:.2f}（{_TABLE_ZH.get(k, k)}）" for k, s in observed.items())
                 + "：面对一个偏斜的单峰，高斯混合 BIC 或自助似然比检验的“两个成分”结论，其含义正如上面的比例所示。")
    return text


def convergence_note_zh(power: pd.DataFrame, nulls: pd.DataFrame, observed: dict, *, tol: float) -> str:
    """:func:`convergence_note` in Chinese (``tol``: the EM tolerance).

    Examples
    --------
    >>> power = pd.DataFrame({"fits_unconverged": [0, 0], "n_sim": 10})
    >>> convergence_note_zh(power, power.iloc[:1], {}, tol=1e-8)
    '所有混合模型拟合均已收敛（EM 容差 1e-08）：20 个功效样本中有 0 个、10 个单峰样本中有 0 个的拟合达到了迭代上限。'
    """
    bad_power, bad_null = int(power["fits_unconverged"].sum()), int(nulls["fits_unconverged"].sum())
    total_power, total_null = int(power["n_sim"].iloc[0]) * len(power), int(nulls["n_sim"].iloc[0]) * len(nulls)
    bad = [_TABLE_ZH.get(k, k) for k, s in observed.items() if not s.gmm_converged]
    ok = bad_power == 0 and bad_null == 0 and not bad
    text = (f"{'所有混合模型拟合均已收敛' if ok else '并非所有混合模型拟合都已收敛'}（EM 容差 {tol:g}）：{total_power} 个功效样本中有 "
            f"{bad_power} 个、{total_null} 个单峰样本中有 {bad_null} 个的拟合达到了迭代上限")
    if bad:
        text += f"；{'、'.join(bad)}的拟合未收敛，故其 ΔBIC 是下界"
    return text + "。"


def power_reading_zh(power: pd.DataFrame, needed: dict, *, nulls: pd.DataFrame, at=(2.0, 3.0)) -> str:
    """:func:`power_reading` in Chinese (Markdown), from the same numbers.

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 3.0, 4.0], "dip_test": [0.0, 0.02, 0.1, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.0, 0.05, 0.2], "gmm_bic": [0.0, 0.1, 0.8, 1.0],
    ...                       "mixture_lrt": [0.05, 0.15, 0.85, 1.0], "n": 100})
    >>> nulls = pd.DataFrame({"null": ["normal", "log-normal (σ = 0.5)"], "skewness": [0.0, 1.75],
    ...                       "dip_test": [0.0, 0.0], "bimodality_coefficient": [0.0, 0.1], "gmm_bic": [0.02, 0.9],
    ...                       "mixture_lrt": [0.05, 0.95]})
    >>> power_reading_zh(power, {"dip_test": 3.8}, nulls=nulls).split("。")[3]
    '在 d = 3 时，Hartigan 单峰性检验、BC > 5/9 多数时候检不出（低于 50%）'
    """
    top, n = float(power["separation"].max()), int(power["n"].iloc[0])
    d80 = needed["dip_test"]
    need = (f"只有当两组均值相距 {_separation_zh(d80, top)}——即直方图上肉眼可见的两个明显分开的簇——时" if np.isfinite(d80)
            else f"在所模拟的任何组间距离（{_separation_zh(d80, top)}）下都不能")
    grid = power.set_index("separation")
    rates = {t: [float(np.interp(d, grid.index, grid[t])) for d in at] for t in _CRITERIA_ZH}
    each = "；".join(f"{_CRITERIA_ZH[t]} " + " 和 ".join(f"{100 * r:.0f}%" for r in v) for t, v in rates.items())
    missed = [t for t in _CRITERIA_ZH if rates[t][-1] < 0.5]
    seen = [t for t in _CRITERIA_ZH if t not in missed]
    table = nulls.set_index("null")
    row = table["skewness"].idxmax()
    parts = [f"**能：**说明这一表述必须是什么意思、要检验它需要什么。“处于中等水平的城市较少”是关于双峰性的表述；n = {n} 个城市时，"
             f"Hartigan 单峰性检验{need}才能在 80% 的情况下检出两个等大小的组",
             f"对于较温和的分组，相距 {' 和 '.join(f'{d:g}' for d in at)} 个组内标准差时，模拟的检出率为：{each}"]
    if missed:
        parts.append(f"在 d = {at[-1]:g} 时，{'、'.join(_CRITERIA_ZH[t] for t in missed)} 多数时候检不出（低于 50%）")
    if seen:
        parts.append(f"{'、'.join(_CRITERIA_ZH[t] for t in seen)} 在 d = {at[-1]:g} 时多半能检出，但也会把一个偏斜的单峰判为两组："
                     + "，".join(f"{_CRITERIA_ZH[t]} {100 * table.loc[row, t]:.0f}%" for t in seen)
                     + f"（{_TABLE_ZH.get(row, row)}样本，偏度 {table.loc[row, 'skewness']:.2f}）")
    parts.append("因此，读者在接受对图 13 的解读之前，应先要求看到得分和检验")
    return "。".join(parts) + "。"
