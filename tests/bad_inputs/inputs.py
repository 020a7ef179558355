"""Dataset folders (D), published tables (T), notebook parameters (P): the catalogue's first cases; and command lines
argparse cannot read (A: a value of the wrong type, a missing argument, an unknown option or command), each one line
``error: <command> <option>: <what was expected> (found ...; see python -m cityeval <command> --help)`` (issue 14)."""
from __future__ import annotations

from bad_inputs import TOY, Case, data_case, edit, param_case, table_case, toy, write_method


def _missing_folder(tmp_path):
    return {"data": tmp_path / "no_such_folder"}


def _gbk(folder):
    p = folder / "values.csv"
    text = p.read_text(encoding="utf-8").replace("Amberfield", "苏州市")
    p.write_bytes(text.encode("gbk"))


def _bom(folder):
    p = folder / "values.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def _header_only(folder):
    p = folder / "values.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def _drop_column_weights(folder):
    # infra's three indicators declared as fractions of 1 but adding to 0.9
    p = folder / "indicators.csv"
    text = p.read_text(encoding="utf-8")
    text = text.replace("broadband_speed,1,infra,1,1,", "broadband_speed,1,infra,1,0.5,")
    text = text.replace("stations_5g,1,infra,1,1,", "stations_5g,1,infra,1,0.2,")
    text = text.replace("outage_hours,1,infra,-1,1,", "outage_hours,1,infra,-1,0.2,")
    text = text.replace("digital_gdp_share,1,economy,1,1,", "digital_gdp_share,1,economy,1,0.4,")
    text = text.replace("ecommerce_sales,1,economy,1,1,", "ecommerce_sales,1,economy,1,0.3,")
    text = text.replace("permit_days,1,economy,-1,1,", "permit_days,1,economy,-1,0.3,")
    text = text.replace("infra,2,index,1,1,", "infra,2,index,1,0.5,").replace("economy,2,index,1,1,", "economy,2,index,1,0.5,")
    p.write_text(text, encoding="utf-8")
    write_method(folder, {"weight": {"method": "given", "sum_to": 1}})


