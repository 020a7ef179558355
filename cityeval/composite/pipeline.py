"""A composite-indicator run: from a dataset's raw values to scores and ranks at every level.

The stages run in a fixed order, each calling one stage module with the options
of the method record:

denominate -> impute -> screen -> treat -> normalize -> (weight, aggregate) level by
level up the tree -> rank

Every value a stage is given comes out finite, or the run fails naming the stage, the unit and
the indicator (:func:`cityeval.composite._contract.check_finite_result`): a quotient that
overflows (a tiny denominator), a mean, a range or a score that overflows is never passed on as a
NaN that a later stage would read as a missing value.

The *method* is the record of every choice (:mod:`cityeval.composite.method`, which
documents its layout and merging rule): :func:`resolve_method` completes and checks it,
and :attr:`RunResult.method` holds the resolved record, so ``run(dataset,
method=result.method)`` reruns the same numbers (COINr's ``coin$Log`` and ``Regen()``).

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
https://doi.org/10.1787/9789264043466-en
Becker, W. et al. (2022). COINr: An R package for developing composite indicators.
https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.composite import framework
from cityeval.composite._contract import check_finite_result
from cityeval.composite.aggregation import aggregate
from cityeval.composite.dataset import INDICATORS_FILE, Dataset
from cityeval.composite.denomination import denominate
from cityeval.composite.imputation import impute, screen
from cityeval.composite.method import DEFAULT_METHOD, STAGES, check_overrides, check_weight_column, resolve_method
from cityeval.composite.normalization import normalize
from cityeval.composite.ranking import rank
from cityeval.composite.treatment import treat
from cityeval.composite.weighting import weight
from cityeval.errors import DataError, ParameterError
from cityeval.validation import check_choice
from cityeval.outputs import check_outputs, write_csv_atomic

__all__ = ["DEFAULT_METHOD", "STAGES", "COLUMN_WEIGHTS", "resolve_method", "run", "RunResult"]


def _options(entry):
    """A stage entry's options: everything but the method and the overrides."""
    return {k: v for k, v in entry.items() if k not in ("method", "by_level", "by_parent")}


def _entry_for(stage_entry, level, parent):
    """The entry that applies to ``parent`` at ``level``: its by_parent override, else its level's, else the stage's."""
    if parent in stage_entry.get("by_parent", {}):
        return stage_entry["by_parent"][parent]
    if str(level) in stage_entry.get("by_level", {}):
        return stage_entry["by_level"][str(level)]
    return stage_entry


