"""Every table a reader sees in notebooks 01-05 is in words, and in Chinese on a Chinese page (issue 15).

Each notebook is executed once per session with its small ``metadata.cityeval.test_parameters``, in English and
in Chinese; every HTML table of its outputs (headers, index names, row labels, cells) is checked:

* no snake_case identifier (``bic_model``, ``LIV_HEALTH``, ``p_holm``) and no code-like name with digits
  (``q05``, ``epsilon2``): a header is words, on English pages too;
* no Python boolean: ``True``/``False`` are Yes/No (是/否);
* with ``lang zh``, no English word outside :data:`cityeval.notebook.style.LATIN_ALLOWED` and acronyms
  (:func:`cityeval.notebook.style.english_words`, the rule the figure-text recorder applies).

The unit tests below check the same on the library functions behind the tables, with inputs the notebooks'
small runs do not reach (rejected mixture fits, pairs of regions that differ, a city outside a list).
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from cityeval.notebook.style import english_words

STEMS = ("01_published_claims", "02_innovation_correlation", "03_capability_stages", "04_healthcare_polarization",
         "05_regional_patterns")
_SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
_CODE_WITH_DIGITS = re.compile(r"^[a-z]+[0-9]+$")      # q05, epsilon2: a column name, not a word
_BOOL = re.compile(r"\b(True|False)\b")


class _Cells(HTMLParser):
    """The text of every th/td of the HTML tables fed to it, with the tag and its first class."""

    def __init__(self):
        super().__init__()
        self.cells, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self._open = [tag, (dict(attrs).get("class") or "").split(" ")[0], ""]

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._open:
            self.cells.append(tuple(self._open[:2]) + (self._open[2].strip(),))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._open[2] += data


def table_problems(html: str, lang: str) -> list[str]:
    """What is wrong with the tables of one HTML output, one line per cell.

    >>> table_problems("<table><tr><th class='col_heading'>gap_rule</th><td>True</td></tr></table>", "en")
    ["th.col_heading: code name 'gap_rule'", "td: boolean 'True'"]
    >>> table_problems("<table><tr><th>BIC 最优协方差</th><td>是</td></tr></table>", "zh")
    []
    """
    parser = _Cells()
    parser.feed(html)
    out = []
    for tag, cls, text in parser.cells:
        if not text:
            continue
        where = f"{tag}.{cls}" if cls else tag
        if _SNAKE.search(text) or (tag == "th" and _CODE_WITH_DIGITS.match(text)):
            out.append(f"{where}: code name {text!r}")
        if _BOOL.search(text):
            out.append(f"{where}: boolean {text!r}")
        if lang == "zh":
            words = english_words(text)
            if words and not _BOOL.search(text):
                out.append(f"{where}: English {text[:60]!r} ({', '.join(words)})")
    return out


def notebook_table_problems(notebook: dict, lang: str) -> list[str]:
    """:func:`table_problems` of every HTML output of an executed notebook, each line naming its cell."""
    out = []
    for i, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html and "<table" in "".join(html):
                out += [f"cell {i}: {p}" for p in table_problems("".join(html), lang)]
    return out


@pytest.fixture(scope="module")
def executed(executed_run):
    """``executed(stem, lang)`` -> the executed notebook (JSON), run with its test parameters once per session
    (tests/conftest.py's ``executed_run``, shared with the other notebook tests)."""

    def run(stem, lang):
        folder = executed_run(stem, lang=lang)
        return json.loads((folder / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))

    return run


@pytest.mark.parametrize("stem, lang", [(s, lang) for s in STEMS for lang in ("zh", "en")])
def test_every_table_is_in_words_and_in_the_page_language(executed, stem, lang):
    notebook = executed(stem, lang)
    n_tables = sum("<table" in "".join(o.get("data", {}).get("text/html", ""))
                   for c in notebook["cells"] for o in c.get("outputs", []))
    assert n_tables >= 2, f"{stem} shows {n_tables} tables: the check would check nothing"
    problems = notebook_table_problems(notebook, lang)
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------- the functions behind the tables
def _frame_problems(frame: pd.DataFrame, lang: str) -> list[str]:
    """:func:`table_problems` of a frame as :func:`cityeval.notebook.style.table` shows it."""
    from cityeval.notebook.style import table

    return table_problems(table(frame, "caption", lang=lang).to_html(), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notebook_03_tables_beyond_the_small_run(lang):
    from cityeval.analysis import clustering as C

    # a rejected fit of each kind the engine writes (_clustering_engine._fit_checks' three reasons)
    mixtures = pd.DataFrame({
        "k": [4, 5, 6], "covariance_type": ["full", "diag", "tied"], "bic": [1700.0, 1710.0, 1720.0],
        "sizes": [(50, 45, 4, 1), (40, 30, 20, 9, 1), (20,) * 5],
        "min_log_det": [-11.5, -3.0, 1.0], "valid": [False, False, False],
        "reason": ["component 3 holds 4 cities, component 4 holds 1 city (fewer than the d + 1 = 7 a full "
                   "covariance in 6 dimensions needs)",
                   "component 5 holds 1 city (fewer than the 2 a component needs); a singular covariance (smallest "
                   "eigenvalue 1.0e-06, below 1e-05: held up by the regularisation 1e-06; log-det -11.5)",
                   "EM did not reach the tolerance 0.001 in 100 iterations"]})
    assert _frame_problems(C.rejected_fits_shown(mixtures, lang), lang) == []
    evidence = pd.DataFrame({"silhouette": [np.nan, 0.3], "gap": [1.0, 0.9], "gap_se": [0.04, 0.04],
                             "gap_rule": [True, False], "bic": [1650.0, 1653.0], "bic_model": ["diag", "full"]},
                            index=pd.Index([1, 2], name="k"))
    assert _frame_problems(C.evidence_shown(evidence, lang), lang) == []
    for k in (2, 3, 4):   # the report's names at k = 3, numbered groups otherwise
        labels = pd.Series(np.arange(2 * k) % k + 1, index=[f"c{i}" for i in range(2 * k)])
        composite = pd.Series(np.arange(2 * k, dtype=float), index=labels.index)
        assert _frame_problems(C.stage_table_shown(C.stage_table(labels, composite, k=k), lang), lang) == []
    leaders = pd.DataFrame({"closest": [["INF", "GOV"], ["TEC", "LOW"]], "rank_INF": [1, 6], "rank_GOV": [2, 5],
                            "leaders_closest": [True, False]}, index=pd.Index([1, 2], name="stage"))
    names = {"INF": "信息基础", "GOV": "城市治理", "TEC": "技术创新", "LOW": "低碳发展"} if lang == "zh" else \
        {"INF": "Information infrastructure", "GOV": "Urban governance", "TEC": "Technology innovation",
         "LOW": "Low-carbon development"}
    shown = C.leaders_table_shown(leaders, lang, names=names)
    assert _frame_problems(shown, lang) == [] and shown.iloc[0, -1] == ("是" if lang == "zh" else "Yes")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notebook_05_tables_beyond_the_small_run(lang):
    from cityeval.analysis import regional as R
    from cityeval.ccid2022.reference import REGIONS

    names = {"INF": "Infrastructure", "GOV": "Governance", "INDEX": "Composite"}
    # pairs that differ: the small run's Kruskal-Wallis tests reject none, so its Dunn table is empty
    dunn = pd.DataFrame({"column": ["Infrastructure", "Composite"], "group_a": ["华东", "西北"], "group_b": ["东北", "华东"],
                         "p_holm": [0.01, 0.2], "differs": [True, False]})
    shown = R.dunn_shown(dunn, names, lang, regions=REGIONS)
    assert _frame_problems(shown, lang) == []
    assert shown.iloc[0, 1] == ("华东" if lang == "zh" else "East China")
    national = pd.DataFrame({"comparison": ["INF:西北", "GOV:华东"], "direction": ["less", "greater"],
                             "difference_to_national": [-2.7, 1.0], "difference_to_rest": [-2.8, 1.1],
                             "p_value": [0.35, 0.01], "mann_whitney_p": [0.37, 0.02], "n": [5, 48], "n_rest": [95, 52]})
    shown = R.national_shown(national, lang, names=names, regions=REGIONS)
    assert _frame_problems(shown, lang) == []
    assert shown.iloc[0, 0] == ("信息基础：西北" if lang == "zh" else "Infrastructure: Northwest")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notebook_01_02_04_tables_beyond_the_small_run(lang):
    import dataclasses
    import math

    from cityeval.analysis import correlation, polarization as P
    from cityeval.ccid2022 import claims

    data = claims.load_published_data()
    # a city outside every list but one (the focus city's table), and the two claims tables
    focus = claims.FocusCity("某市", {"overall_top100": 90, "infrastructure_top100": None,
                                     "governance_top50": None, "healthcare_top20": None})
    for frame in (focus.table(lang), claims.claims_table(claims.recompute_claims(data), data, lang=lang),
                  claims.not_recomputable_table(data, lang=lang)):
        assert _frame_problems(frame, lang) == []
    # an unselected coefficient (a Fisher interval, selected = No) beside a selected one
    tests = [correlation.CorrelationTest("pearson", 293, 0.4, 0.3, 0.5, 0.3, 0.5, 0.01, False),
             correlation.CorrelationTest("spearman", 60, 0.4, math.nan, math.nan, 0.2, 0.5, 1 / 51, True)]
    assert _frame_problems(correlation.correlation_test_table(tests, lang, n_perm=50), lang) == []
    # a criteria table with a fit that did not converge, and the GDP correlations
    x = pd.Series(np.r_[np.linspace(0, 10, 30), np.linspace(40, 50, 30)])
    s = P.bimodality_summary(x, seed=0, n_boot=19)
    criteria = P.criteria_table({"LIV_HEALTH": s, "LIV_LIFE": dataclasses.replace(s, gmm_converged=False)})
    assert _frame_problems(P.shown_table(criteria, lang), lang) == []
