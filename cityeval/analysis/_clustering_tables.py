"""The tables notebooks 02-05 show a reader, with words for headers in English and Chinese.

A frame computed by the library keeps its code-like column names (``gap_rule``, ``bic_model``, ``p_holm``): the
results files and the tests read them. What a page shows goes through :func:`relabel` first: every column,
index entry, index name and string cell found in a table of words becomes that word in the page's language, and
booleans become Yes/No (是/否). The tables of notebook 03 are built here; notebooks 02, 04 and 05 pass their own
word tables to :func:`relabel`.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown
from cityeval.analysis._clustering_wording import ALGORITHM_NAMES_ZH, COVARIANCE_NAMES_ZH, check_lang

__all__ = ["relabel", "yes_no", "stage_table_shown", "leaders_table_shown", "evidence_shown", "rejected_fits_shown",
           "stability_shown"]

_YES_NO = {"en": ("Yes", "No"), "zh": ("是", "否")}


def yes_no(value, lang: str = "en"):
    """``value`` as Yes/No (是/否) when it is a boolean, else unchanged.

    >>> yes_no(True), yes_no(np.False_, "zh"), yes_no(3)
    ('Yes', '否', 3)
    """
    if isinstance(value, (bool, np.bool_)):
        return _YES_NO[check_lang(lang)][0 if value else 1]
    return value


def relabel(frame: pd.DataFrame, words: dict, lang: str = "en") -> pd.DataFrame:
    """``frame`` with its labels and cells in ``lang``: columns, index entries, index and column names and string
    cells found in ``words`` (``{label: (english, chinese)}``) replaced by their word, booleans by Yes/No (是/否).

    Parameters
    ----------
    frame : pandas.DataFrame
    words : dict
        ``{label: (english, chinese)}``; a label not in it is kept as it is.
    lang : {"en", "zh"}

    Returns
    -------
    pandas.DataFrame
        A copy; the numbers are untouched.

    Examples
    --------
    >>> t = pd.DataFrame({"gap_rule": [True, False]}, index=pd.Index([1, 2], name="k"))
    >>> relabel(t, {"gap_rule": ("Gap rule holds", "间隙规则成立")}, "zh").to_dict()
    {'间隙规则成立': {1: '是', 2: '否'}}
    >>> relabel(t, {"gap_rule": ("Gap rule holds", "间隙规则成立")}).columns.tolist()
    ['Gap rule holds']
    """
    which = 1 if check_lang(lang) == "zh" else 0
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", "a pandas DataFrame", Shown(type(frame).__name__))

    def word(v):
        if isinstance(v, (bool, np.bool_)):
            return yes_no(v, lang)
        if isinstance(v, str) and v in words:
            return words[v][which]
        return v

    out = frame.rename(index=word, columns=word)
    out = out.apply(lambda col: col.map(word)) if len(out.columns) else out
    out.index.names = [word(n) for n in out.index.names]
    out.columns.names = [word(n) for n in out.columns.names]
    return out


# ----------------------------------------------------------------------------- notebook 03's tables
_WORDS = {
    "stage": ("Stage", "阶段"), "cities": ("Cities", "城市数"), "mean composite": ("Mean composite", "综合指数均值"),
    "composite range": ("Composite range", "综合指数范围"), "closest": ("Closest dimensions", "最接近的维度"),
    "leaders_closest": ("Both obligatory dimensions closest", "两个必选维度最接近"),
    "silhouette": ("Mean silhouette", "平均轮廓系数"), "log_w": ("log W", "log W"),
    "log_w_ref": ("log W, reference mean", "log W（参照均值）"), "gap": ("Gap", "间隙统计量"),
    "gap_se": ("Gap standard error s", "间隙统计量标准误 s"), "gap_rule": ("Gap rule holds", "间隙规则成立"),
    "bic": ("BIC", "BIC"), "bic_model": ("BIC model", "BIC 最优协方差"), "k": ("k", "k"),
    "covariance_type": ("Covariance model", "协方差模型"), "sizes": ("Cluster sizes", "各成分城市数"),
    "min_log_det": ("Smallest log-determinant", "最小对数行列式"), "reason": ("Reason", "原因"),
    "mean": ("Mean", "均值"), "median": ("Median", "中位数"), "q05": ("5th percentile", "5% 分位数"),
    "q95": ("95th percentile", "95% 分位数"), "valid": ("Valid", "有效"),
    **{m: (m, COVARIANCE_NAMES_ZH[m]) for m in COVARIANCE_NAMES_ZH},
    **{a: (a, ALGORITHM_NAMES_ZH[a]) for a in ALGORITHM_NAMES_ZH},
}

_REASONS_ZH = (
    (re.compile(r"component (\d+) holds (\d+) (?:city|cities)"), r"第 \1 个成分只有 \2 座城市"),
    (re.compile(r" ?\(fewer than the d \+ 1 = (\d+) a full covariance in (\d+) dimensions needs\)"),
     r"（少于 \2 维完全协方差所需的 d + 1 = \1 座）"),
    (re.compile(r" ?\(fewer than the 2 a component needs\)"), "（少于一个成分所需的 2 座）"),
    (re.compile(r"a singular covariance \(smallest eigenvalue (\S+), below (\S+): held up by the regularisation (\S+); "
                r"log-det (\S+)\)"), r"协方差矩阵奇异（最小特征值 \1，低于 \2：仅靠正则化项 \3 维持；对数行列式 \4）"),
    (re.compile(r"EM did not reach the tolerance (\S+) in (\d+) iterations"), r"EM 算法在 \2 次迭代内未达到容差 \1"),
    (re.compile(r"; "), "；"),
)


def _reason_zh(text: str) -> str:
    """A rejected fit's reason in Chinese.

    >>> _reason_zh("component 2 holds 4 cities (fewer than the d + 1 = 7 a full covariance in 6 dimensions needs)")
    '第 2 个成分只有 4 座城市（少于 6 维完全协方差所需的 d + 1 = 7 座）'
    """
    for pattern, repl in _REASONS_ZH:
        text = pattern.sub(repl, text)
    return text


def stage_table_shown(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`~cityeval.analysis.clustering.stage_table` for a reader: headers in words, the stage names in
    ``lang`` (the report's Chinese names alone on a Chinese page), the stage number as the index.

    Examples
    --------
    >>> from cityeval.analysis.clustering import stage_table
    >>> t = stage_table(pd.Series([1, 1, 2, 3], index=list("abcd")), pd.Series([1.0, 2.0, 5.0, 9.0], index=list("abcd")), k=3)
    >>> [str(v) for v in stage_table_shown(t, "zh").iloc[0]]
    ['能力搭建阶段', '2', '1.5', '1.0-2.0']
    >>> stage_table_shown(t).columns.tolist()
    ['Stage', 'Cities', 'Mean composite', 'Composite range']
    """
    from cityeval.analysis._clustering_findings import stage_labels

    lang = check_lang(lang)
    out = table.copy()
    numbers = [int(str(s).split(".")[0]) for s in out["stage"]]
    k = len(numbers)
    out["stage"] = [s.split(". ", 1)[1] for s in stage_labels(numbers, k=k, lang=lang)] if lang == "zh" else \
        [re.sub(r"^\d+\. ", "", str(s)) for s in out["stage"]]
    out.index = pd.Index(numbers, name="编号" if lang == "zh" else "No.")
    return relabel(out, _WORDS, lang)


