"""Notebook 00's figures, in English or Chinese (re-exported by :mod:`cityeval.notebook.walkthrough`).

Each function draws one figure of the walkthrough and returns it. Every text goes through ``lang``: titles and
axes by :func:`cityeval.notebook.style.say`, cities by :func:`~cityeval.notebook.walkthrough.city_names`, codes by
:func:`~cityeval.notebook.walkthrough.code_name`; titles carry the dataset's warning
(:func:`~cityeval.notebook.walkthrough.mark`). A dataset with more than ``MAX_CITIES`` cities is shown by its
best ``MAX_CITIES`` under the parameters' method (the title says so), so that names stay readable.
"""
from __future__ import annotations

import textwrap

import numpy as np

__all__ = ["MAX_CITIES", "raw_values_figure", "treatment_figure", "normalized_figure", "weights_figure",
           "dimension_figure", "ranks_figure"]

#: Most cities a figure names, one per row.
MAX_CITIES = 20


def _wrap(text, width):
    # Chinese has no spaces: wrap by characters
    if not text.isascii():
        return "\n".join(text[i:i + width // 2] for i in range(0, len(text), width // 2))
    return "\n".join(textwrap.wrap(text, width)) or text


def _shown(order, lang):
    """The cities drawn (the first MAX_CITIES of ``order``) and the title's note when some are left out."""
    from cityeval.notebook.style import say

    cities = list(order)[:MAX_CITIES]
    if len(order) <= MAX_CITIES:
        return cities, ""
    return cities, say(lang, f" — top {MAX_CITIES} of {len(order)} cities", f"（{len(order)}个城市中的前{MAX_CITIES}个）")


def _order(result, top):
    return result.ranks[top].sort_values(kind="stable").index


def raw_values_figure(dataset, result, top, lang="en"):
    """One small panel per indicator: each city's value after denomination (what min-max then rescales), with
    the unit of ``indicators.csv`` on the x axis (the unit of what is plotted)."""
    import matplotlib.pyplot as plt

    from cityeval.notebook.style import say
    from cityeval.notebook._walkthrough_names import city_names, code_name, mark, unit_name

    meta = dataset.indicators
    codes = dataset.indicator_codes
    cities, note = _shown(_order(result, top), lang)
    values = result.stages["denominated"].loc[cities]
    ncols = min(4, len(codes))
    nrows = int(np.ceil(len(codes) / ncols))
    height = max(2.6, 0.24 * len(cities) + 1.2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.0 * ncols + 1.2, height * nrows + 0.8), sharey=True,
                             squeeze=False)
    y = np.arange(len(cities))
    for ax, code in zip(axes.flat, codes):
        ax.scatter(values[code], y, s=22)
        ax.set_title(_wrap(code_name(meta, code, lang), 26), fontsize=9)
        ax.set_xlabel(_wrap(unit_name(meta, code, lang), 30), fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_yticks(y, city_names(dataset, cities, lang))
    axes[0][0].invert_yaxis()   # the axes share y: best city on top in every panel
    for ax in list(axes.flat)[len(codes):]:
        ax.set_axis_off()
    fig.suptitle(mark(say(lang, "Values after denomination: every indicator has its own unit and scale",
                          "除以分母后的数值：每个指标有自己的单位和量纲") + note, dataset, lang))
    fig.tight_layout()
    return fig


def treatment_figure(dataset, result, lang="en"):
    """Each indicator the outlier rule flags: its values before and after treatment."""
    import matplotlib.pyplot as plt

    from cityeval.notebook.style import legend_outside, say
    from cityeval.notebook._walkthrough_names import city_names, code_name, mark, unit_name

    meta = dataset.indicators
    failing = result.treatment.index[result.treatment["failed"]].tolist()
    before_all, after_all = result.stages["denominated"], result.stages["treated"]
    n = max(len(failing), 1)
    order = before_all[failing[0]].sort_values(ascending=False).index if failing else before_all.index
    cities, note = _shown(order, lang)
    fig, axes = plt.subplots(1, n, figsize=(5.2 * n + 2.0, max(3.2, 0.26 * len(cities) + 1.4)), squeeze=False)
    actions = {"winsorised": say(lang, "winsorised", "缩尾处理"), "log": say(lang, "log transformed", "对数变换"),
               "none": say(lang, "none", "未处理")}
    y = np.arange(len(cities))
    for ax, code in zip(axes[0], failing):
        ax.scatter(before_all[code].reindex(cities), y, marker="x", s=40, color="C3",
                   label=say(lang, "before treatment", "处理前"))
        ax.scatter(after_all[code].reindex(cities), y, s=28, alpha=0.7, color="C0",
                   label=say(lang, "after treatment", "处理后"))
        ax.set_yticks(y, city_names(dataset, cities, lang))
        ax.invert_yaxis()
        unit, name = unit_name(meta, code, lang), code_name(meta, code, lang)
        ax.set_xlabel((f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})") if unit and unit != name else name)
        action = str(result.treatment.at[code, "action"])
        ax.set_title(_wrap(f"{name}{'：' if lang == 'zh' else ': '}{actions.get(action, action)}", 50))
    legend_outside(axes[0][-1])
    if not failing:
        axes[0][0].set_axis_off()
        axes[0][0].set_title(say(lang, "No indicator fails the outlier rule", "没有指标触发异常值规则"))
    fig.suptitle(mark(say(lang, "Outlier treatment (JRC rule)", "异常值处理（JRC规则）") + note, dataset, lang))
    fig.tight_layout()
    return fig


def normalized_figure(dataset, result, top, normalization, lang="en"):
    """Heat map of the normalized indicators: cities (rows, best first) x indicators (columns, short wrapped
    names), one number per cell."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from cityeval.notebook.style import say
    from cityeval.notebook._walkthrough_names import city_names, code_name, mark

    meta = dataset.indicators
    codes = dataset.indicator_codes
    cities, note = _shown(_order(result, top), lang)
    norm = result.stages["normalized"].loc[cities, codes]
    from cityeval.notebook._walkthrough_names import NORMALIZATION_LABELS, variant_name

    normalization = normalization or result.method["normalize"]["method"]     # "": the folder's own
    method = variant_name("normalization", NORMALIZATION_LABELS.get(normalization, normalization), lang)
    fmt = ".1f" if float(np.nanmax(np.abs(norm.to_numpy(dtype=float)))) < 10 else ".0f"
    frame = norm.set_axis(city_names(dataset, cities, lang), axis=0)
    frame.columns = [_wrap(code_name(meta, c, lang), 16) for c in codes]
    fig, ax = plt.subplots(figsize=(1.25 * len(codes) + 3.2, 0.42 * len(cities) + 2.6))
    sns.heatmap(frame, annot=len(cities) <= MAX_CITIES, fmt=fmt, cmap="viridis", ax=ax, annot_kws={"fontsize": 9},
                cbar_kws={"label": say(lang, f"normalized value ({method})", f"标准化值（{method}）")})
    ax.set_xticklabels(ax.get_xticklabels(), rotation=0, fontsize=8)
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0)      # city names read horizontally (Chinese too)
    ax.set_xlabel(say(lang, "indicator", "指标"))
    ax.set_ylabel(say(lang, "city (best first)", "城市（按排名）"))
    ax.set_title(mark(say(lang, "Normalized indicators (higher is better)", "标准化后的指标（越高越好）") + note,
                      dataset, lang))
    fig.tight_layout()
    return fig


def weights_figure(dataset, comparison, lang="en"):
    """The weight of every indicator within its dimension under each weighting variant: a heat map, indicators
    (rows, grouped by dimension) x methods (columns), the weight written in each cell (empty: not computable)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from cityeval.notebook.style import say
    from cityeval.notebook._walkthrough_names import code_name, mark, variant_name

    meta = dataset.indicators
    codes = dataset.indicator_codes
    weights = comparison.weights("weighting").loc[codes]
    weights.columns = [variant_name("weighting", c, lang).replace("(", "\n(") for c in weights.columns]
    weights.index = [_wrap(code_name(meta, c, lang), 34) for c in codes]
    fig, ax = plt.subplots(figsize=(1.05 * len(weights.columns) + 4.6, 0.42 * len(codes) + 2.4))
    sns.heatmap(weights, annot=len(codes) <= 60, fmt=".2f", cmap="Blues", vmin=0, linewidths=0.5, ax=ax,
                annot_kws={"fontsize": 8}, cbar_kws={"label": say(lang, "weight within its dimension",
                                                                 "在所属维度内的权重")})
    ax.set_xticklabels(ax.get_xticklabels(), rotation=0, fontsize=8)
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0, fontsize=8)
    ax.set_xlabel(say(lang, "weighting method", "赋权方法"))
    ax.set_ylabel(say(lang, "indicator", "指标"))
    ax.set_title(mark(say(lang, "Weights of the indicators under each weighting method", "各赋权方法下的指标权重"),
                      dataset, lang))
    fig.tight_layout()
    return fig


def dimension_figure(dataset, result, top, lang="en"):
    """Each city's dimension scores (markers) and its index score (bar), best first: an unbalanced city shows a
    wide spread of markers."""
    import matplotlib.pyplot as plt

    from cityeval.composite import framework
    from cityeval.notebook.style import legend_outside, say
    from cityeval.notebook._walkthrough_names import city_names, code_name, mark

    meta = dataset.indicators
    dims = framework.children(meta, top)
    cities, note = _shown(_order(result, top), lang)
    scores = result.scores.loc[cities]
    y = np.arange(len(cities))
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(cities) + 1.8))
    ax.barh(y, scores[top], color="0.85", label=code_name(meta, top, lang))
    markers = "osD^vP*X"
    for k, d in enumerate(dims):
        ax.scatter(scores[d], y, marker=markers[k % len(markers)], s=45, zorder=3, label=code_name(meta, d, lang))
    ax.set_yticks(y, city_names(dataset, cities, lang))
    ax.invert_yaxis()
    ax.set_xlabel(say(lang, "score", "得分"))
    ax.set_title(mark(say(lang, "Dimension scores (markers) and index score (bar)",
                          "各维度得分（标记）与指数得分（条形）") + note, dataset, lang))
    legend_outside(ax)
    fig.tight_layout()
    return fig


