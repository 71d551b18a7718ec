"""Importing the catalogue and values: all or nothing, idempotence, computed values and states."""

from __future__ import annotations

import pandas as pd
import pytest

from equisante import stats
from equisante.errors import InputRejected
from equisante.indicators.importing import catalogue_frame, import_catalogue, import_values, values_frame
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Territory

from .helpers import write

pytestmark = pytest.mark.django_db

HEADER = "indicator,level,code,period,sex,age_band,numerator,denominator,value,lower,upper,state\n"
VALUES = HEADER + (
    "part_65,commune,01001,2021,,,120,1000,,,,\n"
    "part_65,commune,01002,2021,,,30,200,15,12,18,\n"
    "part_65,departement,01,2021,F,65+,,,,,,suppressed\n"
    "mortalite,commune,01001,2021,,,3,1500,,,,\n"
    "mortalite,commune,69001,2021,,,,,,,,\n"
)


def snapshot():
    return sorted(Value.objects.values_list(
        "indicator__code", "territory__code", "period", "sex", "age_band",
        "numerator", "denominator", "value", "lower", "upper", "state",
    ))


def rejected(path, **options) -> list[tuple[str, int | None]]:
    with pytest.raises(InputRejected) as info:
        import_values(path, **options)
    return [(p.code, p.location.line) for p in info.value.problems]


def test_values_are_written_with_computed_values_limits_and_states(tmp_path, territories, catalogue):
    report = import_values(write(tmp_path, "v.csv", VALUES))
    assert (report.rows, report.created, report.updated, report.unchanged) == (5, 5, 0, 0)
    assert report.indicators == ["mortalite", "part_65"] and report.periods == ["2021"]
    assert "5 valeurs lues (format long) — 5 créées, 0 modifiée, 0 inchangée." in report.summary()
    value = Value.objects.get(indicator__code="part_65", territory__code="01001")
    assert (value.value, value.state) == (12.0, "ok")
    expected = stats.proportion(pd.DataFrame({"x": [120], "n": [1000]}), "x", "n", multiplier=100)
    assert value.lower == pytest.approx(expected["lower"][0]) and value.upper == pytest.approx(expected["upper"][0])
    given = Value.objects.get(indicator__code="part_65", territory__code="01002")
    assert (given.value, given.lower, given.upper) == (15.0, 12.0, 18.0)  # given limits are kept
    secret = Value.objects.get(indicator__code="part_65", territory__code="01")
    assert (secret.sex, secret.age_band, secret.value, secret.state) == ("F", "65+", None, "suppressed")
    rate = Value.objects.get(indicator__code="mortalite", territory__code="01001")
    expected = stats.rate(pd.DataFrame({"x": [3], "n": [1500]}), "x", "n", multiplier=100_000)
    assert rate.value == pytest.approx(200.0) and rate.lower == pytest.approx(expected["lower"][0])
    missing = Value.objects.get(indicator__code="mortalite", territory__code="69001")
    assert (missing.value, missing.state) == (None, "missing")


