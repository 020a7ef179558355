"""Names in English or Chinese and the data warnings of notebook 00 (re-exported by
:mod:`cityeval.notebook.walkthrough`, used by its figures)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cityeval import paths
from cityeval.notebook.labels import check_language

#: The variant label of each normalization method notebook 00's parameter takes.
NORMALIZATION_LABELS = {"minmax": "min-max", "zscore": "z-score", "rank": "rank", "percentile": "percentile rank",
                        "distance_to_max": "distance to max", "distance_to_target": "distance to target"}

#: Chinese names of the variant groups and labels :func:`walkthrough_variants` builds (the results file keeps the
#: English ones).
GROUP_ZH = {"treatment": "异常值处理", "normalization": "标准化", "weighting": "权重", "aggregation": "加权汇总"}
VARIANT_ZH = {
    "JRC rule": "JRC规则", "none": "不处理",
    "min-max": "极差标准化", "z-score": "Z分数", "rank": "排序", "percentile rank": "百分位排序",
    "distance to max": "与最大值的距离", "distance to target": "与目标值的距离",
    "equal": "等权", "given": "指标表权重", "entropy": "熵权法", "critic": "CRITIC", "std": "标准差",
    "cv": "变异系数", "pca": "主成分(PCA)", "AHP": "层次分析法(AHP)",
    "arithmetic": "算术平均", "geometric": "几何平均", "harmonic": "调和平均", "TOPSIS": "TOPSIS",
    "Benefit of the Doubt": "善意推定法",
}


# ----------------------------------------------------------------------------- names and warnings
def data_kind(dataset) -> str:
    """``"invented"`` (``method.json`` says ``"invented": true``: :attr:`Dataset.invented`), ``"panel"`` (the
    synthetic panel calibrated to the published ranks, or a copy of it), ``"synthetic"`` (other synthetic data)
    or ``"real"``.

    >>> from cityeval.composite.dataset import load_dataset
    >>> data_kind(load_dataset(paths.DATA / "examples" / "lesson")), data_kind(load_dataset(paths.DATA / "synthetic" / "ccid2022"))
    ('invented', 'panel')
    """
    if not dataset.synthetic:
        return "real"
    if dataset.invented:
        return "invented"
    path = Path(dataset.path).resolve() if dataset.path is not None else None
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


# ----------------------------------------------------------------------------- the method in words
_STAGE_NAMES = {"denominate": ("denomination", "除以分母"), "impute": ("imputation", "缺失值填补"),
                "screen": ("screening", "筛选"), "treat": ("outlier treatment", "异常值处理"),
                "normalize": ("normalization", "标准化"), "weight": ("weighting", "权重"),
                "aggregate": ("aggregation", "加权汇总"), "rank": ("ranking", "排名")}
_TREAT = {"jrc": ("JRC rule", "JRC规则"), "winsorize": ("winsorization", "缩尾"), "log": ("log transform", "对数变换"),
          "none": ("none", "不处理")}
_METHOD_KEYS = {"normalize": NORMALIZATION_LABELS,
                "weight": {"equal": "equal", "given": "given", "entropy": "entropy", "critic": "critic", "std": "std",
                           "cv": "cv", "pca": "pca", "ahp": "AHP"},
                "aggregate": {"arithmetic": "arithmetic", "geometric": "geometric", "harmonic": "harmonic",
                              "topsis": "TOPSIS", "bod": "Benefit of the Doubt"}}


_OTHER = {("denominate", "divide"): ("divide by the denominator", "除以分母"), ("denominate", "none"): ("none", "不除"),
          ("impute", "none"): ("none (a missing value is an error)", "不填补（缺失值即报错）"),
          ("impute", "mean"): ("mean", "均值"), ("impute", "median"): ("median", "中位数"),
          ("impute", "group_mean"): ("group mean", "组内均值"), ("impute", "group_median"): ("group median", "组内中位数"),
          ("screen", "none"): ("none (every city kept)", "不筛选（保留所有城市）"),
          ("screen", "availability"): ("by data availability", "按数据可得率"),
          ("rank", "min"): ("ties share the best rank (1224)", "并列取最好名次（1224规则）")}


def _entry_name(stage, entry, lang) -> str:
    zh = lang == "zh"
    name = entry.get("method", entry.get("ties", ""))
    options = {k: v for k, v in entry.items() if k not in ("method", "ties", "by_level", "by_parent")}
    if stage == "treat":
        text = _TREAT.get(name, (name, name))[zh]
    elif stage == "normalize" and name == "minmax":
        text = (f"极差标准化，映射到[{options.pop('low', 0):g}, {options.pop('high', 100):g}]" if zh else
                f"min-max onto [{options.pop('low', 0):g}, {options.pop('high', 100):g}]")
    elif stage in _METHOD_KEYS:
        label = _METHOD_KEYS[stage].get(name, name)
        text = VARIANT_ZH.get(label, label) if zh else label
    else:
        text = _OTHER[(stage, name)][zh] if (stage, name) in _OTHER else str(name)
    shown = {k: v for k, v in options.items() if not isinstance(v, (dict, list))}
    if shown:
        text += "（" + "，".join(f"{k} {v}" for k, v in shown.items()) + "）" if zh else \
            " (" + ", ".join(f"{k} {v}" for k, v in shown.items()) + ")"
    for key in ("by_parent", "by_level"):
        if entry.get(key):
            inner = sorted({str(e.get("method")) for e in entry[key].values()})
            parts = ", ".join(VARIANT_ZH.get(_METHOD_KEYS.get(stage, {}).get(m, m), m) if zh else
                              _METHOD_KEYS.get(stage, {}).get(m, m) for m in inner)
            text += (f"；{len(entry[key])}个父节点另用{parts}" if key == "by_parent" else f"；部分层级另用{parts}") if zh \
                else (f"; {parts} for {len(entry[key])} {'parent' if len(entry[key]) == 1 else 'parents'}"
                      if key == "by_parent" else f"; {parts} at some levels")
    return text


def method_text(method: dict, dataset, choices: dict, lang: str = "en") -> str:
    """Which method the page runs, stage by stage, and where each choice comes from (Markdown): the folder's
    ``method.json`` or the parameter that replaced it (``choices``: ``{parameter: value}``, ``""`` or ``None``
    meaning the folder's).

    >>> from cityeval.composite.dataset import load_dataset
    >>> from cityeval.composite.method import resolve_method
    >>> ds = load_dataset(paths.DATA / "examples" / "lesson")
    >>> text = method_text(resolve_method({**ds.method, "weight": {"method": "entropy"}}), ds,
    ...                    {"normalization": "", "weighting": "entropy"})
    >>> print(text.splitlines()[0])
    **The method of this page**: the folder's own `method.json` (lesson), with the stages a parameter names replaced.
    >>> [line for line in text.splitlines() if "weighting" in line]
    ['- weighting: entropy (parameter `weighting`)']
    """
    zh = check_language(lang) == "zh"
    from_param = {}
    for name, value in choices.items():
        stage = {"winmax": "treat", "normalization": "normalize", "scale_low": "normalize", "weighting": "weight",
                 "aggregation": "aggregate"}.get(name)
        if stage and value not in ("", None):
            from_param.setdefault(stage, []).append(name)
    folder = Path(dataset.path).name if dataset.path is not None else ("给定" if zh else "given")
    lines = [f"**本页的方法**：数据文件夹（{folder}）自己的 `method.json`，参数所指的步骤被替换。" if zh else
             f"**The method of this page**: the folder's own `method.json` ({folder}), with the stages a parameter "
             "names replaced."]
    for stage, (en, zh_name) in _STAGE_NAMES.items():
        if stage not in method:
            continue
        names = from_param.get(stage)
        where = (("参数 " + "、".join(f"`{n}`" for n in names)) if names else "method.json") if zh else \
            (("parameter " + ", ".join(f"`{n}`" for n in names)) if names else "method.json")
        lines.append(f"- {zh_name}：{_entry_name(stage, method[stage], lang)}（来自{where}）" if zh else
                     f"- {en}: {_entry_name(stage, method[stage], lang)} ({'from ' if not names else ''}{where})")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- tables a reader reads
#: Headers of the tables of notebook 00 (columns of indicators.csv, of the treatment table, of the AHP table ...):
#: ``{column: (English, Chinese)}``.
HEADERS = {
    "code": ("code", "代码"), "level": ("level", "层级"), "parent": ("parent", "父节点"), "direction": ("direction", "方向"),
    "weight": ("weight", "权重"), "weights": ("weights", "权重"), "measure": ("measure", "类型"), "unit": ("unit", "单位"),
    "name_zh": ("Chinese name", "中文名称"), "name_en": ("English name", "英文名称"),
    "denominator": ("denominator", "分母"), "target": ("target", "目标值"), "skew": ("skewness", "偏度"),
    "kurt": ("kurtosis", "峰度"), "failed": ("fails the rule", "不合格"), "action": ("action", "处理方式"),
    "n_winsorised": ("points winsorised", "缩尾点数"), "units_changed": ("cities changed", "受影响的城市"),
    "rank": ("rank", "排名"), "region": ("region", "区域"), "population_10k": ("population (10,000)", "常住人口（万人）"),
    "n": ("n", "阶数n"), "λmax": ("λmax", "最大特征值λmax"), "CI": ("CI", "一致性指标CI"), "CR": ("CR", "一致性比率CR"),
}
#: Categorical values of those tables: ``{value: (English, Chinese)}``.
VALUES = {"input": ("input", "投入"), "outcome": ("outcome", "产出"), "winsorised": ("winsorised", "缩尾处理"),
          "log": ("log transformed", "对数变换"), "none": ("none", "未处理"), "East": ("East", "东部"),
          "West": ("West", "西部")}


def _header(column, meta, lang) -> str:
    zh = lang == "zh"
    text = str(column)
    if text in HEADERS:
        return HEADERS[text][zh]
    if text in meta.index:
        return code_name(meta, text, lang)
    if text.endswith(" score") and text[:-6] in meta.index:
        name = code_name(meta, text[:-6], lang)
        return f"{name}得分" if zh else f"{name} score"
    if text.startswith("rank on ") and text[8:] in meta.index:
        name = code_name(meta, text[8:], lang)
        return f"{name}排名" if zh else f"rank on {name}"
    return text


def reader_table(frame: pd.DataFrame, dataset, lang: str = "en") -> pd.DataFrame:
    """``frame`` as a reader reads it in ``lang``: headers named (:data:`HEADERS`, indicator and aggregate codes by
    their names, ``"<code> score"`` and ``"rank on <code>"`` too), an index of codes or of cities by their names,
    booleans 是/否 and categorical values (:data:`VALUES`, units, parents, the cities a treatment changed) in
    Chinese with ``lang`` ``"zh"``.

    >>> from cityeval.composite.dataset import load_dataset
    >>> ds = load_dataset(paths.DATA / "examples" / "lesson")
    >>> t = reader_table(pd.DataFrame({"failed": [True], "action": ["winsorised"], "units_changed": ["Harbourton"]},
    ...                               index=pd.Index(["stations_5g"], name="code")), ds, "zh")
    >>> t.index.name, list(t.index), list(t.columns), t.iloc[0].tolist()
    ('指标', ['每万人5G基站数'], ['不合格', '处理方式', '受影响的城市'], ['是', '缩尾处理', '港湾城'])
    """
    zh = check_language(lang) == "zh"
    meta = dataset.indicators
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.map(lambda v: isinstance(v, (bool, np.bool_))).all() and len(values):
            if zh:
                out[column] = values.map(lambda v: "是" if v else "否")
        elif not pd.api.types.is_numeric_dtype(values):
            if column == "units_changed":
                out[column] = values.map(lambda v: ("、" if zh else ", ").join(
                    city_names(dataset, [c.strip() for c in str(v).split(",") if c.strip()], lang))
                    if isinstance(v, str) else v)
            elif column == "parent":
                out[column] = values.map(lambda v: code_name(meta, v, lang) if isinstance(v, str) else v)
            elif column == "unit" and zh:
                out[column] = values.map(lambda v: UNIT_ZH.get(v, v) if isinstance(v, str) else v)
            else:
                out[column] = values.map(lambda v: VALUES[v][zh] if isinstance(v, str) and v in VALUES else v)
    out.columns = [_header(c, meta, lang) for c in out.columns]
    index = [str(i) for i in out.index]
    if index and all(i in meta.index for i in index):
        out.index = pd.Index([code_name(meta, i, lang) for i in index], name="指标" if zh else "indicator")
    elif index and all(i in dataset.values.index for i in out.index):
        out.index = pd.Index(city_names(dataset, out.index, lang), name="城市" if zh else "city")
    return out
