r"""Input against outcome: which indicators are inputs, their scores, and the regression of one on the other.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame, check_weight_column

__all__ = ["input_outcome_regression", "InputOutcomeRegression", "measure_codes", "input_outcome_scores"]


@dataclass(frozen=True)
class InputOutcomeRegression:
    """Ordinary least squares of outcome on input, with rank agreement (:func:`input_outcome_regression`).

    Attributes
    ----------
    n : int
        Units.
    slope, intercept : float
        The OLS line, outcome = intercept + slope x input.
    r : float
        Pearson's correlation.
    p_value : float
        Two-sided p-value of slope = 0 (t test, ``scipy.stats.linregress``).
    slope_stderr, intercept_stderr : float
        Standard errors of the slope and the intercept.
    spearman, spearman_p_value : float
        Spearman's rho and its two-sided p-value.
    kendall_tau, kendall_p_value : float
        Kendall's tau-b and its two-sided p-value.
    concordant_pairs, discordant_pairs : int
        Pairs of units ordered the same way (the other way) by input and by outcome.
    concordant_share : float
        C / (C + D) (NaN when no pair differs in both).
    """

    n: int
    slope: float
    intercept: float
    r: float
    p_value: float
    slope_stderr: float
    intercept_stderr: float
    spearman: float
    spearman_p_value: float
    kendall_tau: float
    kendall_p_value: float
    concordant_pairs: int
    discordant_pairs: int
    concordant_share: float

    #: The fields notebook 06 records for its main regression.
    KEY_FIGURES = ("slope", "intercept", "r", "p_value", "n", "slope_stderr", "spearman", "kendall_tau",
                   "concordant_share")

    def key_figures(self) -> dict:
        """The fields of :attr:`KEY_FIGURES`, as a dict."""
        return {k: getattr(self, k) for k in self.KEY_FIGURES}

    def as_dict(self) -> dict:
        """Every field, as a dict (e.g. ``pandas.Series(result.as_dict())``)."""
        return asdict(self)


def input_outcome_regression(x, y) -> InputOutcomeRegression:
    r"""Ordinary least squares of outcome on input, with rank agreement.

    Parameters
    ----------
    x, y : pandas.Series
        Input and outcome per unit, the same units (aligned by label), complete, at
        least 3 units, x not constant.

    Returns
    -------
    InputOutcomeRegression

    Raises
    ------
    ParameterError
        ``x`` or ``y`` is not a Series.
    DataError
        Different units, a missing or infinite value, fewer than 3 units, a constant ``x``.

    Notes
    -----
    ``concordant_share`` = C / (C + D), with C and D the concordant and discordant
    pairs: it reads "for most units, more input goes with more outcome" as a
    number (> 0.5 when more pairs agree than disagree). Without ties it equals
    (1 + τ)/2. The p-values assume independent units with normal errors (OLS) or
    exchangeable ranks (Spearman, Kendall).

    Examples
    --------
    >>> import pandas as pd
    >>> r = input_outcome_regression(pd.Series([1.0, 2.0, 3.0, 4.0]), pd.Series([2.0, 4.0, 5.0, 8.0]))
    >>> round(r.slope, 4), round(r.intercept, 4), r.concordant_share
    (1.9, 0.0, 1.0)
    """
    for name, v in (("x", x), ("y", y)):
        if not isinstance(v, pd.Series):
            raise ParameterError(name, "a pandas Series (one value per unit)", Shown(type(v).__name__))
    frame = pd.concat({"x": x, "y": y}, axis=1, join="outer")
    if len(frame) != len(x) or len(frame) != len(y):
        raise DataError(None, "x and y must describe the same units", detail=f"{len(x)} and {len(y)} units, "
                        f"{len(frame)} in their union")
    vals = check_frame(frame, name="x and y", rows="unit", columns="value", complete=True, unique_index=True,
                       why="a regression needs both values of every unit")
    if len(frame) < 3:
        raise DataError(None, "a regression needs at least 3 units", detail=f"{len(frame)} given")
    if np.ptp(vals[:, 0]) == 0:
        raise DataError(None, "x is constant: the slope is undefined", column="x")
    a, b = vals[:, 0], vals[:, 1]
    lr = stats.linregress(a, b)
    rho, rho_p = stats.spearmanr(a, b)
    tau, tau_p = stats.kendalltau(a, b)
    sign = np.sign(a[:, None] - a[None, :]) * np.sign(b[:, None] - b[None, :])
    conc, disc = int((sign > 0).sum()) // 2, int((sign < 0).sum()) // 2
    return InputOutcomeRegression(
        n=len(a), slope=float(lr.slope), intercept=float(lr.intercept), r=float(lr.rvalue), p_value=float(lr.pvalue),
        slope_stderr=float(lr.stderr), intercept_stderr=float(lr.intercept_stderr), spearman=float(rho),
        spearman_p_value=float(rho_p), kendall_tau=float(tau), kendall_p_value=float(tau_p),
        concordant_pairs=conc, discordant_pairs=disc,
        concordant_share=conc / (conc + disc) if conc + disc else float("nan"))


def measure_codes(indicators: pd.DataFrame, parent: str) -> dict:
    """The children of ``parent`` tagged input and outcome in the indicator table.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The dataset's indicator table (index = code; columns ``parent``, ``measure``).
    parent : str
        A code whose children carry Table 2's tag (e.g. a dimension such as ``"INF"``).

    Returns
    -------
    dict
        ``{"input": [codes], "outcome": [codes]}``, in table order.

    Raises
    ------
    ParameterError
        ``indicators`` is not a DataFrame; ``parent`` is the parent of no indicator in the table.
    DataError
        No ``parent`` or ``measure`` column, a child with another tag, or no child of one kind.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"parent": ["P", "P", "P"], "measure": ["input", "Input", "outcome"]},
    ...                     index=["a", "b", "c"])
    >>> measure_codes(meta, "P")
    {'input': ['a', 'b'], 'outcome': ['c']}
    """
    if not isinstance(indicators, pd.DataFrame):
        raise ParameterError("indicators", "the indicator table, a pandas DataFrame (index = code; columns parent, "
                             "measure)", Shown(type(indicators).__name__))
    if not {"parent", "measure"} <= set(indicators.columns):
        raise DataError(None, "the indicator table needs 'parent' and 'measure' columns (input/outcome tags)",
                        column="measure")
    kids = indicators[indicators["parent"] == parent]
    if kids.empty:
        raise ParameterError("parent", "a code that is the parent of some indicator in the table", parent)
    tags = kids["measure"].fillna("").astype(str).str.strip().str.lower()
    bad = tags[~tags.isin(["input", "outcome"])]
    if len(bad):
        raise DataError(None, f"every child of {parent} needs measure 'input' or 'outcome'", column="measure",
                        detail=f"{bad.index[0]} has {indicators.at[bad.index[0], 'measure']!r}")
    out = {k: [str(c) for c in kids.index[tags == k]] for k in ("input", "outcome")}
    for k, codes in out.items():
        if not codes:
            raise DataError(None, f"{parent} needs at least one child tagged {k!r}", column="measure",
                            detail=f"children: {', '.join(map(str, kids.index))}")
    return out


def input_outcome_scores(scores: pd.DataFrame, indicators: pd.DataFrame, *, parent: str) -> pd.DataFrame:
    r"""One input and one outcome score per unit: weighted means of ``parent``'s tagged children.

    Parameters
    ----------
    scores : pandas.DataFrame
        Units × codes, holding every child of ``parent`` (e.g. ``ScoredPanel.scores``).
    indicators : pandas.DataFrame
        The indicator table (``parent``, ``measure``, ``weight``).
    parent : str
        E.g. ``"INF"``: inputs 基础网络 and 平台基础, outcome 数据资源体系 in Table 2.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``scores.index``: ``input`` and ``outcome``, each
        :math:`\sum_{c} w_c s_c / \sum_c w_c` over the children c of that kind,
        with the table's weights. ``attrs["codes"]`` holds :func:`measure_codes`.

    Raises
    ------
    ParameterError
        ``scores`` or ``indicators`` is not a DataFrame; ``parent`` is the parent of no indicator.
    DataError
        A child missing from ``scores``, a missing, infinite or non-numeric score, a repeated unit, a bad
        weight (not a number, negative, infinite, or all of one kind 0; the table's ``weight`` column,
        1 for every child when it has none).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"parent": ["P", "P", "P"], "measure": ["input", "input", "outcome"],
    ...                      "weight": [1.0, 3.0, 1.0]}, index=["a", "b", "c"])
    >>> scores = pd.DataFrame({"a": [4.0, 0.0], "b": [8.0, 4.0], "c": [5.0, 6.0]}, index=["u", "v"])
    >>> input_outcome_scores(scores, meta, parent="P")
       input  outcome
    u    7.0      5.0
    v    3.0      6.0
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = units, columns = codes)", Shown(type(scores).__name__))
    codes = measure_codes(indicators, parent)
    missing = [c for cs in codes.values() for c in cs if c not in scores.columns]
    if missing:
        raise DataError(None, "scores lack children of " + parent, detail=f"missing columns {', '.join(missing)}")
    out = pd.DataFrame(index=scores.index)
    for kind, cs in codes.items():
        w = check_weight_column(indicators.loc[cs, "weight"]) if "weight" in indicators else np.ones(len(cs))
        v = check_frame(scores[cs], name="scores", rows="unit", columns="score", complete=True, unique_index=True,
                        why="every unit needs every child score for its weighted mean")
        out[kind] = v @ w / w.sum()
    out.attrs["codes"] = codes
    return out
