"""Read territories from GeoJSON (plain or gzip), check every feature, and simplify the shapes for
the web.

Input: a ``FeatureCollection`` in WGS84 longitude/latitude (degrees) whose features carry a code and
a name (by default ``code`` and ``nom``, as in IGN ADMIN EXPRESS files and their derivatives), and
optionally the parent's code and a population. Every feature is checked: code and name present and
usable, code unique in the file, geometry a non-empty Polygon or MultiPolygon inside WGS84 bounds
and valid (OGC rules, through GEOS). An invalid geometry is a problem unless ``repair=True``, which
makes it valid (``shapely.make_valid``, structure method) and counts it in ``Reading.repaired``.

Output geometries are simplified (Douglas-Peucker preserving each shape's topology, ``tolerance`` in
degrees: 0.0005° ≈ 55 m of latitude) and rounded to 5 decimals (≈ 1 m): a national commune layer
goes from ~45 MB to ~30 MB of GeoJSON text. Neighbours are simplified independently, so shared
borders may part by up to ``tolerance`` at high zoom (acceptable for choropleth maps).

Speed: the per-feature Python work is limited to properties; geometries are parsed, checked,
simplified, measured and written with shapely 2's vectorised functions (see :func:`_parse` and
:func:`to_geojson_texts`): the 35,357 communes of France take ~6 s of CPU and ~0.5 GB.
Empty rings or polygons inside a shape are left out of the output.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping

from equisante.errors import Location
from equisante.numbers import plural
from equisante.territories.reading._common import (
    Progress,
    Reading,
    Source,
    TerritoryRecord,
    clean_code,
    clean_name,
    clean_population,
    code_format_problem,
    decode,
    describe_value,
    load_bytes,
    step,
    who,
)

#: Default simplification tolerance, in degrees (≈ 55 m north-south, ≈ 37 m east-west in France).
DEFAULT_TOLERANCE = 0.0005
#: Decimals kept in output coordinates (1e-5° ≈ 1.1 m).
DECIMALS = 5
POLYGONAL = ("Polygon", "MultiPolygon")
# Geometries simplified and serialised at a time (progress steps; bounded temporary text).
_CHUNK = 5000

_JSON_REASONS = {
    "Expecting value": "une valeur est attendue",
    "Expecting ',' delimiter": "une virgule est attendue",
    "Expecting ':' delimiter": "deux-points sont attendus",
    "Expecting property name enclosed in double quotes": "un nom de propriété entre guillemets doubles est attendu",
    "Unterminated string starting at": "une chaîne de caractères n'est pas fermée",
    "Extra data": "des données suivent la fin du document",
    "Invalid control character at": "une chaîne contient un caractère de contrôle",
    "Invalid \\escape": "une séquence d'échappement (\\) est invalide",
    "Invalid \\uXXXX escape": "une séquence \\uXXXX est invalide",
}

_GEOS_REASONS = {
    "Self-intersection": "ses contours se croisent",
    "Ring Self-intersection": "un anneau se recoupe lui-même",
    "Too few points in geometry component": "un anneau compte trop peu de points distincts",
    "Hole lies outside shell": "un trou sort du contour extérieur",
    "Nested holes": "des trous sont imbriqués",
    "Interior is disconnected": "l'intérieur est coupé en morceaux par les trous",
    "Nested shells": "des polygones sont imbriqués l'un dans l'autre",
    "Duplicate Rings": "des anneaux sont en double",
    "Invalid Coordinate": "une coordonnée n'est pas un nombre fini",
    "Ring is not closed": "un anneau n'est pas fermé",
}
# A "coordinates" key and its array of numbers (nothing else may stand inside: no quote, no brace).
_COORDINATES = re.compile(r'"coordinates"\s*:\s*\[[\[\]\d\s,.eE+\-]*\]')
_GEOS_REASON = re.compile(r"(?P<reason>[^\[]+)(?:\[(?P<x>\S+) (?P<y>\S+)\])?")


def read_geojson(
    source: Source,
    *,
    code_field: str = "code",
    name_field: str = "nom",
    parent_field: str | None = None,
    population_field: str | None = None,
    level: str | None = None,
    check_codes: bool = True,
    tolerance: float = DEFAULT_TOLERANCE,
    repair: bool = False,
    name: str | None = None,
    progress: Progress | None = None,
) -> Reading:
    """Read and check a GeoJSON FeatureCollection of territories.

    ``code_field``, ``name_field``, ``parent_field``, ``population_field``: property names.
    ``level``: the territories' level, to check official code formats (with ``check_codes``).
    ``tolerance``: simplification in degrees (0: none). ``name``: the source's name in messages.
    Records and problems are given in feature order; features are numbered from 1. When there is
    any problem the records are returned without geometry (the input is to be refused anyway).
    """
    reading = Reading(source="")
    step(progress, "lecture", 0, 1)
    data = load_bytes(source, name, reading)
    if data is None:
        return reading
    text = decode(data, reading)
    del data
    if text is None:
        return reading
    features, parsed = _parse(text, reading)
    del text
    if features is None:
        return reading
    step(progress, "lecture", 1, 1)

    fields = _Fields(code_field, name_field, parent_field, population_field)
    records: list[TerritoryRecord | None] = []
    geometries: list[Any] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        location = Location(source=reading.source, feature=number)
        record, geometry = _feature(feature, location, fields, level if check_codes else None, reading)
        if record is not None:
            first = seen.setdefault(record.code, number)
            if first != number:
                reading.add("territory_code_duplicate", location, code=record.code,
                            first=f"objet n° {first}", second=f"objet n° {number}")
        records.append(record)
        geometries.append(geometry)
    del features
    fields.report_absent(reading)

    _geometries(records, geometries, parsed, reading, tolerance=tolerance, repair=repair, progress=progress)
    reading.problems.sort(key=lambda p: p.location.feature or 0)  # file order; file-wide ones first
    reading.records = [r for r in records if r is not None]
    return reading


class _Fields:
    """The property names, and whether the optional ones were seen at least once."""

    def __init__(self, code: str, name: str, parent: str | None, population: str | None):
        self.code, self.name, self.parent, self.population = code, name, parent, population
        self.seen_parent = self.seen_population = False
        self.properties: set[str] = set()

    def report_absent(self, reading: Reading) -> None:
        found = ", ".join(sorted(self.properties)[:20]) or "aucune"
        if self.parent and not self.seen_parent:
            reading.add("territory_field_absent", field=self.parent, role="code du parent", found=found)
        if self.population and not self.seen_population:
            reading.add("territory_field_absent", field=self.population, role="population", found=found)


def _parse(text: str, reading: Reading) -> tuple[list[Any] | None, np.ndarray | None]:
    """(features, their geometries parsed by GEOS, or None): the fast path when it applies.

    Fast path: GEOS reads the whole FeatureCollection at once while Python's ``json`` reads only the
    properties, the coordinate arrays being blanked out by a regular expression first (they are
    most of the text, and building Python lists of them is the slow part). It applies only when the
    counts agree and every feature has a polygonal geometry; anything else — a broken geometry, a
    null one, a property called ``coordinates`` — takes the exact path, which diagnoses each
    feature.
    """
    blanked, count = _COORDINATES.subn('"coordinates":null', text)
    if count:
        try:
            document = json.loads(blanked)
        except (ValueError, RecursionError):
            document = None
        del blanked
        collection = isinstance(document, dict) and document.get("type") == "FeatureCollection"
        features = document.get("features") if collection else None
        if isinstance(features, list) and len(features) == count and all(_blanked_polygon(f) for f in features):
            try:
                parsed = shapely.get_parts(shapely.from_geojson(text))
            except (GEOSException, ValueError):
                parsed = None
            if parsed is not None and len(parsed) == len(features):
                return features, parsed
    return _features(text, reading), None


def _blanked_polygon(feature: Any) -> bool:
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    return (isinstance(geometry, dict) and geometry.get("type") in POLYGONAL and "coordinates" in geometry
            and geometry["coordinates"] is None)


def _features(text: str, reading: Reading) -> list[Any] | None:
    """The list of features of a FeatureCollection; None with a problem otherwise."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = next((fr for en, fr in _JSON_REASONS.items() if exc.msg.startswith(en)), exc.msg)
        reading.add("territory_json_invalid", Location(source=reading.source, line=exc.lineno),
                    reason=reason, line=exc.lineno, column=exc.colno)
        return None
    except (ValueError, RecursionError):
        # Integers of thousands of digits, or arrays nested thousands deep: no position is known.
        reading.add("territory_json_invalid", reason="un nombre est trop long ou l'imbrication trop profonde",
                    line="inconnue", column="inconnue")
        return None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if isinstance(features, list):
            if not features:
                reading.add("territory_file_empty")
                return None
            return features
        found = "une « FeatureCollection » sans liste « features »"
    elif isinstance(document, dict):
        kind = document.get("type")
        found = f"un objet de type {describe_value(kind)}" if kind is not None else "un objet sans « type »"
    else:
        found = "une liste" if isinstance(document, list) else f"une valeur seule ({describe_value(document)})"
    reading.add("territory_not_feature_collection", found=found)
    return None


