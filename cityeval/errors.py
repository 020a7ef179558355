"""Errors raised by cityeval.

Every error a user can trigger with bad input is a :class:`CityevalError` (a
``ValueError``), and its message names *where* (file, row, column, city or
parameter) and *what was expected*. The command line prints the message alone,
without a traceback, and exits with status 2.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["CityevalError", "DataError", "ParameterError"]


class CityevalError(ValueError):
    """Base class of cityeval's user-facing errors."""


class DataError(CityevalError):
    """A data file breaks a rule.

    Parameters
    ----------
    path : str or Path
        The file (or folder) at fault.
    rule : str
        What was expected, in words ("ranks must be 1..N without gaps").
    row : int, optional
        1-based line number in the file (the header is line 1), when known.
    column : str, optional
        The column at fault, when known.
    detail : str, optional
        What was found instead.
    """

    def __init__(self, path, rule, *, row=None, column=None, detail=None):
        self.path = Path(path) if path is not None else None
        self.rule = rule
        self.row = row
        self.column = column
        self.detail = detail
        where = [str(self.path) if self.path is not None else "<data>"]
        if row is not None:
            where.append(f"line {row}")
        if column is not None:
            where.append(f"column {column!r}")
        msg = f"{', '.join(where)}: {rule}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)


class ParameterError(CityevalError):
    """A parameter has a value that is not allowed.

    The message follows pymcdm's validators: name, what is allowed, what was received.
    """

    def __init__(self, name, allowed, received):
        self.name = name
        self.allowed = allowed
        self.received = received
        super().__init__(f"{name} should be {allowed}, but its value is {received!r}.")
