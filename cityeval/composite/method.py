"""The method record: every choice of a composite-indicator run, checked and completed.

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
one pillar. A level key is a level number >= 2, as a string or an int (resolved to the
string, as JSON writes it: ``2`` -> ``"2"``; ``"02"`` is refused); :func:`~cityeval.composite.pipeline.run`
refuses a level the tree does not have and a ``by_parent`` key that is not a parent code. Weight method ``"given"`` uses the ``weight`` column of
``indicators.csv``. Normalize method ``"distance_to_target"`` takes its targets from
the ``target`` column unless the record gives ``"targets"``.

Merging rule: a stage entry without ``"method"``, or with the default method,
keeps the default options it does not override; naming another method starts
from that method's own defaults.

Options: an entry may give exactly the options of its method, the keyword-only
parameters of the registered function (:func:`record_options`; the stage's context,
such as normalize's directions, and the given weights, which come from
``indicators.csv``, are not options). Impute's ``"group"`` names a group column of
``values.csv``. Treat method ``"winsorise"`` (the former spelling) is read as
``"winsorize"``. An unknown method is ``ParameterError("<stage> method", ...)``, as
from the stage functions; the function defaults are the record defaults
(``treat()`` without a method does what ``{"treat": {}}`` does).

>>> resolve_method({"normalize": {"high": 10}})["normalize"]
{'method': 'minmax', 'low': 0, 'high': 10}
>>> resolve_method({"treat": {"method": "winsorise"}})["treat"]
{'method': 'winsorize'}
"""
from __future__ import annotations

import copy
import json
import numbers

import numpy as np

from cityeval.composite import aggregation, denomination, imputation, normalization, ranking, treatment, weighting
from cityeval.composite._contract import check_method_options, pick_method
from cityeval.errors import ParameterError
from cityeval.validation import option_names

__all__ = ["DEFAULT_METHOD", "STAGES", "REGISTRIES", "ALIASES", "resolve_method", "record_options"]

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

#: Each stage's registry of methods (for ``rank`` the tie rules, chosen by the key ``"ties"``).
REGISTRIES = {
    "denominate": denomination.DENOMINATE_METHODS,
    "impute": imputation.IMPUTE_METHODS,
    "screen": imputation.SCREEN_METHODS,
    "treat": treatment.TREAT_METHODS,
    "normalize": normalization.NORMALIZE_METHODS,
    "weight": weighting.WEIGHT_METHODS,
    "aggregate": aggregation.AGGREGATION_METHODS,
    "rank": ranking.RANK_METHODS,
}
#: Former method names a record may still use -> the registered name (the resolved record has the latter).
ALIASES = {"treat": treatment.TREAT_ALIASES}
#: The stage functions' context (keyword-only parameters of the methods supplied by the stage, never options).
_CONTEXT = {
    "denominate": denomination.CONTEXT,
    "impute": imputation.CONTEXT,
    "screen": imputation.CONTEXT,
    "treat": treatment.CONTEXT,
    "normalize": normalization.CONTEXT,
    "weight": weighting.CONTEXT,
    "aggregate": aggregation.CONTEXT,
    "rank": ranking.CONTEXT,
}
#: Options the pipeline takes from the dataset rather than from the record: the ``weights`` of weight method
#: ``"given"`` come from the ``weight`` column of ``indicators.csv``.
_FROM_DATASET = {"weight": ("weights",)}
#: The key that names a stage's method in its entry.
_SELECTOR = {"rank": "ties"}


def record_options(stage: str, method: str) -> set[str]:
    """The options a record's entry for ``stage`` may give with ``method``: the method's keyword-only
    parameters (:func:`cityeval.validation.option_names`) less the stage's context and what the pipeline
    takes from the dataset.

    >>> sorted(record_options("normalize", "minmax"))
    ['constant', 'high', 'low']
    >>> sorted(record_options("weight", "given"))
    ['sum_to']
    """
    fn = pick_method(stage, method, REGISTRIES[stage], aliases=ALIASES.get(stage))
    return option_names(fn) - _not_options(stage)


def _not_options(stage):
    return set(_CONTEXT[stage]) | set(_FROM_DATASET.get(stage, ()))


def _check_entry(stage, entry, where):
    """Check one stage entry in place (an alias of a method is replaced by its registered name)."""
    if not isinstance(entry, dict):
        raise ParameterError(where, "a JSON object such as {\"method\": ...}", entry)
    selector = _SELECTOR.get(stage, "method")
    aliases = ALIASES.get(stage, {})
    if isinstance(entry.get(selector), str) and entry[selector] in aliases:
        entry[selector] = aliases[entry[selector]]
    fn = pick_method(stage, entry.get(selector), REGISTRIES[stage], where=where)
    special = {selector} | ({"by_level", "by_parent"} if stage in ("weight", "aggregate") and where == stage else set())
    options = {k: v for k, v in entry.items() if k not in special}
    check_method_options(fn, options, where=where, context=_not_options(stage))


def _merge(default, given, selector="method"):
    if selector not in given or given[selector] == default.get(selector):
        return {**copy.deepcopy(default), **copy.deepcopy(given)}
    return copy.deepcopy(given)


def _level_keys(stage, by_level):
    """``by_level`` with every key as the string of a level number >= 2 (``2`` and ``"2"`` both give ``"2"``,
    as JSON keys are strings); ``"02"``, ``"1"``, ``2.0``, ``True`` or the same level twice are refused."""
    out = {}
    for name, e in by_level.items():
        if isinstance(name, (bool, np.bool_)) or not isinstance(name, (str, numbers.Integral)):
            key = None
        else:
            key = str(int(name)) if isinstance(name, numbers.Integral) else name
            if not (key.isascii() and key.isdigit() and key == str(int(key)) and int(key) >= 2):
                key = None
        if key is None:
            raise ParameterError(f"{stage}.by_level key", "a level number >= 2 (levels 2 and up are aggregated), "
                                 "such as \"2\" or 2, without leading zeros", name)
        if key in out:
            raise ParameterError(f"{stage}.by_level key", "each level once", name)
        out[key] = e
    return out


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
        given = copy.deepcopy(given)
        aliases = ALIASES.get(stage, {})
        if isinstance(given.get("method"), str) and given["method"] in aliases:
            given["method"] = aliases[given["method"]]
        entry = _merge(DEFAULT_METHOD[stage], given, _SELECTOR.get(stage, "method"))
        _check_entry(stage, entry, stage)
        if stage in ("weight", "aggregate"):
            for key in ("by_level", "by_parent"):
                sub = entry.get(key, {})
                if not isinstance(sub, dict):
                    raise ParameterError(f"{stage}.{key}", "a JSON object mapping to stage entries", sub)
                if key == "by_level":
                    sub = _level_keys(stage, sub)
                    if key in entry:
                        entry[key] = sub
                for name, e in sub.items():
                    if key == "by_parent" and not isinstance(name, str):
                        raise ParameterError(f"{stage}.by_parent key", "a parent code (a string)", name)
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
