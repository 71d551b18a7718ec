"""Production settings: ``check --deploy`` is clean under the documented variables, the HTTPS switch
turns on what it says, the Content-Security-Policy and the other headers are sent, and
docs/deployment.md documents only variables the settings really read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src" / "equisante" / "config" / "settings.py"
DEPLOYMENT = ROOT / "docs" / "deployment.md"

PRODUCTION = {
    "DEBUG": "false",
    "EQUISANTE_HTTPS": "true",
    "SECRET_KEY": "k" * 20 + "-une-clé-de-production-longue-et-aléatoire-0123456789",
    "ALLOWED_HOSTS": "equisante.exemple.fr",
    "CSRF_TRUSTED_ORIGINS": "https://equisante.exemple.fr",
}


def _django(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "EQUISANTE_HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(EQUISANTE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="equisante.config.settings", **env)
    return subprocess.run([sys.executable, "-m", "django", *args], capture_output=True, text=True,
                          env=environment, cwd=tmp_path, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    result = _django(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_https_check_deploy_names_what_is_missing(tmp_path):
    environment = dict(PRODUCTION, EQUISANTE_HTTPS="false")
    result = _django(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_https_switch_sets_hsts_redirect_secure_cookies_and_proxy_header(tmp_path):
    code = ("from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    result = _django(tmp_path, "shell", "-c", code, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1].split() == ["31536000", "True", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_documented_variables_exist_in_the_settings_or_the_code():
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", DEPLOYMENT.read_text(encoding="utf-8"), re.M))
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "EQUISANTE_HTTPS", "EQUISANTE_WORKERS",
            "EQUISANTE_IMPORT_MAX_MB", "EQUISANTE_LOGIN_FAILURE_LIMIT", "EQUISANTE_SESSION_HOURS"} <= documented
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "equisante").rglob("*.py"))
    sources += (ROOT / "scripts" / "start").read_text(encoding="utf-8")
    unread = sorted(v for v in documented if f'"{v}"' not in sources and f"'{v}'" not in sources
                    and f"${{{v}" not in sources and f"${v}" not in sources)
    assert not unread, f"variables documentées que rien ne lit : {unread}"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_no_server_detail(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in response


TEMPLATES = ROOT / "src" / "equisante"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
#: Standalone reports: downloaded documents (and PDF sources), never served as pages of the site.
STANDALONE = {"portraits/report.html", "profiles/report.html"}


def _served_templates():
    for path in sorted(TEMPLATES.glob("*/templates/**/*.html")):
        name = str(path).split("/templates/", 1)[1]
        if name not in STANDALONE:
            yield name, path.read_text(encoding="utf-8")


def test_no_template_needs_an_inline_exception_in_the_policy():
    """No inline script, event handler attribute or style attribute: the policy blocks them all."""
    offenders = []
    for name, text in _served_templates():
        for pattern, what in ((INLINE_SCRIPT, "script en ligne"), (HANDLER, "gestionnaire on…="),
                              (STYLE_ATTRIBUTE, "attribut style")):
            if pattern.search(text):
                offenders.append(f"{name} : {what}")
    assert not offenders, offenders
