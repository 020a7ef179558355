"""The report in a real browser (issue 7): every page opens, every figure renders, no error cell shows.

Headless Chromium (Debian's ``chromium`` package) is driven over the Chrome DevTools protocol on a
pipe (``--remote-debugging-pipe``: JSON messages ending in a NUL byte, Chromium reading file
descriptor 3 and writing 4), with the standard library (and bash) only: no Selenium, no Playwright, no browser
download. One browser serves the whole module; each page is opened from disk (``file://``), and once
its ``load`` event has fired a script run inside the page reports

* every ``<img>``: decoded, ``naturalWidth > 0`` (a figure that did not render has 0), and every
  inline SVG figure's size;
* error cells: what nbconvert 7 emits for a cell that raised. nbconvert renders the traceback as
  ``<div class="jp-RenderedText ..." data-mime-type="application/vnd.jupyter.stderr">`` - the same
  markup as any text written to stderr (a warning), so a stderr output counts as an error only when
  its text is a traceback (``Traceback (most recent call last)`` or a line ``SomethingError: ...``);
  papermill also tags the failed cell's page with ``#papermill-error-cell`` /
  ``.celltag_papermill-error-cell-tag``; the classic template's ``.output_error`` counts too; and
  the index page's ``tr.failed`` rows (a notebook that failed);
* the ``file://`` links of the page, which must exist on disk (the index links every notebook page).

The network is switched off inside the browser (``--host-resolver-rules``): nbconvert's pages ask a
CDN for require.js and MathJax, and a page must not depend on reaching it (nor a test on waiting
for it). The tests make their own pages - a notebook with a figure, one that raises, one with a
missing and a corrupt figure - so that the checks are shown to fail where they should; a last test
checks the real ``output/`` of ``make run`` when there is one.

The harness (the browser, the page script, the ``browser`` fixture) is in ``tests/browser.py``, shared with the
page and what-if tests.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest

from urllib.parse import unquote, urlsplit

from browser import requires_chromium
from cityeval import paths
from cityeval.notebook import runner

# --------------------------------------------------------------------------- pages the tests make

#: What a page would fetch from another host: a src/href/url()/@import naming http:, https: or //.
EXTERNAL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)(?:https?:)?//""", re.I)

_CORRUPT_PNG = base64.b64encode(b"this is not a PNG file").decode()


