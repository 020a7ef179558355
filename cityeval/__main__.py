"""Command line: ``python -m cityeval <command> ...``.

Each command lives in its own module, which exposes ``register(subparsers)``;
that function adds a sub-parser and sets ``func`` (called with the parsed
arguments, returning the exit status). A :class:`~cityeval.errors.CityevalError`
is printed as one clear message (no traceback) and exits with status 2.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from .errors import CityevalError

#: Modules that register commands, in the order they are listed by ``--help``.
COMMAND_MODULES = [
    "cityeval.runner",      # run: execute the notebooks
    "cityeval.cli_score",   # score, convert-coinr: the composite-indicator pipeline
    "cityeval.synthetic",   # synthesize: regenerate the synthetic panel (make data)
    "cityeval.cli_audit",   # audit: Monte Carlo rank uncertainty over method choices
    "cityeval.cli_validate",  # validate: check a data file or folder
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


if __name__ == "__main__":
    sys.exit(main())