def _feature(feature: Any, location: Location, fields: _Fields, level: str | None, reading: Reading):
    """(record or None, geometry dict or None) for one feature, adding its property problems."""
    if not isinstance(feature, dict):
        reading.add("territory_feature_invalid", location, reason=f"c'est {_kind(feature)} et non un objet")
        return None, None
    if feature.get("type") != "Feature":
        reading.add("territory_feature_invalid", location,
                    reason=f"son « type » vaut {describe_value(feature.get('type'))} au lieu de « Feature »")
        return None, None
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        reading.add("territory_feature_invalid", location, reason="« properties » n'est pas un objet")
        return None, None
    fields.properties.update(k for k in properties if isinstance(k, str))

    raw_code = properties.get(fields.code)
    code, why = clean_code(raw_code)
    if code is None:
        if why is None:
            present = ", ".join(sorted(properties)[:20]) or "aucune"
            reading.add("territory_code_missing", location, field=fields.code,
                        hint=f" ; propriétés présentes : {present}")
        else:
            reading.add("territory_code_invalid", location, value=describe_value(raw_code), field=fields.code,
                        reason=why)
    elif (bad := code_format_problem(code, level)) is not None:
        reading.add("territory_code_format", location, code=code, level=bad[0], expected=bad[1])

    name, why = clean_name(properties.get(fields.name))
    if name is None:
        if why is None:
            reading.add("territory_name_missing", location, territory=who(code, None), field=fields.name)
        else:
            reading.add("territory_name_invalid", location, territory=who(code, None), reason=why)

    parent = None
    if fields.parent and fields.parent in properties:
        fields.seen_parent = True
        raw_parent = properties[fields.parent]
        parent, why = clean_code(raw_parent)
        if why is not None:
            reading.add("territory_code_invalid", location, value=describe_value(raw_parent), field=fields.parent,
                        reason=why)

    population = None
    if fields.population and fields.population in properties:
        fields.seen_population = True
        raw_population = properties[fields.population]
        population, valid = clean_population(raw_population)
        if not valid:
            reading.add("territory_population_invalid", location, territory=who(code, name),
                        value=describe_value(raw_population))

    geometry = feature.get("geometry")
    territory = who(code, name)
    if geometry is None:
        reading.add("territory_geometry_missing", location, territory=territory)
        geometry = None
    elif not isinstance(geometry, dict):
        reading.add("territory_geometry_malformed", location, territory=territory,
                    reason=f"« geometry » est {_kind(geometry)} et non un objet GeoJSON")
        geometry = None
    elif geometry.get("type") not in POLYGONAL:
        kind = geometry.get("type")
        reading.add("territory_geometry_type_unsupported", location, territory=territory,
                    found=kind if isinstance(kind, str) else describe_value(kind))
        geometry = None

    # A geometry is checked even when the properties are faulty, so that one pass lists everything.
    if code is None or name is None:
        return None, (geometry, territory)
    record = TerritoryRecord(code=code, name=name, location=location, parent=parent, population=population)
    return record, (geometry, territory)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, (int, float)):
        return "un nombre"
    return "une valeur nulle" if value is None else "une valeur"


