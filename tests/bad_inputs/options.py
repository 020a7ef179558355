"""Options that do nothing (M): issue 14 section 3 (bullets 1-6) and section 4's integers too large for a float.

Each is an option or a key that today is silently ignored, silently overridden or a traceback: an override for a
parent or level the tree does not have, a ``weight`` column or an aggregate's ``direction`` that no method uses, a
denominate ``scale`` that divides nothing, a key given twice (the last silently won), a number a float cannot hold,
and folders that ``validate`` passed while ``score`` refused them (``validate`` now runs score's pipeline).
"""
from __future__ import annotations

import json

from bad_inputs import TOY, Case, edit, toy, write_method


def folder_case(change):
    """A toy folder changed by ``change(folder)``, for the score, validate and audit routes."""
    def make(tmp_path):
        folder = toy(tmp_path)
        change(folder)
        spec = tmp_path / "spec.json"
        spec.write_text(json.dumps({"n": 8, "seed": 1, "choices": {"weights": {"perturbation": {"1": 0.1}}}}))
        return {"data": folder, "table": folder, "spec": spec}
    return make


def spec_case(text):
    """The toy folder (its method.json removed: not synthetic, so no banner line) and an audit spec file
    holding ``text``."""
    def make(tmp_path):
        spec = tmp_path / "spec.json"
        spec.write_text(text, encoding="utf-8")
        folder = toy(tmp_path)
        (folder / "method.json").unlink()
        return {"data": folder, "spec": spec}
    return make


def raw_method(text):
    """Write ``text`` as method.json verbatim (JSON that json.dumps could not produce: repeated keys, big numbers)."""
    return lambda folder: (folder / "method.json").write_text(text, encoding="utf-8")


def _weights(folder, old, new):
    edit(folder / "indicators.csv", old, new)


def _api_with_method(record):
    def make(tmp_path):
        from cityeval.composite.dataset import load_dataset
        return {"call": lambda: load_dataset(TOY).with_method(record)}
    return make


def _api_resolve(record):
    def make(tmp_path):
        from cityeval.composite.method import resolve_method
        return {"call": lambda: resolve_method(record)}
    return make


def _spec_with_toy(text):
    """The toy folder (its own method.json) and an audit spec file holding ``text``."""
    def make(tmp_path):
        spec = tmp_path / "spec.json"
        spec.write_text(text, encoding="utf-8")
        return {"data": toy(tmp_path), "spec": spec}
    return make


def _validate_as(tmp_path):
    return {"argv": ["validate", str(toy(tmp_path)), "--as", "framework"]}


def _constant(folder):
    p = folder / "values.csv"
    rows = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join(",".join(r.split(",")[:3] + ["200"] + r.split(",")[4:]) if i else r
                           for i, r in enumerate(rows)) + "\n", encoding="utf-8")


def _api_run_equal(tmp_path):
    """The toy folder without method.json, stations_5g weighing 100; ``run`` with equal weights (which the
    pipeline used to accept, ignoring the 100, while ``with_method`` refused it)."""
    folder = toy(tmp_path)
    (folder / "method.json").unlink()
    _weights(folder, "stations_5g,1,infra,1,1,", "stations_5g,1,infra,1,100,")

    def call():
        from cityeval import run
        from cityeval.composite.dataset import load_dataset
        return run(load_dataset(folder), method={"weight": {"method": "equal"}})
    return {"call": call}


BIG = "1" + "0" * 400          # an integer literal no float can hold (1e400)

