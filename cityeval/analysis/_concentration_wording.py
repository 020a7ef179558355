"""Notebook 08's words in English or Chinese: table captions, the weak-share sentences, the ensemble's labels and
conclusions in Chinese, the run line and the Chinese one-line summary.

English texts are the study's own (:meth:`InnovationStudy.table_caption` and the others), unchanged; the Chinese
ones say the same with the same numbers, in the report's terms (技术创新, 技术创新主体, 科技成果转化).
Re-exported by :mod:`cityeval.analysis.concentration`; import from there.
"""
from __future__ import annotations

from cityeval.analysis._concentration_innovation import RANGE_FORMATS, SCORE_SHIFTS, STAND_INS, InnovationStudy
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["LANGUAGES", "STAND_INS_ZH", "caption", "weak_share_text", "statistics_zh", "ensemble_run_text",
           "summary_ranges", "innovation_summary_zh", "SYNTHETIC_CAVEAT_ZH", "shown_table"]

#: Languages of the texts here.
LANGUAGES = ("en", "zh")
#: The two stand-ins in Chinese: column -> the report's index it stands for.
STAND_INS_ZH = {"subject": "技术创新主体指数", "transfer": "科技成果转化指数"}
#: :data:`~cityeval.analysis.concentration.SYNTHETIC_CAVEAT` in Chinese.
SYNTHETIC_CAVEAT_ZH = "合成数据的技术创新数值没有按任何东西校准：谁领先、集中程度如何都只是示意。"
_MARK_ZH = "示意（合成数据）："
_CAPTIONS_ZH = {
    "frame": "技术创新前 {top_n} 名：技术创新得分、两个原始替代指标及其最小-最大得分",
    "indicators": "技术创新下的原始指标：尺度、Gini 和 Theil 指数及其区间、前 {head} 名的份额和薄弱城市占比",
    "concentration": "原始替代指标和技术创新得分（区间尺度）的头部集中度",
    "statements": "报告的表述，在原始替代指标上检验",
    "floors": "若全部城市中最低的原始值为现值的 0、一半、相同或两倍（最高值不变），原始替代指标的各项度量；"
              "等价平移是原始值相当于的最小-最大得分的平移",
}


def _lang(lang) -> str:
    return check_choice("lang", lang, LANGUAGES)


def _study(study) -> InnovationStudy:
    if not isinstance(study, InnovationStudy):
        raise ParameterError("study", "an InnovationStudy (from innovation_study)", Shown(type(study).__name__))
    return study


def caption(study: InnovationStudy, table: str, *, synthetic: bool, lang: str = "en") -> str:
    """The caption of one of notebook 08's tables, in ``lang``, marked illustrative on synthetic data.

    Parameters
    ----------
    study : InnovationStudy
    table : {"frame", "indicators", "concentration", "statements", "floors", "intervals", "shifts"}
        The first five are :meth:`InnovationStudy.table_caption`'s, ``"intervals"`` is
        :meth:`~InnovationStudy.interval_caption`'s and ``"shifts"`` :meth:`~InnovationStudy.shift_caption`'s
        (their English text unchanged; ``"shifts"`` starts with "Illustrative (synthetic panel): " on synthetic
        data, as the others do).
    synthetic : bool
    lang : {"en", "zh"}, default "en"

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.concentration import innovation_study
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> caption(st, "frame", synthetic=True) == st.table_caption("frame", synthetic=True)
    True
    >>> caption(st, "frame", synthetic=True, lang="zh")
    '示意（合成数据）：技术创新前 4 名：技术创新得分、两个原始替代指标及其最小-最大得分'
    """
    study = _study(study)
    synthetic = check_bool("synthetic", synthetic)
    known = (*_CAPTIONS_ZH, "intervals", "shifts")
    if table not in known:
        raise ParameterError("table", f"one of {', '.join(known)}", table)
    if _lang(lang) == "en":
        if table == "intervals":
            return study.interval_caption(synthetic=synthetic)
        if table == "shifts":   # the study's text, marked like the other captions
            return ("Illustrative (synthetic panel): " if synthetic else "") + study.shift_caption(synthetic=synthetic)
        return study.table_caption(table, synthetic=synthetic)
    mark = _MARK_ZH if synthetic else ""
    if table == "intervals":
        ci = next(iter(study.intervals["subject"].values()))
        how = {"BCa": "偏差校正加速", "percentile": "百分位", "basic": "基本"}.get(ci.method.split()[0], "")
        return (f"{mark}{ci.confidence:.0%} 区间：{how} 自助法，重抽 {study.n_resamples} 次，种子 {study.seed}；"
                f"把 {study.top_n} 个城市当作独立抽样重抽，"
                "其入选（技术创新前列）保持不变")
    if table == "shifts":
        return mark + _shift_zh(study, synthetic)
    text = _CAPTIONS_ZH[table].format(top_n=study.top_n, head=study.head)
    if table == "floors":
        text += ("：在合成数据上，最低值是生成器文档所列范围的下端，因此这一表说明主要数值在多大程度上是生成器的选择"
                 if synthetic else "：在这些数据上，最低值是数据本身的，其他行是假设的")
    return mark + text


