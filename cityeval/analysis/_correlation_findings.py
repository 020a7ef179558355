"""Notebook 02's findings in words: the published rank agreements, the conclusion texts and their assumptions.

Re-exported by :mod:`cityeval.analysis.correlation`; the notebook calls these and prints.
The texts are built from the named results of :mod:`cityeval.analysis.correlation`, so a
rerun on other data changes them with the numbers; every verdict in them ("exceeds", "moves r more")
is computed from those numbers, never written in advance.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import math

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool

from cityeval.analysis._correlation_anatomy import ANATOMY_ASSUMPTIONS, CoefficientAnatomy
from cityeval.analysis._correlation_coefficient import CorrelationTest
from cityeval.analysis._correlation_wording import assumptions_zh, conclusions_zh, summary_zh
from cityeval.analysis._correlation_part_whole import PART_WHOLE_ASSUMPTIONS, PartWholeSummary
from cityeval.analysis._correlation_selection import (NORMALITY_ASSUMPTION, UNSELECTED_ASSUMPTIONS, ImpliedRho,
                                                      SelectionSimulation, selection_assumptions)

__all__ = ["InnovationFindings", "innovation_findings", "innovation_assumptions", "published_agreement",
           "correlation_test_assumptions", "REPORT_READING_ASSUMPTIONS"]

#: What is assumed about the report's own reading: which cities Fig. 18's top 100 is a top of, and how many cities.
REPORT_READING_ASSUMPTIONS = (
    "Fig. 18 (图18 数字城市建设与技术创新能力百强分布) plots a top 100; by which ranking (the composite or technology "
    "innovation) is not stated, so both readings are shown.",
    "The number of cities evaluated is taken as 293, the count of CCID's 2020 edition (assumed: the 2022 report does "
    "not state it).")

_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def published_agreement(rankings: dict, *, reference: str = "overall_top100",
                        others=("infrastructure_top100", "governance_top50", "healthcare_top20")) -> dict:
    """Rank agreement of the ``reference`` list with each of ``others``, as notebook 02 shows it.

    Parameters
    ----------
    rankings : dict of str -> pandas.DataFrame
        Published rankings (:func:`cityeval.ccid2022.published.load_rankings`), columns ``rank``, ``city``.
    reference : str, default "overall_top100"
    others : sequence of str
        The lists compared with the reference.

    Returns
    -------
    dict
        list name -> ``{"n", "spearman", "kendall"}`` from
        :func:`cityeval.analysis.rank_agreement.rank_agreement` (cities on both lists, Spearman's rho
        and Kendall's tau-b of their ranks).

    Examples
    --------
    >>> a = pd.DataFrame({"rank": [1, 2, 3, 4], "city": list("wxyz")})
    >>> b = pd.DataFrame({"rank": [1, 2, 3, 4], "city": list("wxzy")})
    >>> out = published_agreement({"a": a, "b": b}, reference="a", others=["b"])
    >>> out["b"]["n"], round(out["b"]["spearman"], 12)   # d^2 = 0 + 0 + 1 + 1: 1 - 6 * 2 / 60
    (4, 0.8)
    """
    from cityeval.analysis.rank_agreement import rank_agreement

    if not isinstance(rankings, Mapping):
        raise ParameterError("rankings", "a dict of list name -> ranking (from published.load_rankings)",
                             Shown(type(rankings).__name__))
    for name in (reference, *others):
        if name not in rankings:
            raise ParameterError("rankings", f"a ranking named {name!r}", Shown(f"lists {', '.join(rankings)}"))
    out = {}
    for b in others:
        v = rank_agreement(rankings[reference], rankings[b])
        out[b] = {"n": v.n, "spearman": v.spearman, "kendall": v.kendall}
    return out


def correlation_test_assumptions(test: CorrelationTest, *, part_of_composite: bool = True, lang: str = "en") -> list:
    """The sentences a :class:`CorrelationTest`'s intervals and p-value rest on (for the results files; in Chinese
    with ``lang="zh"``, for the page).

    >>> t = CorrelationTest("pearson", 100, 0.5, float("nan"), float("nan"), 0.3, 0.6, 0.001, True)
    >>> correlation_test_assumptions(t)[1]
    "Fisher's interval is not given: cities selected by the composite are not a random sample from a bivariate normal population (the composite is truncated)."
    """
    if not isinstance(test, CorrelationTest):
        raise ParameterError("test", "a CorrelationTest (correlation_test)", Shown(type(test).__name__))
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    if lang == "zh":
        return assumptions_zh(test, part_of_composite=part_of_composite)
    if test.selected:
        out = [f"The bootstrap treats the {test.n} cities as independent draws from a population of cities selected "
               "the same way (the top cities by the composite), not from all cities.",
               "Fisher's interval is not given: cities selected by the composite are not a random sample from a "
               "bivariate normal population (the composite is truncated)."]
    else:
        out = [f"The bootstrap treats the {test.n} cities as independent draws from a population of such cities.",
               "Fisher's interval also assumes that population is bivariate normal."]
    out.append("The permutation p-value tests the null of no association"
               + (", which the part-whole construction rules out (the dimension is part of the composite)."
                  if part_of_composite else "."))
    return out


class InnovationFindings(NamedTuple):
    """Result of :func:`innovation_findings`: ``summary`` (one sentence), ``conclusions`` (list of sentences) and
    ``assumptions`` (results path -> the sentences that number rests on); ``summary_zh``: the summary in Chinese."""

    summary: str
    conclusions: list
    assumptions: dict
    summary_zh: str = ""
    conclusions_zh: tuple = ()

    def lines(self, lang: str = "en") -> list:
        """The conclusions in ``lang`` (``"zh"``: :attr:`conclusions_zh`, the same sentences in Chinese)."""
        if lang not in ("en", "zh"):
            raise ParameterError("lang", "'en' or 'zh'", lang)
        return list(self.conclusions_zh) if lang == "zh" else list(self.conclusions)


_RANGES = ("r", "r_without", "part_whole_difference", "mean_rho", "r_all", "mean_rho_all", "x_mean_r_with_others",
           "others_mean_r", "spread_effect", "correlation_effect")


def _check_ranges(ranges) -> dict | None:
    """``ranges`` as a dict of the texts :func:`innovation_findings` quotes, or None."""
    if ranges is None:
        return None
    if not isinstance(ranges, Mapping) or not all(isinstance(ranges.get(n), str) for n in _RANGES):
        raise ParameterError("ranges", f"a mapping of {', '.join(_RANGES)} -> range text (EnsembleSummary.range_text)",
                             Shown(type(ranges).__name__ if not isinstance(ranges, Mapping)
                                   else f"keys {', '.join(map(str, ranges))}"))
    return dict(ranges)


def _check(name, value, kind):
    if not isinstance(value, kind):
        raise ParameterError(name, f"a {kind.__name__}", Shown(type(value).__name__))
    return value


def _at_weight(curve: pd.DataFrame, weight: float):
    """(weight, implied rho) of the curve's row at ``weight``, else None."""
    hit = np.flatnonzero(np.isclose(curve["weight"].to_numpy(), weight, atol=1e-9))
    return (weight, float(curve["implied_rho"].iloc[hit[0]])) if hit.size else None


