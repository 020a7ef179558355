"""Notebook 06's study of the report's Fig. 8: input against outcome, the DEA frontier, the cities the
report names, the stages and the per-capita variant, and the conclusions drawn from them.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there. ``labels`` arguments are
callables mapping a list of units to their display names, e.g. ``ScoredPanel.labels``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.analysis._clustering_stages import STAGES
from cityeval.analysis._efficiency_dea import RETURNS, dea
from cityeval.analysis._efficiency_regression import InputOutcomeRegression, input_outcome_regression
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["FIG8_DIMENSION", "FIG8_NAMED_CITIES", "MODEL_CHOICES", "STAGE_K", "STAGE_SEED", "models_for", "describe_codes",
           "named_present", "efficiency_frontier", "FrontierResults", "separate_inputs", "SeparateInputs",
           "SeparateInputsSummary", "named_cities", "NamedCities", "stage_means", "raw_input_units",
           "per_capita_variant", "PerCapita", "PerCapitaVariant", "conclusions", "fig8_summary"]

#: The dimension of Fig. 8: 信息基础 (information infrastructure).
FIG8_DIMENSION = "INF"
#: The cities Fig. 8's text names, in its order (北京、重庆、上海、深圳、广州).
FIG8_NAMED_CITIES = ("北京市", "重庆市", "上海市", "深圳市", "广州市")
#: What notebook 06's ``returns`` takes: one of :data:`RETURNS`, or "both" (each model).
MODEL_CHOICES = (*RETURNS, "both")
#: The stages notebook 06 compares input and outcome across: the report's three capability stages (Ch. 2 §2,
#: :data:`cityeval.analysis.clustering.STAGES`), found by k-means on the six dimensions ...
STAGE_K = len(STAGES)
#: ... with seed 0, the default seed of :func:`cityeval.analysis.clustering.cluster` (notebook 03 studies how
#: stable the stages are across seeds; notebook 06 only needs one fixed clustering).
STAGE_SEED = 0
_COLUMNS = ["rank", "city_en", "input", "outcome", "crs", "vrs", "scale"]


def models_for(returns: str) -> list[str]:
    """The DEA models to run: ``["crs", "vrs"]`` for ``"both"``, else ``[returns]``.

    Examples
    --------
    >>> models_for("both"), models_for("vrs")
    (['crs', 'vrs'], ['vrs'])
    """
    check_choice("returns", returns, MODEL_CHOICES)
    return ["crs", "vrs"] if returns == "both" else [returns]


def describe_codes(codes: dict, table2: dict, indicators: pd.DataFrame, *, parent: str, n_units: int, top_n: int,
                   composite: str) -> list[str]:
    """Lines saying which children of ``parent`` are inputs and outcomes, and whether the dataset's
    tags (``codes``) agree with Table 2's (``table2``; both from :func:`measure_codes`).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"name_en": ["Net", "Data", "Infra"]}, index=["a", "c", "P"])
    >>> codes = {"input": ["a"], "outcome": ["c"]}
    >>> for line in describe_codes(codes, codes, meta, parent="P", n_units=5, top_n=5, composite="X"):
    ...     print(line)
    5 cities (top 5 by X); under P (Infra):
      input   : a (Net)
      outcome : c (Data)
    The dataset's tags agree with Table 2 as transcribed.
    """
    name = indicators.at[parent, "name_en"] if parent in indicators.index else parent
    lines = [f"{n_units} cities (top {top_n} by {composite}); under {parent} ({name}):"]
    lines += [f"  {kind:8s}: " + ", ".join(f"{c} ({indicators.at[c, 'name_en']})" for c in cs)
              for kind, cs in codes.items()]
    lines.append("The dataset's tags " + ("agree with Table 2 as transcribed." if codes == table2
                                          else f"DIFFER from Table 2 ({table2}); the dataset's own tags are used."))
    return lines


def _labels(name: str, value) -> list:
    """``value`` as a list of unit labels (an index, a list, a tuple ...); a string or a non-iterable is refused."""
    if value is None or isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ParameterError(name, "a sequence of unit labels (e.g. an index)", value)
    return list(value)


def _io(io) -> pd.DataFrame:
    """``io`` if it is :func:`input_outcome_scores`' frame (columns ``input`` and ``outcome``)."""
    if not isinstance(io, pd.DataFrame) or not {"input", "outcome"} <= set(io.columns):
        raise ParameterError("io", "what input_outcome_scores returned: a DataFrame with columns input and outcome",
                             Shown(f"a DataFrame with columns {list(io.columns)}" if isinstance(io, pd.DataFrame)
                                   else type(io).__name__))
    return io


