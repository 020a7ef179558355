"""The parameters cell read without papermill (cityeval.notebook._cells) gives what papermill.inspect_notebook gives.

Expected values: papermill 2.7.0's own ``inspect_notebook`` on the same files (the reference implementation),
run in this test; the forms below are those papermill's tests of ``PythonTranslator.inspect`` use.
"""
from __future__ import annotations

import json

import papermill
import pytest

from cityeval.notebook import _cells, runner

FORMS = {
    "annotated": 'n: int = 3  # draws\nlang: str = "en"  # page language: en or zh\n',
    "bare": "a = 1\nb = 'x'  # help text\n",
    "type comment": "c = 2  # type: float\nd = None  # type: str nothing\n",
    "multi-line": "e = {\n    'x': 1,  # dropped\n    'y': 2,\n}  # the help\nf = [1,\n  2]\n",
    "comments and blanks": "# a comment\n\ng: bool = True\n   # indented comment\n",
    "two equal signs": "h = 'a=b'\ni = 5\n",
    "quoted annotation": "j: 'int' = 7  # quoted\nk: list[int] = [1]\n",
    "no parameters": "",
}


def _notebook(tmp_path, source: str, language="python"):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "p", "metadata": {"tags": ["parameters"]},
                     "outputs": [], "source": source}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": language}},
          "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


@pytest.mark.parametrize("form", list(FORMS))
def test_a_parameters_cell_reads_as_papermill_reads_it(tmp_path, form):
    path = _notebook(tmp_path, FORMS[form])
    assert _cells.declared_parameters(path) == papermill.inspect_notebook(str(path))


@pytest.mark.parametrize("path", runner.list_notebooks(), ids=lambda p: p.stem)
def test_every_notebook_reads_as_papermill_reads_it(path):
    expected = papermill.inspect_notebook(str(path))
    assert expected, f"{path.stem} declares parameters"
    assert _cells.declared_parameters(path) == expected


def test_a_notebook_edited_is_read_again(tmp_path):
    path = _notebook(tmp_path, "n = 1\n")
    assert _cells.declared_parameters(path)["n"]["default"] == "1"
    path.write_text(path.read_text(encoding="utf-8").replace("n = 1", "n = 22"), encoding="utf-8")
    assert _cells.declared_parameters(path)["n"]["default"] == "22"
