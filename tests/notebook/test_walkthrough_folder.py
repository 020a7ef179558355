"""Notebook 00 on any dataset folder uses that folder's own method.json (issue 15, session 16, item 1), and its
page counts, names and reasons as a reader reads them (item 2).

Before: the parameters' defaults (min-max onto [1, 100], equal weights, arithmetic mean, the JRC rule with winmax
5) replaced the folder's stages, so on COINr's ASEM folder the walkthrough's nominal index of CHE was 68.70 while
``python -m cityeval score`` (the library on the same folder) gives 68.38. Now an empty choice (``""``, ``None``)
is the folder's own, and an explicit value replaces only its stage.

Expected values: ``cityeval.composite.run`` on the folder, i.e. what ``python -m cityeval score FOLDER`` prints
(the CHE value 68.38372423834171 was read from ``python -m cityeval score`` on the converted ASEM folder, COINr
v1.1.14's build_example_coin() tables).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from cityeval import paths
from cityeval.composite.comparison import compare_methods
from cityeval.composite.dataset import load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import ParameterError
from cityeval.notebook import parameters
from cityeval.notebook.walkthrough import walkthrough_variants

STEM = "00_method_walkthrough"
NB = paths.NOTEBOOKS / f"{STEM}.ipynb"
ASEM = paths.COINR_ASEM
FOLDER_DEFAULTS = {"normalization": "", "weighting": "", "aggregation": "", "scale_low": None, "winmax": None}


@pytest.fixture(scope="module")
def asem(asem_folder):
    """COINr's ASEM example as a cityeval folder (converted once per session, tests/conftest.py)."""
    return asem_folder


def _folders(asem):
    return {"lesson": paths.DATA / "examples" / "lesson", "ccid2022": paths.DATA / "synthetic" / "ccid2022",
            "asem": asem}


def _nominal(folder):
    ds = load_dataset(folder)
    method = parameters.walkthrough_method(data=str(folder), **FOLDER_DEFAULTS)
    return ds, compare_methods(ds, method, walkthrough_variants(ds, method))


@pytest.mark.parametrize("name", ["lesson", "ccid2022", "asem"])
def test_the_nominal_is_the_folders_own_method(name, asem):
    folder = _folders(asem)[name]
    ds, cmp = _nominal(folder)
    expected = run(ds)                                    # what `cityeval score FOLDER` computes
    np.testing.assert_allclose(cmp.result.scores.to_numpy(dtype=float), expected.scores.to_numpy(dtype=float),
                               rtol=1e-12, equal_nan=True)
    assert cmp.result.ranks.equals(expected.ranks)


def test_asem_che_is_the_score_of_cityeval_score(asem):
    _, cmp = _nominal(asem)
    # python -m cityeval score <converted ASEM> prints CHE,True,68.38372423834171,... (before: 68.70)
    assert cmp.result.scores.at["CHE", "Index"] == pytest.approx(68.38372423834171, abs=1e-9)


def test_an_explicit_choice_replaces_only_its_stage(asem):
    ds = load_dataset(asem)
    m = parameters.walkthrough_method(data=str(asem), **{**FOLDER_DEFAULTS, "aggregation": "geometric",
                                                         "scale_low": 1.0})
    assert m["aggregate"] == {"method": "geometric"}
    assert m["normalize"] == {**ds.method["normalize"], "low": 1.0}           # the folder's high kept
    for stage in ("impute", "screen", "treat", "weight", "denominate"):
        assert m[stage] == ds.method[stage], stage
    m = parameters.walkthrough_method(data=str(asem), **{**FOLDER_DEFAULTS, "winmax": 2})
    assert m["treat"] == {**ds.method["treat"], "winmax": 2}


