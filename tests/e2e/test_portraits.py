"""End-to-end: open the portrait of an EPCI, read its map and charts, change the studied indicator,
download the PDF report; accessibility of the portrait pages (axe-core: no serious or critical
violation)."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def portrait_site(live_server, transactional_db):
    from portraits.sample import build_portrait_sample

    data = build_portrait_sample()
    data["url"] = live_server.url
    return data


def test_open_portrait_change_indicator_and_download_pdf(portrait_site, page):
    url = portrait_site["url"]
    page.goto(f"{url}/territoires/epci/200000100/")
    page.locator("#portrait-link").click()
    page.wait_for_url(re.compile(r"/portraits/200000100/\?niveau=epci"))
    assert page.locator("h1").inner_text() == "Portrait de CA du Littoral"

    # the map of the twelve communes, drawn by Leaflet (the EPCI of the sample has no outline of its own)
    page.wait_for_selector("#portrait-map[data-drawn='12']")
    assert page.locator("#portrait-map svg path").count() == 12
    # determinants beside health, each with its comparison chart
    assert page.locator("#cote-determinants svg[data-chart='horizontal-bars']").is_visible()
    assert page.locator("#cote-health svg[data-chart='horizontal-bars']").is_visible()
    gradient = page.locator("svg[data-chart='gradient']")
    assert gradient.is_visible()
    assert "Taux brut de mortalité" in gradient.locator(":scope > title").text_content()
    assert page.locator("#sii").inner_text().startswith("IIP (SII) =")

    # change the studied indicator: the gradient, the funnel and the map follow
    page.select_option("#opt-indicateur", "depistage")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"indicateur=depistage"))
    assert "Participation au dépistage" in page.locator("#etude").inner_text()
    assert "Participation au dépistage" in page.locator("svg[data-chart='gradient'] > title").text_content()
    assert "Participation au dépistage" in page.locator("svg[data-chart='funnel'] > title").text_content()
    page.wait_for_selector("#portrait-map[data-drawn='12']")
    sii = page.locator("#sii").inner_text()
    assert re.search(r"IIP \(SII\) = \+\d", sii)  # screening is higher where people are less deprived

    # download the PDF report of this very selection
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Rapport PDF")).click()
    download = download_info.value
    assert re.fullmatch(r"equisante-portrait-200000100-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert page.js_errors == []


@pytest.mark.parametrize("path", [
    "/portraits/",
    "/portraits/200000100/",
    "/portraits/34001/?indicateur=chomage",
    "/portraits/CLS01/",
])
def test_portrait_accessibility(portrait_site, page, path):
    page.goto(portrait_site["url"] + path)
    if page.locator(".eq-map").count():
        page.wait_for_selector(".eq-map[data-drawn]")
    violations = axe_violations(page)
    assert violations == [], violations
    assert page.js_errors == []
