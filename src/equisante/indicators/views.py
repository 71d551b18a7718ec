"""Indicator pages: the catalogue grouped by theme, and the page of one indicator with its choropleth
map and table of values for a level, a period and a stratum.

Every table can be downloaded with ``?format=csv|xlsx|ods``; the map of an indicator with
``?format=geojson``. Values go through :mod:`equisante.portal.publication` (confidentiality applied).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import pandas as pd
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equisante.confidentiality import rule_statement
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import CATALOGUE_COLUMNS
from equisante.maps import METHODS
from equisante.portal import mapping, publication
from equisante.portal.exporting import attachment, filename, requested_format, table_response
from equisante.portal.search import fold
from equisante.territories.levels import LABELS, ORDER, PARENT_LEVEL, PLURALS, Level
from equisante.territories.models import Territory
from equisante.territories.views import level_rank, paginate

PAGE_SIZE = 50
CLASSES = 5
#: Default level of an indicator's page: the finest level that has values.
FINEST_FIRST = [Level.IRIS, Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.QPV, Level.ZONE]
#: Levels offered to narrow a map to one area (few enough to list in a select).
AREA_LEVELS = (Level.REGION, Level.DEPARTEMENT)
SORTS = {
    "name": gettext_lazy("nom"),
    "value": gettext_lazy("valeur croissante"),
    "-value": gettext_lazy("valeur décroissante"),
}
METHOD_NAMES = {"quantiles": gettext_lazy("Quantiles (effectifs égaux)"), "jenks": gettext_lazy("Seuils naturels (Jenks)")}


def indicator_list(request):
    """``/indicateurs/``: the catalogue grouped by theme, with its export."""
    indicators = list(Indicator.objects.order_by("theme", "label", "code"))
    fmt = requested_format(request)
    if fmt:
        rows = [[getattr(i, column) for column in CATALOGUE_COLUMNS] for i in indicators]
        return table_response(pd.DataFrame(rows, columns=CATALOGUE_COLUMNS), fmt, "indicateurs", request=request,
                              notes={"contenu": _("Catalogue des indicateurs, au format d'import « catalogue ».")})
    labels = {lv.value: LABELS[lv] for lv in ORDER}
    for indicator in indicators:
        indicator.level_names = [labels.get(level, level) for level in indicator.level_list]
    themes = [
        {"name": theme or _("Sans thème"), "slug": f"theme-{index}", "indicators": list(items)}
        for index, (theme, items) in enumerate(groupby(indicators, key=lambda i: i.theme))
    ]
    return render(request, "indicators/list.html", {
        "themes": themes,
        "count": len(indicators),
        "fictional": any(i.fictional for i in indicators),
        "breadcrumb_data": {"current": _("Indicateurs")},
    })


@dataclass
class Selection:
    """What the map and the table of an indicator's page show."""

    level: str = ""
    period: str = ""
    sex: str = ""
    age_band: str = ""
    area: Territory | None = None
    method: str = "quantiles"
    sort: str = "name"


def _choice(request, name: str, allowed, default):
    value = request.GET.get(name, "")
    return value if value in allowed else default


def ancestor_depth(level: str, ancestor: str) -> int | None:
    """How many ``parent`` steps lead from ``level`` up to ``ancestor`` (None if it is not above)."""
    depth, current = 0, Level(level)
    while current in PARENT_LEVEL:
        current = PARENT_LEVEL[current]
        depth += 1
        if current == ancestor:
            return depth
    return None


def within(area: Territory, level: str, prefix: str = "") -> Q:
    """Territories of ``level`` inside ``area`` (through the nested hierarchy)."""
    depth = ancestor_depth(level, area.level)
    if depth is None:
        return Q(pk__in=[])
    return Q(**{prefix + "__".join(["parent"] * depth): area})


