"""A static choropleth map in SVG, for reports and PDFs where an interactive map cannot go (pure).

Longitudes and latitudes (WGS84) are projected equirectangularly with the longitudes shrunk by the
cosine of the middle latitude: at the scale of a commune, an EPCI or a département, shapes then
look as on a map. The fills come from the caller (classes and palettes: :mod:`equisante.maps`);
withheld values are hatched, fragile ones lighter with a dashed border, missing ones white with a
dotted border, as on the interactive maps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from equisante.charts._parts import describe, tooltip
from equisante.charts._svg import FONT_SIZE, document, element, hatch_pattern, text, text_width, wrap
from equisante.charts.model import MISSING, SUPPRESSED, UNSTABLE, LegendItem, MapArea

__all__ = ["choropleth_map"]

OUTLINE = "#000091"  # the DSFR's "bleu France", as the interactive maps draw the enclosing area


def _rings(geometry: Mapping[str, Any] | None) -> Iterable[Sequence[Sequence[float]]]:
    if not geometry:
        return
    kind = geometry.get("type")
    if kind == "Polygon":
        yield from geometry.get("coordinates", [])
    elif kind == "MultiPolygon":
        for polygon in geometry.get("coordinates", []):
            yield from polygon
    elif kind == "GeometryCollection":
        for part in geometry.get("geometries", []):
            yield from _rings(part)


def _bounds(areas: Sequence[MapArea]) -> tuple[float, float, float, float] | None:
    lons, lats = [], []
    for area in areas:
        for ring in _rings(area.geometry):
            for lon, lat, *_ in ring:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def choropleth_map(
    areas: Sequence[MapArea],
    *,
    title: str,
    legend: Sequence[LegendItem] = (),
    legend_title: str = "",
    description: str = "",
    width: int = 560,
    max_height: int = 460,
    chart_id: str = "static-map",
) -> str:
    """The ``areas`` drawn as filled shapes (outline areas as borders on top), with a legend below.

    Each area is a ``<path class="eq-chart__area">`` with ``data-key`` and ``data-state`` and a
    tooltip (« name : value »). The text alternative lists every area with its value or state.
    Returns the SVG text (an empty map says so when no area has a geometry)."""
    hatch_id = f"{chart_id}-hatch"
    bounds = _bounds(areas)
    legend_height = _legend_height(legend, width, legend_title)
    if bounds is None:
        body = [text(width / 2, 40, "Pas de géométrie : carte indisponible.", anchor="middle")]
        return document(width=width, height=80, title=title, chart_id=chart_id, kind="map",
                        description=description or title, body=body)
    min_lon, min_lat, max_lon, max_lat = bounds
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * shrink, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    margin = 8
    scale = min((width - 2 * margin) / span_x, (max_height - 2 * margin) / span_y)
    map_height = span_y * scale + 2 * margin
    offset_x = (width - span_x * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return offset_x + (lon - min_lon) * shrink * scale, margin + (max_lat - lat) * scale

    fills, outlines = [], []
    for area in areas:
        path = _path(area.geometry, project)
        if not path:
            continue
        tip = tooltip(f"{area.label} : {area.value_text}" if area.value_text else area.label)
        if area.outline:
            outlines.append(element("path", tip, d=path, fill="none", stroke=OUTLINE, stroke_width=2,
                                    class_="eq-chart__outline", data_key=area.key))
            continue
        style: dict[str, Any] = {"fill": area.fill, "stroke": "#ffffff", "stroke_width": 0.8}
        if area.state == SUPPRESSED:
            style.update(fill=f"url(#{hatch_id})", stroke="#555555")
        elif area.state == MISSING:
            style.update(fill="#ffffff", stroke="#666666", stroke_dasharray="2 2")
        elif area.state == UNSTABLE:
            style.update(fill_opacity=0.5, stroke="#161616", stroke_dasharray="4 2")
        fills.append(element("path", tip, d=path, fill_rule="evenodd", class_="eq-chart__area", data_key=area.key,
                             data_state=area.state, **style))
    body = [element("g", "".join(fills) + "".join(outlines), class_="eq-chart__areas")]
    body.append(_legend(legend, legend_title, map_height + 6, width, hatch_id))
    drawn = [a for a in areas if not a.outline]
    alternative = (description.strip() + " ") if description else f"{title}. "
    alternative += describe([f"{a.label} : {a.value_text or '—'}" for a in drawn], limit=80) + "."
    return document(width=width, height=map_height + legend_height + 6, title=title, chart_id=chart_id, kind="map",
                    defs=hatch_pattern(hatch_id), description=alternative, body=body)


def _path(geometry, project) -> str:
    commands = []
    for ring in _rings(geometry):
        points = [project(lon, lat) for lon, lat, *_ in ring]
        if len(points) < 3:
            continue
        # one decimal is finer than a printed dot and keeps a 1,300-commune map light
        first, *rest = points
        commands.append(f"M{first[0]:.1f} {first[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z")
    return "".join(commands)


def _legend_columns(legend: Sequence[LegendItem], width: float) -> int:
    """Two columns when every label fits in half the width, else one."""
    longest = max((text_width(_legend_label(item), FONT_SIZE - 1) for item in legend), default=0.0)
    return 2 if width >= 440 and longest + 40 <= (width - 16) / 2 else 1


def _legend_label(item: LegendItem) -> str:
    return item.label + (f" ({item.count})" if item.count is not None else "")


def _legend_height(legend: Sequence[LegendItem], width: float, legend_title: str) -> float:
    if not legend:
        return 0.0
    rows = math.ceil(len(legend) / _legend_columns(legend, width))
    return 10 + (18 if legend_title else 0) + rows * 20


def _legend(legend: Sequence[LegendItem], legend_title: str, top: float, width: float, hatch_id: str) -> str:
    if not legend:
        return ""
    columns = _legend_columns(legend, width)
    column_width = (width - 16) / columns
    parts = []
    y = top + 10
    if legend_title:
        parts.append(text(8, y + 4, legend_title, weight="bold"))
        y += 18
    for index, item in enumerate(legend):
        x = 8 + column_width * (index % columns)
        row_y = y + 20 * (index // columns)
        swatch: dict[str, Any] = {"fill": item.colour or "#ffffff", "stroke": "#161616", "stroke_width": 1}
        if item.state == SUPPRESSED:
            swatch["fill"] = f"url(#{hatch_id})"
        elif item.state == MISSING:
            swatch.update(fill="#ffffff", stroke_dasharray="2 2")
        elif item.state == UNSTABLE:
            swatch.update(fill=item.colour or "#2f88b8", fill_opacity=0.5, stroke_dasharray="4 2")
        parts.append(element("rect", x=x, y=row_y - 6, width=24, height=12, **swatch))
        for words in wrap(_legend_label(item), column_width - 36, max_lines=1):
            parts.append(text(x + 30, row_y + 4, words, size=FONT_SIZE - 1))
    return element("g", "".join(parts), class_="eq-chart__legend")