def _spec(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text('{"n": 10, "seed": 1}', encoding="utf-8")
    return spec


def _argv(*args):
    """A command line for the cli route; ``{tmp}`` in an argument is the case's folder."""
    def make(tmp_path):
        spec = _spec(tmp_path) if "{spec}" in args else None
        return {"argv": [str(a).format(tmp=tmp_path, spec=spec, toy=TOY) for a in args]}
    return make


def _help(command):
    return rf"\(found .*; see python -m cityeval {command + ' ' if command else ''}--help\)$"


CASES = [
    # ---- dataset folders: `score FOLDER` and `run --data FOLDER`
    Case("D01", "dataset folder missing", ("score", "run"), _missing_folder,
         ("no_such_folder", "dataset folder not found")),
    Case("D02", "values.csv missing", ("score", "run"), data_case(lambda f: (f / "values.csv").unlink()),
         (r"values\.csv", "file not found")),
    Case("D03", "indicators.csv missing", ("score", "run"), data_case(lambda f: (f / "indicators.csv").unlink()),
         (r"indicators\.csv", "file not found")),
    Case("D04", "values.csv encoded as GBK instead of UTF-8", ("score", "run"), data_case(_gbk),
         (r"values\.csv", "not valid UTF-8", "GBK")),
    Case("D05", "values.csv starts with a byte-order mark", ("score", "run"), data_case(_bom),
         (r"values\.csv", "byte-order mark")),
    Case("D06", "values.csv empty", ("score", "run"), data_case(lambda f: (f / "values.csv").write_text("")),
         (r"values\.csv", "empty")),
    Case("D07", "values.csv with a header only", ("score", "run"), data_case(_header_only),
         (r"values\.csv", "no data rows")),
    Case("D08", "duplicate city (unit id)", ("score", "run"),
         data_case(lambda f: edit(f / "values.csv", "Brookhaven,", "Amberfield,")),
         (r"values\.csv", "line 3", "unit", "Amberfield")),
    Case("D09", "non-numeric value", ("score", "run"),
         data_case(lambda f: edit(f / "values.csv", "Dunmore,West,290,180,", "Dunmore,West,290,fast,")),
         (r"values\.csv", "line 5", "broadband_speed", "fast")),
    Case("D10", "missing value with imputation off", ("score", "run"),
         data_case(lambda f: (edit(f / "values.csv", "Dunmore,West,290,180,", "Dunmore,West,290,,"),
                              write_method(f, {"impute": {"method": "none"}}))),
         ("Dunmore", "broadband_speed", "missing")),
    Case("D11", "negative value before a geometric mean", ("score", "run"),
         data_case(lambda f: write_method(f, {"normalize": {"method": "zscore"}, "aggregate": {"method": "geometric"}})),
         ("geometric", "method.json", r"positive|<= 0|> 0")),
    Case("D12", "constant indicator under entropy weights", ("score", "run"),
         data_case(lambda f: (f.joinpath("values.csv").write_text(
             "\n".join(",".join(r.split(",")[:3] + ["200"] + r.split(",")[4:]) if i else r
                       for i, r in enumerate(f.joinpath("values.csv").read_text().splitlines())) + "\n"),
             write_method(f, {"weight": {"method": "entropy"}}))),
         ("broadband_speed", "constant")),
    Case("D13", "weights that do not sum as declared", ("score", "run"), data_case(_drop_column_weights),
         ("broadband_speed, stations_5g, outage_hours", "adding up to 1", "0.9", "method.json")),
    Case("D14", "unknown indicator code (a column not in indicators.csv)", ("score", "run"),
         data_case(lambda f: f.joinpath("values.csv").write_text(
             "\n".join(r + (",speed2" if i == 0 else ",1") for i, r in
                       enumerate(f.joinpath("values.csv").read_text().splitlines())) + "\n")),
         (r"values\.csv", "speed2", "unknown")),
    Case("D15", "parent missing from the tree", ("score", "run"),
         data_case(lambda f: edit(f / "indicators.csv", "broadband_speed,1,infra,", "broadband_speed,1,infrastructure,")),
         (r"indicators\.csv", "line 2", "parent", "infrastructure")),
    Case("D16", "direction not +1 or -1", ("score", "run"),
         data_case(lambda f: edit(f / "indicators.csv", "outage_hours,1,infra,-1,", "outage_hours,1,infra,2,")),
         (r"indicators\.csv", "line 4", "direction")),
    Case("D17", "negative weight", ("score", "run"),
         data_case(lambda f: edit(f / "indicators.csv", "outage_hours,1,infra,-1,1,", "outage_hours,1,infra,-1,-1,")),
         (r"indicators\.csv", "line 4", "weight")),
    Case("D18", "duplicate indicator code", ("score", "run"),
         data_case(lambda f: edit(f / "indicators.csv", "stations_5g,1,infra,", "broadband_speed,1,infra,")),
         (r"indicators\.csv", "line 3", "code", "broadband_speed")),
    Case("D19", "AHP matrix that is not reciprocal", ("score", "run"),
         data_case(lambda f: write_method(f, {"weight": {"method": "equal", "by_parent": {"infra": {
             "method": "ahp", "matrix": [[1, 2, 3], [0.5, 1, 2], [1, 0.5, 1]]}}}})),
         ("reciprocal", "method.json")),
    Case("D20", "method name that does not exist", ("score", "run"),
         data_case(lambda f: write_method(f, {"normalize": {"method": "minmaxx"}})),
         (r"method\.json", "minmaxx", "minmax", "zscore")),
    Case("D21", "method.json that is not JSON", ("score", "run"),
         data_case(lambda f: (f / "method.json").write_text("{normalize: minmax}")),
         (r"method\.json", "not valid JSON")),
    Case("D22", "impute.group naming no group column of values.csv (regio for region): method.json not named",
         ("score", "run"),
         data_case(lambda f: write_method(f, {"impute": {"method": "group_mean", "group": "regio"}})),
         (r"impute\.group \(method of .*method\.json\)", r"group column of values\.csv \(region\)", "'regio'")),
    Case("D23", "distance_to_target in method.json with an indicator lacking its target", ("score", "run"),
         data_case(lambda f: (edit(f / "indicators.csv", "Network outage hours per user per year,,2",
                                   "Network outage hours per user per year,,"),
                              write_method(f, {"normalize": {"method": "distance_to_target"}}))),
         (r"normalize\.targets \(method of .*method\.json\)", "target", "outage_hours")),
    Case("D24", "measure that is no spelling of input or outcome (output; 投入 and 成效 are accepted)", ("score", "run"),
         data_case(lambda f: edit(f / "indicators.csv", "digital_gdp_share,1,economy,1,1,outcome,",
                                  "digital_gdp_share,1,economy,1,1,output,")),
         (r"indicators\.csv", "line 5", "column 'measure'", "input or outcome", "投入 or 成效", "found 'output'")),
    # ---- published tables: `validate FILE` and `run --only 01 -p published_dir FOLDER`
    Case("T01", "unknown city name in a ranking (苏州 for 苏州市)", ("validate", "run"),
         table_case("overall_top100", lambda p: edit(p, "10,苏州市", "10,苏州")),
         (r"overall_top100\.csv", "line 11", "unknown city", "苏州市"), notebook="01"),
    Case("T02", "unknown city name in English (Suzhou)", ("validate", "run"),
         table_case("healthcare_top20", lambda p: edit(p, "16,苏州市", "16,Suzhou")),
         (r"healthcare_top20\.csv", "line 17", "Suzhou", "苏州市"), notebook="01"),
    Case("T03", "duplicate city in a ranking", ("validate", "run"),
         table_case("governance_top50", lambda p: edit(p, "50,石家庄市", "50,上海市")),
         (r"governance_top50\.csv", "line 51", "duplicate", "上海市"), notebook="01"),
    Case("T04", "ranks with a gap", ("validate", "run"),
         table_case("healthcare_top20", lambda p: edit(p, "20,中山市", "21,中山市")),
         (r"healthcare_top20\.csv", "ranks must be exactly 1..20"), notebook="01"),
    Case("T05", "input/outcome tag not known", ("validate", "run"),
         table_case("framework", lambda p: edit(p, "基础网络,Basic networks,input", "基础网络,Basic networks,投入量")),
         (r"framework\.csv", "line 3", "measure", "input"), notebook="01"),
    # ---- notebook parameters: `run -p` and papermill
    Case("P01", "top_n larger than the data", ("run", "papermill"), param_case("02", "top_n", 500),
         ("top_n", "293", "500")),
    Case("P02", "unknown parameter name (with a suggestion)", ("run",), param_case("02", "topn", 50),
         ("topn", "did you mean 'top_n'")),
    Case("P03", "parameter of the wrong type", ("run", "papermill"), param_case("02", "top_n", "many"),
         ("top_n", "many")),
    Case("P04", "weighting method that does not exist (valid ones listed)", ("run", "papermill"),
         param_case("02", "weighting", "entropyy"), ("entropyy", "entropy", "critic")),
    Case("P05", "city not in the report (close match suggested)", ("run", "papermill"),
         param_case("01", "focus_city", "苏州"), ("focus_city", "苏州市"), notebook="01"),
    Case("P06", "city given in English (close match suggested)", ("run", "papermill"),
         param_case("01", "focus_city", "Suzhou"), ("focus_city", "Suzhou", "苏州市"), notebook="01"),
    Case("P07", "significance level outside (0, 1)", ("run", "papermill"), param_case("04", "alpha", 1.5),
         ("alpha", "1.5"), notebook="04"),
    Case("P08", "a count that must be positive", ("run",), param_case("02", "n_boot", 0),
         ("n_boot", "0")),
    # ---- command lines argparse cannot read: one line, not argparse's usage text (any command)
    Case("A01", "audit --seed 1.5 (a seed must be a whole number)", ("cli",),
         _argv("audit", "{toy}", "--spec", "{spec}", "--seed", "1.5"),
         (r"^error: audit --seed: expected a whole number \(found '1\.5'", _help("audit"))),
    Case("A02", "audit --n abc", ("cli",), _argv("audit", "{toy}", "--spec", "{spec}", "--n", "abc"),
         (r"^error: audit --n: expected a whole number \(found 'abc'", _help("audit"))),
    Case("A03", "score without its FOLDER", ("cli",), _argv("score", "--out", "{tmp}/scores.csv"),
         (r"^error: score FOLDER: required: the dataset folder \(found none", _help("score"))),
    Case("A04", "run -j 0 (notebooks run at once)", ("cli",), _argv("run", "--only", "02", "-j", "0"),
         (r"^error: run -j/--jobs: expected a whole number of notebooks run at once, at least 1 \(found '0'",
          _help("run"))),
    Case("A05", "synthesize --seed x", ("cli",), _argv("synthesize", "--seed", "x", "--out", "{tmp}/panel"),
         (r"^error: synthesize --seed: expected a whole number \(found 'x'", _help("synthesize"))),
    Case("A06", "an unknown option (score --outt, with the close one suggested)", ("cli",),
         _argv("score", "{toy}", "--outt", "{tmp}/scores.csv"),
         (r"^error: score --outt: unknown option: expected one of --help, --out \(found '--outt', did you mean --out\?",
          _help("score"))),
    Case("A07", "an unknown command (scroe for score)", ("cli",), _argv("scroe", "{toy}"),
         (r"^error: unknown command: expected one of run, score, .*list \(found 'scroe', did you mean 'score'\?",
          _help(""))),
]
