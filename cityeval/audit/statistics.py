"""A whole audit of one dataset in a few numbers, and those numbers over an ensemble of panels.

:func:`robustness_statistics` (and :class:`RobustnessStatistics`, the same as a function of a
panel, with its labels and yes/no conclusions) reduces notebook 09's audit to a few numbers:
the robust and decided shares of the top ranks, the mean rank shift, the Sobol' indices, the
Spearman correlation of the scenarios' rankings with the nominal one
(:mod:`cityeval.audit.agreement`), the largest effect of removing one indicator
(:mod:`cityeval.audit.leave_out`) and of moving min-max's lower bound under the geometric mean
(:mod:`cityeval.audit.bounds`). :func:`cityeval.notebook.spread.summarize` repeats them on every
panel of an ensemble that fits the published ranks; :func:`ensemble_summary` words the result.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cityeval.audit.agreement import scenario_spearman
from cityeval.audit.bounds import ALTERNATIVE_LOWS, lower_bound_effect
from cityeval.audit.design import prepare
from cityeval.audit.leave_out import indicator_out
from cityeval.audit.report import DECIDED, RobustnessReport
from cityeval.audit.spec import check_spec
from cityeval.audit.summary import choice_names, neighbor_order, robust_ranks
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_integer, check_number, check_power_of_two, check_seed

__all__ = ["ensemble_summary", "robustness_statistics", "RobustnessStatistics", "SPEARMAN_THRESHOLD"]

#: The Spearman coefficient a conclusion of :class:`RobustnessStatistics` compares the scenarios' 5% quantile with.
SPEARMAN_THRESHOLD = 0.95


def ensemble_summary(report: RobustnessReport, result, sensitivity, *, panels: int, scenarios: int,
                     robust: tuple, decided: tuple, largest: dict) -> str:
    """The one-sentence summary of an audit repeated over an ensemble of panels: the ranges first, the nominal after.

    On synthetic data one panel's shares say what its invented gaps allow; what holds across the
    panels that fit the published ranks leads, and the nominal panel's full audit follows, labelled
    as that panel's.

    Parameters
    ----------
    report, result, sensitivity
        The nominal panel's full audit, as for :func:`conclusions`.
    panels : int
        Ensemble panels the ranges are over, >= 1.
    scenarios : int
        Monte Carlo scenarios per ensemble panel, >= 1.
    robust, decided : tuple of float
        The 5% and 95% quantiles over the panels of the robust share and of the decided share of
        neighbour pairs, each in [0, 1], low <= high.
    largest : dict
        Choice of the spec -> number of panels (0 ... ``panels``) in which it has the largest total
        Sobol' index; every choice of the spec.

    Returns
    -------
    str

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec, prepare, robustness_report
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, alternatives_spec([1, 2], 0.25), method={"treat": {"method": "none"}})
    >>> res = design.rank_uncertainty(200, seed=1, return_ranks=True)
    >>> text = ensemble_summary(robustness_report(res, top_n=5, tolerance=1), res, design.sensitivity(16, seed=1),
    ...                         panels=10, scenarios=50, robust=(0.2, 0.6), decided=(0.0, 0.25),
    ...                         largest={"weights": 0, "normalize": 3, "aggregate": 7})
    >>> text.split("; ")[0]
    'Illustrative (synthetic panels): across 10 panels that fit the published ranks (50 scenarios each), 20%–60% of the top 5 ranks stay within ± 1 places (5–95% over 10 illustrative panels) and 0%–25% of adjacent pairs keep their order in 90% of scenarios (5–95% over 10 illustrative panels)'
    """
    panels = check_integer("panels", panels, low=1)
    scenarios = check_integer("scenarios", scenarios, low=1)
    for name, pair in (("robust", robust), ("decided", decided)):
        ok = (isinstance(pair, (tuple, list)) and len(pair) == 2
              and all(isinstance(v, (int, float, np.floating)) and not isinstance(v, bool) and 0 <= v <= 1
                      for v in pair) and pair[0] <= pair[1])
        if not ok:
            raise ParameterError(name, "a (5%, 95%) pair of shares in [0, 1], low <= high", Shown(repr(pair)))
    choices = list(result.spec["choices"])
    if not isinstance(largest, dict) or sorted(largest) != sorted(choices) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 0 <= v <= panels for v in largest.values()):
        raise ParameterError("largest", f"a dict of every choice ({', '.join(choices)}) -> panels, 0 ... {panels}",
                             Shown(repr(largest)))
    names = choice_names(result.spec)
    top, tolerance = report.intervals, report.tolerance
    over = f"5–95% over {panels} illustrative panels"
    lead = sorted((c for c in choices if largest[c]), key=lambda c: -largest[c])
    largest_text = ", ".join(f"{names[c]} in {largest[c]} of {panels}" for c in lead) or "no choice in any panel"
    idx = sensitivity.indices["total"]
    nominal_lead = idx.idxmax()
    mark = "Illustrative (synthetic panels): " if result.synthetic else ""
    return (f"{mark}across {panels} panels that fit the published ranks ({scenarios} scenarios each), "
            f"{robust[0]:.0%}–{robust[1]:.0%} of the top {len(top)} ranks stay within ± {tolerance:g} places ({over}) "
            f"and {decided[0]:.0%}–{decided[1]:.0%} of adjacent pairs keep their order in 90% of scenarios ({over}); "
            f"largest total Sobol' index: {largest_text} panels. The nominal panel's full audit ({result.n} "
            f"scenarios): {report.robust_share:.0%} robust, {report.neighbor_order_decided_share:.0%} of adjacent "
            f"pairs decided, largest total Sobol' index {names[nominal_lead]} ({idx[nominal_lead]:.2f}).")


def robustness_statistics(dataset, spec, *, n: int, n_sobol: int, seed: int, top_n: int,
                          tolerance: float = 5, lows=ALTERNATIVE_LOWS) -> dict:
    """A whole audit of one dataset in a few numbers: robust ranks, decided neighbors, Sobol' indices.

    The audit of notebook 09 (:func:`prepare`, :meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty`,
    :func:`robustness_report`'s shares, :meth:`~cityeval.audit.design.AuditDesign.sensitivity`),
    cheap enough to repeat on every panel of an ensemble: a smaller ``n`` and ``n_sobol`` than a
    full audit, and no bootstrap of the Sobol' indices.

    Parameters
    ----------
    dataset : Dataset
        The values and the indicator tree (its ``method.json`` is the nominal method).
    spec : dict
        The uncertainty spec (:mod:`cityeval.audit.spec`).
    n : int
        Monte Carlo scenarios, >= 1.
    n_sobol : int
        Rows of the Sobol' A and B matrices, a power of 2.
    seed : int
        Seed of the scenarios and of the Sobol' design.
    top_n : int
        Units by nominal rank whose robustness is measured, >= 2.
    tolerance : float, default 5
        Places, as for :func:`robustness_report`.
    lows : sequence of float, default :data:`~cityeval.audit.bounds.ALTERNATIVE_LOWS`
        The lower bounds of min-max compared with the spec's own.

    Returns
    -------
    dict
        ``robust_share`` and ``decided_share`` (:attr:`RobustnessReport.robust_share` and
        :attr:`RobustnessReport.neighbor_order_decided_share` of the top ``top_n``),
        ``robust_share_top10`` (the same share among nominal ranks 1-10), ``mean_rank_shift`` (its
        mean over the scenarios), then ``sobol_first_<choice>`` and ``sobol_total_<choice>`` per
        uncertain choice of ``spec`` (:attr:`SensitivityResult.indices`, point estimates: with few
        rows a first-order estimate can fall slightly below 0 or a total above 1); then
        ``spearman_median`` and ``spearman_q05`` (the scenarios' Spearman correlation with the nominal
        ranking, :func:`~cityeval.audit.agreement.scenario_spearman`), ``indicator_out_spearman_min``
        and ``indicator_out_moved_max`` (over the indicators removed one at a time: the lowest Spearman
        with the nominal ranking and the most top-``top_n`` units moved by more than ``tolerance``,
        :func:`~cityeval.audit.leave_out.indicator_out`), ``bound_spearman_min`` and
        ``bound_moved_max`` (the same over min-max's lower bounds ``lows`` against the spec's own,
        under the geometric mean at nominal weights, :func:`~cityeval.audit.bounds.lower_bound_effect`;
        NaN when the spec has no min-max or no geometric option).

    Raises
    ------
    ParameterError, DataError
        As :func:`prepare`, :meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty` and
        :meth:`~cityeval.audit.design.AuditDesign.sensitivity` (naming ``n``, ``top_n`` ...).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import alternatives_spec
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> st = robustness_statistics(toy, alternatives_spec([1, 2], 0.25), n=100, n_sobol=32, seed=1, top_n=5)
    >>> list(st)[:4], list(st)[-6:-4]
    (['robust_share', 'robust_share_top10', 'decided_share', 'mean_rank_shift'], ['spearman_median', 'spearman_q05'])
    """
    top_n = check_integer("top_n", top_n, low=2)
    tolerance = check_number("tolerance", tolerance, low=0, allowed="a number of places >= 0")
    seed = check_seed(seed)
    # an ensemble's statistics keep the balanced designs of notebook 09's parameters (sensitivity itself allows any
    # n >= 2 since issue 16, with a warning): one rule for the class and the function
    check_power_of_two("n_sobol", n_sobol, low=2, example=128)
    design = prepare(dataset, spec)
    mc = design.rank_uncertainty(n, seed=seed, return_ranks=True)
    top = mc.table.sort_values("nominal", kind="stable").head(top_n)
    robust = robust_ranks(top, tolerance=tolerance)
    ahead = neighbor_order(mc.ranks, top.index)
    sens = design.sensitivity(n_sobol, seed=seed, n_boot=0)
    out = {"robust_share": float(robust.mean()),
           "robust_share_top10": float(robust[top["nominal"].astype(float) <= 10].mean()),
           "decided_share": float((ahead >= DECIDED).mean()),
           "mean_rank_shift": float(np.mean(mc.mean_rank_shift))}
    for kind in ("first", "total"):
        for choice in sens.indices.index:
            out[f"sobol_{kind}_{choice}"] = float(sens.indices.at[choice, kind])
    rho = scenario_spearman(mc)
    out["spearman_median"], out["spearman_q05"] = rho.median, rho.q05
    removed = indicator_out(design, top_n=top_n, tolerance=tolerance).table
    out["indicator_out_spearman_min"] = float(removed["spearman"].min())
    out["indicator_out_moved_max"] = float(removed["moved"].max())
    out["bound_spearman_min"] = out["bound_moved_max"] = float("nan")
    has_minmax = any(e.get("method") == "minmax" for e in design.options["normalize"])
    if has_minmax and design._geometric.any():
        bounds = lower_bound_effect(design, lows, top_n=top_n, tolerance=tolerance)
        others = bounds.table.drop(index=bounds.reference_low)
        if len(others):
            out["bound_spearman_min"] = float(others["spearman_reference"].min())
            out["bound_moved_max"] = float(others["moved"].max())
    return out


def _spec_low(spec) -> str:
    """The lower bound of the spec's first min-max option, as text ("the spec's" when it names none)."""
    for option in spec.get("choices", {}).get("normalize", {}).get("options", []):
        if option.get("method") == "minmax" and "low" in option:
            return f"{option['low']:g}"
    return "the spec's"


@dataclass(frozen=True)
class _Test:
    """A conclusion on one panel's statistics, as a comparable callable (a notebook defines no lambda):
    ``stats[left] < right`` (``"below"``), ``stats[left] >= right`` (``"at_least"``), ``stats[left] > stats[right]``
    (``"above"``), or ``stats[left]`` above every ``stats[r]`` of ``right`` (``"largest"``). A NaN compares false."""

    kind: str
    left: str
    right: object

    def __call__(self, stats: dict) -> bool:
        x = stats[self.left]
        if self.kind == "below":
            return bool(x < self.right)
        if self.kind == "at_least":
            return bool(x >= self.right)
        if self.kind == "above":
            return bool(x > stats[self.right])
        return bool(all(x > stats[r] for r in self.right))


@dataclass(frozen=True)
class RobustnessStatistics:
    """:func:`robustness_statistics` as ``statistics(panel)`` for an ensemble summary, with labels and conclusions.

    :func:`cityeval.notebook.spread.summarize` applies one function to the nominal panel and to every
    member; a notebook defines none, so this object is it. ``panel`` is a
    :class:`~cityeval.composite.dataset.Dataset` or anything with one as ``dataset`` (a
    :class:`cityeval.notebook.panel.ScoredPanel`); only the dataset is read.

    Attributes
    ----------
    spec, n, n_sobol, seed, top_n, tolerance, lows
        As for :func:`robustness_statistics`.

    Examples
    --------
    >>> from cityeval.audit import alternatives_spec
    >>> stats = RobustnessStatistics(alternatives_spec([1, 2], 0.25), n=500, n_sobol=128, seed=1, top_n=100)
    >>> stats.labels()["sobol_total_aggregate"]
    "total Sobol' index of aggregation (128 rows)"
    >>> list(stats.conclusions())[-1]
    "aggregation has the largest total Sobol' index"
    """

    spec: dict
    n: int
    n_sobol: int
    seed: int
    top_n: int
    tolerance: float = 5
    lows: tuple = ALTERNATIVE_LOWS

    def __post_init__(self):
        # checked when made, so a bad argument fails once with its name, not on every panel of an ensemble
        check_spec(self.spec)
        check_integer("n", self.n, low=1)
        check_power_of_two("n_sobol", self.n_sobol, low=2, example=128)
        check_seed(self.seed)
        check_integer("top_n", self.top_n, low=2)
        check_number("tolerance", self.tolerance, low=0, allowed="a number of places >= 0")
        if isinstance(self.lows, (str, bytes)) or not hasattr(self.lows, "__iter__") or not len(self.lows):
            raise ParameterError("lows", "a non-empty sequence of min-max lower bounds > 0", self.lows)
        for low in self.lows:
            check_number("lows", low, low=0, low_open=True)

    def __call__(self, panel) -> dict:
        dataset = getattr(panel, "dataset", panel)
        return robustness_statistics(dataset, self.spec, n=self.n, n_sobol=self.n_sobol, seed=self.seed,
                                     top_n=self.top_n, tolerance=self.tolerance, lows=self.lows)

    def labels(self) -> dict:
        """name -> label of every number :meth:`__call__` returns (the scenario and row counts in each)."""
        names = choice_names(self.spec)
        out = {"robust_share": f"share of the top {self.top_n} ranks robust (± {self.tolerance:g}; {self.n} scenarios)",
               "robust_share_top10": f"share of ranks 1-10 robust (± {self.tolerance:g}; {self.n} scenarios)",
               "decided_share": f"share of the top {self.top_n}'s neighbour pairs decided ({self.n} scenarios)",
               "mean_rank_shift": f"mean absolute rank shift, places ({self.n} scenarios)"}
        for kind, word in (("first", "first-order"), ("total", "total")):
            for choice in self.spec["choices"]:
                out[f"sobol_{kind}_{choice}"] = f"{word} Sobol' index of {names[choice]} ({self.n_sobol} rows)"
        lows = " or ".join(f"{low:g}" for low in self.lows)
        out.update({
            "spearman_median": f"median Spearman of a scenario's ranking with the nominal one ({self.n} scenarios)",
            "spearman_q05": f"5% quantile of that Spearman over the scenarios ({self.n} scenarios)",
            "indicator_out_spearman_min": "lowest Spearman with the nominal ranking, one indicator removed",
            "indicator_out_moved_max": f"cities of the top {self.top_n} moved > ± {self.tolerance:g} places by removing "
                                       "one indicator (the largest count over the indicators)",
            "bound_spearman_min": f"lowest Spearman with the geometric ranking at min-max lower bound "
                                  f"{_spec_low(self.spec)}, lower bound {lows}",
            "bound_moved_max": f"cities of the top {self.top_n} moved > ± {self.tolerance:g} places by the lower bound "
                               f"{lows} (geometric mean; the larger count of the two)"})
        return out

    def largest_texts(self) -> dict:
        """choice -> the text of the conclusion "<choice> has the largest total Sobol' index" (:meth:`conclusions`)."""
        names = choice_names(self.spec)
        return {choice: f"{names[choice]} has the largest total Sobol' index" for choice in self.spec["choices"]}

    def summary(self, ensemble, report: RobustnessReport, result, sensitivity) -> str | None:
        """:func:`ensemble_summary` from an ensemble summary of these statistics (``None`` when no member has a
        robust share, e.g. no ensemble): the ranges of the robust and decided shares, and in how many members
        each choice has the largest total Sobol' index."""
        panels = ensemble.n_ok("robust_share")
        if not panels:
            return None
        return ensemble_summary(report, result, sensitivity, panels=panels, scenarios=self.n,
                                robust=ensemble.quantiles("robust_share")[::2],
                                decided=ensemble.quantiles("decided_share")[::2],
                                largest={c: sum(ensemble.conclusions[text]["holds"])
                                         for c, text in self.largest_texts().items()})

    def conclusions(self) -> dict:
        """The yes/no statements notebook 09 reads: text -> ``(test on one panel's statistics, basis)``.

        Every basis is ``"generator"`` (:data:`cityeval.notebook.spread.BASES`): robust ranks, decided
        pairs, scenario correlations, the effect of one indicator or of the lower bound, and the Sobol'
        indices all depend on the score gaps (and the indicator-level scores), which no published table
        constrains (ranks are unchanged by any increasing map of the scores). A verdict shared by every
        panel reflects the generator's structure, not the published ranks. None is a test's rejection.
        """
        totals = [f"sobol_total_{c}" for c in self.spec["choices"]]
        out = {f"fewer than half of the top {self.top_n} ranks are robust (most within noise)":
                   _Test("below", "robust_share", 0.5),
               f"most neighbour pairs of the top {self.top_n} are not decided": _Test("below", "decided_share", 0.5),
               f"ranks 1-10 are robust more often than the top {self.top_n} as a whole":
                   _Test("above", "robust_share_top10", "robust_share"),
               f"in 95% of scenarios the ranking of all cities correlates with the nominal one at Spearman >= "
               f"{SPEARMAN_THRESHOLD:g}": _Test("at_least", "spearman_q05", SPEARMAN_THRESHOLD),
               f"removing a single indicator moves at least one of the top {self.top_n} by more than ± "
               f"{self.tolerance:g} places": _Test("at_least", "indicator_out_moved_max", 1),
               f"a lower bound of {' or '.join(f'{low:g}' for low in self.lows)} instead of {_spec_low(self.spec)} for "
               "min-max moves at "
               f"least one of the top {self.top_n} by more than ± {self.tolerance:g} places under the geometric mean":
                   _Test("at_least", "bound_moved_max", 1)}
        for (choice, text), total in zip(self.largest_texts().items(), totals):
            out[text] = _Test("largest", total, tuple(t for t in totals if t != total))
        return {text: (test, "generator") for text, test in out.items()}
