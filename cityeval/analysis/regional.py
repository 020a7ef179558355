"""Regional patterns: do scores differ between regions, and is it "east high, west low"?

The report (Ch. 2 §3, Fig. 7) reads its regional means as "东高西低" (east high,
west low) and ranks regions per dimension. This module gives the statistics
notebook 05 uses: region means against the national mean, the Kruskal–Wallis
test of any difference between groups with its effect size, and the
Jonckheere–Terpstra test of an *ordered* difference (east > central > west),
which is the hypothesis "east high, west low" actually states.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError

__all__ = ["group_means", "kruskal_wallis", "jonckheere_terpstra", "ZONE_ORDER"]

#: The report appendix's four zones from west to east, the order "east high, west low" implies
#: (the northeast is a separate zone; it has no place on a west-east line and is left out of the trend test).
ZONE_ORDER = ("西部", "中部", "东部")


def _check(values, groups):
    values = pd.Series(values, dtype=float)
    groups = pd.Series(groups).reindex(values.index)
    if values.isna().any():
        raise ParameterError("values", "numbers without NaN", "a series containing NaN")
    if groups.isna().any():
        missing = list(values.index[groups.isna()][:3])
        raise ParameterError("groups", "a group label for every unit", f"no label for {missing}")
    return values, groups


def group_means(scores: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Mean of every column per group, with the overall mean as the row ``"national"``.

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted by name) plus ``national``; a column ``n`` with the group sizes.
    """
    groups = pd.Series(groups).reindex(scores.index)
    if groups.isna().any():
        raise ParameterError("groups", "a group label for every city", f"no label for {list(scores.index[groups.isna()][:3])}")
    means = scores.groupby(groups).mean()
    means["n"] = groups.value_counts()
    overall = scores.mean().to_frame("national").T
    overall["n"] = len(scores)
    return pd.concat([means.sort_index(), overall])


def kruskal_wallis(values, groups, *, min_size: int = 2) -> dict:
    """Kruskal–Wallis H test across groups, with the effect size epsilon-squared.

    Parameters
    ----------
    values : Series
        One score per unit.
    groups : Series
        Group label per unit (same index).
    min_size : int, default 2
        Groups with fewer units are left out (and listed in the result).

    Returns
    -------
    dict
        ``H``, ``p``, ``k`` (groups used), ``n``, ``epsilon2`` = H / (n - 1) (rank epsilon-squared,
        Tomczak & Tomczak 2014), ``eta2`` = (H - k + 1)/(n - k), ``dropped`` groups.

    References
    ----------
    Kruskal, W. H. & Wallis, W. A. (1952). JASA 47: 583–621.
    Tomczak, M. & Tomczak, E. (2014). Trends in Sport Sciences 1(21): 19–25.
    """
    values, groups = _check(values, groups)
    sizes = groups.value_counts()
    keep = sizes.index[sizes >= min_size]
    dropped = sorted(set(sizes.index) - set(keep))
    samples = [values[groups == g].to_numpy() for g in sorted(keep)]
    if len(samples) < 2:
        raise ParameterError("groups", f"at least two groups with {min_size}+ units", dict(sizes))
    h, p = stats.kruskal(*samples)
    n = int(sum(len(s) for s in samples))
    k = len(samples)
    return {"H": float(h), "p": float(p), "k": k, "n": n, "epsilon2": float(h / (n - 1)),
            "eta2": float((h - k + 1) / (n - k)), "dropped": dropped}


def jonckheere_terpstra(values, groups, *, order, n_perm: int = 5000, seed: int = 0) -> dict:
    """Jonckheere–Terpstra test for an ordered alternative (scores increase along ``order``).

    Parameters
    ----------
    values, groups : Series
        Scores and group labels; units whose group is not in ``order`` are left out.
    order : sequence
        Group labels from the one expected lowest to the one expected highest.
    n_perm : int, default 5000
        Permutations of the group labels for the one-sided p-value.
    seed : int

    Returns
    -------
    dict
        ``J`` (statistic), ``expected`` (its mean under H0), ``z`` (normal approximation without tie
        correction), ``p_perm`` (one-sided permutation p-value, (1 + #{J* >= J}) / (1 + n_perm)),
        ``n`` per group.

    Notes
    -----
    J = sum over ordered pairs of groups (i < j) of #{(x, y): x in group i, y in group j, x < y}
    + 0.5 #{x = y}. Under H0, E[J] = (N^2 - sum n_i^2) / 4 and
    Var[J] = (N^2 (2N + 3) - sum n_i^2 (2 n_i + 3)) / 72.

    References
    ----------
    Jonckheere, A. R. (1954). Biometrika 41: 133–145. Terpstra, T. J. (1952). Indagationes Math. 14: 327–333.
    """
    values, groups = _check(values, groups)
    order = list(order)
    if len(order) < 2 or len(set(order)) != len(order):
        raise ParameterError("order", "at least two distinct group labels", order)
    mask = groups.isin(order)
    x = values[mask].to_numpy()
    g = groups[mask].map({lab: i for i, lab in enumerate(order)}).to_numpy()
    sizes = np.bincount(g, minlength=len(order))
    if (sizes == 0).any():
        raise ParameterError("order", f"labels present in groups ({sorted(set(groups))})", order)
    if int(n_perm) != n_perm or n_perm < 1:
        raise ParameterError("n_perm", "a positive whole number", n_perm)

    less = (x[:, None] < x[None, :]) + 0.5 * (x[:, None] == x[None, :])
    j = float(_jt_statistics(less, g[None, :], len(order))[0])
    n = len(x)
    expected = (n * n - (sizes ** 2).sum()) / 4
    var = (n * n * (2 * n + 3) - (sizes ** 2 * (2 * sizes + 3)).sum()) / 72
    rng = np.random.default_rng(seed)
    perm = np.empty(int(n_perm))
    block = max(1, _JT_BLOCK // max(1, n))
    for lo in range(0, int(n_perm), block):
        labels = np.stack([rng.permutation(g) for _ in range(lo, min(int(n_perm), lo + block))])
        perm[lo:lo + len(labels)] = _jt_statistics(less, labels, len(order))
    return {"J": j, "expected": float(expected), "z": float((j - expected) / np.sqrt(var)),
            "p_perm": float((1 + (perm >= j).sum()) / (1 + n_perm)),
            "n": {lab: int(s) for lab, s in zip(order, sizes)}}


# permutations per block of the J-T statistic, scaled by 1/n: a block's matrices stay near a few MiB
_JT_BLOCK = 200_000


def _jt_statistics(less: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """J for each row of ``labels`` (group numbers 0..k-1 in the expected order), all rows at once.

    ``less[a, c]`` is 1 when x_a < x_c, 0.5 when equal. J = sum over units a, c of
    less[a, c] [g(a) < g(c)] = sum over a of (less @ U)[a, g(a)] with U[c, i] = [g(c) > i]: one
    matrix product for the whole block. Every term is a multiple of 0.5 and the sums stay far
    below 2**52, so the result is exact whatever the order of summation.
    """
    m, n = labels.shape
    up = (labels[:, :, None] > np.arange(k - 1)).astype(float)          # (m, n, k-1)
    lu = (less @ up.transpose(1, 0, 2).reshape(n, m * (k - 1))).reshape(n, m, k - 1)
    g = labels.T                                                         # (n, m)
    picked = np.take_along_axis(lu, np.minimum(g, k - 2)[:, :, None], axis=2)[:, :, 0]
    return np.where(g < k - 1, picked, 0.0).sum(axis=0)
