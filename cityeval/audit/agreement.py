r"""How closely each scenario's ranking agrees with the nominal one: Spearman's rank correlation per scenario.

The summary users of COINr expect from an uncertainty analysis beside the rank intervals: for
every scenario, the correlation of its ranking with the nominal ranking (COINr's
``compare_coins_corr(..., compare_by = "ranks")`` is the same coefficient for one pair of
methods), then its distribution over the scenarios (median, 5% and 95% quantiles).

A high correlation over a whole list is compatible with large moves of single units: with 293
cities, a Spearman coefficient of 0.99 still allows many cities to move ten places. It is read
beside the rank intervals, never instead of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError
from cityeval.validation import Shown

__all__ = ["ScenarioSpearman", "scenario_spearman", "spearman_rows"]

#: How the coefficient is computed, in words (recorded with every result).
SPEARMAN_METHOD = ("Spearman's rank correlation of each scenario's ranks with the nominal ranks over all units "
                   "(ties given their average rank, i.e. the Pearson correlation of average ranks)")


def spearman_rows(ranks, nominal) -> np.ndarray:
    """Spearman's coefficient of each row of ``ranks`` with ``nominal`` (vectorized).

    Parameters
    ----------
    ranks : array-like, shape (m, n)
        One ranking (or any scores) per row, finite.
    nominal : array-like, shape (n,)
        The reference ranking.

    Returns
    -------
    numpy.ndarray, shape (m,)
        :math:`\rho_s`; NaN for a row (or a reference) whose values are all equal (no order to correlate).

    Notes
    -----
    Each row and the reference are re-ranked with average ranks for ties (:func:`scipy.stats.rankdata`),
    then correlated (Pearson), which is :func:`scipy.stats.spearmanr`'s definition.

    Examples
    --------
    >>> spearman_rows([[1, 2, 3, 4], [4, 3, 2, 1], [2, 1, 3, 4]], [1, 2, 3, 4]).round(3).tolist()
    [1.0, -1.0, 0.8]
    """
    r = np.asarray(ranks, dtype=float)
    nom = np.asarray(nominal, dtype=float)
    if r.ndim != 2 or nom.ndim != 1 or r.shape[1] != nom.size:
        raise ParameterError("ranks", f"a 2-D array with one column per nominal rank ({nom.size})",
                             Shown(f"an array of shape {r.shape}"))
    if not (np.isfinite(r).all() and np.isfinite(nom).all()):
        raise ParameterError("ranks", "finite ranks", Shown("missing or infinite values"))
    a = stats.rankdata(r, axis=1)
    b = stats.rankdata(nom)
    a -= a.mean(axis=1, keepdims=True)
    b -= b.mean()
    den = np.sqrt((a * a).sum(axis=1) * (b * b).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (a @ b) / den
    out[den == 0] = np.nan
    return np.clip(out, -1.0, 1.0)


@dataclass(frozen=True)
class ScenarioSpearman:
    """Spearman's coefficient of each scenario's ranking with the nominal ranking (:func:`scenario_spearman`).

    Attributes
    ----------
    values : numpy.ndarray, shape (n,)
        One coefficient per scenario, in the scenarios' order.
    n : int
        Scenarios.
    units : int
        Units ranked (the coefficient is over all of them).
    median, q05, q95, minimum : float
        Over the scenarios (quantiles of numpy's default rule, R's type 7, as for the rank intervals).
    method : str
        How the coefficient is computed.
    by_option : pandas.DataFrame
        One row per combination of the discrete choices' options drawn (e.g. normalization x aggregation):
        the options, then ``n``, ``median``, ``q05``, ``q95`` of the coefficient over those scenarios. The
        pooled quantiles can hide a mixture: one pair of options may sit well below the others.
    """

    values: np.ndarray = field(repr=False)
    n: int
    units: int
    median: float
    q05: float
    q95: float
    minimum: float
    method: str = SPEARMAN_METHOD
    by_option: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def summary(self) -> dict:
        """The numbers without the per-scenario values (for a results file)."""
        return {"n": self.n, "units": self.units, "median": self.median, "q05": self.q05, "q95": self.q95,
                "minimum": self.minimum, "method": self.method,
                "by_option": self.by_option.to_dict(orient="records")}

    def text(self) -> str:
        """The distribution in one phrase, e.g. ``"median 0.996 (5-95%: 0.973-0.999; lowest 0.95) over 200
        scenarios and 8 units; median by option: minmax x arithmetic 0.998 (52 scenarios), ..."``."""
        out = (f"median {self.median:.3f} (5–95%: {self.q05:.3f}–{self.q95:.3f}; lowest {self.minimum:.3f}) over "
               f"{self.n} scenarios and {self.units} units")
        if len(self.by_option) > 1:
            keys = [c for c in self.by_option.columns if c not in ("n", "median", "q05", "q95")]
            out += "; median by option: " + ", ".join(
                f"{' × '.join(str(row[k]) for k in keys)} {row['median']:.3f} ({row['n']} scenarios)"
                for _, row in self.by_option.iterrows())
        return out