def _geometries(records, geometries, parsed, reading: Reading, *, tolerance: float, repair: bool,
                progress: Progress | None) -> None:
    """Parse (unless ``parsed``), check, repair, simplify and serialise the geometries (vectorised),
    filling the records. ``geometries[i]`` is (GeoJSON dict or None, territory's label)."""
    total = len(geometries)
    step(progress, "vérification des géométries", 0, total)

    def location(i: int) -> Location:
        return Location(source=reading.source, feature=i + 1)

    def territory(i: int) -> str:
        return geometries[i][1]

    # Features refused before their geometry (not a Feature, bad properties object) have no entry.
    indexes = [i for i, g in enumerate(geometries) if g is not None and g[0] is not None]
    if parsed is None:
        texts = [json.dumps(geometries[i][0]) for i in indexes]  # GEOS reads GeoJSON text; NaN is refused
        parsed = shapely.from_geojson(texts, on_invalid="ignore") if texts else np.empty(0, dtype=object)
        del texts
    else:
        parsed = parsed[indexes]  # the fast path parsed every feature
    ok = []
    for i, geometry in zip(indexes, parsed):
        if geometry is None:
            reading.add("territory_geometry_malformed", location(i), territory=territory(i),
                        reason=diagnose(geometries[i][0]) or _geos_parse_reason(geometries[i][0]))
        else:
            ok.append(i)
    arr = shapely.force_2d(np.asarray([g for g in parsed if g is not None], dtype=object))
    del parsed
    if not len(arr):
        step(progress, "vérification des géométries", total, total)
        return

    empty = shapely.is_empty(arr)
    bounds = shapely.bounds(arr)
    with np.errstate(invalid="ignore"):
        outside = ~empty & ~(
            np.isfinite(bounds).all(axis=1)
            & (bounds[:, 0] >= -180) & (bounds[:, 2] <= 180) & (bounds[:, 1] >= -90) & (bounds[:, 3] <= 90)
        )
    valid = shapely.is_valid(arr)
    keep = np.ones(len(arr), dtype=bool)
    for k in np.flatnonzero(empty | outside | ~valid):
        i = ok[k]
        if empty[k]:
            reading.add("territory_geometry_empty", location(i), territory=territory(i))
            keep[k] = False
        elif outside[k]:
            bbox = ", ".join(f"{v:.6g}" for v in bounds[k])
            reading.add("territory_coordinates_out_of_range", location(i), territory=territory(i), bbox=f"[{bbox}]")
            keep[k] = False
        else:
            reason = diagnose(mapping(arr[k])) or _geos_validity_reason(shapely.is_valid_reason(arr[k]))
            if not repair:
                reading.add("territory_geometry_invalid", location(i), territory=territory(i), reason=reason)
                keep[k] = False
                continue
            fixed = _repair(arr[k])
            if fixed is None:
                reading.add("territory_geometry_unrepairable", location(i), territory=territory(i), reason=reason)
                keep[k] = False
            else:
                arr[k] = fixed
                bounds[k] = shapely.bounds(fixed)
                reading.repaired += 1
    step(progress, "vérification des géométries", total, total)

    if reading.problems:
        return  # the input will be refused: simplifying would be wasted time
    selected = np.flatnonzero(keep).tolist()
    for start in range(0, len(selected), _CHUNK):
        chunk = selected[start:start + _CHUNK]
        shapes = arr[chunk]
        if tolerance > 0:
            shapes = shapely.simplify(shapes, tolerance, preserve_topology=True)
        for k, text in zip(chunk, to_geojson_texts(shapes)):
            record = records[ok[k]]
            record.geometry = text
            record.bbox = tuple(round(float(v), DECIMALS + 1) for v in bounds[k])
        step(progress, "simplification des géométries", min(start + _CHUNK, len(selected)), len(selected))


