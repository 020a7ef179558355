"""CSV files as people really export them (issue 14, section 5): every reader of cityeval refuses a malformed
row naming its line, reports the physical line of the file (after blank lines and quoted multi-line cells),
names another separator and another encoding, and suggests the simplified form of a traditional city name.

Expected values: the line numbers are counted by hand in the text each test writes (a text editor's numbering,
header = line 1); the encodings are the ones each test encodes its text with; the issue gives the cases
(a row with a field missing, a trailing comma, ``;``/tab separators, UTF-16 and Latin-1 files, 廣州市).
"""
from __future__ import annotations

import codecs
import shutil

import pandas as pd
import pytest

from cityeval import paths
from cityeval.ccid2022 import published, reference
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.errors import DataError
from cityeval.files import line_of, read_csv_checked

TOY = paths.DATA / "examples" / "toy"
TOY_VALUES = (TOY / "values.csv").read_text(encoding="utf-8")
TOY_INDICATORS = (TOY / "indicators.csv").read_text(encoding="utf-8")


def _write(tmp_path, text, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def _toy(tmp_path, values=None, indicators=None):
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    if values is not None:
        (folder / "values.csv").write_bytes(values if isinstance(values, bytes) else values.encode("utf-8"))
    if indicators is not None:
        (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
    return folder


def _lines(text):
    return text.splitlines(keepends=True)


def lines_of(frame):
    from cityeval.files import lines_of as lines   # new in issue 14: imported here, so the other tests run on old code

    return lines(frame)


# ---------------------------------------------------------------------------------------- malformed rows
@pytest.mark.parametrize("row, found", [("3,4", "found 2: a field is missing"),
                                        ("3", "found 1: fields are missing"),
                                        ("3,4,5,6", "found 4: a comma inside a cell must be quoted"),
                                        ("3,4,5,", "found 4: empty fields at the end: a trailing comma")])
def test_a_row_with_too_few_or_too_many_fields_is_an_error_naming_its_line(tmp_path, row, found):
    p = _write(tmp_path, f"a,b,c\n1,2,3\n{row}\n7,8,9\n")
    with pytest.raises(DataError, match=rf"t\.csv, line 3: a row must have as many fields as the header "
                                        rf"\(expected 3 fields, {found}"):
        read_csv_checked(p, columns=["a", "b", "c"])


def test_values_csv_row_with_a_missing_field_is_not_imputed(tmp_path):
    # the issue: a short row was read as missing values and imputed (rc 0). Line 4 = Cedarport's row.
    lines = _lines(TOY_VALUES)
    lines[3] = lines[3].rstrip("\n").rsplit(",", 1)[0] + "\n"          # drop the last field (permit_days)
    folder = _toy(tmp_path, "".join(lines))
    with pytest.raises(DataError, match=r"values\.csv, line 4: a row must have as many fields as the header "
                                        r"\(expected 9 fields, found 8"):
        load_dataset(folder)


def test_trailing_comma_on_every_line_is_refused(tmp_path):
    text = "".join(line.rstrip("\n") + ",\n" for line in _lines(TOY_VALUES))
    with pytest.raises(DataError, match=r"values\.csv, line 1: the header ends with an empty column name: a "
                                        r"trailing comma.*column 10 has no name"):
        load_dataset(_toy(tmp_path, text))


def test_an_empty_column_name_inside_the_header_is_refused(tmp_path):
    p = _write(tmp_path, "a,,c\n1,2,3\n")
    with pytest.raises(DataError, match=r"line 1: empty column name in the header.*column\(s\) 2 of 3"):
        read_csv_checked(p, required=["a"], allow_extra=True)


def test_a_quoted_cell_never_closed_names_the_line_of_its_opening_quote(tmp_path):
    p = _write(tmp_path, 'a,b\n1,2\n3,"four\n5,6\n')
    with pytest.raises(DataError, match=r"line 3: a quoted cell is never closed"):
        read_csv_checked(p, columns=["a", "b"])
    p = _write(tmp_path, 'a,b\n1,"2"x\n')
    with pytest.raises(DataError, match=r"line 2: not a well-formed CSV line"):
        read_csv_checked(p, columns=["a", "b"])


def test_a_blank_first_line_and_excels_sep_line_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"line 1: the first line is blank"):
        read_csv_checked(_write(tmp_path, "\na,b\n1,2\n"), columns=["a", "b"])
    with pytest.raises(DataError, match=r"line 1: the first line is Excel's separator line \(sep=\.\.\.\)"):
        read_csv_checked(_write(tmp_path, "sep=,\na,b\n1,2\n"), columns=["a", "b"])


# ---------------------------------------------------------------------------------------- physical line numbers
def test_lines_count_blank_lines_and_multi_line_cells(tmp_path):
    # lines: 1 header, 2 row, 3 blank, 4-5 a quoted two-line cell, 6 blank, 7 row, 8 a row of blanks only
    p = _write(tmp_path, 'a,b\n1,2\n\n3,"x\ny"\n\n5,6\n  \n')
    frame = read_csv_checked(p, columns=["a", "b"])
    assert lines_of(frame) == [2, 4, 7]
    assert frame["b"].tolist() == ["2", "x\ny", "6"]
    assert [line_of(i, frame) for i in range(3)] == [2, 4, 7]
    assert line_of(1) == 3                              # a frame without lines: position + 2, as before


def test_crlf_line_endings_count_once(tmp_path):
    p = _write(tmp_path, 'a,b\r\n1,2\r\n"p\r\nq",3\r\n\r\nx,\r\n')
    frame = read_csv_checked(p, columns=["a", "b"])
    assert lines_of(frame) == [2, 3, 6]


def test_lines_are_dropped_when_the_rows_change(tmp_path):
    frame = read_csv_checked(_write(tmp_path, "a,b\n\n1,2\n3,4\n"), columns=["a", "b"])
    assert lines_of(frame) == [3, 4] and lines_of(frame.copy()) == [3, 4]
    assert lines_of(frame.iloc[::-1]) == [2, 3]         # reordered: the file's lines no longer apply


def test_the_line_record_is_shared_by_copies_not_copied(tmp_path):
    # pandas deep-copies attrs into every frame and column derived from a frame: the record of 2,850 labels and
    # lines was copied hundreds of times in reading a county-sized folder (issue 16: a third of its time); it is
    # immutable, so a copy is the record itself, and it survives pickling (worker processes)
    import copy
    import pickle

    frame = read_csv_checked(_write(tmp_path, "a,b\n\n1,2\n3,4\n"), columns=["a", "b"])
    record = frame.attrs["csv_lines"]
    assert copy.deepcopy(frame).attrs["csv_lines"] is record and frame["a"].attrs["csv_lines"] is record
    assert lines_of(pickle.loads(pickle.dumps(frame))) == [3, 4]
    with pytest.raises(AttributeError):
        record.lines = (9, 9)


def _values_with_blank_line_before(line_no, old, new):
    """The toy values.csv with a blank line after line 2 and ``old`` replaced by ``new``: the cell that was on
    line ``line_no`` is now on line ``line_no + 1``."""
    lines = _lines(TOY_VALUES)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new)
    return "".join(lines[:2] + ["\n"] + lines[2:])


