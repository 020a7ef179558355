"""Tests of cityeval.composite.ranking: scores to ranks, rank 1 for the highest, with a written-down tie rule.

Expected ranks are worked out by hand for scores 90, 80, 80, 70 (competition "1224", dense "1223",
fractional "1 2.5 2.5 4", ordinal "1234" ranking).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cityeval.composite.ranking import RANK_METHODS, rank
from cityeval.errors import DataError, ParameterError


# ---- rank ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("ties,expected", [
    # scores 90, 80, 80, 70 (hand): competition, dense, fractional, ordinal ranking
    ("min", [1, 2, 2, 4]), ("dense", [1, 2, 2, 3]), ("average", [1, 2.5, 2.5, 4]), ("first", [1, 2, 3, 4]),
])
def test_rank_tie_rules(ties, expected):
    s = pd.Series([90.0, 80.0, 80.0, 70.0], index=list("abcd"), name="index")
    r = rank(s, ties=ties)
    assert r.tolist() == expected and r.name == "index" and list(r.index) == list("abcd")


def test_rank_missing_and_frame():
    r = rank(pd.DataFrame({"s": [1.0, np.nan, 3.0]}, index=list("abc")))
    assert r["s"].tolist() == [2, pd.NA, 1]
    with pytest.raises(ParameterError, match="dense"):
        rank(pd.Series([1.0]), ties="olympic")



# ---- the unified contract and checks (issue 11) -------------------------------------------------------------------


def test_unknown_tie_rule_wording():
    # the rank stage's method is its tie rule, named ties
    with pytest.raises(ParameterError, match=r"^rank method \(ties\) should be one of 'min', 'dense', 'average', "
                                             r"'first', but its value is 'olympic'\.$"):
        rank(pd.Series([1.0]), ties="olympic")
    assert list(RANK_METHODS) == ["min", "dense", "average", "first"]


@pytest.mark.parametrize("scores, error, fragment", [
    ([90.0, 80.0], ParameterError, "Series or DataFrame"),
    (np.array([90.0, 80.0]), ParameterError, "Series or DataFrame"),
    (pd.Series(["90", "80"]), DataError, "numeric"),
    (pd.Series([90.0, np.inf]), DataError, "finite"),
    (pd.DataFrame({"s": [1.0, -np.inf]}), DataError, "finite"),
])
def test_scores_are_checked(scores, error, fragment):
    with pytest.raises(error, match=fragment):
        rank(scores)


# ----------------------------------------------------------------------------- issue 14 finite numbers
@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_issue14_infinite_scores_are_refused(bad):
    with pytest.raises(DataError, match="finite"):
        rank(pd.Series([1.0, bad], index=["p", "q"]))
