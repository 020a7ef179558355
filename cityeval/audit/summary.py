r"""Reading an audit: rank summaries, robust ranks, the order of neighbors, Sobol' tables, descriptions.

These functions take what :class:`~cityeval.audit.design.UncertaintyResult` and
:class:`~cityeval.audit.design.SensitivityResult` hold (a rank matrix, a rank table, the
scenarios' labels, an index table) and answer the questions an audit is read for: which ranks
stay within a few places of their nominal value (:func:`robust_ranks`), whether two neighbors
keep their order (:func:`neighbor_order`), which combination of choices moves units most
(:func:`shift_by_choice`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from cityeval.audit.spec import option_label
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_frame, check_integer, check_number

__all__ = ["summarize_ranks", "robust_ranks", "neighbor_order", "shift_by_choice", "rank_bands", "RANK_BANDS",
           "interval_widths", "WIDTH_WINDOW", "WIDTH_MIN_PERIODS", "SobolRow", "sobol_summary", "ShiftSummary",
           "shift_summary", "choice_names", "choices_phrase", "describe_choices", "describe_design"]

#: Bands of nominal ranks for :func:`rank_bands`; ``None`` ends the last band at ``top_n``.
RANK_BANDS = ((1, 10), (11, 30), (31, 50), (51, None))
#: Units in the centred running median of :func:`interval_widths` (odd, so the window is centred on a unit;
#: 21 of the synthetic panel's 293 cities, the value notebook 09's figure has always used).
WIDTH_WINDOW = 21
#: Fewest units in a window for :func:`interval_widths` to give a running median (at the ends of the ranking).
WIDTH_MIN_PERIODS = 5
#: How a choice is named in sentences (the weights' name also gives the perturbation).
_CHOICE_WORDS = {"treat": "outlier treatment", "normalize": "normalization", "aggregate": "aggregation"}
#: How a normalization method is named in sentences.
_METHOD_WORDS = {"minmax": "min-max", "zscore": "z-score"}
#: The same in Chinese (the report's terms: 权重, 标准化, 加权).
_CHOICE_WORDS_ZH = {"treat": "异常值处理", "normalize": "标准化方法", "aggregate": "加权汇总方法"}
_METHOD_WORDS_ZH = {"minmax": "最小-最大", "zscore": "z分数"}
_MEAN_WORDS_ZH = {"arithmetic": "算术", "geometric": "几何", "harmonic": "调和"}
#: Languages of the texts here.
LANGUAGES = ("en", "zh")


def _check_table(table, columns, name="table") -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(name, "a pandas DataFrame (UncertaintyResult.table)", Shown(type(table).__name__))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(name, f"a frame with columns {', '.join(columns)} (UncertaintyResult.table)",
                             Shown(f"a frame without {', '.join(missing)}"))


def summarize_ranks(ranks: pd.DataFrame, nominal) -> pd.DataFrame:
    """The table of :attr:`UncertaintyResult.table` from a rank matrix, e.g. a subset of the scenarios.

    Parameters
    ----------
    ranks : pandas.DataFrame, shape (n_scenarios, n_units)
        Ranks, one column per unit (:attr:`UncertaintyResult.ranks`, possibly a subset of its rows);
        complete.
    nominal : pandas.Series or array-like
        The nominal rank of each unit (a Series is aligned on the columns of ``ranks``).

    Returns
    -------
    pandas.DataFrame
        Indexed by unit: ``nominal``, ``mean``, ``median``, ``q05``, ``q95`` (numpy's "linear" quantiles).

    Raises
    ------
    ParameterError
        ``ranks`` not a frame or without rows; ``nominal`` without a rank for every unit.
    DataError
        A missing or non-numeric rank.

    Examples
    --------
    >>> r = pd.DataFrame({"a": [1, 2, 1, 1], "b": [2, 1, 2, 2]})
    >>> summarize_ranks(r, pd.Series({"a": 1, "b": 2})).loc["a", ["mean", "median"]].tolist()
    [1.25, 1.0]
    """
    r = check_frame(ranks, name="ranks", rows="scenario", columns="unit", complete=True)
    if isinstance(nominal, pd.Series):
        nominal = nominal.reindex(ranks.columns)
        if nominal.isna().any():
            missing = [str(u) for u in nominal.index[nominal.isna()][:5]]
            raise ParameterError("nominal", "a rank for every unit (column) of ranks",
                                 Shown(f"none for {', '.join(missing)}"))
    elif np.ndim(nominal) != 1 or len(nominal) != r.shape[1]:
        raise ParameterError("nominal", f"{r.shape[1]} ranks, one per unit (column) of ranks",
                             Shown(f"shape {np.shape(nominal)}"))
    return pd.DataFrame({"nominal": np.asarray(nominal), "mean": r.mean(axis=0), "median": np.median(r, axis=0),
                         "q05": np.quantile(r, 0.05, axis=0), "q95": np.quantile(r, 0.95, axis=0)},
                        index=ranks.columns)


def robust_ranks(table: pd.DataFrame, *, tolerance: float = 5) -> pd.Series:
    r"""Whether each unit's 5-95% rank interval lies within its nominal rank ± ``tolerance``.

    A unit is *robust* when, in at least 90% of the scenarios, it stays within ``tolerance`` places
    of its nominal rank: :math:`q_{05} \ge r - t` and :math:`q_{95} \le r + t`.

    Parameters
    ----------
    table : pandas.DataFrame
        With columns ``nominal``, ``q05``, ``q95`` (:attr:`UncertaintyResult.table`, :func:`summarize_ranks`).
    tolerance : float, default 5
        Places, >= 0.

    Returns
    -------
    pandas.Series of bool, named ``robust``, indexed as ``table``.

    Examples
    --------
    >>> t = pd.DataFrame({"nominal": [1, 2, 3], "q05": [1, 1, 2], "q95": [1, 9, 4]}, index=list("abc"))
    >>> robust_ranks(t, tolerance=5).tolist()
    [True, False, True]
    """
    tolerance = check_number("tolerance", tolerance, low=0, allowed="a number of places >= 0")
    _check_table(table, ("nominal", "q05", "q95"))
    nominal = table["nominal"].astype(float)
    return ((table["q05"] >= nominal - tolerance) & (table["q95"] <= nominal + tolerance)).rename("robust")


def neighbor_order(ranks: pd.DataFrame, units) -> np.ndarray:
    """For consecutive units of ``units`` (e.g. in nominal order), the share of scenarios in which the
    first ranks above (better than) the second.

    Parameters
    ----------
    ranks : pandas.DataFrame, shape (n_scenarios, n_units)
        :attr:`UncertaintyResult.ranks`; complete.
    units : sequence of unit ids
        The order to test, best first: at least two distinct columns of ``ranks``.

    Returns
    -------
    numpy.ndarray, shape (len(units) - 1,)
        Ties count as not above.

    Examples
    --------
    >>> r = pd.DataFrame({"a": [1, 2, 1, 1], "b": [2, 1, 2, 2], "c": [3, 3, 3, 3]})
    >>> neighbor_order(r, ["a", "b", "c"]).tolist()
    [0.75, 1.0]
    """
    if not isinstance(ranks, pd.DataFrame):
        raise ParameterError("ranks", "a pandas DataFrame (UncertaintyResult.ranks)", Shown(type(ranks).__name__))
    if isinstance(units, (str, bytes)) or np.ndim(units) != 1:
        raise ParameterError("units", "a sequence of unit ids (columns of ranks)", units)
    units = list(units)
    if len(units) < 2 or len(set(units)) != len(units):
        raise ParameterError("units", "at least two distinct unit ids", Shown(f"{len(units)} ids, "
                                                                              f"{len(set(units))} distinct"))
    missing = [str(u) for u in units if u not in ranks.columns]
    if missing:
        raise ParameterError("units", "columns of ranks", Shown(f"unknown: {', '.join(missing[:5])}"))
    r = check_frame(ranks[units], name="ranks", rows="scenario", columns="unit", complete=True)
    return (r[:, :-1] < r[:, 1:]).mean(axis=0)


def shift_by_choice(result, by=("normalize", "aggregate")) -> pd.DataFrame:
    """The mean absolute rank shift of the scenarios, by the options drawn for the choices ``by``.

    Parameters
    ----------
    result : UncertaintyResult
    by : sequence of str, default ("normalize", "aggregate")
        Discrete choices of the spec (columns of ``result.scenarios``).

    Returns
    -------
    pandas.DataFrame
        Indexed by the combinations of options that occur (their labels), columns ``mean``,
        ``median``, ``count`` of :attr:`UncertaintyResult.mean_rank_shift`.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit.design import prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> spec = {"choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "rank"}]}}}
    >>> res = prepare(load_dataset(paths.DATA / "examples" / "toy"), spec).rank_uncertainty(40, seed=1)
    >>> int(shift_by_choice(res, by=["normalize"])["count"].sum())
    40
    """
    by = [check_choice("by", name, list(result.scenarios.columns)) for name in by]
    frame = pd.DataFrame({**{name: result.scenarios[name] for name in by}, "mean_rank_shift": result.mean_rank_shift})
    return frame.groupby(by, observed=True)["mean_rank_shift"].agg(["mean", "median", "count"])


def rank_bands(intervals: pd.DataFrame, *, top_n: int, bands=RANK_BANDS) -> pd.DataFrame:
    """Robust share and median interval width per band of nominal ranks.

    Parameters
    ----------
    intervals : pandas.DataFrame
        With columns ``nominal``, ``robust`` and ``width`` (``q95 - q05``), e.g.
        :attr:`cityeval.audit.report.RobustnessReport.intervals`.
    top_n : int
        The last nominal rank shown; bands starting after it are left out, and a band ending
        at ``None`` ends at it.
    bands : sequence of (int, int or None), default :data:`RANK_BANDS`
        Inclusive ranges of nominal ranks.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``ranks`` ("11-30"), ``cities`` (units in the band), ``robust_share``,
        ``median_width``.

    Examples
    --------
    >>> t = pd.DataFrame({"nominal": [1, 2, 3, 4], "robust": [True, True, False, True], "width": [0, 1, 4, 2]})
    >>> rank_bands(t, top_n=4, bands=((1, 2), (3, None))).to_dict("list")
    {'ranks': ['1-2', '3-4'], 'cities': [2, 2], 'robust_share': [1.0, 0.5], 'median_width': [0.5, 3.0]}
    """
    top_n = check_integer("top_n", top_n, low=1)
    _check_table(intervals, ("nominal", "robust", "width"), name="intervals")
    rows = []
    for a, b in bands:
        b = top_n if b is None else b
        if a > top_n:
            continue
        m = (intervals["nominal"] >= a) & (intervals["nominal"] <= min(b, top_n))
        rows.append({"ranks": f"{a}-{b}", "cities": int(m.sum()),
                     "robust_share": float(intervals.loc[m, "robust"].mean()),
                     "median_width": float(intervals.loc[m, "width"].median())})
    return pd.DataFrame(rows)


def interval_widths(table: pd.DataFrame, *, window: int = WIDTH_WINDOW,
                    min_periods: int = WIDTH_MIN_PERIODS) -> pd.DataFrame:
    """Each unit's 5-95% interval width in nominal order, with a centred running median of the widths.

    How the uncertainty grows down a ranking: units in its crowded middle sit close to many others,
    so the same change of method moves them further.

    Parameters
    ----------
    table : pandas.DataFrame
        With columns ``nominal``, ``q05``, ``q95`` (:attr:`UncertaintyResult.table`, :func:`summarize_ranks`).
    window : int, default :data:`WIDTH_WINDOW`
        Units in the running median, >= 1; centred (pandas ``rolling(window, center=True)``).
    min_periods : int, default :data:`WIDTH_MIN_PERIODS`
        Fewest units in a window for a median, between 1 and ``window``; fewer gives NaN.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit, sorted by nominal rank (ties in table order): ``nominal``, ``width``
        (``q95 - q05``), ``running_median`` (of ``width``, over the ``window`` units centred on each).

    Examples
    --------
    >>> t = pd.DataFrame({"nominal": [2, 1, 3, 5, 4], "q05": [1, 1, 1, 1, 1], "q95": [2, 1, 5, 4, 3]},
    ...                  index=list("abcde"))
    >>> interval_widths(t, window=3, min_periods=1)
       nominal  width  running_median
    b        1      0             0.5
    a        2      1             1.0
    c        3      4             2.0
    e        4      2             3.0
    d        5      3             2.5
    """
    window = check_integer("window", window, low=1)
    min_periods = check_integer("min_periods", min_periods, low=1, high=window)
    _check_table(table, ("nominal", "q05", "q95"))
    widths = table.assign(width=table["q95"] - table["q05"]).sort_values("nominal", kind="stable")
    return pd.DataFrame({"nominal": widths["nominal"], "width": widths["width"],
                         "running_median": widths["width"].rolling(window, center=True,
                                                                   min_periods=min_periods).median()})


class SobolRow(NamedTuple):
    """The Sobol' indices of one input, with their bootstrap intervals as ``[low, high]``."""

    first: float
    total: float
    first_ci95: list
    total_ci95: list
    rank_first: float
    rank_total: float


def sobol_summary(sensitivity) -> dict:
    """:attr:`SensitivityResult.indices` as ``{input: SobolRow}`` (intervals as pairs), in the inputs' order.

    The interval fields are named ``*_ci95`` after the default level; the level used is
    :attr:`SensitivityResult.confidence`.

    >>> idx = pd.DataFrame({"first": [0.2], "total": [0.5], "first_lo": [0.1], "first_hi": [0.3], "total_lo": [0.4],
    ...                     "total_hi": [0.6], "rank_first": [0.2], "rank_total": [0.4]}, index=["weights"])
    >>> from types import SimpleNamespace
    >>> sobol_summary(SimpleNamespace(indices=idx))["weights"].total_ci95
    [0.4, 0.6]
    """
    idx = sensitivity.indices.astype(float)
    return {f: SobolRow(first=float(idx.at[f, "first"]), total=float(idx.at[f, "total"]),
                        first_ci95=[float(idx.at[f, "first_lo"]), float(idx.at[f, "first_hi"])],
                        total_ci95=[float(idx.at[f, "total_lo"]), float(idx.at[f, "total_hi"])],
                        rank_first=float(idx.at[f, "rank_first"]), rank_total=float(idx.at[f, "rank_total"]))
            for f in idx.index}


class ShiftSummary(NamedTuple):
    """The mean absolute rank shift over the scenarios: its mean and 5% / 95% quantiles (numpy's "linear")."""

    mean: float
    q05: float
    q95: float


def shift_summary(result) -> ShiftSummary:
    """:class:`ShiftSummary` of :attr:`UncertaintyResult.mean_rank_shift`.

    >>> from types import SimpleNamespace
    >>> shift_summary(SimpleNamespace(mean_rank_shift=np.array([0.0, 1.0, 2.0, 3.0, 4.0])))
    ShiftSummary(mean=2.0, q05=0.2, q95=3.8)
    """
    s = result.mean_rank_shift
    return ShiftSummary(mean=float(s.mean()), q05=float(np.quantile(s, 0.05)), q95=float(np.quantile(s, 0.95)))


def _fractions(spec) -> dict:
    return spec["choices"]["weights"]["perturbation"]


def choice_names(spec, *, lang: str = "en") -> dict:
    """How each choice of ``spec`` is named in a sentence or on an axis, in the spec's order, in ``lang``.

    >>> spec = {"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}}, "aggregate": {"options": []}}}
    >>> choice_names(spec)
    {'weights': 'weights (±25%)', 'aggregate': 'aggregation'}
    >>> choice_names(spec, lang="zh")
    {'weights': '权重（±25%）', 'aggregate': '加权汇总方法'}
    """
    zh = check_choice("lang", lang, LANGUAGES) == "zh"
    names = {}
    for name in spec["choices"]:
        if name != "weights":
            names[name] = (_CHOICE_WORDS_ZH if zh else _CHOICE_WORDS)[name]
            continue
        fractions = _fractions(spec)
        if len(set(fractions.values())) == 1:
            v = f"±{100 * next(iter(fractions.values())):g}%"
            names[name] = f"权重（{v}）" if zh else f"weights ({v})"
        elif zh:
            names[name] = "权重（" + "，".join(f"第 {k} 级 ±{100 * v:g}%" for k, v in fractions.items()) + "）"
        else:
            names[name] = "weights (" + ", ".join(f"±{100 * v:g}% at level {k}" for k, v in fractions.items()) + ")"
    return names


def choices_phrase(spec, *, lang: str = "en") -> str:
    """The uncertain choices of ``spec`` in a few words, e.g. "weights ±25%, min-max or z-score, arithmetic or
    geometric mean", in ``lang``.

    >>> from cityeval.audit.spec import alternatives_spec
    >>> choices_phrase(alternatives_spec([1, 2], 0.25))
    'weights ±25%, min-max or z-score, arithmetic or geometric mean'
    >>> choices_phrase(alternatives_spec([1, 2], 0.25), lang="zh")
    '权重 ±25%，最小-最大或z分数标准化，算术或几何平均'
    """
    if check_choice("lang", lang, LANGUAGES) == "zh":
        return _choices_phrase_zh(spec)
    parts = []
    for name, entry in spec["choices"].items():
        if name == "weights":
            fractions = _fractions(spec)
            if len(set(fractions.values())) == 1:
                parts.append(f"weights ±{100 * next(iter(fractions.values())):g}%")
            else:
                parts.append("weights " + ", ".join(f"±{100 * v:g}% at level {k}" for k, v in fractions.items()))
        elif name == "normalize":
            parts.append(" or ".join(_METHOD_WORDS.get(o.get("method"), option_label(o)) for o in entry["options"]))
        elif name == "aggregate":
            parts.append(" or ".join(o.get("method", "nominal") for o in entry["options"]) + " mean")
        else:
            parts.append(" or ".join(option_label(o) for o in entry["options"]) + " outlier treatment")
    return ", ".join(parts)


def _choices_phrase_zh(spec) -> str:
    parts = []
    for name, entry in spec["choices"].items():
        if name == "weights":
            fractions = _fractions(spec)
            if len(set(fractions.values())) == 1:
                parts.append(f"权重 ±{100 * next(iter(fractions.values())):g}%")
            else:
                parts.append("权重 " + "，".join(f"第 {k} 级 ±{100 * v:g}%" for k, v in fractions.items()))
        elif name == "normalize":
            parts.append("或".join(_METHOD_WORDS_ZH.get(o.get("method"), option_label(o)) for o in entry["options"])
                         + "标准化")
        elif name == "aggregate":
            parts.append("或".join(_MEAN_WORDS_ZH.get(o.get("method"), o.get("method", "名义"))
                                   for o in entry["options"]) + "平均")
        else:
            parts.append("或".join(option_label(o) for o in entry["options"]) + "异常值处理")
    return "，".join(parts)


def describe_choices(design) -> str:
    """The uncertain choices of an :class:`~cityeval.audit.design.AuditDesign`, as the ``audit`` command prints them.

    >>> from cityeval import paths
    >>> from cityeval.audit.design import prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> describe_choices(prepare(toy, {"choices": {"treat": {"options": [{"winmax": 1}, {"winmax": 2}]},
    ...                                            "weights": {"perturbation": {"1": 0.25}}}}))
    'treat (2 options), weights (±25% at level 1)'
    """
    parts = []
    for name in design.factors:
        if name == "weights":
            pert = design.spec["choices"]["weights"]["perturbation"]
            pool = design.spec["choices"]["weights"].get("pool")
            parts.append("weights (" + ", ".join(f"±{100 * v:g}% at level {k}" for k, v in pert.items())
                         + (f"; a pool of {pool} sets" if pool else "") + ")")
        else:
            parts.append(f"{name} ({len(design.options[name])} options)")
    return ", ".join(parts) or "none (every scenario is the nominal run)"


def describe_design(design, *, lang: str = "en") -> str:
    """One line on what an :class:`~cityeval.audit.design.AuditDesign` audits, in ``lang``.

    >>> from cityeval import paths
    >>> from cityeval.audit.design import prepare
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> design = prepare(toy, {"choices": {"weights": {"perturbation": {"1": 0.25}}}})
    >>> describe_design(design).split("; ")[:4]
    ['8 units', 'audited code index', '6 indicators', '8 weights (the codes below index)']
    >>> describe_design(design, lang="zh").split("；")[:2]
    ['8 个单位', '审计的指标：index']
    """
    method = design.dataset.method
    if check_choice("lang", lang, LANGUAGES) == "zh":
        return (f"{len(design.units)} 个单位；审计的指标：{design.target}；{len(design.leaves)} 个底层指标；"
                f"{len(design.weight_codes)} 个权重（{design.target} 以下各级）；不确定的选择："
                f"{_choices_phrase_zh(design.spec) or '无（每个情景都是基准方法）'}；基准方法："
                f"{'数据集的 method.json' if method else '默认方法'}")
    return (f"{len(design.units)} units; audited code {design.target}; {len(design.leaves)} indicators; "
            f"{len(design.weight_codes)} weights (the codes below {design.target}); uncertain: "
            f"{describe_choices(design)}; nominal method: "
            f"{method.get('description', 'method.json') if method else 'the default'}")
