"""cityeval.notebook.parameters: every value a notebook will use is checked before a kernel starts, with the
same rule the library applies inside the kernel (review finding: n_sobol=100 passed the check, then failed in
notebook 09's Sobol' design; head, subject_code, top_k_overall and tolerance had no rule at all)."""
from __future__ import annotations

import pytest

from cityeval import paths
from cityeval.errors import ParameterError
from cityeval.notebook import parameters, runner


def _nb(prefix):
    return runner.list_notebooks([prefix])[0]


@pytest.mark.parametrize("prefix, name, value, message", [
    ("09", "n_sobol", 100, "n_sobol .*should be a power of 2"),
    ("09", "n_sobol", 1, "n_sobol .*should be a power of 2"),
    ("09", "tolerance", -3, "tolerance .*should be a whole number >= 0"),
    ("08", "head", 0, "head .*between 1 and top_n - 1"),
    ("08", "head", 100, "head .*between 1 and top_n - 1 \\(100\\)"),
    ("08", "subject_code", "nope", "subject_code .*should be one of 'inf_"),
    ("08", "transfer_code", "TEC", "transfer_code .*should be one of"),       # a dimension, not a raw indicator
    # a score 0-100 has no true zero (data/synthetic/ccid2022/indicators.csv, unit of gov_emergency)
    ("08", "subject_code", "gov_emergency", "subject_code .*ratio-scale .*'gov_emergency' \\(.*score"),
    # lower is better: its concentration is that of the undesirable quantity (indicators.csv, direction -1)
    ("08", "transfer_code", "low_pm25", "transfer_code .*ratio-scale .*direction -1"),
    ("07", "top_k_overall", 0, "top_k_overall .*between 1 and 293"),          # 293 cities in the synthetic panel
    ("07", "top_k_overall", 294, "top_k_overall .*between 1 and 293"),
    # 02's bootstrap gives 95% intervals: at least ceil(2 / 0.05) = 40 resamples (correlation.min_resamples)
    ("02", "n_boot", 39, "n_boot .*should be a whole number >= 40"),
])
def test_values_the_kernel_would_refuse_are_refused_before_it_starts(prefix, name, value, message):
    with pytest.raises(ParameterError, match=message):
        parameters.check_values(_nb(prefix), {name: value})


@pytest.mark.parametrize("prefix", ["02", "03", "07", "08", "09"])
def test_the_defaults_pass(prefix):
    parameters.check_values(_nb(prefix), {})


def test_one_name_two_rules():
    # n_boot of notebook 03 (clustering stability) takes any positive count; of 02, at least 40
    parameters.check_values(_nb("03"), {"n_boot": 10})
    parameters.check_values(_nb("02"), {"n_boot": 40})


def test_a_relative_default_folder_is_the_embedded_one_from_any_folder(tmp_path, monkeypatch):
    # notebook 00's default data "data/examples/toy" is relative to the package's data root, not the cwd
    monkeypatch.chdir(tmp_path)
    parameters.check_values(_nb("00"), {})
    assert (paths.ROOT / "data" / "examples" / "toy" / "values.csv").is_file()


@pytest.mark.parametrize("path", runner.list_notebooks(), ids=lambda p: p.stem)
def test_parameter_names_are_papermills(path):
    # record_results reads the names with ast (papermill's import cost 1.5 s in every kernel): the same names
    assert parameters.parameter_names(path) == list(parameters.notebook_parameters(path))
