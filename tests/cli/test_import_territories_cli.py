"""``equisante import territories``: the real Île-de-France file (when ../shared is there), a corrupted
copy of it, and the small fixtures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.territories.models import Membership, Population, Territory
from tests.territories.helpers import FIXTURES

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"  # French thousands separator


def run(*args):
    return CliRunner().invoke(main, ["import", "territories", *[str(a) for a in args]], catch_exceptions=False)


@pytest.fixture
def ile_de_france(shared_dir):
    path = shared_dir / "data" / "geo" / "communes-ile-de-france.geojson"
    if not path.exists():
        pytest.skip(f"{path} absent")
    return path


def test_imports_the_1276_communes_of_ile_de_france(ile_de_france):
    result = run(ile_de_france, "--level", "commune")
    assert result.exit_code == 0, result.output
    assert f"1{NNBSP}276 communes importées (1{NNBSP}276 créées, 0 mise à jour)" in result.stdout
    assert Territory.objects.filter(level="commune").count() == 1276
    again = run(ile_de_france, "--level", "commune")
    assert f"(0 créée, 0 mise à jour, 1{NNBSP}276 inchangées)" in again.stdout
    assert Territory.objects.count() == 1276


def test_ile_de_france_communes_linked_from_their_code(ile_de_france, shared_dir):
    departements = shared_dir / "data" / "geo" / "departements-ile-de-france.geojson"
    assert run(departements, "--level", "departement", "--vintage", "2018").exit_code == 0
    result = run(ile_de_france, "--level", "commune", "--vintage", "2018", "--parent-from-code")
    assert result.exit_code == 0, result.output
    assert f"1{NNBSP}276 communes rattachées à leur parent" in result.stdout
    assert Territory.objects.get(level="commune", code="75056").parent.name == "Paris"
    assert Territory.objects.filter(level="commune", parent__code="77").count() > 400


def test_a_corrupted_copy_imports_nothing_and_says_where_and_why(ile_de_france, tmp_path):
    document = json.loads(ile_de_france.read_text(encoding="utf-8"))
    broken = document["features"][9]["properties"]
    document["features"][9]["geometry"] = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81]]]}
    first = document["features"][3]["properties"]["code"]
    document["features"][20]["properties"]["code"] = first
    path = tmp_path / "communes-corrompues.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")

    result = run(path, "--level", "commune")
    assert result.exit_code == 1
    assert result.stdout == ""
    err = result.stderr
    assert "communes-corrompues.geojson : Fichier refusé — Problèmes trouvés : 2 ; rien n'a été importé." in err
    assert f"objet n° 10 : Géométrie illisible — La géométrie de « {broken['code']} {broken['nom']} »" in err
    assert "l'anneau n° 1 ne compte que 2 points ; il en faut au moins 4" in err
    assert f"objet n° 21 : Code en double — Le code « {first} » apparaît deux fois : objet n° 4 et objet n° 21" in err
    assert Territory.objects.count() == 0


def test_fixture_geojson_with_parents_and_populations():
    assert run(FIXTURES / "departements.geojson", "--level", "departement").exit_code == 0
    result = run(FIXTURES / "communes.geojson", "--level", "commune", "--parent-field", "departement",
                 "--population-field", "population", "--population-year", "2021")
    assert result.exit_code == 0, result.output
    assert "6 communes importées (6 créées, 0 mise à jour)" in result.stdout
    assert "Populations 2021 : 6 créées, 0 mise à jour, 0 inchangée." in result.stdout
    assert Territory.objects.get(code="97411").parent.code == "974" and Population.objects.count() == 6


def test_cog_then_memberships():
    for name, level in [("regions.csv", "region"), ("departements.csv", "departement"), ("communes.csv", "commune")]:
        result = run(FIXTURES / name, "--level", level)
        assert result.exit_code == 0, result.output
    assert "3 lignes ignorées (communes déléguées" in result.stdout
    assert run(FIXTURES / "epci.csv", "--level", "epci").exit_code == 0
    result = run(FIXTURES / "communes-epci.csv", "--level", "commune", "--group-level", "epci")
    assert result.exit_code == 0, result.output
    assert "6 appartenances commune → EPCI importées (6 créées" in result.stdout and Membership.objects.count() == 6


def test_typecom_option():
    result = run(FIXTURES / "communes.csv", "--level", "commune", "--no-parent", "--typecom", "COM", "--typecom", "ARM")
    assert result.exit_code == 0, result.output
    assert Territory.objects.filter(code__startswith="751").count() == 2


def test_missing_parents_are_refused_in_french():
    result = run(FIXTURES / "communes.csv", "--level", "commune")
    assert result.exit_code == 1
    assert "Parent introuvable" in result.stderr and "ligne 2" in result.stderr
    assert Territory.objects.count() == 0


def test_unknown_level_and_format(tmp_path):
    result = run(FIXTURES / "communes.geojson", "--level", "canton")
    # a usage error (exit code 2), named in French with the accepted levels
    assert result.exit_code == 2 and "« canton » n'est pas un niveau territorial" in result.stderr
    assert "commune" in result.stderr and result.stderr.rstrip().splitlines()[-1].startswith("Erreur : ")
    odd = tmp_path / "communes.shp"
    odd.write_bytes(b"\x00\x00\x27\x0a")
    result = run(odd, "--level", "commune")
    assert result.exit_code == 1 and "Format non pris en charge" in result.stderr and "--format" in result.stderr


def test_explicit_format_overrides_the_extension(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes((FIXTURES / "communes.geojson").read_bytes())
    result = run(path, "--level", "commune", "--format", "geojson")
    assert result.exit_code == 0, result.output


def test_missing_file_is_reported_in_french(tmp_path):
    result = run(tmp_path / "absent.geojson", "--level", "commune")
    assert result.exit_code == 1 and "Fichier introuvable" in result.stderr


def test_memberships_need_a_group_level():
    result = CliRunner().invoke(main, ["import", "territories", str(FIXTURES / "communes-epci.csv"), "--level",
                                       "commune", "--format", "memberships"])
    assert result.exit_code == 2 and "--group-level" in result.output
