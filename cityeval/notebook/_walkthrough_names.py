"""Names in English or Chinese and the data warnings of notebook 00 (re-exported by
:mod:`cityeval.notebook.walkthrough`, used by its figures)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.notebook.labels import check_language

#: The variant label of each normalization method notebook 00's parameter takes.
NORMALIZATION_LABELS = {"minmax": "min-max", "zscore": "z-score", "rank": "rank", "percentile": "percentile rank",
                        "distance_to_max": "distance to max", "distance_to_target": "distance to target"}

#: Chinese names of the variant groups and labels :func:`walkthrough_variants` builds (the results file keeps the
#: English ones).
GROUP_ZH = {"treatment": "异常值处理", "normalization": "标准化", "weighting": "权重", "aggregation": "合成"}
VARIANT_ZH = {
    "JRC rule": "JRC规则", "none": "不处理",
    "min-max": "极差标准化", "z-score": "Z分数", "rank": "排序", "percentile rank": "百分位排序",
    "distance to max": "与最大值的距离", "distance to target": "与目标值的距离",
    "equal": "等权", "given": "指标表权重", "entropy": "熵权法", "critic": "CRITIC", "std": "标准差",
    "cv": "变异系数", "pca": "主成分(PCA)", "AHP": "层次分析法(AHP)",
    "arithmetic": "算术平均", "geometric": "几何平均", "harmonic": "调和平均", "TOPSIS": "TOPSIS",
    "Benefit of the Doubt": "“有利怀疑”法",
}


# ----------------------------------------------------------------------------- names and warnings
def data_kind(dataset) -> str:
    """``"invented"`` (a synthetic folder under ``data/examples``), ``"panel"`` (the synthetic panel calibrated
    to the published ranks, or a copy of it), ``"synthetic"`` (other synthetic data) or ``"real"``.

    >>> from cityeval.composite.dataset import load_dataset
    >>> data_kind(load_dataset(paths.DATA / "examples" / "lesson"))
    'invented'
    """
    if not dataset.synthetic:
        return "real"
    path = Path(dataset.path).resolve() if dataset.path is not None else None
    if path is not None and (paths.DATA / "examples").resolve() in path.parents:
        return "invented"
    if path is not None and path.name == "ccid2022":
        return "panel"
    return "synthetic"


_NOTES = {"invented": {"en": "illustrative: invented teaching data", "zh": "示意：虚构的教学数据"},
          "panel": {"en": "illustrative: synthetic data calibrated to the published ranks",
                    "zh": "示意：按公布排名校准的合成数据"},
          "synthetic": {"en": "illustrative: synthetic data", "zh": "示意：合成数据"}}


_PREFIX = {"invented": {"en": "Illustrative (invented teaching data). ", "zh": "示意（虚构的教学数据）："},
           "panel": {"en": "Illustrative (synthetic data calibrated to the published ranks). ",
                     "zh": "示意（按公布排名校准的合成数据）："},
           "synthetic": {"en": "Illustrative (synthetic data). ", "zh": "示意（合成数据）："}}


def mark(title: str, dataset, lang: str = "en") -> str:
    """A figure title with the warning of the dataset's kind on a second line (none for real data).

    >>> from cityeval.composite.dataset import load_dataset
    >>> mark("Weights", load_dataset(paths.DATA / "examples" / "lesson"))
    'Weights\\n(illustrative: invented teaching data)'
    """
    note = _NOTES.get(data_kind(dataset), {}).get(check_language(lang))
    if note is None:
        return title
    return f"{title}\n（{note}）" if lang == "zh" else f"{title}\n({note})"


def caption(text: str, dataset, lang: str = "en") -> str:
    """A table caption starting with the warning of the dataset's kind (none for real data).

    >>> from cityeval.composite.dataset import load_dataset
    >>> caption("Ranks", load_dataset(paths.DATA / "examples" / "lesson"), "zh")
    '示意：虚构的教学数据。Ranks'
    """
    note = _NOTES.get(data_kind(dataset), {}).get(check_language(lang))
    if note is None:
        return text
    return f"{note}。{text}" if lang == "zh" else f"{note[0].upper()}{note[1:]}. {text}"


def city_names(dataset, cities, lang: str = "en") -> list[str]:
    """Names of ``cities`` in ``lang``: the ``name_zh`` column of ``values.csv`` in Chinese when the folder has
    one; the synthetic panel's ids (Chinese) through :meth:`cityeval.notebook.panel.ScoredPanel.labels` rules
    (``city_en`` of the reference table in English); else the ids.

    >>> from cityeval.composite.dataset import load_dataset
    >>> city_names(load_dataset(paths.DATA / "examples" / "lesson"), ["Harbourton"], "zh")
    ['港湾城']
    """
    check_language(lang)
    values = dataset.values
    cities = list(cities)
    if lang == "zh":
        if "name_zh" in values.columns:
            return [str(values.at[c, "name_zh"]) for c in cities]
        return [str(c) for c in cities]
    if all(str(c).isascii() for c in cities):
        return [str(c) for c in cities]
    from cityeval.ccid2022.reference import default_cities

    names = default_cities()["city_en"]
    return [str(names.get(c, c)) if str(names.get(c, c)).isascii() else f"#{k + 1}" for k, c in enumerate(cities)]


def code_name(indicators: pd.DataFrame, code: str, lang: str = "en") -> str:
    """The name of ``code`` in ``lang`` from the indicator table (``name_zh``/``name_en``), the code itself when
    the table has no name in that language.

    >>> from cityeval.composite.dataset import load_dataset
    >>> meta = load_dataset(paths.DATA / "examples" / "lesson").indicators
    >>> code_name(meta, "economy", "zh"), code_name(meta, "economy")
    ('数字经济', 'Digital economy')
    """
    column = "name_zh" if check_language(lang) == "zh" else "name_en"
    name = indicators.at[code, column] if column in indicators.columns and code in indicators.index else None
    return str(name) if isinstance(name, str) and name.strip() else str(code)


#: Chinese names of the units of the lesson and toy data (a unit without one is left out of a Chinese figure).
UNIT_ZH = {"Mbps": "Mbps", "base stations per 10,000 people": "每万人基站数", "base stations per 10000 people":
           "每万人基站数", "hours per user per year": "小时/户/年", "% of GDP": "占GDP的%", "percent of GDP": "占GDP的%",
           "thousand yuan per person": "千元/人", "% of services": "占服务事项的%", "days": "天", "score": "得分"}


def unit_name(indicators: pd.DataFrame, code: str, lang: str = "en") -> str:
    """The unit of ``code`` in ``lang`` (:data:`UNIT_ZH` in Chinese; empty when it has no Chinese name).

    >>> from cityeval.composite.dataset import load_dataset
    >>> meta = load_dataset(paths.DATA / "examples" / "lesson").indicators
    >>> unit_name(meta, "permit_days", "zh"), unit_name(meta, "permit_days")
    ('天', 'days')
    """
    unit = str(indicators.at[code, "unit"]) if "unit" in indicators.columns else ""
    if check_language(lang) == "zh":
        return UNIT_ZH.get(unit, "" if any(c.isascii() and c.isalpha() for c in unit) else unit)
    return unit


def variant_name(group: str, label: str, lang: str = "en", *, with_group: bool = False) -> str:
    """A variant's label in ``lang`` (``"group: label"`` with ``with_group``).

    >>> variant_name("weighting", "entropy", "zh", with_group=True)
    '权重：熵权法'
    """
    if check_language(lang) == "zh":
        name = VARIANT_ZH.get(label, label)
        return f"{GROUP_ZH.get(group, group)}：{name}" if with_group else name
    return f"{group}: {label}" if with_group else label


_SHIFT_HINT = "or pass an explicit shift= (added before, subtracted after aggregating)"


def reader_reason(text: str, dataset, hint: str = "(min-max with scale_low > 0, or rank)") -> str:
    """A library message as a page shows it: the dataset's files named relative to its folder (no machine's
    path) and the hint for programmers (``shift=``) replaced by the choice a reader can change (``hint``).

    >>> from cityeval.composite.dataset import load_dataset
    >>> ds = load_dataset(paths.DATA / "examples" / "toy")
    >>> reader_reason(f"{ds.path.resolve()}/values.csv: needs every value > 0; choose a normalization with a "
    ...               "positive range or pass an explicit shift= (added before, subtracted after aggregating)", ds)
    'values.csv: needs every value > 0; choose a normalization with a positive range (min-max with scale_low > 0, or rank)'
    """
    text = str(text)
    if dataset is not None and getattr(dataset, "path", None) is not None:
        folder = Path(dataset.path)
        for form in dict.fromkeys([str(folder.resolve()), str(folder.absolute()), str(folder)]):
            text = text.replace(form + "/", "").replace(form, folder.name)
        text = text.replace(folder.name + "/", "")
    return text.replace(_SHIFT_HINT, hint)