def indicator_detail(request, code: str):
    """``/indicateurs/<code>/``: definition, choropleth map and values for one level and period."""
    indicator = get_object_or_404(Indicator, code=code)
    available = set(
        Value.objects.filter(indicator=indicator).order_by().values_list("territory__level", "period").distinct()
    )
    levels = [lv.value for lv in ORDER if any(level == lv.value for level, _p in available)]
    default_level = next((lv.value for lv in FINEST_FIRST if lv.value in levels), "")
    selection = Selection(level=_choice(request, "level", levels, default_level))
    periods = sorted({p for level, p in available if level == selection.level}, reverse=True)
    selection.period = _choice(request, "period", periods, periods[0] if periods else "")
    selection.method = _choice(request, "method", METHODS, "quantiles")
    selection.sort = _choice(request, "sort", SORTS, "name")

    strata = set(
        Value.objects.filter(indicator=indicator, period=selection.period, territory__level=selection.level)
        .order_by().values_list("sex", "age_band").distinct()
    ) if selection.level else set()
    sexes = sorted({s for s, _a in strata}, key=lambda s: (s != "", s))
    selection.sex = _choice(request, "sex", sexes, "" if "" in sexes else (sexes[0] if sexes else ""))
    bands = sorted({a for s, a in strata if s == selection.sex}, key=_band_key)
    selection.age_band = _choice(request, "age_band", bands, "" if "" in bands else (bands[0] if bands else ""))

    area_levels = [lv.value for lv in AREA_LEVELS if selection.level and ancestor_depth(selection.level, lv)]
    areas = list(
        Territory.objects.filter(level__in=area_levels).order_by(level_rank(), "name", "-vintage")
        .only("id", "level", "code", "name", "vintage", "geometry", "min_lon", "min_lat", "max_lon", "max_lat")
    ) if area_levels else []
    wanted_area = request.GET.get("area", "")
    selection.area = next((a for a in areas if f"{a.level}:{a.code}" == wanted_area), None)

    stored = Value.objects.filter(
        indicator=indicator, period=selection.period, sex=selection.sex, age_band=selection.age_band,
        territory__level=selection.level,
    )
    if selection.area is not None:
        stored = stored.filter(within(selection.area, selection.level, prefix="territory__"))
    fmt = requested_format(request, ("csv", "xlsx", "ods", "geojson"))
    count = stored.count()
    draw = bool(count) and not mapping.too_many(count)
    stored = stored.select_related("territory")
    if not draw and fmt != "geojson":
        stored = stored.defer("territory__geometry")
    rows = [publication.published(value, indicator=indicator) for value in stored]
    rows.sort(key=_sorter(selection.sort))

    stem = f"{indicator.code}-{selection.level}-{selection.period}"
    if fmt in ("csv", "xlsx", "ods"):
        return table_response(publication.frame(rows), fmt, stem, notes=_notes(indicator, selection), request=request,
                              source=indicator.source, title=f"{indicator.label} ({indicator.unit})")

    map_data = None
    if draw or fmt == "geojson":
        map_data = mapping.choropleth(
            rows + _without_values(indicator, selection, rows), polarity=indicator.polarity, unit=indicator.unit,
            method=selection.method, k=CLASSES, outline=selection.area,
        )
    if fmt == "geojson":
        return attachment(map_data.geojson, "application/geo+json", filename(stem, "geojson"))

    page = paginate(request, rows, PAGE_SIZE)
    primary = sum(1 for row in rows if row.suppression == "primary")
    secondary = sum(1 for row in rows if row.suppression == "secondary")
    return render(request, "indicators/detail.html", {
        "indicator": indicator,
        "selection": selection,
        "levels": [{"value": lv, "label": LABELS[Level(lv)]} for lv in levels],
        "level_label": LABELS[Level(selection.level)] if selection.level else "",
        "level_plural": PLURALS[Level(selection.level)] if selection.level else "",
        "periods": periods,
        "sexes": [{"value": s, "label": publication.SEX_NAMES.get(s, s)} for s in sexes],
        "bands": [{"value": b, "label": b or _("Tous âges")} for b in bands],
        "areas": [{"value": f"{a.level}:{a.code}", "label": f"{a.name} ({a.level_label})"} for a in areas],
        "area_value": f"{selection.area.level}:{selection.area.code}" if selection.area else "",
        "methods": [{"value": m, "label": METHOD_NAMES[m]} for m in METHODS],
        "sorts": SORTS,
        "selection_text": _selection_text(selection),
        "count": count,
        "map": map_data,
        "map_too_big": bool(count) and not draw,
        "map_limit": mapping.MAP_MAX_FEATURES,
        "page_obj": page,
        "rows": page.object_list,
        "polarity_name": publication.POLARITY_NAMES.get(indicator.polarity, indicator.polarity),
        "rule": rule_statement(publication.threshold()),
        "withheld": {"total": primary + secondary, "primary": primary, "secondary": secondary},
        "breadcrumb_data": {
            "links": [{"url": reverse("indicators:list"), "title": _("Indicateurs")}],
            "current": indicator.label,
        },
    })


