"""cityeval.notebook.panel: the scored panel the finding notebooks share, and the city names it draws."""
from __future__ import annotations

import dataclasses

import pytest

from cityeval.errors import ParameterError
from cityeval.notebook.panel import scored_panel
from cityeval.ccid2022.reference import default_cities


def test_labels_for_figures():
    panel = scored_panel(top_n=100)
    ref = default_cities()
    known = [c for c in panel.all_scores.index if c in ref.index][:3]
    ascii_ids = [c for c in panel.all_scores.index if c not in ref.index][:2]
    assert known and ascii_ids == ["SYN001", "SYN002"]  # the synthetic panel's cities outside the report
    # English: city_en of data/reference/cities.csv; an ASCII id as it is
    assert panel.labels(known) == [ref.at[c, "city_en"] for c in known]
    assert panel.labels(ascii_ids) == ascii_ids
    # a Chinese id outside the reference table becomes its composite rank, counted here with pandas
    # (1 = highest composite), so no CJK glyph reaches the default font
    renamed = dataclasses.replace(panel, all_scores=panel.all_scores.rename(index={"SYN001": "某某市"}))
    rank = renamed.all_scores[panel.top_code].rank(ascending=False, method="first").astype(int)
    assert renamed.labels(["某某市", known[0]]) == [f"#{rank['某某市']}", ref.at[known[0], "city_en"]]
    # Chinese: the ids as the data write them
    assert renamed.labels(["某某市"] + known, "zh") == ["某某市"] + known
    with pytest.raises(ParameterError, match="lang"):
        panel.labels(known, "fr")


@pytest.mark.parametrize("top_n", [2, 294, 10.0, True, "100"])
def test_top_n_must_be_a_whole_number_within_the_cities(top_n):
    # 293 cities in the embedded synthetic panel (data/synthetic/ccid2022/values.csv)
    with pytest.raises(ParameterError, match="top_n should be a whole number between 3 and 293"):
        scored_panel(top_n=top_n)


@pytest.mark.parametrize("lang", ["EN", "fr", None, ["zh"]])
def test_a_language_is_en_or_zh(lang):
    from cityeval.notebook.labels import check_language

    with pytest.raises(ParameterError, match="lang should be one of 'en', 'zh'"):
        check_language(lang)
