"""Outputs never destroy inputs (issue 14, part of section 1): ``score --out``, ``audit --out`` and ``audit --ranks``
refuse a target that is an input file, a file of the input folder or another output, and ``audit`` checks
``--sobol`` before it writes anything. Each case is run through ``cityeval.cli.main`` as a user would; the expected
behaviour is the issue's (exit 2, one line ``error: ...`` naming the option and the path, every file unchanged)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from cityeval import paths
from cityeval.cli import main

TOY = paths.DATA / "examples" / "toy"
# the 8-city toy data, 20 scenarios, normalization uncertain (the format of data/examples/coinr_asem_uncertainty.json)
SPEC = {"n": 20, "seed": 1, "choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "zscore"}]}}}


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    return tmp_path, folder, spec


def _snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _refused(argv, capsys, root, *fragments):
    before = _snapshot(root)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for f in fragments:
        assert f in err, (f, err)
    assert _snapshot(root) == before          # no input overwritten, no output written
    return err


def test_the_spec_toy_audit_runs(work, capsys):
    # the baseline: the same command with an ordinary output works (so the refusals below are about the paths)
    root, folder, spec = work
    assert main(["audit", str(folder), "--spec", str(spec), "--out", str(root / "ranks.csv"),
                 "--ranks", str(root / "matrix.csv"), "--sobol", "4"]) == 0, capsys.readouterr().err
    assert (root / "ranks.csv").read_text(encoding="utf-8").startswith("unit,nominal")
    assert (root / "matrix.csv").read_text(encoding="utf-8").startswith("scenario,")
    assert main(["score", str(folder), "--out", str(root / "scores.csv")]) == 0


@pytest.mark.parametrize("which", ["--out", "--ranks"])
def test_audit_refuses_to_write_over_its_spec(work, capsys, which):
    root, folder, spec = work
    _refused(["audit", str(folder), "--spec", str(spec), which, str(spec)], capsys, root,
             which, "spec.json", "the --spec file")


@pytest.mark.parametrize("name", ["values.csv", "indicators.csv", "method.json"])
def test_score_and_audit_refuse_a_file_of_the_dataset_folder(work, capsys, name):
    root, folder, spec = work
    if not (folder / name).exists():
        pytest.skip(f"the toy folder has no {name}")
    _refused(["score", str(folder), "--out", str(folder / name)], capsys, root, "--out", name, "dataset folder")
    _refused(["audit", str(folder), "--spec", str(spec), "--ranks", str(folder / name)], capsys, root,
             "--ranks", name, "dataset folder")


def test_another_path_to_an_input_is_the_input(work, capsys):
    # a relative path with "..", a symlink and a hard link all name the same file
    root, folder, spec = work
    (root / "link.json").symlink_to(spec)
    os.link(folder / "values.csv", root / "hard.csv")
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(folder / ".." / "spec.json")], capsys, root,
             "the --spec file")
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(root / "link.json")], capsys, root,
             "the --spec file")
    _refused(["score", str(folder), "--out", str(root / "hard.csv")], capsys, root, "dataset folder")


def test_audit_refuses_one_file_for_both_outputs(work, capsys):
    # today --out X --ranks X silently keeps only the rank matrix
    root, folder, spec = work
    out = root / "both.csv"
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(out), "--ranks", str(out)], capsys, root,
             "--ranks", "also the --out file")
    assert not out.exists()


@pytest.mark.parametrize("sobol", [3, 1, 6])
def test_audit_checks_sobol_before_writing(work, capsys, sobol):
    # today --sobol 3 writes the CSV and the rank file, then fails
    root, folder, spec = work
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(root / "o.csv"), "--ranks",
              str(root / "r.csv"), "--sobol", str(sobol)], capsys, root, "--sobol should be a power of 2")
    assert not (root / "o.csv").exists() and not (root / "r.csv").exists()
