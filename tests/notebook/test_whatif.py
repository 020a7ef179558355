"""cityeval.notebook.whatif and notebook 10 (issue 15, "a weights what-if, like the OECD Better Life Index"): the
numbers the page embeds re-aggregate to what the library's run gives for the same dimension weights, and the page,
opened in headless Chromium with the network blocked, shows that ranking after a slider moves, after the
normalization and aggregation change, and in both languages."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from browser import open_page
from cityeval import paths
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import DataError, ParameterError
from cityeval.notebook import runner, whatif

PANEL = paths.DATA / "synthetic" / "ccid2022"
NOTEBOOK = paths.NOTEBOOKS / "10_weights_what_if.ipynb"
#: Slider values of the tests (steps of 0.05 in [0, 5], as the page's sliders allow).
WEIGHTS = {"INF": 2.5, "GOV": 0.0, "LIV": 1.0, "IND": 3.0, "TEC": 0.5, "LOW": 1.0}


def _library_ranks(weights, normalization, aggregation, folder=PANEL) -> pd.Series:
    """The library's run with these dimension weights, built here without whatif.py: the weight column of the
    composite's children set to the weights, weight method "given" for the composite (the dataset's own "equal"
    below), and the normalization and aggregation at every level."""
    ds = load_dataset(folder)
    meta = ds.indicators.copy()
    for code, value in weights.items():
        meta.at[code, "weight"] = float(value)
    record = {"normalize": {"method": normalization}, "aggregate": {"method": aggregation},
              "weight": {"method": "equal", "by_parent": {"INDEX": {"method": "given"}}}}
    if normalization == "minmax":
        record["normalize"].update(low=0, high=100)
    if normalization == "minmax_1":        # the menu's min-max onto [1, 100]
        record["normalize"] = {"method": "minmax", "low": 1, "high": 100}
    return run(Dataset(ds.values, meta, method=ds.method, path=ds.path), record).ranks["INDEX"]


# ------------------------------------------------------------------------------------------- a toy by hand
@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """Three cities, two dimensions: D1 = mean of a and b, D2 = c, composite T (min-max 0-100, equal weights)."""
    tree = pd.DataFrame({"code": ["a", "b", "c", "D1", "D2", "T"], "level": [1, 1, 1, 2, 2, 3],
                         "parent": ["D1", "D1", "D2", "T", "T", None], "direction": 1, "weight": 1.0,
                         "measure": ["input", "input", "outcome", "", "", ""], "unit": "", "name_zh": "",
                         "name_en": ""}).set_index("code")
    tree["name_zh"] = ["甲", "乙", "丙", "维度一", "维度二", "总指数"]
    tree["name_en"] = ["a", "b", "c", "first", "second", "total"]
    values = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0], "c": [10.0, 30.0, 20.0]},
                          index=pd.Index(["u", "v", "w"], name="unit"))
    folder = tmp_path_factory.mktemp("toy") / "three"
    Dataset(values, tree, method={"weight": {"method": "equal"}}).save(folder)
    return whatif.build(folder, top_n=3)


def test_the_three_city_toy_by_hand(toy):
    # min-max 0-100: a -> 0, 50, 100; b -> 100, 0, 50; so D1 = 50, 25, 75; c -> 0, 100, 50 = D2
    d = toy.dimension_scores[("minmax", "arithmetic")]
    np.testing.assert_allclose(d["D1"], [50, 25, 75], rtol=0, atol=1e-12)
    np.testing.assert_allclose(d["D2"], [0, 100, 50], rtol=0, atol=1e-12)
    # nominal (equal): 25, 62.5, 62.5 -> ranks 3, 1, 1 (ties "min")
    assert toy.nominal_ranks.tolist() == [3, 1, 1]
    # D1 weighs 3, D2 1: 0.75 D1 + 0.25 D2 = 37.5, 43.75, 68.75 -> ranks 3, 2, 1
    weights = {"D1": 3.0, "D2": 1.0}
    expected = [37.5, 43.75, 68.75]
    np.testing.assert_allclose(whatif.reweigh(toy, weights, normalization="minmax", aggregation="arithmetic"),
                               expected, rtol=0, atol=1e-12)
    result = whatif.score(toy.dataset, weights, normalization="minmax", aggregation="arithmetic")
    np.testing.assert_allclose(result.scores["T"], expected, rtol=0, atol=1e-12)
    assert result.ranks["T"].tolist() == [3, 2, 1]


def test_the_toy_with_ranks_and_a_geometric_mean_by_hand(toy):
    # rank normalization (1 = lowest): a -> 1, 2, 3; b -> 3, 1, 2; c -> 1, 3, 2
    # geometric at every level: D1 = sqrt(a b) = sqrt 3, sqrt 2, sqrt 6; D2 = c; composite D1^0.75 D2^0.25
    weights = {"D1": 3.0, "D2": 1.0}
    d1, d2 = np.sqrt([3.0, 2.0, 6.0]), np.array([1.0, 3.0, 2.0])
    expected = d1 ** 0.75 * d2 ** 0.25
    np.testing.assert_allclose(toy.dimension_scores[("rank", "geometric")]["D1"], d1, rtol=1e-13)
    np.testing.assert_allclose(whatif.reweigh(toy, weights, normalization="rank", aggregation="geometric"),
                               expected, rtol=1e-13)
    result = whatif.score(toy.dataset, weights, normalization="rank", aggregation="geometric")
    np.testing.assert_allclose(result.scores["T"], expected, rtol=1e-13)


def test_a_pair_the_data_cannot_support_keeps_the_librarys_reason(toy):
    reason = toy.refused[("minmax", "geometric")]
    assert "the geometric mean needs every value > 0" in reason
    with pytest.raises(DataError, match="the geometric mean needs every value > 0"):
        whatif.score(toy.dataset, {"D1": 1, "D2": 1}, normalization="minmax", aggregation="geometric")
    with pytest.raises(ParameterError, match="a pair the data support"):
        whatif.reweigh(toy, {"D1": 1, "D2": 1}, normalization="minmax", aggregation="geometric")
    assert str(toy.dataset.path.parent) not in reason        # no machine's path on the page


@pytest.mark.parametrize("weights, match", [
    ({"D1": 0, "D2": 0}, "at least one of them above 0"),
    ({"D1": 1}, "missing D2"),
    ({"D1": 1, "D2": 1, "a": 1}, "not a dimension: a"),
    ({"D1": -1, "D2": 1}, r"weights\['D1'\] should be a finite number >= 0"),
    ({"D1": math.nan, "D2": 1}, r"weights\['D1'\]"),
])
def test_bad_weights_are_refused_naming_them(toy, weights, match):
    with pytest.raises(ParameterError, match=match):
        whatif.with_weights(toy.dataset, weights)


# ------------------------------------------------------------------------------------------- the embedded panel
@pytest.fixture(scope="module")
def panel_whatif():
    return whatif.build("", top_n=20)


def test_the_embedded_numbers_re_aggregate_to_the_librarys_run(panel_whatif):
    what = panel_whatif
    assert what.dimensions == ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
    assert set(what.dimension_scores) | set(what.refused) == {(n, a) for n in what.normalizations
                                                              for a in what.aggregations}
    data = whatif.payload(what)
    for norm, agg in what.dimension_scores:
        page = whatif.reweigh(what, WEIGHTS, normalization=norm, aggregation=agg)
        library = whatif.score(what.dataset, WEIGHTS, normalization=norm, aggregation=agg)
        scale = library.scores["INDEX"].abs().max()
        np.testing.assert_allclose(page, library.scores["INDEX"].reindex(page.index), rtol=0, atol=1e-12 * scale)
        assert (_library_ranks(WEIGHTS, norm, agg).reindex(page.index) == library.ranks["INDEX"]).all()
        # what the page reads is these numbers, unrounded
        embedded = np.array(data["scores"][norm][agg], dtype=float)
        assert (embedded == what.dimension_scores[(norm, agg)][what.dimensions].to_numpy()).all()


def test_every_normalization_runs_with_the_arithmetic_mean_and_the_rank_with_every_mean(panel_whatif):
    # min-max, percentile and distance-to-max scores include 0, z-scores are negative: no geometric or harmonic mean
    supported = set(panel_whatif.dimension_scores)
    assert {(n, "arithmetic") for n in whatif.NORMALIZATIONS} <= supported
    assert {("rank", "geometric"), ("rank", "harmonic")} <= supported
    # min-max onto [1, 100] keeps every score above 0: its geometric and harmonic means are computed (not on HEAD)
    assert {("minmax_1", "geometric"), ("minmax_1", "harmonic")} <= supported
    assert len(panel_whatif.refused) == 8


def test_the_sliders_start_at_the_nominal_ranking(panel_whatif):
    what = panel_whatif
    assert what.default_values == [1.0] * 6
    ranks = whatif.score(what.dataset, dict(zip(what.dimensions, what.default_values)), normalization="minmax",
                         aggregation="arithmetic").ranks["INDEX"]
    assert (ranks == what.nominal_ranks).all()


def test_the_page_is_self_contained_and_says_illustrative(panel_whatif):
    html = whatif.page_html(panel_whatif)
    assert html.startswith('<div class="cew"') and 'data-lang="en"' in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "") and " src=" not in html.replace("data:font", "")
    assert "ILLUSTRATIVE" in html and "示意" in html and "@font-face" in html
    assert 'data-lang="zh"' in whatif.page_html(panel_whatif, lang="zh")


def test_the_conclusions_in_both_languages(panel_whatif):
    what = panel_whatif
    check = whatif.self_check(what, n=1)
    assert check.max_score_difference < 1e-12 and check.rank_mismatches == 0 and check.pairs == 10  # 6 x 3 pairs, 8 refused
    alone = whatif.single_dimension(what)
    assert set(alone) == set(what.dimensions) and all(0 <= v <= 20 for v in alone.values())
    en, zh = whatif.conclusions(what, check, alone, "en"), whatif.conclusions(what, check, alone, "zh")
    assert en.startswith("- Illustrative: with one dimension alone") and "geometric mean with min-max" in en
    assert zh.startswith("- 示意：") and "几何平均与最小-最大值标准化" in zh
    assert "illustrative" in what.summary("en").lower() and what.summary("zh").startswith("示意")


def test_the_widget_calls_the_librarys_run(toy, capsys):
    pytest.importorskip("ipywidgets")
    from cityeval.notebook._whatif_widget import ranking_table

    box = whatif.widget(toy)
    sliders = box.children[0].children
    assert [s.value for s in sliders] == [1.0, 1.0]
    sliders[1].value = 0.0                                  # D2 out: ranks by D1 = 50, 25, 75
    assert capsys.readouterr().out.count("Figure(") == 2    # drawn at the start, redrawn on the change (no kernel:
                                                            # the Output widget's display goes to stdout)
    result = whatif.score(toy.dataset, {"D1": 1.0, "D2": 0.0}, normalization="minmax", aggregation="arithmetic")
    frame = ranking_table(toy, result)
    assert frame["City"].tolist() == ["w", "u", "v"] and frame["Change"].tolist() == [0, 1, -2]
    # nominal ranks 3, 1, 1 (u, v, w); now w 1, u 2, v 3: change = nominal - what-if


def test_no_widgets_in_a_kernel_the_runner_starts(toy, capsys, monkeypatch):
    # the runner's kernels have no front end: widget() shows its note only (building ipywidgets there can hang
    # nbclient, jupyter/nbclient#312); the runner sets the variable for every kernel it starts
    from cityeval.notebook import runner
    from cityeval.notebook._whatif_widget import HEADLESS_VARIABLE

    monkeypatch.setenv(HEADLESS_VARIABLE, "1")
    assert whatif.widget(toy) is None
    # outside a kernel IPython's display prints the objects' reprs: the one HTML note, no table, no figure
    assert capsys.readouterr().out.strip() == "<IPython.core.display.HTML object>"
    assert runner.kernel_environment()[HEADLESS_VARIABLE] == "1"


# ------------------------------------------------------------------------------------------- the page in a browser
ROWS = "JSON.stringify(Array.from(document.querySelectorAll('.cew-table tbody tr')).map(r => " \
       "[r.getAttribute('data-city'), Number(r.querySelector('.cew-rank').textContent), " \
       "r.querySelector('.cew-city').textContent]))"


def _set_sliders(browser, weights):
    js = "".join(f"(() => {{ const s = document.querySelector('input[data-code={code}]'); s.value = '{value}'; "
                 "s.dispatchEvent(new Event('input')); })();" for code, value in weights.items())
    browser.evaluate(js + "true")


def _choose(browser, cls, value):
    browser.evaluate(f"(() => {{ const s = document.querySelector('select.{cls}'); s.value = '{value}'; "
                     "s.dispatchEvent(new Event('change')); return s.value; })()")


def _shown(browser):
    return json.loads(browser.evaluate(ROWS))


def _expected(ranks, n):
    order = ranks.sort_values(kind="stable").index[:n]
    return [[c, int(ranks[c])] for c in order]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Notebook 10 executed with small parameters, Chinese first (the page's language parameter)."""
    out = tmp_path_factory.mktemp("whatif")
    outcome = runner.execute_notebook(NOTEBOOK, parameters={"top_n": 20, "lang": "zh"}, out_dir=out)
    assert outcome.ok, outcome.error
    return out / "notebooks" / "10_weights_what_if.html"


