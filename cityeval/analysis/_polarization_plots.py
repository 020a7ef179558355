"""Notebook 04's repeated figures: a score's distribution with its criteria, and scores against a covariate.

Re-exported by :mod:`cityeval.analysis.polarization`. matplotlib and seaborn are imported when a
figure is drawn, not when the module is imported.
"""
from __future__ import annotations

import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice

from cityeval.analysis._polarization_statistics import BC_UNIFORM, BimodalitySummary

__all__ = ["plot_distribution", "plot_covariates"]

_BOX = {"boxstyle": "round", "facecolor": "white", "alpha": 0.9, "edgecolor": "#cccccc"}
#: GDP-per-capita ticks (yuan) offered on the log axis; those within the data's range are drawn.
_GDP_TICKS = (1e4, 2e4, 3e4, 5e4, 7e4, 1e5, 1.5e5, 2e5, 3e5, 5e5)


def plot_distribution(x: pd.Series, summary: BimodalitySummary, *, label: str, title: str, lang: str = "en"):
    """Histogram, kernel density and rug of one score, its median, and the criteria in a box.

    Parameters
    ----------
    x : pandas.Series
        The scores (one per city, 0-100 scale).
    summary : BimodalitySummary
        :func:`bimodality_summary` of ``x``.
    label : str
        The score's name on the axis ("Digital healthcare (LIV_HEALTH)").
    title : str
        The figure title (the notebook marks it illustrative on synthetic data).
    lang : {"en", "zh"}, default "en"
        The language of the axes, legend and criteria box.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> x = pd.Series([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0])
    >>> fig = plot_distribution(x, bimodality_summary(x, seed=0, n_boot=19), label="Score", title="Eight cities")
    >>> fig.axes[0].get_title(), fig.axes[0].texts[0].get_text().split("\\n")[0]
    ('Eight cities', 'dip = 0.188, p = 0.002')
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if not isinstance(summary, BimodalitySummary):
        raise ParameterError("summary", "a BimodalitySummary (from bimodality_summary)", Shown(type(summary).__name__))
    zh = check_choice("lang", lang, ("en", "zh")) == "zh"
    fig, ax = plt.subplots(figsize=(11.5, 4.5))
    # the shared palette (cityeval.notebook.style.use_style: seaborn's colorblind): C0 the data, C3 the median
    sns.histplot(x, bins=20, kde=True, stat="count", color="C0", edgecolor="white", ax=ax)
    sns.rugplot(x, height=0.03, color="#333333", ax=ax)
    ax.axvline(x.median(), color="C3", ls="--", lw=1, label=(f"中位数 {x.median():.1f}" if zh else f"median {x.median():.1f}"))
    ax.set_xlabel(f"{label}得分（0–100）" if zh else f"{label} score (0-100)")
    ax.set_ylabel("城市数" if zh else "number of cities")
    ax.set_title(title)
    polar = (("无" if zh else "n/a") if summary.polarization is None
             else (f"{summary.polarization:.3f}（正态：{summary.polarization_normal:.3f}）" if zh
                   else f"{summary.polarization:.3f} (normal: {summary.polarization_normal:.3f})"))
    text = (f"Hartigan 单峰性检验 D = {summary.dip:.3f}，p {_p(summary.dip_p_value)}\n"
            f"BC = {summary.bc:.3f}（5/9 = {BC_UNIFORM:.3f}）\n"
            f"混合模型 ΔBIC = {summary.gmm_delta_bic:.1f}（两成分拟合 {summary.gmm_modes} 个峰）\n"
            f"自助似然比检验 p {_p(summary.lrt_p_value)}（B = {summary.lrt_n_boot}）\n"
            f"极化指数 P = {polar}") if zh else (f"dip = {summary.dip:.3f}, p {_p(summary.dip_p_value)}\n"
            f"BC = {summary.bc:.3f} (5/9 = {BC_UNIFORM:.3f})\n"
            f"GMM ΔBIC = {summary.gmm_delta_bic:.1f} ({summary.gmm_modes} mode(s) in 2-comp. fit)\n"
            f"bootstrap LRT p {_p(summary.lrt_p_value)} (B = {summary.lrt_n_boot})\n"
            f"Foster-Wolfson P = {polar}")
    # beside the axes, under the legend: never on the bars
    ax.text(1.02, 0.84, text, transform=ax.transAxes, ha="left", va="top", fontsize=9, linespacing=1.5, bbox=_BOX)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)  # outside the axes: off the bars
    fig.tight_layout()
    return fig


def _p(p: float) -> str:
    """``"= 0.123"``, or ``"< 0.001"`` when a p-value rounds to zero at three decimals.

    >>> _p(0.0), _p(0.1234)
    ('< 0.001', '= 0.123')
    """
    return "< 0.001" if p < 0.0005 else f"= {p:.3f}"


def _thousands(value, _position) -> str:
    return f"{value / 1000:,.0f}k"


def plot_covariates(scores: pd.DataFrame, covariate: pd.Series | None, correlations: dict, *, labels: dict,
                    titles: dict, lang: str = "en"):
    """One scatter per code of ``correlations``: the score against the covariate (GDP per capita, log scale),
    with its Pearson and Spearman coefficients; ``None`` (nothing drawn) when there is no covariate.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scores indexed by city (columns include the codes).
    covariate : pandas.Series or None
        GDP per capita (yuan) indexed by city.
    correlations : dict of str -> CovariateCorrelation
        From :func:`covariate_correlations`, in the order of the panels.
    labels, titles : dict of str -> str
        Each code's name on the y axis and its panel's title.
    lang : {"en", "zh"}, default "en"
        The language of the axes.

    Returns
    -------
    matplotlib.figure.Figure or None

    Examples
    --------
    >>> from cityeval.analysis.polarization import covariate_correlations
    >>> scores = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0, 5.0]}, index=list("abcde"))
    >>> gdp = pd.Series([2e4, 3e4, 5e4, 7e4, 1e5], index=list("abcde"))
    >>> fig = plot_covariates(scores, gdp, covariate_correlations(scores, gdp, ["A"]), labels={"A": "Score"},
    ...                       titles={"A": "Score vs GDP per capita"})
    >>> fig.axes[0].get_xscale(), fig.axes[0].texts[0].get_text().split("\\n")[1]
    ('log', 'Spearman rho = 1.00 (p < 0.001)')
    """
    if covariate is None:
        return None
    import matplotlib.pyplot as plt
    import matplotlib.ticker as mticker

    zh = check_choice("lang", lang, ("en", "zh")) == "zh"
    fig, axes = plt.subplots(1, len(correlations), figsize=(6.5 * len(correlations), 5), sharex=True, squeeze=False)
    for ax, (code, corr) in zip(axes[0], correlations.items()):
        frame = pd.DataFrame({"gdp": covariate.reindex(scores.index), "score": scores[code]}).dropna()
        ax.scatter(frame["gdp"], frame["score"], s=22, alpha=0.75, color="C0", edgecolor="white", lw=0.5)
        ax.set_xscale("log")
        lo, hi = frame["gdp"].min(), frame["gdp"].max()
        ax.set_xticks([t for t in _GDP_TICKS if lo * 0.9 <= t <= hi * 1.1])
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(_thousands))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set_xlabel("人均 GDP（元，对数刻度）" if zh else "GDP per capita (yuan, log scale)")
        ax.set_ylabel(f"{labels[code]}得分（0–100）" if zh else f"{labels[code]} score (0-100)")
        ax.set_title(titles[code], fontsize=11)
        ax.text(0.02, 0.97, f"Pearson r = {corr.pearson:.2f} (p {_p(corr.pearson_p_value)})\n"
                            f"Spearman {'ρ' if zh else 'rho'} = {corr.spearman:.2f} (p {_p(corr.spearman_p_value)})\n"
                            + (f"城市数 = {corr.n}" if zh else f"n = {corr.n}"),
                transform=ax.transAxes, va="top", fontsize=9, linespacing=1.4, bbox=_BOX)
    fig.tight_layout()
    return fig
