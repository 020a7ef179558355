"""Notebook 01's rank-agreement texts in Chinese: the truncation study's sentences and table, the overlaps.

The English texts stay where they are (:mod:`cityeval.analysis._rank_agreement_study`,
:func:`cityeval.analysis.rank_agreement.describe_overlaps`); their ``lang="zh"`` branch calls these, which
say the same things, number for number, in the report's terms. Nothing here computes: every number comes
from the study it is given.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError

__all__ = ["LIST_NAMES_ZH", "check_lang", "list_name_zh", "pair_zh", "copula_label_zh", "runs_zh",
           "overlaps_zh", "study_sentences_zh", "study_table_zh", "study_table_en", "list_name_en", "LIST_NAMES_EN",
           "STUDY_COLUMNS_EN", "STUDY_COLUMNS_ZH", "shown_p", "yes_no"]

#: The published lists by the report's own titles (short forms), for Chinese texts.
LIST_NAMES_ZH = {"overall_top100": "数字城市百强", "infrastructure_top100": "新型信息基础百强",
                 "governance_top50": "数字治理50强", "healthcare_top20": "数字医疗20强"}

#: The published lists by the report's own titles, for English pages.
LIST_NAMES_EN = {"overall_top100": "Overall top 100", "infrastructure_top100": "Infrastructure top 100",
                 "governance_top50": "Governance top 50", "healthcare_top20": "Healthcare top 20"}

#: English column names of :meth:`TruncationStudy.table` for a reader (the table itself keeps its keys).
STUDY_COLUMNS_EN = {"overlap": "Cities on both", "spearman": "Spearman rho", "spearman_set": "Set from Spearman alone",
                    "latent_rho_lo": "Lower end", "latent_rho_hi": "Upper end", "joint_set": "Joint set",
                    "joint_lo": "Joint lower end", "joint_hi": "Joint upper end",
                    "joint_coverage_min": "Joint coverage (lowest)", "joint_coverage_max": "Joint coverage (highest)"}

#: Chinese column names of :meth:`TruncationStudy.table`.
STUDY_COLUMNS_ZH = {"overlap": "共同城市数", "spearman": "Spearman 系数", "spearman_set": "仅据 Spearman 的集合",
                    "latent_rho_lo": "下端", "latent_rho_hi": "上端", "joint_set": "联合集合", "joint_lo": "联合下端",
                    "joint_hi": "联合上端", "joint_coverage_min": "联合覆盖率（最低）",
                    "joint_coverage_max": "联合覆盖率（最高）"}


def check_lang(lang) -> str:
    """``lang`` if it is "en" or "zh", else a ParameterError.

    >>> check_lang("zh")
    'zh'
    """
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    return lang


def shown_p(p, bound: float = 0.001) -> str:
    """A p-value for a table: ``"< 0.001"`` below ``bound`` (a p-value of 0 or 4e-10 is not a number a reader
    can use), else three significant digits; NaN as an en dash. ``bound`` can be a bootstrap's 1/(B+1).

    >>> shown_p(0.0), shown_p(4.03e-10), shown_p(0.00268), shown_p(0.5), shown_p(0.0, bound=1 / 51)
    ('< 0.001', '< 0.001', '0.00268', '0.5', '< 0.0196')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    p = float(p)
    if p < bound:
        return f"< {bound:.3g}"
    return f"{p:.3g}"


def yes_no(value, lang: str = "en"):
    """A boolean cell for a reader: 是/否 in Chinese, the boolean itself in English.

    >>> yes_no(True, "zh"), yes_no(False, "zh"), yes_no(True)
    ('是', '否', True)
    """
    if check_lang(lang) == "zh" and isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    return value


def list_name_zh(name: str) -> str:
    """A published list's Chinese short name (the name itself when it is not one of :data:`LIST_NAMES_ZH`).

    >>> list_name_zh("governance_top50")
    '数字治理50强'
    """
    return LIST_NAMES_ZH.get(name, name)


def list_name_en(name: str) -> str:
    """A published list's English name (the name itself when it is not one of :data:`LIST_NAMES_EN`).

    >>> list_name_en("governance_top50")
    'Governance top 50'
    """
    return LIST_NAMES_EN.get(name, name)


