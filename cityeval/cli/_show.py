"""Numbers and tables the command line shows to a person (private to :mod:`cityeval.cli`).

A table written to a file, a pipe or a redirection is CSV at full precision (what a script reads); the same
table shown on a terminal is aligned text whose numbers are formatted by :func:`cityeval.notebook.style.number`
(``94.74``, not ``94.73521282476506``), with a line saying how to get the CSV. Summary lines format their
numbers the same way (:func:`show`).
"""
from __future__ import annotations

import sys

from cityeval.notebook.style import number

__all__ = ["show", "write_table", "DIGITS"]

#: Significant digits of a number shown on a terminal: scores on 0-100 scales keep two decimals.
DIGITS = 4


def show(x) -> str:
    """A number for a person (:func:`cityeval.notebook.style.number` with :data:`DIGITS` digits).

    >>> show(94.73521282476506), show(3.0), show(0.1 + 0.2), show(3.827725e-18)
    ('94.74', '3', '0.3', '0')
    """
    return number(x, DIGITS)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def write_table(table, stream=None, *, csv_hint: str = "--out FILE") -> bool:
    """Write ``table`` to ``stream`` (default standard output): CSV at full precision, or, on a terminal,
    aligned text with :func:`show` numbers and a last line saying where the CSV is (``csv_hint``, or a pipe).

    A closed pipe (``| head``) ends the output quietly: standard error is closed and ``False`` returned (the
    caller prints nothing more); else ``True``.

    >>> import io, pandas as pd
    >>> out = io.StringIO()
    >>> write_table(pd.DataFrame({"score": [94.73521282476506]}, index=pd.Index(["a"], name="unit")), out)
    True
    >>> out.getvalue()
    'unit,score\\na,94.73521282476506\\n'
    """
    stream = sys.stdout if stream is None else stream
    if _is_terminal(stream):
        shown = table.copy()
        for column in shown.columns:
            if shown[column].dtype.kind in "fiu":
                shown[column] = shown[column].map(show)
        text = (shown.to_string() + f"\n(numbers rounded for reading; full precision as CSV: {csv_hint}, "
                "or pipe or redirect the output)\n")
    else:
        text = table.to_csv(lineterminator="\n", na_rep="")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return False
    return True