def named_present(units, named=FIG8_NAMED_CITIES) -> list:
    """The cities of ``named`` that are among ``units``, in ``named``'s order.

    Raises
    ------
    ParameterError
        ``units`` or ``named`` is not a sequence of labels (``None``, a string, a number).

    >>> named_present(["上海市", "x", "北京市"])
    ['北京市', '上海市']
    """
    named = _labels("named", named)
    units = set(_labels("units", units))
    return [c for c in named if c in units]


@dataclass(frozen=True)
class FrontierResults:
    """Input-oriented DEA of one input and one outcome score, each model (:func:`efficiency_frontier`).

    Attributes
    ----------
    models : list
        The models run ("crs", "vrs").
    dea : dict
        ``{model: dea() frame}``.
    table : pandas.DataFrame
        Indexed by unit, in ``io``'s order: ``rank`` (position in ``io``, 1 = first), ``city_en``,
        ``input``, ``outcome``, ``crs``, ``vrs`` (NaN for a model not run), ``scale`` (CRS / VRS, NaN
        unless both ran).
    efficient : dict
        ``{"crs": [units], "vrs": [units]}``, ``None`` for a model not run.
    efficient_en : dict
        The same with display names.
    """

    models: list
    dea: dict
    table: pd.DataFrame
    efficient: dict
    efficient_en: dict

    @property
    def sort_by(self) -> str:
        """The model the units are ranked by: VRS when it ran, else CRS."""
        return "vrs" if "vrs" in self.models else "crs"

    @property
    def on_frontier(self) -> list:
        """Every unit efficient under some model run, by rank."""
        units = set().union(*[self.efficient[m] for m in self.models])
        return [u for u in self.table.index if u in units]

    def describe(self, *, synthetic: bool) -> list[str]:
        """One line per model: its efficient units with their ranks; on synthetic data only how many.

        On a synthetic panel which cities are efficient is a draw of the generator's free parameters,
        shown beside real city names: the lines give the count, not the names (how often each city is
        efficient across an ensemble of panels is :func:`efficient_frequency`'s answer).
        """
        if check_bool("synthetic", synthetic):
            n = len(self.table)
            return [f"{m.upper()}: {len(self.efficient[m])} of {n} cities efficient (synthetic result, illustrative; "
                    "which cities is the generator's draw, not named here)" for m in self.models]
        return [f"{m.upper()}-efficient (on the data at hand): " + ", ".join(
            f"{name} (rank {self.table.at[c, 'rank']})" for c, name in zip(self.efficient[m], self.efficient_en[m]))
            for m in self.models]

    def extremes(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most and least efficient units by :attr:`sort_by` (ties broken by outcome)."""
        ordered = self.table.sort_values([self.sort_by, "outcome"], ascending=[False, False], kind="stable")[_COLUMNS]
        return pd.concat({"most efficient": ordered.head(n), "least efficient": ordered.tail(n)})

    def extremes_caption(self, *, synthetic: bool) -> str:
        """The caption of :meth:`extremes`."""
        return (f"Most and least efficient by {self.sort_by.upper()} (ties broken by outcome; the levels, and the "
                "order too, depend on where the 0-100 scales start: see the translation table)"
                + (" — synthetic panel: illustrative" if check_bool("synthetic", synthetic) else ""))

    def overview(self, n: int = 10, *, synthetic: bool) -> tuple[str, pd.DataFrame]:
        """``(caption, table)``: on the data at hand the :meth:`extremes`; on synthetic data, where which cities
        they are is the generator's draw, the distribution of the efficiencies instead (no names).

        The synthetic table has one column per model run: the number of cities, of efficient cities, and
        the minimum, 10%, 25%, 50%, 75%, 90% quantiles and maximum of the efficiency.
        """
        if not check_bool("synthetic", synthetic):
            return self.extremes_caption(synthetic=False), self.extremes(n)
        q = [0.1, 0.25, 0.5, 0.75, 0.9]
        table = pd.DataFrame({m: [len(self.table), len(self.efficient[m]), self.table[m].min(),
                                  *self.table[m].quantile(q), self.table[m].max()] for m in self.models},
                             index=["cities", "efficient", "min", "10%", "25%", "median", "75%", "90%", "max"])
        return ("Efficiency, input-oriented, per model (synthetic panel: illustrative; which cities are most and "
                "least efficient is the generator's draw, so they are not listed). The levels depend on where the "
                "0-100 scales start (CRS on both zeros, VRS on the input's), and so does their order (see the "
                "translation table): read the VRS-efficient count, not the levels", table)

    def per_city(self) -> dict:
        """``{unit: {rank, city_en, input, outcome, crs, vrs, scale}}`` (``None`` for a model not run)."""
        t = self.table
        return {c: {"rank": int(t.at[c, "rank"]), "city_en": t.at[c, "city_en"], "input": float(t.at[c, "input"]),
                    "outcome": float(t.at[c, "outcome"]),
                    **{m: (float(t.at[c, m]) if np.isfinite(t.at[c, m]) else None) for m in ("crs", "vrs", "scale")}}
                for c in t.index}


def efficiency_frontier(io: pd.DataFrame, *, models, labels) -> FrontierResults:
    """Input-oriented DEA (each of ``models``) of ``io["input"]`` against ``io["outcome"]``.

    Parameters
    ----------
    io : pandas.DataFrame
        :func:`input_outcome_scores`, units in rank order.
    models : list of str
        From :func:`models_for`.
    labels : callable
        A list of units -> their display names.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0], "outcome": [1.0, 3.0, 4.0]}, index=list("abc"))
    >>> f = efficiency_frontier(io, models=["crs", "vrs"], labels=lambda units: [u.upper() for u in units])
    >>> f.efficient, f.table["scale"].round(4).tolist()
    ({'crs': ['b'], 'vrs': ['a', 'b', 'c']}, [0.5, 1.0, 0.6667])
    """
    io = _io(io)
    models = [check_choice("models", m, RETURNS) for m in _labels("models", models)]
    res = {m: dea(io[["input"]], io[["outcome"]], orientation="input", returns=m) for m in models}
    eff = io.copy()
    for m in ("crs", "vrs"):
        eff[m] = res[m]["efficiency"] if m in res else np.nan
    eff["scale"] = eff["crs"] / eff["vrs"] if len(models) == 2 else np.nan
    eff.insert(0, "city_en", labels(list(eff.index)))
    eff.insert(0, "rank", pd.Series(np.arange(1, len(io) + 1), index=io.index))
    efficient = {m: (list(res[m].index[res[m]["efficient"]]) if m in res else None) for m in ("crs", "vrs")}
    efficient_en = {m: (labels(v) if v is not None else None) for m, v in efficient.items()}
    return FrontierResults(models=list(models), dea=res, table=eff, efficient=efficient, efficient_en=efficient_en)


@dataclass(frozen=True)
class SeparateInputsSummary:
    """DEA with each input kept apart, against one averaged input.

    Attributes
    ----------
    n_efficient : int
    efficient : list
        The efficient units.
    mean_efficiency : float
    mean_efficiency_one_input : float
        The mean efficiency with the inputs averaged into one (:class:`FrontierResults`).
    n_efficient_one_input : int
        The number of efficient units with the inputs averaged into one.
    """

    n_efficient: int
    efficient: list
    mean_efficiency: float
    mean_efficiency_one_input: float
    n_efficient_one_input: int = 0


@dataclass(frozen=True)
class SeparateInputs:
    """:func:`separate_inputs`: ``dea`` (``{model: frame}``), ``summary`` (``{model: SeparateInputsSummary}``),
    ``codes`` (the inputs) and ``efficient_en`` (display names of each model's efficient units)."""

    dea: dict
    summary: dict
    codes: list
    efficient_en: dict

    def describe(self, *, synthetic: bool = False) -> list[str]:
        """One line per model: how many units are efficient with the inputs apart and with one averaged input;
        the efficient units named only when ``synthetic`` is False (on a synthetic panel which units they are is
        the generator's draw). No efficiency level is given: levels move with the scales' zero."""
        synthetic = check_bool("synthetic", synthetic)
        return [f"{m.upper()} with inputs {', '.join(self.codes)} kept apart: {s.n_efficient} efficient"
                + ("" if synthetic else f" ({', '.join(self.efficient_en[m])})")
                + f", against {s.n_efficient_one_input} with one averaged input"
                + (" (synthetic panel: illustrative)" if synthetic else "") for m, s in self.summary.items()]

    def never_lower(self, frontier: FrontierResults, *, tol: float = 1e-7) -> bool:
        """Whether no unit scores lower with the inputs apart than with one averaged input (up to ``tol``):
        a DEA property (more inputs can only add favourable weightings)."""
        return all((self.dea[m]["efficiency"] >= frontier.table[m] - tol).all() for m in self.summary)


def separate_inputs(inputs: pd.DataFrame, outcome: pd.DataFrame, *, frontier: FrontierResults, labels
                    ) -> SeparateInputs:
    """DEA (input-oriented, each model of ``frontier``) with each column of ``inputs`` as its own input.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0], "outcome": [1.0, 3.0, 4.0]}, index=list("abc"))
    >>> f = efficiency_frontier(io, models=["crs"], labels=list)
    >>> s = separate_inputs(pd.DataFrame({"x1": [1.0, 3, 6], "x2": [3.0, 3, 6]}, index=io.index), io[["outcome"]],
    ...                     frontier=f, labels=list)
    >>> s.summary["crs"].efficient, s.never_lower(f)
    (['a', 'b'], True)
    """
    multi = {m: dea(inputs, outcome, returns=m) for m in frontier.models}
    summary = {m: SeparateInputsSummary(n_efficient=int(multi[m]["efficient"].sum()),
                                        efficient=list(multi[m].index[multi[m]["efficient"]]),
                                        mean_efficiency=float(multi[m]["efficiency"].mean()),
                                        mean_efficiency_one_input=float(frontier.table[m].mean()),
                                        n_efficient_one_input=len(frontier.efficient[m]))
               for m in frontier.models}
    return SeparateInputs(dea=multi, summary=summary, codes=list(inputs.columns),
                          efficient_en={m: labels(s.efficient) for m, s in summary.items()})


@dataclass(frozen=True)
class NamedCities:
    """:func:`named_cities`: ``table`` (one row per named city present), ``missing`` (named cities absent)
    and their display names ``missing_en``."""

    table: pd.DataFrame
    missing: list
    missing_en: list

    def describe(self, *, n_units: int, synthetic: bool) -> list[str]:
        """The lines printed above the table."""
        synthetic = check_bool("synthetic", synthetic)
        lines = [f"Not among these {n_units} cities: {', '.join(self.missing_en)}"] if self.missing else []
        return lines + [f"Ranks among the {n_units} cities, and whether each is efficient (a flag, not a level: levels "
                        "move with the scales' zero)" + (" (synthetic panel: illustrative)" if synthetic else "")]


def named_cities(io: pd.DataFrame, frontier: FrontierResults, *, named=FIG8_NAMED_CITIES, labels) -> NamedCities:
    """Where the cities the report names stand: composite rank, input and outcome rank (1 = highest,
    ties share the lowest rank), and whether each model run finds them efficient (``<model> efficient``): a
    flag, not a level, since efficiency levels move with the scales' zero.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0], "outcome": [1.0, 3.0, 4.0]}, index=list("abc"))
    >>> f = efficiency_frontier(io, models=["crs"], labels=list)
    >>> n = named_cities(io, f, named=["c", "z"], labels=list)
    >>> n.table[["composite rank", "input rank", "outcome rank", "crs efficient"]].to_dict("records"), n.missing
    ([{'composite rank': 3, 'input rank': 1, 'outcome rank': 1, 'crs efficient': False}], ['z'])
    """
    present = named_present(_io(io).index, named)
    rank = frontier.table["rank"]
    pct = io.rank(ascending=False, method="min").astype(int)
    table = pd.DataFrame({"city_en": labels(present), "composite rank": rank[present],
                          "input rank": pct.loc[present, "input"], "outcome rank": pct.loc[present, "outcome"],
                          **{f"{m} efficient": [c in set(frontier.efficient[m]) for c in present]
                             for m in frontier.models}},
                         index=present)
    missing = [c for c in named if c not in set(io.index)]
    return NamedCities(table=table, missing=missing, missing_en=labels(missing))


def stage_means(io: pd.DataFrame, stage: pd.Series, names) -> pd.DataFrame:
    """Cities and mean input and outcome per stage (``stage``: 1..k per unit; ``names[i - 1]`` names stage i).

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [1.0, 3.0, 5.0], "outcome": [2.0, 4.0, 6.0]}, index=list("abc"))
    >>> stage_means(io, pd.Series([1, 1, 2], index=list("abc")), ["low", "high"])
          cities  input_mean  outcome_mean
    low        2         2.0           3.0
    high       1         5.0           6.0
    """
    by_stage = _io(io).groupby(stage).agg(cities=("input", "size"), input_mean=("input", "mean"),
                                     outcome_mean=("outcome", "mean"))
    by_stage.index = [names[i - 1] for i in by_stage.index]
    return by_stage


def raw_input_units(indicators: pd.DataFrame, codes: dict) -> pd.DataFrame:
    """The raw (level-1) indicators under the input codes: ``parent``, ``unit``, ``name_en`` and whether the
    unit is already per resident or a share (it mentions "resident", "%" or "per ").

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1], "parent": ["A", "A"], "unit": ["Mbps", "% of homes"],
    ...                      "name_en": ["speed", "fibre"]}, index=["s", "f"])
    >>> raw_input_units(meta, {"input": ["A"]})["already per resident or a share"].tolist()
    [False, True]
    """
    raw = indicators[(indicators["level"] == 1) & indicators["parent"].isin(codes["input"])][["parent", "unit",
                                                                                              "name_en"]].copy()
    raw["already per resident or a share"] = raw["unit"].str.contains("resident|%|per ", regex=True)
    return raw


@dataclass(frozen=True)
class PerCapitaVariant:
    """The input score per 10,000 residents against the outcome (recorded in notebook 06's results).

    Attributes
    ----------
    population_source : str
    regression, regression_log_input : InputOutcomeRegression
        Outcome on input per 10,000 residents, and on its log.
    r_population_input : float
        Pearson r of log population and the input score.
    r_log_per_capita_log_population : float
        Pearson r of the log input per 10,000 residents and log population.
    """

    population_source: str
    regression: InputOutcomeRegression
    regression_log_input: InputOutcomeRegression
    r_population_input: float
    r_log_per_capita_log_population: float


@dataclass(frozen=True)
class PerCapita:
    """:func:`per_capita_variant`: ``record`` (a :class:`PerCapitaVariant`, ``None`` when skipped),
    ``input_per_capita`` (the Series drawn), ``note`` (what was done or why not) and ``files`` (the
    covariates file when used)."""

    record: PerCapitaVariant | None
    input_per_capita: pd.Series | None
    note: str
    files: list


def per_capita_variant(io: pd.DataFrame, covariates: pd.DataFrame | None, *, path, synthetic: bool,
                       labels) -> PerCapita:
    """The per-capita variant of Fig. 8: the input score divided by ``population`` (10,000 persons).

    Skipped (``record`` None) when ``covariates`` (``<path>/covariates.csv``) is absent, has no
    ``population`` column or lacks a population for one of the cities.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0], "outcome": [1.0, 3.0, 4.0]}, index=list("abc"))
    >>> per_capita_variant(io, None, path="folder", synthetic=False, labels=list).note
    'Per-capita variant skipped: folder has no covariates.csv with a population column.'
    >>> pc = per_capita_variant(io, pd.DataFrame({"population": [1.0, 2.0, 4.0]}, index=list("abc")),
    ...                         path="folder", synthetic=False, labels=list)
    >>> pc.input_per_capita.tolist(), pc.record.population_source
    ([2.0, 1.5, 1.5], 'covariates.csv')
    """
    io, synthetic = _io(io), check_bool("synthetic", synthetic)
    if covariates is not None and not isinstance(covariates, pd.DataFrame):
        raise ParameterError("covariates", "a pandas DataFrame (covariates.csv) or None",
                             Shown(type(covariates).__name__))
    if covariates is None or "population" not in covariates.columns:
        return PerCapita(None, None, f"Per-capita variant skipped: {path} has no covariates.csv with a population "
                         "column.", [])
    pop = covariates["population"].reindex(io.index)
    if pop.isna().any():
        return PerCapita(None, None, f"Per-capita variant skipped: no population for {pop.isna().sum()} of the cities, "
                         f"e.g. {labels([pop.index[pop.isna()][0]])[0]}.", [])
    io_pc = io["input"] / pop  # score points per 10,000 residents (population is in 10,000 persons)
    reg_pc = input_outcome_regression(io_pc, io["outcome"])
    reg_log = input_outcome_regression(np.log(io_pc), io["outcome"])
    record = PerCapitaVariant(population_source="covariates.csv" + (" (synthetic)" if synthetic else ""),
                              regression=reg_pc, regression_log_input=reg_log,
                              r_population_input=float(np.corrcoef(np.log(pop), io["input"])[0, 1]),
                              r_log_per_capita_log_population=float(np.corrcoef(np.log(io_pc), np.log(pop))[0, 1]))
    note = (f"outcome on input per 10,000 residents: slope {reg_pc.slope:.3g}, r = {reg_pc.r:.3f}, "
            f"p = {reg_pc.p_value:.2g}; on its log: r = {reg_log.r:.3f}; "
            f"corr(log population, input score) = {record.r_population_input:.3f}; "
            f"corr(log input per 10,000 residents, log population) = {record.r_log_per_capita_log_population:.3f}")
    return PerCapita(record, io_pc, note, [Path(path) / "covariates.csv"])


def conclusions(reg: InputOutcomeRegression, frontier: FrontierResults, separate: SeparateInputs,
                by_stage: pd.DataFrame, per_capita: PerCapitaVariant | None, *, synthetic: bool,
                translation=None) -> list[str]:
    """What notebook 06 concludes, one sentence per line (illustrative on synthetic data).

    ``per_capita`` is :attr:`PerCapita.record` (``None`` when the variant was skipped); ``translation``
    (a :class:`TranslationDependence`, optional) adds what moving the scales' zero does to the efficiencies.
    The DEA sentence leads with the VRS-efficient set (it does not depend on where the 0-100 scales start)
    and gives the CRS result as a count, with its median only beside the statement that it moves with the
    scales' zero.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0, 5.0], "outcome": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> f = efficiency_frontier(io, models=["crs"], labels=list)
    >>> s = separate_inputs(io[["input"]], io[["outcome"]], frontier=f, labels=list)
    >>> stages = stage_means(io, pd.Series([1, 1, 2, 2], index=io.index), ["low", "high"])
    >>> reg = input_outcome_regression(io["input"], io["outcome"])
    >>> conclusions(reg, f, s, stages, None, synthetic=False)[1]
    'DEA, input-oriented: CRS 1 efficient (b); its median efficiency 0.583 depends on where the 0-100 scales start, so the level is not a finding.'
    """
    kind = "illustrative, synthetic panel" if check_bool("synthetic", synthetic) else "data at hand"
    models = frontier.models
    if translation is not None and not hasattr(translation, "describe"):
        raise ParameterError("translation", "a TranslationDependence (from translation_dependence), or None",
                             Shown(type(translation).__name__))

    def _dea(m: str) -> str:
        who = f" of {reg.n}" if synthetic else f" ({', '.join(frontier.efficient_en[m])})"
        median = frontier.table[m].median()
        if m == "vrs":
            return (f"VRS {len(frontier.efficient[m])} efficient{who}, a set that does not depend on where the 0-100 "
                    f"scales start (median efficiency {median:.3f}, a level that moves with the input score's zero)")
        return (f"CRS {len(frontier.efficient[m])} efficient{who}; its median efficiency {median:.3f} depends on where "
                "the 0-100 scales start, so the level is not a finding")

    return [
        f"On the {kind}, for the top {reg.n} cities: outcome = {reg.intercept:.2f} + {reg.slope:.3f} x input "
        f"(slope s.e. {reg.slope_stderr:.3f}), r = {reg.r:.3f}, p = {reg.p_value:.2g}; in {reg.concordant_share:.0%} "
        "of the city pairs that differ in both, the city with more input has more outcome"
        + (" — positive at the 5% level." if reg.slope > 0 and reg.p_value < 0.05
           else " — not a clear positive relation at the 5% level."),
        "DEA, input-oriented: " + "; ".join(_dea(m) for m in sorted(models, key=lambda m: m != "vrs"))
        + (" — synthetic results: which cities are efficient is the generator's draw (how often each is across "
           "the ensemble is shown beside it), not a statement about the real cities." if synthetic else "."),
        *(translation.describe() if translation is not None else []),
        f"Keeping the inputs {', '.join(separate.codes)} apart: "
        + "; ".join(f"{m.upper()} {separate.summary[m].n_efficient} efficient" for m in models) + ".",
        f"Stages (k-means on the six dimensions): mean input {', '.join(f'{v:.1f}' for v in by_stage['input_mean'])}, "
        f"mean outcome {', '.join(f'{v:.1f}' for v in by_stage['outcome_mean'])} from the lowest to the highest stage "
        "(partly mechanical: information infrastructure is one of the clustered dimensions).",
        (f"Per-capita variant (input score per 10,000 residents): r = {per_capita.regression.r:.3f}, "
         f"p = {per_capita.regression.p_value:.2g}; its log correlates "
         f"{per_capita.r_log_per_capita_log_population:.2f} with log population: a score divided by population "
         "mostly measures city size."
         if per_capita else "Per-capita variant not computed: no population covariate in this dataset."),
        "Not testable: CCID's input and outcome scores, its 50 typical cities and its per-capita construction are "
        "unpublished, so Fig. 8 cannot be reproduced or checked.",
    ]


def fig8_summary(reg: InputOutcomeRegression, frontier: FrontierResults, *, synthetic: bool,
                 spread: dict | None = None, translation=None) -> str:
    """The one-sentence summary of notebook 06 (marked illustrative on synthetic data).

    ``spread`` (optional): label -> text of a statistic's range over an ensemble of panels (e.g.
    ``EnsembleSummary.range_text``), appended as "Ensemble spread: label text; ...". ``translation``
    (optional, a :class:`TranslationDependence` with CRS) adds how far the median CRS efficiency moves
    when both scores' zero moves.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0, 5.0], "outcome": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> f = efficiency_frontier(io, models=["crs"], labels=list)
    >>> fig8_summary(input_outcome_regression(io["input"], io["outcome"]), f, synthetic=True)[:70]
    'Illustrative (synthetic panel): information-infrastructure outcome on '
    """
    mark = "Illustrative (synthetic panel): " if check_bool("synthetic", synthetic) else ""
    parts = []
    if "vrs" in frontier.models:
        parts.append(f"VRS {len(frontier.efficient['vrs'])} efficient (which cities does not depend on where the "
                     "0-100 scales start)")
    if "crs" in frontier.models:
        crs = f"CRS {len(frontier.efficient['crs'])} efficient"
        if translation is not None and "crs" in getattr(translation, "models", ()):
            rows = [translation.row("crs", "both", c) for c in translation.shifts]
            crs += (f" (its median efficiency {translation.row('crs', 'none', 0)['median']:.2f} becomes "
                    + ", ".join(f"{r['median']:.2f}" for r in rows) + " if both scales' zero moves by "
                    + ", ".join(f"{c:+.3g}" for c in translation.shifts) + " points: CRS levels are not a finding)")
        parts.append(crs)
    return (f"{mark}information-infrastructure outcome on input, "
            f"top {reg.n}: slope {reg.slope:.3f}, r = {reg.r:.3f}, p = {reg.p_value:.2g}, {reg.concordant_share:.0%} "
            "of city pairs concordant; DEA input-oriented " + ", ".join(parts)
            + "." + _spread_text(spread) + " CCID's scores and its 50 cities are unpublished: Fig. 8 cannot be checked.")


def _spread_text(spread) -> str:
    """The sentence appended for ``spread`` ({label: range text}): ``" Ensemble spread: a 1 (...); b 2 (...)."``,
    empty for None or an empty dict."""
    if spread is None:
        return ""
    if not isinstance(spread, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in spread.items()):
        raise ParameterError("spread", "a dict of label -> range text (str -> str), or None", Shown(type(spread).__name__))
    return (" Ensemble spread: " + "; ".join(f"{k} {v}" for k, v in spread.items()) + ".") if spread else ""
