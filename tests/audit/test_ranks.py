"""Tests of cityeval.audit.ranks: row-wise ranks of many scenarios.

Reference: pandas.DataFrame.rank(method=ties, ascending=False) on the same rows, and hand-made rows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from cityeval.audit import rank_rows
from cityeval.audit.ranks import packed_order, sorted_ranks, sorted_ranks_exact
from cityeval.errors import DataError, ParameterError


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=7, max_size=7), min_size=1, max_size=5),
       st.sampled_from(["min", "dense", "average", "first"]))
def test_rank_rows_equals_pandas(rows, ties):
    s = np.array(rows, dtype=float)          # small integers: many ties
    expected = pd.DataFrame(s.T).rank(axis=0, method=ties, ascending=False).to_numpy().T
    assert_array_equal(rank_rows(s, ties=ties), expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 700), st.sampled_from(["min", "dense", "average"]))
def test_packed_sort_equals_exact_path(seed, n, ties):
    # The packed-key sort must give the argsort path's ranks row by row, also on the cases it
    # cannot vouch for: exact ties, neighbors one ulp apart (same key after truncation), -0.0
    # against 0.0, negative scores, and more than 512 columns (10 index bits).
    rng = np.random.default_rng(seed)
    s = rng.normal(0, 50, (6, n))
    s[1, : n // 2] = s[1, n // 2: 2 * (n // 2)]                     # exact ties
    s[2, 1] = np.nextafter(s[2, 0], np.inf)                          # one ulp apart
    s[3, :2] = [0.0, -0.0]                                           # equal as numbers
    s[4] = np.round(s[4])                                            # many ties
    s[5] = np.abs(s[5]) + 1.0                                        # all positive
    order, ranked = sorted_ranks(s, ties)
    got = np.empty(s.shape, dtype=np.asarray(ranked).dtype)
    np.put_along_axis(got, order, ranked, axis=1)
    order_x, ranked_x = sorted_ranks_exact(s, ties)
    expected = np.empty(s.shape, dtype=np.asarray(ranked_x).dtype)
    np.put_along_axis(expected, order_x, ranked_x, axis=1)
    assert_array_equal(got, expected)
    # and the reference is right: pandas on the same rows
    assert_array_equal(expected, pd.DataFrame(s.T).rank(method=ties, ascending=False).to_numpy().T)


def test_packed_order_flags_only_rows_it_cannot_vouch_for():
    # hand-made rows: distinct scores are sorted without a flag; a tie, a one-ulp pair and
    # 0.0 / -0.0 are flagged for the exact sort
    s = np.array([[3.0, 1.0, 2.0, -5.0],
                  [3.0, 1.0, 3.0, 0.5],
                  [1.0, np.nextafter(1.0, 2.0), 7.0, 8.0],
                  [0.0, -0.0, 1.0, 2.0]])
    order, unsure = packed_order(s, bits=2)
    assert_array_equal(order[0], [3, 1, 2, 0])                       # ascending: -5, 1, 2, 3
    assert_array_equal(unsure, [False, True, True, True])


def test_rank_rows_rejects_unknown_ties():
    with pytest.raises(ParameterError, match="ties should be one of"):
        rank_rows([[1.0, 2.0]], ties="max")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_rank_rows_missing_score_is_a_data_error(bad):
    # a bad value in the data: DataError naming the scenario and the unit (the old code raised ParameterError)
    with pytest.raises(DataError, match=r"scores must be finite.*scenario 1, unit 2"):
        rank_rows([[1.0, 2.0, 3.0], [1.0, 2.0, bad]])


def test_rank_rows_wrong_shape_or_type_is_a_parameter_error():
    # the old code raised numpy's ValueError for text
    for scores in ([1.0, 2.0], [[[1.0]]], "abc", [["a", "b"]], None):
        with pytest.raises(ParameterError, match=r"^scores should be"):
            rank_rows(scores)


@pytest.mark.parametrize("ties", ["max", None, 1, ["min"]])
def test_rank_rows_ties_wording(ties):
    # the shared vocabulary: the allowed rules listed in the order of cityeval.composite.ranking.RANK_METHODS
    with pytest.raises(ParameterError, match=r"^ties should be one of 'min', 'dense', 'average', 'first'"):
        rank_rows([[1.0, 2.0]], ties=ties)
