"""Every bad input of the catalogue (tests/bad_inputs/), through every route it names.

Each must fail with one clear message (exit 2 and one line ``error: ...``, no traceback; or the documented
exception through the Python API and papermill) naming the file, line, column, city or parameter and what was
expected, leave every file that existed unchanged and write no file (the case's ``may_create`` aside). The
expected fragments are the issue's (issues 9 and 14); the message of each case's first route must be the one
docs/bad-inputs.md shows (regenerate with ``python tests/bad_inputs``).
"""
from __future__ import annotations

import fnmatch
import re
import subprocess
import sys

import pytest

from bad_inputs import BY_SECTION, CASES, DOCS, documented_messages, markdown_tables
from bad_inputs.routes import attempt, shown

CASE_ROUTES = [(c, r) for c in CASES for r in c.routes]
DOCUMENTED = documented_messages() if DOCS.exists() else {}


def _files(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("case, route", CASE_ROUTES, ids=[f"{c.id}-{r}" for c, r in CASE_ROUTES])
def test_bad_input(case, route, tmp_path):
    made = case.make(tmp_path)
    before = _files(tmp_path)
    kind, detail, message = attempt(case, route, made, tmp_path)
    if kind == "exit":
        assert detail == 2, f"{case.id}: exit {detail}, stderr {message!r}"
        assert message.startswith("error: ") and "Traceback" not in message, message
        assert message.count("\n") == 1, f"{case.id}: more than one line: {message!r}"
    elif route == "papermill":
        assert detail in ("ParameterError", "DataError", "CityevalError"), f"{case.id}: {detail} {message!r}"
    else:
        assert detail is not None, f"{case.id}: the call raised no CityevalError"
    for fragment in case.expect:
        assert re.search(fragment, message), f"{case.id}: {fragment!r} not in {message!r}"
    if route == case.routes[0] and case.stable:
        assert DOCUMENTED.get(case.id) == shown(message, tmp_path), \
            f"{case.id}: docs/bad-inputs.md shows another message: python tests/bad_inputs"
    # input files are never modified, and nothing new is left behind
    after = _files(tmp_path)
    assert all(after.get(p) == data for p, data in before.items()), f"{case.id}: an input file changed"
    new = sorted(str(p.relative_to(tmp_path)) for p in set(after) - set(before))
    if route == "papermill":
        new = [n for n in new if n != "executed.ipynb"]
    new = [n for n in new if not any(fnmatch.fnmatch(n, pat) for pat in case.may_create)]
    assert not new, f"{case.id}: left behind {new}"


def test_catalogue_size_and_docs():
    # issue 14: at least 80 cases in all, ids unique, every case documented with its message
    assert len(CASES) >= 80 and len({c.id for c in CASES}) == len(CASES)
    text = DOCS.read_text(encoding="utf-8")
    # the documented ids are exactly the catalogue's: no case undocumented, no documented case that is gone
    assert set(DOCUMENTED) == {c.id for c in CASES}, sorted(set(DOCUMENTED) ^ {c.id for c in CASES})
    assert markdown_tables(DOCUMENTED) in text, "docs/bad-inputs.md is out of date: python tests/bad_inputs"
    missing = [c.id for c in CASES if c.id not in DOCUMENTED]
    assert not missing, f"no documented message for {missing}: python tests/bad_inputs"


@pytest.mark.parametrize("argv", [["score", "no_such_folder"], ["run", "--only", "02", "-p", "top_n", "500"]])
def test_real_process_prints_one_line_and_no_traceback(argv, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cityeval", *argv], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_each_section_has_one_letter_and_numbers_from_01():
    letters = {}
    for module, cases in BY_SECTION.items():
        for c in cases:
            assert re.fullmatch(r"[A-Z]\d\d", c.id), f"{module}: id {c.id!r} is not a letter and two digits"
        by_letter = {}
        for c in cases:
            by_letter.setdefault(c.id[0], []).append(int(c.id[1:]))
        for letter, numbers in by_letter.items():
            assert letters.setdefault(letter, module) == module, f"letter {letter} used by {letters[letter]} and {module}"
            assert numbers == list(range(1, len(numbers) + 1)), f"{module}: {letter} ids not numbered 01, 02, ..."
