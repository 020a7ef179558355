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

A command line argparse cannot read (a value of the wrong type, an unknown option or command, a missing
argument) is refused the same way: one line ``error: <command> <option>: <what was expected> (found ...; see
python -m cityeval <command> --help)``, status 2 (:class:`UsageError`); ``--help`` is argparse's, unchanged.

``python -m cityeval --version`` prints ``cityeval X.Y.Z`` (the installed distribution's version). Help texts may be
written in reStructuredText, as the docstrings they come from are: :func:`plain_help` turns them into plain text
for ``--help`` (no double backticks, no ``:func:`` roles).
"""
from __future__ import annotations

import argparse
import difflib
import importlib
import re
import sys

from cityeval.errors import CityevalError
from cityeval.outputs import describe_os_error

__all__ = ["COMMAND_MODULES", "UsageError", "build_parser", "main", "package_version", "plain_help"]

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


PROG = "python -m cityeval"


class UsageError(CityevalError):
    """A command line the parser cannot read; :func:`main` prints it as one line ``error: ...`` (status 2)."""


#: What a value of each ``type=`` must be, in words.
_TYPE_WORDS = {"int": "a whole number", "float": "a number", "str": "a text"}


def _words(text) -> str:
    return " ".join(str(text or "").split())


def _quoted(values) -> str:
    return ", ".join(str(v) for v in values)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, but a command line it cannot read is one :class:`UsageError` line naming the command,
    the option or argument, what was expected and what was found, with a pointer to ``--help``."""

    @property
    def command(self) -> str:
        """The sub-command this parser reads (``"audit"``), ``""`` for the top-level parser."""
        return self.prog[len(PROG):].strip() if self.prog.startswith(PROG) else self.prog

    def _hint(self) -> str:
        return f"see {PROG} {self.command + ' ' if self.command else ''}--help"

    def _fail(self, where: str, expected: str, found: str):
        where = " ".join(w for w in (self.command, where) if w)
        raise UsageError(f"{where + ': ' if where else ''}{expected} ({found}; {self._hint()})")

    def _action(self, name: str):
        for action in self._actions:
            if name in ("/".join(action.option_strings), action.metavar, action.dest) or name in action.option_strings:
                return action
        return None

    def _metavar(self, action) -> str:
        if action.metavar is not None:
            return " ".join(action.metavar) if isinstance(action.metavar, tuple) else str(action.metavar)
        return action.dest.upper()

    def _help(self, action) -> str:
        try:
            return _words(self._get_formatter()._expand_help(action)) if action.help else ""
        except (KeyError, TypeError, ValueError):
            return _words(action.help)

    def _options(self) -> list[str]:
        return [o for a in self._actions for o in a.option_strings if o.startswith("--")]

    def error(self, message):    # argparse's usage error: one line, no usage text, no SystemExit
        message = _words(message)
        m = re.fullmatch(r"argument (?P<name>.+?): (?P<rest>.*)", message)
        if m:
            self._argument_error(m["name"], m["rest"])
        m = re.fullmatch(r"the following arguments are required: (?P<names>.*)", message)
        if m:
            names = m["names"].split(", ")
            actions = [self._action(n) for n in names]
            if names == ["COMMAND"] or (actions[0] is not None and isinstance(actions[0], argparse._SubParsersAction)):
                unknown = [t for t in self._argv if t.startswith("-") and t.split("=", 1)[0] not in self._options()]
                if unknown:                 # `python -m cityeval --bogus`: the option is the fault, not the command
                    self.unrecognized(unknown)
                self._fail("", f"expected a command: one of {_quoted(self._commands())}", "found none")
            shown = [(n if a is None else self._metavar(a)) if a is None or not a.option_strings
                     else f"{n} {self._metavar(a)}" for n, a in zip(names, actions)]
            helps = [self._help(a) for a in actions if a is not None and a.help]
            expected = "; ".join(helps) if len(helps) == len(names) else "a value"
            self._fail(", ".join(shown), f"required: {expected}",
                       "found none" if len(names) == 1 else "found none of them")
        m = re.fullmatch(r"ambiguous option: (?P<given>\S+?)(=\S*)? could match (?P<options>.*)", message)
        if m:
            self._fail(m["given"], f"ambiguous: expected one of {m['options']} in full", f"found {m['given']!r}")
        m = re.fullmatch(r"unrecognized arguments: (?P<extra>.*)", message)
        if m:
            self.unrecognized(m["extra"].split(" "))
        self._fail("", message, "found this command line")

    def _commands(self) -> list[str]:
        sub = next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)
        return list(sub.choices) if sub is not None else []

    def _argument_error(self, name: str, rest: str):
        action = self._action(name)
        if action is not None and isinstance(action, argparse._SubParsersAction):
            m = re.match(r"invalid choice: '?(?P<value>.*?)'? \(choose from", rest)
            given = m["value"] if m else rest
            close = difflib.get_close_matches(given, self._commands(), n=1)
            self._fail("", f"unknown command: expected one of {_quoted(self._commands())}",
                       f"found {given!r}" + (f", did you mean {close[0]!r}?" if close else ""))
        shown = name if name.startswith("-") or action is None else self._metavar(action)
        m = re.fullmatch(r"invalid (?P<type>\w+) value: (?P<value>.*)", rest)
        if m:
            kind = _TYPE_WORDS.get(m["type"], f"a valid {self._metavar(action) if action else 'value'}")
            self._fail(shown, f"expected {kind}", f"found {m['value']}")
        m = re.fullmatch(r"invalid choice: (?P<value>.*?) \(choose from .*\)", rest)
        if m:
            value = m["value"].strip("'")
            choices = [str(c) for c in (action.choices or [])] if action is not None else []
            self._fail(shown, f"expected one of {_quoted(choices)}", f"found {value!r}")
        meta = self._metavar(action) if action is not None else "a value"
        if rest == "expected one argument":
            self._fail(shown, f"expected {meta} after it", "found none")
        m = re.fullmatch(r"expected (?P<n>\d+) arguments", rest)
        if m:
            self._fail(shown, f"expected {meta} after it", f"found fewer than {m['n']} values")
        if rest in ("expected at least one argument", "expected at most one argument"):
            self._fail(shown, f"{rest.replace('argument', meta)} after it", "found none" if "least" in rest else "found more")
        m = re.fullmatch(r"ignored explicit argument (?P<value>.*)", rest)
        if m:
            self._fail(shown, "takes no value", f"found {m['value']}")
        m = re.fullmatch(r"should be (?P<expected>.*), but its value is (?P<value>.*?)\.?", rest)
        if m:      # a type= function that raises as ParameterError words it
            self._fail(shown, f"expected {m['expected']}", f"found {m['value']}")
        self._fail(shown, rest, "found this value")

    def unrecognized(self, extra: list[str]):
        """Raise the :class:`UsageError` for arguments no option or argument of this (sub-)command takes."""
        for token in extra:
            if token.startswith("-") and len(token) > 1 and not _NEGATIVE.fullmatch(token):
                option = token.split("=", 1)[0]
                close = difflib.get_close_matches(option, self._options(), n=1)
                self._fail(option, f"unknown option: expected one of {_quoted(self._options())}",
                           f"found {option!r}" + (f", did you mean {close[0]}?" if close else ""))
        usage = _words(self.format_usage()).removeprefix("usage: ")
        self._fail("", f"too many arguments: expected {usage}", f"found {_quoted(repr(t) for t in extra)} besides")

    _argv: list = []

    def parse_args(self, args=None, namespace=None):
        self._argv = list(sys.argv[1:] if args is None else args)
        namespace, extra = self.parse_known_args(self._argv, namespace)
        if extra:
            sub = next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)
            command = getattr(namespace, sub.dest, None) if sub is not None else None
            parser = sub.choices.get(command, self) if sub is not None else self
            parser.unrecognized(extra)
        return namespace


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
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
