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
BASE = {"errors", "validation", "files", "outputs", "paths", "progress", "lazy"}   # layer 0, at the package root


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["cityeval", *parts])] = path
    return out


MODULES = _modules()


def _import_statements(name: str, path: Path):
    """``(module, imported name or None)`` for every import in ``name``'s source, relative ones made absolute."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                yield base, a.name


def _defining_module(package: str, attr: str, seen=()) -> str:
    """The module that defines ``package.attr`` when ``attr`` is re-exported by the package's ``__init__``
    (``from cityeval.composite import run`` is an import of cityeval.composite.pipeline); the ``__init__``
    itself when it defines the name."""
    if package in seen:
        return package
    for module, name in _import_statements(package, MODULES[package]):
        if name == attr and module in MODULES:
            if f"{module}.{attr}" in MODULES:
                return f"{module}.{attr}"
            if MODULES[module].name == "__init__.py":
                return _defining_module(module, attr, (*seen, package))
            return module
    return package


def _imports(name: str, path: Path) -> set[str]:
    """Every cityeval module ``name`` imports, anywhere in its source (a name re-exported by a package's
    ``__init__`` counts as an import of the module that defines it)."""
    found = set()
    for module, attr in _import_statements(name, path):
        if attr is not None and f"{module}.{attr}" in MODULES:
            target = f"{module}.{attr}"            # `from cityeval import paths`: the module cityeval.paths
        elif attr is not None and module in MODULES and MODULES[module].name == "__init__.py" and module != name:
            target = _defining_module(module, attr)
        else:
            target = module
        if target in MODULES and target != name:
            found.add(target)
    return found


def _cycles(graph: dict) -> list[list[str]]:
    """The cycles a depth-first search closes (each as the path from a module back to itself)."""
    state, stack, cycles = {}, [], []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for t in sorted(graph[n]):
            if state.get(t) == "open":
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[n] = "done"

    for n in sorted(graph):
        if n not in state:
            visit(n)
    return cycles


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
    # every edge counts, a package __init__'s included: an import of a re-exported name is an edge to the
    # module that defines it, so `dataset -> composite/__init__ -> pipeline -> dataset` would be a cycle
    assert _cycles(GRAPH) == []


def test_the_cycle_check_can_fail():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_a_re_exported_name_is_an_import_of_its_defining_module(tmp_path):
    # review finding: `from cityeval.composite import run` inside composite/dataset.py closes
    # dataset -> pipeline -> dataset; the check must see the edge to pipeline
    src = tmp_path / "x.py"
    src.write_text("def f():\n    from cityeval.composite import run\n")
    assert _imports("cityeval.composite.x", src) == {"cityeval.composite.pipeline"}


def test_the_checker_sees_a_violation(tmp_path):
    # the check must be able to fail: a composite module importing the notebook layer is refused
    src = tmp_path / "x.py"
    src.write_text("def f():\n    from cityeval.notebook.panel import scored_panel\n")
    MODULES["cityeval.composite.x"] = src
    GRAPH["cityeval.composite.x"] = _imports("cityeval.composite.x", src)
    try:
        with pytest.raises(AssertionError, match="cityeval.notebook.panel"):
            test_imports_run_one_way("cityeval.composite.x")
    finally:
        del MODULES["cityeval.composite.x"], GRAPH["cityeval.composite.x"]
