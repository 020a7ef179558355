"""Copy one figure of each executed notebook into docs/figures/ for the README.

Run after `make run`:  .venv/bin/python docs/make_figures.py
The figures are those of the default run (the synthetic panel where a notebook uses it: illustrative).
For notebooks 02-09 it is the ensemble figure (``"spread"``): the first figure of the first cell that draws
an ``EnsembleSummary.figure``, the nominal panel among the 50 that fit the published ranks. Notebook 10 draws
no figure of its own (its what-if is HTML and script): its picture is a screenshot of the what-if on its page,
taken with headless Chromium (``"screenshot"``; skipped, with a note, when no Chromium is installed).
"""
from __future__ import annotations

import base64
import json
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: notebook stem -> index of the figure (in output order) shown in the README
CHOSEN = {"00_method_walkthrough": 5, "01_published_claims": 0, **{stem: "spread" for stem in (
    "02_innovation_correlation", "03_capability_stages", "04_healthcare_polarization", "05_regional_patterns",
    "06_input_outcome_efficiency", "07_lowcarbon_typology", "08_innovation_concentration", "09_robustness")},
    "10_weights_what_if": "screenshot"}
#: the size in CSS pixels of notebook 10's screenshot, taken from the top of its what-if
WHAT_IF_SIZE = (1280, 1000)


def _screenshot(page: Path, target: Path) -> bool:
    """A headless-Chromium screenshot of the what-if on ``page`` (the test suite's DevTools harness,
    tests/browser.py, network blocked); False when there is no Chromium."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, Browser, open_page

    if CHROMIUM is None:
        return False
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(CHROMIUM, Path(profile) / "p", Path(profile) / "log")
        try:
            open_page(browser, page, width=WHAT_IF_SIZE[0], height=WHAT_IF_SIZE[1])
            # technology innovation's weight to 3 (the fifth slider), so that the picture shows cities moving
            browser.evaluate("document.fonts.ready.then(() => { const s = document.querySelectorAll("
                             "'.cew input[type=range]')[4]; s.value = 3; s.dispatchEvent(new Event('input', "
                             "{bubbles: true})); document.querySelector('.cew').scrollIntoView(); "
                             "window.scrollBy(0, -56); return true; })")
            browser.screenshot(target, full_page=False)
        finally:
            browser.close()
    return True


def _images(cell) -> list:
    return [o["data"]["image/png"] for o in cell.get("outputs", []) if "data" in o and "image/png" in o["data"]]


def main() -> None:
    out = ROOT / "docs" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    for stem, index in CHOSEN.items():
        if index == "screenshot":
            if _screenshot(ROOT / "output" / "notebooks" / f"{stem}.html", out / f"{stem}.png"):
                print(f"docs/figures/{stem}.png: a screenshot of its page's what-if")
            else:
                print(f"docs/figures/{stem}.png: not made (no chromium on PATH)")
            continue
        nb = json.loads((ROOT / "output" / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        if index == "spread":
            cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and _images(c)
                        and re.search(r"\w\.figure\(", "".join(c["source"])))
            image, what = _images(cell)[0], "the ensemble figure"
        else:
            images = [img for c in nb["cells"] for img in _images(c)]
            image, what = images[index], f"figure {index + 1} of {len(images)}"
        (out / f"{stem}.png").write_bytes(base64.b64decode(image))
        print(f"docs/figures/{stem}.png: {what}")


if __name__ == "__main__":
    main()
