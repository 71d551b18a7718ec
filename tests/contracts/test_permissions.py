"""Roles: who may see and edit which contract (one test per role), and the pages enforcing it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from equisante.contracts import permissions as p


def _codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_regional_admin_sees_and_edits_everything(registry):
    admin = registry["users"]["admin"]
    for contract in registry["contracts"].values():
        assert p.can_view_contract(admin, contract)
        assert p.can_edit_contract(admin, contract)
        assert p.can_view_history(admin, contract)
    assert _codes(p.visible_contracts(admin)) == ["CLS-01-VEY", "CLS-69-AFF"]
    assert p.is_regional_admin(admin)


def test_superuser_counts_as_regional_admin(registry, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x" * 12)
    assert p.can_edit_contract(boss, registry["contracts"]["CLS-69-AFF"])


def test_departmental_referent_covers_only_their_departement(registry):
    referent = registry["users"]["referent01"]
    ain, rhone = registry["contracts"]["CLS-01-VEY"], registry["contracts"]["CLS-69-AFF"]
    assert p.can_edit_contract(referent, ain)
    assert not p.can_view_contract(referent, rhone)  # not published, other département
    assert not p.can_edit_contract(referent, rhone)
    assert _codes(p.editable_contracts(referent)) == ["CLS-01-VEY"]


def test_coordinator_edits_their_own_contract_only(registry):
    coord = registry["users"]["coord01"]
    ain, rhone = registry["contracts"]["CLS-01-VEY"], registry["contracts"]["CLS-69-AFF"]
    assert p.can_edit_contract(coord, ain)
    assert p.can_edit_sheet(coord, registry["sheets"]["FA-1.1"])
    assert not p.can_edit_contract(coord, rhone)
    assert not p.can_view_contract(coord, rhone)
    other = registry["users"]["coord69"]
    assert p.can_view_contract(other, ain)  # published: everyone reads it
    assert not p.can_edit_contract(other, ain)
    assert not p.can_edit_sheet(other, registry["sheets"]["FA-1.1"])


def test_partner_reads_their_contract_with_its_history_but_cannot_edit(registry):
    partner = registry["users"]["partner01"]
    ain = registry["contracts"]["CLS-01-VEY"]
    assert p.can_view_contract(partner, ain)
    assert p.can_view_history(partner, ain)
    assert not p.can_edit_contract(partner, ain)
    assert not p.can_import(partner)


def test_partner_reads_an_unpublished_contract(registry):
    partner = registry["users"]["partner01"]
    ain = registry["contracts"]["CLS-01-VEY"]
    ain.published = False
    ain.save()
    assert p.can_view_contract(partner, ain)
    assert not p.can_view_contract(registry["users"]["citizen"], ain)


def test_public_reads_published_contracts_only_without_history(registry):
    for user in (AnonymousUser(), registry["users"]["citizen"]):
        assert _codes(p.visible_contracts(user)) == ["CLS-01-VEY"]
        assert p.can_view_contract(user, registry["contracts"]["CLS-01-VEY"])
        assert not p.can_view_history(user, registry["contracts"]["CLS-01-VEY"])
        assert not p.can_edit_contract(user, registry["contracts"]["CLS-01-VEY"])
        assert not p.can_import(user)


def test_pages_enforce_the_roles(registry, client):
    from contracts.sample import PASSWORD

    sheet_url = "/contrats/CLS-01-VEY/fiches/FA-1.1/"
    # the public: the published contract and its sheet, no edit, no history; the other contract hidden
    assert client.get("/contrats/CLS-01-VEY/").status_code == 200
    page = client.get(sheet_url)
    assert page.status_code == 200 and "Historique de la fiche" not in page.content.decode()
    assert client.get("/contrats/CLS-69-AFF/").status_code == 404
    assert client.get(sheet_url + "modifier/").status_code == 302  # to the login page
    # another contract's coordinator: reads, cannot edit or code
    client.login(username="coord69", password=PASSWORD)
    assert client.get(sheet_url + "modifier/").status_code == 403
    assert client.get(sheet_url + "codage/").status_code == 403
    assert client.post(sheet_url + "codage/", {"action": "validate"}).status_code == 403
    assert client.get("/contrats/CLS-01-VEY/fiches/nouvelle/").status_code == 403
    # the partner: reads the history, cannot edit
    client.login(username="partner01", password=PASSWORD)
    assert "Historique de la fiche" in client.get(sheet_url).content.decode()
    assert client.get(sheet_url + "modifier/").status_code == 403
    assert client.get("/contrats/importer/").status_code == 403
    # the coordinator and the referent: edit
    for name in ("coord01", "referent01", "admin"):
        client.login(username=name, password=PASSWORD)
        assert client.get(sheet_url + "modifier/").status_code == 200
        assert client.get(sheet_url + "codage/").status_code == 200
