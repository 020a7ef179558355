"""One look for every notebook's figures and tables, in English or Chinese.

:func:`use_style` is the first thing a notebook's set-up cell calls: the same seaborn theme, palette, sizes and
font everywhere (Noto Sans SC for ``lang="zh"``, see :mod:`cityeval.notebook.labels`), and pandas showing text in
full. The helpers keep the honesty rule visible where a reader copies from: :func:`illustrative` marks a figure
title, :func:`table` puts the caption (with "illustrative" when the numbers rest on synthetic data) on the table
itself, so a pasted table keeps its warning, and formats numbers without rounding noise.

For the tests, ``CITYEVAL_FIGURE_TEXTS=<file>`` in the kernel's environment makes :func:`use_style` record every
text of every figure drawn (titles, axes, ticks, legends, annotations) and every missing-glyph warning, one JSON
line per figure; :func:`text_problems` reads them back and names what is not in the figure's language.
"""
from __future__ import annotations

import json
import math
import os
import re
import warnings
from pathlib import Path

from cityeval.errors import ParameterError
from cityeval.validation import Shown
from cityeval.notebook.labels import check_language, use_language

__all__ = ["use_style", "say", "illustrative", "ILLUSTRATIVE", "legend_outside", "table", "number",
           "FIGURE_TEXTS_VARIABLE", "text_problems", "english_words", "LATIN_ALLOWED"]

#: Environment variable naming the JSON-lines file the figure-text recorder appends to.
FIGURE_TEXTS_VARIABLE = "CITYEVAL_FIGURE_TEXTS"

#: The words that mark a number resting on synthetic data, per language.
ILLUSTRATIVE = {"en": "illustrative", "zh": "示意"}
_ILLUSTRATIVE_NOTE = {
    "en": "illustrative: synthetic data calibrated to the published ranks",
    "zh": "示意：按公布排名校准的合成数据",
}
_REAL_NOTE = {"en": "", "zh": ""}

#: Latin words a Chinese figure may keep: acronyms read as such in Chinese texts, method and person names
#: without a settled Chinese form, and units. Anything else of two or more Latin letters is English left behind.
LATIN_ALLOWED = frozenset({
    "Sobol", "COINr", "Jonckheere", "Terpstra", "Kruskal", "Wallis", "Dunn", "Holm", "Hartigan", "Theil", "Gini",
    "Spearman", "Pearson", "Kendall", "Ward", "Mbps", "km", "kg", "log", "ln", "max", "min", "vs",
    "IPv",    # IPv6, in the report's own indicator name IPv6活跃用户占比
    # names of methods' authors, kept in Latin letters as Chinese statistics texts do (like Pearson above)
    "Fisher", "Kass", "Raftery", "Foster", "Wolfson", "Mann", "Whitney", "Saltelli", "Jansen",
    "BoD",    # Benefit of the Doubt, 善意推定法（BoD）: the glossary's term keeps the abbreviation
})

_PALETTE = "colorblind"
_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.titlesize": 11,
    "axes.titleweight": "regular",
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "legend.frameon": False,
    "figure.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def use_style(lang: str = "en"):
    """Set the shared figure and table style, in ``lang``; return ``lang``.

    Parameters
    ----------
    lang : {"en", "zh"}, default "en"
        The language of figure text. ``"zh"`` uses the packaged Noto Sans SC (no empty boxes).

    Notes
    -----
    Sets seaborn's ``whitegrid`` theme with the ``colorblind`` palette and the sizes in ``_RC``, then
    :func:`~cityeval.notebook.labels.use_language` (seaborn's theme resets the font list, so the order matters),
    and pandas' ``display.max_colwidth`` to None (claims are shown in full). Only this process changes.
    """
    import matplotlib
    import pandas as pd
    import seaborn as sns

    check_language(lang)
    sns.set_theme(style="whitegrid", context="notebook", palette=_PALETTE)
    matplotlib.rcParams.update(_RC)
    use_language(lang)
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 200)
    target = os.environ.get(FIGURE_TEXTS_VARIABLE)
    if target:
        _record_texts(Path(target), lang)
    return lang


def say(lang: str, en: str, zh: str) -> str:
    """``en`` or ``zh``, by ``lang``: the one switch every bilingual string goes through.

    >>> say("zh", "rank", "排名")
    '排名'
    """
    return zh if check_language(lang) == "zh" else en


def illustrative(title: str, lang: str = "en", *, synthetic: bool = True) -> str:
    """``title`` with the illustrative note on a second line when ``synthetic`` (else ``title`` unchanged).

    >>> illustrative("Rank against score")
    'Rank against score\\n(illustrative: synthetic data calibrated to the published ranks)'
    >>> illustrative("名次", "zh")
    '名次\\n（示意：按公布排名校准的合成数据）'
    """
    check_language(lang)
    if not synthetic:
        return title
    note = _ILLUSTRATIVE_NOTE[lang]
    return f"{title}\n（{note}）" if lang == "zh" else f"{title}\n({note})"


def legend_outside(ax, *, where: str = "right", **kwargs):
    """Put ``ax``'s legend outside the data: to the ``right`` of the axes, or ``below`` it.

    Returns the legend (None when the axes has nothing to label).
    """
    if where not in ("right", "below"):
        raise ParameterError("where", "'right' or 'below'", where)
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    if where == "right":
        place = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0}
    else:
        place = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.14), "ncol": min(4, len(handles))}
    return ax.legend(handles, labels, **{**place, **kwargs})


