"""Pages a reader can read, offline (issue 15): cityeval/notebook/pages.py and the index/glossary of write_index.

A small notebook made here (a formula, Chinese text, cells tagged ``lang-en``/``lang-zh``/``appendix``, a wide
table, a warning on stderr) is executed by the runner twice, with ``lang`` "en" and "zh", each into its own output
folder, beside a glossary fixture of our own. The pages are read as HTML, then opened in headless Chromium with the
network blocked (tests/browser.py) at 1280 px: formulas typeset, the Chinese font used, code hidden until the
toggle is pressed, the table of contents and the links resolving, the appendix collapsed, prose at a readable
width and a wide table scrolling inside its cell.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from browser import open_page, requires_chromium
from cityeval.notebook import runner

try:
    from cityeval.notebook import pages
except ImportError:   # the renderer before issue 15 (/tmp/head15): the tests run against its pages, and fail
    pages = None

GLOSSARY = """# Glossary 术语表

## Normalization 标准化
Rescaling each indicator to a common range, e.g. min-max: $x' = (x - \\min x)/(\\max x - \\min x)$.

## Weight 权重
The share $w_k$ of dimension $k$ in the composite, $\\sum_k w_k = 1$.
"""

WIDE = "import pandas as pd\npd.DataFrame([[1.5] * 40], columns=[f'a rather long column name {i}' for i in range(40)])"


def _lesson(path: Path) -> Path:
    c = nbformat.v4
    cells = [
        c.new_code_cell('lang: str = "en"  # page language', metadata={"tags": ["parameters"]}),
        c.new_markdown_cell("# A small lesson\nUntagged prose, shown on every page."),
        c.new_markdown_cell("## Weights in English\nThe weight $w_k$ of dimension $k$, and the score\n\n"
                            "$$S_i = \\frac{\\sum_k w_k y_{ik}}{\\sum_k w_k}$$", metadata={"tags": ["lang-en"]}),
        c.new_markdown_cell("## 权重 Weights（中文）\n信息基础与城市治理的权重 $w_k$，得分\n\n"
                            "$$S_i = \\frac{\\sum_k w_k y_{ik}}{\\sum_k w_k}$$", metadata={"tags": ["lang-zh"]}),
        c.new_code_cell("import sys\nprint('the code ran: 42')\nprint('UserWarning: a small warning', file=sys.stderr)"),
        c.new_markdown_cell("## A wide table\n数字城市竞争力 (a table wider than the page)."),
        c.new_code_cell(WIDE),
        c.new_code_cell("from cityeval.notebook.results import write_results\n"
                        "write_results('01_lesson', {'summary': 'weights move the ranking', "
                        "'summary_zh': '权重改变排名'}, parameters={'lang': lang}, synthetic=False)\n"
                        "print('RESULTS-DICT-IN-APPENDIX')", metadata={"tags": ["appendix"]}),
    ]
    nb = c.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """``{"en": out folder, "zh": out folder}``: the lesson run with each language, with our glossary."""
    src = tmp_path_factory.mktemp("lesson")
    glossary = src / "glossary.md"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    notebook = _lesson(src / "01_lesson.ipynb")
    made = {}
    with pytest.MonkeyPatch.context() as mp:
        if pages is not None:
            mp.setattr(pages, "GLOSSARY", glossary)
        for lang in ("en", "zh"):
            out = tmp_path_factory.mktemp(f"out-{lang}")
            outcome = runner.execute_notebook(notebook, parameters={"lang": lang}, out_dir=out)
            assert outcome.ok, outcome.error
            made[lang] = out
    return made


def _page(site, lang, name="notebooks/01_lesson.html") -> str:
    return (site[lang] / name).read_text(encoding="utf-8")


# what a page would fetch: a src/href/url()/@import naming another host (http:, https: or protocol-relative)
_EXTERNAL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)(?:https?:)?//""", re.I)


