"""The report's published tables (``data/published/ccid2022/``).

CCID publishes ranks only, never scores or raw indicators. These loaders read
the transcribed tables and validate them on load; a violation raises a
:class:`~cityeval.errors.DataError` naming the file, the line and the rule.
The data dictionary is ``data/published/ccid2022/README.md``.

Examples
--------
>>> from cityeval.ccid2022 import published
>>> overall = published.load_ranking("overall_top100")
>>> overall.loc[overall["rank"] <= 3, "city"].tolist()
['北京市', '上海市', '深圳市']
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.ccid2022 import reference
from cityeval.errors import DataError, ParameterError
from cityeval.composite._dataset_tables import measure_value
from cityeval.files import line_of, read_csv_checked, require_cells
from cityeval.validation import check_bool

__all__ = ["RANKINGS", "load_ranking", "load_rankings", "load_framework", "load_one_thing_cities", "load_claims"]

#: The published rankings: file stem -> where it is printed, its length, and the framework code it ranks
#: (``None`` for the composite).
RANKINGS = {
    "overall_top100": {"table": "Table 3", "title_zh": "2022数字城市百强", "n": 100, "code": None,
                       "title_en": "Digital city competitiveness, top 100"},
    "infrastructure_top100": {"table": "Table 4", "title_zh": "2022城市新型信息基础百强", "n": 100, "code": "INF",
                              "title_en": "New information infrastructure, top 100"},
    "governance_top50": {"table": "Table 5", "title_zh": "2022城市数字治理50强", "n": 50, "code": "GOV",
                         "title_en": "Digital governance, top 50"},
    "healthcare_top20": {"table": "Table 7", "title_zh": "2022城市数字医疗综合能力20强", "n": 20,
                         "code": "LIV_HEALTH", "title_en": "Digital healthcare, top 20"},
}

FRAMEWORK_COLUMNS = ["code", "level", "parent", "name_zh", "name_en", "measure"]
MEASURES = ("input", "outcome")
CLAIM_COLUMNS = ["id", "statement_zh", "statement_en", "stated_value", "unit", "location", "recomputable"]


def _unknown_cities(frame, path, column, cities):
    if cities is None:
        return
    bad = frame.index[~frame[column].isin(cities.index)]
    if len(bad):
        i = bad[0]
        name = frame.at[i, column]
        hint = reference.suggest_city(name, cities)
        detail = f"{name!r} is not in data/reference/cities.csv" + (f"; did you mean {hint!r}?" if hint else "")
        raise DataError(path, "unknown city", row=line_of(i, frame), column=column, detail=detail)


def _unique(frame, path, column):
    dup = frame.index[frame[column].duplicated()]
    if len(dup):
        raise DataError(path, "duplicate value; each must appear once", row=line_of(dup[0], frame), column=column,
                        detail=f"{str(frame.at[dup[0], column])!r} appears again")


def _reference_or_none(check_reference):
    return reference.default_cities() if check_bool("check_reference", check_reference) else None


def _path(path, default: Path) -> Path:
    """``path`` (a str or path-like) as a Path, ``default`` when None; anything else is a ParameterError."""
    if path is None:
        return default
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError("path", "a file path (a str or path-like) or None (the embedded table)", path)
    return Path(path)


def load_ranking(name: str, *, path=None, check_reference: bool = True) -> pd.DataFrame:
    """Load one published ranking.

    Parameters
    ----------
    name : str
        One of :data:`RANKINGS` (``overall_top100``, ``infrastructure_top100``,
        ``governance_top50``, ``healthcare_top20``).
    path : path-like, optional
        Read this file instead of the embedded one (it must follow the same rules).
    check_reference : bool, default True
        Check that every city is in ``data/reference/cities.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (int, 1..N) and ``city``, sorted by rank.

    Raises
    ------
    ParameterError
        ``name`` not one of :data:`RANKINGS`, ``path`` not a path, ``check_reference`` not a bool.
    DataError
        Header not ``rank,city``; blank cell; rank not a whole number; ranks not
        exactly 1..N (N as published); duplicate city; unknown city.
    """
    if not isinstance(name, str) or name not in RANKINGS:
        raise ParameterError("name", f"one of {', '.join(RANKINGS)}", name)
    path = _path(path, paths.PUBLISHED / f"{name}.csv")
    reference_cities = _reference_or_none(check_reference)
    n = RANKINGS[name]["n"]
    frame = read_csv_checked(path, columns=["rank", "city"])
    require_cells(frame, path, ["rank", "city"])
    ranks = pd.to_numeric(frame["rank"], errors="coerce")
    bad = frame.index[ranks.isna() | (ranks != ranks.round())]
    if len(bad):
        raise DataError(path, "rank must be a whole number", row=line_of(bad[0], frame), column="rank",
                        detail=f"found {frame.at[bad[0], 'rank']!r}")
    frame["rank"] = ranks.astype("int64")
    _unique(frame, path, "rank")
    outside = frame.index[(frame["rank"] < 1) | (frame["rank"] > n)]
    if len(outside) or len(frame) != n:
        present = set(frame["rank"])
        missing = sorted(set(range(1, n + 1)) - present)
        row = line_of(outside[0], frame) if len(outside) else None
        raise DataError(path, f"ranks must be exactly 1..{n}, once each ({RANKINGS[name]['table']})", row=row,
                        column="rank", detail=(f"missing {missing[:5]}" if missing else None) if not len(outside)
                        else f"found {frame.at[outside[0], 'rank']}")
    _unique(frame, path, "city")
    _unknown_cities(frame, path, "city", reference_cities)
    return frame.sort_values("rank", kind="stable").reset_index(drop=True)


def load_rankings(*, check_reference: bool = True) -> dict:
    """All published rankings: ``{name: frame}`` in :data:`RANKINGS` order."""
    check_bool("check_reference", check_reference)
    return {name: load_ranking(name, check_reference=check_reference) for name in RANKINGS}


def load_framework(*, path=None) -> pd.DataFrame:
    """Load Table 2, the indicator framework.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``, columns ``level`` (1 = 一级指标, 2 = 二级指标), ``parent`` (``""``
        at level 1), ``name_zh``, ``name_en``, ``measure`` (``input``/``outcome`` at level 2 as
        printed; ``""`` at level 1, where the report prints none), in the report's order.

    Raises
    ------
    DataError
        Wrong header; duplicate code; level not 1 or 2; a parent at level 1 or a level-2 row whose
        parent is not a level-1 code; a measure other than input/outcome at level 2, or any at level 1.
    """
    path = _path(path, paths.PUBLISHED / "framework.csv")
    frame = read_csv_checked(path, columns=FRAMEWORK_COLUMNS)
    require_cells(frame, path, ["code", "level", "name_zh", "name_en"])
    _unique(frame, path, "code")
    bad = frame.index[~frame["level"].isin(["1", "2"])]
    if len(bad):
        raise DataError(path, "level must be 1 (一级指标) or 2 (二级指标)", row=line_of(bad[0], frame), column="level",
                        detail=f"found {frame.at[bad[0], 'level']!r}")
    frame["level"] = frame["level"].astype("int64")
    top = set(frame.loc[frame["level"] == 1, "code"])
    for i, row in frame.iterrows():
        if row["level"] == 1:
            if row["parent"] or row["measure"]:
                col = "parent" if row["parent"] else "measure"
                raise DataError(path, f"a level-1 indicator has no {col} in Table 2; leave it blank",
                                row=line_of(i, frame), column=col, detail=f"{row['code']}: {row[col]!r}")
        else:
            for col in ("parent", "measure"):
                if not str(row[col]).strip():
                    raise DataError(path, f"{col} is blank; every level-2 indicator needs its {col}",
                                    row=line_of(i, frame), column=col, detail=f"{row['code']}")
            if row["parent"] not in top:
                raise DataError(path, "parent must be the code of a level-1 indicator", row=line_of(i, frame),
                                column="parent", detail=f"{row['code']}: {row['parent']!r}")
            measure = measure_value(row["measure"])     # input/outcome in any case, or Table 2's 投入/成效
            if measure not in MEASURES:
                raise DataError(path, "measure must be input or outcome (or 投入 or 成效, the report's words)",
                                row=line_of(i, frame), column="measure", detail=f"{row['code']}: {row['measure']!r}")
            frame.at[i, "measure"] = measure
    return frame.set_index("code")


def load_one_thing_cities(*, path=None, check_reference: bool = True) -> pd.DataFrame:
    """Load Table 6, the typical cities of the "一件事" (one-thing) integrated services.

    Returns
    -------
    pandas.DataFrame
        Columns ``province`` and ``city`` in printed order. Each city's province must agree with
        ``data/reference/cities.csv``.
    """
    path = _path(path, paths.PUBLISHED / "one_thing_cities.csv")
    cities = _reference_or_none(check_reference)
    frame = read_csv_checked(path, columns=["province", "city"])
    require_cells(frame, path, ["province", "city"])
    _unique(frame, path, "city")
    _unknown_cities(frame, path, "city", cities)
    if cities is not None:
        expected = frame["city"].map(cities["province"])
        bad = frame.index[frame["province"] != expected]
        if len(bad):
            i = bad[0]
            raise DataError(path, "province disagrees with data/reference/cities.csv", row=line_of(i, frame),
                            column="province", detail=f"{frame.at[i, 'city']}: {frame.at[i, 'province']!r}, "
                            f"reference says {expected[i]!r}")
    return frame


def load_claims(*, path=None) -> pd.DataFrame:
    """Load ``claims.csv``: the report's quantitative statements about the cities.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``; ``recomputable`` is a bool (``yes``/``no`` in the file).
    """
    path = _path(path, paths.PUBLISHED / "claims.csv")
    frame = read_csv_checked(path, columns=CLAIM_COLUMNS)
    require_cells(frame, path, CLAIM_COLUMNS)
    _unique(frame, path, "id")
    bad = frame.index[~frame["recomputable"].isin(["yes", "no"])]
    if len(bad):
        raise DataError(path, "recomputable must be yes or no", row=line_of(bad[0], frame), column="recomputable",
                        detail=f"found {frame.at[bad[0], 'recomputable']!r}")
    frame["recomputable"] = frame["recomputable"].eq("yes")
    return frame.set_index("id")
