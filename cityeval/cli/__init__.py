"""The command line: ``python -m cityeval <command> ...``, one module per command.

Each command module exposes ``register(subparsers)``, which adds a sub-parser and sets
``func`` (called with the parsed arguments, returning the exit status). A
:class:`~cityeval.errors.CityevalError` is printed as one line ``error: ...`` (no
traceback) and exits with status 2.

=================  ==========================================================
``run``            execute the notebooks into ``output/`` (:mod:`.run`)
``score``          score a dataset folder (:mod:`.score`)
``convert-coinr``  COINr's iData/iMeta tables to a dataset folder (:mod:`.convert_coinr`)
``synthesize``     regenerate the synthetic panel (:mod:`.synthesize`)
``audit``          Monte Carlo rank uncertainty over method choices (:mod:`.audit`)
``validate``       check a data file or folder (:mod:`.validate`)
=================  ==========================================================
"""
from __future__ import annotations

import argparse
import importlib
import sys

from cityeval.errors import CityevalError

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

#: Modules that register commands, in the order they are listed by ``--help``.
COMMAND_MODULES = [
    "cityeval.cli.run",            # run: execute the notebooks
    "cityeval.cli.score",          # score: the composite-indicator pipeline
    "cityeval.cli.convert_coinr",  # convert-coinr: COINr's tables to a dataset folder
    "cityeval.cli.synthesize",     # synthesize: regenerate the synthetic panel (make data)
    "cityeval.cli.audit",          # audit: Monte Carlo rank uncertainty over method choices
    "cityeval.cli.validate",       # validate: check a data file or folder
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cityeval",
        description="Reproduce, test and teach the CCID 2022 digital-city evaluation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CityevalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
