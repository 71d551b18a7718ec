"""Indicator definitions in YAML: what is accepted, and French refusals naming the faulty key."""

from __future__ import annotations

import pytest

from equisante.errors import EquisanteError
from equisante.records.definition import ESP2013_STARTS, band_labels, parse_definition

pytestmark = pytest.mark.core

GOOD = """
code: hospitalisation_diabete
label: Patients hospitalisés pour diabète
statistic: dsr
years: [2019, 2021]
age: {at: 2021-01-01}
numerator: {count: persons, where: {event: sejour_diabete}}
denominator: {count: persons, where: {event: affiliation}}
breakdowns: [territory, sex]
"""


def test_a_good_definition_is_read_with_its_defaults():
    d = parse_definition(GOOD)
    assert d.code == "hospitalisation_diabete" and d.statistic == "dsr"
    assert d.unit == "pour 100 000" and d.multiplier == 100_000
    assert d.breakdowns == ("territory", "age_band", "sex", "period")  # dsr adds the age band
    assert d.age.starts == ESP2013_STARTS and d.age.labels[0] == "0-4" and d.age.labels[-1] == "90+"
    assert d.periods == ["2019-2021"]
    assert d.numerator.where[0].column == "event" and d.numerator.where[0].values == ("sejour_diabete",)
    assert d.used_columns() == {"year": "année", "person_id": "identifiant de personne",
                                "commune": "code de résidence", "sex": "sexe", "birth_date": "date de naissance",
                                "event": "filtre"}


def test_filters_lists_bounds_and_missing_values():
    d = parse_definition(GOOD.replace("{event: sejour_diabete}",
                                      "{event: [a, b], cost: {min: 10, max: 20}, diagnosis: null}"))
    conditions = {c.column: c for c in d.numerator.where}
    assert conditions["event"].values == ("a", "b")
    assert (conditions["cost"].low, conditions["cost"].high) == (10, 20)
    assert conditions["diagnosis"].missing


def test_band_labels():
    assert band_labels([0, 15, 65, 75]) == ("0-14", "15-64", "65-74", "75+")


@pytest.mark.parametrize(("change", "field", "words"), [
    (("statistic: dsr", "statistic: median"), "statistic", "statistique connue"),
    (("years: [2019, 2021]", "years: [2021, 2019]"), "years", "suit la dernière"),
    (("{count: persons, where: {event: sejour_diabete}}", "{count: visits}"), "numerator.count", "persons"),
    (("age: {at: 2021-01-01}", "age: {at: 2021-01-01, bands: [5, 10]}"), "age.bands", "à partir de 0"),
    (("code: hospitalisation_diabete", "code: Hospitalisation Diabète"), "code", "minuscules"),
    (("{event: sejour_diabete}", "{event: \"l'hôpital\"}"), "numerator.where.event", "guillemet"),
    (("breakdowns: [territory, sex]", "breakdowns: [territory, region]"), "breakdowns", "sans doublon"),
])
def test_refusals_name_the_key_in_french(change, field, words):
    with pytest.raises(EquisanteError) as caught:
        parse_definition(GOOD.replace(*change), source="def.yaml")
    assert caught.value.code == "records_definition_invalid"
    text = str(caught.value)
    assert f"« {field} »" in text and words in text and "def.yaml" in text


def test_unreadable_yaml_and_missing_label():
    with pytest.raises(EquisanteError) as caught:
        parse_definition("code: [unclosed")
    assert caught.value.code == "records_definition_unreadable"
    with pytest.raises(EquisanteError) as caught:
        parse_definition(GOOD.replace("label: Patients hospitalisés pour diabète\n", ""))
    assert "« label »" in str(caught.value) and "obligatoire" in str(caught.value)
