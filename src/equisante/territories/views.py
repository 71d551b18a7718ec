"""Territory pages: search and list, and the page of one territory (facts, map, indicators, children).

Every table can be downloaded with ``?format=csv|xlsx|ods`` (``&table=indicators|children`` on the page
of a territory). Values go through :mod:`equisante.portal.publication` (confidentiality applied).
"""

from __future__ import annotations

import pandas as pd
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from equisante.indicators.models import Value as IndicatorValue
from equisante.portal import mapping, publication
from equisante.portal.exporting import requested_format, table_response
from equisante.portal.search import Folded, fold_query
from equisante.territories.levels import LABELS, ORDER, PLURALS, Level
from equisante.territories.models import Territory

PAGE_SIZE = 50
CHILDREN_PAGE_SIZE = 25
#: Columns of the territories export: those of the tabular territory import format.
TERRITORY_COLUMNS = ["level", "code", "name", "vintage", "parent_level", "parent_code", "zone_type"]
#: The level that tiles a territory on its map: a département is drawn with its communes…
MAP_CHILD_LEVEL = {
    Level.REGION: Level.DEPARTEMENT,
    Level.DEPARTEMENT: Level.COMMUNE,
    Level.EPCI: Level.COMMUNE,
    Level.COMMUNE: Level.IRIS,
}
#: Ancestors fetched with the territory (IRIS → commune → département → région).
ANCESTRY = "parent__parent__parent__parent"


def level_rank():
    """An expression ordering levels from the largest to the smallest."""
    return Case(*[When(level=lv.value, then=Value(i)) for i, lv in enumerate(ORDER)], default=Value(len(ORDER)),
                output_field=IntegerField())


def level_options(counts: dict[str, int] | None = None) -> list[dict]:
    options = []
    for level in ORDER:
        options.append({"value": level.value, "label": PLURALS[level], "count": (counts or {}).get(level.value)})
    return options


