"""The history is complete and immutable: a change made in the technical administration is recorded
(through « admin ») and makes an open form stale; nobody can change or delete a history row; deleting
is a soft delete that a regional administrator restores from the site, history intact."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from contracts.sample import PASSWORD
from equisante.contracts.models import ActionSheet, ChangeRecord, Contract, Meeting
from equisante.errors import EquisanteError

pytestmark = pytest.mark.django_db

VEY = "/contrats/CLS-01-VEY/"


@pytest.fixture
def superuser(registry):
    return get_user_model().objects.create_superuser("technique", password=PASSWORD)


def _value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def admin_change_data(obj, user, **overrides) -> dict:
    """What the admin's change form of ``obj`` posts when nothing is touched, plus ``overrides``."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj)(instance=obj)
    data = {name: _value(form[name].value()) for name in form.fields}
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj, prefix=formset_class.get_default_prefix())
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _value(inline_form[name].value())
    for key, value in overrides.items():
        data[key] = value
    return {k: v for k, v in data.items() if v is not None}


def _token(response) -> str:
    return re.search(r'name="version" value="([^"]*)"', response.content.decode()).group(1)


def test_an_admin_edit_of_a_sheet_is_recorded_and_makes_an_open_form_stale(client, registry, superuser):
    sheet = registry["sheets"]["FA-1.2"]
    coordinator = client
    coordinator.login(username="coord01", password=PASSWORD)
    form = coordinator.get(VEY + "fiches/FA-1.2/modifier/")
    assert 'name="version" value="1"' in form.content.decode()

    from django.test import Client

    technical = Client()
    technical.force_login(superuser)
    response = technical.post(f"/admin/contracts/actionsheet/{sheet.pk}/change/",
                              admin_change_data(sheet, superuser, title="Titre corrigé par l'administration"))
    assert response.status_code == 302, response.content.decode()[:3000]
    sheet.refresh_from_db()
    assert (sheet.title, sheet.version) == ("Titre corrigé par l'administration", 2)
    record = ChangeRecord.objects.filter(sheet=sheet).latest("id")
    assert (record.channel, record.user, record.version, record.action) == ("admin", superuser, 2, "modification")
    assert {"field": "title", "label": "intitulé", "before": "Dépistage bucco-dentaire dans les écoles maternelles",
            "after": "Titre corrigé par l'administration"} in record.changes

    # the coordinator's form, prepared on version 1, saves another field: refused, nothing reverted
    from contracts.test_views import _sheet_post

    stale = registry["sheets"]["FA-1.2"]
    stale.version = 1
    page = coordinator.post(VEY + "fiches/FA-1.2/modifier/", _sheet_post(stale, budget="500")).content.decode()
    assert "Modification concurrente" in page and "technique" in page
    sheet.refresh_from_db()
    assert (sheet.title, sheet.budget) == ("Titre corrigé par l'administration", None)


