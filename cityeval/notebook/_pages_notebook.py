"""The cells of a notebook page (private to :mod:`cityeval.notebook.pages`).

nbconvert's lab cell markup (so that what reads pages, tests/browser.py among them, finds the usual classes),
rendered from ``page_assets/cells.html.j2`` with formulas as MathML, after the notebook is prepared for its
language: a cell tagged ``lang-en`` is kept only on English pages, ``lang-zh`` only on Chinese ones (untagged:
always), and cells tagged ``appendix`` are moved, in order, to a collapsed "Run details" section at the end.

A markdown cell tagged ``more`` opens a closed ``<details class="more">`` section whose summary is the cell's first
heading, prefixed "More: " (展开：); the section holds everything after it (code cells and their outputs included)
up to the next markdown cell with a heading of the same or a higher level (fewer ``#``), or the end of the page
before the appendix. A ``more`` cell without a heading closes at the next heading of any level. Sections nest.
"""
from __future__ import annotations

import ast
import copy
import html
import re
from pathlib import Path

from jinja2 import pass_context
from nbconvert import HTMLExporter

from cityeval.notebook._pages_math import latex_output_to_mathml, markdown_to_html

#: Page languages: a notebook's ``lang`` parameter, anything else read as English.
LANGUAGES = ("en", "zh")
#: The tag of the cells moved to the collapsed "Run details" section.
APPENDIX_TAG = "appendix"
#: The tag of a markdown cell that opens a collapsed "More: ..." section.
MORE_TAG = "more"
MORE_LABEL = {"en": "More: ", "zh": "展开："}
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
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


def headings(source: str) -> list[tuple[int, int, str]]:
    r"""The ATX headings of markdown ``source`` outside fenced code: ``(line index, level, text)``.

    >>> headings("# Title\n```\n# not a heading\n```\n### Sub ###")
    [(0, 1, 'Title'), (4, 3, 'Sub')]
    """
    found, fence = [], None
    for number, line in enumerate(source.splitlines()):
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)):
            fence = None if fence else m.group(1)
            continue
        if fence is None and (h := _ATX.match(line)):
            found.append((number, len(h.group(1)), h.group(2)))
    return found


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _more_sections(cells, lang: str) -> int:
    """Mark the ``more`` sections on ``cells`` (``metadata.cityeval_page``: ``more_close``, the number of sections
    closed before the cell; ``more_summary``, the heading markdown of the one it opens, whose line is taken out of
    the cell); return the number still open at the end."""
    open_levels = []
    for cell in cells:
        page = cell.metadata.setdefault("cityeval_page", {})
        found = headings(_source(cell)) if cell.get("cell_type") == "markdown" else []
        if found:
            top = min(level for _, level, _ in found)
            close = 0
            while open_levels and open_levels[-1] >= top:
                open_levels.pop()
                close += 1
            page["more_close"] = close
        if cell.get("cell_type") == "markdown" and MORE_TAG in cell.get("metadata", {}).get("tags", []):
            label = MORE_LABEL["zh" if lang == "zh" else "en"]
            if found:
                line, level, text = found[0]
                lines = _source(cell).splitlines()
                cell.source = "\n".join(lines[:line] + lines[line + 1:])
                page["more_summary"] = f"{'#' * level} {text}"
                page["more_label"] = label
            else:
                level = 7
                page["more_summary"] = ""
                page["more_label"] = label.rstrip(" ：:")
            open_levels.append(level)
    return len(open_levels)


