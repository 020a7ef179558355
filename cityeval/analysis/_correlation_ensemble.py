"""Notebook 02's statistics of one panel, for the ensemble spread; re-exported by :mod:`cityeval.analysis.correlation`.

Every panel that reproduces the published ranks is as good as the nominal one, so notebook 02
computes the same few statistics on the nominal panel and on every member of the ensemble
(:mod:`cityeval.notebook.spread` summarizes them). :func:`ensemble_statistics` is that one function;
it takes plain frames, so it knows nothing of panels. It uses no resampling at all (the point
coefficients and Fisher's interval only), which keeps it at a few milliseconds per panel: the
bootstrap and permutation intervals of the notebook's first section are for the nominal panel only.
:func:`ensemble_labels` names the statistics and :func:`ensemble_conclusions` gives the yes/no tests
the notebook's text makes of them; :class:`EnsembleStatistics` holds the notebook's choices and hands
all three to :func:`cityeval.notebook.spread.summarize`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number

from cityeval.analysis._correlation_coefficient import CORRELATION_METHODS, MIN_PAIRS, coefficient, fisher_ci
from cityeval.analysis._correlation_part_whole import composite_without, mean_intercorrelation, part_whole_r

__all__ = ["ENSEMBLE_STATISTICS", "ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "EnsembleStatistics"]

#: The names :func:`ensemble_statistics` returns, in order.
ENSEMBLE_STATISTICS = ("r", "r_without", "part_whole_share", "mean_rho")


def ensemble_statistics(scores: pd.DataFrame, dimensions, composite: str, *, x: str = "TEC",
                        method: str = "pearson") -> dict:
    """The coefficient of ``x`` with the composite, with and without ``x`` in it, on one panel.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per city (e.g. the top 100 by composite), columns including ``dimensions`` and
        ``composite``; finite.
    dimensions : sequence of str
        The composite's dimensions (``x`` among them).
    composite : str
        The composite's column.
    x : str, default "TEC"
        The dimension correlated with the composite.
    method : {"pearson", "spearman"}, default "pearson"
        Coefficient of ``r`` and ``r_without``.

    Returns
    -------
    dict
        ``r``: the coefficient of ``x`` and the composite (:func:`~cityeval.analysis.correlation.coefficient`);
        ``r_without``: of ``x`` and the composite rebuilt without it (:func:`composite_without`, equal
        weights of the other dimensions); ``part_whole_share``: ``r - r_without``, how much the
        coefficient falls when ``x`` leaves the composite (a difference of two correlations, not a
        share of ``r``: it is not bounded by ``r`` and the two coefficients are of different
        composites; the key keeps its historical name); ``mean_rho``: the mean Pearson
        correlation between the dimensions (:func:`mean_intercorrelation`). All floats.

    Raises
    ------
    ParameterError
        ``scores`` not a DataFrame, ``x`` not one of ``dimensions``, ``composite`` not a column.
    DataError
        A missing or infinite score (named by its city).

    Notes
    -----
    No resampling: a panel's statistics take a few milliseconds, so the same function serves the
    nominal panel and each of the ensemble's members.

    Examples
    --------
    >>> scores = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0], "B": [2.0, 1.0, 4.0, 3.0]}, index=list("wxyz"))
    >>> scores["C"] = scores.mean(axis=1)
    >>> s = ensemble_statistics(scores, ["A", "B"], "C", x="A")
    >>> # r(A, B) = 3 / 5 = 0.6 by hand; r(A, (A + B) / 2) = sqrt((1 + 0.6) / 2) = 0.8944
    >>> round(s["r"], 4), round(s["r_without"], 4), round(s["part_whole_share"], 4)
    (0.8944, 0.6, 0.2944)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = scores)",
                             Shown(type(scores).__name__))
    dimensions = list(dimensions)
    check_choice("x", x, dimensions)
    check_choice("composite", composite, [c for c in scores.columns if c not in dimensions])
    r = coefficient(scores[x], scores[composite], method=method)
    r_without = coefficient(scores[x], composite_without(scores, dimensions, x), method=method)
    return {"r": r, "r_without": r_without, "part_whole_share": r - r_without,
            "mean_rho": mean_intercorrelation(scores[dimensions])}


