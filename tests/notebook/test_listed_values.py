"""Every value a notebook's parameters cell lists runs (issue 15: "a lesson that survives curiosity").

For every notebook (but 00, whose every option is run by tests/notebook/test_walkthrough.py), every parameter
whose pre-check has a fixed set of choices (:data:`cityeval.notebook.parameters.CHOICES`, read from the modules
that own them) and every parameter whose comment lists values:

- the values the comment lists (:func:`~cityeval.notebook.parameters.listed_values`) are exactly the choices the
  pre-check accepts for that notebook on its default data (the owning module's choices, less those the
  pre-check refuses with the library's reason, such as ``ahp`` without a comparison matrix);
- the notebook executes with each listed value other than its default (run by test_notebooks.py), one at a
  time, the other parameters at the notebook's ``metadata.cityeval.test_parameters`` and ``ensemble_size`` 0
  where it exists (to keep it fast).
"""
from __future__ import annotations

import json

import pytest

from cityeval.errors import CityevalError
from cityeval.notebook import parameters, runner

WALKTHROUGH = "00_method_walkthrough"
NOTEBOOKS = [p for p in runner.list_notebooks() if p.stem != WALKTHROUGH]


def _listed(path) -> dict:
    """``{name: (listed values, choices or None, default)}`` of the parameters that list values or have choices."""
    out = {}
    for name, info in parameters.notebook_parameters(path).items():
        listed = parameters.listed_values(info["help"]) if info["type"] == "str" else None
        choices = parameters.parameter_choices(name)
        if listed is not None or choices is not None:
            out[name] = (listed, choices, info["default"].strip("\"'"))
    return out


def _runs(path) -> dict:
    """The notebook's small parameters (``metadata.cityeval.test_parameters``), ``ensemble_size`` 0 where it exists."""
    base = dict(json.loads(path.read_text(encoding="utf-8"))["metadata"].get("cityeval", {}).get("test_parameters", {}))
    if "ensemble_size" in parameters.parameter_names(path):
        base["ensemble_size"] = 0
        for name in parameters.ENSEMBLE_ONLY:       # options of the ensemble: refused without one (issue 14)
            base.pop(name, None)
    return base


def _accepted(path, name, choices) -> list[str]:
    """The choices the pre-check accepts for ``name`` in this notebook (the others at their small values)."""
    accepted = []
    for value in choices:
        try:
            parameters.check_values(path, {**_runs(path), name: value})
        except CityevalError:
            continue
        accepted.append(value)
    return accepted


LISTED = {p.stem: _listed(p) for p in NOTEBOOKS}
CASES = [(p, name) for p in NOTEBOOKS for name in LISTED[p.stem]]
RUNS = [(p, name, value) for p in NOTEBOOKS for name, (listed, choices, default) in LISTED[p.stem].items()
        for value in (listed or choices or []) if value != default]


def test_the_walkthrough_is_covered_elsewhere():
    pytest.skip("notebook 00: every listed option is run by tests/notebook/test_walkthrough.py")


def test_the_comment_parser_reads_every_kind_of_list():
    # the forms the notebooks use (expected values: the comments as written in notebooks/*.ipynb)
    assert parameters.listed_values("correlation coefficient for the headline: pearson or spearman") == \
        ["pearson", "spearman"]
    assert parameters.listed_values("DEA returns to scale: crs, vrs or both") == ["crs", "vrs", "both"]
    assert parameters.listed_values("cities kept, by composite rank (the report's Fig. 18 shows a top 100)") is None


@pytest.mark.parametrize("path,name", CASES, ids=[f"{p.stem[:2]}-{n}" for p, n in CASES])
def test_the_comment_lists_exactly_the_choices_the_precheck_accepts(path, name):
    listed, choices, default = LISTED[path.stem][name]
    assert choices is not None, (f"{path.stem}: the comment of {name!r} lists {listed}, but its pre-check has no "
                                 "fixed choices (add the name to parameters.CHOICES, or say it in words)")
    assert listed is not None, (f"{path.stem}: the comment of {name!r} lists no values; the pre-check accepts "
                                f"{_accepted(path, name, choices)}")
    assert len(set(listed)) == len(listed), f"{path.stem}: {name!r} lists a value twice: {listed}"
    assert default in listed, f"{path.stem}: {name!r}'s default {default!r} is not among the listed {listed}"
    accepted = _accepted(path, name, choices)
    assert sorted(listed) == sorted(accepted), (
        f"{path.stem}: the comment of {name!r} lists {listed}; the pre-check accepts {accepted} "
        f"(not listed: {sorted(set(accepted) - set(listed))}; listed but refused: "
        f"{sorted(set(listed) - set(accepted))})")


@pytest.mark.notebook
@pytest.mark.parametrize("path,name,value", RUNS, ids=[f"{p.stem[:2]}-{n}-{v}" for p, n, v in RUNS])
def test_every_listed_value_runs(path, name, value, tmp_path):
    params = {**_runs(path), name: value}
    outcome = runner.execute_notebook(path, parameters=params, out_dir=tmp_path / "out", render_html=False)
    assert outcome.ok, f"{path.stem} with -p {name} {value}: {outcome.error}"
    assert (tmp_path / "out" / "results" / f"{path.stem}.json").exists()
