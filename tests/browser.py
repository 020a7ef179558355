"""Headless Chromium for the page tests, driven over the DevTools protocol on a pipe (standard library only).

See tests/notebook/test_browser.py for what the checks look for; tests/notebook/test_pages.py and
tests/notebook/test_whatif.py use the same browser to read, click and screenshot pages.
"""
from __future__ import annotations

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

    def open(self, path: Path) -> None:
        """Open ``path`` from disk and wait for its load event."""
        path = Path(path).resolve()
        deadline = time.monotonic() + PAGE_TIMEOUT
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

    def evaluate(self, expression: str):
        """The value of the JavaScript ``expression`` in the open page (promises awaited)."""
        result = self.call("Runtime.evaluate", True, expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"the page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, target: Path, *, full_page: bool = True) -> Path:
        """Save a PNG of the open page (the whole page when ``full_page``) to ``target``."""
        import base64

        params = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        data = self.call("Page.captureScreenshot", True, **params)["data"]
        Path(target).write_bytes(base64.b64decode(data))
        return Path(target)

    def check(self, path: Path) -> Page:
        """Open ``path`` from disk, wait for its load event, and report what the page shows."""
        path = Path(path).resolve()
        start = time.monotonic()
        self.open(path)
        return Page(path=path, seconds=time.monotonic() - start, **self.evaluate(PAGE_SCRIPT))

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

def open_page(browser: "Browser", path: Path, *, width: int = 1280, height: int = 1024) -> None:
    """Open ``path`` from disk at ``width`` x ``height`` CSS pixels and wait for its load event."""
    browser.call("Emulation.setDeviceMetricsOverride", True, width=width, height=height, deviceScaleFactor=1,
                 mobile=False)
    browser.open(path)
