"""A composite-indicator run: from a dataset's raw values to scores and ranks at every level.

The stages run in a fixed order, each calling one stage module with the options
of the method record:

denominate -> impute -> screen -> treat -> normalize -> (weight, aggregate) level by
level up the tree -> rank

The *method* is a JSON-serialisable dict with one entry per stage; each entry
names the stage's ``method`` and its options. :func:`resolve_method` fills every
omitted choice from :data:`DEFAULT_METHOD` and refuses unknown stages, methods and
options, so the resolved record states every choice a run made. A run returns a
:class:`RunResult` whose :attr:`RunResult.method` is that record: saved as
``method.json`` beside the data, it reruns the same numbers (COINr's ``coin$Log``
and ``Regen()``).

Record layout (the default, :data:`DEFAULT_METHOD`)::

    {
      "denominate": {"method": "divide"},          # x / denominator where indicators.csv names one
      "impute":     {"method": "none"},            # a missing value is an error
      "screen":     {"method": "none"},            # keep every unit
      "treat":      {"method": "none"},            # no outlier treatment
      "normalize":  {"method": "minmax", "low": 0, "high": 100},   # over all (kept) units
      "weight":     {"method": "equal"},           # equal weights within each parent
      "aggregate":  {"method": "arithmetic"},      # weighted arithmetic mean
      "rank":       {"ties": "min"}                # 1 = best, "1224" ties
    }

Optional top-level keys: ``"synthetic"`` (bool: the numbers are illustrative) and
``"description"`` (free text). ``weight`` and ``aggregate`` also take
``"by_level": {"2": {...}}`` and ``"by_parent": {"P1": {...}}`` overrides (a parent's
entry wins over its level's, which wins over the stage's), e.g. an AHP matrix for
one pillar. Weight method ``"given"`` uses the ``weight`` column of
``indicators.csv``. Normalize method ``"distance_to_target"`` takes its targets from
the ``target`` column unless the record gives ``"targets"``.

Merging rule: a stage entry without ``"method"``, or with the default method,
keeps the default options it does not override; naming another method starts
from that method's own defaults.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
https://doi.org/10.1787/9789264043466-en
Becker, W. et al. (2022). COINr: An R package for developing composite indicators.
https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

import copy
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import aggregate as aggregate_mod
from . import framework
from . import weight as weight_mod
from .dataset import Dataset
from .denominate import DENOMINATE_METHODS, denominate
from .errors import CityevalError, DataError, ParameterError
from .impute import IMPUTE_METHODS, SCREEN_METHODS, impute, screen
from .io import write_csv_atomic
from .normalize import NORMALIZE_METHODS, normalize
from .rank import RANK_METHODS, rank
from .treat import TREAT_METHODS, treat

__all__ = ["DEFAULT_METHOD", "STAGES", "resolve_method", "run", "RunResult"]

#: The default method record (see the module docstring).
DEFAULT_METHOD = {
    "denominate": {"method": "divide"},
    "impute": {"method": "none"},
    "screen": {"method": "none"},
    "treat": {"method": "none"},
    "normalize": {"method": "minmax", "low": 0, "high": 100},
    "weight": {"method": "equal"},
    "aggregate": {"method": "arithmetic"},
    "rank": {"ties": "min"},
}
#: The stages, in the order they run.
STAGES = tuple(DEFAULT_METHOD)
_EXTRA_KEYS = {"synthetic": bool, "description": str}


def _registry(stage):
    return {
        "denominate": DENOMINATE_METHODS,
        "impute": IMPUTE_METHODS,
        "screen": SCREEN_METHODS,
        "treat": TREAT_METHODS,
        "normalize": NORMALIZE_METHODS,
        "weight": weight_mod.WEIGHT_METHODS,
        "aggregate": aggregate_mod.AGGREGATION_METHODS,
    }[stage]


def _signature_options(fn, skip):
    """Option names a registered function accepts (``None``: any, it takes ``**kwargs``)."""
    try:
        params = list(inspect.signature(fn).parameters.values())[skip:]
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}


def _allowed_options(stage, method):
    if stage == "denominate":
        return {"scale"}
    if stage == "impute":
        return {"group"}
    if stage == "screen":
        return {"min_availability", "min_nonzero"}
    if stage == "treat":
        return {"winmax", "skew_thresh", "kurt_thresh", "exclude"}
    if stage == "normalize":
        return _signature_options(NORMALIZE_METHODS[method], 4)
    if stage == "weight":
        opts = _signature_options(weight_mod.WEIGHT_METHODS[method], 1)
        return None if opts is None else (opts - {"weights"} if method == "given" else opts)
    if stage == "aggregate":
        return _signature_options(aggregate_mod.AGGREGATION_METHODS[method], 2)
    raise AssertionError(stage)


def _check_entry(stage, entry, where):
    if not isinstance(entry, dict):
        raise ParameterError(where, "a JSON object such as {\"method\": ...}", entry)
    if stage == "rank":
        unknown = sorted(set(entry) - {"ties"})
        if unknown:
            raise ParameterError(f"{where} key {unknown[0]!r}", "'ties'", entry[unknown[0]])
        if entry.get("ties", "min") not in RANK_METHODS:
            raise ParameterError(f"{where}.ties", f"one of {sorted(RANK_METHODS)}", entry.get("ties"))
        return
    registry = _registry(stage)
    method = entry.get("method")
    if method not in registry:
        raise ParameterError(f"{where}.method", f"one of {sorted(registry)}", method)
    allowed = _allowed_options(stage, method)
    special = {"method"} | ({"by_level", "by_parent"} if stage in ("weight", "aggregate") and where == stage else set())
    if allowed is not None:
        unknown = sorted(set(entry) - special - allowed)
        if unknown:
            valid = sorted(allowed | special)
            raise ParameterError(f"{where} option {unknown[0]!r}", f"one of {valid}", entry[unknown[0]])


def _merge(default, given):
    if "method" not in given or given["method"] == default.get("method"):
        return {**copy.deepcopy(default), **copy.deepcopy(given)}
    return copy.deepcopy(given)


def resolve_method(method: dict | None = None) -> dict:
    """The complete method record: ``method`` over :data:`DEFAULT_METHOD`, checked.

    Parameters
    ----------
    method : dict, optional
        A (partial) method record, e.g. the content of ``method.json``; ``None`` gives
        the default.

    Returns
    -------
    dict
        Every stage with its method and options (a deep copy; ``method`` is not modified).

    Raises
    ------
    ParameterError
        An unknown stage or key, an unknown method name (the message lists the valid
        ones), an option the method does not take, or a record that is not JSON-serialisable.
    """
    if method is None:
        method = {}
    if not isinstance(method, dict):
        raise ParameterError("method", "a dict (the content of method.json)", method)
    unknown = sorted(set(method) - set(STAGES) - set(_EXTRA_KEYS))
    if unknown:
        raise ParameterError(f"method key {unknown[0]!r}", f"one of {list(STAGES) + sorted(_EXTRA_KEYS)}",
                             method[unknown[0]])
    for key, typ in _EXTRA_KEYS.items():
        if key in method and not isinstance(method[key], typ):
            raise ParameterError(f"method.{key}", f"a {typ.__name__}", method[key])
    out = {}
    for stage in STAGES:
        given = method.get(stage, {})
        if not isinstance(given, dict):
            raise ParameterError(stage, "a JSON object such as {\"method\": ...}", given)
        entry = _merge(DEFAULT_METHOD[stage], given)
        _check_entry(stage, entry, stage)
        if stage in ("weight", "aggregate"):
            for key in ("by_level", "by_parent"):
                sub = entry.get(key, {})
                if not isinstance(sub, dict):
                    raise ParameterError(f"{stage}.{key}", "a JSON object mapping to stage entries", sub)
                for name, e in sub.items():
                    if key == "by_level" and not str(name).isdigit():
                        raise ParameterError(f"{stage}.by_level key", "a level number such as \"2\"", name)
                    base = {k: v for k, v in entry.items() if k not in ("by_level", "by_parent")}
                    sub[name] = _merge(base, e) if isinstance(e, dict) else e
                    _check_entry(stage, sub[name], f"{stage}.{key}[{name!r}]")
        out[stage] = entry
    for key in _EXTRA_KEYS:
        if key in method:
            out[key] = method[key]
    try:
        json.dumps(out, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ParameterError("method", "a JSON-serialisable record (numbers, strings, lists, objects)", str(exc)) from None
    return out


def _options(entry):
    return {k: v for k, v in entry.items() if k not in ("method", "by_level", "by_parent")}


def _entry_for(stage_entry, level, parent):
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
        Per unit of the dataset: availability and whether it was kept (:func:`cityeval.impute.screen`).
    treatment : pandas.DataFrame
        Per indicator: what the outlier treatment did (:func:`cityeval.treat.treat`).
    method : dict
        The resolved method record; ``run(dataset, method=result.method)`` reproduces this result.
    indicators : pandas.DataFrame
        The indicator table of the dataset.
    """

    scores: pd.DataFrame
    ranks: pd.DataFrame
    weights: pd.Series
    stages: dict
    screening: pd.DataFrame
    treatment: pd.DataFrame
    method: dict
    indicators: pd.DataFrame = field(repr=False)

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
        """Write :meth:`table` to ``path`` atomically (full float precision, blank for missing)."""
        return write_csv_atomic(self.table(), path, na_rep="")

    def record_json(self) -> str:
        """The method record as the text of a ``method.json`` file."""
        return json.dumps(self.method, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


def run(dataset: Dataset, method: dict | None = None) -> RunResult:
    """Score a dataset: every stage, every level, and the ranks.

    Parameters
    ----------
    dataset : Dataset
        The values and the indicator tree.
    method : dict, optional
        The method record; default ``dataset.method`` (its ``method.json``), else
        :data:`DEFAULT_METHOD`. Partial records are completed by :func:`resolve_method`.

    Returns
    -------
    RunResult
        Scores at every level, ranks, the stage-by-stage data and the resolved record.

    Raises
    ------
    ParameterError
        A bad method record (see :func:`resolve_method`), a group column that does not exist.
    DataError
        Data the chosen methods cannot handle: missing values with imputation ``"none"``,
        a constant indicator with min-max, every unit screened out, ...

    Notes
    -----
    Aggregation of a parent :math:`p` with children :math:`C(p)`:
    :math:`s_{up} = A\\big(\\{s_{uc}\\}_{c \\in C(p)}, \\{w_c\\}\\big)`, with the weights
    :math:`w` from the weight stage computed on the children's scores of the kept
    units, level by level from 2 to the top.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.dataset import load_dataset
    >>> result = run(load_dataset(paths.DATA / "examples" / "toy"))
    >>> list(result.ranks.columns)[-1]
    'index'
    """
    if not isinstance(dataset, Dataset):
        raise ParameterError("dataset", "a cityeval.dataset.Dataset (see load_dataset)", type(dataset).__name__)
    try:
        return _run(dataset, method)
    except DataError as exc:  # a stage saw only a frame: name the dataset's values file
        if exc.path is not None or dataset.path is None:
            raise
        raise DataError(dataset.path / "values.csv", exc.rule, row=exc.row, column=exc.column,
                        detail=exc.detail) from None


def _run(dataset: Dataset, method: dict | None) -> RunResult:
    record = resolve_method(dataset.method if method is None else method)
    from_file = (method is None or method is dataset.method) and dataset.method is not None and dataset.path is not None
    meta = dataset.indicators
    codes = dataset.indicator_codes
    stages = {}
    raw = dataset.data.astype(float)
    stages["raw"] = raw

    # denominate
    entry = record["denominate"]
    by = {}
    if "denominator" in meta:
        by = {c: meta.at[c, "denominator"] for c in codes if meta.at[c, "denominator"] is not None}
    x = denominate(raw, dataset.values[dataset.denominators] if by else None, method=entry["method"], by=by,
                   **_options(entry))
    stages["denominated"] = x

    # impute
    entry = record["impute"]
    group = None
    if entry["method"].startswith("group_"):
        gname = entry.get("group")
        if gname not in dataset.groups:
            raise ParameterError("impute.group", f"a group column of values.csv ({', '.join(dataset.groups) or 'none'})",
                                 gname)
        group = dataset.values[gname]
    elif "group" in entry:
        raise ParameterError("impute.group", f"absent for impute method {entry['method']!r}", entry["group"])
    x = impute(x, method=entry["method"], group=group)
    stages["imputed"] = x

    # screen
    entry = record["screen"]
    x, screening = screen(x, method=entry["method"], **_options(entry))
    if len(x) == 0:
        raise DataError(dataset.path, "screening removed every unit; lower the availability threshold",
                        detail=f"screen: {entry}")
    stages["screened"] = x

    # treat
    entry = record["treat"]
    x, treatment = treat(x, method=entry["method"], **_options(entry))
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
    x = normalize(x, method=entry["method"], directions=dataset.directions, **opts)
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
                w = weight_mod.weight(block, method=went["method"], **wopts)
                w = pd.Series(w, dtype=float).reindex(kids)
                new[parent] = aggregate_mod.aggregate(block, w, method=aent["method"], **_options(aent))
            except CityevalError as exc:  # say where in the tree, and which record, the error arose
                source = f" (method of {dataset.path / 'method.json'})" if from_file else ""
                message = str(exc)
                if dataset.path is not None:
                    message = message.replace("<data>", str(dataset.path / "values.csv"))
                raise CityevalError(f"weighting and aggregating the children of {parent!r} at level {lev} with "
                                    f"{went['method']} weights and {aent['method']} aggregation{source}: {message}") from None
            weights.update(w.to_dict())
        scores = pd.concat([scores, pd.DataFrame(new, index=scores.index)], axis=1)
    order = framework.topological_order(meta)
    scores = scores[order]
    agg_codes = [c for c in order if int(meta.at[c, "level"]) > 1]
    ranks = rank(scores[agg_codes], ties=record["rank"]["ties"])
    w_all = pd.Series({c: weights.get(c, np.nan) for c in order if c in weights}, dtype=float)
    return RunResult(scores=scores, ranks=ranks, weights=w_all, stages=stages, screening=screening,
                     treatment=treatment, method=record, indicators=meta)
