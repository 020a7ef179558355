"""The cells of a notebook page (private to :mod:`cityeval.notebook.pages`).

nbconvert's lab cell markup (so that what reads pages, tests/browser.py among them, finds the usual classes),
rendered from ``page_assets/cells.html.j2`` with formulas as MathML, after the notebook is prepared for its
language: a cell tagged ``lang-en`` is kept only on English pages, ``lang-zh`` only on Chinese ones (untagged:
always), and cells tagged ``appendix`` are moved, in order, to a collapsed "Run details" section at the end.
"""
from __future__ import annotations

import ast
import copy
from pathlib import Path

from jinja2 import pass_context
from nbconvert import HTMLExporter

from cityeval.notebook._pages_math import latex_output_to_mathml, markdown_to_html

#: Page languages: a notebook's ``lang`` parameter, anything else read as English.
LANGUAGES = ("en", "zh")
#: The tag of the cells moved to the collapsed "Run details" section.
APPENDIX_TAG = "appendix"
ASSETS = Path(__file__).resolve().parent / "page_assets"


def notebook_language(nb) -> str:
    """The page language of notebook ``nb`` (a dict or ``nbformat`` node): the ``lang`` papermill injected
    (``metadata.papermill.parameters``), else the default in the cell tagged ``parameters``, else ``"en"``.

    >>> notebook_language({"metadata": {"papermill": {"parameters": {"lang": "zh"}}}, "cells": []})
    'zh'
    >>> notebook_language({"metadata": {}, "cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]},
    ...                                                "source": 'lang: str = "zh"  # page language'}]})
    'zh'
    >>> notebook_language({"metadata": {}, "cells": []})
    'en'
    """
    injected = (nb.get("metadata", {}).get("papermill") or {}).get("parameters") or {}
    value = injected.get("lang")
    if value is None:
        value = _default_lang(nb.get("cells", []))
    return value if value in LANGUAGES else "en"


def _default_lang(cells):
    for cell in cells:
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:
            return None
        for node in tree.body:
            target = node.targets[-1] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            if isinstance(target, ast.Name) and target.id == "lang" and getattr(node, "value", None) is not None:
                try:
                    return ast.literal_eval(node.value)
                except ValueError:
                    return None
    return None


def prepare(nb, lang: str):
    """A copy of ``nb`` as its ``lang`` page shows it: cells of the other language dropped, appendix cells moved to
    the end (the first marked ``metadata.cityeval_page.appendix_start``); return ``(notebook, has_appendix)``.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s, metadata={"tags": t}) for s, t in
    ...     [("a", []), ("b", ["lang-en"]), ("c", ["lang-zh"]), ("d", ["appendix"]), ("e", [])]])
    >>> page, appendix = prepare(nb, "zh")
    >>> [c.source for c in page.cells], appendix
    (['a', 'c', 'e', 'd'], True)
    """
    other = {f"lang-{code}" for code in LANGUAGES if code != lang}
    nb = copy.deepcopy(nb)
    kept = [c for c in nb.cells if not other & set(c.get("metadata", {}).get("tags", []))]
    body = [c for c in kept if APPENDIX_TAG not in c.get("metadata", {}).get("tags", [])]
    appendix = [c for c in kept if APPENDIX_TAG in c.get("metadata", {}).get("tags", [])]
    if appendix:
        appendix[0].metadata["cityeval_page"] = {"appendix_start": True}
    nb.cells = body + appendix
    return nb, bool(appendix)


class _CellsExporter(HTMLExporter):
    """nbconvert's HTML exporter with markdown formulas as MathML and a ``latex2mathml`` filter."""

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return markdown_to_html(source, attachments=cell.get("attachments", {}), path=path)

    def default_filters(self):
        yield from super().default_filters()
        yield ("markdown2html", self.markdown2html)
        yield ("latex2mathml", latex_output_to_mathml)


def render_cells(nb, *, lang: str, appendix_label: str, name: str = "", path: str = "") -> str:
    """The HTML of the cells of ``nb`` (already :func:`prepare`-d) for a page in ``lang``."""
    exporter = _CellsExporter(template_name="lab", extra_template_paths=[str(ASSETS)], template_file="cells.html.j2",
                              exclude_input_prompt=True, exclude_output_prompt=True)
    has_appendix = any(c.get("metadata", {}).get("cityeval_page", {}).get("appendix_start") for c in nb.cells)
    resources = {"metadata": {"name": name, "path": path}, "language_code": lang,
                 "cityeval": {"appendix": appendix_label, "has_appendix": has_appendix}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
