"""The applications file: read whole or refused whole with row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from equisante.calls.reading import read_applications
from equisante.errors import InputRejected

pytestmark = pytest.mark.core

GOOD = ("référence;titre;porteur;type de porteur;territoires;montant demandé;coût total;résumé\n"
        "R1;Ateliers;Asso A;association;93001;12 000 €;20000;Parentalité\n"
        "R2;Maison;Ville B;Collectivité territoriale;\"93001; 93002\";5000,50;;\n")


def test_reads_french_headers_amounts_and_labels():
    rows = read_applications(GOOD.encode(), name="c.csv", known_territories={"93001", "93002"})
    assert [r.reference for r in rows] == ["R1", "R2"]
    assert rows[0].requested == 12000 and rows[0].total_cost == 20000
    assert rows[1].promoter_kind == "collectivite"
    assert rows[1].territories == ("93001", "93002") and rows[1].requested == 5000.5


def test_malformed_file_is_refused_whole_with_row_and_column():
    """English column names (earlier files) are still read; messages name the French columns."""
    bad = ("reference;title;promoter;promoter_kind;territories;requested\n"
           "R1;Ateliers;Asso;association;93001;12000\n"
           "R2;;Asso;fondation;99999;douze mille\n"
           "R1;Doublon;Asso;association;93001;10\n")
    with pytest.raises(InputRejected) as caught:
        read_applications(bad.encode(), name="c.csv", known_territories={"93001"})
    text = caught.value.report()
    assert "rien n'a été importé" in text
    assert "ligne 3, colonne « Titre »" in text
    assert "ligne 3, colonne « Type de porteur »" in text and "fondation" in text
    assert "ligne 3, colonne « Territoires »" in text and "99999" in text
    assert "ligne 3, colonne « Montant demandé »" in text and "douze mille" in text
    assert "ligne 4, colonne « Référence »" in text and "ligne 2" in text
    assert len(caught.value.problems) == 5


def test_missing_and_unknown_columns():
    with pytest.raises(InputRejected) as caught:
        read_applications(b"reference,title,couleur\nR1,T,rouge\n", name="c.csv")
    codes = {p.code for p in caught.value.problems}
    assert codes == {"call_file_column_unknown", "call_file_columns_missing"}


def test_xlsx_and_requested_over_total():
    book = Workbook()
    sheet = book.active
    sheet.append(["reference", "title", "promoter", "promoter_kind", "territories", "requested", "total_cost"])
    sheet.append(["X1", "Projet", "Asso", "association", "93001", 30000, 20000])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InputRejected) as caught:
        read_applications(buffer.getvalue(), name="c.xlsx")
    [problem] = caught.value.problems
    assert problem.code == "call_file_requested_over_total" and problem.location.line == 2


def test_empty_file():
    with pytest.raises(InputRejected):
        read_applications(b"", name="vide.csv")


def test_ods_with_french_headers_and_a_damaged_workbook():
    import pandas as pd

    from equisante import exports

    table = pd.DataFrame([["R1", "Ateliers", "Asso A", "association", "93001", 12000]],
                         columns=["Référence", "Titre", "Porteur", "Type de porteur", "Territoires", "Montant demandé"])
    rows = read_applications(exports.to_ods_bytes(table), name="c.ods")
    assert [(r.reference, r.requested) for r in rows] == [("R1", 12000)]
    with pytest.raises(InputRejected) as caught:
        read_applications(b"PK\x03\x04 pas un classeur", name="c.xlsx")
    text = caught.value.report()
    assert "Classeur illisible" in text and "BadZipFile" not in text and "Error" not in text
