"""A notebook's ``parameters`` cell read without papermill (private to :mod:`cityeval.notebook.parameters`).

:func:`declared_parameters` gives what ``papermill.inspect_notebook`` gives for a Python notebook,
``{name: {"name", "inferred_type_name", "default", "help"}}``, by the same rules: papermill's
``PythonTranslator.inspect`` (papermill 2.x, ``translators.py``), whose pattern and line grouping are
repeated here. Importing papermill costs 1.5-2 s on this machine (papermill imports nbformat, nbformat
jsonschema, jsonschema compiles the grammars of ``rfc3987_syntax``), more than a whole rerun served from the
cache (issue 16: <= 3 s) may take; the runner reads every notebook's parameters before it knows whether a
kernel will start. ``tests/notebook/test_cells.py`` checks the two agree on every notebook and on the forms
papermill's own tests use (annotations, type comments, multi-line values, comments, several ``=``).

A notebook whose kernel is not Python is read by papermill itself.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["declared_parameters", "PARAMETER_PATTERN"]

#: papermill's ``PythonTranslator.PARAMETER_PATTERN`` (papermill 2.7.0), unchanged.
PARAMETER_PATTERN = re.compile(
    r"^(?P<target>\w[\w_]*)\s*(:\s*[\"']?(?P<annotation>\w[\w_\[\],\s]*)[\"']?\s*)?=\s*(?P<value>.*?)"
    r"(\s*#\s*(type:\s*(?P<type_comment>[^\s]*)\s*)?(?P<help>.*))?$"
)

_MEMO: dict = {}


def _flatten(lines: list[str]) -> str:
    """One definition spread over ``lines``: the comments of all but the last line dropped (papermill's rule)."""
    flat = ""
    for line in lines[:-1]:
        flat += line[:line.index("#")].strip() if "#" in line else line.strip()
    if lines:
        flat += lines[-1].strip()
    return flat


def inspect_source(source: str) -> dict:
    """The parameters declared in a parameters cell's ``source``, as papermill's Python translator reads them.

    >>> inspect_source('n: int = 3  # draws\\nname = "x"')["n"]
    {'name': 'n', 'inferred_type_name': 'int', 'default': '3', 'help': 'draws'}
    >>> inspect_source('name = "x"')["name"]["inferred_type_name"]
    'None'
    """
    groups, current = [], []
    for line in source.splitlines():
        if not line.strip() or line.strip().startswith("#"):
            continue
        n_equal = line.count("=")
        if n_equal > 0:
            groups.append(_flatten(current))
            current = []
            if n_equal > 1:          # papermill warns and skips the line
                continue
        current.append(line)
    groups.append(_flatten(current))
    out = {}
    for definition in groups:
        match = PARAMETER_PATTERN.match(definition) if definition else None
        if match is None or match["target"] is None:
            continue
        type_name = str(match["annotation"] or match["type_comment"] or None)
        name = match["target"].strip()
        out[name] = {"name": name, "inferred_type_name": type_name.strip(), "default": str(match["value"]).strip(),
                     "help": str(match["help"] or "").strip()}
    return out


def _is_python(nb: dict) -> bool:
    meta = nb.get("metadata", {})
    language = (meta.get("kernelspec", {}).get("language") or meta.get("language_info", {}).get("name") or "python")
    return str(language).lower() == "python"


def declared_parameters(path) -> dict:
    """``papermill.inspect_notebook(path)`` for a Python notebook, without importing papermill; memoized by the
    file's size and modification time."""
    path = Path(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _MEMO:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if not _is_python(nb):
            import papermill

            found = papermill.inspect_notebook(str(path))
        else:
            cell = next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])),
                        None)
            source = "" if cell is None else cell.get("source", "")
            found = inspect_source("".join(source) if isinstance(source, list) else source)
        _MEMO[key] = found
    return {name: dict(info) for name, info in _MEMO[key].items()}