def test_no_page_fetches_anything(site):
    for lang in ("en", "zh"):
        for name in ("notebooks/01_lesson.html", "index.html", "glossary.html"):
            text = _page(site, lang, name)
            assert not _EXTERNAL.findall(text), f"{lang} {name}: {_EXTERNAL.findall(text)[:3]}"
            assert "http://" not in text and "https://" not in text, f"{lang} {name}"
            assert "mathjax" not in text.lower() and "require.js" not in text.lower()


def test_each_page_keeps_only_its_language(site):
    en, zh = _page(site, "en"), _page(site, "zh")
    assert "Weights in English" in en and "权重 Weights（中文）" not in en
    assert "权重 Weights（中文）" in zh and "Weights in English" not in zh
    assert "Untagged prose, shown on every page." in en and "Untagged prose, shown on every page." in zh
    assert '<html lang="en">' in en and '<html lang="zh-CN">' in zh
    assert "显示代码" in zh and "运行细节" in zh and "Show code" in en and "Run details" in en


def test_formulas_are_mathml_in_the_html(site):
    for lang in ("en", "zh"):
        text = _page(site, lang)
        assert text.count("<math") >= 2 and "<mfrac>" in text   # zh: $w_k$ and the score; en also $k$
        assert "$$" not in text and "$w_k$" not in text


def test_the_chinese_font_is_embedded_and_small(site):
    text = _page(site, "zh")
    rules = re.findall(r'@font-face\{font-family:"Noto Sans SC";src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)',
                       text)
    assert len(rules) == 1
    font = base64.b64decode(rules[0])
    assert font[:4] == b"wOFF"
    # a few dozen characters (the lesson's Chinese, the chrome's): some 130 bytes each plus the font tables: about 9 kB
    assert len(font) < 40_000, len(font)
    from fontTools.ttLib import TTFont
    import io
    cmap = TTFont(io.BytesIO(font)).getBestCmap()
    assert all(ord(ch) in cmap for ch in "信息基础城市治理权重显示代码运行细节")
    assert ord("A") not in cmap                        # Latin text keeps the reader's own fonts


def test_the_index_is_bilingual_and_links_every_page(site):
    en, zh = _page(site, "en", "index.html"), _page(site, "zh", "index.html")
    assert '<html lang="en">' in en and '<html lang="zh-CN">' in zh
    assert "weights move the ranking" in en and "权重改变排名" in en          # the other language too
    assert "权重改变排名" in zh and "weights move the ranking" in zh
    assert zh.index("权重改变排名") < zh.index("weights move the ranking")  # its own language first
    for text in (en, zh):
        assert 'href="notebooks/01_lesson.html"' in text and 'href="glossary.html"' in text
        assert "runs.json" in text and "stale/" in text and "results/" in text
    assert "illustrative only" in en and "示意" in zh


def test_the_glossary_page(site):
    text = _page(site, "en", "glossary.html")
    assert "Normalization 标准化" in text and "<math" in text and 'href="index.html"' in text
    assert '<nav class="toc"' in text


# --------------------------------------------------------------------------- in the browser (network blocked)

def _open(browser, path):
    open_page(browser, path, width=1280)
    browser.evaluate("document.fonts.ready.then(() => true)")


@requires_chromium
def test_formulas_are_typeset_offline(browser, site):
    for lang in ("en", "zh"):
        _open(browser, site[lang] / "notebooks/01_lesson.html")
        boxes = browser.evaluate("Array.from(document.querySelectorAll('main math')).map(m => {"
                                 "const r = m.getBoundingClientRect(); return [r.width, r.height]; })")
        assert len(boxes) >= 2 and all(w > 5 and h > 5 for w, h in boxes), boxes
        # the display formula is a fraction: taller than a line of text
        assert max(h for _, h in boxes) > 30, boxes
        visible = browser.evaluate("document.querySelector('main').innerText")
        assert "$" not in visible and "\\frac" not in visible


