r"""The lower bound of min-max under the geometric mean: how much the arbitrary "1" of [1, 100] decides.

COINr's documented uncertainty example rescales min-max onto [1, 100] so that a geometric mean is
defined. Under an arithmetic mean the bounds do not matter (an affine map of every indicator is an
affine map of the score), but under the geometric mean they do: a city's weakest indicator near
the lower bound :math:`a` enters as :math:`\log a`, and :math:`\log 0.1`, :math:`\log 1` and
:math:`\log 10` pull it down very differently. :func:`lower_bound_effect` ranks the cities under
the geometric mean with min-max onto :math:`[a, \text{high}]` for several :math:`a` and compares
the rankings (and, optionally, reruns the whole Monte Carlo audit with each bound).

:func:`with_minmax_low` gives the audit design with every min-max option's lower bound replaced,
from the design's own normalized data: min-max onto :math:`[a, b]` is :math:`a + (b - a) z` with
:math:`z` the [0, 1] min-max, so :math:`x' = a' + (b - a')(x - a)/(b - a)` exactly (a constant
indicator's midpoint included); the tests check it against :func:`~cityeval.audit.design.prepare`
with the changed option.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.audit.agreement import spearman_rows
from cityeval.audit.report import DECIDED
from cityeval.audit.results import Scenarios
from cityeval.audit.spec import option_label
from cityeval.audit.summary import neighbor_order, robust_ranks
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_integer, check_number, check_seed

__all__ = ["ALTERNATIVE_LOWS", "LowerBoundEffect", "lower_bound_effect", "with_minmax_low"]

#: Lower bounds compared with the audit's own (COINr's 1 of [1, 100]): ten times lower and ten times higher.
ALTERNATIVE_LOWS = (0.1, 10.0)


def _minmax_options(design) -> list:
    """Indices of the design's min-max normalize options (a ParameterError when there is none)."""
    found = [j for j, e in enumerate(design.options["normalize"]) if e.get("method") == "minmax"]
    if not found:
        raise ParameterError("design", "an audit design with a min-max normalization option",
                             Shown(f"options {design.labels['normalize']}"))
    return found


def _bounds(entry: dict) -> tuple[float, float]:
    return float(entry.get("low", 0.0)), float(entry.get("high", 100.0))


def with_minmax_low(design, low: float):
    """A copy of ``design`` with the lower bound of every min-max normalize option set to ``low``.

    Parameters
    ----------
    design : AuditDesign
        From :func:`~cityeval.audit.design.prepare`, with at least one min-max option.
    low : float
        The new lower bound: below each option's upper bound, and > 0 when the design has a geometric
        option (a geometric mean needs positive values).

    Returns
    -------
    AuditDesign
        A shallow copy sharing the dataset and the nominal run; its normalized data, their logs and the
        option entries and labels are its own.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> with_minmax_low(design, 10).labels["normalize"][0]
    'minmax(low=10, high=100)'
    """
    low = check_number("low", low)
    geometric = bool(design._geometric.any())
    if geometric and low <= 0:
        raise ParameterError("low", "a number > 0 (the design has a geometric option: log of the lower bound)", low)
    out = copy.copy(design)
    base = design._base.copy()
    options = copy.deepcopy(design.options)
    labels = copy.deepcopy(design.labels)
    for j in _minmax_options(design):
        a, b = _bounds(design.options["normalize"][j])
        if not low < b:
            raise ParameterError("low", f"a number below the option's upper bound ({b:g})", low)
        base[:, j] = low + (b - low) * (design._base[:, j] - a) / (b - a)
        options["normalize"][j] = {**options["normalize"][j], "low": low}
        labels["normalize"][j] = option_label({k: v for k, v in options["normalize"][j].items()
                                               if k in ("method", "low", "high")})
    out._base = base
    out._log = np.log(base) if geometric else None
    out.options, out.labels = options, labels
    return out


@dataclass(frozen=True)
class LowerBoundEffect:
    """Rankings under the geometric mean with min-max onto [low, high] for several lows (:func:`lower_bound_effect`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per lower bound (index ``low``, ascending; the design's own bound among them):
        ``spearman_nominal`` (with the nominal ranking), ``spearman_reference`` (with the geometric
        ranking at the design's own bound), ``mean_shift`` (mean absolute rank change against that
        ranking, all units), ``max_shift`` and ``moved`` (among the top ``top_n`` units by nominal
        rank: the largest absolute change, and how many change by more than ``tolerance``); with
        ``n`` scenarios also ``robust_share``, ``decided_share`` and ``spearman_median`` of the whole
        Monte Carlo audit rerun with that bound.
    ranks : pandas.DataFrame
        The geometric-mean rank of every unit (columns) at each lower bound (rows), nominal weights.
    reference_low, high : float
        The design's own min-max bounds.
    top_n, tolerance, n
        As given (``n`` 0: no Monte Carlo rerun).
    """

    table: pd.DataFrame
    ranks: pd.DataFrame
    reference_low: float
    high: float
    top_n: int
    tolerance: float
    n: int

    def records(self) -> list:
        """:attr:`table` as records with ``low`` as a column."""
        return self.table.reset_index().to_dict(orient="records")

    def text(self) -> str:
        """What the lower bound changes, in one sentence."""
        others = self.table.drop(index=self.reference_low)
        worst = others["spearman_reference"].idxmin()
        line = (f"Under the geometric mean at nominal weights, moving min-max's lower bound from {self.reference_low:g} "
                f"to " + " or ".join(f"{low:g}" for low in others.index) + f" (upper bound {self.high:g}) gives "
                f"rankings whose Spearman correlation with the [{self.reference_low:g}, {self.high:g}] ranking is "
                + ", ".join(f"{others.at[low, 'spearman_reference']:.3f} (lower bound {low:g})" for low in others.index)
                + f"; at lower bound {worst:g}, {int(others.at[worst, 'moved'])} of the top {self.top_n} change rank "
                f"by more than ± {self.tolerance:g} places (up to {int(others.at[worst, 'max_shift'])}).")
        if self.n:
            line += (f" Rerun with each bound ({self.n} scenarios), the whole audit finds "
                     + ", ".join(f"{self.table.at[low, 'robust_share']:.0%}" for low in self.table.index)
                     + f" of the top {self.top_n} ranks robust (lower bound "
                     + ", ".join(f"{low:g}" for low in self.table.index) + ").")
        return line


