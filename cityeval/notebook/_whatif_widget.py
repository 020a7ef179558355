"""The weights what-if with ipywidgets (JupyterLab): each change calls the library's run
(:func:`cityeval.notebook.whatif.score`) and redraws a table and a matplotlib bump chart.

Re-exported as :func:`cityeval.notebook.whatif.widget`; :func:`bump_chart` draws the chart on its own.
"""
from __future__ import annotations

import os

import pandas as pd

from cityeval.errors import CityevalError
from cityeval.notebook._kernel import HEADLESS_VARIABLE   # set by the runner: no front end, no widgets
from cityeval.notebook._whatif_strings import text
from cityeval.notebook.labels import check_language

__all__ = ["widget", "bump_chart", "ranking_table", "HEADLESS_VARIABLE"]



def ranking_table(what, result, *, lang: str = "en") -> pd.DataFrame:
    """The top ``what.top_n`` cities of a what-if run: rank, city, score, nominal rank and the change.

    Parameters
    ----------
    what : cityeval.notebook.whatif.WhatIf
    result : cityeval.composite.pipeline.RunResult
        A run of :func:`cityeval.notebook.whatif.score`.
    lang : {"en", "zh"}

    Returns
    -------
    pandas.DataFrame
        Columns (in ``lang``): rank, city, score, nominal rank, change (nominal minus what-if: > 0 a rise).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.notebook import whatif
    >>> what = whatif.build(paths.DATA / "examples" / "toy", top_n=3)
    >>> res = whatif.score(what.dataset, {"infra": 1, "economy": 0}, normalization="minmax", aggregation="arithmetic")
    >>> list(ranking_table(what, res).columns)
    ['Rank', 'City', 'Score', 'Nominal rank', 'Change']
    """
    lang = check_language(lang)
    top = what.panel.top_code
    ranks = result.ranks[top]
    order = result.scores[top].sort_values(ascending=False, kind="stable").index[:what.top_n]
    nominal = what.nominal_ranks.reindex(order)
    frame = pd.DataFrame({
        text("rank", lang): ranks.reindex(order).astype("Int64").to_numpy(),
        text("city", lang): what.panel.labels(list(order), lang),
        text("score", lang): result.scores[top].reindex(order).to_numpy(),
        text("nominal_rank", lang): nominal.astype("Int64").to_numpy(),
        text("change", lang): (nominal - ranks.reindex(order)).astype("Int64").to_numpy(),
    })
    return frame


def bump_chart(what, result, *, lang: str = "en", ax=None):
    """Nominal rank -> what-if rank of the cities in either top ``what.top_n``, as lines (a bump chart).

    Parameters
    ----------
    what : cityeval.notebook.whatif.WhatIf
    result : cityeval.composite.pipeline.RunResult
    lang : {"en", "zh"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.notebook import whatif
    >>> what = whatif.build(paths.DATA / "examples" / "toy", top_n=3)
    >>> res = whatif.score(what.dataset, {"infra": 1, "economy": 0}, normalization="minmax", aggregation="arithmetic")
    >>> fig = bump_chart(what, res)
    >>> len(fig.axes[0].lines) >= 3
    True
    """
    import matplotlib.pyplot as plt

    from cityeval.notebook.style import illustrative

    lang = check_language(lang)
    n = what.top_n
    top = what.panel.top_code
    before, after = what.nominal_ranks.astype(float), result.ranks[top].reindex(what.nominal_ranks.index).astype(float)
    keep = [c for c in before.index if before[c] <= n or after[c] <= n]
    below = n + 1.5
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 0.24 * n + 1.6))
    else:
        fig = ax.figure
    names = dict(zip(keep, what.panel.labels(keep, lang)))
    for city in keep:
        a, b = min(before[city], below), min(after[city], below)
        color = "#0969da" if b < a else "#e16f24" if b > a else "#8c959f"
        ax.plot([0, 1], [a, b], color=color, lw=1.5, marker="o", ms=3)
        if before[city] <= n:
            ax.text(-0.04, a, f"{int(before[city])}  {names[city]}", ha="right", va="center", fontsize=8)
        if after[city] <= n:
            ax.text(1.04, b, f"{int(after[city])}  {names[city]}", ha="left", va="center", fontsize=8, color=color)
    ax.axhline(n + 0.75, color="#d0d7de", ls="--", lw=0.8)
    ax.text(-0.04, below, text("below", lang, n=n), ha="right", va="center", fontsize=8, color="#57606a")
    ax.text(1.04, below, text("below", lang, n=n), ha="left", va="center", fontsize=8, color="#57606a")
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(below + 0.8, 0.2)
    ax.set_xticks([0, 1], [text("chart_left", lang), text("chart_right", lang)])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(illustrative(text("widget_chart", lang, n=n), lang, synthetic=what.panel.synthetic))
    fig.tight_layout()
    return fig


