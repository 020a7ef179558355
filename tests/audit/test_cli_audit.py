"""Tests of the ``audit`` command (cityeval/cli/audit.py).

Reference values: :meth:`cityeval.audit.AuditDesign.rank_uncertainty` on the same folder, spec, n and
seed (the command must write exactly its table); COINr's ASEM example (tests/results/coinr_asem_audit.py).
"""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval import cli, paths
from cityeval.audit import load_spec, prepare
from cityeval.cli.score import SYNTHETIC_BANNER
from cityeval.composite.dataset import INVENTED_BANNER
from cityeval.composite.dataset import load_dataset
from markers import requires_coinr
from results import coinr_asem_audit as ASEM

TOY = paths.DATA / "examples" / "toy"
ASEM_SPEC = paths.DATA / "examples" / "coinr_asem_uncertainty.json"


def test_cli_registered():
    assert "cityeval.cli.audit" in cli.COMMAND_MODULES
    assert "audit" in cli.build_parser().format_help()


def test_cli_writes_csv(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}}}}), encoding="utf-8")
    out = tmp_path / "out" / "ranks.csv"
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--out", str(out), "--n", "60", "--seed", "4"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == INVENTED_BANNER                  # toy's method.json: synthetic, invented
    assert "60 scenarios, seed 4" in captured.out and "wrote" in captured.out
    table = pd.read_csv(out, index_col="unit")
    assert list(table.columns) == ["nominal", "mean", "median", "q05", "q95"]
    expected = prepare(load_dataset(TOY), load_spec(spec)).rank_uncertainty(60, seed=4).table
    assert_allclose(table.to_numpy(dtype=float), expected.to_numpy(dtype=float), rtol=0, atol=0)
    assert list(table.index) == list(expected.index)
    assert sorted(p.name for p in out.parent.iterdir()) == ["ranks.csv"]              # no temp file left
    # to standard output, with the raw ranks and Sobol' indices
    ranks = tmp_path / "raw.csv"
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "10", "--seed", "4", "--ranks", str(ranks),
                     "--sobol", "16"]) == 0
    captured = capsys.readouterr()
    assert len(pd.read_csv(io.StringIO(captured.out), index_col="unit")) == 8
    assert "Sobol' indices" in captured.err and pd.read_csv(ranks, index_col="scenario").shape == (10, 8)


def test_cli_sobol_size_not_a_power_of_two_runs_with_one_warning_line(tmp_path, capsys):
    # issue 16: COINr users run N = 100; it used to be refused ("--sobol should be a power of 2")
    import warnings

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}}}}), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # no Python warning escapes: the caveat is one line of ours
        assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "10", "--seed", "4", "--sobol", "12"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert lines == ["warning: Sobol' design of n = 12 rows, not a power of 2: its points are not balanced (scipy's "
                     "warning), so the Saltelli (2010) first-order and Jansen (1999) total estimates keep no "
                     "quasi-Monte Carlo gain (expect plain Monte Carlo error, about 1/sqrt(n)); 8 or 16 would be "
                     "balanced."]
    assert "Sobol' indices of the mean absolute rank shift (36 runs" in err      # 12 x (1 input + 2)
    # a power of 2 warns nothing; below 2 rows is an error naming --sobol
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "10", "--seed", "4", "--sobol", "16"]) == 0
    assert "warning:" not in capsys.readouterr().err
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "10", "--seed", "4", "--sobol", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --sobol should be a whole number >= 2 (rows of the Sobol' design; a power of 2 "
                          "such as 512 keeps its points balanced), but its value is 1.") and err.count("\n") == 1


def test_cli_errors_are_one_line(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"7": 0.25}}}}), encoding="utf-8")
    assert cli.main(["audit", str(TOY), "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    # one line: the synthetic banner comes only once the work is done (issue 14), not before an error
    # the spec file is named first (issue 14: every spec error names its file)
    assert err.startswith(f"error: {spec}: not a valid uncertainty spec for this dataset "
                          "(spec.choices.weights.perturbation key '7'") and err.count("\n") == 1, err
    assert cli.main(["audit", str(TOY), "--spec", str(tmp_path / "none.json")]) == 2
    assert "spec file not found" in capsys.readouterr().err


@requires_coinr
def test_cli_runs_the_coinr_example(asem_folder, tmp_path, capsys):
    out = tmp_path / "asem.csv"
    assert cli.main(["audit", str(asem_folder), "--spec", str(ASEM_SPEC), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert SYNTHETIC_BANNER not in captured.err and "100 scenarios, seed 1" in captured.out
    table = pd.read_csv(out, index_col="unit")
    assert table.at[ASEM.TOP_UNIT, "nominal"] == 1 and len(table) == ASEM.N_UNITS


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_cli_seed_out_of_range_is_one_line(tmp_path, capsys, seed):
    # the seed rule of every function (0 ... 2**32 - 1); the old command accepted 2**32 and above
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"1": 0.25}}}}), encoding="utf-8")
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "5", "--seed", seed]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"error: --seed should be a whole number between 0 and 2**32 - 1, but its value is {seed}."


def test_cli_fresh_seed_is_printed_and_repeats(tmp_path, capsys):
    # without --seed a fresh seed is drawn, printed, and within the seed range; rerunning with it repeats the run
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"choices": {"weights": {"perturbation": {"1": 0.25}}}}), encoding="utf-8")
    first = tmp_path / "a.csv"
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "30", "--out", str(first)]) == 0
    seed = int(capsys.readouterr().out.split("seed ")[1].split(";")[0])
    assert 0 <= seed <= 2**32 - 1
    again = tmp_path / "b.csv"
    assert cli.main(["audit", str(TOY), "--spec", str(spec), "--n", "30", "--seed", str(seed),
                     "--out", str(again)]) == 0
    assert first.read_bytes() == again.read_bytes()
