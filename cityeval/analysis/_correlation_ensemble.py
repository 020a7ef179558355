"""Notebook 02's statistics of one panel, for the ensemble spread; re-exported by :mod:`cityeval.analysis.correlation`.

Every panel that reproduces the published ranks is as good as the nominal one, so notebook 02
computes the same few statistics on the nominal panel and on every member of the ensemble
(:mod:`cityeval.notebook.spread` summarizes them). :func:`ensemble_statistics` is that one function;
it takes plain frames, so it knows nothing of panels. It uses no resampling at all (point coefficients
and Pearson moments only), which keeps it at a few milliseconds per panel: the bootstrap and permutation
intervals of the notebook's first section are for the nominal panel only.
:func:`ensemble_labels` names the statistics and :func:`ensemble_conclusions` gives the yes/no tests
the notebook's text makes of them; :class:`EnsembleStatistics` holds the notebook's choices and hands
all three to :func:`cityeval.notebook.spread.summarize`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_integer, check_number

from cityeval.analysis._correlation_anatomy import coefficient_anatomy
from cityeval.analysis._correlation_coefficient import CORRELATION_METHODS, MIN_PAIRS, coefficient
from cityeval.analysis._correlation_part_whole import composite_without, mean_intercorrelation

__all__ = ["ENSEMBLE_STATISTICS", "FIGURE_STATISTICS", "ensemble_statistics", "ensemble_labels",
           "ensemble_conclusions", "EnsembleStatistics"]

#: The names :func:`ensemble_statistics` returns, in order.
ENSEMBLE_STATISTICS = ("r", "r_without", "part_whole_difference", "mean_rho", "r_all", "mean_rho_all",
                       "x_mean_r_with_others", "others_mean_r", "spread_effect", "correlation_effect",
                       "effective_weight")

#: The statistics notebook 02's ensemble figure draws (the table holds them all).
FIGURE_STATISTICS = ("r", "r_all", "part_whole_difference", "x_mean_r_with_others", "others_mean_r",
                     "spread_effect", "correlation_effect")


def ensemble_statistics(scores: pd.DataFrame, dimensions, composite: str, *, x: str = "TEC",
                        method: str = "pearson", all_scores: pd.DataFrame | None = None, weights=None) -> dict:
    """The coefficient of ``x`` with the composite and what it is made of, on one panel.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per city (e.g. the top 100 by composite), columns including ``dimensions`` and
        ``composite``; finite.
    dimensions : sequence of str
        The composite's dimensions (``x`` among them, at least 3).
    composite : str
        The composite's column.
    x : str, default "TEC"
        The dimension correlated with the composite.
    method : {"pearson", "spearman"}, default "pearson"
        Coefficient of ``r``, ``r_without`` and ``r_all``.
    all_scores : pandas.DataFrame, optional
        Every scored city, unselected (the same columns); without it ``r_all`` and ``mean_rho_all`` are NaN.
    weights : mapping or sequence, optional
        The dimensions' nominal weights in the composite (default equal), for the decomposition.

    Returns
    -------
    dict
        ``r``: the coefficient of ``x`` and the composite (:func:`~cityeval.analysis.correlation.coefficient`);
        ``r_without``: of ``x`` and the composite rebuilt without it (:func:`composite_without`, equal
        weights of the other dimensions); ``part_whole_difference``: ``r - r_without``, how much the
        coefficient falls when ``x`` leaves the composite (a difference of two correlations of ``x`` with two
        different composites, not a share of ``r``); ``mean_rho``: the mean Pearson correlation between the
        dimensions (:func:`mean_intercorrelation`); ``r_all``, ``mean_rho_all``: the same two over every city
        (unselected); ``x_mean_r_with_others`` and ``others_mean_r``: ``x``'s mean correlation with the other
        dimensions and theirs among themselves; ``spread_effect``: Pearson's r minus r with the dimensions
        z-scored (what the unequal spreads add); ``correlation_effect``: Pearson's r minus r had ``x``
        correlated with the others as they do among themselves (what ``x``'s own correlations add; NaN where
        that matrix is not a valid correlation matrix); ``effective_weight``: ``x``'s share of the composite's
        effective weights (weight times standard deviation). The last five are from
        :func:`~cityeval.analysis.correlation.coefficient_anatomy`, on ``scores``. All floats.

    Raises
    ------
    ParameterError
        ``scores`` not a DataFrame, ``x`` not one of ``dimensions``, ``composite`` not a column.
    DataError
        A missing or infinite score (named by its city).

    Examples
    --------
    >>> scores = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0], "B": [2.0, 1.0, 4.0, 3.0], "C": [1.0, 3.0, 2.0, 4.0]},
    ...                       index=list("wxyz"))
    >>> scores["T"] = scores.mean(axis=1)
    >>> s = ensemble_statistics(scores, ["A", "B", "C"], "T", x="A", all_scores=scores)
    >>> # by hand (equal SDs): r(A, B) = 0.6, r(A, C) = 0.8, r(B, C) = 0, so r(A, composite) = 2.4 / sqrt(5.8)
    >>> # and r(A, (B + C) / 2) = 1.4 / sqrt(2)
    >>> round(s["r"], 4), round(s["r_without"], 4), round(s["part_whole_difference"], 4)
    (0.9965, 0.9899, 0.0066)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = scores)",
                             Shown(type(scores).__name__))
    dimensions = list(dimensions)
    check_choice("x", x, dimensions)
    check_choice("composite", composite, [c for c in scores.columns if c not in dimensions])
    r = coefficient(scores[x], scores[composite], method=method)
    r_without = coefficient(scores[x], composite_without(scores, dimensions, x), method=method)
    if all_scores is None:
        r_all = mean_all = math.nan
    else:
        if not isinstance(all_scores, pd.DataFrame):
            raise ParameterError("all_scores", "a pandas DataFrame of every scored city", Shown(type(all_scores).__name__))
        r_all = coefficient(all_scores[x], all_scores[composite], method=method)
        mean_all = mean_intercorrelation(all_scores[dimensions])
    a = coefficient_anatomy(scores, dimensions, composite, x=x, weights=weights)
    return {"r": r, "r_without": r_without, "part_whole_difference": r - r_without,
            "mean_rho": mean_intercorrelation(scores[dimensions]), "r_all": r_all, "mean_rho_all": mean_all,
            "x_mean_r_with_others": a.x_mean_r_with_others, "others_mean_r": a.others_mean_r,
            "spread_effect": a.statistic - a.r_zscored, "correlation_effect": a.statistic - a.r_if_typical,
            "effective_weight": a.effective_weight}


