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

import ast
import html
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import CityevalError, ParameterError

__all__ = ["list_notebooks", "notebook_parameters", "check_parameters", "execute_notebook", "run_notebooks",
           "write_index", "register"]

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


def notebook_parameters(path) -> dict:
    """The declared parameters of a notebook: ``{name: {"default": ..., "type": ..., "help": ...}}``."""
    import papermill

    declared = papermill.inspect_notebook(str(path))
    out = {}
    for name, info in declared.items():
        kind = info.get("inferred_type_name")
        if kind in (None, "None"):  # no annotation: infer from the default literal
            try:
                kind = type(ast.literal_eval(info.get("default"))).__name__
            except (ValueError, SyntaxError):
                kind = None
        out[name] = {"default": info.get("default"), "type": kind, "help": info.get("help", "")}
    return out


_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,)}


def coerce_value(text: str):
    """Turn a command-line value into a Python literal the way ``papermill -p`` does (YAML-like)."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def check_parameters(path, parameters: dict) -> dict:
    """Check ``parameters`` against the notebook's ``parameters`` cell before any kernel starts.

    Raises
    ------
    ParameterError
        An unknown name (listing the valid ones) or a value whose type differs from the default's.
    """
    declared = notebook_parameters(path)
    stem = Path(path).stem
    for name, value in parameters.items():
        if name not in declared:
            raise ParameterError(f"parameter {name!r} of notebook {stem}",
                                 f"one of {', '.join(declared) or '(none declared)'}", name)
        kind = declared[name]["type"]
        allowed = _TYPES.get(kind)
        if allowed and (not isinstance(value, allowed) or (kind != "bool" and isinstance(value, bool))):
            raise ParameterError(f"parameter {name!r} of notebook {stem}", f"of type {kind} "
                                 f"(default {declared[name]['default']})", value)
    return dict(parameters)


def _failure_text(exc) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    where = f" (cell [{cell}])" if cell is not None else ""
    return f"{ename}: {evalue}{where}"


def _kernel_name() -> str:
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        if PREFERRED_KERNEL in KernelSpecManager().find_kernel_specs():
            return PREFERRED_KERNEL
    except Exception:  # pragma: no cover - jupyter_client missing is an install error shown elsewhere
        pass
    return "python3"


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
    parameters = check_parameters(path, dict(parameters or {}))
    start = time.perf_counter()
    old_env = os.environ.get("CITYEVAL_OUTPUT")
    os.environ["CITYEVAL_OUTPUT"] = str(out_dir.resolve())
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".ipynb", dir=nb_dir)
    os.close(fd)
    error = ""
    try:
        papermill.execute_notebook(str(path), tmp, parameters=parameters, kernel_name=kernel_name or _kernel_name(),
                                   progress_bar=False, cwd=str(paths.NOTEBOOKS), log_output=False)
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

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(str(ipynb), as_version=4))
    out = ipynb.with_suffix(".html")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.replace(tmp, out)
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
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    fd, tmp = tempfile.mkstemp(prefix=".index.", suffix=".tmp", dir=out_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, target)
    return target


def run_notebooks(*, only=None, parameters=None, data=None, out_dir=None, stream=sys.stdout) -> list[Outcome]:
    """Execute the chosen notebooks in order with progress lines; return their outcomes.

    ``parameters`` apply to every notebook that declares them; a name no chosen notebook declares
    is an error. ``data`` sets the ``data`` parameter of the notebooks that take one.
    """
    notebooks = list_notebooks(only)
    if not notebooks:
        raise CityevalError(f"no notebooks found in {paths.NOTEBOOKS}")
    parameters = dict(parameters or {})
    if data is not None:
        folder = Path(data).resolve()
        if not folder.is_dir():
            raise ParameterError("--data", "an existing dataset folder", str(data))
        parameters["data"] = str(folder)
    declared = {p: notebook_parameters(p) for p in notebooks}
    for name in parameters:
        if not any(name in d for d in declared.values()):
            allowed = sorted({n for d in declared.values() for n in d})
            raise ParameterError(f"parameter {name!r}", f"one of {', '.join(allowed)}", name)
    per_nb = {p: {k: v for k, v in parameters.items() if k in declared[p]} for p in notebooks}
    for p in notebooks:  # every value checked before any kernel starts
        check_parameters(p, per_nb[p])
    outcomes = []
    total = len(notebooks)
    for i, p in enumerate(notebooks, 1):
        print(f"[{i}/{total}] {p.stem} ...", end="", file=stream, flush=True)
        o = execute_notebook(p, parameters=per_nb[p], out_dir=out_dir)
        print(f" {'ok' if o.ok else 'FAILED'} ({o.seconds:.1f} s)", file=stream, flush=True)
        if not o.ok:
            print(f"    {o.error}", file=stream, flush=True)
        outcomes.append(o)
    index = write_index(outcomes, out_dir)
    failed = [o.stem for o in outcomes if not o.ok]
    print(f"{total - len(failed)} of {total} notebooks ran; index: {index}", file=stream)
    if failed:
        print(f"failed: {', '.join(failed)}", file=stream)
    return outcomes


def _cmd_run(args) -> int:
    params = {name: coerce_value(value) for name, value in (args.parameter or [])}
    outcomes = run_notebooks(only=args.only, parameters=params, data=args.data,
                             out_dir=Path(args.out) if args.out else None)
    return 0 if all(o.ok for o in outcomes) else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("run", help="execute the notebooks into output/",
                              description="Execute every notebook (or --only some) with papermill, render HTML and "
                                          "write output/index.html. Exit status 1 if any notebook failed.")
    p.add_argument("--only", nargs="+", metavar="NAME", help="notebook stems or numbers, e.g. 01 or 01_published_claims")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (repeatable), as papermill -p does")
    p.add_argument("--data", metavar="FOLDER", help="a dataset folder for the notebooks that take a `data` parameter")
    p.add_argument("--out", metavar="FOLDER", help="output folder (default: output/)")
    p.set_defaults(func=_cmd_run)
