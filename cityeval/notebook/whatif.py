"""A weights what-if, like the OECD Better Life Index: set the dimension weights, see the ranking move.

The composite's top-level weights are the one thing a reader changes with the sliders; the normalization and the
aggregation are chosen from menus. Everything below the top level does not depend on the top-level weights, so
:func:`build` scores the dataset once per (normalization, aggregation) with the library's
:func:`~cityeval.composite.pipeline.run` and keeps the *dimension scores* (the children of the composite) of every
city. The page's script (``whatif_assets/whatif.js``) then only re-aggregates six numbers per city with the
weights of the sliders, with the same floating-point operations as :mod:`cityeval.composite.aggregation`:

.. math::

    w_d = \\frac{v_d}{\\sum_e v_e}, \\qquad
    C_u^{\\text{arith}} = \\frac{\\sum_d w_d s_{ud}}{\\sum_d w_d}, \\quad
    C_u^{\\text{geom}} = \\exp\\Big(\\frac{\\sum_d w_d \\ln s_{ud}}{\\sum_d w_d}\\Big), \\quad
    C_u^{\\text{harm}} = \\frac{\\sum_d w_d}{\\sum_d w_d / s_{ud}}

(``v`` the slider values, ``s`` the dimension scores; a missing score is skipped and the weights renormalised
over the dimensions a city has, as the library does). :func:`reweigh` is the same computation in Python, and
:func:`score` the library's own: the run of the dataset with the slider values as the ``weight`` column of the
composite's children and weight method ``"given"`` there (:func:`whatif_method`); the tests check that the two
agree to 1e-12 and that the page shows :func:`score`'s ranking.

A (normalization, aggregation) pair the data cannot support (a geometric mean of min-max scores, which include
0) is kept with the library's reason, which the page shows instead of a ranking.

:func:`page` renders the what-if as one self-contained HTML block (inline script and style, data embedded as
JSON: no network, no kernel); :func:`widget` is the same with ipywidgets in JupyterLab, calling :func:`score`.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

from cityeval.composite.dataset import Dataset
from cityeval.errors import CityevalError
from cityeval.notebook.labels import check_language, label
from cityeval.notebook.panel import ScoredPanel, scored_panel
from cityeval.validation import check_integer
from cityeval.notebook._whatif_score import (AGGREGATIONS, NAMES, NORMALIZATIONS, reweigh, score, whatif_method,
                                             with_weights)
from cityeval.notebook._whatif_strings import data_kind, dimension_name, folder_name
from cityeval.notebook._whatif_findings import SelfCheck, banner, conclusions, self_check, single_dimension

__all__ = ["NORMALIZATIONS", "AGGREGATIONS", "NAMES", "WhatIf", "build", "whatif_method", "with_weights", "score",
           "reweigh", "data_kind", "folder_name", "dimension_name", "payload", "page", "page_html", "widget", "banner", "SelfCheck", "self_check",
           "single_dimension", "conclusions"]

_ASSETS = "whatif_assets"


@dataclass
class WhatIf:
    """What the what-if page and widget show (made by :func:`build`).

    Attributes
    ----------
    panel : ScoredPanel
        The dataset scored with its own method (the *nominal* ranking).
    dimensions : list of str
        The children of the composite, whose weights the sliders set.
    nominal_weights : pandas.Series
        Their weights in the nominal run (summing to 1).
    normalizations, aggregations : list of str
        The menus' choices; the nominal method's first.
    dimension_scores : dict
        ``{(normalization, aggregation): DataFrame}`` (cities x dimensions) from :func:`score`, for every pair
        the data support.
    refused : dict
        ``{(normalization, aggregation): reason}``: the library's message for every pair it refuses.
    ties : str
        The tie rule of the ranks.
    lang : str
        The page's first language.
    top_n : int
        Cities in the table and the bump chart.
    """

    panel: ScoredPanel
    dimensions: list
    nominal_weights: pd.Series
    normalizations: list
    aggregations: list
    dimension_scores: dict = field(repr=False)
    refused: dict
    ties: str
    lang: str
    top_n: int

    @property
    def dataset(self) -> Dataset:
        return self.panel.dataset

    @property
    def nominal(self) -> tuple:
        """The nominal (normalization, aggregation)."""
        return self.normalizations[0], self.aggregations[0]

    @property
    def nominal_ranks(self) -> pd.Series:
        return self.panel.result.ranks[self.panel.top_code]

    @property
    def default_values(self) -> list:
        """The sliders' starting values: the nominal weights times the number of dimensions (equal weights: 1)."""
        return [round(float(w) * len(self.dimensions), 4) for w in self.nominal_weights]

    def summary(self, lang: str = "en") -> str:
        """One line for the results file and the index."""
        n, k = len(self.panel.all_scores), len(self.dimensions)
        pairs = len(self.normalizations) * len(self.aggregations)
        if check_language(lang) == "zh":
            head = "示意：" if self.panel.synthetic else ""
            return (f"{head}{k} 个维度权重的假设分析（{n} 个城市，{len(self.normalizations)} 种标准化 × "
                    f"{len(self.aggregations)} 种加权汇总方法，其中 {len(self.refused)} 种组合数据不支持）；"
                    "页面在浏览器中即时重算排名" + ("，数据为合成数据。" if self.panel.synthetic else "。"))
        head = "Illustrative what-if" if self.panel.synthetic else "What-if"
        return (f"{head} of the {k} dimension weights over {n} cities ({len(self.normalizations)} normalizations x "
                f"{len(self.aggregations)} aggregations, {len(self.refused)} of the {pairs} pairs refused by the "
                "library for these data); the page recomputes the ranking in the browser"
                + (" (synthetic data)." if self.panel.synthetic else "."))


