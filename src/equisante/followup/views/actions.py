"""The public database of actions (no account needed; published contracts only).

- ``/actions/``: search (``q``: words of titles, objectives and descriptions, accents and endings
  ignored), filters (one value each: ``theme``, ``determinant``, ``strategie``, ``public``,
  ``approche``, ``territoire``, ``dispositif``, ``porteur``, ``financeur``, ``annee``, ``etat``),
  facets with counts, a map of the communes where the actions take place, pagination (``page``);
  every search has its own address; ``?format=csv|xlsx`` downloads the results.
- ``/actions/<contrat>/<fiche>/``: one action with its coding, contract, partners and indicators.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.charts import LegendItem, MapArea, choropleth_map
from equisante.contracts.views.sheets import coding_rows
from equisante.followup import search as engine
from equisante.followup.models import SheetIndicator
from equisante.portal.exporting import requested_format, table_response
from equisante.territories.models import Territory

MAP_COLOURS = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"]


def _params(request) -> tuple[str, dict]:
    query = request.GET.get("q", "").strip()[:200]
    filters = {param: request.GET.get(param, "").strip() for param, _key in engine.FILTERS}
    return query, {k: val for k, val in filters.items() if val}


def _leaves(codes) -> list[str]:
    """The coded ids, without the families added for filtering (D2 when D2.3 is there)."""
    return [c for c in codes if not any(o != c and o.startswith(c + ".") for o in codes)]


def _table(result) -> pd.DataFrame:
    rows = []
    for entry in result.entries:
        f = entry["facets"]
        rows.append({"contrat": f["contract"], "nom_du_contrat": f["contract_name"], "fiche": f["code"],
                     "intitule": entry["title"], "dispositif": ";".join(f.get("kind", [])),
                     "porteur": ";".join(f.get("promoter", [])), "themes": ";".join(f.get("themes", [])),
                     "determinants": ";".join(_leaves(f.get("determinants", []))),
                     "strategies": ";".join(_leaves(f.get("strategies", []))), "approche": ";".join(f.get("approach", [])),
                     "territoires": ";".join(f.get("territories", [])), "financeurs": ";".join(f.get("funders", [])),
                     "annees": ";".join(str(y) for y in f.get("years", [])), "etat": ";".join(f.get("status", []))})
    return pd.DataFrame(rows, columns=["contrat", "nom_du_contrat", "fiche", "intitule", "dispositif", "porteur",
                                       "themes", "determinants", "strategies", "approche", "territoires",
                                       "financeurs", "annees", "etat"])


def _communes_count(entries) -> Counter:
    """Actions per commune: a QPV counts for its commune; an EPCI is left to its communes' list."""
    codes = Counter()
    for entry in entries:
        for code in set(entry["facets"].get("territories", [])):
            codes[code] += 1
    return codes


_PLACES: dict = {"signature": None, "rows": {}}