def _f(v, fmt=".3f") -> str:
    return "undefined" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, fmt)


def _anatomy_lines(a: CoefficientAnatomy, *, where: str) -> list:
    """What the data's Pearson r is made of: the spreads, the skews, the dimension's correlations (computed)."""
    if not a.weighted_mean:
        return [f"The composite is not the weighted arithmetic mean of the dimensions here (the formula gives "
                f"{a.r_formula:.3f}, the data {a.statistic:.3f}), so the coefficient is not taken apart."]
    x, k = a.x, len(a.sd)
    sd, skew = pd.Series(a.sd), pd.Series(a.skew)
    skew_rank = int((skew > skew[x]).sum()) + 1
    spread, corr = a.statistic - a.r_zscored, a.statistic - a.r_if_typical
    lines = [
        f"What makes {where} Pearson r({x}, composite) = {a.statistic:.3f}: the dimensions' standard deviations range "
        f"{sd.min():.1f}-{sd.max():.1f} ({x} {sd[x]:.1f}, effective weight {a.effective_weight:.3f} against 1/{k} = "
        f"{1 / k:.3f}); with every dimension z-scored r is {a.r_zscored:.3f} (the unequal spreads change it by "
        f"{spread:+.3f}). Skewness ranges {skew.min():.2f}-{skew.max():.2f} ({x} {skew[x]:.2f}, "
        f"{'the largest' if skew_rank == 1 else 'the smallest' if skew_rank == k else f'number {skew_rank} of {k} from the largest'}"
        "); it acts on Pearson's r only through "
        "the correlations and spreads.",
    ]
    if math.isnan(a.r_if_typical):
        lines.append(f"{x}'s mean correlation with the other {k - 1} dimensions is {a.x_mean_r_with_others:.3f}, "
                     f"theirs among themselves {a.others_mean_r:.3f} (giving {x} the others' correlation would not "
                     "be a valid correlation matrix, so that effect is not computed).")
        return lines
    weaker = "weaker" if a.x_mean_r_with_others < a.others_mean_r else "stronger"
    bigger = abs(corr) > abs(spread)
    lines.append(
        f"{x}'s mean correlation with the other {k - 1} dimensions is {a.x_mean_r_with_others:.3f}, theirs among "
        f"themselves {a.others_mean_r:.3f}; had {x} correlated with the others as they do among themselves, r would be "
        f"{a.r_if_typical:.3f} ({corr:+.3f} from {x}'s {weaker} correlation). So "
        + (f"{x}'s {weaker} correlation with the other dimensions, not the unequal spreads, moves r most."
           if bigger else f"the unequal spreads move r more than {x}'s {weaker} correlation with the other dimensions."))
    return lines


