"""The home page, the health check and the shared page elements."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_without_data(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="fr"' in text
    assert "Réduire les inégalités sociales et territoriales de santé" in text
    assert "Données fictives" not in text
    assert '<a href="/territoires/"><span class="eq-kpi__number">0</span>' in text


def test_home_with_fictional_data(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Données fictives" in text
    assert '<span class="eq-kpi__number">10</span> <span class="eq-kpi__label">territoires</span>' in text
    assert '<span class="eq-kpi__number">3</span> <span class="eq-kpi__label">indicateurs</span>' in text
    # the map of the départements, with the same links in a list beside it
    assert 'id="home-map"' in text and 'id="home-map-data"' in text
    assert "vendor/leaflet/leaflet.js" in text and "equisante/maps.js" in text
    assert 'href="/territoires/departement/01/"' in text
    assert "cdn" not in text.lower()  # nothing is fetched from elsewhere: the product works offline


def test_home_counts_by_level_link_to_the_filtered_list(client, sample):
    text = client.get("/").content.decode()
    assert 'href="/territoires/?level=commune"' in text
    assert "Communes : 5" in text


def test_navigation_marks_the_current_page(client, db):
    text = client.get(reverse("territories:list")).content.decode()
    assert 'href="/territoires/" aria-current="page"' in text


def test_health(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_login_page_and_login(client, django_user_model):
    django_user_model.objects.create_user("analyste", password="un-mot-de-passe-long")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "analyste", "password": "un-mot-de-passe-long"})
    assert response.status_code == 302
    assert "analyste" in client.get("/").content.decode()


def test_vendored_leaflet_is_served(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/leaflet/leaflet.js")
    assert finders.find("vendor/leaflet/leaflet.css")
    assert finders.find("vendor/leaflet/LICENSE")
    assert finders.find("equisante/maps.js")