def _shift_zh(study: InnovationStudy, synthetic: bool) -> str:
    g = study.shifts["gini"]
    far = max(SCORE_SHIFTS)
    base, moved = g.loc[("innovation", 0.0)], g.loc[("innovation", float(far))]
    shift = "、".join(f"{study.equivalent_shift[c]:+.2f}（{STAND_INS_ZH[c]}）" for c in STAND_INS)
    affine = all(v == v for v in (study.equivalent_shift.get(c, float("nan")) for c in STAND_INS))
    text = (f"移动最小-最大得分的零点（0 = 参评城市中的最低者）会改变其数值的每一个比率：技术创新得分的 Gini 系数"
            f"按原样为 {base:.3f}，加 {far} 分后为 {moved:.3f}，而没有任何城市变化。")
    if synthetic:
        return text + ("在合成数据上，原始替代指标本身就是其最小-最大得分到生成器文档所列范围的仿射映射"
                       + (f"：它们的度量等于得分平移 {shift} 分后的度量，这一平移由各范围的下端（生成器的选择）决定，"
                          "因此其水平也取决于一个选定的零点（见下限表）。" if affine else
                          "，因此其水平取决于这些范围从哪里开始（见下限表）。"))
    return text + ("原始替代指标的零表示没有（比率尺度），因此其数值不取决于这样的选择"
                   + (f"（它们等于得分平移 {shift} 分后的数值：即数据真实零点所在）。" if affine else "。"))


def weak_share_text(study: InnovationStudy, *, lang: str = "en", indicators=None) -> str:
    """One sentence per stand-in: the share of the innovation top below ``weak_fraction`` of the leader.

    ``indicators`` (optional, the dataset's indicator table): the Chinese sentence names each stand-in by its
    ``name_zh`` (its code in parentheses otherwise); the English one keeps the code (unchanged).

    >>> import pandas as pd
    >>> from cityeval.analysis.concentration import innovation_study
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> print(weak_share_text(st))
    75% of the innovation top 4 are below 50% of the leader on the raw subject stand-in (s).
    25% of the innovation top 4 are below 50% of the leader on the raw transfer stand-in (t).
    >>> print(weak_share_text(st, lang="zh").splitlines()[0])
    技术创新前 4 名中 75% 的城市在原始技术创新主体指数替代指标（s）上低于领先者的 50%。
    """
    study = _study(study)
    shares, w = study.statements.weak_share, study.weak_fraction
    if _lang(lang) == "zh":
        return "\n".join(f"技术创新前 {study.top_n} 名中 {share:.0%} 的城市在原始{STAND_INS_ZH[col]}替代指标"
                         f"（{_name(study, col, 'zh', indicators)}）上低于领先者的 {w:.0%}。"
                         for col, share in shares.items())
    return "\n".join(f"{share:.0%} of the innovation top {study.top_n} are below {w:.0%} of the leader on the raw "
                     f"{col} stand-in ({study.codes[col]})." for col, share in shares.items())


