"""The anonymous page cache never serves a page after the data it shows has changed: every committed
write (ORM, bulk, raw SQL) bumps the data version the cache is keyed on."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from equisante.portal.caching import data_version
from equisante.territories.models import Territory
from portal.sample import build_sample


@pytest.fixture
def cached(settings, transactional_db):
    settings.EQUISANTE_PAGE_CACHE_SECONDS = 600
    caches["pages"].clear()
    build_sample(fictional=True)
    yield
    caches["pages"].clear()


def _get(client, url="/territoires/?q=Ain"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get("X-Equisante-Cache"), response.content.decode()


def test_second_visit_is_served_from_the_cache(client, cached):
    assert _get(client)[0] == "miss"
    assert _get(client)[0] == "hit"
    assert _get(client, "/territoires/?q=Rh")[0] == "miss"  # another address, another entry


def test_an_orm_save_invalidates(client, cached):
    _get(client)
    before = data_version()
    Territory.objects.filter(code="01").update(name="Ain renommé")
    assert data_version() > before
    state, page = _get(client)
    assert state == "miss" and "Ain renommé" in page


def test_a_transaction_bumps_once_at_commit_and_raw_sql_counts(client, cached):
    _get(client)
    before = data_version()
    with transaction.atomic():
        Territory.objects.filter(code="01").update(name="Ain A")
        Territory.objects.filter(code="69").update(name="Rhône B")
        assert data_version() == before  # not before the commit
    assert data_version() == before + 1
    with connection.cursor() as cursor:
        cursor.execute("UPDATE territories_territory SET name = %s WHERE code = %s", ["Ain brut", "01"])
    assert data_version() == before + 2
    assert "Ain brut" in _get(client)[1]


def test_sessions_and_login_attempts_do_not_invalidate(client, cached, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    before = data_version()
    client.post("/connexion/", {"username": "personne", "password": "faux"})
    assert data_version() == before


def test_logged_in_pages_are_never_cached(client, cached):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("lecteur", password="une-phrase-2026-longue"))
    assert _get(client)[0] is None and _get(client)[0] is None


def test_cache_is_off_by_default_under_tests(client, db):
    from django.conf import settings

    assert settings.EQUISANTE_PAGE_CACHE_SECONDS == 0
    assert client.get("/").get("X-Equisante-Cache") is None
