"""``equisante export``: columns of the import formats; export then re-import changes nothing."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.indicators.importing import import_catalogue, import_values
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tmp_path, db):
    region = Territory.objects.create(level="region", code="84", name="Région Test")
    d01 = Territory.objects.create(level="departement", code="01", name="Ain", parent=region)
    Territory.objects.create(level="commune", code="01001", name="L'Abergement", parent=d01)
    Territory.objects.create(level="commune", code="01002", name="Saint-Étienne ; « test »", parent=d01)
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "code;label;definition;unit;polarity;multiplier;theme;levels\n"
        "part_65;Part des 65 ans et plus;Population de 65 ans et plus, en %;%;neutre;;Démographie;commune,departement\n"
        "mortalite;Mortalité;Décès pour 100 000;pour 100 000 habitants;défavorable;;Mortalité;commune\n"
        "deces;Décès;;nombre;défavorable;;;\n",
        encoding="utf-8",
    )
    import_catalogue(catalogue)
    values = tmp_path / "valeurs.csv"
    values.write_text(
        "indicator;level;code;period;sex;age_band;numerator;denominator;value;lower;upper;state\n"
        "part_65;commune;01001;2021;;;120;1000;;;;\n"
        "part_65;commune;01002;2021;F;65+;1;3;;;;\n"
        "part_65;departement;01;2021;;;;;12,3456789;;;unstable\n"
        "mortalite;commune;01001;2019-2021;H;0-4;3;1500;;;;\n"
        "mortalite;commune;01002;2019-2021;;;;;;;;suppressed\n"
        "deces;commune;01001;2021;;;;;7;;;\n",
        encoding="utf-8",
    )
    import_values(values)


def snapshot():
    values = sorted(Value.objects.values_list(
        "indicator__code", "territory_id", "period", "sex", "age_band",
        "numerator", "denominator", "value", "lower", "upper", "state",
    ))
    indicators = sorted(Indicator.objects.values_list(
        "code", "label", "definition", "source", "unit", "polarity", "multiplier", "numerator_label",
        "denominator_label", "theme", "levels",
    ))
    return values, indicators


def export(*args):
    return CliRunner().invoke(main, ["export", *map(str, args)])


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_values_round_trip(tmp_path, data, suffix):
    before = snapshot()
    out = tmp_path / f"export.{suffix}"
    result = export("values", "-o", out)
    assert result.exit_code == 0, result.output
    report = import_values(out)
    assert (report.rows, report.created, report.updated, report.unchanged) == (6, 0, 0, 6)
    assert snapshot() == before
    result = CliRunner().invoke(main, ["import", "indicators", str(out)])
    assert "0 créée, 0 modifiée, 6 inchangées." in result.stdout


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_catalogue_round_trip(tmp_path, data, suffix):
    before = snapshot()
    out = tmp_path / f"catalogue.{suffix}"
    assert export("indicators", "--format", suffix, "-o", out).exit_code == 0
    report = import_catalogue(out)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_round_trip_into_an_empty_database(tmp_path, data):
    before = snapshot()
    export("indicators", "-o", tmp_path / "c.csv")
    export("values", "-o", tmp_path / "v.csv")
    Value.objects.all().delete()
    Indicator.objects.all().delete()
    import_values(tmp_path / "v.csv", catalogue=tmp_path / "c.csv")
    assert snapshot() == before


def test_csv_on_stdout_with_filters(data):
    result = export("values", "--indicator", "part_65", "--level", "commune", "--period", "2021")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.BytesIO(result.stdout_bytes), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns)[:4] == ["indicator", "level", "code", "name"]
    assert list(table["code"]) == ["01001", "01002"] and list(table["numerator"]) == ["120", "1"]
    assert set(table["state"]) == {"ok"}


def test_territories_export(data):
    result = export("territories", "--level", "Commune")
    table = pd.read_csv(io.BytesIO(result.stdout_bytes), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["level", "code", "name", "vintage", "parent_level", "parent", "zone_type"]
    assert table.loc[1].tolist() == ["commune", "01002", "Saint-Étienne ; « test »", "2024", "departement", "01", ""]
    everything = export("territories")
    first_rows = everything.stdout.splitlines()[1:3]
    assert first_rows[0].startswith("region,84") and first_rows[1].startswith("departement,01")


def test_territories_round_trip_through_the_territory_importer(tmp_path, data):
    importing = pytest.importorskip("equisante.territories.importing")
    Territory.objects.create(level="epci", code="200000001", name="CC Test",
                             parent=Territory.objects.get(code="01"))
    before = sorted(Territory.objects.values_list("level", "code", "name", "vintage", "parent_id", "zone_type"))
    for level in ("commune", "epci"):
        out = tmp_path / f"{level}.csv"
        assert export("territories", "--level", level, "-o", out).exit_code == 0
        options = {"code_column": "code", "name_column": "name", "parent_column": "parent"} if level == "commune" else {}
        report = importing.import_cog(out, level=level, parent_level="departement", vintage=2024, **options)
        assert (report.created, report.updated) == (0, 0)
    after = sorted(Territory.objects.values_list("level", "code", "name", "vintage", "parent_id", "zone_type"))
    assert after == before


def test_errors_are_french_and_exit_1(data):
    result = export("values", "--format", "xlsx")
    assert result.exit_code == 2 and "sortie standard" in result.stderr
    result = export("values", "--indicator", "absent")
    assert result.exit_code == 1 and "« absent »" in result.stderr
    result = export("values", "--level", "canton")
    assert result.exit_code == 2 and "« canton » n'est pas un niveau territorial" in result.stderr