def statistics_zh(statistics, *, indicators=None) -> dict:
    """Chinese names of the statistics and conclusions of an
    :class:`~cityeval.analysis.concentration.InnovationStatistics`, for
    :func:`cityeval.notebook.spread.summarize`'s ``zh`` (name or conclusion text -> Chinese).

    >>> from cityeval.analysis.concentration import InnovationStatistics
    >>> stats = InnovationStatistics(top_n=50, subject_code="s", transfer_code="t")
    >>> zh = statistics_zh(stats)
    >>> zh["gini_subject"], sorted(zh) == sorted([*stats.labels(), *stats.conclusions()])
    ('前 50 名原始技术创新主体指数替代指标（s）的 Gini 系数', True)
    >>> import pandas as pd
    >>> statistics_zh(stats, indicators=pd.DataFrame({"name_zh": ["每万人高新技术企业数"]}, index=["s"]))["gini_subject"]
    '前 50 名原始技术创新主体指数替代指标（每万人高新技术企业数）的 Gini 系数'

    ``indicators`` (optional, the dataset's indicator table) names each stand-in by its ``name_zh`` instead of its
    code (a code such as ``tec_hightech`` is English on a Chinese figure).
    """
    s = statistics
    codes = {"subject": s.subject_code, "transfer": s.transfer_code}
    if indicators is not None:
        codes = {col: str(indicators.at[code, "name_zh"]) if code in indicators.index else code
                 for col, code in codes.items()}
    out = {}
    for col in STAND_INS:
        what = f"原始{STAND_INS_ZH[col]}替代指标（{codes[col]}）"
        out[f"gini_{col}"] = f"前 {s.top_n} 名{what}的 Gini 系数"
        out[f"theil_{col}"] = f"前 {s.top_n} 名{what}的 Theil 指数"
        out[f"head_share_{col}"] = f"前 {s.head} 名在前 {s.top_n} 名{what}总和中的份额"
        out[f"weak_share_{col}"] = f"前 {s.top_n} 名中在{what}上低于领先者 {s.weak_fraction:.0%} 的占比"
    out.update({
        "gap_head_sd": f"技术创新第 {s.head} 名与第 {s.head + 1} 名之差，以前 {s.top_n} 名的标准差计（与零点无关）",
        "report_city_leads": "北京或上海在技术创新得分上领先（1 是，0 否）",
        "report_pair_subject": "北京和上海是主体替代指标的前 2 名（1 是，0 否）",
        "report_pair_transfer": "北京和上海是转化替代指标的前 2 名（1 是，0 否）",
        "head_gap_largest": f"前 {s.top_n} 名中最大的差距紧随技术创新第 {s.head} 名之后（1 是，0 否）",
        "nominal_leaders_lead": f"基准面板的技术创新前 {s.head} 名在这组数据中也领先（1 是，0 否）"})
    out = {name: text for name, text in out.items() if name in s.labels()}
    below = f"过半低于领先者原始值的 {s.weak_fraction:.0%}"
    texts = list(s.conclusions())
    zh = ["北京或上海在技术创新得分上领先",
          "北京和上海领先主体替代指标（报告的表述）",
          "北京和上海领先转化替代指标（报告的表述）",
          f"前 {s.head} 名遥遥领先（前 {s.top_n} 名中最大的差距紧随其后）",
          f"前 {s.top_n} 名大多在主体替代指标上薄弱（{below}）",
          f"前 {s.top_n} 名大多在转化替代指标上薄弱（{below}）"]
    if s.nominal_leaders is not None:
        who = "、".join(map(str, s.nominal_leaders))   # the ids are the report's Chinese names
        zh.append(f"基准面板的技术创新前 {s.head} 名（{who}）再次是前 {s.head} 名（在基准面板上按构造成立）")
    out.update(dict(zip(texts, zh)))
    return out


