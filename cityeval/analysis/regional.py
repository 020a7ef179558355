"""Regional patterns: do scores differ between regions, and is it "east high, west low"?

The report (Ch. 2 §3, Fig. 7) reads its regional means as "东高西低" (east high,
west low) and ranks regions per dimension. This module gives the statistics
notebook 05 uses: region means against the national mean, the Kruskal–Wallis
test of any difference between groups with its effect size, and the
Jonckheere–Terpstra test of an *ordered* difference (east > central > west),
which is the hypothesis "east high, west low" actually states.

* :func:`group_means` — means per group and the national mean;
* :func:`kruskal_wallis` (a :class:`KruskalWallisResult`) and
  :func:`jonckheere_terpstra` (a :class:`JonckheereTerpstraResult`);
  :func:`kruskal_wallis_by` and :func:`jonckheere_terpstra_by` run them on every
  column of a score table, :func:`result_table` shows them side by side;
* :func:`require_groups`, :func:`display_names`, :func:`regions_in`, :func:`report_statements` and
  :func:`conclusions` — notebook 05's study: the report's regional statements
  checked on the data at hand, and the conclusions the tests support;
* :func:`ensemble_statistics`, :func:`ensemble_labels`, :func:`ensemble_conclusions` and
  :class:`RegionalStatistics` (the callable for an ensemble summary) — those tests as numbers of
  one panel, compared across the ensemble of panels fitting the published ranks;
  :func:`order_is_published` says whether the composite's order among the cities kept is the
  published one (then its rank tests are decided by the published ranks alone).

Notes
-----
The tests treat the cities as independent draws from their group's
distribution. A top-``n`` selection (the report's top 100) is not a random
sample of a region's cities: the tests then describe the selected cities.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_frame, check_integer, check_number, check_sample, check_seed

__all__ = ["group_means", "kruskal_wallis", "KruskalWallisResult", "jonckheere_terpstra", "JonckheereTerpstraResult",
           "kruskal_wallis_by", "jonckheere_terpstra_by", "result_table", "ZONE_ORDER",
           "require_groups", "display_names", "SHORT_NAMES", "regions_in", "report_statements", "conclusions",
           "RegionalConclusions", "N_DETAILED_STATEMENTS", "ENSEMBLE_PERMUTATIONS", "ensemble_statistics",
           "ensemble_labels", "ensemble_conclusions", "RegionalStatistics", "order_is_published"]

#: The report appendix's four zones from west to east, the order "east high, west low" implies
#: (the northeast is a separate zone; it has no place on a west-east line and is left out of the trend test).
ZONE_ORDER = ("西部", "中部", "东部")


def _aligned_groups(groups, index, units: str = "unit") -> pd.Series:
    """``groups`` (a label per unit, each unit once) aligned to ``index``; a DataError naming the units
    repeated or without a label."""
    if groups is None or isinstance(groups, (str, bytes)) or np.isscalar(groups):
        raise ParameterError("groups", f"a pandas Series: a group label per {units}", groups)
    groups = pd.Series(groups)
    for labels, whose in ((index, "values'" if units == "unit" else "scores'"), (groups.index, "groups'")):
        if labels.has_duplicates:
            raise DataError(None, f"{units} labels (the {whose} index) must be unique: each {units} has one group",
                            detail=f"repeated: {', '.join(map(str, labels[labels.duplicated()].unique()[:5]))}")
    groups = groups.reindex(index)
    if groups.isna().any():
        missing = list(index[groups.isna()][:3])
        raise DataError(None, f"groups: every {units} needs a group label", detail=f"no label for {missing}")
    return groups


def _check(values, groups):
    """``values`` as a float Series (finite) and ``groups`` aligned to it (a label for every unit)."""
    check_sample(values, name="values", what="one score per unit")
    values = pd.Series(values, dtype=float)
    return values, _aligned_groups(groups, values.index)


def group_means(scores: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Mean of every column per group, with the overall mean as the row ``"national"``.

    Parameters
    ----------
    scores : pandas.DataFrame
        Units x score columns, complete and finite.
    groups : pandas.Series
        A group label per unit (aligned by index).

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted by name) plus ``national``; a column ``n`` with the group sizes.

    Raises
    ------
    ParameterError
        ``scores`` is not a DataFrame, ``groups`` not a Series.
    DataError
        A missing or infinite score, a repeated unit, or a unit without a group label.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"s": [1.0, 3.0, 5.0]}, index=["a", "b", "c"])
    >>> group_means(scores, pd.Series({"a": "X", "b": "X", "c": "Y"}))
                s  n
    X         2.0  2
    Y         5.0  1
    national  3.0  3
    """
    check_frame(scores, name="scores", rows="unit", columns="score", complete=True, unique_index=True,
                why="a group mean with a missing unit is the mean of the other units")
    groups = _aligned_groups(groups, scores.index, units="city")
    means = scores.groupby(groups).mean()
    means["n"] = groups.value_counts()
    overall = scores.mean().to_frame("national").T
    overall["n"] = len(scores)
    return pd.concat([means.sort_index(), overall])


