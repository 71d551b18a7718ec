"""Allocation through the API: scenarios and the register of grants are for signed-in people only,
as on the site; with a token, the API gives the values of the scenario's page and of its exports."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from equisante.allocation.models import Grant, Scenario
from equisante.allocation.services import record_grants
from equisante.exports import csv_header, describe

from prioritisation import sample as prioritisation_sample

from .helpers import bearer, read_csv, user_with_token

pytestmark = pytest.mark.django_db

# see tests/allocation/test_pages.py: IDH-2 gradient 1.5 → 1.0 over the five sample communes
EXPECTED = {"C1": 1500, "C2": 4125, "C3": 2500, "C4": 4000, "C5": 1250}
FLAT = {"C1": 1216, "C2": 3648, "C3": 2432, "C4": 4863, "C5": 1216}


def header(column: str, resource: str = "doses") -> str:
    """The French header the site's exports give a column (amounts in the scenario's resource)."""
    from types import SimpleNamespace

    from equisante.allocation.views import export_columns

    scenario = SimpleNamespace(scenario=SimpleNamespace(resource=resource, unit=1))
    given = export_columns(scenario)
    return given[column].header if column in given else describe(column).header


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def data(db):
    """The prioritisation sample (communes C1–C5 in XT1 and XT2) with IDH-2 and FDep computed and the
    eligibility rule « IDH-2 < 0,52 » (C1, C2, C5 eligible)."""
    return prioritisation_sample.build_with_indices()


@pytest.fixture
def scenario(data):
    return Scenario.objects.create(name="Doses selon le gradient", resource="doses", total=13375, unit=1,
                                   level="commune", measure_kind="index", measure="idh2", weighting="gradient",
                                   gradient_high=1.5, gradient_low=1.0, floor=None, cap=None,
                                   adjustments=[{"territories": ["C4"], "factor": 1.0, "reason": "sans effet",
                                                 "starts": "2020-01-01", "ends": None, "column": "code"}])


@pytest.fixture
def token(data):
    """A plain signed-in person: the allocation pages are open to every signed-in person."""
    _user, _token, clear = user_with_token("lectrice")
    return clear


def test_anonymous_callers_are_asked_for_a_token_as_the_site_asks_for_a_login(client, scenario):
    for url in ("/api/allocation/scenarios", f"/api/allocation/scenarios/{scenario.pk}",
                f"/api/allocation/scenarios/{scenario.pk}/territoires", "/api/allocation/subventions",
                "/api/allocation/subventions?format=csv"):
        response = client.get(url)
        assert response.status_code == 401, url
        body = response.json()
        assert body["code"] == "api_token_missing" and "jeton" in body["detail"], url
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Doses selon le gradient" not in response.content.decode()
    # the site's pages agree: a login is asked for
    assert client.get(f"/allocation/scenarios/{scenario.pk}/").status_code == 302
    assert client.get("/allocation/subventions/").status_code == 302


def test_a_revoked_token_is_refused(client, scenario):
    _user, saved, clear = user_with_token("ancienne")
    assert client.get("/api/allocation/scenarios", **bearer(clear)).status_code == 200
    saved.revoke()
    response = client.get("/api/allocation/scenarios", **bearer(clear))
    assert response.status_code == 401 and response.json()["code"] == "api_token_invalid"


def test_scenarios_with_their_parameters(client, scenario, token):
    other = Scenario.objects.create(name="Part égale", resource="euros", total=1000, level="commune")
    body = client.get("/api/allocation/scenarios", **bearer(token)).json()
    assert body["count"] == 2
    assert [s["id"] for s in body["results"]] == [scenario.pk, other.pk]  # stable order: by number
    first = body["results"][0]
    assert first["name"] == "Doses selon le gradient" and first["resource_label"] == "doses"
    assert first["weighting"] == "gradient" and first["gradient_high"] == 1.5 and first["unit"] == 1
    assert first["adjustments"][0]["reason"] == "sans effet" and first["adjustments"][0]["territories"] == ["C4"]
    csv = client.get("/api/allocation/scenarios", {"format": "csv"}, **bearer(token))
    assert csv["Content-Type"].startswith("text/csv") and csv.content.startswith(b"\xef\xbb\xbf")
    rows = read_csv(csv.content)
    assert [r["name"] for r in rows] == ["Doses selon le gradient", "Part égale"]
    assert rows[0]["measure"] == "idh2" and csv["X-Total-Count"] == "2"


def test_a_scenario_gives_the_values_of_its_page_and_exports(client, scenario, token, django_user_model):
    response = client.get(f"/api/allocation/scenarios/{scenario.pk}", **bearer(token))
    assert response.status_code == 200, response.content
    detail = response.json()
    result = detail["result"]
    assert detail["error"] is None and result["territories"] == 5
    assert result["summary"]["total"] == pytest.approx(13375)
    assert result["summary"]["most_deprived_share"] == pytest.approx(1500 / 13375)
    assert result["flat"]["most_deprived_share"] == pytest.approx(FLAT["C1"] / 13375)
    assert result["summary"]["concentration_per_capita"]["value"] < 0  # towards the most deprived
    assert result["deprivation"]["code"] == "idh2" and result["measure"]["code"] == "idh2"
    # the comparison with the flat per-capita share
    gaps = {code: EXPECTED[code] - FLAT[code] for code in EXPECTED}
    assert result["comparison"]["moved"] == pytest.approx(sum(abs(g) for g in gaps.values()) / 2)
    assert result["comparison"]["gainers"] == sum(1 for g in gaps.values() if g > 0)
    assert result["comparison"]["losers"] == sum(1 for g in gaps.values() if g < 0)
    classes = {c["deprivation_class"]: c for c in result["classes"]}
    assert classes[1]["allocation"] == 1500 and classes[1]["flat"] == FLAT["C1"]

    amounts = client.get(f"/api/allocation/scenarios/{scenario.pk}/territoires", **bearer(token)).json()
    assert [r["code"] for r in amounts["results"]] == ["C1", "C2", "C3", "C4", "C5"]
    assert {r["code"]: r["allocation"] for r in amounts["results"]} == EXPECTED
    assert {r["code"]: r["flat"] for r in amounts["results"]} == FLAT
    assert all(r["difference"] == r["allocation"] - r["flat"] for r in amounts["results"])

    # the page's own exports, for a signed-in person: same columns, same values
    viewer = django_user_model.objects.create_user("pages", password="un-mot-de-passe-assez-long")
    client.force_login(viewer)
    xlsx = client.get(scenario.get_absolute_url(), {"format": "xlsx"})
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None, dtype=str)
    sheet = next(iter(sheets.values()))  # the first sheet: the allocation table, French headers
    page = sheet.set_index(header("code"))
    api = {r["code"]: r for r in amounts["results"]}
    assert sorted(page.index) == sorted(api)
    for code, row in api.items():
        for column in ("allocation", "flat", "population", "difference"):
            assert float(page.loc[code, header(column)]) == row[column], (code, column)
        # the workbook rounds amounts per inhabitant to the cent
        assert float(page.loc[code, header("per_capita")]) == pytest.approx(row["per_capita"], abs=0.005)
    client.logout()

    csv = client.get(f"/api/allocation/scenarios/{scenario.pk}/territoires", {"format": "csv", "limit": 2},
                     **bearer(token))
    rows = read_csv(csv.content)
    assert list(rows[0])[:3] == ["code", "name", "departement"]
    assert [(r["code"], float(r["allocation"]), float(r["flat"])) for r in rows] == [
        ("C1", 1500.0, 1216.0), ("C2", 4125.0, 3648.0)]
    assert csv["X-Total-Count"] == "5" and 'rel="next"' in csv["Link"]


def test_unknown_scenarios_answer_404_in_french(client, data, token):
    for url in ("/api/allocation/scenarios/999", "/api/allocation/scenarios/999/territoires"):
        response = client.get(url, **bearer(token))
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "api_not_found" and body["detail"].startswith("Le scénario d'allocation n° 999")
    response = client.get("/api/allocation/scenarios/abc", **bearer(token))
    assert response.status_code == 400 and response.json()["code"] == "api_parameter_invalid"


def test_a_scenario_that_cannot_be_computed_says_why(client, data, token):
    empty = Scenario.objects.create(name="Sans territoire", total=1000, level="commune", selection=["ZZ999"])
    detail = client.get(f"/api/allocation/scenarios/{empty.pk}", **bearer(token)).json()
    assert detail["result"] is None and "Aucun territoire" in detail["error"]
    response = client.get(f"/api/allocation/scenarios/{empty.pk}/territoires", **bearer(token))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "api_allocation_impossible" and "Sans territoire" in body["detail"]


def test_the_register_of_grants_as_the_page_exports_it(client, data, token, django_user_model):
    record_grants([{"code": "C1", "year": 2023, "programme": "Prévention", "funder": "ARS", "amount": 1200,
                    "reference": "appel:test:A1"},
                   {"code": "C4", "year": 2023, "programme": "Médiation", "funder": "Ville", "amount": 300.25},
                   {"code": "C2", "year": 2022, "programme": "Prévention", "funder": "ARS", "amount": 800}])
    body = client.get("/api/allocation/subventions", **bearer(token)).json()
    assert body["count"] == 3
    assert [(g["year"], g["code"]) for g in body["results"]] == [(2023, "C1"), (2023, "C4"), (2022, "C2")]
    first = body["results"][0]
    assert first["funder"] == "ARS" and first["amount"] == 1200 and first["source"] == "call"
    assert first["source_label"] == "appel à projets" and first["reference"] == "appel:test:A1"
    assert first["level"] == "commune" and first["name"]
    # filters
    assert client.get("/api/allocation/subventions", {"year": 2022}, **bearer(token)).json()["count"] == 1
    assert client.get("/api/allocation/subventions", {"funder": "Ville"}, **bearer(token)).json()["count"] == 1
    only = client.get("/api/allocation/subventions", {"territory": "commune:C4"}, **bearer(token)).json()
    assert [g["amount"] for g in only["results"]] == [300.25]
    bad = client.get("/api/allocation/subventions", {"territory": "C4"}, **bearer(token))
    assert bad.status_code == 400 and bad.json()["code"] == "api_parameter_invalid"
    assert "niveau:code" in bad.json()["detail"]
    bad = client.get("/api/allocation/subventions", {"source": "inconnue"}, **bearer(token))
    assert bad.status_code == 400 and "valeurs acceptées" in bad.json()["detail"]

    # the same lines as the page's CSV export
    csv = client.get("/api/allocation/subventions", {"format": "csv"}, **bearer(token))
    rows = read_csv(csv.content)
    assert list(rows[0]) == ["id", "level", "code", "name", "year", "programme", "funder", "amount", "source",
                             "reference", "note"]
    viewer = django_user_model.objects.create_user("registre", password="un-mot-de-passe-assez-long")
    client.force_login(viewer)
    export = client.get("/allocation/subventions/", {"format": "csv"}).content
    page = pd.read_csv(io.BytesIO(export), encoding="utf-8-sig", sep=";", decimal=",", thousands="\u202f", dtype=str)
    columns = {c: csv_header(describe(c)) for c in ("code", "year", "funder", "amount")}
    # the page's export writes whole euros; the API keeps the cents of the register
    ours = sorted((r["code"], int(r["year"]), r["funder"], float(round(float(r["amount"])))) for r in rows)
    theirs = sorted(zip(page[columns["code"]], page[columns["year"]].astype(int), page[columns["funder"]],
                        page[columns["amount"]].str.replace("\u00a0", "").str.replace(" ", "")
                        .str.replace(",", ".").astype(float)))
    assert ours == theirs
    assert Grant.objects.count() == 3
