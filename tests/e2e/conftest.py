"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded (``playwright install`` is never run): the tests use
``/usr/bin/chromium`` (installed by ``scripts/browser``) and skip cleanly when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
USERNAME, PASSWORD = "analyste", "un-mot-de-passe-assez-long"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium absent (/usr/bin/chromium) : lancer scripts/browser")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, *, bypass_csp: bool):
    context = browser.new_context(locale="fr-FR", accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  bypass_csp=bypass_csp)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser):
    """A page whose Content-Security-Policy is bypassed, so that the accessibility checker (axe-core,
    test-only) can be injected; the policy itself is tested with :func:`strict_page`."""
    context, page = _page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def strict_page(browser):
    """A page under the site's real Content-Security-Policy."""
    context, page = _page(browser, bypass_csp=False)
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db, django_user_model):
    """The live server with the sample territories, values and a user."""
    from portal.sample import build_sample

    data = build_sample(fictional=True)
    django_user_model.objects.create_user(USERNAME, password=PASSWORD)
    data["url"] = live_server.url
    return data


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Violations found by axe-core (vendored, test-only) on the current page, of the given impacts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]
