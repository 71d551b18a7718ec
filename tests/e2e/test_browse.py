"""End-to-end: log in, search a territory, read its map, export its indicators, open an indicator;
and the accessibility of the main pages (axe-core: no serious or critical violation)."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import PASSWORD, USERNAME, axe_violations
from exports.french import read_back

pytestmark = pytest.mark.browser


def test_browse_search_map_export_and_indicator(site, page):
    url = site["url"]
    # log in through the form
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert page.locator("header").get_by_text(USERNAME).first.is_visible()
    assert page.get_by_text("Données fictives").first.is_visible()

    # search from the home page, accents and case ignored
    page.fill("#site-search-input", "AIN")
    page.press("#site-search-input", "Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=AIN"))
    results = page.locator("#resultats-territoires a.eq-results__title")
    assert "Ain" in results.all_inner_texts()
    results.filter(has_text=re.compile(r"^Ain$")).click()
    page.wait_for_url(f"{url}/territoires/departement/01/")
    assert page.locator("h1").inner_text() == "Ain"

    # the map: Leaflet has drawn the three communes and the outline of the département as SVG paths
    page.wait_for_selector("#territory-map[data-drawn='4']")
    paths = page.locator("#territory-map svg path")
    assert paths.count() == 4
    # a tooltip names a commune; a click opens its page
    commune = page.locator("#territory-map svg path.leaflet-interactive").first
    commune.hover()
    assert page.locator(".leaflet-tooltip").inner_text().strip() != ""

    # export the indicators table as CSV and read it back
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter en CSV : indicateurs de Ain").click()
    download = download_info.value
    assert re.fullmatch(r"equisante-01-indicateurs-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    table = read_back(open(download.path(), "rb").read())  # French headers, « ; », decimal comma
    row = table.set_index("indicator").loc["mortalite"]
    assert (row["code"], row["period"], float(row["value"])) == ("01", "2021", 850.0)

    # open an indicator from the table: its choropleth and its legend
    page.get_by_role("link", name="Mortalité générale").click()
    page.wait_for_url(f"{url}/indicateurs/mortalite/")
    page.wait_for_selector("#indicator-map[data-drawn='5']")
    assert page.locator("#indicator-map svg path").count() == 5
    assert page.locator('#indicator-map svg path[fill="url(#eq-hatch)"]').count() == 1  # the secret value
    legend = page.locator(".eq-legend")
    assert "Légende (unité : pour 100 000 habitants)" in legend.inner_text()
    for text in ("Secret statistique (hachures)", "Valeur fragile", "Donnée manquante (blanc)"):
        assert legend.get_by_text(text).is_visible()
    assert legend.locator(".eq-legend__swatch").count() == 6  # three classes and three states

    # change the level with the form: the départements
    page.select_option("#sel-level", "departement")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_selector("#indicator-map[data-drawn='2']")
    # sort by value through the column header
    page.get_by_role("link", name=re.compile("^Valeur")).click()
    first = page.locator("#values-table tbody th[scope=row]").first.inner_text()
    assert first == "Rhône"  # 946.2 > 850.0
    assert page.js_errors == []


def test_click_on_the_map_opens_the_territory(site, page):
    page.goto(f"{site['url']}/territoires/departement/69/")
    page.wait_for_selector("#territory-map[data-drawn]")
    page.locator('#territory-map path[data-code="69001"]').click()
    page.wait_for_url(re.compile(r"/territoires/commune/69001/"))
    assert page.locator("h1").inner_text() == "Affoux"


@pytest.mark.parametrize("path", [
    "/",
    "/territoires/?q=saint",
    "/territoires/departement/01/",
    "/territoires/commune/01003/",
    "/indicateurs/",
    "/indicateurs/mortalite/",
    "/connexion/",
])
def test_accessibility(site, page, path):
    page.goto(site["url"] + path)
    if page.locator(".eq-map").count():
        page.wait_for_selector(".eq-map[data-drawn]")
    violations = axe_violations(page)
    assert violations == [], violations
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.js_errors == []
