"""Errors in French with a catalogue code, pagination, stable order, ETag and conditional requests,
rate limiting with a French 429."""

from __future__ import annotations

import pytest

from equisante.errors import catalogue

pytestmark = pytest.mark.django_db
CODES = {k.code for k in catalogue()}


def _is_french_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["code"] == code and code in CODES
    assert body["title"] and body["detail"]
    return body


def test_unknown_paths_under_api_answer_a_french_404(client, db):
    body = _is_french_error(client.get("/api/n-existe-pas/du-tout"), 404, "api_path_unknown")
    assert "Aucune ressource" in body["detail"]
    _is_french_error(client.get("/api/indicateurs/inconnu"), 404, "api_not_found")
    _is_french_error(client.get("/api/territoires/commune/99999"), 404, "api_not_found")


def test_invalid_parameters_answer_a_french_400(client, sample):
    body = _is_french_error(client.get("/api/indicateurs/mortalite/valeurs?limit=0"), 400, "api_parameter_invalid")
    assert "limit" in body["detail"] and "au moins 1" in body["detail"]
    body = _is_french_error(client.get("/api/territoires?level=canton"), 400, "api_parameter_invalid")
    assert "valeurs acceptées" in body["detail"]
    body = _is_french_error(client.get("/api/indicateurs/mortalite/valeurs?within=departement:01"), 400,
                            "api_parameter_invalid")
    assert "level" in body["detail"]
    _is_french_error(client.get("/api/indicateurs/mortalite/valeurs?territory=01001"), 400, "api_parameter_invalid")


def test_a_write_without_token_is_refused_in_french(client, sample):
    response = client.post("/api/contrats/X/fiches", data={"code": "FA-1", "title": "t"},
                           content_type="application/json")
    _is_french_error(response, 401, "api_token_missing")


def test_method_not_allowed_is_french(client, db):
    _is_french_error(client.delete("/api/indicateurs"), 405, "api_method_not_allowed")


def test_pages_are_stable_and_complete(client, sample):
    first = client.get("/api/territoires?limit=4").json()
    assert first["count"] == 10 and first["previous"] is None and "offset=4" in first["next"]
    seen = []
    url = "/api/territoires?limit=4"
    while url:
        page = client.get(url).json()
        seen += [(t["level"], t["code"]) for t in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 10
    assert seen == [(t["level"], t["code"]) for t in client.get("/api/territoires?limit=100").json()["results"]]
    assert seen[0] == ("region", "84")
    csv = client.get("/api/territoires?limit=4&format=csv")
    assert csv["X-Total-Count"] == "10" and 'rel="next"' in csv["Link"]


def test_filters_within_a_parent_and_geometry(client, sample):
    values = client.get("/api/indicateurs/mortalite/valeurs?level=commune&within=departement:69&period=2021"
                        "&sex=ensemble").json()
    assert {r["code"] for r in values["results"]} == {"69001", "69002"}
    communes = client.get("/api/territoires?level=commune&within=departement:01&geometry=true").json()["results"]
    assert {c["code"] for c in communes} == {"01001", "01002", "01003"}
    assert communes[0]["geometry"]["type"] == "Polygon"
    geo = client.get("/api/territoires?level=commune&format=geojson").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 5
    detail = client.get("/api/territoires/commune/01002").json()
    assert [m["territory"]["code"] for m in detail["member_of"]] == ["200000001", "QP001"]
    assert detail["ancestors"][-1]["code"] == "84" and detail["populations"][0]["year"] == 2021


def test_etag_and_conditional_requests(client, sample):
    first = client.get("/api/indicateurs/mortalite/valeurs?level=commune")
    tag = first["ETag"]
    assert tag.startswith('"')
    again = client.get("/api/indicateurs/mortalite/valeurs?level=commune", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    from equisante.indicators.models import Value

    Value.objects.filter(territory__code="01001", indicator__code="mortalite").update(value=1240.0)
    changed = client.get("/api/indicateurs/mortalite/valeurs?level=commune", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_rate_limit_answers_429_in_french(client, db, settings):
    settings.EQUISANTE_API_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/api/niveaux").status_code == 200
    body = _is_french_error(client.get("/api/niveaux"), 429, "api_rate_limited")
    assert "3 requêtes par minute" in body["detail"] and body["title"] == "Trop de requêtes"
    response = client.get("/api/niveaux")
    assert int(response["Retry-After"]) >= 1
    # the pages are not counted
    assert client.get("/").status_code == 200


def test_the_default_limit_allows_a_client_to_read_the_whole_catalogue(settings):
    from equisante.api.middleware import limits

    assert limits()[0] >= 1000
