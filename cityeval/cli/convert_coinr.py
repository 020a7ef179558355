"""Command line: ``convert-coinr`` COINr's iData/iMeta tables to a dataset folder.

``python -m cityeval convert-coinr IDATA IMETA OUT_FOLDER [--time T]``
    Converts COINr's iData/iMeta CSV files to a dataset folder whose ``method.json``
    reproduces COINr's documented example pipeline (:mod:`cityeval.composite.coinr`).
    An existing ``OUT_FOLDER`` is replaced only if it is empty or a dataset folder (``values.csv`` and
    ``indicators.csv``; its other files are kept); it may not be or hold ``IDATA`` or ``IMETA``, and a
    file is never turned into a folder.
"""
from __future__ import annotations

from cityeval.composite.coinr import convert_coinr
from cityeval.errors import OutputError
from cityeval.outputs import check_outputs

__all__ = ["register"]


def _cmd_convert(args) -> int:
    check_outputs({"OUT_FOLDER": args.out_folder}, inputs={"the IDATA file": args.idata, "the IMETA file": args.imeta},
                  kind="dataset folder")
    try:
        ds, notes = convert_coinr(args.idata, args.imeta, args.out_folder, time=args.time)
    except OutputError as exc:
        raise exc.for_option("OUT_FOLDER") from None
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
    c.add_argument("out_folder", metavar="OUT_FOLDER", help="the dataset folder to write")
    c.add_argument("--time", type=float, default=None, help="for panel data: the Time value to convert")
    c.set_defaults(func=_cmd_convert)
