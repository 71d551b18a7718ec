"""Assembly of GeoJSON FeatureCollections from stored geometries (pure).

Territory geometries are stored as GeoJSON text; a map of 35,000 communes would spend most of its
time parsing and re-serialising them, so features are assembled by splicing the stored text as is.
The output is safe inside an HTML ``<script type="application/json">`` element: ``<``, ``>`` and
``&`` are written as JSON escapes (they can only occur inside strings in valid JSON).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

Bbox = Sequence[float]  # min_lon, min_lat, max_lon, max_lat

_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def feature(geometry: str | Mapping | None, properties: Mapping) -> str:
    """One Feature as JSON text; ``geometry`` is GeoJSON text (spliced, not parsed), a mapping or None."""
    if geometry is None or geometry == "":
        geometry_text = "null"
    elif isinstance(geometry, str):
        geometry_text = geometry.strip()
    else:
        geometry_text = json.dumps(geometry, separators=(",", ":"))
    props = json.dumps(dict(properties), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return '{"type":"Feature","geometry":' + geometry_text + ',"properties":' + props + "}"


def feature_collection(features: Iterable[str], *, bbox: Bbox | None = None, properties: Mapping | None = None) -> str:
    """A FeatureCollection (JSON text) of ``features`` (texts from :func:`feature`), HTML-safe.

    ``bbox`` is written as the GeoJSON ``bbox`` member; ``properties`` (a non-standard ``properties``
    member, ignored by GeoJSON readers) carries map-wide information such as the legend."""
    head = '{"type":"FeatureCollection"'
    if bbox is not None:
        head += ',"bbox":' + json.dumps([float(v) for v in bbox])
    if properties:
        head += ',"properties":' + json.dumps(dict(properties), ensure_ascii=False, allow_nan=False)
    text = head + ',"features":[' + ",".join(features) + "]}"
    # three replace() calls, not str.translate: on a map of a thousand communes (megabytes of text)
    # translate with a mapping table is about a hundred times slower
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def union_bbox(boxes: Iterable[Bbox | None]) -> list[float] | None:
    """The smallest box holding every given box (``None`` entries skipped); ``None`` when there are none."""
    result: list[float] | None = None
    for box in boxes:
        if box is None or any(v is None for v in box):
            continue
        if result is None:
            result = [float(v) for v in box]
        else:
            result = [min(result[0], box[0]), min(result[1], box[1]), max(result[2], box[2]), max(result[3], box[3])]
    return result
