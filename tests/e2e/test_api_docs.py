"""End-to-end: the interactive API documentation runs in a real browser under the site's
Content-Security-Policy (no inline script), loads nothing from another site, and speaks French;
an operation can be tried from the page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_api_documentation_in_the_browser(site, strict_page):
    page = strict_page
    url = site["url"]
    origin = urlparse(url).netloc
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            or "Refused to" in message.text else None)
    page.goto(f"{url}/api/docs")
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    assert "Territoires" in page.locator(".opblock-tag").all_inner_texts()[0] or \
        any("Territoires" in t for t in page.locator(".opblock-tag").all_inner_texts())
    # one operation: open it, « Essayer », « Exécuter »: the answer comes from this server
    page.locator(".opblock-summary-path", has_text="/api/niveaux").first.click()
    page.get_by_role("button", name="Essayer").click()
    page.get_by_role("button", name="Exécuter").click()
    # the live answer, not the documented example (both are « .responses-table »)
    page.wait_for_selector(".live-responses-table .response-col_status", timeout=15_000)
    assert "Réponses" in page.content()
    live = page.locator(".live-responses-table .response-col_description .microlight").first
    assert "departement" in live.inner_text()
    foreign = [r for r in requested if urlparse(r).netloc not in (origin, "") and not r.startswith("data:")]
    assert not foreign, foreign
    assert not refused, refused
    assert not page.js_errors, page.js_errors
