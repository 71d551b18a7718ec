"""The GeoJSON reader (pure, no database): records, simplification, and every problem it reports."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys

import pytest
import shapely

from equisante.territories.reading import read_geojson
from equisante.territories.reading.geojson import diagnose, to_geojson_texts
from tests.territories.helpers import FIXTURES, codes, collection, communes, feature, polygon, square, write

FIXTURE = FIXTURES / "communes.geojson"


def only(reading, code):
    """The single problem of ``reading``, which must have ``code``."""
    assert codes(reading.problems) == [code], [str(p) for p in reading.problems]
    return reading.problems[0]


# --- Sound inputs ---------------------------------------------------------------------------------


def test_reads_the_fixture_with_its_properties():
    reading = read_geojson(FIXTURE, parent_field="departement", population_field="population", level="commune")
    assert reading.problems == []
    assert [r.code for r in reading.records] == ["75056", "92012", "93066", "94028", "2A004", "97411"]
    paris = reading.records[0]
    assert (paris.name, paris.parent, paris.population) == ("Paris", "75", 2145906)
    assert paris.location.feature == 1 and paris.location.source == "communes.geojson"
    assert paris.bbox == pytest.approx((2.30, 48.83, 2.38, 48.91))
    geometry = json.loads(paris.geometry)
    assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 2  # the hole is kept
    ajaccio = json.loads(reading.records[4].geometry)
    assert ajaccio["type"] == "MultiPolygon" and len(ajaccio["coordinates"]) == 2
    assert reading.records[5].parent == "974"


def test_unpacks_as_records_and_problems():
    records, problems = read_geojson(FIXTURE)
    assert len(records) == 6 and problems == []


def test_gzip_is_detected_by_its_magic_bytes_not_its_name(tmp_path):
    data = gzip.compress(FIXTURE.read_bytes())
    for name in ("communes.geojson", "communes.geojson.gz", "sans-extension"):
        records, problems = read_geojson(write(tmp_path / name, data))
        assert problems == [] and len(records) == 6
    plain_named_gz = write(tmp_path / "plain.geojson.gz", FIXTURE.read_bytes())
    assert len(read_geojson(plain_named_gz).records) == 6


def test_bytes_and_open_files_are_accepted():
    data = FIXTURE.read_bytes()
    assert len(read_geojson(data, name="envoi.geojson").records) == 6
    reading = read_geojson(io.BytesIO(data), name="envoi.geojson")
    assert reading.source == "envoi.geojson" and len(reading.records) == 6


def test_property_names_are_options(tmp_path):
    document = collection({"type": "Feature", "properties": {"INSEE_COM": "75056", "NOM_COM": "Paris", "DEP": "75"},
                           "geometry": polygon()})
    records, problems = read_geojson(write(tmp_path / "ign.geojson", document), code_field="INSEE_COM",
                                     name_field="NOM_COM", parent_field="DEP")
    assert problems == [] and (records[0].code, records[0].name, records[0].parent) == ("75056", "Paris", "75")


def test_numeric_codes_are_read_as_their_digits(tmp_path):
    document = collection(feature(75, "Paris"), feature("92", "Hauts-de-Seine", polygon(2.4)))
    records, problems = read_geojson(write(tmp_path / "d.geojson", document), level="departement")
    assert problems == [] and [r.code for r in records] == ["75", "92"]


def test_simplification_and_rounding(tmp_path):
    # A circle of 2,000 points with 8-decimal coordinates.
    circle = shapely.Point(2.35, 48.85).buffer(0.05, quad_segs=500)
    ring = [[round(x, 8), round(y, 8)] for x, y in circle.exterior.coords]
    path = write(tmp_path / "c.geojson", collection(feature("75056", "Paris", {"type": "Polygon", "coordinates": [ring]})))
    simplified = json.loads(read_geojson(path).records[0].geometry)["coordinates"][0]
    kept = json.loads(read_geojson(path, tolerance=0).records[0].geometry)["coordinates"][0]
    assert len(kept) == len(ring) and len(simplified) < len(ring) / 5
    for x, y in simplified + kept:
        assert round(x, 5) == x and round(y, 5) == y
    assert shapely.from_geojson(json.dumps({"type": "Polygon", "coordinates": [simplified]})).is_valid


def test_third_coordinates_are_dropped(tmp_path):
    ring = [[x, y, 35.0] for x, y in square(2.3, 48.8)]
    path = write(tmp_path / "z.geojson", collection(feature("75056", "Paris", {"type": "Polygon", "coordinates": [ring]})))
    records, problems = read_geojson(path)
    assert problems == [] and all(len(p) == 2 for p in json.loads(records[0].geometry)["coordinates"][0])


def test_a_property_named_coordinates_does_not_confuse_the_fast_path(tmp_path):
    document = collection(feature("75056", "Paris", coordinates=[1, 2]), feature("92012", "Boulogne", polygon(2.4)))
    records, problems = read_geojson(write(tmp_path / "p.geojson", document))
    assert problems == [] and [r.code for r in records] == ["75056", "92012"]


def test_geojson_writer_matches_the_rounded_geometry():
    shapes = shapely.from_wkt([
        "POLYGON ((0.000001 -0.000001, 100 0, 1e-7 45.123456789, 0.000001 -0.000001), (1 1, 2 1, 2 2, 1 1))",
        "MULTIPOLYGON (((-2 0, 1 0, 1 1, -2 0)), ((5 5, 6 5, 6 6, 5 5), (5.1 5.05, 5.2 5.05, 5.2 5.1, 5.1 5.05)))",
    ])
    texts = to_geojson_texts(shapes)
    assert json.loads(texts[0]) == {"type": "Polygon", "coordinates": [
        [[0, 0], [100, 0], [0, 45.12346], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]]}
    back = shapely.from_geojson(texts[1])
    assert back.geom_type == "MultiPolygon" and shapely.equals_exact(back, shapes[1], tolerance=1e-9)


def test_reader_does_not_load_django():
    code = ("import sys\nfrom equisante.territories.reading import read_geojson, read_cog\n"
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- Problems: the file ---------------------------------------------------------------------------


def test_missing_file(tmp_path):
    problem = only(read_geojson(tmp_path / "absent.geojson"), "file_not_found")
    assert "absent.geojson" in str(problem)


def test_invalid_json_says_line_and_column(tmp_path):
    path = write(tmp_path / "x.geojson", '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature" "x": 1}]}')
    problem = only(read_geojson(path), "territory_json_invalid")
    assert problem.location.line == 3
    assert "ligne 3, colonne 22" in problem.message and "virgule" in problem.message


@pytest.mark.parametrize("document, found", [
    ({"type": "Feature", "properties": {}, "geometry": None}, "« Feature »"),
    ([1, 2], "une liste"),
    ({"type": "FeatureCollection"}, "sans liste"),
    ({"features": []}, "sans « type »"),
    ("texte", "une valeur seule"),
])
def test_not_a_feature_collection(tmp_path, document, found):
    problem = only(read_geojson(write(tmp_path / "x.geojson", json.dumps(document))), "territory_not_feature_collection")
    assert found in problem.message


def test_empty_collection(tmp_path):
    only(read_geojson(write(tmp_path / "x.geojson", collection())), "territory_file_empty")


def test_corrupt_gzip(tmp_path):
    data = gzip.compress(FIXTURE.read_bytes())
    problem = only(read_geojson(write(tmp_path / "t.geojson.gz", data[: len(data) // 2])), "territory_gzip_corrupt")
    assert "tronquée" in problem.message
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0xFF
    only(read_geojson(write(tmp_path / "d.geojson.gz", bytes(damaged))), "territory_gzip_corrupt")


def test_encoding_falls_back_to_windows_1252_and_refuses_what_is_neither(tmp_path):
    text = json.dumps(collection(feature("94028", "Créteil")), ensure_ascii=False)
    records, problems = read_geojson(write(tmp_path / "w.geojson", text.encode("cp1252")))
    assert problems == [] and records[0].name == "Créteil"
    broken = text.encode("utf-8").replace("Créteil".encode(), b"Cr\x81teil")
    problem = only(read_geojson(write(tmp_path / "b.geojson", broken)), "encoding_invalid")
    assert "0x81" in problem.message


def test_binary_content_is_an_encoding_problem(tmp_path):
    only(read_geojson(write(tmp_path / "b.geojson", b'{"type":\x00"x"}')), "encoding_invalid")


# --- Problems: features ---------------------------------------------------------------------------


def test_missing_code_and_name_say_which_feature(tmp_path):
    features = communes(3)
    del features[1]["properties"]["code"]
    features[2]["properties"]["nom"] = "  "
    reading = read_geojson(write(tmp_path / "x.geojson", collection(*features)))
    assert codes(reading.problems) == ["territory_code_missing", "territory_name_missing"]
    assert [p.location.feature for p in reading.problems] == [2, 3]
    assert "propriétés présentes : nom" in reading.problems[0].message
    assert [r.code for r in reading.records] == ["75001"]


def test_duplicate_code_names_both_features(tmp_path):
    features = communes(4)
    features[3]["properties"]["code"] = "75002"
    problem = only(read_geojson(write(tmp_path / "x.geojson", collection(*features))), "territory_code_duplicate")
    assert problem.location.feature == 4 and "objet n° 2 et objet n° 4" in problem.message


@pytest.mark.parametrize("value, reason", [
    (75.5, "nombre décimal"), (True, "booléen"), (["75"], "liste"), ("75 056", "espace"), ("7" * 40, "32 caractères"),
    ("75\u0000", "contrôle"),
])
def test_unusable_codes(tmp_path, value, reason):
    path = write(tmp_path / "x.geojson", collection(feature(value, "Paris")))
    problem = only(read_geojson(path), "territory_code_invalid")
    assert reason in problem.message


def test_code_formats_of_official_levels(tmp_path):
    path = write(tmp_path / "x.geojson", collection(feature("1001", "L'Abergement-Clémenciat")))
    problem = only(read_geojson(path, level="commune"), "territory_code_format")
    assert "zéro initial" in problem.message
    assert read_geojson(path, level="commune", check_codes=False).problems == []
    assert read_geojson(path, level="zone").problems == []


def test_names_too_long_or_with_control_characters(tmp_path):
    path = write(tmp_path / "x.geojson", collection(feature("75056", "P" * 201), feature("75057", "A\u0007", polygon(3))))
    reading = read_geojson(path)
    assert codes(reading.problems) == ["territory_name_invalid"] * 2


def test_feature_that_is_not_a_feature(tmp_path):
    document = collection(communes(1)[0], ["pas", "un objet"], {"type": "Point", "coordinates": [1, 2]},
                          {"type": "Feature", "properties": "x", "geometry": polygon()})
    reading = read_geojson(write(tmp_path / "x.geojson", document))
    assert codes(reading.problems) == ["territory_feature_invalid"] * 3
    assert [p.location.feature for p in reading.problems] == [2, 3, 4]


def test_optional_properties_absent_everywhere(tmp_path):
    reading = read_geojson(write(tmp_path / "x.geojson", collection(*communes(2))), parent_field="departement",
                           population_field="pop")
    assert codes(reading.problems) == ["territory_field_absent"] * 2
    assert "« departement »" in reading.problems[0].message and "code, nom" in reading.problems[0].message


@pytest.mark.parametrize("value", ["beaucoup", -5, 1.5, True, "12,5", 10**12])
def test_invalid_populations(tmp_path, value):
    path = write(tmp_path / "x.geojson", collection(feature("75056", "Paris", population=value)))
    only(read_geojson(path, population_field="population"), "territory_population_invalid")


@pytest.mark.parametrize("value, expected", [("2 165 423", 2165423), (12.0, 12), (None, None), ("", None), ("0", 0)])
def test_populations_accepted(tmp_path, value, expected):
    path = write(tmp_path / "x.geojson", collection(feature("75056", "Paris", population=value)))
    records, problems = read_geojson(path, population_field="population")
    assert problems == [] and records[0].population == expected


# --- Problems: geometries -------------------------------------------------------------------------


def geometry_problem(tmp_path, geometry, **options):
    features = communes(3)
    features[1]["geometry"] = geometry
    reading = read_geojson(write(tmp_path / "x.geojson", collection(*features)), **options)
    assert len(reading.problems) == 1, [str(p) for p in reading.problems]
    problem = reading.problems[0]
    assert problem.location.feature == 2 and "« 75002 Commune 2 »" in problem.message
    return problem


def test_ring_with_two_points(tmp_path):
    problem = geometry_problem(tmp_path, {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81]]]})
    assert problem.code == "territory_geometry_malformed" and "ne compte que 2 points ;" in problem.message


def test_closed_ring_with_three_points(tmp_path):
    problem = geometry_problem(tmp_path, {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81], [2.3, 48.8]]]})
    assert problem.code == "territory_geometry_invalid" and "ne compte que 3 points ;" in problem.message


def test_unclosed_ring(tmp_path):
    ring = square(2.3, 48.8)[:-1]
    problem = geometry_problem(tmp_path, {"type": "Polygon", "coordinates": [ring]})
    assert problem.code == "territory_geometry_malformed" and "n'est pas fermé" in problem.message


@pytest.mark.parametrize("ring, reason", [
    ([[2.3, 48.8], ["2.31", 48.8], [2.31, 48.81], [2.3, 48.8]], "point n° 2"),
    ([[2.3, 48.8], [float("nan"), 48.8], [2.31, 48.81], [2.3, 48.8]], "non finie"),
    ([[2.3, 48.8], [2.31], [2.31, 48.81], [2.3, 48.8]], "paire de nombres"),
])
def test_malformed_points(tmp_path, ring, reason):
    problem = geometry_problem(tmp_path, {"type": "Polygon", "coordinates": [ring]})
    assert problem.code == "territory_geometry_malformed" and reason in problem.message


def test_malformed_nesting(tmp_path):
    problem = geometry_problem(tmp_path, {"type": "MultiPolygon", "coordinates": square(2.3, 48.8)})
    assert problem.code == "territory_geometry_malformed"
    assert diagnose({"type": "Polygon"}) == "« coordinates » est absent ou n'est pas une liste"


@pytest.mark.parametrize("geometry, found", [
    ({"type": "Point", "coordinates": [2.3, 48.8]}, "« Point »"),
    ({"type": "GeometryCollection", "geometries": [polygon()]}, "« GeometryCollection »"),
])
def test_unsupported_types(tmp_path, geometry, found):
    problem = geometry_problem(tmp_path, geometry)
    assert problem.code == "territory_geometry_type_unsupported" and found in problem.message


def test_missing_and_empty_geometries(tmp_path):
    assert geometry_problem(tmp_path, None).code == "territory_geometry_missing"
    assert geometry_problem(tmp_path, {"type": "Polygon", "coordinates": []}).code == "territory_geometry_empty"
    assert geometry_problem(tmp_path, "POLYGON((0 0))").code == "territory_geometry_malformed"


def test_projected_coordinates_are_out_of_wgs84(tmp_path):
    lambert = {"type": "Polygon", "coordinates": [square(652000, 6862000, 1000)]}
    problem = geometry_problem(tmp_path, lambert)
    assert problem.code == "territory_coordinates_out_of_range" and "Lambert 93" in problem.message


def test_self_intersection_is_refused_unless_repair(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81], [2.31, 48.8], [2.3, 48.81], [2.3, 48.8]]]}
    problem = geometry_problem(tmp_path, bowtie)
    assert problem.code == "territory_geometry_invalid"
    assert "se croisent au point (2.305, 48.805)" in problem.message and "--repair" in problem.message
    features = communes(3)
    features[1]["geometry"] = bowtie
    reading = read_geojson(write(tmp_path / "r.geojson", collection(*features)), repair=True)
    assert reading.problems == [] and reading.repaired == 1
    repaired = shapely.from_geojson(reading.records[1].geometry)
    assert repaired.is_valid and repaired.area == pytest.approx(0.00005, rel=1e-3)


def test_unrepairable_geometry(tmp_path):
    flat = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.8], [2.32, 48.8], [2.3, 48.8]]]}
    problem = geometry_problem(tmp_path, flat, repair=True)
    assert problem.code == "territory_geometry_unrepairable"


def test_every_problem_of_a_file_is_listed_in_feature_order(tmp_path):
    features = communes(5)
    features[4]["properties"]["code"] = "75001"
    features[1]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    features[3]["properties"]["nom"] = None
    reading = read_geojson(write(tmp_path / "x.geojson", collection(*features)))
    assert [p.location.feature for p in reading.problems] == [2, 4, 5]


def test_a_feature_without_type_among_sound_ones(tmp_path):
    # Regression (found by hypothesis): GEOS reads the collection anyway; the refused feature must not
    # shift the geometries of the others.
    features = communes(3)
    del features[0]["type"]
    features[2]["geometry"] = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81], [2.31, 48.8],
                                                                   [2.3, 48.81], [2.3, 48.8]]]}
    reading = read_geojson(write(tmp_path / "x.geojson", collection(*features)))
    assert codes(reading.problems) == ["territory_feature_invalid", "territory_geometry_invalid"]
    assert [p.location.feature for p in reading.problems] == [1, 3]
    assert "75003" in reading.problems[1].message


def test_empty_rings_and_polygons_are_left_out_of_the_output(tmp_path):
    multi = {"type": "MultiPolygon", "coordinates": [[square(2.3, 48.8), []], [], [square(2.4, 48.8)]]}
    holed = {"type": "Polygon", "coordinates": [square(2.5, 48.8), []]}
    records, problems = read_geojson(write(tmp_path / "e.geojson", collection(
        feature("75056", "Paris", multi), feature("75057", "Autre", holed))))
    assert problems == []
    assert json.loads(records[0].geometry) == {"type": "MultiPolygon", "coordinates": [
        [square(2.3, 48.8)], [square(2.4, 48.8)]]}
    assert json.loads(records[1].geometry) == {"type": "Polygon", "coordinates": [square(2.5, 48.8)]}