def prepare(nb, lang: str):
    """A copy of ``nb`` as its ``lang`` page shows it: cells of the other language dropped, appendix cells moved to
    the end (the first marked ``metadata.cityeval_page.appendix_start``), ``more`` sections marked; return
    ``(notebook, has_appendix)``. Each cell keeps its place in the source notebook as
    ``metadata.cityeval_page.cell`` (from 1; papermill's injected parameters cell is not counted).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s, metadata={"tags": t}) for s, t in
    ...     [("a", []), ("b", ["lang-en"]), ("c", ["lang-zh"]), ("d", ["appendix"]), ("e", [])]])
    >>> page, appendix = prepare(nb, "zh")
    >>> [c.source for c in page.cells], appendix
    (['a', 'c', 'e', 'd'], True)
    """
    other = {f"lang-{code}" for code in LANGUAGES if code != lang}
    nb = copy.deepcopy(nb)
    number = 0
    for cell in nb.cells:       # numbered as in the notebook's source: papermill's injected cell is not counted
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", []):
            number += 1
            cell.metadata.setdefault("cityeval_page", {})["cell"] = number
    kept = [c for c in nb.cells if not other & set(c.get("metadata", {}).get("tags", []))]
    body = [c for c in kept if APPENDIX_TAG not in c.get("metadata", {}).get("tags", [])]
    appendix = [c for c in kept if APPENDIX_TAG in c.get("metadata", {}).get("tags", [])]
    still_open = _more_sections(body, lang)
    if appendix:
        appendix[0].metadata["cityeval_page"]["appendix_start"] = True
        appendix[0].metadata["cityeval_page"]["more_close"] = still_open
    nb.metadata["cityeval_page"] = {"more_open_at_end": 0 if appendix else still_open}
    nb.cells = body + appendix
    return nb, bool(appendix)


def _where(context) -> str:
    """``notebook <stem>, cell <n> (id <id>)`` of the cell being rendered, for a formula's warning."""
    name = context.get("resources", {}).get("metadata", {}).get("name", "")
    cell = context.get("cell", {})
    number = cell.get("metadata", {}).get("cityeval_page", {}).get("cell")
    parts = [f"notebook {name}" if name else "", f"cell {number}" if number else ""]
    where = ", ".join(p for p in parts if p)
    return f"{where} (id {cell['id']})" if where and cell.get("id") else where


class _CellsExporter(HTMLExporter):
    """nbconvert's HTML exporter with markdown formulas as MathML, a ``latex2mathml`` filter and the ``more``
    sections' summaries (``more_summary``)."""

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return markdown_to_html(source, attachments=cell.get("attachments", {}), path=path, where=_where(context))

    @pass_context
    def latex2mathml(self, context, text):
        return latex_output_to_mathml(text, where=_where(context))

    @pass_context
    def more_summary(self, context, page):
        """The ``<summary>`` of the section a ``more`` cell opens: its heading with the label before the text."""
        label = html.escape(page.get("more_label", ""))
        heading = page.get("more_summary", "")
        if not heading:
            return f'<summary class="more-summary"><span class="more-label">{label}</span></summary>'
        rendered = markdown_to_html(heading, where=_where(context)).strip()
        rendered = re.sub(r"^(<h[1-6][^>]*>)", lambda m: m.group(1).replace(">", ' class="more-title">', 1)
                          + f'<span class="more-label">{label}</span>', rendered, count=1)
        return f'<summary class="more-summary">{rendered}</summary>'

    def default_filters(self):
        yield from super().default_filters()
        yield ("markdown2html", self.markdown2html)
        yield ("latex2mathml", self.latex2mathml)
        yield ("more_summary", self.more_summary)


def render_cells(nb, *, lang: str, appendix_label: str, name: str = "", path: str = "") -> str:
    """The HTML of the cells of ``nb`` (already :func:`prepare`-d) for a page in ``lang``."""
    exporter = _CellsExporter(template_name="lab", extra_template_paths=[str(ASSETS)], template_file="cells.html.j2",
                              exclude_input_prompt=True, exclude_output_prompt=True)
    has_appendix = any(c.get("metadata", {}).get("cityeval_page", {}).get("appendix_start") for c in nb.cells)
    open_at_end = nb.get("metadata", {}).get("cityeval_page", {}).get("more_open_at_end", 0)
    resources = {"metadata": {"name": name, "path": path}, "language_code": lang,
                 "cityeval": {"appendix": appendix_label, "has_appendix": has_appendix, "more_open": open_at_end}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