# a glyph drawn on a canvas in the embedded family vs in a family that does not exist: without a Chinese font both
# are the same "missing glyph" box, with it they differ
_GLYPHS = r"""
(async () => {
  await document.fonts.ready;
  await document.fonts.load('32px "Noto Sans SC"', '信息基础');
  const draw = (family) => {
    const c = document.createElement('canvas'); c.width = 160; c.height = 48;
    const g = c.getContext('2d'); g.font = '32px ' + family; g.fillText('信息基础', 0, 36);
    return Array.from(g.getImageData(0, 0, 160, 48).data).join(',');
  };
  const faces = Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'Noto Sans SC');
  const heading = Array.from(document.querySelectorAll('main h2')).find(h => h.textContent.includes('权重'));
  return {faces: faces.map(f => f.status), differs: draw('"Noto Sans SC"') !== draw('"no such font"'),
          check: document.fonts.check('16px "Noto Sans SC"', '信息基础'),
          family: heading ? getComputedStyle(heading).fontFamily : ''};
})()
"""


@requires_chromium
def test_chinese_text_uses_the_embedded_font(browser, site):
    _open(browser, site["zh"] / "notebooks/01_lesson.html")
    seen = browser.evaluate(_GLYPHS)
    assert seen["faces"] == ["loaded"], seen
    assert seen["differs"] and seen["check"], seen
    assert "Noto Sans SC" in seen["family"], seen
    # what Chromium really drew with: a heading that starts in Chinese and goes on in Latin, and the table of
    # contents' entry for it (with the font listed after the Latin ones, both came out as missing-glyph boxes)
    browser.call("DOM.enable", True)
    browser.call("CSS.enable", True)
    root = browser.call("DOM.getDocument", True)["root"]["nodeId"]
    for selector in ("main h2[id*='Weights']", "nav.toc a[href*='Weights']"):
        node = browser.call("DOM.querySelector", True, nodeId=root, selector=selector)["nodeId"]
        assert node, selector
        fonts = browser.call("CSS.getPlatformFontsForNode", True, nodeId=node)["fonts"]
        chinese = [f for f in fonts if f["familyName"] == "Noto Sans SC" and f["isCustomFont"]]
        assert chinese and chinese[0]["glyphCount"] >= 2, (selector, fonts)    # 权, 重 (and the brackets)


_VISIBLE = "(el => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0)"


@requires_chromium
def test_code_is_hidden_until_the_toggle_is_pressed(browser, site):
    _open(browser, site["en"] / "notebooks/01_lesson.html")
    find = ("Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea-editor'))"
            ".find(e => e.textContent.includes('the code ran'))")
    output = ("Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
              ".find(e => e.textContent.includes('the code ran: 42'))")
    assert browser.evaluate(f"{_VISIBLE}({find})") is False
    assert browser.evaluate(f"{_VISIBLE}({output})") is True          # the output stays
    assert browser.evaluate("document.getElementById('code-toggle').textContent") == "Show code"
    browser.evaluate("document.getElementById('code-toggle').click()")
    assert browser.evaluate(f"{_VISIBLE}({find})") is True
    assert browser.evaluate("document.getElementById('code-toggle').textContent") == "Hide code"
    browser.evaluate("document.getElementById('code-toggle').click()")
    assert browser.evaluate(f"{_VISIBLE}({find})") is False


@requires_chromium
def test_contents_and_links_resolve(browser, site):
    for lang in ("en", "zh"):
        page = site[lang] / "notebooks/01_lesson.html"
        _open(browser, page)
        toc = browser.evaluate("Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href'))")
        assert len(toc) >= 3, toc
        for href in toc:
            assert href.startswith("#")
            assert browser.evaluate(f"!!document.getElementById({href[1:]!r}) || "
                                    f"!!document.getElementById(decodeURIComponent({href[1:]!r}))"), href
        links = browser.evaluate("[document.querySelector('a.home').href, document.querySelector('a.glossary').href]")
        targets = [Path(unquote(link.removeprefix("file://"))) for link in links]
        assert [t.name for t in targets] == ["index.html", "glossary.html"] and all(t.exists() for t in targets)
    _open(browser, site["zh"] / "glossary.html")
    assert Path(unquote(browser.evaluate("document.querySelector('a.home').href").removeprefix("file://"))).exists()


