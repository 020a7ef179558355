"""CSV files as people really export them (C): malformed rows, physical line numbers, other separators and
encodings, traditional-Chinese city names, numpy values in messages (issue 14, section 5)."""
from __future__ import annotations

import codecs

from bad_inputs import Case, data_case, edit, param_case, table_case


def _rewrite(path, change, encoding="utf-8"):
    """Rewrite ``path`` (UTF-8 text) as ``change(text)``, encoded with ``encoding`` (bytes kept as they are)."""
    text = change(path.read_text(encoding="utf-8"))
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))


def _drop_last_field(line_no):
    def change(text):
        lines = text.splitlines(keepends=True)
        lines[line_no - 1] = lines[line_no - 1].rstrip("\n").rsplit(",", 1)[0] + "\n"
        return "".join(lines)
    return change


def _blank_line_after_header(text):
    first = text.index("\n") + 1
    return text[:first] + "\n" + text[first:]


def _trailing_commas(text):
    return "".join(line.rstrip("\n") + ",\n" for line in text.splitlines(keepends=True))


def _multi_line_name(folder):
    # broadband_speed's English name (line 2) spans two lines, so stations_5g's row starts on line 4, not 3
    edit(folder / "indicators.csv", "Average fixed broadband download speed", '"Average fixed\nbroadband speed"')
    edit(folder / "indicators.csv", "stations_5g,1,infra,1,1,", "stations_5g,1,infra,1,heavy,")


def _coinr(tmp_path, *, idata_row=None):
    """A tiny COINr iData/iMeta pair (two indicators, one aggregate, a Time panel of 2018 and 2019)."""
    imeta = tmp_path / "iMeta.csv"
    imeta.write_text("Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
                     "1,x1,X one,1,1,,,,Index,Indicator\n1,x2,X two,-1,1,,,,Index,Indicator\n"
                     "2,Index,The index,1,1,,,,,Aggregate\n", encoding="utf-8")
    idata = tmp_path / "iData.csv"
    rows = ["uCode,uName,Time,x1,x2", "AA,A,2018,1,5", "BB,B,2018,2,4", "CC,C,2018,3,6",
            "AA,A,2019,2,5", "BB,B,2019,3,3", "CC,C,2019,1,2"]
    if idata_row is not None:
        rows[idata_row[0] - 1] = idata_row[1]
    idata.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return idata, imeta


def _coinr_time(tmp_path):
    from cityeval.composite.coinr import read_coinr

    idata, imeta = _coinr(tmp_path)
    return {"argv": ["convert-coinr", idata, imeta, tmp_path / "converted", "--time", "2017"],
            "call": lambda: read_coinr(idata, imeta, time=2017)}


def _coinr_short_row(tmp_path):
    idata, imeta = _coinr(tmp_path, idata_row=(5, "BB,B,2019,3"))
    return {"argv": ["convert-coinr", idata, imeta, tmp_path / "converted", "--time", "2019"]}


def _numpy_integer_check(tmp_path):
    import numpy as np
    from cityeval.validation import check_integer

    return {"call": lambda: check_integer("n_boot", np.float64(2018.0), low=1)}


def _published_big5(tmp_path):
    import zhconv

    made = table_case("overall_top100", lambda p: None)(tmp_path)
    p = made["table"]
    p.write_bytes(zhconv.convert(p.read_text(encoding="utf-8"), "zh-tw").encode("big5"))
    return made


