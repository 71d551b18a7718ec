"""Login throttling (django-axes), French error pages in the site's layout, shorter sessions and
stronger passwords."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

PASSWORD = "un-mot-de-passe-assez-long-2026"


@pytest.fixture
def account(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return get_user_model().objects.create_user("agent", password=PASSWORD)


def _login(client, password, username="agent"):
    return client.post("/connexion/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_ten_failed_logins_lock_the_account_even_with_the_right_password(client, account):
    for attempt in range(9):
        response = _login(client, f"faux-{attempt}")
        assert response.status_code == 200 and "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert _login(client, "faux-9").status_code == 429  # the tenth failure locks
    response = _login(client, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Connexion suspendue" in page and "15 minutes" in page and "10 essais" in page
    assert "_auth_user_id" not in client.session
    assert 'class="fr-header' in page  # the site's layout


def test_a_success_before_the_limit_resets_the_count(client, account):
    for attempt in range(5):
        _login(client, f"faux-{attempt}")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for attempt in range(5):
        assert _login(client, f"faux-{attempt}").status_code == 200
    assert _login(client, PASSWORD).status_code == 302


def test_logins_without_a_web_request_are_not_throttled(account):
    from django.contrib.auth import authenticate

    assert authenticate(username="agent", password=PASSWORD) == account


def test_sessions_are_short_and_end_with_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize("password", ["court", "12345678901234", "motdepasse1", "agent-agent"])
def test_weak_passwords_are_refused(db, password):
    user = get_user_model()(username="agent-agent")
    with pytest.raises(ValidationError):
        validate_password(password, user)
    validate_password("une phrase de passe solide 2026", user)


def test_french_404_page_in_the_site_layout_with_a_way_back(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in page and "Revenir à l’accueil" in page and 'class="fr-header' in page
    assert "Not Found" not in page


def test_french_403_page_offers_to_log_in(client, db):
    from equisante.portal import errors

    response = client.get("/")
    request = response.wsgi_request
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    page = errors.permission_denied(request).content.decode()
    assert "Accès refusé" in page and "Se connecter" in page and "Revenir à l’accueil" in page


def test_the_403_handler_is_the_french_page(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.utils.module_loading import import_string

    from equisante.config import urls

    request = rf.get("/contrats/")
    request.user = AnonymousUser()
    response = import_string(urls.handler403)(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403 and "Accès refusé" in page and "fr-header" in page


def test_500_page_is_french_and_survives_a_broken_layout(rf, monkeypatch):
    from equisante.portal import errors

    request = rf.get("/")
    monkeypatch.setattr(errors.loader, "render_to_string", lambda *a, **k: (_ for _ in ()).throw(RuntimeError()))
    response = errors.server_error(request)
    assert response.status_code == 500 and "Erreur du service" in response.content.decode()
    assert "Revenir à l’accueil" in response.content.decode()