def number(x, digits: int = 3) -> str:
    """A number for a reader: ``digits`` significant digits, no exponent between 1e-4 and 1e7, rounding noise
    below 1e-12 shown as 0, integers without decimals, NaN as an en dash.

    >>> number(59.851612), number(3.827725e-18), number(1234567.0), number(0.000123456), number(float("nan"))
    ('59.9', '0', '1234567', '0.000123', '–')
    """
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return str(x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if abs(v) < 1e-12:
        return "0"
    if v == round(v) and abs(v) < 1e15:
        return str(int(round(v)))
    if 1e-4 <= abs(v) < 1e7:
        text = f"{v:.{digits}g}"
        if "e" in text:
            text = f"{v:.0f}"
        return text
    return f"{v:.{digits - 1}e}"


def table(frame, caption: str, *, lang: str = "en", synthetic: bool = False, digits: int = 3,
          percent=(), hide_index: bool = False):
    """``frame`` as a styled table with its caption on it, numbers formatted by :func:`number`.

    Parameters
    ----------
    frame : pandas.DataFrame
    caption : str
        What the table shows. When ``synthetic``, the caption starts with "Illustrative (synthetic data
        calibrated to the published ranks):" (示意 in Chinese), so the warning travels with a copied table.
    lang : {"en", "zh"}
    synthetic : bool, default False
        Whether the numbers rest on a synthetic panel.
    digits : int, default 3
        Significant digits of floats.
    percent : iterable of str
        Columns holding shares in [0, 1], shown as percentages with one decimal.
    hide_index : bool, default False

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    import pandas as pd

    check_language(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", "a pandas DataFrame", Shown(type(frame).__name__))
    missing = [c for c in percent if c not in frame.columns]
    if missing:
        raise ParameterError("percent", f"columns of the table ({', '.join(map(str, frame.columns))})",
                             Shown(", ".join(map(str, missing))))
    if synthetic:
        head = "示意（按公布排名校准的合成数据）：" if lang == "zh" else \
            "Illustrative (synthetic data calibrated to the published ranks): "
        caption = head + caption
    styler = frame.style.set_caption(caption)
    styler = styler.format(lambda v: number(v, digits))
    # the row and column labels too: a shift of 10.0 or a threshold of 0.3 is not shown as 10.000000 or 0.300000
    styler = styler.format_index(lambda v: number(v, digits), axis=0).format_index(lambda v: number(v, digits), axis=1)
    for column in percent:
        styler = styler.format(lambda v: "–" if v is None or (isinstance(v, float) and math.isnan(v))
                               else f"{100 * float(v):.1f}%", subset=[column])
    styler = styler.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; "
                                         "padding-bottom: .4em;"},
        {"selector": "td, th", "props": "padding: .25em .6em; text-align: right;"},
        {"selector": "th.row_heading", "props": "text-align: left;"},
    ])
    text = _text_columns(frame)
    if text:    # words read from the left: a column of names or lists is not right-aligned like the numbers
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    if hide_index:
        styler = styler.hide(axis="index")
    return styler


def _text_columns(frame) -> list:
    """The columns of ``frame`` holding words (not numbers, booleans or numbers written as text)."""
    import pandas as pd

    if not frame.columns.is_unique:
        return []
    found = []
    for column in frame.columns:
        values = frame[column].dropna()
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values) or values.empty:
            continue
        words = [v for v in values if isinstance(v, str) and not re.fullmatch(r"[\s\d.,%+\-–−×/()]*", v)]
        if len(words) * 2 >= len(values):
            found.append(column)
    return found


# ----------------------------------------------------------------------------- the figure-text recorder
_INSTALLED = {}


def _figure_texts(figure) -> list[str]:
    from matplotlib.text import Text

    out = []
    for t in figure.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            out.append(t.get_text())
    return out


def _record_texts(path: Path, lang: str) -> None:
    from matplotlib.backend_bases import FigureCanvasBase

    _INSTALLED["lang"] = lang
    _INSTALLED["path"] = path
    if "original" in _INSTALLED:
        return
    original = FigureCanvasBase.print_figure
    _INSTALLED["original"] = original

    def print_figure(self, *args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = original(self, *args, **kwargs)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        for w in caught:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        record = {"lang": _INSTALLED["lang"], "texts": _figure_texts(self.figure), "missing_glyphs": missing}
        with open(_INSTALLED["path"], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return result

    FigureCanvasBase.print_figure = print_figure


_MATH = re.compile(r"\$[^$]*\$")
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """Latin words of two or more letters in ``text`` that a Chinese figure should not keep: not in
    :data:`LATIN_ALLOWED`, not an acronym (all capitals, at most 6 letters) and not inside ``$...$`` (math).

    >>> english_words("信息基础 (GDP, Sobol) rank of $\\\\rho$")
    ['rank', 'of']
    """
    words = _WORD.findall(_MATH.sub(" ", text))
    return [w for w in words if w not in LATIN_ALLOWED and not (w.isupper() and len(w) <= 6)]


def text_problems(path) -> list[str]:
    """What the recorder's file says is wrong: missing glyphs in any figure, and English words in a figure
    drawn with ``lang="zh"``. One line per problem, naming the figure (its order in the file) and the text."""
    problems = []
    for k, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)
        for message in record["missing_glyphs"]:
            problems.append(f"figure {k}: {message}")
        if record["lang"] == "zh":
            for text in record["texts"]:
                words = english_words(text)
                if words:
                    problems.append(f"figure {k}: English in a Chinese figure: {text!r} ({', '.join(words)})")
    return problems
