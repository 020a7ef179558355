"""``python -m cityeval score`` and ``convert-coinr``."""
from __future__ import annotations

import io
import shutil
import sys

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval import cli
from cityeval import paths
from cityeval.cli.score import SYNTHETIC_BANNER
from cityeval.composite.dataset import INVENTED_BANNER
from cityeval.composite.dataset import load_dataset
from cityeval.composite.pipeline import run
from markers import requires_coinr

TOY = paths.DATA / "examples" / "toy"


def test_registered():
    assert "cityeval.cli.score" in cli.COMMAND_MODULES
    help_text = cli.build_parser().format_help()
    assert "score" in help_text and "convert-coinr" in help_text


def test_score_writes_csv(tmp_path, capsys):
    out = tmp_path / "scores.csv"
    assert cli.main(["score", str(TOY), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == INVENTED_BANNER           # toy's method.json says synthetic and invented
    assert "wrote" in captured.out and "8 of 8 units" in captured.out
    table = pd.read_csv(out, index_col="unit")
    result = run(load_dataset(TOY))
    assert list(table.columns) == ["included", "index", "infra", "economy", "rank_index", "rank_infra",
                                   "rank_economy"]
    assert_allclose(table["index"].to_numpy(), result.scores["index"].to_numpy(), rtol=0, atol=0)   # full precision
    assert table["rank_index"].tolist() == result.ranks["index"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]                          # no temp file left


def test_score_to_stdout(capsys):
    assert cli.main(["score", str(TOY)]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out), index_col="unit")
    assert len(table) == 8 and table["rank_index"].min() == 1


def test_banner_from_method_json_not_the_path(tmp_path, capsys):
    # issue 14 §3: a folder is synthetic when its method.json says so, whatever its path
    # (a user's mydata/synthetic_free/east, or even data/synthetic/..., is not illustrative by name)
    real = load_dataset(TOY).with_method(None)
    real.save(tmp_path / "data" / "synthetic" / "toy")
    assert cli.main(["score", str(tmp_path / "data" / "synthetic" / "toy"), "--out", str(tmp_path / "a.csv")]) == 0
    assert SYNTHETIC_BANNER not in capsys.readouterr().err
    flagged = tmp_path / "plain"
    real.save(flagged)
    (flagged / "method.json").write_text('{"synthetic": true}', encoding="utf-8")
    assert cli.main(["score", str(flagged), "--out", str(tmp_path / "b.csv")]) == 0
    assert capsys.readouterr().err.strip() == SYNTHETIC_BANNER


def test_score_errors_are_one_line(tmp_path, capsys):
    assert cli.main(["score", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "dataset folder not found" in err and "Traceback" not in err
    folder = tmp_path / "bad"
    shutil.copytree(TOY, folder)
    text = (folder / "values.csv").read_text(encoding="utf-8").replace("Dunmore,West,290,180", "Dunmore,West,290,fast")
    (folder / "values.csv").write_text(text, encoding="utf-8")
    assert cli.main(["score", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "values.csv, line 5, column 'broadband_speed'" in err


@requires_coinr
def test_convert_coinr_then_score(tmp_path, capsys):
    folder = tmp_path / "asem"
    assert cli.main(["convert-coinr", str(paths.COINR_ASEM / "ASEM_iData.csv"),
                     str(paths.COINR_ASEM / "ASEM_iMeta.csv"), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "51 units, 49 indicators" in out and "LAO" in out
    assert cli.main(["score", str(folder), "--out", str(tmp_path / "asem.csv")]) == 0
    assert SYNTHETIC_BANNER not in capsys.readouterr().err
    table = pd.read_csv(tmp_path / "asem.csv", index_col="unit")
    # COINr documentation (../shared/oracles/coinr-asem/README.md): CHE 68.383724, rank 1
    assert table.at["CHE", "Index"] == pytest.approx(68.383724, abs=1e-5)
    assert table.at["CHE", "rank_Index"] == 1


def test_scoring_the_default_method_imports_no_scipy():
    # issue 16 goal 3 (score on 2,850 x 100 in <= 1 s): scipy.special alone took about 0.25 s of the command's
    # start; it is imported only by the stages that need it (power means, entropy weights with zeros, BoD)
    import subprocess

    code = ("import sys; from cityeval.cli import main; "
            "main(['score', 'data/examples/lesson', '--out', '-']); "
            "print([m for m in sys.modules if m.split('.')[0] in ('scipy', 'sklearn', 'matplotlib')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout[-500:]
