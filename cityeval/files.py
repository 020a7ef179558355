"""Reading CSV files strictly, and the checksums of input files (writing: :mod:`cityeval.outputs`).

Every table cityeval ships or accepts is UTF-8 CSV without a byte-order mark,
with a header line. :func:`read_csv_checked` turns the usual ways a file goes
wrong (missing, another encoding -- named: UTF-16, GBK, Big5, Latin-1 --, a BOM,
empty, header only, another separator than the comma -- named --, a header column
without a name such as a trailing comma makes, missing or unexpected columns, a row
with more or fewer fields than the header, blank required cells) into a
:class:`~cityeval.errors.DataError` that names the file, the line and the column.
Line numbers are the file's physical lines, as a text editor shows them: the header
is line 1, blank lines count, and a row whose quoted cell spans lines is named by the
line it starts on (:func:`line_of`).
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.errors import DataError

__all__ = ["file_sha256", "read_csv_checked", "require_cells", "line_of", "lines_of", "with_lines", "ENCODING_NAMES",
           "OTHER_SEPARATORS"]


def line_of(position: int, frame: pd.DataFrame | None = None) -> int:
    """Line number in the file of the data row at 0-based ``position``.

    With ``frame`` read by :func:`read_csv_checked` (or a frame carrying its line numbers, see
    :func:`lines_of`), the physical line where that row's record starts, counting blank lines and the
    extra lines of a quoted multi-line cell; without it (a frame built in memory), ``position + 2``
    (the header is line 1).

    >>> line_of(0)
    2
    """
    if frame is not None:
        return lines_of(frame)[int(position)]
    return int(position) + 2


def lines_of(frame) -> list[int]:
    """The line of the file where each row of ``frame`` starts (``position + 2`` for a frame that does not carry them).

    :func:`read_csv_checked` records them in ``frame.attrs["csv_lines"]`` with the row labels; they stay valid
    through copies and column changes, and are ignored once the rows differ (reordered, filtered), so a line
    number is never another row's.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"; _ = p.write_text('a,b\\n1,"two\\nlines"\\n\\n3,4\\n')
    >>> lines_of(read_csv_checked(p, columns=["a", "b"]))
    [2, 5]
    """
    rec = getattr(frame, "attrs", {}).get("csv_lines")
    if isinstance(rec, _Lines) and len(rec.lines) == len(frame) and tuple(frame.index) == rec.labels:
        return list(rec.lines)
    return [i + 2 for i in range(len(frame))]


class _Lines:
    """The row labels and file lines :func:`with_lines` records in ``frame.attrs["csv_lines"]``. Immutable, so a
    copy is the object itself: pandas deep-copies a frame's attrs into every frame and column derived from it, and
    copying 2,850 labels and lines each time took a third of reading and scoring a county-sized folder (issue 16)."""

    __slots__ = ("labels", "lines")

    def __init__(self, labels: tuple, lines: tuple):
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "lines", lines)

    def __setattr__(self, name, value):
        raise AttributeError("csv line records are immutable")

    def __delattr__(self, name):
        raise AttributeError("csv line records are immutable")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (_Lines, (self.labels, self.lines))

    def __eq__(self, other):
        return isinstance(other, _Lines) and (self.labels, self.lines) == (other.labels, other.lines)

    def __hash__(self):
        return hash((self.labels, self.lines))

    def __repr__(self):
        return f"<csv lines of {len(self.lines)} rows>"


def with_lines(frame: pd.DataFrame, lines) -> pd.DataFrame:
    """``frame`` (changed in place and returned) carrying ``lines``, the file line of each row, for :func:`line_of`.

    >>> f = with_lines(pd.DataFrame({"a": [1, 2]}, index=["x", "y"]), [2, 4])
    >>> line_of(1, f)
    4
    """
    lines = tuple(int(v) for v in lines)
    if len(lines) != len(frame):
        raise ValueError(f"with_lines: {len(lines)} line numbers for {len(frame)} rows")
    frame.attrs["csv_lines"] = _Lines(tuple(frame.index), lines)
    return frame


#: Encodings :func:`read_csv_checked` recognises in a file that is not UTF-8, with the name its message uses.
ENCODING_NAMES = {"gb18030": "GBK (GB18030)", "big5": "Big5", "cp1252": "Latin-1 (Windows-1252)",
                  "utf_16_le": "UTF-16 (little-endian)", "utf_16_be": "UTF-16 (big-endian)",
                  "utf_32_le": "UTF-32 (little-endian)", "utf_32_be": "UTF-32 (big-endian)"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf_32_le"), (codecs.BOM_UTF32_BE, "utf_32_be"),
         (codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be"))
#: Separators other than the comma that spreadsheets export, with their names in messages.
OTHER_SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
_RESAVE = "re-save it as UTF-8"


def _guess_encoding(raw: bytes) -> str | None:
    """The most plausible of the encodings of :data:`ENCODING_NAMES` for bytes that are not UTF-8.

    charset-normalizer ranks the candidates by how garbled each decoding looks, then by how coherent its
    language is; a tie (a few Chinese characters decode without mess as both GBK and Big5) goes to GBK, the
    usual encoding of files from mainland China.
    """
    from charset_normalizer import from_bytes

    order = ["gb18030", "big5", "cp1252"]
    matches = list(from_bytes(raw, cp_isolation=order))
    if not matches:
        return None
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), order.index(m.encoding)))
    return best.encoding


def _decode(path: Path, raw: bytes) -> str:
    """The text of a CSV file that must be UTF-8 without BOM; else a DataError naming the encoding it seems to be."""
    if raw.startswith(codecs.BOM_UTF8):
        raise DataError(path, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM")
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            raise DataError(path, f"file is encoded as {ENCODING_NAMES[enc]} with a byte-order mark, not UTF-8: "
                            f"{_RESAVE} without BOM")
    if b"\x00" in raw:
        # UTF-16 without a BOM: the ASCII characters (commas, digits, newlines) have a zero byte beside them
        even, odd = raw[0::2].count(0), raw[1::2].count(0)
        enc = "utf_16_le" if odd > even else "utf_16_be"
        try:
            raw.decode(enc)
            ok = max(even, odd) >= len(raw) // 8
        except UnicodeDecodeError:
            ok = False
        if ok:
            raise DataError(path, f"file is encoded as {ENCODING_NAMES[enc]} without a byte-order mark, not UTF-8: "
                            f"{_RESAVE}")
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError(path, "file contains NUL (zero) bytes: not a text CSV file", row=line)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        decoded = raw.decode("utf-8", errors="replace")
        invalid = decoded.count("\ufffd")
        if sum(ord(ch) > 127 for ch in decoded) - invalid > invalid:
            # more valid UTF-8 characters than invalid bytes: a UTF-8 file damaged (or pasted from two encodings)
            raise DataError(path, "file is not valid UTF-8: it is mostly UTF-8, with invalid bytes from this line "
                            "on (pasted from a file in another encoding?); fix or re-type those cells", row=line,
                            detail=f"{invalid} invalid byte(s)") from None
        enc = _guess_encoding(raw)
        hint = f"; it decodes as {ENCODING_NAMES[enc]}: {_RESAVE}" if enc else f": {_RESAVE}"
        raise DataError(path, f"file is not valid UTF-8{hint}", row=line) from None


def _separator_hint(header_line: str, n_fields: int) -> str | None:
    """Which other separator the header line seems to use (it splits the line into more fields than commas do)."""
    best = None
    for sep, name in OTHER_SEPARATORS.items():
        n = len(next(csv.reader([header_line], delimiter=sep)))
        if n >= 2 and n > n_fields and (best is None or n > best[0]):
            best = (n, name)
    if best is None:
        return None
    return (f"the file seems to use {best[1]} as the separator; cityeval reads comma-separated files: "
            "re-save it as CSV with commas")


def _records(path: Path, text: str):
    """``(line, fields)`` of every record of ``text``, ``line`` the physical line where the record starts;
    blank lines are skipped. A malformed quote is a DataError naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    while True:
        start = end + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                raise DataError(path, "a quoted cell is never closed: its opening quote (\") is on this line",
                                row=start) from None
            raise DataError(path, "not a well-formed CSV line: a quoted cell must end with a quote (\") followed by "
                            "a comma or the end of the line", row=start, detail=str(exc)) from None
        end = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        yield start, fields


