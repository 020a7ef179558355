"""Scores against a city covariate (GDP per capita, report Figs. 13 and 14); re-exported by
:mod:`cityeval.analysis.polarization`.

A dataset folder may hold ``covariates.csv`` (one row per city: ``unit`` and numeric columns such as
``population`` and ``gdp_per_capita``). A city without a covariate value is left out of a
coefficient and listed, never dropped silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.files import line_of, read_csv_checked
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_sample

from cityeval.analysis._polarization_statistics import MIN_N

__all__ = ["CovariateCorrelation", "covariate_correlation", "covariate_correlations", "covariate_table",
           "load_covariates", "load_covariate"]


@dataclass(frozen=True)
class CovariateCorrelation:
    """Result of :func:`covariate_correlation`.

    Attributes
    ----------
    n : int
        Cities used (those with a finite covariate value).
    missing : tuple
        Cities of the scores without a covariate value, in the scores' order.
    pearson, pearson_p_value : float
        Pearson's r and its two-sided p-value (:func:`scipy.stats.pearsonr`).
    spearman, spearman_p_value : float
        Spearman's rho and its two-sided p-value (:func:`scipy.stats.spearmanr`).
    """

    n: int
    missing: tuple
    pearson: float
    pearson_p_value: float
    spearman: float
    spearman_p_value: float


def covariate_correlation(x: pd.Series, covariate: pd.Series) -> CovariateCorrelation:
    """Pearson and Spearman correlation of scores with a city covariate, matched by city.

    Parameters
    ----------
    x : pandas.Series
        Scores indexed by city; finite (a NaN raises a DataError naming the city).
    covariate : pandas.Series
        The covariate (e.g. GDP per capita) indexed by city. Cities of ``x`` without a finite covariate
        value are left out of the coefficients and listed in ``missing`` (never dropped silently).
        Neither ``x`` nor the covariate may be constant over the cities used (a ParameterError).

    Returns
    -------
    CovariateCorrelation
        ``n``, ``missing``, ``pearson``, ``pearson_p_value``, ``spearman``, ``spearman_p_value``.

    Examples
    --------
    >>> x = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=list("abcde"))
    >>> res = covariate_correlation(x, pd.Series([1.0, 4.0, 9.0, np.nan, 25.0], index=list("abcde")))
    >>> res.n, res.missing, res.spearman
    (4, ('d',), 1.0)
    """
    for name, s in (("x", x), ("covariate", covariate)):
        if not isinstance(s, pd.Series):
            raise ParameterError(name, "a pandas Series indexed by city", Shown(type(s).__name__))
    check_sample(x, name="x", min_n=MIN_N)
    cov = pd.to_numeric(covariate.reindex(x.index), errors="coerce")
    ok = np.isfinite(cov.to_numpy(float))
    missing = tuple(x.index[~ok])
    if ok.sum() < MIN_N:
        raise ParameterError("covariate", f"available for at least {MIN_N} of the cities of x",
                             Shown(f"values for {int(ok.sum())} of {len(x)} cities"))
    a, b = x.to_numpy(float)[ok], cov.to_numpy(float)[ok]
    for name, v in (("x", a), ("covariate", b)):
        if np.ptp(v) == 0:
            raise ParameterError(name, "values that are not constant over the cities used (a correlation is "
                                 "undefined otherwise)", Shown(f"the constant {v[0]:g} for all {len(v)} cities"))
    r, p_r = stats.pearsonr(a, b)
    rho, p_rho = stats.spearmanr(a, b)
    return CovariateCorrelation(n=int(ok.sum()), missing=missing, pearson=float(r), pearson_p_value=float(p_r),
                                spearman=float(rho), spearman_p_value=float(p_rho))


def covariate_correlations(scores: pd.DataFrame, covariate: pd.Series | None, codes) -> dict:
    """:func:`covariate_correlation` of each column ``codes`` of ``scores``; every value ``None`` when
    there is no covariate (``covariate is None``: the data folder has none).

    Examples
    --------
    >>> covariate_correlations(pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0]}), None, ["A"])
    {'A': None}
    """
    codes = list(codes)
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame of scores (rows = cities)", Shown(type(scores).__name__))
    absent = [c for c in codes if c not in scores.columns]
    if absent:
        raise ParameterError("codes", f"columns of scores ({', '.join(map(str, scores.columns))})", absent)
    return {c: None if covariate is None else covariate_correlation(scores[c], covariate) for c in codes}


def covariate_table(correlations: dict, *, name: str = "GDP per capita") -> pd.DataFrame:
    """The results of :func:`covariate_correlations` as a table: one row ``"<code> ~ <name>"`` per code with a
    result, columns ``n``, ``pearson``, ``pearson_p_value``, ``spearman``, ``spearman_p_value``
    (empty when there was no covariate).

    Examples
    --------
    >>> covariate_table({"A": None}).empty
    True
    """
    columns = ["n", "pearson", "pearson_p_value", "spearman", "spearman_p_value"]
    rows = {f"{code} ~ {name}": {c: getattr(res, c) for c in columns}
            for code, res in correlations.items() if res is not None}
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def load_covariates(folder) -> pd.DataFrame | None:
    """``<folder>/covariates.csv`` indexed by ``unit``, or ``None`` when the folder has none.

    The file holds one row per city: ``unit`` (as in ``values.csv``) and numeric columns such as
    ``population`` and ``gdp_per_capita``; blank cells are missing values.

    Raises
    ------
    DataError
        No ``unit`` column, a repeated unit, or a non-numeric cell in another column.

    Examples
    --------
    >>> from cityeval import paths
    >>> covariates = load_covariates(paths.DATA / "synthetic" / "ccid2022")
    >>> covariates.index.name, "gdp_per_capita" in covariates.columns
    ('unit', True)
    """
    path = Path(folder) / "covariates.csv"
    if not path.exists():
        return None
    frame = read_csv_checked(path, required=("unit",), allow_extra=True)
    dup = np.flatnonzero(frame["unit"].duplicated().to_numpy())
    if len(dup):
        raise DataError(path, "each unit appears once", row=line_of(dup[0], frame), column="unit",
                        detail=f"{frame['unit'].iloc[dup[0]]!r} repeated")
    out = frame.set_index("unit")
    for col in out.columns:
        raw = out[col]
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        bad = num.isna() & (raw != "")
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(path, "covariates are numbers (blank = missing)", row=line_of(first, frame), column=col,
                            detail=f"found {raw.iloc[first]!r}")
        out[col] = num.astype(float)
    return out


def load_covariate(folder, column: str = "gdp_per_capita") -> pd.Series | None:
    """One column of :func:`load_covariates`, or ``None`` when the folder has no ``covariates.csv``.

    Raises
    ------
    ParameterError
        ``column`` is not a column of the folder's ``covariates.csv`` (a file that exists but lacks the
        column is not read as "no covariate").
    DataError
        As :func:`load_covariates`.

    Examples
    --------
    >>> from cityeval import paths
    >>> gdp = load_covariate(paths.DATA / "synthetic" / "ccid2022")
    >>> gdp.name, len(gdp)
    ('gdp_per_capita', 293)
    """
    covariates = load_covariates(folder)
    if covariates is None:
        return None
    if not isinstance(column, str) or column not in covariates.columns:
        raise ParameterError("column", f"a column of {Path(folder) / 'covariates.csv'} "
                             f"({', '.join(map(str, covariates.columns))})", column)
    return covariates[column]
