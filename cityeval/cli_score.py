"""Command line: ``score`` a dataset folder, ``convert-coinr`` COINr tables to one.

``python -m cityeval score FOLDER [--out FILE]``
    Runs the pipeline with the folder's ``method.json`` (or the default method) and
    writes one row per unit: whether it was kept by screening, its score at every
    aggregate level (highest first) and its rank for each (``rank_<code>``), as CSV to
    ``FILE`` (written atomically) or to standard output. When the data are synthetic
    (the folder lies under ``data/synthetic`` or ``method.json`` says
    ``"synthetic": true``) a one-line banner "illustrative numbers: synthetic data" is
    printed to standard error first.
``python -m cityeval convert-coinr IDATA IMETA OUT_FOLDER [--time T]``
    Converts COINr's iData/iMeta CSV files to a dataset folder whose ``method.json``
    reproduces COINr's documented example pipeline (:mod:`cityeval.coinr`).
"""
from __future__ import annotations

import sys

from .coinr import convert_coinr
from .dataset import load_dataset
from .pipeline import run

__all__ = ["register", "SYNTHETIC_BANNER"]

SYNTHETIC_BANNER = "illustrative numbers: synthetic data"


def _cmd_score(args) -> int:
    ds = load_dataset(args.folder)
    if ds.synthetic:
        print(SYNTHETIC_BANNER, file=sys.stderr)
    result = run(ds)
    if args.out:
        path = result.to_csv(args.out)
        table = result.table()
        print(f"wrote {path} ({int(table['included'].sum())} of {len(table)} units scored, "
              f"{len(result.aggregate_codes)} aggregate codes)")
    else:
        text = result.table().to_csv(lineterminator="\n", na_rep="")
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into `head`
            sys.stderr.close()
    return 0


def _cmd_convert(args) -> int:
    ds, notes = convert_coinr(args.idata, args.imeta, args.out_folder, time=args.time)
    for note in notes:
        print(f"note: {note}")
    print(f"wrote {args.out_folder} ({len(ds.units)} units, {len(ds.indicator_codes)} indicators, "
          f"{len(ds.indicators)} codes)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("score", help="score a dataset folder: scores and ranks at every level as CSV",
                              description="Run the composite-indicator pipeline on a dataset folder (values.csv, "
                                          "indicators.csv, optional method.json) and write every unit's aggregate "
                                          "scores and ranks as CSV.")
    p.add_argument("folder", metavar="FOLDER", help="the dataset folder")
    p.add_argument("--out", metavar="FILE", help="CSV file to write (atomically); default: standard output")
    p.set_defaults(func=_cmd_score)
    c = subparsers.add_parser("convert-coinr", help="convert COINr iData/iMeta CSV files to a dataset folder",
                              description="Convert COINr's iData and iMeta tables (CSV) to a cityeval dataset folder "
                                          "with a method.json reproducing COINr's example pipeline.")
    c.add_argument("idata", metavar="IDATA", help="COINr iData as CSV")
    c.add_argument("imeta", metavar="IMETA", help="COINr iMeta as CSV")
    c.add_argument("out_folder", metavar="OUT_FOLDER", help="the dataset folder to write")
    c.add_argument("--time", type=float, default=None, help="for panel data: the Time value to convert")
    c.set_defaults(func=_cmd_convert)
