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
      "weight":     {"method": "given"},           # the weight column of indicators.csv, within each parent
      "aggregate":  {"method": "arithmetic"},      # weighted arithmetic mean
      "rank":       {"ties": "min"}                # 1 = best, "1224" ties
    }

Optional top-level keys: ``"synthetic"`` (bool: the numbers are illustrative; this
alone, never the folder's path, makes a dataset synthetic), ``"invented"`` (bool: the
numbers were made up by hand for teaching, not generated to resemble real data, such as
``data/examples/lesson``; only with ``"synthetic": true``, since invented numbers are
illustrative too, so every reader of ``"synthetic"`` still sees them as such) and
``"description"`` (free text). ``weight`` and ``aggregate`` also take ``"by_level": {"2": {...}}`` and
``"by_parent": {"P1": {...}}`` overrides (a parent's entry wins over its level's, which
wins over the stage's), e.g. an AHP matrix for one pillar. A level key is a level number
>= 2, as a string or an int (resolved to the string, as JSON writes it: ``2`` -> ``"2"``;
``"02"`` is refused); :func:`check_overrides` (run by
:func:`~cityeval.composite.dataset.load_dataset` and the pipeline) refuses a level the
tree does not have and a ``by_parent`` key that is not a parent code, suggesting the
closest code.

Weights: the default weight method ``"given"`` uses the ``weight`` column of
``indicators.csv`` within each parent, as COINr uses ``iMeta$Weight`` (a column that
is uniform under a parent gives equal weights there, as ``"equal"`` does). Another
weight method (``"equal"``, ``"entropy"``, an AHP matrix ...) computes the weights of a
parent itself and so ignores the column: a dataset whose ``method.json`` does that for a
parent whose children have *unequal* column weights is refused
(:func:`check_weight_column`), so the column is never ignored silently. Normalize method
``"distance_to_target"`` takes its targets from the ``target`` column unless the record
gives ``"targets"``.

Files: :func:`read_json_object` reads ``method.json`` (and an audit spec) strictly: a key
given twice in one object (JSON would keep the last silently), a number too large for a
float (``1e400`` or a 400-digit integer) and ``NaN``/``Infinity`` are errors naming the key
and the line. :func:`resolve_method` refuses an integer too large for a float anywhere in
a record built in Python.

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
(``treat()`` without a method does what ``{"treat": {}}`` does), except that
:func:`~cityeval.composite.weighting.weight`, which is not given the weight column,
defaults to ``"equal"``.

>>> resolve_method({"normalize": {"high": 10}})["normalize"]
{'method': 'minmax', 'low': 0, 'high': 10}
>>> resolve_method({"treat": {"method": "winsorise"}})["treat"]
{'method': 'winsorize'}
"""
from __future__ import annotations

import copy
import difflib
import json
import math
import numbers
import re
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from pathlib import Path

import numpy as np

from cityeval.composite import aggregation, denomination, framework, imputation, normalization, ranking, treatment, \
    weighting
from cityeval.composite._contract import check_method_options, pick_method
from cityeval.errors import DataError, ParameterError
from cityeval.files import line_of
from cityeval.validation import Shown, check_used_options, option_names

__all__ = ["DEFAULT_METHOD", "STAGES", "REGISTRIES", "ALIASES", "resolve_method", "record_options", "read_json_object",
           "check_overrides", "check_weight_column"]

#: The default method record (see the module docstring).
DEFAULT_METHOD = {
    "denominate": {"method": "divide"},
    "impute": {"method": "none"},
    "screen": {"method": "none"},
    "treat": {"method": "none"},
    "normalize": {"method": "minmax", "low": 0, "high": 100},
    "weight": {"method": "given"},
    "aggregate": {"method": "arithmetic"},
    "rank": {"ties": "min"},
}
#: The stages, in the order they run.
STAGES = tuple(DEFAULT_METHOD)
_EXTRA_KEYS = {"synthetic": bool, "invented": bool, "description": str}

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
    if selector == "method":   # an option of another method of the stage would do nothing with this one
        check_used_options(entry[selector], options, REGISTRIES[stage], where=where, context=_not_options(stage))
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
        ones), an option the method does not take, an integer too large for a float, or a
        record that is not JSON-serialisable.
    """
    if method is None:
        method = {}
    if not isinstance(method, dict):
        raise ParameterError("method", "a dict (the content of method.json)", method)
    _check_float_sized(method, "method")
    unknown = sorted(set(method) - set(STAGES) - set(_EXTRA_KEYS))
    if unknown:
        raise ParameterError(f"method key {unknown[0]!r}", f"one of {list(STAGES) + sorted(_EXTRA_KEYS)}",
                             method[unknown[0]])
    for key, typ in _EXTRA_KEYS.items():
        if key in method and not isinstance(method[key], typ):
            raise ParameterError(f"method.{key}", f"a {typ.__name__}", method[key])
    if method.get("invented") is True and method.get("synthetic") is not True:
        raise ParameterError("method.invented", "true only with \"synthetic\": true (invented numbers are "
                             "illustrative too)", Shown("true with " + (f"\"synthetic\": {json.dumps(method['synthetic'])}" if "synthetic" in method
                                                   else "no \"synthetic\" key")))
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



# ---------------------------------------------------------------------------------------------
# numbers a float cannot hold, the record file, and the record against a tree

#: The most digits an integer literal may have and still fit a float (10**309 > 1.8e308).
_FLOAT_DIGITS = 309


def _too_big(value) -> bool:
    """Whether ``value`` is an integer (not a bool) that a float cannot hold."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        return False
    try:
        float(value)
    except OverflowError:
        return True
    return False


def _digits(value) -> Shown:
    """``value`` described by its number of digits (printing 400 of them says less; beyond Python's 4300-digit
    limit of ``str(int)`` the count is estimated from the bit length)."""
    bits = abs(int(value)).bit_length()
    n = len(str(abs(int(value)))) if bits < 14000 else int(bits * math.log10(2)) + 1
    return Shown(f"an integer of {n} digits")


def _check_float_sized(obj, where: str) -> None:
    """Refuse an integer a float cannot hold anywhere in ``obj`` (a record: dicts, lists, numbers), naming its key."""
    stack = [(obj, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if _too_big(k):
                    raise ParameterError(f"a key of {at}", "a level number or a code that fits a float", _digits(k))
                stack.append((v, f"{at}.{k}" if isinstance(k, str) and k.isidentifier() else f"{at}[{k!r}]"))
        elif isinstance(item, (list, tuple)):
            stack.extend((v, f"{at}[{i}]") for i, v in enumerate(item))
        elif _too_big(item):
            raise ParameterError(at, "a number that fits a float (magnitude below 1.8e308)", _digits(item))


_WS = re.compile(r"[ \t\n\r]*")


def _key_path(path) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else k) for i, k in enumerate(path)) or "(top)"


class _StrictJSON:
    """A second pass over text that :func:`json.loads` accepted, keeping where each key and number is:
    refuses a key repeated in one object, a number a float cannot hold, and ``NaN``/``Infinity``."""

    def __init__(self, text: str, path: Path, what: str):
        self.text, self.path, self.what = text, path, what

    def _line(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def _fail(self, pos, rule, detail):
        raise DataError(self.path, rule, row=self._line(pos), detail=detail)

    def value(self, i: int, path: list):
        t = self.text
        i = _WS.match(t, i).end()
        c = t[i]
        if c == "{":
            obj, seen = {}, {}
            i = _WS.match(t, i + 1).end()
            if t[i] == "}":
                return obj, i + 1
            while True:
                key, end = scanstring(t, i + 1)
                if key in seen:
                    self._fail(i, f"a key given twice in one object of {self.what} (JSON would keep the last one "
                                  "silently)", f"{_key_path(path + [key])!s}, first on line {self._line(seen[key])}")
                seen[key] = i
                i = _WS.match(t, end).end() + 1            # past ':'
                obj[key], i = self.value(i, path + [key])
                i = _WS.match(t, i).end()
                if t[i] == "}":
                    return obj, i + 1
                i = _WS.match(t, i + 1).end()              # past ','
        if c == "[":
            arr = []
            i = _WS.match(t, i + 1).end()
            if t[i] == "]":
                return arr, i + 1
            while True:
                v, i = self.value(i, path + [len(arr)])
                arr.append(v)
                i = _WS.match(t, i).end()
                if t[i] == "]":
                    return arr, i + 1
                i += 1
        if c == '"':
            return scanstring(t, i + 1)
        m = NUMBER_RE.match(t, i)
        if m is not None:
            integer, frac, exp = m.groups()
            if frac or exp:
                v = float(m.group())
                if not math.isfinite(v):
                    self._fail(i, "a number too large for a float (magnitude below 1.8e308)",
                               f"{_key_path(path)} is {m.group()}")
            else:
                if len(integer.lstrip("-")) > _FLOAT_DIGITS or _too_big(int(integer)):
                    self._fail(i, "a number too large for a float (magnitude below 1.8e308)",
                               f"{_key_path(path)} is an integer of {len(integer.lstrip('-'))} digits")
                v = int(integer)
            return v, m.end()
        for word, v in (("null", None), ("true", True), ("false", False)):
            if t.startswith(word, i):
                return v, i + len(word)
        word = next(w for w in ("NaN", "Infinity", "-Infinity") if t.startswith(w, i))
        self._fail(i, "not valid JSON", f"{_key_path(path)} is {word}, which JSON does not allow; write a number")


def read_json_object(path, *, what: str = "method.json") -> dict:
    """Read a JSON file that must hold one object (``method.json``, an audit spec), strictly.

    Besides invalid JSON, a key given twice in one object (JSON's last-one-wins would drop the
    first silently), a number a float cannot hold (``1e400``, an integer of 400 digits) and
    ``NaN``/``Infinity`` are errors naming the key and its line.

    Parameters
    ----------
    path : path-like
        The file.
    what : str
        What the file is, in messages.

    Returns
    -------
    dict
        The object, as :func:`json.loads` gives it.

    Raises
    ------
    DataError
        Naming the file and the line: not UTF-8, not JSON, not an object, a repeated key, a number too large.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "method.json"
    >>> _ = f.write_text('{"weight": {"method": "equal"},' + chr(10) + '"weight": {"method": "given"}}')
    >>> read_json_object(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: .../method.json, line 2: a key given twice in one object of method.json (JSON would \
keep the last one silently) (weight, first on line 1)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(path, "file is not valid UTF-8") from None
    except OSError as exc:
        raise DataError(path, f"cannot read {what}: {exc.strerror or exc}") from None
    try:   # the syntax (an integer's value is not needed here: no int() of thousands of digits)
        json.loads(text, parse_int=len)
    except json.JSONDecodeError as exc:
        raise DataError(path, "not valid JSON", row=exc.lineno, detail=exc.msg) from None
    except RecursionError:
        raise DataError(path, "not valid JSON", detail="nested too deeply") from None
    try:
        doc, _end = _StrictJSON(text, path, what).value(0, [])
    except RecursionError:
        raise DataError(path, "not valid JSON", detail="nested too deeply") from None
    if not isinstance(doc, dict):
        raise DataError(path, f"{what} must hold a JSON object ({{...}})", detail=f"found {type(doc).__name__}")
    return doc


def _suggest(key, valid) -> str:
    """`` (did you mean 'infra'?)`` for the valid code closest to ``key`` (same code up to case and blanks first)."""
    if not isinstance(key, str):
        return ""
    folded = {v.strip().casefold(): v for v in valid}
    close = [folded[key.strip().casefold()]] if key.strip().casefold() in folded else \
        difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_overrides(record: dict, indicators, *, where: str = "") -> None:
    """Refuse a ``by_level`` key that is not an aggregated level of the tree and a ``by_parent`` key that is
    not a parent code: such an override would match nothing and be ignored silently. Refuse too an override
    that would do nothing: an empty one (``{"by_level": {"2": {}}}``), one equal to what applies without it,
    and a ``by_level`` override every parent of whose level has a ``by_parent`` override.

    Parameters
    ----------
    record : dict
        A resolved method record (:func:`resolve_method`).
    indicators : pandas.DataFrame
        The indicator table (``Dataset.indicators``: indexed by code, with ``level`` and ``parent``).
    where : str, optional
        Added to the parameter's name, e.g. ``" (method of data/x/method.json)"``.

    Raises
    ------
    ParameterError
        Naming the stage and key, listing the valid levels or codes, with the closest code suggested.

    Examples
    --------
    >>> import pandas as pd
    >>> tree = pd.DataFrame({"level": [1, 1, 2], "parent": ["infra", "infra", None]}, index=["a", "b", "infra"])
    >>> check_overrides(resolve_method({"weight": {"by_parent": {"Infra": {"method": "equal"}}}}), tree)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: weight.by_parent key should be a parent code of the tree (did you mean \
'infra'?), one of ['infra'], but its value is 'Infra'.
    """
    top = int(indicators["level"].max())
    levels = [str(lev) for lev in range(2, top + 1)]
    parents = [c for lev in range(2, top + 1) for c in framework.codes_at_level(indicators, lev)]
    for stage in ("weight", "aggregate"):
        for key in record[stage].get("by_level", {}):
            if key not in levels:
                raise ParameterError(f"{stage}.by_level key{where}",
                                     f"a level of the tree that is aggregated: one of {levels}", key)
        for key in record[stage].get("by_parent", {}):
            if key not in parents:
                raise ParameterError(f"{stage}.by_parent key{where}",
                                     f"a parent code of the tree{_suggest(key, parents)}, one of {parents}", key)
        _check_overrides_act(stage, record[stage], indicators, where)


def _check_overrides_act(stage, entry, indicators, where):
    """Refuse an override that would do nothing: one whose entry is what applies without it (``{}``, or the
    stage's own method and options; for a parent, its level's override if any), and a level override every
    parent of which has its own ``by_parent`` override."""
    base = {k: v for k, v in entry.items() if k not in ("by_level", "by_parent")}
    by_level, by_parent = entry.get("by_level", {}), entry.get("by_parent", {})
    for key, e in by_level.items():
        if e == base:
            raise ParameterError(f"{stage}.by_level[{key!r}]{where}", "an entry that differs from the stage's own "
                                 f"({base}): this one would change nothing", e)
        shadow = framework.codes_at_level(indicators, int(key))
        if all(p in by_parent for p in shadow):
            raise ParameterError(f"{stage}.by_level key{where}", "a level with a parent that has no by_parent "
                                 f"override: every parent at level {key} ({', '.join(shadow)}) has its own, so "
                                 "this override would apply to none", key)
    for key, e in by_parent.items():
        lev = str(int(indicators.at[key, "level"]))
        without = by_level.get(lev, base)
        if e == without:
            raise ParameterError(f"{stage}.by_parent[{key!r}]{where}", "an entry that differs from the one that "
                                 f"applies without it ({without}): this one would change nothing", e)


def check_weight_column(record: dict, indicators, *, path=None) -> None:
    """Refuse a record that weighs a parent by another method than ``"given"`` while the ``weight`` column
    gives that parent's children unequal weights: the column would be ignored silently.

    A column that is uniform under a parent (all 1, as in COINr's and cityeval's examples) says nothing
    another method could contradict, so any method is allowed there.

    Parameters
    ----------
    record : dict
        A resolved method record (:func:`resolve_method`), its ``by_level``/``by_parent`` overrides
        checked against the tree (:func:`check_overrides`).
    indicators : pandas.DataFrame
        The indicator table, in the order of ``indicators.csv`` (lines as :func:`cityeval.files.line_of`).
    path : path-like, optional
        The ``indicators.csv`` file named in the message.

    Raises
    ------
    DataError
        Naming the file, the line of the first child whose weight differs, the parent and the method.

    Examples
    --------
    >>> import pandas as pd
    >>> tree = pd.DataFrame({"level": [1, 1, 2], "parent": ["p", "p", None], "weight": [1.0, 100.0, 1.0]},
    ...                     index=["a", "b", "p"])
    >>> check_weight_column(resolve_method({}), tree)      # the default, "given", uses the column
    >>> check_weight_column(resolve_method({"weight": {"method": "equal"}}), tree, path="indicators.csv")
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: indicators.csv, line 3, column 'weight': the weights of the children of 'p' differ \
(a 1, b 100), but the method record weighs 'p' with method 'equal', which ignores them; use weight method \
'given' for 'p', or give its children equal weights
    """
    top = int(indicators["level"].max())
    order = list(map(str, indicators.index))
    entry_of = record["weight"]
    for lev in range(2, top + 1):
        for parent in framework.codes_at_level(indicators, lev):
            entry = entry_of.get("by_parent", {}).get(parent) or entry_of.get("by_level", {}).get(str(lev)) \
                or entry_of
            if entry.get("method") == "given":
                continue
            kids = framework.children(indicators, parent)
            w = [float(indicators.at[k, "weight"]) for k in kids]
            if len(set(w)) > 1:
                common = max(dict.fromkeys(w), key=w.count)      # the most frequent weight (the first on a tie)
                odd = next(k for k, v in zip(kids, w) if v != common)
                raise DataError(path, f"the weights of the children of {parent!r} differ "
                                      f"({', '.join(f'{k} {v:g}' for k, v in zip(kids, w))}), but the method record "
                                      f"weighs {parent!r} with method {entry['method']!r}, which ignores them; use "
                                      f"weight method 'given' for {parent!r}, or give its children equal weights",
                                row=line_of(order.index(odd), indicators), column="weight")
