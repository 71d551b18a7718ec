"""Decided calls through the API: public once decided, as the call's pages; the funded projects with the
values of the statistics workbook; the instruction (each reviewer's scores and opinion, conflicts of
interest) never leaves the site; a call that is not decided is not disclosed."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from equisante.calls import services
from equisante.calls.models import Call

from .helpers import bearer, read_csv, user_with_token

pytestmark = pytest.mark.django_db

SECRETS = ("Je préside l'association", "Avis motivé", "chloe", "alice", "bruno", "conflict", "opinion")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from calls.sample import build_world

    built = build_world()
    call = built["call"]
    services.run_selection(call, who=built["admin"])
    services.decide_all(call, who=built["admin"])
    services.transition(call, "decide", who=built["admin"])
    Call.objects.create(code="en-cours", title="Appel encore en instruction", state="clos")
    Call.objects.create(code="brouillon", title="Appel en préparation", state="brouillon")
    return built


def test_only_decided_calls_are_listed_for_everyone(client, world):
    body = client.get("/api/appels").json()
    assert [c["code"] for c in body["results"]] == ["mille-jours"] and body["count"] == 1
    call = body["results"][0]
    assert call["state"] == "decide" and call["state_label"] == "Décidé"
    assert call["envelope"] == 150000 and {f["name"] for f in call["funders"]} == {"ARS", "CAF"}
    decided = world["call"].applications.all()
    assert call["received"] == 4
    assert call["retained"] == sum(1 for a in decided if a.decision.startswith("retenu"))
    assert call["granted"] == float(sum(a.granted for a in decided if a.decision.startswith("retenu")))
    # a token, even the agency's, sees the same decided calls: the others are not in this resource
    _admin, _t, clear = user_with_token("secretariat", superuser=True)
    assert client.get("/api/appels", **bearer(clear)).json() == body
    for code in ("en-cours", "brouillon", "inconnu"):
        for url in (f"/api/appels/{code}", f"/api/appels/{code}/projets"):
            for headers in ({}, bearer(clear)):
                response = client.get(url, **headers)
                assert response.status_code == 404, url
                answer = response.json()
                assert answer["code"] == "api_not_found"
                assert answer["detail"] == f"L'appel décidé « {code} » n'existe pas ou n'est pas publié."
                assert "préparation" not in answer["detail"]
    # the site agrees: the draft is hidden from the public, the decided call's statistics are public
    assert client.get("/appels/brouillon/").status_code == 404
    assert client.get("/appels/mille-jours/statistiques/").status_code == 200


def test_the_call_and_its_statistics_as_the_statistics_page(client, world):
    detail = client.get("/api/appels/mille-jours").json()
    assert detail["title"] == "1000 premiers jours" and detail["cover_by"] == "departement"
    assert [c["label"] for c in detail["criteria"]] == ["Réduction des inégalités explicite",
                                                        "Participation des personnes concernées"]
    assert detail["criteria"][0]["weight"] == 2 and detail["criteria"][0]["scale_max"] == 5
    stats = services.statistics(world["call"])["summary"]
    for key in ("received", "requested", "retained", "granted", "envelope", "deprived_granted"):
        assert detail["statistics"][key] == pytest.approx(stats[key]), key
    # the statistics page shows the same numbers
    page = client.get("/appels/mille-jours/statistiques/").content.decode()
    assert f'data-key="received">{detail["statistics"]["received"]}<' in page
    assert f'data-key="retained">{detail["statistics"]["retained"]}<' in page


def test_funded_projects_have_the_values_of_the_statistics_workbook(client, world):
    body = client.get("/api/appels/mille-jours/projets").json()
    retained = sorted(a.reference for a in world["call"].applications.all() if a.decision.startswith("retenu"))
    assert [p["reference"] for p in body["results"]] == retained and body["count"] == len(retained)
    workbook = client.get("/appels/mille-jours/statistiques/", {"format": "xlsx"})
    assert workbook.status_code == 200  # public once decided
    sheets = pd.read_excel(io.BytesIO(workbook.content), sheet_name=None)
    decisions = next(sheet for sheet in sheets.values() if "A1" in sheet.astype(str).to_numpy().ravel())
    by_reference = {str(row.iloc[0]): row for _i, row in decisions.iterrows()}
    for project in body["results"]:
        row = by_reference[project["reference"]]
        values = [str(x) for x in row.tolist()]
        assert project["promoter"] in values and project["title"] in values
        numbers = [float(x) for x in row.tolist() if isinstance(x, (int, float)) and not isinstance(x, bool)]
        assert project["requested"] in numbers and project["granted"] in numbers
        assert any(project["score"] == pytest.approx(n) for n in numbers)
    first = body["results"][0]
    assert first["territories"] and first["territories"][0]["level"] == "commune"
    assert first["departement"] in ("93", "95") and first["decision"] in ("retenu", "retenu-sous-conditions")
    assert first["decided_on"] and first["score"] is not None

    every = client.get("/api/appels/mille-jours/projets", {"decision": "toutes"}).json()
    assert every["count"] == 4
    refused = [p for p in every["results"] if p["decision"] == "refuse"]
    assert refused and all(p["granted"] == 0 for p in refused) and refused[0]["decision_label"] == "Refusé"
    bad = client.get("/api/appels/mille-jours/projets", {"decision": "en-attente"})
    assert bad.status_code == 400 and bad.json()["code"] == "api_parameter_invalid"


def test_the_instruction_never_leaves_the_site(client, world):
    _admin, _t, clear = user_with_token("secretariat", superuser=True)
    reviewer = world["alice"]
    from equisante.api.models import ApiToken

    _token, reviewer_clear = ApiToken.issue(reviewer, "test")
    urls = ["/api/appels", "/api/appels/mille-jours", "/api/appels/mille-jours/projets?decision=toutes",
            "/api/appels/mille-jours/projets?decision=toutes&format=csv"]
    for url in urls:
        anonymous = client.get(url).content
        for headers in (bearer(clear), bearer(reviewer_clear)):
            assert client.get(url, **headers).content == anonymous, url  # the same for everyone
        text = anonymous.decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (url, secret)
    project = client.get("/api/appels/mille-jours/projets").json()["results"][0]
    assert set(project) == {"call", "reference", "title", "promoter", "promoter_kind", "promoter_kind_label",
                            "territories", "departement", "priority_class", "most_deprived", "requested", "granted",
                            "decision", "decision_label", "score", "decided_on"}


def test_projects_as_csv(client, world):
    response = client.get("/api/appels/mille-jours/projets", {"format": "csv", "decision": "toutes", "limit": 3})
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    rows = read_csv(response.content)
    assert list(rows[0]) == ["call", "reference", "title", "promoter", "promoter_kind", "territories",
                             "departement", "priority_class", "most_deprived", "requested", "granted", "decision",
                             "score", "decided_on"]
    assert [r["reference"] for r in rows] == ["A1", "A2", "A3"]
    assert response["X-Total-Count"] == "4" and 'rel="next"' in response["Link"]
    as_json = {p["reference"]: p for p in client.get("/api/appels/mille-jours/projets",
                                                     {"decision": "toutes"}).json()["results"]}
    for row in rows:
        assert float(row["granted"]) == as_json[row["reference"]]["granted"]
        assert row["territories"] == ";".join(f"{t['level']}:{t['code']}"
                                              for t in as_json[row["reference"]]["territories"])
    # conditional requests work here as everywhere
    tag = response["ETag"]
    again = client.get("/api/appels/mille-jours/projets", {"format": "csv", "decision": "toutes", "limit": 3},
                       HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    json.loads(client.get("/api/appels/mille-jours").content)  # plain JSON, no NaN
