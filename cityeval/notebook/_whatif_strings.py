"""The what-if's texts in English and Chinese: the page's script reads :data:`STRINGS` (embedded with the data),
the ipywidgets version :func:`text` (:mod:`cityeval.notebook.whatif`)."""
from __future__ import annotations

from pathlib import Path

from cityeval import paths
from cityeval.notebook.labels import check_language, label

__all__ = ["STRINGS", "text", "data_strings", "data_kind", "folder_name", "dimension_name"]

#: ``{lang: {key: text}}``; ``{n}``-style fields are filled by the caller.
STRINGS = {
    "en": {
        "title": "What if the weights were different?",
        "title_synthetic": "ILLUSTRATIVE: synthetic data calibrated to the published ranks, not CCID's scores",
        "intro": "Move a slider: the composite is recomputed in your browser from the dimension scores of each city "
                 "(nothing is sent anywhere). A slider's value is a relative weight; the share beside it is its weight "
                 "in the composite.",
        "weights": "Dimension weights",
        "share": "share",
        "normalization": "Normalization",
        "aggregation": "Aggregation",
        "equal": "Equal weights",
        "reset": "Nominal method",
        "show_all": "show every city",
        "nominal_is": "Nominal method: {norm}, {agg}, the dataset's own weights.",
        "table_caption": "Ranking under the weights above: top {n} of {total}",
        "table_caption_all": "Ranking under the weights above: all {total} cities",
        "table_synthetic": "ILLUSTRATIVE ranking (synthetic data): ",
        "rank": "Rank",
        "city": "City",
        "score": "Score",
        "nominal_rank": "Nominal rank",
        "change": "Change",
        "same": "=",
        "chart_title": "Nominal rank → what-if rank, top {n}",
        "chart_synthetic": " (illustrative: synthetic data)",
        "chart_left": "nominal",
        "chart_right": "what-if",
        "below": "below {n}",
        "refused": "The library refuses this choice for these data: ",
        "all_zero": "Every weight is 0: set at least one above 0.",
        "moved": "{moved} of the top {n} changed place; {entered} entered the top {n}. Largest rise: {up}; largest "
                 "fall: {down}.",
        "none": "none",
        "lang": "中文",
        "kernel": "The controls below need a running Python kernel (open the notebook in JupyterLab and run the cell); "
                  "on a static page, use the what-if above, which runs in the browser.",
        "widget_refused": "The library refuses this choice for these data:",
        "widget_table": "Ranking under these weights: top {n} of {total}",
        "widget_chart": "Nominal rank → what-if rank, top {n}",
        "widget_x": "ranking",
        "widget_y": "rank",
    },
    "zh": {
        "title": "如果权重不同会怎样？",
        "title_synthetic": "示意：按公布排名校准的合成数据，并非赛迪的得分",
        "intro": "拖动滑块：综合得分在浏览器中由各城市的维度得分即时重算（不向任何地方发送数据）。滑块的值是相对权重，"
                 "旁边的百分比是它在综合指数中的权重。",
        "weights": "维度权重",
        "share": "占比",
        "normalization": "标准化方法",
        "aggregation": "加权汇总方法",
        "equal": "等权重",
        "reset": "基准方法",
        "show_all": "显示全部城市",
        "nominal_is": "基准方法：{norm}，{agg}，数据集自带的权重。",
        "table_caption": "按上方权重的排名：共 {total} 个城市中的前 {n} 名",
        "table_caption_all": "按上方权重的排名：全部 {total} 个城市",
        "table_synthetic": "示意排名（合成数据）：",
        "rank": "排名",
        "city": "城市",
        "score": "得分",
        "nominal_rank": "基准排名",
        "change": "变化",
        "same": "=",
        "chart_title": "基准排名 → 假设排名，前 {n} 名",
        "chart_synthetic": "（示意：合成数据）",
        "chart_left": "基准",
        "chart_right": "假设",
        "below": "{n} 名之后",
        "refused": "本库对这些数据拒绝此选择：",
        "all_zero": "所有权重都为 0：请至少把一个设为大于 0。",
        "moved": "前 {n} 名中有 {moved} 个城市名次变化，{entered} 个新进入前 {n} 名。上升最多：{up}；下降最多：{down}。",
        "none": "无",
        "lang": "English",
        "kernel": "下面的控件需要运行中的 Python 内核（在 JupyterLab 中打开本笔记本并运行此单元格）；"
                  "在静态页面上请使用上方在浏览器中运行的假设分析。",
        "widget_refused": "本库对这些数据拒绝此选择：",
        "widget_table": "按这些权重的排名：共 {total} 个城市中的前 {n} 名",
        "widget_chart": "基准排名 → 假设排名，前 {n} 名",
        "widget_x": "排名",
        "widget_y": "名次",
    },
}