def _repair(geometry) -> Any | None:
    """A valid polygonal version of ``geometry``, or None when nothing of its surface remains."""
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    if fixed.geom_type not in POLYGONAL:
        parts = [p for p in shapely.get_parts(fixed) if p.geom_type in POLYGONAL]
        polygons = [q for p in parts for q in shapely.get_parts(p)]
        fixed = shapely.multipolygons(polygons) if polygons else None
    if fixed is None or fixed.is_empty:
        return None
    return fixed


def to_geojson_texts(geometries: np.ndarray, decimals: int = DECIMALS) -> list[str]:
    """Compact GeoJSON text of each 2D Polygon / MultiPolygon, coordinates rounded to ``decimals``.

    GEOS's GeoJSON writer prints 17 significant digits (``45.715089999999996``) and Python's ``json``
    is slow on millions of floats; so the coordinates are rounded in place, written as WKT by GEOS
    (shortest form: ``45.71509``) and the WKT of all shapes is rewritten into GeoJSON with a few
    passes of string replacement over one joined text.
    """
    if not len(geometries):
        return []
    rounded = shapely.transform(geometries, lambda xy: np.round(xy, decimals))
    wkts = shapely.to_wkt(rounded, rounding_precision=decimals, trim=True).tolist()
    for k, wkt in enumerate(wkts):
        if "EMPTY" in wkt:  # an empty ring or polygon inside a shape: it adds nothing, leave it out
            wkts[k] = shapely.to_wkt(_without_empty_parts(rounded[k]), rounding_precision=decimals, trim=True)
    text = "\n".join(wkts)
    text = text.replace("MULTIPOLYGON ", "M").replace("POLYGON ", "P")
    # Innermost parentheses open or close a ring: they also open or close its first or last point.
    text = _RING_START.sub("[[", text)
    text = _RING_END.sub("]]", text)
    text = text.replace("(", "[").replace(")", "]")
    text = text.replace(", [", ",[")  # between rings or polygons
    text = text.replace(", ", "],[")  # between points
    text = text.replace(" ", ",")  # between longitude and latitude
    return [
        ('{"type":"MultiPolygon","coordinates":' if t[0] == "M" else '{"type":"Polygon","coordinates":') + t[1:] + "}"
        for t in text.split("\n")
    ]


