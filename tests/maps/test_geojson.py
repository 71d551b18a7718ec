"""GeoJSON assembly."""

from __future__ import annotations

import json

from equisante.maps import feature, feature_collection, union_bbox


def test_feature_collection_splices_stored_geometry():
    stored = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}'
    text = feature_collection(
        [feature(stored, {"name": "Saint-Étienne", "value": "12,3 %"}), feature(None, {"name": "Sans géométrie"})],
        bbox=[0, 0, 1, 1],
    )
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert data["bbox"] == [0.0, 0.0, 1.0, 1.0]
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert data["features"][0]["properties"]["name"] == "Saint-Étienne"
    assert data["features"][1]["geometry"] is None


def test_output_is_safe_in_a_script_element():
    text = feature_collection([feature({"type": "Point", "coordinates": [0, 0]}, {"name": "</script><b>&"})])
    assert "</script>" not in text and "<b>" not in text and "&" not in text
    assert json.loads(text)["features"][0]["properties"]["name"] == "</script><b>&"


def test_collection_properties():
    data = json.loads(feature_collection([], properties={"legend": ["a"]}))
    assert data == {"type": "FeatureCollection", "properties": {"legend": ["a"]}, "features": []}


def test_union_bbox():
    assert union_bbox([[0, 0, 1, 1], None, [2, -1, 3, 0.5], [None, None, None, None]]) == [0, -1, 3, 1]
    assert union_bbox([None]) is None