def innovation_findings(head, without, part_whole, implied, selection, anatomy, sensitivity, *, synthetic: bool,
                        no_association=None, x: str = "TEC", ranges: Mapping | None = None,
                        ranges_zh: Mapping | None = None) -> InnovationFindings:
    """Notebook 02's conclusion: what the coefficient, the part-whole effect, selection and the method choices say.

    Parameters
    ----------
    head : CorrelationTest
        ``x`` against the composite (:func:`~cityeval.analysis.correlation.correlation_test`).
    without : CorrelationTest
        ``x`` against the composite rebuilt without it.
    part_whole : PartWholeSummary
        From :func:`~cityeval.analysis.correlation.part_whole_summary`; gives the reported coefficient.
    implied : mapping
        ``{"unselected": ImpliedRho, "selected": ImpliedRho, "curve": DataFrame}`` for the reported coefficient:
        :func:`~cityeval.analysis.correlation.implied_rho_unselected` (all cities),
        :func:`~cityeval.analysis.correlation.implied_rho_selected` (the top cities by composite) and
        :func:`~cityeval.analysis.correlation.implied_rho_curve` (over the dimension's effective weight); optionally
        ``"selected_by_dimension"``: the top cities by the dimension itself (``simulate_selection(by="part")``), and
        the selected readings at other effective weights of the dimension
        (:func:`~cityeval.analysis.correlation.implied_rho_selected_at_weights`, keys ``selected_weight_*``).
    selection : SelectionSimulation
        The simulation ``implied["selected"]`` was read from (its ``mean_inter_r`` is quoted).
    anatomy : CoefficientAnatomy
        :func:`~cityeval.analysis.correlation.coefficient_anatomy` of the data at hand.
    sensitivity : MethodSensitivity
        From :func:`~cityeval.analysis.correlation.method_sensitivity`.
    synthetic : bool
        The data are the synthetic panel (the texts say "illustrative").
    no_association : SelectionSimulation, optional
        A simulation at rho = 0 for the data's own top ``head.n`` of ``n_total`` (e.g. ``rhos=[0.0]``); its band
        is quoted and compared with the data's r. Default: ``selection`` when it has rho = 0 and the same ``n_top``.
    x : str, default "TEC"
        The dimension's code, as written in the texts.
    ranges : mapping of str -> str, optional
        The spread over the ensemble of panels fitting the published ranks, as ``EnsembleSummary.range_text``
        writes it, for the names of :data:`_RANGES`. When given, the summary quotes these instead of the nominal
        panel's numbers: on synthetic data one panel's number is not a finding.
    ranges_zh : mapping of str -> str, optional
        The same ranges written in Chinese (``range_text(name, fmt, lang="zh")``), quoted by ``conclusions_zh`` and
        ``summary_zh``; default ``ranges``.

    Returns
    -------
    InnovationFindings
        ``summary``, ``conclusions`` and ``assumptions`` (keys are paths into notebook 02's results: ``headline``,
        ``other_coefficient``, ``without_tec``, ``part_whole``, ``implied_rho.unselected``, ``implied_rho.curve``,
        ``implied_rho.selected``, ``implied_rho.selected_weight_*`` when given, ``no_association_top``, ``anatomy``,
        ``conclusions`` and, with ``ranges``, ``ensemble``).

    Examples
    --------
    >>> from cityeval.analysis.correlation import (CorrelationTest, MethodSensitivity, coefficient_anatomy,
    ...     implied_rho_curve, implied_rho_selected, implied_rho_unselected, part_whole_summary, simulate_selection)
    >>> head = CorrelationTest("pearson", 100, 0.36, float("nan"), float("nan"), 0.17, 0.51, 0.001, True)
    >>> without = CorrelationTest("pearson", 100, 0.07, float("nan"), float("nan"), -0.16, 0.28, 0.47, True)
    >>> pw = part_whole_summary(6, reported_r=0.7561, mean_rho_top=0.18, mean_rho_all=0.48, simulations={})
    >>> sim = simulate_selection(6, rhos=[0.0, 0.5, 0.9], n_sim=50, seed=1)
    >>> implied = {"unselected": implied_rho_unselected(0.7561, 6, n=293),
    ...            "selected": implied_rho_selected(0.7561, sim), "curve": implied_rho_curve(0.7561, 6)}
    >>> rng = np.random.default_rng(0)
    >>> f6 = pd.DataFrame(rng.normal(size=(100, 6)), columns=["INF", "GOV", "LIV", "IND", "TEC", "LOW"])
    >>> anatomy = coefficient_anatomy(f6.assign(INDEX=f6.mean(axis=1)), list(f6), "INDEX")
    >>> grid = MethodSensitivity(pd.DataFrame({"minmax": [0.36, 0.39]}), {})
    >>> f = innovation_findings(head, without, pw, implied, sim, anatomy, grid, synthetic=True)
    >>> f.conclusions[3]
    'Without TEC in the composite the coefficient is 0.070: it falls by 0.290 (r minus r without TEC: a difference between two correlations of TEC with two different composites, not a share of r).'
    >>> f.lines("zh")[3]
    '综合指数去掉 TEC 后系数为 0.070：下降了 0.290（r 减去去掉 TEC 后的 r：这是 TEC 与两个不同综合指数的两个相关系数之差，不是 r 的一个份额）。'
    """
    synthetic = check_bool("synthetic", synthetic)
    for name, value, kind in (("head", head, CorrelationTest), ("without", without, CorrelationTest),
                              ("part_whole", part_whole, PartWholeSummary), ("selection", selection, SelectionSimulation),
                              ("anatomy", anatomy, CoefficientAnatomy)):
        _check(name, value, kind)
    if not isinstance(implied, Mapping) or not all(isinstance(implied.get(n), ImpliedRho) for n in ("unselected", "selected")) \
            or not isinstance(implied.get("curve"), pd.DataFrame):
        raise ParameterError("implied", "a mapping of unselected, selected (ImpliedRho) and curve (DataFrame)",
                             Shown(type(implied).__name__))
    ranges = _check_ranges(ranges)
    ranges_zh = _check_ranges(ranges_zh) or ranges
    null = no_association if no_association is not None else selection
    _check("no_association", null, SelectionSimulation)
    null0 = null.at(0.0)
    unsel, sel, curve = implied["unselected"], implied["selected"], implied["curve"]
    by_x = implied.get("selected_by_dimension")
    if by_x is not None:
        _check("implied['selected_by_dimension']", by_x, ImpliedRho)
    at_weights = {key: _check(f"implied[{key!r}]", v, ImpliedRho) for key, v in implied.items()
                  if key.startswith("selected_weight_")}
    reported = f"{part_whole.reported_r:g}"
    k = part_whole.k
    kname = _WORDS.get(k, str(k))
    grid = sensitivity.grid.values
    kind = ("nominal illustrative synthetic panel" if ranges else "illustrative, synthetic panel") if synthetic \
        else "data at hand"
    n, n_total = head.n, null.n_total
    drop = head.statistic - without.statistic
    if head.selected:
        interval = (f"95% bootstrap interval {head.boot_ci_low:.3f}-{head.boot_ci_high:.3f}, which refers to a "
                    f"population of cities selected like these top {n}; Fisher's interval is not given, because cities "
                    "selected by the composite are not a random bivariate-normal sample")
    else:
        interval = (f"95% Fisher interval {head.fisher_ci_low:.3f}-{head.fisher_ci_high:.3f}, bootstrap "
                    f"{head.boot_ci_low:.3f}-{head.boot_ci_high:.3f}")
    over = f"over the top {n} of {n_total}" if head.selected else f"over {n} cities"
    exceeds = head.statistic > null0["q95"]
    weights = [w for w in (_at_weight(curve, 0.10), _at_weight(curve, 0.25)) if w and not math.isnan(w[1])]
    if not weights:
        ok = curve.dropna()
        weights = [(float(ok["weight"].iloc[i]), float(ok["implied_rho"].iloc[i])) for i in (0, -1)] if len(ok) else []
    missing = curve.loc[curve["implied_rho"].isna() & (curve["weight"] > 1 / k), "weight"]
    unreachable = float(missing.min()) if len(missing) else None
    sel_inter = (float(np.interp(sel.statistic, selection.grid["rho"], selection.grid["mean_inter_r"]))
                 if not math.isnan(sel.statistic) else math.nan)
    lines = [
        f"On the {kind}, {head.method} r({x}, composite) {over} = {head.statistic:.3f} ({interval}). Its permutation "
        f"p = {head.p_value:.4f} tests no association, which the part-whole construction already rules out."
        + (f" The synthetic panel says nothing about CCID's {reported}: nothing was tuned to it." if synthetic else ""),
        f"With no association at all (rho = 0) one of {kname} standardized, equally weighted dimensions correlates "
        f"{part_whole.r_at_rho0:.3f} with the composite among unselected cities, and {null0['mean_r']:.3f} on average "
        f"among the top {null.n_top} of {n_total} selected by the composite (5-95% of {null.n_sim} simulations "
        f"{null0['q05']:.3f}-{null0['q95']:.3f}); the r here {'exceeds' if exceeds else 'does not exceed'} that band.",
        f"{part_whole.r_at_rho0:.3f} is not a floor: with non-negative correlations the coefficient can be as low as "
        f"1/√(1+(k−1)²) = {part_whole.lower_bound:.3f} for k = {k} ({x} uncorrelated with the others, the others "
        "perfectly correlated with each other).",
        f"Without {x} in the composite the coefficient is {without.statistic:.3f}: it "
        f"{'falls' if drop >= 0 else 'rises'} by {abs(drop):.3f} (r minus r without {x}: a difference between two "
        f"correlations of {x} with two different composites, not a share of r).",
        f"Read backwards, the reported {reported} implies a common correlation between the dimensions of rho = "
        f"{unsel.statistic:.3f} only if it was computed on unselected cities, with {x} at an effective weight "
        f"(weight x standard deviation share) of 1/{k} and every pair of dimensions equally correlated"
        + (f"; at effective weights {' and '.join(f'{w:.2f}' for w, _ in weights)} it implies "
           f"{' and '.join(f'{v:.3f}' for _, v in weights)}" if weights else "")
        + (f"; from an effective weight of {unreachable:.2f} on no common rho gives it (the dimension's weight alone "
           "makes r larger)" if unreachable is not None else "")
        + ". CCID's spreads are not published, so its effective weight is unknown.",
        f"If it was computed on all {unsel.n} cities (the count of CCID's 2020 edition, assumed: the 2022 report does not "
        f"state it), Fisher's 95% interval of r is {unsel.r_ci_low:.3f}-"
        f"{unsel.r_ci_high:.3f} (rho {unsel.ci_low:.3f}-{unsel.ci_high:.3f}); it refers to "
        f"{unsel.population[0].lower() + unsel.population[1:]}",
        f"If it was computed on the top {sel.n} of {sel.n_total} selected by the composite (Fig. 18 plots a top 100; by "
        "which ranking is not stated), "
        f"it needs rho ≈ {_f(sel.statistic, '.2f')} (the rho whose simulated 5-95% band contains it: "
        f"{_f(sel.ci_low, '.2f')}-{_f(sel.ci_high, '.2f')}{', at the end of the simulated grid' if sel.at_grid_edge else ''}); "
        "no Fisher interval applies to a selected set."
        + (f" If instead they are the top {by_x.n} by {x} itself (the report's text speaks of the 技术创新百强城市, the top 100 "
           f"technology-innovation cities), it needs rho ≈ {_f(by_x.statistic, '.2f')} ({_f(by_x.ci_low, '.2f')}-"
           f"{_f(by_x.ci_high, '.2f')}): selecting on either variable of the pair restricts the correlation about "
           "equally (Thorndike's case II)." if by_x is not None else "")
        + (" On the top by the composite with " + "; with ".join(
            f"{x} at effective weight {v.effective_weight:.2f} it needs rho ≈ {_f(v.statistic, '.2f')} ("
            f"{_f(v.ci_low, '.2f')}-{_f(v.ci_high, '.2f')}{', at the end of the simulated grid' if v.at_grid_edge else ''})"
            for v in at_weights.values()) + "." if at_weights else "")
        + " The simulation draws multivariate-normal dimensions. " + NORMALITY_ASSUMPTION,
        f"Both implied values are correlations among all cities before any selection. On the {kind} compare them with "
        f"the mean correlation between the dimensions over all cities, "
        f"{ranges['mean_rho_all'] if ranges else _f(part_whole.mean_rho_all)}, not with that over the top {n}, "
        f"{ranges['mean_rho'] if ranges else _f(part_whole.mean_rho_top)}, which selection lowers: in the simulation "
        f"the top {sel.n} of {sel.n_total} at rho = {_f(sel.statistic, '.2f')} have a mean correlation between "
        f"dimensions of {_f(sel_inter)}.",
        *_anatomy_lines(anatomy, where=f"the {kind}'s"),
        f"Across weighting x normalization the coefficient ranges {np.nanmin(grid):.3f}-{np.nanmax(grid):.3f}"
        + (" (on the nominal panel only)." if ranges else "."),
        "The published tables hold no technology-innovation ranking, so the report's figure cannot be checked with "
        "public data.",
    ]
    if ranges:
        lines.append(
            f"Over the panels that fit the published ranks: r = {ranges['r']}, over all cities {ranges['r_all']}, "
            f"without {x} {ranges['r_without']}, part-whole difference {ranges['part_whole_difference']}; {x}'s mean "
            f"correlation with the others {ranges['x_mean_r_with_others']}, the others' among themselves "
            f"{ranges['others_mean_r']}; spread effect {ranges['spread_effect']}, correlation effect "
            f"{ranges['correlation_effect']}.")
        values = (f"r({x}, composite) = {ranges['r']}, part-whole difference {ranges['part_whole_difference']}, "
                  f"{ranges['r_without']} without {x}")
    else:
        values = f"r({x}, composite) = {head.statistic:.3f}, {without.statistic:.3f} without {x}"
    values_zh = (f"r({x}, 综合指数) = {ranges_zh['r']}，部分与整体差 {ranges_zh['part_whole_difference']}，去掉 {x} 后 "
                 f"{ranges_zh['r_without']}" if ranges_zh else
                 f"r({x}, 综合指数) = {head.statistic:.3f}，去掉 {x} 后 {without.statistic:.3f}")
    summary = (f"{'Illustrative (synthetic panel): ' if synthetic else ''}{values}. With no association one of {kname} "
               f"standardized equal dimensions gives {part_whole.r_at_rho0:.3f} among unselected cities (not a floor: "
               f"the bound is {part_whole.lower_bound:.3f}) and {null0['mean_r']:.3f} among the top {null.n_top} of "
               f"{n_total}; the reported {reported} implies rho = {unsel.statistic:.3f} if computed on all {unsel.n} "
               f"cities with equal effective weights and one common correlation between every pair, rho ≈ {_f(sel.statistic, '.2f')} if on the top {sel.n} of "
               f"{sel.n_total}.")
    chinese = summary_zh(synthetic=synthetic, values=values_zh, k=k, r0=part_whole.r_at_rho0,
                         lower_bound=part_whole.lower_bound, null_mean=null0["mean_r"], n_top=null.n_top,
                         n_total=n_total, reported=reported, unselected=unsel.statistic, n_unselected=unsel.n,
                         selected=_f(sel.statistic, ".2f"), n_selected=sel.n, n_selected_total=sel.n_total)
    facts = dict(head=head, without=without, part_whole=part_whole, unsel=unsel, sel=sel, by_x=by_x, x=x, k=k,
                 n_total=n_total, null=null, null0=null0, ranges=ranges, ranges_zh=ranges_zh, reported=reported, grid=grid,
                 synthetic=synthetic, drop=drop, exceeds=exceeds, weights=weights, unreachable=unreachable,
                 at_weights=at_weights, sel_inter=sel_inter, anatomy=anatomy)
    return InnovationFindings(summary=summary, summary_zh=chinese, conclusions=lines,
                              conclusions_zh=tuple(conclusions_zh(facts)),
                              assumptions=innovation_assumptions(head, without, selection, null, synthetic=synthetic,
                                                                 ensemble=ranges is not None,
                                                                 by_dimension=by_x is not None,
                                                                 at_weights=at_weights))


