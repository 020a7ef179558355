"""The bilingual glossary (docs/glossary.md): complete entries, unique anchors, library paths that exist, and
every method of every stage registry covered, so a new method without a glossary entry fails here."""
from __future__ import annotations

import ast
import csv
import importlib
import inspect
import re

import mistune
import pytest

import cityeval.composite as composite
from cityeval import paths
from cityeval.analysis import clustering, correlation, efficiency
from cityeval.notebook.labels import label

ROOT = paths.ROOT  # the source checkout (docs/ is not in the wheel)
GLOSSARY = ROOT / "docs" / "glossary.md"
HEADER = "| 中文 | English | 定义 | Definition | 位置 · Where |"
#: the last section, the preferred terms and their discouraged variants (its own table; tests/test_terminology.py)
USAGE = "## 用语规范"
USAGE_HEADER = "| 首选 · Preferred | English | 不用 · Discouraged | 说明 · Note |"
ANCHOR = re.compile(r'^<a id="([a-z0-9]+(?:-[a-z0-9]+)*)"></a>(.+)$')
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTEBOOK = re.compile(r"^\d\d_[a-z0-9_]+$")

#: the stage verbs and the registry whose keys the keyword names; every key must have an entry
STAGE_REGISTRIES = {
    ("denominate", "method"): composite.DENOMINATE_METHODS,
    ("impute", "method"): composite.IMPUTE_METHODS,
    ("screen", "method"): composite.SCREEN_METHODS,
    ("treat", "method"): composite.TREAT_METHODS,
    ("normalize", "method"): composite.NORMALIZE_METHODS,
    ("weight", "method"): composite.WEIGHT_METHODS,
    ("aggregate", "method"): composite.AGGREGATION_METHODS,
    ("rank", "ties"): composite.RANK_METHODS,
}
#: other choices a glossary reference may name: (function, keyword) -> allowed values
OTHER_CHOICES = {
    (correlation.correlation_test, "method"): correlation.CORRELATION_METHODS,
    (clustering.cluster, "algorithm"): clustering.ALGORITHMS,
    (efficiency.dea, "returns"): efficiency.RETURNS,
}


def parse(text: str) -> list[dict]:
    """The glossary's entries: one dict per table row, with its section, line and five cells."""
    entries, section, in_table = [], None, False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            section, in_table = line[3:].strip(), False
        elif line.strip() == HEADER:
            assert section is not None, f"line {number}: a table before any '## ' section"
            in_table = True
        elif in_table and line.startswith("| ---"):
            continue
        elif in_table and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == 5, f"line {number}: {len(cells)} cells, expected 5: {line[:80]}"
            entries.append({"section": section, "line": number, "cells": cells})
        elif line.strip():
            in_table = False
    return entries


def references(where: str) -> list[str]:
    return re.findall(r"`([^`]+)`", where)