def widget(what, *, lang: str = "en"):
    """Sliders (one per dimension) and menus (normalization, aggregation) that rerun the library's
    :func:`~cityeval.notebook.whatif.score` on every change and show the ranking table and the bump chart.

    A note, displayed as an ordinary output above the controls, says they need a running kernel: a static page
    (which cannot show widgets) shows the note only.

    Returns
    -------
    ipywidgets.VBox or None
        None when :data:`HEADLESS_VARIABLE` is set (a run by ``python -m cityeval run``): only the note is shown.
    """
    lang = check_language(lang)
    if os.environ.get(HEADLESS_VARIABLE):
        from IPython.display import HTML, display

        display(HTML(f'<p class="cew-kernel-note"><i>{text("kernel", lang)}</i></p>'))
        return None
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    from cityeval.notebook.style import table

    lang = check_language(lang)
    meta = what.dataset.indicators
    from cityeval.notebook._whatif_strings import dimension_name

    sliders = [widgets.FloatSlider(value=v, min=0.0, max=5.0, step=0.05, description=dimension_name(what, d, lang),
                                   continuous_update=False, readout_format=".2f",
                                   style={"description_width": "14em"}, layout=widgets.Layout(width="34em"))
               for d, v in zip(what.dimensions, what.default_values)]
    names = {"normalization": text("normalization", lang), "aggregation": text("aggregation", lang)}
    from cityeval.notebook._whatif_score import NAMES, score

    def options(keys):
        return [(NAMES.get(k, (k, k))[lang == "zh"], k) for k in keys]

    norm = widgets.Dropdown(options=options(what.normalizations), value=what.nominal[0],
                            description=names["normalization"], style={"description_width": "8em"})
    agg = widgets.Dropdown(options=options(what.aggregations), value=what.nominal[1],
                           description=names["aggregation"], style={"description_width": "8em"})
    out = widgets.Output()

    def redraw(*_):
        weights = {d: s.value for d, s in zip(what.dimensions, sliders)}
        out.clear_output(wait=True)
        with out:
            try:
                result = score(what.dataset, weights, normalization=norm.value, aggregation=agg.value)
            except CityevalError as exc:
                display(HTML(f"<p><b>{text('widget_refused', lang)}</b> {exc}</p>"))
                return
            display(table(ranking_table(what, result, lang=lang),
                          text("widget_table", lang, n=what.top_n, total=len(what.panel.all_scores)), lang=lang,
                          synthetic=what.panel.synthetic, digits=4, hide_index=True))
            fig = bump_chart(what, result, lang=lang)
            display(fig)
            plt.close(fig)

    for control in (*sliders, norm, agg):
        control.observe(redraw, names="value")
    redraw()
    display(HTML(f'<p class="cew-kernel-note"><i>{text("kernel", lang)}</i></p>'))
    return widgets.VBox([widgets.VBox(sliders), widgets.HBox([norm, agg]), out])