@dataclass(frozen=True)
class KruskalWallisResult:
    """The Kruskal–Wallis H test (:func:`kruskal_wallis`).

    Attributes
    ----------
    statistic : float
        H (with scipy's tie correction).
    p_value : float
        From the chi-squared approximation with k - 1 degrees of freedom.
    k : int
        Groups used.
    n : int
        Units in them.
    epsilon2 : float
        Rank epsilon-squared, H / (n - 1) (Tomczak & Tomczak 2014).
    eta2 : float
        (H - k + 1) / (n - k).
    dropped : list
        Groups left out for having fewer than ``min_size`` units, sorted.
    """

    statistic: float
    p_value: float
    k: int
    n: int
    epsilon2: float
    eta2: float
    dropped: list


def kruskal_wallis(values, groups, *, min_size: int = 2) -> KruskalWallisResult:
    """Kruskal–Wallis H test across groups, with the effect size epsilon-squared.

    Parameters
    ----------
    values : Series
        One score per unit, finite.
    groups : Series
        Group label per unit (same index).
    min_size : int, default 2
        Groups with fewer units are left out (and listed in the result).

    Returns
    -------
    KruskalWallisResult

    Raises
    ------
    DataError
        A NaN or infinite score, a repeated unit, or a unit without a group label; fewer than two
        groups with ``min_size`` units (a property of the data); every value of those groups the same
        (H is then 0/0: no ranking to compare; the error names ``values.name``, the column).
    ParameterError
        ``min_size`` not a whole number >= 1; ``groups`` not a sequence of labels.

    References
    ----------
    Kruskal, W. H. & Wallis, W. A. (1952). JASA 47: 583–621.
    Tomczak, M. & Tomczak, E. (2014). Trends in Sport Sciences 1(21): 19–25.

    Examples
    --------
    >>> import pandas as pd
    >>> res = kruskal_wallis(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9]), pd.Series(list("AAABBBCCC")))
    >>> round(res.statistic, 6), round(res.epsilon2, 3), res.k, res.n
    (7.2, 0.9, 3, 9)
    """
    min_size = check_integer("min_size", min_size, low=1)
    values, groups = _check(values, groups)
    sizes = groups.value_counts()
    keep = sizes.index[sizes >= min_size]
    dropped = sorted(set(sizes.index) - set(keep))
    samples = [values[groups == g].to_numpy() for g in sorted(keep)]
    column = None if values.name is None else str(values.name)
    if len(samples) < 2:
        raise DataError(None, f"Kruskal-Wallis needs at least two groups with {min_size}+ units", column=column,
                        detail=f"group sizes {dict(sizes)}")
    pooled = np.concatenate(samples)
    if (pooled == pooled[0]).all():
        raise DataError(None, "Kruskal-Wallis needs values that differ: every value is the same, so H is 0/0 "
                        "(undefined)", column=column, detail=f"all {len(pooled)} values are {pooled[0]:g}")
    h, p = stats.kruskal(*samples)
    n = int(sum(len(s) for s in samples))
    k = len(samples)
    return KruskalWallisResult(statistic=float(h), p_value=float(p), k=k, n=n, epsilon2=float(h / (n - 1)),
                               eta2=float((h - k + 1) / (n - k)), dropped=dropped)