def test_meeting_minutes_edited_in_the_admin_are_recorded_and_refuse_a_stale_form(client, registry, superuser):
    meeting = Meeting.objects.get(minutes="Bilan annuel.")
    committee = meeting.committee
    client.login(username="coord01", password=PASSWORD)
    url = f"{VEY}reunions/{meeting.pk}/modifier/"
    prepared = _token(client.get(url))

    from django.test import Client

    technical = Client()
    technical.force_login(superuser)
    data = admin_change_data(committee, superuser)
    index = next(k for k, v in data.items() if k.endswith("-minutes") and v == "Bilan annuel.")
    data[index] = "Bilan annuel, corrigé."
    response = technical.post(f"/admin/contracts/committee/{committee.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ChangeRecord.objects.latest("id")
    assert record.channel == "admin" and record.user == superuser
    assert record.changes == [{"field": f"reunion:{meeting.pk}:minutes", "label": "compte rendu",
                               "before": "Bilan annuel.", "after": "Bilan annuel, corrigé."}]
    response = client.post(url, {"committee": committee.pk, "date": meeting.date.isoformat(), "agenda": "",
                                 "minutes": "Bilan annuel (coordination).", "version": prepared})
    assert response.status_code == 200 and "Modification concurrente" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Bilan annuel, corrigé."


def test_deleting_in_the_admin_is_a_recorded_soft_delete(client, registry, superuser):
    sheet = registry["sheets"]["FA-2.1"]
    client.force_login(superuser)
    response = client.post(f"/admin/contracts/actionsheet/{sheet.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ActionSheet.objects.filter(pk=sheet.pk).exists()
    stored = ActionSheet.all_objects.get(pk=sheet.pk)
    assert stored.deleted_by == superuser and stored.version == 2
    record = ChangeRecord.objects.filter(sheet=stored).latest("id")
    assert (record.action, record.channel, record.version) == ("suppression", "admin", 2)


def test_no_role_can_change_or_delete_history(client, registry, superuser):
    from equisante.contracts import services

    services.update_sheet(registry["sheets"]["FA-1.2"], {"budget": 100}, user=registry["users"]["coord01"])
    record = ChangeRecord.objects.latest("id")
    record.note = "réécrit"
    with pytest.raises(EquisanteError):
        record.save()
    with pytest.raises(EquisanteError):
        record.delete()
    with pytest.raises(EquisanteError):
        ChangeRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(EquisanteError):
        ChangeRecord.objects.filter(pk=record.pk).update(note="réécrit")
    # a cascade may not take the history either: deleting a contract for real is refused
    contract = registry["contracts"]["CLS-01-VEY"]
    from django.db import transaction

    with pytest.raises(EquisanteError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).delete()
    assert Contract.objects.filter(pk=contract.pk).exists()
    # the technical administration, superuser included, only reads it
    client.force_login(superuser)
    assert client.get(f"/admin/contracts/changerecord/{record.pk}/delete/").status_code == 403
    assert client.post(f"/admin/contracts/changerecord/{record.pk}/change/", {"note": "x"}).status_code == 403
    assert client.post("/admin/contracts/changerecord/", {"action": "delete_selected",
                                                          "_selected_action": [record.pk]}).status_code in (200, 302)
    assert ChangeRecord.objects.filter(pk=record.pk, note="").exists()
    # and no page of the site changes it: the other roles have no history page that writes
    for name in ("admin", "referent01", "coord01", "partner01", "citizen"):
        client.force_login(registry["users"][name])
        client.post(VEY + "historique/", {"note": "x"})
    assert ChangeRecord.objects.get(pk=record.pk).note == ""


def test_a_deleted_contract_is_restored_with_its_sheets_and_history(client, registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client.login(username="admin", password=PASSWORD)
    client.post(VEY + "fiches/FA-1.2/modifier/", {})  # nothing: keeps the sample's history as it is
    before = ChangeRecord.objects.filter(contract=contract).count()
    sheets = set(contract.sheets.values_list("code", flat=True))
    assert client.get(VEY + "supprimer/").status_code == 200
    assert client.post(VEY + "supprimer/").status_code == 302
    assert client.get(VEY).status_code == 404
    assert "CLS de la Veyle" not in client.get("/contrats/").content.decode()
    assert not ActionSheet.objects.filter(contract_id=contract.pk).exists()
    trash = client.get("/contrats/corbeille/").content.decode()
    assert "CLS de la Veyle (CLS-01-VEY)" in trash
    response = client.post("/contrats/corbeille/restaurer/", {"type": "contrat", "id": contract.pk, "ouvrir": "oui"})
    assert response["Location"] == VEY + "historique/"
    assert set(Contract.objects.get(pk=contract.pk).sheets.values_list("code", flat=True)) == sheets
    records = ChangeRecord.objects.filter(contract=contract).order_by("id")
    assert records.count() == before + 2
    assert [r.action for r in records][-2:] == ["suppression", "restauration"]
    history = client.get(VEY + "historique/").content.decode()
    assert "restauration" in history and "suppression" in history


def test_sheet_deleted_on_the_site_then_restored(client, registry):
    client.login(username="coord01", password=PASSWORD)
    response = client.post(VEY + "fiches/FA-1.2/supprimer/", {"version": "1"})
    assert response.status_code == 302
    assert client.get(VEY + "fiches/FA-1.2/").status_code == 404
    client.login(username="coord01", password=PASSWORD)
    assert client.get("/contrats/corbeille/").status_code == 403  # restoring is for regional administrators
    client.login(username="admin", password=PASSWORD)
    sheet = ActionSheet.all_objects.get(code="FA-1.2")
    client.post("/contrats/corbeille/restaurer/", {"type": "fiche", "id": sheet.pk})
    sheet.refresh_from_db()
    assert sheet.deleted_at is None and sheet.version == 3
    assert [r.action for r in ChangeRecord.objects.filter(sheet=sheet).order_by("id")][-2:] == \
        ["suppression", "restauration"]


def test_a_new_element_may_not_take_the_code_of_a_deleted_one(registry):
    from django.core.exceptions import ValidationError

    from equisante.contracts import recycling, services

    contract = registry["contracts"]["CLS-69-AFF"]
    recycling.delete_contract(contract)
    with pytest.raises(ValidationError, match="corbeille"):
        services.create_contract({"code": "CLS-69-AFF", "name": "Doublon"})
