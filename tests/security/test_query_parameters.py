"""No query-string value gives a 500 anywhere: NaN, infinities, 1e309, very long numbers, NUL bytes
and other control characters, in every parameter the views read, on every page that answers GET."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SOURCE = Path(__file__).resolve().parents[2] / "src" / "equisante"
HOSTILE = ["NaN", "-Infinity", "1e309", "9" * 400, "9" * 5000, "a\x00b", "²"]
#: Values tried parameter by parameter (control characters and long values never reach a view).
EACH = ["NaN", "1e309", "9" * 400]
#: Names that pages commonly read, on top of those found in the views' source.
COMMON = {"q", "format", "page", "level", "niveau", "vintage", "period", "indicator", "departement", "contract",
          "generation", "status", "threshold", "index", "rule", "on", "area", "overlay", "year", "limit",
          "offset", "code", "sort", "order", "kind", "sex", "age_band", "table", "theme", "strategy", "next"}
READ = re.compile(r"""GET(?:\.get|\.getlist|\.__getitem__)?\(\s*["']([\w-]+)["']|GET\[\s*["']([\w-]+)["']""")
#: Path converters filled with names that exist in the sample (others simply answer 404).
FILL = {"code": "CLS-01-VEY", "level": "departement", "sheet_code": "F1", "pk": "1", "year": "2024",
        "kind": "comites", "fmt": "indicateurs", "reference": "X", "table": "figure1", "sheet": "F1"}
SKIP = ("deconnexion", "admin/", "api/openapi", "api/docs")


def _names_read_by(module: str) -> set[str]:
    path = SOURCE.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = SOURCE.parent / module.replace(".", "/") / "__init__.py"
    if not path.exists():
        return set()
    return {a or b for a, b in READ.findall(path.read_text(encoding="utf-8"))}


def _urls():
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("^") or "(?P" in route or any(s in route for s in SKIP):
                    continue
                url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: FILL.get(m.group(1), "x"), route)
                found.append((url, getattr(pattern.callback, "__module__", "") or ""))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def signed_in(client, transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from contracts.sample import build_registry
    from django.contrib.auth import get_user_model

    build_registry()
    admin = get_user_model().objects.create_superuser("fuzz", password="une-phrase-de-passe-2026")
    client.force_login(admin)
    client.raise_request_exception = False  # a crash is a 500 answer here, collected with the others
    return client


@pytest.mark.slow
def test_no_query_value_gives_a_500_on_any_page(signed_in):
    everywhere = set(COMMON)
    urls = _urls()
    for _, module in urls:
        everywhere |= _names_read_by(module)
    failures = []
    for url, module in urls:
        own = _names_read_by(module) | {"q", "format", "page", "level", "vintage"}
        for value in HOSTILE:
            attempts = [{name: value for name in everywhere}]
            if value in EACH:
                attempts += [{name: value} for name in sorted(own)]
            for params in attempts:
                response = signed_in.get(url, params)
                if response.status_code >= 500:
                    failures.append(f"{url} {sorted(params)[:3]}… = {value[:12]!r} → {response.status_code}")
                    break
    assert not failures, "\n".join(failures[:40])


def test_control_characters_are_refused_with_a_french_400(client, db):
    response = client.get("/territoires/", {"q": "Ain\x00"})
    page = response.content.decode()
    assert response.status_code == 400 and "Requête incorrecte" in page and "caractère de contrôle" in page
    assert "Revenir à l’accueil" in page


def test_overflowing_numbers_are_a_400_not_a_500(client, db):
    assert client.get("/territoires/", {"q": "x" * 3000}).status_code == 400