def _notebook(path: Path, cells) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(c) if c.startswith("#") else nbformat.v4.new_code_cell(c)
                for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Three executed notebooks and their index, as ``make run`` lays them out: ``{stem: html path}``."""
    src = tmp_path_factory.mktemp("notebooks")
    out = tmp_path_factory.mktemp("output")
    made = [
        _notebook(src / "01_figure.ipynb", [
            "## A figure\nOne bar chart, and a warning on stderr (a warning is not an error cell).",
            "import sys\nimport matplotlib\nmatplotlib.use('module://matplotlib_inline.backend_inline')\n"
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2))\nax.bar([1, 2, 3], [3, 1, 2])\n"
            "print('UserWarning: a harmless warning', file=sys.stderr)\nplt.show()"]),
        _notebook(src / "02_raises.ipynb", [
            "## A cell that raises", "x = 1", "raise RuntimeError('boom in a fixture cell')"]),
        _notebook(src / "03_broken_figure.ipynb", [
            "## Two figures that cannot render\n![a figure file that does not exist](missing_figure.png)",
            "from IPython.display import display\n"
            f"display({{'image/png': '{_CORRUPT_PNG}'}}, raw=True)"]),
    ]
    outcomes = [runner.execute_notebook(p, out_dir=out) for p in made]
    assert [o.ok for o in outcomes] == [True, False, True], [o.error for o in outcomes]
    runner.write_index(outcomes, out)
    pages = {o.stem: o.html for o in outcomes}
    pages["index"] = out / "index.html"
    return pages


@requires_chromium
@pytest.mark.notebook
def test_a_good_page_passes(browser, site):
    page = browser.check(site["01_figure"])
    assert page.problems() == []
    assert len(page.images) == 1 and page.images[0]["naturalWidth"] > 100
    assert page.stderr and "harmless warning" in page.stderr[0]  # seen, and not taken for an error
    assert page.seconds < 10


@requires_chromium
@pytest.mark.notebook
def test_an_error_cell_is_flagged(browser, site):
    page = browser.check(site["02_raises"])
    assert any("RuntimeError: boom in a fixture cell" in e and "Traceback" in e for e in page.errors), page.errors
    assert any("papermill" in e for e in page.errors)
    assert any(p.startswith("error cell:") for p in page.problems())


@requires_chromium
@pytest.mark.notebook
def test_a_figure_that_did_not_render_is_flagged(browser, site):
    page = browser.check(site["03_broken_figure"])
    assert len(page.images) == 2 and len(page.broken_images) == 2, page.images
    assert page.errors == []
    problems = page.problems()
    assert sum("did not render" in p for p in problems) == 2
    assert any("missing_figure.png" in p for p in problems)


@requires_chromium
@pytest.mark.notebook
def test_the_index_links_every_page_and_shows_the_failure(browser, site):
    page = browser.check(site["index"])
    linked = {Path(unquote(urlsplit(link).path)).name for link in page.links}
    # every notebook page, and the glossary written beside the index (issue 15)
    assert linked == {"01_figure.html", "02_raises.html", "03_broken_figure.html", "glossary.html"}
    assert len(page.errors) == 1 and "02_raises" in page.errors[0]
    assert not any("missing file" in p for p in page.problems())


@requires_chromium
@pytest.mark.notebook
def test_a_link_to_a_missing_page_is_flagged(browser, site, tmp_path):
    index = tmp_path / "index.html"
    index.write_text(site["index"].read_text(encoding="utf-8").replace("notebooks/01_figure.html",
                                                                        f"{site['01_figure'].parent}/gone.html"),
                     encoding="utf-8")
    assert any("link to a missing file" in p and "gone.html" in p for p in browser.check(index).problems())


# --------------------------------------------------------------------------- the real report

def _output_pages():
    """The pages of the report ``make run`` wrote: ``output/`` (or ``$CITYEVAL_OUTPUT``, where the runner writes)."""
    out = paths.output_dir()
    index = out / "index.html"
    if not index.exists():
        return [pytest.param(None, id="no-output", marks=pytest.mark.skip(
            reason=f"{index} is absent: run `make run` first to check the real report in a browser"))]
    pages = [index, *sorted((out / "notebooks").glob("*.html"))]
    return [pytest.param(p, id=str(p.relative_to(out))) for p in pages]


@requires_chromium
@pytest.mark.parametrize("html", _output_pages())
def test_output_page_renders(browser, html):
    page = browser.check(html)
    problems = page.problems()
    assert problems == [], f"{html}:\n" + "\n".join(problems)
    if html.name != "index.html":
        assert page.title, f"{html}: the page has no title"
    # issue 15: nothing fetched from the network, every formula typeset (MathML), no TeX left in the text
    text = html.read_text(encoding="utf-8")
    assert not EXTERNAL.findall(text), f"{html}: loads {EXTERNAL.findall(text)[:3]}"
    # the class in an element (the page's stylesheet names it too: ".math-error { ... }")
    assert 'class="math-error"' not in text, f"{html}: a formula latex2mathml could not convert"
    visible = browser.evaluate("document.body.innerText")
    assert "$$" not in visible and "\\frac" not in visible, f"{html}: raw TeX shown"
    assert browser.evaluate("Array.from(document.querySelectorAll('math')).every(m => "
                            "m.getBoundingClientRect().width > 0 || !m.checkVisibility())")


@requires_chromium
@pytest.mark.notebook
def test_a_page_fetches_nothing_and_links_home(browser, site):
    # issue 15: nbconvert's lab page asked a CDN for require.js and MathJax; a page must work offline
    for stem in ("01_figure", "02_raises"):
        text = site[stem].read_text(encoding="utf-8")
        assert not EXTERNAL.findall(text), EXTERNAL.findall(text)[:3]
        page = browser.check(site[stem])
        names = {Path(unquote(urlsplit(link).path)).name for link in page.links}
        missing = [p for p in page.problems() if "missing file" in p]
        assert {"index.html", "glossary.html"} <= names and missing == [], (names, missing)


# --------------------------------------------------------------------------- "more" sections (issue 15)

def _more_notebook(path: Path, lang: str) -> Path:
    c = nbformat.v4
    cells = [
        c.new_code_cell(f'lang: str = "{lang}"  # page language', metadata={"tags": ["parameters"]}),
        c.new_markdown_cell("# A lesson\nThe main line, always shown."),
        c.new_markdown_cell("## Weights in depth\nThe long explanation, behind a click.",
                            metadata={"tags": ["more", "lang-en"]}),
        c.new_markdown_cell("## 权重详解\n详细的解释，点击后显示。", metadata={"tags": ["more", "lang-zh"]}),
        c.new_code_cell("print('OUTPUT-INSIDE-MORE')"),
        c.new_markdown_cell("### A deeper heading\nStill inside the section: a lower level does not close it."),
        c.new_code_cell("print('OUTPUT-UNDER-DEEPER-HEADING')"),
        c.new_markdown_cell("## The next section\nShown again: a heading of the same level closes the section."),
        c.new_code_cell("print('OUTPUT-AFTER-MORE')"),
        c.new_markdown_cell("### Proofs\nA second section, open to the end of the page.", metadata={"tags": ["more"]}),
        c.new_code_cell("print('OUTPUT-IN-LAST-MORE')"),
        c.new_code_cell("print('OUTPUT-IN-APPENDIX')", metadata={"tags": ["appendix"]}),
    ]
    nb = c.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def more_pages(tmp_path_factory):
    """``{lang: html path}`` of a notebook with two ``more`` sections, run in English and in Chinese."""
    made = {}
    for lang in ("en", "zh"):
        src = tmp_path_factory.mktemp(f"more-src-{lang}")
        out = tmp_path_factory.mktemp(f"more-out-{lang}")
        outcome = runner.execute_notebook(_more_notebook(src / "04_more.ipynb", lang), parameters={"lang": lang},
                                          out_dir=out)
        assert outcome.ok, outcome.error
        made[lang] = outcome.html
    return made


_SHOWN = ("(text => { const el = Array.from(document.querySelectorAll('main .jp-OutputArea-output, main p'))"
          ".find(e => e.textContent.includes(text)); return !!el && el.checkVisibility(); })")


@requires_chromium
@pytest.mark.notebook
def test_a_more_section_is_closed_and_holds_code_until_the_next_heading(browser, more_pages):
    from browser import open_page

    open_page(browser, more_pages["en"], width=1280)
    sections = browser.evaluate("Array.from(document.querySelectorAll('main details.more')).map(d => "
                                "[d.open, d.querySelector(':scope > summary').textContent.replace('¶', '').trim()])")
    assert sections == [[False, "More: Weights in depth"], [False, "More: Proofs"]], sections
    hidden = ["The long explanation", "OUTPUT-INSIDE-MORE", "Still inside the section", "OUTPUT-UNDER-DEEPER-HEADING",
              "OUTPUT-IN-LAST-MORE"]
    assert [browser.evaluate(f"{_SHOWN}({t!r})") for t in hidden] == [False] * len(hidden)
    assert browser.evaluate(f"{_SHOWN}('The main line')") and browser.evaluate(f"{_SHOWN}('OUTPUT-AFTER-MORE')")
    assert browser.evaluate(f"{_SHOWN}('Shown again')")
    # the last section ends before the appendix, which stays its own collapsed section at the end of the page
    assert browser.evaluate("!document.querySelector('details.appendix').closest('details.more') && "
                            "document.querySelector('main').lastElementChild.matches('details.appendix')")
    browser.evaluate("document.querySelector('details.more > summary').click()")
    assert [browser.evaluate(f"{_SHOWN}({t!r})") for t in hidden[:4]] == [True] * 4
    assert browser.evaluate(f"{_SHOWN}('OUTPUT-IN-LAST-MORE')") is False


@requires_chromium
@pytest.mark.notebook
def test_a_contents_entry_inside_a_more_section_opens_it(browser, more_pages):
    from browser import open_page

    open_page(browser, more_pages["en"], width=1280)
    toc = browser.evaluate("Array.from(document.querySelectorAll('nav.toc a')).map(a => a.textContent)")
    assert "A deeper heading" in toc and "More: Weights in depth" in toc, toc
    assert browser.evaluate("document.querySelector('details.more').open") is False
    browser.evaluate("Array.from(document.querySelectorAll('nav.toc a'))"
                     ".find(a => a.textContent === 'A deeper heading').click()")
    assert browser.evaluate("document.querySelector('details.more').open") is True
    assert browser.evaluate(f"{_SHOWN}('Still inside the section')")
    assert browser.evaluate("(() => { const h = Array.from(document.querySelectorAll('main h3'))"
                            ".find(e => e.textContent.includes('A deeper heading'));"
                            " const r = h.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()")          # scrolled to it
    # a link from elsewhere (the address's #anchor changing) opens it too
    heading = browser.evaluate("Array.from(document.querySelectorAll('main h3'))"
                               ".find(e => e.textContent.includes('A deeper heading')).id")
    open_page(browser, more_pages["en"], width=1280)
    browser.evaluate(f"new Promise(done => {{ addEventListener('hashchange', () => setTimeout(done, 50)); "
                     f"location.hash = {heading!r}; }})")
    assert browser.evaluate("document.querySelector('details.more').open") is True


@requires_chromium
@pytest.mark.notebook
def test_a_more_section_on_a_chinese_page(browser, more_pages):
    from browser import open_page

    open_page(browser, more_pages["zh"], width=1280)
    summaries = browser.evaluate("Array.from(document.querySelectorAll('main details.more > summary'))"
                                 ".map(s => s.textContent.replace('¶', '').trim())")
    assert summaries == ["展开：权重详解", "展开：Proofs"], summaries
    assert browser.evaluate(f"{_SHOWN}('详细的解释')") is False
