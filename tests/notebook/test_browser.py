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
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from cityeval import paths
from cityeval.notebook import runner

#: A browser binary: ``$CITYEVAL_CHROMIUM`` if set, else Debian's ``chromium`` on PATH.
CHROMIUM = os.environ.get("CITYEVAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (`chromium` not on PATH, CITYEVAL_CHROMIUM unset): the browser check of the HTML "
           "report needs Debian's `chromium` package (apt-get install chromium); .ci/run installs it in CI",
)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         # no network at all: pages must render from disk, and nothing waits on an unreachable CDN
         "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1024", "--remote-debugging-pipe"]
PAGE_TIMEOUT = 30.0  # seconds; a page loads in well under one

#: Runs inside each page once it has loaded; returns what the checks need.
PAGE_SCRIPT = r"""
(async () => {
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(im => im.decode().catch(() => null)));
  const images = imgs.map(im => ({src: (im.getAttribute("src") || "").slice(0, 80), alt: im.alt,
                                  complete: im.complete, naturalWidth: im.naturalWidth,
                                  naturalHeight: im.naturalHeight}));
  const svgs = Array.from(document.querySelectorAll(".jp-RenderedSVG svg, .output_svg svg")).map(s => {
    const r = s.getBoundingClientRect(); return {width: r.width, height: r.height}; });
  const traceback = /Traceback \(most recent call last\)|^\s*[A-Za-z_][\w.]*(Error|Exception)\b[^\n]*:/m;
  const errors = [], stderr = [];
  const outputs = '[data-mime-type="application/vnd.jupyter.stderr"], .output_stderr, .output_error';
  for (const el of document.querySelectorAll(outputs)) {
    const text = el.innerText.trim();
    if (el.classList.contains("output_error") || traceback.test(text)) errors.push(text.slice(0, 500));
    else stderr.push(text.slice(0, 200));
  }
  if (document.querySelector("#papermill-error-cell, .celltag_papermill-error-cell-tag"))
    errors.push("papermill marked a cell as failed (An Exception was encountered)");
  for (const tr of document.querySelectorAll("tr.failed"))
    errors.push("the index lists a failed notebook: " + tr.innerText.trim().slice(0, 300));
  const links = Array.from(document.querySelectorAll("a[href]")).map(a => a.href).filter(h => h.startsWith("file:"));
  return {title: document.title, images, svgs, errors, stderr, links};
})()
"""


@dataclass
class Page:
    """What the browser saw on one page."""
    path: Path
    seconds: float
    title: str = ""
    images: list = field(default_factory=list)
    svgs: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    stderr: list = field(default_factory=list)
    links: list = field(default_factory=list)

    @property
    def broken_images(self) -> list:
        return [im for im in self.images if not (im["complete"] and im["naturalWidth"] > 0)]

    @property
    def figures(self) -> int:
        return len(self.images) + len(self.svgs)

    def problems(self) -> list[str]:
        """Everything wrong with the page, one line each; empty when the page is fine."""
        out = [f"error cell: {e}" for e in self.errors]
        out += [f"figure did not render (naturalWidth 0): <img src={im['src']!r} alt={im['alt']!r}>"
                for im in self.broken_images]
        out += [f"inline SVG figure of size 0: {s}" for s in self.svgs if not (s["width"] > 0 and s["height"] > 0)]
        for link in self.links:
            target = Path(unquote(urlsplit(link).path))
            if not target.exists():
                out.append(f"link to a missing file: {target}")
        ipynb = self.path.with_suffix(".ipynb")
        if ipynb.exists():  # a notebook page shows (at least) every figure its notebook holds
            expected = _figure_outputs(ipynb)
            if self.figures < expected:
                out.append(f"{expected} figure outputs in {ipynb.name}, {self.figures} figures on the page")
        return out


def _figure_outputs(ipynb: Path) -> int:
    nb = nbformat.read(str(ipynb), as_version=4)
    kinds = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
    return sum(any(k in out.get("data", {}) for k in kinds)
               for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", []))


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (standard library only)."""

    def __init__(self, binary: str, profile: Path, log: Path):
        self.log = log
        to_browser_r, self._to_browser = self._high(*os.pipe())
        self._from_browser, from_browser_w = self._high(*os.pipe())

        # Chromium reads fd 3 and writes fd 4: bash moves the pipe ends there and execs the browser
        # (no preexec_fn, which is unsafe in a process with threads, as pytest's may be after kernels ran).
        move = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        with open(log, "wb") as err:
            self.proc = subprocess.Popen(["bash", "-c", move, binary, *FLAGS, f"--user-data-dir={profile}",
                                          "about:blank"], stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                         pass_fds=(to_browser_r, from_browser_w), start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    @staticmethod
    def _high(*fds):
        """The same pipe ends moved to numbers >= 10 (so that moving them onto 3 and 4 cannot clobber them)."""
        out = []
        for fd in fds:
            out.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
            os.close(fd)
        return out

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def _send(self, method, session=False, **params) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError(f"Chromium did not answer within {PAGE_TIMEOUT} s; its log ends:\n{self._log_tail()}")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the DevTools pipe (exit {self.proc.poll()}); its log ends:\n"
                                   f"{self._log_tail()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=False, **params) -> dict:
        wanted = self._send(method, session, **params)
        deadline = time.monotonic() + PAGE_TIMEOUT
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"DevTools {method} failed: {message['error']}")
                return message["result"]

    def check(self, path: Path) -> Page:
        """Open ``path`` from disk, wait for its load event, and report what the page shows."""
        path = Path(path).resolve()
        start = time.monotonic()
        deadline = start + PAGE_TIMEOUT
        wanted = self._send("Page.navigate", True, url=path.as_uri())
        navigated = loaded = False
        while not (navigated and loaded):
            message = self._receive(deadline)
            if message.get("id") == wanted:
                error = message.get("error") or message.get("result", {}).get("errorText")
                if error:
                    raise AssertionError(f"{path}: the browser could not open the page ({error})")
                navigated = True
            elif message.get("method") == "Page.loadEventFired" and navigated:
                loaded = True
        result = self.call("Runtime.evaluate", True, expression=PAGE_SCRIPT, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{path}: the page script failed: {result['exceptionDetails']}")
        return Page(path=path, seconds=time.monotonic() - start, **result["result"]["value"])

    def close(self):
        try:
            self.call("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a browser that will not close is ended below
            pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the process group this class started
            self.proc.wait(timeout=10)
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip(requires_chromium.kwargs["reason"])
    folder = tmp_path_factory.mktemp("chromium")
    b = Browser(CHROMIUM, folder / "profile", folder / "chromium.log")
    yield b
    b.close()


# --------------------------------------------------------------------------- pages the tests make

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
    assert linked == {"01_figure.html", "02_raises.html", "03_broken_figure.html"}
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
