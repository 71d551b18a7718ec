"""Territories: levels, the list (filters, geometry on request), one territory with its parent,
children count, memberships and populations."""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema

from equisante.api.common import (
    caller, csv_response, envelope, feature, geojson_response, paging_headers, representations, split_ref,
)
from equisante.api.errors import invalid, not_found
from equisante.indicators.views import within
from equisante.territories.levels import LABELS, ORDER, PARENT_LEVEL, PLURALS, Level
from equisante.territories.models import Membership, Population, Territory
from equisante.territories.views import level_rank, search, territories_frame

router = Router(tags=["Territoires"])
LevelName = Literal["region", "departement", "epci", "commune", "iris", "qpv", "zone"]


class LevelOut(Schema):
    level: str = Field(description="Identifiant du niveau (valeur des paramètres `level`).")
    label: str
    plural: str
    parent_level: str | None = Field(description="Niveau parent dans la hiérarchie emboîtée (aucun pour la région, "
                                                  "les zones ; l'EPCI et le QPV sont aussi reliés par appartenance).")
    count: int = Field(description="Nombre de territoires de ce niveau.")


class TerritoryRef(Schema):
    level: str
    code: str
    name: str
    vintage: int


class TerritoryOut(Schema):
    level: str
    code: str
    name: str
    vintage: int = Field(description="Millésime du Code officiel géographique.")
    parent_level: str | None
    parent_code: str | None
    zone_type: str
    fictional: bool = Field(description="Territoire de démonstration (fictif).")
    bbox: list[float] | None = Field(description="Emprise [ouest, sud, est, nord] en WGS84.")
    geometry: dict | None = Field(None, description="Géométrie GeoJSON simplifiée (avec `geometry=true`).")


class TerritoryPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[TerritoryOut]


class MembershipOut(Schema):
    territory: TerritoryRef
    share: float = Field(description="Part du membre comprise dans le groupe (0 à 1).")
    source: str


class PopulationOut(Schema):
    year: int
    population: int
    source: str


class TerritoryDetail(TerritoryOut):
    parent: TerritoryRef | None
    ancestors: list[TerritoryRef] = Field(description="Du parent à la région.")
    children: int = Field(description="Nombre de territoires enfants (hiérarchie emboîtée).")
    member_of: list[MembershipOut] = Field(description="Groupes dont ce territoire est membre (EPCI, QPV, zones).")
    members: list[MembershipOut] = Field(description="Membres de ce territoire quand c'est un groupe.")
    populations: list[PopulationOut]


def _ref(t: Territory | None) -> dict | None:
    if t is None:
        return None
    return {"level": t.level, "code": t.code, "name": t.name, "vintage": t.vintage}


def _out(t: Territory, geometry: bool) -> dict:
    parent = t.parent if t.parent_id else None
    return {
        "level": t.level, "code": t.code, "name": t.name, "vintage": t.vintage,
        "parent_level": parent.level if parent else None, "parent_code": parent.code if parent else None,
        "zone_type": t.zone_type, "fictional": t.fictional, "bbox": t.bbox,
        "geometry": t.geojson_geometry() if geometry else None,
    }


def find(level: str, code: str, vintage: int | None = None) -> Territory:
    """The territory ``level``/``code`` (latest vintage unless given), or 404."""
    queryset = Territory.objects.filter(level=level, code=code)
    if vintage:
        queryset = queryset.filter(vintage=vintage)
    found = queryset.select_related("parent").order_by("-vintage").first()
    if found is None:
        raise not_found(f"Le territoire « {level}:{code} »")
    return found


class TerritoryFilters(Schema):
    level: LevelName | None = Field(None, description="Niveau des territoires.")
    within: str | None = Field(None, description="Seulement les territoires dans ce territoire, écrit "
                                                 "« niveau:code » (ex. `departement:01`).")
    q: str | None = Field(None, max_length=100, description="Recherche dans le nom (accents et casse ignorés) "
                                                            "ou le début du code.")
    vintage: int | None = Field(None, ge=1900, le=2100, description="Millésime du COG.")
    geometry: bool = Field(False, description="Joindre la géométrie GeoJSON (JSON) ; toujours jointe en GeoJSON.")
    format: Literal["json", "csv", "geojson"] = Field("json", description="Représentation de la réponse.")
    limit: int = Field(100, ge=1, le=5000, description="Nombre d'éléments par page.")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="Position du premier élément.")


