"""``python -m cityeval run``: execute the notebooks into ``output/`` (:mod:`cityeval.notebook.runner`)."""
from __future__ import annotations

from pathlib import Path

from cityeval.notebook.parameters import coerce_value
from cityeval.notebook.runner import run_notebooks

__all__ = ["register"]


def _cmd_run(args) -> int:
    params = {name: coerce_value(value) for name, value in (args.parameter or [])}
    outcomes = run_notebooks(only=args.only, parameters=params, data=args.data,
                             out_dir=Path(args.out) if args.out else None)
    return 0 if all(o.ok for o in outcomes) else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("run", help="execute the notebooks into output/",
                              description="Execute every notebook (or --only some) with papermill, render HTML and "
                                          "write output/index.html. Exit status 1 if any notebook failed.")
    p.add_argument("--only", nargs="+", metavar="NAME", help="notebook stems or numbers, e.g. 01 or 01_published_claims")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (repeatable), as papermill -p does")
    p.add_argument("--data", metavar="FOLDER", help="a dataset folder for the notebooks that take a `data` parameter")
    p.add_argument("--out", metavar="FOLDER", help="output folder (default: output/)")
    p.set_defaults(func=_cmd_run)
