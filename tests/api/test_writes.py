"""Writes through the API: importing values (all or nothing, as the command line), creating an action
sheet (the site's form checks and its history), coding suggestions — for the roles allowed only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equisante.contracts.models import ActionSheet, ChangeRecord
from equisante.indicators.models import Value

from .helpers import COORDINATOR, bearer, contracts, user_with_token

pytestmark = pytest.mark.django_db

GOOD = ("indicator,level,code,period,value,lower,upper,state\n"
        "depistage,commune,69001,2021,44.5,40.1,48.9,ok\n"
        "depistage,commune,69002,2021,39.0,35.2,42.8,ok\n")
BAD = ("indicator,level,code,period,value,lower,upper,state\n"
       "depistage,commune,69001,2021,44.5,40.1,48.9,ok\n"
       "depistage,commune,99999,2021,abc,,,ok\n")


def _upload(client, text: str, clear: str):
    return client.post("/api/imports/valeurs", {"file": SimpleUploadedFile("valeurs.csv", text.encode())},
                       **bearer(clear))


def test_an_administrator_imports_values(client, sample):
    _admin, _token, clear = user_with_token("admin", superuser=True)
    response = _upload(client, GOOD, clear)
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    assert Value.objects.filter(indicator__code="depistage", territory__code="69001").get().value == 44.5
    again = _upload(client, GOOD, clear).json()
    assert again["created"] == 0 and again["unchanged"] == 2


def test_a_faulty_file_imports_nothing_and_says_where(client, sample):
    _admin, _token, clear = user_with_token("admin", superuser=True)
    before = Value.objects.count()
    response = _upload(client, BAD, clear)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "api_request_invalid" and "rien n'a été importé" in body["detail"]
    assert any("ligne 3" in line for line in body["errors"])
    assert Value.objects.count() == before


def test_importing_needs_the_regional_administrator_role(client, sample):
    _user, _token, clear = user_with_token("lecteur")
    response = _upload(client, GOOD, clear)
    assert response.status_code == 403 and response.json()["code"] == "api_forbidden"
    assert _upload(client, GOOD, "").status_code in (400, 401)


def test_the_coordinator_creates_an_action_sheet_with_history(client, sample):
    made = contracts(sample)
    user, _token, clear = user_with_token("coord", role=COORDINATOR, contract=made["public"])
    payload = {"code": "FA-1.2", "title": "Ateliers nutrition", "axis": 1, "objectives": "Réduire l'obésité",
               "publics": ["enfants"], "status": "prevue", "ists_contribution": True}
    response = client.post("/api/contrats/CLS-PUB/fiches", payload, content_type="application/json",
                           **bearer(clear))
    assert response.status_code == 201, response.content
    assert response.json()["axis"] == 1
    sheet = ActionSheet.objects.get(contract=made["public"], code="FA-1.2")
    assert sheet.publics == ["enfants"] and sheet.ists_contribution is True
    assert ChangeRecord.objects.filter(sheet=sheet, user=user).exists()
    # the form's checks: a duplicate code is refused, in French, with nothing written
    duplicate = client.post("/api/contrats/CLS-PUB/fiches", payload, content_type="application/json",
                            **bearer(clear))
    assert duplicate.status_code == 400 and duplicate.json()["errors"]
    assert ActionSheet.objects.filter(contract=made["public"], code="FA-1.2").count() == 1


def test_creating_a_sheet_in_a_contract_one_may_not_edit_is_forbidden(client, sample):
    made = contracts(sample)
    _user, _token, clear = user_with_token("lecteur")
    response = client.post("/api/contrats/CLS-PUB/fiches", {"code": "FA-3", "title": "x"},
                           content_type="application/json", **bearer(clear))
    assert response.status_code == 403
    hidden = client.post("/api/contrats/CLS-PRIVE/fiches", {"code": "FA-3", "title": "x"},
                         content_type="application/json", **bearer(clear))
    assert hidden.status_code == 404  # its existence is not disclosed
    assert not ActionSheet.objects.filter(code="FA-3").exists()
    assert made


def test_suggestions_need_an_editor(client, sample):
    contracts(sample)
    _user, _token, clear = user_with_token("lecteur")
    response = client.post("/api/grille/suggestions", {"text": "Dépistage bucco-dentaire des enfants"},
                           content_type="application/json", **bearer(clear))
    assert response.status_code == 403


@pytest.mark.slow
def test_suggestions_for_a_text(client, sample):
    made = contracts(sample)
    _user, _token, clear = user_with_token("coord", role=COORDINATOR, contract=made["public"])
    response = client.post("/api/grille/suggestions",
                           {"text": "Dépistage bucco-dentaire des enfants des écoles maternelles du quartier"},
                           content_type="application/json", **bearer(clear))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grid_version"] == "v1" and "Propositions" in body["note"]
    assert all(0 <= s["score"] <= 1 for s in body["determinants"] + body["strategies"] + body["themes"])
