"""`run`'s pre-check (K): every parameter of every notebook, and a ``data`` folder against what the notebook reads.

Issue 14, §3 last bullet: NaN, infinities, booleans, strings and floats where a notebook wants a number are refused
before a kernel starts; every parameter has a rule, choices come from the module that owns them and are tried the
way the notebook uses them; a message names the parameter at fault (``top_k_overall``, not ``top_n``); a ``--data``
folder without the codes, names or group labels a notebook reads fails naming them and the notebook, not with
``KeyError: 'TEC'`` inside the kernel. The ``papermill`` route runs the notebook itself: its own library call must
stop the same input (the fragments expected are common to both messages).

Review of issue 14, round 2: a size whose memory estimate exceeds the memory available is refused before a kernel
starts, naming the parameter, the estimate and the memory available (machine-dependent: ``stable=False``); a
``data`` value is checked as the folder the notebook reads (notebook 00 reads ``paths.ROOT / data``: empty is
refused, not checked as the synthetic panel).

Review of issue 14, round 3 (holes 6, 7, 10, 11, 15): each notebook's least ``top_n`` is the one its library calls
need (02: a correlation's 4 pairs; 03: k = 3 and 4 compared, every algorithm clustering the same cities; 04: a
mixture's 6 values); an optional file a notebook reads (``ahp.json``, ``covariates.csv``) is read before a kernel
starts; a ``-p`` name or a ``--data`` given twice is refused (the last silently won); a parameter that would do
nothing because another switches it off (an ensemble for data that have none, a seed of no ensemble) is refused,
and so are notebook 08's two stand-ins being one indicator.
"""
from __future__ import annotations

import shutil

from bad_inputs import ROOT, TOY, Case, edit, param_case

PANEL = ROOT / "data" / "synthetic" / "ccid2022"
MEMORY = (r"memory estimate fits in the memory available \(\d+(\.\d)? [MGT]iB\)", r"an estimated \d+(\.\d)? [GT]iB")


def _panel(change):
    """A copy of the synthetic panel (293 cities, every code the notebooks read) changed by ``change(folder)``,
    given as the notebook's ``data`` parameter (``-p data FOLDER`` on the run route)."""
    def make(tmp_path):
        folder = tmp_path / "panel"
        shutil.copytree(PANEL, folder)
        change(folder)
        return {"parameters": {"data": str(folder)}}
    return make


def _params(**values):
    def make(tmp_path):
        return {"parameters": dict(values)}
    return make


def _run_api(notebook, **parameters):
    """The Python API: ``run_notebooks`` with a value no command line can give (``-inf`` reads as an option there)."""
    def make(tmp_path):
        from cityeval.notebook.runner import run_notebooks

        return {"call": lambda: run_notebooks(only=[notebook], parameters=parameters, out_dir=tmp_path / "out")}
    return make


def _toy_for(notebook_top_n=5):
    def make(tmp_path):
        folder = tmp_path / "toy"
        shutil.copytree(TOY, folder)
        return {"data": folder, "parameters": {"top_n": notebook_top_n}}
    return make


def _toy_with(name, text):
    """A copy of the toy folder with ``name`` written as ``text`` (its ``data`` given with ``--data``)."""
    def make(tmp_path):
        folder = tmp_path / "toy"
        shutil.copytree(TOY, folder)
        (folder / name).write_text(text, encoding="utf-8")
        return {"data": folder}
    return make


def _twice(*argv):
    """``run --only 02 ... --out OUT`` with ``argv`` (a name or an option given twice)."""
    def make(tmp_path):
        return {"argv": ["run", "--only", "02", *argv, "--out", str(tmp_path / "out")]}
    return make


def _panel_params(**values):
    """A copy of the synthetic panel (not the embedded one: no ensemble) as ``data``, and ``values``."""
    def make(tmp_path):
        folder = tmp_path / "panel"
        shutil.copytree(PANEL, folder)
        return {"parameters": {"data": str(folder), **values}}
    return make


