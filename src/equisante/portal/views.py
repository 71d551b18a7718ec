"""Home page (areas for a visitor, the dashboard once logged in), dashboard, site search, the footer's
pages (accessibility, legal notice, personal data, site map, contact) and health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equisante import __version__
from equisante.contracts.models import ActionSheet, Contract
from equisante.indicators.models import Indicator
from equisante.portal import dashboard as dashboards
from equisante.portal import finding, mapping, navigation
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
        "contracts": Contract.objects.filter(published=True).count(),
        "sheets": ActionSheet.objects.filter(contract__published=True, contract__deleted_at__isnull=True).count(),
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
        "dashboard": dashboards.build(request.user) if request.user.is_authenticated else None,
        "areas": navigation.for_user(request.user),
        "counts": counts,
        "levels": levels,
        "regions": regions,
        "map": home_map,
        "map_level": PLURALS[map_level] if map_level else "",
        "map_territories": shown,
    })


@login_required
def dashboard(request):
    """``/tableau-de-bord/``: what waits for the person, one section per role."""
    return render(request, "portal/dashboard.html", {
        "dashboard": dashboards.build(request.user),
        "breadcrumb_data": {"current": _("Tableau de bord")},
    })


def search(request):
    """``/recherche/?q=…``: territories, indicators, contracts, action sheets and actors, grouped with their
    counts; ``&type=<groupe>`` lists one group in full, page by page."""
    text = request.GET.get("q", "").strip()[:finding.MAX_QUERY]
    kind = finding.KIND_KEYS.get(request.GET.get("type", ""))
    context = {"search_query": text, "kind": kind, "groups": [], "page": None,
               "too_short": bool(text) and not finding.words(text),
               "breadcrumb_data": {"current": _("Recherche")}}
    if finding.words(text):
        if kind is None:
            context["groups"] = finding.search(text, request.user)
            context["total"] = sum(group.count for group in context["groups"])
        else:
            paginator = Paginator(kind.find(text, request.user), finding.PAGE_SIZE)
            page = paginator.get_page(request.GET.get("page"))
            page.elided = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
            page.rows = [finding.describe(kind.key, item, request.user) for item in page.object_list]
            context["page"] = page
            context["breadcrumb_data"] = {"links": [{"title": _("Recherche"), "url": "?" + urlencode({"q": text})}],
                                          "current": kind.label}
    return render(request, "portal/search.html", context)


def _operator() -> dict:
    """Who runs this instance (deployment settings; empty when the operator has not said)."""
    return {
        "publisher": getattr(settings, "EQUISANTE_PUBLISHER", ""),
        "director": getattr(settings, "EQUISANTE_PUBLICATION_DIRECTOR", ""),
        "host": getattr(settings, "EQUISANTE_HOST", ""),
        "email": getattr(settings, "EQUISANTE_CONTACT_EMAIL", ""),
        "session_hours": round(settings.SESSION_COOKIE_AGE / 3600, 1),
        "browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    }


def _page(template: str, title: str):
    def view(request):
        return render(request, template, {"operator": _operator(), "title": title,
                                          "areas": navigation.for_user(request.user),
                                          "footer": navigation.footer_links(),
                                          "breadcrumb_data": {"current": title}})
    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


accessibility = _page("portal/pages/accessibility.html", gettext_lazy("Déclaration d’accessibilité"))
legal = _page("portal/pages/legal.html", gettext_lazy("Mentions légales"))
personal_data = _page("portal/pages/personal_data.html", gettext_lazy("Données personnelles"))
sitemap = _page("portal/pages/sitemap.html", gettext_lazy("Plan du site"))
contact = _page("portal/pages/contact.html", gettext_lazy("Contact"))


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
