"""Editing pages of the contracts registry, with the Django test client: creating and editing a
contract (roles, pickers, French validation messages per field, refusal of stale saves with the input
kept), its governance (committees, members, meetings, coordinator posts), its axes (add, reorder,
delete when empty), the actors directory, and the history of all these changes."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.test import Client

from contracts.sample import PASSWORD
from equisante.contracts.editing import contract_token, part_token
from equisante.contracts.editing_forms import ContractForm
from equisante.contracts.models import (
    Actor,
    ChangeRecord,
    Committee,
    CommitteeMember,
    Contract,
    CoordinatorPost,
    Meeting,
    StrategicAxis,
)

VEY = "/contrats/CLS-01-VEY/"


def _client(name: str | None) -> Client:
    client = Client()
    if name:
        assert client.login(username=name, password=PASSWORD)
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _token(response) -> str:
    """The edit token of the form on a page (hidden field ``version``)."""
    match = re.search(r'name="version" value="([^"]*)"', response.content.decode())
    assert match, "no version field on the page"
    return html.unescape(match.group(1))


def _field_error(page: str, field_id: str) -> str:
    """The error text shown under a field (the DSFR snippet puts it in ``<div id="…-desc-error">``)."""
    start = page.find(f'id="{field_id}-desc-error"')
    assert start != -1, f"no error under {field_id}"
    return re.sub(r"<[^>]+>", " ", page[start:page.find("</div>", start)])


def _contract_post(contract: Contract | None = None, **overrides) -> dict:
    """The fields of the contract form as a browser posts them, from ``contract`` (or empty)."""
    initial = ContractForm.initial_from(contract) if contract else {}
    data = {}
    for name in ContractForm.base_fields:
        value = initial.get(name)
        if name == "published":
            if value:
                data[name] = "on"
            continue
        if isinstance(value, list):
            data[name] = [str(x) for x in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = "" if value is None else str(value)
    data["action"] = "save"
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


# --- creating a contract ---------------------------------------------------------------------------------

def test_referent_creates_a_contract_in_their_departement(registry):
    t, actors = registry["territories"], registry["actors"]
    client = _client("referent01")
    page = _text(client.get("/contrats/nouveau/"))
    assert "Nouveau contrat local de santé" in page
    assert "Ain (01)" in page and "Rhône (69)" not in page  # only their département is offered
    # another département is refused, with the French message under the field
    response = client.post("/contrats/nouveau/", _contract_post(code="CLS-69-NEW", name="Nouveau", status="preparation",
                                                                 departement=str(t["69"].pk)))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in _field_error(_text(response), "id_departement")
    assert not Contract.objects.filter(code="CLS-69-NEW").exists()

    response = client.post("/contrats/nouveau/", _contract_post(
        code="CLS-01-AMB", name="CLS d'Ambérieu", departement=str(t["01"].pk), generation="2", status="signe",
        signed_on="2024-06-12", starts_on="2024-07-01", ends_on="2029-06-30", published="on",
        perimeter=[str(t["01003"].pk), str(t["200000001"].pk)], signatories=[str(actors["ARS de démonstration"].pk)],
        ists_objective="oui", ists_objective_text="Réduire les écarts d'espérance de vie entre quartiers.",
        diagnosis_with_residents="oui", evaluation_plan="non"))
    assert response.status_code == 302 and response["Location"] == "/contrats/CLS-01-AMB/"
    contract = Contract.objects.get(code="CLS-01-AMB")
    assert contract.departement == t["01"] and contract.published and contract.generation == "2"
    assert contract.diagnosis_with_residents is True and contract.evaluation_plan is False
    assert contract.ists_objective is True
    assert {x.code for x in contract.perimeter.all()} == {"01003", "200000001"}
    record = ChangeRecord.objects.get(contract=contract)
    assert record.action == "creation" and record.user.username == "referent01"
    changed = {c["field"]: c["after"] for c in record.changes}
    assert "Ambérieu (01003)" in changed["perimeter"] and changed["diagnosis_with_residents"] == "oui"
    # the new contract is the referent's to edit
    assert client.get("/contrats/CLS-01-AMB/modifier/").status_code == 200


@pytest.mark.parametrize("name, status", [("coord01", 403), ("partner01", 403), ("citizen", 403), (None, 302)])
def test_only_administration_and_referents_create_contracts(registry, name, status):
    client = _client(name)
    assert client.get("/contrats/nouveau/").status_code == status
    assert client.post("/contrats/nouveau/", _contract_post(code="X-1", name="X")).status_code == status
    assert not Contract.objects.filter(code="X-1").exists()


def test_administrator_creates_anywhere_and_the_list_offers_it(registry):
    client = _client("admin")
    page = _text(client.get("/contrats/"))
    assert 'href="/contrats/nouveau/"' in page and 'href="/contrats/acteurs/"' in page
    page = _text(client.get("/contrats/nouveau/"))
    assert "Ain (01)" in page and "Rhône (69)" in page
    assert 'href="/contrats/nouveau/"' not in _text(_client("coord01").get("/contrats/"))


def test_validation_errors_are_french_under_each_field_and_keep_the_input(registry):
    t = registry["territories"]
    client = _client("admin")
    before = Contract.objects.count()
    response = client.post("/contrats/nouveau/", _contract_post(
        code="CLS 01 BIS", name="", departement=str(t["01"].pk), status="preparation", starts_on="2025-01-01",
        ends_on="2024-12-31", summary="Un texte saisi qui ne doit pas se perdre.", ists_objective="non",
        ists_objective_text="Objectif écrit", diagnosis_date="2025-02-31"))
    assert response.status_code == 200
    page = _text(response)
    assert "Rien n’a été enregistré : le formulaire contient des erreurs" in page
    assert "Code invalide : lettres sans accent" in _field_error(page, "id_code")
    assert "Ce champ est obligatoire." in _field_error(page, "id_name")
    assert "La fin (31/12/2024) précède le début (01/01/2025)." in _field_error(page, "id_ends_on")
    assert "Saisissez une date valide." in _field_error(page, "id_diagnosis_date")
    assert "répondre « Oui » ou effacer le texte" in _field_error(page, "id_ists_objective")
    assert "Un texte saisi qui ne doit pas se perdre." in page and 'value="CLS 01 BIS"' in page
    assert Contract.objects.count() == before
    # reserved and duplicate codes
    page = _text(client.post("/contrats/nouveau/", _contract_post(code="acteurs", name="A", departement=str(t["01"].pk),
                                                                  status="preparation")))
    assert "« acteurs » est réservé aux pages du site" in _field_error(page, "id_code")
    page = _text(client.post("/contrats/nouveau/", _contract_post(code="cls-01-vey", name="A",
                                                                  departement=str(t["01"].pk), status="preparation")))
    assert "Le code « CLS-01-VEY » est déjà celui du contrat « CLS de la Veyle »." in _field_error(page, "id_code")


def test_territory_picker_searches_without_saving_or_losing_input(registry):
    t = registry["territories"]
    client = _client("referent01")
    data = _contract_post(code="", name="Nom en cours de saisie", departement=str(t["01"].pk), status="preparation",
                          perimeter=[str(t["01001"].pk)], perimeter_q="tilleuls", action="search-perimeter")
    response = client.post("/contrats/nouveau/", data)
    assert response.status_code == 200
    page = _text(response)
    assert 'value="Nom en cours de saisie"' in page
    assert "Ce champ est obligatoire." not in page  # a search is not a save: no field errors
    assert re.search(rf'id="perimeter-found-{t["QP001"].pk}" name="perimeter" value="{t["QP001"].pk}">', page)
    assert "Quartier des Tilleuls — Quartier prioritaire (QPV) QP001 (commune : Saint-Étienne-du-Bois)" in page
    assert re.search(rf'id="perimeter-{t["01001"].pk}" name="perimeter" value="{t["01001"].pk}" checked>', page)
    # by code, and only within the chosen département
    page = _text(client.post("/contrats/nouveau/", {**data, "perimeter_q": "0100", "perimeter_level": "commune"}))
    assert f'perimeter-found-{t["01002"].pk}"' in page and f'perimeter-found-{t["01003"].pk}"' in page
    assert f'perimeter-found-{t["01001"].pk}"' not in page  # already chosen
    page = _text(client.post("/contrats/nouveau/", {**data, "perimeter_q": "Affoux"}))
    assert "Aucun résultat pour « Affoux »" in page
    # the signatory picker searches the directory (accents and case ignored)
    page = _text(client.post("/contrats/nouveau/", {**data, "signatories_q": "prefecture",
                                                    "action": "search-signatories"}))
    assert re.search(r'id="signatories-found-\d+" name="signatories" value="\d+">\s*<label class="fr-label" '
                     r'for="signatories-found-\d+">Préfecture de l\'Ain — Services de l\'État', page)
    assert not Contract.objects.filter(name="Nom en cours de saisie").exists()


# --- editing a contract ----------------------------------------------------------------------------------

def test_coordinator_edits_their_own_contract_and_history_records_it(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client = _client("coord01")
    response = client.get(VEY + "modifier/")
    assert response.status_code == 200
    response = client.post(VEY + "modifier/", _contract_post(
        contract, version=_token(response), name="CLS de la Veyle et du Bois", diagnosis_with_residents="oui",
        diagnosis_summary="Diagnostic partagé avec le conseil citoyen.",
        departement=str(registry["territories"]["69"].pk)))  # a coordinator cannot move the contract
    assert response.status_code == 302 and response["Location"] == VEY
    contract.refresh_from_db()
    assert contract.name == "CLS de la Veyle et du Bois" and contract.diagnosis_with_residents is True
    assert contract.departement.code == "01"
    record = ChangeRecord.objects.filter(contract=contract, sheet=None).latest("at")
    assert record.user.username == "coord01" and record.action == "modification"
    labels = {c["label"]: (c["before"], c["after"]) for c in record.changes}
    assert labels["nom"] == ("CLS de la Veyle", "CLS de la Veyle et du Bois")
    assert labels["habitants associés au diagnostic"] == ("non", "oui")
    assert "département" not in labels
    # the contract page shows it in its history, with who and what
    page = _text(client.get(VEY))
    assert "CLS de la Veyle et du Bois" in page and "habitants associés au diagnostic" in page
    # saving again without change writes nothing
    response = client.get(VEY + "modifier/")
    client.post(VEY + "modifier/", _contract_post(contract, version=_token(response)))
    assert ChangeRecord.objects.filter(contract=contract, sheet=None).count() == 1


@pytest.mark.parametrize("name, status", [("coord69", 403), ("partner01", 403), ("citizen", 403), (None, 302),
                                          ("referent01", 200), ("admin", 200)])
def test_who_may_edit_a_contract(registry, name, status):
    assert _client(name).get(VEY + "modifier/").status_code == status


def test_unpublished_contract_is_hidden_from_others(registry):
    assert _client("coord01").get("/contrats/CLS-69-AFF/modifier/").status_code == 404
    assert _client("referent01").get("/contrats/CLS-69-AFF/axes/ajouter/").status_code == 404
    assert _client(None).get("/contrats/CLS-69-AFF/").status_code == 404
    assert _client("coord69").get("/contrats/CLS-69-AFF/modifier/").status_code == 200


def test_partner_and_public_read_without_editing_controls(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    for name in ("partner01", None, "citizen"):
        page = _text(_client(name).get(VEY))
        for control in ("Modifier le contrat", "Ajouter un axe", "Ajouter une réunion", "Retirer",
                        "Ajouter une instance de gouvernance"):
            assert control not in page, (name, control)
    assert "Tout l’historique" in _text(_client("partner01").get(VEY))
    assert "Tout l’historique" not in _text(_client(None).get(VEY))
    editor_page = _text(_client("coord01").get(VEY))
    for control in ("Modifier le contrat", "Ajouter un axe", "Ajouter une réunion", "Retirer", "Monter"):
        assert control in editor_page, control
    # a partner's posts are refused and change nothing
    partner = _client("partner01")
    member = CommitteeMember.objects.filter(committee__contract=contract).first()
    assert partner.post(f"{VEY}membres/{member.pk}/supprimer/", {"version": part_token(member)}).status_code == 403
    assert partner.post(f"{VEY}axes/ajouter/", {"number": 3, "title": "Axe"}).status_code == 403
    assert partner.post(VEY + "modifier/", _contract_post(contract, version=contract_token(contract),
                                                          name="Piraté")).status_code == 403
    assert CommitteeMember.objects.filter(pk=member.pk).exists() and not StrategicAxis.objects.filter(number=3).exists()
    contract.refresh_from_db()
    assert contract.name == "CLS de la Veyle"


def test_stale_contract_edit_is_refused_and_the_input_kept(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    coordinator, referent = _client("coord01"), _client("referent01")
    prepared = _token(coordinator.get(VEY + "modifier/"))
    # meanwhile the referent changes the status
    fresh = _token(referent.get(VEY + "modifier/"))
    response = referent.post(VEY + "modifier/", _contract_post(contract, version=fresh, status="evaluation"))
    assert response.status_code == 302
    # the coordinator saves on the old state: refused, told who changed what, input kept
    mine = _contract_post(contract, version=prepared, evaluation_note="Évaluation par l'observatoire régional.")
    response = coordinator.post(VEY + "modifier/", mine)
    assert response.status_code == 200
    page = _text(response)
    assert "Modification concurrente : rien n’a été enregistré" in page and "referent01" in page
    assert "statut" in page and "En évaluation" in page
    assert "Évaluation par l'observatoire régional.</textarea>" in page
    contract.refresh_from_db()
    assert contract.evaluation_note == "" and contract.status == "evaluation"
    # saving again, knowingly, goes through (and replaces the status the form still holds)
    response = coordinator.post(VEY + "modifier/", {**mine, "version": _token(response)})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.evaluation_note == "Évaluation par l'observatoire régional."
    assert contract.status == "mise-en-oeuvre"


def test_changing_the_code_moves_the_page(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client = _client("admin")
    response = client.post(VEY + "modifier/", _contract_post(contract, version=contract_token(contract),
                                                             code="CLS-01-VEYLE"))
    assert response.status_code == 302 and response["Location"] == "/contrats/CLS-01-VEYLE/"
    assert client.get("/contrats/CLS-01-VEYLE/").status_code == 200


# --- governance ------------------------------------------------------------------------------------------

def test_committee_members_add_and_remove(registry):
    contract, actors = registry["contracts"]["CLS-01-VEY"], registry["actors"]
    client = _client("coord01")
    copil = contract.committees.get(kind="pilotage")
    page = _text(client.get(f"{VEY}membres/ajouter/?instance={copil.pk}"))
    assert f'<option value="{copil.pk}" selected>' in page
    # neither an actor nor a person: a French message under the actor field
    response = client.post(f"{VEY}membres/ajouter/", {"committee": copil.pk, "actor": "", "person": "", "role": "x"})
    assert "Choisir un acteur de l’annuaire ou écrire le nom d’une personne" in \
        _field_error(_text(response), "id_actor")
    # twice the same actor
    response = client.post(f"{VEY}membres/ajouter/", {"committee": copil.pk,
                                                      "actor": actors["ARS de démonstration"].pk})
    assert "est déjà membre de « Comité de pilotage »" in _field_error(_text(response), "id_actor")
    response = client.post(f"{VEY}membres/ajouter/", {"committee": copil.pk, "actor": actors["CPAM de l'Ain"].pk,
                                                      "role": "membre", "resident": ""})
    assert response.status_code == 302 and response["Location"] == VEY + "#gouvernance"
    member = copil.members.get(actor=actors["CPAM de l'Ain"])
    record = ChangeRecord.objects.filter(contract=contract).latest("at")
    assert record.action == "creation" and record.user.username == "coord01"
    assert "CPAM de l'Ain" in record.object_label and "Comité de pilotage" in record.object_label
    # remove it from the contract page's button
    page = _text(client.get(VEY))
    assert f'action="/contrats/CLS-01-VEY/membres/{member.pk}/supprimer/"' in page
    response = client.post(f"{VEY}membres/{member.pk}/supprimer/", {"version": part_token(member)})
    assert response.status_code == 302 and not CommitteeMember.objects.filter(pk=member.pk).exists()
    record = ChangeRecord.objects.filter(contract=contract).latest("at")
    assert record.action == "suppression"
    assert {"label": "acteur", "before": "CPAM de l'Ain", "after": ""}.items() <= \
        next(c for c in record.changes if c["label"] == "acteur").items()


def test_committee_added_edited_and_deleted_only_when_empty(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client = _client("referent01")
    response = client.post(f"{VEY}instances/ajouter/", {"kind": "groupe-de-travail", "name": "Groupe santé mentale",
                                                        "chair": ""})
    assert response.status_code == 302
    group = contract.committees.get(name="Groupe santé mentale")
    edit = client.get(f"{VEY}instances/{group.pk}/modifier/")
    response = client.post(f"{VEY}instances/{group.pk}/modifier/", {"kind": "groupe-de-travail",
                                                                    "name": "Groupe santé mentale", "chair": "CMP",
                                                                    "version": _token(edit)})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.chair == "CMP"
    copil = contract.committees.get(kind="pilotage")
    page = _text(client.get(f"{VEY}instances/{copil.pk}/supprimer/"))
    assert "Impossible de le supprimer pour l’instant" in page and "2 membres et 2 réunions" in page
    response = client.post(f"{VEY}instances/{copil.pk}/supprimer/", {"version": part_token(copil)})
    assert response.status_code == 200 and "Suppression impossible" in _text(response)
    assert Committee.objects.filter(pk=copil.pk).exists()
    response = client.post(f"{VEY}instances/{group.pk}/supprimer/", {"version": part_token(group)})
    assert response.status_code == 302 and not Committee.objects.filter(pk=group.pk).exists()


def test_meetings_added_and_edited_with_minutes(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client = _client("coord01")
    technical = contract.committees.get(kind="technique")
    response = client.post(f"{VEY}reunions/ajouter/", {"committee": technical.pk, "date": "2025-02-31", "agenda": "",
                                                       "minutes": "Compte rendu à garder."})
    page = _text(response)
    assert "Saisissez une date valide." in _field_error(page, "id_date") and "Compte rendu à garder." in page
    response = client.post(f"{VEY}reunions/ajouter/", {"committee": technical.pk, "date": "2025-03-12",
                                                       "agenda": "Programmation 2025",
                                                       "minutes": "Trois actions validées."})
    assert response.status_code == 302
    meeting = technical.meetings.get()
    assert meeting.date == datetime.date(2025, 3, 12)
    edit = client.get(f"{VEY}reunions/{meeting.pk}/modifier/")
    assert "Trois actions validées." in _text(edit)
    response = client.post(f"{VEY}reunions/{meeting.pk}/modifier/", {
        "committee": technical.pk, "date": "2025-03-12", "agenda": "Programmation 2025",
        "minutes": "Trois actions validées ; une reportée.", "version": _token(edit)})
    assert response.status_code == 302
    record = ChangeRecord.objects.filter(contract=contract).latest("at")
    assert record.object_label == "Réunion du 12/03/2025 de « Comité technique »"
    assert record.changes == [{"field": f"reunion:{meeting.pk}:minutes", "label": "compte rendu",
                               "before": "Trois actions validées.", "after": "Trois actions validées ; une reportée."}]
    page = _text(client.get(VEY))
    assert "Trois actions validées ; une reportée." in page


def test_stale_meeting_edit_is_refused_and_a_deleted_one_comes_back_as_new(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    meeting = Meeting.objects.filter(committee__contract=contract).order_by("-date").first()
    coordinator, referent = _client("coord01"), _client("referent01")
    url = f"{VEY}reunions/{meeting.pk}/modifier/"
    prepared = _token(coordinator.get(url))
    base = {"committee": meeting.committee_id, "date": meeting.date.isoformat(), "agenda": ""}
    assert referent.post(url, {**base, "minutes": "Version du référent.",
                               "version": _token(referent.get(url))}).status_code == 302
    response = coordinator.post(url, {**base, "minutes": "Version de la coordinatrice.", "version": prepared})
    page = _text(response)
    assert response.status_code == 200 and "Modification concurrente" in page and "referent01" in page
    assert "Version du référent." in page and "Version de la coordinatrice." in page
    meeting.refresh_from_db()
    assert meeting.minutes == "Version du référent."
    # the referent deletes it; the coordinator's save keeps her text and offers to add it again
    assert referent.post(f"{VEY}reunions/{meeting.pk}/supprimer/", {"version": part_token(meeting)}).status_code == 302
    response = coordinator.post(url, {**base, "minutes": "Version de la coordinatrice.", "version": _token(response)})
    page = _text(response)
    assert response.status_code == 200 and "Élément supprimé entre-temps" in page and "referent01" in page
    assert "Version de la coordinatrice." in page and 'action="/contrats/CLS-01-VEY/reunions/ajouter/"' in page
    deletion = ChangeRecord.objects.filter(contract=contract, action="suppression").latest("at")
    assert any(c["before"] == "Version du référent." for c in deletion.changes)  # minutes kept in the history


def test_coordinator_posts_with_decimal_comma_and_funding_checks(registry):
    contract, actors = registry["contracts"]["CLS-01-VEY"], registry["actors"]
    client = _client("coord01")
    response = client.post(f"{VEY}postes/ajouter/", {"holder": "Chargé de mission", "fte": "0", "annual_cost": "30000",
                                                     "ars_funding": "40000"})
    page = _text(response)
    assert "Le temps de travail doit être positif" in _field_error(page, "id_fte")
    assert "Le financement de l’ARS (40000 €) dépasse le coût annuel du poste (30000 €)." in \
        _field_error(page, "id_ars_funding")
    response = client.post(f"{VEY}postes/ajouter/", {"holder": "Chargé de mission", "fte": "0,5",
                                                     "employer": actors["CPAM de l'Ain"].pk, "annual_cost": "30000",
                                                     "ars_funding": "15000", "other_funding": "Commune 15 000 €"})
    assert response.status_code == 302
    post = contract.coordinator_posts.get(holder="Chargé de mission")
    assert post.fte == Decimal("0.50")
    record = ChangeRecord.objects.filter(contract=contract).latest("at")
    assert {"label": "équivalent temps plein", "after": "0,50"}.items() <= \
        next(c for c in record.changes if c["label"] == "équivalent temps plein").items()
    edit = client.get(f"{VEY}postes/{post.pk}/modifier/")
    assert 'value="0,50"' in _text(edit)
    response = client.post(f"{VEY}postes/{post.pk}/modifier/", {
        "holder": "Chargé de mission", "fte": "0,8", "employer": actors["CPAM de l'Ain"].pk, "annual_cost": "30000",
        "ars_funding": "15000", "other_funding": "Commune 15 000 €", "version": _token(edit)})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.fte == Decimal("0.80")
    assert CoordinatorPost.objects.filter(contract=contract).count() == 2


def test_axes_added_reordered_and_deleted_when_empty(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client = _client("coord01")
    page = _text(client.get(f"{VEY}axes/ajouter/"))
    assert 'name="number" value="3"' in page  # the next free number is offered
    response = client.post(f"{VEY}axes/ajouter/", {"number": "1", "title": "Santé mentale"})
    assert "Le contrat a déjà un axe n° 1 (« Accès aux soins »)" in _field_error(_text(response), "id_number")
    assert client.post(f"{VEY}axes/ajouter/", {"number": "3", "title": "Santé mentale"}).status_code == 302
    third = contract.axes.get(number=3)
    # move axis 3 up: it swaps with axis 2, whose sheets follow it
    response = client.post(f"{VEY}axes/{third.pk}/deplacer/", {"sens": "monter", "version": part_token(third)})
    assert response.status_code == 302
    numbers = dict(contract.axes.values_list("title", "number"))
    assert numbers == {"Accès aux soins": 1, "Santé mentale": 2, "Cadre de vie": 3}
    assert registry["sheets"]["FA-2.1"].__class__.objects.get(code="FA-2.1").axis.number == 3
    moves = ChangeRecord.objects.filter(contract=contract, action="modification").order_by("-id")[:2]
    assert sorted((c["before"], c["after"]) for r in moves for c in r.changes) == [("2", "3"), ("3", "2")]
    # the first axis cannot go higher
    first = contract.axes.get(number=1)
    client.post(f"{VEY}axes/{first.pk}/deplacer/", {"sens": "monter", "version": part_token(first)})
    assert contract.axes.get(pk=first.pk).number == 1
    # an axis holding sheets cannot be deleted; an empty one can
    page = _text(client.get(f"{VEY}axes/{first.pk}/supprimer/"))
    assert "2 fiches-action y sont rattachées" in page and "Confirmer la suppression" not in page
    assert client.post(f"{VEY}axes/{first.pk}/supprimer/", {"version": part_token(first)}).status_code == 200
    assert StrategicAxis.objects.filter(pk=first.pk).exists()
    mental = contract.axes.get(title="Santé mentale")
    assert client.post(f"{VEY}axes/{mental.pk}/supprimer/", {"version": part_token(mental)}).status_code == 302
    assert not StrategicAxis.objects.filter(pk=mental.pk).exists()


def test_stale_axis_move_is_refused(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    second = contract.axes.get(number=2)
    token = part_token(second)
    client = _client("coord01")
    edit = client.get(f"{VEY}axes/{second.pk}/modifier/")
    client.post(f"{VEY}axes/{second.pk}/modifier/", {"number": "2", "title": "Cadre de vie et logement",
                                                     "version": _token(edit)})
    response = client.post(f"{VEY}axes/{second.pk}/deplacer/", {"sens": "monter", "version": token}, follow=True)
    assert "rien n’a été déplacé" in _text(response)
    assert contract.axes.get(pk=second.pk).number == 2


# --- the actors directory --------------------------------------------------------------------------------

def test_actor_directory_list_filters_and_search(registry):
    client = _client("partner01")
    page = _text(client.get("/contrats/acteurs/"))
    assert "7 acteurs" in page and "Office HLM du Bois" in page and "Ajouter un acteur" not in page
    page = _text(client.get("/contrats/acteurs/?sector=logement"))
    assert "1 acteur" in page and "Office HLM du Bois" in page and "CPAM de l'Ain" not in page
    page = _text(client.get("/contrats/acteurs/?q=cpam"))
    assert "CPAM de l'Ain" in page and "Office HLM du Bois" not in page
    page = _text(client.get("/contrats/acteurs/?q=prefecture"))  # accents ignored
    assert "Préfecture de l'Ain" in page
    assert _client(None).get("/contrats/acteurs/").status_code == 302


def test_actor_created_by_editors_edited_by_referents_and_recorded(registry):
    actors, contract = registry["actors"], registry["contracts"]["CLS-01-VEY"]
    assert _client("partner01").get("/contrats/acteurs/nouveau/").status_code == 403
    coordinator = _client("coord01")
    response = coordinator.post("/contrats/acteurs/nouveau/", {"name": "cpam de l'ain", "sector": "sante"})
    assert "L’annuaire a déjà un acteur nommé « CPAM de l'Ain »." in _field_error(_text(response), "id_name")
    response = coordinator.post("/contrats/acteurs/nouveau/", {"name": "Maison des adolescents", "sector": ""})
    assert "Ce champ est obligatoire." in _field_error(_text(response), "id_sector")
    response = coordinator.post("/contrats/acteurs/nouveau/", {"name": "Maison des adolescents", "sector": "sante",
                                                               "kind": "association"})
    assert response.status_code == 302 and Actor.objects.filter(name="Maison des adolescents").exists()
    cpam = actors["CPAM de l'Ain"]
    assert coordinator.get(f"/contrats/acteurs/{cpam.pk}/modifier/").status_code == 403
    referent = _client("referent01")
    edit = referent.get(f"/contrats/acteurs/{cpam.pk}/modifier/")
    assert "CLS-01-VEY" in _text(edit)  # the contracts whose history will record it
    response = referent.post(f"/contrats/acteurs/{cpam.pk}/modifier/", {
        "name": "CPAM de l'Ain", "sector": "protection-sociale", "kind": "caisse d'assurance maladie",
        "departement": registry["territories"]["01"].pk, "version": _token(edit)})
    assert response.status_code == 302
    record = ChangeRecord.objects.filter(contract=contract).latest("at")
    assert record.object_label == "Annuaire : CPAM de l'Ain" and record.user.username == "referent01"
    assert {c["label"] for c in record.changes} == {"type", "département"}
    # a stale save of the same actor is refused
    response = referent.post(f"/contrats/acteurs/{cpam.pk}/modifier/", {
        "name": "CPAM", "sector": "protection-sociale", "version": _token(edit)})
    assert response.status_code == 200 and "Modification concurrente" in _text(response)
    assert Actor.objects.get(pk=cpam.pk).name == "CPAM de l'Ain"


# --- history ---------------------------------------------------------------------------------------------

def test_history_page_lists_contract_governance_and_sheet_changes(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    client = _client("coord01")
    client.post(f"{VEY}axes/ajouter/", {"number": "3", "title": "Santé mentale"})
    edit = client.get(VEY + "modifier/")
    client.post(VEY + "modifier/", _contract_post(contract, version=_token(edit), status="evaluation"))
    sheet = registry["sheets"]["FA-1.2"]
    client.post(f"{VEY}fiches/FA-1.2/modifier/", {
        "version": sheet.version, "code": "FA-1.2", "title": "Dépistage bucco-dentaire", "axis": sheet.axis_id,
        "status": "prevue", "lead": sheet.lead_id})
    page = _text(client.get(VEY + "historique/"))
    assert "Axe 3 « Santé mentale »" in page and "En évaluation" in page and "FA-1.2" in page
    assert "coord01" in page
    page = _text(client.get(VEY + "historique/?objet=contrat"))
    assert "Axe 3 « Santé mentale »" in page and "En évaluation" in page and "Dépistage bucco-dentaire" not in page
    page = _text(client.get(VEY + "historique/?objet=fiches"))
    assert "Dépistage bucco-dentaire" in page and "Santé mentale" not in page
    assert _client("partner01").get(VEY + "historique/").status_code == 200
    assert _client("citizen").get(VEY + "historique/").status_code == 403
    assert _client(None).get(VEY + "historique/").status_code == 302


# --- true concurrency (PostgreSQL: row locks) -------------------------------------------------------------

def _race(*saves) -> list[str]:
    """Run the ``saves`` at the same moment in threads; each says "ok" or "stale"."""
    import threading

    from django.db import connection

    from equisante.contracts.editing import StaleChange

    barrier, results = threading.Barrier(len(saves)), []

    def run(save):
        try:
            barrier.wait()
            save()
            results.append("ok")
        except StaleChange:
            results.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def test_two_simultaneous_saves_exactly_one_wins(transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises whole-database writes)")
    from contracts.sample import build_registry
    from equisante.contracts import editing

    data = build_registry()
    meeting = Meeting.objects.filter(committee__contract=data["contracts"]["CLS-01-VEY"]).first()
    token = part_token(meeting)
    results = _race(*[lambda text=text: editing.save_part(Meeting.objects.get(pk=meeting.pk), {"minutes": text},
                                                          expected=token) for text in ("A", "B")])
    assert results == ["ok", "stale"]
    assert Meeting.objects.get(pk=meeting.pk).minutes in ("A", "B")
    contract = data["contracts"]["CLS-01-VEY"]
    token = contract_token(contract)
    results = _race(*[lambda name=name: editing.save_contract(Contract.objects.get(pk=contract.pk), {"name": name},
                                                              expected=token) for name in ("Nom A", "Nom B")])
    assert results == ["ok", "stale"]
    assert Contract.objects.get(pk=contract.pk).name in ("Nom A", "Nom B")
    records = ChangeRecord.objects.filter(contract=contract, sheet=None, action="modification")
    assert sorted(c["field"] for r in records for c in r.changes) == ["name", f"reunion:{meeting.pk}:minutes"]
