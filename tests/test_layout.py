"""The package's shape: imports run one way (cli -> notebook -> analysis/audit/ccid2022 -> composite -> base)
and no module imports one that imports it back, lazy imports inside functions included.

The layers are the design of issue 11 (README, "Layout"); the check reads every module's source with ``ast``,
so it sees imports that a test run would never execute.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cityeval

PACKAGE = Path(cityeval.__file__).resolve().parent

#: Layer of each subpackage: a module may import modules of a lower layer or of its own subpackage.
LAYERS = {"cli": 4, "notebook": 3, "analysis": 2, "audit": 2, "ccid2022": 2, "composite": 1}
BASE = {"errors", "validation", "files", "paths"}   # layer 0, at the package root


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["cityeval", *parts])] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every cityeval module ``name`` imports, anywhere in its source."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # `from cityeval import paths` imports the module cityeval.paths; `from x import f`, the module x
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer(name: str) -> tuple[int, str]:
    parts = name.split(".")
    if len(parts) == 2 and parts[1] in BASE:
        return 0, "base"
    if len(parts) >= 2 and parts[1] in LAYERS:
        return LAYERS[parts[1]], parts[1]
    return 99, "root"   # cityeval/__init__ (re-exports) and __main__ (the entry point) sit above everything


def test_every_module_belongs_to_a_layer():
    # the root holds only the base modules, the package __init__ and __main__ (issue 11, item 1)
    stray = [m for m in MODULES if layer(m)[1] == "root" and m not in ("cityeval", "cityeval.__main__")]
    assert stray == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way(name):
    mine, pkg = layer(name)
    wrong = sorted(t for t in GRAPH[name]
                   if not (layer(t)[0] < mine or layer(t)[1] == pkg))
    assert wrong == [], f"{name} (layer {pkg}) imports {wrong}, which sit at its own layer or above"


def test_no_import_cycle():
    # depth-first search for a back edge; report the cycle it closes
    state, stack, cycles = {}, [], []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for t in sorted(GRAPH[n]):
            if state.get(t) == "open":
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[n] = "done"

    for n in sorted(GRAPH):
        if n not in state:
            visit(n)
    # a subpackage __init__ that re-exports its own modules is not a cycle of code
    real = [c for c in cycles if not any(MODULES[m].name == "__init__.py" for m in c[:-1])]
    assert real == []


def test_the_checker_sees_a_violation(tmp_path):
    # the check must be able to fail: a composite module importing the notebook layer is refused
    src = tmp_path / "x.py"
    src.write_text("def f():\n    from cityeval.notebook.panel import scored_panel\n")
    MODULES["cityeval.composite.x"] = src
    try:
        assert "cityeval.notebook.panel" in _imports("cityeval.composite.x", src)
        assert layer("cityeval.notebook.panel")[0] > layer("cityeval.composite.x")[0]
    finally:
        del MODULES["cityeval.composite.x"]
