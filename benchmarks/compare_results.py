"""Compare two folders of results files through the README's list of renamed keys.

    python benchmarks/compare_results.py OLD_RESULTS NEW_RESULTS [--readme README.md]

For every ``<stem>.json`` in OLD_RESULTS, applies the renames the README's changelog lists for that
notebook (the table under "Renamed keys in results files": ``| notebook | old key | new key |``, a key
path such as ``results.kruskal.p``, ``[]`` standing for every element of a list and ``*`` for every
value of an object), serialises the
renamed document exactly as the results writer does, and compares it byte for byte with the same file
in NEW_RESULTS. Prints one line per notebook and exits 1 if any differs (naming the first differing
key paths), 0 if all are identical. Issue 11 asked for this check: a reorganisation that changes no
result, except keys renamed on purpose.

A second table, under "Changed values in results files" (``| notebook | key | why |``), lists the
values that changed on purpose: those keys are left out of the comparison (and must exist in both
files), every other byte must still match.

The baseline taken before the reorganisation is ``benchmarks/baseline/results-before-layout/``;
after ``make run``, compare it with ``output/results/``.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "Renamed keys in results files"
CHANGED = "Changed values in results files"


def _table(readme: Path, heading: str) -> list[list[str]]:
    """The rows (cells, backticks stripped) of the 3-column table after ``heading``, up to the next heading
    or the next line that is neither a table row nor blank text."""
    text = readme.read_text(encoding="utf-8")
    at = text.find(heading)
    if at < 0:
        return []
    rows, started = [], False
    for line in text[at:].splitlines()[1:]:
        if line.startswith("#") or (started and not line.startswith("|")):
            break
        if not line.startswith("|"):
            continue
        started = True
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("notebook", "") or set(cells[0]) <= {"-", " "}:
            continue
        rows.append(cells)
    return rows


def _checked(readme, stem, path):
    if not re.fullmatch(r"[\w.\[\]*/]+", path):
        raise SystemExit(f"{readme}: key {path!r} of {stem}: expected a dotted path such as results.x.p")
    return path


def read_renames(readme: Path) -> dict[str, list[tuple[str, str]]]:
    """``{stem: [(old path, new path), ...]}`` from the README's table, in table order."""
    renames: dict[str, list[tuple[str, str]]] = {}
    for stem, old, new in _table(readme, HEADING):
        renames.setdefault(stem, []).append((_checked(readme, stem, old), _checked(readme, stem, new)))
    return renames


def read_changed(readme: Path) -> dict[str, list[str]]:
    """``{stem: [key path, ...]}``: the values listed as changed on purpose."""
    changed: dict[str, list[str]] = {}
    for stem, key, _why in _table(readme, CHANGED):
        changed.setdefault(stem, []).append(_checked(readme, stem, key))
    return changed


def drop(doc, path: str) -> int:
    """Remove key path ``path`` (dots separate keys; a key may hold '/') from ``doc``; how many were removed."""
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        if not isinstance(node, dict) or part not in node:
            return 0
        node = node[part]
    return 1 if isinstance(node, dict) and node.pop(last, _MISSING) is not _MISSING else 0


_MISSING = object()


def _split(path: str) -> list[str]:
    return [p for p in re.split(r"\.|(?=\[\])", path) if p]


def rename(doc, old: str, new: str) -> int:
    """Rename key path ``old`` to ``new`` in ``doc`` in place; returns how many keys it renamed. The two
    paths must share their parent (only the last key changes)."""
    a, b = _split(old), _split(new)
    if a[:-1] != b[:-1]:
        raise SystemExit(f"rename {old} -> {new}: only the last key may change")

    def walk(node, parts):
        if not parts:
            return 0
        head, rest = parts[0], parts[1:]
        if head == "[]":
            return sum(walk(item, rest) for item in node) if isinstance(node, list) else 0
        if head == "*":
            return sum(walk(item, rest) for item in node.values()) if isinstance(node, dict) else 0
        if not isinstance(node, dict) or head not in node:
            return 0
        if not rest:
            node[b[-1]] = node.pop(head)
            return 1
        return walk(node[head], rest)

    if a[-1] in ("[]", "*"):
        raise SystemExit(f"rename {old}: the last part must be a key")
    return walk(doc, a)


def _text(doc) -> str:
    # exactly the results writer's serialisation (cityeval/notebook/results.py: write_results)
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


def _differences(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}".lstrip(".") + (" (only old)" if k not in b else " (only new)")
               for k in sorted(set(a) ^ set(b))]
        for k in sorted(set(a) & set(b)):
            out += _differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b and type(a) is type(b) else [path.lstrip(".")]


def compare(old_dir: Path, new_dir: Path, renames: dict, changed: dict | None = None) -> int:
    status = 0
    for old_file in sorted(old_dir.glob("*.json")):
        stem = old_file.stem
        new_file = new_dir / old_file.name
        if not new_file.exists():
            print(f"{stem}: MISSING in {new_dir}")
            status = 1
            continue
        doc = json.loads(old_file.read_text(encoding="utf-8"))
        applied = 0
        for old, new in renames.get(stem, []):
            n = rename(doc, old, new)
            if n == 0:
                print(f"{stem}: rename {old} -> {new} matched no key in the old file")
                status = 1
            applied += n
        new_text = new_file.read_text(encoding="utf-8")
        what = f"after {len(renames.get(stem, []))} renames ({applied} keys)" if applied else "with no rename"
        listed = (changed or {}).get(stem, [])
        if listed:
            new_doc = json.loads(new_text)
            for key in listed:
                if not (drop(doc, key) and drop(new_doc, key)):
                    print(f"{stem}: changed value {key} is not in both files")
                    status = 1
            new_text = _text(new_doc)
            what += f", except {len(listed)} value(s) listed as changed"
        if _text(doc) == new_text:
            print(f"{stem}: identical {what}")
        else:
            diffs = _differences(doc, json.loads(new_text))
            shown = ", ".join(diffs[:8]) + (f", ... ({len(diffs)} in all)" if len(diffs) > 8 else "")
            print(f"{stem}: DIFFERS at {shown or 'formatting only'}")
            status = 1
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="results folder before (e.g. benchmarks/baseline/results-before-layout)")
    parser.add_argument("new", type=Path, help="results folder after (e.g. output/results)")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="where the renames are listed")
    args = parser.parse_args(argv)
    return compare(args.old, args.new, read_renames(args.readme), read_changed(args.readme))


if __name__ == "__main__":
    sys.exit(main())
