"""``equisante demo``: French summary, refusal without --replace, --replace, --if-empty, the demo
account; and the pages that show the demo data say « fictif »."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.demo import loading
from equisante.indicators.models import Value
from equisante.territories.models import Territory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_extras(monkeypatch):
    monkeypatch.setattr(loading, "EXTRA_LOADERS", [])


def run(*args):
    return CliRunner().invoke(main, ["demo", *map(str, args)])


def test_demo_loads_and_prints_a_french_summary():
    result = run("--communes", 48, "--seed", 3)
    assert result.exit_code == 0, result.output
    assert "Région de démonstration (fictive) chargée (graine 3)" in result.output
    assert "48 communes" in result.output and "fictif" in result.output
    assert "admin / equisante-demo" in result.output
    assert Territory.objects.filter(level="commune").count() == 48
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="admin").check_password("equisante-demo")


def test_second_run_is_refused_then_replace_works():
    assert run("--communes", 48).exit_code == 0
    values = Value.objects.count()
    refused = run("--communes", 60)
    assert refused.exit_code == 1
    assert "déjà" in refused.output and "--replace" in refused.output and "[demo_exists]" in refused.output
    assert Value.objects.count() == values
    replaced = run("--communes", 60, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "remplacée" in replaced.output
    assert "Compte de démonstration créé" not in replaced.output  # the account exists already
    assert Territory.objects.filter(level="commune").count() == 60


def test_if_empty_leaves_a_populated_database_alone():
    Territory.objects.create(level="region", code="84", name="Auvergne-Rhône-Alpes")
    result = run("--if-empty")
    assert result.exit_code == 0
    assert "non chargé" in result.output
    assert Territory.objects.count() == 1
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="admin").exists()


def test_if_empty_loads_an_empty_database():
    result = run("--if-empty", "--communes", 40)
    assert result.exit_code == 0, result.output
    assert Territory.objects.filter(level="commune").count() == 40


def test_too_few_communes_are_refused_in_french():
    result = run("--communes", 12)
    assert result.exit_code == 1
    assert "--communes vaut 12" in result.output and "au moins 40" in result.output
    assert not Territory.objects.exists()


def test_pages_say_the_data_are_fictional(client):
    assert run("--communes", 48).exit_code == 0
    home = client.get("/").content.decode()
    assert "Données fictives" in home
    listing = client.get("/territoires/").content.decode()
    assert "fictif" in listing
    region = Territory.objects.get(level="region")
    detail = client.get(region.get_absolute_url()).content.decode()
    assert "Données fictives" in detail
    page = client.get("/indicateurs/demo-taux-chomage/?level=departement").content.decode()
    assert "fictif" in page and "Données fictives" in page
    value = Value.objects.filter(indicator__code="demo-taux-chomage", territory__level="departement").first()
    shown = f"{value.value:.1f}".replace(".", ",")
    assert shown in page  # the value itself, in French notation
    catalogue = client.get("/indicateurs/").content.decode()
    assert "Données fictives" in catalogue