def search(queryset, text: str):
    """Territories whose name contains ``text`` (accents, case, hyphens ignored) or whose code starts with it."""
    folded = fold_query(text)
    if not folded:
        return queryset
    code = text.strip().upper()
    return (
        queryset.annotate(folded_name=Folded("name"))
        .filter(Q(folded_name__contains=folded) | Q(code__istartswith=code))
        .annotate(match=Case(
            When(code__iexact=code, then=Value(0)),
            When(folded_name=folded, then=Value(1)),
            When(folded_name__startswith=folded, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ))
    )


def territories_frame(queryset) -> pd.DataFrame:
    rows = queryset.values_list("level", "code", "name", "vintage", "parent__level", "parent__code", "zone_type")
    table = pd.DataFrame(list(rows), columns=TERRITORY_COLUMNS)
    return table.fillna({"parent_level": "", "parent_code": ""})


def paginate(request, items, size: int, param: str = "page"):
    paginator = Paginator(items, size)
    page = paginator.get_page(request.GET.get(param))
    page.elided = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.param = param
    return page


def territory_list(request):
    """``/territoires/``: search by name or code, filter by level, paginated table, export."""
    text = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if level not in Level._value2member_map_:
        level = ""
    queryset = Territory.objects.select_related("parent")
    if text:
        queryset = search(queryset, text)
    counts = dict(
        queryset.order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n")
    ) if text else None
    if level:
        queryset = queryset.filter(level=level)
    ordering = (["match"] if text else []) + [level_rank(), "name", "code", "-vintage"]
    queryset = queryset.order_by(*ordering)

    fmt = requested_format(request)
    if fmt:
        stem = "territoires" + (f"-{level}" if level else "") + (f"-{text}" if text else "")
        return table_response(territories_frame(queryset), fmt, stem, request=request,
                              source=_("Code officiel géographique (Insee) et découpages administratifs"),
                              notes={"contenu": _("Territoires (niveau, code, nom, millésime, rattachement).")})

    page = paginate(request, queryset, PAGE_SIZE)
    return render(request, "territories/list.html", {
        "query": text,
        "level": level,
        "level_label": PLURALS[Level(level)] if level else "",
        "levels": level_options(counts),
        "page_obj": page,
        "territories": page.object_list,
        "breadcrumb_data": {"current": _("Territoires")},
    })


def _territory(request, level: str, code: str) -> Territory:
    queryset = Territory.objects.select_related(ANCESTRY).filter(level=level, code=code)
    vintage = request.GET.get("vintage", "")
    if vintage.isascii() and vintage.isdigit() and len(vintage) <= 4:  # a year
        queryset = queryset.filter(vintage=int(vintage))
    territory = queryset.order_by("-vintage").first()
    if territory is None:
        raise Http404(_("Territoire introuvable : %(level)s %(code)s") % {"level": level, "code": code})
    return territory


def ancestors(territory: Territory) -> list[Territory]:
    """Parents from the largest down (already fetched with the territory: no query)."""
    chain, current = [], territory.parent
    seen = {territory.pk}
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent if "parent" in current._state.fields_cache else None
    return chain[::-1]


def latest_values(territory: Territory) -> list[publication.Published]:
    """The value of each indicator for ``territory`` at its latest period, all sexes and ages."""
    stored = (
        IndicatorValue.objects.filter(territory=territory, sex="", age_band="")
        .select_related("indicator")
        .order_by("indicator__theme", "indicator__label", "indicator__code", "-period")
    )
    latest, seen = [], set()
    for value in stored:
        if value.indicator_id in seen:
            continue
        seen.add(value.indicator_id)
        latest.append(publication.published(value, territory=territory))
    return latest


def parent_values(parent: Territory | None, rows: list[publication.Published]) -> dict:
    """The parent's published values at the same indicator and period as ``rows``: {(indicator id, period): row}."""
    if parent is None or not rows:
        return {}
    wanted = {(row.indicator.pk, row.period) for row in rows}
    indicators = {row.indicator.pk: row.indicator for row in rows}
    stored = IndicatorValue.objects.filter(
        territory=parent, sex="", age_band="", indicator_id__in=list(indicators),
        period__in=sorted({period for _, period in wanted}),
    )
    found = {}
    for value in stored:
        key = (value.indicator_id, value.period)
        if key in wanted:
            found[key] = publication.published(value, indicator=indicators[value.indicator_id], territory=parent)
    return found


def children_queryset(territory: Territory):
    """Territories attached to ``territory``: nested children and members (EPCI, QPV, zones)."""
    return (
        Territory.objects.filter(Q(parent=territory) | Q(memberships__group=territory))
        .exclude(pk=territory.pk)
        .distinct()
        .select_related("parent")
        .order_by(level_rank(), "name", "code")
    )


def territory_map(territory: Territory, children) -> mapping.MapData:
    """The territory with the level that tiles it (communes of a département…), or alone."""
    child_level = MAP_CHILD_LEVEL.get(Level(territory.level))
    tiles = []
    if child_level is not None:
        tiles = list(children.select_related(None).filter(level=child_level).only(
            "id", "level", "code", "name", "geometry", "min_lon", "min_lat", "max_lon", "max_lat"
        ).order_by()[: mapping.MAP_MAX_FEATURES + 1])
        tiles = [t for t in tiles if t.geometry]
    if tiles and not mapping.too_many(len(tiles)):
        return mapping.plain_map(tiles, outline=territory)
    return mapping.plain_map([territory], current=territory, outline=territory.parent)


def territory_detail(request, level: str, code: str):
    """``/territoires/<level>/<code>/``: the portrait of one territory."""
    territory = _territory(request, level, code)
    rows = latest_values(territory)
    children = children_queryset(territory)

    fmt = requested_format(request)
    table = request.GET.get("table", "indicators")
    if fmt and table == "children":
        return table_response(territories_frame(children), fmt, f"{territory.code}-territoires-rattaches",
                              request=request, title=_("Territoires rattachés à %(name)s") % {"name": territory.name})
    if fmt:
        return table_response(publication.frame(rows), fmt, f"{territory.code}-indicateurs",
                              notes=_value_notes(territory), request=request,
                              title=_("Indicateurs de %(name)s") % {"name": territory.name})

    parent = territory.parent
    references = parent_values(parent, rows)
    indicator_rows = []
    for row in rows:
        reference = references.get((row.indicator.pk, row.period))
        comparison = publication.compare(row, reference, row.indicator.polarity)
        indicator_rows.append({"row": row, "reference": reference, "comparison": comparison})

    memberships = list(territory.memberships.select_related("group").order_by("group__level", "group__name"))
    population = territory.populations.order_by("-year").first()
    children_page = paginate(request, children, CHILDREN_PAGE_SIZE)
    chain = ancestors(territory)
    breadcrumb = {
        "links": [{"url": reverse("territories:list"), "title": _("Territoires")}]
        + [{"url": t.get_absolute_url(), "title": t.name} for t in chain],
        "current": territory.name,
    }
    return render(request, "territories/detail.html", {
        "territory": territory,
        "ancestors": chain,
        "parent": parent,
        "population": population,
        "memberships": memberships,
        "indicator_rows": indicator_rows,
        "children_page": children_page,
        "map": territory_map(territory, children),
        "breadcrumb_data": breadcrumb,
        "level_labels": {lv.value: LABELS[lv] for lv in ORDER},
    })


def _value_notes(territory: Territory) -> dict[str, str]:
    return {
        "contenu": _("Dernière valeur de chaque indicateur pour %(name)s (%(code)s), tous sexes et âges.")
        % {"name": territory.name, "code": territory.code},
        "intervalle": _("Borne basse / borne haute : intervalle de confiance à 95 %."),
        "secret": _("État « secret statistique » : valeur masquée, cellules laissées vides."),
    }