def _reason(exc: Exception, dataset: Dataset) -> str:
    """The library's message as the page shows it: files named relative to the dataset folder (no machine's
    path), and the choice a reader can change instead of the programmer's ``shift=``."""
    from cityeval.notebook._walkthrough_names import reader_reason

    return reader_reason(exc, dataset, hint="(min-max onto [1, 100], or rank)")


def build(data="", *, lang: str = "en", top_n: int = 25) -> WhatIf:
    """Score a dataset folder for the what-if: the nominal run and the dimension scores of every (normalization,
    aggregation) pair, or the library's reason for refusing it.

    Parameters
    ----------
    data : path-like, optional
        A dataset folder with a tree of two levels or more; default (or empty) the embedded synthetic panel.
    lang : {"en", "zh"}, default "en"
        The page's first language (the page can switch).
    top_n : int, default 25
        Cities in the table and the bump chart, at least 3; a number above the cities in the data shows every
        city (the default 25 on a folder of 8 cities shows 8).

    Returns
    -------
    WhatIf

    Raises
    ------
    ParameterError
        ``lang`` or ``top_n`` out of range.
    DataError
        The folder does not load or score with its own method.

    Examples
    --------
    >>> from cityeval import paths
    >>> what = build(paths.DATA / "examples" / "toy", top_n=3)
    >>> what.dimensions, what.nominal
    (['infra', 'economy'], ('minmax', 'arithmetic'))
    >>> ("minmax", "geometric") in what.refused
    True
    """
    check_language(lang)
    panel = scored_panel(data, top_n=3)
    n = len(panel.all_scores)
    top_n = min(check_integer("top_n", top_n, low=3, allowed="a whole number of cities, at least 3 (a number above "
                              f"the {n} cities shows every city)"), n)
    ds, result = panel.dataset, panel.result
    record = result.method
    dims = list(panel.dimensions)
    nominal_norm, nominal_agg = _normalization_key(record["normalize"]), record["aggregate"]["method"]
    norms = [nominal_norm] + [m for m in NORMALIZATIONS if m != nominal_norm]
    aggs = ([nominal_agg] if nominal_agg in AGGREGATIONS else []) + [m for m in AGGREGATIONS if m != nominal_agg]
    weights = result.weights.reindex(dims)
    ones = {d: 1.0 for d in dims}
    scores, refused = {}, {}
    for norm in norms:
        for agg in aggs:
            try:
                res = score(ds, ones, normalization=norm, aggregation=agg)
            except CityevalError as exc:
                refused[(norm, agg)] = _reason(exc, ds)
                continue
            scores[(norm, agg)] = res.scores[dims].reindex(panel.all_scores.index)
    return WhatIf(panel=panel, dimensions=dims, nominal_weights=weights, normalizations=norms, aggregations=aggs,
                  dimension_scores=scores, refused=refused, ties=record["rank"]["ties"], lang=lang, top_n=top_n)


def _normalization_key(entry: dict) -> str:
    """The menu's key of a normalization entry: ``"minmax_1"`` for min-max onto [1, 100], else its method."""
    if entry.get("method") == "minmax" and float(entry.get("low", 0)) == 1 and float(entry.get("high", 100)) == 100:
        return "minmax_1"
    return entry["method"]


# ----------------------------------------------------------------------------------------- the static page

def _asset(name: str) -> str:
    return resources.files("cityeval.notebook").joinpath(_ASSETS, name).read_text(encoding="utf-8")


#: The family name of the embedded subset of Noto Sans SC (``whatif.css`` lists it first: after a system font,
#: Chromium draws a Chinese character as a box when that font claims it; the subset has no Latin glyphs).
FONT_FACE = "cew Noto Sans SC"


def _font_face(text: str) -> str:
    """An ``@font-face`` rule with the packaged Noto Sans SC (SIL OFL 1.1) subset to the non-ASCII characters of ``text``
    and embedded as a data URL (a few dozen kB); empty when ``text`` has no such character. The subset is the pages'
    own (``_pages_font``: the same bytes whenever it is made, kept in the disk cache)."""
    import base64

    from cityeval.notebook import _pages_font

    chars = "".join(sorted({c for c in text if ord(c) > 127}))
    if not chars:
        return ""
    with _pages_font._LOCK:
        data = base64.b64encode(_pages_font._subset(chars)).decode("ascii")
    return (f'@font-face {{ font-family: "{FONT_FACE}"; src: url(data:font/woff;base64,{data}) format("woff"); '
            "font-weight: 400; }\n")


