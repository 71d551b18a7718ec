"""``equisante import actions`` and ``equisante export actions``."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

from equisante.cli import main
from equisante.contracts.models import ActionSheet


def test_export_then_import_changes_nothing(registry, tmp_path):
    runner = CliRunner()
    target = tmp_path / "fiches.xlsx"
    result = runner.invoke(main, ["export", "actions", "--contract", "CLS-01-VEY", "-o", str(target)])
    assert result.exit_code == 0, result.output
    frame = pd.read_excel(target, dtype=str)
    assert list(frame["code"]) == ["FA-1.1", "FA-1.2", "FA-2.1"]
    result = runner.invoke(main, ["import", "actions", str(target)])
    assert result.exit_code == 0, result.output
    assert "3 fiches-action lues dans" in result.output and "0 créée, 0 mise à jour, 3 inchangées." in result.output


def test_export_csv_to_stdout_and_unknown_contract(registry):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "actions", "--format", "csv"])
    assert result.exit_code == 0
    frame = pd.read_csv(io.BytesIO(result.stdout_bytes), encoding="utf-8-sig")
    assert set(frame["contract"]) == {"CLS-01-VEY", "CLS-69-AFF"}
    result = runner.invoke(main, ["export", "actions", "--contract", "CLS-00-NON"])
    assert result.exit_code == 1 and "Le contrat « CLS-00-NON » n'existe pas" in result.output


def test_import_refuses_a_faulty_file_and_names_the_place(registry, tmp_path):
    path = tmp_path / "fiches.csv"
    path.write_text("contract;code;axis;title;description;publics;partners;themes;determinants;strategies;approach\n"
                    "CLS-01-VEY;FA-1.2;;Nouveau titre;;;;;;S9;\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "actions", str(path)])
    assert result.exit_code == 1
    assert "fiches.csv, ligne 2, colonne « Stratégies »" in result.output
    assert "rien n'a été importé" in result.output
    assert ActionSheet.objects.get(code="FA-1.2").title != "Nouveau titre"


def test_import_as_a_user_checks_rights(registry, tmp_path):
    path = tmp_path / "fiches.csv"
    path.write_text("contract,code,axis,title,description,publics,partners,themes,determinants,strategies,approach\n"
                    "CLS-69-AFF,FA-1,,Titre,,,,,,,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "actions", str(path), "--user", "coord01"])
    assert result.exit_code == 1 and "ne peut pas modifier le contrat « CLS-69-AFF »" in result.output
    result = CliRunner().invoke(main, ["import", "actions", str(path), "--user", "personne"])
    assert result.exit_code == 1 and "Aucun compte ne porte l'identifiant « personne »" in result.output
    result = CliRunner().invoke(main, ["import", "actions", str(path), "--user", "coord69"])
    assert result.exit_code == 0 and ActionSheet.objects.get(code="FA-1").title == "Titre"
