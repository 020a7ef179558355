"""Notebook 00's helpers: the variants it compares, the AHP judgements of a dataset folder, names in English or
Chinese, and the conclusions it prints.

Notebook 00 (the method walkthrough) runs a dataset with the method its parameters build
(:func:`cityeval.notebook.needs.walkthrough_method`) and with one choice changed at a time
(:func:`cityeval.composite.comparison.compare_methods`). This module holds what the notebook would otherwise
write in its cells: the variants (:func:`walkthrough_variants`), the pairwise judgements of weighting method
``"ahp"`` (:func:`ahp_judgements`, read from the folder's ``ahp.json``), the names of cities, codes and variants
in ``lang`` and the printed conclusions (:func:`conclusion`, :func:`summary_zh`). The figures are in
:mod:`cityeval.notebook._walkthrough_figures` (re-exported here).

A dataset's kind decides the warning every figure title and table caption carries (:func:`data_kind`): invented
teaching data (a folder under ``data/examples``), the synthetic panel calibrated to the published ranks, other
synthetic data, or real data (no warning).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.composite import framework
from cityeval.errors import DataError
from cityeval.notebook._walkthrough_names import (GROUP_ZH, NORMALIZATION_LABELS, UNIT_ZH, VARIANT_ZH, _NOTES,
                                                  _PREFIX, caption, city_names, code_name, data_kind, mark, unit_name,
                                                  variant_name)
from cityeval.notebook._walkthrough_figures import (dimension_figure, normalized_figure, ranks_figure,
                                                    raw_values_figure, treatment_figure, weights_figure)
from cityeval.notebook.labels import check_language

__all__ = ["AHP_FILE", "ahp_judgements", "ahp_entry", "ahp_table", "walkthrough_variants", "VARIANT_ZH", "GROUP_ZH",
           "data_kind", "mark", "caption", "city_names", "code_name", "variant_name", "not_computable_text",
           "conclusion", "summary_zh", "NORMALIZATION_LABELS", "UNIT_ZH", "unit_name", "raw_values_figure", "treatment_figure", "normalized_figure",
           "weights_figure", "dimension_figure", "ranks_figure"]

#: The file of a dataset folder holding the pairwise judgements of weighting method ``"ahp"``.
AHP_FILE = "ahp.json"

# ----------------------------------------------------------------------------- AHP judgements
def ahp_judgements(folder, indicators: pd.DataFrame) -> dict:
    """The pairwise comparison matrices of a dataset folder's ``ahp.json``, one per parent.

    Parameters
    ----------
    folder : path-like
        The dataset folder.
    indicators : pandas.DataFrame
        Its indicator tree (``Dataset.indicators``).

    Returns
    -------
    dict
        ``parent -> DataFrame`` (rows and columns the parent's children, in the tree's order).

    Raises
    ------
    DataError
        No ``ahp.json`` in the folder, or a parent that is not a parent of the tree, or codes that are not its
        children.

    Examples
    --------
    >>> from cityeval.composite.dataset import load_dataset
    >>> lesson = paths.DATA / "examples" / "lesson"
    >>> m = ahp_judgements(lesson, load_dataset(lesson).indicators)
    >>> list(m), m["economy"].to_numpy().tolist()
    (['infra', 'economy', 'services', 'index'], [[1.0, 2.0], [0.5, 1.0]])
    """
    path = Path(folder) / AHP_FILE
    if not path.is_file():
        raise DataError(path, "weighting method 'ahp' needs pairwise judgements for each parent of the tree "
                        "(see data/examples/lesson/ahp.json)", detail="no such file")
    from cityeval.composite.method import read_json_object

    doc = read_json_object(path)
    parents = doc.get("parents") if isinstance(doc, dict) else None
    if not isinstance(parents, dict) or not parents:
        raise DataError(path, "an object with a key 'parents': {parent code: {'codes': [...], 'matrix': [[...]]}}",
                        detail=f"keys {sorted(doc) if isinstance(doc, dict) else type(doc).__name__}")
    out = {}
    for parent, entry in parents.items():
        kids = framework.children(indicators, parent) if parent in indicators.index else []
        if not kids:
            raise DataError(path, "a parent code of indicators.csv for each entry of 'parents'", column=parent,
                            detail=f"{parent!r} has no children")
        codes = entry.get("codes") if isinstance(entry, dict) else None
        if not isinstance(codes, list) or sorted(map(str, codes)) != sorted(kids):
            raise DataError(path, f"'codes' of {parent!r} naming its children {kids}", column=parent,
                            detail=f"codes {codes!r}")
        matrix = pd.DataFrame(entry.get("matrix"), index=codes, columns=codes, dtype=float)
        out[parent] = matrix.loc[kids, kids]
    return out


def ahp_entry(folder, indicators: pd.DataFrame) -> dict:
    """The weight stage entry of weighting method ``"ahp"`` with the folder's judgements: each parent of
    ``ahp.json`` weighed by its matrix (in the order of its children), any other parent equally.

    >>> from cityeval.composite.dataset import load_dataset
    >>> lesson = paths.DATA / "examples" / "lesson"
    >>> ahp_entry(lesson, load_dataset(lesson).indicators)["by_parent"]["economy"]
    {'method': 'ahp', 'matrix': [[1.0, 2.0], [0.5, 1.0]]}
    """
    judgements = ahp_judgements(folder, indicators)
    return {"method": "equal", "by_parent": {p: {"method": "ahp", "matrix": m.to_numpy().tolist()}
                                             for p, m in judgements.items()}}


def ahp_table(folder, indicators: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per parent of ``ahp.json``: the order ``n``, the principal eigenvalue, the consistency index and
    ratio (Saaty's CR; at most 0.1 is acceptable, 0 for n <= 2) and the weights of the children.

    >>> from cityeval.composite.dataset import load_dataset
    >>> lesson = paths.DATA / "examples" / "lesson"
    >>> t = ahp_table(lesson, load_dataset(lesson).indicators)
    >>> list(t.columns), bool((t["CR"] <= 0.1).all())
    (['n', 'λmax', 'CI', 'CR', 'weights'], True)
    """
    from cityeval.composite.weighting import ahp_consistency

    check_language(lang)
    rows = {}
    for parent, matrix in ahp_judgements(folder, indicators).items():
        c = ahp_consistency(matrix)
        weights = ", ".join(f"{code_name(indicators, k, lang)} {w:.2f}" for k, w in c["weights"].items())
        rows[code_name(indicators, parent, lang)] = {"n": len(matrix), "λmax": c["lambda_max"], "CI": c["ci"],
                                                     "CR": c["cr"], "weights": weights}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.columns = ["n", "λmax", "CI", "CR", "权重" if lang == "zh" else "weights"]
    return out