@pytest.mark.notebook
def test_the_page_shows_the_librarys_ranking_for_the_weights_set(rendered, browser, tmp_path):
    open_page(browser, rendered, width=1280)
    browser.evaluate("document.fonts.ready.then(() => true)")
    assert browser.evaluate("document.querySelector('.cew').getAttribute('data-lang')") == "zh"
    assert browser.evaluate("document.querySelector('.cew-title').textContent").startswith("如果权重不同")
    assert "示意" in browser.evaluate("document.querySelector('.cew-caption').textContent")
    n = 20
    # at the start: the nominal ranking (the dataset's own method, equal weights), no rank change
    nominal = run(load_dataset(PANEL)).ranks["INDEX"]
    assert [r[:2] for r in _shown(browser)] == _expected(nominal, n)
    assert [r[2] for r in _shown(browser)] == [r[0] for r in _shown(browser)]         # Chinese names: the ids
    browser.screenshot(tmp_path / "whatif_zh.png")
    # move the sliders: the library's run with those dimension weights
    _set_sliders(browser, WEIGHTS)
    shown = _shown(browser)
    assert [r[:2] for r in shown] == _expected(_library_ranks(WEIGHTS, "minmax", "arithmetic"), n)
    assert shown[:1] != _expected(nominal, 1) or [r[:2] for r in shown] != _expected(nominal, n)
    # another normalization and aggregation
    _choose(browser, "cew-norm", "rank")
    _choose(browser, "cew-agg", "geometric")
    assert [r[:2] for r in _shown(browser)] == _expected(_library_ranks(WEIGHTS, "rank", "geometric"), n)
    _choose(browser, "cew-agg", "harmonic")
    assert [r[:2] for r in _shown(browser)] == _expected(_library_ranks(WEIGHTS, "rank", "harmonic"), n)
    _choose(browser, "cew-norm", "zscore")
    _choose(browser, "cew-agg", "arithmetic")
    assert [r[:2] for r in _shown(browser)] == _expected(_library_ranks(WEIGHTS, "zscore", "arithmetic"), n)
    # a pair the library refuses: its reason instead of the ranking
    _choose(browser, "cew-agg", "geometric")
    message = browser.evaluate("(() => { const m = document.querySelector('.cew-message'); "
                               "return [getComputedStyle(m).display, m.textContent]; })()")
    assert message[0] == "block" and "the geometric mean needs every value > 0" in message[1]
    assert browser.evaluate("getComputedStyle(document.querySelector('.cew-out')).display") == "none"
    # English: the same ranking, English names and texts
    _choose(browser, "cew-agg", "arithmetic")
    browser.evaluate("document.querySelector('.cew-lang').click(); true")
    assert browser.evaluate("document.querySelector('.cew-title').textContent").startswith("What if the weights")
    assert browser.evaluate("document.querySelector('.cew-warn-title').textContent").startswith("ILLUSTRATIVE")
    shown = _shown(browser)
    assert [r[:2] for r in shown] == _expected(_library_ranks(WEIGHTS, "zscore", "arithmetic"), n)
    assert shown[0][2] != shown[0][0] and shown[0][2].isascii()
    # the bump chart: one line per city in either top 20, drawn by the page's script
    lines = browser.evaluate("document.querySelectorAll('svg.cew-bump path.cew-line').length")
    assert n <= lines <= 2 * n
    # nothing was fetched from a network
    fetched = browser.evaluate("performance.getEntriesByType('resource').map(e => e.name)"
                               ".filter(u => /^https?:/.test(u))")
    assert fetched == []
    browser.screenshot(tmp_path / "whatif_en.png")


