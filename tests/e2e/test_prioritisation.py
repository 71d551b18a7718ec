"""End-to-end: the prioritisation page — change the threshold and see the map and the eligible list
change, show the QPV and ZIP overlays, change the index, download the export; accessibility."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import axe_violations
from exports.french import read_back

pytestmark = pytest.mark.browser


@pytest.fixture
def ranked(live_server, transactional_db):
    from equisante.prioritisation import rules
    from equisante.prioritisation.computing import compute_levels

    from prioritisation import sample

    data = sample.build()
    definitions = sample.define_indices()
    rules.save_rule(definitions["idh2"], code="cls-idh2", label="IDH-2 < 0,52", operator="<", threshold=0.52,
                    valid_from="2011-01-01", eligibility=True, primary=True,
                    exceptions=[{"code": "C3", "reason": "quartiers politique de la ville"}])
    rules.save_rule(definitions["fdep"], code="fdep-q", label="Quintiles de FDep", kind="quantile", classes=5,
                    quantile_method="weighted", primary=True)
    for definition in definitions.values():
        compute_levels(definition, ["commune", "departement"])
    data["url"] = live_server.url
    return data


def fill_of(page, code: str) -> str:
    return page.locator(f'#prioritisation-map svg path[data-code="{code}"]').first.get_attribute("fill")


def test_threshold_map_eligible_list_overlays_and_export(ranked, page):
    page.goto(f"{ranked['url']}/priorisation/")
    assert page.locator("h1").inner_text() == "Priorisation des territoires"
    # five communes, one QPV and one ZIP zone in the map data; overlays hidden until asked for
    page.wait_for_selector("#prioritisation-map[data-drawn='7']")
    page.wait_for_selector("#prioritisation-map[data-overlay-qpv='hidden']")
    assert not page.locator("[data-overlay-legend=qpv]").is_visible()
    assert page.locator("#prioritisation-map svg path.leaflet-interactive").count() == 5
    assert page.locator("#eligible-count").inner_text() == "4 territoires éligibles sur 5."
    assert "Cendras (C3) — par exception" in page.locator("#eligible-list").inner_text()
    before = fill_of(page, "C5")
    assert before == fill_of(page, "C1")  # both eligible by the threshold: same class, same colour

    # the overlays are drawn as soon as their box is ticked (no reload)
    page.click("label[for=overlay-qpv]")
    page.wait_for_selector("#prioritisation-map[data-overlay-qpv='shown']")
    assert page.locator("#prioritisation-map svg path").count() == 6
    page.click("label[for=overlay-zip]")
    page.wait_for_selector("#prioritisation-map[data-overlay-zip='shown']")
    assert page.locator("#prioritisation-map svg path").count() == 7
    assert page.locator("[data-overlay-legend=zip]").is_visible()

    # a stricter threshold: Estaing (C5, IDH-2 0.361) is no longer eligible, its colour changes
    page.fill("#sel-threshold", "0,35")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"threshold=0%2C35"))
    page.wait_for_selector("#prioritisation-map[data-drawn='7']")
    assert page.locator("#eligible-count").inner_text() == "3 territoires éligibles sur 5."
    assert "Estaing" not in page.locator("#eligible-list").inner_text()
    assert fill_of(page, "C5") != before
    # the rule in force stays what it is; the simulation says what changes and for how many people
    assert "Règle en vigueur" in page.locator("#rule-in-force").inner_text()
    assert page.locator("#leaving tbody tr[data-code=C5]").count() == 1
    assert page.locator("#simulation-coverage tbody tr").count() == 2
    # the overlays stay ticked across the reload
    page.wait_for_selector("#prioritisation-map[data-overlay-qpv='shown']")
    row = page.locator("#ranking-table tbody tr[data-code=C5]")
    assert "Non prioritaire" in row.inner_text() and "Non" in row.inner_text()

    # the export follows the page's selection
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Exporter en CSV")).click()
    download = download_info.value
    assert re.fullmatch(r"equisante-priorisation-idh2-commune-2021-\d{4}-\d{2}-\d{2}\.csv",
                        download.suggested_filename)
    table = read_back(open(download.path(), "rb").read())  # French headers, « ; », « oui » / « non »
    assert table.set_index("code")["eligible"].astype(str).to_dict() == {
        "C1": "True", "C2": "True", "C5": "False", "C3": "True", "C4": "False"}

    # another index: FDep by population-weighted quintiles, no eligibility column
    page.select_option("#sel-index", "fdep")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"index=fdep"))
    page.wait_for_selector("#prioritisation-map[data-drawn]")
    assert "Quintiles de FDep" in page.locator("#rule-in-force").inner_text()
    assert page.locator("#eligible-list").count() == 0
    assert page.locator("#ranking-table tbody tr").first.get_attribute("data-code") == "C1"
    assert page.js_errors == []


def test_prioritisation_page_accessibility(ranked, page):
    page.goto(f"{ranked['url']}/priorisation/?overlay=qpv&overlay=zip")
    page.wait_for_selector("#prioritisation-map[data-drawn='7']")
    assert axe_violations(page) == []
    page.goto(f"{ranked['url']}/priorisation/?index=fdep&level=departement")
    page.wait_for_selector("#prioritisation-map[data-drawn]")
    assert axe_violations(page) == []