@dataclass
class RunResult:
    """Everything a run produced.

    Attributes
    ----------
    scores : pandas.DataFrame
        Kept units × every code: level-1 columns hold the normalized indicators, higher
        levels the aggregated scores; columns children before parents.
    ranks : pandas.DataFrame
        Kept units × every aggregate code (level >= 2), rank 1 = best (tie rule of the record).
    weights : pandas.Series
        Weight of every code within its parent as used (summing to 1 under each parent).
    stages : dict of str -> pandas.DataFrame
        The level-1 data after each stage: ``raw``, ``denominated``, ``imputed``,
        ``screened``, ``treated``, ``normalized`` (COINr's ``coin$Data``).
    screening : pandas.DataFrame
        Per unit of the dataset: availability and whether it was kept (:func:`cityeval.composite.imputation.screen`).
    treatment : pandas.DataFrame
        Per indicator: what the outlier treatment did (:func:`cityeval.composite.treatment.treat`).
    method : dict
        The resolved method record; ``run(dataset, method=result.method)`` reproduces this result.
    indicators : pandas.DataFrame
        The indicator table of the dataset.
    source : Path or None
        The dataset folder the run read (``None`` for a dataset not loaded from a folder): its files are
        inputs, which :meth:`to_csv` refuses to overwrite.
    """

    scores: pd.DataFrame
    ranks: pd.DataFrame
    weights: pd.Series
    stages: dict
    screening: pd.DataFrame
    treatment: pd.DataFrame
    method: dict
    indicators: pd.DataFrame = field(repr=False)
    source: Path | None = field(default=None, repr=False)

    def level(self, level: int) -> pd.DataFrame:
        """Scores of the codes at ``level`` (1 = normalized indicators)."""
        return self.scores[framework.codes_at_level(self.indicators, level)]

    @property
    def aggregate_codes(self) -> list[str]:
        """Codes above level 1, highest level first, table order within a level."""
        top = int(self.indicators["level"].max())
        return [c for lev in range(top, 1, -1) for c in framework.codes_at_level(self.indicators, lev)]

    def table(self) -> pd.DataFrame:
        """One row per unit of the dataset: ``included``, the score of every aggregate code
        (highest level first), then ``rank_<code>`` for each. Units removed by screening
        are kept with ``included = False`` and blank scores."""
        codes = self.aggregate_codes
        units = self.screening.index
        out = pd.DataFrame({"included": self.screening["included"].to_numpy()}, index=units)
        scores = self.scores[codes].reindex(units)
        ranks = self.ranks[codes].reindex(units)
        ranks.columns = [f"rank_{c}" for c in codes]
        out = pd.concat([out, scores, ranks], axis=1)
        out.index.name = "unit"
        return out

    def to_csv(self, path) -> Path:
        """Write :meth:`table` to ``path`` atomically (full float precision, blank for missing).

        Raises
        ------
        ParameterError
            ``path`` is a file of the dataset folder the run read (:attr:`source`), an input.
        OutputError
            ``path`` cannot be written (:func:`cityeval.outputs.check_outputs`); nothing is then written.

        Examples
        --------
        >>> from cityeval import paths
        >>> from cityeval.composite.dataset import load_dataset
        >>> run(load_dataset(paths.DATA / "examples" / "toy")).to_csv(paths.DATA / "examples" / "toy" / "values.csv")
        Traceback (most recent call last):
        ...
        cityeval.errors.ParameterError: path should be a file that is none of the inputs and no other output, but \
its value is .../values.csv (a file of the dataset folder, which is an input).
        """
        check_outputs({"path": path}, folders={"the dataset folder": self.source} if self.source else None)
        return write_csv_atomic(self.table(), path, option="path", na_rep="")

    def record_json(self) -> str:
        """The method record as the text of a ``method.json`` file."""
        return json.dumps(self.method, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


#: What :func:`run` does with the ``weight`` column of ``indicators.csv`` under a weight method that computes
#: its own weights: ``"check"`` (the default) refuses unequal column weights such a method would ignore;
#: ``"ignore"`` is for a caller that replaces the weights on purpose and says so (an audit's or a
#: comparison's variant).
COLUMN_WEIGHTS = ("check", "ignore")


def run(dataset: Dataset, method: dict | None = None, *, column_weights: str = "check") -> RunResult:
    """Score a dataset: every stage, every level, and the ranks.

    Parameters
    ----------
    dataset : Dataset
        The values and the indicator tree.
    method : dict, optional
        The method record; default ``dataset.method`` (its ``method.json``), else
        :data:`DEFAULT_METHOD`. Partial records are completed by :func:`resolve_method`.
    column_weights : {"check", "ignore"}, default "check"
        With ``"check"``, a record that weighs a parent by a method other than ``"given"`` (``"equal"``,
        ``"entropy"``, an AHP matrix, ...) while the ``weight`` column of ``indicators.csv`` gives that
        parent's children unequal weights is refused, whatever the record's source (``method.json``, the
        ``method`` argument, a notebook's parameters): the column would be ignored silently
        (:func:`~cityeval.composite.method.check_weight_column`). ``"ignore"`` runs such a record anyway;
        it is for a caller that replaces the weights on purpose (an uncertainty audit's scenarios, a
        comparison's weighting variants).

    Returns
    -------
    RunResult
        Scores at every level, ranks, the stage-by-stage data and the resolved record.

    Raises
    ------
    ParameterError
        A bad method record (see :func:`resolve_method`), an override the tree does not have or that would
        do nothing (:func:`~cityeval.composite.method.check_overrides`), a group column that does not
        exist, a ``column_weights`` other than ``"check"``/``"ignore"``.
    DataError
        Data the chosen methods cannot handle: missing values with imputation ``"none"``,
        a constant indicator with min-max, every unit screened out, ...; unequal weights in the
        ``weight`` column under a method that ignores them (with ``column_weights="check"``).

    Notes
    -----
    Aggregation of a parent :math:`p` with children :math:`C(p)`:
    :math:`s_{up} = A\\big(\\{s_{uc}\\}_{c \\in C(p)}, \\{w_c\\}\\big)`, with the weights
    :math:`w` from the weight stage computed on the children's scores of the kept
    units, level by level from 2 to the top.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> result = run(load_dataset(paths.DATA / "examples" / "toy"))
    >>> list(result.ranks.columns)[-1]
    'index'
    >>> import pandas as pd
    >>> from cityeval.composite.dataset import Dataset
    >>> tree = pd.DataFrame({"code": ["a", "b", "p"], "level": [1, 1, 2], "parent": ["p", "p", None],
    ...                      "direction": 1, "weight": [1, 3, 1], "measure": ["input", "input", ""],
    ...                      "unit": "", "name_zh": "", "name_en": ""}).set_index("code")
    >>> ds = Dataset(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=["u", "v", "w"]), tree)
    >>> run(ds, {"weight": {"method": "equal"}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: indicators.csv, line 3, column 'weight': the weights of the children of 'p' differ \
(a 1, b 3), but the method record weighs 'p' with method 'equal', which ignores them; ...
    >>> run(ds, {"weight": {"method": "equal"}}, column_weights="ignore").weights.tolist()
    [0.5, 0.5]
    """
    if not isinstance(dataset, Dataset):
        raise ParameterError("dataset", "a cityeval.composite.dataset.Dataset (see load_dataset)", type(dataset).__name__)
    check_choice("column_weights", column_weights, COLUMN_WEIGHTS)
    try:
        result = _run(dataset, method, column_weights)
        result.source = dataset.path          # its files are inputs: to_csv refuses to overwrite them
        return result
    except DataError as exc:  # a stage saw only a frame: name the dataset's values file
        if exc.path is not None or dataset.path is None:
            raise
        raise DataError(dataset.path / "values.csv", exc.rule, row=exc.row, column=exc.column,
                        detail=exc.detail) from None


def _in_context(exc, where: str, source: str, dataset: Dataset):
    """``exc`` with the place in the tree (and the record file) added, of the same class.

    A DataError keeps its column, row and detail, and names the dataset's ``values.csv`` (a stage
    only saw a frame); a ParameterError keeps what was allowed and received, its name saying where.
    """
    if isinstance(exc, DataError):
        path = exc.path if exc.path is not None or dataset.path is None else dataset.path / "values.csv"
        rule = f"{where}{f' ({source})' if source else ''}: {exc.rule}"
        return DataError(path, rule, row=exc.row, column=exc.column, detail=exc.detail)
    return ParameterError(f"{exc.name} ({where}{f', {source}' if source else ''})", exc.allowed, exc.received)


def _check_overrides(record, meta, source):
    """Refuse an override the tree does not have (:func:`cityeval.composite.method.check_overrides`, with the
    closest code suggested): such an override would match nothing and be ignored silently."""
    check_overrides(record, meta, where=f" ({source})" if source else "")


def _stage(stage, entry, source, dataset, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, an error of which names the stage, its method and the record file (same class)."""
    try:
        return fn(*args, **kwargs)
    except (DataError, ParameterError) as exc:
        raise _in_context(exc, f"{stage} stage, method {entry['method']!r}", source, dataset) from None


def _run(dataset: Dataset, method: dict | None, column_weights: str = "check") -> RunResult:
    record = resolve_method(dataset.method if method is None else method)
    from_file = (method is None or method is dataset.method) and dataset.method is not None and dataset.path is not None
    source = f"method of {dataset.path / 'method.json'}" if from_file else ""
    meta = dataset.indicators
    _check_overrides(record, meta, source)
    if column_weights == "check":   # every record, whatever its source: the column is never ignored silently
        check_weight_column(record, meta, path=dataset.path / INDICATORS_FILE if dataset.path is not None
                            else Path(INDICATORS_FILE))
    codes = dataset.indicator_codes
    stages = {}
    raw = dataset.data.astype(float)
    stages["raw"] = raw

    # denominate
    entry = record["denominate"]
    by = {}
    if "denominator" in meta:
        by = {c: meta.at[c, "denominator"] for c in codes if meta.at[c, "denominator"] is not None}
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # an overflow is reported just below
        x = _stage("denominate", entry, source, dataset, denominate, raw,
                   dataset.values[dataset.denominators] if by else None, method=entry["method"], by=by,
                   **_options(entry))
    given = raw[list(x.columns)].to_numpy(dtype=float, na_value=np.nan)
    _stage("denominate", entry, source, dataset, check_finite_result, "the division",
           x.to_numpy(dtype=float, na_value=np.nan), units=x.index, codes=x.columns, present=~np.isnan(given),
           given=given, hint=lambda code: (f"check its denominator {by[code]!r} (a denominator near 0 makes the "
                                           "quotient overflow)" if code in by else "rescale the indicator"))
    stages["denominated"] = x

    # impute
    entry = record["impute"]
    opts = _options(entry)
    if "group" in opts:  # the record names a group column of values.csv; impute() takes its labels
        gname = opts["group"]
        if not isinstance(gname, str) or gname not in dataset.groups:
            raise ParameterError("impute.group", f"a group column of values.csv ({', '.join(dataset.groups) or 'none'})",
                                 gname)
        opts["group"] = dataset.values[gname]
    elif entry["method"].startswith("group_"):
        raise ParameterError("impute.group", f"a group column of values.csv ({', '.join(dataset.groups) or 'none'})",
                             None)
    x = _stage("impute", entry, source, dataset, impute, x, method=entry["method"], **opts)
    stages["imputed"] = x

    # screen
    entry = record["screen"]
    x, screening = _stage("screen", entry, source, dataset, screen, x, method=entry["method"], **_options(entry))
    if len(x) == 0:
        raise DataError(dataset.path, "screening removed every unit; lower the availability threshold",
                        detail=f"screen: {entry}")
    stages["screened"] = x

    # treat
    entry = record["treat"]
    x, treatment = _stage("treat", entry, source, dataset, treat, x, method=entry["method"], **_options(entry))
    stages["treated"] = x

    # normalize
    entry = dict(record["normalize"])
    opts = _options(entry)
    if entry["method"] == "distance_to_target" and "targets" not in opts:
        if "target" not in meta or meta.loc[codes, "target"].isna().any():
            lacking = codes if "target" not in meta else [c for c in codes if np.isnan(meta.at[c, "target"])]
            raise ParameterError("normalize.targets", "a target for every indicator (indicators.csv column "
                                 f"'target'); missing for {', '.join(lacking)}", None)
        opts["targets"] = {c: float(meta.at[c, "target"]) for c in codes}
    x = _stage("normalize", entry, source, dataset, normalize, x, method=entry["method"],
               directions=dataset.directions, **opts)
    stages["normalized"] = x

    # weight and aggregate, level by level
    scores = x
    weights = {}
    top = int(meta["level"].max())
    for lev in range(2, top + 1):
        new = {}
        for parent in framework.codes_at_level(meta, lev):
            kids = framework.children(meta, parent)
            block = scores[kids]
            went = _entry_for(record["weight"], lev, parent)
            wopts = _options(went)
            if went["method"] == "given":
                wopts["weights"] = meta.loc[kids, "weight"].astype(float)
            aent = _entry_for(record["aggregate"], lev, parent)
            try:
                w = weight(block, method=went["method"], **wopts)
                w = pd.Series(w, dtype=float).reindex(kids)
                new[parent] = aggregate(block, w, method=aent["method"], **_options(aent))
            except (DataError, ParameterError) as exc:  # say where in the tree, and which record, the error arose
                where = (f"weighting and aggregating the children of {parent!r} at level {lev} with "
                         f"{went['method']} weights and {aent['method']} aggregation")
                raise _in_context(exc, where, source, dataset) from None
            weights.update(w.to_dict())
        scores = pd.concat([scores, pd.DataFrame(new, index=scores.index)], axis=1)
    order = framework.topological_order(meta)
    scores = scores[order]
    agg_codes = [c for c in order if int(meta.at[c, "level"]) > 1]
    ranks = rank(scores[agg_codes], ties=record["rank"]["ties"])
    w_all = pd.Series({c: weights.get(c, np.nan) for c in order if c in weights}, dtype=float)
    return RunResult(scores=scores, ranks=ranks, weights=w_all, stages=stages, screening=screening,
                     treatment=treatment, method=record, indicators=meta)
