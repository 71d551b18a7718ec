"""Portrait pages: the list of territories that have a portrait, and the portrait of one territory
(``/portraits/<code>/``, ``?niveau=`` when the code exists at several levels).

The portrait page answers ``?format=pdf`` (report as PDF), ``?format=html`` (standalone report),
``?format=xlsx`` (every table, one sheet each, with notes) and ``?format=csv&table=<name>`` (one
table). The reader's choices (``indicateur``, ``defavorisation``, ``classes``) apply to all of them.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from equisante.exports import to_xlsx_bytes
from equisante.portal.exporting import attachment, filename, table_response
from equisante.portal.search import fold_query
from equisante.portraits import comparison, report, scope
from equisante.portraits.portrait import Options, build, quintile_rows
from equisante.territories.levels import LABELS, Level
from equisante.territories.models import Territory
from equisante.territories.views import paginate, search

FORMATS = ("pdf", "html", "xlsx", "csv")
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
    return render(request, "portraits/index.html", {
        "query": text,
        "found": found,
        "groups": [{"label": LABELS[level], "territories": items} for level, items in listed.items() if items],
        "breadcrumb_data": {"current": _("Portraits de territoire")},
    })


def portrait_detail(request, code: str):
    """``/portraits/<code>/``: the shared diagnosis of a territory."""
    territory = scope.find_territory(code, request.GET.get("niveau") or None)
    options = Options.from_query(request.GET)
    portrait = build(territory, options)
    fmt = request.GET.get("format", "").strip().lower()
    stem = f"portrait-{territory.code}"
    if fmt == "pdf":
        return attachment(report.pdf(portrait), "application/pdf", filename(stem, "pdf"))
    if fmt == "html":
        return attachment(report.html(portrait).encode("utf-8"), "text/html; charset=utf-8", filename(stem, "html"))
    if fmt == "xlsx":
        tables = {name: _for_xlsx(table) for name, table in report.tables(portrait).items()}
        data = to_xlsx_bytes(tables, notes=report.notes(portrait))
        return attachment(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          filename(stem, "xlsx"))
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
        "downloads": _downloads(request),
        "tables": report.TABLES,
        "breadcrumb_data": {
            "links": [{"url": reverse("portraits:index"), "title": _("Portraits de territoire")}],
            "current": territory.name,
        },
    })


def _for_xlsx(table):
    # empty cells as "": the workbook helper sizes columns from str() of the cells
    return table.astype(object).where(table.notna(), "")


def _downloads(request) -> dict[str, str]:
    """URLs of the files of this portrait, with the reader's current choices kept."""
    query = request.GET.copy()
    query.pop("page", None)
    out = {}
    for fmt in FORMATS:
        query["format"] = fmt
        out[fmt] = f"{request.path}?{query.urlencode()}"
    return out
