"""``python -m cityeval validate`` on a dataset folder runs exactly the checks ``score`` runs (issue 14, section 3).

The README says validate "also scores once"; before issue 14 it only loaded the folder and resolved its method
record, so a missing value under imputation "none", a constant indicator under min-max or ``"low": "0"`` passed
validate and failed score. Now it calls the same two functions as score (load_dataset, then the pipeline's run
up to the ranks) and writes nothing: for every dataset-folder case of the bad-inputs catalogue (the D cases of
tests/bad_inputs/inputs.py) the two commands must print the same one-line message.
"""
from __future__ import annotations

import pytest

from bad_inputs import TOY
from bad_inputs.inputs import CASES
from bad_inputs.routes import attempt
from cityeval import cli
from cityeval.cli.validate import validate

D_CASES = [c for c in CASES if c.id.startswith("D")]


def _files(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", D_CASES, ids=[c.id for c in D_CASES])
def test_validate_gives_the_message_score_gives(case, tmp_path):
    made = case.make(tmp_path)
    made["table"] = made["data"]
    before = _files(tmp_path)
    score = attempt(case, "score", made, tmp_path / "s")
    valid = attempt(case, "validate", made, tmp_path / "v")
    assert score[:2] == ("exit", 2), score
    assert valid == score, f"{case.id}: validate said {valid[2]!r}, score {score[2]!r}"
    assert _files(tmp_path) == before                     # neither wrote anything


def test_validate_a_good_folder_scores_it_and_writes_nothing(tmp_path, capsys):
    import shutil
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    before = _files(tmp_path)
    assert cli.main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    # the toy: 8 units, 6 indicators, 3 aggregate codes (infra, economy, index), none screened out
    assert out.strip() == (f"ok: {folder}: dataset folder: 8 units, 6 indicators; scored with its method.json "
                           "(8 of 8 units kept, 3 aggregate codes)")
    assert _files(tmp_path) == before


def test_validate_runs_the_pipeline(tmp_path, monkeypatch):
    # the pipeline's run is what validate calls (not a copy of some of its checks)
    import cityeval.composite.pipeline as pipeline
    calls = []
    real = pipeline.run
    monkeypatch.setattr(pipeline, "run", lambda ds, method=None: calls.append(ds.path) or real(ds, method))
    validate(TOY)
    assert calls == [TOY]


def test_a_missing_table_file_keeps_validates_own_message(tmp_path):
    with pytest.raises(Exception, match="not found; expected a dataset folder, a folder of published tables"):
        validate(tmp_path / "overall_top100.csv")


# ---- issue 14, round 3: the optional files the notebooks read, and --as with a folder (holes 7, 14) --------------
@pytest.mark.parametrize("name, text, fragment", [
    # notebook 00 reads ahp.json whenever the folder has one (its AHP table), whatever its weighting
    ("ahp.json", '{"x": 1}', r"ahp\.json: an object with a key 'parents'"),
    ("ahp.json", "[1]", r"ahp\.json: ahp\.json must hold a JSON object"),
    ("ahp.json", '{"parents": {"infra": {"codes": ["broadband_speed", "stations_5g", "outage_hours"], '
                 '"matrix": [[1, -2, 1], [-0.5, 1, 1], [1, 1, 1]]}}}', r"ahp\.json: .*finite number > 0"),
    ("ahp.json", '{"parents": {"infra": {"codes": ["broadband_speed", "stations_5g", "outage_hours"], '
                 '"matrix": [[1, 2], [0.5, 1]]}}}', r"ahp\.json: for each parent a 'matrix' of numbers"),
    # notebooks 04 and 06 read covariates.csv (cityeval.analysis.polarization.load_covariates)
    ("covariates.csv", "city,population\nAmberfield,820\n", r"covariates\.csv.*unit"),
    ("covariates.csv", "unit,population\nAmberfield,many\n", r"covariates\.csv, line 2, column 'population'"),
])
def test_validate_reads_the_optional_files_the_notebooks_read(tmp_path, name, text, fragment):
    import shutil

    from cityeval.errors import DataError
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=fragment):
        validate(folder)     # said "ok" before: validate read only values.csv, indicators.csv and method.json


def test_validate_says_which_optional_files_it_read():
    from cityeval import paths
    assert validate(paths.DATA / "examples" / "lesson").endswith("; read ahp.json")
    assert validate(paths.DATA / "synthetic" / "ccid2022").endswith("; read covariates.csv")
    assert "read" not in validate(TOY).rsplit(";", 1)[-1]


def test_as_with_a_folder_is_an_error(capsys):
    # `validate FOLDER --as framework` said "ok: dataset folder", ignoring --as
    assert cli.main(["validate", str(TOY), "--as", "framework"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --as should be given only for a table file") and "'framework'" in err


def test_as_given_twice_is_an_error(capsys):
    from cityeval import paths
    table = paths.DATA / "published" / "ccid2022" / "framework.csv"
    assert cli.main(["validate", str(table), "--as", "framework", "--as", "claims"]) == 2
    assert "--as should be given once" in capsys.readouterr().err