def _selection_text(selection: Selection) -> str:
    """« Communes, 2021, Femmes, 65-74 ans, dans Ain »: what the map and the table show."""
    parts = [str(PLURALS[Level(selection.level)]) if selection.level else "", selection.period]
    if selection.sex:
        parts.append(str(publication.SEX_NAMES.get(selection.sex, selection.sex)))
    if selection.age_band:
        parts.append(_("%(band)s ans") % {"band": selection.age_band})
    if selection.area is not None:
        parts.append(_("dans %(area)s") % {"area": selection.area.name})
    return ", ".join(p for p in parts if p)


def _band_key(band: str):
    digits = "".join(ch for ch in band.split("-")[0] if ch.isdigit())
    return (band != "", int(digits) if digits else 0, band)


def _sorter(sort: str):
    if sort == "name":
        return lambda row: (fold(row.territory.name), row.territory.code)
    descending = sort.startswith("-")
    # values that are not shown (withheld, missing) always come last, and never by their hidden value
    return lambda row: (
        not row.shown,
        (-row.value if descending else row.value) if row.shown else 0,
        fold(row.territory.name),
    )


def _without_values(indicator, selection: Selection, rows: list[publication.Published]) -> list[publication.Published]:
    """Territories of the level (in the area) with no stored value: drawn as missing, not left as holes."""
    vintages = {row.territory.vintage for row in rows}
    territories = Territory.objects.filter(level=selection.level, vintage__in=vintages).exclude(
        pk__in=Value.objects.filter(
            indicator=indicator, period=selection.period, sex=selection.sex, age_band=selection.age_band
        ).values("territory_id")
    )
    if selection.area is not None:
        territories = territories.filter(within(selection.area, selection.level))
    return [publication.missing(indicator, t, selection.period, selection.sex, selection.age_band)
            for t in territories[: mapping.MAP_MAX_FEATURES]]


def _notes(indicator: Indicator, selection: Selection) -> dict[str, str]:
    return {
        "indicateur": f"{indicator.label} ({indicator.code})",
        "unite": indicator.unit,
        "source": indicator.source,
        "selection": _("niveau %(level)s, période %(period)s, sexe « %(sex)s », âge « %(age)s »") % {
            "level": selection.level, "period": selection.period, "sex": selection.sex, "age": selection.age_band},
        "intervalle": _("Borne basse / borne haute : intervalle de confiance à 95 %."),
        "secret": _("État « secret statistique » : valeur masquée, cellules laissées vides ; la colonne "
                    "« Secret » dit pourquoi : « primaire » (effectif inférieur au seuil ou masqué par le producteur), "
                    "« secondaire » (masquée en complément, pour qu'aucun total publié ne redonne une valeur "
                    "masquée)."),
        "regle": rule_statement(publication.threshold()),
    }
