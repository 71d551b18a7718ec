"""End-to-end: a coordinator creates an action sheet, asks for coding suggestions, accepts some and
validates; the history shows it; a coordinator of another contract cannot edit it; a concurrent edit
is refused without losing the input; an import with errors lists them in French; and the contract
pages have no serious or critical accessibility violation (axe-core)."""

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
    from equisante.contracts.coding import forget_suggesters

    forget_suggesters()
    data = build_registry()
    data["url"] = live_server.url
    return data


def login(page, url, username):
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_create_code_with_suggestions_and_history(registry, page, browser):
    url = registry["url"]
    login(page, url, "coord01")
    page.goto(f"{url}/contrats/")
    page.get_by_role("link", name="CLS de la Veyle").click()
    page.wait_for_url(f"{url}/contrats/CLS-01-VEY/")
    page.get_by_role("link", name="Nouvelle fiche-action").click()
    page.fill("#id_code", "FA-3.1")
    page.fill("#id_title", "Ateliers cuisine pour les familles du quartier des Tilleuls")
    page.fill("#id_description", "Des ateliers de cuisine à petit budget, animés par une diététicienne, pour les "
                                 "familles en situation de précarité.")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(f"{url}/contrats/CLS-01-VEY/fiches/FA-3.1/codage/")

    # ask for suggestions: shown with a score and evidence, nothing ticked
    page.get_by_role("button", name="Proposer un codage").click()
    page.wait_for_selector("#suggestions .eq-suggestion")
    assert "Aucune n'est appliquée" in page.locator("#coding-notice").inner_text()
    nutrition = page.locator("#suggestions li[data-node='nutrition']")
    assert re.search(r"score \d+ %", nutrition.inner_text())
    assert not page.locator("#theme-nutrition").is_checked()
    # accept the theme and the determinant; reject the approach
    nutrition.get_by_role("button", name=re.compile("^Accepter")).click()
    page.wait_for_selector("#coding-notice")
    assert page.locator("#theme-nutrition").is_checked()
    page.locator("#suggestions li[data-node='D4.1.5']").get_by_role("button", name=re.compile("^Accepter")).click()
    page.wait_for_selector("#suggestions li[data-node='D4.1.5'] .fr-badge--success")
    assert page.locator("#cb-determinants-D415").is_checked()
    assert page.locator("#theme-nutrition").is_checked()  # the earlier acceptance is still ticked
    approach = page.locator("#suggestions li[data-node='groupes-defavorises']")
    if approach.count():
        approach.get_by_role("button", name=re.compile("^Rejeter")).click()
        page.wait_for_selector("#suggestions li[data-node='groupes-defavorises'] .fr-badge--error")
        assert page.locator("#approach-none").is_checked()
    page.get_by_role("button", name="Valider le codage").click()
    page.wait_for_url(f"{url}/contrats/CLS-01-VEY/fiches/FA-3.1/")
    summary = page.locator("#coding-summary").inner_text()
    assert "D4.1.5 Alimentation" in summary and "Nutrition" in summary
    history = page.locator("#history-table").inner_text()
    assert "validation du codage" in history and "coord01" in history and "création" in history
    assert "Nutrition" in history
    assert page.js_errors == []

    # a coordinator of another contract reads it but cannot edit it
    other = browser.new_context(locale="fr-FR")
    other_page = other.new_page()
    login(other_page, url, "coord69")
    other_page.goto(f"{url}/contrats/CLS-01-VEY/fiches/FA-3.1/")
    assert other_page.get_by_role("link", name="Modifier la fiche").count() == 0
    response = other_page.goto(f"{url}/contrats/CLS-01-VEY/fiches/FA-3.1/modifier/")
    assert response.status == 403
    response = other_page.goto(f"{url}/contrats/CLS-01-VEY/fiches/FA-3.1/codage/")
    assert response.status == 403
    other.close()


def test_concurrent_edit_is_refused_and_the_input_stays(registry, page, browser):
    url = registry["url"]
    edit = f"{url}/contrats/CLS-01-VEY/fiches/FA-1.2/modifier/"
    login(page, url, "coord01")
    page.goto(edit)
    # meanwhile the référent edits and saves the same sheet
    other = browser.new_context(locale="fr-FR")
    other_page = other.new_page()
    login(other_page, url, "referent01")
    other_page.goto(edit)
    other_page.fill("#id_budget", "900")
    other_page.get_by_role("button", name="Enregistrer la fiche").click()
    other_page.wait_for_url(f"{url}/contrats/CLS-01-VEY/fiches/FA-1.2/")
    other.close()
    # the coordinator saves on the old version: refused, told what changed, input kept
    page.fill("#id_title", "Dépistage bucco-dentaire pour tous les enfants de 4 ans")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    alert = page.locator("#stale-alert")
    alert.wait_for()
    text = alert.inner_text()
    assert "Modification concurrente" in text and "referent01" in text and "900 €" in text
    assert page.locator("#id_title").input_value() == "Dépistage bucco-dentaire pour tous les enfants de 4 ans"
    assert axe_violations(page) == []
    # saving again, knowingly, goes through
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(f"{url}/contrats/CLS-01-VEY/fiches/FA-1.2/")
    assert page.locator("h1").inner_text() == "Dépistage bucco-dentaire pour tous les enfants de 4 ans"


def test_import_with_errors_lists_them_in_french(registry, page, tmp_path):
    url = registry["url"]
    path = tmp_path / "fiches.csv"
    path.write_text("contract,code,axis,title,description,publics,partners,themes,determinants,strategies,approach\n"
                    "CLS-01-VEY,FA-1.2,,Nouveau titre,,,,Thème inventé,D9,,\n"
                    "CLS-99-XXX,FA-1,,Autre titre,,,,,,,\n", encoding="utf-8")
    login(page, url, "coord01")
    page.goto(f"{url}/contrats/importer/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Importer").click()
    errors = page.locator("#import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "Fichier refusé : rien n’a été importé" in text
    assert "fiches.csv, ligne 2, colonne « Déterminants »" in text
    assert "fiches.csv, ligne 2, colonne « Thématiques »" in text
    assert "fiches.csv, ligne 3, colonne « Contrat »" in text and "Contrat inconnu" in text
    assert axe_violations(page) == []
    page.goto(f"{url}/contrats/CLS-01-VEY/fiches/FA-1.2/")
    assert page.locator("h1").inner_text() != "Nouveau titre"


def test_contract_pages_are_accessible(registry, page):
    url = registry["url"]
    login(page, url, "coord01")
    pages = ["/contrats/", "/contrats/CLS-01-VEY/", "/contrats/CLS-01-VEY/fiches/FA-1.1/",
             "/contrats/CLS-01-VEY/fiches/FA-1.1/modifier/", "/contrats/grille/", "/contrats/importer/",
             "/contrats/CLS-01-VEY/fiches/FA-1.2/codage/"]
    for path in pages:
        page.goto(url + path)
        assert axe_violations(page) == [], path
    # the coding page with its suggestions shown
    page.get_by_role("button", name="Proposer un codage").click()
    page.wait_for_selector("#suggestions .eq-suggestion")
    assert axe_violations(page) == []
    assert page.js_errors == []
