"""``equisante indices``: define from YAML (all or nothing), compute, export, manage rules."""

from __future__ import annotations

import io

import pandas as pd
import pytest

#: French headers of the command's CSV export → the keys the assertions use.
FRENCH = {"Code": "code", "Valeur de l'indice": "value", "Éligible": "eligible", "Motif": "reason"}
from click.testing import CliRunner

from equisante.cli import main
from equisante.prioritisation.models import IndexDefinition, IndexResult, PriorityRule

from prioritisation.sample import IDH2

YAML = """\
indices:
  - code: idh2-fixe
    label: IDH-2 (bornes fixes)
    method: idh2
    inputs: {life_expectancy: t-esperance-vie, diploma_share: t-part-diplomes, income: t-revenu}
    parameters:
      bounds: {health: [75, 85], education: [40, 90], income: [10000, 30000]}
  - code: mon-indice
    label: Indice composite
    method: composite
    inputs:
      - {indicator: t-revenu, direction: favourable, weight: 3}
      - {indicator: t-chomage, direction: adverse, weight: 1}
rules:
  - code: fixe-052
    index: idh2-fixe
    label: "IDH-2 < 0,52"
    operator: "<"
    threshold: 0.52
    valid_from: 2011-01-01
    eligibility: true
    primary: true
    exceptions:
      - {code: C4, reason: "quartiers politique de la ville"}
"""


def run(*args):
    return CliRunner().invoke(main, ["indices", *args], catch_exceptions=False)


def test_define_compute_export(data, tmp_path):
    path = tmp_path / "indices.yaml"
    path.write_text(YAML, encoding="utf-8")
    result = run("define", str(path))
    assert result.exit_code == 0, result.output
    assert "2 indices et 1 règle enregistrés" in result.output
    assert IndexDefinition.objects.get(code="mon-indice").higher_is_worse is False

    result = run("compute", "--index", "idh2-fixe", "--index", "mon-indice", "--level", "commune",
                 "--level", "departement")
    assert result.exit_code == 0, result.output
    assert "idh2-fixe — niveau commune, période 2021 : 5 territoires calculés" in result.output
    assert IndexResult.objects.filter(definition__code="idh2-fixe").count() == 2

    out = tmp_path / "classement.csv"
    result = run("export", "--index", "idh2-fixe", "--on", "2020-01-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig", sep=";", decimal=",").rename(columns=FRENCH).set_index("code")
    # fixed bounds: C1 = ((78-75)/10 + (55-40)/50 + (14000-10000)/20000) / 3 = (0.3 + 0.3 + 0.2) / 3
    assert table.loc["C1", "value"] == pytest.approx(0.8 / 3, abs=5e-5)  # four digits in the export
    assert table.loc["C4", "eligible"] == "oui"  # by exception (its IDH-2 is 0.9667)
    assert "exception" in table.loc["C4", "reason"]
    assert table.loc["C4", "value"] == pytest.approx((1 + 0.9 + 1) / 3, abs=5e-5)

    result = run("export", "--index", "idh2-fixe", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 0
    notes = pd.read_excel(tmp_path / "x.xlsx", sheet_name="À propos").set_index("Rubrique")["Texte"]
    assert notes["Indice"].startswith("IDH-2 (bornes fixes) (idh2-fixe)") and "IDH-2" in notes["Méthode"]

    result = run("list")
    assert "idh2-fixe — IDH-2 (bornes fixes)" in result.output and "calculé : niveau departement" in result.output


def test_define_refuses_the_whole_file(data, tmp_path):
    bad = YAML.replace("t-chomage", "t-absent").replace('operator: "<"', 'operator: "="') \
        .replace("code: C4", "code: C9")
    path = tmp_path / "indices.yaml"
    path.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(main, ["indices", "define", str(path)])
    assert result.exit_code == 1
    output = result.output
    assert "rien n'a été importé" in output
    assert "Problèmes trouvés : 3 ;" in output
    # each problem says where: the composite's faulty variable, the rule, the unknown exception
    assert "indices.yaml, ligne 13, colonne « inputs »" in output and "« t-absent »" in output
    assert "ligne 15 : Règle invalide — Règle « fixe-052 » : opérateur '=' inconnu" in output
    assert "ligne 24, colonne « exceptions »" in output and "« C9 »" in output
    assert not IndexDefinition.objects.filter(code="idh2-fixe").exists()  # nothing written
    path.write_text("indices: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["indices", "define", str(path)])
    assert result.exit_code == 1 and "YAML illisible" in result.output


def test_rules_commands(data):
    from equisante.prioritisation.computing import compute

    compute("idh2", "commune")
    result = run("rules", "add", "cls", "--index", "idh2", "--label", "IDH-2 < 0,52", "--operator", "<",
                 "--threshold", "0.52", "--from", "2011-01-01", "--eligibility", "--primary")
    assert result.exit_code == 0, result.output
    result = run("rules", "except", "cls", "C3", "--reason", "quartiers politique de la ville")
    assert result.exit_code == 0, result.output
    result = run("rules", "quantiles", "q5", "--index", "fdep", "--label", "Quintiles de FDep")
    assert result.exit_code == 0
    result = run("rules", "list")
    assert "cls — IDH-2 < 0,52 : idh2 < 0.52, du 2011-01-01 au …" in result.output
    assert "exception C3 (Cendras) : quartiers politique de la ville" in result.output
    assert "q5 — Quintiles de FDep : 5 classes (weighted) de fdep" in result.output

    result = run("export", "--index", "idh2", "--rule", "cls")
    table = pd.read_csv(io.StringIO(result.output.lstrip("\ufeff")), sep=";", decimal=",").rename(columns=FRENCH)
    assert table["eligible"].tolist() == ["oui", "oui", "oui", "oui", "non"]
    assert table["value"].tolist() == pytest.approx(sorted(IDH2.values()), abs=5e-5)

    bad = CliRunner().invoke(main, ["indices", "rules", "except", "cls", "C9", "--reason", "x"])
    assert bad.exit_code == 1 and "Aucun territoire de niveau commune n'a le code « C9 »" in bad.output
    bad = CliRunner().invoke(main, ["indices", "rules", "add", "x", "--index", "idh2", "--label", "x",
                                    "--operator", "<", "--threshold", "1", "--from", "2016-01-01",
                                    "--to", "2015-01-01"])
    assert bad.exit_code == 1 and "la fin de validité précède le début" in bad.output
    assert run("rules", "remove", "cls").exit_code == 0
    assert not PriorityRule.objects.filter(code="cls").exists()


def test_compute_errors(data):
    result = CliRunner().invoke(main, ["indices", "compute", "--index", "nope"])
    assert result.exit_code == 1 and "Aucun indice n'a le code « nope »" in result.output
    result = CliRunner().invoke(main, ["indices", "export", "--index", "fdep"])
    assert result.exit_code == 1 and "pas encore été calculé" in result.output