@dataclass(frozen=True)
class JonckheereTerpstraResult:
    """The Jonckheere–Terpstra test for an ordered alternative (:func:`jonckheere_terpstra`).

    Attributes
    ----------
    statistic : float
        J.
    expected : float
        E[J] under H0.
    z : float
        (J - E[J]) / sd[J], normal approximation without tie correction.
    p_value : float
        One-sided permutation p-value, (1 + #{J* >= J}) / (1 + n_perm).
    group_sizes : dict
        Units per group, in the expected order.
    """

    statistic: float
    expected: float
    z: float
    p_value: float
    group_sizes: dict


def jonckheere_terpstra(values, groups, *, order, n_perm: int = 5000, seed: int = 0) -> JonckheereTerpstraResult:
    """Jonckheere–Terpstra test for an ordered alternative (scores increase along ``order``).

    Parameters
    ----------
    values, groups : Series
        Scores (finite) and group labels; units whose group is not in ``order`` are left out.
    order : sequence
        Group labels from the one expected lowest to the one expected highest.
    n_perm : int, default 5000
        Permutations of the group labels for the one-sided p-value (a whole number >= 1).
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`, 0 ... 2**32 - 1.

    Returns
    -------
    JonckheereTerpstraResult

    Raises
    ------
    DataError
        A NaN or infinite score, a repeated unit, or a unit without a group label.
    ParameterError
        ``order`` with fewer than two distinct labels or a label absent from ``groups``; a bad
        ``n_perm`` or ``seed``.

    Notes
    -----
    J = sum over ordered pairs of groups (i < j) of #{(x, y): x in group i, y in group j, x < y}
    + 0.5 #{x = y}. Under H0, E[J] = (N^2 - sum n_i^2) / 4 and
    Var[J] = (N^2 (2N + 3) - sum n_i^2 (2 n_i + 3)) / 72.

    References
    ----------
    Jonckheere, A. R. (1954). Biometrika 41: 133–145. Terpstra, T. J. (1952). Indagationes Math. 14: 327–333.

    Examples
    --------
    >>> import pandas as pd
    >>> res = jonckheere_terpstra(pd.Series([1.0, 2, 3, 4]), pd.Series(list("AABB")), order=["A", "B"], n_perm=99)
    >>> res.statistic, res.expected, round(res.z, 4), res.group_sizes
    (4.0, 2.0, 1.5492, {'A': 2, 'B': 2})
    """
    values, groups = _check(values, groups)
    return _jonckheere_columns(values.to_frame(), groups, order=order, n_perm=n_perm, seed=seed)[0]


