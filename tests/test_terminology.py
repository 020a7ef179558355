"""One Chinese vocabulary (issue 15): docs/glossary.md is the authority, and no Chinese text a reader sees uses a
variant it discourages.

The glossary's section "用语规范 · Preferred terms" is a table of a preferred term, its English, the discouraged
variants (each in backticks) and a note. Every Chinese string in ``cityeval/**/*.py`` (string literals, docstrings
included), every line of ``notebooks/*.ipynb`` and every line of ``README.zh-CN.md`` is scanned for the discouraged
variants; a hit fails with ``file:line``, the variant and the preferred term. Markdown emphasis (``*名义*排名``) does
not hide a variant. The settled terms (a decision of the lead, issue 15: aggregation 加权汇总, Benefit of the Doubt
善意推定法, nominal ranking/method/panel 基准排名/基准方法/基准面板, nominal weights 名义权重, illustrative 示意)
must be in the table, so that the list cannot lose one silently.
"""
from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

import pytest

from cityeval import paths

ROOT = paths.ROOT
GLOSSARY = ROOT / "docs" / "glossary.md"
SECTION = "## 用语规范"
CJK = re.compile(r"[\u3400-\u9fff]")
#: The terms the lead settled (issue 15), with a variant of each the glossary must discourage.
SETTLED = {"加权汇总": "加总", "善意推定法（BoD）": "有利怀疑", "基准排名": "名义排名", "基准方法": "名义方法",
           "基准面板": "名义面板", "名义权重": None, "示意": None}


def preferred_terms(text: str) -> dict[str, str]:
    """``{discouraged variant: preferred term}`` from the glossary's "用语规范" table."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(SECTION)]
    assert len(starts) == 1, f"docs/glossary.md needs one '{SECTION} · Preferred terms' section"
    table, found = [], {}
    for line in lines[starts[0] + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("| ---"):
            table.append([c.strip() for c in line.strip().strip("|").split("|")])
    assert table and table[0][:3] == ["首选 · Preferred", "English", "不用 · Discouraged"], table[:1]
    for number, row in enumerate(table[1:], 1):
        assert len(row) == 4, f"row {number} of the preferred terms has {len(row)} cells: {row}"
        variants = re.findall(r"`([^`]+)`", row[2])
        for variant in variants:
            assert variant not in found, f"{variant} is discouraged twice"
            found[variant] = row[0]
    return found


def chinese_lines(path: Path):
    """``(line number, text)`` of the Chinese text of ``path``: string literals of a ``.py`` file (at the line each
    of their lines is on), the decoded strings of a notebook's JSON lines, the lines of a markdown file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and CJK.search(token.string):
                for offset, line in enumerate(token.string.splitlines()):
                    yield token.start[0] + offset, line
    elif path.suffix == ".ipynb":
        for number, raw in enumerate(text.splitlines(), 1):
            if not CJK.search(raw) and "\\u" not in raw:
                continue
            for literal in re.findall(r'"(?:[^"\\]|\\.)*"', raw):
                value = json.loads(literal)
                if CJK.search(value):
                    yield number, value
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if CJK.search(line):
                yield number, line


def scanned_files() -> list[Path]:
    files = sorted((ROOT / "cityeval").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
    readme = ROOT / "README.zh-CN.md"
    return files + ([readme] if readme.is_file() else [])


def discouraged_uses(files, terms: dict[str, str]) -> list[str]:
    """``file:line: "variant" -> preferred`` for each discouraged variant in the Chinese text of ``files``."""
    hits = []
    for path in files:
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for number, line in chinese_lines(path):
            plain = line.replace("*", "")          # *名义*排名 is 名义排名 on the page
            for variant, preferred in terms.items():
                if variant in plain:
                    hits.append(f'{where}:{number}: "{variant}" -> {preferred}')
    return hits


@pytest.fixture(scope="module")
def terms():
    return preferred_terms(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_lists_the_settled_terms_and_their_variants(terms):
    preferred = set(terms.values())
    for term, variant in SETTLED.items():
        assert term in preferred or term in GLOSSARY.read_text(encoding="utf-8"), term
        if variant:
            assert terms.get(variant) == term, (variant, terms.get(variant))
    # no preferred term contains a variant it would then be flagged for
    clashes = [(v, p) for v in terms for p in preferred if v in p]
    assert not clashes, clashes


def test_the_glossary_itself_uses_only_preferred_terms(terms):
    # its own entries (not the preferred-terms table, which names the variants)
    text = GLOSSARY.read_text(encoding="utf-8").split(SECTION)[0]
    hits = [f"docs/glossary.md:{n}: {v!r} -> {p}" for n, line in enumerate(text.splitlines(), 1)
            for v, p in terms.items() if v in line.replace("*", "")]
    assert not hits, "\n".join(hits)


def test_no_chinese_text_uses_a_discouraged_variant(terms):
    hits = discouraged_uses(scanned_files(), terms)
    assert not hits, f"{len(hits)} discouraged terms (docs/glossary.md, 用语规范):\n" + "\n".join(hits)


def test_a_discouraged_variant_is_named_with_file_line_and_preferred_term(terms, tmp_path):
    # what a hit looks like, in each kind of file (the check above, shown to fail where it should)
    module = tmp_path / "m.py"
    module.write_text('x = 1\nLABEL = {"zh": "与名义排名的相关"}\n"""doc\n\n第二行 有利怀疑"""\n', encoding="utf-8")
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": ["# 标题\n", "与*名义*排名比较"]}]},
                                   indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    escaped = tmp_path / "e.ipynb"
    escaped.write_text(json.dumps({"cells": [{"source": ["各层加总"]}]}, indent=1) + "\n", encoding="utf-8")
    readme = tmp_path / "r.md"
    readme.write_text("# 说明\n\n加权汇总没问题，名义权重也没问题。\n用名义方法。\n", encoding="utf-8")
    hits = discouraged_uses([module, notebook, escaped, readme], terms)
    assert hits == [f'{module}:2: "名义排名" -> 基准排名', f'{module}:5: "有利怀疑" -> 善意推定法（BoD）',
                    f'{notebook}:7: "名义排名" -> 基准排名', f'{escaped}:5: "加总" -> 加权汇总',
                    f'{readme}:4: "名义方法" -> 基准方法'], hits
