"""End-to-end: over the demonstration region (territories, indicators, indices and contracts, loaded
as ``equisante demo`` does), open the regional overview, follow a contract to its ISTS profile, read
its tables and its territory context, download its PDF through the link and find the page's tables
in it; both pages without serious or critical accessibility violations (axe-core)."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import axe_violations
from equisante.contracts.models import Contract
from equisante.contracts.vocabulary import SCHEME_CLS
from equisante.demo.generator import generate_region
from equisante.demo.loading import load_region
from profiles.pdftext import page_count, pdf_text, squash

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(live_server, transactional_db):
    # a small region (90 communes) keeps the loading under a minute; its demo contracts come with it
    load_region(generate_region(2024, n_departements=3, n_communes=90, with_iris=False))
    return {"url": live_server.url}


def _rows(page, table_id: str) -> list[str]:
    """The body rows of a table of the page, each as its cells' text joined."""
    return [" ".join(row.locator("th, td").all_inner_texts())
            for row in page.locator(f"#{table_id} tbody tr").all()]


def test_profile_page_and_its_pdf(demo_site, page):
    url = demo_site["url"]
    # a local health contract (the demonstration also holds other local schemes, without sheets of their own)
    contract = Contract.objects.filter(published=True, kind=SCHEME_CLS).order_by("code").first()
    page.goto(f"{url}/profils/")
    assert page.locator("h1").inner_text() == "Profils ISTS des contrats locaux de santé"
    listed = page.locator("#overview-contracts tbody tr")
    assert listed.count() == Contract.objects.filter(published=True).count()
    assert axe_violations(page) == []

    page.locator("#overview-contracts").get_by_role("link", name=contract.name, exact=True).click()
    page.wait_for_url(f"{url}/profils/{contract.code}/")
    assert page.locator("h1").inner_text() == f"Profil ISTS — {contract.name}"
    themes = _rows(page, "profile-themes-table")
    determinants = _rows(page, "profile-determinants-table")
    assert len(themes) == 16 and len(determinants) > 6
    n_sheets = contract.sheets.count()
    assert page.locator("#profile-themes-table caption").is_visible()
    assert f"{n_sheets} fiches-action" in page.locator("#donnees").inner_text()
    assert page.locator("#profile-balance-figure svg[role=img]").is_visible()
    context = _rows(page, "profile-context-table")  # the indices of the perimeter's communes
    assert any("IDH-2" in row for row in context)
    assert page.locator("#profile-portfolio-checks .fr-badge").count() > 0
    assert page.js_errors == []
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Rapport PDF")).click()
    download = info.value
    assert re.fullmatch(rf"equisante-profil-ists-{contract.code.lower()}-\d{{4}}-\d{{2}}-\d{{2}}\.pdf",
                        download.suggested_filename)
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-") and page_count(data) >= 3
    text = squash(pdf_text(data))
    for row in (themes + determinants + context + _rows(page, "profile-balance-table")
                + _rows(page, "profile-approaches-table")):
        assert squash(row) in text, row  # every row of the page's tables, in the PDF
    for words in (f"Profil ISTS du contrat {contract.name}", "Données utilisées", "Édité le",
                  "Vérifications tirées des préconisations", "Comparaison avec les autres contrats"):
        assert squash(words) in text, words
