"""The allocation pages, the scenario computed from the store, saving, comparing and exports."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from exports.french import assert_french_xlsx, read_back

from equisante.allocation.building import build
from equisante.allocation.models import Scenario

URL = "/allocation/"
# IDH-2 population quintiles of the sample (lowest IDH-2 = most deprived first): C1 (1,000 inhabitants),
# C2 (3,000), C5 (1,000), C3 (2,000), C4 (4,000) of 11,000; the middle of each on the cumulative scale,
# 500, 2,500, 4,500, 6,000, 9,000 / 11,000, gives classes 1, 2, 3, 3, 5; the gradient 1.5 → 1.0 gives
# weights 1.5, 1.375, 1.25, 1.25, 1.0 and needs (population × weight) C1 1500, C2 4125, C5 1250,
# C3 2500, C4 4000 → 13,375 in all.
EXPECTED = {"C1": 1500, "C2": 4125, "C3": 2500, "C4": 4000, "C5": 1250}
QUERY = {"resource": "doses", "total": "13 375", "unit": "1", "level": "commune", "measure": "index:idh2",
         "weighting": "gradient", "gradient_high": "1,5", "gradient_low": "1"}


def test_scenario_from_the_store_follows_the_gradient(data):
    scenario = Scenario(resource="doses", total=13375, unit=1, level="commune", measure_kind="index",
                        measure="idh2", weighting="gradient")
    result = build(scenario)
    got = dict(zip(result.frame["code"], result.frame["allocation"]))
    assert got == EXPECTED
    # the flat share: 13,375 × population / 11,000 = 1215.91, 3647.73, 2431.82, 4863.64, 1215.91; whole
    # parts 13,371, the 4 doses left go to the largest remainders C1 and C5 (.91), C3 (.82), C2 (.73)
    flat = dict(zip(result.frame["code"], result.frame["flat"]))
    assert flat == {"C1": 1216, "C2": 3648, "C3": 2432, "C4": 4863, "C5": 1216}
    assert result.summary["most_deprived_share"] == pytest.approx(1500 / 13375)
    assert result.flat_summary["most_deprived_share"] == pytest.approx(flat["C1"] / 13375)
    assert result.summary["concentration_per_capita"]["value"] < 0  # towards the most deprived


def test_dated_adjustment_for_a_departement_applies_to_its_communes(data):
    adjustment = {"territories": ["XT2"], "factor": 1.1, "reason": "sur-allocation", "starts": "2021-02-15",
                  "ends": None, "column": "departement"}
    scenario = Scenario(resource="doses", total=11000, unit=1, level="commune", weighting="flat",
                        adjustments=[adjustment])
    from datetime import date
    scenario.applies_on = date(2021, 1, 1)
    before = dict(zip(*[build(scenario).frame[c] for c in ("code", "allocation")]))
    assert before == {"C1": 1000, "C2": 3000, "C3": 2000, "C4": 4000, "C5": 1000}
    scenario.applies_on = date(2021, 3, 1)
    after = build(scenario).frame.set_index("code")
    # needs 1000, 3000, 2000, 4400, 1100 → 11,000 × need / 11,500
    assert after.loc["C4", "allocation"] == round(11000 * 4400 / 11500)
    assert "sur-allocation" in after.loc["C4", "adjustments"] and after.loc["C1", "adjustments"] == ""


def test_page_needs_login(client, data):
    assert client.get(URL).status_code == 302


def test_page_builds_compares_saves_and_exports(client, agent):
    response = client.get(URL, QUERY)
    text = response.content.decode()
    assert response.status_code == 200, text
    assert "Part égale par habitant" in text and 'id="allocation-map"' in text
    assert "11,2\u00a0%" in text  # 1500 / 13375 to the most deprived quintile
    # save
    response = client.post(URL, {"query": "&".join(f"{k}={v}" for k, v in QUERY.items()), "name": "Doses gradient"})
    saved = Scenario.objects.get(name="Doses gradient")
    assert response.status_code == 302 and response["Location"] == saved.get_absolute_url()
    assert saved.measure == "idh2" and saved.total == 13375 and saved.unit == 1
    flat = Scenario.objects.create(name="Plat", resource="doses", total=13375, unit=1, level="commune")
    page = client.get(saved.get_absolute_url(), {"with": flat.pk}).content.decode()
    assert "Doses gradient" in page and "Plat" in page and 'id="other-moved"' in page
    # exports
    xlsx = client.get(saved.get_absolute_url(), {"format": "xlsx", "with": flat.pk})
    assert_french_xlsx(xlsx.content)
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)
    assert set(sheets) >= {"Allocation", "Quintiles", "Comparaison", "À propos"}, set(sheets)
    allocated = sheets["Allocation"]
    assert dict(zip(allocated["Code"], allocated["Attribution (doses)"])) == EXPECTED
    csv = client.get(saved.get_absolute_url(), {"format": "csv"})
    assert csv.content.startswith(b"\xef\xbb\xbf")
    table = read_back(csv.content)
    assert dict(zip(table["code"], table["Attribution (doses)"].astype(int))) == EXPECTED
    geo = json.loads(client.get(saved.get_absolute_url(), {"format": "geojson"}).content)
    assert len(geo["features"]) == 5 and {f["properties"]["code"] for f in geo["features"]} == set(EXPECTED)
    pdf = client.get(saved.get_absolute_url(), {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    from pdfcheck import check_accessible_pdf

    check_accessible_pdf(pdf.content, title=["Note d’allocation", saved.name])


def test_impossible_constraints_are_explained_in_french(client, agent):
    response = client.get(URL, {**QUERY, "floor": "5000"})
    text = response.content.decode()
    assert "Répartition impossible" in text and "planchers" in text


def test_saving_needs_an_agency_role(client, data, django_user_model):
    user = django_user_model.objects.create_user("lecteur", password="un-mot-de-passe-assez-long")
    client.force_login(user)
    assert client.get(URL, QUERY).status_code == 200
    assert client.post(URL, {"query": "total=10", "name": "x"}).status_code == 403


def test_priority_territories_get_the_high_weight(data):
    # eligible under « IDH-2 < 0,52 »: C1, C2, C5 (weight 2); C3, C4 (weight 1)
    scenario = Scenario(resource="euros", total=15000, level="commune", measure_kind="index", measure="idh2",
                        weighting="priority", gradient_high=2, gradient_low=1)
    got = dict(zip(*[build(scenario).frame[c] for c in ("code", "allocation")]))
    # needs 2000, 6000, 2000 (eligible) and 2000, 4000 → 16,000; total 15,000
    assert got == pytest.approx({"C1": 1875, "C2": 5625, "C5": 1875, "C3": 1875, "C4": 3750})


def test_after_the_event_shows_the_outcome_by_quintile(client, agent):
    scenario = Scenario.objects.create(name="Avec résultat", resource="doses", total=13375, unit=1, level="commune",
                                       measure_kind="index", measure="idh2", weighting="gradient",
                                       outcome_indicator="t-part-diplomes")
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert 'id="after-table"' in page and "Part des diplômés" in page
    # class 1 is C1 alone (55 %); the sample has four classes, so no SII
    assert "<th scope=\"row\">1</th><td>55,00</td>" in page
    assert "il faut les cinq quintiles" in page


def test_gradient_by_class_with_five_classes():
    from equisante.allocation.building import gradient_by_class

    frame = pd.DataFrame({"deprivation_class": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], "population": [100] * 10,
                          "uptake": [40, 42, 50, 52, 60, 62, 70, 72, 80, 82]})
    out = gradient_by_class(frame, "uptake")
    assert out["table"]["value"].tolist() == [41, 51, 61, 71, 81]
    # a straight line from 41 (rank 0.1) to 81 (rank 0.9): slope 50 per unit of rank
    assert out["sii"] == pytest.approx(50) and out["lower"] < 50 < out["upper"]
