"""Convert COINr's ``iData``/``iMeta`` tables to a cityeval dataset folder.

COINr (the R package of the European Commission's JRC) describes a composite
indicator with two tables: ``iData`` (one row per unit: ``uCode``, ``uName``,
group columns, a ``Time`` column, denominators and indicators) and ``iMeta``
(one row per code: ``Level, iCode, iName, Direction, Weight, Unit, Target,
Denominator, Parent, Type`` where ``Type`` is Indicator, Aggregate, Group or
Denominator). The mapping:

================  =========================================================
COINr             cityeval
================  =========================================================
``uCode``         ``values.csv`` column ``unit``
``uName``         ``values.csv`` text column ``name`` (a label column)
``Time``          dropped (one time point); a panel needs ``time=``
Group columns     ``values.csv`` text columns, same names
Denominators      ``values.csv`` numeric columns, same names
Indicators        ``values.csv`` numeric columns, same codes
iMeta Indicator,  ``indicators.csv``: ``code``=iCode, ``level``=Level,
Aggregate rows    ``parent``=Parent, ``direction``=Direction, ``weight``=Weight,
                  ``unit``=Unit, ``name_en``=iName, ``name_zh`` blank,
                  ``denominator``=Denominator, ``target``=Target,
                  ``measure``=``outcome`` at level 1 (COINr has no input/outcome
                  distinction), blank above
================  =========================================================

Decided edge case: when a unit's denominator is missing, COINr's ``Denominate()``
makes every indicator it divides missing for that unit (``x / NA``). cityeval
refuses a missing denominator next to a value to divide, so the converter writes
those indicator cells as missing and lists them in the conversion notes: the
denominated data, which is all the pipeline uses, are the same as COINr's.

:data:`COINR_EXAMPLE_METHOD` is the method record of COINr's documented example
(``build_example_coin()`` in ``R/examples.R``, COINr v1.1.14):

>>> from cityeval.composite.method import resolve_method
>>> record = resolve_method(COINR_EXAMPLE_METHOD)
>>> record["impute"], record["screen"]
({'method': 'group_mean', 'group': 'EurAsia_group'}, {'method': 'availability', 'min_availability': 0.9})

References
----------
Becker, W. et al. (2022). COINr: An R package for developing composite indicators.
*Journal of Open Source Software* 7(78), 4567. https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.composite.dataset import ID_COLUMN, Dataset
from cityeval.errors import DataError, OutputError, ParameterError
from cityeval.files import line_of, read_csv_checked
from cityeval.outputs import check_outputs

__all__ = ["convert_coinr", "read_coinr", "COINR_EXAMPLE_METHOD"]

#: COINr's example pipeline (``build_example_coin()``): denominate by iMeta's Denominator,
#: impute by the mean of the unit's ``EurAsia_group``, keep units with >= 90 % of the
#: indicators, JRC outlier treatment with ``winmax = 5``, min-max onto [0, 100] with
#: directions, iMeta's (equal) weights and the arithmetic mean at every level.
COINR_EXAMPLE_METHOD = {
    "description": "COINr's documented example pipeline, build_example_coin() in R/examples.R (COINr v1.1.14): "
                   "Denominate, Impute(i_mean_grp, EurAsia_group), Screen(byNA, dat_thresh = 0.9), "
                   "Treat(winmax = 5), Normalise(n_minmax, c(0, 100)), Aggregate(a_amean).",
    "denominate": {"method": "divide"},
    "impute": {"method": "group_mean", "group": "EurAsia_group"},
    "screen": {"method": "availability", "min_availability": 0.9},
    "treat": {"method": "jrc", "winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5},
    "normalize": {"method": "minmax", "low": 0, "high": 100},
    "weight": {"method": "given"},
    "aggregate": {"method": "arithmetic"},
    "rank": {"ties": "min"},
}

_META_COLUMNS = ("Level", "iCode", "iName", "Direction", "Weight", "Unit", "Target", "Denominator", "Parent", "Type")
_TYPES = ("Indicator", "Aggregate", "Group", "Denominator")


def _num(raw: pd.Series, path, column):
    text = raw.astype(str).str.strip()
    missing = text.isin({"", "NA", "NaN", "nan"})
    nums = pd.to_numeric(text.where(~missing, None), errors="coerce").astype(float)
    bad = nums.isna() & ~missing
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(path, "expected a number", row=line_of(pos, raw), column=column, detail=f"found {raw.iloc[pos]!r}")
    return nums


def read_coinr(idata, imeta, *, time=None) -> tuple[Dataset, list[str]]:
    """Read COINr iData/iMeta CSV files into a :class:`~cityeval.composite.dataset.Dataset`.

    Parameters
    ----------
    idata, imeta : path-like
        CSV exports of COINr's ``iData`` and ``iMeta`` (e.g. ``write.csv(ASEM_iData, ...)``).
    time : number, optional
        For panel data (several ``Time`` values), the time point to convert.

    Returns
    -------
    dataset : Dataset
        Values and indicator tree, carrying :data:`COINR_EXAMPLE_METHOD`'s record only if the
        caller sets it (``method`` is ``None``).
    notes : list of str
        What the conversion changed (cells made missing for a missing denominator, dropped columns).

    Raises
    ------
    DataError
        A missing column, an unknown ``Type``, an iData column iMeta does not describe, a
        panel without ``time``.
    """
    idata, imeta = Path(idata), Path(imeta)
    meta = read_csv_checked(imeta, required=_META_COLUMNS, allow_extra=True)
    types = meta["Type"].astype(str).str.strip()
    for pos, t in enumerate(types):
        if t not in _TYPES:
            raise DataError(imeta, f"Type must be one of {', '.join(_TYPES)}", row=line_of(pos, meta), column="Type",
                            detail=f"found {t!r}")
    data = read_csv_checked(idata, required=("uCode",), allow_extra=True)
    notes: list[str] = []
    if "Time" in data.columns:
        t = _num(data["Time"], idata, "Time")
        times = sorted(t.dropna().unique())
        if time is None and len(times) > 1:
            raise DataError(idata, "panel data (several Time values): convert one time point with time=",
                            column="Time", detail=f"found {', '.join(f'{v:g}' for v in times)}")
        if time is not None:
            keep = (t == float(time)).to_numpy()
            if not keep.any():
                raise ParameterError("time", f"one of the Time values {times}", time)
            data = data.loc[keep].reset_index(drop=True)
        notes.append("dropped the Time column" + (f" (kept Time = {time})" if time is not None else ""))
    elif time is not None:   # an option that would do nothing is an error (issue 14)
        raise ParameterError("time", f"given only for panel data (an iData with a Time column); {idata} has no "
                             "Time column", time)
    ind = meta.loc[types.isin(["Indicator", "Aggregate"]).to_numpy()].reset_index(drop=True)
    codes = ind["iCode"].astype(str).tolist()
    level = _num(ind["Level"], imeta, "Level")
    groups = meta.loc[(types == "Group").to_numpy(), "iCode"].astype(str).tolist()
    denoms = meta.loc[(types == "Denominator").to_numpy(), "iCode"].astype(str).tolist()
    level1 = [c for c, lev in zip(codes, level) if lev == 1]
    known = {"uCode", "uName", "Time"} | set(groups) | set(denoms) | set(level1)
    unknown = [c for c in data.columns if c not in known]
    if unknown:
        raise DataError(idata, "a column that iMeta does not describe (not an indicator, group or denominator)",
                        row=1, column=unknown[0])
    for c in level1 + denoms + groups:
        if c not in data.columns:
            raise DataError(idata, "a code of iMeta has no column in iData", row=1, detail=f"{c!r} missing")
    values = pd.DataFrame(index=pd.Index(data["uCode"].astype(str).tolist(), name=ID_COLUMN))
    if "uName" in data.columns:
        values["name"] = pd.array(data["uName"].astype(str).tolist(), dtype="str")
    for g in groups:
        values[g] = pd.array([None if v in ("", "NA") else str(v) for v in data[g]], dtype="str")
    for d in denoms:
        values[d] = _num(data[d], idata, d).to_numpy()
    for c in level1:
        values[c] = _num(data[c], idata, c).to_numpy()

    def text(col):
        return ["" if v in ("", "NA") else str(v) for v in ind[col].astype(str)]

    denominator = [None if v == "" else v for v in text("Denominator")]
    indicators = pd.DataFrame({
        "level": level.to_numpy(),
        "parent": [None if v == "" else v for v in text("Parent")],
        "direction": _num(ind["Direction"], imeta, "Direction").to_numpy(),
        "weight": _num(ind["Weight"], imeta, "Weight").to_numpy(),
        "measure": ["outcome" if lev == 1 else "" for lev in level],
        "unit": text("Unit"),
        "name_zh": [""] * len(codes),
        "name_en": text("iName"),
        "denominator": denominator,
        "target": _num(ind["Target"], imeta, "Target").to_numpy(),
    }, index=pd.Index(codes, name="code"))
    # COINr: x / NA is NA. Write those cells as missing (see the module docstring).
    for c, d in zip(codes, denominator):
        if d is None or c not in values.columns or d not in values.columns:
            continue
        lost = values[d].isna() & values[c].notna()
        for unit in values.index[lost.to_numpy()]:
            notes.append(f"unit {unit}: denominator {d} is missing, so {c} (divided by {d}) is written as missing, "
                         "as COINr's Denominate() gives NA")
        values.loc[lost, c] = np.nan
    return Dataset(values, indicators, method=None, path=None), notes


def convert_coinr(idata, imeta, out_folder, *, time=None, method: dict | None = None) -> tuple[Dataset, list[str]]:
    """Convert COINr iData/iMeta CSV files to a dataset folder.

    Parameters
    ----------
    idata, imeta : path-like
        CSV exports of COINr's ``iData`` and ``iMeta``.
    out_folder : path-like
        The dataset folder to write, replaced atomically if it exists; missing folders above it are
        created. An existing folder must be empty or a dataset folder (``values.csv`` and
        ``indicators.csv``; its other files are kept); a symbolic link is written through.
    time : number, optional
        For panel data, the time point to convert.
    method : dict, optional
        The ``method.json`` to write; default :data:`COINR_EXAMPLE_METHOD`, which reproduces
        COINr's documented example pipeline.

    Returns
    -------
    dataset : Dataset
        The written dataset.
    notes : list of str
        What the conversion changed (see :func:`read_coinr`).

    Raises
    ------
    ParameterError
        ``out_folder`` is or holds ``idata`` or ``imeta``.
    OutputError
        ``out_folder`` is a file, a folder with files that is not a dataset folder, or cannot be
        written (read-only, full, a name too long); nothing is then written or left behind.
    """
    target = check_outputs({"out_folder": out_folder}, inputs={"the idata file": idata, "the imeta file": imeta},
                           kind="dataset folder")["out_folder"]
    ds, notes = read_coinr(idata, imeta, time=time)
    ds.method = dict(COINR_EXAMPLE_METHOD if method is None else method)
    try:
        ds.save(target)                       # the folder itself (a symbolic link is written through)
    except OutputError as exc:                # Dataset.save names its own parameter, folder
        raise exc.for_option("out_folder") from None
    ds.path = Path(out_folder)
    return ds, notes
