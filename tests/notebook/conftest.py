"""Fixtures of the notebook tests (the shared notebook executions, ``executed_run``, are in tests/conftest.py)."""
from __future__ import annotations

import shutil

import pytest

from browser import CHROMIUM, Browser, requires_chromium
from cityeval import paths


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