def _finite(values) -> list:
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else float(v) for v in values]


def payload(what: WhatIf) -> dict:
    """The data the page's script reads (JSON-serialisable): cities, dimensions, the nominal ranking, the
    dimension scores per pair (``scores[normalization][aggregation]``: one list of dimension scores per city,
    ``null`` for missing) and the reasons of the refused pairs.

    >>> from cityeval import paths
    >>> p = payload(build(paths.DATA / "examples" / "toy", top_n=3))
    >>> [d["code"] for d in p["dimensions"]], "needs every value > 0" in p["refused"]["minmax"]["geometric"]
    (['infra', 'economy'], True)
    """
    from cityeval.notebook._whatif_strings import data_strings

    panel = what.panel
    cities = list(panel.all_scores.index)
    nominal = panel.result
    top = panel.top_code
    return {
        "lang": what.lang,
        "top_n": what.top_n,
        "synthetic": bool(panel.synthetic),
        "ties": what.ties,
        "dimensions": [{"code": d, "en": dimension_name(what, d, "en"), "zh": dimension_name(what, d, "zh")}
                       for d in what.dimensions],
        "defaults": what.default_values,
        "cities": {"id": [str(c) for c in cities], "en": panel.labels(cities, "en"), "zh": panel.labels(cities, "zh")},
        "nominal": {"normalization": what.nominal[0], "aggregation": what.nominal[1],
                    "rank": [None if pd.isna(r) else float(r) for r in nominal.ranks[top].reindex(cities)],
                    "score": _finite(nominal.scores[top].reindex(cities))},
        "normalizations": [{"key": m, "en": NAMES.get(m, (m, m))[0], "zh": NAMES.get(m, (m, m))[1]}
                           for m in what.normalizations],
        "aggregations": [{"key": m, "en": NAMES[m][0], "zh": NAMES[m][1]} for m in what.aggregations],
        "scores": {n: {a: [_finite(row) for row in what.dimension_scores[(n, a)][what.dimensions].to_numpy(float)]
                       for a in what.aggregations if (n, a) in what.dimension_scores} for n in what.normalizations},
        "refused": {n: {a: what.refused[(n, a)] for a in what.aggregations if (n, a) in what.refused}
                    for n in what.normalizations},
        "strings": data_strings(data_kind(what), folder_name(what)),
    }


def page_html(what: WhatIf, *, lang: str | None = None) -> str:
    """The what-if as one self-contained HTML block: style, data (JSON) and script inline, nothing fetched.

    Parameters
    ----------
    what : WhatIf
    lang : {"en", "zh"}, optional
        The language the page opens in; default ``what.lang``. The page's button switches.

    Returns
    -------
    str
        A ``<div class="cew">`` with its ``<style>`` and ``<script>`` elements; the element's id is derived from
        the data, so two blocks on one page do not collide.

    Examples
    --------
    >>> from cityeval import paths
    >>> html = page_html(build(paths.DATA / "examples" / "toy", top_n=3))
    >>> html.startswith('<div class="cew"'), "http" in html.replace("http://www.w3.org/2000/svg", "")
    (True, False)
    """
    lang = check_language(what.lang if lang is None else lang)
    data = json.dumps(payload(what), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    ident = "cew-" + hashlib.sha256(f"{lang}\0{data}".encode()).hexdigest()[:12]
    fallback = "This what-if needs JavaScript in the browser." if lang == "en" else "此假设分析需要浏览器启用 JavaScript。"
    return (f'<div class="cew" id="{ident}" data-lang="{lang}">'
            f"<style>{_font_face(data + _asset('whatif.js'))}{_asset('whatif.css')}</style>"   # the script's ▲ ▼ too
            f'<script type="application/json" class="cew-data">{data}</script>'
            f'<div class="cew-app"><noscript>{fallback}</noscript></div>'
            f"<script>{_asset('whatif.js')}\n"
            f'window.cityevalWhatIf(document.getElementById("{ident}"));</script></div>')


def page(what: WhatIf, *, lang: str | None = None):
    """:func:`page_html` as an ``IPython.display.HTML`` object: the last line of a notebook cell shows it.

    >>> from cityeval import paths
    >>> type(page(build(paths.DATA / "examples" / "toy", top_n=3))).__name__
    'HTML'
    """
    from IPython.display import HTML

    return HTML(page_html(what, lang=lang))


def widget(what: WhatIf, *, lang: str | None = None):
    """The same what-if with ipywidgets, for JupyterLab: sliders and menus that call :func:`score` (the library's
    run) and redraw a table and a matplotlib bump chart. See :func:`cityeval.notebook._whatif_widget.widget`."""
    from cityeval.notebook._whatif_widget import widget as _widget

    return _widget(what, lang=what.lang if lang is None else lang)
