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
