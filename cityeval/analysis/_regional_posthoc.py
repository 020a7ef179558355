"""Notebook 05's follow-up tests: a region against the national mean, and Dunn's pairs after Kruskal-Wallis.

"Significantly below the national mean" (the report on information infrastructure: 西北 and 东北
显著低于全国平均) is a test, not an order of two means: :func:`national_mean_test` is a one-sided
permutation test of the region's mean against the mean of the other cities (equivalently, against
the national mean, which every permutation leaves unchanged), with the one-sided Mann-Whitney U
test of the same comparison beside it. :func:`dunn_pairs` says which pairs of regions differ,
by Dunn's test with Holm's correction over the pairs, for the columns whose Kruskal-Wallis test
rejects after Holm's correction over the columns.

Re-exported by :mod:`cityeval.analysis.regional`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scikit_posthocs
from scipy import stats

from cityeval.analysis._regional_tests import _aligned_groups
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_sample, check_seed

__all__ = ["NationalMeanResult", "national_mean_test", "national_mean_tests", "require_compared_regions", "national_table", "REPORT_COMPARISONS",
           "dunn_pairs", "DUNN_COLUMNS"]

#: The report's comparisons with the national mean (Ch. 2 §3): (dimension code, region, direction). Information
#: infrastructure: 西北 and 东北 "significantly below the national mean"; livelihood: 中南, 华北 and 东北 "stand out".
REPORT_COMPARISONS = (("INF", "西北", "less"), ("INF", "东北", "less"),
                      ("LIV", "中南", "greater"), ("LIV", "华北", "greater"), ("LIV", "东北", "greater"))
#: The columns of :func:`dunn_pairs`.
DUNN_COLUMNS = ["column", "group_a", "group_b", "p_holm", "differs"]


@dataclass(frozen=True)
class NationalMeanResult:
    """A region's mean against the national mean (:func:`national_mean_test`).

    Attributes
    ----------
    statistic : float
        The region's mean minus the national mean (all cities, the region's included); the permutation test's own
        statistic, the region's mean minus the other cities', is :attr:`difference_to_rest` (the two tests are the
        same, as the national mean is fixed under every permutation of the labels).
    p_value : float
        One-sided permutation p-value of the region's mean against the other cities' mean
        (``scipy.stats.permutation_test``, the labels permuted; (1 + #{T* as extreme}) / (1 + n_perm)
        when randomized, exact when there are no more distinct splits than ``n_perm``).
    mann_whitney_p : float
        One-sided Mann-Whitney U p-value of the region against the other cities (``scipy.stats.mannwhitneyu``):
        the rank-based companion (stochastic order rather than means).
    n, n_rest : int
        Cities of the region and of the rest.
    alternative : str
        ``"less"`` (below the national mean) or ``"greater"``.
    method : str
    """

    statistic: float
    p_value: float
    mann_whitney_p: float
    n: int
    n_rest: int
    alternative: str
    method: str = ("one-sided permutation test of the difference of means, region vs the other cities "
                   "(labels permuted); Mann-Whitney U beside it")

    @property
    def difference_to_rest(self) -> float:
        """The test statistic: the region's mean minus the other cities' mean, ``statistic * N / n_rest``
        (:math:`\\bar x_r - \\bar x = (n_{rest} / N)(\\bar x_r - \\bar x_{rest})`)."""
        return float(self.statistic * (self.n + self.n_rest) / self.n_rest)


def national_mean_test(values, groups, region, *, alternative: str, n_perm: int = 5000,
                       seed: int = 0) -> NationalMeanResult:
    """Is ``region``'s mean below (or above) the national mean? A one-sided permutation test.

    Parameters
    ----------
    values : pandas.Series
        One score per city, finite.
    groups : pandas.Series
        A region label per city (aligned by index).
    region : str
        The region tested (at least one city; at least one city outside it).
    alternative : {"less", "greater"}
        ``"less"``: the region's mean is below the national mean.
    n_perm : int, default 5000
        Permutations of the labels (a whole number >= 1).
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng` for the permutations.

    Returns
    -------
    NationalMeanResult

    Raises
    ------
    ParameterError
        A bad ``alternative``, ``n_perm`` or ``seed``; ``region`` without a city, or with every city.
    DataError
        A missing or infinite score, a repeated city, a city without a label.

    Notes
    -----
    The national mean :math:`\\bar x` is the same for every permutation of the labels, and
    :math:`\\bar x_r - \\bar x = (1 - n_r / N)(\\bar x_r - \\bar x_{rest})`, so testing the region's mean
    against the national mean is testing it against the rest. Under H0 the labels are exchangeable: the
    cities of the region are like a random draw of :math:`n_r` of the :math:`N` cities. Among a top-100
    selection that describes the selected cities, not the region's cities in general.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8])
    >>> g = pd.Series(list("AABBBBBB"))
    >>> res = national_mean_test(x, g, "A", alternative="less", n_perm=999)
    >>> res.statistic, round(res.p_value, 4), res.n, res.n_rest
    (-3.0, 0.0357, 2, 6)
    """
    check_choice("alternative", alternative, ("less", "greater"))
    n_perm = check_integer("n_perm", n_perm, low=1, allowed="a positive whole number")
    seed = check_seed(seed)
    check_sample(values, name="values", what="one score per city")
    values = pd.Series(values, dtype=float)
    groups = _aligned_groups(groups, values.index, units="city")
    inside = (groups == region).to_numpy()
    if not inside.any() or inside.all():
        raise ParameterError("region", f"a region with some but not all of the cities ({sorted(set(groups))})", region)
    x, rest = values.to_numpy()[inside], values.to_numpy()[~inside]
    res = stats.permutation_test((x, rest), _mean_difference, permutation_type="independent", vectorized=True,
                                 n_resamples=n_perm, alternative=alternative, rng=np.random.default_rng(seed))
    mw = stats.mannwhitneyu(x, rest, alternative=alternative)
    return NationalMeanResult(statistic=float(x.mean() - values.mean()), p_value=float(res.pvalue),
                              mann_whitney_p=float(mw.pvalue), n=int(inside.sum()), n_rest=int((~inside).sum()),
                              alternative=alternative)


def _mean_difference(x, y, axis):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def national_mean_tests(scores: pd.DataFrame, groups, comparisons=REPORT_COMPARISONS, *, n_perm: int = 5000,
                        seed: int = 0) -> dict:
    """:func:`national_mean_test` for each ``(column, region, alternative)`` of ``comparisons``, each with ``seed``.

    Returns ``{"column:region": NationalMeanResult}`` in the order given. A comparison naming a column
    that is not in ``scores`` is a ParameterError; one naming a region without cities too.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"INF": [1.0, 2, 3, 4, 5, 6]})
    >>> tests = national_mean_tests(s, pd.Series(list("XXYYYY")), [("INF", "X", "less")], n_perm=99)
    >>> list(tests), tests["INF:X"].statistic
    (['INF:X'], -2.0)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = scores)",
                             Shown(type(scores).__name__))
    if isinstance(comparisons, (str, bytes)) or not hasattr(comparisons, "__iter__"):
        raise ParameterError("comparisons", "a sequence of (column, region, 'less' or 'greater')", comparisons)
    out = {}
    for item in comparisons:
        if not (isinstance(item, (tuple, list)) and len(item) == 3):
            raise ParameterError("comparisons", "a sequence of (column, region, 'less' or 'greater')", Shown(repr(item)))
        column, region, alternative = item
        if column not in scores.columns:
            raise ParameterError("comparisons", f"columns of scores ({', '.join(map(str, scores.columns))})", column)
        out[f"{column}:{region}"] = national_mean_test(scores[column], groups, region, alternative=alternative,
                                                       n_perm=n_perm, seed=seed)
    return out


def require_compared_regions(groups, comparisons=REPORT_COMPARISONS, *, top_n, min_size: int = 2) -> None:
    """Refuse a selection in which a region of ``comparisons`` has fewer than ``min_size`` cities.

    A permutation test of a region's mean against the other cities' needs at least two cities on each side
    (``scipy.stats.permutation_test`` refuses fewer), and a region absent from the selection cannot be compared
    at all. Notebook 05 calls this in its set-up cell, so a too small ``top_n`` stops there with the reason
    instead of failing inside a test.

    Parameters
    ----------
    groups : pandas.Series
        A region label per city of the selection.
    comparisons : sequence of (column, region, alternative), default :data:`REPORT_COMPARISONS`
    top_n : int
        The selection's size, named in the message.
    min_size : int, default 2

    Raises
    ------
    ParameterError
        On ``top_n``, naming the regions with too few cities and how many they have.

    Examples
    --------
    >>> import pandas as pd
    >>> require_compared_regions(pd.Series(list("AABB")), [("INF", "A", "less")], top_n=4)
    >>> require_compared_regions(pd.Series(list("ABBB")), [("INF", "A", "less")], top_n=4)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: top_n should be large enough that each region the report compares with the national mean (A) has at least 2 cities among the cities kept (here A has 1), but its value is 4.
    """
    counts = pd.Series(groups).value_counts()
    regions = list(dict.fromkeys(region for _, region, _ in comparisons))
    rest = len(pd.Series(groups))
    short = [r for r in regions if counts.get(r, 0) < min_size or rest - counts.get(r, 0) < min_size]
    if short:
        have = ", ".join(f"{r} has {int(counts.get(r, 0))}" for r in short)
        raise ParameterError("top_n", f"large enough that each region the report compares with the national mean "
                                      f"({', '.join(regions)}) has at least {min_size} cities among the cities kept "
                                      f"(here {have})", top_n)


def national_table(results: dict) -> pd.DataFrame:
    """:func:`national_mean_tests` as a flat table: ``comparison``, ``direction``, ``difference_to_national``
    (region minus national mean, the region included), ``difference_to_rest`` (region minus the other cities: the
    permutation test's statistic), ``p_value``, ``mann_whitney_p``, ``n``, ``n_rest``.

    Examples
    --------
    >>> r = {"INF:X": NationalMeanResult(-2.0, 0.03, 0.04, 2, 4, "less")}
    >>> national_table(r)[["comparison", "difference_to_national", "difference_to_rest", "p_value"]]
      comparison  difference_to_national  difference_to_rest  p_value
    0      INF:X                    -2.0                -3.0     0.03
    """
    if not isinstance(results, dict) or not all(isinstance(r, NationalMeanResult) for r in results.values()):
        raise ParameterError("results", "what national_mean_tests returned", Shown(type(results).__name__))
    columns = ["comparison", "direction", "difference_to_national", "difference_to_rest", "p_value", "mann_whitney_p",
               "n", "n_rest"]
    return pd.DataFrame([{"comparison": key, "direction": r.alternative, "difference_to_national": r.statistic,
                          "difference_to_rest": r.difference_to_rest, "p_value": r.p_value,
                          "mann_whitney_p": r.mann_whitney_p, "n": r.n, "n_rest": r.n_rest}
                         for key, r in results.items()], columns=columns)


def dunn_pairs(scores: pd.DataFrame, groups, kruskal: dict, *, names: dict | None = None, alpha: float,
               min_size: int = 2) -> pd.DataFrame:
    """Dunn's pairwise tests (Holm over the pairs) for the columns whose Kruskal-Wallis test rejects after Holm.

    Parameters
    ----------
    scores : pandas.DataFrame
        Cities x columns, finite.
    groups : pandas.Series
        A group label per city.
    kruskal : dict
        :func:`~cityeval.analysis.regional.kruskal_wallis_by` of these columns (with the same ``names``):
        a column is followed up when its ``p_holm`` < ``alpha`` (a protected procedure: no pairs without a
        rejected global test).
    names : dict, optional
        ``{column: display name}``, the keys of ``kruskal``.
    alpha : float
        In (0, 1).
    min_size : int, default 2
        Groups with fewer cities are left out, as :func:`~cityeval.analysis.regional.kruskal_wallis` leaves them.

    Returns
    -------
    pandas.DataFrame
        :data:`DUNN_COLUMNS`: one row per pair of groups (sorted labels) of each column followed up, with
        ``scikit_posthocs.posthoc_dunn(..., p_adjust="holm")``'s adjusted p-value (tie-corrected, Holm over
        that column's pairs) and ``differs`` (``p_holm < alpha``); empty when no column is followed up.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.regional import kruskal_wallis_by
    >>> s = pd.DataFrame({"a": [float(v) for v in range(12)]})
    >>> g = pd.Series(list("AAAABBBBCCCC"))
    >>> pairs = dunn_pairs(s, g, kruskal_wallis_by(s, g), alpha=0.05)
    >>> pairs[["group_a", "group_b", "differs"]].values.tolist()
    [['A', 'B', False], ['A', 'C', True], ['B', 'C', False]]
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    min_size = check_integer("min_size", min_size, low=1)
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = scores)",
                             Shown(type(scores).__name__))
    names = dict(names or {})
    if not isinstance(kruskal, dict):
        raise ParameterError("kruskal", "what kruskal_wallis_by returned", Shown(type(kruskal).__name__))
    groups = _aligned_groups(groups, scores.index, units="city")
    sizes = groups.value_counts()
    kept = groups[groups.isin(sizes.index[sizes >= min_size])]
    rows = []
    for column in scores.columns:
        key = names.get(column, column)
        if key not in kruskal:
            raise ParameterError("kruskal", f"a result for every column of scores (no {key!r})", Shown(sorted(kruskal)))
        if kruskal[key].p_holm is None:
            raise ParameterError("kruskal", "results of kruskal_wallis_by (with p_holm)", Shown(f"{key!r} without it"))
        if not kruskal[key].p_holm < alpha:
            continue
        frame = pd.DataFrame({"value": scores.loc[kept.index, column].to_numpy(float), "group": kept.to_numpy()})
        if not np.isfinite(frame["value"]).all():
            raise DataError(None, "Dunn's test needs finite scores", column=str(column))
        p = scikit_posthocs.posthoc_dunn(frame, val_col="value", group_col="group", p_adjust="holm")
        labels = sorted(p.index)
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                rows.append({"column": key, "group_a": a, "group_b": b, "p_holm": float(p.at[a, b]),
                             "differs": bool(p.at[a, b] < alpha)})
    return pd.DataFrame(rows, columns=DUNN_COLUMNS)