def ensemble_run_text(panels: int, seconds: float, *, reason: str = "", lang: str = "en") -> str:
    """What the ensemble run did, in ``lang``.

    >>> ensemble_run_text(3, 1.25), ensemble_run_text(0, 0.0, reason="a dataset folder has none", lang="zh")
    ('3 panels scored and measured in 1.2 s', '0 组数据已评分并计算，用时 0.0 秒（没有集合：a dataset folder has none）')
    """
    if _lang(lang) == "zh":
        return f"{panels} 组数据已评分并计算，用时 {seconds:.1f} 秒" + (f"（没有集合：{reason}）" if reason else "")
    return f"{panels} panels scored and measured in {seconds:.1f} s" + (f" (no ensemble: {reason})" if reason else "")


def summary_ranges(ensemble, *, lang: str = "en") -> dict | None:
    """``ranges`` for :func:`innovation_summary` (or :func:`innovation_summary_zh`) from an ensemble summary
    (:class:`cityeval.notebook.spread.EnsembleSummary`): each statistic of :data:`RANGE_FORMATS` as its
    nominal value with its 5-95% range, in ``lang``; None without an ensemble (no member).

    >>> summary_ranges(type("E", (), {"values": []})()) is None
    True
    """
    _lang(lang)
    if not len(ensemble.values):
        return None
    if lang == "en":
        return {name: ensemble.range_text(name, fmt) for name, fmt in RANGE_FORMATS.items()}
    return {name: ensemble.range_text(name, fmt, lang=lang) for name, fmt in RANGE_FORMATS.items()}


def innovation_summary_zh(study: InnovationStudy, *, synthetic: bool, ranges: dict | None = None,
                          lead_verdict: str | None = None, names=None, indicators=None) -> str:
    """:func:`~cityeval.analysis.concentration.innovation_summary` in Chinese (``results["summary_zh"]``): the
    same parts with the same numbers; ``ranges`` and ``lead_verdict`` in Chinese
    (:func:`summary_ranges` with ``lang="zh"``, ``EnsembleSummary.verdict(text, lang="zh")``). With
    ``indicators`` (the dataset's indicator table) each stand-in is named by its ``name_zh`` and its unit is in
    Chinese (else its code and the table's unit).

    >>> import pandas as pd
    >>> from cityeval.analysis.concentration import innovation_study
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> innovation_summary_zh(st, synthetic=False).split("。")[1]
    '技术创新主体指数替代指标 s（firms）：Gini 系数 0.46，95% 自助法置信区间 0.36–0.48，Theil 指数 0.40；前 2 名占总和的 83.3%（均分为 50.0%）；75% 低于领先者的 50%'
    """
    from cityeval.analysis._rank_agreement_shown import unit_name

    study = _study(study)
    mark = _MARK_ZH if check_bool("synthetic", synthetic) else ""
    ranges = ranges or {}
    parts = []
    for col in STAND_INS:
        m, g = study.measures[col], study.intervals[col]["gini"]
        gini = ranges.get(f"gini_{col}", f"{m.gini:.2f}")
        share = ranges.get(f"head_share_{col}", f"{m.head_share:.1%}")
        weak = ranges.get(f"weak_share_{col}", f"{study.statements.weak_share[col]:.0%}")
        parts.append(f"{STAND_INS_ZH[col]}替代指标 {_name(study, col, 'zh', indicators)}"
                     f"（{unit_name(study.units[col], 'zh') if indicators is not None else study.units[col]}）："
                     f"Gini 系数 {gini}，"
                     f"{g.confidence:.0%} 自助法置信区间 {g.ci_low:.2f}–{g.ci_high:.2f}，Theil 指数 {m.theil:.2f}；"
                     f"前 {study.head} 名占总和的 {share}（均分为 {m.even_share:.1%}）；{weak} 低于领先者的 "
                     f"{study.weak_fraction:.0%}")
    if lead_verdict is None:
        leaders = list(study.measures["innovation"].leaders)
        shown = names(leaders) if names is not None else leaders
        lead = f"技术创新得分领先者：{'、'.join(map(str, shown))}"
    else:
        lead = f"北京或上海在技术创新得分上领先：{lead_verdict}"
    inn = study.measures["innovation"]
    far = float(max(SCORE_SHIFTS))
    moved = study.shifts.at[("innovation", far), "gini"]
    if mark:
        opening = (f"{mark}技术创新前 {study.top_n} 名的原始替代指标（在合成数据上是其最小-最大得分到生成器文档所列范围的"
                   "仿射映射：其底部离零多远、因而其水平，是生成器的选择）")
    else:
        opening = f"技术创新前 {study.top_n} 名的原始替代指标（比率尺度，0 = 没有）"
    sentences = [opening, *parts, lead,
                 f"技术创新得分是最小-最大得分（区间尺度）：零点移动 {far:g} 分，其 Gini 系数就从 {inn.gini:.2f} 变为 "
                 f"{moved:.2f}，因此不把它当作集中度来读"]
    return "。".join(sentences) + "。"


