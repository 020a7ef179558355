"""Notebook 02's findings in words: the published rank agreements and the conclusion texts.

Re-exported by :mod:`cityeval.analysis.correlation`; the notebook calls these and prints.
The texts are built from the named results of :mod:`cityeval.analysis.correlation`, so a
rerun on other data changes them with the numbers.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_integer

__all__ = ["InnovationFindings", "innovation_findings", "published_agreement"]

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


class InnovationFindings(NamedTuple):
    """Result of :func:`innovation_findings`: ``summary`` (one sentence) and ``conclusions`` (list of sentences)."""

    summary: str
    conclusions: list


def innovation_findings(head, without, part_whole, uncertainty: pd.DataFrame, sensitivity, *, synthetic: bool,
                        x: str = "TEC", at_n: int = 100, ranges: Mapping | None = None) -> InnovationFindings:
    """Notebook 02's conclusion: what the coefficient, the part-whole effect and the method choices say.

    Parameters
    ----------
    head : CorrelationTest
        ``x`` against the composite (:func:`~cityeval.analysis.correlation.correlation_test`).
    without : CorrelationTest
        ``x`` against the composite rebuilt without it.
    part_whole : PartWholeSummary
        From :func:`~cityeval.analysis.correlation.part_whole_summary`; gives the reported coefficient.
    uncertainty : pandas.DataFrame
        From :func:`~cityeval.analysis.correlation.fisher_ci_table` of the reported coefficient; must hold ``at_n``.
    sensitivity : MethodSensitivity
        From :func:`~cityeval.analysis.correlation.method_sensitivity`.
    synthetic : bool
        The data are the synthetic panel (the texts say "illustrative").
    x : str, default "TEC"
        The dimension's code, as written in the texts.
    at_n : int, default 100
        The sample size at which the reported coefficient's interval is quoted (the report's Fig. 18 shows 100).
    ranges : mapping of str -> str, optional
        The spread over the ensemble of panels fitting the published ranks, as
        ``EnsembleSummary.range_text`` writes it (``"0.36 (5–95% over 50 illustrative panels: 0.21–0.48)"``),
        for ``"r"``, ``"part_whole_share"`` and ``"mean_rho"`` (of
        :func:`~cityeval.analysis.correlation.ensemble_statistics`). When given, the summary quotes these
        instead of the nominal panel's numbers, and the conclusions add them: on synthetic data one
        panel's number is not a finding.

    Returns
    -------
    InnovationFindings
        ``summary`` and ``conclusions``.

    Examples
    --------
    >>> from cityeval.analysis.correlation import (CorrelationTest, MethodSensitivity, fisher_ci_table,
    ...                                           part_whole_summary)
    >>> head = CorrelationTest("pearson", 100, 0.36, 0.17, 0.52, 0.17, 0.51, 0.001)
    >>> without = CorrelationTest("pearson", 100, 0.07, -0.13, 0.26, -0.16, 0.28, 0.47)
    >>> pw = part_whole_summary(6, reported_r=0.7561, mean_rho=0.18, simulations={})
    >>> grid = MethodSensitivity(pd.DataFrame({"minmax": [0.36, 0.39]}), {})
    >>> f = innovation_findings(head, without, pw, fisher_ci_table(0.7561, [100]), grid, synthetic=True)
    >>> f.conclusions[1]
    'Without TEC in the composite the coefficient is 0.070: it falls by 0.290 (the part-whole difference r minus r without TEC, a difference of two correlations).'
    """
    synthetic = check_bool("synthetic", synthetic)
    at_n = check_integer("at_n", at_n, low=4)
    ranges = _check_ranges(ranges)
    if at_n not in uncertainty.index:
        raise ParameterError("at_n", f"a sample size of the uncertainty table ({list(uncertainty.index)})", at_n)
    reported = f"{part_whole.reported_r:g}"
    k = _WORDS.get(part_whole.k, str(part_whole.k))
    lo_n, hi_n = uncertainty.at[at_n, "fisher_ci_low"], uncertainty.at[at_n, "fisher_ci_high"]
    grid = sensitivity.grid.values
    kind = ("nominal illustrative synthetic panel" if ranges else "illustrative, synthetic panel") if synthetic \
        else "data at hand"
    inside = head.fisher_ci_low <= part_whole.reported_r <= head.fisher_ci_high
    drop = head.statistic - without.statistic
    lines = [
        f"On the {kind}, {head.method} r({x}, composite) = {head.statistic:.3f} (95% Fisher CI {head.fisher_ci_low:.3f}-"
        f"{head.fisher_ci_high:.3f}, bootstrap {head.boot_ci_low:.3f}-{head.boot_ci_high:.3f}, permutation p = "
        f"{head.p_value:.4f}); the reported {reported} (from CCID's unpublished scores) is "
        f"{'inside' if inside else 'outside'} that interval"
        + (" — the synthetic panel was not tuned to it, so this says nothing about CCID's data." if synthetic else "."),
        f"Without {x} in the composite the coefficient is {without.statistic:.3f}: it "
        f"{'falls' if drop >= 0 else 'rises'} by {abs(drop):.3f} (the part-whole difference r minus r without {x}, "
        "a difference of two correlations)."
        + (f" Over the panels that fit the published ranks: r = {ranges['r']}, without {x} "
           f"{ranges['r_without']}, part-whole difference {ranges['part_whole_share']}." if ranges else ""),
        f"For {k} standardized equal dimensions with no association the coefficient is already "
        f"{part_whole.floor_rho0:.3f}; {reported} implies a mean inter-dimension correlation of about "
        f"{part_whole.implied_rho:.3f}. Here the mean correlation between the {k} dimensions of the top {head.n} is "
        f"{ranges['mean_rho'] if ranges else format(part_whole.mean_inter_dimension_r, '.3f')}.",
        f"At n = {at_n}, {reported} itself has a 95% interval of {lo_n:.3f}-{hi_n:.3f}.",
        f"Across weighting x normalization the coefficient ranges {np.nanmin(grid):.3f}-{np.nanmax(grid):.3f}"
        + (" (on the nominal panel only)." if ranges else "."),
        "The published tables hold no technology-innovation ranking, so the report's figure cannot be checked with "
        "public data.",
    ]
    if ranges:
        values = (f"r({x}, composite) = {ranges['r']}, part-whole difference {ranges['part_whole_share']}, "
                  f"{ranges['r_without']} without {x}")
    else:
        values = (f"r({x}, composite) = {head.statistic:.3f} [{head.fisher_ci_low:.3f}, {head.fisher_ci_high:.3f}], "
                  f"{without.statistic:.3f} without {x}")
    summary = (f"{'Illustrative (synthetic panel): ' if synthetic else ''}{values}; {k} "
               f"standardized equal parts give {part_whole.floor_rho0:.3f} with no association; the reported "
               f"{reported} implies rho = {part_whole.implied_rho:.3f} and has CI {lo_n:.3f}-{hi_n:.3f} at n = {at_n}.")
    return InnovationFindings(summary=summary, conclusions=lines)


_RANGES = ("r", "r_without", "part_whole_share", "mean_rho")


def _check_ranges(ranges) -> dict | None:
    """``ranges`` as a dict of the four texts :func:`innovation_findings` quotes, or None."""
    if ranges is None:
        return None
    if not isinstance(ranges, Mapping) or not all(isinstance(ranges.get(n), str) for n in _RANGES):
        raise ParameterError("ranges", f"a mapping of {', '.join(_RANGES)} -> range text (EnsembleSummary.range_text)",
                             Shown(type(ranges).__name__ if not isinstance(ranges, Mapping)
                                   else f"keys {', '.join(map(str, ranges))}"))
    return dict(ranges)
