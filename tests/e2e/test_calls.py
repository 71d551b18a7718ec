"""End-to-end: a call for projects in the browser. A reviewer who declared a conflict of interest can
neither see the others' scores nor score the application; the committee computes the proposal, overrides
one choice with its reason, decides; the statistics page and its XLSX export agree with the decisions."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server, transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from calls.sample import build_world

    data = build_world()
    data["url"] = live_server.url
    return data


@pytest.fixture
def page(browser):
    # axe-core is injected as an inline script: this test's pages are checked with the policy bypassed
    context = browser.new_context(locale="fr-FR", accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def login(page, url, username):
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_conflict_selection_override_decision_and_statistics(world, page):
    url = world["url"]
    # the CAF reviewer declared a conflict on A1: no scores of the others, no scoring form
    login(page, url, "chloe")
    page.goto(f"{url}/appels/mille-jours/candidatures/A1/")
    assert page.locator("#conflict-notice").is_visible()
    assert page.locator("#scores-table").count() == 0 and page.locator("#score-form").count() == 0
    assert "Avis motivé" not in page.content()
    page.context.clear_cookies()

    # the committee's secretariat computes the proposal
    login(page, url, "gestion")
    page.goto(f"{url}/appels/mille-jours/selection/")
    page.click("#run-selection")
    page.locator("#ranking-table").wait_for()
    assert axe_violations(page) == []
    row_a1 = page.locator("#row-A1")
    assert "dépasse le reste de l’enveloppe" in row_a1.inner_text().replace("'", "’")
    # overrides A3 out, with its reason
    row = page.locator("#row-A3")
    row.locator("select[name=choice]").select_option("ecarter")
    row.locator("input[name=reason]").fill("Projet déjà financé par la commune")
    row.get_by_role("button", name="Enregistrer le choix").click()
    page.wait_for_load_state()
    assert "déjà financé par la commune" in page.locator("#row-A3").inner_text()
    page.click("#decide-all")
    page.wait_for_load_state()
    page.goto(f"{url}/appels/mille-jours/")
    page.get_by_role("button", name="Marquer décidé").click()
    page.wait_for_load_state()
    assert page.locator("#call-state").inner_text() == "Décidé"

    page.goto(f"{url}/appels/mille-jours/candidatures/A3/")
    assert page.locator("#application-decision").inner_text() == "Refusé"

    # the statistics page and its workbook agree with the decisions
    page.goto(f"{url}/appels/mille-jours/statistiques/")
    shown = {key: page.locator(f"#stats-summary [data-key={key}]").inner_text()
             for key in ("received", "retained", "granted")}
    assert shown["received"] == "4" and shown["retained"] == "2"
    with page.expect_download() as info:
        page.click("#stats-xlsx")
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    summary = {r[0]: r[1] for r in book["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["candidatures reçues"] == 4 and summary["projets retenus"] == 2
    granted = int(shown["granted"].replace("\u202f", "").replace("\xa0", "").replace(" ", ""))
    assert summary["montant attribué (€)"] == granted == 100000
    decisions = {r[0]: r[9] for r in book["Décisions"].iter_rows(min_row=2, values_only=True)}
    assert decisions == {"A1": "Refusé", "A2": "Retenu", "A3": "Refusé", "A4": "Retenu"}
    assert page.js_errors == []
