"""``equisante allocation run|compare|grants``."""

from __future__ import annotations


import pandas as pd
from click.testing import CliRunner

from equisante import exports

from equisante.allocation.models import Grant, Scenario
from equisante.cli import main


def run(*args):
    return CliRunner().invoke(main, ["allocation", *args], catch_exceptions=False)


def test_run_on_a_file_without_database(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("code;departement;population;besoin\nA;93;100;1\nB;75;300;1\nC;77;600;2\n", encoding="utf-8")
    out = tmp_path / "doses.csv"
    result = run("run", "--input", str(path), "--total", "100", "--unit", "1", "--weight", "besoin", "--floor", "10",
                 "--adjust", "93, 77 ; +10 % ; 2021-01-01 ; ; sur-allocation", "--on", "2021-06-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    # the French CSV of the command line's one table writer (headers of equisante.exports)
    table = pd.read_csv(out, encoding="utf-8-sig", sep=";", decimal=",")
    # needs 110, 300, 1320: A would get 6.4 → floor 10; 90 left over 300:1320 → 16.7, 73.3 → 17, 73
    assert table[exports.describe("units").header].tolist() == [10, 17, 73]


def test_run_reports_impossible_constraints_in_french(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("code,population\nA,100\nB,300\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["allocation", "run", "--input", str(path), "--total", "100", "--floor", "60"])
    assert result.exit_code == 1 and "planchers" in result.output


def test_run_save_compare_and_grants(data, tmp_path):
    result = run("run", "--total", "13375", "--unit", "1", "--measure", "index:idh2", "--weighting", "gradient",
                 "--save", "Gradient", "-o", str(tmp_path / "g.xlsx"))
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(tmp_path / "g.xlsx", sheet_name=None)
    sheet = sheets[exports.sheet_title("allocation")]
    header = exports.describe
    assert dict(zip(sheet[header("code").header], sheet[header("allocation").header]))["C2"] == 4125
    Scenario.objects.create(name="Plat", resource="euros", total=13375, unit=1, level="commune")
    result = run("compare", "Gradient", "Plat", "-o", str(tmp_path / "c.csv"))
    assert result.exit_code == 0 and "Gradient : quintile le plus défavorisé" in result.output
    assert len(pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", sep=";")) == 5
    grants = tmp_path / "s.csv"
    grants.write_text("code;annee;programme;financeur;montant\nC1;2023;P;ARS;10\n", encoding="utf-8")
    assert run("grants", str(grants)).exit_code == 0 and Grant.objects.count() == 1
