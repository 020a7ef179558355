"""Where cityeval's embedded data and outputs live."""
from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder holding ``data/`` and ``notebooks/``).
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PUBLISHED = DATA / "published" / "ccid2022"
REFERENCE = DATA / "reference"
NOTEBOOKS = ROOT / "notebooks"
#: Default output folder; ``CITYEVAL_OUTPUT`` overrides it (the test suite runs notebooks into a temporary one).
OUTPUT = ROOT / "output"


def output_dir() -> Path:
    """The output folder in force now: ``$CITYEVAL_OUTPUT`` if set, else ``output/``."""
    env = os.environ.get("CITYEVAL_OUTPUT")
    return Path(env) if env else OUTPUT
#: ``../shared/`` beside the clone: the report text and the COINr oracle (CI has it, users may not).
SHARED = ROOT.parent / "shared"
REPORT_TEXT = SHARED / "seed" / "000_dbb2a3d0072553d9.txt"
COINR_ASEM = SHARED / "oracles" / "coinr-asem"
