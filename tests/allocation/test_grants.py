"""The register of grants: import (all or nothing), the feeding function, the contracts' funding lines,
and the page's figures."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equisante.allocation import register
from equisante.allocation.models import Grant
from equisante.allocation.services import grants_from_contracts, import_grants, record_grants
from equisante.errors import InputRejected

URL = "/allocation/subventions/"


def test_import_refuses_the_whole_file_with_row_and_column(data):
    text = ("code;annee;programme;financeur;montant\n"
            "C1;2023;Prévention;ARS;1 000,50\n"
            "C9;2023;Prévention;ARS;10\n"
            "C2;20x;Prévention;ARS;-5\n")
    with pytest.raises(InputRejected) as info:
        import_grants(text.encode(), "subventions.csv")
    report = info.value.report()
    # the place is named by the French header of the column, whatever spelling the file used
    assert "ligne 3" in report and "colonne « Code du territoire »" in report and "« C9 »" in report
    assert "ligne 4" in report and "colonne « Année »" in report and "colonne « Montant (€) »" in report
    assert Grant.objects.count() == 0


def test_import_xlsx_then_reimport_changes_nothing(data):
    table = pd.DataFrame({"code": ["C1", "C4"], "annee": [2023, 2023], "programme": ["P", "P"],
                          "financeur": ["ARS", "ARS"], "montant": [1000, 250.5], "reference": ["r1", "r2"]})
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False)
    assert import_grants(buffer.getvalue(), "s.xlsx") == 2
    assert import_grants(buffer.getvalue(), "s.xlsx") == 0
    assert Grant.objects.get(reference="r2").amount == Decimal("250.50")


def test_record_grants_is_the_entry_point_for_calls(data):
    added = record_grants([{"code": "C2", "year": 2024, "programme": "Appel santé", "funder": "ARS",
                            "amount": 5000, "reference": "appel:1:7"}], source="call")
    assert added == 1 and Grant.objects.get().source == "call"
    with pytest.raises(InputRejected):
        record_grants([{"code": "C2", "year": 2024, "programme": "", "funder": "ARS", "amount": 1}])
    assert Grant.objects.count() == 1


def test_contract_funding_lines_feed_the_register(data):
    from equisante.contracts.models import ActionSheet, Contract, FundingLine

    territories = data["territories"]
    contract = Contract.objects.create(code="CLS-T", name="Contrat d'essai")
    contract.perimeter.add(territories["C1"], territories["C2"])
    sheet = ActionSheet.objects.create(contract=contract, code="FA-1", title="Dépistage")
    FundingLine.objects.create(sheet=sheet, funder_name="ARS", amount=1001, year=2023, secured=True)
    FundingLine.objects.create(sheet=sheet, funder_name="Ville", amount=500, year=2023, secured=False)
    assert grants_from_contracts() == 2  # one line shared between C1 and C2
    amounts = dict(Grant.objects.values_list("territory__code", "amount"))
    assert amounts == {"C1": Decimal("500.50"), "C2": Decimal("500.50")}
    assert grants_from_contracts() == 0
    figures = register.analyse("commune")["years"][0]
    assert figures.contract_share == pytest.approx(1.0)


def test_register_figures_by_deprivation(data):
    # 2023: 1000 € to C1 (most deprived population quintile, eligible), 1000 € to C4 (least deprived)
    record_grants([{"code": "C1", "year": 2023, "programme": "P", "funder": "ARS", "amount": 1000},
                   {"code": "C4", "year": 2023, "programme": "P", "funder": "ARS", "amount": 1000},
                   {"code": "XT1", "level": "departement", "year": 2023, "programme": "P", "funder": "ARS",
                    "amount": 300}])
    analysis = register.analyse("commune")
    year = analysis["years"][0]
    assert year.total == 2000 and year.outside == 300
    assert year.most_deprived_share == pytest.approx(0.5)
    assert year.priority_share == pytest.approx(0.5)  # C1 eligible (IDH-2 < 0,52), C4 not
    assert year.per_capita == pytest.approx(2000 / 11000)
    # 1 €/inhabitant in C1, 0.25 in C4: concentrated among the most deprived
    assert year.concentration["value"] < 0
    # four classes only in the sample (C5 and C3 share the third): the table by class, but no SII
    assert len(year.gradient["table"]) == 4 and year.gradient["sii"] is None


def test_register_page_entry_import_and_export(client, agent):
    response = client.post(URL, {"action": "saisir", "territory_code": "C1", "territory_level": "commune",
                                 "year": 2023, "programme": "Prévention", "funder": "ARS", "amount": "1200"})
    assert response.status_code == 302
    bad = SimpleUploadedFile("s.csv", b"code;annee;programme;financeur;montant\nC9;2023;P;ARS;1\n")
    page = client.post(URL, {"action": "importer", "file": bad}).content.decode()
    assert "rien n’a été importé" in page and "ligne 2" in page
    page = client.get(URL).content.decode()
    assert "Télécharger le modèle" in page and 'href="/modeles/subventions.csv"' in page
    assert 'data-year="2023"' in page and "Quintile le plus défavorisé" in page
    assert "100,0\u00a0%" in page  # all of 2023 went to C1, the most deprived quintile
    xlsx = client.get(URL, {"format": "xlsx", "table": "annees"})
    years = pd.read_excel(io.BytesIO(xlsx.content))
    assert years.loc[0, "Part du quintile le plus défavorisé"] == 1


def test_register_page_filters_by_programme(client, agent):
    record_grants([{"code": "C1", "year": 2023, "programme": "A", "funder": "ARS", "amount": 100},
                   {"code": "C4", "year": 2023, "programme": "B", "funder": "Ville", "amount": 300}])
    page = client.get(URL, {"programme": "B"}).content.decode()
    assert 'id="by-programme"' in page and "0,0\u00a0%" in page  # programme B: nothing to C1
    rows = pd.read_csv(io.BytesIO(client.get(URL, {"programme": "A", "format": "csv"}).content), encoding="utf-8-sig",
                       sep=";")
    assert rows["Programme"].tolist() == ["A"]


def test_import_reads_the_french_headers_and_refuses_a_damaged_file_in_french(data):
    text = ("Code du territoire;Niveau;Année;Programme;Financeur;Montant (€);Référence\n"
            "C1;commune;2023;Prévention;ARS;1 000,50;fr-1\n")
    assert import_grants(text.encode("utf-8-sig"), "subventions.csv") == 1
    assert Grant.objects.get(reference="fr-1").amount == Decimal("1000.50")
    with pytest.raises(InputRejected) as info:
        import_grants(b"PK\x03\x04 pas un classeur", "subventions.xlsx")
    report = info.value.report()
    assert "subventions.xlsx" in report and "Traceback" not in report
    with pytest.raises(InputRejected) as info:
        import_grants("Code du territoire;Année\nC1;2023\n".encode(), "subventions.csv")
    assert "La colonne « Programme » manque" in info.value.report()
