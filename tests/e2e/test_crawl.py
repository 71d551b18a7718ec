"""Crawl the site from the home page, as a visitor and as each demonstration role, in a real browser.

Every page reachable by same-origin links (GET; sampled: at most :data:`PER_PATTERN` pages per path
pattern, numbers and codes normalised; at most :data:`MAX_PAGES` pages and :data:`BUDGET_S` seconds
per role) must:

- answer without a server error (no 5xx);
- show no internal reference (« seed 004 », line numbers « L1845-1846 », « document 004 »,
  « aliases », « (label) », a Python exception name) nor a pseudo-plural (« fiche(s) »);
- have no serious or critical accessibility violation (axe-core);
- fit a 1366-pixel-wide window: no page wider than the viewport, no table wider than its frame
  (a table may scroll inside a frame made for it).

Each export link found (``format=csv|xlsx|ods``, sampled per pattern) is downloaded: its column
headers must be French (no English column name).
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from e2e.conftest import axe_violations

pytestmark = pytest.mark.browser

MAX_PAGES = 400
PER_PATTERN = 2
#: Seconds of crawling per role (``EQUISANTE_CRAWL_SECONDS``): a minute keeps the six roles under ten
#: minutes on a small machine; raise it for a release check.
BUDGET_S = float(os.environ.get("EQUISANTE_CRAWL_SECONDS", "60"))
VIEWPORT = {"width": 1366, "height": 900}
DEMO_PASSWORD = "equisante-demo"
ROLES = [None, "admin", "demo-admin", "demo-referent", "demo-coordination", "demo-partenaire"]

INTERNAL = [
    re.compile(r"\bseed\s*\d", re.I),
    re.compile(r"\bL\d{2,5}\s*[-–]\s*L?\d+"),
    re.compile(r"document 00\d", re.I),
    re.compile(r"\baliases\b", re.I),
    re.compile(r"\(label\)"),
    re.compile(r"\b\w*Error\)"),
    re.compile(r"\b(BadZipFile|Traceback|KeyError|ValueError|TypeError|AttributeError|DoesNotExist)\b"),
    re.compile(r"\w\((s|e|es)\)"),  # « fiche(s) », « créé(e)s »: singular or plural, written out
]
#: Column names that betray an English export header (lower case, whole words).
ENGLISH_HEADERS = {
    "name", "level", "value", "values", "lower", "upper", "period", "indicator", "label", "unit", "count", "rate",
    "share", "selected", "reason", "status", "title", "year", "territory", "contract", "amount", "requested",
    "weight", "cost", "score", "rank", "vintage", "parent", "numerator", "denominator", "polarity", "state",
    "suppressed", "withheld", "funder", "progress", "target", "baseline", "explanation", "summary", "total",
}
#: Links never followed: leaving the session, Django's own administration (its own tests), files.
SKIP = re.compile(r"/(deconnexion|logout|admin|api/docs|static|media)(/|$)|\.(pdf|zip|png|svg|geojson|parquet|"
                  r"json|xml|txt)$", re.I)
EXPORT = re.compile(r"[?&]format=(csv|xlsx|ods)\b")


def pattern(url: str) -> str:
    """The path with its numeric or coded segments replaced (« /contrats/N/fiches/N/ ») and the names of
    its query parameters: pages of one pattern are sampled."""
    parts = urlsplit(url)
    segments = ["N" if re.search(r"\d", s) or (s.isupper() and len(s) > 1) else s for s in parts.path.split("/")]
    keys = sorted({k for k, _ in parse_qsl(parts.query) if k != "page"})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The live server with a small demonstration region (every area's demo loaders, accounts by role)."""
    from equisante.demo.generator import generate_region
    from equisante.demo.loading import ensure_demo_user, load_region

    load_region(generate_region(seed=2024, n_communes=40))
    ensure_demo_user()
    return live_server.url


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/connexion/" not in page.url, f"connexion refusée pour {username}"


