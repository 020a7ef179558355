"""The dataset model: a folder with the values, the indicator tree and the method.

A dataset folder holds two tables, as COINr's ``iData``/``iMeta`` do, and an
optional method record:

``values.csv``
    One row per unit (city). The column ``unit`` holds the unit's id; then one
    column per level-1 indicator code; optionally *denominator* columns (named in
    the ``denominator`` column of ``indicators.csv``, e.g. population) and *group*
    columns (labels such as a region, used by group imputation). A blank cell or
    ``NA`` is a missing value.
``indicators.csv``
    One row per code of the indicator tree, with the columns ``code, level,
    parent, direction, weight, measure, unit, name_zh, name_en`` and optionally
    ``denominator`` and ``target``. Level 1 holds the raw indicators (the columns
    of ``values.csv``); higher levels are aggregates; the codes at the highest
    level (the index) have a blank parent.
``method.json`` (optional)
    The pipeline choices (see :mod:`cityeval.composite.pipeline`); without it the pipeline
    uses :data:`cityeval.composite.pipeline.DEFAULT_METHOD`.

Any other file in the folder (a README data dictionary) is left alone by
:meth:`Dataset.save`.

Decided rules, checked on load, each failing with a :class:`~cityeval.errors.DataError`
naming the file, the line (header = line 1) and the column:

- ``indicators.csv``: codes are non-blank and unique; ``level`` is a whole number
  >= 1; ``parent`` is blank or a code of the table, one level above the child, and
  the parent links have no cycle; only codes at the highest level have no parent;
  every code above level 1 has at least one child, and not all of its children
  weigh zero; ``direction`` is 1 or -1; ``weight`` is a finite number >= 0;
  ``measure`` is ``input`` or ``outcome`` (required at level 1, optional above);
  ``target`` is blank or a number; ``denominator`` is blank or names a column of
  ``values.csv``, and only level-1 indicators have one.
- ``values.csv``: a ``unit`` column with non-blank, unique ids; every level-1
  code has a column (an unknown code is an error), no column is named after an
  aggregate; indicator and denominator cells are finite numbers or missing; no
  indicator is missing for every unit and no unit is missing every indicator; a
  denominator is never zero or missing for a unit that has a value of an
  indicator it divides (where there is nothing to divide, it may be missing).
- Group columns are the remaining columns and hold labels (text). A remaining
  column whose every value is a number is refused as an *unknown code*: it is
  most likely an indicator missing from ``indicators.csv``. Code a numeric
  grouping as text ("tier1", "tier2").
"""
from __future__ import annotations

import copy
import json
import math
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.composite import framework
from cityeval.composite.method import check_overrides, check_weight_column, read_json_object, resolve_method
from cityeval.errors import DataError, ParameterError
from cityeval.files import file_sha256, line_of, lines_of, read_csv_checked, with_lines
from cityeval.outputs import replace_dir

__all__ = ["Dataset", "load_dataset", "VALUES_FILE", "INDICATORS_FILE", "METHOD_FILE", "ID_COLUMN",
           "INDICATOR_COLUMNS", "OPTIONAL_INDICATOR_COLUMNS", "MISSING_TOKENS", "SYNTHETIC_BANNER"]

VALUES_FILE = "values.csv"
INDICATORS_FILE = "indicators.csv"
METHOD_FILE = "method.json"
#: The id column of ``values.csv``.
ID_COLUMN = "unit"
#: Required columns of ``indicators.csv``, in the order :meth:`Dataset.save` writes them.
INDICATOR_COLUMNS = ("code", "level", "parent", "direction", "weight", "measure", "unit", "name_zh", "name_en")
OPTIONAL_INDICATOR_COLUMNS = ("denominator", "target")
#: Cell texts read as a missing value (besides surrounding blanks).
#: One line printed before numbers computed on a dataset whose ``method.json`` says ``"synthetic": true``
#: (``score`` and ``audit`` print it to standard error).
SYNTHETIC_BANNER = "illustrative numbers: synthetic data"
MISSING_TOKENS = frozenset({"", "NA", "NaN", "nan", "N/A"})
MEASURES = ("input", "outcome")
_TEXT_COLUMNS = ("measure", "unit", "name_zh", "name_en")