def innovation_assumptions(head, without, selection, no_association, *, synthetic: bool, ensemble: bool,
                           by_dimension: bool = False, at_weights: Mapping | None = None) -> dict:
    """``results["assumptions"]`` of notebook 02: results path -> the sentences that number rests on.

    ``at_weights``: key -> :class:`ImpliedRho` of the selected readings at other effective weights (their paths are
    ``implied_rho.<key>``).

    >>> from cityeval.analysis.correlation import simulate_selection
    >>> sim = simulate_selection(6, rhos=[0.0], n_sim=10, seed=0)
    >>> t = CorrelationTest("pearson", 100, 0.5, float("nan"), float("nan"), 0.3, 0.6, 0.001, True)
    >>> a = innovation_assumptions(t, t, sim, sim, synthetic=True, ensemble=False)
    >>> sorted(a)[:3]
    ['anatomy', 'conclusions', 'headline']
    """
    data = (["The panel is synthetic, calibrated to the published ranks: its numbers are illustrative, not CCID's."]
            if synthetic else [])
    curve = [s for s in PART_WHOLE_ASSUMPTIONS if not s.startswith("Each dimension enters")] + [
        "The dimension's effective weight is the share on the axis; the other dimensions share the rest equally."]
    out = {
        "headline": data + correlation_test_assumptions(head),
        "other_coefficient": data + correlation_test_assumptions(head),
        "without_tec": data + ["The composite without the dimension is the equally weighted mean of the others."]
        + correlation_test_assumptions(without),
        "part_whole": list(PART_WHOLE_ASSUMPTIONS),
        "implied_rho.unselected": list(UNSELECTED_ASSUMPTIONS)
        + ["The reported coefficient is a Pearson correlation computed on all the report's cities.",
           REPORT_READING_ASSUMPTIONS[1]],
        "implied_rho.curve": curve,
        "implied_rho.selected": list(selection_assumptions(selection.n_total, selection.n_top))
        + ["The reported coefficient is a Pearson correlation computed on the top cities of Fig. 18, taken here as "
           "the top 100 by the composite.", *REPORT_READING_ASSUMPTIONS],
        "no_association_top": list(selection_assumptions(no_association.n_total, no_association.n_top)),
        "anatomy": data + list(ANATOMY_ASSUMPTIONS),
        "conclusions": data + ["Each conclusion rests on the assumptions listed for the numbers it quotes."],
    }
    if by_dimension:
        out["implied_rho.selected_by_dimension"] = (
            list(selection_assumptions(selection.n_total, selection.n_top, by="part"))
            + ["The reported coefficient is a Pearson correlation computed on the top cities by technology innovation.",
               *REPORT_READING_ASSUMPTIONS])
    for key, v in (at_weights or {}).items():
        _check(f"at_weights[{key!r}]", v, ImpliedRho)
        out[f"implied_rho.{key}"] = (
            list(selection_assumptions(v.n_total, v.n, weight=v.effective_weight,
                                       k=None if not v.equal_weights else round(1 / v.effective_weight)))
            + ["The reported coefficient is a Pearson correlation computed on the top cities of Fig. 18, taken here "
               "as the top 100 by the composite.", *REPORT_READING_ASSUMPTIONS])
    if ensemble:
        out["ensemble"] = ["Every panel of the ensemble reproduces the published ranks; the spread shows what those "
                           "ranks leave open under the generator's assumptions, not sampling error."]
    return out