def test_the_precheck_accepts_the_folders_choice_and_refuses_a_bad_one_in_one_line():
    parameters.check_values(NB, {})                                       # the defaults: "" and None
    parameters.check_values(NB, parameters.check_parameters(NB, {"normalization": "rank", "scale_low": 2.0}))
    for name, bad, allowed in [("normalization", "minmaxx", "'' (the folder's method.json) or one of"),
                               ("aggregation", "mean", "'' (the folder's method.json) or one of"),
                               ("winmax", -1, "None (the folder's outlier treatment) or a whole number >= 0"),
                               ("scale_low", 100.0, "None (the folder's min-max scale) or a finite number < 100")]:
        with pytest.raises(ParameterError) as info:
            parameters.check_values(NB, parameters.check_parameters(NB, {name: bad}))
        text = str(info.value)
        assert text.startswith(f"{name} (notebook {STEM})") and allowed in text and "\n" not in text, text
    with pytest.raises(ParameterError, match="scale_low.*of type float"):     # None is the default, not a value
        parameters.check_parameters(NB, {"scale_low": "low"})


# ----------------------------------------------------------------------------- item 2: counts, names, reasons
@pytest.fixture(scope="module")
def lesson():
    return _nominal(paths.DATA / "examples" / "lesson")


def test_the_variants_equal_to_the_nominal_are_not_counted(lesson):
    _, cmp = lesson
    # the lesson's method is the JRC rule, min-max onto [1, 100], equal weights, the arithmetic mean: one variant
    # of each group is the method itself
    assert cmp.nominal == {("treatment", "JRC rule"), ("normalization", "min-max"), ("weighting", "equal"),
                           ("aggregation", "arithmetic")}
    t = cmp.tally()
    assert t["changes"] == len(cmp.ranks.columns) - 4
    assert "of 17 computable one-choice variants" in cmp.summary()


def test_not_computable_variants_are_never_a_first_place(tmp_path):
    ds, cmp = _nominal(paths.DATA / "synthetic" / "ccid2022")       # no targets: distance to target is empty
    assert "normalization: distance to target" in cmp.reasons
    assert "not computable" not in cmp.summary()
    from cityeval.notebook.walkthrough import conclusion, summary_zh

    assert "not computable" not in conclusion(cmp) and "not computable" not in summary_zh(cmp)
    assert "1 more cannot be computed" in conclusion(cmp)


def test_one_rank_is_singular_and_chinese_counts_ranks_as_名次(lesson):
    from cityeval.notebook.walkthrough import conclusion

    ds, _ = lesson
    cmp = compare_methods(ds, None, {"treatment": {"JRC rule": {}, "none": {"treat": {"method": "none"}}}})
    en, zh = conclusion(cmp), conclusion(cmp, "zh")
    # by hand (test_walkthrough.py): without treatment Harbourton goes from 3rd to 2nd and Eastvale from 2nd to 3rd
    assert "1 of 1 computable variant moves at least one city (largest move 1 rank)" in en, en
    assert "1 ranks" not in en
    assert "（最多变动1个名次）" in zh and "1位" not in zh, zh


def test_reasons_on_the_page_name_no_path_and_no_cli_hint(tmp_path):
    from cityeval.notebook.walkthrough import not_computable_text, reader_reasons

    ds = load_dataset(paths.DATA / "examples" / "toy")       # min-max from 0: no geometric mean
    cmp = compare_methods(ds, None, {"aggregation": {"geometric": {"aggregate": {"method": "geometric"}}}})
    raw = cmp.reasons["aggregation: geometric"]
    assert str(ds.path.resolve()) in raw and "shift=" in raw       # the library's message, for programmers
    for text in (not_computable_text(cmp, "aggregation"), not_computable_text(cmp, "aggregation", "zh"),
                 json.dumps(reader_reasons(cmp))):
        assert str(paths.ROOT) not in text and "shift=" not in text and "scale_low > 0" in text, text


@pytest.mark.notebook
def test_the_page_on_asem_says_its_method_and_scores_as_cityeval_score(asem, executed_run):
    out = executed_run(STEM, data=str(asem))        # the run tests/notebook/test_walkthrough.py reads too
    res = json.loads((out / "results" / f"{STEM}.json").read_text(encoding="utf-8"))["results"]
    assert res["index_scores"]["CHE"] == pytest.approx(68.38372423834171, abs=1e-9)
    assert res["method"]["impute"] == {"method": "group_mean", "group": "EurAsia_group"}
    assert res["method"]["normalize"] == {"method": "minmax", "low": 0, "high": 100}
    executed = (out / "notebooks" / f"{STEM}.ipynb").read_text(encoding="utf-8")
    assert "The method of this page" in executed and str(asem) not in json.dumps(res["not_computable"])
