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