def scenario_spearman(result) -> ScenarioSpearman:
    """Spearman's rank correlation of every scenario's ranking with the nominal ranking, and its distribution.

    Parameters
    ----------
    result : UncertaintyResult
        From :meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty` with ``return_ranks=True``.

    Returns
    -------
    ScenarioSpearman

    Raises
    ------
    ParameterError
        ``result`` without its rank matrix.

    Notes
    -----
    The coefficient is over all ranked units, with average ranks for ties; it weighs every pair of
    units alike, so it is dominated by the many units far apart and says little about the order at
    the top (the rank intervals and the decided neighbours do). Quantiles are over the scenarios the
    audit drew, equally likely by the spec: they describe that distribution of choices, not a
    sampling distribution.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> sp = scenario_spearman(design.rank_uncertainty(200, seed=1, return_ranks=True))
    >>> sp.n, sp.units, bool(-1 <= sp.q05 <= sp.median <= sp.q95 <= 1)
    (200, 8, True)
    >>> list(sp.by_option.columns), int(sp.by_option["n"].sum())
    (['normalize', 'aggregate', 'n', 'median', 'q05', 'q95'], 200)
    """
    ranks = getattr(result, "ranks", None)
    if not isinstance(ranks, pd.DataFrame):
        raise ParameterError("result", "an UncertaintyResult with its rank matrix (rank_uncertainty(..., "
                             "return_ranks=True))", Shown("a result without ranks"))
    nominal = result.table["nominal"].reindex(ranks.columns).to_numpy(dtype=float)
    rho = spearman_rows(ranks.to_numpy(dtype=float), nominal)
    ok = rho[np.isfinite(rho)]
    if ok.size == 0:
        q = (np.nan, np.nan, np.nan, np.nan)
    else:
        q = (*np.quantile(ok, [0.5, 0.05, 0.95]), ok.min())
    return ScenarioSpearman(values=rho, n=int(len(rho)), units=int(ranks.shape[1]), median=float(q[0]),
                            q05=float(q[1]), q95=float(q[2]), minimum=float(q[3]),
                            by_option=_by_option(rho, getattr(result, "scenarios", None)))


def _by_option(rho: np.ndarray, scenarios) -> pd.DataFrame:
    """Median and 5%/95% quantiles of ``rho`` per combination of the scenarios' discrete options (drawn ones only)."""
    cols = ["n", "median", "q05", "q95"]
    if not isinstance(scenarios, pd.DataFrame) or scenarios.shape[1] == 0 or len(scenarios) != len(rho):
        return pd.DataFrame(columns=cols)
    keys = list(scenarios.columns)
    frame = scenarios.astype(str).reset_index(drop=True).assign(_rho=rho)
    frame = frame[np.isfinite(frame["_rho"])]
    rows = []
    for options, part in frame.groupby(keys, sort=True):
        v = part["_rho"].to_numpy()
        q = np.quantile(v, [0.5, 0.05, 0.95])
        rows.append({**dict(zip(keys, options if isinstance(options, tuple) else (options,))), "n": int(v.size),
                     "median": float(q[0]), "q05": float(q[1]), "q95": float(q[2])})
    return pd.DataFrame(rows, columns=keys + cols)
