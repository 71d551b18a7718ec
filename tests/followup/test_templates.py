"""The follow-up templates (« modèles ») import as they are once their example row names a real sheet;
French headers of the follow-up exports are read too; a damaged file is refused in French."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from equisante.contracts.models import Contract
from equisante.errors import InputRejected
from equisante.followup.importing import import_followup
from equisante.followup.models import IndicatorMeasure, SheetFunding, SheetIndicator, SheetProgress
from equisante.import_templates import template_file


def _on_a_real_sheet(data: bytes, fmt: str) -> bytes:
    """The template with its example contract replaced by one of the sample (nothing else changed)."""
    if fmt == "csv":
        return data.replace(b"CLS-01-EXEMPLE", b"CLS-01-VEY")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Contrat" and sheet["A2"].value == "CLS-01-EXEMPLE"
    sheet["A2"] = "CLS-01-VEY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_template_imports(followed, fmt):
    everything = Contract.objects.all()
    for table in ("indicateurs", "avancement", "financements"):
        name, data, _ = template_file(f"suivi-{table}", fmt)
        assert import_followup(_on_a_real_sheet(data, fmt), name, table, everything) == 1, table
    indicator = SheetIndicator.objects.get(sheet__code="FA-1.1", label="Personnes accompagnées")
    assert (indicator.kind, indicator.baseline, indicator.target, indicator.target_date) == (
        "resultat", 120, 200, datetime.date(2026, 12, 31))
    assert IndicatorMeasure.objects.get(indicator=indicator, year=2024).value == 150
    progress = SheetProgress.objects.get(sheet__code="FA-1.1", sheet__contract__code="CLS-01-VEY", year=2024)
    assert (progress.state, progress.percent, progress.started_on) == ("en-cours", 40, datetime.date(2024, 2, 1))
    funding = SheetFunding.objects.get(sheet__code="FA-1.1", sheet__contract__code="CLS-01-VEY", year=2024,
                                       funder_name="ARS")
    assert (funding.requested, funding.granted, funding.spent) == (20000, 15000, 9000)


def test_template_with_its_example_contract_is_refused_in_french(followed):
    name, data, _ = template_file("suivi-avancement", "csv")
    before = SheetProgress.objects.count()
    with pytest.raises(InputRejected) as error:
        import_followup(data, name, "avancement", Contract.objects.all())
    report = error.value.report()
    assert "ligne 2" in report and "colonne « Fiche-action »" in report and "CLS-01-EXEMPLE" in report
    assert SheetProgress.objects.count() == before


def test_damaged_workbook_is_refused_without_a_crash(followed):
    with pytest.raises(InputRejected) as error:
        import_followup(b"PK\x03\x04 pas un classeur", "suivi.xlsx", "avancement", Contract.objects.all())
    report = error.value.report()
    assert "suivi.xlsx" in report and "Traceback" not in report and "Error" not in report
