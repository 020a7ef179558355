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
one pillar. Weight method ``"given"`` uses the ``weight`` column of
``indicators.csv``. Normalize method ``"distance_to_target"`` takes its targets from
the ``target`` column unless the record gives ``"targets"``.

Merging rule: a stage entry without ``"method"``, or with the default method,
keeps the default options it does not override; naming another method starts
from that method's own defaults.

"""
from __future__ import annotations

import copy
import inspect
import json

from cityeval.composite import aggregation as aggregate_mod
from cityeval.composite import weighting as weight_mod
from cityeval.composite.denomination import DENOMINATE_METHODS
from cityeval.composite.imputation import IMPUTE_METHODS, SCREEN_METHODS
from cityeval.composite.normalization import NORMALIZE_METHODS
from cityeval.composite.ranking import RANK_METHODS
from cityeval.composite.treatment import TREAT_METHODS
from cityeval.errors import ParameterError

__all__ = ["DEFAULT_METHOD", "STAGES", "resolve_method"]

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
