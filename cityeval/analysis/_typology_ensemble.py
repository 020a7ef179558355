"""What holds across panels in notebook 07: one panel's typology statistics and the yes/no tests of them.

:func:`ensemble_statistics` is the same function for the nominal panel and every member of the ensemble;
:func:`ensemble_conclusions` says, for each test, whether the rule decides it (:func:`rule_check` under the
notebook's selection, or the rule's arithmetic, :func:`high_count`) or the generator does (the low-carbon scores
are unpublished); :class:`TypologyStatistics` bundles them for
:func:`cityeval.notebook.spread.summarize`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityeval.validation import check_integer

from cityeval.analysis._typology_rule import _quantile, high_count, rule_check
from cityeval.analysis._typology_study import lowcarbon_typology, report_statements

__all__ = ["ENSEMBLE_NAMES", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "TypologyStatistics"]

#: The names of :func:`ensemble_statistics`, in order: the share of each type of :data:`TYPES`, then the report's
#: two statements as numbers, then starting + growing under the all-city rule (testable).
ENSEMBLE_NAMES = ("starting", "growing", "effective", "development_first", "majority_share", "top_k_effective",
                  "effective_in_top_k", "majority_share_all")


def ensemble_statistics(all_scores: pd.DataFrame, indicators: pd.DataFrame, *, composite: str, top_n: int = 100,
                        quantile: float = 0.5, top_k_overall: int = 10) -> dict:
    r"""Notebook 07's headline statistics of one panel: the type shares, the top-ten check, the testable share.

    Parameters
    ----------
    all_scores, indicators, composite, top_n, quantile, top_k_overall
        As for :func:`lowcarbon_typology` (one panel's ``all_scores`` and indicator table).

    Returns
    -------
    dict
        name -> float, in the order of :data:`ENSEMBLE_NAMES`:

        - ``starting``, ``growing``, ``effective``, ``development_first``: the share of the low-carbon
          top ``top_n`` in each type (they sum to 1), thresholds among the cities classified;
        - ``majority_share``: starting + growing (the report's 绝大部分城市都属于起步型和成长型);
        - ``top_k_effective``: the share of the overall top ``top_k_overall`` that is of the effective type
          (a city of the head outside the low-carbon top ``top_n`` is not classified, so not effective);
        - ``effective_in_top_k``: the share of the effective type that is in the overall head (NaN when the
          type is empty). Both are 1 exactly when 低碳成效型城市同时也是2022数字城市百强的前十名 holds;
        - ``majority_share_all``: starting + growing when the thresholds are the ``quantile`` of each score
          over all cities (``reference="all"``); under the low-carbon selection more than half needs a
          correlation of the two scores below :func:`majority_rho_bound` (-1 with equal weights).

    Raises
    ------
    ParameterError, DataError
        As :func:`lowcarbon_typology`.

    Notes
    -----
    Under the rule of :func:`classify` with thresholds among the cities classified, starting + growing
    are the cities whose development score is below its ``quantile``: with the median and distinct scores
    that is exactly half of an even number of cities, so "more than half" cannot hold whatever the data
    (:func:`rule_check` shows it on many data sets); the size of the effective type is likewise bounded
    by the rule (about a quarter when the two scores are unrelated).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展", "总"]}, index=["LOW", "E", "D", "ALL"])
    >>> s = pd.DataFrame({"LOW": [4.0, 3, 2, 1], "E": [4.0, 3, 1, 2], "D": [4.0, 1, 2, 3], "ALL": [1.0, 2, 3, 4]},
    ...                  index=list("abcd"))
    >>> ensemble_statistics(s, meta, composite="ALL", top_n=4, top_k_overall=2)
    {'starting': 0.25, 'growing': 0.25, 'effective': 0.25, 'development_first': 0.25, 'majority_share': 0.5, 'top_k_effective': 0.0, 'effective_in_top_k': 0.0, 'majority_share_all': 0.5}
    """
    study = lowcarbon_typology(all_scores, indicators, composite=composite, top_n=top_n, quantile=quantile,
                               top_k_overall=top_k_overall)
    statements = report_statements(study)
    shares = (study.counts / study.counts.sum()).to_numpy(float)
    c = statements.comparison
    out = dict(zip(ENSEMBLE_NAMES[:4], map(float, shares)))
    out["majority_share"] = statements.majority_share
    out["top_k_effective"] = len(c.overlap) / len(c.overall_top_k)
    out["effective_in_top_k"] = len(c.overlap) / len(c.effective) if c.effective else float("nan")
    everyone = lowcarbon_typology(all_scores, indicators, composite=composite, top_n=top_n, quantile=quantile,
                                  top_k_overall=top_k_overall, reference="all")
    out["majority_share_all"] = float(everyone.types["type"].isin(["起步型", "成长型"]).mean())
    return out


def ensemble_labels(top_k_overall: int = 10, quantile: float = 0.5) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures.

    >>> ensemble_labels(10)["top_k_effective"], ensemble_labels(10)["majority_share_all"]
    ('share of the overall top 10 of the effective type', 'share starting or growing, all-city median rule')
    """
    k = check_integer("top_k_overall", top_k_overall, low=1)
    q = _quantile(quantile)
    what = "median" if q == 0.5 else f"{q:g}-quantile"
    # English only: figures are drawn with the default font unless lang is zh (a CJK glyph would be an empty box)
    return {"starting": "share of the type starting", "growing": "share of the type growing",
            "effective": "share of the type effective",
            "development_first": "share of the type development-first (not in the report)",
            "majority_share": "share starting or growing (thresholds among the cities classified)",
            "top_k_effective": f"share of the overall top {k} of the effective type",
            "effective_in_top_k": f"share of the effective type in the overall top {k}",
            "majority_share_all": f"share starting or growing, all-city {what} rule"}


def ensemble_conclusions(top_k_overall: int = 10, *, top_n: int = 100, quantile: float = 0.5,
                         n_units: int = 293, weights=(0.5, 0.5)) -> dict:
    """The yes/no tests notebook 07 makes of each panel's statistics: text -> ``(test(stats) -> bool, basis)``
    (the bases of ``cityeval.notebook.spread``).

    The report's two statements (the first read as more than half), a weaker form of the second, and the
    first under the all-city rule.

    Bases, for ``top_n`` of ``n_units`` cities classified at ``quantile`` (distinct scores), selected by
    ``weights`` (the low-carbon score's effective weights on the standardized two scores):

    - "more than half ... starting or growing", under either rule: ``"rule"`` when :func:`rule_check` (with
      this selection) finds that "more than half" has one answer on every data set of a plausible dependence
      (thresholds among the cities classified: the share is ``1 - high_count / top_n`` whatever the data),
      else ``"generator"`` (the low-carbon scores are unpublished, so the panels' answer is the generator's: under
      the all-city rule with about equal weights, more than half needs strongly opposed scores,
      :func:`majority_rho_bound`, and the check finds it only with skewed, strongly opposed scores).
    - "every city of the overall top k is effective": ``"rule"`` when ``k > m`` (:func:`high_count`: the type
      cannot hold k cities), else ``"generator"``.
    - "the effective type is the overall top k": ``"rule"`` when ``k`` is outside the sizes the rule allows
      the type, ``max(0, 2m - n)`` ... ``m``; else ``"generator"``. With the median and 100 cities the type may
      hold 0 to 50 cities: ten is possible, if ecology and development are opposed enough, but the scores that
      decide it are unpublished, so on the panels the generator decides it.
    - "more than half of the overall top k are effective": ``"rule"`` when ``m < k // 2 + 1``, else
      ``"generator"``.

    The overall top k are published; which of them are in the low-carbon top ``top_n``, and of which type, is
    not: no published table constrains these verdicts (basis ``"generator"``, never credited to the published
    ranks).

    >>> tests = ensemble_conclusions(10, top_n=100)
    >>> s = {"majority_share": 0.5, "top_k_effective": 1.0, "effective_in_top_k": 0.4, "majority_share_all": 0.1}
    >>> [t(s) for t, _ in tests.values()]
    [False, True, False, True, False]
    >>> [basis for _, basis in tests.values()]
    ['rule', 'generator', 'generator', 'generator', 'generator']
    >>> [basis for _, basis in ensemble_conclusions(10, top_n=100, quantile=0.3).values()]
    ['rule', 'generator', 'rule', 'generator', 'rule']
    """
    k = check_integer("top_k_overall", top_k_overall, low=1)
    q = _quantile(quantile)
    n_units = check_integer("n_units", n_units, low=3)
    n = check_integer("top_n", top_n, low=3, high=n_units)
    m = high_count(n, q)
    every = "rule" if k > m else "generator"
    exact = "rule" if not max(0, 2 * m - n) <= k <= m else "generator"
    most = "rule" if m < k // 2 + 1 else "generator"

    def basis(reference):
        check = rule_check(top_n=n, quantile=q, n_units=n_units, reference=reference, weights=weights)
        return "rule" if check.decided("majority_share") is not None else "generator"

    what = "median" if q == 0.5 else f"{q:g}-quantile"
    return {
        "more than half of the classified cities are starting or growing": (lambda s: s["majority_share"] > 0.5,
                                                                            basis("classified")),
        f"every city of the overall top {k} is of the effective type": (lambda s: s["top_k_effective"] == 1, every),
        f"the effective type is the overall top {k}":
            (lambda s: s["top_k_effective"] == 1 and s["effective_in_top_k"] == 1, exact),
        f"more than half of the overall top {k} are of the effective type":
            (lambda s: s["top_k_effective"] > 0.5, most),
        f"more than half of the classified cities are starting or growing under the all-city {what} rule":
            (lambda s: s["majority_share_all"] > 0.5, basis("all")),
    }


@dataclass(frozen=True)
class TypologyStatistics:
    """:func:`ensemble_statistics` as the one ``statistics(panel)`` function of an ensemble summary.

    Called with a panel (any object with ``all_scores``, ``dataset.indicators`` and ``top_code``, e.g. a
    notebook's scored panel), it returns that panel's statistics with these options. ``n_units`` (the cities
    of a panel) and ``weights`` (the selection's effective weights, :attr:`LowCarbonTypology.selection_weights`)
    are what :func:`rule_check` draws for the bases of :meth:`conclusions`.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> meta = pd.DataFrame({"name_zh": ["低碳发展", "绿色生态", "绿色发展", "总"]}, index=["LOW", "E", "D", "ALL"])
    >>> s = pd.DataFrame({"LOW": [4.0, 3, 2, 1], "E": [4.0, 3, 1, 2], "D": [4.0, 1, 2, 3], "ALL": [1.0, 2, 3, 4]},
    ...                  index=list("abcd"))
    >>> panel = SimpleNamespace(all_scores=s, dataset=SimpleNamespace(indicators=meta), top_code="ALL")
    >>> TypologyStatistics(top_n=4, top_k_overall=2, n_units=4)(panel)["majority_share"]
    0.5
    """

    top_n: int = 100
    quantile: float = 0.5
    top_k_overall: int = 10
    n_units: int = 293
    weights: tuple = (0.5, 0.5)

    def __call__(self, panel) -> dict:
        return ensemble_statistics(panel.all_scores, panel.dataset.indicators, composite=panel.top_code,
                                   top_n=self.top_n, quantile=self.quantile, top_k_overall=self.top_k_overall)

    def labels(self) -> dict:
        return ensemble_labels(self.top_k_overall, self.quantile)

    def conclusions(self) -> dict:
        return ensemble_conclusions(self.top_k_overall, top_n=self.top_n, quantile=self.quantile,
                                    n_units=self.n_units, weights=self.weights)
