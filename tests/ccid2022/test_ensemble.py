"""The ensemble of calibrated panels: every member exact, natural gaps, no dimension pushed, cached safely.

Reference values: the report's Tables 3, 4, 5 and 7 (the 270 published (rank, city) pairs); the
uncalibrated model (the same generator drawn without the published orders, ``synthetic._draw``)
for the gap distribution; the panel of issue 11 (tests/fixtures/panel-before-ensemble) as the
staircase the gap test must detect.
"""
from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cityeval.ccid2022 import ensemble, published, synthetic
from cityeval.composite.dataset import load_dataset
from cityeval.composite.pipeline import run
from cityeval.errors import CityevalError, DataError, ParameterError

OLD_PANEL = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "panel-before-ensemble"


def _published_pairs_hold(folder) -> int:
    """Number of published (rank, city) pairs the folder reproduces; raises AssertionError at the first miss."""
    ranks = run(load_dataset(folder)).ranks
    held = 0
    for name, info in published.RANKINGS.items():
        table = published.load_ranking(name)
        got = ranks[info["code"] or "INDEX"]
        assert got.loc[table["city"]].tolist() == table["rank"].tolist(), (folder, name)
        assert (got.drop(index=table["city"]) > len(table)).all(), (folder, name)
        held += len(table)
    return held


def test_every_member_reproduces_the_270_published_pairs():
    # all K members of the default ensemble, scored by the pipeline as a user would
    folders = ensemble.member_folders(ensemble.DEFAULT_SIZE, ensemble.DEFAULT_SEED)
    assert len(folders) == ensemble.DEFAULT_SIZE == 50
    assert all(_published_pairs_hold(f) == 270 for f in folders)   # 100 + 100 + 50 + 20 (Tables 3, 4, 5, 7)


def _top_gaps(composite) -> np.ndarray:
    top = np.sort(np.asarray(composite))[::-1][:101]
    return -np.diff(top)    # the 100 gaps down to the first unpublished city


def test_gaps_of_the_top_100_are_the_uncalibrated_models():
    framework = published.load_framework()
    scorer = synthetic._Scorer(framework)
    calibrated, uncalibrated = [], []
    for seed in range(6):
        par = synthetic.NOMINAL if seed == 0 else synthetic.draw_parameters(seed)
        panel = synthetic.generate(seed, parameters=par)
        calibrated.append(_top_gaps(scorer.composite(panel.normalized.to_numpy())))
        rng = np.random.default_rng([seed, 99])
        uncalibrated += [_top_gaps(scorer.composite(synthetic._draw(rng, par, framework, scorer, 293)))
                         for _ in range(3)]
    calibrated, uncalibrated = np.concatenate(calibrated), np.concatenate(uncalibrated)
    # Two-sample Kolmogorov-Smirnov test, 600 against 1,800 gaps. Threshold 0.01: the seeds are fixed, so the test
    # is deterministic; the staircase of issue 11 (63 of 99 gaps at 0.02) gives p ~ 1e-33 (below), so 0.01 leaves
    # a wide margin on both sides. Measured when written: p = 0.91.
    assert stats.ks_2samp(calibrated, uncalibrated).pvalue > 0.01
    old = run(load_dataset(OLD_PANEL)).scores["INDEX"]
    assert stats.ks_2samp(_top_gaps(old), uncalibrated).pvalue < 1e-6   # the test does see a staircase


def test_calibration_pushes_no_dimension_up_or_down():
    # the per-dimension shift record of the nominal panel and of 8 members (0-100 scale; dimension SDs are
    # about 10). The old isotonic repair moved IND/TEC/LOW up by 2.2 points on average for the cities it
    # touched and INF/GOV not at all. Measured over the 50 default members (benchmarks/bench_ensemble.py
    # --calibration): the largest |mean| of a dimension 0.33 over all cities; over the top 100 the free
    # dimensions are raised by about 0.6 on average, up to about 1.8 in a member, because cities of Table 3
    # missing from Table 4 must be strong elsewhere (that part is the published data's, not the repair's).
    tables = [synthetic.generate().shifts]
    for k in range(8):
        seed = ensemble.member_seed(ensemble.DEFAULT_SEED, k)
        tables.append(synthetic.generate(seed, parameters=synthetic.draw_parameters(seed)).shifts)
    for t in tables:
        assert list(t.index) == ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
        assert (t["mean"].abs() <= 0.75).all(), t
        assert (t["top100_mean"].abs() <= 2.0).all(), t
        assert (t["mean_abs"] > 0).all()      # every dimension takes part (INF/GOV by block permutation)


def test_same_seed_gives_byte_identical_members(tmp_path):
    a = ensemble.member_folder(3, 11, root=tmp_path / "a")
    b = ensemble.member_folder(3, 11, root=tmp_path / "b")
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir()) and "manifest.json" in files
    match, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert mismatch == [] and errors == []
    c = ensemble.member_folder(4, 11, root=tmp_path / "a")
    assert (a / "values.csv").read_bytes() != (c / "values.csv").read_bytes()   # members differ


