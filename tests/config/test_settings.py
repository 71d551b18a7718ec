"""Settings come from the environment, are documented, and the service reports its health."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_documented_in_the_readme():
    # every module may read the environment (settings, the embedding engine…): scan them all
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "src/equisante").rglob("*.py")))
    variables = set(re.findall(r'os\.environ(?:\.get)?\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'_flag\("([A-Z_]+)"', source)
    )
    variables -= {"LOG_LEVEL", "CONN_MAX_AGE", "CSRF_TRUSTED_ORIGINS"}  # documented in docs/deployment.md
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert variables, "no environment variable found: the regular expression is stale"
    missing = sorted(v for v in variables if f"`{v}`" not in readme)
    assert not missing, f"variables d'environnement non documentées dans le README : {missing}"


def test_deployment_doc_lists_the_other_variables():
    text = (ROOT / "docs/deployment.md").read_text(encoding="utf-8")
    for variable in ("LOG_LEVEL", "CONN_MAX_AGE", "CSRF_TRUSTED_ORIGINS"):
        assert f"`{variable}`" in text


@pytest.mark.django_db
def test_health_check_reports_the_database(client, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["engine"] == ("postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite")


def test_french_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.USE_I18N


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_french_pages(client):
    response = client.get("/priorisation/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in text
    assert "Home page" not in text and "Accueil" in text
