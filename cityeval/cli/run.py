"""``python -m cityeval run``: execute the notebooks into ``output/`` (:mod:`cityeval.notebook.runner`)."""
from __future__ import annotations

import argparse
import os
import sys

from cityeval.errors import ParameterError
from cityeval.notebook.parameters import check_names, coerce_value
from cityeval.notebook.runner import PREFERRED_KERNEL, kernel_choice
from cityeval.notebook.runner import RunInterrupted, list_notebooks, run_notebooks
from cityeval.validation import Shown

__all__ = ["register"]


class _Once(argparse.Action):
    """Store an option's value, refusing a second one (argparse's own ``store`` keeps the last silently)."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = namespace.__dict__.setdefault("_given", {})
        if self.dest in seen:
            raise ParameterError(option_string, "given once (a second value would silently replace the first)",
                                 Shown(f"given twice: {seen[self.dest]!r} and {values!r}"))
        seen[self.dest] = values
        setattr(namespace, self.dest, values)


def _cmd_run(args) -> int:
    params = {}
    for name, value in args.parameter or []:
        if name in params:      # the last value would silently win
            raise ParameterError(f"-p {name}", "given once (a second value would silently replace the first)",
                                 Shown(f"given twice: {params[name]!r} and {coerce_value(value)!r}"))
        params[name] = coerce_value(value)
    # a name no chosen notebook has: say which notebook lacks it and which have it, before anything else
    check_names(list_notebooks(args.only), params, list_notebooks())
    kernel, why = kernel_choice()
    if kernel != PREFERRED_KERNEL:      # the notebooks declare it; the runner needs it not, but says so
        print(f"note: the notebooks run in kernel {why}", flush=True)
    try:
        outcomes = run_notebooks(only=args.only, parameters=params, data=args.data, out_dir=args.out,
                                 jobs=args.jobs, force=args.force)
    except RunInterrupted as exc:       # Ctrl-C or SIGTERM: one line, status 130 or 143
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return exc.exit_status
    return 0 if all(o.ok for o in outcomes) else 1


def _jobs(text: str) -> int:
    """``-j`` as a whole number >= 1 (argparse prints the message as a usage error)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"should be a whole number of notebooks run at once, at least 1, but its "
                                         f"value is {text!r}")
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser("run", help="execute the notebooks into output/",
                              description="Execute every notebook (or --only some) with papermill, render HTML and "
                                          "write output/index.html and output/runs.json (each notebook's latest run). "
                                          "Exit status 1 if any notebook failed, 2 for bad input or an output folder "
                                          "in use by another run, 130/143 when interrupted.")
    p.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                   help="notebook stems or numbers, e.g. 1, 01 or 01_published_claims (repeatable)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (repeatable, each name once), as papermill -p does")
    p.add_argument("--data", action=_Once, metavar="FOLDER", help="a dataset folder for the notebooks that take a `data` parameter")
    p.add_argument("--out", action=_Once, metavar="FOLDER", help="output folder (default: output/)")
    p.add_argument("-j", "--jobs", action=_Once, type=_jobs, metavar="N",
                   help="notebooks executed at once (default: the machine's cores, here %(default)s); the files "
                        "written are the same as with -j 1")
    p.add_argument("--force", action="store_true",
                   help="execute every chosen notebook, even those the cache holds for unchanged inputs (a rerun "
                        "otherwise executes only the notebooks whose source, parameters, data or library changed)")
    p.set_defaults(func=_cmd_run, jobs=os.cpu_count() or 1)
