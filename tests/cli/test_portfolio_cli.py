"""``equisante portfolio report``: a contract's profile or a selection's overview from the database,
or the sheets of an exchange file without one, as HTML, PDF or XLSX; French errors that say why."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from equisante.actionsheets import ActionSheet, write_action_sheets
from equisante.cli import main
from profiles.pdftext import pdf_text, squash
from profiles.sample import build_profiles_sample


@pytest.fixture
def sample(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_profiles_sample()


def _run(*args):
    return CliRunner().invoke(main, ["portfolio", "report", *args])


def _sheets(book, name):
    """The rows of the French sheet of table ``name``, under the column keys the report builds them with."""
    from equisante import exports
    from equisante.portfolio.report import workbook_columns

    columns = workbook_columns()
    rows = list(book[exports.sheet_title(name)].iter_rows(values_only=True))
    keys = {}
    for key in [*columns, *exports.COLUMNS]:
        keys.setdefault(exports.describe(key, columns).header, key)
    assert all(header in keys for header in rows[0]), rows[0]
    return [dict(zip([keys[h] for h in rows[0]], row)) for row in rows[1:]]


# --- from the database ------------------------------------------------------------------------------

def test_profile_of_one_contract_as_pdf(sample, tmp_path):
    target = tmp_path / "profil.pdf"
    result = _run("--contract", "CLS-01-VEY", "--format", "pdf", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Profil du contrat CLS-01-VEY : 5 fiches-action, 1 contrat ; rapport PDF écrit" in result.stderr
    text = squash(pdf_text(target.read_bytes()))
    for row in ("Profil ISTS du contrat CLS de la Veyle", "Accès aux soins 2 40,0 %", "D2 Conditions de vie 2 100,0 %",
                "Non spécifié (NS) 1 50,0 %", "Rattrapage 1 20,0 %",
                "Comparaison avec tous les contrats de la base : 3 contrats, dont 2 dans le même département."):
        assert squash(row) in text, row


def test_overview_of_a_departement_as_xlsx(sample, tmp_path):
    target = tmp_path / "ain.xlsx"
    result = _run("--departement", "01", "-o", str(target))  # format from the extension
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    comparison = _sheets(book, "comparaison")
    assert [(r["kind"], r["contract"], r["n_actions"]) for r in comparison] == [
        ("contrat", "CLS-01-AMB", 2), ("contrat", "CLS-01-VEY", 5), ("département", "01", 7), ("ensemble", None, 7)]
    themes = {r["theme"]: r for r in _sheets(book, "thematiques")}
    # the share as a fraction (a percentage cell with one digit: 42,9 %)
    assert (themes["acces-aux-soins"]["n_actions"], themes["acces-aux-soins"]["share"]) == (3, 0.429)


def test_every_contract_or_the_published_ones_as_html(sample, tmp_path):
    target = tmp_path / "tous.html"
    assert _run("--format", "html", "-o", str(target)).exit_code == 0
    html = target.read_text(encoding="utf-8")
    assert "CLS d&#x27;Affoux" in html and "<script" not in html
    assert _run("--published", "--format", "html", "-o", str(target)).exit_code == 0
    assert "Affoux" not in target.read_text(encoding="utf-8")
    assert _run("--generation", "2", "--format", "xlsx", "-o", str(tmp_path / "g2.xlsx")).exit_code == 0
    rows = _sheets(openpyxl.load_workbook(tmp_path / "g2.xlsx"), "comparaison")
    assert [r["contract"] for r in rows if r["kind"] == "contrat"] == ["CLS-01-AMB"]


def test_errors_say_why(sample, tmp_path):
    result = _run("--contract", "CLS-XX", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Le contrat « CLS-XX » n'existe pas ; contrats disponibles : CLS-01-AMB, CLS-01-VEY, CLS-69-AFF." in result.stderr
    result = _run("--departement", "75", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "département « 75 »" in result.stderr and "01, 69" in result.stderr
    result = _run("--departement", "69", "--published", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "[profile_selection_empty]" in result.stderr
    result = _run("--format", "pdf", "-o", "-")
    assert result.exit_code == 1 and "sortie standard" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


# --- from an exchange file -----------------------------------------------------------------------------

@pytest.fixture
def actions_file(tmp_path):
    sheets = [
        ActionSheet("C1", "F1", title="Bilan de santé", themes=("acces-aux-soins", "nutrition"), determinants=("D5.1",),
                    strategies=("S4.1",), approach="groupes-defavorises"),
        ActionSheet("C1", "F2", title="Atelier cuisine", themes=("nutrition",), determinants=("D4.1.5",),
                    strategies=("S1.2",), approach="universalisme"),
        ActionSheet("C2", "G1", title="Logement dégradé", themes=("sante-environnement",), determinants=("D2.2.4",)),
    ]
    path = tmp_path / "fiches.csv"
    write_action_sheets(sheets, path)
    return path


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx"])
def test_report_on_an_exchange_file(actions_file, tmp_path, fmt):
    target = tmp_path / f"portefeuille.{fmt}"
    result = _run("--actions", str(actions_file), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Analyse de portefeuille : 3 fiches-action, 2 contrats ;" in result.stderr
    if fmt == "xlsx":
        themes = {r["theme"]: r for r in _sheets(openpyxl.load_workbook(target), "thematiques")}
        assert (themes["nutrition"]["n_actions"], themes["nutrition"]["share"]) == (2, 0.667)
        return
    text = squash(pdf_text(target.read_bytes()) if fmt == "pdf" else target.read_text(encoding="utf-8"))
    assert squash("Fiches-action lues dans le fichier « fiches.csv » : 3 fiches, contrats C1, C2.") in text


def test_one_contract_of_an_exchange_file(actions_file, tmp_path):
    target = tmp_path / "c1.pdf"
    result = _run("--actions", str(actions_file), "--contract", "C1", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(target.read_bytes()))
    assert squash("Profil ISTS du contrat C1") in text
    assert squash("Nutrition 2 100,0 %") in text  # both sheets of C1
    assert squash("F2 Atelier cuisine") in text  # the sheet at risk
    assert squash("Logement dégradé") not in text  # C2's sheet is left out


def test_exchange_file_errors(actions_file, tmp_path):
    target = tmp_path / "x.html"
    result = _run("--actions", str(actions_file), "--contract", "ZZ", "-o", str(target))
    assert result.exit_code == 1 and "« ZZ » n'existe pas dans « " in result.stderr and "C1, C2" in result.stderr
    result = _run("--actions", str(actions_file), "--departement", "01", "-o", str(target))
    assert result.exit_code == 1 and "[profile_actions_departement]" in result.stderr
    result = _run("--actions", str(tmp_path / "absent.csv"), "-o", str(target))
    assert result.exit_code == 1 and "[file_not_found]" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(actions_file.read_text(encoding="utf-8-sig").replace("D2.2.4", "D9.9"), encoding="utf-8")
    result = _run("--actions", str(bad), "-o", str(target))
    assert result.exit_code == 1
    assert "ligne 4" in result.stderr and "D9.9" in result.stderr
    assert not target.exists()
