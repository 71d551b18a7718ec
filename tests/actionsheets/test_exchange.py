"""The action-sheet exchange format: round trips and every refusal (nothing returned on error)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from equisante.actionsheets import (
    ALL_COLUMNS, COLUMNS, ActionSheet, ActionSheetError, action_sheets_frame, read_action_sheets,
    write_action_sheets,
)
from equisante.errors import InputRejected

HEADER = ";".join(COLUMNS)


def _sheets() -> list[ActionSheet]:
    return [
        ActionSheet(
            "CLS-93-A", "FA-1.1", axis="Axe 1 — Accès aux droits", title="Permanence d'accès aux droits",
            description="Permanences CPAM au centre social,\nsur rendez-vous ; deux demi-journées",
            publics=["habitants du QPV", "familles monoparentales"], partners=["CPAM", "Centre social"],
            themes=["acces-aux-soins", "sante-femmes-enfants"], determinants=["D5.1.2", "D2.3.3"],
            strategies=["S4.1.1", "S5.1"], approach="universalisme-proportionne",
            partner_sectors=["protection-sociale", "social"], objectives="200 personnes accompagnées",
            quantified_targets=True, ists_contribution=True, resident_participation=False,
            evaluation_planned=True, funding_identified=None, status="en cours",
        ),
        ActionSheet("CLS-93-A", "FA-1.2", title="Ateliers nutrition", themes=["nutrition"],
                    determinants=["D4.1.5"], strategies=["S1.2"], approach="universalisme"),
        ActionSheet("CLS-92-B", "FA-1.1", title="Diagnostic habitat", determinants=["D2.2.4"]),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip(fmt, tmp_path):
    sheets = _sheets()
    path = tmp_path / f"fiches.{fmt}"
    data = write_action_sheets(sheets, path)
    assert path.read_bytes() == data
    assert read_action_sheets(path) == sheets
    assert read_action_sheets(data, format=fmt) == sheets


def test_round_trip_base_columns_only():
    sheets = [ActionSheet(s.contract, s.code, s.axis, s.title, s.description, s.publics, s.partners, s.themes,
                          s.determinants, s.strategies, s.approach) for s in _sheets()]
    data = write_action_sheets(sheets, format="csv", optional=False)
    from equisante.actionsheets.exchange import HEADERS

    assert data.decode("utf-8-sig").splitlines()[0] == ";".join(HEADERS[c] for c in COLUMNS)
    assert read_action_sheets(data) == sheets


def test_frame_cells():
    frame = action_sheets_frame(_sheets())
    assert list(frame.columns) == list(ALL_COLUMNS)
    first = frame.iloc[0]
    assert first["themes"] == "Accès aux soins; Santé des femmes et enfants"
    assert first["determinants"] == "D5.1.2; D2.3.3"
    assert first["approach"] == "universalisme-proportionne"
    assert first["quantified_targets"] == "oui"
    assert first["resident_participation"] == "non"
    assert first["funding_identified"] == ""
    assert frame.iloc[2]["approach"] == ""


def test_csv_semicolon_without_bom_labels_and_aliases():
    text = (HEADER + "\n"
            'C1;F1;Axe;Titre;;"enfants ; parents";;"Accès aux soins; SANTE MENTALE ";"d5.1; D4.1";s4.1;GD\n'
            "C1;F2;Axe;Titre 2;;;;sante-bucco-dentaire;;;Universalisme proportionné\n"
            "C1;F3;Axe;Titre 3;;;;Cancers;;;\n")
    sheets = read_action_sheets(text.encode("utf-8"))
    assert sheets[0].themes == ("acces-aux-soins", "sante-mentale")
    assert sheets[0].determinants == ("D5.1", "D4.1")
    assert sheets[0].strategies == ("S4.1",)
    assert sheets[0].publics == ("enfants", "parents")
    assert sheets[0].approach == "groupes-defavorises"
    assert sheets[1].themes == ("sante-bucco-dentaire",)
    assert sheets[1].approach == "universalisme-proportionne"
    assert sheets[2].themes == ("cancer",) and sheets[2].approach is None


def test_csv_with_bom_comma_and_french_headers():
    text = ("contrat,code,axe,titre,description,publics,partenaires,thématiques,déterminants,stratégies,approche\n"
            "C1,F1,,Titre,,,,Vaccination,D5,S4,U\n")
    sheets = read_action_sheets(text.encode("utf-8-sig"))
    assert sheets == [ActionSheet("C1", "F1", title="Titre", themes=("vaccin",), determinants=("D5",),
                                  strategies=("S4",), approach="universalisme")]


def test_known_contracts_accepts():
    data = write_action_sheets(_sheets())
    assert len(read_action_sheets(data, known_contracts={"CLS-93-A", "CLS-92-B"})) == 3


def _rejected(data, **options) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        read_action_sheets(data, **options)
    return caught.value


def _codes(exc: InputRejected) -> list[tuple[str, int | None, str | None]]:
    """(code, line, column key) of each problem; messages name the columns by their French header."""
    from equisante.actionsheets.exchange import HEADERS

    keys = {header: key for key, header in HEADERS.items()}
    return [(p.code, p.location.line, keys.get(p.location.column, p.location.column)) for p in exc.problems]


def test_missing_columns():
    exc = _rejected(b"contract;code;title\nC1;F1;T\n")
    assert _codes(exc) == [("actionsheet_columns_missing", 1, None)]
    assert "Axe" in exc.problems[0].message and "Approche" in exc.problems[0].message


def test_unknown_and_duplicate_columns():
    exc = _rejected((HEADER + ";determinnats;title\nC1;F1;;T;;;;;;;;;\n").encode())
    codes = [c[0] for c in _codes(exc)]
    assert codes == ["actionsheet_column_unknown", "actionsheet_column_duplicate"]
    assert "« Déterminants »" in exc.problems[0].message  # the closest column is suggested


def test_every_cell_problem_is_listed_with_line_and_column():
    text = (HEADER + "\n"
            "C1;F1;;;;;;Acces aux soin;D9;D1;zz\n"
            "C1;F1;;T;;;;;Niveau de revenu;S4.9;\n"
            "C2;F2;;T;;;;;logement;S1;\n"
            ";;;T;;;;;;;\n")
    exc = _rejected(text.encode(), known_contracts=["C1"])
    assert _codes(exc) == [
        ("actionsheet_cell_required", 2, "title"),
        ("actionsheet_theme_unknown", 2, "themes"),
        ("actionsheet_determinant_unknown", 2, "determinants"),
        ("actionsheet_strategy_unknown", 2, "strategies"),
        ("actionsheet_approach_unknown", 2, "approach"),
        ("actionsheet_duplicate", 3, "code"),
        ("actionsheet_determinant_unknown", 3, "determinants"),
        ("actionsheet_strategy_unknown", 3, "strategies"),
        ("actionsheet_contract_unknown", 4, "contract"),
        ("actionsheet_determinant_unknown", 4, "determinants"),
        ("actionsheet_cell_required", 5, "contract"),
        ("actionsheet_cell_required", 5, "code"),
    ]
    messages = [p.message for p in exc.problems]
    assert "Accès aux soins" in messages[1]               # closest theme suggested
    assert "colonne « determinants »" in messages[3]      # D1 is a determinant, not a strategy
    assert "« D1.1 »" in messages[6]                      # a label: its id is suggested
    assert "D2.2.4" in messages[9] and "D2.3.1" in messages[9]  # an ambiguous label: both ids listed
    assert "C1" in messages[8]                             # the closest known contract
    assert "ligne 3" in str(exc.problems[5]) and "rien n'a été importé" in str(exc)


def test_booleans_and_sectors():
    header = HEADER + ";partner_sectors;quantified_targets;evaluation_planned"
    good = read_action_sheets((header + "\nC1;F1;;T;;;;;;;;\"Logement et habitat; SANTE\";Oui;0\n").encode())
    assert good[0].partner_sectors == ("logement", "sante")
    assert good[0].quantified_targets is True and good[0].evaluation_planned is False
    assert good[0].resident_participation is None
    exc = _rejected((header + "\nC1;F1;;T;;;;;;;;logemnt;peut-être;\n").encode())
    assert _codes(exc) == [("actionsheet_sector_unknown", 2, "partner_sectors"),
                           ("actionsheet_boolean_invalid", 2, "quantified_targets")]
    assert "logement" in exc.problems[0].message


def test_row_too_long():
    exc = _rejected((HEADER + "\nC1;F1;;T;;;;;;;;en trop\n").encode())
    assert _codes(exc) == [("actionsheet_row_too_long", 2, None)]


def test_encoding_not_utf8():
    text = HEADER + "\nC1;F1;;Accès aux soins;;;;;;;\n"
    exc = _rejected(text.encode("cp1252"))
    assert _codes(exc) == [("actionsheet_encoding_invalid", 2, None)]
    assert "UTF-8" in exc.problems[0].message


def test_empty_file_and_header_only():
    assert _codes(_rejected(b"")) == [("actionsheet_file_empty", None, None)]
    assert _codes(_rejected((HEADER + "\n").encode())) == [("actionsheet_file_empty", None, None)]


def test_file_not_found_and_unknown_format(tmp_path):
    assert _codes(_rejected(tmp_path / "absent.csv"))[0][0] == "file_not_found"
    path = tmp_path / "fiches.ods"
    path.write_bytes(b"x")
    assert _codes(_rejected(path))[0][0] == "format_unknown"
    with pytest.raises(ActionSheetError):
        write_action_sheets(_sheets(), format="pdf")


def test_unreadable_workbook():
    exc = _rejected(b"PK\x03\x04 not really a zip", format="xlsx")
    assert _codes(exc) == [("actionsheet_spreadsheet_unreadable", None, None)]


def test_xlsx_problems_carry_the_spreadsheet_row():
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(["C1", "F1", None, "Titre", None, None, None, "Nutrition", "D4.1", "S1.2", "universalisme"])
    sheet.append(["C1", 2, None, None, None, None, None, None, "X1", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    exc = _rejected(buffer.getvalue(), name="fiches.xlsx")
    assert _codes(exc) == [("actionsheet_cell_required", 3, "title"), ("actionsheet_determinant_unknown", 3, "determinants")]
    assert str(exc.problems[0]).startswith("fiches.xlsx, ligne 3")


def test_lists_given_as_lists_are_tuples_and_hashable():
    sheet = ActionSheet("C", "F", themes=["nutrition"], determinants=["D4"])
    assert sheet.themes == ("nutrition",) and hash(sheet) == hash(ActionSheet("C", "F", themes=("nutrition",),
                                                                             determinants=("D4",)))
    assert sheet.key == ("C", "F")


def test_french_and_english_headers_both_read_and_export_is_french(tmp_path):
    from equisante.actionsheets.exchange import HEADERS

    english = write_action_sheets(_sheets(), format="csv").decode("utf-8-sig")
    header = english.splitlines()[0]
    assert header.split(";")[:3] == ["Contrat", "Code de la fiche", "Axe"]
    assert read_action_sheets(english.encode(), format="csv") == _sheets()
    keys = {h: k for k, h in HEADERS.items()}
    renamed = english.replace(header, ";".join(keys[h] for h in header.split(";")), 1)
    assert renamed.splitlines()[0].startswith("contract;code;axis")
    assert read_action_sheets(renamed.encode(), format="csv") == _sheets()
    path = tmp_path / "fiches.xlsx"
    write_action_sheets(_sheets(), path)
    assert read_action_sheets(path) == _sheets()
