"""The territories a portrait looks at: the territory itself, the area it is compared with, its
sub-territories (what the map and the gradient are made of) and its peers (the funnel plot)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from equisante.territories.levels import Level
from equisante.territories.models import Population, Territory

#: Levels a portrait is meant for first, when a code exists at several levels (« 11 » is both a
#: région and a département): the commune, the EPCI and the CLS perimeter or zone.
PREFERRED_LEVELS = [Level.COMMUNE, Level.EPCI, Level.ZONE, Level.DEPARTEMENT, Level.REGION, Level.QPV, Level.IRIS]
#: Sub-territories of each level, and how to reach them: ``parent`` steps of the nested hierarchy
#: (a région's communes are two steps down), or ``members`` for groupings (EPCI, zones, QPV).
SUB_LEVEL = {
    Level.REGION: (Level.COMMUNE, "parent__parent"),
    Level.DEPARTEMENT: (Level.COMMUNE, "parent"),
    Level.EPCI: (Level.COMMUNE, "members"),
    Level.ZONE: (Level.COMMUNE, "members"),
    Level.COMMUNE: (Level.IRIS, "parent"),
}
ANCESTRY = "parent__parent__parent__parent"
PLACE_FIELDS = ("id", "level", "code", "name", "vintage", "geometry", "min_lon", "min_lat", "max_lon", "max_lat")


@dataclass(frozen=True)
class Place:
    """A sub-territory or a peer as a portrait handles it by the hundred: a plain record read with
    one query (no model instance), whose link opens its own portrait."""

    pk: int
    level: str
    code: str
    name: str
    vintage: int
    geometry: str = ""
    min_lon: float | None = None
    min_lat: float | None = None
    max_lon: float | None = None
    max_lat: float | None = None
    link: str = ""

    @property
    def bbox(self) -> list[float] | None:
        if self.min_lon is None:
            return None
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]

    def get_absolute_url(self) -> str:
        return self.link


def places(queryset, *, geometry: bool = True) -> list[Place]:
    """The territories of ``queryset`` as :class:`Place` records."""
    from django.urls import reverse

    prefix = reverse("portraits:detail", args=["CODE"])[: -len("CODE/")]
    fields = PLACE_FIELDS if geometry else PLACE_FIELDS[:5]
    out = []
    for row in queryset.values_list(*fields):
        record = dict(zip(fields, row, strict=True))
        record["pk"] = record.pop("id")
        record["geometry"] = record.get("geometry") or ""
        out.append(Place(**record, link=f"{prefix}{record['code']}/?niveau={record['level']}"))
    return out


def find_territory(code: str, level: str | None = None) -> Territory:
    """The territory with ``code`` (at ``level`` when given), latest vintage; when the code exists at
    several levels, the first of :data:`PREFERRED_LEVELS`. Raises Http404 when none."""
    queryset = Territory.objects.select_related(ANCESTRY).filter(code=code)
    if level:
        queryset = queryset.filter(level=level)
    found = list(queryset.order_by("-vintage"))
    if not found:
        raise Http404(_("Territoire introuvable : %(code)s") % {"code": code})
    rank = {lv.value: i for i, lv in enumerate(PREFERRED_LEVELS)}
    found.sort(key=lambda t: (rank.get(t.level, len(rank)), -t.vintage))
    return found[0]


def other_levels(territory: Territory) -> list[Territory]:
    """Other territories with the same code at another level (offered as links on the page)."""
    return list(Territory.objects.filter(code=territory.code).exclude(level=territory.level).order_by("level"))


def ancestors(territory: Territory) -> list[Territory]:
    """Nested parents, from the nearest up (fetched with the territory where possible)."""
    chain, current, seen = [], territory.parent, {territory.pk}
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent
    return chain


def reference_area(territory: Territory) -> Territory | None:
    """The area the territory is compared with: its nested parent (a commune's département, an
    EPCI's département); for a zone or a QPV without one, the département (else the parent) most
    of its member communes belong to."""
    if territory.parent_id:
        return territory.parent
    members = Territory.objects.filter(memberships__group=territory).select_related("parent__parent")
    parents = Counter()
    for member in members:
        target = member.parent
        if member.level == Level.IRIS and target is not None:
            target = target.parent
        if target is not None:
            parents[target.pk] = parents.get(target.pk, 0) + 1
    if not parents:
        return None
    best = parents.most_common(1)[0][0]
    return Territory.objects.get(pk=best)


def region_of(territory: Territory) -> Territory | None:
    """The région above the territory (itself if it is one), when the hierarchy reaches it."""
    if territory.level == Level.REGION:
        return territory
    for ancestor in ancestors(territory):
        if ancestor.level == Level.REGION:
            return ancestor
    area = reference_area(territory) if not territory.parent_id else None
    if area is not None and area.pk != territory.pk:
        return region_of(area)
    return None


def sub_level(territory: Territory) -> str | None:
    entry = SUB_LEVEL.get(Level(territory.level))
    return entry[0].value if entry else None


def _sub_lookups(territory: Territory) -> dict | None:
    """Field lookups (on Territory) that select the sub-territories of ``territory``."""
    entry = SUB_LEVEL.get(Level(territory.level))
    if entry is None:
        return None
    level, path = entry
    return {"level": level.value, ("memberships__group" if path == "members" else path): territory}


def _peer_lookups(territory: Territory) -> dict:
    """Field lookups (on Territory) that select the peers of ``territory``."""
    lookups = {"level": territory.level, "vintage": territory.vintage}
    if territory.level == Level.ZONE:
        lookups["zone_type"] = territory.zone_type
        return lookups
    region = region_of(territory)
    depth = {Level.DEPARTEMENT: "parent", Level.EPCI: "parent__parent", Level.COMMUNE: "parent__parent",
             Level.IRIS: "parent__parent__parent"}.get(Level(territory.level))
    if region is not None and region.pk != territory.pk and depth is not None:
        lookups[depth] = region
    return lookups


def among(lookups: dict | None) -> Q:
    """The same selection as a condition on a model with a ``territory`` key (values, populations,
    index values): a join, not a list of a thousand ids nor a subquery."""
    if lookups is None:
        return Q(pk__in=[])
    return Q(**{f"territory__{key}": value for key, value in lookups.items()})


def sub_territories(territory: Territory):
    """The sub-territories of a territory (queryset), or an empty queryset."""
    lookups = _sub_lookups(territory)
    if lookups is None:
        return Territory.objects.none()
    return Territory.objects.filter(**lookups).order_by("name", "code")


def within(territory: Territory) -> Q:
    """Condition selecting rows (values, populations…) of the sub-territories of ``territory``."""
    return among(_sub_lookups(territory))


def peers(territory: Territory):
    """Territories of the same level and vintage, within the same région when it is known (a zone's
    peers: zones of the same type). The territory is among them."""
    return Territory.objects.filter(**_peer_lookups(territory))


def among_peers(territory: Territory) -> Q:
    """Condition selecting rows (values…) of the peers of ``territory``."""
    return among(_peer_lookups(territory))


def populations(where: Q, year: int | None = None) -> dict[int, float]:
    """The population of each territory selected by ``where`` (a condition from :func:`within`, or
    ``Q(territory_id__in=…)``): the latest year not after ``year`` (any year when none is)."""
    found: dict[int, tuple[int, float]] = {}
    for territory_id, y, population in Population.objects.filter(where).values_list(
            "territory_id", "year", "population"):
        current = found.get(territory_id)
        # prefer years up to ``year``, the latest of them; else the earliest year after it
        key = (0 if year is None or y <= year else 1, -y if year is None or y <= year else y)
        if current is None or key < current[0]:
            found[territory_id] = (key, float(population))
    return {territory_id: value for territory_id, (_key, value) in found.items()}