def resolve(dotted: str):
    """The object a dotted path names: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)  # AttributeError names what is missing
        return obj
    raise ImportError(dotted)


def call_parts(ref: str):
    """(dotted name, positional literals, keyword literals) of a reference like ``a.b.f("x", k="v")``."""
    node = ast.parse(ref, mode="eval").body
    if isinstance(node, ast.Call):
        return (ast.unparse(node.func), [ast.literal_eval(a) for a in node.args],
                {k.arg: ast.literal_eval(k.value) for k in node.keywords})
    return ast.unparse(node), [], {}


@pytest.fixture(scope="module")
def text():
    return GLOSSARY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def entries(text):
    found = parse(text)
    assert found, "docs/glossary.md has no entry table"
    return found


def test_glossary_has_about_fifty_to_eighty_entries_in_sections(entries, text):
    # the brief: "about 50-80 entries, grouped", one '## ' section and one table per group
    assert 50 <= len(entries) <= 85, len(entries)
    sections = [line for line in text.splitlines() if line.startswith("## ") and not line.startswith(USAGE)]
    assert len(sections) == text.count(HEADER) == len({e["section"] for e in entries}), sections
    # the preferred-terms section is the last one, with its own table, once
    last = [line for line in text.splitlines() if line.startswith("## ")][-1]
    assert last.startswith(USAGE) and text.count(USAGE_HEADER) == 1, last


def test_every_entry_has_both_terms_and_both_definitions(entries):
    for e in entries:
        zh_term, en_term, zh_def, en_def, where = e["cells"]
        at = f"docs/glossary.md line {e['line']}"
        m = ANCHOR.match(zh_term)
        assert m, f"{at}: the first cell must start with <a id=\"...\"></a>: {zh_term[:60]}"
        assert CJK.search(m.group(2)), f"{at}: the Chinese term has no Chinese: {m.group(2)}"
        assert re.search(r"[A-Za-z]", en_term) and not CJK.search(en_term), f"{at}: English term {en_term!r}"
        assert CJK.search(zh_def) and zh_def.endswith("。"), f"{at}: Chinese definition {zh_def[:40]!r}"
        assert len(zh_def) >= 12, f"{at}: Chinese definition too short"
        assert not CJK.search(en_def) and en_def.endswith("."), f"{at}: English definition {en_def[:40]!r}"
        assert len(en_def.split()) >= 6, f"{at}: English definition too short"
        assert references(where), f"{at}: no library path or notebook named"


def test_anchor_ids_are_unique_and_in_page_links_resolve(entries, text):
    ids = [ANCHOR.match(e["cells"][0]).group(1) for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"anchor ids used twice: {dupes}"
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in ids, f"link to #{target}, which no entry has"


def test_every_library_path_and_notebook_named_exists(entries):
    for e in entries:
        at = f"docs/glossary.md line {e['line']}"
        for ref in references(e["cells"][4]):
            if NOTEBOOK.match(ref):
                assert (ROOT / "notebooks" / f"{ref}.ipynb").is_file(), f"{at}: no notebook {ref}"
            elif ref.startswith("cityeval"):
                dotted, args, kwargs = call_parts(ref)
                obj = resolve(dotted)
                if args or kwargs:
                    inspect.signature(obj).bind_partial(*args, **kwargs)  # TypeError names a wrong keyword
                stage = dotted.rsplit(".", 1)[-1]
                for key, value in kwargs.items():
                    if dotted.startswith("cityeval.composite.") and (stage, key) in STAGE_REGISTRIES:
                        assert value in STAGE_REGISTRIES[stage, key], f"{at}: {ref}: no {key} {value!r}"
                    if (obj, key) in OTHER_CHOICES:
                        assert value in OTHER_CHOICES[obj, key], f"{at}: {ref}: no {key} {value!r}"
            elif "/" in ref:
                assert (ROOT / ref).exists(), f"{at}: no file {ref}"
            else:
                pytest.fail(f"{at}: `{ref}` is neither a cityeval path, a notebook stem nor a file path")


def test_a_notebook_named_beside_a_method_uses_that_method(entries):
    # "or which notebook uses it": a row naming a stage method and a notebook must not claim a notebook that
    # never mentions the method (the notebook's JSON holds the quoted value, e.g. "ahp" or 'ahp')
    wrong = []
    for e in entries:
        refs = references(e["cells"][4])
        values = {v for r in refs if r.startswith("cityeval.composite.") for v in call_parts(r)[2].values()
                  if isinstance(v, str)}  # the stage methods
        for stem in (r for r in refs if NOTEBOOK.match(r)):
            source = (ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8")
            wrong += [f"line {e['line']}: {stem} never mentions {value!r}" for value in sorted(values)
                      if not any(q in source for q in (f'\\"{value}\\"', f"'{value}'", f" {value}"))]
    assert not wrong, "docs/glossary.md: " + "; ".join(wrong)


def uncovered(entries) -> list[str]:
    """The registered methods no entry names, as ``stage(key="method")``."""
    named = {key: set() for key in STAGE_REGISTRIES}
    for e in entries:
        for ref in references(e["cells"][4]):
            if ref.startswith("cityeval.composite."):
                dotted, _, kwargs = call_parts(ref)
                stage = dotted.rsplit(".", 1)[-1]
                for key, value in kwargs.items():
                    if (stage, key) in named:
                        named[stage, key].add(value)
    return [f'{stage}({key}="{m}")' for (stage, key), registry in STAGE_REGISTRIES.items()
            for m in registry if m not in named[stage, key]]


def test_every_registered_method_has_an_entry(entries):
    missing = uncovered(entries)
    assert not missing, f"methods in the library's registries without a glossary entry: {', '.join(missing)}"


def test_a_method_without_an_entry_is_named(entries):
    # the check above, on the glossary without its entropy row: what a new method without an entry looks like
    without = [e for e in entries if 'method="entropy"' not in e["cells"][4]]
    assert len(without) == len(entries) - 1
    assert uncovered(without) == ['weight(method="entropy")']


def test_dimension_terms_are_the_reports_own(entries):
    # the framework's names as transcribed from the report's Table 2 (data/published/ccid2022/framework.csv)
    with open(ROOT / "data" / "published" / "ccid2022" / "framework.csv", encoding="utf-8") as f:
        names = {row["code"]: (row["name_zh"], row["name_en"]) for row in csv.DictReader(f)}
    seen = set()
    for e in entries:
        for ref in references(e["cells"][4]):
            if ref.startswith("cityeval.notebook.labels.label("):
                _, args, kwargs = call_parts(ref)
                code = args[0]
                term = ANCHOR.match(e["cells"][0]).group(2)
                assert term == label(*args, **kwargs) == names[code][0], (e["line"], term)
                assert e["cells"][1] == names[code][1], (e["line"], e["cells"][1])
                seen.add(code)
    level1 = {code for code, (_, _) in names.items() if "_" not in code}
    assert seen == level1, f"first-level indicators without an entry: {sorted(level1 - seen)}"


def test_a_markdown_renderer_renders_every_entry_and_anchor(entries, text):
    html = mistune.create_markdown(escape=False, plugins=["table"])(text)
    assert html.count("<table>") == len({e["section"] for e in entries}) + 1     # + the preferred terms
    html = html[:html.rindex("<table>")]                                           # the entries' tables
    for e in entries:
        anchor = ANCHOR.match(e["cells"][0]).group(1)
        assert f'<a id="{anchor}"></a>' in html, anchor
    assert html.count("<tr>") == len(entries) + html.count("<table>")  # a header row per table


def test_parse_names_a_row_with_a_missing_cell():
    bad = f"## G\n\n{HEADER}\n| --- | --- | --- | --- | --- |\n| <a id=\"x\"></a>熵 | Entropy | 定义。 | Def. |\n"
    with pytest.raises(AssertionError, match="line 5: 4 cells"):
        parse(bad)
