"""Execute the notebooks: ``python -m cityeval run`` (what ``make run`` calls).

Every notebook in ``notebooks/`` is executed with papermill into
``output/notebooks/<stem>.ipynb``, rendered to ``output/notebooks/<stem>.html``,
and listed in ``output/index.html`` with the one-line summary its results file
(``output/results/<stem>.json``) gives. Parameters are checked against each
notebook's ``parameters`` cell before a kernel starts. A notebook that fails is
reported by name with the failing cell's error; the others still run, and the
exit status is non-zero.
"""
from __future__ import annotations

import difflib
import html
import json
import logging
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cityeval import paths
from cityeval.errors import CityevalError, ParameterError
from cityeval.files import write_text_atomic
from cityeval.notebook.results import NOTEBOOK_PATH_NAME
from cityeval.notebook.parameters import (check_data, check_parameters, check_values, notebook_parameters,
                                          resolve_paths)

__all__ = ["list_notebooks", "execute_notebook", "run_notebooks", "write_index", "kernel_command", "Outcome"]

class _QuietInjection(logging.Filter):
    """Drops papermill's "Passed unknown parameter: PAPERMILL_INPUT_PATH": the runner injects that name on
    purpose (papermill's own ``--inject-input-path`` does the same), so the warning would only be noise."""

    def filter(self, record):
        return NOTEBOOK_PATH_NAME not in record.getMessage()


logging.getLogger("papermill").addFilter(_QuietInjection())

#: The kernel ``make`` installs inside .venv; ``python3`` (this interpreter's own) when it is absent.
PREFERRED_KERNEL = "cityeval"


@dataclass
class Outcome:
    stem: str
    ok: bool
    seconds: float
    error: str = ""
    summary: str = ""
    html: Path | None = None
    extra: dict = field(default_factory=dict)


def list_notebooks(only=None, folder=None) -> list[Path]:
    """Notebooks in ``folder`` (default ``notebooks/``) in name order; ``only`` filters by stem or prefix."""
    folder = Path(folder) if folder is not None else paths.NOTEBOOKS
    found = sorted(folder.glob("[0-9]*.ipynb"))
    if not only:
        return found
    chosen = []
    for name in only:
        match = [p for p in found if p.stem == name or p.stem.startswith(f"{name}_") or p.stem.split("_", 1)[0] == name]
        if not match:
            raise ParameterError("--only", f"a notebook stem or number among {', '.join(p.stem for p in found)}", name)
        chosen.extend(m for m in match if m not in chosen)
    return sorted(chosen)


def _failure_text(exc) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    where = f" (cell [{cell}])" if cell is not None else ""
    return f"{ename}: {evalue}{where}"


def _runs_this_interpreter(argv) -> bool:
    """Whether a kernel command starts this Python (a generic ``python`` is replaced by jupyter_client with
    ``sys.executable``); paths are compared unresolved, since venvs symlink one shared binary."""
    first = argv[0] if argv else ""
    return first in ("python", "python3") or os.path.abspath(first) == os.path.abspath(sys.executable)