def leaders_table_shown(table: pd.DataFrame, lang: str = "en", *, names: dict | None = None) -> pd.DataFrame:
    """:func:`~cityeval.analysis.clustering.leaders_first`'s table for a reader: the dimensions by ``names``
    (code -> name in ``lang``), ``rank_INF`` as "Rank of <name>", Yes/No.

    Examples
    --------
    >>> t = pd.DataFrame({"closest": [["TEC", "LOW"]], "rank_INF": [6], "leaders_closest": [False]},
    ...                  index=pd.Index([1], name="stage"))
    >>> [str(v) for v in leaders_table_shown(t, "zh", names={"INF": "信息基础", "TEC": "技术创新", "LOW": "低碳发展"}).iloc[0]]
    ['技术创新、低碳发展', '6', '否']
    """
    lang = check_lang(lang)
    if table is None:   # the dataset has no dimensions of the report's names: nothing to compare
        return pd.DataFrame()
    names = names or {}
    out = table.copy()
    out["closest"] = [("、" if lang == "zh" else ", ").join(names.get(c, c) for c in cs) for cs in out["closest"]]
    ranks = {c: (f"Rank of {names.get(c[5:], c[5:])}", f"{names.get(c[5:], c[5:])}的名次")
             for c in out.columns if str(c).startswith("rank_")}
    return relabel(out, {**_WORDS, **ranks}, lang)


def evidence_shown(evidence: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`~cityeval.analysis.clustering.choose_k`'s table for a reader (headers in words, covariance models
    by name, Yes/No).

    Examples
    --------
    >>> e = pd.DataFrame({"gap_rule": [True], "bic_model": ["tied"]}, index=pd.Index([2], name="k"))
    >>> evidence_shown(e, "zh").iloc[0].tolist()
    ['是', '共享协方差']
    """
    return relabel(evidence, _WORDS, lang)


def rejected_fits_shown(mixtures: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The Gaussian-mixture fits :func:`~cityeval.analysis.clustering.mixture_fits` rejected, and why, for a
    reader: columns k, covariance model, BIC, cluster sizes, smallest log-determinant, reason (in ``lang``).

    Examples
    --------
    >>> m = pd.DataFrame({"k": [2, 3], "covariance_type": ["full", "tied"], "bic": [10.0, 11.0], "sizes": [(3, 1), (2, 2)],
    ...                   "min_log_det": [-1.0, 0.0], "valid": [False, True], "reason": ["component 2 holds 1 city", ""]})
    >>> [str(v) for v in rejected_fits_shown(m, "zh").iloc[0]]
    ['2', '完全协方差', '10.0', '3、1', '-1.0', '第 2 个成分只有 1 座城市']
    """
    lang = check_lang(lang)
    out = mixtures.loc[~mixtures["valid"].astype(bool), ["k", "covariance_type", "bic", "sizes", "min_log_det", "reason"]].copy()
    out["sizes"] = [("、" if lang == "zh" else ", ").join(map(str, s)) if isinstance(s, (tuple, list)) else s
                    for s in out["sizes"]]
    if lang == "zh":
        out["reason"] = [_reason_zh(str(r)) for r in out["reason"]]
    return relabel(out, _WORDS, lang)


def stability_shown(by_k: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`~cityeval.analysis.clustering.stability_by_k`'s table for a reader (mean, median, 5th and 95th
    percentile of the bootstrap ARI, by k).

    Examples
    --------
    >>> stability_shown(pd.DataFrame({"mean": [0.5], "q05": [0.1]}, index=pd.Index([2], name="k")), "zh").columns.tolist()
    ['均值', '5% 分位数']
    """
    return relabel(by_k, _WORDS, lang)
