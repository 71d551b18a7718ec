"""Django settings, read from the environment.

Variables: ``DATABASE_URL`` (default: SQLite file in the data folder), ``SECRET_KEY`` (default: a
key generated once and kept in the data folder), ``DEBUG`` (default off), ``ALLOWED_HOSTS``
(comma-separated, default ``127.0.0.1,localhost``), ``EQUISANTE_DATA_DIR`` (default ``./var``).
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("EQUISANTE_DATA_DIR", Path.cwd() / "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on", "oui"}


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DEBUG = _flag("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "axes",
    "csp",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "equisante.portal",
    "equisante.territories",
    "equisante.indicators",
    "equisante.contracts",
    "equisante.prioritisation",
    "equisante.portraits",
    "equisante.profiles",
    "equisante.followup",
    "equisante.calls",
    "equisante.allocation",
    "django_tasks",
    "django_tasks_db",
    "equisante.jobs",
    "equisante.accounts",
    "ninja",
    "equisante.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "equisante.immutable.ChannelMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "equisante.api.middleware.ApiMiddleware",
    "equisante.portal.security.QueryGuardMiddleware",
    "equisante.portal.caching.AnonymousPageCache",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "equisante.config.urls"
WSGI_APPLICATION = "equisante.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "equisante.portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'equisante.sqlite3'}",
        # persistent connections (seconds; checked before reuse): opening one per request costs more than
        # the cached pages themselves, on PostgreSQL above all. Closed after each request under the tests.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if "pytest" in sys.modules else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several requests may write at once (imports, edits): wait rather than fail.
    # IMMEDIATE: a write transaction takes the database lock when it begins, so a second writer waits
    # for its turn (up to the timeout) instead of failing with "database is locked" half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=int(os.environ.get("EQUISANTE_SQLITE_TIMEOUT", "30")), transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("EQUISANTE_PASSWORD_MIN_LENGTH", "12"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- hardening (docs/deployment.md) ------------------------------------------------------------------
# Login throttling (django-axes): after EQUISANTE_LOGIN_FAILURE_LIMIT failed attempts on one account,
# its logins are refused for EQUISANTE_LOGIN_COOLOFF_MINUTES, with a French page (HTTP 429).
AUTHENTICATION_BACKENDS = [
    "equisante.portal.security.WebLoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("EQUISANTE_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("EQUISANTE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own: an account, or an address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "equisante.portal.security.locked_out"
AXES_VERBOSE = False
# Behind a reverse proxy the client address is in X-Forwarded-For (only trusted when EQUISANTE_HTTPS is on).

# Sessions: end after EQUISANTE_SESSION_HOURS of inactivity (renewed on each request) and with the browser.
SESSION_COOKIE_AGE = int(float(os.environ.get("EQUISANTE_SESSION_HOURS", "8")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = _flag("EQUISANTE_SESSION_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# EQUISANTE_HTTPS=true: the service is reached over HTTPS (directly or through a reverse proxy that
# sets X-Forwarded-Proto): HSTS, redirect to HTTPS, cookies only over HTTPS.
HTTPS = _flag("EQUISANTE_HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("EQUISANTE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("EQUISANTE_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("EQUISANTE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # monitoring probes may call the backend directly over HTTP
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and fonts; no
# inline script, no inline style element without the page's nonce, nothing from another site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Caches: in each server process. Pages for visitors who are not logged in are kept for
# EQUISANTE_PAGE_CACHE_SECONDS under the data version (bumped by every committed write, so never
# stale; equisante.portal.caching). Off under the test runner unless a test switches it on.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "equisante"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "equisante-pages",
              "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("EQUISANTE_PAGE_CACHE_ENTRIES", "2000"))}},
}
EQUISANTE_PAGE_CACHE_SECONDS = int(os.environ.get("EQUISANTE_PAGE_CACHE_SECONDS",
                                                  "0" if "pytest" in sys.modules else "600"))

# Query strings: a value longer than this is refused with a French 400 page (QueryGuardMiddleware).
EQUISANTE_QUERY_VALUE_MAX_LENGTH = int(os.environ.get("EQUISANTE_QUERY_VALUE_MAX_LENGTH", "2000"))

LANGUAGE_CODE = "fr"
# French only: the interface texts are written in French, and a browser asking for English must not
# get the design system's own strings (« Home page ») mixed into French pages.
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files are served from the installed packages: no collectstatic step for the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

#: API (equisante.api): requests per minute for an anonymous client (by address) and for a client with a
#: personal token; 0 turns the limit off.
EQUISANTE_API_RATE_LIMIT = int(os.environ.get("EQUISANTE_API_RATE_LIMIT", "1200"))
EQUISANTE_API_TOKEN_RATE_LIMIT = int(os.environ.get("EQUISANTE_API_TOKEN_RATE_LIMIT", "6000"))
#: Producer named by the open-data catalogue (/donnees/).
EQUISANTE_OPEN_DATA_PRODUCER = os.environ.get("EQUISANTE_OPEN_DATA_PRODUCER", "Agence régionale de santé")

#: Counts between 1 and this threshold are hidden on every published output (statistical confidentiality).
EQUISANTE_CONFIDENTIALITY_THRESHOLD = int(os.environ.get("EQUISANTE_CONFIDENTIALITY_THRESHOLD", "10"))

# Who runs this instance, shown on the legal notice, personal data, accessibility and contact pages.
EQUISANTE_PUBLISHER = os.environ.get("EQUISANTE_PUBLISHER", "")
EQUISANTE_PUBLICATION_DIRECTOR = os.environ.get("EQUISANTE_PUBLICATION_DIRECTOR", "")
EQUISANTE_HOST = os.environ.get("EQUISANTE_HOST", "")
EQUISANTE_CONTACT_EMAIL = os.environ.get("EQUISANTE_CONTACT_EMAIL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs (equisante.jobs): the task library's database backend by default — the worker
# (``equisante worker``, started by ``equisante serve``) needs no other server. ``immediate`` runs each
# job at once in the process that asks (tests, scripts).
TASKS = {
    "default": {
        "BACKEND": {"database": "django_tasks_db.DatabaseBackend",
                    "immediate": "django_tasks.backends.immediate.ImmediateBackend"}[
            os.environ.get("EQUISANTE_TASKS", "database")],
    }
}

# E-mail (invitations, password reset): printed on the console unless EMAIL_BACKEND says otherwise
# (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "equisante <ne-pas-repondre@localhost>")
