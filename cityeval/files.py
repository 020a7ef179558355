"""Reading and writing CSV files strictly.

Every table cityeval ships or accepts is UTF-8 CSV without a byte-order mark,
with a header line. :func:`read_csv_checked` turns the usual ways a file goes
wrong (missing, another encoding, a BOM, empty, header only, missing or
unexpected columns, blank required cells) into a :class:`~cityeval.errors.DataError`
that names the file, the line and the column. Line numbers count the header as
line 1, as a text editor shows them.
"""
from __future__ import annotations

import codecs
import hashlib
import csv
import io
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown

__all__ = ["check_outputs", "file_sha256", "read_csv_checked", "require_cells", "write_text_atomic", "write_bytes_atomic", "write_csv_atomic", "replace_dir", "line_of"]


def line_of(position: int) -> int:
    """Line number (header = 1) of the data row at 0-based ``position``."""
    return int(position) + 2


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
        Every cell as a string (``object`` dtype), blank cells as ``""``, with a
        default RangeIndex (position ``i`` is line ``i + 2`` of the file).

    Raises
    ------
    DataError
        Missing file, not UTF-8, BOM, empty, header only, duplicate, missing or
        unexpected columns.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found")
    if not path.is_file():
        raise DataError(path, "expected a file, found a folder")
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raise DataError(path, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gbk")
            hint = "; it decodes as GBK: re-save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise DataError(path, f"file is not valid UTF-8{hint}", row=line) from None
    if not text.strip():
        raise DataError(path, "file is empty; expected a header line and data rows")
    header = [c.strip() for c in next(csv.reader(io.StringIO(text)))]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise DataError(path, "duplicate column names in the header", row=1, detail=", ".join(dupes))
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False)
    except pd.errors.ParserError as exc:
        raise DataError(path, f"not a well-formed CSV table ({exc})") from None
    frame.columns = header
    if columns is not None:
        if header != list(columns):
            raise DataError(path, f"header should be {','.join(columns)}", row=1, detail=f"found {','.join(header)}")
    else:
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError(path, f"missing required column(s) {', '.join(missing)}", row=1,
                            detail=f"found {','.join(header)}")
        if not allow_extra:
            known = set(required) | set(optional)
            extra = [c for c in header if c not in known]
            if extra:
                raise DataError(path, f"unexpected column(s) {', '.join(extra)}; allowed: "
                                f"{', '.join(list(required) + list(optional))}", row=1)
    if frame.empty:
        raise DataError(path, "file has a header but no data rows")
    return frame.map(lambda v: v.strip() if isinstance(v, str) else v).astype(object)


def require_cells(frame: pd.DataFrame, path, columns) -> None:
    """Raise a DataError for the first blank cell in ``columns``."""
    for col in columns:
        blank = frame.index[frame[col].eq("")]
        if len(blank):
            raise DataError(path, "blank cell; every row needs a value here", row=line_of(blank[0]), column=col)


def write_text_atomic(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same folder, then move it into place.

    An interrupted write never leaves a half-written ``path``; the file is world-readable (0644).
    """
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` as :func:`write_text_atomic` does (temporary file, then moved into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_csv_atomic(frame: pd.DataFrame, path, **to_csv) -> Path:
    """Write ``frame`` as CSV (UTF-8, LF line endings) with :func:`write_text_atomic`."""
    return write_text_atomic(path, frame.to_csv(lineterminator="\n", **to_csv))


def replace_dir(src, dst) -> Path:
    """Move the finished folder ``src`` to ``dst`` by renames, replacing any old ``dst``.

    The old folder is first renamed aside, so a reader sees either the old or the new folder,
    never a half-written one; ``src`` must be on the same file system (e.g. a sibling temp folder).
    """
    src, dst = Path(src), Path(dst)
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(dst, old)
        os.rename(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(src, dst)
    return dst


def file_sha256(path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)        # a hard link or another path to the same file
    except OSError:
        return False


def check_outputs(outputs: dict, inputs: dict | None = None, folders: dict | None = None) -> dict:
    """Refuse an output that would overwrite an input or another output, before anything is written.

    Parameters
    ----------
    outputs : dict
        option name (e.g. ``"--out"``) -> path; ``None`` for an output not asked for.
    inputs : dict, optional
        what (e.g. ``"the --spec file"``) -> path of an input file.
    folders : dict, optional
        what (e.g. ``"the dataset folder"``) -> folder whose files (top level) are all inputs.

    Returns
    -------
    dict
        option name -> the output's resolved path (symlinks followed), for the outputs given.

    Raises
    ------
    ParameterError
        One line naming the option, the path and the input or output it is.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "values.csv").write_text("x"); spec = d.parent / "s.json"
    1
    >>> check_outputs({"--out": d / "values.csv"}, folders={"the dataset folder": d})
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: --out should be a file that is none of the inputs and no other output, \
but its value is ...values.csv (a file of the dataset folder, which is an input).
    """
    known = []                                   # (resolved path, description) of every input file
    for what, path in (inputs or {}).items():
        known.append((Path(path).resolve(), what))
    for what, folder in (folders or {}).items():
        folder = Path(folder)
        if folder.is_dir():
            known += [(f.resolve(), f"a file of {what}, which is an input") for f in folder.iterdir() if f.is_file()]
    done = {}
    allowed = "a file that is none of the inputs and no other output"
    for name, path in outputs.items():
        if path is None:
            continue
        target = Path(path).resolve()
        for other, what in known:
            if _same_file(target, other):
                raise ParameterError(name, allowed, Shown(f"{path} ({what})"))
        for prev, prev_target in done.items():
            if _same_file(target, prev_target):
                raise ParameterError(name, allowed, Shown(f"{path} (also the {prev} file)"))
        done[name] = target
    return done
