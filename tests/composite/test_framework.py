"""Tests of cityeval.composite.framework: the indicator tree (parents, children, levels, cycles).

Expected values are read off the small trees written out in each test (hand calculation).
"""
from __future__ import annotations

import pandas as pd

from cityeval.composite import framework

META = pd.DataFrame({"level": [1, 1, 1, 2, 2, 3], "parent": ["P1", "P1", "P2", "I", "I", None]},
                    index=["a", "b", "c", "P1", "P2", "I"])


def test_tree_helpers():
    assert framework.children(META, "P1") == ["a", "b"]
    assert framework.children(META, "a") == []
    assert framework.codes_at_level(META, 2) == ["P1", "P2"]
    assert framework.levels(META) == [1, 2, 3]
    order = framework.topological_order(META)
    for code, parent in framework.parent_map(META).items():
        if parent is not None:
            assert order.index(code) < order.index(parent)
    assert framework.leaves_of(META, "I") == ["a", "b", "c"]
    assert framework.find_cycle(framework.parent_map(META)) is None


def test_find_cycle():
    assert framework.find_cycle({"a": "b", "b": "c", "c": "a", "d": None}) == ["a", "b", "c", "a"]
    assert framework.find_cycle({"a": "a"}) == ["a", "a"]
    assert framework.find_cycle({"a": "b", "b": None, "c": "b"}) is None
