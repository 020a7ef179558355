"""The pages a reader opens: every notebook's page, the index and the glossary, readable and offline.

Each page is one self-contained HTML file that fetches nothing (no CDN, no font or script from the network):

- **formulas** are converted from TeX to MathML when the page is built (``latex2mathml``; browsers render MathML
  natively), so they are typeset without MathJax or a network: ``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``,
  aligned rows, cases and matrices; a formula that cannot be typeset (an unknown TeX command) issues a
  :class:`FormulaWarning` naming the notebook and the cell, and is never shown as raw TeX;
- **Chinese text** uses the packaged Noto Sans SC, subset to the characters the page shows and embedded as a
  base64 ``@font-face`` (:mod:`cityeval.notebook._pages_font`), so it shows on a machine with no Chinese font;
- **one stylesheet** for every page (``page_assets/page.css``): prose at a readable width (48em), figures fitted to
  the column, wide tables scrolling inside their cell, warnings and progress bars small;
- **code hidden** until the reader presses "Show code" (显示代码); a **table of contents** built from the headings;
  a link back to the index and to the glossary on every page;
- the **page language** is the notebook's ``lang`` parameter: ``<html lang="zh-CN">`` and Chinese page chrome for
  ``"zh"``; a cell tagged ``lang-en`` shows only on English pages, ``lang-zh`` only on Chinese ones; cells tagged
  ``appendix`` sit in a collapsed "Run details" (运行细节) section at the end; a markdown cell tagged ``more`` opens a
  collapsed "More: <its heading>" (展开：) section, to the next heading of its level (a contents entry inside it
  opens it);
- the **glossary**'s tables keep readable columns at 1280 px and become one card per term on a phone.

The runner renders each executed notebook with :func:`render_notebook`; the index and the glossary
(:func:`render_glossary`, from ``docs/glossary.md``) are written by :func:`cityeval.notebook.runner.write_index`.
"""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from cityeval import paths
from cityeval.lazy import lazy_exports
from cityeval.notebook._pages_font import FAMILY, chinese_characters, font_face
# The notebook and formula renderers import nbconvert (about 2 s): they are imported when first used, so that writing
# the index and the glossary (a rerun served from the cache) does not pay for them. Their public names are here too.
_LAZY = {"FormulaWarning": "_pages_math", "markdown_to_html": "_pages_math", "tex_to_mathml": "_pages_math",
         "LANGUAGES": "_pages_notebook", "notebook_language": "_pages_notebook"}
#: The page's stylesheet and script (the same folder as :data:`cityeval.notebook._pages_notebook.ASSETS`).
ASSETS = Path(__file__).resolve().parent / "page_assets"


__getattr__, __dir__ = lazy_exports(__name__, {name: f"cityeval.notebook.{module}" for name, module in _LAZY.items()},
                                   globals())

__all__ = ["render_notebook", "render_glossary", "page_html", "notebook_language", "tex_to_mathml", "FormulaWarning",
           "font_face", "markdown_to_html", "chinese_characters", "chrome", "GLOSSARY", "GLOSSARY_PAGE", "FAMILY",
           "LANGUAGES"]

#: The glossary's source (bilingual markdown) and the page written from it beside ``index.html``.
GLOSSARY = paths.ROOT / "docs" / "glossary.md"
GLOSSARY_PAGE = "glossary.html"

_CHROME = {
    "en": {"index": "← Index", "glossary": "Glossary", "show": "Show code", "hide": "Hide code",
           "contents": "Contents", "appendix": "Run details", "html": "en"},
    "zh": {"index": "← 索引", "glossary": "术语表", "show": "显示代码", "hide": "隐藏代码",
           "contents": "目录", "appendix": "运行细节", "html": "zh-CN"},
}


def chrome(lang: str, key: str) -> str:
    """A word of the page chrome (``index``, ``glossary``, ``show``, ``hide``, ``contents``, ``appendix``, ``html``)
    in ``lang``.

    >>> chrome("zh", "appendix"), chrome("en", "show")
    ('运行细节', 'Show code')
    """
    return _CHROME["zh" if lang == "zh" else "en"][key]


@functools.lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    from pygments.formatters import HtmlFormatter

    css = (ASSETS / "page.css").read_text(encoding="utf-8")
    css += "\n" + HtmlFormatter(style="default").get_style_defs(".highlight") + "\n.highlight{background:none}"
    return css, (ASSETS / "page.js").read_text(encoding="utf-8")


