"""``equisante import indicators``: catalogue, values (long, wide, workbooks), French refusals."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Territory

pytestmark = pytest.mark.django_db

CATALOGUE = (
    "code;libellé;unité;polarité;thème\n"
    "part_65;Part des 65 ans et plus;%;neutre;Démographie\n"
    "mortalite;Mortalité générale;pour 100 000 habitants;défavorable;Mortalité\n"
)
VALUES = (
    "indicator;level;code;period;numerator;denominator;value\n"
    "part_65;commune;01001;2021;120;1000;\n"
    "part_65;commune;01002;2021;30;200;\n"
    "mortalite;commune;01001;2021;3;1500;\n"
)


@pytest.fixture
def communes(db):
    d01 = Territory.objects.create(level="departement", code="01", name="Ain")
    for code, name in (("01001", "L'Abergement"), ("01002", "L'Abergement-de-Varey")):
        Territory.objects.create(level="commune", code=code, name=name, parent=d01)


def run(*args):
    return CliRunner().invoke(main, ["import", "indicators", *map(str, args)])


def test_catalogue_then_values(tmp_path, communes):
    (tmp_path / "c.csv").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "v.csv").write_text(VALUES, encoding="latin-1")
    result = run(tmp_path / "c.csv", "--catalogue")
    assert result.exit_code == 0, result.output
    assert "2 indicateurs lus — 2 créés, 0 modifié, 0 inchangé." in result.stdout and Indicator.objects.count() == 2
    result = run(tmp_path / "v.csv")
    assert result.exit_code == 0, result.output
    assert "3 valeurs lues" in result.stdout and "3 créées" in result.stdout and Value.objects.count() == 3
    again = run(tmp_path / "v.csv")
    assert "0 créée, 0 modifiée, 3 inchangées." in again.stdout


def test_values_with_their_catalogue_in_one_go(tmp_path, communes):
    (tmp_path / "c.csv").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "v.csv").write_text(VALUES, encoding="utf-8")
    result = run(tmp_path / "v.csv", "--with-catalogue", tmp_path / "c.csv")
    assert result.exit_code == 0, result.output
    assert Indicator.objects.count() == 2 and Value.objects.count() == 3


def test_refusal_is_french_on_stderr_and_writes_nothing(tmp_path, communes):
    (tmp_path / "c.csv").write_text(CATALOGUE, encoding="utf-8")
    run(tmp_path / "c.csv", "--catalogue")
    (tmp_path / "v.csv").write_text(VALUES + "part_65;commune;99999;2021;1;2;\npart_65;commune;01001;2021;x;2;\n",
                                    encoding="utf-8")
    result = run(tmp_path / "v.csv")
    assert result.exit_code == 1
    assert "rien n'a été importé" in result.stderr and "ligne 5" in result.stderr and "ligne 6" in result.stderr
    assert "Territoire inconnu" in result.stderr and "« x »" in result.stderr
    assert result.stdout == "" and Value.objects.count() == 0


def test_wide_workbook_with_sheet_and_period(tmp_path, communes):
    Indicator.objects.create(code="part_65", label="Part des 65 ans", unit="%", multiplier=100)
    path = tmp_path / "w.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"lisez-moi": ["Valeurs 2022"]}).to_excel(writer, sheet_name="notes", index=False)
        pd.DataFrame({"level": ["commune"] * 2, "code": ["01001", "01002"], "part_65": [12.5, 14]}).to_excel(
            writer, sheet_name="valeurs", index=False)
    result = run(path, "--sheet", "valeurs", "--period", "2022", "--layout", "wide")
    assert result.exit_code == 0, result.output
    assert sorted(Value.objects.values_list("value", flat=True)) == [12.5, 14.0]
    missing = run(path, "--sheet", "absente", "--period", "2022")
    assert missing.exit_code == 1 and "Feuille introuvable" in missing.stderr


def test_missing_file_and_misused_options(tmp_path, db):
    result = run(tmp_path / "absent.csv")
    assert result.exit_code == 1 and "Fichier introuvable" in result.stderr
    (tmp_path / "c.csv").write_text(CATALOGUE, encoding="utf-8")
    result = run(tmp_path / "c.csv", "--catalogue", "--period", "2021")
    assert result.exit_code == 2
