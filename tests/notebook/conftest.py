"""Notebooks executed once per test session and shared by the tests that read their results."""
from __future__ import annotations

import json
import shutil

import pytest

from browser import CHROMIUM, Browser, requires_chromium
from cityeval import paths
from cityeval.notebook import runner


def test_parameters(stem: str) -> dict:
    """The small parameters a notebook's ``metadata.cityeval.test_parameters`` declares."""
    path = paths.NOTEBOOKS / f"{stem}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("cityeval", {}).get("test_parameters", {})


@pytest.fixture(scope="session")
def executed_notebook(tmp_path_factory):
    """``executed_notebook(stem, **overrides)`` -> the results document of the notebook run with its test
    parameters (and ``overrides``); each distinct run happens once per session."""
    done = {}

    def execute(stem: str, **overrides) -> dict:
        key = (stem, tuple(sorted(overrides.items())))
        if key not in done:
            out = tmp_path_factory.mktemp(stem)
            params = {**test_parameters(stem), **overrides}
            outcome = runner.execute_notebook(paths.NOTEBOOKS / f"{stem}.ipynb", parameters=params, out_dir=out,
                                              render_html=False)
            assert outcome.ok, outcome.error
            done[key] = json.loads((out / "results" / f"{stem}.json").read_text(encoding="utf-8"))
        return done[key]

    return execute


@pytest.fixture(scope="session")
def copied_panel(tmp_path_factory):
    """The embedded synthetic panel copied to another folder: the same data, but not the embedded panel, so the
    notebooks have no ensemble for it."""
    folder = tmp_path_factory.mktemp("own") / "panel"
    shutil.copytree(paths.DATA / "synthetic" / "ccid2022", folder)
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium, one per test module (tests/browser.py)."""
    if CHROMIUM is None:
        pytest.skip(requires_chromium.kwargs["reason"])
    folder = tmp_path_factory.mktemp("chromium")
    b = Browser(CHROMIUM, folder / "profile", folder / "chromium.log")
    yield b
    b.close()
