"""Notebook 00's helpers: the variants it compares, the AHP judgements of a dataset folder, names in English or
Chinese, and the conclusions it prints.

Notebook 00 (the method walkthrough) runs a dataset folder with its own ``method.json``, the stages its parameters
name replaced (:func:`walkthrough_record`, called by :func:`cityeval.notebook.needs.walkthrough_method`), and
with one choice changed at a time (:func:`cityeval.composite.comparison.compare_methods`). This module holds what the notebook would otherwise
write in its cells: the variants (:func:`walkthrough_variants`), the pairwise judgements of weighting method
``"ahp"`` (:func:`ahp_judgements`, read from the folder's ``ahp.json``), the names of cities, codes and variants
in ``lang`` and the printed conclusions (:func:`conclusion`, :func:`summary_zh`). The figures are in
:mod:`cityeval.notebook._walkthrough_figures` (re-exported here).

A dataset's kind decides the warning every figure title and table caption carries (:func:`data_kind`): invented
teaching data (``method.json`` says ``"invented": true``), the synthetic panel calibrated to the published ranks,
other synthetic data, or real data (no warning).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.composite import framework
from cityeval.errors import DataError
from cityeval.notebook._walkthrough_names import (GROUP_ZH, NORMALIZATION_LABELS, UNIT_ZH, VARIANT_ZH, _NOTES,
                                                  _PREFIX, caption, city_names, code_name, data_kind, mark,
                                                  method_text, reader_reason, reader_table, unit_name,
                                                  variant_name)
from cityeval.notebook._walkthrough_figures import (dimension_figure, normalized_figure, ranks_figure,
                                                    raw_values_figure, treatment_figure, weights_figure)
from cityeval.notebook.labels import check_language

__all__ = ["AHP_FILE", "ahp_judgements", "ahp_entry", "ahp_table", "walkthrough_record", "walkthrough_variants",
           "PARAMETER_STAGES", "method_text", "reader_reason", "reader_reasons", "reader_table", "VARIANT_ZH", "GROUP_ZH",
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

    doc = read_json_object(path, what="ahp.json")
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
    out.index.name = "父节点" if lang == "zh" else "parent"
    return out


# ----------------------------------------------------------------------------- the method and its variants
#: The parameter of notebook 00 that replaces each stage of the folder's method (``""`` or ``None``: the folder's).
PARAMETER_STAGES = {"winmax": "treat", "normalization": "normalize", "scale_low": "normalize", "weighting": "weight",
                    "aggregation": "aggregate"}


def walkthrough_record(dataset, *, normalization: str = "", weighting: str = "", aggregation: str = "",
                       scale_low: float | None = None, winmax: int | None = None) -> dict:
    """Notebook 00's method record: the dataset folder's own ``method.json``, with only the stages its
    parameters name replaced.

    An empty choice (``""``) or ``None`` keeps the folder's stage as it is. A choice naming the folder's own
    method keeps that stage's options (the targets of ``distance_to_target``), without its per-level or
    per-parent overrides; another method starts from the library's defaults. ``scale_low`` sets the lower end of
    the min-max scale (the folder's or the chosen one; the upper end stays the folder's, else 100). ``winmax``
    sets the most points winsorised by the folder's JRC rule or winsorisation; a folder without either gets the
    JRC rule with that ``winmax``. Weighting ``"ahp"`` takes its pairwise matrices from the folder's ``ahp.json``
    (:func:`ahp_entry`). The ``description`` is left out (it describes the folder's method, not this one).

    Parameters
    ----------
    dataset : Dataset
        The dataset, loaded from its folder (``ahp.json`` is read there).
    normalization, weighting, aggregation : str, default ""
        A method of the stage's registry, or ``""`` for the folder's.
    scale_low : float or None, default None
        Lower end of the min-max scale, or ``None`` for the folder's (the library's 0 when it has none).
    winmax : int or None, default None
        Most points winsorised per indicator, or ``None`` for the folder's treatment.

    Returns
    -------
    dict
        A method record (:func:`cityeval.composite.method.resolve_method` completes it).

    Raises
    ------
    DataError
        Weighting ``"ahp"`` for a folder without ``ahp.json`` (or with judgements that do not fit its tree).

    Examples
    --------
    >>> from cityeval.composite.dataset import load_dataset
    >>> lesson = load_dataset(paths.DATA / "examples" / "lesson")
    >>> walkthrough_record(lesson) == {k: v for k, v in lesson.method.items() if k != "description"}
    True
    >>> m = walkthrough_record(lesson, normalization="rank", aggregation="geometric", winmax=2)
    >>> m["treat"], m["normalize"], m["weight"], m["aggregate"]
    ({'method': 'jrc', 'winmax': 2, 'skew_thresh': 2.0, 'kurt_thresh': 3.5}, {'method': 'rank'}, {'method': 'equal'}, {'method': 'geometric'})
    >>> walkthrough_record(load_dataset(paths.DATA / "examples" / "toy"), scale_low=1.0)["normalize"]
    {'method': 'minmax', 'low': 1.0}
    """
    from cityeval.composite.method import DEFAULT_METHOD

    base = {k: v for k, v in (dataset.method or {}).items() if k != "description"}
    out = dict(base)

    def choose(stage, choice):
        entry = dict(base.get(stage) or {})
        if not choice:
            return entry
        if entry.get("method", DEFAULT_METHOD[stage]["method"]) == choice:
            return {"method": choice, **{k: v for k, v in entry.items() if k not in ("method", "by_level", "by_parent")}}
        return {"method": choice}

    if winmax is not None:
        treat = dict(base.get("treat") or {})
        out["treat"] = ({**treat, "winmax": winmax} if treat.get("method") in ("jrc", "winsorize", "winsorise")
                        else {"method": "jrc", "winmax": winmax})
    normalize = choose("normalize", normalization)
    if scale_low is not None and normalize.get("method", DEFAULT_METHOD["normalize"]["method"]) == "minmax":
        normalize = {"method": "minmax", **normalize, "low": scale_low}
    if normalize or "normalize" in base:
        out["normalize"] = normalize
    if weighting == "ahp":
        out["weight"] = ahp_entry(dataset.path, dataset.indicators)
    elif weighting or "weight" in base:
        out["weight"] = choose("weight", weighting)
    if aggregation or "aggregate" in base:
        out["aggregate"] = choose("aggregate", aggregation)
    return out


def walkthrough_variants(dataset, method: dict | None = None, *, scale_low: float | None = None) -> dict:
    """The variants notebook 00 compares: ``{group: {label: the stage entries that replace the method's}}``.

    Groups: ``treatment`` (the JRC rule, none), ``normalization`` (the six methods), ``weighting`` (equal, the
    weight column, five data-driven methods, and AHP when the folder has ``ahp.json``), ``aggregation``
    (arithmetic, geometric, harmonic, TOPSIS, Benefit of the Doubt). A variant naming the method's own choice of
    its stage is the method's entry itself (the method's JRC thresholds and ``winmax``, its min-max scale, its
    targets), so it shows the nominal ranking beside the others; min-max onto [``scale_low``, 100] otherwise
    (the library's [0, 100] when ``scale_low`` is ``None``).

    >>> from cityeval.composite.dataset import load_dataset
    >>> lesson = load_dataset(paths.DATA / "examples" / "lesson")
    >>> v = walkthrough_variants(lesson, walkthrough_record(lesson))
    >>> list(v["weighting"])[-1], v["aggregation"]["TOPSIS"], v["normalization"]["min-max"]
    ('AHP', {'aggregate': {'method': 'topsis'}}, {'normalize': {'method': 'minmax', 'low': 1, 'high': 100}})
    """
    from cityeval.composite.method import resolve_method

    record = resolve_method(method if method is not None else dataset.method)

    def own(stage, name, default):
        entry = record[stage]
        return {stage: entry if entry.get("method") == name and not entry.get("by_level") and
                not entry.get("by_parent") else default}

    low = {} if scale_low is None else {"low": scale_low, "high": 100}
    weighting = {label: own("weight", m, {"method": m}) for label, m in
                 [("equal", "equal"), ("given", "given"), ("entropy", "entropy"), ("critic", "critic"),
                  ("std", "std"), ("cv", "cv"), ("pca", "pca")]}
    if dataset.path is not None and (Path(dataset.path) / AHP_FILE).is_file():
        weighting["AHP"] = {"weight": ahp_entry(dataset.path, dataset.indicators)}
    return {
        "treatment": {"JRC rule": own("treat", "jrc", {"method": "jrc"}), "none": {"treat": {"method": "none"}}},
        "normalization": {label: own("normalize", m, {"method": m, **(low if m == "minmax" else {})})
                          for m, label in NORMALIZATION_LABELS.items()},
        "weighting": weighting,
        "aggregation": {label: own("aggregate", m, {"method": m}) for label, m in
                        [("arithmetic", "arithmetic"), ("geometric", "geometric"), ("harmonic", "harmonic"),
                         ("TOPSIS", "topsis"), ("Benefit of the Doubt", "bod")]},
    }


def not_computable_text(comparison, group: str, lang: str = "en") -> str:
    """The variants of ``group`` the data cannot support, each with the library's reason as a reader sees it
    (:func:`reader_reason`: no machine's path, no hint for programmers) (Markdown), or a sentence saying every
    variant of the group was computed."""
    missing = comparison.not_computable(group)
    if not missing:
        return say_(lang, f"Every {group} variant could be computed with the rest of the method.",
                    f"{GROUP_ZH.get(group, group)}的每个选项都能与方法的其余部分一起计算。")
    head = say_(lang, "Not computable with the rest of the method (the cell is left empty), and why:",
                "与方法的其余部分不能一起计算的选项（表中为空），以及原因：")
    lines = [f"- **{variant_name(group, label, lang)}**: {reader_reason(reason, comparison.dataset)}"
             for label, reason in missing.items()]
    return "\n".join([head, "", *lines])


def reader_reasons(comparison) -> dict:
    """:attr:`~cityeval.composite.comparison.MethodComparison.reasons` as a reader sees them
    (:func:`reader_reason`), for the page and the results file (no machine's path in either).

    >>> from cityeval.composite.comparison import compare_methods
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> r = reader_reasons(compare_methods(toy, None, {"aggregation": {"geometric": {"aggregate": {"method": "geometric"}}}}))
    >>> r["aggregation: geometric"].startswith("values.csv, column 'broadband_speed'"), str(paths.ROOT) in str(r), "shift=" in str(r)
    (True, False, False)
    """
    return {key: reader_reason(text, comparison.dataset) for key, text in comparison.reasons.items()}


def say_(lang, en, zh):
    return zh if check_language(lang) == "zh" else en


# ----------------------------------------------------------------------------- conclusions
def _count_en(t) -> str:
    """``"3 of 4 computable variants move at least one city"`` (numbers and verbs agreeing)."""
    noun = "variant" if t["computable"] == 1 else "variants"
    verb = "moves" if t["moving"] == 1 else "move"
    return f"{t['moving']} of {t['computable']} computable {noun} {verb} at least one city"


def _largest(comparison, group) -> float:
    mv = comparison.movement().loc[group]
    keep = [label for label in mv.index if (group, label) not in comparison.nominal
            and comparison.runs.get((group, label)) is not None]
    return float(mv.loc[keep, "largest move (ranks)"].max()) if keep else 0.0


def conclusion(comparison, lang: str = "en") -> str:
    """What each choice did on this data, one bullet per group of variants (Markdown, in ``lang``): how many of
    its computable variants that change the method (:attr:`~cityeval.composite.comparison.MethodComparison.nominal`
    ones are not counted) move a city, the largest move, how many cannot be computed, and who is first under the
    method or a computable variant.

    Examples
    --------
    >>> from cityeval.composite.comparison import compare_methods
    >>> from cityeval.composite.dataset import load_dataset
    >>> ds = load_dataset(paths.DATA / "examples" / "lesson")
    >>> cmp = compare_methods(ds, None, {"aggregation": {"arithmetic": {}, "geometric":
    ...                                  {"aggregate": {"method": "geometric"}}}})
    >>> print(conclusion(cmp))  # doctest: +NORMALIZE_WHITESPACE
    Illustrative (invented teaching data). With the parameters' method Amberfield ranks first.
    - **aggregation**: 1 of 1 computable variant moves at least one city (largest move 4 ranks); first place: Amberfield.
    >>> print(conclusion(cmp, "zh").splitlines()[1])
    - **加权汇总**：1个可计算的选项中有1个使至少一个城市的名次改变（最多变动4个名次）；排名第一的城市：琥珀田。
    """
    check_language(lang)
    first = city_names(comparison.dataset, [comparison.ranks.index[0]], lang)[0]
    prefix = _PREFIX.get(data_kind(comparison.dataset), {}).get(lang, "")
    lines = [f"{prefix}按参数给出的方法，{first}排名第一。" if lang == "zh"
             else f"{prefix}With the parameters' method {first} ranks first."]
    for group in dict.fromkeys(comparison.ranks.columns.get_level_values(0)):
        t = comparison.tally(group)
        largest = _largest(comparison, group)
        firsts = city_names(comparison.dataset, t["firsts"], lang)
        missing = t["changes"] - t["computable"]
        if lang == "zh":
            move = f"（最多变动{largest:.0f}个名次）" if t["moving"] else ""
            left = f"；另有{missing}个无法计算" if missing else ""
            lines.append(f"- **{GROUP_ZH.get(group, group)}**：{t['computable']}个可计算的选项中有{t['moving']}个"
                         f"使至少一个城市的名次改变{move}{left}；排名第一的城市：{'、'.join(firsts) or '无'}。")
        else:
            move = f" (largest move {largest:.0f} {'rank' if largest == 1 else 'ranks'})" if t["moving"] else ""
            left = f"; {missing} more cannot be computed" if missing else ""
            lines.append(f"- **{group}**: {_count_en(t)}{move}{left}; first place: {', '.join(firsts) or 'none'}.")
    return "\n".join(lines)


def summary_zh(comparison) -> str:
    """The Chinese one-line summary of the results file (the English one is
    :meth:`~cityeval.composite.comparison.MethodComparison.summary`).

    >>> from cityeval.composite.comparison import compare_methods
    >>> from cityeval.composite.dataset import load_dataset
    >>> cmp = compare_methods(load_dataset(paths.DATA / "examples" / "lesson"), None,
    ...                       {"t": {"none": {"treat": {"method": "none"}}}})
    >>> summary_zh(cmp)
    '示意（虚构数据）：按参数给出的方法，Amberfield在lesson数据上排名第一；1个可计算的单项变动中有1个使至少一个城市的名次改变；在该方法或某个变动下排名第一的城市：Amberfield。'
    """
    t = comparison.tally()
    firsts = "、".join(sorted(t["firsts"]))
    prefix = ("示意（虚构数据）：" if comparison.dataset.invented else
              "示意（合成数据）：" if comparison.dataset.synthetic else "")
    name = comparison.dataset.path.name if comparison.dataset.path is not None else "给定"
    missing = t["changes"] - t["computable"]
    left = f"（另有{missing}个无法计算）" if missing else ""
    return (f"{prefix}按参数给出的方法，{comparison.ranks.index[0]}在{name}数据上排名第一；{t['computable']}个可计算的"
            f"单项变动中有{t['moving']}个使至少一个城市的名次改变{left}；在该方法或某个变动下排名第一的城市：{firsts}。")
