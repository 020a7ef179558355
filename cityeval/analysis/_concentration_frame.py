"""Notebook 08's frame: the innovation top ``top_n`` with the raw and min-max values of the two indicators standing
for the report's indices, after checking each is a ratio-scale indicator where higher is better.

Re-exported by :mod:`cityeval.analysis.concentration`; import from there.
"""
from __future__ import annotations

import pandas as pd

from cityeval.analysis._concentration_measures import ratio_scale
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_frame, check_integer

__all__ = ["INNOVATION_NAME_ZH", "innovation_frame"]

#: The dimension notebook 08 studies, by its name in the indicator table (``name_zh``).
INNOVATION_NAME_ZH = "技术创新"

_WHY = "the concentration measures and the statements need every kept city's values"


def _frame_arg(name, table, columns=()):
    if not isinstance(table, pd.DataFrame) or not set(columns) <= set(table.columns):
        raise ParameterError(name, "a pandas DataFrame" + (f" with columns {', '.join(columns)}" if columns else ""),
                             Shown(type(table).__name__ if not isinstance(table, pd.DataFrame)
                                   else f"a DataFrame with columns {list(table.columns)}"))


def _stand_in_codes(indicators, subject_code, transfer_code) -> dict:
    """``{"subject": code, "transfer": code}`` after checking each is a ratio-scale level-1 indicator, higher better."""
    raw_codes = list(indicators.index[indicators["level"] == 1])
    scale = ratio_scale(indicators, raw_codes)
    out = {}
    for col, name, value in (("subject", "subject_code", subject_code), ("transfer", "transfer_code", transfer_code)):
        if value not in raw_codes:
            raise ParameterError(name, f"a level-1 indicator code ({', '.join(raw_codes)})", value)
        if not scale.at[value, "ratio_scale"] or scale.at[value, "direction"] != 1:
            ok = list(scale.index[scale["ratio_scale"] & (scale["direction"] == 1)])
            raise ParameterError(name, "a ratio-scale level-1 indicator where higher is better (its share of a "
                                 f"total and its Gini need a true zero): {', '.join(ok)}",
                                 Shown(f"{value!r} ({scale.at[value, 'why']}; direction {scale.at[value, 'direction']})"))
        out[col] = value
    return out


def innovation_frame(all_scores: pd.DataFrame, values: pd.DataFrame, normalized: pd.DataFrame,
                     indicators: pd.DataFrame, *, top_n: int, subject_code: str, transfer_code: str) -> pd.DataFrame:
    """The innovation top ``top_n``: their innovation score, and the raw and min-max values of the two indicators
    standing for the report's innovation-subject and technology-transfer indices.

    Parameters
    ----------
    all_scores : pandas.DataFrame
        Aggregate scores of every city (``ScoredPanel.all_scores``), with the column of the
        dimension named :data:`INNOVATION_NAME_ZH` in ``indicators``.
    values : pandas.DataFrame
        Raw level-1 indicator values of every city (``Dataset.data``), in their own units.
    normalized : pandas.DataFrame
        Normalized indicators (0-100) of every city (``ScoredPanel.result.scores``).
    indicators : pandas.DataFrame
        The indicator table (``level``, ``name_zh``, ``unit``, ``direction``).
    top_n : int
        Cities kept, by innovation score (3 ... number of cities).
    subject_code, transfer_code : str
        Level-1 indicator codes standing for the two indices (a mapping of ours, not CCID's); each must be
        on a ratio scale (:func:`ratio_scale`) with direction +1.

    Returns
    -------
    pandas.DataFrame
        Indexed by city, innovation score descending (ties in the data's order): ``innovation`` (score),
        ``subject`` and ``transfer`` (raw values), ``subject_score`` and ``transfer_score`` (min-max).

    Raises
    ------
    DataError
        The indicator table has no dimension named 技术创新; a kept city with a missing or infinite
        innovation score, raw value or normalized value; a repeated city.
    ParameterError
        A table that is not a DataFrame; ``top_n`` out of range; a code that is not a level-1 indicator, or
        not on a ratio scale, or with direction -1.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1, 2], "name_zh": ["a", "b", "技术创新"], "direction": [1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100"]}, index=["s", "t", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [1.0, 3.0, 2.0]}, index=list("xyz"))
    >>> raw = pd.DataFrame({"s": [1.0, 3.0, 2.0], "t": [0.5, 1.0, 1.4]}, index=list("xyz"))
    >>> norm = pd.DataFrame({"s": [0.0, 100.0, 50.0], "t": [0.0, 55.6, 100.0]}, index=list("xyz"))
    >>> innovation_frame(scores, raw, norm, meta, top_n=3, subject_code="s", transfer_code="t")
       innovation  subject  transfer  subject_score  transfer_score
    y         3.0      3.0       1.0          100.0            55.6
    z         2.0      2.0       1.4           50.0           100.0
    x         1.0      1.0       0.5            0.0             0.0
    """
    for name, table, columns in (("all_scores", all_scores, ()), ("values", values, ()),
                                 ("normalized", normalized, ()),
                                 ("indicators", indicators, ("level", "name_zh", "unit", "direction"))):
        _frame_arg(name, table, columns)
    tec = indicators.index[indicators["name_zh"] == INNOVATION_NAME_ZH]
    if not len(tec):
        raise DataError(None, f"the indicator table needs the dimension {INNOVATION_NAME_ZH} (name_zh)",
                        column="name_zh")
    codes = _stand_in_codes(indicators, subject_code, transfer_code)
    all_tec = all_scores[tec[0]].sort_values(ascending=False, kind="stable")
    top_n = check_integer("top_n", top_n, low=3, high=len(all_tec))
    top = all_tec.index[:top_n]
    for name, table in (("values", values), ("normalized", normalized)):
        missing = [c for c in codes.values() if c not in table.columns] or list(top.difference(table.index)[:3])
        if missing:
            raise DataError(None, f"{name} must hold the stand-ins' values of every kept city",
                            detail=f"missing: {', '.join(map(str, missing))}")
    frame = pd.DataFrame({"innovation": all_tec.loc[top],
                          "subject": values.loc[top, codes["subject"]], "transfer": values.loc[top, codes["transfer"]],
                          "subject_score": normalized.loc[top, codes["subject"]],
                          "transfer_score": normalized.loc[top, codes["transfer"]]})
    check_frame(frame, name="innovation_frame", rows="city", columns="value", complete=True, unique_index=True,
                why=_WHY)
    return frame
