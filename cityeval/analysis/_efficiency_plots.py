"""Notebook 06's conditional figure: the per-capita variant of Fig. 8, drawn only when it was computed.

Re-exported by :mod:`cityeval.analysis.efficiency`. matplotlib is imported when a figure is drawn, not
when the module is imported.
"""
from __future__ import annotations

import pandas as pd

from cityeval.analysis._efficiency_fig8 import PerCapita, _labels
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice

__all__ = ["plot_per_capita"]


def plot_per_capita(per_capita: PerCapita, outcome: pd.Series, *, named=(), names=None, mark=None, lang: str = "en"):
    """The outcome score against the input score per 10,000 residents (log scale), the named cities
    annotated; ``None`` (nothing drawn) when the variant was skipped (``per_capita.record`` is None).

    Parameters
    ----------
    per_capita : PerCapita
        :func:`per_capita_variant`.
    outcome : pandas.Series
        The outcome score per unit (``io["outcome"]``).
    named : sequence, default ()
        Units to annotate (e.g. :func:`named_present`).
    names : sequence of str, optional
        Their display names, in the same order; default the units themselves.
    lang : {"en", "zh"}, default "en"
        The language of the axes and title.
    mark : callable, optional
        Applied to the title text (``ScoredPanel.title`` marks synthetic data); default the text as is.

    Returns
    -------
    matplotlib.figure.Figure or None

    Examples
    --------
    >>> from cityeval.analysis.efficiency import per_capita_variant
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0], "outcome": [1.0, 3.0, 4.0]}, index=list("abc"))
    >>> pc = per_capita_variant(io, pd.DataFrame({"population": [1.0, 2.0, 4.0]}, index=list("abc")),
    ...                         path="folder", synthetic=False, labels=list)
    >>> fig = plot_per_capita(pc, io["outcome"], named=["c"])
    >>> fig.axes[0].get_xscale(), fig.axes[0].texts[0].get_text(), fig.axes[0].get_title()[:30]
    ('log', 'c', 'Per-capita variant: r = -0.945')
    >>> plot_per_capita(per_capita_variant(io, None, path="folder", synthetic=False, labels=list), io["outcome"])
    """
    if not isinstance(per_capita, PerCapita):
        raise ParameterError("per_capita", "a PerCapita (from per_capita_variant)", Shown(type(per_capita).__name__))
    if per_capita.record is None:
        return None
    import matplotlib.pyplot as plt

    named = _labels("named", named)
    names = named if names is None else _labels("names", names)
    if len(names) != len(named):
        raise ParameterError("names", f"one display name per named unit ({len(named)})", Shown(f"{len(names)} names"))
    io_pc, rec = per_capita.input_per_capita, per_capita.record
    fig, ax = plt.subplots(figsize=(7.5, 5))
    ax.scatter(io_pc, outcome.loc[io_pc.index], s=16, alpha=0.6)
    for c, name in zip(named, names):
        ax.annotate(name, (io_pc[c], outcome[c]), xytext=(4, 3), textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    zh = check_choice("lang", lang, ("en", "zh")) == "zh"
    ax.set_xlabel("每万人投入得分（对数刻度）" if zh else "input score per 10,000 residents (log scale)")
    ax.set_ylabel("成效得分" if zh else "outcome score")
    title = (f"人均变体：r = {rec.regression.r:.3f}（对数投入：r = {rec.regression_log_input.r:.3f}）" if zh else
             f"Per-capita variant: r = {rec.regression.r:.3f} (log input: r = {rec.regression_log_input.r:.3f})")
    ax.set_title(mark(title) if mark is not None else title)
    fig.tight_layout()
    return fig
