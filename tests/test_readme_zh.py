"""README.zh-CN.md says all README.md does: the same headings at each level in the same order, the same fenced
code blocks byte for byte, the same figures and relative links, and per section the same table rows and the
same inline code (commands, paths, option names). A failure names the first difference."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from cityeval import paths

ENGLISH, CHINESE = "README.md", "README.zh-CN.md"
#: the line at the top of each README that links the other (not compared as a link of the content)
CROSS_LINKS = {ENGLISH, CHINESE}
FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6}) +(.*)$")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def outline(text: str) -> dict:
    """The parts of a README that a translation must keep: headings (level and position), fenced code blocks,
    image paths and relative link targets in order, and per section its table rows and inline code spans."""
    headings, blocks, images, links, sections = [], [], [], [], [{"rows": 0, "prose": []}]
    block = None
    for number, line in enumerate(text.split("\n"), 1):
        if block is not None:
            block.append(line)
            if FENCE.match(line) and line.strip() == block[0].strip()[:3]:
                blocks.append("\n".join(block))
                block = None
            continue
        if FENCE.match(line):
            block = [line]
            continue
        m = HEADING.match(line)
        if m:
            headings.append((len(m.group(1)), number, m.group(2)))
            sections.append({"rows": 0, "prose": []})
            continue
        images += IMAGE.findall(line)
        links += [t for t in LINK.findall(line) if not re.match(r"^[a-z]+:|^#", t) and t not in CROSS_LINKS]
        if line.startswith("|") and not re.match(r"^\|[\s|:-]+\|$", line):
            sections[-1]["rows"] += 1
        sections[-1]["prose"].append(line)
    if block is not None:
        blocks.append("\n".join(block) + "  (unclosed)")
    for section in sections:  # a code span may run over a line break: whitespace inside it counts as one space
        section["code"] = Counter(" ".join(s.split()) for _, s in CODE_SPAN.findall("\n".join(section.pop("prose"))))
    return {"headings": headings, "blocks": blocks, "images": images, "links": links, "sections": sections}


def first_difference(english: str, chinese: str) -> str | None:
    """None when the Chinese text keeps the English one's structure, else a sentence naming the first difference."""
    en, zh = outline(english), outline(chinese)
    for i, (a, b) in enumerate(zip(en["headings"], zh["headings"])):
        if a[0] != b[0]:
            return (f"heading {i + 1}: level {a[0]} in {ENGLISH} (line {a[1]}: {a[2]!r}) but level {b[0]} in "
                    f"{CHINESE} (line {b[1]}: {b[2]!r})")
    if len(en["headings"]) != len(zh["headings"]):
        longer, name = (en, ENGLISH) if len(en["headings"]) > len(zh["headings"]) else (zh, CHINESE)
        extra = longer["headings"][min(len(en["headings"]), len(zh["headings"]))]
        return (f"{len(en['headings'])} headings in {ENGLISH}, {len(zh['headings'])} in {CHINESE}: the first "
                f"without a counterpart is {name} line {extra[1]}: {'#' * extra[0]} {extra[2]}")
    for kind in ("blocks", "images", "links"):
        for i, (a, b) in enumerate(zip(en[kind], zh[kind])):
            if a != b:
                return f"{kind[:-1]} {i + 1} differs: {ENGLISH} has {a!r}, {CHINESE} has {b!r}"
        if len(en[kind]) != len(zh[kind]):
            return f"{len(en[kind])} {kind} in {ENGLISH}, {len(zh[kind])} in {CHINESE}"
    titles = ["(before the first heading)"] + [f"{'#' * h[0]} {h[2]} ({ENGLISH} line {h[1]})" for h in en["headings"]]
    for title, a, b in zip(titles, en["sections"], zh["sections"]):
        if a["rows"] != b["rows"]:
            return f"section {title}: {a['rows']} table rows in {ENGLISH}, {b['rows']} in {CHINESE}"
        if a["code"] != b["code"]:
            only_en, only_zh = sorted((a["code"] - b["code"]).elements()), sorted((b["code"] - a["code"]).elements())
            return (f"section {title}: inline code differs: only in {ENGLISH} {only_en[:5]}, "
                    f"only in {CHINESE} {only_zh[:5]}")
    return None


@pytest.fixture(scope="module")
def readmes():
    return tuple((paths.ROOT / name).read_text(encoding="utf-8") for name in (ENGLISH, CHINESE))


def test_the_chinese_readme_keeps_the_english_structure(readmes):
    assert first_difference(*readmes) is None, first_difference(*readmes)


def test_each_readme_links_the_other_at_the_top(readmes):
    english, chinese = readmes
    assert chinese.split("\n", 1)[0] == "English: [README.md](README.md)"
    assert "[README.zh-CN.md](README.zh-CN.md)" in "\n".join(english.split("\n")[:3]), (
        "README.md should link README.zh-CN.md in its first lines")


def test_the_chinese_readme_is_chinese(readmes):
    prose = re.sub(r"```.*?```|`[^`]*`|\([^)]*\)", "", readmes[1], flags=re.S)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", prose))
    assert cjk > 0.5 * len(re.findall(r"[A-Za-z]+", prose)), "README.zh-CN.md reads as mostly untranslated"


EN = """# Tool

## Install

```sh
make run   # installs
```

See [docs](docs/methods.md) and `make test`.

## Use

![fig](docs/figures/a.png)

| a | b |
| --- | --- |
| 1 | 2 |
"""
ZH = """English: [README.md](README.md)

# Tool

## 安装

```sh
make run   # installs
```

见 [文档](docs/methods.md) 和 `make test`。

## 使用

![fig](docs/figures/a.png)

| a | b |
| --- | --- |
| 1 | 2 |
"""


def test_a_faithful_translation_passes():
    assert first_difference(EN, ZH) is None


def test_a_missing_section_is_named():
    without_use = ZH[:ZH.index("## 使用")]
    assert first_difference(EN, without_use) == (
        "3 headings in README.md, 2 in README.zh-CN.md: the first without a counterpart is README.md line 11: ## Use")


def test_a_heading_at_another_level_is_named():
    message = first_difference(EN, ZH.replace("## 使用", "### 使用"))
    assert message.startswith("heading 3: level 2 in README.md (line 11: 'Use') but level 3"), message


def test_a_translated_code_block_is_named():
    message = first_difference(EN, ZH.replace("# installs", "# 安装一切"))
    assert message.startswith("block 1 differs"), message


def test_a_changed_figure_or_link_is_named():
    assert first_difference(EN, ZH.replace("a.png", "b.png")).startswith("image 1 differs")
    assert first_difference(EN, ZH.replace("(docs/methods.md)", "(docs/glossary.md)")).startswith("link 1 differs")


def test_a_dropped_table_row_or_command_is_named():
    assert "2 table rows in README.md, 1 in README.zh-CN.md" in first_difference(EN, ZH.replace("| 1 | 2 |\n", ""))
    message = first_difference(EN, ZH.replace(" 和 `make test`", ""))
    assert "inline code differs: only in README.md ['make test']" in message, message
