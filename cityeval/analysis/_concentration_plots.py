"""Notebook 08's figure: the raw stand-ins against each other, and the Lorenz curves, with the min-max innovation
score's curve drawn only beside what a shift of its zero does to it.

Re-exported by :mod:`cityeval.analysis.concentration`. matplotlib is imported when a figure is drawn, not when
the module is imported.
"""
from __future__ import annotations

from cityeval.analysis._concentration_innovation import REPORT_LEADERS, SCORE_SHIFTS, InnovationStudy
from cityeval.analysis._concentration_measures import lorenz_curve
from cityeval.errors import ParameterError
from cityeval.validation import Shown

__all__ = ["plot_concentration"]


def plot_concentration(study: InnovationStudy, *, names=None, mark=None):
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
        Applied to each title (``ScoredPanel.title`` marks synthetic data).

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
    """
    import matplotlib.pyplot as plt

    if not isinstance(study, InnovationStudy):
        raise ParameterError("study", "an InnovationStudy (from innovation_study)", Shown(type(study).__name__))
    for arg, value in (("names", names), ("mark", mark)):
        if value is not None and not callable(value):
            raise ParameterError(arg, "a callable, or None", Shown(type(value).__name__))
    mark = mark or str
    frame, codes, units = study.frame, study.codes, study.units
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    ax = axes[0]
    ax.scatter(frame["subject"], frame["transfer"], s=16, alpha=0.7)
    # the report's two leaders are marked (where they are in the top), not this panel's own leaders: who leads a
    # synthetic panel is a draw of the generator
    marked = [city for city in REPORT_LEADERS if city in frame.index]
    ax.scatter(frame.loc[marked, "subject"], frame.loc[marked, "transfer"], s=40, facecolors="none", edgecolors="C3")
    for city, name in zip(marked, names(marked) if names is not None else marked):
        ax.annotate(name, (frame.at[city, "subject"], frame.at[city, "transfer"]), fontsize=8,
                    xytext=(3, 3), textcoords="offset points", color="C3")
    ax.set_xlabel(f"innovation-subject stand-in: {codes['subject']} ({units['subject']}, raw)")
    ax.set_ylabel(f"technology-transfer stand-in: {codes['transfer']} ({units['transfer']}, raw)")
    ax.set_title(mark(f"Innovation top {study.top_n}, raw values (marked: Beijing and Shanghai, the report's "
                      "leaders)"), fontsize=10)
    ax = axes[1]
    for col, colour in (("subject", "C0"), ("transfer", "C1")):
        ci = study.intervals[col]["gini"]
        ax.plot(*lorenz_curve(frame[col]), color=colour,
                label=f"raw {codes[col]} (Gini {ci.statistic:.2f}, {ci.confidence:.0%} CI {ci.ci_low:.2f}–"
                      f"{ci.ci_high:.2f})")
    shift = min(SCORE_SHIFTS)
    g = study.shifts["gini"]
    ax.plot(*lorenz_curve(frame["innovation"]), color="0.35", ls="--",
            label=f"innovation score, min-max (Gini {g.loc[('innovation', 0.0)]:.2f}: depends on its zero)")
    ax.plot(*lorenz_curve(frame["innovation"] + shift), color="0.35", ls=":",
            label=f"the same score +{shift:g} points (Gini {g.loc[('innovation', float(shift))]:.2f})")
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="-", alpha=0.5, label="equal")
    ax.set_xlabel("share of cities (lowest first)")
    ax.set_ylabel("share of the sum")
    ax.set_title(mark("Lorenz curves: raw stand-ins (ratio scale) and the score (interval scale)"), fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
