"""Notebook 00 as a lesson that survives curiosity (issue 15): every listed parameter value runs, a combination the
data cannot support is an empty cell with the library's reason, ``data`` works on any dataset folder (its own
method.json), and the lesson data make each choice move the ranking.

Expected ranks come from the design of data/examples/lesson (its README): Harbourton is the 5G outlier (15.6 base
stations per 10,000 people against at most 2.5), Juniper Bay is best on the economy and worst on services.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from cityeval import paths
from cityeval.composite.comparison import compare_methods
from cityeval.composite.dataset import load_dataset
from cityeval.composite.pipeline import run

STEM = "00_method_walkthrough"
NB = paths.NOTEBOOKS / f"{STEM}.ipynb"
LESSON = "data/examples/lesson"


def _listed() -> dict:
    """The values the parameters cell lists in its comments: ``{name: [values]}``."""
    nb = json.loads(NB.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    out = {}
    for line in "".join(cell["source"]).splitlines():
        m = re.match(r"(normalization|weighting|aggregation): str = .*method.*?: (.*)$", line)
        if m:
            out[m.group(1)] = [v.strip().split(" ")[0] for v in m.group(2).split(",")]
    return out


LISTED = _listed()
CASES = [(name, value) for name, values in LISTED.items() for value in values]


def _execute(executed_run, **parameters):
    """(executed notebook, results document) of notebook 00 run with ``parameters``: the session's shared run
    (``executed_run``, tests/conftest.py), so a run another test also reads is executed once."""
    out = executed_run(STEM, **parameters)
    executed = json.loads((out / "notebooks" / f"{STEM}.ipynb").read_text(encoding="utf-8"))
    results = json.loads((out / "results" / f"{STEM}.json").read_text(encoding="utf-8"))
    return executed, results


def _outputs_text(executed) -> str:
    parts = []
    for cell in executed["cells"]:
        for o in cell.get("outputs", []):
            parts.append("".join(o.get("text", "")))
            for kind in ("text/markdown", "text/plain", "text/html"):
                parts.append("".join(o.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def test_the_parameters_cell_lists_ahp_given_topsis_and_bod():
    assert "ahp" in LISTED["weighting"] and "given" in LISTED["weighting"]
    assert {"topsis", "bod"} <= set(LISTED["aggregation"])
    assert len(LISTED["normalization"]) == 6


@pytest.mark.notebook
@pytest.mark.parametrize("name, value", CASES, ids=[f"{n}={v}" for n, v in CASES])
def test_every_listed_value_runs(executed_run, name, value):
    from cityeval.notebook.parameters import check_method

    defaults = {"data": LESSON, "normalization": "", "weighting": "", "aggregation": "", "scale_low": None,
                "winmax": None}     # "" and None: the folder's method.json
    check_method(STEM, {**defaults, name: value}, defaults)    # the pre-check accepts it ...
    executed, results = _execute(executed_run, **{name: value})   # ... and the kernel runs it
    assert results["results"]["method"][{"normalization": "normalize", "weighting": "weight",
                                         "aggregation": "aggregate"}[name]]["method"] == \
        ("equal" if value == "ahp" else value)
    assert "summary_zh" in results["results"]


@pytest.mark.notebook
def test_zscore_then_geometric_is_an_empty_cell_with_the_reason(executed_run):
    executed, results = _execute(executed_run, normalization="zscore")
    res = results["results"]
    assert all(v is None for v in res["rank_variants"]["aggregation: geometric"].values())
    reason = res["not_computable"]["aggregation: geometric"]
    assert "geometric mean needs every value > 0" in reason
    text = _outputs_text(executed)
    assert "Not computable with the rest of the method" in text and "geometric mean needs every value &gt; 0" in text \
        or "geometric mean needs every value > 0" in text


@pytest.mark.notebook
def test_ahp_shows_its_consistency_ratio(executed_run):
    executed, _ = _execute(executed_run, weighting="ahp")
    text = _outputs_text(executed)
    assert "consistency ratio" in text and "CR" in text


@pytest.mark.notebook
def test_data_works_on_the_synthetic_panel(executed_run):
    _, results = _execute(executed_run, data="data/synthetic/ccid2022")     # relative: to the current folder
    res = results["results"]
    assert len(res["index_scores"]) == 293
    # the panel gives no targets: that variant is empty, with the library's reason, not a KeyError
    assert "target" in res["not_computable"]["normalization: distance to target"]


@pytest.mark.notebook
def test_data_works_on_coinrs_asem_with_its_own_imputation(asem_folder, executed_run):
    _, results = _execute(executed_run, data=str(asem_folder))
    method = results["results"]["method"]
    assert method["impute"] == {"method": "group_mean", "group": "EurAsia_group"}   # the folder's method.json
    assert len(results["results"]["index_scores"]) == 51


@pytest.mark.notebook
def test_lang_zh_has_no_text_problems(executed_run):
    from cityeval.notebook.style import text_problems

    folder = executed_run(STEM, lang="zh")       # every figure text recorded as drawn (figure-texts.jsonl)
    texts = folder / "figure-texts.jsonl"
    executed, results = _execute(executed_run, lang="zh")
    assert texts.is_file() and len(texts.read_text(encoding="utf-8").splitlines()) >= 6
    assert text_problems(texts) == []
    assert "按参数给出的方法" in _outputs_text(executed)
    assert results["results"]["summary_zh"].startswith("示意")


# ----------------------------------------------------------------------------- the lesson data's design
@pytest.fixture(scope="module")
def lesson():
    from cityeval.notebook.parameters import walkthrough_method
    from cityeval.notebook.walkthrough import walkthrough_variants

    ds = load_dataset(paths.ROOT / LESSON)
    method = walkthrough_method(data=LESSON, normalization="", weighting="", aggregation="", scale_low=None,
                                winmax=None)       # the lesson's method.json: JRC rule, min-max onto [1, 100], equal
    return ds, compare_methods(ds, method, walkthrough_variants(ds, method))


def _rank(cmp, group, label, city):
    return int(cmp.ranks.at[city, (group, label)])


def test_the_lesson_baseline(lesson):
    _, cmp = lesson
    assert list(cmp.ranks.index[:5]) == ["Amberfield", "Eastvale", "Harbourton", "Brookhaven", "Juniper Bay"]
    assert cmp.result.treatment.index[cmp.result.treatment["failed"]].tolist() == ["stations_5g"]


def test_outlier_treatment_moves_harbourton(lesson):
    ds, cmp = lesson
    per_10k = ds.values["stations_5g"] / ds.values["population_10k"]
    assert per_10k.idxmax() == "Harbourton" and per_10k.max() > 5 * per_10k.drop("Harbourton").max()
    assert _rank(cmp, "treatment", "JRC rule", "Harbourton") == 3
    assert _rank(cmp, "treatment", "none", "Harbourton") == 2      # the outlier left in lifts it past Eastvale


def test_normalization_moves_a_city(lesson):
    _, cmp = lesson
    assert _rank(cmp, "normalization", "min-max", "Brookhaven") == 4
    assert _rank(cmp, "normalization", "rank", "Brookhaven") == 3


def test_weights_move_the_economy_specialist(lesson):
    _, cmp = lesson
    assert _rank(cmp, "weighting", "equal", "Juniper Bay") == 5
    assert _rank(cmp, "weighting", "entropy", "Juniper Bay") == 2
    assert _rank(cmp, "weighting", "AHP", "Juniper Bay") == 2
    # AHP at the top: economy 3x infrastructure, 2x services (ahp.json), consistent (CR < 0.1)
    w = cmp.runs[("weighting", "AHP")].weights
    assert w["economy"] > w["services"] > w["infra"]


def test_the_geometric_mean_punishes_the_unbalanced_city(lesson):
    _, cmp = lesson
    assert _rank(cmp, "aggregation", "arithmetic", "Juniper Bay") == 5
    assert _rank(cmp, "aggregation", "geometric", "Juniper Bay") == 9
    geo = cmp.runs[("aggregation", "geometric")]
    # by hand: equal weights, the index is the cube root of the product of the three dimension scores
    dims = ["infra", "economy", "services"]
    np.testing.assert_allclose(geo.scores["index"], np.cbrt(geo.scores[dims].prod(axis=1)), rtol=1e-9)
    assert geo.scores.at["Juniper Bay", "services"] == pytest.approx(1.0)   # worst on services: the scale's 1
    # Benefit of the Doubt rewards its strength instead
    assert _rank(cmp, "aggregation", "Benefit of the Doubt", "Juniper Bay") == 1


def test_walkthrough_method_uses_the_folders_method_json():
    from cityeval.notebook.parameters import walkthrough_method

    m = walkthrough_method(data=str(paths.DATA / "synthetic" / "ccid2022"), normalization="rank", weighting="",
                           aggregation="", scale_low=None, winmax=None)
    assert m["synthetic"] is True and m["normalize"] == {"method": "rank"}
    assert run(load_dataset(paths.DATA / "synthetic" / "ccid2022"), m).ranks.iloc[:, -1].notna().all()


def test_ahp_without_judgements_is_a_one_line_data_error():
    from cityeval.errors import DataError
    from cityeval.notebook.parameters import walkthrough_method

    with pytest.raises(DataError, match="ahp.json"):
        walkthrough_method(data="data/examples/toy", normalization="", weighting="ahp", aggregation="",
                           scale_low=None, winmax=None)


def test_conclusion_and_summary_in_both_languages(lesson):
    from cityeval.notebook.walkthrough import conclusion, summary_zh

    _, cmp = lesson
    en, zh = conclusion(cmp, "en"), conclusion(cmp, "zh")
    assert en.startswith("Illustrative (invented teaching data). With the parameters' method Amberfield ranks first.")
    # the arithmetic mean is the lesson's own: 4 computable variants change the aggregation, and all 4 move a city
    assert "- **aggregation**: 4 of 4 computable variants move at least one city" in en
    assert zh.startswith("示意（虚构的教学数据）：按参数给出的方法，琥珀田排名第一。")
    assert "Amberfield" not in zh.splitlines()[0]
    assert summary_zh(cmp).startswith("示意（虚构数据）：")