# ------------------------------------------------------------------------------------------- other folders
def _user_folder(tmp_path):
    """The toy data as a user's folder: not synthetic, no Chinese names (like a converted COINr ASEM folder)."""
    import json
    import shutil

    folder = tmp_path / "mine"
    shutil.copytree(paths.DATA / "examples" / "toy", folder)
    method = json.loads((folder / "method.json").read_text())
    method["synthetic"] = False
    method.pop("invented", None)                     # a user's own (real) data
    (folder / "method.json").write_text(json.dumps(method))
    meta = pd.read_csv(folder / "indicators.csv")
    meta["name_zh"] = ""
    meta.to_csv(folder / "indicators.csv", index=False)
    return folder


def test_the_page_says_what_the_data_are(tmp_path):
    toy = whatif.build(paths.DATA / "examples" / "toy")          # default top_n 25 on 8 cities: every city
    assert toy.top_n == len(toy.panel.all_scores) == 8
    assert "INVENTED" in whatif.banner(toy) and "CCID" not in whatif.banner(toy)
    assert "虚构" in whatif.banner(toy, "zh") and "赛迪" not in whatif.banner(toy, "zh")
    strings = whatif.payload(toy)["strings"]
    assert "invented" in strings["en"]["title_synthetic"] and "published" not in strings["en"]["title_synthetic"]
    assert "Digital city" not in strings["en"]["title"] and "数字城市" not in strings["zh"]["title"]
    mine = whatif.build(_user_folder(tmp_path), lang="zh")
    assert whatif.banner(mine) == "Data: mine (not synthetic)."
    strings = whatif.payload(mine)["strings"]
    assert strings["en"]["table_synthetic"] == strings["en"]["chart_synthetic"] == ""
    assert strings["en"]["title_synthetic"] == "Data: mine"
    # no Chinese names: the English ones (the toy's indicators.csv name_en), never empty
    assert [d["zh"] for d in whatif.payload(mine)["dimensions"]] == ["Digital infrastructure", "Digital economy"]
    text = whatif.conclusions(mine, whatif.self_check(mine, n=1), {"infra": 2, "economy": 2}, "zh")
    assert "（）" not in text and "不等" not in text and "都有 2 个" in text
    text = whatif.conclusions(mine, whatif.self_check(mine, n=1), {"infra": 2, "economy": 2}, "en")
    assert "whichever it is, 2 of the nominal top 8" in text and "between" not in text


def test_refusal_reasons_name_no_machine_path_and_say_what_to_change(toy):
    what = whatif.build(paths.DATA / "examples" / "lesson")
    reason = what.refused[("zscore", "geometric")]
    assert str(paths.ROOT) not in reason and reason.startswith("values.csv, column")
    assert "shift=" not in reason and "min-max onto [1, 100]" in reason