@pytest.mark.parametrize("line_no, old, new, message", [
    # the example, "line 7 reported as 6": the cell on line 6 of the toy file is on line 7 after a blank line
    (6, "Eastvale,East,610,", "Eastvale,East,many,", "column 'population_10k': values must be numbers"),
    (5, "Dunmore,West,290,180,", "Dunmore,West,290,fast,", "column 'broadband_speed': values must be numbers"),
    (7, "Fairbridge,", "Amberfield,", "column 'unit': duplicate unit id"),
    (8, "Glenwick,", ",", "column 'unit': unit id is blank"),
])
def test_values_csv_errors_name_the_physical_line(tmp_path, line_no, old, new, message):
    folder = _toy(tmp_path, _values_with_blank_line_before(line_no, old, new))
    with pytest.raises(DataError, match=rf"values\.csv, line {line_no + 1}, {message}"):
        load_dataset(folder)


def test_duplicate_unit_names_the_physical_line_of_both(tmp_path):
    lines = _lines(TOY_VALUES)
    lines[5] = lines[5].replace("Eastvale,", "Amberfield,")           # line 6 repeats line 2's unit
    assert lines[5].startswith("Amberfield,")
    text = lines[0] + '\n' + "".join(lines[1:])                       # a blank line 2: the rows move down one
    with pytest.raises(DataError, match=r"values\.csv, line 7, column 'unit': duplicate unit id.*already on line 3"):
        load_dataset(_toy(tmp_path, text))


