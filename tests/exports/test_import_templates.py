"""The templates (« modèles ») of the import forms: French headers, one example row, and each one is read
back by its importer as it is, in every format offered."""

from __future__ import annotations

import io

import openpyxl
import pytest

from equisante import exports, import_templates
from equisante.import_templates import BUILDERS, template, template_file

from .french import ENGLISH, SNAKE

CASES = [(key, fmt) for key in BUILDERS for fmt in template(key).formats]


def _header(key: str, fmt: str) -> list[str]:
    _, data, _ = template_file(key, fmt)
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return data.decode("utf-8-sig").splitlines()[0].split(";")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Modèle", "À propos"]
    sheet = book["Modèle"]
    assert sheet.freeze_panes == "A2" and sheet.max_row == 2  # the header and one example row
    about = {r[0]: r[1] for r in book["À propos"].iter_rows(min_row=2, values_only=True)}
    assert about["Contenu"].startswith("Modèle d'import") and about["Mode d'emploi"]
    return [c.value for c in sheet[1]]


@pytest.mark.parametrize("key,fmt", CASES)
def test_headers_are_french(key, fmt):
    header = _header(key, fmt)
    assert header and all(h not in ENGLISH and not SNAKE.match(h) for h in header), header


def test_every_form_has_a_template_in_xlsx_and_csv_but_territories():
    for key in BUILDERS:
        assert template(key).formats == (("csv",) if key == "territoires" else ("xlsx", "csv")), key
    with pytest.raises(KeyError):
        template_file("territoires", "xlsx")  # the territory importer reads CSV only: no XLSX offered


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_values_and_catalogue_templates_read_back(fmt):
    from equisante.indicators.reading import read_catalogue, read_values

    name, data, _ = template_file("valeurs", fmt)
    reading = read_values(data, name=name)
    assert reading.problems == [] and len(reading.records) == 1
    record = reading.records[0]
    assert (record.indicator, record.code, record.period, record.numerator, record.denominator) == (
        "part_65_ans_plus", "01001", "2021", 180, 850)
    name, data, _ = template_file("catalogue", fmt)
    reading = read_catalogue(data, name=name)
    assert reading.problems == [] and len(reading.records) == 1
    assert reading.records[0].code == "part_65_ans_plus" and reading.records[0].multiplier == 100


def test_territories_template_reads_back():
    from equisante.territories.reading.cog import read_cog

    name, data, _ = template_file("territoires", "csv")
    reading = read_cog(data, level="epci", name=name)
    assert reading.problems == []
    (record,) = reading.records
    assert (record.code, record.name, record.parent) == ("200000001", "Communauté de communes d'exemple", "01")
    assert reading.parent_levels == {"département"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_action_sheets_template_reads_back(fmt):
    from equisante.actionsheets.exchange import read_action_sheets

    name, data, _ = template_file("fiches", fmt)
    (sheet,) = read_action_sheets(data, format=fmt, name=name)
    assert (sheet.contract, sheet.code, sheet.determinants, sheet.strategies) == (
        "CLS-01-EXEMPLE", "FA-1.1", ("D5.1.2",), ("S4.1.5",))
    assert tuple(sheet.partners) == ("CPAM", "Centre social")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_applications_template_reads_back(fmt):
    from equisante.calls.reading import read_applications

    name, data, _ = template_file("candidatures", fmt)
    (row,) = read_applications(data, name=name, fmt=fmt)
    assert (row.reference, row.promoter_kind, row.territories, row.requested, row.total_cost) == (
        "CAND-2025-001", "association", ("01001", "01002"), 12000, 20000.5)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_grants_template_reads_back(fmt):
    from decimal import Decimal

    from equisante.allocation.reading import read_grants

    name, data, _ = template_file("subventions", fmt)
    records, problems = read_grants(data, name)
    assert problems == []
    (record,) = records
    assert (record.code, record.level, record.year, record.funder, record.amount, record.reference) == (
        "01001", "commune", 2024, "ARS", Decimal("12500.50"), "ARS-2024-001")


def test_templates_leave_no_column_undescribed():
    exports.UNDESCRIBED.clear()
    for key, fmt in CASES:
        import_templates.template_file(key, fmt)
    assert exports.UNDESCRIBED == set()


@pytest.mark.django_db
@pytest.mark.parametrize("key,fmt", CASES)
def test_download_address(client, key, fmt):
    response = client.get(f"/modeles/{key}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{template(key).stem}.{fmt}"'
    assert response["Content-Type"] == exports.FORMATS[fmt]


@pytest.mark.django_db
def test_unknown_template_or_format_is_a_french_404(client):
    assert client.get("/modeles/inconnu.csv").status_code == 404
    assert client.get("/modeles/territoires.xlsx").status_code == 404
    assert client.get("/modeles/valeurs.pdf").status_code == 404
