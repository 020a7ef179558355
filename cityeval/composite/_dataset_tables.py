"""The two tables of a dataset folder, parsed and checked line by line (:mod:`cityeval.composite.dataset`).

``indicators.csv`` (the indicator tree) and ``values.csv`` (one row per unit): their columns, types and rules,
each broken rule a :class:`~cityeval.errors.DataError` naming the file, the line as an editor shows it, the
column and the value. :func:`cityeval.composite.dataset.load_dataset` is the public way in.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.composite import framework
from cityeval.errors import DataError, ParameterError
from cityeval.files import line_of, lines_of, read_csv_checked, with_lines

INDICATORS_FILE = "indicators.csv"
#: The id column of ``values.csv``.
ID_COLUMN = "unit"
#: Required columns of ``indicators.csv``, in the order :meth:`Dataset.save` writes them.
INDICATOR_COLUMNS = ("code", "level", "parent", "direction", "weight", "measure", "unit", "name_zh", "name_en")
OPTIONAL_INDICATOR_COLUMNS = ("denominator", "target")
#: Cell texts read as a missing value (besides surrounding blanks).
MISSING_TOKENS = frozenset({"", "NA", "NaN", "nan", "N/A"})
MEASURES = ("input", "outcome")
#: Other spellings of a ``measure`` read as the same value: the report's Table 2 words (投入 input, 成效 outcome);
#: the English words are read whatever their case and surrounding blanks.
MEASURE_SYNONYMS = {"投入": "input", "成效": "outcome"}
#: How a rule on a required number column of ``indicators.csv`` words what every row needs.
_NEEDS = {"level": "a level, a whole number >= 1", "direction": "a direction, 1 or -1",
          "weight": "a weight, a number >= 0"}
_TEXT_COLUMNS = ("measure", "unit", "name_zh", "name_en")


def _blank(value) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _parse_number(raw: pd.Series):
    """(numbers, missing mask, bad mask) of a column of cell texts (:func:`read_csv_checked`'s cells, stripped
    already; any other cell is made a stripped string first)."""
    text = raw.to_numpy(dtype=object)
    if not all(type(v) is str for v in text):
        text = np.array([str(v).strip() for v in text], dtype=object)
    missing = np.isin(text, list(MISSING_TOKENS))
    nums = pd.to_numeric(pd.Series(np.where(missing, None, text), index=raw.index, dtype=object),
                         errors="coerce").astype(float)
    missing = pd.Series(missing, index=raw.index)
    bad = nums.isna() & ~missing
    return nums, missing, bad


def _parse_indicators(path: Path) -> pd.DataFrame:
    raw = read_csv_checked(path, required=INDICATOR_COLUMNS, optional=OPTIONAL_INDICATOR_COLUMNS)
    out = pd.DataFrame(index=pd.Index(raw["code"].astype(str).tolist(), name="code"))
    for col, rule in (("level", "level must be a whole number >= 1"),
                      ("direction", "direction must be 1 or -1"),
                      ("weight", "weight must be a number >= 0"),
                      ("target", "target must be a number or blank")):
        if col not in raw:
            continue
        nums, missing, bad = _parse_number(raw[col])
        if col in _NEEDS and missing.any():          # a blank cell (or NA) is no number: say so, never "nan"
            pos = int(np.flatnonzero(missing.to_numpy())[0])
            _blank_cell(path, col, line_of(pos, raw), raw[col].iloc[pos])
        bad = bad | (~np.isfinite(nums) & ~missing)   # 1e400 or inf: shown as typed, not as the inf it parses to
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(path, rule, row=line_of(pos, raw), column=col, detail=f"found {raw[col].iloc[pos]!r}")
        out[col] = nums.to_numpy()
    for col in ("parent", "denominator"):
        if col in raw:
            vals = [None if _blank(v) else str(v) for v in raw[col]]
            out[col] = pd.Series(vals, index=out.index, dtype=object)
    for col in _TEXT_COLUMNS:
        out[col] = raw[col].astype(str).to_numpy()
    out = out[[c for c in INDICATOR_COLUMNS[1:] + OPTIONAL_INDICATOR_COLUMNS if c in out]]
    return with_lines(out, lines_of(raw))     # the file's line of each code, for the later checks' messages


def _blank_cell(path, col: str, row, value=None):
    """Raise the DataError of a required cell of ``indicators.csv`` left blank (or holding a missing-value token
    such as ``NA``, shown as typed)."""
    text = "" if _blank(value) or not isinstance(value, str) else value.strip()
    raise DataError(path, f"{col} is blank; every row needs {_NEEDS[col]}" if text == "" else
                    f"{col} is missing; every row needs {_NEEDS[col]}", row=row, column=col,
                    detail=f"found {text!r}" if text else None)


def measure_value(text) -> str:
    """The ``measure`` a cell holds: ``input`` or ``outcome`` for those words (any case, blanks around them) and
    for their Table 2 words 投入 and 成效 (:data:`MEASURE_SYNONYMS`); ``""`` for a blank cell; any other text as
    it is (which the checks refuse).

    >>> [measure_value(t) for t in ("input", " Outcome ", "投入", "成效", "", None, "output")]
    ['input', 'outcome', 'input', 'outcome', '', '', 'output']
    """
    if _blank(text):
        return ""
    word = str(text).strip()
    if word.lower() in MEASURES:
        return word.lower()
    return MEASURE_SYNONYMS.get(word, str(text))


def _parse_values(path: Path, meta: pd.DataFrame) -> pd.DataFrame:
    raw = read_csv_checked(path, required=(ID_COLUMN,), allow_extra=True)
    # the file's line of each unit, taken once: pandas deep-copies a frame's attrs into every Series derived from
    # it, and the per-column parsing below derives several per column (2,850 units x 100 columns took 65 s)
    lines = lines_of(raw)
    raw.attrs.clear()
    level1 = set(meta.index[meta["level"] == 1])
    denominators = set()
    if "denominator" in meta:
        denominators = {d for d in meta["denominator"] if not _blank(d)}
    cols = {}
    for col in raw.columns:
        if col == ID_COLUMN:
            continue
        nums, missing, bad = _parse_number(raw[col])
        if col in level1 or col in denominators:
            if bad.any():
                pos = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(path, "values must be numbers (blank or NA for a missing value)",
                                row=lines[pos], column=col, detail=f"found {raw[col].iloc[pos]!r}")
            huge = ~np.isfinite(nums) & ~missing      # 1e400 or inf: shown as typed, not as the inf it parses to
            if huge.any():
                pos = int(np.flatnonzero(huge.to_numpy())[0])
                raise DataError(path, "values must be finite numbers (magnitude below 1.8e308)",
                                row=lines[pos], column=col, detail=f"found {raw[col].iloc[pos].strip()!r}")
            cols[col] = nums.to_numpy()
        elif (~missing).any() and not bad.any():
            cols[col] = nums.to_numpy()   # numeric extra column: refused by _check_values as an unknown code
        else:
            cols[col] = pd.array([None if m else v for v, m in zip(raw[col], missing)], dtype="str")
    frame = pd.DataFrame(cols, index=pd.Index(raw[ID_COLUMN].astype(str).tolist(), name=ID_COLUMN))
    return with_lines(frame, lines)   # the file's line of each unit, for the later checks' messages


# ---------------------------------------------------------------------------------------------
# checks on the typed tables (shared by loading and in-memory construction)


def _typed_indicators(meta: pd.DataFrame, path: Path) -> pd.DataFrame:
    if not isinstance(meta, pd.DataFrame):
        raise ParameterError("indicators", "a pandas DataFrame indexed by code", type(meta).__name__)
    missing = [c for c in INDICATOR_COLUMNS[1:] if c not in meta.columns]
    if missing:
        raise DataError(path, f"missing required column(s) {', '.join(missing)}", row=1)
    meta = meta.copy()
    meta.index = pd.Index([str(c) for c in meta.index], name="code")
    for pos, code in enumerate(meta.index):
        if _blank(code) or code == "nan":
            raise DataError(path, "code is blank; every row needs a code", row=line_of(pos, meta), column="code")
    dup = meta.index.duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(meta.index == meta.index[pos])[0])
        raise DataError(path, "duplicate code; each code appears once", row=line_of(pos, meta), column="code",
                        detail=f"{meta.index[pos]!r} already on line {line_of(first, meta)}")

    def numbers(col):
        return pd.to_numeric(meta[col], errors="coerce").astype(float).to_numpy()

    for col in _NEEDS:       # a frame built in memory: NaN or None in a required number column is a blank cell
        blank = [pos for pos, v in enumerate(meta[col]) if _blank(v)]
        if blank:
            _blank_cell(path, col, line_of(blank[0], meta))
    level = numbers("level")
    for pos, v in enumerate(level):
        if not (np.isfinite(v) and v >= 1 and v == int(v)):
            raise DataError(path, "level must be a whole number >= 1", row=line_of(pos, meta), column="level",
                            detail=f"found {meta['level'].iloc[pos]!r}")
    meta["level"] = level.astype(np.int64)
    direction = numbers("direction")
    for pos, v in enumerate(direction):
        if v not in (1.0, -1.0):
            raise DataError(path, "direction must be 1 or -1", row=line_of(pos, meta), column="direction",
                            detail=f"found {v:g}")
        if v == -1.0 and meta["level"].iloc[pos] > 1:   # an aggregate's score is already oriented by its indicators
            raise DataError(path, "direction of an aggregate (level > 1) must be 1: its score is oriented by its "
                            "indicators' directions, so -1 would be ignored", row=line_of(pos, meta),
                            column="direction", detail=f"{meta.index[pos]!r} at level {int(meta['level'].iloc[pos])} "
                            "has -1")
    meta["direction"] = direction.astype(np.int64)
    weight = numbers("weight")
    for pos, v in enumerate(weight):
        if not np.isfinite(v):
            raise DataError(path, "weight must be a number >= 0", row=line_of(pos, meta), column="weight",
                            detail=f"found {meta['weight'].iloc[pos]!r}")
        if v < 0:
            raise DataError(path, "weights must not be negative", row=line_of(pos, meta), column="weight",
                            detail=f"found {v:g}")
    meta["weight"] = weight
    for col in _TEXT_COLUMNS:
        meta[col] = pd.array(["" if _blank(v) else str(v) for v in meta[col]], dtype="str")
    meta["measure"] = pd.array([measure_value(m) for m in meta["measure"]], dtype="str")
    for pos, (m, lev) in enumerate(zip(meta["measure"], meta["level"])):
        if m == "" and lev == 1:
            raise DataError(path, "measure is blank; every level-1 indicator needs one: input or outcome (or 投入 or "
                            "成效)", row=line_of(pos, meta), column="measure")
        if m not in MEASURES and m != "":
            raise DataError(path, "measure must be input or outcome (or 投入 or 成效, the report's words)",
                            row=line_of(pos, meta), column="measure", detail=f"found {m!r}")
    meta["parent"] = pd.Series([None if _blank(p) else str(p) for p in meta["parent"]], index=meta.index, dtype=object)
    if "denominator" in meta:
        meta["denominator"] = pd.Series([None if _blank(d) else str(d) for d in meta["denominator"]],
                                        index=meta.index, dtype=object)
    if "target" in meta:
        target = numbers("target")
        for pos, v in enumerate(target):
            if not _blank(meta["target"].iloc[pos]) and not np.isfinite(v):
                raise DataError(path, "target must be a number or blank", row=line_of(pos, meta), column="target",
                                detail=f"found {meta['target'].iloc[pos]!r}")
        meta["target"] = target
    return meta[[c for c in INDICATOR_COLUMNS[1:] + OPTIONAL_INDICATOR_COLUMNS if c in meta.columns]]


def _check_tree(meta: pd.DataFrame, path: Path) -> None:
    codes = list(meta.index)
    line = {c: line_of(i, meta) for i, c in enumerate(codes)}
    parents = framework.parent_map(meta)
    for code, parent in parents.items():
        if parent is not None and parent not in line:
            raise DataError(path, "parent is not a code of indicators.csv", row=line[code], column="parent",
                            detail=f"{code!r} has parent {parent!r}")
    cycle = framework.find_cycle(parents)
    if cycle is not None:
        raise DataError(path, "the parent links form a cycle; the tree must lead up to the index",
                        row=line[cycle[0]], column="parent", detail=" -> ".join(cycle))
    top = int(meta["level"].max())
    for code, parent in parents.items():
        lev = int(meta.at[code, "level"])
        if parent is None:
            if lev != top:
                raise DataError(path, f"only codes at the highest level ({top}) may have a blank parent",
                                row=line[code], column="parent", detail=f"{code!r} is at level {lev}")
        elif int(meta.at[parent, "level"]) != lev + 1:
            raise DataError(path, "a parent sits exactly one level above its child", row=line[code],
                            column="level", detail=f"{code!r} is at level {lev}, its parent {parent!r} "
                                                    f"at level {int(meta.at[parent, 'level'])}")
    has_child = {p for p in parents.values() if p is not None}
    for code in codes:
        if int(meta.at[code, "level"]) > 1 and code not in has_child:
            raise DataError(path, "an aggregate (level > 1) needs at least one child", row=line[code],
                            column="code", detail=f"no code has parent {code!r}")
    for code, parent in parents.items():   # a top code is weighed in no parent: another weight would be ignored
        if parent is None and float(meta.at[code, "weight"]) != 1.0:
            raise DataError(path, "the weight of a top code (blank parent) must be 1: it has no parent to be "
                            "weighed in, so any other weight would be ignored", row=line[code], column="weight",
                            detail=f"{code!r} has {float(meta.at[code, 'weight']):g}")
    for parent in has_child:
        kids = [c for c, p in parents.items() if p == parent]
        if (meta.loc[kids, "weight"] == 0).all():       # not a sum: weights near 1e308 would overflow it
            raise DataError(path, "the weights of a parent's children must not all be zero",
                            row=line[kids[0]], column="weight", detail=f"children of {parent!r}: {', '.join(kids)}")
    if "denominator" in meta:
        for code in codes:
            d = meta.at[code, "denominator"]
            if d is not None and int(meta.at[code, "level"]) != 1:
                raise DataError(path, "only level-1 indicators can have a denominator", row=line[code],
                                column="denominator", detail=f"{code!r} is at level {int(meta.at[code, 'level'])}")


def _typed_values(values: pd.DataFrame, meta: pd.DataFrame, path: Path) -> pd.DataFrame:
    if not isinstance(values, pd.DataFrame):
        raise ParameterError("values", "a pandas DataFrame indexed by unit id", type(values).__name__)
    values = values.copy()
    if ID_COLUMN in values.columns:
        values = values.set_index(ID_COLUMN)
    values.index = pd.Index(["" if _blank(u) else str(u) for u in values.index], name=ID_COLUMN)
    dcols = list(values.columns)
    dupes = sorted({c for c in dcols if dcols.count(c) > 1})
    if dupes:
        raise DataError(path, "duplicate column names in the header", row=1, detail=", ".join(map(str, dupes)))
    numeric = set(meta.index[meta["level"] == 1])
    if "denominator" in meta:
        numeric |= {d for d in meta["denominator"] if d is not None}
    # the file lines (attrs) set aside while the columns are read: pandas deep-copies attrs into every column taken
    lines, saved = lines_of(values), values.attrs
    values.attrs = {}
    for col in values.columns:
        if col in numeric and not pd.api.types.is_float_dtype(values[col]):
            conv = pd.to_numeric(values[col], errors="coerce")
            bad = conv.isna() & values[col].notna()
            if bad.any():
                pos = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(path, "values must be numbers (blank or NA for a missing value)",
                                row=lines[pos], column=col, detail=f"found {values[col].iloc[pos]!r}")
            values[col] = conv.astype(float)
    values.attrs = saved
    return values


def _check_values(values: pd.DataFrame, meta: pd.DataFrame, path: Path) -> None:
    ids = list(values.index)
    line = lines_of(values)                   # the file's line of each unit (position + 2 for a frame built in memory)
    for pos, u in enumerate(ids):
        if u == "":
            raise DataError(path, "unit id is blank; every row needs an id", row=line[pos], column=ID_COLUMN)
    dup = values.index.duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(values.index == values.index[pos])[0])
        raise DataError(path, "duplicate unit id; each unit appears once", row=line[pos], column=ID_COLUMN,
                        detail=f"{ids[pos]!r} already on line {line[first]}")
    meta_line = dict(zip(meta.index, lines_of(meta)))
    level1 = framework.codes_at_level(meta, 1)
    for code in level1:
        if code not in values.columns:
            raise DataError(path, "unknown code: an indicator of indicators.csv has no column here", row=1,
                            detail=f"{code!r} (indicators.csv line {meta_line[code]}) has no column")
    for col in values.columns:
        if col in meta.index and int(meta.at[col, "level"]) > 1:
            raise DataError(path, "a column is named after an aggregate; only level-1 indicators are data",
                            row=1, column=col, detail=f"{col!r} is at level {int(meta.at[col, 'level'])} in indicators.csv")
    denominators = []
    if "denominator" in meta:
        for code in level1:
            d = meta.at[code, "denominator"]
            if d is None:
                continue
            if d not in values.columns:
                raise DataError(path.with_name(INDICATORS_FILE), "unknown denominator: no column of values.csv has this name",
                                row=meta_line[code], column="denominator", detail=f"{code!r} names {d!r}")
            if d in level1:
                raise DataError(path.with_name(INDICATORS_FILE), "a denominator must not be an indicator",
                                row=meta_line[code], column="denominator", detail=f"{code!r} names {d!r}")
            denominators.append(d)
    taken = set(level1) | set(denominators)
    for col in values.columns:
        if col in taken:
            continue
        s = values[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            raise DataError(path, "unknown code: a column of numbers that is neither an indicator of "
                            "indicators.csv nor a denominator (group columns hold text labels)",
                            row=1, column=col)
    x = values[level1].to_numpy(dtype=float)
    finite = np.isfinite(x) | np.isnan(x)
    if not finite.all():
        r, c = map(int, np.argwhere(~finite)[0])
        raise DataError(path, "values must be finite numbers", row=line[r], column=level1[c], detail=f"found {x[r, c]}")
    present = ~np.isnan(x)
    empty_cols = np.flatnonzero(~present.any(axis=0))
    if len(empty_cols):
        raise DataError(path, "indicator has no values: every unit is missing it", column=level1[empty_cols[0]])
    empty_rows = np.flatnonzero(~present.any(axis=1))
    if len(empty_rows):
        r = int(empty_rows[0])
        raise DataError(path, "unit has no values: every indicator is missing", row=line[r], column=ID_COLUMN,
                        detail=f"unit {ids[r]!r}")
    for d in dict.fromkeys(denominators):
        col = values[d].to_numpy(dtype=float)
        users = [c for c in level1 if meta.at[c, "denominator"] == d]
        needed = (~np.isnan(values[users].to_numpy(dtype=float))).any(axis=1)
        bad = np.flatnonzero((~np.isfinite(col) | (col == 0)) & needed)
        if len(bad):
            r = int(bad[0])
            raise DataError(path, "a denominator must be a non-zero number for every unit with a value to divide",
                            row=line[r], column=d,
                            detail=f"unit {ids[r]!r} has {'a missing value' if np.isnan(col[r]) else col[r]}; "
                                   f"used by {', '.join(users)}")
