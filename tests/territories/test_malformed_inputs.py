"""Randomly corrupted inputs (hypothesis): an import either takes the whole file or refuses it with
at least one catalogued problem — never another exception, never a partial import.

Each example starts from a small valid input (the fixtures), corrupts it (bytes flipped, inserted,
deleted or truncated; a JSON value replaced by another; an encoding changed) and imports it into an
empty table; the database counts are then checked against the outcome.
"""

from __future__ import annotations

import json
import math
import random

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equisante.errors import InputRejected, catalogue
from equisante.territories.importing import import_cog, import_memberships, import_territories
from equisante.territories.models import Membership, Population, Territory
from tests.territories.helpers import FIXTURES

pytestmark = pytest.mark.django_db

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GEOJSON = (FIXTURES / "communes.geojson").read_bytes()
COMMUNES_CSV = (FIXTURES / "communes.csv").read_bytes()
MEMBERSHIPS_CSV = (FIXTURES / "communes-epci.csv").read_bytes()
KNOWN_CODES = {k.code for k in catalogue()}

# Bytes that matter to the formats: structure, separators, quotes, digits, invalid UTF-8, controls.
NASTY = st.sampled_from(list(b'{}[],:;"\\\n\r\t 0123456789.-eE') + [0x00, 0x81, 0xC3, 0xFF, 0x1F, 0x8B])
BYTE = st.one_of(NASTY, st.integers(0, 255))


@st.composite
def corrupted_bytes(draw, data: bytes) -> bytes:
    """``data`` after 1 to 4 random byte-level edits."""
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not buffer:
            break
        at = draw(st.integers(0, len(buffer) - 1))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        if edit == "flip":
            buffer[at] = draw(BYTE)
        elif edit == "insert":
            buffer[at:at] = bytes(draw(st.lists(BYTE, min_size=1, max_size=6)))
        elif edit == "delete":
            del buffer[at:at + draw(st.integers(1, 40))]
        elif edit == "truncate":
            del buffer[at:]
        else:
            end = min(len(buffer), at + draw(st.integers(1, 200)))
            buffer[end:end] = buffer[at:end]
    return bytes(buffer)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12) | st.sampled_from(["Polygon", "MultiPolygon", "Feature", "75056", "", "2A004", ()]),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


@st.composite
def corrupted_geojson(draw) -> bytes:
    """The fixture with 1 to 3 JSON values replaced, deleted or duplicated, sometimes also byte-edited."""
    document = json.loads(GEOJSON)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = paths[draw(st.integers(0, len(paths) - 1))]
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(JSON_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[path[-1]])))
    data = json.dumps(document, ensure_ascii=draw(st.booleans())).encode("utf-8")
    if draw(st.booleans()):
        data = draw(corrupted_bytes(data))
    return data


def check_outcome(call, expected_rows=None):
    """Run an import into an empty table and check: all imported, or refused with nothing written."""
    Territory.objects.all().delete()
    try:
        report = call()
    except InputRejected as exc:
        assert exc.problems, "refused without a problem"
        assert all(p.code in KNOWN_CODES for p in exc.problems)
        assert all(str(p) for p in exc.problems) and exc.report()
        assert Territory.objects.count() == 0 and Population.objects.count() == 0
        return None
    assert report.total >= 1
    assert Territory.objects.count() == report.total == report.created
    for text, *bbox in Territory.objects.values_list("geometry", "min_lon", "min_lat", "max_lon", "max_lat"):
        if text:  # what is stored is GeoJSON that a map can draw
            assert json.loads(text)["type"] in ("Polygon", "MultiPolygon")
            assert not shapely.from_geojson(text).is_empty
            assert all(math.isfinite(v) for v in bbox)
    if expected_rows is not None:
        assert report.total <= expected_rows
    return report


@SETTINGS
@given(data=corrupted_geojson())
def test_corrupted_geojson_is_all_or_nothing(tmp_path, data):
    path = tmp_path / "communes.geojson"
    path.write_bytes(data)
    report = check_outcome(lambda: import_territories(path, level="commune", population_field="population",
                                                      population_year=2021))
    if report is not None and report.populations is not None:
        assert Population.objects.count() == report.populations.created


@SETTINGS
@given(data=corrupted_bytes(GEOJSON))
def test_byte_corrupted_geojson_is_all_or_nothing(tmp_path, data):
    path = tmp_path / "communes.geojson"
    path.write_bytes(data)
    check_outcome(lambda: import_territories(path, level="commune", repair=True))


@SETTINGS
@given(data=st.one_of(corrupted_bytes(COMMUNES_CSV),
                      corrupted_bytes(COMMUNES_CSV.decode("utf-8").encode("cp1252")),
                      corrupted_bytes(COMMUNES_CSV.decode("utf-8").encode("utf-16"))))
def test_corrupted_cog_csv_is_all_or_nothing(tmp_path, data):
    path = tmp_path / "communes.csv"
    path.write_bytes(data)
    check_outcome(lambda: import_cog(path, level="commune", link_parents=False), expected_rows=9)


@pytest.fixture
def linked_territories(db):
    """Communes and EPCI of the fixtures, for the membership tables."""
    import_cog(FIXTURES / "communes.csv", level="commune", link_parents=False)
    import_cog(FIXTURES / "epci.csv", level="epci", link_parents=False)


@SETTINGS
@given(data=corrupted_bytes(MEMBERSHIPS_CSV))
def test_corrupted_membership_table_is_all_or_nothing(tmp_path, linked_territories, data):
    Membership.objects.all().delete()
    path = tmp_path / "epci.csv"
    path.write_bytes(data)
    try:
        report = import_memberships(path, member_level="commune", group_level="epci")
    except InputRejected as exc:
        assert exc.problems and all(p.code in KNOWN_CODES for p in exc.problems)
        assert Membership.objects.count() == 0
    else:
        assert Membership.objects.count() == report.total == report.created


def test_corruptions_do_reach_the_importer_both_ways(tmp_path):
    """The strategies above are not vacuous: some corruptions are refused, some still import."""
    rng = random.Random(4)
    outcomes = set()
    for _ in range(60):
        buffer = bytearray(COMMUNES_CSV)
        at = rng.randrange(len(buffer))
        buffer[at] = rng.choice(b";0A\n")
        path = tmp_path / "c.csv"
        path.write_bytes(bytes(buffer))
        outcomes.add(check_outcome(lambda: import_cog(path, level="commune", link_parents=False)) is None)
    assert outcomes == {True, False}
