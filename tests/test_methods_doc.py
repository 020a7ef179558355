"""docs/methods.md: for each finding, the statistic, its assumptions, what would change the conclusion and the
references (issue 13). The headings are what a reader looks for, so their presence per section is checked."""
from __future__ import annotations

import re

from cityeval import paths

DOC = paths.ROOT / "docs" / "methods.md"
PARTS = ("**Statistic**", "**Assumptions**", "**What would change the conclusion**", "**References**")


def _sections() -> list[tuple[str, str]]:
    """``(notebook number, body)`` per ``## NN · title`` section; a notebook may have several (one per statistic)."""
    text = DOC.read_text(encoding="utf-8")
    heads = list(re.finditer(r"^## (\d\d) · .+$", text, flags=re.M))
    return [(m.group(1), text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)])
            for i, m in enumerate(heads)]


def test_every_finding_notebook_has_a_section():
    stems = sorted(p.stem[:2] for p in paths.NOTEBOOKS.glob("0[1-9]_*.ipynb"))
    assert sorted({number for number, _ in _sections()}) == stems


def test_each_section_states_statistic_assumptions_what_would_change_it_and_references():
    for number, body in _sections():
        missing = [p for p in PARTS if p not in body]
        assert not missing, f"section {number} of {DOC.name} lacks {missing}"
        references = body.split("**References**", 1)[1]
        # at least one full citation: an author and a year in parentheses or after a comma
        assert re.search(r"[A-Z][a-z]+.*\b(19|20)\d\d\b", references), f"section {number}: no citation"


def test_the_readme_points_to_the_methods_page():
    assert "docs/methods.md" in (paths.ROOT / "README.md").read_text(encoding="utf-8")