def study_table_en(frame: pd.DataFrame) -> pd.DataFrame:
    """:meth:`TruncationStudy.table` for an English page: lists, copulas and columns in words.

    >>> f = pd.DataFrame({"overlap": [20]}, index=pd.MultiIndex.from_tuples(
    ...     [("overall_top100~healthcare_top20", "t")], names=["pair", "copula"]))
    >>> study_table_en(f).index[0], list(study_table_en(f).columns)
    (('Overall top 100 vs Healthcare top 20', 't copula'), ['Cities on both'])
    """
    out = frame.rename(columns=STUDY_COLUMNS_EN)
    out.index = pd.MultiIndex.from_tuples(
        [(" vs ".join(list_name_en(x) for x in p.split("~")), "Gaussian copula" if c == "gaussian" else f"{c} copula")
         for p, c in frame.index], names=["Pair of lists", "Copula"])
    return out


def pair_zh(pair: str) -> str:
    """``"a~b"`` as 「a 与 b」 in Chinese.

    >>> pair_zh("overall_top100~healthcare_top20")
    '数字城市百强与数字医疗20强'
    """
    a, b = pair.split("~")
    return f"{list_name_zh(a)}与{list_name_zh(b)}"


def copula_label_zh(copula: str, df: float = 4) -> str:
    """The copula's Chinese name.

    >>> copula_label_zh("gaussian"), copula_label_zh("t", 4)
    ('高斯连接函数', 't 连接函数（自由度 4）')
    """
    return "高斯连接函数" if copula == "gaussian" else f"t 连接函数（自由度 {df:g}）"


def runs_zh(runs) -> str:
    """Runs of grid values ``[(lo, hi), ...]`` in Chinese.

    >>> runs_zh([(0.5, 0.6), (0.8, 0.8)]), runs_zh([])
    ('0.50–0.60 和 0.80', '网格上没有任何值')
    """
    if not runs:
        return "网格上没有任何值"
    return " 和 ".join(f"{lo:.2f}" if lo == hi else f"{lo:.2f}–{hi:.2f}" for lo, hi in runs)


def overlaps_zh(agreements: dict, names=None) -> list[str]:
    """Chinese :func:`~cityeval.analysis.rank_agreement.describe_overlaps`: two lines per pair.

    >>> from cityeval.analysis.rank_agreement import RankAgreement
    >>> overlaps_zh({"overall_top100~governance_top50": RankAgreement(3, 1.0, 0.0, 1.0, 0.0, ["甲"], [])})
    ['数字治理50强：0 座城市不在数字城市百强中：无', '数字城市百强：1 座城市不在数字治理50强中（前十座：甲）']
    """
    show = (lambda cities: list(map(str, cities))) if names is None else (lambda cities: [names[c] for c in cities])
    lines = []
    for key, res in agreements.items():
        a, b = (list_name_zh(x) for x in key.split("~"))
        lines.append(f"{b}：{len(res.only_b)} 座城市不在{a}中：{'、'.join(show(res.only_b)) or '无'}")
        lines.append(f"{a}：{len(res.only_a)} 座城市不在{b}中"
                     + (f"（前十座：{'、'.join(show(res.only_a[:10]))}）" if res.only_a else ""))
    return lines


def _panel_sentences_zh(study) -> list[str]:
    if study.panels is None:
        return []
    k, counts = study.panels.n_members, study.panel_counts()
    out = [f"本项目自己的合成面板完全再现这些榜单（内置面板，以及 {k} 个逐一对照公布排名检验过的集合面板）；"
           f"它们在全部 {study.panels.n_cities} 座城市上的潜在相关，按正态得分相关（高斯连接函数的 ρ）和由 Kendall τ "
           "换算的 sin(πτ/2)（任何椭圆连接函数的 ρ，包括 t 连接函数）计："]
    for p in study.observed:
        parts = []
        for m, what in (("normal_score", "正态得分相关"), ("kendall_rho", "sin(πτ/2)")):
            v = study.panels.members[p][m]
            nom = study.panels.nominal.get(p, {}).get(m)
            head = f"{what}在内置面板上为 {nom:.3f}" if nom is not None else what
            parts.append(head + (f"，在 {k} 个集合面板上为 {min(v):.3f}–{max(v):.3f}（中位数 "
                                 f"{float(np.median(v)):.3f}）"
                                 if v else ""))
        sets = []
        for c in study.copulas:
            n = counts[c][p]
            nom_in = n["nominal_in"]
            sets.append(f"{copula_label_zh(c, study.df)}的集合包含其中 {n['spearman_set']}/{k} 个（仅据 Spearman）和 "
                        f"{n['joint_set']}/{k} 个（联合）" + ("" if nom_in is None else
                                                        f"，内置面板{'在内' if nom_in[0] else '在外'}"
                                                        f"／{'在内' if nom_in[1] else '在外'}"))
        out.append(f"  {pair_zh(p)}：" + "；".join(parts) + "；" + "；".join(sets) + "。")
    out.append("因此这些集合并不能界定赛迪的潜在相关：一种并非在全部城市上服从同一连接函数 的依赖结构（在这些面板中，"
               "生成器重排每个上榜因子，使上榜城市按公布的顺序取得其最大值，见 cityeval.ccid2022.synthetic）能以低于"
               "集合所允许的相关再现公布的榜单。这些集合只说明在所设连接函数之下榜单意味着什么。")
    return out


