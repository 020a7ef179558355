"""``python -m cityeval synthesize``: an installed package never rewrites its own embedded panel."""
from __future__ import annotations

from cityeval import cli, paths


def test_an_installed_package_needs_out(monkeypatch, capsys):
    monkeypatch.setattr(paths, "SOURCE_CHECKOUT", False)   # as in a wheel install (cityeval/_bundle/)
    assert cli.main(["synthesize"]) == 2
    assert "error: --out should be a folder to write the panel to" in capsys.readouterr().err


def test_an_installed_package_writes_no_output_into_itself(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "SOURCE_CHECKOUT", False)
    monkeypatch.delenv("CITYEVAL_OUTPUT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert paths.output_dir() == tmp_path / "output"