def test_a_unit_with_no_values_after_a_multi_line_cell(tmp_path):
    # a quoted region spanning two lines on Amberfield's row (lines 2-3); Brookhaven's row (then line 4) empty
    lines = _lines(TOY_VALUES)
    lines[1] = lines[1].replace("Amberfield,East,", 'Amberfield,"East\ncoast",')
    cells = lines[2].rstrip("\n").split(",")
    lines[2] = ",".join(cells[:3] + [""] * (len(cells) - 3)) + "\n"
    with pytest.raises(DataError, match=r"values\.csv, line 4, column 'unit': unit has no values"):
        load_dataset(_toy(tmp_path, "".join(lines)))


def test_indicators_csv_errors_name_the_physical_line(tmp_path):
    # a multi-line English name on line 2-3 moves stations_5g (line 3 of the toy file) to line 4
    lines = _lines(TOY_INDICATORS)
    lines[1] = lines[1].replace("Average fixed broadband download speed", '"Average fixed\nbroadband speed"')
    lines[2] = lines[2].replace("stations_5g,1,infra,1,1,", "stations_5g,1,infra,1,heavy,")
    with pytest.raises(DataError, match=r"indicators\.csv, line 4, column 'weight': weight must be a number"):
        load_dataset(_toy(tmp_path, indicators="".join(lines)))


def test_a_denominator_error_names_the_physical_line_of_values_and_indicators(tmp_path):
    # population_10k of Amberfield (line 2) zero after a blank line 2: reported on line 3
    lines = _lines(TOY_VALUES)
    lines[1] = lines[1].replace("Amberfield,East,820,", "Amberfield,East,0,")
    with pytest.raises(DataError, match=r"values\.csv, line 3, column 'population_10k': a denominator"):
        load_dataset(_toy(tmp_path, lines[0] + "\n" + "".join(lines[1:])))


def test_in_memory_dataset_keeps_position_plus_two():
    ds = load_dataset(TOY)
    values = ds.values.reset_index()
    values.loc[2, "unit"] = ""
    with pytest.raises(DataError, match=r"^values\.csv, line 4, column 'unit': unit id is blank"):
        Dataset(values, ds.indicators)


@pytest.mark.parametrize("name, table, old, new, line, message", [
    ("overall_top100", "ranking", "10,苏州市", "10,苏州", 12, "unknown city"),
    ("overall_top100", "ranking", "10,苏州市", "x,苏州市", 12, "rank must be a whole number"),
    ("one_thing_cities", "one_thing", "浙江省,杭州市", "江苏省,杭州市", None, "province disagrees"),
    ("claims", "claims", ",yes\n", ",maybe\n", None, "recomputable must be yes or no"),
    ("framework", "framework", "基础网络,Basic networks,input", "基础网络,Basic networks,投入量", 4, "measure must be"),
])
def test_published_tables_name_the_physical_line(tmp_path, name, table, old, new, line, message):
    text = (paths.PUBLISHED / f"{name}.csv").read_text(encoding="utf-8")
    assert old in text
    at = text.index(old) + (1 if old.startswith(",") else 0)
    original_line = text[:at].count("\n") + 1
    text = text.replace(old, new, 1)
    first_break = text.index("\n")
    text = text[:first_break + 1] + "\n" + text[first_break + 1:]     # a blank line 2: every row moves down one
    expected = original_line + 1
    assert line is None or line == expected
    p = _write(tmp_path, text, name=f"{name}.csv")
    load = {"ranking": lambda: published.load_ranking(name, path=p),
            "one_thing": lambda: published.load_one_thing_cities(path=p),
            "claims": lambda: published.load_claims(path=p),
            "framework": lambda: published.load_framework(path=p)}[table]
    with pytest.raises(DataError, match=rf"line {expected}\b.*{message}"):
        load()