# a heading with an id (a "more" section's summary heading has a class too, before or after the id)
_HEADING = re.compile(r'<h([1-3])((?:\s+(?!id=)[a-z-]+="[^"]*")*)\s+id="([^"]*)"([^>]*)>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).replace("¶", "").strip()


def _headings(body: str) -> tuple[str, list]:
    """``body`` with unique heading ids, and its ``(level, id, text)`` headings."""
    seen, found, parts, last = {}, [], [], 0
    for m in _HEADING.finditer(body):
        level, before, ident, attrs, inner = int(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5)
        count = seen.get(ident, 0)
        seen[ident] = count + 1
        if count:                                   # a second "Exercises": give it its own anchor
            new = f"{ident}-{count + 1}"
            inner = inner.replace(f'href="#{ident}"', f'href="#{new}"')
            ident = new
        parts += [body[last:m.start()], f'<h{level}{before} id="{ident}"{attrs}>{inner}</h{level}>']
        last = m.end()
        found.append((level, ident, _plain(inner)))
    parts.append(body[last:])
    return "".join(parts), found


def _toc(headings, lang: str, extra=()) -> str:
    levels = [h for h in headings if h[0] in (2, 3)] or [h for h in headings[1:] if h[0] == 1]
    entries = [*levels, *extra]
    if not entries:
        return ""
    items = "\n".join(f'<li class="toc-{min(max(level, 2), 3)}"><a href="#{html.escape(ident)}">'
                      f"{html.escape(text)}</a></li>" for level, ident, text in entries)
    return (f'<nav class="toc" aria-label="{chrome(lang, "contents")}"><details open><summary>'
            f'{chrome(lang, "contents")}</summary><ol>\n{items}\n</ol></details></nav>')


def page_html(title: str, body: str, *, lang: str = "en", home: str | None = None, glossary: str | None = None,
              code_toggle: bool = False, toc: bool = True, extra_toc=(), kind: str = "page") -> str:
    """One complete, self-contained page around ``body`` (HTML): head, stylesheet, embedded Chinese font for the
    characters used, the bar (link to ``home``, to ``glossary``, the code toggle) and the table of contents.

    Parameters
    ----------
    title : str
        The page title (plain text).
    body : str
        The page's content, HTML.
    lang : {"en", "zh"}, default "en"
        The page language: ``<html lang>`` and the chrome's words.
    home, glossary : str, optional
        Relative links to the index and to the glossary page; no link when ``None``.
    code_toggle : bool, default False
        Show the "Show code" button (code cells are hidden until it is pressed).
    toc : bool, default True
        Add a table of contents of the ``h2``/``h3`` headings of ``body`` (the ``h1`` ones when it has none).
    extra_toc : iterable of (level, id, text)
        Entries added at the end of the table of contents.
    kind : str
        A class on ``<body>`` (``notebook``, ``index``, ``glossary``).

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> page = page_html("Weights", "<h2 id='w'>w</h2>", lang="zh", home="index.html")
    >>> '<html lang="zh-CN">' in page, 'href="index.html"' in page, "http" in page
    (True, True, False)
    """
    css, script = _assets()
    body, headings = _headings(body)
    links = [f'<a class="home" href="{html.escape(home)}">{chrome(lang, "index")}</a>'] if home else []
    if glossary:
        links.append(f'<a class="glossary" href="{html.escape(glossary)}">{chrome(lang, "glossary")}</a>')
    button = (f'<button type="button" id="code-toggle" class="code-toggle" aria-pressed="false" '
              f'data-show="{chrome(lang, "show")}" data-hide="{chrome(lang, "hide")}">{chrome(lang, "show")}</button>'
              if code_toggle else "")
    contents = _toc(headings, lang, extra_toc) if toc else ""
    layout = "page has-toc" if contents else "page"
    rest = (f'<body class="cityeval {kind}">\n<header class="page-bar"><nav>{" ".join(links)}</nav>{button}</header>\n'
            f'<div class="{layout}">\n{contents}\n<main>\n{body}\n</main>\n</div>\n<script>\n{script}</script>\n'
            "</body>\n</html>\n")
    font = font_face(title + rest)
    return (f'<!DOCTYPE html>\n<html lang="{chrome(lang, "html")}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{font}\n{css}</style>\n</head>\n{rest}")


def render_notebook(ipynb) -> str:
    """The page of an executed notebook ``ipynb`` (a path), in the notebook's language
    (:func:`notebook_language`), linking to ``../index.html`` and ``../glossary.html``.

    Parameters
    ----------
    ipynb : str or pathlib.Path
        An executed notebook, as the runner writes it to ``<out>/notebooks/<stem>.ipynb``.

    Returns
    -------
    str
        The page, one self-contained HTML file.

    Examples
    --------
    >>> import nbformat, tempfile
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Weights\\n$w_k$"),
    ...                                      nbformat.v4.new_code_cell("1 + 1")])
    >>> path = Path(tempfile.mkdtemp()) / "00_x.ipynb"; nbformat.write(nb, str(path))
    >>> page = render_notebook(path)
    >>> "<title>Weights · cityeval</title>" in page, "<math" in page, 'href="../glossary.html"' in page
    (True, True, True)
    """
    import nbformat

    ipynb = Path(ipynb)
    nb = nbformat.read(str(ipynb), as_version=4)
    from cityeval.notebook._pages_notebook import notebook_language, prepare, render_cells

    lang = notebook_language(nb)
    page_nb, has_appendix = prepare(nb, lang)
    body = render_cells(page_nb, lang=lang, appendix_label=chrome(lang, "appendix"), name=ipynb.stem,
                        path=str(ipynb.parent))
    first = _HEADING.search(body)
    title = f"{_plain(first.group(5))} · cityeval" if first else f"cityeval · {ipynb.stem}"
    extra = [(2, "run-details", chrome(lang, "appendix"))] if has_appendix else []
    return page_html(title, body, lang=lang, home="../index.html", glossary=f"../{GLOSSARY_PAGE}",
                     code_toggle=True, extra_toc=extra, kind="notebook")


def render_glossary(source=None, *, lang: str = "en", home: str = "index.html") -> str:
    """The glossary page from its markdown ``source`` (default: the text of :data:`GLOSSARY`; a page saying it is
    missing when that file is absent), with formulas typeset and a table of contents.

    >>> page = render_glossary("# Glossary\\n## Weight 权重\\nThe share $w_k$ of a dimension.")
    >>> '<nav class="toc"' in page, "<math" in page, "@font-face" in page
    (True, True, True)
    """
    if source is None:
        if GLOSSARY.is_file():
            source = GLOSSARY.read_text(encoding="utf-8")
        else:
            source = (f"# {chrome(lang, 'glossary')}\n\nThe glossary ({GLOSSARY.name}) is not part of this "
                      "installation. 本安装中没有术语表。\n")
    from cityeval.notebook._pages_math import markdown_to_html

    body = _labelled_tables(markdown_to_html(source, where="docs/glossary.md"))
    first = _HEADING.search(body)
    title = f"{_plain(first.group(5))} · cityeval" if first else f"{chrome(lang, 'glossary')} · cityeval"
    return page_html(title, body, lang=lang, home=home, kind="glossary")   # prose at 48em, tables full width


_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CODE = re.compile(r"<code>[^<]*</code>")


def _labelled_tables(body: str) -> str:
    """Each table of ``body`` in a ``<div class="glossary-table">``, each body cell with its column's header as
    ``data-label`` (a narrow screen shows the rows stacked, each cell under its label: ``page.css``).

    >>> out = _labelled_tables("<table><thead><tr><th>中文</th><th>English</th></tr></thead>"
    ...                        "<tbody><tr><td>权重</td><td>Weight</td></tr></tbody></table>")
    >>> out.startswith('<div class="glossary-table"><table class="glossary glossary-2">')
    True
    >>> re.findall(r'<td data-label="([^"]*)">([^<]*)', out)
    [('中文', '权重'), ('English', 'Weight')]
    """
    def table(m):
        inner = m.group(1)
        head, _, rest = inner.partition("</thead>")
        labels = [html.escape(_plain(h), quote=True) for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]

        def row(r):
            cells = iter(labels)
            labelled = re.sub(r"<td(?=[\s>])", lambda c: f'<td data-label="{next(cells, "")}"', r.group(1))
            return f"<tr>{labelled}</tr>"

        rest = _CODE.sub(lambda c: re.sub(r"(?<=[./,(])", "<wbr>", c.group(0)[6:-7]).join(("<code>", "</code>")),
                         _ROW.sub(row, rest))      # long library paths break after a dot or a slash
        return (f'<div class="glossary-table"><table class="glossary glossary-{len(labels)}">{head}</thead>{rest}'
                "</table></div>") if rest else m.group(0)

    return _TABLE.sub(table, body)