def test_reimport_changes_nothing_and_updates_only_what_changed(tmp_path, territories, catalogue):
    path = write(tmp_path, "v.csv", VALUES)
    import_values(path)
    before = snapshot()
    ids = set(Value.objects.values_list("id", flat=True))
    report = import_values(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert snapshot() == before and set(Value.objects.values_list("id", flat=True)) == ids
    changed = write(tmp_path, "v2.csv", VALUES.replace("30,200,15,12,18,", "30,200,15,11,19,"))
    report = import_values(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert Value.objects.get(territory__code="01002").lower == 11.0


def test_one_bad_line_rejects_the_whole_file(tmp_path, territories, catalogue):
    text = VALUES + "part_65,commune,99999,2021,,,1,10,,,,\n" + "part_65,commune,01001,2020,,,20,10,,,,\n"
    problems = rejected(write(tmp_path, "v.csv", text))
    assert problems == [("indicator_territory_unknown", 7), ("indicator_numerator_above_denominator", 8)]
    assert Value.objects.count() == 0


def test_rejection_report_is_french_and_precise(tmp_path, territories, catalogue):
    with pytest.raises(InputRejected) as info:
        import_values(write(tmp_path, "v.csv", HEADER + "inconnu,commune,01001,2021,,,,,1,,,\n"))
    report = info.value.report()
    assert "rien n'a été importé" in report and "v.csv, ligne 2" in report and "« inconnu »" in report


def test_unknown_indicator_is_accepted_with_its_catalogue(tmp_path, territories, catalogue):
    values = write(tmp_path, "v.csv", HEADER + "couverture,commune,01001,2021,,,40,50,,,,\n")
    assert rejected(values) == [("indicator_unknown", 2)]
    cat = write(tmp_path, "c.csv", "code,label,unit,polarity\ncouverture,Couverture vaccinale,%,favorable\n")
    report = import_values(values, catalogue=cat)
    assert report.catalogue.created == 1 and report.created == 1
    assert Value.objects.get(indicator__code="couverture").value == pytest.approx(80.0)


def test_a_faulty_catalogue_rejects_the_values_too(tmp_path, territories, catalogue):
    values = write(tmp_path, "v.csv", HEADER + "couverture,commune,01001,2021,,,40,50,,,,\n")
    cat = write(tmp_path, "c.csv", "code,label,unit,polarity\ncouverture,Couverture,%,meilleure\n")
    with pytest.raises(InputRejected) as info:
        import_values(values, catalogue=cat)
    assert [p.code for p in info.value.problems] == ["indicator_polarity_unknown"]
    assert not Indicator.objects.filter(code="couverture").exists() and Value.objects.count() == 0


def test_catalogue_units_decide_the_checks(tmp_path, territories, catalogue):
    # A rate may exceed its denominator's scale; a proportion may not.
    ok = write(tmp_path, "v.csv", HEADER + "mortalite,commune,01001,2021,,,30,20,,,,\n")
    assert import_values(ok).created == 1
    bad = write(tmp_path, "w.csv", HEADER + "part_65,commune,01001,2021,,,,,140,,,\n")
    assert rejected(bad) == [("indicator_value_out_of_range", 2)]


def test_state_ok_without_value_is_refused(tmp_path, territories, catalogue):
    assert rejected(write(tmp_path, "v.csv", HEADER + "part_65,commune,01001,2021,,,,,,,,ok\n")) == [
        ("indicator_value_required", 2)
    ]


def test_codes_that_lost_their_leading_zeros(tmp_path, territories, catalogue):
    text = "indicator,level,code,period,value\npart_65,commune,1001,2021,5\npart_65,departement,1,2021,6\n"
    import_values(write(tmp_path, "v.csv", text))
    assert set(Value.objects.values_list("territory__code", flat=True)) == {"01001", "01"}
    twice = text + "part_65,commune,01001,2021,5\n"
    assert rejected(write(tmp_path, "w.csv", twice)) == [("indicator_duplicate_row", 4)]


def test_vintages(tmp_path, territories, catalogue):
    old = Territory.objects.create(level="commune", code="01001", name="Ancienne", vintage=2019)
    text = "indicator,level,code,period,value\npart_65,commune,01001,2021,5\n"
    import_values(write(tmp_path, "v.csv", text))
    assert Value.objects.get().territory == territories["01001"]  # the most recent vintage (2024)
    import_values(write(tmp_path, "w.csv", text.replace(",value\n", ",value,vintage\n").replace(",5\n", ",7,2019\n")))
    assert Value.objects.get(territory=old).value == 7
    assert rejected(write(tmp_path, "x.csv", text), vintage=2010) == [("indicator_territory_unknown", 2)]


def test_wide_xlsx_import(tmp_path, territories, catalogue):
    frame = pd.DataFrame({
        "level": ["commune", "commune", "commune"], "code": ["01001", "01002", "69001"],
        "part_65__numerator": [10, 20, None], "part_65__denominator": [100, 400, None],
        "deces": [4, 7, 1],
    })
    path = tmp_path / "w.xlsx"
    frame.to_excel(path, index=False)
    report = import_values(path, period="2022")
    assert report.layout == "wide" and report.created == 5
    assert Value.objects.get(indicator__code="part_65", territory__code="01002").value == pytest.approx(5.0)
    assert Value.objects.get(indicator__code="deces", territory__code="69001").lower is None  # counts: no limits


def test_progress_is_reported(tmp_path, territories, catalogue):
    calls = []
    import_values(write(tmp_path, "v.csv", VALUES), progress=lambda *a: calls.append(a))
    assert ("écriture", 5, 5) in calls and calls[0][0] == "vérification"


# --- Catalogue import -------------------------------------------------------------------------------


def test_catalogue_import_creates_updates_and_keeps_absent_columns(tmp_path, db):
    first = write(tmp_path, "c.csv", "code;libellé;unité;définition;polarité\nmortalite;Mortalité;pour 100 000;Décès / population;défavorable\n")
    report = import_catalogue(first)
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    indicator = Indicator.objects.get()
    assert (indicator.multiplier, indicator.polarity, indicator.definition) == (100_000, "adverse", "Décès / population")
    assert import_catalogue(first).unchanged == 1
    relabel = write(tmp_path, "d.csv", "code,label\nmortalite,Mortalité générale\n")
    assert import_catalogue(relabel).updated == 1
    indicator.refresh_from_db()
    assert (indicator.label, indicator.definition, indicator.unit) == ("Mortalité générale", "Décès / population", "pour 100 000")


def test_catalogue_rejection_writes_nothing(tmp_path, db):
    path = write(tmp_path, "c.csv", "code,label,unit\nbon,Bon,%\nmauvais code,x,%\n")
    with pytest.raises(InputRejected):
        import_catalogue(path)
    assert Indicator.objects.count() == 0


# --- Export tables ----------------------------------------------------------------------------------


def test_export_tables_use_the_import_columns(tmp_path, territories, catalogue):
    import_values(write(tmp_path, "v.csv", VALUES))
    table = values_frame(indicators=["part_65"], level="commune")
    assert list(table.columns) == [
        "indicator", "level", "code", "name", "vintage", "period", "sex", "age_band",
        "numerator", "denominator", "value", "lower", "upper", "state",
    ]
    assert list(table["code"]) == ["01001", "01002"] and str(table["numerator"].dtype) == "Int64"
    cat = catalogue_frame(["mortalite"])
    assert cat.loc[0, "unit"] == "pour 100 000 habitants" and cat.columns[0] == "code"


# --- The examples of docs/import-formats.md import as documented -----------------------------------


def test_documented_examples_import(tmp_path, territories):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-formats.md").read_text(encoding="utf-8")
    catalogue, long, wide = re.findall(r"```csv\n(.*?)```", doc, re.S)
    report = import_catalogue(write(tmp_path, "catalogue.csv", catalogue))
    assert report.created == 3 and Indicator.objects.get(code="mortalite").multiplier == 100_000
    report = import_values(write(tmp_path, "valeurs.csv", long))
    assert (report.layout, report.created) == ("long", 5)
    assert Value.objects.get(territory__code="01", indicator__code="part_65").value == 21.4
    report = import_values(write(tmp_path, "large.csv", wide), period="2021")
    assert (report.layout, report.created, report.updated) == ("wide", 2, 1)