def ensemble_labels(*, x: str = "TEC", method: str = "pearson", n: int | None = None) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures.

    >>> ensemble_labels(n=100)["r"]
    'pearson r(TEC, composite), top 100'
    """
    top = f", top {n}" if n is not None else ""
    return {"r": f"{method} r({x}, composite){top}",
            "r_without": f"{method} r({x}, composite rebuilt without {x}){top}",
            "part_whole_share": f"part-whole difference: r minus r without {x}{top}",
            "mean_rho": f"mean Pearson r between the dimensions{top}"}


def ensemble_conclusions(*, k: int, n: int, reported_r: float, x: str = "TEC", method: str = "pearson",
                         level: float = 0.95) -> dict:
    """The yes/no tests notebook 02's text makes of :func:`ensemble_statistics`, by their sentence.

    Parameters
    ----------
    k : int
        Number of dimensions of the composite (the floor is ``part_whole_r(k, 0) = 1/sqrt(k)``).
    n : int
        Cities per panel (for Fisher's interval).
    reported_r : float
        The report's coefficient (0.7561): compared with the interval, never a target.
    x, method, level
        The dimension, the coefficient and the interval's level.

    Returns
    -------
    dict
        sentence -> ``test(stats) -> bool`` on one panel's :func:`ensemble_statistics`:

        * ``r`` is above the no-association floor ``1/sqrt(k)``;
        * ``r`` falls when ``x`` leaves the composite (the part-whole difference ``r - r_without`` is positive);
        * ``r_without`` is positive at ``level`` (its Fisher interval lies above 0);
        * ``reported_r`` lies outside the Fisher interval of ``r``.

    Examples
    --------
    >>> tests = ensemble_conclusions(k=6, n=100, reported_r=0.7561)
    >>> [t({"r": 0.36, "r_without": 0.07, "part_whole_share": 0.29, "mean_rho": 0.18}) for t in tests.values()]
    [False, True, False, True]
    """
    k = check_integer("k", k, low=2)
    n = check_integer("n", n, low=MIN_PAIRS)
    reported_r = check_number("reported_r", reported_r, low=-1, high=1)
    check_choice("method", method, CORRELATION_METHODS)
    level = check_number("level", level, low=0, high=1, low_open=True, high_open=True)
    floor = part_whole_r(k, 0.0)
    pct = f"{100 * level:g}%"

    def interval(r):
        return fisher_ci(r, n, level=level, method=method) if abs(r) < 1 else (r, r)

    return {
        f"r({x}, composite) is above the no-association floor 1/√{k} = {floor:.3f}": lambda s: s["r"] > floor,
        f"r falls when {x} leaves the composite (the part-whole difference r minus r without {x} is positive)":
            lambda s: s["part_whole_share"] > 0,
        f"{x} correlates positively with the composite rebuilt without it (the {pct} Fisher interval lies above 0)":
            lambda s: interval(s["r_without"])[0] > 0,
        f"the reported {reported_r:g} lies outside the {pct} Fisher interval of r({x}, composite)":
            lambda s: not (interval(s["r"])[0] <= reported_r <= interval(s["r"])[1]),
    }


@dataclass(frozen=True)
class EnsembleStatistics:
    """Notebook 02's choices, as the ``statistics`` callable of :func:`cityeval.notebook.spread.summarize`.

    ``stats(panel)`` is :func:`ensemble_statistics` of a scored panel (any object with ``scores``,
    ``dimensions`` and ``top_code``, such as :class:`cityeval.notebook.panel.ScoredPanel`);
    :meth:`labels` and :meth:`conclusions` give :func:`ensemble_labels` and :func:`ensemble_conclusions`
    for the same choices. The arguments are checked when it is made.

    Parameters
    ----------
    k : int
        Dimensions of the composite.
    n : int
        Cities per panel.
    reported_r : float
        The report's coefficient (drawn beside, never a target).
    x, method, level
        As for :func:`ensemble_conclusions`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> scores = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0], "B": [2.0, 1.0, 4.0, 3.0]}, index=list("wxyz"))
    >>> panel = SimpleNamespace(scores=scores.assign(C=scores.mean(axis=1)), dimensions=["A", "B"], top_code="C")
    >>> stats = EnsembleStatistics(k=2, n=4, reported_r=0.7561, x="A")
    >>> round(stats(panel)["r_without"], 4), list(stats.labels()) == list(stats(panel))
    (0.6, True)
    """

    k: int
    n: int
    reported_r: float
    x: str = "TEC"
    method: str = "pearson"
    level: float = 0.95

    def __post_init__(self):
        if not isinstance(self.x, str) or not self.x:
            raise ParameterError("x", "a dimension code (a non-empty text, e.g. 'TEC')", Shown(repr(self.x)))
        self.conclusions()   # checks k, n, reported_r, method and level, each by its name

    def __call__(self, panel) -> dict:
        return ensemble_statistics(panel.scores, panel.dimensions, panel.top_code, x=self.x, method=self.method)

    def labels(self) -> dict:
        return ensemble_labels(x=self.x, method=self.method, n=self.n)

    def conclusions(self) -> dict:
        return ensemble_conclusions(k=self.k, n=self.n, reported_r=self.reported_r, x=self.x, method=self.method,
                                    level=self.level)
