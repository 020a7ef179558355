"""Execute the notebooks: ``python -m cityeval run`` (what ``make run`` calls).

Every notebook in ``notebooks/`` is executed with papermill into
``output/notebooks/<stem>.ipynb``, rendered to ``output/notebooks/<stem>.html``,
and listed in ``output/index.html``. Parameters are checked against each
notebook's ``parameters`` cell before a kernel starts. A notebook that fails is
reported by name with the failing cell's error; the others still run, and the
exit status is non-zero.

What a run leaves in its output folder is always consistent:

- **The run record** ``output/runs.json`` (:data:`RUNS_FILE`) has one entry per notebook ever run
  into the folder: when its latest run started, how long it took, the parameter values and data
  folders it ran with, whether it succeeded (and the error if not), its summary, its page and
  results file. ``index.html`` is built from it and lists every notebook (one never run says so);
  ``--only`` replaces only its notebooks' entries. Both files are rewritten atomically after each
  notebook, so the index never names results it does not describe.
- **Staging**: a kernel writes its results file into a hidden staging folder
  (``output/.run-XXXX/``, named to the kernel in :data:`cityeval.notebook.results.RUN_RESULTS_VARIABLE`);
  the executed notebook, its page and its results are moved into place together when the
  notebook is done. A notebook whose latest run failed has **no** ``results/<stem>.json``: the
  previous run's file is removed, so no results file looks current when it is not.
- **Interrupts**: Ctrl-C (SIGINT) or SIGTERM stops the running kernel, removes the staging
  folder and raises :class:`RunInterrupted` (the command line prints one line and exits 130 or
  143); notebooks finished before the interrupt keep their new entries, the others their old.
- **One run per folder**: the folder is locked (``fcntl.flock`` on ``output/.lock``, removed at the
  end, released by the system even when the run is killed); a second run into it is refused.
- **Paths** are resolved once at the start (``--out relout`` means relative to where the command
  runs); the kernel starts in the notebooks' folder while the runner never changes its own.

- **The cache** (:mod:`cityeval.notebook._cache`, under ``$CITYEVAL_CACHE``): a notebook whose source,
  parameters, input folders and files, and library are those of an earlier successful run is served from it (its
  executed copy, page and results file, byte for byte) instead of executed; ``runs.json`` and the index say
  ``cached``. ``--force`` executes every notebook.
- **Parallel**: ``-j N`` executes N notebooks at once (default: the machine's cores), each page rendered as its
  notebook finishes; the files written are those of a sequential run, and a progress line is printed, whole, as
  each notebook finishes.

This module runs the notebooks; the output folder (its check, lock, run record and index) is in
:mod:`cityeval.notebook._output`, the kernel and the signals that stop it in :mod:`cityeval.notebook._kernel`.
Both are private: their public names are imported from here.
"""
from __future__ import annotations

import ast
import contextlib
import datetime as _dt
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cityeval import paths
from cityeval.errors import CityevalError, ParameterError
from cityeval.outputs import write_bytes_atomic, write_text_atomic
from cityeval.validation import Shown
# the public names of the two private modules are re-exported from here (and _FolderLock, which tests use)
from cityeval.notebook._kernel import (HEADLESS_VARIABLE, PREFERRED_KERNEL, RunInterrupted, _Interrupts,
                                       _kernel_manager_class, _kernel_name, kernel_choice, kernel_command)
from cityeval.notebook._output import (LOCK_FILE, RUNS_FILE, _FolderLock, _output_session, _write_runs,
                                       list_notebooks, read_runs, write_index)
from cityeval.notebook.parameters import (PATH_PARAMETERS, check_data, check_names, check_parameters, check_values,
                                          notebook_parameters, resolve_paths)
from cityeval.notebook.results import NOTEBOOK_PATH_NAME, RUN_PLACE_VARIABLE, RUN_RESULTS_VARIABLE
from cityeval.progress import ENV as PROGRESS_VARIABLE, progress_enabled

__all__ = ["list_notebooks", "execute_notebook", "run_notebooks", "write_index", "read_runs", "kernel_command",
           "kernel_environment", "kernel_threads", "kernel_choice",
           "Outcome", "RunInterrupted", "RUNS_FILE", "LOCK_FILE"]


