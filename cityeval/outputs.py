"""Writing outputs: atomically, never over an input, and every failure as one line.

Every file or folder cityeval writes (``score --out``, ``audit --out/--ranks``, the folders of
``convert-coinr`` and ``synthesize``, the runner's pages and results, the ensemble cache) goes through here:

- :func:`check_outputs`, before any work: an output that is an input, a file of the input folder, another
  output, an existing folder where a file goes (or a file where a folder goes), a user's folder that would be
  replaced, a name too long, a loop of links, a block device or socket, or an unwritable folder is refused;
- :func:`write_text_atomic`, :func:`write_bytes_atomic`, :func:`write_csv_atomic`, :func:`write_all_atomic`
  and the :func:`writing` context: the content is written in full beside the target, then moved into place,
  so a reader sees the old file or the new one, never half of one. Content may be a function that writes to
  the open file (:func:`write_all_atomic`; :func:`write_csv_atomic` streams a frame so), so a large CSV is
  never held in memory as text. A symbolic link is written through (its target replaced, the link kept), but
  a link to a missing target whose folder is missing is refused; a character device or pipe (``/dev/null``)
  is written to, and a named pipe no program reads is refused, never waited on; missing parent folders are
  created, and removed again on failure; a path starting ``~`` (not expanded: cityeval takes paths as given)
  whose ``~`` folder does not exist is refused rather than creating a folder named ``~``;
- standard output: ``-``, ``/dev/stdout`` (and ``/dev/stderr``, ``/dev/fd/N``) are written through their file
  descriptor, never replaced (a file the shell redirected to stays that file) nor resolved to ``/proc``;
  ``/dev/stdin`` and a descriptor that is not open are refused;
- :func:`protected_place` (``check_outputs(..., protect=True)``, the commands' outputs): nothing is written into
  cityeval's own data, notebooks or package source, inside a dataset folder or inside a run's output folder;
- :func:`replace_dir`: a finished folder moved into place by renames; it refuses to replace a file, or a
  folder holding files the new one would not keep.

Every operating-system error becomes an :class:`~cityeval.errors.OutputError`: one line naming the option,
the path and the reason (e.g. ``no space left on the device (ENOSPC)``); nothing is left behind.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.errors import OutputError, ParameterError
from cityeval.validation import Shown

__all__ = ["check_outputs", "describe_os_error", "writing", "write_all_atomic", "write_text_atomic", "write_bytes_atomic",
           "write_csv_atomic", "csv_content", "replace_dir", "CSV_ROWS", "STDOUT", "to_stdout", "is_dataset_folder",
           "is_run_folder", "protected_place"]


# ---------------------------------------------------------------------------------------------
# writing outputs: atomically, through a symlink or a device (never replacing it), and every
# operating-system error as one OutputError naming the path; nothing is left behind on failure.

_WORDS = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "the disk quota is exceeded",
          errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
          errno.EPERM: "operation not permitted", errno.ENAMETOOLONG: "a name in the path is too long",
          errno.EISDIR: "it is an existing folder", errno.ENOTDIR: "a part of the path is a file, not a folder",
          errno.ELOOP: "a loop of symbolic links", errno.ENOENT: "a folder of the path does not exist",
          errno.EXDEV: "it is on another file system than its temporary copy"}


def _reason(exc: OSError) -> str:
    text = _WORDS.get(exc.errno, exc.strerror or str(exc))
    return f"{text} ({errno.errorcode[exc.errno]})" if exc.errno in errno.errorcode else text


def describe_os_error(exc: OSError) -> str:
    """One line for an operating-system error: the file it concerns, then what went wrong in words.

    >>> describe_os_error(PermissionError(13, "Permission denied", "/root/values.csv"))
    '/root/values.csv: permission denied (EACCES)'
    """
    return f"{exc.filename}: {_reason(exc)}" if exc.filename else _reason(exc)


def _os_failure(path, exc: OSError, option) -> OutputError:
    return OutputError(path, _reason(exc), option=option, errno=exc.errno)


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


def _kind(mode: int) -> str:
    """What a non-folder is, in words: "an existing file", "a named pipe (FIFO)", ..."""
    return ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "an existing file")


def _check_links(path, option) -> None:
    """Refuse a path that would create folders the user did not name: a folder ``~`` (a ``~`` the shell did
    not expand) or the missing folders a dangling symbolic link points into."""
    text = os.fspath(path)
    first = Path(text).parts[0] if Path(text).parts else ""
    if first.startswith("~") and not os.path.lexists(first):
        raise OutputError(path, f"the folder {first} does not exist (cityeval does not expand ~, and would create "
                          f"a folder named {first}); give the path unquoted so that the shell expands it, or "
                          "$HOME/...", option=option)
    here = Path(os.path.abspath(text))
    parts = here.parts
    for k in range(2, len(parts) + 1):
        part = Path(*parts[:k])
        if os.path.islink(part) and not os.path.exists(part):
            target = Path(os.path.realpath(part))
            if k < len(parts) or not os.path.isdir(target.parent):
                raise OutputError(path, f"{part} is a symbolic link to {target}, which does not exist (its "
                                  "missing folders would be created); create them or give another path",
                                  option=option, errno=errno.ENOENT)


#: The output path meaning standard output (``--out -``).
STDOUT = "-"
_STREAM_NAMES = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_FD_PATH = re.compile(r"/(?:dev/fd|proc/(?:self|thread-self|(\d+))/fd)/(\d+)")


def _stream_fd(path) -> int | None:
    """The file descriptor an output path names (``-`` and ``/dev/stdout``: 1, ``/dev/stderr``: 2,
    ``/dev/fd/N`` and ``/proc/self/fd/N``: N), else ``None``. Such an output is written through the
    descriptor: never replaced (a regular file the shell redirected standard output to stays that file,
    written where the shell's redirection writes), never resolved to the ``/proc`` path it links to.

    >>> _stream_fd("-"), _stream_fd("/dev/stdout"), _stream_fd("/dev/fd/3"), _stream_fd("out.csv")
    (1, 1, 3, None)
    """
    text = os.fspath(path)
    if text == STDOUT:
        return 1
    if not text.startswith("/"):
        return None
    norm = os.path.normpath(text)
    if norm in _STREAM_NAMES:
        return _STREAM_NAMES[norm]
    m = _FD_PATH.fullmatch(norm)
    if m and (m.group(1) is None or int(m.group(1)) == os.getpid()):
        return int(m.group(2))
    return None


def to_stdout(path) -> bool:
    """Whether an output path is standard output (``-``, ``/dev/stdout``, ``/dev/fd/1``): a command then prints
    what it says about its work to standard error, not into the output.

    >>> to_stdout("-"), to_stdout("/dev/stdout"), to_stdout(None), to_stdout("a.csv")
    (True, True, False, False)
    """
    return path is not None and _stream_fd(path) == 1


def _check_stream(path, fd: int, *, option=None, folder=False) -> Path:
    """Refuse a stream output that cannot be written: a folder output, standard input, a closed descriptor."""
    if folder:
        raise OutputError(path, f"it is {'standard output' if fd == 1 else f'file descriptor {fd}'}, not a folder; "
                          "give a folder name", option=option)
    if fd == 0:
        raise OutputError(path, "it is standard input, which cityeval does not write to; give a file name or - "
                          "(standard output)", option=option)
    try:
        os.fstat(fd)
    except OSError:
        what = {1: "standard output (file descriptor 1)", 2: "standard error (file descriptor 2)"}.get(
            fd, f"file descriptor {fd}")
        raise OutputError(path, f"{what} is not open (EBADF)", option=option, errno=errno.EBADF) from None
    return Path(f"/dev/fd/{fd}")


def _target(path, option=None) -> Path:
    """The absolute file a write to ``path`` reaches: symbolic links are followed (written through)."""
    fd = _stream_fd(path)
    if fd is not None:
        return Path(f"/dev/fd/{fd}")
    real = Path(os.path.realpath(path))
    if os.path.islink(real):                   # realpath stops at a link it cannot resolve: a loop
        raise OutputError(path, "a loop of symbolic links (ELOOP)", option=option, errno=errno.ELOOP)
    return real


def _check_target(path, *, option=None, folder=False) -> Path:
    """Refuse, before anything is written, an output that cannot be written; return the file it reaches.

    A regular file (or a folder, with ``folder``) is replaced; a character device or a pipe is written
    through; missing folders above it will be created.
    """
    text = os.fspath(path)
    fd = _stream_fd(path) if text else None
    if fd is not None:
        return _check_stream(path, fd, option=option, folder=folder)
    if not text or (not folder and text.endswith(os.sep)):
        raise OutputError(path or "''", "an empty name" if not text
                          else "a name ending in a slash (a folder); give a file name", option=option)
    _check_links(path, option)
    target = _target(path, option)
    try:
        mode = os.stat(target).st_mode
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            raise _os_failure(path, exc, option) from None
        mode = None
    if mode is not None:
        if folder and not stat.S_ISDIR(mode):
            raise OutputError(path, f"it is {_kind(mode)}, not a folder; give a folder name", option=option)
        if not folder and stat.S_ISDIR(mode):
            raise OutputError(path, "it is an existing folder; give a file name", option=option,
                              errno=errno.EISDIR)
        if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            raise OutputError(path, "it is a block device or a socket; give a file name", option=option)
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return target                      # /dev/null, /dev/stdout, a pipe: written through
        if stat.S_ISREG(mode) and _virtual(target):
            raise OutputError(path, "it is a file of the kernel's virtual file system (/proc, /sys), which "
                              "cannot be replaced; give another file name", option=option)
    above = target.parent
    while not os.path.lexists(above):
        above = above.parent
    if not os.path.isdir(above):
        raise OutputError(path, f"{above} is a file, not a folder", option=option, errno=errno.ENOTDIR)
    if _virtual(above):
        raise OutputError(path, f"the folder {above} is on the kernel's virtual file system (/proc, /sys), where "
                          "no file can be created; give another path", option=option, errno=errno.EACCES)
    try:
        name_max = os.pathconf(above, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    for part in target.relative_to(above).parts:
        if len(os.fsencode(part)) > name_max:
            raise OutputError(path, f"the name {_short(part)} is {len(os.fsencode(part))} bytes long, more than the "
                              f"{name_max} the file system allows", option=option, errno=errno.ENAMETOOLONG)
    if not os.access(above, os.W_OK | os.X_OK):
        read_only = bool(os.statvfs(above).f_flag & os.ST_RDONLY)
        raise OutputError(path, f"the folder {above} is " + ("on a read-only file system (EROFS)" if read_only
                          else "not writable (EACCES)"), option=option,
                          errno=errno.EROFS if read_only else errno.EACCES)
    return target


def _virtual(target: Path) -> bool:
    """Whether ``target`` lies on a kernel virtual file system (procfs, sysfs): no file can be created there."""
    return any(target == Path(top) or Path(top) in target.parents for top in ("/proc", "/sys"))


def _temp_name(name: str) -> str:
    """A prefix for the temporary file beside ``name`` that keeps the temporary name within 255 bytes."""
    return "." + os.fsencode(name)[:200].decode("utf-8", "ignore") + "."


def _make_parents(folder: Path) -> list:
    """Create the missing folders down to ``folder``; the list of those created, outermost first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    created = []
    try:
        for d in reversed(missing):
            os.mkdir(d)
            created.append(d)
    except BaseException:
        _remove_folders(created)
        raise
    return created


def _remove_folders(created) -> None:
    for d in reversed(created):                # innermost first; a folder that is not empty stays
        try:
            os.rmdir(d)
        except OSError:
            pass


@contextlib.contextmanager
def writing(path, *, option=None):
    """For a block that writes ``path`` (a folder, by renames): create the missing folders above it first,
    and if the block fails remove them again; an operating-system error becomes an :class:`OutputError`
    naming ``path`` (and ``option``), as does an ``OutputError`` that names no option.

    >>> import tempfile
    >>> base = Path(tempfile.mkdtemp())
    >>> with writing(base / "a" / "b" / "out", option="OUT_FOLDER"):
    ...     assert (base / "a" / "b").is_dir()
    ...     raise OSError(28, "No space left on device")
    Traceback (most recent call last):
    ...
    cityeval.errors.OutputError: cannot write OUT_FOLDER .../a/b/out: no space left on the device (ENOSPC)
    >>> (base / "a").exists()
    False
    """
    try:
        created = _make_parents(Path(path).parent)
    except OSError as exc:
        raise _os_failure(path, exc, option) from exc
    try:
        yield
    except BaseException as exc:
        _remove_folders(created)
        if isinstance(exc, OutputError):            # (also an OSError) already says what went wrong
            if exc.option is None and option is not None:
                raise exc.for_option(option) from exc
            raise
        if isinstance(exc, OSError):
            raise _os_failure(path, exc, option) from exc
        raise


def write_all_atomic(files: dict) -> list:
    """Write several files all or none, each via a temporary file in its folder moved into place.

    Every file is first written in full beside its target, then they are all moved into place, so a
    failure (a full file system) leaves none of them, no temporary file and no folder created for them.
    A symbolic link is written through (its target is replaced, the link stays); a character device
    (``/dev/null``) or a pipe is written to directly; an existing folder, a path below a file, a name too
    long or a read-only folder are refused before anything is written. Missing folders are created.
    Files are world-readable (0644).

    Parameters
    ----------
    files : dict
        The option that names each output (``"--out"``, used in messages; ``None`` if none) ->
        ``(path, data)`` with ``data`` bytes, text (written as UTF-8) or a function called with the open
        binary file that writes the content to it (a large CSV streamed in chunks, never held in memory
        whole: see :func:`csv_content`).

    Returns
    -------
    list of Path
        The paths as given.

    Raises
    ------
    OutputError
        One line naming the option, the path and what went wrong.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_all_atomic({"--out": (d / "a.csv", "x\\n"), "--ranks": (d / "new" / "b.csv", b"y\\n")})]
    ['a.csv', 'b.csv']
    >>> write_all_atomic({"--out": (d / "c.csv", "x\\n"), "--ranks": (d, "y\\n")})
    Traceback (most recent call last):
    ...
    cityeval.errors.OutputError: cannot write --ranks ...: it is an existing folder; give a file name
    >>> (d / "c.csv").exists()
    False
    """
    staged = []                                # (option, path, target, temporary file or None, data, created)
    try:
        for option, (path, data) in files.items():
            target = _check_target(path, option=option)
            if _stream_fd(path) is not None or (os.path.exists(target) and not os.path.isfile(target)):
                staged.append((option, path, target, None, data, []))
                continue
            try:
                created = _make_parents(target.parent)
                try:
                    fd, tmp = tempfile.mkstemp(prefix=_temp_name(target.name), suffix=".tmp", dir=target.parent)
                except BaseException:
                    _remove_folders(created)
                    raise
                staged.append((option, path, target, tmp, data, created))
                try:
                    fh = os.fdopen(fd, "wb")
                except BaseException:
                    os.close(fd)
                    raise
                with fh:
                    _put(fh, data)
                os.chmod(tmp, 0o644)               # mkstemp creates 0600
            except OSError as exc:
                raise _os_failure(path, exc, option) from exc
        for option, path, target, tmp, data, _ in sorted(staged, key=lambda s: s[3] is not None):
            try:
                if tmp is None:                    # a device, a pipe or a stream: written through, first
                    _write_through(target, path, option, data)
                else:
                    os.replace(tmp, target)
            except OutputError:
                raise
            except OSError as exc:
                raise _os_failure(path, exc, option) from exc
    except BaseException:
        for _, _, _, tmp, _, created in reversed(staged):
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
            _remove_folders(created)
        raise
    return [Path(s[1]) for s in staged]


def _put(fh, data) -> None:
    if callable(data):
        data(fh)
    else:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _write_through(target: Path, path, option, data) -> None:
    fd = _stream_fd(path)
    if fd is None:
        with _open_through(target, path, option) as fh:
            _put(fh, data)
        return
    import sys

    for stream in (sys.stdout, sys.stderr):    # what was printed before comes before the output
        with contextlib.suppress(Exception):
            stream.flush()
    fh = os.fdopen(os.dup(fd), "wb")           # the descriptor itself: the shell's file stays, at its offset
    try:
        with fh:
            _put(fh, data)
    except BrokenPipeError:                    # the reader left (``| head``): as for a table printed, no error
        pass


def _open_through(target: Path, path, option):
    """Open a device or a pipe for writing; a named pipe no program reads is an error (ENXIO), never a wait."""
    fifo = stat.S_ISFIFO(os.stat(target).st_mode)
    try:
        fd = os.open(target, os.O_WRONLY | (os.O_NONBLOCK if fifo else 0))
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise OutputError(path, "it is a named pipe (FIFO) that no program reads (ENXIO); start its reader "
                              "first", option=option, errno=errno.ENXIO) from None
        raise
    if fifo:
        os.set_blocking(fd, True)          # a reader is there: write as to any pipe
    return os.fdopen(fd, "wb")


def csv_content(frame: pd.DataFrame, **to_csv):
    """The content of ``frame`` as CSV (UTF-8, LF line endings) for :func:`write_all_atomic`: a function
    that writes it to an open binary file in chunks of rows, so that the text is never held whole.

    >>> import io
    >>> buf = io.BytesIO(); csv_content(pd.DataFrame({"a": [1, 2]}), index=False)(buf); buf.getvalue()
    b'a\\n1\\n2\\n'
    """
    def write(fh) -> None:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
        try:
            frame.to_csv(text, lineterminator="\n", chunksize=CSV_ROWS, **to_csv)
            text.flush()
        finally:
            text.detach()                  # leave fh open: its owner closes it
    return write


#: Rows of a frame formatted at once when a CSV is written (pandas formats a chunk, then writes it).
CSV_ROWS = 1000


def write_text_atomic(path, text: str, *, option=None) -> Path:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same folder, then move it into place.

    An interrupted or failed write never leaves a half-written ``path`` nor a temporary file; see
    :func:`write_all_atomic` for symbolic links, devices and the errors (an :class:`OutputError`).
    """
    return write_all_atomic({option: (path, text)})[0]


def write_bytes_atomic(path, data: bytes, *, option=None) -> Path:
    """Write ``data`` to ``path`` as :func:`write_text_atomic` does (temporary file, then moved into place)."""
    return write_all_atomic({option: (path, data)})[0]


def write_csv_atomic(frame: pd.DataFrame, path, *, option=None, **to_csv) -> Path:
    """Write ``frame`` as CSV (UTF-8, LF line endings) as :func:`write_text_atomic` does, streamed in chunks
    of rows (:func:`csv_content`): the text is never held in memory whole."""
    return write_all_atomic({option: (path, csv_content(frame, **to_csv))})[0]


def _would_lose(target: Path, keeps) -> list:
    return sorted(set(os.listdir(target)) - set(keeps))


def replace_dir(src, dst, *, option=None) -> Path:
    """Move the finished folder ``src`` to ``dst`` by renames, replacing any old ``dst``.

    The old folder is first renamed aside, so a reader sees either the old or the new folder,
    never a half-written one; ``src`` must be on the same file system (e.g. a sibling temp folder).
    A symbolic link ``dst`` is written through (the folder it points to is replaced). Refused, with an
    :class:`OutputError` and nothing changed: a ``dst`` that is a file or a device, and an old folder
    holding anything ``src`` does not (it would be lost). The new folder is readable by all (0755).
    """
    src, dst = Path(src), Path(dst)
    target = _check_target(dst, option=option, folder=True)
    if os.path.isdir(target):
        lost = _would_lose(target, os.listdir(src))
        if lost:
            raise _lost(dst, lost, option)
    try:
        os.chmod(src, 0o755)                      # mkdtemp creates 0700
        if os.path.lexists(target):
            old = target.with_name(f"{_temp_name(target.name)}old-{uuid.uuid4().hex[:8]}")
            os.rename(target, old)
            try:
                os.rename(src, target)
            except BaseException:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(src, target)
    except OSError as exc:
        raise _os_failure(dst, exc, option) from exc
    return dst


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)        # a hard link or another path to the same file
    except OSError:
        return False


def _lost(path, lost, option) -> OutputError:
    return OutputError(path, f"the folder holds {', '.join(_short(n) for n in lost[:3])}"
                       f"{' and more' if len(lost) > 3 else ''}, which the new folder would not keep; "
                       "give an empty or a new folder", option=option)


def is_dataset_folder(folder) -> bool:
    """Whether ``folder`` is a dataset folder: it holds ``values.csv`` and ``indicators.csv``."""
    return all(os.path.isfile(os.path.join(folder, name)) for name in ("values.csv", "indicators.csv"))


#: The run record that makes a folder a run's output folder (:data:`cityeval.notebook.runner.RUNS_FILE`).
_RUNS_FILE = "runs.json"


def is_run_folder(folder) -> bool:
    """Whether ``folder`` is the output folder of a ``run``: it holds the run record ``runs.json``, or the lock
    and a staging folder of a first run still under way (``.lock``, ``.run-*``)."""
    folder = Path(folder)
    if os.path.lexists(folder / _RUNS_FILE):
        return True
    try:
        return os.path.lexists(folder / ".lock") and any(p.name.startswith(".run-") and p.is_dir()
                                                          for p in folder.iterdir())
    except OSError:
        return False


def _embedded() -> list:
    """``(what, folder)`` of the folders of the installation itself, links resolved: what cityeval reads."""
    return [(what, Path(os.path.realpath(top))) for what, top in
            (("the embedded data folder", paths.DATA), ("the notebooks folder", paths.NOTEBOOKS),
             ("the package source", paths.PACKAGE))]


def protected_place(target, *, allow=()) -> str | None:
    """Why no output may be written at ``target`` (absolute, links resolved), in words, or ``None``.

    No output lies in (or is) the installation's own folders (:data:`cityeval.paths.DATA`, the notebooks, the
    package source) -- but the folders of ``allow`` (``synthesize`` rewrites the embedded panel) --, nor inside
    a dataset folder (:func:`is_dataset_folder`: it would sit among the data, or replace one of its files) or a
    run's output folder (:func:`is_run_folder`: its record and pages are the run's). The folder ``target``
    itself may be a dataset folder: a folder output replaces it (each command says which it may replace).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "values.csv").write_text("x"); _ = (d / "indicators.csv").write_text("x")
    >>> protected_place(d / "sub" / "scores.csv") == f"it lies inside the dataset folder {d} (it holds values.csv " \\
    ...     "and indicators.csv), whose files are inputs"
    True
    >>> protected_place(d) is None
    True
    """
    target = Path(target)
    allowed = {Path(os.path.realpath(a)) for a in allow}
    if target in allowed:
        return None
    for what, top in _embedded():
        if target == top or top in target.parents:
            return f"it {'is' if target == top else 'lies inside'} {what} {top}, which cityeval reads"
    for folder in target.parents:
        if folder in allowed:
            return None
        if is_run_folder(folder):
            return f"it lies inside {folder}, the output folder of a run (it holds {_RUNS_FILE})"
        if is_dataset_folder(folder):
            return (f"it lies inside the dataset folder {folder} (it holds values.csv and indicators.csv), whose "
                    "files are inputs")
    return None


def check_outputs(outputs: dict, inputs: dict | None = None, folders: dict | None = None, *,
                  kind: str = "file", keeps=None, protect: bool = False, allow=()) -> dict:
    """Refuse, before anything is written, an output that would overwrite an input or another output, or
    that cannot be written where it is asked for.

    Parameters
    ----------
    outputs : dict
        option name (e.g. ``"--out"``) -> path; ``None`` for an output not asked for.
    inputs : dict, optional
        what (e.g. ``"the --spec file"``) -> path of an input file.
    folders : dict, optional
        what (e.g. ``"the dataset folder"``) -> folder whose files (top level) are all inputs.
    kind : {"file", "dataset folder"}, default "file"
        ``"file"``: each output is a file, replaced atomically (a symbolic link is written through, a
        character device such as ``/dev/null`` written to). ``"dataset folder"``: each output is a folder
        replaced as a whole; it may neither be nor hold an input or an input folder, and an existing one
        must be empty or a dataset folder (``values.csv`` and ``indicators.csv``).
    keeps : iterable of str, optional
        For folders: the names the new folder will hold; an existing folder holding anything else is
        refused (it would be lost).
    protect : bool, default False
        Also refuse what :func:`protected_place` refuses: an output in the installation's data, notebooks or
        package source, or inside a dataset folder or a run's output folder (the commands' outputs: a user's
        path may name any of them). ``allow``: folders a folder output may replace there anyway.

    Returns
    -------
    dict
        option name -> the output's resolved path (symlinks followed), for the outputs given.

    Raises
    ------
    ParameterError
        The output is an input or another output: one line naming the option, the path and which it is.
    OutputError
        The output cannot be written: an existing folder (a file for a folder output), a path below a
        file, a name too long, a read-only folder, a folder that is not a dataset folder.

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
    >>> check_outputs({"--out": d})
    Traceback (most recent call last):
    ...
    cityeval.errors.OutputError: cannot write --out ...: it is an existing folder; give a file name
    >>> check_outputs({"OUT_FOLDER": d.parent}, inputs={"the IDATA file": d / "values.csv"}, kind="dataset folder")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: OUT_FOLDER should be a folder that is none of the inputs and holds none of \
