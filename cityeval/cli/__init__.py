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
``list``           the notebooks and their parameters (:mod:`.notebooks`)
=================  ==========================================================

``python -m cityeval --version`` prints ``cityeval X.Y.Z`` (the installed distribution's version). Help texts may be
written in reStructuredText, as the docstrings they come from are: :func:`plain_help` turns them into plain text
for ``--help`` (no double backticks, no ``:func:`` roles).
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys

from cityeval.errors import CityevalError
from cityeval.outputs import describe_os_error

__all__ = ["COMMAND_MODULES", "build_parser", "main", "package_version", "plain_help"]

#: Modules that register commands, in the order they are listed by ``--help``.
COMMAND_MODULES = [
    "cityeval.cli.run",            # run: execute the notebooks
    "cityeval.cli.score",          # score: the composite-indicator pipeline
    "cityeval.cli.convert_coinr",  # convert-coinr: COINr's tables to a dataset folder
    "cityeval.cli.synthesize",     # synthesize: regenerate the synthetic panel (make data)
    "cityeval.cli.audit",          # audit: Monte Carlo rank uncertainty over method choices
    "cityeval.cli.validate",       # validate: check a data file or folder
    "cityeval.cli.notebooks",      # list: the notebooks and their parameters
]


def package_version() -> str:
    """The installed distribution's version (:func:`importlib.metadata.version`), else the package's own
    ``cityeval.__version__`` (a source tree on ``sys.path`` without an installation).

    >>> package_version() == sys.modules["cityeval"].__version__
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cityeval")
    except PackageNotFoundError:
        return sys.modules["cityeval"].__version__     # the parent package, imported before this module


#: reStructuredText a help text may carry from a docstring: ``literal`` and roles such as :func:`~a.b.c`.
_LITERAL = re.compile(r"``(.+?)``")
_ROLE = re.compile(r":(?:[a-z]+:)?[a-z]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")


def plain_help(text, *, formatted: bool = False):
    """``text`` as a reader of ``--help`` should see it: double backticks removed, roles shown as their
    target (``~`` keeps the last part), and, for a text argparse does not %-format (a description, unless it
    holds ``%(prog)``), ``%%`` as ``%``. An argument's help is %-formatted by argparse (``formatted=True``):
    its ``%%`` stays.

    >>> plain_help("the ``5%%`` tails, :func:`~cityeval.audit.check_audit_size` and :mod:`cityeval.audit`")
    'the 5% tails, check_audit_size and cityeval.audit'
    >>> plain_help("5%% and 95%%", formatted=True)
    '5%% and 95%%'
    """
    if not isinstance(text, str):
        return text
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1] if m.group(0).find("`~") >= 0 else m.group(1), text)
    text = _LITERAL.sub(r"\1", text)
    if not formatted and "%(prog)" not in text:
        text = text.replace("%%", "%")
    return text


def _tidy(parser: argparse.ArgumentParser) -> None:
    """Every help text of ``parser`` and its sub-parsers as plain text (:func:`plain_help`)."""
    parser.description = plain_help(parser.description)
    parser.epilog = plain_help(parser.epilog)
    for action in parser._actions:
        action.help = plain_help(action.help, formatted=True)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = plain_help(choice.help, formatted=True)
            for sub in set(action.choices.values()):
                _tidy(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cityeval",
        description="Reproduce, test and teach the CCID 2022 digital-city evaluation.",
    )
    parser.add_argument("--version", action="version", version=f"cityeval {package_version()}",
                        help="print the version (cityeval X.Y.Z) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    _tidy(parser)
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