@dataclass
class Outcome:
    stem: str
    ok: bool
    seconds: float
    error: str = ""
    summary: str = ""
    html: Path | None = None
    extra: dict = field(default_factory=dict)


def _failure_text(exc) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    where = f" (cell [{cell}])" if cell is not None else ""
    return f"{ename}: {evalue}{where}"


# ----------------------------------------------------------------------------- one notebook
def _effective(path: Path, given: dict) -> dict:
    """Every parameter value the notebook runs with: ``given``, else its default."""
    values = {}
    for name, info in notebook_parameters(path).items():
        if name in given:
            values[name] = given[name]
            continue
        try:
            values[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            values[name] = info["default"]
    return values


def kernel_environment() -> dict:
    """The variables every kernel the runner starts gets on top of the runner's own environment (besides the
    run's results folders): :data:`~cityeval.notebook._kernel.HEADLESS_VARIABLE`, since no front end is attached.

    >>> kernel_environment()
    {'CITYEVAL_HEADLESS': '1'}
    """
    return {HEADLESS_VARIABLE: "1"}


#: The thread counts of the numerical libraries (OpenMP, OpenBLAS, MKL, BLIS) a kernel reads when it starts.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def kernel_threads(jobs: int, n_notebooks: int, cores: int | None = None, environ=None) -> dict:
    """The thread counts of the kernels of notebooks run ``jobs`` at a time: each its share of the machine's cores
    when several run at once (each library would otherwise start a thread per core in every kernel, and on 2 cores
    the second threads only compete: a cold ``make run -j 2`` took 71.3 s with them and 64.5 s without, results
    byte-identical; issue 16); nothing when one runs at a time. A variable set in ``environ`` (the runner's
    environment, :data:`os.environ` by default: the user's choice) is kept as set.

    >>> kernel_threads(2, 11, cores=2, environ={})["OMP_NUM_THREADS"], kernel_threads(2, 11, cores=8, environ={})["MKL_NUM_THREADS"]
    ('1', '4')
    >>> sorted(kernel_threads(2, 11, cores=2, environ={"OMP_NUM_THREADS": "2"}))
    ['BLIS_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS']
    >>> kernel_threads(1, 11, cores=2), kernel_threads(4, 1, cores=2)
    ({}, {})
    """
    at_once = min(jobs, n_notebooks)
    if at_once <= 1:
        return {}
    share = str(max(1, (cores or os.cpu_count() or 1) // at_once))
    environ = os.environ if environ is None else environ
    return {name: share for name in THREAD_VARIABLES if name not in environ}


def _execute(path: Path, parameters: dict, staging: Path, *, kernel_name=None, interrupts=None,
             progress=None, place=None, threads=None) -> tuple[Outcome, dict]:
    """Run one notebook into ``staging``; never raises for an error inside the notebook."""
    import papermill

    (staging / "notebooks").mkdir(parents=True, exist_ok=True)
    (staging / "results").mkdir(parents=True, exist_ok=True)
    executed = staging / "notebooks" / f"{path.stem}.ipynb"
    started = _dt.datetime.now(_dt.timezone.utc)
    env = {**kernel_environment(), RUN_RESULTS_VARIABLE: str(staging / "results"),
           RUN_PLACE_VARIABLE: str(place or staging.parent / "results"), **(threads or {})}
    if progress:
        env[PROGRESS_VARIABLE] = "1"           # long simulations inside the kernel show their own bars
    owned = set()                              # this notebook's kernel (others may run beside it: run -j)
    km_class = _kernel_manager_class(interrupts, env, str(path.parent), owned)
    start = time.perf_counter()
    error = ""
    try:
        injected = {**parameters, NOTEBOOK_PATH_NAME: str(path)}  # record_results reads it
        papermill.execute_notebook(str(path), str(executed), parameters=injected,
                                   kernel_name=kernel_name or _kernel_name(), progress_bar=progress or False,
                                   log_output=False, kernel_manager_class=km_class,
                                   # the kernel's own log would break the progress lines: a TCP-transport notice at
                                   # start, and "KeyboardInterrupt caught in kernel" (logged as an ERROR) when the
                                   # SIGINT jupyter_client sends before every shutdown lands while the kernel is
                                   # busy. A cell's error reaches the runner through papermill, not this log.
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except Exception as exc:  # the notebook's own error: report it, keep going
        error = _failure_text(exc)
    finally:
        if interrupts is not None:
            interrupts.kernels.difference_update(owned)
    _steady_ids(executed)
    outcome = Outcome(stem=path.stem, ok=not error, seconds=time.perf_counter() - start, error=error)
    record = {"notebook": str(path), "started": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
              "parameters": _effective(path, parameters),
              "data": {n: _data_folder(v) for n, v in _effective(path, parameters).items() if n in PATH_PARAMETERS}}
    return outcome, record


#: The id given to the cell papermill injects (it draws a random one, which would make every page differ).
INJECTED_CELL_ID = "injected-parameters"


def _steady_ids(executed: Path) -> None:
    """Give the cell papermill injected the id :data:`INJECTED_CELL_ID` (papermill draws a random one, written into
    the page as the cell's HTML id), so two runs on the same inputs render the same page."""
    import nbformat

    try:
        nb = nbformat.reads(executed.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)
    except (OSError, ValueError):
        return
    changed = False
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []) and cell.get("id") != INJECTED_CELL_ID:
            cell["id"], changed = INJECTED_CELL_ID, True
    if changed:
        write_text_atomic(executed, nbformat.writes(nb))


def _data_folder(value) -> str:
    """A folder parameter as the notebook reads it: a relative default (notebook 00's ``data/examples/toy``) is
    relative to :data:`cityeval.paths.ROOT`; empty means the embedded data."""
    if isinstance(value, str) and value and not os.path.isabs(value):
        return str(paths.ROOT / value)
    return value


def _summary_of(results_file: Path, path: Path) -> str:
    if results_file.exists():
        try:
            summary = json.loads(results_file.read_text(encoding="utf-8"))["results"].get("summary")
            if summary:
                return str(summary)
        except (ValueError, KeyError, AttributeError):
            pass
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            first = "".join(cell["source"]).strip().splitlines()[0]
            return first.lstrip("# ").strip()
    return path.stem


def _commit(outcome: Outcome, record: dict, staging: Path, out: Path, page: Path | None, *,
            index: bool = True) -> None:
    """Move a finished notebook's files from ``staging`` into ``out`` and record it in ``runs.json`` and
    ``index.html``, all or nothing. A failed notebook's previous results file is removed.

    The notebook's entry is first recorded as ``committing``; its previous files are moved aside (into the
    staging folder), the new ones moved in, then the record and the index rewritten. If any step fails the
    new files are removed and the previous ones, the record and the index put back, so the folder is as it
    was; a run killed outright meanwhile leaves the ``committing`` entry, whose files the next run moves to
    ``stale/`` (:func:`cityeval.notebook._output._sweep_stale`). ``index=False`` leaves ``index.html`` to the caller
    (a run serving several notebooks from the cache writes it once).
    """
    stem = outcome.stem
    staged_nb, staged_res = staging / "notebooks" / f"{stem}.ipynb", staging / "results" / f"{stem}.json"
    target_nb, target_res = out / "notebooks" / f"{stem}.ipynb", out / "results" / f"{stem}.json"
    target_page = out / "notebooks" / f"{stem}.html"
    if not outcome.ok:
        outcome.summary = f"FAILED: {outcome.error}"
    else:
        outcome.summary = _summary_of(staged_res, Path(record["notebook"]))
    new = {target_nb: staged_nb if staged_nb.exists() and staged_nb.stat().st_size else None,
           target_res: staged_res if outcome.ok and staged_res.exists() else None,   # failed: no results file
           target_page: page if page is not None and page.exists() else None}
    runs = read_runs(out)
    saved = {name: (out / name).read_bytes() if (out / name).exists() else None for name in (RUNS_FILE, "index.html")}
    aside = staging / f".previous-{stem}"
    moved_aside, moved_in = [], []
    missing = [folder for folder in (out / "notebooks", out / "results") if not folder.exists()]
    try:
        _write_runs(out, {**runs, stem: {**record, "status": "committing"}})
        aside.mkdir()
        for target in new:
            if os.path.lexists(target):
                os.replace(target, aside / target.name)
                moved_aside.append(target)
        for target, source in new.items():
            if source is not None:
                target.parent.mkdir(exist_ok=True)
                os.replace(source, target)
                moved_in.append(target)
        outcome.html = target_page if new[target_page] is not None else None
        runs[stem] = {**record, "status": "ok" if outcome.ok else "failed", "seconds": round(outcome.seconds, 1),
                      "error": outcome.error, "summary": outcome.summary,
                      "page": f"notebooks/{stem}.html" if outcome.html else None,
                      "results": f"results/{stem}.json" if new[target_res] is not None else None}
        _write_runs(out, runs)
        if index:
            write_index(out_dir=out)
    except BaseException:
        outcome.html = None
        for target in moved_in:
            with contextlib.suppress(OSError):
                target.unlink()
        for target in moved_aside:
            with contextlib.suppress(OSError):
                os.replace(aside / target.name, target)
        for name, content in saved.items():
            with contextlib.suppress(OSError, CityevalError):
                if content is None:
                    (out / name).unlink(missing_ok=True)
                elif not (out / name).exists() or (out / name).read_bytes() != content:
                    write_bytes_atomic(out / name, content)
        for folder in missing:
            with contextlib.suppress(OSError):
                folder.rmdir()                     # created for this commit, and empty again
        raise
    shutil.rmtree(aside, ignore_errors=True)


def execute_notebook(path, *, parameters=None, out_dir=None, render_html=True, kernel_name=None) -> Outcome:
    """Execute one notebook with papermill; never raises for an error inside the notebook.

    The executed copy goes to ``<out_dir>/notebooks/<stem>.ipynb``, its HTML beside it, the results file
    the notebook records to ``<out_dir>/results/<stem>.json``, all moved into place together when the
    notebook is done; ``runs.json`` and ``index.html`` are updated. The folder is locked meanwhile.
    """
    path = Path(path).resolve()
    parameters = check_parameters(path, resolve_paths(parameters or {}))
    check_values(path, parameters)
    with _output_session(out_dir, _inputs({path: parameters})) as (out, staging):
        outcome, record = _execute(path, parameters, staging, kernel_name=kernel_name)
        page = None
        executed = staging / "notebooks" / f"{path.stem}.ipynb"
        if render_html and executed.exists():
            page = _render_html(executed)
        _commit(outcome, record, staging, out, page)
    return outcome


def _render_html(ipynb: Path) -> Path:
    """Render the executed notebook ``ipynb`` to its page beside it (:func:`cityeval.notebook.pages.render_notebook`:
    self-contained, formulas typeset, code hidden behind a toggle, in the notebook's language)."""
    from cityeval.notebook.pages import render_notebook

    return write_text_atomic(ipynb.with_suffix(".html"), render_notebook(ipynb))


def _inputs(per_notebook: dict) -> dict:
    """The input folders a run reads (what -> folder): the notebooks' folder(s), every folder parameter of
    every chosen notebook as it runs, given or by default (``{path: given parameters}``), and always the embedded
    ``data/`` folder (every notebook reads its reference tables: city names, the framework's labels).

    >>> found = _inputs({paths.NOTEBOOKS / "00_method_walkthrough.ipynb": {}})
    >>> sorted(found), found["the data folder"] == paths.DATA / "examples" / "lesson"
    (['the data folder', 'the embedded data folder', 'the notebooks folder'], True)
    """
    found = {"the notebooks folder": p.parent for p in per_notebook}
    for p, given in per_notebook.items():
        for name, value in _effective(p, given).items():
            if name not in PATH_PARAMETERS or not isinstance(value, (str, Path)):
                continue
            what, folder = (f"the {name} folder", Path(_data_folder(str(value)))) if str(value) else \
                ("the embedded data folder", paths.DATA)
            if found.setdefault(what, folder) != folder:          # another notebook's default differs
                found[f"{what} of {p.stem}"] = folder
    found.setdefault("the embedded data folder", paths.DATA)   # last: a folder inside it is named first
    return found


# ----------------------------------------------------------------------------- a run
def run_notebooks(*, only=None, parameters=None, data=None, out_dir=None, stream=sys.stdout,
                  folder=None, jobs=None, force=False, cache=True) -> list[Outcome]:
    """Execute the chosen notebooks with progress lines, ``jobs`` at a time; return their outcomes in notebook order.

    ``parameters`` apply to every notebook that declares them; a name no chosen notebook declares
    is an error. ``data`` sets the ``data`` parameter of the notebooks that take one. ``folder``
    holds the notebooks (default ``notebooks/``; the benchmark points it at its floor notebooks).

    A notebook whose inputs have not changed since a successful run is served from the cache
    (:mod:`cityeval.notebook._cache`: the key is its source, its parameters, the checksums of the folders it reads
    and the library's own source) instead of executed: its executed copy, page and results file are those of that
    run, byte for byte, and its entry in ``runs.json`` (and the index) says ``cached``. ``force`` executes every
    notebook (and refreshes the cache); ``cache=False`` neither reads nor writes it. With
    ``CITYEVAL_FIGURE_TEXTS`` set every notebook is executed (the recorder needs the figures drawn).

    ``jobs`` notebooks run at once (default :func:`os.cpu_count`), each page rendered as soon as its notebook is
    done; every file written is the same as with ``jobs=1``; a progress line is printed, whole, as each notebook
    finishes (``[k/total]`` counts the finished ones).

    Raises
    ------
    CityevalError
        Before any kernel starts: a bad parameter, data folder or output folder, or a folder another run is using.
    RunInterrupted
        On SIGINT or SIGTERM (after stopping the kernels and removing the partial files).
    """
    jobs = _check_jobs(jobs)
    # the signals are handled from the start, so Ctrl-C while the parameters are checked is one line too
    with _Interrupts(None) as interrupts:
        return _run(interrupts, only=only, parameters=parameters, data=data, out_dir=out_dir, stream=stream,
                    folder=folder, jobs=jobs, force=force, cache=cache)


def _check_jobs(jobs) -> int:
    """``jobs`` checked: a whole number >= 1; ``None`` is the machine's cores.

    >>> _check_jobs(2), _check_jobs(None) >= 1
    (2, True)
    >>> _check_jobs(0)
    Traceback (most recent call last):
    cityeval.errors.ParameterError: -j/--jobs should be a whole number of notebooks run at once, at least 1, but its value is 0.
    """
    if jobs is None:
        return max(1, os.cpu_count() or 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError("-j/--jobs", "a whole number of notebooks run at once, at least 1", jobs)
    return jobs


def _notebook_folders(path: Path, values: dict) -> list[Path]:
    """The folders a notebook reads with every parameter value ``values``: each folder parameter's, and always
    the embedded ``data/`` folder."""
    found = [paths.DATA]
    for name, value in values.items():
        if name in PATH_PARAMETERS and isinstance(value, (str, Path)) and str(value):
            found.append(Path(_data_folder(str(value))))
    return found


def _served(p: Path, entry, staging: Path, key: str) -> tuple[Outcome, dict, Path | None]:
    """A cache entry copied into ``staging`` as if the notebook had just run: (outcome, record, page)."""
    staged = {"notebook": staging / "notebooks" / f"{p.stem}.ipynb", "page": staging / "notebooks" / f"{p.stem}.html",
              "results": staging / "results" / f"{p.stem}.json"}
    for kind, source in entry.files.items():
        staged[kind].parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, staged[kind])
    record = {**entry.record, "notebook": str(p), "cached": True, "key": key}
    outcome = Outcome(stem=p.stem, ok=True, seconds=float(entry.record.get("seconds", 0.0)), extra={"cached": True})
    return outcome, record, staged["page"] if "page" in entry.files else None


def _run(interrupts, *, only, parameters, data, out_dir, stream, folder, jobs, force, cache) -> list[Outcome]:
    from cityeval.notebook import _cache

    notebooks = [p.resolve() for p in list_notebooks(only, folder)]
    if not notebooks:
        raise CityevalError(f"no notebooks found in {folder or paths.NOTEBOOKS}")
    parameters = resolve_paths(parameters or {})
    if data is not None:
        if "data" in parameters:
            raise ParameterError("--data", "given once: either --data or -p data, not both",
                                 f"{data} and {parameters['data']}")
        data_folder = Path(data).resolve()
        check_data(data_folder)
        parameters["data"] = str(data_folder)
    declared = {p: notebook_parameters(p) for p in notebooks}
    if data is not None and not any("data" in d for d in declared.values()):
        takers = ", ".join(p.stem for p in list_notebooks(None, folder) if "data" in notebook_parameters(p))
        raise ParameterError("--data", f"given only with a notebook that takes a data folder ({takers})",
                             Shown(f"{data}, with --only {', '.join(p.stem for p in notebooks)}"))
    check_names(notebooks, parameters, list_notebooks(None, folder))
    per_nb = {p: {k: v for k, v in parameters.items() if k in declared[p]} for p in notebooks}
    for p in notebooks:  # every name and type checked before any kernel starts
        check_parameters(p, per_nb[p])
    # The cache: a notebook whose key has a valid entry is served; the others are executed. Its values were checked
    # (by the same library on the same inputs) when the entry was made, so only the others' are checked here.
    from cityeval.notebook.style import FIGURE_TEXTS_VARIABLE

    use_cache = cache and not os.environ.get(FIGURE_TEXTS_VARIABLE)
    keys, hits = {}, {}
    if cache:
        environment, digests = _cache.environment_digest(kernel_command()), {}
        for p in notebooks:
            values = _effective(p, per_nb[p])
            keys[p] = _cache.notebook_key(p, values, _notebook_folders(p, values), environment, digests)
            entry = _cache.lookup(p.stem, keys[p]) if use_cache and not force else None
            if entry is not None:
                hits[p] = entry
    misses = [p for p in notebooks if p not in hits]
    for p in misses:    # every value checked before any kernel starts
        check_values(p, per_nb[p])
    show_bar = progress_enabled() and jobs == 1
    outcomes = {}
    total, done = len(notebooks), 0
    with _output_session(out_dir, _inputs(per_nb)) as (out, staging):
        interrupts.out_dir = out
        record_before = (out / RUNS_FILE).read_bytes() if (out / RUNS_FILE).is_file() else None
        for p in notebooks:
            if p in hits:
                o, record, page = _served(p, hits[p], staging, keys[p])
                with interrupts.deferring():
                    _commit(o, record, staging, out, page, index=False)
                interrupts.check()
                done += 1
                outcomes[p] = o
                print(f"[{done}/{total}] {p.stem} ... cached (ran {record.get('started', '?')}, {o.seconds:.1f} s)",
                      file=stream, flush=True)
        unchanged = record_before is not None and (out / "index.html").is_file() and \
            (out / RUNS_FILE).read_bytes() == record_before
        if hits and not unchanged:          # a rerun that changes nothing leaves the index as it is
            with interrupts.deferring():
                write_index(out_dir=out)
            interrupts.check()
        if jobs > 1 and len(misses) > 1:
            with interrupts.deferring():
                _prepare_ensembles(misses, per_nb, stream)
            interrupts.check()
        done = _execute_all(misses, per_nb, staging, out, stream, interrupts, jobs=jobs, show_bar=show_bar,
                            keys=keys, cache=cache, outcomes=outcomes, done=done, total=total)
    index = out / "index.html"
    ordered = [outcomes[p] for p in notebooks if p in outcomes]
    failed = [o.stem for o in ordered if not o.ok]
    cached = sum(1 for o in ordered if o.extra.get("cached"))
    print(f"{total - len(failed)} of {total} notebooks ran" + (f" ({cached} from the cache)" if cached else "") +
          f"; index: {index}", file=stream)
    if failed:
        print(f"failed: {', '.join(failed)}", file=stream)
    return ordered


def _prepare_ensembles(notebooks, per_nb, stream) -> None:
    """Generate, in this process and before any kernel starts, the ensemble members the notebooks will read
    (:func:`cityeval.ccid2022.ensemble.member_folders`, cached): notebooks run at once would otherwise generate the
    same missing member at the same time and collide in its folder."""
    from cityeval.ccid2022 import ensemble
    from cityeval.notebook.spread import _is_default

    wanted = {}
    for p in notebooks:
        values = _effective(p, per_nb[p])
        size, seed = values.get("ensemble_size"), values.get("ensemble_seed", ensemble.DEFAULT_SEED)
        if isinstance(size, int) and size > 0 and isinstance(seed, int) and _is_default(values.get("data", "")):
            wanted[seed] = max(wanted.get(seed, 0), size)
    for seed, size in sorted(wanted.items()):
        t0 = time.perf_counter()
        ensemble.member_folders(size, seed)
        if time.perf_counter() - t0 > 1.0:
            print(f"ensemble of {size} synthetic panels (seed {seed}) prepared ({time.perf_counter() - t0:.1f} s)",
                  file=stream, flush=True)


def _execute_all(notebooks, per_nb, staging, out, stream, interrupts, *, jobs, show_bar, keys, cache, outcomes,
                 done, total) -> int:
    """Execute ``notebooks`` ``jobs`` at a time (threads: each kernel is its own process); render each page in a
    second pool as soon as its notebook is done (so with ``jobs=1`` a page renders while the next notebook runs);
    commit each notebook, in the main thread, once its page is done; store each success in the cache."""
    import concurrent.futures as cf

    if not notebooks:
        return done
    threads = kernel_threads(jobs, len(notebooks))
    runner_pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="cityeval-kernel")
    renderer = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="cityeval-html")
    cache_note = []

    active = []

    def execute(p):
        if interrupts.signum is not None:
            return None
        active.append(p.stem)
        interrupts.stem = ", ".join(active)       # the interrupt's message names the notebooks running
        bar = {"desc": p.stem, "leave": False, "file": sys.stderr, "dynamic_ncols": True} if show_bar else None
        try:
            o, record = _execute(p, per_nb[p], staging, interrupts=interrupts, progress=bar, threads=threads)
        finally:
            active.remove(p.stem)
            interrupts.stem = ", ".join(active)
        return o, {**record, "cached": False, "key": keys.get(p)}

    running = {runner_pool.submit(execute, p): p for p in notebooks}
    rendering = {}
    try:
        while running or rendering:
            with interrupts.deferring():
                finished, _ = cf.wait(list(running) + list(rendering), timeout=0.2, return_when=cf.FIRST_COMPLETED)
            if interrupts.signum is not None:        # end the run's output with a line saying what was stopped
                print(f"{interrupts.stopped or 'the run'} ... interrupted", file=stream, flush=True)
            interrupts.check()
            for fut in finished:
                if fut in running:
                    p = running.pop(fut)
                    result = fut.result()
                    if result is None:
                        continue
                    o, record = result
                    done += 1
                    print(f"[{done}/{total}] {p.stem} ... {'ok' if o.ok else 'FAILED'} ({o.seconds:.1f} s)",
                          file=stream, flush=True)
                    if not o.ok:
                        print(f"    {o.error}", file=stream, flush=True)
                    outcomes[p] = o
                    executed = staging / "notebooks" / f"{p.stem}.ipynb"
                    job = renderer.submit(_render_html, executed) if executed.exists() else None
                    if job is None:
                        _collect((o, record, None), staging, out, stream, interrupts)
                    else:
                        rendering[job] = (p, o, record)
                else:
                    p, o, record = rendering.pop(fut)
                    _collect((o, record, fut), staging, out, stream, interrupts)
                    if o.ok and cache and p in keys:
                        _store(p, keys[p], out, record, o, cache_note, stream)
    finally:
        interrupts.stop_kernels() if interrupts.signum is not None else None
        runner_pool.shutdown(wait=True, cancel_futures=True)
        renderer.shutdown(wait=True, cancel_futures=True)
    return done


def _store(p, key, out, record, o, note, stream) -> None:
    """Put a notebook just committed into the cache; a cache that cannot be written is said once, not fatal."""
    from cityeval.notebook import _cache

    files = {"notebook": out / "notebooks" / f"{p.stem}.ipynb", "page": out / "notebooks" / f"{p.stem}.html",
             "results": out / "results" / f"{p.stem}.json"}
    files = {k: v for k, v in files.items() if v.is_file()}
    kept = {k: v for k, v in record.items() if k not in ("cached", "key", "notebook")}
    try:
        _cache.store(p.stem, key, files, {**kept, "seconds": round(o.seconds, 1)})
    except OSError as exc:
        if not note:
            note.append(exc)
            print(f"note: the notebook cache was not written ({_cache.cache_folder()}: {exc.strerror or exc}); "
                  "set CITYEVAL_CACHE to a writable folder", file=stream, flush=True)


def _collect(item, staging, out, stream, interrupts) -> None:
    o, record, job = item
    page = None
    if job is not None:
        try:
            page = job.result()
        except Exception as exc:  # a page that cannot be rendered fails the run, by name
            why = f"HTML page not rendered: {type(exc).__name__}: {exc}"
            o.error = f"{o.error}; {why}" if not o.ok else why      # keep the notebook's own error
            o.ok = False
            print(f"{o.stem}: {why}", file=stream, flush=True)
    with interrupts.deferring():
        _commit(o, record, staging, out, page)
    interrupts.check()