CASES = [
    # ---- numbers: NaN, infinities, booleans, strings, None and floats where a notebook wants a number
    Case("K01", "NaN for a float parameter with no range rule before (scale_low)", ("run",),
         param_case("00", "scale_low", float("nan")), ("scale_low", "finite number", "nan"), notebook="00"),
    Case("K02", "infinity for a fraction (weight_perturbation)", ("run",),
         param_case("09", "weight_perturbation", float("inf")), ("weight_perturbation", "finite number", "inf"),
         notebook="09"),
    Case("K03", "minus infinity through the Python API (quantile)", ("api",), _run_api("07", quantile=float("-inf")),
         ("quantile", "07_lowcarbon_typology", "finite number", "-inf"), notebook="07"),
    Case("K04", "None through the Python API for a count (n_perm)", ("api",), _run_api("05", n_perm=None),
         ("n_perm", "05_regional_patterns", "type int", "None"), notebook="05"),
    Case("K05", "a boolean for a whole number (tolerance true)", ("run",), param_case("09", "tolerance", "true"),
         ("tolerance", "type int", "True"), notebook="09"),
    Case("K06", "a float written for a whole number (top_n 1e2)", ("run",), param_case("02", "top_n", "1e2"),
         ("top_n", "type int", r"100\.0")),
    Case("K07", "a boolean for a fraction (weak_fraction true)", ("run",), param_case("08", "weak_fraction", "true"),
         ("weak_fraction", "type float", "True"), notebook="08"),
    # ---- rules the kernel applied, now applied before it starts, naming the parameter at fault
    Case("K08", "Sobol' size that is not a power of 2 (n_sobol 100)", ("run",), param_case("09", "n_sobol", 100),
         ("n_sobol", "power of 2", "100"), notebook="09"),
    Case("K09", "head as large as top_n (head 100)", ("run",), param_case("08", "head", 100),
         ("head", r"top_n - 1 \(100\)", "100"), notebook="08"),
    Case("K10", "top_k_overall above the cities in the data (blames top_k_overall, not top_n)", ("run",),
         param_case("07", "top_k_overall", 1000), ("^(error: )?top_k_overall ", "293", "1000"), notebook="07"),
    Case("K11", "negative winsorisation count (winmax -1)", ("run", "papermill"), _params(winmax=-1),
         ("winmax", "whole number >= 0", "-1"), notebook="00"),
    Case("K12", "min-max scale with low at its high end (scale_low 100)", ("run",), param_case("00", "scale_low", 100),
         ("scale_low", "< 100", "100"), notebook="00"),
    Case("K13", "boolean option given as a number (standardize 1)", ("run",), param_case("03", "standardize", 1),
         ("standardize", "type bool", "1"), notebook="03"),
    # ---- choices from the module that owns them, tried the way the notebook uses them
    Case("K14", "aggregation the registry has but the notebook cannot give its option (generalized: p)",
         ("run", "papermill"), _params(aggregation="generalized"), ("aggregation|generalized", r"\bp\b", "explicitly"),
         notebook="00"),
    Case("K15", "normalization that needs goalposts the notebook never gives (goalposts)", ("run",),
         param_case("02", "normalization", "goalposts"), ("normalization", "goalposts", "lower/upper")),
    Case("K16", "two choices that fail only together (zscore before a geometric mean)", ("run",),
         _params(normalization="zscore", aggregation="geometric"),
         ("normalization and aggregation", "geometric mean needs every value > 0", "normalization='zscore'"),
         notebook="00"),
    # ---- a data folder against what the notebook reads
    Case("K17", "data folder without the dimension the notebook reads (TEC), not KeyError: 'TEC'", ("run",),
         _toy_for(5), (r"indicators\.csv", "02_innovation_correlation", "TEC")),
    Case("K18", "data folder without the indicators the notebook reads (LIV_HEALTH renamed)", ("run", "papermill"),
         _panel(lambda f: edit(f / "indicators.csv", "LIV_HEALTH", "LIV_MED", count=4)),
         (r"indicators\.csv", "LIV_HEALTH", "missing: LIV_HEALTH"), notebook="04"),
    Case("K19", "data folder with a city whose zone is blank", ("run",),
         _panel(lambda f: edit(f / "values.csv", "北京市,北京市,华北,东部,", "北京市,北京市,华北,,")),
         ("zone", "every city", "北京市"), notebook="05"),
    Case("K20", "data folder without an indicator the notebook finds by name (绿色生态)", ("run", "papermill"),
         _panel(lambda f: edit(f / "indicators.csv", ",绿色生态,", ",生态环境,")),
         ("name_zh", "绿色生态"), notebook="07"),
    Case("K21", "data folder whose Fig. 8 dimension has an untagged child (INF_NET measure blank)", ("run",),
         _panel(lambda f: edit(f / "indicators.csv", "INF_NET,2,INF,1,1.0,input,", "INF_NET,2,INF,1,1.0,,")),
         (r"indicators\.csv", "06_input_outcome_efficiency", "measure", "INF_NET"), notebook="06"),
    # ---- a parameter that none of the notebooks selected declares
    Case("K22", "-p for a parameter no notebook chosen by --only declares (alpha with --only 02)", ("run",),
         param_case("02", "alpha", 0.1), ("alpha", "has no parameter", "04_healthcare_polarization")),
    # ---- values argparse would take for options (it knows -1 and -.5 as numbers, not -inf or -1e5)
    Case("K23", "minus infinity typed on the command line (-p quantile -inf)", ("run",),
         param_case("07", "quantile", "-inf"), ("quantile", "07_lowcarbon_typology", "finite number", "-inf"),
         notebook="07"),
    Case("K24", "a negative number in exponent form (-p quantile -1e5)", ("run",),
         param_case("07", "quantile", "-1e5"), ("quantile", "07_lowcarbon_typology", r"\(0, 1\)", "-100000"),
         notebook="07"),
    # ---- sizes beyond the memory available, refused before a kernel starts (each needs terabytes)
    Case("K25", "Sobol' rows beyond the memory (n_sobol 2**40)", ("run",), param_case("09", "n_sobol", 2**40),
         ("n_sobol", "09_robustness", "Sobol' rows", str(2**40), *MEMORY), notebook="09", stable=False),
    Case("K26", "Monte Carlo scenarios beyond the memory (n 10**12)", ("run",), param_case("09", "n", 10**12),
         (r"^(error: )?n \(notebook 09_robustness\)", "rank matrix kept", str(10**12), *MEMORY), notebook="09",
         stable=False),
    Case("K27", "ensemble panels' scenarios beyond the memory (ensemble_scenarios 10**9)", ("run",),
         param_case("09", "ensemble_scenarios", 10**9), ("ensemble_scenarios", "per ensemble panel", str(10**9), *MEMORY),
         notebook="09", stable=False),
    Case("K28", "truncation simulations beyond the memory (n_sim 10**15)", ("run",), param_case("01", "n_sim", 10**15),
         ("n_sim", "01_published_claims", "simulations", str(10**15), *MEMORY), notebook="01", stable=False),
    Case("K29", "clustering bootstrap beyond the memory (n_boot 10**12)", ("run",), param_case("03", "n_boot", 10**12),
         ("n_boot", "03_capability_stages", "resamples", str(10**12), *MEMORY), notebook="03", stable=False),
    Case("K30", "correlation bootstrap beyond the memory (n_boot 10**12)", ("run",), param_case("02", "n_boot", 10**12),
         ("n_boot", "02_innovation_correlation", "resamples", str(10**12), *MEMORY), stable=False),
    Case("K31", "power simulations beyond the memory (n_sim 10**12)", ("run",), param_case("04", "n_sim", 10**12),
         ("n_sim", "04_healthcare_polarization", "simulations", str(10**12), *MEMORY), notebook="04", stable=False),
    Case("K32", "permutations beyond the memory (n_perm 10**12)", ("run",), param_case("05", "n_perm", 10**12),
         ("n_perm", "05_regional_patterns", "permutations", str(10**12), *MEMORY), notebook="05", stable=False),
    # ---- the folder checked is the folder the notebook reads
    Case("K33", "an empty data folder for the notebook without an embedded panel (00 reads the repository root)",
         ("run",), param_case("00", "data", ""), ("data", "00_method_walkthrough", "no embedded panel", "''"),
         notebook="00"),
    # ---- issue 14, round 3: each notebook's least top_n, from the library calls it makes (hole 6)
    Case("K34", "top_n 3 for the clustering notebook (it compares k = 3 with k = 4: at least 5 cities)", ("run",),
         _params(top_n=3, k=3, n_boot=1, ensemble_size=0, algorithm="gmm"),
         (r"^(error: )?top_n \(notebook 03_capability_stages\)", "between 5 and 293", "k = 4", "value is 3"),
         notebook="03"),
    Case("K35", "top_n 6 for the clustering notebook, whose comparison across algorithms fits a mixture (gmm)",
         ("run",), _params(top_n=6, n_boot=1, ensemble_size=0),
         ("top_n", "03_capability_stages", "'gmm'", "no valid Gaussian mixture", "value is 6"), notebook="03"),
    Case("K36", "top_n 5 for the polarization notebook (its mixtures need 6 values)", ("run",), _params(top_n=5),
         ("top_n", "04_healthcare_polarization", "between 6 and 293", "value is 5"), notebook="04"),
    Case("K37", "top_n 3 for the correlation notebook (a correlation test needs 4 pairs)", ("run",), _params(top_n=3),
         ("top_n", "02_innovation_correlation", "between 4 and 293", "MIN_PAIRS", "value is 3")),
    # ---- optional files a notebook reads, read before a kernel starts (hole 7)
    Case("K38", "an ahp.json without 'parents' in the folder of the walkthrough (read whatever the weighting)", ("run",),
         _toy_with("ahp.json", '{"x": 1}'), (r"ahp\.json", "a key 'parents'", r"keys \['x'\]"), notebook="00"),
    Case("K39", "a covariates.csv with a word for a number (the polarization notebook reads it)", ("run",),
         _panel(lambda f: edit(f / "covariates.csv", "北京市,1408.5,", "北京市,many,")),
         (r"covariates\.csv", "line 2", "column 'population'", "numbers", "'many'"), notebook="04"),
    # ---- a parameter or an option given twice (hole 10; --only adds up, documented)
    Case("K40", "-p top_n given twice (the last silently won)", ("cli",), _twice("-p", "top_n", "2000", "-p", "top_n", "10"),
         (r"^error: -p top_n should be given once", "2000 and 10")),
    Case("K41", "--data given twice (the last folder silently won)", ("cli",), _twice("--data", "A", "--data", "B"),
         (r"^error: --data should be given once", "'A' and 'B'")),
    # ---- a parameter that another one switches off (hole 11), two that must differ (hole 15)
    Case("K42", "ensemble_size 10 for data that have no ensemble (a copy of the synthetic panel)", ("run",),
         _panel_params(ensemble_size=10, n_boot=40, top_n=20),
         ("ensemble_size", "02_innovation_correlation", "only the embedded synthetic panel has an ensemble",
          "value is 10")),
    Case("K43", "ensemble_seed with ensemble_size 0 (it seeds no ensemble)", ("run",),
         _params(ensemble_size=0, ensemble_seed=7),
         ("ensemble_seed", "02_innovation_correlation", "given only with an ensemble", "ensemble_size is 0",
          "value is 7")),
    Case("K44", "ensemble_sobol with ensemble_size 0 (no ensemble panel to audit)", ("run",),
         _params(ensemble_size=0, ensemble_sobol=64),
         ("ensemble_sobol", "09_robustness", "given only with an ensemble", "value is 64"), notebook="09"),
    Case("K45", "transfer_code equal to subject_code (two stand-ins needed)", ("run",),
         _params(transfer_code="tec_hightech"),
         ("transfer_code", "08_innovation_concentration", "other than subject_code", "'tec_hightech'"),
         notebook="08"),
]
