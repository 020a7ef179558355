"""The command line: ``python -m cityeval <command> ...``, one module per command.

Each command module exposes ``register(subparsers)``, which adds a sub-parser and sets
``func`` (called with the parsed arguments, returning the exit status). A
:class:`~cityeval.errors.CityevalError` is printed as one line ``error: ...`` (no
traceback) and exits with status 2; so is an operating-system error (a file that cannot be read or
written), naming its path. Ctrl-C, whenever it comes, prints ``error: interrupted`` and exits with status 130
(``run`` says what it stopped, and exits with 143 for SIGTERM).

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
import re
import sys

from cityeval.errors import CityevalError
from cityeval.outputs import describe_os_error

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


#: A value that starts with "-" but is a number argparse does not recognise as one (it knows only -1 and -.5)
_NEGATIVE = re.compile(r"-(inf(inity)?|nan|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)", re.IGNORECASE)


def _protect_values(argv: list[str]) -> list[str]:
    """``-p NAME -inf`` (or ``-1e5``): argparse would take the value for an option and print a usage error;
    a leading space keeps it a value (papermill's parsing of ``-p`` values strips it)."""
    argv = list(argv)
    for i, token in enumerate(argv[:-2]):
        if token in ("-p", "--parameter") and _NEGATIVE.fullmatch(argv[i + 2]):
            argv[i + 2] = " " + argv[i + 2]
    return argv


def main(argv=None) -> int:
    """Run one command; return its exit status (2 for a :class:`~cityeval.errors.CityevalError` or an
    operating-system error, 130 for Ctrl-C, all printed as one line ``error: ...``)."""
    try:
        parser = build_parser()
        args = parser.parse_args(_protect_values(sys.argv[1:] if argv is None else argv))
        return int(args.func(args) or 0)
    except KeyboardInterrupt as exc:     # Ctrl-C anywhere (importing, checking, computing): one line
        # the runner's own (RunInterrupted, SIGINT or SIGTERM) says what it stopped and has its status
        print(f"error: {exc if getattr(exc, 'exit_status', None) else 'interrupted'}", file=sys.stderr, flush=True)
        return getattr(exc, "exit_status", 130)
    except CityevalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:   # one no command turned into a CityevalError: still one line naming the path
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        return 2
