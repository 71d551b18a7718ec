"""End-to-end: an agency user builds an allocation scenario, compares it with the flat per-capita share,
saves it and downloads the XLSX; the register of grants shows the share of spending in the most deprived
quintile; accessibility of both pages."""

from __future__ import annotations

import pandas as pd
import pytest

from e2e.conftest import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "un-mot-de-passe-assez-long"


@pytest.fixture
def agency(live_server, transactional_db, django_user_model):
    from equisante.allocation.services import record_grants
    from equisante.contracts import vocabulary as v
    from equisante.contracts.models import RoleAssignment
    from equisante.prioritisation import rules
    from equisante.prioritisation.computing import compute

    from prioritisation import sample

    data = sample.build()
    definitions = sample.define_indices()
    rules.save_rule(definitions["idh2"], code="cls-idh2", label="IDH-2 < 0,52", operator="<", threshold=0.52,
                    valid_from="2011-01-01", eligibility=True, primary=True)
    compute("idh2", "commune")
    user = django_user_model.objects.create_user("agence", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=v.REGIONAL_ADMIN)
    # 2023: 3000 € to C1 (most deprived quintile), 1000 € to C4
    record_grants([{"code": "C1", "year": 2023, "programme": "Prévention", "funder": "ARS", "amount": 3000},
                   {"code": "C4", "year": 2023, "programme": "Prévention", "funder": "ARS", "amount": 1000}],
                  source="entered")
    data["url"] = live_server.url
    return data


@pytest.fixture
def page(browser):
    # axe-core is injected as an inline script: these pages are checked with the policy bypassed (the
    # pages themselves run no inline script: the map data is a JSON block read by a static file)
    context = browser.new_context(locale="fr-FR", accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def login(page, url):
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", "agence")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_build_compare_save_download_and_register(agency, page, tmp_path):
    url = agency["url"]
    login(page, url)
    page.goto(f"{url}/allocation/")
    assert page.locator("h1").inner_text() == "Allocation des ressources"
    page.select_option("#id_resource", "doses")
    page.fill("#id_total", "13 375")
    page.fill("#id_unit", "1")
    page.select_option("#id_measure", "index:idh2")
    page.select_option("#id_weighting", "gradient")
    page.click("#compute")
    page.wait_for_selector("#summary")
    # the scenario next to the flat per-capita share: 1500 of 13,375 doses (11,2 %) to the most deprived
    # quintile instead of 1216 (9,1 %)
    assert page.locator("#most-deprived-share").inner_text() == "11,2\u00a0%"
    assert page.locator("#flat-most-deprived-share").inner_text() == "9,1\u00a0%"
    assert "Part égale par habitant" in page.locator("#summary").inner_text()
    page.wait_for_selector("#allocation-map[data-drawn='5']")
    assert axe_violations(page) == []
    assert not page.js_errors

    page.fill("#id_name", "Doses selon l'IDH-2")
    page.click("#save-form button[type=submit]")
    page.wait_for_selector("h1:has-text(\"Doses selon l'IDH-2\")")
    assert page.locator("#most-deprived-share").inner_text() == "11,2\u00a0%"
    with page.expect_download() as info:
        page.click("#export-xlsx")
    path = tmp_path / "allocation.xlsx"
    info.value.save_as(path)
    table = pd.read_excel(path, sheet_name="Allocation")
    assert dict(zip(table["Code"], table["Attribution (doses)"])) == {"C1": 1500, "C2": 4125, "C3": 2500,
                                                                      "C4": 4000, "C5": 1250}

    page.goto(f"{url}/allocation/subventions/")
    row = page.locator("#years tr[data-year='2023']")
    # C1 is alone in the most deprived population quintile: 3000 of 4000 € = 75 %
    assert row.locator(".most-deprived-share").inner_text().startswith("75,0\u00a0%")
    assert axe_violations(page) == []