def ranks_figure(dataset, comparison, lang="en"):
    """Heat map of the index rank of each city (columns, best first) under each variant (rows, grouped)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from cityeval.notebook.style import say
    from cityeval.notebook._walkthrough_names import city_names, mark, variant_name

    cities, note = _shown(comparison.ranks.index, lang)
    ranks = comparison.ranks.loc[cities].astype(float).T
    nominal = say(lang, " (nominal)", "（基准）")     # the variant that is the method itself
    ranks.index = [variant_name(g, label, lang, with_group=True) + (nominal if (g, label) in comparison.nominal else "")
                   for g, label in ranks.index]
    ranks.columns = city_names(dataset, cities, lang)
    fig, ax = plt.subplots(figsize=(0.62 * len(cities) + 4.5, 0.34 * len(ranks) + 2.4))
    sns.heatmap(ranks, annot=True, fmt=".0f", cmap="RdYlGn_r", linewidths=0.5, ax=ax, annot_kws={"fontsize": 8},
                cbar_kws={"label": say(lang, "index rank", "指数排名")})
    flat = lang == "zh" and max(len(c) for c in ranks.columns) <= 4      # short Chinese names read flat
    ax.set_xticklabels(ax.get_xticklabels(), rotation=0 if flat else 45, ha="center" if flat else "right")
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0)
    ax.set_xlabel(say(lang, "city (sorted by the parameters' ranking)", "城市（按参数方法的排名）"))
    ax.set_ylabel("")
    ax.set_title(mark(say(lang, "Index rank of each city under each variant (one choice changed at a time)",
                          "每次只改变一个选择时各城市的指数排名") + note, dataset, lang))
    fig.tight_layout()
    return fig
