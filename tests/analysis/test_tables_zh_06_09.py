"""Every table and figure a reader sees in notebooks 06-09, on English and Chinese pages (issue 15, "Chinese
throughout"): no identifier (``rank_lo``, ``tec_hightech``) in a header, index or cell, no True/False, and on a
Chinese page no English word outside the allowed acronyms and names (:func:`cityeval.notebook.style.english_words`);
no identifier in any figure's text, and every figure passes :func:`cityeval.notebook.style.text_problems` (no empty
boxes; on a Chinese page no English).

Each notebook runs once per language with its small ``metadata.cityeval.test_parameters``, with the figure-text
recorder on (``CITYEVAL_FIGURE_TEXTS``); the tables are read back from the executed notebook's HTML outputs.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from cityeval import paths
from cityeval.analysis import concentration, efficiency, rank_agreement, typology
from cityeval.audit import wording
from cityeval.notebook.style import english_words, text_problems


STEMS = ("06_input_outcome_efficiency", "07_lowcarbon_typology", "08_innovation_concentration", "09_robustness")
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


class _Tables(HTMLParser):
    """The caption and the (kind, text) of every th/td of one HTML table."""

    def __init__(self):
        super().__init__()
        self.cells, self.caption = [], ""
        self._cell, self._in_caption = None, False

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self._cell = [tag, ""]
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.cells.append((self._cell[0], self._cell[1].strip()))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        if self._in_caption:
            self.caption += data


def html_tables(notebook: dict):
    """``(cell index, caption, cells)`` of every HTML table in the outputs of an executed notebook."""
    for k, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if not html:
                continue
            html = "".join(html) if isinstance(html, list) else html
            for part in re.findall(r"<table.*?</table>", html, flags=re.S):
                parser = _Tables()
                parser.feed(part)
                yield k, parser.caption.strip(), parser.cells


def table_problems(notebook: dict, lang: str) -> list[str]:
    """What a reader should not see in the notebook's tables (one line each)."""
    problems = []
    for k, caption, cells in html_tables(notebook):
        for kind, text in [("caption", caption), *cells]:
            if not text:
                continue
            where = f"cell {k} ({caption[:40]!r}) {kind}"
            if IDENTIFIER.search(text):
                problems.append(f"{where}: identifier in {text!r}")
            if text in ("True", "False"):
                problems.append(f"{where}: boolean {text}")
            if lang == "zh" and english_words(text):
                problems.append(f"{where}: English in {text!r} ({', '.join(english_words(text))})")
    return problems


def figure_identifiers(path) -> list[str]:
    out = []
    for k, line in enumerate(open(path, encoding="utf-8").read().splitlines(), start=1):
        for text in json.loads(line)["texts"]:
            if IDENTIFIER.search(text):
                out.append(f"figure {k}: identifier in {text!r}")
    return out


