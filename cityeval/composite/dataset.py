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

``covariates.csv`` (optional)
    One row per unit: ``unit`` and numeric columns (population, GDP per capita) that are not indicators;
    notebook 04 compares scores with them (read by :func:`cityeval.analysis.polarization.load_covariates`).
    Tables of this kind are listed in :data:`UNIT_TABLES`.

Any other file in the folder (a README data dictionary) is left alone by
:meth:`Dataset.save`, which also carries the :data:`UNIT_TABLES` of the folder a dataset was loaded from
into the folder it is saved to.

Decided rules, checked on load, each failing with a :class:`~cityeval.errors.DataError`
naming the file, the line (header = line 1) and the column:

- ``indicators.csv``: codes are non-blank and unique; ``level`` is a whole number
  >= 1; ``parent`` is blank or a code of the table, one level above the child, and
  the parent links have no cycle; only codes at the highest level have no parent;
  every code above level 1 has at least one child, and not all of its children
  weigh zero; ``direction`` is 1 or -1; ``weight`` is a finite number >= 0, and 1
  for a top code (blank parent: no parent weighs it, so another weight would be ignored);
  ``measure`` is ``input`` or ``outcome`` (required at level 1, optional above; any case, and the report's
  Table 2 words 投入 and 成效 are read as ``input`` and ``outcome``); a blank ``level``, ``direction`` or ``weight``
  cell is refused as blank (every row needs one);
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
import csv
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.composite import framework
from cityeval.composite._dataset_tables import (ID_COLUMN, INDICATOR_COLUMNS, MISSING_TOKENS, OPTIONAL_INDICATOR_COLUMNS,
                                                _blank, _check_tree, _check_values, _parse_indicators, _parse_values,
                                                _typed_indicators, _typed_values)
from cityeval.composite.method import check_overrides, check_weight_column, read_json_object, resolve_method
from cityeval.errors import DataError, ParameterError
from cityeval.files import file_sha256
from cityeval.outputs import check_outputs, replace_dir, writing

__all__ = ["Dataset", "load_dataset", "VALUES_FILE", "INDICATORS_FILE", "METHOD_FILE", "ID_COLUMN",
           "INDICATOR_COLUMNS", "check_record_options", "OPTIONAL_INDICATOR_COLUMNS", "MISSING_TOKENS", "SYNTHETIC_BANNER", "INVENTED_BANNER", "UNIT_TABLES", "INDICATOR_FILES"]