def test_reference_tables_name_the_physical_line(tmp_path):
    text = (paths.REFERENCE / "provinces.csv").read_text(encoding="utf-8")
    lines = _lines(text)
    lines[3] = lines[3].replace(",华北,", ",North,", 1)                 # line 4's region
    p = _write(tmp_path, lines[0] + "\n" + "".join(lines[1:]), name="provinces.csv")
    with pytest.raises(DataError, match=r"provinces\.csv, line 5, column 'region': value not allowed"):
        reference.load_provinces(p)


# ---------------------------------------------------------------------------------------- separators
@pytest.mark.parametrize("sep, name", [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")])
def test_another_separator_is_named(tmp_path, sep, name):
    text = TOY_VALUES.replace(",", sep)
    with pytest.raises(DataError, match=rf"values\.csv, line 1: the file seems to use {name}.* as the separator"):
        load_dataset(_toy(tmp_path, text))


def test_semicolons_with_decimal_commas_are_named_too(tmp_path):
    # a European export: ";" between fields, "," as the decimal mark (2,1 for 2.1)
    p = _write(tmp_path, "rank;city\n1;北京市\n")
    with pytest.raises(DataError, match=r"line 1: the file seems to use semicolons \(;\) as the separator"):
        published.load_ranking("healthcare_top20", path=p)
    text = "unit;region;a\nx;East;2,1\n"
    with pytest.raises(DataError, match="semicolons"):
        read_csv_checked(_write(tmp_path, text), required=["unit"], allow_extra=True)


def test_missing_columns_with_another_separator_in_a_header_of_several_columns(tmp_path):
    # "id,region;a;b;c": the comma gives 2 columns, the semicolon 4: the separator is named with the missing column
    p = _write(tmp_path, "id,region;a;b;c\n1,2;3;4;5\n")
    with pytest.raises(DataError, match=r"missing required column\(s\) unit; the file seems to use semicolons"):
        read_csv_checked(p, required=["unit"], allow_extra=True)


# ---------------------------------------------------------------------------------------- encodings
SAMPLE = TOY_VALUES.replace("Amberfield", "São Paulo").replace("Brookhaven", "Zürich")


@pytest.mark.parametrize("data, named", [
    (codecs.BOM_UTF16_LE + TOY_VALUES.encode("utf-16-le"), r"UTF-16 \(little-endian\) with a byte-order mark"),
    (codecs.BOM_UTF16_BE + TOY_VALUES.encode("utf-16-be"), r"UTF-16 \(big-endian\) with a byte-order mark"),
    (TOY_VALUES.encode("utf-16-le"), r"UTF-16 \(little-endian\) without a byte-order mark"),
    (TOY_VALUES.encode("utf-16-be"), r"UTF-16 \(big-endian\) without a byte-order mark"),
    (TOY_VALUES.replace("Amberfield", "广州市").encode("utf-16-le"), r"UTF-16 \(little-endian\) without"),
    (SAMPLE.encode("latin-1"), r"line 2: file is not valid UTF-8; it decodes as Latin-1 \(Windows-1252\)"),
    (SAMPLE.replace("Cedarport", "Cedarport €").encode("cp1252"), r"it decodes as Latin-1 \(Windows-1252\)"),
    (TOY_VALUES.replace("Amberfield", "Île-de-France").encode("latin-1"), r"it decodes as Latin-1"),
    (TOY_VALUES.replace("Cedarport", "苏州市").encode("gbk"), r"line 4: file is not valid UTF-8; it decodes as GBK"),
    (TOY_VALUES.replace("Cedarport", "苏州市").encode("gb18030"), r"it decodes as GBK \(GB18030\)"),
    (TOY_VALUES.replace("Cedarport", "廣州市").encode("big5"), r"line 4: file is not valid UTF-8; it decodes as Big5"),
])
def test_another_encoding_is_detected_and_named(tmp_path, data, named):
    with pytest.raises(DataError, match=rf"values\.csv.*{named}"):
        load_dataset(_toy(tmp_path, data))


def test_a_utf8_file_with_a_few_bad_bytes_is_not_called_another_encoding(tmp_path):
    # a UTF-8 ranking (100 Chinese names) with one city pasted in GBK on line 12: the message must not say "GBK"
    text = (paths.PUBLISHED / "overall_top100.csv").read_text(encoding="utf-8")
    data = text.encode("utf-8").replace("11,".encode() + text.split("\n")[11].split(",")[1].encode("utf-8"),
                                        "11,".encode() + "苏州".encode("gbk"))
    with pytest.raises(DataError, match=r"line 12: file is not valid UTF-8: it is mostly UTF-8, with invalid bytes"):
        published.load_ranking("overall_top100", path=_write(tmp_path, data))


def test_published_tables_in_big5_and_gbk_are_named(tmp_path):
    import zhconv

    text = (paths.PUBLISHED / "overall_top100.csv").read_text(encoding="utf-8")
    with pytest.raises(DataError, match=r"line 2: file is not valid UTF-8; it decodes as Big5"):
        published.load_ranking("overall_top100", path=_write(tmp_path, zhconv.convert(text, "zh-tw"),
                                                             encoding="big5"))
    with pytest.raises(DataError, match=r"line 2: file is not valid UTF-8; it decodes as GBK"):
        published.load_ranking("overall_top100", path=_write(tmp_path, text, encoding="gbk"))


def test_the_utf8_bom_message_is_kept_and_nul_bytes_are_refused(tmp_path):
    with pytest.raises(DataError, match="file starts with a UTF-8 byte-order mark"):
        read_csv_checked(_write(tmp_path, codecs.BOM_UTF8 + b"a,b\n1,2\n"), columns=["a", "b"])
    with pytest.raises(DataError, match=r"line 2: file contains NUL"):
        read_csv_checked(_write(tmp_path, b"a,b\n1,\x002\n"), columns=["a", "b"])


def test_valid_files_still_read_the_same(tmp_path):
    # quoted commas, doubled quotes, surrounding blanks and NA stay as before (cells as stripped strings)
    p = _write(tmp_path, 'a,b,c\n"1,5", "say ""hi""" ,NA\n,x,\n')
    frame = read_csv_checked(p, columns=["a", "b", "c"])
    assert frame.values.tolist() == [["1,5", '"say ""hi"""', "NA"], ["", "x", ""]]
    assert isinstance(frame.index, pd.RangeIndex)


# ---------------------------------------------------------------------------------------- city names
@pytest.mark.parametrize("typed, suggested", [("廣州市", "广州市"), ("廣州", "广州市"), ("蘇州市", "苏州市"),
                                               ("鄭州市", "郑州市"), ("東莞市", "东莞市"), ("重慶市", "重庆市")])
def test_traditional_city_names_get_the_simplified_suggestion(typed, suggested):
    # the issue: 廣州市 was answered with 郴州市; zhconv's zh-cn form is the report's spelling
    assert reference.suggest_city(typed) == suggested
    assert reference.simplified(typed) in (suggested, suggested[:-1])


def test_traditional_focus_city_is_answered_with_the_simplified_form():
    from cityeval.ccid2022.claims import focus_city, load_published_data
    from cityeval.errors import ParameterError

    with pytest.raises(ParameterError, match=r"did you mean '广州市'\?.*'廣州市'"):
        focus_city(load_published_data(), "廣州市")