@pytest.fixture(scope="module")
def executed(executed_run):
    """``executed(stem, lang)`` -> (the executed notebook as JSON, its figure-text record), run with its test
    parameters once per session (tests/conftest.py's ``executed_run``, shared with the other notebook tests)."""

    def run(stem: str, lang: str):
        folder = executed_run(stem, lang=lang)
        notebook = json.loads((folder / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        return notebook, folder / "figure-texts.jsonl"

    return run


@pytest.mark.notebook
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("stem", STEMS)
def test_tables_and_figures_show_words_not_identifiers(executed, stem, lang):
    notebook, texts = executed(stem, lang)
    assert list(html_tables(notebook)), "the notebook shows no table"
    problems = table_problems(notebook, lang)
    assert texts.exists(), "the figure-text recorder wrote nothing"
    problems += figure_identifiers(texts)
    problems += text_problems(texts)   # missing glyphs (empty boxes) in any language, English on a Chinese figure
    assert problems == [], "\n".join(problems[:30])


# ----------------------------------------------------------------------------- the helpers, on hand-made frames
def test_shown_frame_names_codes_booleans_units_and_shares():
    meta = pd.DataFrame({"name_en": ["High-tech enterprises"], "name_zh": ["高新技术企业数"]}, index=["tec_hightech"])
    frame = pd.DataFrame({"unit": ["firms per 10,000 residents"], "robust": [True], "head_share": [0.1234]},
                         index=pd.Index(["tec_hightech"], name="code"))
    words = {"unit": ("Unit", "单位"), "robust": ("Robust", "稳健"), "head_share": ("Share", "份额"),
             "code": ("Indicator", "指标")}
    zh = rank_agreement.shown_frame(frame, "zh", words, indicators=meta, units=["unit"], percent=["head_share"])
    # 0.1234 -> 12.3% (one decimal, by hand); 家/万人 is UNITS_ZH's entry for "firms per 10,000 residents"
    assert zh.index.tolist() == ["高新技术企业数"] and zh.index.name == "指标"
    assert zh.iloc[0].tolist() == ["家/万人", "是", "12.3%"]
    en = rank_agreement.shown_frame(frame, "en", words, indicators=meta)
    assert en.index.tolist() == ["High-tech enterprises"] and en.iloc[0]["Robust"] == "yes"


def test_every_unit_of_the_embedded_datasets_has_a_chinese_name():
    units = set(pd.read_csv(paths.DATA / "synthetic" / "ccid2022" / "indicators.csv")["unit"].dropna())
    assert units <= set(rank_agreement.UNITS_ZH), sorted(units - set(rank_agreement.UNITS_ZH))
    assert all(not english_words(rank_agreement.unit_name(u, "zh")) for u in units)


def test_audit_tables_name_options_and_indicators():
    meta = pd.DataFrame({"name_en": ["PM2.5"], "name_zh": ["PM2.5 浓度"]}, index=["low_pm25"])
    shift = pd.DataFrame({"mean": [1.5]}, index=pd.MultiIndex.from_tuples([("zscore(mean=10, sd=2)", "geometric")],
                                                                          names=["normalize", "aggregate"]))
    zh = wording.shown_table(shift, "zh")
    assert list(zh.index.names) == ["标准化", "加权汇总"]
    assert zh.index[0] == ("z分数标准化（均值 10，标准差 2）", "几何平均")
    removed = pd.DataFrame({"moved": [3], "also_removed": [""]}, index=pd.Index(["low_pm25"], name="indicator"))
    en = wording.shown_table(removed, "en", indicators=meta, tolerance=5)
    assert en.index.tolist() == ["PM2.5"] and en.index.name == "Indicator removed"
    assert en.columns.tolist() == ["Cities moved > ± 5", "Also removed"]


def test_notebook_06_and_07_tables_in_words_in_both_languages():
    t = pd.DataFrame({"input_mean": [1.0], "crs efficient": [False]}, index=["capability building"])
    assert efficiency.shown_table(t, "en").columns.tolist() == ["Mean input score", "CRS efficient"]
    assert efficiency.shown_table(t, "en").iloc[0, 1] == "no" and efficiency.shown_table(t, "zh").iloc[0, 1] == "否"
    counts = pd.Series({"起步型": 3, "发展先行型": 1}, name="cities").rename_axis("type").to_frame()
    assert typology.shown_table(counts, "zh").index.tolist() == ["起步型", "发展先行型（报告中没有）"]
    assert typology.shown_table(counts, "en").index.name == "Type"


def test_notebook_08_statements_in_chinese():
    meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["企业", "合同", "c", "技术创新"],
                         "name_en": ["Firms", "Contracts", "C", "Innovation"], "direction": [1, 1, 1, 1],
                         "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
                         "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    st = concentration.innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
                                        n_resamples=999)
    shown = concentration.shown_table(st, "statements", lang="zh")
    assert shown.index[0] == "北京和上海领先技术创新主体指数（按其原始替代指标）"
    assert set(shown["在这些数据上成立"]) <= {"是", "否"}
    scale = concentration.shown_table(st, "concentration", lang="en", indicators=meta)["Scale"]
    assert scale["Subject stand-in (raw)"] == "raw: Firms (firms), ratio scale"
