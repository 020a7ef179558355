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
import difflib
import html
import json
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

__all__ = ["list_notebooks", "notebook_parameters", "check_parameters", "check_values", "PARAMETER_RULES", "execute_notebook", "run_notebooks",
           "write_index"]

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
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(f"parameter {name!r} of notebook {stem}",
                                 f"one of {', '.join(declared) or '(none declared)'}{hint}", name)
        kind = declared[name]["type"]
        allowed = _TYPES.get(kind)
        if allowed and (not isinstance(value, allowed) or (kind != "bool" and isinstance(value, bool))):
            raise ParameterError(f"parameter {name!r} of notebook {stem}", f"of type {kind} "
                                 f"(default {declared[name]['default']})", value)
    return dict(parameters)


def _unit_count(data) -> int:
    from cityeval.composite.dataset import load_dataset
    from cityeval.notebook.panel import DEFAULT_DATA

    return len(load_dataset(Path(data) if data else DEFAULT_DATA).values)


def _in_range(name, lo, hi, *, lo_open=False, hi_open=False):
    def rule(value, ctx):
        bad = value < lo or value > hi or (lo_open and value == lo) or (hi_open and value == hi)
        if bad:
            raise ParameterError(name, f"in {'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}", value)
    return rule


def _one_of(name, choices_fn):
    def rule(value, ctx):
        choices = sorted(choices_fn())
        if value not in choices:
            raise ParameterError(name, f"one of {', '.join(choices)}", value)
    return rule


def _rule_data(value, ctx):
    if value:
        check_data(value)


def check_data(folder) -> None:
    """Load a dataset folder and score it with its own ``method.json``, so that a bad folder or
    method fails here, naming the file, before any kernel starts."""
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run

    run(load_dataset(folder))


def _rule_top_n(value, ctx):
    n = _unit_count(ctx.get("data"))
    if not 3 <= value <= n:
        raise ParameterError("top_n", f"a whole number between 3 and {n} (the cities in the data)", value)


def _rule_k(value, ctx):
    limit = ctx.get("top_n")
    if value < 2 or (limit is not None and value > limit):
        raise ParameterError("k", f"a number of clusters between 2 and top_n ({limit})", value)


def _rule_city(value, ctx):
    from cityeval.ccid2022.reference import default_cities, suggest_city

    if value not in default_cities().index:
        hint = suggest_city(value)
        raise ParameterError("focus_city", "a city as printed in the report, e.g. 苏州市" +
                             (f" (did you mean {hint!r}?)" if hint else ""), value)


def _rule_published(value, ctx):
    if value:
        from cityeval.ccid2022.claims import load_published_data

        load_published_data(value)


def _weights():
    from cityeval.composite.weighting import WEIGHT_METHODS
    return WEIGHT_METHODS


def _normalizations():
    from cityeval.composite.normalization import NORMALIZE_METHODS
    return NORMALIZE_METHODS


def _positive(name):
    def rule(value, ctx):
        if value < 1:
            raise ParameterError(name, "a positive whole number", value)
    return rule


#: Checks of parameter values by name, run on every notebook that declares the name, before any kernel
#: starts (papermill itself does not check values). ``data`` is checked first: other rules may read it.
PARAMETER_RULES = {
    "data": _rule_data,
    "published_dir": _rule_published,
    "top_n": _rule_top_n,
    "k": _rule_k,
    "alpha": _in_range("alpha", 0, 1, lo_open=True, hi_open=True),
    "quantile": _in_range("quantile", 0, 1, lo_open=True, hi_open=True),
    "weak_fraction": _in_range("weak_fraction", 0, 1, lo_open=True, hi_open=True),
    "weight_perturbation": _in_range("weight_perturbation", 0, 1, hi_open=True),
    "seed": _in_range("seed", 0, 2 ** 32 - 1),
    "n_sim": _positive("n_sim"), "n_boot": _positive("n_boot"), "n_perm": _positive("n_perm"),
    "n": _positive("n"), "n_sobol": _positive("n_sobol"),
    "n_units": _in_range("n_units", 100, 10_000),
    "weighting": _one_of("weighting", lambda: _weights()),
    "normalization": _one_of("normalization", lambda: _normalizations()),
    "method": _one_of("method", lambda: ("pearson", "spearman")),
    "algorithm": _one_of("algorithm", lambda: ("kmeans", "ward", "gmm")),
    "returns": _one_of("returns", lambda: ("crs", "vrs", "both")),
    "focus_city": _rule_city,
    "lang": _one_of("lang", lambda: ("en", "zh")),
}


def check_values(path, parameters: dict) -> None:
    """Check the values of a notebook's parameters (given, else the defaults) with :data:`PARAMETER_RULES`.

    Raises
    ------
    ParameterError or DataError
        Naming the notebook, the parameter and what was expected.
    """
    declared = notebook_parameters(path)
    values = {}
    for name, info in declared.items():
        if name in parameters:
            values[name] = parameters[name]
        else:
            try:
                values[name] = ast.literal_eval(info["default"])
            except (ValueError, SyntaxError):
                continue
    for name in sorted(values, key=lambda n: (n != "data", n)):
        rule = PARAMETER_RULES.get(name)
        if rule is None:
            continue
        try:
            rule(values[name], values)
        except ParameterError as exc:
            raise ParameterError(f"{exc.name} (notebook {Path(path).stem})", exc.allowed, exc.received) from None


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
    check_values(path, parameters)
    start = time.perf_counter()
    old_env = os.environ.get("CITYEVAL_OUTPUT")
    os.environ["CITYEVAL_OUTPUT"] = str(out_dir.resolve())
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".ipynb", dir=nb_dir)
    os.close(fd)
    error = ""
    try:
        papermill.execute_notebook(str(path), tmp, parameters=parameters, kernel_name=kernel_name or _kernel_name(),
                                   progress_bar=False, cwd=str(path.parent.resolve()), log_output=False,
                                   # the kernel's start-up log (a TCP-transport notice) would break the progress lines
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])
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
    parameters = dict(parameters or {})
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
