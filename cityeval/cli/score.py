"""Command line: ``score`` a dataset folder.

``python -m cityeval score FOLDER [--out FILE]``
    Runs the pipeline with the folder's ``method.json`` (or the default method) and
    writes one row per unit: whether it was kept by screening, its score at every
    aggregate level (highest first) and its rank for each (``rank_<code>``), as CSV to
    ``FILE`` (written atomically: see :func:`cityeval.outputs.write_all_atomic` for links, devices and
    missing folders) or to standard output (CSV at full precision; on a terminal, aligned text with numbers
    rounded for reading, :mod:`cityeval.cli._show`). ``--out -`` (or ``/dev/stdout``) writes the CSV to
    standard output whatever it is (written through, never replaced; "wrote ..." then goes to standard
    error). A relative ``FILE`` is relative to the current folder. ``FILE`` may not lie inside cityeval's
    embedded data, its notebooks or its package source, inside any dataset folder (one holding ``values.csv``
    and ``indicators.csv``) or inside a run's output folder (one holding ``runs.json``):
    :func:`cityeval.outputs.protected_place`. When the data are synthetic (the folder's
    ``method.json`` says ``"synthetic": true``; its path does not matter) a one-line banner
    "illustrative numbers: synthetic data" is printed to standard error once the scores are
    computed, before they are written (so a failure is still one line ``error: ...``).
"""
from __future__ import annotations

import sys

from cityeval.cli._show import write_table
from cityeval.composite.dataset import SYNTHETIC_BANNER, load_dataset
from cityeval.composite.pipeline import run
from cityeval.outputs import check_outputs, to_stdout, write_csv_atomic

__all__ = ["register"]


def _cmd_score(args) -> int:
    # not the scored folder's files, nor inside the installation, a dataset folder or a run's output folder
    check_outputs({"--out": args.out}, folders={"the dataset folder": args.folder}, protect=True)
    ds = load_dataset(args.folder)
    result = run(ds)
    if ds.synthetic:
        print(ds.banner, file=sys.stderr)   # synthetic or invented data
    if args.out:
        table = result.table()
        path = write_csv_atomic(table, args.out, option="--out", na_rep="")   # as result.to_csv, naming --out
        info = sys.stderr if to_stdout(args.out) else sys.stdout    # never into the CSV written to stdout
        shown = "standard output" if to_stdout(args.out) else path
        print(f"wrote {shown} ({int(table['included'].sum())} of {len(table)} units scored, "
              f"{len(result.aggregate_codes)} aggregate codes)", file=info)
    else:   # CSV at full precision; on a terminal, aligned and rounded for reading (cli._show)
        write_table(result.table())
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("score", help="score a dataset folder: scores and ranks at every level as CSV",
                              description="Run the composite-indicator pipeline on a dataset folder (values.csv, "
                                          "indicators.csv, optional method.json) and write every unit's aggregate "
                                          "scores and ranks as CSV.")
    p.add_argument("folder", metavar="FOLDER", help="the dataset folder")
    p.add_argument("--out", metavar="FILE", help="CSV file to write (atomically; a relative path is relative to the "
                   "current folder); - or /dev/stdout: the CSV to standard output, at full precision; default: "
                   "standard output (on a terminal, aligned for reading). Refused inside cityeval's own data, "
                   "notebooks or source, inside a dataset folder or inside a run's output folder")
    p.set_defaults(func=_cmd_score)
