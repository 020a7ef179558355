"""Results files: the machine-readable key figures each notebook writes.

A results file is ``output/results/<notebook stem>.json``. It is deterministic
(sorted keys, no time stamps: two runs with the same parameters give the same
bytes), records the parameters, the package versions and the checksum of every
input file it names, and is written to a temporary name and moved into place,
so an interrupted run never leaves a half-written file.

Only ``python -m cityeval run`` writes into ``output/``: it names the folder a notebook's
results go to in the kernel's environment (:data:`RUN_RESULTS_VARIABLE`, a staging folder it
moves into ``output/results/`` when the notebook is done). A notebook run by hand (papermill
from the README, or JupyterLab) writes its results file to :func:`by_hand_dir` instead, a folder
private to the user in their cache folder (``~/.cache/cityeval/by-hand/``), and prints a note saying where,
in the notebook and on the terminal the kernel was started from.
"""
from __future__ import annotations

import dataclasses
import inspect
import json
import math
import os
import re
import stat
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval import paths
from cityeval.errors import CityevalError, DataError, OutputError, ParameterError
from cityeval.files import file_sha256
from cityeval.outputs import describe_os_error, write_text_atomic
from cityeval.validation import Shown, check_bool, check_choice

__all__ = ["record_results", "write_results", "results_dir", "by_hand_dir", "DATA_KINDS", "NOTEBOOK_PATH_NAME", "RUN_RESULTS_VARIABLE",
           "RUN_PLACE_VARIABLE", "package_versions", "to_jsonable"]

#: The environment variable through which ``python -m cityeval run`` tells a kernel where results go.
RUN_RESULTS_VARIABLE = "CITYEVAL_RUN_RESULTS"
#: The variable through which the runner tells a kernel where its results file ends up (``<out>/results``): the
#: kernel writes into the run's staging folder (:data:`RUN_RESULTS_VARIABLE`), whose name changes with every run,
#: and the runner moves the file there when the notebook is done. :func:`write_results` returns that place, so a
#: notebook printing it shows the same, lasting path on every run.
RUN_PLACE_VARIABLE = "CITYEVAL_RUN_RESULTS_PLACE"


def by_hand_dir() -> Path:
    """The folder a notebook run by hand writes its results file to: ``cityeval/by-hand`` in the user's cache
    folder (``$XDG_CACHE_HOME``, else ``~/.cache``), private to the user.

    Made on first use with mode 0700 (no other user can read it, nor plant a file or a link in it); an existing
    one must be a folder of the user's own, not a symbolic link, and is made private again.

    Raises
    ------
    OutputError
        The folder (or ``cityeval`` above it) is a symbolic link, not a folder, or another user's.

    >>> import os, stat, tempfile
    >>> os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()
    >>> folder = by_hand_dir()
    >>> folder.relative_to(os.environ.pop("XDG_CACHE_HOME")).as_posix(), oct(stat.S_IMODE(folder.stat().st_mode))
    ('cityeval/by-hand', '0o700')
    """
    cache = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(cache) if os.path.isabs(cache) else Path.home() / ".cache"   # a relative value is ignored (XDG)
    folder = base / "cityeval" / "by-hand"
    for part in (folder.parent, folder):
        try:
            part.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.lstat(part)
        except OSError as exc:
            raise OutputError(part, describe_os_error(OSError(exc.errno, exc.strerror)), errno=exc.errno) from None
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise OutputError(part, "the by-hand results folder is a symbolic link or not a folder; cityeval "
                              "writes through neither: remove it")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise OutputError(part, f"the by-hand results folder belongs to another user (uid {info.st_uid}); "
                              "remove it or set XDG_CACHE_HOME")
    os.chmod(folder, 0o700)
    return folder


def results_dir() -> tuple[Path, bool]:
    """Where a results file goes when no ``out_dir`` is given, and whether that is the runner's folder.

    Under ``python -m cityeval run``: the folder the runner named in :data:`RUN_RESULTS_VARIABLE`.
    By hand (no such variable): :func:`by_hand_dir`, private to the user, never ``output/``, which only the
    runner writes.

    >>> import os, tempfile
    >>> os.environ.pop(RUN_RESULTS_VARIABLE, None) and None
    >>> os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()
    >>> folder, by_runner = results_dir()
    >>> folder.parts[-2:], by_runner, os.environ.pop("XDG_CACHE_HOME") and None
    (('cityeval', 'by-hand'), False, None)
    """
    named = os.environ.get(RUN_RESULTS_VARIABLE)
    if named:
        return Path(named), True
    return by_hand_dir(), False