@requires_chromium
def test_the_appendix_is_collapsed(browser, site):
    _open(browser, site["en"] / "notebooks/01_lesson.html")
    details = browser.evaluate("(() => { const d = document.querySelector('details.appendix');"
                               "return d && [d.open, d.querySelector('summary').textContent]; })()")
    assert details == [False, "Run details"]
    appendix = ("Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
                ".find(e => e.textContent.includes('RESULTS-DICT-IN-APPENDIX'))")
    assert browser.evaluate(f"{_VISIBLE}({appendix})") is False
    browser.evaluate("document.querySelector('details.appendix summary').click()")
    assert browser.evaluate(f"{_VISIBLE}({appendix})") is True
    # the appendix is last: nothing of the page's own content after it
    assert browser.evaluate("document.querySelector('main').lastElementChild.matches('details.appendix')")


@requires_chromium
def test_prose_is_readable_and_a_wide_table_scrolls_in_its_cell(browser, site):
    _open(browser, site["en"] / "notebooks/01_lesson.html")
    layout = browser.evaluate(r"""(() => {
      const p = Array.from(document.querySelectorAll('main p')).find(e => e.textContent.includes('Untagged prose'));
      const t = document.querySelector('table.dataframe');
      const box = t.closest('.jp-RenderedHTML');
      return {prose: p.getBoundingClientRect().width, table: t.getBoundingClientRect().width,
              box: box.clientWidth, scroll: box.scrollWidth, overflow: getComputedStyle(box).overflowX,
              page: document.documentElement.scrollWidth};
    })()""")
    assert layout["prose"] <= 48 * 16 + 1, layout                      # 48em of 16 px
    assert layout["table"] > layout["box"] and layout["scroll"] > layout["box"], layout
    assert layout["overflow"] in ("auto", "scroll") and layout["page"] <= 1280, layout


def test_emphasis_next_to_chinese_punctuation_is_rendered_not_shown_as_asterisks():
    # review of issue 15: "**能：**可以" and "*预测：*" showed their asterisks (CommonMark does not close an emphasis
    # after full-width punctuation followed by a Chinese character); code spans and formulas keep theirs
    from cityeval.notebook._pages_math import markdown_to_html

    out = markdown_to_html("**数字医健（LIV_HEALTH）：**两组；*预测：*会变；`a**b**` 和 $x*y*z$")
    assert "<strong>数字医健（LIV_HEALTH）：</strong>两组" in out and "<em>预测：</em>会变" in out
    assert "<code>a**b**</code>" in out and "**" not in out.replace("<code>a**b**</code>", "")


# --------------------------------------------------------------------------- formulas (the rest of issue 15)

