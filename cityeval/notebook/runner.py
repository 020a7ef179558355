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
from cityeval.notebook._kernel import (PREFERRED_KERNEL, RunInterrupted, _Interrupts, _kernel_manager_class,
                                       _kernel_name, kernel_choice, kernel_command)
from cityeval.notebook._output import (LOCK_FILE, RUNS_FILE, _FolderLock, _output_session, _write_runs,
                                       list_notebooks, read_runs, write_index)
from cityeval.notebook.parameters import (PATH_PARAMETERS, check_data, check_names, check_parameters, check_values,
                                          notebook_parameters, resolve_paths)
from cityeval.notebook.results import NOTEBOOK_PATH_NAME, RUN_RESULTS_VARIABLE
from cityeval.progress import ENV as PROGRESS_VARIABLE, progress_enabled

__all__ = ["list_notebooks", "execute_notebook", "run_notebooks", "write_index", "read_runs", "kernel_command",
           "kernel_choice",
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


def _execute(path: Path, parameters: dict, staging: Path, *, kernel_name=None, interrupts=None,
             progress=None) -> tuple[Outcome, dict]:
    """Run one notebook into ``staging``; never raises for an error inside the notebook."""
    import papermill

    (staging / "notebooks").mkdir(parents=True, exist_ok=True)
    (staging / "results").mkdir(parents=True, exist_ok=True)
    executed = staging / "notebooks" / f"{path.stem}.ipynb"
    started = _dt.datetime.now(_dt.timezone.utc)
    env = {RUN_RESULTS_VARIABLE: str(staging / "results")}
    if progress:
        env[PROGRESS_VARIABLE] = "1"           # long simulations inside the kernel show their own bars
    km_class = _kernel_manager_class(interrupts, env, str(path.parent))
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
            interrupts.kernels.clear()
    outcome = Outcome(stem=path.stem, ok=not error, seconds=time.perf_counter() - start, error=error)
    record = {"notebook": str(path), "started": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
              "parameters": _effective(path, parameters),
              "data": {n: _data_folder(v) for n, v in _effective(path, parameters).items() if n in PATH_PARAMETERS}}
    return outcome, record


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


def _commit(outcome: Outcome, record: dict, staging: Path, out: Path, page: Path | None) -> None:
    """Move a finished notebook's files from ``staging`` into ``out`` and record it in ``runs.json`` and
    ``index.html``, all or nothing. A failed notebook's previous results file is removed.

    The notebook's entry is first recorded as ``committing``; its previous files are moved aside (into the
    staging folder), the new ones moved in, then the record and the index rewritten. If any step fails the
    new files are removed and the previous ones, the record and the index put back, so the folder is as it
    was; a run killed outright meanwhile leaves the ``committing`` entry, whose files the next run moves to
    ``stale/`` (:func:`cityeval.notebook._output._sweep_stale`).
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
                  folder=None) -> list[Outcome]:
    """Execute the chosen notebooks in order with progress lines; return their outcomes.

    ``parameters`` apply to every notebook that declares them; a name no chosen notebook declares
    is an error. ``data`` sets the ``data`` parameter of the notebooks that take one. ``folder``
    holds the notebooks (default ``notebooks/``; the benchmark points it at its floor notebooks).

    Raises
    ------
    CityevalError
        Before any kernel starts: a bad parameter, data folder or output folder, or a folder another run is using.
    RunInterrupted
        On SIGINT or SIGTERM (after stopping the kernel and removing the partial files).
    """
    # the signals are handled from the start, so Ctrl-C while the parameters are checked is one line too
    with _Interrupts(None) as interrupts:
        return _run(interrupts, only=only, parameters=parameters, data=data, out_dir=out_dir, stream=stream,
                    folder=folder)


def _run(interrupts, *, only, parameters, data, out_dir, stream, folder) -> list[Outcome]:
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
    for p in notebooks:  # every name, type and value checked before any kernel starts
        check_parameters(p, per_nb[p])
        check_values(p, per_nb[p])
    show_bar = progress_enabled()
    outcomes = []
    total = len(notebooks)
    with _output_session(out_dir, _inputs(per_nb)) as (out, staging):
        interrupts.out_dir = out
        # Each notebook's HTML page is rendered in a background thread while the next notebook's kernel
        # computes (rendering is CPU work in this process; the kernel is another process); a notebook is
        # committed (files moved into place, run record and index rewritten) once its page is done.
        pending = []
        renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cityeval-html")
        try:
            for i, p in enumerate(notebooks, 1):
                interrupts.stem = p.stem
                label = f"[{i}/{total}] {p.stem}"
                if not show_bar:
                    print(f"{label} ...", end="", file=stream, flush=True)
                bar = {"desc": label, "leave": False, "file": sys.stderr, "dynamic_ncols": True} if show_bar else None
                with interrupts.deferring():
                    o, record = _execute(p, per_nb[p], staging, interrupts=interrupts, progress=bar)
                if interrupts.signum is not None and not show_bar:
                    print(" interrupted", file=stream, flush=True)      # end the open line
                interrupts.check()
                print(f"{'' if not show_bar else label + ' ...'} {'ok' if o.ok else 'FAILED'} ({o.seconds:.1f} s)",
                      file=stream, flush=True)
                if not o.ok:
                    print(f"    {o.error}", file=stream, flush=True)
                outcomes.append(o)
                executed = staging / "notebooks" / f"{p.stem}.ipynb"
                job = renderer.submit(_render_html, executed) if executed.exists() else None
                pending.append((o, record, job))
                while pending and (pending[0][2] is None or pending[0][2].done()):
                    _collect(pending.pop(0), staging, out, stream, interrupts)
            interrupts.stem = ""
            while pending:
                _collect(pending.pop(0), staging, out, stream, interrupts)
        finally:
            renderer.shutdown(wait=True, cancel_futures=True)
    index = out / "index.html"
    failed = [o.stem for o in outcomes if not o.ok]
    print(f"{total - len(failed)} of {total} notebooks ran; index: {index}", file=stream)
    if failed:
        print(f"failed: {', '.join(failed)}", file=stream)
    return outcomes


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
