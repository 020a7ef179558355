"""The tests of notebook 05: group means, Kruskal-Wallis and Jonckheere-Terpstra, and Holm's correction of a family.

Re-exported by :mod:`cityeval.analysis.regional`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame, check_integer, check_sample, check_seed

__all__ = ["group_means", "kruskal_wallis", "KruskalWallisResult", "jonckheere_terpstra", "JonckheereTerpstraResult",
           "kruskal_wallis_by", "jonckheere_terpstra_by", "result_table", "holm", "ZONE_ORDER"]

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
        Rank epsilon-squared, H / (n - 1) (the formula of Tomczak & Tomczak 2014, p. 24, after Kelley 1935).
        The bands often read with it, 0.01 small, 0.08 medium, 0.26 large, are a rule of thumb of
        Mangiafico's *rcompanion* handbook (Kruskal-Wallis chapter), not Tomczak & Tomczak's.
    eta2 : float
        (H - k + 1) / (n - k).
    dropped : list
        Groups left out for having fewer than ``min_size`` units, sorted.
    p_holm : float or None
        ``p_value`` adjusted by Holm's step-down method within the family of tests run together
        (:func:`kruskal_wallis_by`: one test per column); a single :func:`kruskal_wallis` is a family of
        one (``p_holm == p_value``). ``None`` only for a result built by hand without a family.
    method : str
        The test, in words.
    """

    statistic: float
    p_value: float
    k: int
    n: int
    epsilon2: float
    eta2: float
    dropped: list
    p_holm: float | None = None
    method: str = "Kruskal-Wallis H (tie-corrected), chi-squared approximation with k - 1 df"


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
                               eta2=float((h - k + 1) / (n - k)), dropped=dropped, p_holm=float(p))


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
    p_holm : float or None
        ``p_value`` adjusted by Holm's method within the family tested together
        (:func:`jonckheere_terpstra_by`: one test per column); a single test is a family of one.
        ``None`` only for a result built by hand.
    alternative : str
        ``"increasing"``: scores rise along the order (one-sided).
    """

    statistic: float
    expected: float
    z: float
    p_value: float
    group_sizes: dict
    p_holm: float | None = None
    alternative: str = "increasing"


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
    out = []
    for jc, pc in zip(j, perm):
        p = float((1 + (pc >= jc).sum()) / (1 + n_perm))
        out.append(JonckheereTerpstraResult(statistic=float(jc), expected=float(expected),
                                            z=float((jc - expected) / np.sqrt(var)), p_value=p,
                                            group_sizes={lab: int(s) for lab, s in zip(order, sizes)}, p_holm=p))
    return out


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
    """:func:`kruskal_wallis` of every column of ``scores``: ``{names.get(column, column): result}``, in column order,
    with ``p_holm`` adjusted over the columns (one family, :func:`holm`).

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
    return holm({names.get(c, c): kruskal_wallis(scores[c], groups, min_size=min_size) for c in scores.columns})


def jonckheere_terpstra_by(scores: pd.DataFrame, groups, *, order, names: dict | None = None, n_perm: int = 5000,
                           seed: int = 0) -> dict:
    """:func:`jonckheere_terpstra` of every column of ``scores`` (each with the same ``seed``):
    ``{names.get(column, column): result}``, in column order, with ``p_holm`` adjusted over the columns
    (:func:`holm`); ``names`` as for :func:`kruskal_wallis_by`.

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
    return holm({names.get(c, c): res for c, res in zip(scores.columns, results)})


def holm(results: dict) -> dict:
    r"""The same results with ``p_holm`` set by Holm's step-down correction over all of them (one family).

    Parameters
    ----------
    results : dict
        ``{name: result}``, each a named result with ``p_value`` and a ``p_holm`` field
        (:class:`KruskalWallisResult`, :class:`JonckheereTerpstraResult`).

    Returns
    -------
    dict
        New results, in the same order, with ``p_holm`` equal to
        ``statsmodels.stats.multitest.multipletests(p, method="holm")[1]`` (the tests check it).

    Notes
    -----
    Holm (1979): with the m p-values sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`, the adjusted value of
    :math:`p_{(i)}` is :math:`\min(1, \max_{j \le i} (m - j + 1) p_{(j)})`; rejecting where it is below
    alpha controls the family-wise error rate at alpha under any dependence between the tests. It lies
    between the raw p-value and m times it. Written out here rather than called from statsmodels, whose
    Holm branch runs a full garbage collection on every call (about 0.14 s, 0.3 s per ensemble panel).

    Examples
    --------
    >>> r = {c: JonckheereTerpstraResult(1.0, 0.0, 0.0, p, {}) for c, p in zip("abc", [0.01, 0.04, 0.03])}
    >>> [round(x.p_holm, 3) for x in holm(r).values()]
    [0.03, 0.06, 0.06]
    """
    if not isinstance(results, dict) or not all(hasattr(r, "p_value") and hasattr(r, "p_holm")
                                                for r in results.values()):
        raise ParameterError("results", "a dict of named results with p_value and p_holm", Shown(type(results).__name__))
    if not results:
        return {}
    p = np.array([r.p_value for r in results.values()], dtype=float)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1)))
    return {key: replace(res, p_holm=float(a)) for (key, res), a in zip(results.items(), adjusted)}


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