def _jonckheere_columns(scores: pd.DataFrame, groups: pd.Series, *, order, n_perm, seed) -> list:
    """:func:`jonckheere_terpstra` of every column of ``scores`` (finite, ``groups`` aligned to its index), all
    columns on the same permutations of the labels: the p-values are those of one call per column with this
    ``seed`` (each call would draw the same permutations), for the cost of one draw."""
    n_perm = check_integer("n_perm", n_perm, low=1, allowed="a positive whole number")
    seed = check_seed(seed)
    order = list(order)
    if len(order) < 2 or len(set(order)) != len(order):
        raise ParameterError("order", "at least two distinct group labels", order)
    mask = groups.isin(order)
    x = scores[mask].to_numpy(dtype=float).T                             # (columns, n)
    g = groups[mask].map({lab: i for i, lab in enumerate(order)}).to_numpy()
    sizes = np.bincount(g, minlength=len(order))
    if (sizes == 0).any():
        raise ParameterError("order", f"labels present in groups ({sorted(set(groups))})", order)

    less = (x[:, :, None] < x[:, None, :]) + 0.5 * (x[:, :, None] == x[:, None, :])   # (columns, n, n)
    j = _jt_statistics_many(less, g[None, :], len(order))[:, 0]
    n = x.shape[1]
    expected = (n * n - (sizes ** 2).sum()) / 4
    var = (n * n * (2 * n + 3) - (sizes ** 2 * (2 * sizes + 3)).sum()) / 72
    rng = np.random.default_rng(seed)
    perm = np.empty((len(x), int(n_perm)))
    block = max(1, _JT_BLOCK // max(1, n * len(x)))
    for lo in range(0, int(n_perm), block):
        labels = np.stack([rng.permutation(g) for _ in range(lo, min(int(n_perm), lo + block))])
        perm[:, lo:lo + len(labels)] = _jt_statistics_many(less, labels, len(order))
    return [JonckheereTerpstraResult(statistic=float(jc), expected=float(expected),
                                     z=float((jc - expected) / np.sqrt(var)),
                                     p_value=float((1 + (pc >= jc).sum()) / (1 + n_perm)),
                                     group_sizes={lab: int(s) for lab, s in zip(order, sizes)})
            for jc, pc in zip(j, perm)]


def _by_columns(scores, names) -> dict:
    """``names`` (``{column: display name}``, default none) after checking ``scores`` is a DataFrame and
    every key of ``names`` is one of its columns."""
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = units, columns = scores)", Shown(type(scores).__name__))
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise ParameterError("names", "a dict {column: display name} or None", Shown(type(names).__name__))
    unknown = [k for k in names if k not in scores.columns]
    if unknown:
        raise ParameterError("names", f"a dict keyed by columns of scores ({', '.join(map(str, scores.columns))})",
                             Shown(f"a dict with the unknown key(s) {', '.join(map(repr, unknown))}"))
    shown = [names.get(c, c) for c in scores.columns]
    if len(set(shown)) != len(shown):
        raise ParameterError("names", "a display name per column, each used once (the results are keyed by them)",
                             Shown(f"a dict giving {sorted({str(n) for n in shown if shown.count(n) > 1})} twice"))
    return names


def kruskal_wallis_by(scores: pd.DataFrame, groups, *, names: dict | None = None, min_size: int = 2) -> dict:
    """:func:`kruskal_wallis` of every column of ``scores``: ``{names.get(column, column): result}``, in column order.

    ``names`` maps columns to display names; a key that is not a column of ``scores`` is refused
    (ParameterError), as are two columns given the same name.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 3, 2, 1]})
    >>> list(kruskal_wallis_by(s, pd.Series(list("XXYY")), names={"a": "A"}))
    ['A', 'b']
    """
    names = _by_columns(scores, names)
    return {names.get(c, c): kruskal_wallis(scores[c], groups, min_size=min_size) for c in scores.columns}


def jonckheere_terpstra_by(scores: pd.DataFrame, groups, *, order, names: dict | None = None, n_perm: int = 5000,
                           seed: int = 0) -> dict:
    """:func:`jonckheere_terpstra` of every column of ``scores`` (each with the same ``seed``):
    ``{names.get(column, column): result}``, in column order; ``names`` as for :func:`kruskal_wallis_by`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"a": [1.0, 2, 3, 4]})
    >>> jonckheere_terpstra_by(s, pd.Series(list("XXYY")), order="XY", n_perm=9)["a"].statistic
    4.0
    """
    names = _by_columns(scores, names)
    for c in scores.columns:
        _check(scores[c], groups)                     # every column finite; groups: a label per unit
    results = _jonckheere_columns(scores, _aligned_groups(groups, scores.index), order=order, n_perm=n_perm, seed=seed)
    return {names.get(c, c): res for c, res in zip(scores.columns, results)}


def result_table(results: dict, columns) -> pd.DataFrame:
    """Named results side by side: one row per key of ``results``, one column per field in ``columns``.

    Raises
    ------
    ParameterError
        ``results`` is not a dict of named results (dataclasses), or a name of ``columns`` is not a
        field of each of them.

    Examples
    --------
    >>> import pandas as pd
    >>> r = kruskal_wallis_by(pd.DataFrame({"a": [1.0, 2, 3, 4]}), pd.Series(list("XXYY")))
    >>> result_table(r, ["k", "n"])
       k  n
    a  2  4
    """
    if not isinstance(results, dict) or not all(is_dataclass(r) and not isinstance(r, type) for r in results.values()):
        raise ParameterError("results", "a dict of named results, e.g. from kruskal_wallis_by",
                             Shown(type(results).__name__))
    if columns is None or isinstance(columns, (str, bytes)) or not hasattr(columns, "__iter__"):
        raise ParameterError("columns", "a sequence of field names", columns)
    columns = list(columns)
    for res in results.values():
        names = [f.name for f in fields(res)]
        unknown = [c for c in columns if c not in names]
        if unknown:
            raise ParameterError("columns", f"fields of {type(res).__name__} ({', '.join(names)})", unknown)
    return pd.DataFrame.from_dict({key: {c: getattr(res, c) for c in columns} for key, res in results.items()},
                                  orient="index")