def text(key: str, lang: str = "en", **fields) -> str:
    """The text ``key`` in ``lang``, its fields filled.

    >>> text("table_caption", "zh", n=25, total=293)
    '按上方权重的排名：共 293 个城市中的前 25 名'
    """
    return STRINGS[check_language(lang)][key].format(**fields)


#: The texts that depend on what the data are (:func:`cityeval.notebook._walkthrough_names.data_kind`).
_KIND = {
    "panel": {"en": {"title_synthetic": STRINGS["en"]["title_synthetic"],
                     "table_synthetic": STRINGS["en"]["table_synthetic"],
                     "chart_synthetic": STRINGS["en"]["chart_synthetic"]},
              "zh": {"title_synthetic": STRINGS["zh"]["title_synthetic"],
                     "table_synthetic": STRINGS["zh"]["table_synthetic"],
                     "chart_synthetic": STRINGS["zh"]["chart_synthetic"]}},
    "invented": {"en": {"title_synthetic": "ILLUSTRATIVE: invented data ({folder}), not measurements of real cities",
                        "table_synthetic": "ILLUSTRATIVE ranking (invented data): ",
                        "chart_synthetic": " (illustrative: invented data)"},
                 "zh": {"title_synthetic": "示意：虚构的数据（{folder}），并非真实城市的测量值",
                        "table_synthetic": "示意排名（虚构数据）：",
                        "chart_synthetic": "（示意：虚构数据）"}},
    "synthetic": {"en": {"title_synthetic": "ILLUSTRATIVE: synthetic data ({folder})",
                         "table_synthetic": "ILLUSTRATIVE ranking (synthetic data): ",
                         "chart_synthetic": " (illustrative: synthetic data)"},
                  "zh": {"title_synthetic": "示意：合成数据（{folder}）",
                         "table_synthetic": "示意排名（合成数据）：",
                         "chart_synthetic": "（示意：合成数据）"}},
    "real": {"en": {"title_synthetic": "Data: {folder}", "table_synthetic": "", "chart_synthetic": ""},
             "zh": {"title_synthetic": "数据：{folder}", "table_synthetic": "", "chart_synthetic": ""}},
}


def data_strings(kind: str, folder: str) -> dict:
    """:data:`STRINGS` with the data line of the title and the marks of the table and the chart for data of
    ``kind`` (``"panel"``, ``"invented"``, ``"synthetic"`` or ``"real"``) read from ``folder``.

    >>> data_strings("invented", "data/examples/toy")["en"]["title_synthetic"]
    'ILLUSTRATIVE: invented data (data/examples/toy), not measurements of real cities'
    >>> data_strings("real", "asem")["zh"]["title_synthetic"], data_strings("real", "asem")["en"]["table_synthetic"]
    ('数据：asem', '')
    """
    out = {}
    for lang, texts in STRINGS.items():
        out[lang] = {**texts, **{k: v.format(folder=folder) for k, v in _KIND[kind][lang].items()}}
    return out


def data_kind(what) -> str:
    """What the data are: ``"panel"`` (the synthetic panel calibrated to the published ranks), ``"invented"``
    (a synthetic folder of ``data/examples``), ``"synthetic"`` (other synthetic data) or ``"real"`` (a user's
    folder; no illustrative label). See :func:`cityeval.notebook._walkthrough_names.data_kind`.

    >>> from cityeval import paths
    >>> from cityeval.notebook.whatif import build
    >>> data_kind(build(paths.DATA / "examples" / "toy", top_n=3))
    'invented'
    """
    from cityeval.notebook._walkthrough_names import data_kind as kind

    return kind(what.dataset)


def folder_name(what) -> str:
    """The dataset folder as the page names it: relative to the repository when inside it, else its name.

    >>> from cityeval import paths
    >>> from cityeval.notebook.whatif import build
    >>> folder_name(build(paths.DATA / "examples" / "toy", top_n=3))
    'data/examples/toy'
    """
    path = what.dataset.path
    if path is None:
        return "the given data"
    path = Path(path).resolve()
    try:
        return path.relative_to(paths.ROOT.resolve()).as_posix()
    except ValueError:
        return path.name


def dimension_name(what, code: str, lang: str = "en") -> str:
    """A dimension's name in ``lang``; a folder without Chinese names falls back to the English one, then the code.

    >>> from cityeval import paths
    >>> from cityeval.notebook.whatif import build
    >>> dimension_name(build(paths.DATA / "examples" / "toy", top_n=3), "infra", "zh")
    '数字基础设施'
    """
    meta = what.dataset.indicators
    for option in (check_language(lang), "en"):
        name = str(label(code, option, indicators=meta) or "").strip()
        if name:
            return name
    return str(code)