CASES = [
    # ---- malformed rows
    Case("C01", "values.csv row with a field missing (was read as a missing value and imputed)", ("score", "run"),
         data_case(lambda f: _rewrite(f / "values.csv", _drop_last_field(4))),
         (r"values\.csv", "line 4", "as many fields as the header", "expected 9 fields, found 8")),
    Case("C02", "values.csv row with one field too many (an unquoted comma)", ("score",),
         data_case(lambda f: edit(f / "values.csv", "Dunmore,West,", "Dunmore,West,North,")),
         (r"values\.csv", "line 5", "expected 9 fields, found 10", "quoted")),
    Case("C03", "trailing comma on every line of values.csv (an unnamed group column)", ("score", "run"),
         data_case(lambda f: _rewrite(f / "values.csv", _trailing_commas)),
         (r"values\.csv", "line 1", "empty column name", "trailing comma")),
    Case("C04", "a header column without a name inside indicators.csv", ("score",),
         data_case(lambda f: edit(f / "indicators.csv", "name_zh,name_en", "name_zh,")),
         (r"indicators\.csv", "line 1", "empty column name")),
    Case("C05", "a quoted cell never closed", ("score",),
         data_case(lambda f: edit(f / "values.csv", "Eastvale,East,", 'Eastvale,"East,')),
         (r"values\.csv", "line 6", "never closed")),
    Case("C06", "Excel's sep= line above the header", ("score",),
         data_case(lambda f: _rewrite(f / "values.csv", lambda t: "sep=,\n" + t)),
         (r"values\.csv", "line 1", "sep=")),
    # ---- physical line numbers
    Case("C07", "a bad value after a blank line (line 7 was reported as 6)", ("score", "run"),
         data_case(lambda f: (edit(f / "values.csv", "Eastvale,East,610,", "Eastvale,East,many,"),
                              _rewrite(f / "values.csv", _blank_line_after_header))),
         (r"values\.csv", "line 7", "population_10k", "many")),
    Case("C08", "a bad weight after a quoted two-line name in indicators.csv", ("score",),
         data_case(_multi_line_name), (r"indicators\.csv", "line 4", "weight", "heavy")),
    Case("C09", "a published ranking with a blank line, then a bad rank", ("validate",),
         table_case("healthcare_top20", lambda p: (edit(p, "\n7,", "\nseven,"), _rewrite(p, _blank_line_after_header))),
         (r"healthcare_top20\.csv", "line 9", "rank must be a whole number", "seven")),
    Case("C10", "a COINr iData row with a field missing", ("cli",), _coinr_short_row,
         (r"iData\.csv", "line 5", "expected 5 fields, found 4")),
    # ---- other separators
    Case("C11", "values.csv separated by semicolons", ("score", "run"),
         data_case(lambda f: _rewrite(f / "values.csv", lambda t: t.replace(",", ";"))),
         (r"values\.csv", "line 1", "semicolons", "separator")),
    Case("C12", "indicators.csv separated by tabs", ("score",),
         data_case(lambda f: _rewrite(f / "indicators.csv", lambda t: t.replace(",", "\t"))),
         (r"indicators\.csv", "line 1", "tabs", "separator")),
    # ---- other encodings
    Case("C13", "values.csv saved as UTF-16 with a byte-order mark (Excel's Unicode text)", ("score", "run"),
         data_case(lambda f: _rewrite(f / "values.csv", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"))),
         (r"values\.csv", r"UTF-16 \(little-endian\) with a byte-order mark", "re-save it as UTF-8")),
    Case("C14", "values.csv saved as UTF-16 without a byte-order mark", ("score",),
         data_case(lambda f: _rewrite(f / "values.csv", lambda t: t, encoding="utf-16-be")),
         (r"values\.csv", r"UTF-16 \(big-endian\) without a byte-order mark")),
    Case("C15", "values.csv saved as Latin-1 (São Paulo)", ("score", "run"),
         data_case(lambda f: _rewrite(f / "values.csv", lambda t: t.replace("Amberfield", "São Paulo"),
                                      encoding="latin-1")),
         (r"values\.csv", "line 2", "not valid UTF-8", r"Latin-1 \(Windows-1252\)")),
    Case("C16", "a published ranking saved as Big5 (traditional characters)", ("validate",), _published_big5,
         (r"overall_top100\.csv", "line 2", "not valid UTF-8", "Big5")),
    # ---- traditional-Chinese city names
    Case("C17", "a traditional-Chinese city name in a ranking (廣州市 for 广州市)", ("validate", "run"),
         table_case("healthcare_top20", lambda p: edit(p, "\n3,广州市", "\n3,廣州市")),
         (r"healthcare_top20\.csv", "line 4", "unknown city", "廣州市", "did you mean '广州市'"), notebook="01"),
    Case("C18", "a traditional-Chinese focus_city (廣州市)", ("run", "papermill"),
         param_case("01", "focus_city", "廣州市"), ("focus_city", "廣州市", "广州市"), notebook="01"),
    # ---- numpy values in messages
    Case("C19", "COINr Time that is not in the panel (the Time values were shown as np.float64(2018.0))",
         ("cli", "api"), _coinr_time, (r"time", "2017", r"\[2018\.0, 2019\.0\]", r"^(?!.*np\.)")),
    Case("C20", "a numpy float where a whole number is needed (np.float64(2018.0))", ("api",),
         _numpy_integer_check, ("n_boot", r"whole number", r"its value is 2018\.0\.", r"^(?!.*np\.)")),
    # ---- blank cells in required columns: said to be blank, never "nan"
    Case("C21", "a blank direction cell in indicators.csv (was: found nan)", ("score", "run"),
         data_case(lambda f: edit(f / "indicators.csv", "outage_hours,1,infra,-1,", "outage_hours,1,infra,,")),
         (r"indicators\.csv", "line 4", "column 'direction'", "direction is blank", "1 or -1", r"^(?!.*nan)")),
    Case("C22", "a blank level cell in indicators.csv", ("score",),
         data_case(lambda f: edit(f / "indicators.csv", "stations_5g,1,", "stations_5g,,")),
         (r"indicators\.csv", "line 3", "column 'level'", "level is blank", "whole number", r"^(?!.*nan)")),
    Case("C23", "a blank weight cell in indicators.csv", ("score",),
         data_case(lambda f: edit(f / "indicators.csv", "permit_days,1,economy,-1,1,", "permit_days,1,economy,-1,,")),
         (r"indicators\.csv", "line 7", "column 'weight'", "weight is blank", r"^(?!.*nan)")),
    Case("C24", "a blank measure cell of a level-1 indicator", ("score",),
         data_case(lambda f: edit(f / "indicators.csv", "ecommerce_sales,1,economy,1,1,outcome,",
                                  "ecommerce_sales,1,economy,1,1,,")),
         (r"indicators\.csv", "line 6", "column 'measure'", "measure is blank", "input or outcome", r"^(?!.*'')")),
]
