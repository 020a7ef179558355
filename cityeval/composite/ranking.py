"""Ranking: rank 1 for the highest score, with a written-down tie rule.

Tie rules (registry :data:`RANK_METHODS`, the stages' one signature ``f(frame, *) -> ranks``:
a tie rule has no options). The rank stage's method is called ``ties`` (in :func:`rank` and in
a method record), and an unknown one is a ``ParameterError("rank method (ties)", ...)``.

``"min"`` (default)
    Standard competition ranking "1224": tied units share the best rank of their
    group and the next rank is skipped. This is how rankings are published (two
    cities tied for 2nd place, the next one is 4th) and what COINr's results tables
    use (``rank(-x, ties.method = "min")``).
``"dense"``
    Dense ranking "1223": no rank is skipped.
``"average"``
    Fractional ranking "1 2.5 2.5 4": tied units share the mean of their ranks (so the
    ranks always sum to :math:`n(n+1)/2`, useful for rank correlations).
``"first"``
    Ordinal ranking "1234": ties broken by the order of the units in the frame. Only
    for display: it makes the order of the input matter.

Scores are compared exactly as floating-point numbers: 63.5 and 63.50000000001 are
not tied. A missing score gets a missing rank and does not count.

Examples
--------
>>> import pandas as pd
>>> rank(pd.Series([90.0, 80.0, 80.0, 70.0], index=list("abcd"))).tolist()
[1, 2, 2, 4]
"""
from __future__ import annotations

import pandas as pd

from cityeval.composite._contract import pick_method
from cityeval.errors import ParameterError
from cityeval.validation import check_frame

__all__ = ["rank", "RANK_METHODS", "CONTEXT"]

#: Keyword-only parameters of the methods that :func:`rank` supplies (not options): none.
CONTEXT = ()


def _by(method):
    def f(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.rank(axis=0, method=method, ascending=False, na_option="keep")
    f.__name__ = f"_{method}"
    return f


#: name -> function(frame of scores) -> frame of ranks (1 = highest score).
RANK_METHODS = {"min": _by("min"), "dense": _by("dense"), "average": _by("average"), "first": _by("first")}


def rank(scores, *, ties: str = "min"):
    """Rank units by score, 1 for the highest.

    Parameters
    ----------
    scores : pandas.Series or pandas.DataFrame
        Scores indexed by unit; a DataFrame is ranked column by column.
    ties : {"min", "dense", "average", "first"}, default "min"
        The tie rule (see the module docstring).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Same shape and index as ``scores``: nullable integers (``Int64``), except for
        ``ties="average"`` (floats); missing scores get missing ranks.

    Raises
    ------
    ParameterError
        An unknown tie rule, or ``scores`` that is not a Series or DataFrame.
    DataError
        A score that is not a number, or an infinite score.

    Examples
    --------
    >>> import pandas as pd
    >>> rank(pd.Series([3.0, 5.0, 3.0], index=["a", "b", "c"]), ties="dense").tolist()
    [2, 1, 2]
    """
    fn = pick_method("rank", ties, RANK_METHODS)
    if not isinstance(scores, (pd.Series, pd.DataFrame)):
        raise ParameterError("scores", "a pandas Series or DataFrame of scores indexed by unit",
                             type(scores).__name__)
    frame = scores.to_frame() if isinstance(scores, pd.Series) else scores
    check_frame(frame, name="scores", columns="score", min_rows=0)
    out = fn(frame.astype(float))
    if ties != "average":
        out = out.astype("Int64")
    return out.iloc[:, 0].rename(scores.name) if isinstance(scores, pd.Series) else out