def _kernel_name() -> str:
    """The kernel to run notebooks in: ``cityeval`` (installed by ``make`` inside .venv) when it starts this
    interpreter, else ``python3``, this interpreter's own. A ``cityeval`` kernel of another environment
    (a user's other venv, or ``~/.local/share/jupyter``) is passed over: it would import another copy
    of cityeval."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            spec = KernelSpecManager().get_kernel_spec(PREFERRED_KERNEL)
        except NoSuchKernel:
            return "python3"
        if _runs_this_interpreter(spec.argv):
            return PREFERRED_KERNEL
    except ImportError:  # pragma: no cover - jupyter_client missing is an install error shown elsewhere
        pass
    return "python3"


def kernel_command() -> list[str]:
    """The command line of the kernel :func:`execute_notebook` starts (``python`` resolved as jupyter_client does)."""
    from jupyter_client.kernelspec import KernelSpecManager

    argv = list(KernelSpecManager().get_kernel_spec(_kernel_name()).argv)
    if argv and argv[0] in ("python", "python3"):
        argv[0] = sys.executable
    return argv


def execute_notebook(path, *, parameters=None, out_dir=None, render_html=True, kernel_name=None) -> Outcome:
    """Execute one notebook with papermill; never raises for an error inside the notebook.

    The executed copy goes to ``<out_dir>/notebooks/<stem>.ipynb`` (moved into place only when
    complete), its HTML beside it; the notebook writes ``<out_dir>/results/<stem>.json`` itself
    (``CITYEVAL_OUTPUT`` is set to ``out_dir`` for the kernel).
    """
    import papermill

    path = Path(path)
    out_dir = Path(out_dir) if out_dir is not None else paths.output_dir()
    nb_dir = out_dir / "notebooks"
    nb_dir.mkdir(parents=True, exist_ok=True)
    target = nb_dir / f"{path.stem}.ipynb"
    parameters = check_parameters(path, resolve_paths(parameters or {}))
    check_values(path, parameters)
    start = time.perf_counter()
    old_env = os.environ.get("CITYEVAL_OUTPUT")
    os.environ["CITYEVAL_OUTPUT"] = str(out_dir.resolve())
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".ipynb", dir=nb_dir)
    os.close(fd)
    error = ""
    try:
        injected = {**parameters, NOTEBOOK_PATH_NAME: str(path.resolve())}  # record_results reads it
        papermill.execute_notebook(str(path), tmp, parameters=injected, kernel_name=kernel_name or _kernel_name(),
                                   progress_bar=False, cwd=str(path.parent.resolve()), log_output=False,
                                   # the kernel's own log would break the progress lines: a TCP-transport notice at
                                   # start, and "KeyboardInterrupt caught in kernel" (logged as an ERROR) when the
                                   # SIGINT jupyter_client sends before every shutdown lands while the kernel is
                                   # busy. A cell's error reaches the runner through papermill, not this log.
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except Exception as exc:  # the notebook's own error: report it, keep going
        error = _failure_text(exc)
    finally:
        if old_env is None:
            os.environ.pop("CITYEVAL_OUTPUT", None)
        else:
            os.environ["CITYEVAL_OUTPUT"] = old_env
    if os.path.exists(tmp) and os.path.getsize(tmp):
        os.replace(tmp, target)
    elif os.path.exists(tmp):
        os.unlink(tmp)
    outcome = Outcome(stem=path.stem, ok=not error, seconds=time.perf_counter() - start, error=error)
    outcome.summary = _summary(out_dir, path) if outcome.ok else f"FAILED: {error}"
    if render_html and target.exists():
        outcome.html = _render_html(target)
    return outcome


def _summary(out_dir: Path, path: Path) -> str:
    res = out_dir / "results" / f"{path.stem}.json"
    if res.exists():
        try:
            summary = json.loads(res.read_text(encoding="utf-8"))["results"].get("summary")
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


def _render_html(ipynb: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(str(ipynb), as_version=4),
                                                resources={"metadata": {"name": f"cityeval · {ipynb.stem}"}})
    out = write_text_atomic(ipynb.with_suffix(".html"), body)
    return out


def write_index(outcomes, out_dir=None) -> Path:
    """Write ``<out_dir>/index.html`` linking every executed notebook with its one-line summary."""
    out_dir = Path(out_dir) if out_dir is not None else paths.output_dir()
    rows = []
    for o in outcomes:
        link = f'<a href="notebooks/{html.escape(o.stem)}.html">{html.escape(o.stem)}</a>' if o.html else html.escape(o.stem)
        status = "ok" if o.ok else "failed"
        rows.append(f'<tr class="{status}"><td>{link}</td><td>{status}</td><td>{o.seconds:.1f} s</td>'
                    f"<td>{html.escape(o.summary)}</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>cityeval results</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}td,th{{padding:.3em .6em;vertical-align:top}}
tr.failed{{background:#fdd}}th{{text-align:left;border-bottom:1px solid #999}}</style></head><body>
<h1>cityeval: CCID 2022 digital-city report, reproduced and tested</h1>
<p>Each notebook tests one finding of the report. Numbers computed from the published rank tables reproduce the
report; numbers computed on the synthetic panel are <strong>illustrative only</strong> (the report publishes ranks,
never scores). Machine-readable key figures are in <code>results/</code>.</p>
<table><tr><th>notebook</th><th>status</th><th>time</th><th>finding</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    target = write_text_atomic(out_dir / "index.html", page)
    return target


def run_notebooks(*, only=None, parameters=None, data=None, out_dir=None, stream=sys.stdout,
                  folder=None) -> list[Outcome]:
    """Execute the chosen notebooks in order with progress lines; return their outcomes.

    ``parameters`` apply to every notebook that declares them; a name no chosen notebook declares
    is an error. ``data`` sets the ``data`` parameter of the notebooks that take one. ``folder``
    holds the notebooks (default ``notebooks/``; the benchmark points it at its floor notebooks).
    """
    notebooks = list_notebooks(only, folder)
    if not notebooks:
        raise CityevalError(f"no notebooks found in {folder or paths.NOTEBOOKS}")
    parameters = resolve_paths(parameters or {})
    if data is not None:
        data_folder = Path(data).resolve()
        check_data(data_folder)
        parameters["data"] = str(data_folder)
    declared = {p: notebook_parameters(p) for p in notebooks}
    for name in parameters:
        if not any(name in d for d in declared.values()):
            allowed = sorted({n for d in declared.values() for n in d})
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(f"parameter {name!r}", f"one of {', '.join(allowed)}{hint}", name)
    per_nb = {p: {k: v for k, v in parameters.items() if k in declared[p]} for p in notebooks}
    for p in notebooks:  # every name, type and value checked before any kernel starts
        check_parameters(p, per_nb[p])
        check_values(p, per_nb[p])
    outcomes = []
    total = len(notebooks)
    nb_dir = (Path(out_dir) if out_dir is not None else paths.output_dir()) / "notebooks"
    # Each notebook's HTML page is rendered in a background thread while the next notebook's kernel
    # computes (rendering is CPU work in this process; the kernel is another process), then collected
    # before the index is written.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cityeval-html") as renderer:
        pages = []
        for i, p in enumerate(notebooks, 1):
            print(f"[{i}/{total}] {p.stem} ...", end="", file=stream, flush=True)
            o = execute_notebook(p, parameters=per_nb[p], out_dir=out_dir, render_html=False)
            print(f" {'ok' if o.ok else 'FAILED'} ({o.seconds:.1f} s)", file=stream, flush=True)
            if not o.ok:
                print(f"    {o.error}", file=stream, flush=True)
            outcomes.append(o)
            executed = nb_dir / f"{p.stem}.ipynb"
            if executed.exists():
                pages.append((o, renderer.submit(_render_html, executed)))
        for o, page in pages:
            try:
                o.html = page.result()
            except Exception as exc:  # a page that cannot be rendered fails the run, by name
                why = f"HTML page not rendered: {type(exc).__name__}: {exc}"
                o.error = f"{o.error}; {why}" if not o.ok else why      # keep the notebook's own error
                o.ok, o.summary = False, f"FAILED: {o.error}"
                (nb_dir / f"{o.stem}.html").unlink(missing_ok=True)     # no stale page from an earlier run
                print(f"{o.stem}: {why}", file=stream, flush=True)
    index = write_index(outcomes, out_dir)
    failed = [o.stem for o in outcomes if not o.ok]
    print(f"{total - len(failed)} of {total} notebooks ran; index: {index}", file=stream)
    if failed:
        print(f"failed: {', '.join(failed)}", file=stream)
    return outcomes
