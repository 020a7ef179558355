"""Tables of notebooks 01 and 02 on Chinese pages: Chinese headers and cells (fix of issue 15's review)."""
from __future__ import annotations

import math

from cityeval.analysis import correlation, rank_agreement
from cityeval.analysis._rank_agreement_wording import shown_p
from cityeval.ccid2022 import claims


def test_claims_tables_in_chinese_have_no_english_ids_or_locations():
    data = claims.load_published_data()
    shown = claims.claims_table(claims.recompute_claims(data), data, lang="zh")
    assert shown.index.name == "序号" and list(shown.index[:2]) == [1, 2]
    assert shown.iloc[0]["出处"] == "第二章第一节正文；表 2"    # claims.csv: "Ch.2 §1 text; Table 2"
    rest = claims.not_recomputable_table(data, lang="zh")
    cells = " ".join(map(str, rest.to_numpy().ravel()))
    for english in ("Ch.", "Fig.", "Table", "positive", "polarized", "majority", "high", "low"):
        assert english not in cells, english


def test_p_values_are_never_shown_as_zero():
    assert shown_p(0.0) == "< 0.001" and shown_p(4.03e-10) == "< 0.001" and shown_p(0.00268) == "0.00268"
    res = rank_agreement.RankAgreement(83, 0.78, 0.0, 0.58, 0.0, [], [])
    shown = rank_agreement.agreement_display({"overall_top100~infrastructure_top100": res}, lang="zh")
    assert shown.iloc[0]["Spearman p 值"] == "< 0.001"


def test_correlation_tables_in_chinese():
    t = correlation.CorrelationTest("pearson", 60, 0.4, math.nan, math.nan, 0.2, 0.5, 1 / 51, True)
    shown = correlation.correlation_test_table([t], "zh", n_perm=50)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c) for c in shown.columns)
    assert shown.iloc[0]["按综合指数选出"] == "是"
    implied = correlation.implied_rho_shown(correlation.implied_rho_unselected(0.7561, 6, n=293), lang="zh")
    assert "implied_rho" not in implied.columns and "假想的城市总体" in implied.iloc[0]["区间所针对的总体"]
