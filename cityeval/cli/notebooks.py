"""``python -m cityeval list``: the notebooks, each with its title and parameters.

``python -m cityeval list [--only NAME ...] [--json]``
    Prints every notebook (or those ``--only`` names, as ``run`` takes them): its stem and title (its first
    markdown heading, the English one where a notebook has both), then each parameter with its type, default,
    help (the comment of its line in the parameters cell) and, for a parameter whose pre-check accepts a fixed
    set of values, those choices. ``--json`` prints the same as one JSON document (a list of notebooks, with
    the Chinese title too), for scripts. Nothing is run.

A separate command rather than ``run --list``: it runs nothing, and none of ``run``'s options (``-p``, ``--data``,
``--out``) would mean anything with it.
"""
from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from cityeval.notebook.parameters import notebook_parameters, parameter_choices
from cityeval.notebook.runner import list_notebooks

__all__ = ["register", "describe_notebook", "notebook_title"]


def notebook_title(path, lang: str = "en") -> str:
    """The notebook's first markdown heading in ``lang`` (a cell tagged ``lang-en``/``lang-zh`` is of that
    language, an untagged one of both), without the ``#``; the stem when it has none.

    >>> from cityeval import paths
    >>> notebook_title(paths.NOTEBOOKS / "09_robustness.ipynb").startswith("09")
    True
    """
    other = {"en": "lang-zh", "zh": "lang-en"}.get(lang, "lang-zh")
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown" or other in cell.get("metadata", {}).get("tags", []):
            continue
        for line in "".join(cell.get("source", [])).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return Path(path).stem


def _literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError):
        return text


def describe_notebook(path) -> dict:
    """What ``list --json`` prints for one notebook: stem, titles and parameters (name, type, default as a
    value, help, choices or ``None``).

    >>> from cityeval import paths
    >>> info = describe_notebook(paths.NOTEBOOKS / "03_capability_stages.ipynb")
    >>> [p["choices"] for p in info["parameters"] if p["name"] == "algorithm"]
    [['gmm', 'kmeans', 'ward']]
    """
    path = Path(path)
    return {"stem": path.stem, "title": notebook_title(path, "en"), "title_zh": notebook_title(path, "zh"),
            "parameters": [{"name": name, "type": info["type"], "default": _literal(info["default"]),
                            "help": info["help"], "choices": parameter_choices(name)}
                           for name, info in notebook_parameters(path).items()]}


def _text(described: list[dict]) -> str:
    lines = []
    for nb in described:
        lines.append(f"{nb['stem']}: {nb['title']}")
        for p in nb["parameters"]:
            default = p["default"]
            shown = json.dumps(default, ensure_ascii=False) if isinstance(default, str) else repr(default)
            line = f"    {p['name']} ({p['type']}, default {shown})"
            if p["help"]:
                line += f": {p['help']}"
            if p["choices"]:
                line += f" [choices: {', '.join(p['choices'])}]"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


def _cmd_list(args) -> int:
    described = [describe_notebook(p) for p in list_notebooks(args.only)]
    text = json.dumps(described, ensure_ascii=False, indent=1) + "\n" if args.json else _text(described)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("list", help="list the notebooks with their titles and parameters",
                              description="List every notebook (or --only some): its stem and title, and each "
                                          "parameter with its type, default, help and choices. Runs nothing.")
    p.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                   help="notebook stems or numbers, e.g. 1, 01 or 01_published_claims (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    p.set_defaults(func=_cmd_list)
