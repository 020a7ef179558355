"""Notebook 05's tests as numbers of one panel, for the ensemble of panels fitting the published ranks.

Re-exported by :mod:`cityeval.analysis.regional`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityeval.analysis._regional_findings import (_BELOW, N_DETAILED_STATEMENTS, display_names, regions_in,
                                                  report_statements)
from cityeval.analysis._regional_posthoc import REPORT_COMPARISONS, national_mean_tests
from cityeval.analysis._regional_tests import ZONE_ORDER, group_means, jonckheere_terpstra_by, kruskal_wallis_by
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_integer, check_number, check_seed

__all__ = ["ENSEMBLE_PERMUTATIONS", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions",
           "RegionalStatistics", "order_is_published", "ensemble_zh"]

#: Most permutations of a permutation test (Jonckheere-Terpstra, national mean) per ensemble panel
#: (:func:`ensemble_statistics`): 500 keep a panel's tests near 0.1 s, with a Monte Carlo standard error of a p-value of
#: at most sqrt(0.25 / 500) = 0.022 (sqrt(0.05 * 0.95 / 500) = 0.010 at p = 0.05). The notebook's own tables use its
#: ``n_perm``.
ENSEMBLE_PERMUTATIONS = 500


def ensemble_statistics(scores: pd.DataFrame, region, zone, *, dims, composite: str, regions, alpha: float,
                        n_perm: int, seed: int) -> dict:
    """Notebook 05's regional tests on one panel, as numbers, for the ensemble of panels fitting the published ranks.

    The same function gives the nominal panel's values and every member's.

    Parameters
    ----------
    scores : pandas.DataFrame
        Cities x codes: the columns of ``dims`` and ``composite`` (others are ignored); complete, finite.
    region, zone : pandas.Series
        Region (the appendix's 常规地区) and zone (四大地带) of every city.
    dims : sequence of str
        The six dimension codes (``INF`` ... ``LOW``).
    composite : str
        The composite's code.
    regions : sequence of str
        The regions in the appendix's order (e.g. ``cityeval.ccid2022.reference.REGIONS``);
        those with cities here are compared (:func:`regions_in`).
    alpha : float
        Significance level, in (0, 1).
    n_perm, seed : int
        Permutations and seed of every permutation test (:func:`jonckheere_terpstra`,
        :func:`national_mean_test`; use at most :data:`ENSEMBLE_PERMUTATIONS` for an ensemble).

    Returns
    -------
    dict
        ``kw_dims`` (dimensions with a Holm-adjusted Kruskal-Wallis p < ``alpha`` across regions, the
        family being the dimensions and the composite), ``jt_dims`` (the same for Jonckheere-Terpstra,
        west < central < east), ``statements`` (how many of the report's :data:`N_DETAILED_STATEMENTS`
        detailed statements hold, :func:`report_statements`), ``inf_below_p`` (the larger of the two
        one-sided permutation p-values of 西北 and 东北 below the national mean on ``INF``: "significantly
        below" holds for both when it is < ``alpha``), ``epsilon2_max`` (the largest ε² of a dimension),
        ``kw_p_composite``, ``kw_holm_composite``, ``epsilon2_composite``, ``jt_p_composite`` and
        ``jt_holm_composite`` (the composite's raw and Holm-adjusted p-values); floats, in that order.

    Raises
    ------
    ParameterError, DataError
        As :func:`kruskal_wallis_by`, :func:`jonckheere_terpstra_by` and :func:`report_statements`
        raise them (a code of ``dims`` or ``composite`` that is not a column is a ParameterError).

    Notes
    -----
    Both rank tests use only the order of the scores. When the cities are the published top 100, the
    composite's order among them is published, so its raw p-values and ε² are the same on every panel
    that reproduces it (with the same seed): the published ranks decide them. Its Holm-adjusted p-values
    also depend on the dimensions' p-values (they lie between p and 7 p).

    Examples
    --------
    >>> import numpy as np
    >>> cities = [f"c{i}" for i in range(12)]
    >>> region = pd.Series(["华东", "西南", "西北", "东北", "中南", "华北"] * 2, index=cities)
    >>> zone = pd.Series(["东部", "西部", "西部", "东北", "中部", "东部"] * 2, index=cities)
    >>> dims = ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
    >>> rng = np.random.default_rng(0)
    >>> scores = pd.DataFrame(rng.uniform(size=(12, 7)), index=cities, columns=dims + ["INDEX"])
    >>> s = ensemble_statistics(scores, region, zone, dims=dims, composite="INDEX", regions=list(region.unique()),
    ...                         alpha=0.05, n_perm=99, seed=0)
    >>> list(s)[:3], 0 <= s["kw_dims"] <= 6
    (['kw_dims', 'jt_dims', 'statements'], True)
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    dims = list(dims) if dims is not None and not isinstance(dims, str) else dims
    if not isinstance(dims, list) or not dims:
        raise ParameterError("dims", "a non-empty sequence of dimension codes", dims)
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = codes)",
                             Shown(type(scores).__name__))
    cols = dims + [composite]
    absent = [c for c in cols if c not in scores.columns]
    if absent:
        raise ParameterError("dims/composite", f"columns of scores ({', '.join(map(str, scores.columns))})", absent)
    table = scores[cols]
    names = display_names(cols, composite=composite)
    kw = kruskal_wallis_by(table, region, names=names)
    jt = jonckheere_terpstra_by(table, zone, order=ZONE_ORDER, names=names, n_perm=n_perm, seed=seed)
    means = group_means(table, region)
    below = [c for c in REPORT_COMPARISONS if f"{c[0]}:{c[1]}" in _BELOW]
    national = national_mean_tests(table, region, below, n_perm=n_perm, seed=seed)
    checks = report_statements(means, jt, dims=dims, names=names, alpha=alpha, national=national,
                               regions=regions_in(means, regions))
    detailed = checks["holds on these data"].iloc[:len(checks) - len(dims)]
    comp = names[composite]
    return {"kw_dims": float(sum(kw[names[d]].p_holm < alpha for d in dims)),
            "jt_dims": float(sum(jt[names[d]].p_holm < alpha for d in dims)),
            "statements": float(detailed.sum()),
            "inf_below_p": float(max(r.p_value for r in national.values())),
            "epsilon2_max": float(max(kw[names[d]].epsilon2 for d in dims)),
            "kw_p_composite": kw[comp].p_value, "kw_holm_composite": kw[comp].p_holm,
            "epsilon2_composite": kw[comp].epsilon2,
            "jt_p_composite": jt[comp].p_value, "jt_holm_composite": jt[comp].p_holm}


def ensemble_labels(*, n_dims: int, n_perm: int, alpha: float) -> dict:
    """Labels of :func:`ensemble_statistics`' values for tables and figures (``n_dims`` dimensions,
    ``n_perm`` permutations per Jonckheere-Terpstra test, level ``alpha``)."""
    n_dims = check_integer("n_dims", n_dims, low=1)
    n_perm = check_integer("n_perm", n_perm, low=1)
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    return {"kw_dims": f"dimensions differing between regions (Kruskal–Wallis, Holm-adjusted p < {alpha:g}), "
                       f"of {n_dims}",
            "jt_dims": f"dimensions rising west → east (Jonckheere–Terpstra, Holm-adjusted p < {alpha:g}, {n_perm} "
                       f"permutations), of {n_dims}",
            "statements": f"the report's detailed regional statements that hold, of {N_DETAILED_STATEMENTS}",
            "inf_below_p": f"INF: larger one-sided p of Northwest and Northeast below the national mean ({n_perm} "
                           "permutations)",
            "epsilon2_max": "largest effect ε² of a dimension across regions",
            "kw_p_composite": "composite: Kruskal–Wallis p-value across regions",
            "kw_holm_composite": "composite: Kruskal–Wallis p-value, Holm-adjusted",
            "epsilon2_composite": "composite: effect ε² across regions",
            "jt_p_composite": f"composite: Jonckheere–Terpstra p-value west → east ({n_perm} permutations)",
            "jt_holm_composite": "composite: Jonckheere–Terpstra p-value, Holm-adjusted"}


def order_is_published(ranks: pd.Series, published: pd.DataFrame, *, top_n: int) -> bool:
    """Whether the order of the top ``top_n`` cities by ``ranks`` is the published one.

    True when ``top_n`` is at most the published list's length, every city of the list holds its
    published rank in ``ranks`` and no other city ranks within the list. The composite's rank tests
    of :func:`ensemble_statistics` (Kruskal-Wallis and Jonckheere-Terpstra use only the order, the
    regions are the appendix's) are then decided by the published ranks alone.

    Parameters
    ----------
    ranks : pandas.Series
        Rank (1 = best) of every city of the panel, by city.
    published : pandas.DataFrame
        The published list: columns ``city`` and ``rank`` (e.g. the report's Table 3, the overall top 100).
    top_n : int
        The cities kept, by rank.

    Examples
    --------
    >>> table = pd.DataFrame({"city": ["a", "b"], "rank": [1, 2]})
    >>> ranks = pd.Series({"a": 1, "b": 2, "c": 3})
    >>> order_is_published(ranks, table, top_n=2), order_is_published(ranks, table, top_n=3)
    (True, False)
    >>> order_is_published(pd.Series({"a": 2, "b": 1, "c": 3}), table, top_n=2)
    False
    """
    top_n = check_integer("top_n", top_n, low=1)
    if not isinstance(ranks, pd.Series):
        raise ParameterError("ranks", "a pandas Series of ranks by city", Shown(type(ranks).__name__))
    if not isinstance(published, pd.DataFrame) or not {"city", "rank"} <= set(published.columns):
        raise ParameterError("published", "a DataFrame with the columns city and rank (a published list)",
                             Shown(type(published).__name__))
    if top_n > len(published):
        return False
    listed = ranks.reindex(published["city"])
    others = ranks.drop(index=[c for c in published["city"] if c in ranks.index])
    return bool(listed.notna().all() and listed.tolist() == published["rank"].tolist()
                and not (others <= len(published)).any())


def _composite_basis(p: float | None, *, alpha: float, family: int, published: bool) -> str:
    """``"published"`` when the composite's order is published and its raw ``p`` decides the Holm verdict whatever the
    other tests (p >= alpha: never rejects; family * p < alpha: always rejects, as Holm's adjusted p lies between p and
    family * p); otherwise ``"generator"`` (the verdict then moves with the dimensions' p-values, which no published
    table fixes)."""
    if not published or p is None:
        return "generator"
    return "published" if (p >= alpha or family * p < alpha) else "generator"


def ensemble_conclusions(*, alpha: float, n_dims: int, composite_published: bool = False,
                         composite_p: dict | None = None) -> dict:
    """The yes/no statements of notebook 05, as tests of one panel's :func:`ensemble_statistics`:
    ``{text: (test(stats) -> bool, basis, kind)}`` (the bases and kinds of ``cityeval.notebook.spread``).

    Every verdict uses the Holm-adjusted p-values (a family of ``n_dims`` + 1 tests: the dimensions and
    the composite). ``composite_published`` (:func:`order_is_published`): the composite's order among
    the cities kept is the published one, so its raw p-values are the same on every panel that fits
    the published ranks; its two conclusions then have the basis ``"published"`` when the raw p-value
    (``composite_p``: ``{"kw": p, "jt": p}``, the nominal panel's ``kw_p_composite`` and
    ``jt_p_composite``) decides the Holm verdict alone (p >= alpha or (n_dims + 1) p < alpha), else
    ``"generator"``. Every other conclusion has the basis ``"generator"``: four of the six dimensions have
    no published order, the two that have one (a top 100, a top 50) are only partly fixed among the
    cities kept, and a difference of means depends on score gaps that ranks do not fix; the same verdict
    in every panel then reflects the generator's structure, not the published ranks.

    The conclusions that are a test's rejection (Kruskal-Wallis, Jonckheere-Terpstra, the permutation
    test of "significantly below") have the kind ``"rejection"``: a test that rejects in no panel is not
    evidence against the claim (with 5-10 cities a region it has little power). The report's detailed
    statements are a count, the kind ``"claim"``.

    Examples
    --------
    >>> tests = ensemble_conclusions(alpha=0.05, n_dims=6, composite_published=True,
    ...                              composite_p={"kw": 0.2, "jt": 0.001})
    >>> s = {"kw_dims": 2.0, "jt_dims": 6.0, "statements": 3.0, "inf_below_p": 0.3, "kw_holm_composite": 0.2,
    ...      "jt_holm_composite": 0.007}
    >>> [t(s) for t, _, _ in tests.values()]
    [False, True, True, True, False, False]
    >>> [basis for _, basis, _ in tests.values()][:3], [kind for _, _, kind in tests.values()][3:]
    (['published', 'published', 'generator'], ['rejection', 'claim', 'rejection'])
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    n_dims = check_integer("n_dims", n_dims, low=1)
    published = check_bool("composite_published", composite_published)
    if composite_p is not None and (not isinstance(composite_p, dict) or set(composite_p) != {"kw", "jt"}):
        raise ParameterError("composite_p", "None or {'kw': p, 'jt': p}", Shown(repr(composite_p)))
    family = n_dims + 1
    p = composite_p or {"kw": None, "jt": None}
    holm = f"Holm-adjusted p < {alpha:g} over {family} tests"
    tests = {
        f"the composite differs between regions (Kruskal–Wallis, {holm})":
            (_Below("kw_holm_composite", alpha), _composite_basis(p["kw"], alpha=alpha, family=family,
                                                                  published=published), "rejection"),
        f"the composite rises from west to east (Jonckheere–Terpstra, {holm})":
            (_Below("jt_holm_composite", alpha), _composite_basis(p["jt"], alpha=alpha, family=family,
                                                                  published=published), "rejection"),
        f"at least one dimension differs between regions (Kruskal–Wallis, {holm})":
            (_AtLeast("kw_dims", 1), "generator", "rejection"),
        f"every dimension rises from west to east (the report's 东高西低 for all {n_dims}, Jonckheere–Terpstra, "
        f"{holm})": (_AtLeast("jt_dims", n_dims), "generator", "rejection"),
        f"all {N_DETAILED_STATEMENTS} of the report's detailed regional statements hold":
            (_AtLeast("statements", N_DETAILED_STATEMENTS), "generator", "claim"),
        f"西北 and 东北 are significantly below the national mean on information infrastructure (one-sided "
        f"permutation p < {alpha:g} each)": (_Below("inf_below_p", alpha), "generator", "rejection"),
    }
    return tests


def ensemble_zh(*, n_dims: int, n_perm: int, alpha: float) -> dict:
    """``{statistic name or conclusion text: Chinese}`` for notebook 05's ensemble summary (``summarize(zh=...)``),
    matching :func:`ensemble_labels` and :func:`ensemble_conclusions` with the same arguments.

    Examples
    --------
    >>> zh = ensemble_zh(n_dims=6, n_perm=500, alpha=0.05)
    >>> zh["epsilon2_composite"]
    '综合：区域间效应量 ε²'
    """
    family = n_dims + 1
    holm = f"{family} 项检验 Holm 校正后 p < {alpha:g}"
    labels = ensemble_labels(n_dims=n_dims, n_perm=n_perm, alpha=alpha)
    zh_labels = {
        "kw_dims": f"区域间有差异的维度数（Kruskal–Wallis，Holm 校正后 p < {alpha:g}），共 {n_dims} 个",
        "jt_dims": f"自西向东上升的维度数（Jonckheere–Terpstra，Holm 校正后 p < {alpha:g}，{n_perm} 次置换），"
                   f"共 {n_dims} 个",
        "statements": f"报告的区域细分表述中成立的条数，共 {N_DETAILED_STATEMENTS} 条",
        "inf_below_p": f"信息基础：西北、东北低于全国均值的单侧 p 值中较大者（{n_perm} 次置换）",
        "epsilon2_max": "各维度区域间效应量 ε² 的最大值",
        "kw_p_composite": "综合：区域间 Kruskal–Wallis p 值",
        "kw_holm_composite": "综合：Kruskal–Wallis p 值（Holm 校正）",
        "epsilon2_composite": "综合：区域间效应量 ε²",
        "jt_p_composite": f"综合：自西向东 Jonckheere–Terpstra p 值（{n_perm} 次置换）",
        "jt_holm_composite": "综合：Jonckheere–Terpstra p 值（Holm 校正）",
    }
    zh_conclusions = [
        f"综合得分在区域间有差异（Kruskal–Wallis，{holm}）",
        f"综合得分自西向东上升（Jonckheere–Terpstra，{holm}）",
        f"至少一个维度在区域间有差异（Kruskal–Wallis，{holm}）",
        f"每个维度都自西向东上升（报告所说全部 {n_dims} 个维度“东高西低”，Jonckheere–Terpstra，{holm}）",
        f"报告的 {N_DETAILED_STATEMENTS} 条区域细分表述全部成立",
        f"信息基础上西北、东北显著低于全国均值（单侧置换检验，各 p < {alpha:g}）",
    ]
    texts = list(ensemble_conclusions(alpha=alpha, n_dims=n_dims))
    out = {k: v for k, v in zh_labels.items() if k in labels}
    out.update(dict(zip(texts, zh_conclusions)))
    return out


@dataclass(frozen=True)
class _Below:
    """``stats[name] < value`` (a conclusion as a comparable callable; a NaN compares false)."""

    name: str
    value: float

    def __call__(self, stats: dict) -> bool:
        return bool(stats[self.name] < self.value)


@dataclass(frozen=True)
class _AtLeast:
    """``stats[name] >= value``."""

    name: str
    value: float

    def __call__(self, stats: dict) -> bool:
        return bool(stats[self.name] >= self.value)


class RegionalStatistics:
    """:func:`ensemble_statistics` of one panel, as the callable ``statistics(panel)`` an ensemble summary takes.

    A panel is anything with ``scores`` (cities x codes, the cities analysed) and ``groups(column)``
    (a label per city for ``"region"`` and ``"zone"``), e.g. a scored panel of
    :mod:`cityeval.notebook.panel`; only those are read.

    Parameters
    ----------
    dims, composite, regions, alpha, seed
        As for :func:`ensemble_statistics`.
    n_perm : int
        Permutations per permutation test; at most :data:`ENSEMBLE_PERMUTATIONS` are used
        (``self.n_perm`` says how many), to keep an ensemble of panels quick.
    composite_published : bool, default False
        As for :func:`ensemble_conclusions` (:func:`order_is_published` of the nominal panel).

    Examples
    --------
    >>> RegionalStatistics(dims=["INF"], composite="INDEX", regions=["华东"], alpha=0.05, n_perm=5000, seed=0).n_perm
    500
    """

    def __init__(self, *, dims, composite: str, regions, alpha: float, n_perm: int, seed: int,
                 composite_published: bool = False):
        self.dims = list(dims) if dims is not None and not isinstance(dims, str) else dims
        if not isinstance(self.dims, list) or not self.dims:
            raise ParameterError("dims", "a non-empty sequence of dimension codes", dims)
        self.composite = composite
        self.regions = list(regions)
        self.alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
        self.n_perm = min(check_integer("n_perm", n_perm, low=1, allowed="a positive whole number"),
                          ENSEMBLE_PERMUTATIONS)
        self.seed = check_seed(seed)
        self.composite_published = check_bool("composite_published", composite_published)

    def __call__(self, panel) -> dict:
        return ensemble_statistics(panel.scores, panel.groups("region"), panel.groups("zone"), dims=self.dims,
                                   composite=self.composite, regions=self.regions, alpha=self.alpha,
                                   n_perm=self.n_perm, seed=self.seed)

    def labels(self) -> dict:
        """:func:`ensemble_labels` of these statistics."""
        return ensemble_labels(n_dims=len(self.dims), n_perm=self.n_perm, alpha=self.alpha)

    def integer_ticks(self, fig):
        """Whole-number ticks on the axes of the counts (dimensions that differ or rise, statements that hold) of
        an ensemble figure (``EnsembleSummary.figure``, whose axes are titled with :meth:`labels`); returns ``fig``.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> stats = RegionalStatistics(dims=["INF"], composite="INDEX", regions=["华东"], alpha=0.05, n_perm=9, seed=0)
        >>> fig, ax = plt.subplots()
        >>> _ = ax.set_title(stats.labels()["jt_dims"], loc="left")
        >>> type(stats.integer_ticks(fig).axes[0].xaxis.get_major_locator()).__name__
        'MaxNLocator'
        >>> plt.close(fig)
        """
        from matplotlib.ticker import MaxNLocator

        labels = self.labels()
        zh = ensemble_zh(n_dims=len(self.dims), n_perm=self.n_perm, alpha=self.alpha)
        counts = {words[name] for name in ("kw_dims", "jt_dims", "statements") for words in (labels, zh)}
        for ax in fig.axes:
            if ax.get_title(loc="left") in counts:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return fig

    def conclusions(self, nominal=None) -> dict:
        """:func:`ensemble_conclusions` of these statistics; with the ``nominal`` panel (or its statistics, a dict),
        the composite's raw p-values there decide which of its conclusions the published ranks decide alone."""
        composite_p = None
        if nominal is not None:
            stats = nominal if isinstance(nominal, dict) else self(nominal)
            composite_p = {"kw": stats["kw_p_composite"], "jt": stats["jt_p_composite"]}
        return ensemble_conclusions(alpha=self.alpha, n_dims=len(self.dims),
                                    composite_published=self.composite_published, composite_p=composite_p)