# ----------------------------------------------------------------------------- variants
def walkthrough_variants(dataset, *, scale_low: float) -> dict:
    """The variants notebook 00 compares: ``{group: {label: the stage entries that replace the method's}}``.

    Groups: ``treatment`` (the JRC rule, none), ``normalization`` (the six methods, min-max onto
    [``scale_low``, 100]), ``weighting`` (equal, the weight column, five data-driven methods, and AHP when the
    folder has ``ahp.json``), ``aggregation`` (arithmetic, geometric, harmonic, TOPSIS, Benefit of the Doubt).

    >>> from cityeval.composite.dataset import load_dataset
    >>> v = walkthrough_variants(load_dataset(paths.DATA / "examples" / "lesson"), scale_low=1.0)
    >>> list(v["weighting"])[-1], v["aggregation"]["TOPSIS"]
    ('AHP', {'aggregate': {'method': 'topsis'}})
    """
    weighting = {label: {"weight": {"method": m}} for label, m in
                 [("equal", "equal"), ("given", "given"), ("entropy", "entropy"), ("critic", "critic"),
                  ("std", "std"), ("cv", "cv"), ("pca", "pca")]}
    if dataset.path is not None and (Path(dataset.path) / AHP_FILE).is_file():
        weighting["AHP"] = {"weight": ahp_entry(dataset.path, dataset.indicators)}
    return {
        "treatment": {"JRC rule": {}, "none": {"treat": {"method": "none"}}},
        "normalization": {
            "min-max": {"normalize": {"method": "minmax", "low": scale_low, "high": 100}},
            "z-score": {"normalize": {"method": "zscore"}},
            "rank": {"normalize": {"method": "rank"}},
            "percentile rank": {"normalize": {"method": "percentile"}},
            "distance to max": {"normalize": {"method": "distance_to_max"}},
            "distance to target": {"normalize": {"method": "distance_to_target"}},
        },
        "weighting": weighting,
        "aggregation": {label: {"aggregate": {"method": m}} for label, m in
                        [("arithmetic", "arithmetic"), ("geometric", "geometric"), ("harmonic", "harmonic"),
                         ("TOPSIS", "topsis"), ("Benefit of the Doubt", "bod")]},
    }


