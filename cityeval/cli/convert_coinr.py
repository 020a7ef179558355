"""Command line: ``convert-coinr`` COINr's iData/iMeta tables to a dataset folder.

``python -m cityeval convert-coinr IDATA IMETA OUT_FOLDER [--time T]``
    Converts COINr's iData/iMeta CSV files to a dataset folder whose ``method.json``
    reproduces COINr's documented example pipeline (:mod:`cityeval.composite.coinr`).
    An existing ``OUT_FOLDER`` is replaced only if it is empty or a dataset folder convert-coinr wrote (its
    ``method.json`` is COINr's example pipeline, :data:`~cityeval.composite.coinr.COINR_EXAMPLE_METHOD`; the other
    files a user put there are kept); any other dataset folder (a user's data, the repository's examples) is
    refused, as is a folder inside cityeval's own data, notebooks or package source, inside another dataset
    folder or inside a run's output folder (:func:`cityeval.outputs.protected_place`). It may not be or hold
    ``IDATA`` or ``IMETA``, and a file is never turned into a folder. ``--time`` is for panel data only: an
    ``IDATA`` without a ``Time`` column is refused with it, as is a ``T`` none of its rows has.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from cityeval.composite.coinr import COINR_EXAMPLE_METHOD, convert_coinr
from cityeval.errors import OutputError, ParameterError
from cityeval.outputs import check_outputs, is_dataset_folder
from cityeval.validation import Shown

__all__ = ["register"]


def _written_by_convert(folder: Path) -> bool:
    """Whether ``folder`` is a dataset folder convert-coinr wrote: its ``method.json`` is the one it writes."""
    try:
        record = json.loads((folder / "method.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("description") == COINR_EXAMPLE_METHOD["description"]


def _check_replaceable(given, target: Path) -> None:
    """Refuse an existing dataset folder that convert-coinr did not write: the user's data would be replaced
    (and their other files left beside the converted tables, a folder of two datasets)."""
    if not (os.path.isdir(target) and os.listdir(target)) or not is_dataset_folder(target):
        return                       # new, empty, or not a dataset folder (check_outputs refused that)
    if not _written_by_convert(target):
        raise OutputError(given, "it is a dataset folder that convert-coinr did not write (its method.json is not "
                          "COINr's example pipeline, the one convert-coinr writes), and it would be replaced; give "
                          "an empty or a new folder", option="OUT_FOLDER")


def _check_time(args) -> None:
    """``--time`` only for panel data: an iData without a Time column would silently ignore it."""
    if args.time is None:
        return
    from cityeval.files import read_csv_checked

    data = read_csv_checked(args.idata, required=("uCode",), allow_extra=True)   # as read_coinr reads it
    if "Time" not in data.columns:
        raise ParameterError("--time", f"given only for panel data (an IDATA with a Time column); {args.idata} has "
                             "no Time column", Shown(f"{args.time:g}"))


def _cmd_convert(args) -> int:
    target = check_outputs({"OUT_FOLDER": args.out_folder},
                           inputs={"the IDATA file": args.idata, "the IMETA file": args.imeta},
                           kind="dataset folder", protect=True)["OUT_FOLDER"]
    _check_replaceable(args.out_folder, target)
    _check_time(args)
    try:
        ds, notes = convert_coinr(args.idata, args.imeta, args.out_folder, time=args.time)
    except OutputError as exc:
        raise exc.for_option("OUT_FOLDER") from None
    except ParameterError as exc:
        if exc.name == "time":       # the API's name for what the command line calls --time
            raise ParameterError("--time", exc.allowed, exc.received) from None
        raise
    for note in notes:
        print(f"note: {note}")
    print(f"wrote {args.out_folder} ({len(ds.units)} units, {len(ds.indicator_codes)} indicators, "
          f"{len(ds.indicators)} codes)")
    return 0


def register(subparsers) -> None:
    c = subparsers.add_parser("convert-coinr", help="convert COINr iData/iMeta CSV files to a dataset folder",
                              description="Convert COINr's iData and iMeta tables (CSV) to a cityeval dataset folder "
                                          "with a method.json reproducing COINr's example pipeline.")
    c.add_argument("idata", metavar="IDATA", help="COINr iData as CSV")
    c.add_argument("imeta", metavar="IMETA", help="COINr iMeta as CSV")
    c.add_argument("out_folder", metavar="OUT_FOLDER",
                   help="the dataset folder to write: new, empty, or one convert-coinr wrote before")
    c.add_argument("--time", type=float, default=None,
                   help="for panel data (an IDATA with a Time column): the Time value to convert")
    c.set_defaults(func=_cmd_convert)