# permutations per block of the J-T statistic, scaled by 1/n: a block's matrices stay near a few MiB
_JT_BLOCK = 200_000


def _jt_statistics(less: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """J for each row of ``labels`` (group numbers 0..k-1 in the expected order), all rows at once.

    ``less[a, c]`` is 1 when x_a < x_c, 0.5 when equal. J = sum over units a, c of
    less[a, c] [g(a) < g(c)] = sum over a of (less @ U)[a, g(a)] with U[c, i] = [g(c) > i]: one
    matrix product for the whole block. Every term is a multiple of 0.5 and the sums stay far
    below 2**52, so the result is exact whatever the order of summation.
    """
    return _jt_statistics_many(less[None], labels, k)[0]


def _jt_statistics_many(less: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """:func:`_jt_statistics` for several samples on the same units: ``less`` of shape (samples, n, n);
    returns (samples, rows of ``labels``), with one matrix product for all of them."""
    s, n = less.shape[0], less.shape[1]
    m = labels.shape[0]
    up = (labels[:, :, None] > np.arange(k - 1)).astype(float)          # (m, n, k-1)
    lu = (less.reshape(s * n, n) @ up.transpose(1, 0, 2).reshape(n, m * (k - 1))).reshape(s, n, m, k - 1)
    g = labels.T                                                         # (n, m)
    idx = np.broadcast_to(np.minimum(g, k - 2)[None, :, :, None], (s, n, m, 1))
    picked = np.take_along_axis(lu, idx, axis=3)[..., 0]                 # (s, n, m)
    return np.where(g[None] < k - 1, picked, 0.0).sum(axis=1)


#: Most permutations of the Jonckheere-Terpstra test per ensemble panel (:func:`ensemble_statistics`): 500 keep a
#: panel's seven tests near 0.1 s, with a Monte Carlo standard error of a p-value of at most
#: sqrt(0.25 / 500) = 0.022 (sqrt(0.05 * 0.95 / 500) = 0.010 at p = 0.05). The notebook's own tables use its ``n_perm``.
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
        Permutations and seed of every Jonckheere-Terpstra test (:func:`jonckheere_terpstra`; use at
        most :data:`ENSEMBLE_PERMUTATIONS` for an ensemble).

    Returns
    -------
    dict
        ``kw_dims`` (dimensions with a Kruskal-Wallis p < ``alpha`` across regions), ``jt_dims``
        (dimensions with a Jonckheere-Terpstra p < ``alpha`` for west < central < east),
        ``statements`` (how many of the report's :data:`N_DETAILED_STATEMENTS` detailed statements
        hold, :func:`report_statements`), ``epsilon2_max`` (the largest ε² of a dimension),
        ``kw_p_composite``, ``epsilon2_composite`` and ``jt_p_composite`` (the same tests of the
        composite); floats, in that order.

    Raises
    ------
    ParameterError, DataError
        As :func:`kruskal_wallis_by`, :func:`jonckheere_terpstra_by` and :func:`report_statements`
        raise them (a code of ``dims`` or ``composite`` that is not a column is a ParameterError).

    Notes
    -----
    Both tests use only the order of the scores. When the cities are the published top 100, the
    composite's order among them is published, so the composite's three values are the same on
    every panel that reproduces it (with the same seed): the published ranks decide them.

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
    checks = report_statements(means, jt, dims=dims, names=names, alpha=alpha, regions=regions_in(means, regions))
    detailed = checks["holds on these data"].iloc[:len(checks) - len(dims)]
    comp = names[composite]
    return {"kw_dims": float(sum(kw[names[d]].p_value < alpha for d in dims)),
            "jt_dims": float(sum(jt[names[d]].p_value < alpha for d in dims)),
            "statements": float(detailed.sum()),
            "epsilon2_max": float(max(kw[names[d]].epsilon2 for d in dims)),
            "kw_p_composite": kw[comp].p_value, "epsilon2_composite": kw[comp].epsilon2,
            "jt_p_composite": jt[comp].p_value}


def ensemble_labels(*, n_dims: int, n_perm: int, alpha: float) -> dict:
    """Labels of :func:`ensemble_statistics`' values for tables and figures (``n_dims`` dimensions,
    ``n_perm`` permutations per Jonckheere-Terpstra test, level ``alpha``)."""
    n_dims = check_integer("n_dims", n_dims, low=1)
    n_perm = check_integer("n_perm", n_perm, low=1)
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    return {"kw_dims": f"dimensions differing between regions (Kruskal–Wallis p < {alpha:g}), of {n_dims}",
            "jt_dims": f"dimensions rising west → east (Jonckheere–Terpstra p < {alpha:g}, {n_perm} permutations), "
                       f"of {n_dims}",
            "statements": f"the report's detailed regional statements that hold, of {N_DETAILED_STATEMENTS}",
            "epsilon2_max": "largest effect ε² of a dimension across regions",
            "kw_p_composite": "composite: Kruskal–Wallis p-value across regions",
            "epsilon2_composite": "composite: effect ε² across regions",
            "jt_p_composite": f"composite: Jonckheere–Terpstra p-value west → east ({n_perm} permutations)"}


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


def ensemble_conclusions(*, alpha: float, n_dims: int, composite_published: bool = False) -> dict:
    """The yes/no statements of notebook 05, as tests of one panel's :func:`ensemble_statistics`:
    ``{text: (test(stats) -> bool, basis)}`` (the bases of ``cityeval.notebook.spread``).

    ``composite_published`` (:func:`order_is_published`): the composite's order among the cities
    kept is the published one, so its two rank tests have the basis ``"published"`` (the same on
    every panel that fits the published ranks); otherwise, like every dimension's, ``"model"``.

    Examples
    --------
    >>> tests = ensemble_conclusions(alpha=0.05, n_dims=6, composite_published=True)
    >>> s = {"kw_dims": 2.0, "jt_dims": 6.0, "statements": 3.0, "kw_p_composite": 0.2, "jt_p_composite": 0.01}
    >>> [t(s) for t, _ in tests.values()], [basis for _, basis in tests.values()][:3]
    ([False, True, True, True, False], ['published', 'published', 'model'])
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    n_dims = check_integer("n_dims", n_dims, low=1)
    composite = "published" if check_bool("composite_published", composite_published) else "model"
    tests = {
        f"the composite differs between regions (Kruskal–Wallis p < {alpha:g})": lambda s: s["kw_p_composite"] < alpha,
        f"the composite rises from west to east (Jonckheere–Terpstra p < {alpha:g})":
            lambda s: s["jt_p_composite"] < alpha,
        f"at least one dimension differs between regions (Kruskal–Wallis p < {alpha:g})": lambda s: s["kw_dims"] >= 1,
        f"every dimension rises from west to east (the report's 东高西低 for all {n_dims}, "
        f"Jonckheere–Terpstra p < {alpha:g})": lambda s: s["jt_dims"] == n_dims,
        f"all {N_DETAILED_STATEMENTS} of the report's detailed regional statements hold":
            lambda s: s["statements"] == N_DETAILED_STATEMENTS,
    }
    return {text: (test, composite if text.startswith("the composite") else "model") for text, test in tests.items()}


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
        Permutations per Jonckheere-Terpstra test; at most :data:`ENSEMBLE_PERMUTATIONS` are used
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

    def conclusions(self) -> dict:
        """:func:`ensemble_conclusions` of these statistics."""
        return ensemble_conclusions(alpha=self.alpha, n_dims=len(self.dims),
                                    composite_published=self.composite_published)


from cityeval.analysis._regional_findings import (N_DETAILED_STATEMENTS, RegionalConclusions,  # noqa: E402
                                                   SHORT_NAMES, conclusions, display_names, regions_in,
                                                   report_statements, require_groups)
