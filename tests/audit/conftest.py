"""Fixtures shared by the audit's tests: the synthetic CCID panel, a design on it, COINr's ASEM folder."""
from __future__ import annotations

import copy

import pytest

from cityeval import paths
from cityeval.audit import prepare
from cityeval.composite.dataset import load_dataset

PANEL = paths.DATA / "synthetic" / "ccid2022"

#: Normalization, weights at every level and aggregation uncertain: every part of the engine runs.
CHOICE_SPEC = {"choices": {
    "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2}]},
    "weights": {"perturbation": {"1": 0.25, "2": 0.25, "3": 0.25}},
    "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]},
}}


@pytest.fixture
def choice_spec():
    return copy.deepcopy(CHOICE_SPEC)


@pytest.fixture(scope="module")
def panel():
    return load_dataset(PANEL)


@pytest.fixture(scope="module")
def panel_design(panel):
    return prepare(panel, CHOICE_SPEC)


# asem_folder: COINr's ASEM example converted once per session (tests/conftest.py)
