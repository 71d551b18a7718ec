"""End-to-end: a départemental referent creates a contract on the site (territory and signatory
pickers), adds an axis, a steering committee and a meeting with its minutes, edits the contract, and
finds every change in its history — with no serious or critical accessibility violation (axe-core) on
the pages met along the way."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "un-mot-de-passe-assez-long"


@pytest.fixture
def registry(live_server, transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from contracts.sample import build_registry

    data = build_registry()
    data["url"] = live_server.url
    return data


def login(page, url, username):
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def tick(page, label):
    """Tick a DSFR checkbox by its label (the box itself is drawn by the label, which takes the click)."""
    box = page.get_by_label(label, exact=False)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_checked()


def test_create_contract_add_axis_and_meeting_edit_and_read_history(registry, page):
    url = registry["url"]
    login(page, url, "referent01")
    page.goto(f"{url}/contrats/")
    page.get_by_role("link", name="Nouveau contrat").click()
    page.wait_for_url(f"{url}/contrats/nouveau/")
    assert axe_violations(page) == []

    # a first save with a missing name: refused, French message under the field, input kept
    page.fill("#id_code", "CLS-01-TIL")
    page.fill("#id_summary", "Contrat des Tilleuls, écrit pour le test.")
    page.get_by_role("button", name="Enregistrer le contrat").click()
    page.locator("#form-errors").wait_for()
    assert "Ce champ est obligatoire." in page.locator("#id_name-desc-error").inner_text()
    assert page.locator("#id_code").input_value() == "CLS-01-TIL"
    assert page.locator("#id_summary").input_value() == "Contrat des Tilleuls, écrit pour le test."
    assert axe_violations(page) == []

    page.fill("#id_name", "CLS des Tilleuls")
    page.select_option("#id_generation", "1")
    # perimeter: Enter in the search box runs the search (not a save); results come back unticked
    page.fill("#perimeter_q", "tilleuls")
    page.press("#perimeter_q", "Enter")
    results = page.locator("#picker-perimeter-results")
    results.wait_for()
    assert page.evaluate("document.activeElement.id") == "picker-perimeter-results"
    tick(page, "Quartier des Tilleuls")
    assert page.locator("#id_name").input_value() == "CLS des Tilleuls"  # nothing typed was lost
    assert axe_violations(page) == []
    page.fill("#perimeter_q", "Saint-Étienne")
    page.get_by_role("button", name="Chercher dans les territoires").click()
    page.locator("#picker-perimeter-results").wait_for()
    tick(page, "Saint-Étienne-du-Bois — Commune 01002")
    assert page.get_by_label("Quartier des Tilleuls", exact=False).is_checked()  # the earlier choice stays
    page.fill("#signatories_q", "ARS")
    page.get_by_role("button", name="Chercher dans l’annuaire").click()
    page.locator("#picker-signatories-results").wait_for()
    tick(page, "ARS de démonstration — Santé et soins")
    page.select_option("#id_diagnosis_with_residents", "oui")
    page.get_by_role("button", name="Enregistrer le contrat").click()
    page.wait_for_url(re.compile(rf"{url}/contrats/CLS-01-TIL/(#\w+)?$"))
    assert "Contrat « CLS des Tilleuls » créé" in page.locator("main").inner_text()
    facts = page.locator(".eq-facts").inner_text()
    assert "Quartier des Tilleuls" in facts and "Saint-Étienne-du-Bois" in facts and "ARS de démonstration" in facts

    # an axis
    page.get_by_role("link", name="Ajouter un axe").click()
    assert page.locator("#id_number").input_value() == "1"
    page.fill("#id_title", "Accès aux droits et aux soins")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(rf"{url}/contrats/CLS-01-TIL/(#\w+)?$"))
    assert page.get_by_role("heading", name="Axe 1 : Accès aux droits et aux soins").count() == 1

    # a steering committee, then a meeting with its minutes
    page.get_by_role("link", name="Ajouter une instance de gouvernance").click()
    assert page.locator("#id_kind").input_value() == "pilotage"
    page.fill("#id_chair", "Co-présidence ARS et maire")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(rf"{url}/contrats/CLS-01-TIL/(#\w+)?$"))
    page.get_by_role("link", name="Ajouter une réunion").click()
    page.fill("#id_date", "2025-03-12")
    page.fill("#id_agenda", "Lancement du contrat")
    page.fill("#id_minutes", "Le comité adopte la feuille de route et le calendrier.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(rf"{url}/contrats/CLS-01-TIL/(#\w+)?$"))
    page.get_by_role("button", name="Réunion du 12/03/2025 — Lancement du contrat").click()
    page.locator(".fr-collapse p", has_text="Le comité adopte la feuille de route et le calendrier.").wait_for(
        state="visible")

    # edit the contract
    page.get_by_role("link", name="Modifier le contrat").click()
    page.select_option("#id_status", "signe")
    page.fill("#id_signed_on", "2025-04-02")
    page.get_by_role("button", name="Enregistrer le contrat").click()
    page.wait_for_url(re.compile(rf"{url}/contrats/CLS-01-TIL/(#\w+)?$"))
    assert "Contrat enregistré (2 champs modifiés)" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    # the history, on the page and in full
    history = page.locator("#history-table").inner_text()
    for text in ("création", "modification", "referent01", "CLS des Tilleuls",
                 "Axe 1 « Accès aux droits et aux soins »",
                 "Réunion du 12/03/2025", "Le comité adopte la feuille de route", "statut", "Signé"):
        assert text in history, text
    page.get_by_role("link", name="Tout l’historique").click()
    page.wait_for_url(f"{url}/contrats/CLS-01-TIL/historique/")
    assert "5 modifications" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.goto(f"{url}/contrats/acteurs/?sector=sante")
    assert "ARS de démonstration" in page.locator("#actors-table").inner_text()
    assert axe_violations(page) == []
    assert page.js_errors == []
