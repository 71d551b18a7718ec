"""``equisante records …``: count, aggregate, indicators --import (through the validated import) and
the demonstration, with French summaries and errors."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Territory

from .conftest import KNOWN

DEFINITION = """
code: records_diabete
label: Patients hospitalisés pour diabète
statistic: proportion
unit: "%"
years: [2019, 2021]
numerator: {count: persons, where: {event: sejour_diabete}}
denominator: {count: persons, where: {event: affiliation}}
breakdowns: [territory, period]
"""


def run(*args):
    return CliRunner().invoke(main, ["records", *map(str, args)])


@pytest.mark.core
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_count_writes_one_row_per_combination(tricky, tmp_path, suffix):
    output = tmp_path / f"n{suffix}"
    result = run("count", tricky["parquet"], "--by", "sex,year", "--engine", "duckdb", "-o", output)
    assert result.exit_code == 0, result.output
    assert "7 combinaisons de sex, year ; enregistrements : 14 ;" in result.output
    table = pd.read_parquet(output) if suffix == ".parquet" else pd.read_csv(output)
    assert list(table.columns) == ["sex", "year", "n"]
    assert table.values.tolist()[:2] == [["F", 2018, 1], ["F", 2019, 5]]


@pytest.mark.core
def test_count_distinct_with_pandas_and_errors_in_french(tricky, tmp_path):
    result = run("count", tricky["csv"], "--by", "commune", "--distinct", "person_id", "--engine", "pandas",
                 "-o", tmp_path / "d.csv")
    assert result.exit_code == 0, result.output
    assert "valeurs distinctes de « person_id »" in result.output
    bad = run("count", tricky["csv"], "--by", "commune", "-o", tmp_path / "d.xlsx")
    assert bad.exit_code == 1 and "Erreur" in bad.output and "[records_output_format]" in bad.output
    missing = run("count", tricky["csv"], "--by", "region", "-o", tmp_path / "d.csv")
    assert missing.exit_code == 1 and "« region »" in missing.output


@pytest.mark.core
def test_aggregate_without_the_store(tricky, tmp_path):
    definition = tmp_path / "def.yaml"
    definition.write_text(DEFINITION, encoding="utf-8")
    output = tmp_path / "counts.parquet"
    result = run("aggregate", definition, tricky["parquet"], "--engine", "duckdb", "--no-store", "-o", output)
    assert result.exit_code == 0, result.output
    assert "Codes de résidence pris tels quels" in result.output
    counts = pd.read_parquet(output)
    # 01001 (two persons), 01002, 01003, 01099 (not mapped without the store), 99134, missing code
    assert counts["denominator"].tolist() == [2, 1, 1, 1, 1, 1]


@pytest.mark.django_db
def test_indicators_import_maps_codes_and_goes_through_the_validated_import(tricky, tmp_path):
    for code in KNOWN:
        Territory.objects.create(level="commune", code=code, name=f"Commune {code}", vintage=2024)
    definition = tmp_path / "def.yaml"
    definition.write_text(DEFINITION, encoding="utf-8")
    result = run("indicators", definition, tricky["parquet"], "--history", tricky["history"], "--import",
                 "-o", tmp_path / "values.csv")
    assert result.exit_code == 0, result.output
    assert "rattachés aux 3 communes du millésime 2024 (1 ancien code d'après l'historique)." in result.output
    assert "Codes de résidence non rattachés" in result.output and "99134" in result.output
    assert "3 créées, 0 modifiée, 0 inchangée." in result.output
    indicator = Indicator.objects.get(code="records_diabete")
    values = {v.territory.code: (v.numerator, v.denominator) for v in Value.objects.filter(indicator=indicator)}
    assert values == {"01001": (2, 2), "01002": (0, 1), "01003": (0, 1)}
    again = run("indicators", definition, tricky["parquet"], "--history", tricky["history"], "--import")
    assert again.exit_code == 0 and "0 créée, 0 modifiée, 3 inchangées." in again.output


@pytest.mark.django_db
def test_import_without_territories_is_refused(tricky, tmp_path):
    definition = tmp_path / "def.yaml"
    definition.write_text(DEFINITION, encoding="utf-8")
    result = run("indicators", definition, tricky["parquet"], "--import")
    assert result.exit_code == 1
    assert "[records_no_territories]" in result.output
    assert not Indicator.objects.filter(code="records_diabete").exists()


@pytest.mark.django_db(transaction=True)
def test_demo_builds_two_indicators_shown_on_the_site(tmp_path, monkeypatch, client):
    from equisante.demo import loading

    monkeypatch.setattr(loading, "EXTRA_LOADERS", [])
    assert CliRunner().invoke(main, ["demo", "--communes", 48]).exit_code == 0
    result = run("demo", "--rows", 150_000, "--folder", tmp_path / "records")
    assert result.exit_code == 0, result.output
    assert "150\u202f000 enregistrements de " in result.output
    for code in ("records_hospitalisation_diabete", "records_depistage_colorectal"):
        indicator = Indicator.objects.get(code=code)
        assert Value.objects.filter(indicator=indicator, territory__level="commune").count() >= 48
    screening = Value.objects.filter(indicator__code="records_depistage_colorectal", sex="")
    assert screening.exclude(value=None).count() > 0
    page = client.get("/indicateurs/")
    assert page.status_code == 200 and "depuis les enregistrements" in page.content.decode()