def _table_words(study: InnovationStudy) -> dict:
    """Words of notebook 08's tables: identifier -> (English, Chinese)."""
    h, w = study.head, study.weak_fraction
    return {
        "city": ("City", "城市"), "unit": ("Unit", "单位"),
        "innovation": ("Innovation score", "技术创新得分"),
        "subject": ("Subject stand-in (raw)", "技术创新主体替代指标（原始值）"),
        "transfer": ("Transfer stand-in (raw)", "科技成果转化替代指标（原始值）"),
        "subject_score": ("Subject stand-in, min-max score", "主体替代指标的最小-最大得分"),
        "transfer_score": ("Transfer stand-in, min-max score", "转化替代指标的最小-最大得分"),
        "direction": ("Direction", "方向"), "ratio_scale": ("Ratio scale", "比率尺度"), "why": ("Why", "理由"),
        "gini": ("Gini", "Gini 系数"), "gini_low": ("Gini, lower end", "Gini 系数下端"),
        "gini_high": ("Gini, upper end", "Gini 系数上端"), "theil": ("Theil", "Theil 指数"),
        "theil_low": ("Theil, lower end", "Theil 指数下端"), "theil_high": ("Theil, upper end", "Theil 指数上端"),
        "head_share": (f"Share of the top {h}", f"前 {h} 名的份额"),
        "weak_share": (f"Share below {w:.0%} of the leader", f"低于领先者 {w:.0%} 的占比"),
        "statistic": ("Estimate", "估计值"), "ci_low": ("Interval, lower end", "区间下端"),
        "ci_high": ("Interval, upper end", "区间上端"), "n": ("Cities", "城市数"),
        "stand-in": ("Stand-in", "替代指标"), "measure": ("Measure", "度量"), "scale": ("Scale", "尺度"),
        "leaders": ("Leaders", "领先者"), "even_share": ("Even share", "均分时的份额"),
        "gap_head": (f"Gap after rank {h}", f"第 {h} 名之后的差距"),
        "gap_head_sd": (f"Gap after rank {h}, in standard deviations", f"第 {h} 名之后的差距（以标准差计）"),
        "gap_ratio": ("Gap over the median gap", "差距与差距中位数之比"),
        "column": ("Values", "数值"), "shift": ("Shift of the zero (points)", "零点平移（分）"),
        "lowest_raw": ("Lowest raw value", "最低原始值"), "equivalent_shift": ("Equivalent shift (points)", "等价平移（分）"),
        "multiple": ("Multiple of the lowest value", "最低值的倍数"),
        "holds on these data": ("Holds on these data", "在这些数据上成立"),
    }


def _name(study: InnovationStudy, col: str, lang: str, indicators) -> str:
    code = study.codes[col]
    if indicators is not None and code in indicators.index:
        return str(indicators.at[code, f"name_{lang}"])
    return code


def _why(row, lang: str) -> str:
    from cityeval.analysis._concentration_measures import NOT_RATIO_UNITS
    from cityeval.analysis._rank_agreement_shown import unit_name

    unit = row["unit"] if isinstance(row["unit"], str) else ""
    if not unit:
        return "未给出单位：视为有真正的零点（请确认）" if lang == "zh" else \
            "no unit given: taken to have a true zero (confirm it)"
    shown = unit_name(unit, lang)
    if row["ratio_scale"]:
        return f"{shown}：0 表示没有（真正的零点）" if lang == "zh" else f"{unit}: 0 means none (a true zero)"
    word = next((w for w in NOT_RATIO_UNITS if unit.lower().startswith(w)), "score")
    return (f"{shown}：得分或等级，其 0 是量表的约定，不表示没有" if lang == "zh" else
            f"{unit}: a {word}, whose 0 is a convention of the scale, not an absence")


