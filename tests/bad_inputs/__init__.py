"""The catalogue of bad inputs: each one, the routes it is tried through, and what the error must say.

Used by ``tests/cli/test_bad_inputs.py``; ``python tests/bad_inputs`` (or ``python -m bad_inputs`` from
``tests/``) runs every case once and writes the tables of ``docs/bad-inputs.md`` with each case's message (a test
checks the two agree). One module per section, each with its own ``CASES`` and its own id letter:

- ``inputs``: dataset folders (D), published tables (T) and notebook parameters (P): the first 34 cases;
- ``outputs`` (O): output paths that are inputs, folders, devices, links, unwritable or too long (issue 14 §1);
- ``runs`` (R): ``run``'s output folder and its run record (§2);
- ``options`` (M): options that name nothing or would be ignored, duplicate keys, numbers too large (§3, §4);
- ``precheck`` (K): every notebook parameter and every ``--data`` folder checked before a kernel starts (§3);
- ``numbers`` (N): values that overflow or columns that barely vary (§4);
- ``sizes`` (S): sizes whose memory estimate exceeds the machine's (§6);
- ``csv_files`` (C): CSV files as people export them (§5).

Routes:

- ``score``: ``python -m cityeval score FOLDER --out FILE`` (the command line on a dataset folder);
- ``validate``: ``python -m cityeval validate PATH`` (the command line on a published table);
- ``run``: ``python -m cityeval run --only NB ...`` passing the input as a notebook parameter
  (``--data FOLDER`` or ``-p NAME VALUE``), checked before any kernel starts;
- ``papermill``: the notebook executed directly by papermill with the bad parameter, where the
  notebook's own library calls must stop it;
- ``audit``: ``python -m cityeval audit FOLDER --spec SPEC --out FILE [ARGS]`` (``made["spec"]``, ``made["args"]``);
- ``cli``: any command line, given whole as ``made["argv"]`` (a list of strings);
- ``api``: the Python API, ``made["call"]`` a function of no arguments that must raise a ``CityevalError``.

Every route must fail with one clear message (exit 2 and one line ``error: ...`` on the command line), leave
every file that existed before unchanged and write no new file (unless the case names it in ``may_create``).
"""
from __future__ import annotations

import importlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TOY = ROOT / "data" / "examples" / "toy"
LESSON = ROOT / "data" / "examples" / "lesson"
PUBLISHED = ROOT / "data" / "published" / "ccid2022"
DOCS = ROOT / "docs" / "bad-inputs.md"
ROUTES = ("score", "validate", "run", "papermill", "audit", "cli", "api")

# (module, heading of its table in docs/bad-inputs.md), in the order of the document
SECTIONS = [
    ("inputs", "Dataset folders, published tables and notebook parameters"),
    ("outputs", "Outputs: where commands and the Python API write"),
    ("runs", "Runs and output folders"),
    ("options", "Options that would do nothing"),
    ("precheck", "run's pre-check: notebook parameters and what a data folder must hold"),
    ("numbers", "Numbers that overflow or barely vary"),
    ("sizes", "Sizes that do not fit in memory"),
    ("csv_files", "CSV files as people export them"),
]


@dataclass
class Case:
    id: str
    what: str
    routes: tuple
    make: object                       # (tmp_path) -> dict of what the routes need
    expect: tuple                      # regex fragments the message must contain (all of them)
    notebook: str = "02"               # notebook used by the run / papermill routes
    extra: dict = field(default_factory=dict)
    may_create: tuple = ()             # glob patterns (relative to tmp_path) of files the failure may leave
    stable: bool = True                # False: the message depends on the machine (docs show one example)

    def __post_init__(self):
        unknown = set(self.routes) - set(ROUTES)
        assert self.routes and not unknown, f"{self.id}: unknown route(s) {sorted(unknown)}; known: {ROUTES}"


# ----------------------------------------------------------------------------- builders shared by the sections
def toy(tmp_path, name="bad"):
    """A copy of the 8-city toy dataset folder under ``tmp_path``."""
    folder = tmp_path / name
    shutil.copytree(TOY, folder)
    return folder


def edit(path, old, new, count=1):
    """Replace ``old`` by ``new`` in a text file (``count`` times; it must occur)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def write_method(folder, record):
    (folder / "method.json").write_text(json.dumps(record), encoding="utf-8")


def data_case(change):
    """A toy folder changed by ``change(folder)``: for the score, run and audit routes."""
    def make(tmp_path):
        folder = toy(tmp_path)
        change(folder)
        return {"data": folder}
    return make


def table_case(name, change):
    """A copy of the published tables with ``<name>.csv`` changed: for the validate and run routes."""
    def make(tmp_path):
        folder = tmp_path / "published"
        shutil.copytree(PUBLISHED, folder)
        change(folder / f"{name}.csv")
        return {"table": folder / f"{name}.csv", "published_dir": folder}
    return make


def param_case(notebook, name, value):
    def make(tmp_path):
        return {"parameters": {name: value}}
    return make


# ----------------------------------------------------------------------------- the catalogue
def _load():
    cases, by_section = [], {}
    for module, _heading in SECTIONS:
        section = importlib.import_module(f"bad_inputs.{module}").CASES
        by_section[module] = section
        cases += section
    return cases, by_section


CASES, BY_SECTION = _load()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_tables(messages: dict | None = None) -> str:
    """The tables of ``docs/bad-inputs.md``: one per section; ``messages`` maps a case id to its message."""
    messages = messages or {}
    parts = []
    for module, heading in SECTIONS:
        rows = [f"## {heading}", "", "| id | bad input | tried through | the message |", "| --- | --- | --- | --- |"]
        for c in BY_SECTION[module]:
            routes = ", ".join(c.routes) + (f" (notebook {c.notebook})" if {"run", "papermill"} & set(c.routes) else "")
            message = messages.get(c.id, "")
            rows.append(f"| {c.id} | {_cell(c.what)} | {routes} | {('`' + _cell(message) + '`') if message else ''} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


def documented_messages(text: str | None = None) -> dict:
    """Case id -> message, read back from ``docs/bad-inputs.md``."""
    text = DOCS.read_text(encoding="utf-8") if text is None else text
    found = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and cells[3].startswith("`") and cells[3].endswith("`"):
            found[cells[0]] = cells[3][1:-1].replace("\\|", "|")
    return found