@router.get("/niveaux", response=list[LevelOut], summary="Niveaux territoriaux",
            description="Les niveaux, du plus grand au plus petit, avec leur niveau parent et leur nombre de "
                        "territoires.")
def levels(request):
    counts = dict(Territory.objects.order_by().values_list("level").annotate(n=Count("id")))
    return [{"level": lv.value, "label": LABELS[lv], "plural": PLURALS[lv],
             "parent_level": PARENT_LEVEL[lv].value if lv in PARENT_LEVEL else None,
             "count": counts.get(lv.value, 0)} for lv in ORDER]


@router.get("/territoires", response=TerritoryPage, summary="Liste des territoires",
            description="Territoires triés par niveau (du plus grand au plus petit), code puis millésime. "
                        "`format=csv` : colonnes du format d'import des territoires ; `format=geojson` : "
                        "une collection d'entités avec la géométrie simplifiée.",
            openapi_extra=representations("csv", "geojson"))
def territory_list(request, filters: Query[TerritoryFilters]):
    caller(request)
    queryset = Territory.objects.all()
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.vintage:
        queryset = queryset.filter(vintage=filters.vintage)
    if filters.within:
        level, code = split_ref(filters.within, "within")
        if level not in {lv.value for lv in Level}:
            raise invalid("within", f"niveau « {level} » inconnu")
        area = find(level, code)
        if filters.level:
            queryset = queryset.filter(within(area, filters.level))
        else:
            condition = Q(pk__in=[])
            for lv in (level.value for level in ORDER):
                part = within(area, lv) & Q(level=lv)
                condition |= part
            queryset = queryset.filter(condition)
    ordering = [level_rank(), "code", "vintage", "pk"]
    if filters.q:
        queryset = search(queryset, filters.q)
    queryset = queryset.order_by(*ordering)
    count = queryset.count()
    page = queryset[filters.offset: filters.offset + filters.limit]
    if filters.format == "csv":
        table = territories_frame(Territory.objects.filter(pk__in=[t.pk for t in page]).order_by(*ordering))
        return paging_headers(csv_response(table, "territoires"), request, count, filters.limit, filters.offset)
    with_geometry = filters.geometry or filters.format == "geojson"
    items = list(page.select_related("parent") if with_geometry else page.select_related("parent").defer("geometry"))
    if filters.format == "geojson":
        features = []
        for t in items:
            props = _out(t, False)
            props.pop("geometry")
            props.pop("bbox")
            features.append(feature(t.geometry, props, f"{t.level}:{t.code}:{t.vintage}"))
        return paging_headers(geojson_response(features), request, count, filters.limit, filters.offset)
    return envelope(request, count, filters.limit, filters.offset, [_out(t, filters.geometry) for t in items])


@router.get("/territoires/{level}/{code}", response=TerritoryDetail, summary="Un territoire",
            description="Le territoire, ses ancêtres, ses appartenances (groupes et membres) et ses populations. "
                        "Millésime le plus récent sauf `vintage`.")
def territory_detail(request, level: LevelName, code: str, vintage: int | None = Query(None, ge=1900, le=2100),
                     geometry: bool = Query(False, description="Joindre la géométrie GeoJSON.")):
    t = find(level, code, vintage)
    out = _out(t, geometry)
    ancestors, current = [], t.parent
    while current is not None and len(ancestors) < 6:
        ancestors.append(_ref(current))
        current = current.parent
    memberships = Membership.objects.select_related("group", "member")
    out.update({
        "parent": _ref(t.parent), "ancestors": ancestors,
        "children": Territory.objects.filter(parent=t).count(),
        "member_of": [{"territory": _ref(m.group), "share": m.share, "source": m.source}
                      for m in memberships.filter(member=t).order_by("group__level", "group__code")],
        "members": [{"territory": _ref(m.member), "share": m.share, "source": m.source}
                    for m in memberships.filter(group=t).order_by("member__level", "member__code")],
        "populations": [{"year": p.year, "population": p.population, "source": p.source}
                        for p in Population.objects.filter(territory=t).order_by("-year")],
    })
    return out
