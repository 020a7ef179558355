"""Where cityeval's embedded data, notebooks and outputs live.

Two layouts, one rule: the embedded data and notebooks are found from the package itself,
never from the current folder.

- **A source checkout** (a clone, or ``pip install -e .``): the repository root holds
  ``data/`` and ``notebooks/`` beside ``cityeval/``; outputs go to ``output/`` there.
- **An installed wheel** (``pip install .``): the wheel carries the same two folders inside
  the package, as ``cityeval/_bundle/data`` and ``cityeval/_bundle/notebooks``
  (``pyproject.toml``, hatchling's ``force-include``); outputs go to ``output/`` in the
  current folder, since the installation's own folder is no place to write.

``CITYEVAL_OUTPUT`` overrides the output folder in both (the test suite runs notebooks into
a temporary one).

>>> (DATA / "published" / "ccid2022" / "overall_top100.csv").is_file()
True
>>> (NOTEBOOKS / "01_published_claims.ipynb").is_file()
True
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PACKAGE", "ROOT", "DATA", "PUBLISHED", "REFERENCE", "NOTEBOOKS", "OUTPUT", "SOURCE_CHECKOUT",
           "output_dir", "SHARED", "REPORT_TEXT", "COINR_ASEM"]

#: The installed package's own folder.
PACKAGE = Path(__file__).resolve().parent
_REPOSITORY = PACKAGE.parent
#: True in a source checkout (the repository's data/ and notebooks/ beside the package).
SOURCE_CHECKOUT = all((_REPOSITORY / name).is_file() or (_REPOSITORY / name).is_dir()
                      for name in ("pyproject.toml", "data", "notebooks"))
#: The folder holding ``data/`` and ``notebooks/``: the repository root, or the wheel's bundle.
ROOT = _REPOSITORY if SOURCE_CHECKOUT else PACKAGE / "_bundle"
DATA = ROOT / "data"
PUBLISHED = DATA / "published" / "ccid2022"
REFERENCE = DATA / "reference"
NOTEBOOKS = ROOT / "notebooks"
#: Default output folder of a source checkout; ``None`` in an installed package, which writes to
#: ``./output`` (:func:`output_dir`), never into its own installation.
OUTPUT = _REPOSITORY / "output" if SOURCE_CHECKOUT else None


def output_dir() -> Path:
    """The output folder in force now: ``$CITYEVAL_OUTPUT`` if set, else ``output/`` at the repository
    root (a source checkout) or in the current folder (an installed package)."""
    env = os.environ.get("CITYEVAL_OUTPUT")
    if env:
        return Path(env)
    return OUTPUT if SOURCE_CHECKOUT else Path.cwd() / "output"


#: ``../shared/`` beside the clone: the report text and the COINr oracle (CI has it, users may not).
SHARED = _REPOSITORY.parent / "shared"
REPORT_TEXT = SHARED / "seed" / "000_dbb2a3d0072553d9.txt"
COINR_ASEM = SHARED / "oracles" / "coinr-asem"