def _text_outside_math(html_text: str) -> str:
    """What a reader sees as text of ``html_text``, formulas and code left out."""
    out = re.sub(r"<math\b.*?</math>|<code\b.*?</code>|<pre\b.*?</pre>", " ", html_text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", out)


def test_latex_delimiters_are_formulas_except_in_code():
    # \(...\) and \[...\] (single backslash, as JupyterLab accepts them) were shown as "(x_1)" and "[S = ...]"
    from cityeval.notebook._pages_math import markdown_to_html

    out = markdown_to_html("Inline \\(x_1\\) here.\n\n\\[S = \\sum_k w_k\\]\n\nA span `\\(kept\\)` and\n\n"
                           "```\n\\[also kept\\]\n```\n")
    assert out.count("<math") == 2 and '<math display="block">' in out, out
    assert "<code>\\(kept\\)</code>" in out and "\\[also kept\\]" in out
    assert "x_1" not in _text_outside_math(out) and "sum" not in _text_outside_math(out)


def test_aligned_rows_cases_and_matrices_are_tables():
    # latex2mathml writes aligned's "&" as a letter and "\\" as a line break MathML Core does not show
    from cityeval.notebook._pages_math import tex_to_mathml

    for tex, rows, columns in [(r"\begin{aligned} a &= b \\ c &= d + e \end{aligned}", 2, 2),
                               (r"x &= 1 \\ y &= 2 \\ z &= 3", 3, 2),           # rows outside an environment
                               (r"x = 1 \\ y = 22", 2, 1),
                               (r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}", 2, 2),
                               (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", 2, 2),
                               (r"\begin{split} S &= a \\ &= b \end{split}", 2, 2)]:
        out = tex_to_mathml(tex, display=True)
        assert "<mi>&amp;</mi>" not in out and "<mi>&</mi>" not in out and "linebreak" not in out, (tex, out)
        assert out.count("<mtr>") == rows, (tex, out)
        first = re.search(r"<mtr>(.*?)</mtr>", out, re.S).group(1)
        assert first.count("<mtd") == columns, (tex, out)
    aligned = tex_to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    assert re.findall(r'columnalign="(\w+)"', aligned) == ["right", "left"] * 2, aligned


def test_an_unknown_command_warns_with_the_notebook_and_cell_and_never_shows_tex(tmp_path):
    # latex2mathml shows an unknown \foo as the text "\foo": the page showed raw TeX and nothing said so
    from cityeval.notebook._pages_math import FormulaWarning

    c = nbformat.v4
    nb = c.new_notebook(cells=[c.new_markdown_cell("# Weights"), c.new_code_cell("1"),
                               c.new_markdown_cell("The score $\\foo{x} + \\bar{y}$.")])
    path = tmp_path / "00_unknown.ipynb"
    nbformat.write(nb, str(path))
    with pytest.warns(FormulaWarning, match=r"notebook 00_unknown, cell 3 \(id [^)]+\): unknown TeX command "
                                            r"\\foo in the formula \$\\foo\{x\} \+ \\bar\{y\}\$") as seen:
        page = pages.render_notebook(path)
    assert len(seen) == 1                                        # \bar is known: one warning, for \foo
    assert "\\foo" not in _text_outside_math(page) and "\\foo" not in re.sub(r'title="[^"]*"', "", page)
    assert '<merror class="math-unknown"' in page and "<mtext>foo</mtext>" in page
    # through the runner: papermill's injected parameters cell is not counted, so the number is the source's
    nb.cells.insert(0, c.new_code_cell('lang: str = "en"', metadata={"tags": ["parameters"]}))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    with pytest.warns(FormulaWarning, match=r"notebook 00_unknown, cell 4 \(id [^)]+\): unknown TeX command \\foo"):
        outcome = runner.execute_notebook(path, parameters={"lang": "zh"}, out_dir=tmp_path / "out")
    assert outcome.ok, outcome.error


def test_a_formula_that_does_not_parse_warns_and_shows_no_tex():
    from cityeval.notebook._pages_math import FormulaWarning, tex_to_mathml

    with pytest.warns(FormulaWarning, match=r"glossary line 3: the formula \$x\^\$ could not be typeset"):
        out = tex_to_mathml(r"x^", where="glossary line 3")
    assert 'class="math-error"' in out and "x^" not in re.sub(r'title="[^"]*"', "", out), out


def _markdown_sources():
    """``(where, markdown)`` of every markdown cell of every notebook, and of docs/glossary.md."""
    import json

    from cityeval import paths

    found = []
    for notebook in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        found += [(f"notebook {notebook.stem}, cell {number}", "".join(cell["source"]))
                  for number, cell in enumerate(cells, 1) if cell["cell_type"] == "markdown"]
    glossary = paths.ROOT / "docs" / "glossary.md"
    if glossary.is_file():
        found.append(("docs/glossary.md", glossary.read_text(encoding="utf-8")))
    return found


_DELIMITED = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|\\\(.+?\\\)|\\\[.+?\\\]|\\begin\{", re.S)


def test_every_formula_of_every_notebook_and_the_glossary_is_typeset():
    # and no "**" left on the page: "**熵权法**、**CRITIC**（…）" paired the wrong markers ("**CRITIC<strong>（…")
    from cityeval.notebook._pages_math import FormulaWarning, markdown_to_html

    sources = _markdown_sources()
    total = 0
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("error", FormulaWarning)    # an unknown command fails, naming the cell
        for where, source in sources:
            code_free = re.sub(r"```.*?```|`[^`\n]*`", "", source, flags=re.S)
            expected = len(_DELIMITED.findall(code_free))
            out = markdown_to_html(source, where=where)
            assert out.count("<math") >= expected, f"{where}: {expected} formulas, {out.count('<math')} typeset"
            text = _text_outside_math(out)
            assert not re.search(r"\\[A-Za-z]+|\$", text), f"{where}: TeX left as text: {text[:300]}"
            assert not re.search(r"<m[a-z]+[^>]*>[^<]*\\[A-Za-z]", out), f"{where}: a TeX command inside a formula"
            assert "**" not in text, f"{where}: emphasis shown as asterisks: {text[text.index('**') - 60:][:160]}"
            total += expected
    assert len(sources) > 50 and total > 30, (len(sources), total)   # the notebooks do hold formulas (72 today)


@requires_chromium
def test_the_glossary_table_is_readable_at_1280_px_and_on_a_phone(browser, tmp_path):
    # review of issue 15: at 1280 px the Chinese column was two characters wide (数字/城市/竞争/力), and on a phone
    # the five columns pushed the page to 1026 px; now: wide enough columns, and stacked cards on a narrow screen
    page = tmp_path / "glossary.html"
    page.write_text(pages.render_glossary(lang="zh"), encoding="utf-8")
    measure = r"""(() => {
      const rows = Array.from(document.querySelectorAll('table.glossary-5 tbody tr'));
      const term = rows[0].cells[0], english = rows[0].cells[1];
      const overflowing = Array.from(document.querySelectorAll('table.glossary td'))
        .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent.slice(0, 30));
      return {page: document.documentElement.scrollWidth, rows: rows.length, term: term.getBoundingClientRect().width,
              display: getComputedStyle(rows[0]).display, label: getComputedStyle(rows[0].cells[2], '::before').content,
              english: english.getBoundingClientRect().top - term.getBoundingClientRect().top, overflowing};
    })()"""
    open_page(browser, page, width=1280)
    wide = browser.evaluate(measure)
    assert wide["rows"] >= 80 and wide["page"] <= 1280 and wide["overflowing"] == [], wide
    assert wide["term"] >= 100 and wide["display"] == "table-row", wide      # 数字城市竞争力 on one or two lines
    assert wide["english"] == 0, wide                                          # the terms side by side
    open_page(browser, page, width=390)
    narrow = browser.evaluate(measure)
    assert narrow["page"] <= 390 and narrow["display"] == "block", narrow    # no sideways scrolling: cards
    assert narrow["label"] == '"定义"' and narrow["english"] > 0, narrow      # each cell under its column's label
    assert narrow["overflowing"] == [], narrow
    # the discouraged variants are code spans in Chinese: drawn with the embedded font, not as missing-glyph boxes
    browser.evaluate("document.fonts.ready.then(() => true)")
    browser.call("DOM.enable", True)
    browser.call("CSS.enable", True)
    root = browser.call("DOM.getDocument", True)["root"]["nodeId"]
    node = browser.call("DOM.querySelector", True, nodeId=root,
                        selector="table.glossary-4 td:nth-child(3) code")["nodeId"]
    fonts = browser.call("CSS.getPlatformFontsForNode", True, nodeId=node)["fonts"]
    assert any(f["familyName"] == "Noto Sans SC" and f["isCustomFont"] for f in fonts), fonts


def test_a_line_break_between_chinese_characters_is_no_space():
    # a markdown soft break renders as a space; between Chinese characters the browser shows it ("评分 （见上方）").
    # Expected by hand: the two lines join; a break beside a Latin word stays a break; code is left alone.
    from cityeval.notebook._pages_math import markdown_to_html

    assert markdown_to_html("按维度评分\n（见上方）。") == "<p>按维度评分（见上方）。</p>\n"
    assert markdown_to_html("见 run\n函数") == "<p>见 run\n函数</p>\n"
    assert "评分\n（" in markdown_to_html("```\n评分\n（见上方）\n```")