CASES = [
    # ---- overrides for a parent or level the tree does not have (bullet 1)
    Case("M01", "by_parent key in the wrong case (Infra for infra)", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"weight": {"by_parent": {"Infra": {"method": "entropy"}}}})),
         (r"method\.json", r"weight\.by_parent key", "did you mean 'infra'", "'Infra'")),
    Case("M02", "by_level key for a level the tree does not have", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"aggregate": {"by_level": {"4": {"method": "geometric"}}}})),
         (r"aggregate\.by_level key", r"one of \['2', '3'\]", "'4'")),
    Case("M03", "by_parent key with a blank (\"infra \")", ("score",),
         folder_case(lambda f: write_method(f, {"aggregate": {"by_parent": {"infra ": {"method": "geometric"}}}})),
         (r"aggregate\.by_parent key", "did you mean 'infra'", "'infra '")),
    Case("M04", "by_parent key naming an indicator, not a parent (Dataset.with_method)", ("api",),
         _api_with_method({"weight": {"by_parent": {"stations_5g": {"method": "equal"}}}}),
         (r"weight\.by_parent key", "parent code", "'stations_5g'")),
    # ---- the weight column and an aggregate's direction (bullet 2)
    Case("M05", "unequal weight column (100 vs 1) under explicit equal weights", ("score", "validate"),
         folder_case(lambda f: (_weights(f, "broadband_speed,1,infra,1,1,", "broadband_speed,1,infra,1,100,"),
                                write_method(f, {"weight": {"method": "equal"}}))),
         (r"indicators\.csv", "line 2", "column 'weight'", "'infra'", "'equal'", "'given'")),
    Case("M06", "unequal weight column under an AHP override of that parent", ("score",),
         folder_case(lambda f: (_weights(f, "permit_days,1,economy,-1,1,", "permit_days,1,economy,-1,3,"),
                                write_method(f, {"weight": {"by_parent": {"economy": {
                                    "method": "ahp", "matrix": [[1, 2, 2], [0.5, 1, 1], [0.5, 1, 1]]}}}}))),
         (r"indicators\.csv", "line 7", "'economy'", "'ahp'")),
    Case("M07", "direction -1 on an aggregate", ("score", "validate"),
         folder_case(lambda f: _weights(f, "economy,2,index,1,", "economy,2,index,-1,")),
         (r"indicators\.csv", "line 9", "column 'direction'", "aggregate", "'economy'")),
    # ---- denominate scale that divides nothing (bullet 3)
    Case("M08", "denominate scale of 0", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"denominate": {"scale": {"stations_5g": 0}}})),
         (r"scale\['stations_5g'\]", "non-zero", r"method\.json")),
    Case("M09", "denominate scale for an unknown code", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"denominate": {"scale": {"station_5g": 1000}}})),
         ("have a denominator", r"\(stations_5g\)", "station_5g")),
    Case("M10", "denominate scale for a code without a denominator, denomination off", ("score",),
         folder_case(lambda f: write_method(f, {"denominate": {"method": "none", "scale": {"broadband_speed": 10}}})),
         ("option 'scale' of denominate", "absent with method 'none'", "broadband_speed")),
    Case("M11", "denominate scale that is a number, not a mapping", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"denominate": {"scale": 5}})),
         (r"^error: scale", "mapping from indicator codes", "5")),
    # ---- keys given twice, or the same after parsing (bullet 4)
    Case("M12", "method.json gives a stage twice (the last silently won)", ("score", "validate"),
         folder_case(raw_method('{"weight": {"method": "entropy"},\n "normalize": {"high": 10},\n'
                                ' "weight": {"method": "critic"}}\n')),
         (r"method\.json", "line 3", "twice", "weight, first on line 1")),
    Case("M13", "method.json gives an option twice inside a stage", ("score",),
         folder_case(raw_method('{"normalize": {"low": 0,\n               "low": 10}}\n')),
         (r"method\.json", "line 2", "twice", r"normalize\.low")),
    Case("M14", "audit spec gives a choice twice", ("audit",),
         spec_case('{"n": 8, "seed": 1, "choices": {\n  "normalize": {"options": [{"method": "rank"}]},\n'
                   '  "normalize": {"options": [{"method": "zscore"}]}}}\n'),
         (r"spec\.json", "line 3", "twice", r"choices\.normalize")),
    Case("M15", "audit spec perturbs level \"1\" and \"01\" (one level)", ("audit",),
         spec_case('{"n": 8, "seed": 1, "choices": {"weights": {"perturbation": {"1": 0.1, "01": 0.3}}}}'),
         (r"spec\.json", r"perturbation key", "a level given once", "'01'")),
    # ---- numbers a float cannot hold (section 4)
    Case("M16", "a 401-digit integer in method.json", ("score", "validate"),
         folder_case(raw_method('{"normalize": {"method": "minmax",\n  "high": ' + BIG + '}}\n')),
         (r"method\.json", "line 2", "too large for a float", r"normalize\.high", "401 digits")),
    Case("M17", "NaN in method.json", ("score",),
         folder_case(raw_method('{"normalize": {"low": NaN}}')),
         (r"method\.json", "line 1", r"normalize\.low is NaN")),
    Case("M18", "an integer too large for a float in an AHP matrix (Python API)", ("api",),
         _api_resolve({"weight": {"by_parent": {"infra": {"method": "ahp",
                                                           "matrix": [[1, 10 ** 400, 1], [1, 1, 1], [1, 1, 1]]}}}}),
         (r"matrix\[0\]\[1\]", "fits a float", "401 digits")),
    # ---- validate runs exactly the checks score runs (bullet 6)
    Case("M19", "validate: a missing value with imputation none", ("validate", "score"),
         folder_case(lambda f: (edit(f / "values.csv", "Dunmore,West,290,180,", "Dunmore,West,290,,"),
                                write_method(f, {"impute": {"method": "none"}}))),
         ("Dunmore", "broadband_speed", "missing")),
    Case("M20", "validate: a constant indicator under min-max", ("validate", "score"),
         folder_case(lambda f: (_constant(f), write_method(f, {"normalize": {"method": "minmax"}}))),
         ("broadband_speed", "constant")),
    Case("M21", "validate: \"low\": \"0\" (a string) in method.json", ("validate", "score"),
         folder_case(lambda f: write_method(f, {"normalize": {"low": "0"}})),
         (r"^error: low", "finite number", "'0'")),
    # ---- issue 14, round 2: the weight column through every door, options and overrides that do nothing
    Case("M22", "weight 100 in indicators.csv, run(ds, method={'weight': {'method': 'equal'}}) (Python API)", ("api",),
         _api_run_equal,
         (r"indicators\.csv, line 3, column 'weight'", "differ", "stations_5g 100", "method 'equal'",
          "which ignores them")),
    Case("M23", "screen none with min_availability 0.99", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"screen": {"method": "none", "min_availability": 0.99}})),
         ("option 'min_availability' of screen", "absent with method 'none'", "would do nothing", "0.99")),
    Case("M24", "min_nonzero under screen availability", ("score",),
         folder_case(lambda f: write_method(f, {"screen": {"method": "availability", "min_nonzero": 0.5}})),
         ("option 'min_nonzero' of screen", "absent with method 'availability'", "'nonzero'")),
    Case("M25", "min_availability under screen nonzero", ("validate",),
         folder_case(lambda f: write_method(f, {"screen": {"method": "nonzero", "min_availability": 0.5}})),
         ("option 'min_availability' of screen", "absent with method 'nonzero'")),
    Case("M26", "winmax with treat none", ("score",),
         folder_case(lambda f: write_method(f, {"treat": {"method": "none", "winmax": 5}})),
         ("option 'winmax' of treat", "absent with method 'none'", "only 'jrc', 'winsorize' do")),
    Case("M27", "winmax with treat log", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"treat": {"method": "log", "winmax": 50}})),
         ("option 'winmax' of treat", "absent with method 'log'", "50")),
    Case("M28", "winmax with treat log in an audit spec option", ("audit",),
         spec_case('{"n": 8, "seed": 1, "choices": {"treat": {"options": [{"method": "log", "winmax": 50}]}}}'),
         (r"spec\.json", r"spec\.choices\.treat\.options\[0\]", "option 'winmax' of treat",
          "absent with method 'log'")),
    Case("M29", "a weight of 1e300 on the index (the root, which no parent weighs)", ("score", "validate"),
         folder_case(lambda f: _weights(f, "index,3,,1,1,", "index,3,,1,1e300,")),
         (r"indicators\.csv, line 10, column 'weight'", "top code", "must be 1", "'index'")),
    Case("M30", "a by_level override shadowed by by_parent overrides of every parent of the level", ("score",),
         folder_case(lambda f: write_method(f, {"aggregate": {
             "by_level": {"2": {"method": "geometric"}},
             "by_parent": {"infra": {"method": "harmonic"}, "economy": {"method": "arithmetic"}}}})),
         (r"aggregate\.by_level key", "every parent at level 2", "infra, economy", "apply to none", "'2'")),
    Case("M31", "an empty by_level override", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"aggregate": {"by_level": {"2": {}}}})),
         (r"aggregate\.by_level\['2'\]", "differs from the stage's own", "change nothing")),
    Case("M32", "an audit spec with no choice (nothing varies)", ("audit",),
         spec_case('{"n": 8, "seed": 1, "choices": {}}'),
         (r"spec\.json", r"spec\.choices", "at least one uncertain input", "nothing varies")),
    Case("M33", "an audit spec perturbing a level by 0", ("audit",),
         spec_case('{"n": 8, "seed": 1, "choices": {"weights": {"perturbation": {"2": 0}}}}'),
         (r"spec\.json", r"perturbation\['2'\]", r"\(0, 1\)", "0 perturbs nothing")),
    Case("M34", "treat winsorize with winmax 0 (winsorises nothing)", ("score",),
         folder_case(lambda f: write_method(f, {"treat": {"method": "winsorize", "winmax": 0}})),
         ("winmax", ">= 1 with method 'winsorize'", "use method 'none'")),
    Case("M35", "exclude with treat none (nothing is treated)", ("score",),
         folder_case(lambda f: write_method(f, {"treat": {"method": "none", "exclude": ["stations_5g"]}})),
         ("option 'exclude' of treat", "absent with method 'none'")),
    # ---- issue 14, round 3: options that do nothing or flip a direction, files validate did not read
    Case("M36", "denominate scale with method none (it would do nothing)", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"denominate": {"method": "none", "scale": {"stations_5g": 10}}})),
         (r"method\.json", "option 'scale' of denominate", "absent with method 'none'", "would do nothing")),
    Case("M37", "a negative denominate scale (it would flip the indicator's direction)", ("score", "validate"),
         folder_case(lambda f: write_method(f, {"denominate": {"method": "divide", "scale": {"stations_5g": -1}}})),
         (r"scale\['stations_5g'\]", "positive", "flip", r"method\.json", "-1")),
    Case("M38", "a negative denominator (population -450)", ("score", "validate"),
         folder_case(lambda f: edit(f / "values.csv", "Brookhaven,East,450,", "Brookhaven,East,-450,")),
         (r"values\.csv", "column 'population_10k'", "must be > 0", "'Brookhaven' has -450")),
    Case("M39", "validate: an ahp.json without 'parents' (notebook 00 reads it)", ("validate",),
         folder_case(lambda f: (f / "ahp.json").write_text('{"x": 1}', encoding="utf-8")),
         (r"ahp\.json", "a key 'parents'", r"keys \['x'\]")),
    Case("M40", "validate: a covariates.csv without a unit column (notebooks 04 and 06 read it)", ("validate",),
         folder_case(lambda f: (f / "covariates.csv").write_text("city,population\nAmberfield,820\n",
                                                                 encoding="utf-8")),
         (r"covariates\.csv", "unit")),
    Case("M41", "validate FOLDER --as framework (--as says which table a file is)", ("cli",), _validate_as,
         (r"^error: --as should be given only for a table file", "'framework'", "for the folder")),
    Case("M42", "an audit spec whose choice lists one option twice", ("audit",),
         spec_case('{"n": 10, "choices": {"aggregate": {"options": [{"method": "arithmetic"}, '
                   '{"method": "arithmetic"}]}}}'),
         (r"spec\.json", r"spec\.choices\.aggregate\.options\[1\]", r"different from spec\.choices\.aggregate\.options\[0\]")),
    Case("M43", "an audit spec whose weight pool cannot fit in memory (blames the pool, not n)", ("audit",),
         _spec_with_toy('{"n": 10, "choices": {"weights": {"pool": 1000000000000, "perturbation": {"1": 0.1}}}}'),
         (r"spec\.json", r"spec\.choices\.weights\.pool", "weight sets", "1000000000000",
          r"an estimated \d+(\.\d)? [GT]iB"), stable=False),
    Case("M44", "an audit spec naming a level the dataset lacks (the error names the spec file)", ("audit",),
         _spec_with_toy('{"n": 10, "choices": {"weights": {"perturbation": {"5": 0.1}}}}'),
         (r"spec\.json: not a valid uncertainty spec for this dataset", "perturbation key '5'", r"\['1', '2'\]")),
]