def _tell_terminal(text: str) -> None:
    """Write ``text`` to the terminal the kernel was started from as well (papermill's command line shows a
    kernel's output only with ``--log-output``): to the kernel process's own standard error, bypassing the copy
    ipykernel makes of it into the notebook (the note is printed there already)."""
    import sys

    data = (text + "\n").encode("utf-8", "replace")
    fd = getattr(sys.stderr, "_original_stdstream_copy", None)    # ipykernel watching fd 2: its copy of the terminal
    try:
        if isinstance(fd, int) and getattr(sys.stderr, "_should_watch", False):
            os.write(fd, data)
        elif sys.__stderr__ is not None and sys.__stderr__ is not sys.stderr and sys.__stderr__ is not sys.stdout:
            sys.__stderr__.write(text + "\n")
            sys.__stderr__.flush()
    except (OSError, ValueError):      # no terminal (closed, detached): the note in the notebook is enough
        pass


#: Packages whose versions every results file records.
RECORDED_PACKAGES = ("cityeval", "numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "seaborn")


def package_versions(names=RECORDED_PACKAGES) -> dict:
    """Installed versions of ``names`` (``None`` for a package that is not installed)."""
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def to_jsonable(obj):
    """Convert numpy/pandas scalars and containers to plain JSON types.

    Floats are kept at full precision; NaN and infinities become ``None``
    (JSON has no NaN), so a reader never parses a non-standard token. A named result
    (a dataclass or a named tuple) becomes an object keyed by its field names.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return {name: to_jsonable(v) for name, v in zip(obj._fields, obj)}
    if isinstance(obj, (dict, pd.Series)):
        out = {}
        for k, v in obj.items():
            if str(k) in out:   # {1: 2, "1": 3} would silently lose a value
                raise ParameterError("results", "keys that stay distinct as JSON strings", Shown(f"two keys {k!r}"))
            out[str(k)] = to_jsonable(v)
        return out
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        if not isinstance(obj.index, pd.RangeIndex) or obj.index.name is not None:
            # the records would lose the index: a city, a region... must be a column (reset_index) first
            raise ParameterError("results", "frames with their labels as columns (call reset_index(names=...))",
                                 Shown(f"a frame indexed by {obj.index.name or 'labels'}"))
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if not math.isfinite(f) else f
    if isinstance(obj, Path):
        return obj.as_posix()
    if obj is None or isinstance(obj, (str, int)):
        return obj
    raise ParameterError("results", "numbers, strings, lists, dicts, frames, named results", Shown(f"a {type(obj).__name__}"))


#: What the numbers of a results file are, by kind of data (recorded as ``data_kind``).
DATA_KINDS = {
    "published": "published: computed from the report's published tables only",
    "synthetic": ("synthetic: illustrative numbers computed on a synthetic panel calibrated to the published ranks; "
                  "they are not CCID's scores"),
    "example": "example: an invented teaching example; the numbers illustrate the method only",
    "user": "user data: computed on the dataset folder given as the data parameter (not synthetic)",
}


def write_results(stem: str, results: dict, *, parameters: dict, inputs=(), synthetic: bool | None = None,
                  kind: str | None = None, out_dir=None) -> Path:
    """Write ``<out_dir>/<stem>.json`` atomically and return its path.

    Parameters
    ----------
    stem : str
        The notebook's stem, e.g. ``"01_published_claims"``.
    results : dict
        The key figures. Converted with :func:`to_jsonable`.
    parameters : dict
        The notebook's parameters, recorded as given.
    inputs : iterable of path-like
        Input files; each is recorded with its SHA-256 (relative to the repository when inside it).
    synthetic : bool, optional
        Shorthand for ``kind``: True is ``"synthetic"``, False is ``"user"``.
    kind : {"published", "synthetic", "example", "user"}, optional
        What the numbers are computed on (:data:`DATA_KINDS`); recorded as ``data_kind`` with a
        sentence that says what the numbers are. Give ``kind`` or ``synthetic``.
    out_dir : path-like, optional
        Default :func:`results_dir`: the folder ``python -m cityeval run`` names; by hand, :func:`by_hand_dir`
        (a note printed says which), never ``output/``.

    Returns
    -------
    pathlib.Path
        The file written; under the runner (no ``out_dir``), the place it is moved to when the notebook is done
        (:data:`RUN_PLACE_VARIABLE`, ``<out>/results/<stem>.json``), the same on every run.
    """
    if kind is None and synthetic is not None:
        kind = "synthetic" if check_bool("synthetic", synthetic) else "user"
    check_choice("kind", kind, DATA_KINDS)
    if not isinstance(stem, str) or not re.fullmatch(r"[0-9A-Za-z][\w-]*", stem):
        raise ParameterError("stem", "a notebook stem such as '01_published_claims' (letters, digits, _ and -)", stem)
    by_hand, place_shown = False, None
    if out_dir is None:
        out_dir, by_runner = results_dir()
        by_hand = not by_runner
        if by_runner and os.environ.get(RUN_PLACE_VARIABLE):
            place_shown = Path(os.environ[RUN_PLACE_VARIABLE]) / f"{stem}.json"
    recorded_inputs = {}
    for p in inputs:
        p = Path(p).resolve()
        if not p.is_file():
            raise DataError(p, "an input file the results record names does not exist (or is not a file)")
        try:
            key = p.relative_to(paths.ROOT).as_posix()
        except ValueError:
            key = p.as_posix()
        recorded_inputs[key] = file_sha256(p)
    doc = {
        "notebook": stem,
        "data_kind": DATA_KINDS[kind],
        "parameters": to_jsonable(dict(parameters)),
        "inputs_sha256": dict(sorted(recorded_inputs.items())),
        "versions": package_versions(),
        "results": to_jsonable(results),
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
    place = Path(out_dir) / f"{stem}.json"
    if by_hand and os.path.islink(place):     # the private folder holds no link cityeval made: never write through it
        raise OutputError(place, "a symbolic link in the by-hand results folder; cityeval does not write through "
                          "it: remove it")
    target = write_text_atomic(place, text)
    if by_hand:
        note = (f"note: run by hand, so the results went to {target}, not output/results/ (only "
                f"`python -m cityeval run --only {stem.split('_', 1)[0]}` writes output/)")
        print(note)
        _tell_terminal(note)
    return place_shown or target


#: The variable papermill injects with the notebook's own path (``papermill --inject-input-path``;
#: the runner always injects it), from which :func:`record_results` learns the notebook.
NOTEBOOK_PATH_NAME = "PAPERMILL_INPUT_PATH"


def record_results(results: dict, *, panel=None, kind: str | None = None, inputs=(), namespace=None,
                   out_dir=None) -> Path:
    """Write the calling notebook's results file, taking its stem and parameters from the notebook itself.

    The notebook is the one papermill is executing: its path is the ``PAPERMILL_INPUT_PATH``
    variable papermill injects (``python -m cityeval run`` always does; plain papermill with
    ``--inject-input-path``), or JupyterLab's ``__session__`` when run by hand. Its parameters
    are the names its ``parameters`` cell declares, with the values they have now in the
    notebook's namespace (the defaults, or what papermill injected), so nothing is retyped.

    Parameters
    ----------
    results : dict
        The key figures (named results, frames, numbers ...; see :func:`to_jsonable`).
    panel : cityeval.notebook.panel.ScoredPanel, optional
        The scored panel the numbers come from: gives the kind (synthetic or user data) and
        its input files.
    kind : {"published", "synthetic", "example", "user"}, optional
        Required when there is no ``panel``.
    inputs : iterable of path-like
        Input files besides the panel's.
    namespace : dict, optional
        The notebook's global namespace; default: the caller's globals.

    Returns
    -------
    pathlib.Path
        The results file written.
    """
    from cityeval.notebook.parameters import parameter_names

    ns = namespace if namespace is not None else inspect.currentframe().f_back.f_globals
    path = ns.get(NOTEBOOK_PATH_NAME) or ns.get("__session__")
    if path and not Path(path).is_file() and not os.path.isabs(str(path)):
        # papermill injects the path as typed; its --cwd starts the kernel elsewhere, so a relative one is lost
        raise CityevalError(f"cannot find this notebook ({path}, the path papermill injected as typed) from the "
                            f"kernel's folder {os.getcwd()} (papermill --cwd): give papermill the notebook's absolute "
                            f"path, e.g. \"$PWD/{Path(str(path)).as_posix()}\", or leave out --cwd")
    if not path or not Path(path).is_file():
        raise ParameterError("the notebook's path", f"injected by papermill as {NOTEBOOK_PATH_NAME} (run it with "
                             "`python -m cityeval run`, or `papermill --inject-input-path`)", path)
    path = Path(path)
    declared = parameter_names(path)
    missing = [name for name in declared if name not in ns]
    if missing:
        raise ParameterError(f"parameters of notebook {path.stem}", "defined by its parameters cell before "
                             "record_results is called", Shown(f"{', '.join(missing)} undefined"))
    parameters = {name: ns[name] for name in declared}
    files = list(inputs)
    if panel is None and kind is None:
        raise ParameterError("kind", f"one of {', '.join(map(repr, DATA_KINDS))} when no panel is given", kind)
    if panel is not None and not (hasattr(panel, "synthetic") and hasattr(panel, "files")):
        raise ParameterError("panel", "a ScoredPanel (cityeval.notebook.panel.scored_panel)", Shown(type(panel).__name__))
    if panel is not None:
        if kind is not None:
            raise ParameterError("kind", "left out when a panel is given (the panel says whether it is synthetic)",
                                 kind)
        kind = "synthetic" if panel.synthetic else "user"
        files = list(panel.files) + [f for f in files if f not in panel.files]
    return write_results(path.stem, results, parameters=parameters, inputs=files, kind=kind, out_dir=out_dir)
