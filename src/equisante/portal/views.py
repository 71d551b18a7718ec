"""Home page and health check."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render

from equisante import __version__
from equisante.indicators.models import Indicator
from equisante.portal import mapping
from equisante.territories.levels import ORDER, PLURALS, Level
from equisante.territories.models import Territory

#: Levels the home map may show, in order of preference: the départements of the region(s), else the regions.
HOME_MAP_LEVELS = (Level.DEPARTEMENT, Level.REGION)
MAP_FIELDS = ("id", "level", "code", "name", "fictional", "geometry", "min_lon", "min_lat", "max_lon", "max_lat")


def home(request):
    """What equisante does, what the database holds, where to start; a map when there are geometries."""
    by_level = dict(Territory.objects.order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    levels = [{"value": lv.value, "label": PLURALS[lv], "count": by_level[lv.value]} for lv in ORDER if by_level.get(lv.value)]
    counts = {
        "territories": sum(by_level.values()),
        "indicators": Indicator.objects.count(),
        "fictional": Territory.objects.filter(fictional=True).exists() or Indicator.objects.filter(fictional=True).exists(),
    }
    home_map, map_level, shown = None, None, []
    for level in HOME_MAP_LEVELS:
        if by_level.get(level.value) and by_level[level.value] <= mapping.MAP_MAX_FEATURES:
            shown = list(Territory.objects.filter(level=level.value).exclude(geometry="")
                         .order_by("name", "-vintage").only(*MAP_FIELDS))
            if shown:
                home_map, map_level = mapping.plain_map(shown), level
                break
    regions = list(Territory.objects.filter(level=Level.REGION.value).order_by("name").only(*MAP_FIELDS)[:20])
    return render(request, "portal/home.html", {
        "counts": counts,
        "levels": levels,
        "regions": regions,
        "map": home_map,
        "map_level": PLURALS[map_level] if map_level else "",
        "map_territories": shown,
    })


def health(request):
    """Liveness and database check, for monitoring: 200 with ``{"status": "ok"}`` or 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any database failure makes the service unhealthy
        database = f"erreur : {exc.__class__.__name__}"
    status = "ok" if database == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "version": __version__, "engine": connection.vendor},
        status=200 if status == "ok" else 503,
    )
