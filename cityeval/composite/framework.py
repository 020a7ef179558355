"""The indicator tree: which code aggregates into which.

A framework is the indicator metadata table (``Dataset.indicators``): one row per
code, indexed by code, with at least the columns ``level`` and ``parent``. It
follows COINr's convention (Becker et al. 2022): level 1 holds the raw
indicators (the columns of ``values.csv``), each higher level aggregates the one
below, and the codes at the highest level (usually a single index) have no
parent. A parent sits exactly one level above each of its children.

The helpers here only read the tree; :func:`cityeval.composite.dataset.load_dataset`
checks it on load (unknown parents, cycles, levels).

>>> import pandas as pd
>>> tree = pd.DataFrame({"level": [1, 1, 1, 2, 2, 3], "parent": ["P1", "P1", "P2", "I", "I", None]},
...                     index=["a", "b", "c", "P1", "P2", "I"])
>>> children(tree, "P1"), codes_at_level(tree, 2), leaves_of(tree, "I")
(['a', 'b'], ['P1', 'P2'], ['a', 'b', 'c'])
>>> topological_order(tree)
['a', 'b', 'c', 'P1', 'P2', 'I']
>>> find_cycle({"a": "b", "b": "a"})
['a', 'b', 'a']

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. and Saisana, M. (2022).
COINr: An R package for developing composite indicators. *Journal of Open Source Software*,
7(78), 4567. https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["parent_map", "children", "codes_at_level", "levels", "find_cycle",
           "topological_order", "descendants", "leaves_of"]


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA or value == ""


def parent_map(indicators: pd.DataFrame) -> dict[str, str | None]:
    """``{code: parent}`` with ``None`` for a code without parent, in table order."""
    return {str(code): (None if _is_blank(p) else str(p)) for code, p in indicators["parent"].items()}


def children(indicators: pd.DataFrame, code: str) -> list[str]:
    """The codes whose parent is ``code``, in table order (empty for a level-1 indicator)."""
    return [c for c, p in parent_map(indicators).items() if p == code]


def codes_at_level(indicators: pd.DataFrame, level: int) -> list[str]:
    """The codes at ``level``, in table order."""
    lev = indicators["level"]
    return [str(c) for c in indicators.index[lev == level]]


def levels(indicators: pd.DataFrame) -> list[int]:
    """The levels present, lowest first (``[1, 2, ..., top]``)."""
    return sorted(int(v) for v in pd.unique(indicators["level"]))


def find_cycle(parents: Mapping[str, str | None]) -> list[str] | None:
    """A cycle in the parent links, or ``None`` when there is none.

    Parameters
    ----------
    parents : mapping of str to str or None
        ``{code: parent code}``; ``None`` for a code without parent. Parents that are
        not keys are ignored (they are reported elsewhere as unknown parents).

    Returns
    -------
    list of str or None
        The codes of the first cycle found, starting and ending with the same code
        (``["A", "B", "A"]``), following parent links; ``None`` if the links form a forest.

    Notes
    -----
    Walks up from every code, colouring codes as visiting/done (depth-first search on a
    graph of out-degree at most one), so the cost is linear in the number of codes.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach a root
    for start in parents:
        path = []
        code = start
        while code is not None and code in parents and state.get(code) != 2:
            if state.get(code) == 1:
                i = path.index(code)
                return path[i:] + [code]
            state[code] = 1
            path.append(code)
            code = parents[code]
        for c in path:
            state[c] = 2
    return None


def topological_order(indicators: pd.DataFrame) -> list[str]:
    """Every code, children before parents: by level, then table order.

    Because a parent sits one level above its children (checked on load), sorting by level
    is a topological order of the tree; aggregating codes in this order always finds the
    children's scores already computed.
    """
    order = sorted(range(len(indicators)), key=lambda i: (int(indicators["level"].iloc[i]), i))
    return [str(indicators.index[i]) for i in order]


def descendants(indicators: pd.DataFrame, code: str) -> list[str]:
    """Every code below ``code`` (children, grandchildren, ...), children first."""
    out, frontier = [], [code]
    pm = parent_map(indicators)
    while frontier:
        nxt = [c for c, p in pm.items() if p in frontier]
        out.extend(nxt)
        frontier = nxt
    return out


def leaves_of(indicators: pd.DataFrame, code: str) -> list[str]:
    """The level-1 indicators under ``code`` (``[code]`` itself for a level-1 code)."""
    if int(indicators.at[code, "level"]) == 1:
        return [code]
    return [c for c in descendants(indicators, code) if int(indicators.at[c, "level"]) == 1]