them, but its value is ... (it holds the IDATA file).
    """
    if kind not in ("file", "dataset folder"):
        raise ParameterError("kind", "'file' or 'dataset folder'", kind)
    is_folder = kind == "dataset folder"
    known = []                                   # (resolved path, description) of every input file and folder
    for what, path in (inputs or {}).items():
        if path is not None:
            known.append((_target(path), what))
    for what, folder in (folders or {}).items():
        folder = Path(folder)
        if os.path.isdir(folder):
            if is_folder:
                known.append((_target(folder), what))
            known += [(_target(f), f"a file of {what}, which is an input")
                      for f in folder.iterdir() if os.path.isfile(f)]
    done = {}
    allowed = ("a folder that is none of the inputs and holds none of them" if is_folder
               else "a file that is none of the inputs and no other output")
    for name, path in outputs.items():
        if path is None:
            continue
        target = _check_target(path, option=name, folder=is_folder)
        for other, what in known:
            if _same_file(target, other):
                raise ParameterError(name, allowed, Shown(f"{path} ({what})"))
            if is_folder and target in other.parents:
                raise ParameterError(name, allowed, Shown(f"{path} (it holds {what})"))
        for prev, prev_target in done.items():
            if _same_file(target, prev_target) or (is_folder and (target in prev_target.parents
                                                                  or prev_target in target.parents)):
                raise ParameterError(name, allowed, Shown(f"{path} (also the {prev} {kind})"))
        if is_folder and os.path.isdir(target) and os.listdir(target):
            lost = _would_lose(target, keeps) if keeps is not None else []
            if lost:
                raise _lost(path, lost, name)
            if not (os.path.isfile(target / "values.csv") and os.path.isfile(target / "indicators.csv")):
                raise OutputError(path, "it is a folder with files but not a dataset folder (no values.csv and "
                                  "indicators.csv), and it would be replaced; give an empty or a new folder",
                                  option=name)
        if protect and _stream_fd(path) is None:
            why = protected_place(target, allow=allow)
            if why:
                raise OutputError(path, f"{why}; give {'a folder' if is_folder else 'a path'} outside it",
                                  option=name)
        done[name] = target
    return done