def read_csv_checked(path, *, columns=None, required=(), optional=(), allow_extra=False) -> pd.DataFrame:
    """Read a UTF-8 CSV file as strings and check its shape.

    Parameters
    ----------
    path : path-like
        The file.
    columns : sequence of str, optional
        The exact header expected, in order. Mutually exclusive with ``required``.
    required : sequence of str
        Columns that must be present (in any order) when ``columns`` is not given.
    optional : sequence of str
        Further columns that may be present.
    allow_extra : bool, default False
        Whether columns other than ``columns``/``required``/``optional`` are allowed.

    Returns
    -------
    pandas.DataFrame
        Every cell as a string (``object`` dtype) with surrounding blanks removed, blank cells as ``""``,
        with a default RangeIndex; :func:`line_of` ``(i, frame)`` is the line of the file where row ``i``
        starts (blank lines are skipped, a quoted cell may span lines).

    Raises
    ------
    DataError
        Missing file; not UTF-8 (naming the encoding it seems to be: UTF-16, GBK, Big5, Latin-1); a BOM;
        NUL bytes; empty; a blank first line; Excel's ``sep=`` line; another separator than the comma; a
        header column without a name (a trailing comma); duplicate, missing or unexpected columns; a row
        with more or fewer fields than the header; a quoted cell never closed; header only.
        Each names the file and, where there is one, the line.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"; _ = p.write_text("a,b\\n1,2\\n3\\n")
    >>> read_csv_checked(p, columns=["a", "b"])
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: ...t.csv, line 3: a row must have as many fields as the header (expected 2 fields, found 1: a field is missing)
    """
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found")
    if not path.is_file():
        raise DataError(path, "expected a file, found a folder")
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise DataError(path, "file is empty; expected a header line and data rows")
    first = text.splitlines()[0]
    if not first.strip():
        raise DataError(path, "the first line is blank; the header (the column names) must be on line 1", row=1)
    if first.strip().lower().startswith("sep="):
        raise DataError(path, "the first line is Excel's separator line (sep=...); delete it so that the header "
                        "is line 1", row=1, detail=f"found {first.strip()!r}")
    records = _records(path, text)
    _, header = next(records)
    header = [c.strip() for c in header]
    other_sep = _separator_hint(first, len(header))
    if other_sep and len(header) == 1:
        shown = first.strip() if len(first.strip()) <= 40 else first.strip()[:40] + "..."
        raise DataError(path, other_sep, row=1, detail=f"found {shown!r}")
    blank = [i for i, c in enumerate(header) if c == ""]
    if blank:
        if blank == [len(header) - 1]:
            raise DataError(path, "the header ends with an empty column name: a trailing comma; remove the "
                            "comma at the end of every line", row=1, detail=f"column {len(header)} has no name")
        raise DataError(path, "empty column name in the header; every column needs a name", row=1,
                        detail=f"column(s) {', '.join(str(i + 1) for i in blank)} of {len(header)}")
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise DataError(path, "duplicate column names in the header", row=1, detail=", ".join(dupes))
    found = ",".join(header)
    if columns is not None:
        if header != list(columns):
            raise DataError(path, other_sep or f"header should be {','.join(columns)}", row=1,
                            detail=f"found {found}")
    else:
        missing = [c for c in required if c not in header]
        if missing:
            rule = f"missing required column(s) {', '.join(missing)}"
            raise DataError(path, f"{rule}; {other_sep}" if other_sep else rule, row=1, detail=f"found {found}")
        if not allow_extra:
            known = set(required) | set(optional)
            extra = [c for c in header if c not in known]
            if extra:
                raise DataError(path, f"unexpected column(s) {', '.join(extra)}; allowed: "
                                f"{', '.join(list(required) + list(optional))}", row=1)
    lines, rows = [], []
    for line, fields in records:
        if len(fields) != len(header):
            if len(fields) < len(header):
                why = "a field is missing" if len(header) - len(fields) == 1 else "fields are missing"
            elif not any(f.strip() for f in fields[len(header):]):
                why = "empty fields at the end: a trailing comma?"
            else:
                why = "a comma inside a cell must be quoted"
            raise DataError(path, "a row must have as many fields as the header", row=line,
                            detail=f"expected {len(header)} fields, found {len(fields)}: {why}")
        lines.append(line)
        rows.append(list(map(str.strip, fields)))
    if not rows:
        raise DataError(path, "file has a header but no data rows")
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return with_lines(frame, lines)


def require_cells(frame: pd.DataFrame, path, columns) -> None:
    """Raise a DataError for the first blank cell in ``columns`` (naming its line, see :func:`line_of`)."""
    for col in columns:
        blank = np.flatnonzero(frame[col].eq("").to_numpy())
        if len(blank):
            raise DataError(path, "blank cell; every row needs a value here", row=line_of(blank[0], frame),
                            column=col)


def file_sha256(path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