def shown_table(study: InnovationStudy, table: str, *, lang: str = "en", indicators=None, names=None):
    """One of notebook 08's tables for a reader, in ``lang``: headings in words, indicators by name (not code),
    units in ``lang``, yes/no (是/否), shares as percentages.

    Parameters
    ----------
    study : InnovationStudy
    table : {"frame", "indicators", "intervals", "concentration", "shifts", "floors", "statements"}
        :attr:`~InnovationStudy.frame`, :attr:`~InnovationStudy.indicators`, :meth:`~InnovationStudy.interval_table`,
        :meth:`~InnovationStudy.concentration_table`, :attr:`~InnovationStudy.shifts`,
        :attr:`~InnovationStudy.floors` or :attr:`~InnovationStudy.statements`' table.
    lang : {"en", "zh"}, default "en"
    indicators : pandas.DataFrame, optional
        The dataset's indicator table (``name_en``, ``name_zh``): indicator codes are named by it.
    names : callable, optional
        A list of cities -> their names in ``lang``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.concentration import innovation_study
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["企业", "合同", "c", "技术创新"],
    ...                      "name_en": ["Firms", "Contracts", "C", "Innovation"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> shown = shown_table(st, "indicators", lang="zh", indicators=meta)
    >>> list(shown.index), list(shown.columns[:3]), shown.iloc[1]["单位"], shown.iloc[0]["比率尺度"]
    (['企业', '合同'], ['单位', '方向', '比率尺度'], '占 GDP 的 %', '是')
    >>> shown_table(st, "statements", lang="zh").columns.tolist()
    ['在这些数据上成立']
    """
    from cityeval.analysis._rank_agreement_shown import shown_frame, unit_name

    study = _study(study)
    lang = _lang(lang)
    words = _table_words(study)
    percent = ()
    cities = None
    if table == "frame":
        frame = study.frame.rename_axis("city")
        cities = names
    elif table == "indicators":
        frame = study.indicators.copy()
        frame["why"] = [_why(row, lang) for _, row in frame.iterrows()]
        percent = ("head_share", "weak_share")
    elif table == "intervals":
        frame = study.interval_table()
    elif table == "concentration":
        frame = study.concentration_table(names=names)
        scale = {col: (f"原始值：{_name(study, col, lang, indicators)}（{unit_name(study.units[col], lang)}），比率尺度"
                       if lang == "zh" else
                       f"raw: {_name(study, col, lang, indicators)} ({study.units[col]}), ratio scale")
                 for col in study.codes}
        scale["innovation"] = ("最小-最大得分 0–100：区间尺度（只有差距与零点无关）" if lang == "zh" else
                               "min-max score 0-100: interval scale (only the gaps are free of the zero)")
        frame["scale"] = [scale.get(col, s) for col, s in zip(frame.index, frame["scale"])]
        frame["leaders"] = [("、" if lang == "zh" else ", ").join(map(str, v)) for v in frame["leaders"]]
        percent = ("head_share", "even_share")
    elif table in ("shifts", "floors"):
        frame = study.shifts if table == "shifts" else study.floors
        percent = ("head_share", "weak_share")
    elif table == "statements":
        frame = study.statements.table()
        below = f"过半低于领先者原始值的 {study.weak_fraction:.0%}"
        zh = ["北京和上海领先技术创新主体指数（按其原始替代指标）", "北京和上海领先科技成果转化指数（按其原始替代指标）",
              f"多数城市在主体替代指标上薄弱（{below}）", f"多数城市在转化替代指标上薄弱（{below}）"]
        en = [k[0].upper() + k[1:] for k in frame.index]
        frame.index = zh[:len(frame)] if lang == "zh" else en
    else:
        raise ParameterError("table", "one of frame, indicators, intervals, concentration, shifts, floors, "
                                      "statements", table)
    return shown_frame(frame, lang, words, indicators=indicators, units=["unit"], percent=percent, cities=cities)
