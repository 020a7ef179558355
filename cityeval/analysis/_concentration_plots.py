"""Notebook 08's figure: the raw stand-ins against each other, and the Lorenz curves, with the min-max innovation
score's curve drawn only beside what a shift of its zero does to it.

Re-exported by :mod:`cityeval.analysis.concentration`. matplotlib is imported when a figure is drawn, not when
the module is imported.
"""
from __future__ import annotations

from cityeval.analysis._concentration_innovation import REPORT_LEADERS, SCORE_SHIFTS, InnovationStudy
from cityeval.analysis._concentration_measures import lorenz_curve
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["plot_concentration"]


#: The illustrative note of a title resting on synthetic data (as :func:`cityeval.notebook.style.illustrative`).
_NOTE = {"en": "\n(illustrative: synthetic data calibrated to the published ranks)",
         "zh": "\n（示意：按公布排名校准的合成数据）"}


def plot_concentration(study: InnovationStudy, *, names=None, mark=None, lang: str = "en",
                       synthetic: bool | None = None, indicators=None):
    """Two panels: the raw subject stand-in against the raw transfer stand-in (the report's two leaders
    marked where they are in the top), and the Lorenz curves of both, with the innovation score's as
    scored and after a shift of its zero by the smallest of :data:`SCORE_SHIFTS` (dashed, labelled as an
    interval scale).

    Parameters
    ----------
    study : InnovationStudy
        :func:`innovation_study`.
    names : callable, optional
        A list of units -> display names for the marked cities (e.g. ``ScoredPanel.labels``).
    mark : callable, optional
        Applied to each title (``ScoredPanel.title`` marks synthetic data). Ignored when ``synthetic`` is given.
    lang : {"en", "zh"}, default "en"
        The language of every text of the figure.
    synthetic : bool, optional
        Whether the data are synthetic: the titles then end with the illustrative note in ``lang``.
    indicators : pandas.DataFrame, optional
        The dataset's indicator table (``name_zh``): the stand-ins' names on the axes for ``lang="zh"``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.concentration import innovation_study
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=["北京市", "x", "y", "z"])
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> fig = plot_concentration(st, names=lambda cities: ["Beijing" for _ in cities])
    >>> [len(ax.lines) for ax in fig.axes]
    [0, 5]
    >>> import warnings
    >>> with warnings.catch_warnings():   # the Chinese glyphs need use_language("zh") (cityeval.notebook.labels)
    ...     warnings.simplefilter("ignore")
    ...     fig = plot_concentration(st, lang="zh", synthetic=True, indicators=meta)
    >>> fig.axes[1].get_xlabel()
    '城市份额（由低到高）'
    """
    import matplotlib.pyplot as plt

    if not isinstance(study, InnovationStudy):
        raise ParameterError("study", "an InnovationStudy (from innovation_study)", Shown(type(study).__name__))
    for arg, value in (("names", names), ("mark", mark)):
        if value is not None and not callable(value):
            raise ParameterError(arg, "a callable, or None", Shown(type(value).__name__))
    zh = check_choice("lang", lang, ("en", "zh")) == "zh"
    if synthetic is not None:
        note = _NOTE[lang] if check_bool("synthetic", synthetic) else ""
        mark = (note and (lambda title: title + note)) or str
    mark = mark or str
    frame, codes, units = study.frame, study.codes, study.units

    def say(en, cn):
        return cn if zh else en

    def name(col):   # the indicator's name in the page's language, never its code (an identifier is no label)
        code = codes[col]
        if indicators is not None and code in indicators.index:
            return f"{indicators.at[code, 'name_zh' if zh else 'name_en']}"
        return code

    fig, axes = plt.subplots(1, 2, figsize=(13, 5.4))
    ax = axes[0]
    ax.scatter(frame["subject"], frame["transfer"], s=16, alpha=0.7)
    # the report's two leaders are marked (where they are in the top), not this panel's own leaders: who leads a
    # synthetic panel is a draw of the generator
    marked = [city for city in REPORT_LEADERS if city in frame.index]
    ax.scatter(frame.loc[marked, "subject"], frame.loc[marked, "transfer"], s=40, facecolors="none", edgecolors="C3")
    for city, label in zip(marked, names(marked) if names is not None else marked):
        ax.annotate(label, (frame.at[city, "subject"], frame.at[city, "transfer"]), fontsize=8,
                    xytext=(3, 3), textcoords="offset points", color="C3")
    ax.set_xlabel(say(f"innovation-subject stand-in: {name('subject')}\n({units['subject']}, raw)",
                      f"技术创新主体替代指标：{name('subject')}（原始值）"))
    ax.set_ylabel(say(f"technology-transfer stand-in:\n{name('transfer')} ({units['transfer']}, raw)",
                      f"科技成果转化替代指标：\n{name('transfer')}（原始值）"))
    ax.set_title(mark(say(f"Innovation top {study.top_n}, raw values\n(marked: Beijing and Shanghai, the report's "
                          "leaders)", f"技术创新前 {study.top_n} 名，原始值\n（标出：报告所说的领先者北京和上海）")),
                 fontsize=10)
    ax = axes[1]
    for col, colour in (("subject", "C0"), ("transfer", "C1")):
        ci = study.intervals[col]["gini"]
        ax.plot(*lorenz_curve(frame[col]), color=colour,
                label=say(f"raw {name(col)} (Gini {ci.statistic:.2f}, {ci.confidence:.0%} CI {ci.ci_low:.2f}–"
                          f"{ci.ci_high:.2f})", f"原始 {name(col)}（Gini {ci.statistic:.2f}，{ci.confidence:.0%} 区间 "
                                                f"{ci.ci_low:.2f}–{ci.ci_high:.2f}）"))
    shift = min(SCORE_SHIFTS)
    g = study.shifts["gini"]
    ax.plot(*lorenz_curve(frame["innovation"]), color="0.35", ls="--",
            label=say(f"innovation score, min-max (Gini {g.loc[('innovation', 0.0)]:.2f}: depends on its zero)",
                      f"技术创新得分，最小-最大（Gini {g.loc[('innovation', 0.0)]:.2f}：取决于零点）"))
    ax.plot(*lorenz_curve(frame["innovation"] + shift), color="0.35", ls=":",
            label=say(f"the same score +{shift:g} points (Gini {g.loc[('innovation', float(shift))]:.2f})",
                      f"同一得分 +{shift:g} 分（Gini {g.loc[('innovation', float(shift))]:.2f}）"))
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="-", alpha=0.5, label=say("equal", "完全均等"))
    ax.set_xlabel(say("share of cities (lowest first)", "城市份额（由低到高）"))
    ax.set_ylabel(say("share of the sum", "总和份额"))
    ax.set_title(mark(say("Lorenz curves: raw stand-ins (ratio scale)\nand the score (interval scale)",
                          "洛伦兹曲线：原始替代指标（比率尺度）\n与得分（区间尺度）")), fontsize=10)
    # a Lorenz curve never rises above the diagonal, so the upper-left triangle is empty whatever the data
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    fig.tight_layout()
    return fig