def _geometric_ranks(design) -> np.ndarray:
    """The rank of every unit under the design's first geometric option and its first min-max option, nominal
    weights and the first treat option."""
    j = _minmax_options(design)[0]
    a = int(np.flatnonzero(design._geometric)[0])
    choice = np.array([[0, j, a]], dtype=np.int64)
    return design.evaluate(Scenarios(choice=choice, weights=design.nominal_weights[None, :]))[0]


def lower_bound_effect(design, lows=ALTERNATIVE_LOWS, *, top_n: int = 100, tolerance: float = 5, n: int = 0,
                       seed=None) -> LowerBoundEffect:
    """Compare geometric-mean rankings with min-max onto [low, high] for the design's own low and ``lows``.

    Parameters
    ----------
    design : AuditDesign
        With a min-max normalize option and a geometric aggregate option (e.g. notebook 09's spec).
        Its first min-max option's bounds are the reference.
    lows : sequence of float, default :data:`ALTERNATIVE_LOWS`
        The other lower bounds, each > 0 and below the upper bound.
    top_n : int, default 100
        Units by nominal rank whose rank changes are counted.
    tolerance : float, default 5
        Places: a change larger than this counts as a move.
    n : int, default 0
        Scenarios of a Monte Carlo rerun of the whole audit with each bound (0: none), with ``seed``
        (:meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty`); the reference bound's row is
        then the audit itself.
    seed : int, optional
        As for :meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty`; required when ``n`` > 0 (so
        every bound draws the same scenarios).

    Returns
    -------
    LowerBoundEffect

    Notes
    -----
    Only the lower bound changes; the upper bound, the weights (nominal), the treatment (the first
    option) and the geometric mean at every level stay. Ranks follow the nominal tie rule; the
    Spearman coefficient uses average ranks (:func:`~cityeval.audit.agreement.spearman_rows`).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> effect = lower_bound_effect(design, top_n=5, tolerance=1)
    >>> effect.table.index.tolist(), float(effect.table.at[1.0, "spearman_reference"])
    ([0.1, 1.0, 10.0], 1.0)
    """
    if not design._geometric.any():
        raise ParameterError("design", "an audit design with a geometric aggregation option",
                             Shown(f"options {design.labels['aggregate']}"))
    top_n = check_integer("top_n", top_n, low=1)
    tolerance = check_number("tolerance", tolerance, low=0, allowed="a number of places >= 0")
    n = check_integer("n", n, low=0)
    seed = check_seed(seed, allow_none=n == 0)
    if isinstance(lows, (str, bytes)) or not hasattr(lows, "__iter__"):
        raise ParameterError("lows", "a sequence of lower bounds", lows)
    ref_low, high = _bounds(design.options["normalize"][_minmax_options(design)[0]])
    values = sorted({ref_low, *(check_number("lows", v, low=0, low_open=True) for v in lows)})
    designs = {low: design if low == ref_low else with_minmax_low(design, low) for low in values}
    ranks = np.stack([_geometric_ranks(d) for d in designs.values()])
    ref = ranks[values.index(ref_low)]
    order = np.argsort(design.nominal_rank, kind="stable")[:top_n]
    shift = np.abs(ranks - ref)
    table = pd.DataFrame({"spearman_nominal": spearman_rows(ranks, design.nominal_rank),
                          "spearman_reference": spearman_rows(ranks, ref), "mean_shift": shift.mean(axis=1),
                          "max_shift": shift[:, order].max(axis=1), "moved": (shift[:, order] > tolerance).sum(axis=1)},
                         index=pd.Index(values, name="low"))
    if n:
        rows = []
        for d in designs.values():
            mc = d.rank_uncertainty(n, seed=seed, return_ranks=True)
            top = mc.table.iloc[order]
            rho = spearman_rows(mc.ranks.to_numpy(dtype=float), design.nominal_rank)
            rows.append({"robust_share": float(robust_ranks(top, tolerance=tolerance).mean()),
                         "decided_share": float((neighbor_order(mc.ranks, top.index) >= DECIDED).mean()),
                         "spearman_median": float(np.nanmedian(rho))})
        table = table.join(pd.DataFrame(rows, index=table.index))
    return LowerBoundEffect(table=table, ranks=pd.DataFrame(ranks, index=table.index, columns=design.units),
                            reference_low=ref_low, high=high, top_n=top_n, tolerance=tolerance, n=n)