VALUES_FILE = "values.csv"
INDICATORS_FILE = "indicators.csv"
METHOD_FILE = "method.json"
#: Optional tables of a dataset folder with one row per unit (first the ``unit`` column), read by the analyses
#: that need them; :meth:`Dataset.save` carries them over, keeping the rows of the units saved.
UNIT_TABLES = ("covariates.csv",)
#: Optional files about the indicators (not the units), read by notebook 00 (``ahp.json``: pairwise judgements per
#: parent): :meth:`Dataset.save` carries them from the source folder as they are.
INDICATOR_FILES = ("ahp.json",)
#: One line printed before numbers computed on a dataset whose ``method.json`` says ``"synthetic": true``
#: (``score`` and ``audit`` print :attr:`Dataset.banner` to standard error).
SYNTHETIC_BANNER = "illustrative numbers: synthetic data"
#: The line for a dataset whose ``method.json`` also says ``"invented": true`` (numbers made up for teaching).
INVENTED_BANNER = "illustrative numbers: invented data"


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
    def invented(self) -> bool:
        """Whether the numbers were invented for teaching: ``method.json`` says ``"invented": true`` (which it may
        only say with ``"synthetic": true``, so an invented dataset is :attr:`synthetic` too).

        >>> from cityeval import paths
        >>> load_dataset(paths.DATA / "examples" / "lesson").invented, load_dataset(paths.DATA / "synthetic" / "ccid2022").invented
        (True, False)
        """
        return self.synthetic and self.method.get("invented") is True

    @property
    def banner(self) -> str | None:
        """The line to print before numbers computed on this dataset: :data:`INVENTED_BANNER`,
        :data:`SYNTHETIC_BANNER`, or ``None`` for real data.

        >>> from cityeval import paths
        >>> load_dataset(paths.DATA / "examples" / "lesson").banner
        'illustrative numbers: invented data'
        >>> load_dataset(paths.DATA / "synthetic" / "ccid2022").banner
        'illustrative numbers: synthetic data'
        """
        if not self.synthetic:
            return None
        return INVENTED_BANNER if self.invented else SYNTHETIC_BANNER

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
            check_record_options(record, out)
        return out

    # ---- writing ------------------------------------------------------------------------
    def save(self, folder) -> Path:
        """Write the dataset folder atomically and return its path.

        The three files are written to a temporary folder beside ``folder``, any other file
        already in ``folder`` (a README) is copied along, and the temporary folder then
        replaces ``folder`` by renames, so a reader never sees a half-written dataset.
        ``method.json`` is written only when :attr:`method` is not ``None``.

        The files of :data:`INDICATOR_FILES` (``ahp.json``) of the folder the dataset came from are carried as they
        are. The optional tables of :data:`UNIT_TABLES` (``covariates.csv``) of the folder the dataset came
        from (:attr:`path`; a dataset built with ``dataclasses.replace(ds, values=...)`` keeps it) are carried
        along, keeping the rows of the units saved, each line as it was (so numbers keep their text); one
        already in ``folder`` is kept as it is when the dataset has no such table of its own.

        >>> import dataclasses, tempfile
        >>> from cityeval import paths
        >>> ds = load_dataset(paths.DATA / "synthetic" / "ccid2022")
        >>> east = dataclasses.replace(ds, values=ds.values[ds.values["region"] == "华东"])
        >>> saved = east.save(Path(tempfile.mkdtemp()) / "east")
        >>> sorted(p.name for p in saved.iterdir())
        ['covariates.csv', 'indicators.csv', 'method.json', 'values.csv']
        >>> len((saved / "covariates.csv").read_text(encoding="utf-8").splitlines()) == len(east.values) + 1
        True

        Numbers are written with Python's shortest round-trip representation, so
        ``load_dataset(ds.save(f))`` gives back exactly the same values. Afterwards
        :attr:`path` is ``folder``. Refused before anything is written (an :class:`~cityeval.errors.OutputError`
        naming ``folder``, nothing left behind, no folder created): a file, pipe or device, a folder with files
        that is not a dataset folder, a path that cannot be written (:func:`cityeval.outputs.check_outputs`).
        """
        target = check_outputs({"folder": folder}, kind="dataset folder")["folder"]
        folder = Path(folder)
        with writing(target, option="folder"):
            self._save_to(target)
        self.path = folder
        return folder

    def _carry_unit_tables(self, tmp: Path) -> None:
        """Write each table of :data:`UNIT_TABLES` of the source folder (:attr:`path`) into ``tmp``, keeping its
        header and the lines of the units in :attr:`values`, byte for byte; a table the source folder lacks is
        left as ``tmp`` has it (copied from the target folder, or absent)."""
        if self.path is None:
            return
        for name in INDICATOR_FILES:
            source = self.path / name
            if source.is_file():
                shutil.copyfile(source, tmp / name)
        units = {str(u) for u in self.values.index}
        for name in UNIT_TABLES:
            source = self.path / name
            if not source.is_file():
                continue
            text = source.read_text(encoding="utf-8-sig")
            lines = text.splitlines(keepends=True)
            if not lines:
                continue
            header = next(csv.reader([lines[0]]))
            if ID_COLUMN not in header:       # not a table of units: carried as it is (its reader names the fault)
                (tmp / name).write_text(text, encoding="utf-8")
                continue
            column = header.index(ID_COLUMN)
            kept = [lines[0]]
            for line in lines[1:]:
                row = next(csv.reader([line]), [])
                if len(row) > column and row[column].strip() in units:
                    kept.append(line)
            (tmp / name).write_text("".join(kept), encoding="utf-8")

    def _save_to(self, folder: Path) -> None:
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
            self._carry_unit_tables(tmp)
            replace_dir(tmp, folder, option="folder")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


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
            check_record_options(record, cached, where=f" (method of {folder / METHOD_FILE})")
        if _content_key(folder) == key:       # not kept if a file changed while it was being read
            _LOADED[key] = cached
            while len(_LOADED) > _LOADED_MAX:
                _LOADED.pop(next(iter(_LOADED)))
    return _copy_of(cached, folder)


def check_record_options(record: dict, dataset: "Dataset", *, where: str = "") -> None:
    """Refuse a resolved method record's options that name what the dataset lacks, before anything is computed:
    ``impute.group`` must name a group column of ``values.csv`` (and a ``group_*`` imputation needs one), and
    ``normalize`` by ``distance_to_target`` without ``targets`` needs a ``target`` for every indicator in
    ``indicators.csv``.

    ``where`` is added to the option's name, e.g. ``" (method of data/x/method.json)"``, so that the message of a
    record read from a file names it (as :func:`~cityeval.composite.method.check_overrides` does).

    >>> from cityeval import paths
    >>> ds = load_dataset(paths.DATA / "examples" / "toy")
    >>> check_record_options(resolve_method({"impute": {"method": "group_mean", "group": "regio"}}), ds,
    ...                      where=" (method of toy/method.json)")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: impute.group (method of toy/method.json) should be a group column of \
values.csv (region), but its value is 'regio'.
    """
    entry = record.get("impute", {})
    groups = f"a group column of values.csv ({', '.join(dataset.groups) or 'none'})"
    if "group" in entry:
        name = entry["group"]
        if not isinstance(name, str) or name not in dataset.groups:
            raise ParameterError(f"impute.group{where}", groups, name)
    elif str(entry.get("method", "")).startswith("group_"):
        raise ParameterError(f"impute.group{where}", groups, None)
    entry = record.get("normalize", {})
    if entry.get("method") == "distance_to_target" and "targets" not in entry:
        meta, codes = dataset.indicators, dataset.indicator_codes
        lacking = codes if "target" not in meta else [c for c in codes if not np.isfinite(meta.at[c, "target"])]
        if lacking:
            raise ParameterError(f"normalize.targets{where}", "a target for every indicator (indicators.csv column "
                                 f"'target'); missing for {', '.join(lacking)}", None)


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