def not_computable_text(comparison, group: str, lang: str = "en") -> str:
    """The variants of ``group`` the data cannot support, each with the library's reason (Markdown), or a
    sentence saying every variant of the group was computed."""
    missing = comparison.not_computable(group)
    if not missing:
        return say_(lang, f"Every {group} variant could be computed with the rest of the method.",
                    f"{GROUP_ZH.get(group, group)}的每个选项都能与方法的其余部分一起计算。")
    head = say_(lang, "Not computable with the rest of the method (the cell is left empty), and why:",
                "与方法的其余部分不能一起计算的选项（表中为空），以及原因：")
    lines = [f"- **{variant_name(group, label, lang)}**: {reason}" for label, reason in missing.items()]
    return "\n".join([head, "", *lines])


def say_(lang, en, zh):
    return zh if check_language(lang) == "zh" else en


# ----------------------------------------------------------------------------- conclusions
def _moves(comparison, group):
    mv = comparison.movement().loc[group]
    return mv


def conclusion(comparison, lang: str = "en") -> str:
    """What each choice did on this data, one bullet per group of variants (Markdown, in ``lang``): how many of
    its variants move a city, the largest move and who is first under each.

    Examples
    --------
    >>> from cityeval.composite.comparison import compare_methods
    >>> from cityeval.composite.dataset import load_dataset
    >>> ds = load_dataset(paths.DATA / "examples" / "lesson")
    >>> cmp = compare_methods(ds, None, {"aggregation": {"arithmetic": {}, "geometric":
    ...                                  {"aggregate": {"method": "geometric"}}}})
    >>> print(conclusion(cmp))  # doctest: +NORMALIZE_WHITESPACE
    Illustrative (invented teaching data). With the parameters' method Amberfield ranks first.
    - **aggregation**: 1 of 2 variants move at least one city (largest move 4 ranks); first place: Amberfield.
    """
    check_language(lang)
    first = city_names(comparison.dataset, [comparison.ranks.index[0]], lang)[0]
    prefix = _PREFIX.get(data_kind(comparison.dataset), {}).get(lang, "")
    lines = [f"{prefix}按参数给出的方法，{first}排名第一。" if lang == "zh"
             else f"{prefix}With the parameters' method {first} ranks first."]
    for group in dict.fromkeys(comparison.ranks.columns.get_level_values(0)):
        mv = _moves(comparison, group)
        moving = int((mv["cities that move"] > 0).sum())
        largest = mv["largest move (ranks)"].max()
        firsts = []
        for label in mv.index:
            column = comparison.ranks[(group, label)]
            ids = list(column.index[column.eq(1).fillna(False).astype(bool)])
            firsts.extend(city_names(comparison.dataset, ids, lang))
        firsts = list(dict.fromkeys(firsts))
        if lang == "zh":
            move = f"（最大变动{largest:.0f}位）" if moving else ""
            lines.append(f"- **{GROUP_ZH.get(group, group)}**：{len(mv)}个选项中有{moving}个使至少一个城市的名次"
                         f"改变{move}；排名第一的城市：{'、'.join(firsts) or '无'}。")
        else:
            move = f" (largest move {largest:.0f} ranks)" if moving else ""
            lines.append(f"- **{group}**: {moving} of {len(mv)} variants move at least one city{move}; "
                         f"first place: {', '.join(firsts) or 'none'}.")
    return "\n".join(lines)


def summary_zh(comparison) -> str:
    """The Chinese one-line summary of the results file (the English one is
    :meth:`~cityeval.composite.comparison.MethodComparison.summary`).

    >>> from cityeval.composite.comparison import compare_methods
    >>> from cityeval.composite.dataset import load_dataset
    >>> cmp = compare_methods(load_dataset(paths.DATA / "examples" / "lesson"), None, {"t": {"none": {}}})
    >>> summary_zh(cmp)
    '示意（虚构数据）：按参数给出的方法，Amberfield在lesson数据上排名第一；1个单项变动中有0个使至少一个城市的名次改变；各变动下排名第一的城市：Amberfield。'
    """
    movement = comparison.movement()
    moving = int((movement["cities that move"] > 0).sum())
    firsts = "、".join(sorted(set(", ".join(movement["first place"]).split(", "))))
    prefix = "示意（虚构数据）：" if comparison.dataset.synthetic else ""
    name = comparison.dataset.path.name if comparison.dataset.path is not None else "给定"
    return (f"{prefix}按参数给出的方法，{comparison.ranks.index[0]}在{name}数据上排名第一；{len(movement)}个单项变动"
            f"中有{moving}个使至少一个城市的名次改变；各变动下排名第一的城市：{firsts}。")


