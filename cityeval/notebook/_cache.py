"""The cache of executed notebooks (private to :mod:`cityeval.notebook.runner`): a rerun serves a notebook whose
inputs have not changed instead of executing it again.

An entry is the executed notebook, its page and its results file, stored under
``<cache_root()>/notebooks/<stem>/<key>/`` (:func:`cityeval.ccid2022.ensemble.cache_root`: ``$CITYEVAL_CACHE``,
else ``$XDG_CACHE_HOME/cityeval``, else ``~/.cache/cityeval``), beside the ensemble members. Its **key**
(:func:`notebook_key`) is the SHA-256 of everything the result depends on:

- the notebook file itself (its source, every cell) and where it lies;
- every parameter value it runs with (given or by default);
- the checksum of every file of every folder it reads: its ``data`` folder(s) and the embedded ``data/``;
- the library's own source (every file of the ``cityeval`` package, its page assets included), the versions of
  the packages a results file records and of Python, and the kernel's command line (:func:`environment_digest`).

Files a notebook read outside those folders are known after it ran: its results file lists them with their
SHA-256 (``inputs_sha256``); :func:`lookup` checks each again before serving an entry. An entry's
``entry.json`` records the SHA-256 of each stored file: a missing, partial or altered file (or an unreadable
``entry.json``) makes the entry a miss, and it is removed, never served. Entries are written into a temporary
folder and renamed into place, so a run killed while storing leaves no entry that looks complete; each notebook
keeps its :data:`KEEP` most recently used entries. Only successful runs are stored: a failed notebook always
runs again.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cityeval import paths
from cityeval.files import file_sha256

__all__ = ["CACHE_FORMAT", "KEEP", "cache_folder", "folder_digest", "environment_digest", "notebook_key",
           "Entry", "lookup", "store"]

CACHE_FORMAT = "cityeval notebook cache, version 1"
#: Entries kept per notebook (several parameter sets, e.g. an English and a Chinese run, stay cached).
KEEP = 6
_ENTRY = "entry.json"
#: The files of an entry: what each is, and its name in the entry's folder.
KINDS = {"notebook": "executed.ipynb", "page": "page.html", "results": "results.json"}


def cache_folder() -> Path:
    """``<cache_root()>/notebooks``: where the entries are.

    >>> cache_folder().name
    'notebooks'
    """
    from cityeval.ccid2022.ensemble import cache_root

    return cache_root() / "notebooks"


def _tree_files(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")) and not name.startswith("."):
                yield Path(root) / name


def folder_digest(folder) -> str:
    """SHA-256 of a folder: every file's path (relative to it) and content, in name order; a missing folder or a
    single file has its own digest.

    >>> import tempfile
    >>> a = Path(tempfile.mkdtemp()); _ = (a / "x.csv").write_text("1")
    >>> b = Path(tempfile.mkdtemp()); _ = (b / "x.csv").write_text("1")
    >>> folder_digest(a) == folder_digest(b), folder_digest(a) == folder_digest(a / "missing")
    (True, False)
    """
    folder = Path(folder)
    h = hashlib.sha256()
    if folder.is_file():
        h.update(b"file\0" + file_sha256(folder).encode())
    elif not folder.is_dir():
        h.update(b"missing\0" + str(folder).encode())
    else:
        for f in _tree_files(folder):
            h.update(f.relative_to(folder).as_posix().encode() + b"\0" + file_sha256(f).encode() + b"\n")
    return h.hexdigest()


#: The ``cityeval`` package's folder (its source and page assets are part of every key).
PACKAGE = Path(__file__).resolve().parents[1]


def environment_digest(kernel_argv=(), *, package=None) -> str:
    """SHA-256 of what every notebook's result depends on besides its own inputs: the ``cityeval`` package's files
    (source and page assets), the glossary, the versions of Python and of the recorded packages, papermill's and
    nbconvert's, and the kernel's command line. ``package`` replaces :data:`PACKAGE` (a test's copy of it).

    >>> len(environment_digest(["python", "-m", "ipykernel_launcher"]))
    64
    """
    from importlib import metadata

    from cityeval.notebook.results import RECORDED_PACKAGES

    h = hashlib.sha256(CACHE_FORMAT.encode())
    h.update(folder_digest(package if package is not None else PACKAGE).encode())
    h.update(folder_digest(paths.ROOT / "docs" / "glossary.md").encode())
    h.update(f"python={platform.python_version()}".encode())
    for name in RECORDED_PACKAGES + ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel"):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = None
        h.update(f"{name}={version}".encode())
    h.update(json.dumps(list(kernel_argv)).encode())
    return h.hexdigest()


def notebook_key(notebook, parameters: dict, folders, environment: str, digests: dict | None = None) -> str:
    """The cache key of ``notebook`` run with ``parameters`` (every value it runs with), reading ``folders``,
    in ``environment`` (:func:`environment_digest`). ``digests`` memoizes :func:`folder_digest` across notebooks.

    >>> import tempfile
    >>> nb = Path(tempfile.mkdtemp()) / "01_x.ipynb"; _ = nb.write_text("{}")
    >>> k = notebook_key(nb, {"n": 1}, [], "env")
    >>> k == notebook_key(nb, {"n": 1}, [], "env"), k == notebook_key(nb, {"n": 2}, [], "env")
    (True, False)
    """
    digests = {} if digests is None else digests
    notebook = Path(notebook)
    h = hashlib.sha256(CACHE_FORMAT.encode())
    h.update(environment.encode())
    h.update(str(notebook).encode() + b"\0" + file_sha256(notebook).encode())
    h.update(json.dumps(parameters, sort_keys=True, ensure_ascii=False, default=str).encode())
    for folder in sorted({str(Path(f)) for f in folders}):
        if folder not in digests:
            digests[folder] = folder_digest(folder)
        h.update(folder.encode() + b"\0" + digests[folder].encode())
    return h.hexdigest()


@dataclass
class Entry:
    """A cache entry found valid: its folder, its files (kind -> path) and the run record it was stored with."""
    folder: Path
    files: dict
    record: dict


def _entry_folder(stem: str, key: str) -> Path:
    return cache_folder() / stem / key


def _inputs_unchanged(results_file: Path) -> bool:
    """Whether every input file the results file lists still has its recorded SHA-256."""
    try:
        listed = json.loads(results_file.read_text(encoding="utf-8")).get("inputs_sha256") or {}
    except (OSError, ValueError, AttributeError):
        return False
    for name, sha in listed.items():
        p = Path(name) if os.path.isabs(name) else paths.ROOT / name
        try:
            if file_sha256(p) != sha:
                return False
        except OSError:
            return False
    return True


def lookup(stem: str, key: str) -> Entry | None:
    """The valid entry of ``stem`` under ``key``, or ``None``. An entry whose ``entry.json`` cannot be read, whose
    files are missing or differ from their recorded SHA-256, or whose results file lists an input file that has
    changed, is removed and ``None`` returned.

    >>> lookup("00_x", "0" * 64) is None
    True
    """
    folder = _entry_folder(stem, key)
    if not folder.is_dir():
        return None
    try:
        doc = json.loads((folder / _ENTRY).read_text(encoding="utf-8"))
        ok = doc.get("format") == CACHE_FORMAT and doc.get("key") == key and doc.get("stem") == stem
        files = {kind: folder / KINDS[kind] for kind in doc["files"]}
        ok = ok and "notebook" in files and all(file_sha256(files[k]) == sha for k, sha in doc["files"].items())
        ok = ok and ("results" not in files or _inputs_unchanged(files["results"]))
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        ok = False
    if not ok:
        shutil.rmtree(folder, ignore_errors=True)       # corrupt, partial or stale: never served
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / _ENTRY)                     # most recently used
    return Entry(folder=folder, files=files, record=doc["record"])


def store(stem: str, key: str, files: dict, record: dict) -> Path:
    """Store a successful run of ``stem``: ``files`` (kind of :data:`KINDS` -> path) and its run ``record``; written
    into a temporary folder, then renamed into place. Older entries beyond :data:`KEEP` are removed.

    >>> import tempfile
    >>> nb = Path(tempfile.mkdtemp()) / "x.ipynb"; _ = nb.write_text("{}")
    >>> os.environ["CITYEVAL_CACHE"] = tempfile.mkdtemp()
    >>> _ = store("00_x", "a" * 64, {"notebook": nb}, {"seconds": 1.0})
    >>> lookup("00_x", "a" * 64).record, os.environ.pop("CITYEVAL_CACHE") and None
    ({'seconds': 1.0}, None)
    """
    place = _entry_folder(stem, key)
    place.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=place.parent))
    try:
        sums = {}
        for kind, source in files.items():
            shutil.copyfile(source, tmp / KINDS[kind])
            sums[kind] = file_sha256(tmp / KINDS[kind])
        doc = {"format": CACHE_FORMAT, "stem": stem, "key": key, "files": sums, "record": record}
        (tmp / _ENTRY).write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        if place.exists():
            shutil.rmtree(place, ignore_errors=True)
        os.rename(tmp, place)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(place.parent)
    return place


def _prune(folder: Path) -> None:
    entries = []
    for e in folder.iterdir():
        if e.name.startswith("."):               # a store in progress (or killed): old ones are removed
            with contextlib.suppress(OSError):
                if e.stat().st_mtime < _now() - 3600:
                    shutil.rmtree(e, ignore_errors=True)
            continue
        with contextlib.suppress(OSError):
            entries.append(((e / _ENTRY).stat().st_mtime, e))
    for _, e in sorted(entries, reverse=True)[KEEP:]:
        shutil.rmtree(e, ignore_errors=True)


def _now() -> float:
    import time

    return time.time()