def _blank(value) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


@dataclass
class Dataset:
    """Values and indicator tree of one evaluation, checked against the rules of this module.

    Parameters
    ----------
    values : pandas.DataFrame
        One row per unit, indexed by unit id (index name ``"unit"``); one float column per
        level-1 indicator code, float denominator columns, and text group columns.
    indicators : pandas.DataFrame
        Indexed by code, with the columns ``level`` (int), ``parent`` (str or missing),
        ``direction`` (int, ±1), ``weight`` (float), ``measure``, ``unit``, ``name_zh``,
        ``name_en`` (str) and optionally ``denominator`` (str or missing), ``target`` (float).
    method : dict, optional
        The recorded pipeline choices (the content of ``method.json``), or ``None``.
    path : Path, optional
        The folder the dataset was loaded from, or ``None`` for a dataset built in memory.

    Raises
    ------
    DataError
        When the tables break a rule (see the module docstring). Line numbers count
        the header as line 1 and the rows in their order in the frames.
    """

    values: pd.DataFrame
    indicators: pd.DataFrame
    method: dict | None = None
    path: Path | None = field(default=None)

    def __post_init__(self):
        if self.path is not None:
            self.path = Path(self.path)
        self.indicators = _typed_indicators(self.indicators, self._file(INDICATORS_FILE))
        self.values = _typed_values(self.values, self.indicators, self._file(VALUES_FILE))
        _check_tree(self.indicators, self._file(INDICATORS_FILE))
        _check_values(self.values, self.indicators, self._file(VALUES_FILE))

    def _file(self, name: str) -> Path:
        return (self.path / name) if self.path is not None else Path(name)

    # ---- views --------------------------------------------------------------------------
    @property
    def indicator_codes(self) -> list[str]:
        """The level-1 indicator codes, in the order of ``indicators.csv``."""
        return framework.codes_at_level(self.indicators, 1)

    @property
    def denominators(self) -> list[str]:
        """The denominator columns of ``values.csv`` (named by some indicator's ``denominator``)."""
        if "denominator" not in self.indicators:
            return []
        used = {d for d in self.indicators["denominator"] if not _blank(d)}
        return [c for c in self.values.columns if c in used]

    @property
    def groups(self) -> list[str]:
        """The group (label) columns of ``values.csv``."""
        taken = set(self.indicator_codes) | set(self.denominators)
        return [c for c in self.values.columns if c not in taken]

    @property
    def data(self) -> pd.DataFrame:
        """The level-1 indicator values (float), units × codes."""
        return self.values[self.indicator_codes]

    @property
    def directions(self) -> pd.Series:
        """Direction (±1) of every level-1 indicator, indexed by code."""
        return self.indicators.loc[self.indicator_codes, "direction"].astype(int)

    @property
    def units(self) -> pd.Index:
        """The unit ids, in file order."""
        return self.values.index

    @property
    def top_level(self) -> int:
        """The highest level of the tree (the index's level)."""
        return int(self.indicators["level"].max())

    @property
    def synthetic(self) -> bool:
        """Whether the numbers are synthetic: the method record (``method.json``) says ``"synthetic": true``.

        Decided by the record alone, never by the folder's path (a user's ``mydata/synthetic_free`` is real
        data); the embedded synthetic panel and every ensemble member carry the field."""
        return isinstance(self.method, dict) and self.method.get("synthetic") is True

    @property
    def files(self) -> list[Path]:
        """The files of the folder a run reads (``values.csv``, ``indicators.csv``, and ``method.json`` if
        present), e.g. the inputs a results file records; empty for a dataset built in memory.

        >>> from cityeval import paths
        >>> [p.name for p in load_dataset(paths.DATA / "examples" / "toy").files]
        ['values.csv', 'indicators.csv', 'method.json']
        """
        if self.path is None:
            return []
        return [p for p in (self.path / VALUES_FILE, self.path / INDICATORS_FILE, self.path / METHOD_FILE)
                if p.exists()]

    def with_method(self, method: dict | None) -> "Dataset":
        """A copy of this dataset carrying another method record, checked against the tree (an override for a
        level or parent the tree lacks is a ParameterError; a method that would ignore unequal weights of the
        ``weight`` column a DataError, see :func:`~cityeval.composite.method.check_weight_column`)."""
        out = Dataset(self.values.copy(), self.indicators.copy(), method=method, path=self.path)
        if method is not None:
            record = resolve_method(method)
            check_overrides(record, out.indicators)
            check_weight_column(record, out.indicators, path=out._file(INDICATORS_FILE))
        return out

    # ---- writing ------------------------------------------------------------------------
    def save(self, folder) -> Path:
        """Write the dataset folder atomically and return its path.

        The three files are written to a temporary folder beside ``folder``, any other file
        already in ``folder`` (a README) is copied along, and the temporary folder then
        replaces ``folder`` by renames, so a reader never sees a half-written dataset.
        ``method.json`` is written only when :attr:`method` is not ``None``.

        Numbers are written with Python's shortest round-trip representation, so
        ``load_dataset(ds.save(f))`` gives back exactly the same values. Afterwards
        :attr:`path` is ``folder``.
        """
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        try:
            if folder.is_dir():
                for item in folder.iterdir():
                    if item.name in (VALUES_FILE, INDICATORS_FILE, METHOD_FILE):
                        continue
                    if item.is_dir():
                        shutil.copytree(item, tmp / item.name)
                    else:
                        shutil.copy2(item, tmp / item.name)
            values = self.values.copy()
            values.index.name = ID_COLUMN
            values.to_csv(tmp / VALUES_FILE, lineterminator="\n", na_rep="")
            meta = self.indicators.copy()
            meta.index.name = "code"
            cols = [c for c in INDICATOR_COLUMNS[1:]] + [c for c in OPTIONAL_INDICATOR_COLUMNS if c in meta]
            meta[cols].to_csv(tmp / INDICATORS_FILE, lineterminator="\n", na_rep="")
            if self.method is not None:
                text = json.dumps(self.method, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
                (tmp / METHOD_FILE).write_text(text + "\n", encoding="utf-8")
            replace_dir(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.path = folder
        return folder


# ---------------------------------------------------------------------------------------------
# loading


def load_dataset(folder) -> Dataset:
    """Read and check a dataset folder.

    Parameters
    ----------
    folder : path-like
        A folder holding ``values.csv``, ``indicators.csv`` and optionally ``method.json``.

    Returns
    -------
    Dataset
        Values indexed by unit id (indicator and denominator columns as float, group
        columns as text), the indicator table indexed by code, the method record (or
        ``None``) and the folder path.

    Raises
    ------
    DataError
        A missing folder or file, or any rule of the module docstring broken; the message
        names the file, the line and the column.

    Examples
    --------
    >>> from cityeval import paths
    >>> ds = load_dataset(paths.DATA / "examples" / "toy")
    >>> ds.values.shape[0], len(ds.indicator_codes)
    (8, 6)
    """
    folder = Path(folder)
    if not folder.exists():
        raise DataError(folder, "dataset folder not found; expected a folder holding values.csv and indicators.csv")
    if not folder.is_dir():
        raise DataError(folder, "expected a dataset folder (holding values.csv and indicators.csv), found a file")
    for name in (INDICATORS_FILE, VALUES_FILE):
        if not (folder / name).is_file():
            raise DataError(folder / name, "file not found; a dataset folder needs values.csv and indicators.csv")
    key = _content_key(folder)
    cached = _LOADED.get(key)
    if cached is None:
        meta = _parse_indicators(folder / INDICATORS_FILE)
        values = _parse_values(folder / VALUES_FILE, meta)
        method = _read_method(folder / METHOD_FILE) if (folder / METHOD_FILE).exists() else None
        cached = Dataset(values, meta, method=method, path=folder)
        if method is not None:   # the record against the tree: no override that matches nothing, no column ignored
            record = resolve_method(method)
            check_overrides(record, cached.indicators, where=f" (method of {folder / METHOD_FILE})")   # as run() says
            check_weight_column(record, cached.indicators, path=folder / INDICATORS_FILE)
        if _content_key(folder) == key:       # not kept if a file changed while it was being read
            _LOADED[key] = cached
            while len(_LOADED) > _LOADED_MAX:
                _LOADED.pop(next(iter(_LOADED)))
    return _copy_of(cached, folder)


def _content_key(folder: Path) -> tuple:
    return (str(folder.resolve()),) + tuple(
        file_sha256(folder / name) if (folder / name).is_file() else None
        for name in (INDICATORS_FILE, VALUES_FILE, METHOD_FILE))


# Parsed and checked datasets of this process, keyed by folder and the SHA-256 of each file: a
# notebook that re-scores one panel under several methods parses it once. Each call returns its own
# copy (see _copy_of), so a caller that changes its dataset changes nothing here.
_LOADED: dict = {}
_LOADED_MAX = 8


def _copy_of(ds: Dataset, folder: Path) -> Dataset:
    out = copy.copy(ds)                   # copy.copy does not run __post_init__: the checks passed already
    out.values, out.indicators = ds.values.copy(), ds.indicators.copy()
    out.method, out.path = copy.deepcopy(ds.method), folder
    return out


def _read_method(path: Path) -> dict:
    doc = read_json_object(path, what="method.json")   # strict: a repeated key, a number too large, NaN
    try:
        resolve_method(doc)
    except ParameterError as exc:
        raise DataError(path, "not a valid method record", detail=str(exc)) from None
    return doc


def _parse_number(raw: pd.Series):
    """(numbers, missing mask, bad mask) of a column of cell texts."""
    text = raw.astype(str).str.strip()
    missing = text.isin(MISSING_TOKENS)
    nums = pd.to_numeric(text.where(~missing, None), errors="coerce").astype(float)
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


def _parse_values(path: Path, meta: pd.DataFrame) -> pd.DataFrame:
    raw = read_csv_checked(path, required=(ID_COLUMN,), allow_extra=True)
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
                                row=line_of(pos, raw), column=col, detail=f"found {raw[col].iloc[pos]!r}")
            cols[col] = nums.to_numpy()
        elif (~missing).any() and not bad.any():
            cols[col] = nums.to_numpy()   # numeric extra column: refused by _check_values as an unknown code
        else:
            cols[col] = pd.array([None if m else v for v, m in zip(raw[col], missing)], dtype="str")
    frame = pd.DataFrame(cols, index=pd.Index(raw[ID_COLUMN].astype(str).tolist(), name=ID_COLUMN))
    return with_lines(frame, lines_of(raw))   # the file's line of each unit, for the later checks' messages


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
    for pos, (m, lev) in enumerate(zip(meta["measure"], meta["level"])):
        if m not in MEASURES and not (m == "" and lev > 1):
            raise DataError(path, "measure must be input or outcome" + (" (required for level-1 indicators)" if lev == 1 else ""),
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
    for parent in has_child:
        kids = [c for c, p in parents.items() if p == parent]
        if float(meta.loc[kids, "weight"].sum()) == 0.0:
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
    for col in values.columns:
        if col in numeric and not pd.api.types.is_float_dtype(values[col]):
            conv = pd.to_numeric(values[col], errors="coerce")
            bad = conv.isna() & values[col].notna()
            if bad.any():
                pos = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(path, "values must be numbers (blank or NA for a missing value)",
                                row=line_of(pos, values), column=col, detail=f"found {values[col].iloc[pos]!r}")
            values[col] = conv.astype(float)
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