LAYOUT_JS = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) problems.push(`page de ${doc.scrollWidth} px pour ${window.innerWidth} px`);
  for (const table of document.querySelectorAll('main table')) {
    let frame = table.parentElement, scrolls = false;
    for (let el = frame; el && el !== document.body; el = el.parentElement) {
      const o = getComputedStyle(el).overflowX;
      if (o === 'auto' || o === 'scroll') { scrolls = true; frame = el; break; }
    }
    if (scrolls) continue;
    const width = table.getBoundingClientRect().width, room = table.parentElement.clientWidth;
    if (width > room + 1) problems.push(`tableau ${table.id || table.className || ''} de ${Math.round(width)} px dans ${room} px`);
  }
  return problems;
}"""


def _headers(data: bytes, fmt: str) -> list[str]:
    """The column headers of an export (every sheet but « À propos »)."""
    if fmt == "csv":
        first = data.decode("utf-8-sig", errors="replace").splitlines()[:1]
        return re.split(r"[;,]", first[0]) if first else []
    import pandas as pd

    if fmt == "xlsx" and not zipfile.is_zipfile(io.BytesIO(data)):
        return ["(pas un classeur XLSX)"]
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, nrows=0, engine="odf" if fmt == "ods" else None)
    return [str(c) for name, sheet in sheets.items() if name != "À propos" for c in sheet.columns]


def _english(headers: list[str]) -> list[str]:
    return [h for h in headers if {w.lower() for w in re.findall(r"[A-Za-z_]+", h)
                                   for w in w.split("_")} & ENGLISH_HEADERS
            and not re.search(r"[éèêàùçô]", h) and h.strip().lower() == h.strip()]


def crawl(page, base: str) -> tuple[list[str], int]:
    failures: list[str] = []
    seen_patterns: dict[str, int] = {}
    exports_seen: set[str] = set()
    queue, visited = [f"{base}/"], set()
    started = time.monotonic()
    while queue and len(visited) < MAX_PAGES and time.monotonic() - started < BUDGET_S:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        try:
            response = page.goto(url, wait_until="load")
        except Exception as exc:  # a navigation that turned into a download, a timeout
            if "Download is starting" not in str(exc):
                failures.append(f"{url} : navigation impossible ({str(exc).splitlines()[0]})")
            continue
        if response is None:
            continue
        if response.status >= 500:
            failures.append(f"{url} : erreur serveur {response.status}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        text = page.inner_text("body")
        for regex in INTERNAL:
            found = regex.search(text)
            if found:
                start = max(found.start() - 40, 0)
                failures.append(f"{url} : référence interne « {text[start:found.end() + 40].strip()} »")
        for violation in axe_violations(page):
            failures.append(f"{url} : accessibilité {violation['impact']} {violation['id']} {violation['nodes'][:2]}")
        for problem in page.evaluate(LAYOUT_JS):
            failures.append(f"{url} : {problem}")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            target = urljoin(url, href).split("#")[0]
            if not target.startswith(base) or target in visited or SKIP.search(urlsplit(target).path):
                continue
            if EXPORT.search(target):
                key = pattern(target) + EXPORT.search(target).group(1)
                if key in exports_seen:
                    continue
                exports_seen.add(key)
                fmt = EXPORT.search(target).group(1)
                answer = page.request.get(target)
                if answer.status >= 500:
                    failures.append(f"{target} : export en erreur {answer.status}")
                elif answer.ok:
                    english = _english(_headers(answer.body(), fmt))
                    if english:
                        failures.append(f"{target} : en-têtes anglais {english[:8]}")
                continue
            key = pattern(target)
            if seen_patterns.get(key, 0) >= PER_PATTERN:
                continue
            seen_patterns[key] = seen_patterns.get(key, 0) + 1
            queue.append(target)
    return failures, len(visited)


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="le parcours vérifie les pages, pas la base : une passe (SQLite) suffit")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "visiteur")
def test_crawl_every_reachable_page(demo_site, browser, role):
    context = browser.new_context(locale="fr-FR", viewport=VIEWPORT, bypass_csp=True, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        if role:
            _login(page, demo_site, role)
        failures, pages = crawl(page, demo_site)
    finally:
        context.close()
    print(f"\nparcours {role or 'visiteur'} : {pages} pages, {len(failures)} problème(s)")
    assert pages >= 10, f"seulement {pages} pages atteintes"
    assert not failures, f"{len(failures)} problème(s) sur {pages} pages :\n" + "\n".join(failures)
