"""COINr's ASEM example, converted and rerun: the published index scores and the steps before them.

Reference: the documented values in tests/results/coinr_asem.py (from
../shared/oracles/coinr-asem/README.md: COINr v1.1.14, ``build_example_coin()`` in R/examples.R,
and the index scores of COINr's documentation). Intermediate checks recompute each documented step
directly from the CSV files (read from ../shared/oracles/coinr-asem/) with pandas/scipy.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from numpy.testing import assert_allclose

from cityeval.composite import framework
from cityeval import paths
from cityeval.composite.coinr import COINR_EXAMPLE_METHOD, convert_coinr, read_coinr
from cityeval.composite.dataset import load_dataset
from cityeval.errors import DataError, ParameterError
from cityeval.composite.imputation import screen
from cityeval.composite.pipeline import run
from markers import requires_coinr
from results import coinr_asem

pytestmark = requires_coinr

IDATA = paths.COINR_ASEM / "ASEM_iData.csv"
IMETA = paths.COINR_ASEM / "ASEM_iMeta.csv"

# COINr documentation, as quoted in ../shared/oracles/coinr-asem/README.md: the top five index scores.
COINR_TOP5 = coinr_asem.TOP5_INDEX_SCORES


@pytest.fixture(scope="module")
def asem():
    ds, notes = read_coinr(IDATA, IMETA)
    return ds, notes, run(ds, COINR_EXAMPLE_METHOD)


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(IDATA).set_index("uCode"), pd.read_csv(IMETA)


def test_conversion_layout(asem, raw):
    ds, notes, _ = asem
    idata, imeta = raw
    assert (len(ds.units), len(ds.indicator_codes)) == (coinr_asem.N_UNITS, coinr_asem.N_INDICATORS)
    assert len(ds.indicators) == 60                                        # 49 + 8 pillars + 2 sub-indices + index
    assert ds.groups == ["name", "GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"]
    assert ds.denominators == ["Area", "Energy", "GDP", "Population"]
    assert ds.indicators.at["Index", "parent"] is None and ds.top_level == 4
    assert ds.indicators.at["Goods", "denominator"] == "GDP"
    assert ds.directions["CO2"] == -1
    # LAO has no Energy: COINr's Denominate() gives NA for Elec and Gas, the converter writes them missing
    assert ds.values.loc["LAO", ["Elec", "Gas"]].isna().all()
    assert not np.isnan(idata.at["LAO", "Elec"])
    assert sum("LAO" in n for n in notes) == 2
    lvl1 = imeta[imeta["Level"] == 1]
    pd.testing.assert_frame_equal(ds.values.drop(columns=["name", "GDP_group", "GDPpc_group", "Pop_group",
                                                          "EurAsia_group"]).drop(index="LAO"),
                                  idata.drop(index="LAO")[list(ds.values.columns[5:])], check_names=False)
    assert list(lvl1["iCode"]) == ds.indicator_codes


def test_index_scores_match_coinr(asem):
    _, _, result = asem
    index = result.scores["Index"]
    got = index[list(COINR_TOP5)]
    # printed to 6 decimals: agreement within half a unit of the last printed digit
    assert_allclose(got.to_numpy(), list(COINR_TOP5.values()), rtol=0, atol=coinr_asem.PRINTED_6DP)
    # the ranking order of those five, and they are the top five
    assert list(index.sort_values(ascending=False).index[:5]) == list(COINR_TOP5)
    assert result.ranks.loc[list(COINR_TOP5), "Index"].tolist() == [1, 2, 3, 4, 5]


def test_denominate_step(asem, raw):
    _, _, result = asem
    idata, imeta = raw
    den = result.stages["denominated"]
    for _, row in imeta[imeta["Denominator"].notna() & (imeta["Level"] == 1)].iterrows():
        code, d = row["iCode"], row["Denominator"]
        expected = idata[code] / idata[d]           # COINr: x / denominator, NA where the denominator is NA
        assert_allclose(den[code].to_numpy(), expected.reindex(den.index).to_numpy(), rtol=1e-15)


def test_impute_step_group_means(asem, raw):
    _, _, result = asem
    idata, _ = raw
    den, imp = result.stages["denominated"], result.stages["imputed"]
    group = idata["EurAsia_group"].reindex(den.index)
    missing = den.isna()
    # the blank indicator cells of iData (63, counted from the CSV), plus LAO's Elec and Gas
    assert missing.sum().sum() == idata[list(den.columns)].isna().sum().sum() + 2 == 65
    for code in den.columns[missing.any()]:
        for unit in den.index[missing[code]]:
            peers = den.loc[(group == group[unit]) & den[code].notna(), code]
            assert_allclose(imp.at[unit, code], peers.mean(), rtol=1e-14)   # COINr i_mean_grp
    assert imp.notna().all().all()
    assert (imp[~missing] == den[~missing]).sum().sum() == (~missing).sum().sum()


def test_screen_step(asem):
    _, _, result = asem
    # COINr screens the *imputed* data (R/examples.R): nothing is missing any more, no unit is removed
    assert result.screening["included"].all() and len(result.scores) == coinr_asem.N_UNITS
    # the same rule on the data before imputation would remove every unit with >= 5 of 49 indicators
    # missing (availability < 0.9): count them directly
    den = result.stages["denominated"]
    n_missing = den.isna().sum(axis=1)
    expected = sorted(n_missing.index[n_missing >= 5])
    kept, report = screen(den, method="availability", min_availability=coinr_asem.SCREEN_THRESHOLD)
    assert sorted(report.index[~report["included"]]) == expected and len(expected) == 5
    assert len(kept) == 46


def test_treat_step(asem):
    _, _, result = asem
    before, after = result.stages["screened"], result.stages["treated"]
    rep = result.treatment
    sk = before.apply(lambda c: scipy.stats.skew(c, bias=False))
    ku = before.apply(lambda c: scipy.stats.kurtosis(c, fisher=True, bias=False))
    failing = sorted(before.columns[(sk.abs() >= coinr_asem.SKEW_THRESH) & (ku >= coinr_asem.KURT_THRESH)])  # JRC rule
    assert sorted(rep.index[rep["failed"]]) == failing
    assert len(failing) == 15
    # winsorisation is enough for every one of them: no log transform in COINr's example
    assert (rep.loc[failing, "action"] == "winsorised").all() and not rep["log_transformed"].any()
    sk2 = after.apply(lambda c: scipy.stats.skew(c, bias=False))
    ku2 = after.apply(lambda c: scipy.stats.kurtosis(c, fisher=True, bias=False))
    assert ((sk2.abs() < coinr_asem.SKEW_THRESH) | (ku2 < coinr_asem.KURT_THRESH)).all()
    assert rep.loc[failing, "n_winsorised"].between(1, coinr_asem.WINMAX).all()
    for code in failing:
        changed = before.index[before[code] != after[code]]
        assert len(changed) >= 1
        kept = before[code].drop(changed)
        side = rep.at[code, "winsorised"]
        # winsorised points take the value of the most extreme point left untouched
        target = kept.max() if side == "high" else kept.min()
        assert (after.loc[changed, code] == target).all()
        assert set(changed) == set(rep.at[code, "units_changed"].split(";"))
    untouched = [c for c in before.columns if c not in failing]
    pd.testing.assert_frame_equal(after[untouched], before[untouched])


def test_normalise_step(asem):
    ds, _, result = asem
    norm, treated = result.stages["normalized"], result.stages["treated"]
    assert_allclose(norm.min(), 0, atol=1e-12)
    assert_allclose(norm.max(), 100, rtol=1e-14)
    for code in norm.columns:
        best = treated[code].idxmax() if ds.directions[code] == 1 else treated[code].idxmin()
        assert norm.at[best, code] == pytest.approx(100)


def test_aggregate_levels_are_means_of_children(asem):
    ds, _, result = asem
    for level in (2, 3, 4):
        for parent in framework.codes_at_level(ds.indicators, level):
            kids = framework.children(ds.indicators, parent)
            assert_allclose(result.scores[parent], result.scores[kids].mean(axis=1), rtol=1e-13)
    assert framework.children(ds.indicators, "Index") == ["Conn", "Sust"]
    assert len(framework.codes_at_level(ds.indicators, 2)) == 8


def test_folder_roundtrip_reproduces(tmp_path, asem):
    _, _, result = asem
    convert_coinr(IDATA, IMETA, tmp_path / "asem")
    again = run(load_dataset(tmp_path / "asem"))            # method.json written by the converter
    pd.testing.assert_frame_equal(again.scores, result.scores)


def test_panel_needs_a_time_point(tmp_path):
    panel = paths.COINR_ASEM / "ASEM_iData_p.csv"
    with pytest.raises(DataError, match="panel data"):
        read_coinr(panel, IMETA)
    years = sorted(pd.read_csv(panel)["Time"].unique())
    ds, notes = read_coinr(panel, IMETA, time=years[-1])
    assert len(ds.units) == coinr_asem.N_UNITS and any("Time" in n for n in notes)


def test_a_time_point_for_data_without_time_is_an_error(tmp_path):
    # issue 14: an option that does nothing is an error (ASEM's iData with its Time column dropped)
    pd.read_csv(IDATA).drop(columns="Time").to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(ParameterError, match=r"^time should be given only for panel data .* has no Time column"):
        read_coinr(tmp_path / "d.csv", IMETA, time=2018)


def test_unknown_type_in_imeta(tmp_path):
    text = IMETA.read_text(encoding="utf-8").replace(",Group\n", ",Grouping\n", 1)
    (tmp_path / "m.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="Type must be one of"):
        read_coinr(IDATA, tmp_path / "m.csv")


# ---------------------------------------------------------------------- issue 14: line numbers as in the file
def test_a_bad_imeta_type_names_its_line_in_the_file(tmp_path):
    # a blank line after the header: the bad Type "Indicatr" is on line 4 of the file (counted by hand),
    # not line 3 (its position + 2, what the reader said before)
    (tmp_path / "m.csv").write_text("Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n\n"
                                    "1,x1,X,1,1,,,,Index,Indicator\n1,x2,Y,1,1,,,,Index,Indicatr\n")
    (tmp_path / "d.csv").write_text("uCode,x1,x2\nA,1,2\n")
    with pytest.raises(DataError, match=r"m\.csv, line 4, column 'Type'"):
        read_coinr(tmp_path / "d.csv", tmp_path / "m.csv")