def ensemble_labels(*, x: str = "TEC", method: str = "pearson", n: int | None = None,
                    n_total: int | None = None) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures.

    >>> ensemble_labels(n=100)["r"]
    'pearson r(TEC, composite), top 100'
    """
    top = f", top {n}" if n is not None else ""
    every = f", all {n_total} cities" if n_total is not None else ", all cities"
    return {"r": f"{method} r({x}, composite){top}",
            "r_without": f"{method} r({x}, composite rebuilt without {x}){top}",
            "part_whole_difference": f"part-whole difference: r minus r without {x}{top}",
            "mean_rho": f"mean Pearson r between the dimensions{top}",
            "r_all": f"{method} r({x}, composite){every} (unselected)",
            "mean_rho_all": f"mean Pearson r between the dimensions{every} (unselected)",
            "x_mean_r_with_others": f"mean Pearson r of {x} with the other dimensions{top}",
            "others_mean_r": f"mean Pearson r among the other dimensions{top}",
            "spread_effect": f"spread effect: Pearson r minus r of z-scored dimensions{top}",
            "correlation_effect": f"correlation effect: Pearson r minus r with {x} correlated like the others{top}",
            "effective_weight": f"effective weight of {x} (weight x SD share){top}"}


def ensemble_conclusions(*, n: int, n_total: int, x: str = "TEC", no_association_q95: float | None = None,
                         equal_weights: bool = True, method: str = "pearson") -> dict:
    """The yes/no tests notebook 02's text makes of :func:`ensemble_statistics`, by their sentence, with their basis.

    Parameters
    ----------
    n : int
        Cities per panel (the top ``n`` by composite).
    n_total : int
        Cities they are selected from.
    x : str, default "TEC"
    no_association_q95 : float, optional
        The 95% quantile of ``r`` with no association at all among the top ``n`` of ``n_total``
        (:func:`~cityeval.analysis.correlation.simulate_selection` at rho = 0); without it that test is left out.
    equal_weights : bool, default True
        The composite weights the dimensions equally (then the part-whole test is a property of the construction).
    method : {"pearson", "spearman"}, default "pearson"
        The coefficient of ``r`` (the guarantee below is Pearson's).

    Returns
    -------
    dict
        sentence -> ``(test, basis)``: ``test(stats) -> bool`` on one panel's :func:`ensemble_statistics`, ``basis``
        one of :data:`cityeval.notebook.spread.BASES`, what a verdict rests on:

        * ``r`` is above ``no_association_q95`` (when given): ``"generator"``, since no published table holds ``x``'s
          scores (its correlation with the rest is the generator's loading);
        * ``r`` falls when ``x`` leaves the composite (``part_whole_difference`` > 0): ``"rule"`` with equal weights and Pearson's r.
          With C = (X + (k-1)M)/k, M the mean of the others, rho = r(X, M) and s = (k-1) sd(M) / sd(X),
          r(X, C) = (1 + rho s) / sqrt(1 + 2 rho s + s^2) > rho for every |rho| < 1: it is positive when
          1 + rho s > 0 >= rho, and otherwise (1 + rho s)^2 - rho^2 (1 + 2 rho s + s^2) = (1 - rho^2)(1 + 2 rho s)
          has the sign that makes it so. ``"model"`` otherwise;
        * ``r_all`` is above ``r`` and ``mean_rho_all`` above ``mean_rho``: ``"generator"``, selection effects
          (range restriction by the composite) that the generator's positively correlated dimensions build in;
        * ``x_mean_r_with_others`` is below ``others_mean_r`` and ``|correlation_effect|`` exceeds
          ``|spread_effect|``: ``"generator"``, ``x``'s correlations being unpublished.

    Examples
    --------
    >>> tests = ensemble_conclusions(n=100, n_total=293, no_association_q95=0.38)
    >>> s = {"r": 0.48, "part_whole_difference": 0.29, "r_all": 0.76, "mean_rho": 0.28, "mean_rho_all": 0.57,
    ...      "x_mean_r_with_others": 0.16, "others_mean_r": 0.35, "spread_effect": 0.02, "correlation_effect": -0.21}
    >>> [t(s) for t, _ in tests.values()]
    [True, True, True, True, True, True]
    >>> [basis for _, basis in tests.values()]
    ['generator', 'rule', 'generator', 'generator', 'generator', 'generator']
    """
    n = check_integer("n", n, low=MIN_PAIRS)
    n_total = check_integer("n_total", n_total, low=n)
    equal_weights = check_bool("equal_weights", equal_weights)
    guaranteed = equal_weights and check_choice("method", method, CORRELATION_METHODS) == "pearson"
    out = {}
    if no_association_q95 is not None:
        q = check_number("no_association_q95", no_association_q95, low=-1, high=1)
        out[f"r({x}, composite) over the top {n} exceeds {q:.3f}, the 95th percentile of what the part-whole effect "
            f"and the selection of the top {n} of {n_total} give with no association at all (simulated, rho = 0)"] = \
            (lambda s: s["r"] > q, "generator")
    if guaranteed:
        out[f"r falls when {x} leaves the composite (the part-whole difference r minus r without {x} is positive; "
            f"with equal weights the construction guarantees it unless {x} is perfectly correlated with the mean of "
            "the other dimensions)"] = (lambda s: s["part_whole_difference"] > 0, "rule")
    else:
        out[f"r falls when {x} leaves the composite (the part-whole difference r minus r without {x} is positive)"] = \
            (lambda s: s["part_whole_difference"] > 0, "model")
    if n < n_total:
        out[f"r({x}, composite) over all {n_total} cities exceeds r over the top {n} (selection by the composite "
            "lowers the coefficient: a selection effect)"] = (lambda s: s["r_all"] > s["r"], "generator")
        out[f"the mean correlation between the dimensions over all {n_total} cities exceeds that over the top {n} "
            "(selection lowers it too: a selection effect)"] = (lambda s: s["mean_rho_all"] > s["mean_rho"], "generator")
    out[f"{x}'s mean correlation with the other dimensions is below the others' mean correlation among themselves "
        f"(top {n})"] = (lambda s: s["x_mean_r_with_others"] < s["others_mean_r"], "generator")
    out[f"{x}'s correlations with the other dimensions move Pearson's r more than the unequal spreads do "
        "(|correlation effect| > |spread effect|)"] = \
        (lambda s: abs(s["correlation_effect"]) > abs(s["spread_effect"]), "generator")
    return out


@dataclass(frozen=True)
class EnsembleStatistics:
    """Notebook 02's choices, as the ``statistics`` callable of :func:`cityeval.notebook.spread.summarize`.

    ``stats(panel)`` is :func:`ensemble_statistics` of a scored panel (any object with ``scores``,
    ``all_scores``, ``dimensions``, ``top_code`` and ``result.weights``, such as
    :class:`cityeval.notebook.panel.ScoredPanel`); :meth:`labels` and :meth:`conclusions` give
    :func:`ensemble_labels` and :func:`ensemble_conclusions` for the same choices. The arguments are
    checked when it is made.

    Parameters
    ----------
    n : int
        Cities per panel (the top ``n``).
    n_total : int
        Cities they are selected from.
    reported_r : float
        The report's coefficient (drawn beside ``r``, never a target).
    x, method
        The dimension and the coefficient.
    no_association_q95 : float, optional
        As for :func:`ensemble_conclusions`.
    equal_weights : bool, default True
        As for :func:`ensemble_conclusions` (the headline's weighting is equal).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> scores = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0], "B": [2.0, 1.0, 4.0, 3.0], "C": [1.0, 3.0, 2.0, 4.0]},
    ...                       index=list("wxyz"))
    >>> scores["T"] = scores.mean(axis=1)
    >>> panel = SimpleNamespace(scores=scores, all_scores=scores, dimensions=["A", "B", "C"], top_code="T",
    ...                         result=SimpleNamespace(weights=pd.Series(1 / 3, index=["A", "B", "C", "T"])))
    >>> stats = EnsembleStatistics(n=4, n_total=4, reported_r=0.7561, x="A")
    >>> round(stats(panel)["r_without"], 4), list(stats.labels()) == list(stats(panel))
    (0.9899, True)
    """

    n: int
    n_total: int
    reported_r: float
    x: str = "TEC"
    method: str = "pearson"
    no_association_q95: float | None = None
    equal_weights: bool = True

    def __post_init__(self):
        if not isinstance(self.x, str) or not self.x:
            raise ParameterError("x", "a dimension code (a non-empty text, e.g. 'TEC')", Shown(repr(self.x)))
        check_number("reported_r", self.reported_r, low=-1, high=1)
        check_choice("method", self.method, CORRELATION_METHODS)
        self.conclusions()   # checks n, n_total and no_association_q95, each by its name

    def __call__(self, panel) -> dict:
        weights = panel.result.weights.reindex(panel.dimensions) if hasattr(panel, "result") else None
        return ensemble_statistics(panel.scores, panel.dimensions, panel.top_code, x=self.x, method=self.method,
                                   all_scores=panel.all_scores, weights=weights)

    def labels(self) -> dict:
        return ensemble_labels(x=self.x, method=self.method, n=self.n, n_total=self.n_total)

    def conclusions(self) -> dict:
        return ensemble_conclusions(n=self.n, n_total=self.n_total, x=self.x, no_association_q95=self.no_association_q95,
                                    equal_weights=self.equal_weights, method=self.method)

    def zh(self) -> dict:
        """Chinese labels and conclusion texts, for ``summarize(..., zh=stats.zh())``: name or English conclusion
        text -> its Chinese (:func:`~cityeval.analysis._correlation_wording.ensemble_labels_zh`)."""
        from cityeval.analysis._correlation_wording import ensemble_conclusions_zh, ensemble_labels_zh

        english = list(self.conclusions())
        chinese = ensemble_conclusions_zh(n=self.n, n_total=self.n_total, x=self.x,
                                          no_association_q95=self.no_association_q95,
                                          guaranteed=self.equal_weights and self.method == "pearson")
        return {**ensemble_labels_zh(x=self.x, method=self.method, n=self.n, n_total=self.n_total),
                **dict(zip(english, chinese, strict=True))}

    @property
    def figure_names(self) -> list:
        """The statistics the ensemble figure draws (:data:`FIGURE_STATISTICS`)."""
        return list(FIGURE_STATISTICS)