def _places() -> dict[str, tuple]:
    """Territory code → (commune code, commune name, commune geometry) for communes and QPV with a
    geometry (a QPV stands for its commune); read once per process, again when territories change."""
    from django.db.models import Count, Max

    signature = tuple(Territory.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    if _PLACES["signature"] != signature:
        rows = {}
        communes = {t.pk: t for t in Territory.objects.filter(level="commune").exclude(geometry="")}
        for t in communes.values():
            rows[t.code] = (t.code, t.name, t.geojson_geometry())
        for code, parent in Territory.objects.filter(level="qpv").values_list("code", "parent_id"):
            if parent in communes:
                rows[code] = rows[communes[parent].code]
        _PLACES.update(signature=signature, rows=rows)
    return _PLACES["rows"]


def action_map(entries) -> str:
    counts = _communes_count(entries)
    if not counts:
        return ""
    places = _places()
    per_commune: Counter = Counter()
    shapes = {}
    for code, n in counts.items():
        commune = places.get(code)
        if commune is None:
            continue
        per_commune[commune[0]] += n
        shapes[commune[0]] = commune
    if not per_commune:
        return ""
    top = max(per_commune.values())
    breaks = [max(1, round(top * q)) for q in (0.25, 0.5, 0.75)]

    def colour(n):
        return MAP_COLOURS[sum(1 for b in breaks if n > b)]

    areas = [MapArea(key=code, label=t[1], geometry=t[2], fill=colour(per_commune[code]),
                     value_text=ngettext("%(n)s action", "%(n)s actions", per_commune[code]) % {"n": per_commune[code]})
             for code, t in sorted(shapes.items())]
    legend = [LegendItem(label=label, colour=c) for label, c in zip(
        [f"≤ {breaks[0]}", f"≤ {breaks[1]}", f"≤ {breaks[2]}", f"> {breaks[2]}"], MAP_COLOURS)]
    return choropleth_map(areas, title=_("Communes où se déroulent les actions trouvées"), legend=legend,
                          legend_title=_("Nombre d’actions"), chart_id="carte-actions",
                          description=_("Chaque commune est colorée selon le nombre d’actions trouvées qui s’y "
                                        "déroulent (les actions d’un quartier prioritaire comptent pour sa commune)."))


_EVERYTHING_MAP: dict = {}


def _map_for(result, query, filters) -> str:
    """The map of the results; the map of all actions (the landing page) is drawn once per index state."""
    if query or filters:
        return action_map(result.entries)
    key = (engine._ENTRIES["signature"], _PLACES["signature"])
    if _EVERYTHING_MAP.get("key") != key:
        _EVERYTHING_MAP.update(key=key, svg=action_map(result.entries))
    return _EVERYTHING_MAP["svg"]


def action_list(request):
    query, filters = _params(request)
    result = engine.search(query, filters)
    fmt = requested_format(request)
    if fmt:
        return table_response(_table(result), fmt, "actions", request=request,
                              notes={"perimetre": _("Actions des contrats publiés seulement.")})
    page = Paginator(result.entries, engine.PAGE_SIZE).get_page(request.GET.get("page"))
    page.elided = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    def url(**changes) -> str:
        params = {"q": query, **filters, **changes}
        return "?" + urlencode([(k, val) for k, val in params.items() if val])

    active = [{"param": p, "label": engine.FILTER_LABELS[p], "remove": url(**{p: ""}),
               "value": next((lab for val, lab, _n in result.facets.get(p, []) if val == filters[p]), filters[p])}
              for p in filters]
    facets = []
    for p, _key in engine.FILTERS:
        items = result.facets.get(p, [])
        facets.append({"param": p, "label": engine.FILTER_LABELS[p], "selected": filters.get(p, ""),
                       "items": [{"value": val, "label": lab, "n": n, "url": url(**{p: val})} for val, lab, n in items[:15]],
                       "more": max(0, len(items) - 15)})
    return render(request, "followup/actions.html", {
        "query": query, "filters": filters, "active": active, "facets": facets, "page": page,
        "count": result.count, "map_svg": _map_for(result, query, filters),
        "breadcrumb_data": {"current": _("Base des actions")},
    })


def action_detail(request, code: str, sheet_code: str):
    sheet = get_object_or_404(engine.published_sheets().select_related("contract", "contract__departement", "axis",
                                                                         "lead"),
                              contract__code=code, code=sheet_code)
    indicators = list(SheetIndicator.objects.filter(sheet=sheet).prefetch_related("measures"))
    return render(request, "followup/action_detail.html", {
        "sheet": sheet, "contract": sheet.contract, "coding_rows": coding_rows(sheet),
        "partners": list(sheet.partners.order_by("name")), "territories": list(sheet.territories.order_by("name")),
        "indicators": [{"indicator": i, "values": [(m.year, m.value) for m in i.measures.all()]} for i in indicators],
        "funding": list(sheet.funding_lines.select_related("funder")),
        "breadcrumb_data": {"links": [{"title": _("Base des actions"), "url": reverse("followup:actions")}],
                            "current": sheet.code},
    })