def study_sentences_zh(study) -> list[str]:
    """Chinese :meth:`TruncationStudy.sentences`: the same sentences, the same numbers.

    ``study`` is a :class:`~cityeval.analysis.rank_agreement.TruncationStudy`.
    """
    first = study.copulas[0]
    out = [f"下面每个集合是全部 {study.n_units} 座城市上的潜在相关 ρ 中，其模拟 5–95% 区间包含两份公布榜单所示值的那些；"
           "仅用 Spearman 系数时，它是所设连接函数 下（且只在其下）的 90% 集合：公布的榜单无法确定是哪种连接函数。"]
    for pair, obs in study.observed.items():
        parts = [f"{copula_label_zh(c, study.df)}下为 {runs_zh(study.runs(c, pair))}" for c in study.copulas]
        out.append(f"{pair_zh(pair)}（{obs['overlap']} 座共同城市上 Spearman 系数 {obs['spearman']:.4f}）："
                   "仅据 Spearman 系数的 ρ 的 90% 集合，" + "；".join(parts) + "。")
        joint = []
        for c in study.copulas:
            lo, hi = study._coverage(c, pair)
            level = "" if math.isnan(lo) else (f"，联合覆盖率 {lo:.0%}" if round(lo, 2) == round(hi, 2)
                                                 else f"，联合覆盖率 {lo:.0%}–{hi:.0%}")
            joint.append(f"{copula_label_zh(c, study.df)}下为 {runs_zh(study.runs(c, pair, joint=True))}{level}")
        out.append(f"  同时以共同城市数为证据（共同城市数 {obs['overlap']} 和 Spearman 系数都落在各自的 5–95% 区间内）："
                   + "；".join(joint) + "。")
    if len(study.copulas) > 1:
        moved = [p for p in study.observed for c in study.copulas[1:]
                 if study.compatible[c][p] != study.compatible[first][p] or study.joint[c][p] != study.joint[first][p]]
        out.append(("集合随连接函数而变（" + "、".join(pair_zh(p) for p in sorted(set(moved)))
                    + "）：它们是关于榜单如何截取的一个模型的陈述，而不是关于赛迪得分的陈述。") if moved else
                   "在所试的每种连接函数下集合都相同，但这并不使它们摆脱 连接函数假设。")
    out.append("联合集合包含在仅据 Spearman 的集合之内；其水平是两个值同时落在各自区间内的模拟比例（联合覆盖率）："
               "按 Bonferroni 不等式至少 80%，至多约 90%。")
    return out + _panel_sentences_zh(study)


def study_table_zh(frame: pd.DataFrame) -> pd.DataFrame:
    """:meth:`TruncationStudy.table` with Chinese list names, copula names and column names.

    >>> f = pd.DataFrame({"overlap": [20]}, index=pd.MultiIndex.from_tuples(
    ...     [("overall_top100~healthcare_top20", "t")], names=["pair", "copula"]))
    >>> study_table_zh(f).index[0], list(study_table_zh(f).columns)
    (('数字城市百强与数字医疗20强', 't 连接函数'), ['共同城市数'])
    """
    out = frame.replace({"no value of the grid": "网格上没有任何值"}).rename(columns=STUDY_COLUMNS_ZH)
    out.index = pd.MultiIndex.from_tuples([(pair_zh(p), "高斯连接函数" if c == "gaussian" else f"{c} 连接函数")
                                           for p, c in frame.index], names=["榜单对", "连接函数"])
    return out
