"""``equisante portrait``: the portrait report written to a file, as the page's downloads."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from equisante.cli import main
from portraits.sample import build_portrait_sample


@pytest.fixture
def area(db):
    return build_portrait_sample()


def _run(*args):
    return CliRunner().invoke(main, ["portrait", *args], catch_exceptions=False)


def test_pdf_report_holds_the_key_indicators(area, tmp_path):
    output = tmp_path / "portrait.pdf"
    result = _run("200000100", "--indicator", "mortalite", "--period", "2021", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "CA du Littoral" in result.output
    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    text = " ".join(text.split())
    assert "Portrait de CA du Littoral" in text
    assert "Taux de chômage des 15-64 ans" in text


def test_xlsx_report_has_every_table_and_the_rules(area, tmp_path):
    from equisante import exports
    from equisante.portraits import report

    output = tmp_path / "portrait.xlsx"
    result = _run("200000100", "-o", str(output))
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(io.BytesIO(output.read_bytes()), sheet_name=None)
    assert {exports.sheet_title(name) for name in report.TABLES} <= set(sheets)
    assert list(sheets)[-1] == "À propos"
    notes = dict(zip(sheets["À propos"]["Rubrique"], sheets["À propos"]["Texte"]))
    assert "entre 1 et 9" in notes["Secret statistique"]


def test_unknown_territory_is_refused_in_french(area, tmp_path):
    output = tmp_path / "portrait.html"
    result = CliRunner().invoke(main, ["portrait", "99999", "-o", str(output)])
    assert result.exit_code != 0
    assert "Territoire introuvable : 99999" in result.output
    assert not output.exists()
