"""Portrait pages: the list of territories that have a portrait, and the portrait of one territory
(``/portraits/<code>/``, ``?niveau=`` when the code exists at several levels).

The portrait page answers ``?format=pdf`` (report as PDF), ``?format=html`` (standalone report),
``?format=xlsx`` or ``?format=ods`` (every table, one sheet each, and « À propos ») and ``?format=csv&table=<name>`` (one
table). The reader's choices (``indicateur``, ``defavorisation``, ``classes``) apply to all of them.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from equisante.portal.exporting import attachment, filename, table_response
from equisante.portal.search import fold_query
from equisante.portal import publication
from equisante.portraits import comparison, perimeter, report, scope
from equisante.portraits.portrait import Options, build, quintile_rows
from equisante.territories.levels import LABELS, Level
from equisante.territories.models import Territory
from equisante.territories.views import paginate, search

FORMATS = ("pdf", "html", "xlsx", "ods", "csv")
PAGE_SIZE = 50
#: Levels listed on the index page (a portrait exists for every level, these are the usual ones).
LISTED = (Level.EPCI, Level.ZONE)


def portrait_index(request):
    """``/portraits/``: find a territory (search by name or code) and the EPCI and zones."""
    text = request.GET.get("q", "").strip()
    found = []
    if text and fold_query(text):
        found = list(search(Territory.objects.exclude(level=Level.IRIS), text).order_by("match", "name")[:30])
    listed = {level: list(Territory.objects.filter(level=level).order_by("name", "code")) for level in LISTED}
    from equisante.contracts import permissions

    contracts = list(permissions.visible_contracts(request.user).filter(perimeter__isnull=False).distinct()
                     .order_by("name").only("code", "name", "published"))
    return render(request, "portraits/index.html", {
        "query": text,
        "found": found,
        "contracts": contracts,
        "groups": [{"label": LABELS[level], "territories": items} for level, items in listed.items() if items],
        "breadcrumb_data": {"current": _("Portraits de territoire")},
    })


def portrait_detail(request, code: str):
    """``/portraits/<code>/``: the shared diagnosis of a territory."""
    territory = scope.find_territory(code, request.GET.get("niveau") or None)
    return _portrait_page(request, territory)


def contract_portrait(request, code: str):
    """``/portraits/contrat/<code>/``: the portrait of a contract's perimeter (:mod:`.perimeter`): the
    portrait of the stored territory that covers it, else the values published for each member."""
    from django.http import Http404

    from equisante.contracts import permissions
    from equisante.contracts.models import Contract

    contract = Contract.objects.select_related("departement").filter(code=code).first()
    if contract is None or not permissions.can_view_contract(request.user, contract):
        raise Http404(_("Contrat introuvable."))
    members = list(contract.perimeter.select_related("parent").order_by("level", "name"))
    covering = perimeter.covering_territory(members)
    table = perimeter.member_table(members)
    context = {"contract": contract, "members": members, "covering": covering, "table": table,
               "threshold": publication.threshold()}
    crumbs = {"links": [{"url": reverse("portraits:index"), "title": _("Portraits de territoire")}],
              "current": _("Périmètre de %(name)s") % {"name": contract.name}}
    if covering is None or request.GET.get("format"):
        if covering is not None:  # the files are those of the covering territory's portrait
            return _portrait_page(request, covering)
        return render(request, "portraits/perimeter.html", {**context, "breadcrumb_data": crumbs})
    return _portrait_page(request, covering, perimeter_context=context, breadcrumb=crumbs)


def _portrait_page(request, territory, *, perimeter_context: dict | None = None, breadcrumb: dict | None = None):
    options = Options.from_query(request.GET)
    portrait = build(territory, options)
    fmt = request.GET.get("format", "").strip().lower()
    stem = f"portrait-{territory.code}"
    if fmt == "pdf":
        return attachment(report.pdf(portrait), "application/pdf", filename(stem, "pdf"))
    if fmt == "html":
        return attachment(report.html(portrait).encode("utf-8"), "text/html; charset=utf-8", filename(stem, "html"))
    if fmt in ("xlsx", "ods"):
        return table_response(report.tables(portrait), fmt, stem, notes=report.notes(portrait), request=request,
                              source=report.source(portrait), title=report.title(portrait))
    if fmt == "csv":
        name = request.GET.get("table", "indicateurs")
        if name not in report.TABLES:
            name = "indicateurs"
        return table_response(report.tables(portrait)[name], "csv", f"{stem}-{name}")

    sub_page = paginate(request, portrait.cells, PAGE_SIZE) if portrait.cells else None
    quintile_of = {}
    if portrait.gradient is not None:
        quintile_of = dict(zip(portrait.gradient.assignments["code"], portrait.gradient.assignments["quintile"],
                               strict=True))
    sub_rows = [{"cell": cell, "quintile": quintile_of.get(cell.territory.code)} for cell in
                (sub_page.object_list if sub_page else [])]
    return render(request, "portraits/detail.html", {
        "portrait": portrait,
        "territory": territory,
        "options": options,
        "sub_page": sub_page,
        "sub_rows": sub_rows,
        "gradient_rows": quintile_rows(portrait),
        "significance_rule": report.significance_rule(),
        "markers": comparison.MARKERS,
        "downloads": _downloads(request, territory if perimeter_context else None),
        "perimeter": perimeter_context,
        "tables": report.TABLES,
        "breadcrumb_data": breadcrumb or {
            "links": [{"url": reverse("portraits:index"), "title": _("Portraits de territoire")}],
            "current": territory.name,
        },
    })


def _downloads(request, territory=None) -> dict[str, str]:
    """URLs of the files of this portrait, with the reader's current choices kept (on a contract's
    perimeter page: the files of the covering territory's own portrait)."""
    query = request.GET.copy()
    query.pop("page", None)
    path = request.path
    if territory is not None:
        path = reverse("portraits:detail", args=[territory.code])
        query["niveau"] = territory.level
    out = {}
    for fmt in FORMATS:
        query["format"] = fmt
        out[fmt] = f"{path}?{query.urlencode()}"
    return out