def _without_empty_parts(geometry):
    polygons = [
        shapely.Polygon(p.exterior, [ring for ring in p.interiors if not ring.is_empty])
        for p in shapely.get_parts(geometry) if not p.is_empty
    ]
    if geometry.geom_type == "Polygon":
        return polygons[0]
    return shapely.MultiPolygon(polygons)


_RING_START = re.compile(r"\((?=[-\d])")
_RING_END = re.compile(r"(?<=\d)\)")


def diagnose(geometry: Any) -> str | None:
    """The first structural fault of a GeoJSON Polygon / MultiPolygon, in French, or None.

    Run only on geometries GEOS refused or found invalid: it walks the coordinates in Python."""
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    multi = isinstance(geometry, dict) and geometry.get("type") == "MultiPolygon"
    if not isinstance(coordinates, (list, tuple)):
        return "« coordinates » est absent ou n'est pas une liste"
    polygons = coordinates if multi else [coordinates]
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, (list, tuple)):
            return f"le polygone n° {p} n'est pas une liste d'anneaux"
        for r, ring in enumerate(polygon, start=1):
            where = f"l'anneau n° {r}" + (f" du polygone n° {p}" if multi else "")
            if not isinstance(ring, (list, tuple)):
                return f"{where} n'est pas une liste de points"
            for n, point in enumerate(ring, start=1):
                if not (isinstance(point, (list, tuple)) and 2 <= len(point) <= 3
                        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point)):
                    return (f"le point n° {n} de {where} n'est pas une paire de nombres "
                            f"[longitude, latitude] (trouvé : {_short(point)})")
                if not all(math.isfinite(v) for v in point):
                    return f"le point n° {n} de {where} contient une valeur non finie ({_short(point)})"
            if len(ring) < 4:
                return (f"{where} ne compte que {plural(len(ring), 'point')} ; il en faut au moins 4 "
                        f"(trois sommets puis le premier répété)")
            if list(ring[0][:2]) != list(ring[-1][:2]):
                return (f"{where} n'est pas fermé : son dernier point {_short(ring[-1])} ne répète pas "
                        f"le premier {_short(ring[0])}")
    return None


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str).replace(" ", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _geos_parse_reason(geometry: Any) -> str:
    try:
        shapely.from_geojson(json.dumps(geometry))
    except Exception as exc:  # noqa: BLE001 — GEOS's message is all there is to report
        return f"GEOS la refuse ({str(exc)[:200]})"
    return "GEOS la refuse"


def _geos_validity_reason(text: str) -> str:
    """French for GEOS's ``is_valid_reason`` (« Ring Self-intersection[-0.56932 48.89639] »)."""
    match = _GEOS_REASON.fullmatch(text.strip())
    if not match:
        return f"« {text} »"
    reason = _GEOS_REASONS.get(match["reason"].strip(), f"« {match['reason'].strip()} »")
    if match["x"] is not None:
        reason += f" au point ({match['x']}, {match['y']})"
    return reason
