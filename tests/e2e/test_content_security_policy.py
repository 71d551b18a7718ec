"""The Content-Security-Policy holds in a real browser: the design system's script, the Leaflet maps
and the charts work, and the browser reports no violation of the policy on the main pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WATCH = """() => { window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""


def _visit(page, url: str) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(WATCH.join(["(", ")()"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return messages + page.evaluate("() => window.__cspViolations || []")


def test_pages_pass_the_policy_with_maps_and_design_system(site, strict_page):
    page = strict_page
    url = site["url"]
    response = page.request.get(f"{url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for path in ("/", "/territoires/departement/01/", "/indicateurs/mortalite/", "/priorisation/",
                 "/territoires/?q=ain"):
        violations = _visit(page, url + path)
        assert violations == [], (path, violations)
        assert not page.js_errors, (path, page.js_errors)
        # the design system's JavaScript ran (it marks the document once started)
        assert page.evaluate("() => typeof window.dsfr !== 'undefined'"), path
    page.goto(f"{url}/territoires/departement/01/")
    page.wait_for_selector("#territory-map[data-drawn='4']")
    assert page.locator("#territory-map svg path").count() >= 3
