"""What a dimension's coefficient with the composite is made of, on the data at hand.

Re-exported by :mod:`cityeval.analysis.correlation`. When the composite is the weighted arithmetic mean of
the dimensions, Pearson's r of a dimension with it is a function of the dimensions' correlations and
standard deviations only (:func:`~cityeval.analysis.correlation.composite_correlation`, exact on sample
moments). So the coefficient can be taken apart: how much the unequal spreads move it (z-score the
dimensions), and how much the dimension's own correlations with the others do (give it the others' typical
correlation). Skewness acts only through those moments. :func:`coefficient_anatomy` computes all of it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_frame, check_weights

from cityeval.analysis._correlation_coefficient import coefficient
from cityeval.analysis._correlation_part_whole import composite_correlation

__all__ = ["CoefficientAnatomy", "coefficient_anatomy", "ANATOMY_ASSUMPTIONS"]

#: What :func:`coefficient_anatomy`'s decomposition rests on.
ANATOMY_ASSUMPTIONS = (
    "The composite is the weighted arithmetic mean of the dimensions (checked: the formula from the "
    "dimensions' correlations and spreads reproduces the coefficient).",
    "Pearson's r depends on the data only through correlations and standard deviations, so skewness changes "
    "the coefficient only through them.",
    "The counterfactual coefficients change one input at a time (the spreads, or the dimension's correlations), "
    "holding the others at their observed values.",
)


@dataclass(frozen=True)
class CoefficientAnatomy:
    """Result of :func:`coefficient_anatomy` (Pearson moments of the cities given).

    Attributes
    ----------
    x : str
        The dimension.
    n : int
        Cities.
    statistic : float
        Pearson's r of ``x`` with the composite column.
    r_formula : float
        :func:`composite_correlation` on the sample correlations, standard deviations and weights; equals
        ``statistic`` when the composite is their weighted mean (``weighted_mean``).
    weighted_mean : bool
        ``r_formula`` equals ``statistic`` (to 1e-9): the decomposition applies.
    r_zscored : float
        The formula with every standard deviation 1: the coefficient if each dimension were z-scored
        before the (same) weights.
    r_if_typical : float
        The formula with ``x``'s correlation with every other dimension set to ``others_mean_r`` (spreads and
        the others' correlations as observed); NaN if that matrix is not a valid correlation matrix.
    x_mean_r_with_others : float
        Mean correlation of ``x`` with each other dimension.
    others_mean_r : float
        Mean correlation between the other dimensions (their distinct pairs).
    mean_rho : float
        Mean correlation over all distinct pairs.
    effective_weight : float
        ``x``'s share w_x sigma_x / sum_k w_k sigma_k.
    sd : dict
        Dimension -> standard deviation (ddof = 1).
    skew : dict
        Dimension -> skewness (:func:`scipy.stats.skew`, ``bias=False``).
    """

    x: str
    n: int
    statistic: float
    r_formula: float
    weighted_mean: bool
    r_zscored: float
    r_if_typical: float
    x_mean_r_with_others: float
    others_mean_r: float
    mean_rho: float
    effective_weight: float
    sd: dict
    skew: dict


def coefficient_anatomy(scores: pd.DataFrame, dimensions, composite: str, *, x: str = "TEC",
                        weights=None) -> CoefficientAnatomy:
    """Take Pearson's r of dimension ``x`` with the composite apart into spreads and correlations.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per city; columns include ``dimensions`` and ``composite``; complete and finite; at least 4
        cities, at least 3 dimensions, none constant.
    dimensions : sequence of str
        The composite's dimensions (``x`` among them).
    composite : str
        The composite's column.
    x : str, default "TEC"
    weights : mapping or sequence, optional
        The dimensions' nominal weights in the composite (default equal), e.g. ``result.weights``.

    Returns
    -------
    CoefficientAnatomy

    Notes
    -----
    With R the sample correlation matrix, sigma the standard deviations and w the weights,
    r(X_x, C) = (R a)_x / sqrt(a' R a), a = w sigma (:func:`composite_correlation`). ``r_zscored`` sets
    sigma = 1; ``r_if_typical`` replaces row and column ``x`` of R (off the diagonal) by the others' mean
    correlation. Comparing the two with ``statistic`` says which of the two moves the coefficient more.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = pd.DataFrame(rng.normal(size=(50, 3)), columns=["A", "B", "C"])
    >>> f["T"] = f.mean(axis=1)
    >>> a = coefficient_anatomy(f, ["A", "B", "C"], "T", x="A")
    >>> a.weighted_mean, bool(abs(a.r_formula - a.statistic) < 1e-12)
    (True, True)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = scores)", Shown(type(scores).__name__))
    dimensions = list(dimensions)
    if len(dimensions) < 3:
        raise ParameterError("dimensions", "at least 3 dimensions (x and two others, whose correlation is compared)",
                             dimensions)
    check_choice("x", x, dimensions)
    check_choice("composite", composite, [c for c in scores.columns if c not in dimensions])
    absent = [d for d in dimensions if d not in scores.columns]
    if absent:
        raise ParameterError("dimensions", f"columns of scores ({', '.join(map(str, scores.columns))})", absent)
    values = check_frame(scores[dimensions], name="scores", rows="unit", columns="dimension score", min_rows=4,
                         complete=True, why="the correlations would be computed on different cities")
    sd = values.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise DataError(None, "dimension values must vary across the units (the correlation of a constant column is "
                        "undefined)", column=str(dimensions[int(np.argmax(sd == 0))]))
    w = np.full(len(dimensions), 1.0) if weights is None else check_weights(weights, dimensions)
    r = coefficient(scores[x], scores[composite])
    corr = np.corrcoef(values, rowvar=False)
    j = dimensions.index(x)
    others = [i for i in range(len(dimensions)) if i != j]
    iu = np.triu_indices(len(dimensions), 1)
    ou = np.triu_indices(len(others), 1)
    x_mean = float(corr[j, others].mean())
    others_mean = float(corr[np.ix_(others, others)][ou].mean())
    r_formula = float(composite_correlation(corr, weights=w, sd=sd)[j])
    r_z = float(composite_correlation(corr, weights=w)[j])
    typical = corr.copy()
    typical[j, others] = typical[others, j] = others_mean
    try:
        r_typ = float(composite_correlation(typical, weights=w, sd=sd)[j])
    except ParameterError:   # not positive semi-definite: no such data exist
        r_typ = math.nan
    a = w * sd
    skew = stats.skew(values, axis=0, bias=False)
    return CoefficientAnatomy(
        x=x, n=int(len(values)), statistic=r, r_formula=r_formula, weighted_mean=bool(abs(r_formula - r) < 1e-9),
        r_zscored=r_z, r_if_typical=r_typ, x_mean_r_with_others=x_mean, others_mean_r=others_mean,
        mean_rho=float(corr[iu].mean()), effective_weight=float(a[j] / a.sum()),
        sd={d: float(v) for d, v in zip(dimensions, sd)}, skew={d: float(v) for d, v in zip(dimensions, skew)})
