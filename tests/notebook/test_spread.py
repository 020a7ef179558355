"""cityeval.notebook.spread: the ensemble summary a notebook shows (numbers, verdicts, figure, results block).

Reference values: hand calculations on five made-up members (written out below) and numpy's
quantiles on the same values.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from cityeval.errors import CityevalError, DataError, ParameterError
from cityeval.notebook import spread
from cityeval.notebook.panel import DEFAULT_DATA, scored_panel
from cityeval.notebook.results import to_jsonable

VALUES = [0.30, 0.45, 0.50, 0.62, 0.80]     # statistic "r" on five members


def _summary(values=VALUES, fail=()):
    def statistics(panel):
        if panel in fail:
            raise CityevalError("fit did not converge")
        return {"r": panel if isinstance(panel, float) else values[panel], "k": 3.0}

    ens = spread.Ensemble(panels=list(range(len(values))), size=len(values), seed=7)
    return spread.summarize(ens, statistics, nominal=0.40, labels={"r": "r(TEC, composite)"},
                            reported={"r": 0.7561},
                            conclusions={"r above 0.408": lambda s: s["r"] > 0.408, "k is 3": lambda s: s["k"] == 3,
                                         "r above 0.9": lambda s: s["r"] > 0.9})


def test_numbers_by_hand():
    s = _summary()
    lo, med, hi = s.quantiles("r")
    assert med == 0.50                                        # the middle of five
    assert (lo, hi) == tuple(np.quantile(VALUES, [0.05, 0.95]))   # numpy's linear quantiles
    assert lo == pytest.approx(0.30 + 0.2 * 0.15)            # hand: position 0.2 between 0.30 and 0.45
    assert s.nominal == {"r": 0.40, "k": 3.0}
    assert s.verdict("r above 0.408") == "holds in 4 of 5 panels"    # 0.45, 0.50, 0.62, 0.80
    assert s.verdict("k is 3") == "holds in all 5 panels"
    assert s.verdict("r above 0.9") == "fails in all 5 panels"
    # hand: 95% at position 3.8, 0.62 + 0.8 * 0.18 = 0.764
    assert s.range_text("r") == "0.40 (5–95% over 5 illustrative panels: 0.33–0.76)"


def test_sentences_say_what_decides_each_conclusion():
    text = _summary().sentences()
    assert len(text) == 3
    assert "does not hold on the nominal panel and holds in 4 of 5 panels" in text[0]
    assert "the generator's assumptions decide it" in text[0]
    assert "published ranks plus the model's generic structure decide it" in text[1]
    assert "rule it out" in text[2]


def test_a_failed_member_is_shown_not_hidden():
    s = _summary(fail=(1,))
    assert math.isnan(s.values.at[1, "r"]) and s.failures == {1: "fit did not converge"}
    assert s.n_ok("r") == 4 and s.quantiles("r")[1] == np.median([0.30, 0.50, 0.62, 0.80])
    assert s.verdict("k is 3") == "holds in all 4 panels"
    assert any("could not be computed on 1 of 5 panels (members 1)" in line for line in s.sentences())
    assert s.block()["members_used"] == 4 and s.block()["failures"] == {"1": "fit did not converge"}


def test_block_and_table_say_illustrative():
    s = _summary()
    block = to_jsonable(s.block())
    json.dumps(block, allow_nan=False)
    assert block["illustrative"] is True and block["size"] == 5 and block["seed"] == 7
    assert block["statistics"]["r"]["values"] == VALUES and block["statistics"]["r"]["reported"] == 0.7561
    assert block["conclusions"]["k is 3"] == {"nominal": True, "holds_in": 5, "of": 5,
                                              "verdict": "holds in all 5 panels"}
    table = s.table()
    assert "Illustrative" in table.attrs["caption"]
    assert table.loc["r(TEC, composite)", "report states"] == 0.7561
    assert math.isnan(table.loc["k", "report states"])


def test_figure_title_is_illustrative():
    fig = _summary().figure("Technology innovation and the composite")
    assert "illustrative" in fig._suptitle.get_text()
    assert len(fig.axes) == 2
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(lab.startswith("ensemble panel") for lab in labels) and "the report states" in labels
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_no_ensemble_is_said():
    ens = spread.ensemble_panels("/some/other/folder", size=5, seed=1)
    assert len(ens) == 0 and "not the embedded synthetic panel" in ens.reason
    s = spread.summarize(ens, lambda p: {"r": 0.5}, nominal=None)
    assert s.sentences() == [f"No ensemble: {ens.reason}. The numbers above come from one panel only."]
    assert s.range_text("r").startswith("0.50 (one panel; no ensemble:")
    assert spread.ensemble_panels("", size=0, seed=1).reason == "ensemble_size is 0"


@pytest.mark.parametrize("bad, message", [
    (dict(size=-1), r"^ensemble_size should be a whole number between 0 and 1000"),
    (dict(size=2.0), r"^ensemble_size should be a whole number"),
    (dict(size=2, seed=-3), r"^ensemble_seed should be a whole number between 0 and 2\*\*32 - 1"),
])
def test_bad_arguments(bad, message):
    with pytest.raises(ParameterError, match=message):
        spread.ensemble_panels("", **{"seed": 1, **bad})


def test_summarize_checks_its_arguments():
    ens = spread.Ensemble(panels=[0], size=1, seed=1)
    with pytest.raises(ParameterError, match=r"^statistics should be a function"):
        spread.summarize(ens, {"r": 1}, nominal=0)
    with pytest.raises(ParameterError, match=r"^reported/labels should be names among the statistics \(r\)"):
        spread.summarize(ens, lambda p: {"r": 1.0}, nominal=0, reported={"rho": 0.7})
    with pytest.raises(ParameterError, match=r"^statistic should be a number per statistic"):
        spread.summarize(ens, lambda p: {"r": "high"}, nominal=0)
    with pytest.raises(CityevalError, match="on ensemble member 0"):
        spread.summarize(ens, lambda p: {"r": 1.0} if p is None else {"s": 1.0}, nominal=None)


def test_members_are_scored_like_the_nominal_panel_and_checked():
    ens = spread.ensemble_panels(DEFAULT_DATA, size=2, seed=3, top_n=50)
    assert len(ens) == 2 and all(len(p.scores) == 50 for p in ens.panels)
    nominal = scored_panel("", top_n=50)
    spread.check_member(nominal)      # the committed panel passes the same check
    # a panel that does not reproduce Table 3: swap the composite scores of the first two cities
    broken = scored_panel("", top_n=50)
    ranks = broken.result.ranks.copy()
    first, second = ranks["INDEX"].sort_values().index[:2]
    ranks.loc[[first, second], "INDEX"] = ranks.loc[[second, first], "INDEX"].to_numpy()
    broken.result = type(broken.result)(**{**broken.result.__dict__, "ranks": ranks})
    with pytest.raises(DataError, match="does not reproduce the published overall_top100"):
        spread.check_member(broken)
