"""The pure readers: long and wide layouts, CSV variants, XLSX and ODS, catalogue, problems."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equisante.indicators.reading import (
    IndicatorInfo,
    _parse_number,
    default_multiplier,
    finalise_values,
    indicator_kind,
    read_catalogue,
    read_values,
)

from .helpers import write

LONG = (
    "indicator,level,code,period,sex,age_band,numerator,denominator,value,lower,upper,state\n"
    "part_65,commune,01001,2021,,,120,1000,12,,,\n"
    "part_65,commune,01001,2021,F,65+,70,500,,,,\n"
    "mortalite,departement,01,2019-2021,H,0-4,3,1500,200,60,580,unstable\n"
)


def codes(reading):
    return [p.code for p in reading.problems]


# --- Long layout, CSV variants ---------------------------------------------------------------------


def test_long_csv_comma_utf8(tmp_path):
    reading = read_values(write(tmp_path, "v.csv", LONG))
    assert reading.problems == [] and reading.layout == "long"
    first, second, third = reading.records
    assert (first.line, first.indicator, first.level, first.code, first.period) == (2, "part_65", "commune", "01001", "2021")
    assert (first.numerator, first.denominator, first.value, first.state) == (120.0, 1000.0, 12.0, None)
    assert (second.sex, second.age_band, second.value) == ("F", "65+", None)
    assert (third.period, third.sex, third.age_band, third.state) == ("2019-2021", "H", "0-4", "unstable")
    assert (third.lower, third.upper) == (60.0, 580.0)


def test_semicolon_decimal_comma_latin1_and_french_headings(tmp_path):
    text = (
        "Indicateur;Niveau;Code;Période;Sexe;Classe d'âge;Numérateur;Dénominateur;Valeur;État;Nom\n"
        "part_65;Département;01;2021;Femmes;0 à 4 ans;1 234,5;10 000;12,345;disponible;Saint-Étienne\n"
        "part_65;Commune;01001;2021;ensemble;90 ans et plus;;;;secret;Ébreuil\n"
    )
    reading = read_values(write(tmp_path, "v.csv", text, "latin-1"))
    assert reading.problems == []
    first, second = reading.records
    assert (first.level, first.sex, first.age_band) == ("departement", "F", "0-4")
    assert (first.numerator, first.denominator, first.value, first.state) == (1234.5, 10000.0, 12.345, "ok")
    assert (second.sex, second.age_band, second.state, second.value) == ("", "90+", "suppressed", None)


def test_utf8_bom_and_tab_separator(tmp_path):
    text = "indicator\tlevel\tcode\tperiod\tvalue\r\npart_65\tcommune\t01001\t2021\t3.5\r\n"
    reading = read_values(write(tmp_path, "v.tsv", text, "utf-8-sig"))
    assert reading.problems == [] and reading.records[0].value == 3.5


def test_windows_1252_characters(tmp_path):
    text = "indicator;level;code;period;value;name\npart_65;commune;01001;2021;1;Cœur d’Œuvre\n"
    reading = read_values(write(tmp_path, "v.csv", text, "cp1252"))
    assert reading.problems == []


def test_quoted_field_spanning_lines_keeps_line_numbers(tmp_path):
    text = 'indicator,level,code,period,value,name\npart_65,commune,01001,2021,1,"deux\nlignes"\npart_65,commune,01002,2021,x,\n'
    reading = read_values(write(tmp_path, "v.csv", text))
    assert codes(reading) == ["indicator_value_not_numeric"]
    assert reading.problems[0].location.line == 4


def test_blank_lines_are_skipped_but_counted(tmp_path):
    text = "\nindicator,level,code,period,value\n\npart_65,commune,01001,2021,abc\n"
    reading = read_values(write(tmp_path, "v.csv", text))
    assert reading.problems[0].location.line == 4


def test_period_option_fills_the_period(tmp_path):
    text = "indicator,level,code,value\npart_65,commune,01001,5\n"
    reading = read_values(write(tmp_path, "v.csv", text), period="2020")
    assert reading.records[0].period == "2020"
    assert codes(read_values(write(tmp_path, "v.csv", text))) == ["indicator_columns_missing"]
    assert codes(read_values(write(tmp_path, "v.csv", text), period="20xx")) == ["indicator_period_invalid"]


def test_bytes_and_stream_sources():
    assert read_values(LONG.encode(), name="upload.csv").records[2].code == "01"
    reading = read_values(io.BytesIO(LONG.encode()), name="upload.csv")
    assert reading.source == "upload.csv" and len(reading.records) == 3


# --- Wide layout ------------------------------------------------------------------------------------


def test_wide_values_and_count_pairs(tmp_path):
    text = (
        "level,code,name,part_65,mortalite__numerator,mortalite__denominator,mortalite__state\n"
        "commune,01001,A,12.5,3,1500,\n"
        "commune,01002,B,,,,suppressed\n"
    )
    reading = read_values(write(tmp_path, "w.csv", text), period="2021")
    assert reading.problems == [] and reading.layout == "wide"
    got = {(r.indicator, r.code): r for r in reading.records}
    assert set(got) == {("part_65", "01001"), ("mortalite", "01001"), ("mortalite", "01002")}
    assert got["part_65", "01001"].value == 12.5
    assert (got["mortalite", "01001"].numerator, got["mortalite", "01001"].denominator) == (3.0, 1500.0)
    assert got["mortalite", "01002"].state == "suppressed"
    assert all(r.period == "2021" for r in reading.records)


def test_wide_with_period_column_and_explicit_layout(tmp_path):
    text = "level;code;period;part_65__value;part_65__lower;part_65__upper\ncommune;01001;2020;10;8;12\n"
    reading = read_values(write(tmp_path, "w.csv", text), layout="wide")
    record = reading.records[0]
    assert (record.period, record.value, record.lower, record.upper) == ("2020", 10.0, 8.0, 12.0)


def test_wide_unknown_part_and_missing_columns(tmp_path):
    text = "level,code,period,part_65__median\ncommune,01001,2020,1\n"
    reading = read_values(write(tmp_path, "w.csv", text))
    assert "indicator_wide_column_invalid" in codes(reading)
    reading = read_values(write(tmp_path, "w.csv", "level,code,period\ncommune,01001,2020\n"))
    assert codes(reading) == ["indicator_columns_missing"]


def test_wide_problem_names_the_indicator_column(tmp_path):
    text = "level,code,period,part_65,mortalite__numerator\ncommune,01001,2020,1,-3\n"
    problem = read_values(write(tmp_path, "w.csv", text)).problems[0]
    assert problem.code == "indicator_count_negative" and problem.location.column == "mortalite__numerator"


# --- Workbooks --------------------------------------------------------------------------------------


def test_xlsx_long_with_row_numbers(tmp_path):
    frame = pd.read_csv(io.StringIO(LONG), dtype=str, keep_default_na=False)
    frame.loc[2, "value"] = "deux cents"
    path = tmp_path / "v.xlsx"
    frame.to_excel(path, index=False, sheet_name="valeurs")
    reading = read_values(path)
    assert codes(reading) == ["indicator_value_not_numeric"]
    problem = reading.problems[0]
    assert problem.location.line == 4 and problem.location.column == "value"
    assert "feuille « valeurs »" in str(problem) and "deux cents" in str(problem)


def test_xlsx_numeric_cells(tmp_path):
    frame = pd.DataFrame({
        "indicator": ["part_65"], "level": ["commune"], "code": ["01001"], "period": [2021],
        "numerator": [12], "denominator": [100.0], "value": [12.0],
    })
    path = tmp_path / "v.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        frame.to_excel(writer, sheet_name="Données", index=False, startrow=2)  # a title gap above
    reading = read_values(path, sheet="données")
    assert reading.problems == []
    record = reading.records[0]
    assert (record.line, record.period, record.numerator, record.code) == (4, "2021", 12.0, "01001")
    assert read_values(path, sheet="2").records[0].value == 12.0
    missing = read_values(path, sheet="absente")
    assert codes(missing) == ["indicator_sheet_not_found"] and "« notes »" in str(missing.problems[0])


def test_ods_wide(tmp_path):
    frame = pd.DataFrame({
        "level": ["commune", "commune"], "code": ["01001", "01002"], "period": ["2021", "2021"],
        "part_65": [12.5, None], "mortalite__numerator": [3, 4], "mortalite__denominator": [1500, 2000],
    })
    path = tmp_path / "w.ods"
    frame.to_excel(path, index=False, engine="odf")
    reading = read_values(path)
    assert reading.problems == [] and reading.layout == "wide"
    assert len(reading.records) == 3
    assert {r.line for r in reading.records} == {2, 3}


def test_unreadable_workbook_and_unknown_formats(tmp_path):
    assert codes(read_values(write(tmp_path, "v.xlsx", "pas un classeur"))) == ["indicator_spreadsheet_unreadable"]
    broken = tmp_path / "zip.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert codes(read_values(broken)) == ["indicator_spreadsheet_unreadable"]
    old = tmp_path / "v.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50)
    assert codes(read_values(old)) == ["format_unknown"]
    assert codes(read_values(tmp_path / "absent.csv")) == ["file_not_found"]


# --- Problems ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "code", "column"),
    [
        ("part_65,commune,01001,2021,,,abc,100,,,,", "indicator_value_not_numeric", "numerator"),
        ("part_65,commune,01001,2021,,,-1,100,,,,", "indicator_count_negative", "numerator"),
        ("part_65,commune,01001,2021,,,5,0,,,,", "indicator_denominator_zero", "denominator"),
        ("part_65,commune,01001,2021,,,,,5,6,7,", "indicator_limits_inconsistent", "lower"),
        ("part_65,commune,01001,2021,,,,,5,,,perdu", "indicator_state_unknown", "state"),
        ("part_65,commune,01001,21,,,,,5,,,", "indicator_period_invalid", "period"),
        ("part_65,commune,01001,2021-2019,,,,,5,,,", "indicator_period_invalid", "period"),
        ("part_65,commune,01001,2021,X,,,,5,,,", "indicator_sex_unknown", "sex"),
        ("part_65,commune,01001,2021,,4-0,,,5,,,", "indicator_age_band_invalid", "age_band"),
        ("part_65,canton,01001,2021,,,,,5,,,", "indicator_level_unknown", "level"),
        ("part_65,commune,,2021,,,,,5,,,", "indicator_cell_required", "code"),
        (",commune,01001,2021,,,,,5,,,", "indicator_cell_required", "indicator"),
        ("part_65,commune,01001,2021,,,,,12,5,,,ok", "indicator_row_too_long", None),
    ],
)
def test_each_problem_says_where_and_why(tmp_path, line, code, column):
    header = LONG.splitlines()[0]
    reading = read_values(write(tmp_path, "v.csv", f"{header}\n{line}\n"))
    assert codes(reading) == [code]
    problem = reading.problems[0]
    assert problem.location.line == 2 and problem.location.column == column
    assert problem.location.source == "v.csv" and problem.message and "{" not in problem.message
    assert reading.records == []


def test_duplicate_rows_give_both_lines(tmp_path):
    text = LONG + "part_65,Commune,01001,2021,F,65 +,1,2,,,,\n"
    reading = read_values(write(tmp_path, "v.csv", text))
    assert codes(reading) == ["indicator_duplicate_row"]
    problem = reading.problems[0]
    assert problem.location.line == 5 and problem.params["first_line"] == 3


def test_missing_columns_lists_the_expected_ones(tmp_path):
    reading = read_values(write(tmp_path, "v.csv", "indicator,code\npart_65,01001\n"))
    assert codes(reading) == ["indicator_columns_missing"]
    message = reading.problems[0].message
    assert "level" in message and "period" in message and "value" in message and "« code »" in message


def test_misspelt_indicator_heading_is_reported_as_missing(tmp_path):
    reading = read_values(write(tmp_path, "v.csv", "indicatr,level,code,period,value\np,commune,1,2021,1\n"))
    assert reading.layout == "long" and codes(reading) == ["indicator_columns_missing"]
    assert reading.problems[0].params["missing"] == "indicator"


def test_duplicate_column(tmp_path):
    reading = read_values(write(tmp_path, "v.csv", "indicator,level,code,period,value,valeur\np,commune,1,2021,1,2\n"))
    assert codes(reading) == ["indicator_column_duplicate"]


@pytest.mark.parametrize("text", ["", "\n\n", "indicator,level,code,period,value\n", "  ;  \n"])
def test_empty_files(tmp_path, text):
    assert codes(read_values(write(tmp_path, "v.csv", text))) == ["indicator_file_empty"]


def test_binary_content_is_an_encoding_problem(tmp_path):
    path = tmp_path / "v.csv"
    path.write_bytes(b"indicator,level\x00,code\n")
    assert codes(read_values(path)) == ["encoding_invalid"]


def test_reading_stops_after_too_many_problems(tmp_path):
    rows = "".join(f"part_65,commune,{i},2021,,,,,x,,,\n" for i in range(1500))
    reading = read_values(write(tmp_path, "v.csv", LONG.splitlines()[0] + "\n" + rows))
    assert len(reading.problems) == 1001 and reading.problems[-1].code == "indicator_problems_truncated"


# --- Catalogue --------------------------------------------------------------------------------------


CATALOGUE = (
    "code;libellé;définition;source;unité;polarité;multiplicateur;thème;niveaux\n"
    "part_65;Part des 65 ans et plus;Population de 65 ans et plus / population;Insee RP;%;neutre;;Démographie;commune, département\n"
    "mortalite;Mortalité générale;Décès / population;Inserm-CépiDc;pour 100 000 habitants;défavorable;;Mortalité;departement\n"
    "esperance;Espérance de vie;;;années;favorable;1;;\n"
)


def test_catalogue_with_french_words(tmp_path):
    reading = read_catalogue(write(tmp_path, "c.csv", CATALOGUE))
    assert reading.problems == []
    part, mort, esp = reading.records
    assert (part.polarity, part.multiplier, part.levels, part.theme) == ("neutral", 100.0, "commune,departement", "Démographie")
    assert (mort.polarity, mort.multiplier) == ("adverse", 100000.0)
    assert (esp.polarity, esp.multiplier) == ("favourable", 1.0)
    assert "definition" in part.present and "numerator_label" not in part.present


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("mauvais code;x;;;;;;;", "indicator_code_invalid"),
        ("a__b;x;;;;;;;", "indicator_code_invalid"),
        ("level;x;;;;;;;", "indicator_code_invalid"),
        ("ok_code;;;;;;;;", "indicator_cell_required"),
        ("ok_code;x;;;;meilleur;;;", "indicator_polarity_unknown"),
        ("ok_code;x;;;;;-5;;", "indicator_multiplier_invalid"),
        ("ok_code;x;;;;;;;canton", "indicator_level_unknown"),
        ("part_65;x;;;;;;;", "indicator_catalogue_duplicate"),
    ],
)
def test_catalogue_problems(tmp_path, line, code):
    reading = read_catalogue(write(tmp_path, "c.csv", CATALOGUE + line + "\n"))
    assert codes(reading) == [code] and reading.problems[0].location.line == 5


def test_catalogue_requires_code_and_label(tmp_path):
    reading = read_catalogue(write(tmp_path, "c.csv", "code;unit\na;%\n"))
    assert codes(reading) == ["indicator_columns_missing"] and "label" in reading.problems[0].message


def test_catalogue_text_too_long(tmp_path):
    reading = read_catalogue(write(tmp_path, "c.csv", f"code,label,unit\na,b,{'x' * 65}\n"))
    assert codes(reading) == ["indicator_text_too_long"]


# --- Checks against the catalogue -------------------------------------------------------------------


INFOS = {
    "part_65": IndicatorInfo("part_65", "%", 100),
    "mortalite": IndicatorInfo("mortalite", "pour 100 000 habitants", 100_000),
}


def test_finalise_computes_values_and_states(tmp_path):
    text = (
        "indicator,level,code,period,numerator,denominator,value,state\n"
        "part_65,commune,01001,2021,25,200,,\n"
        "mortalite,commune,01001,2021,3,1500,,\n"
        "mortalite,commune,01002,2021,,,,\n"
        "mortalite,commune,69001,2021,2,10,,suppressed\n"
        "part_65,commune,01002,2021,0,0,,\n"
    )
    records = read_values(write(tmp_path, "v.csv", text)).records
    assert finalise_values(records, INFOS) == []
    part, mort, empty, secret, zero = records
    assert (part.value, part.state, part.computed) == (12.5, "ok", True)
    assert (mort.value, mort.state) == (pytest.approx(200.0), "ok")
    assert (empty.value, empty.state) == (None, "missing")
    assert (secret.value, secret.state) == (None, "suppressed")
    assert (zero.value, zero.state) == (None, "missing")


def test_finalise_refuses_what_the_catalogue_forbids(tmp_path):
    text = (
        "indicator,level,code,period,numerator,denominator,value,state\n"
        "part_65,commune,01001,2021,300,200,,\n"
        "mortalite,commune,01001,2021,300,200,,\n"
        "inconnu,commune,01001,2021,,,1,\n"
        "part_65,commune,01002,2021,,,140,\n"
        "part_65,commune,69001,2021,,,,ok\n"
    )
    records = read_values(write(tmp_path, "v.csv", text)).records
    problems = finalise_values(records, INFOS, source="v.csv")
    assert [(p.code, p.location.line) for p in problems] == [
        ("indicator_numerator_above_denominator", 2),
        ("indicator_unknown", 4),
        ("indicator_value_out_of_range", 5),
        ("indicator_value_required", 6),
    ]
    assert "part_65" in problems[0].message and "%" in problems[0].message


# --- Units and numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "kind", "multiplier"),
    [
        ("%", "proportion", 100),
        ("pourcentage", "proportion", 100),
        ("% de la population", "proportion", 100),
        ("proportion", "proportion", 1),
        ("pour 100 000 habitants", "rate", 100_000),
        ("p. 1 000 naissances", "rate", 1000),
        ("‰", "rate", 1000),
        ("taux pour mille", "rate", 1000),
        ("/10 000", "rate", 10_000),
        ("nombre", "count", 1),
        ("Décès", "count", 1),
        ("années", "other", 1),
        ("euros", "other", 1),
        ("", "other", 1),
    ],
)
def test_units(unit, kind, multiplier):
    assert indicator_kind(unit) == kind
    assert default_multiplier(unit) == multiplier


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,5", 12.5), ("12.5", 12.5), ("1 234,5", 1234.5), ("1\u202f234", 1234.0), ("-3", -3.0), ("1e3", 1000.0),
     ("\u22122", None), ("1.234,5", None), ("1,2,3", None), ("abc", None), ("nan", None), ("inf", None), ("12 %", None)],
)
def test_numbers(text, expected):
    number, valid = _parse_number(text)
    if expected is None and text != "\u22122":
        assert not valid
    elif text == "\u22122":
        assert (number, valid) == (-2.0, True)
    else:
        assert valid and number == expected


@settings(deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_decimal_comma_round_trip(number):
    assert _parse_number(repr(number).replace(".", ","))[0] == number
    assert _parse_number(repr(number))[0] == number
