"""Maps of the pages: GeoJSON assembled on the server, classes, colours and the legend.

The browser (``static/equisante/maps.js``) only draws what it receives: each feature carries its
fill colour, its state and the texts of its tooltip, so that the map and the legend cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from equisante.maps import classify, feature, feature_collection, for_polarity, union_bbox
from equisante.portal.publication import Published, decimals_for, format_number, kind_of, with_unit

#: Above this many territories a map is not drawn (the page would weigh tens of megabytes); the
#: page asks to narrow the area and keeps the table.
MAP_MAX_FEATURES = 5000
#: Fill of territories drawn without values (plain maps), and of missing values.
PLAIN_FILL = "#cacafb"
MISSING_FILL = "#ffffff"
HATCH_FILL = "url(#eq-hatch)"


@dataclass
class LegendEntry:
    kind: str  # class, suppressed, unstable, missing
    label: str
    count: int
    colour: str = ""


@dataclass
class MapData:
    geojson: str
    legend: list[LegendEntry] = field(default_factory=list)
    method: str = ""
    drawn: int = 0

    @property
    def empty(self) -> bool:
        return self.drawn == 0


def _props(territory, **extra) -> dict:
    props = {
        "name": territory.name,
        "code": territory.code,
        "level": territory.level,
        "url": territory.get_absolute_url(),
    }
    props.update(extra)
    return props


def plain_map(territories, *, outline=None, current=None) -> MapData:
    """Territories drawn in one colour (no values), with an optional ``outline`` drawn as context."""
    features, boxes = [], []
    drawn = 0
    for territory in territories:
        if not territory.geometry:
            continue
        role = "current" if current is not None and territory.pk == current.pk else "area"
        features.append(feature(territory.geometry, _props(territory, fill=PLAIN_FILL, role=role)))
        boxes.append(territory.bbox)
        drawn += 1
    if outline is not None and outline.geometry:
        features.append(feature(outline.geometry, _props(outline, role="outline")))
        boxes.append(outline.bbox)
    return MapData(geojson=feature_collection(features, bbox=union_bbox(boxes)), drawn=drawn)


def choropleth(rows: list[Published], *, polarity: str, unit: str, method: str = "quantiles", k: int = 5,
               outline=None) -> MapData:
    """A choropleth of ``rows`` (one published value per territory): classes of the shown values,
    colours where darker means less favourable, suppressed / fragile / missing values distinct."""
    values = [row.value if row.shown else None for row in rows]
    classification = classify(values, k, method)
    colours = for_polarity(classification.k, polarity) if classification.k else []
    kind = kind_of(unit)
    features, boxes = [], []
    states = {"suppressed": 0, "unstable": 0, "missing": 0}
    drawn = 0
    for row, cls in zip(rows, classification.classes, strict=True):
        # what the map shows: hatched when withheld, white when there is no number, else the class
        if row.state == "suppressed":
            state, fill = "suppressed", HATCH_FILL
        elif cls is None:
            state, fill = "missing", MISSING_FILL
        else:
            state, fill = row.state, colours[cls]
        if state in states:
            states[state] += 1
        territory = row.territory
        if not territory.geometry:
            continue
        props = _props(territory, role="value", state=state, state_name=row.state_name if state == row.state else
                       str(_("Donnée manquante")), value=row.value_with_unit, cls=cls, fill=fill)
        features.append(feature(territory.geometry, props))
        boxes.append(territory.bbox)
        drawn += 1
    if outline is not None and outline.geometry:
        features.append(feature(outline.geometry, _props(outline, role="outline")))
        boxes.append(outline.bbox)
    legend = [
        LegendEntry("class", label, count, colour)
        for label, count, colour in zip(class_labels(classification.bounds, kind, unit), classification.counts,
                                        colours, strict=True)
    ]
    legend += [
        LegendEntry("unstable", _("Valeur fragile (couleur atténuée, contour en tirets)"), states["unstable"]),
        LegendEntry("suppressed", _("Secret statistique (hachures)"), states["suppressed"]),
        LegendEntry("missing", _("Donnée manquante (blanc)"), states["missing"]),
    ]
    geojson = feature_collection(features, bbox=union_bbox(boxes))
    return MapData(geojson=geojson, legend=legend, method=method, drawn=drawn)


def class_labels(bounds, kind: str, unit: str) -> list[str]:
    """« de 1,2 à 3,4 % », « plus de 3,4 à 5,6 % »… for right-closed classes, with enough decimals
    for consecutive bounds to differ once written."""
    if len(bounds) < 2:
        return []
    decimals = max(decimals_for(b, kind) for b in bounds if b is not None)
    texts = [format_number(b, decimals=decimals) for b in bounds]
    while decimals < 4 and any(a == b for a, b, x, y in zip(texts, texts[1:], bounds, bounds[1:]) if x != y):
        decimals += 1
        texts = [format_number(b, decimals=decimals) for b in bounds]
    labels = []
    for index in range(len(bounds) - 1):
        low, high = texts[index], texts[index + 1]
        if index == 0:
            text = _("%(high)s") % {"high": high} if bounds[0] == bounds[1] else _("de %(low)s à %(high)s") % {
                "low": low, "high": high}
        else:
            text = _("plus de %(low)s à %(high)s") % {"low": low, "high": high}
        labels.append(with_unit(text, unit))
    return labels


def too_many(count: int) -> bool:
    return count > MAP_MAX_FEATURES
