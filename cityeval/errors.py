"""Errors raised by cityeval.

Every error a user can trigger with bad input is a :class:`CityevalError` (a
``ValueError``), and its message names *where* (file, row, column, city or
parameter) and *what was expected*. The command line prints the message alone,
without a traceback, and exits with status 2.
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["CityevalError", "DataError", "OutputError", "ParameterError", "plain", "plain_repr", "plain_text"]


def plain(value):
    """``value`` with every numpy scalar in it (also inside a list, tuple, set or dict) as the Python value it
    equals, so that a message shows ``2018.0`` and ``3``, never ``np.float64(2018.0)`` or ``np.int64(3)``.

    A numpy float becomes the Python float of the same shortest text (``np.float32(0.1)`` → ``0.1``); a 0-d
    array its element; anything else is returned unchanged.

    >>> import numpy as np
    >>> plain([np.float64(2018.0), np.int64(3), np.float32(0.5), np.bool_(True), np.str_("a")])
    [2018.0, 3, 0.5, True, 'a']
    """
    kind = type(value)
    if kind in (list, tuple, set, frozenset):
        return kind(plain(v) for v in value)
    if kind is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    if getattr(kind, "__module__", "") != "numpy":
        return value
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item") and kind.__name__ == "ndarray":
        return plain(value[()])
    name = kind.__name__
    if name == "bool" or name == "bool_":
        return bool(value)
    if name.startswith(("float", "longdouble", "half", "single", "double")):
        return float(str(value))
    if name.startswith(("int", "uint", "long", "ulong", "short", "ushort", "byte", "ubyte")):
        return int(value)
    if name.startswith(("complex", "clongdouble")):
        return complex(value)
    if name == "str_":
        return str(value)
    if name == "bytes_":
        return bytes(value)
    return value


def plain_repr(value) -> str:
    """``repr(plain(value))``: how a message shows a received value.

    >>> import numpy as np
    >>> plain_repr(np.float64(2018.0)), plain_repr((np.int64(1), "x"))
    ('2018.0', "(1, 'x')")
    """
    return repr(plain(value))


_NUMPY_REPR = re.compile(r"\bnp\.(?:float|int|uint|longdouble|clongdouble|complex|half|single|double|longlong|"
                         r"ulonglong|intc|uintc|short|ushort|byte|ubyte)\d*\('?([^()']*)'?\)")


def plain_text(message: str) -> str:
    """``message`` with any numpy scalar repr left in it by an f-string (``np.float64(2018.0)``, ``np.True_``,
    ``np.str_('a')``) rewritten as the plain value (``2018.0``, ``True``, ``'a'``).

    Every :class:`CityevalError` passes its message through this, so no error ever shows a numpy repr.

    >>> plain_text("one of [np.float64(2018.0), np.float64(2019.0)], not np.int64(7) or np.True_")
    'one of [2018.0, 2019.0], not 7 or True'
    """
    if "np." not in message:
        return message
    message = _NUMPY_REPR.sub(r"\1", message)
    message = re.sub(r"\bnp\.(True|False)_", r"\1", message)
    return re.sub(r"\bnp\.(?:str_|bytes_)\((b?'[^']*'|b?\"[^\"]*\")\)", r"\1", message)


class CityevalError(ValueError):
    """Base class of cityeval's user-facing errors.

    Its message shows numbers plainly (see :func:`plain_text`): ``2018.0``, never ``np.float64(2018.0)``.
    """

    def __init__(self, *args):
        if args and isinstance(args[0], str):
            args = (plain_text(args[0]),) + args[1:]
        super().__init__(*args)


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
            where.append(f"column {plain_repr(column)}")
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
        super().__init__(f"{name} should be {allowed}, but its value is {plain_repr(received)}.")


class OutputError(CityevalError, OSError):
    """An output cannot be written where it was asked for.

    Both a :class:`CityevalError` (the command line prints it as one line) and an :class:`OSError`, so code
    that tolerates an unwritable file (a read-only cache) still catches it; :attr:`errno` is the
    operating-system error number when there is one.

    Raised before anything is written (the path is an existing folder, lies below a file, has a name
    too long for its file system, sits in a read-only folder, ...) and for an operating-system error
    while writing (a full file system); either way nothing is left behind. The message is one line:
    ``cannot write [OPTION ]PATH: REASON``.

    Parameters
    ----------
    path : str or Path
        The output as it was given.
    reason : str
        What is wrong, in words ("it is an existing folder; give a file name").
    option : str, optional
        The option or parameter that named the output (``--out``), when known.
    errno : int, optional
        The operating-system error number, when the reason is one.

    Examples
    --------
    >>> str(OutputError("/tmp/x", "it is an existing folder; give a file name", option="--out"))
    'cannot write --out /tmp/x: it is an existing folder; give a file name'
    """

    def __init__(self, path, reason, *, option=None, errno=None):
        super().__init__(f"cannot write {option + ' ' if option else ''}{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.option = option
        self.errno = errno          # not strerror/filename: OSError would then print itself otherwise

    def for_option(self, option) -> "OutputError":
        """The same error naming the option (``--out``) that asked for the output.

        >>> str(OutputError("o.csv", "no space left on the device (ENOSPC)").for_option("--ranks"))
        'cannot write --ranks o.csv: no space left on the device (ENOSPC)'
        """
        return OutputError(self.path, self.reason, option=option, errno=self.errno)
