"""One indicator out: the ranking rescored without each indicator in turn, under the nominal method.

COINr's ``remove_elements(coin, Level = 1, ...)`` measures an indicator's influence by setting its
weight to zero, regenerating the index and comparing the ranks with the nominal ones; this module
does the same with the audit's engine (:class:`~cityeval.audit.design.AuditDesign`): the nominal
normalized data, the nominal weights with one indicator's set to zero (renormalized within its
parent), the nominal aggregation. Because normalization is per indicator, this *is* rescoring
without the indicator (the tests check it against a pipeline run on the dataset without it).

Decided edge cases
------------------
- An indicator that is its parent's only child takes the parent with it (the parent's weight is
  set to zero too, and so on up the tree); removing the only indicator below the audited code is
  refused.
- A data-driven weight method (entropy, CRITIC, ...) keeps the nominal run's weights for the other
  indicators, as the audit does; equal and given weights do not depend on the data.
- Ranks follow the nominal record's tie rule; the Spearman coefficient uses average ranks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.audit.agreement import spearman_rows
from cityeval.audit.ranks import rank_rows
from cityeval.audit.spec import VECTOR_AGGREGATIONS
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_integer, check_number

__all__ = ["IndicatorOut", "indicator_out"]


@dataclass(frozen=True)
class IndicatorOut:
    """The ranking without each indicator in turn (:func:`indicator_out`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per indicator removed (index ``indicator``, the tree's order): ``spearman`` (with
        the nominal ranking, all units), ``mean_shift`` (mean absolute rank change, all units, COINr's
        summary), ``max_shift`` and ``moved`` (the largest absolute rank change among the top
        ``top_n`` units by nominal rank, and how many of them move by more than ``tolerance``
        places), ``also_removed`` (parents left without indicators, "" when none).
    ranks : pandas.DataFrame
        The rank of every unit (columns) without each indicator (rows).
    cities : pandas.DataFrame
        The top ``top_n`` units by nominal rank (index: unit), in nominal order: ``nominal``,
        ``best`` and ``worst`` (the best and worst rank over the removals), ``median_shift`` and
        ``max_shift`` (of the absolute rank change), ``worst_indicator`` (the removal that moves the
        unit most, the first in the tree's order on a tie; "" when none moves it) and ``moved_by``
        (removals that move it by more than ``tolerance`` places).
    top_n : int
    tolerance : float
    aggregation : str
        The nominal aggregation (``"arithmetic"`` or ``"geometric"``).
    """

    table: pd.DataFrame
    ranks: pd.DataFrame
    cities: pd.DataFrame
    top_n: int
    tolerance: float
    aggregation: str

    def records(self) -> list:
        """:attr:`table` as records with the indicator as a column (for a results file)."""
        return self.table.reset_index().to_dict(orient="records")

    def city_records(self) -> list:
        """:attr:`cities` as records with the unit as a column ``city``."""
        return self.cities.reset_index(names="city").to_dict(orient="records")

    def text(self) -> str:
        """The removals in two sentences: the lowest Spearman and the largest moves among the top units."""
        t = self.table
        low = t["spearman"].idxmin()
        big = t["moved"].idxmax()
        return (f"Removing one of the {len(t)} indicators at a time (its weight set to 0 within its parent, the "
                f"nominal method otherwise), the lowest Spearman correlation of the ranking with the nominal one is "
                f"{t['spearman'].min():.3f} (without {low}); the mean absolute rank change ranges "
                f"{t['mean_shift'].min():.1f}-{t['mean_shift'].max():.1f} places. Among the top {self.top_n}, "
                f"{int((self.cities['moved_by'] > 0).sum())} cities move by more than ± {self.tolerance:g} places "
                f"without at least one indicator; the removal of {big} moves the most ({int(t.at[big, 'moved'])} "
                f"cities, up to {int(t.at[big, 'max_shift'])} places).")


def _nominal_inputs(design):
    """The nominal normalized leaves (units x leaves) and the nominal aggregation rule."""
    agg = design.record["aggregate"]
    method = agg.get("method")
    if method not in VECTOR_AGGREGATIONS or agg.get("by_level") or agg.get("by_parent"):
        raise ParameterError("the nominal record's aggregate", f"one of {list(VECTOR_AGGREGATIONS)} at every level "
                             "(no by_level/by_parent overrides) to rescore with the audit's engine", agg)
    x = design.nominal_result.stages["normalized"].reindex(design.units)[design.leaves].to_numpy(dtype=float)
    if not np.isfinite(x).all():
        raise DataError(design.dataset.path, "removing indicators needs complete normalized data (impute first)")
    if method == "geometric" and (x <= 0).any():
        r, c = np.argwhere(x <= 0)[0]
        raise DataError(design.dataset.path, "the nominal geometric mean needs every normalized value > 0",
                        column=design.leaves[c], detail=f"unit {design.units[r]!r} has {x[r, c]:g}")
    return x, method


def _removal_weights(design, codes) -> tuple[np.ndarray, list]:
    """Raw weights (one row per code removed, :attr:`AuditDesign.weight_codes` order) and, per row, the parents
    removed with it."""
    parent = design.dataset.indicators["parent"]
    pos = {c: j for j, c in enumerate(design.weight_codes)}
    children = {}
    for c in design.weight_codes:
        children.setdefault(parent[c], []).append(c)
    rows, extra = [], []
    for code in codes:
        w = design.nominal_weights.copy()
        w[pos[code]] = 0.0
        gone = []
        p = parent[code]
        while p in pos and all(w[pos[c]] == 0 for c in children[p]):
            w[pos[p]] = 0.0
            gone.append(p)
            p = parent[p]
        if all(w[pos[c]] == 0 for c in children.get(design.target, [])):
            raise ParameterError("indicators", f"indicators whose removal leaves something below {design.target!r}",
                                 code)
        rows.append(w)
        extra.append(gone)
    return np.array(rows), extra


def indicator_out(design, *, top_n: int = 100, tolerance: float = 5, indicators=None) -> IndicatorOut:
    """Rescore without each indicator in turn (weight 0 within its parent), under the nominal method.

    Parameters
    ----------
    design : AuditDesign
        From :func:`~cityeval.audit.design.prepare`; only its nominal run, tree and tie rule are used
        (the spec's uncertain choices play no part).
    top_n : int, default 100
        The units, by nominal rank, whose rank changes are summarized (>= 1; fewer when there are fewer).
    tolerance : float, default 5
        Places: a unit "moves" when its rank changes by more than this.
    indicators : sequence of str, optional
        The indicators removed one at a time; default every indicator (level 1) below the audited code.

    Returns
    -------
    IndicatorOut

    Raises
    ------
    ParameterError
        A code that is not an indicator below the audited code; a nominal aggregation the engine
        cannot collapse (by_level/by_parent); a removal that leaves nothing below the audited code.
    DataError
        Incomplete normalized data, or a non-positive value under a nominal geometric mean.

    Notes
    -----
    Score without indicator :math:`i`: :math:`s_u = \\sum_j \\tilde w_j^{(-i)} x_{uj}` (arithmetic) or
    :math:`\\exp \\sum_j \\tilde w_j^{(-i)} \\log x_{uj}` (geometric), where :math:`\\tilde w^{(-i)}` are the
    effective weights with :math:`w_i = 0` renormalized within each parent
    (:meth:`~cityeval.audit.design.AuditDesign.effective_weights`).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> out = indicator_out(prepare(toy, alternatives_spec([1, 2], 0.25)), top_n=5, tolerance=1)
    >>> list(out.table.columns), len(out.table) == len(out.ranks)
    (['spearman', 'mean_shift', 'max_shift', 'moved', 'also_removed'], True)
    """
    top_n = check_integer("top_n", top_n, low=1)
    tolerance = check_number("tolerance", tolerance, low=0, allowed="a number of places >= 0")
    if indicators is None:
        codes = list(design.leaves)
    else:
        if isinstance(indicators, str) or not hasattr(indicators, "__iter__"):
            raise ParameterError("indicators", "a sequence of indicator codes", indicators)
        codes = list(indicators)
        unknown = [c for c in codes if c not in design.leaves]
        if unknown or not codes:
            raise ParameterError("indicators", f"indicator codes below {design.target!r}",
                                 Shown(", ".join(map(str, unknown)) or "none"))
    x, method = _nominal_inputs(design)
    weights, extra = _removal_weights(design, codes)
    with np.errstate(invalid="ignore", divide="ignore"):
        eff = np.nan_to_num(design.effective_weights(weights), nan=0.0)    # a removed parent's children: 0/0
    scores = np.exp(eff @ np.log(x).T) if method == "geometric" else eff @ x.T
    ranks = rank_rows(scores, ties=design.ties)
    nominal = design.nominal_rank
    shift = np.abs(ranks - nominal)                                      # (removals, units)
    order = np.argsort(nominal, kind="stable")[:top_n]
    top = shift[:, order]
    table = pd.DataFrame({"spearman": spearman_rows(ranks, nominal), "mean_shift": shift.mean(axis=1),
                          "max_shift": top.max(axis=1), "moved": (top > tolerance).sum(axis=1),
                          "also_removed": [", ".join(g) for g in extra]}, index=pd.Index(codes, name="indicator"))
    worst = np.argmax(top, axis=0)
    cities = pd.DataFrame({"nominal": nominal[order], "best": ranks[:, order].min(axis=0),
                           "worst": ranks[:, order].max(axis=0), "median_shift": np.median(top, axis=0),
                           "max_shift": top.max(axis=0),
                           "worst_indicator": [codes[k] if top[k, j] > 0 else "" for j, k in enumerate(worst)],
                           "moved_by": (top > tolerance).sum(axis=0)}, index=design.units[order])
    return IndicatorOut(table=table, ranks=pd.DataFrame(ranks, index=pd.Index(codes, name="indicator"),
                                                        columns=design.units),
                        cities=cities, top_n=top_n, tolerance=tolerance, aggregation=method)