def test_another_process_generates_the_same_bytes(tmp_path):
    # a fresh interpreter (its own imports, hash seed and state) writes member 1 of ensemble 11 byte for byte
    # as this process does
    import subprocess
    import sys

    code = ("import sys; from cityeval.ccid2022 import ensemble; "
            "print(ensemble.member_folder(1, 11, root=sys.argv[1]))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "other")], capture_output=True, text=True,
                         check=True, env={**__import__("os").environ, "PYTHONHASHSEED": "123"})
    theirs = __import__("pathlib").Path(out.stdout.strip())
    ours = ensemble.member_folder(1, 11, root=tmp_path / "here")
    files = sorted(p.name for p in ours.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(ours, theirs, files, shallow=False)
    assert match == files and mismatch == [] and errors == []


def test_two_processes_generating_one_member_at_once(tmp_path):
    # run -j: two kernels may ask for the same member of an empty cache at once. Each writes into its own folder
    # and renames it into place, so neither reads half-written files (before issue 16, notebook 02 failed reading
    # a member the other kernel was still writing). Four fresh interpreters, started together.
    import subprocess
    import sys

    code = ("import sys; from cityeval.ccid2022 import ensemble; "
            "f = ensemble.member_folder(2, 11, root=sys.argv[1]); ensemble.read_manifest(f); print(f)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outs]
    assert len({out.strip() for out, _ in outs}) == 1
    folder = Path(outs[0][0].strip())
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]      # no staging folder left behind


def test_a_member_is_checked_before_use(tmp_path):
    folder = ensemble.member_folder(0, 5, root=tmp_path)
    values = folder / "values.csv"
    values.write_bytes(values.read_bytes().replace(b",", b";", 1))
    with pytest.raises(DataError, match=r"values\.csv.*differs from its manifest's SHA-256"):
        ensemble.member_folder(0, 5, root=tmp_path)
    (folder / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="no readable manifest"):
        ensemble.read_manifest(folder)


def test_manifest_records_the_parameters_and_calibration(tmp_path):
    folder = ensemble.member_folder(2, 5, root=tmp_path)
    manifest = ensemble.read_manifest(folder)
    seed = ensemble.member_seed(5, 2)
    assert manifest["generator_seed"] == seed and manifest["member"] == 2 and manifest["ensemble_seed"] == 5
    assert manifest["parameters"] == synthetic.draw_parameters(seed).as_dict()
    assert set(manifest["calibration"]["shifts"]) == {"INF", "GOV", "LIV", "IND", "TEC", "LOW"}


def test_unwritable_cache_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(CityevalError, match=r"^cannot write the ensemble cache .*CITYEVAL_CACHE") as info:
        ensemble.member_folder(0, 1, root=blocker)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("size", [0, 1001, 2.0, "3", True])
def test_bad_size(size):
    with pytest.raises(ParameterError, match=r"^size should be a whole number between 1 and 1000"):
        ensemble.member_folders(size)


def test_bad_member_and_seed():
    with pytest.raises(ParameterError, match=r"^k should be a whole number between 0 and 999"):
        ensemble.member_folder(-1)
    with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1"):
        ensemble.member_folders(2, seed=-1)


# ----------------------------------------------------------------- the parameters and what informs them
def test_drawn_parameters_are_deterministic_and_within_the_prior():
    a, b = synthetic.draw_parameters(17), synthetic.draw_parameters(17)
    assert a == b and a != synthetic.draw_parameters(18)
    lo, hi = synthetic.PRIOR["dimension_loading"]
    assert all(lo <= v <= hi for v in a.dimension_loading.values())
    lo, hi = synthetic.PRIOR["dispersion"]
    assert all(lo <= v <= hi for v in a.dispersion.values())


def _mean_overlaps(par, draws=40) -> dict:
    framework = published.load_framework()
    scorer = synthetic._Scorer(framework)
    rng = np.random.default_rng(0)
    rows = [synthetic.list_overlaps(synthetic._draw(rng, par, framework, scorer, 293), scorer) for _ in range(draws)]
    return pd.DataFrame(rows).mean().to_dict()


def test_published_overlaps_inform_the_loadings():
    # counted from the tables: 83 of Table 4's cities, 49 of Table 5's, 20 of Table 7's are in Table 3
    rankings = published.load_rankings()
    head = set(rankings["overall_top100"]["city"])
    counted = {name: len(head & set(rankings[name]["city"])) for name in synthetic.OVERLAPS}
    assert counted == {name: want for name, (want, _) in synthetic.OVERLAPS.items()}
    # the nominal parameters reproduce them within the ABC tolerance on average ...
    nominal = _mean_overlaps(synthetic.NOMINAL)
    assert all(abs(nominal[n] - want) <= tol for n, (want, tol) in synthetic.OVERLAPS.items()), nominal
    # ... the old single loading 0.75 / 0.85 / 0.85 did not (measured: 70, 42, 17 on average)
    old = synthetic.Parameters({d: 0.75 for d in synthetic.DISPERSION}, 0.85, 0.85, dict(synthetic.DISPERSION))
    got = _mean_overlaps(old)
    assert got["infrastructure_top100"] < 83 - 7 and got["governance_top50"] < 49 - 4


def test_generate_refuses_other_parameters():
    with pytest.raises(ParameterError, match=r"^parameters should be a synthetic\.Parameters"):
        synthetic.generate(1, parameters={"dimension_loading": 0.5})
