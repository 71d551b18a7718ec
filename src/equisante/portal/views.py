"""Home page and health check."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from equisante import __version__
from equisante.indicators.models import Indicator
from equisante.territories.models import Territory


def home(request):
    counts = {
        "territories": Territory.objects.count(),
        "indicators": Indicator.objects.count(),
        "fictional": Territory.objects.filter(fictional=True).exists(),
    }
    regions = Territory.objects.filter(level="region").order_by("name")[:12]
    return render(request, "portal/home.html", {"counts": counts, "regions": regions})


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
