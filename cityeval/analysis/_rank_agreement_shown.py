"""A table for a reader, in English or Chinese: words for headers, index names and text cells, indicator names
for indicator codes, yes/no (是/否) for booleans, units in the page's language.

Shared by the wording modules of notebooks 06-09 (each passes its own ``words``); it lives beside
:func:`~cityeval.analysis._rank_agreement_wording.shown_p` and :func:`~cityeval.analysis._rank_agreement_wording.yes_no`,
the other cell formatters. Nothing here computes: a frame goes in, the same numbers come out, relabelled.
Re-exported by :mod:`cityeval.analysis.rank_agreement`.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from cityeval.analysis._rank_agreement_wording import check_lang
from cityeval.errors import ParameterError
from cityeval.validation import Shown

__all__ = ["shown_frame", "unit_name", "identifiers", "UNITS_ZH", "YES_NO"]

#: A boolean cell, per language.
YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}

#: The units of the embedded datasets' indicator tables in Chinese (``indicators.csv``'s ``unit``).
UNITS_ZH = {
    "score 0-100": "0–100 分", "scenarios": "情景数", "thousand yuan per resident": "千元/人",
    "firms per 10,000 residents": "家/万人", "% of GDP": "占 GDP 的 %", "stations per 10,000 residents": "个/万人",
    "% of fixed broadband users": "占固定宽带用户的 %", "% of internet users": "占互联网用户的 %",
    "racks per 10,000 residents": "架/万人", "% of departments": "占部门的 %", "thousand data sets": "千个数据集",
    "% of requests": "占请求的 %", "% of cases": "占事项的 %", "points per km² built-up area": "个/平方公里建成区",
    "% of services": "占服务的 %", "services": "项服务", "% of ratings": "占评价的 %", "per million residents": "每百万人",
    "% of residents": "占居民的 %", "% of visits": "占就诊人次的 %", "% of adults": "占成年人的 %",
    "% of buses": "占公交车的 %", "% of parking spaces": "占停车位的 %", "% of schools": "占学校的 %",
    "users per 100 students": "用户/百名学生", "% of fixed investment": "占固定资产投资的 %", "parks": "个园区",
    "% of industrial firms": "占工业企业的 %", "factories": "家工厂", "patents per 10,000 residents": "件/万人",
    "persons per 10,000 residents": "人/万人", "instruments": "台（套）仪器", "µg/m³": "µg/m³",
    "% of new buildings": "占新建建筑的 %", "tce per 10,000 yuan GDP": "吨标准煤/万元 GDP",
    "% of electricity": "占用电量的 %", "% of new vehicles": "占新车的 %",
}


def unit_name(unit, lang: str = "en") -> str:
    """``unit`` (an indicator table's ``unit``) in ``lang``: the text itself in English, :data:`UNITS_ZH` in
    Chinese (a unit it does not know is returned unchanged: a dataset's own units are its own words).

    >>> unit_name("firms per 10,000 residents", "zh"), unit_name("score 0-100"), unit_name("furlongs", "zh")
    ('家/万人', 'score 0-100', 'furlongs')
    """
    check_lang(lang)
    unit = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    return UNITS_ZH.get(unit, unit) if lang == "zh" else unit


def _percent(v) -> str:
    if v is None or (isinstance(v, (float, np.floating)) and math.isnan(v)):
        return "–"
    return f"{100 * float(v):.1f}%"


def shown_frame(frame: pd.DataFrame, lang: str = "en", words: dict | None = None, *, indicators=None,
                units=(), percent=(), cities=None) -> pd.DataFrame:
    """``frame`` relabelled for a reader in ``lang``: the same numbers, words instead of identifiers.

    Parameters
    ----------
    frame : pandas.DataFrame
    lang : {"en", "zh"}, default "en"
    words : dict, optional
        ``{identifier: (English, Chinese)}`` for column names, index names, index labels and text cells
        (``"rank_lo"`` -> ``("Best rank", "最好名次")``); an identifier not in it is kept.
    indicators : pandas.DataFrame, optional
        A dataset's indicator table (indexed by code, with ``name_en`` and ``name_zh``): an indicator code in a
        header, an index label or a cell is replaced by its name in ``lang`` (``words`` looked up first).
    units : iterable of str
        Columns whose cells are units (:func:`unit_name`).
    percent : iterable of str
        Columns of shares in [0, 1], shown as percentages with one decimal (``0.123`` -> ``"12.3%"``).
    cities : callable, optional
        A list of index labels (cities) -> their names in ``lang``, applied to the (last level of the) index.

    Returns
    -------
    pandas.DataFrame
        Booleans are ``yes``/``no`` (``是``/``否``); numbers are untouched (:func:`cityeval.notebook.style.table`
        formats them).

    Examples
    --------
    >>> t = pd.DataFrame({"rank_lo": [1, 3], "robust": [True, False]}, index=pd.Index(["a", "b"], name="unit"))
    >>> words = {"rank_lo": ("Best rank", "最好名次"), "robust": ("Robust", "稳健"), "unit": ("City", "城市")}
    >>> shown = shown_frame(t, "zh", words)
    >>> shown.index.name, list(shown.columns), shown.to_numpy().tolist()
    ('城市', ['最好名次', '稳健'], [[1, '是'], [3, '否']])
    >>> meta = pd.DataFrame({"name_en": ["High-tech firms"], "name_zh": ["高新技术企业"]}, index=["tec_hightech"])
    >>> shown_frame(pd.DataFrame({"tec_hightech": [0.25]}), "en", indicators=meta, percent=["tec_hightech"])
      High-tech firms
    0           25.0%
    """
    check_lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", "a pandas DataFrame", Shown(type(frame).__name__))
    words = {} if words is None else words
    if not isinstance(words, dict):
        raise ParameterError("words", "a dict {identifier: (English, Chinese)}", Shown(type(words).__name__))
    side = 1 if lang == "zh" else 0
    known = set(indicators.index) if indicators is not None else set()

    def name(v):
        if isinstance(v, (bool, np.bool_)):
            return YES_NO[lang][0 if v else 1]
        if isinstance(v, str):
            if v in words:
                return words[v][side]
            if v in known:
                return str(indicators.at[v, f"name_{lang}"])
        return v

    out = frame.copy()
    for column in units:
        if column in out.columns:
            out[column] = out[column].map(lambda u: unit_name(u, lang))
    for column in percent:
        if column in out.columns:
            out[column] = out[column].map(_percent)
    out = out.apply(lambda col: col.map(name)) if len(out.columns) else out
    if cities is not None:
        labels = list(out.index.get_level_values(-1))
        mapping = dict(zip(labels, cities(labels)))
        out = out.rename(index=mapping, level=out.index.nlevels - 1 if out.index.nlevels > 1 else None)
    out = out.rename(index=name, columns=name)
    out.index.names = [name(n) for n in out.index.names]
    out.columns.names = [name(n) for n in out.columns.names]
    return out


_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def identifiers(text) -> list:
    """The snake_case identifiers in ``text`` (what no reader should see: ``rank_lo``, ``tec_hightech``).

    >>> identifiers("Best rank (rank_lo) of tec_hightech"), identifiers("5G base stations")
    (['rank_lo', 'tec_hightech'], [])
    """
    return _IDENTIFIER.findall(str(text))
