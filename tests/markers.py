"""Skip markers for tests that need material outside the repository.

Tests that need ``../shared/`` (the report text, the COINr oracle) are marked
``shared`` and skip with a clear reason when it is absent: CI has it beside the
clone, a user's machine may not.
"""
from __future__ import annotations

import pytest

from cityeval import paths


def _shared_missing(path) -> str | None:
    if path.exists():
        return None
    return (f"{path} is absent: it holds material outside the repository "
            f"(CI lays ../shared/ beside the clone; a user's clone does not have it)")


requires_report = pytest.mark.skipif(
    _shared_missing(paths.REPORT_TEXT) is not None,
    reason=_shared_missing(paths.REPORT_TEXT) or "",
)
requires_coinr = pytest.mark.skipif(
    _shared_missing(paths.COINR_ASEM) is not None,
    reason=_shared_missing(paths.COINR_ASEM) or "",
)
