"""The family of local schemes: ``/dispositifs/``, a map of the schemes by kind and their list,
and the schemes sharing a territory with a contract (shown on the contract's page)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from equisante.charts import LegendItem, MapArea, choropleth_map
from equisante.contracts import permissions
from equisante.contracts import vocabulary as v
from equisante.contracts.models import Contract
from equisante.territories.models import Territory

#: One colour per kind (colour-blind-safe, Okabe–Ito); a commune with several kinds gets the grey.
KIND_COLOURS = {"cls": "#0072B2", "asv": "#E69F00", "clsm": "#009E73", "volet-sante-cv": "#CC79A7",
                "convention": "#56B4E9"}
SEVERAL = "#999999"


def communes_of(contract: Contract) -> set[int]:
    """Ids of the communes of a contract's perimeter (a QPV stands for its commune, an EPCI for its
    member communes when they are known as children)."""
    ids = set()
    for t in contract.perimeter.all():
        if t.level == "commune":
            ids.add(t.pk)
        elif t.level in ("qpv", "iris") and t.parent_id:
            ids.add(t.parent_id)
        elif t.level == "epci":
            ids.update(c.pk for c in t.children.all() if c.level == "commune")
            ids.update(m.member_id for m in t.members.all())
    return ids


def related_schemes(contract: Contract, user) -> list[Contract]:
    """The other schemes the person may see whose perimeter shares a commune with ``contract``."""
    mine = communes_of(contract)
    if not mine:
        return []
    others = (permissions.visible_contracts(user).exclude(pk=contract.pk)
              .prefetch_related("perimeter__children", "perimeter__members").order_by("kind", "code"))
    return [c for c in others if communes_of(c) & mine]


def scheme_map(contracts) -> str:
    kinds_by_commune: dict[int, set[str]] = {}
    for contract in contracts:
        for pk in communes_of(contract):
            kinds_by_commune.setdefault(pk, set()).add(contract.kind)
    labels = dict(v.SCHEME_KINDS)
    communes = Territory.objects.filter(pk__in=list(kinds_by_commune)).exclude(geometry="")
    areas = []
    for t in communes:
        kinds = kinds_by_commune[t.pk]
        fill = KIND_COLOURS.get(next(iter(kinds)), SEVERAL) if len(kinds) == 1 else SEVERAL
        areas.append(MapArea(key=t.code, label=t.name, geometry=t.geojson_geometry(), fill=fill,
                             value_text=" ; ".join(str(labels.get(k, k)) for k in sorted(kinds))))
    if not areas:
        return ""
    legend = [LegendItem(label=str(label), colour=KIND_COLOURS[key]) for key, label in v.SCHEME_KINDS]
    legend.append(LegendItem(label=_("Plusieurs types de dispositifs"), colour=SEVERAL))
    return choropleth_map(areas, title=_("Dispositifs territoriaux de santé par commune"), legend=legend,
                          legend_title=_("Type de dispositif"), chart_id="carte-dispositifs",
                          description=_("Chaque commune couverte est colorée selon le type du dispositif qui la "
                                        "couvre ; en gris, les communes couvertes par plusieurs types."))


def scheme_list(request):
    kind = request.GET.get("type", "").strip()
    contracts = (permissions.visible_contracts(request.user).select_related("departement")
                 .prefetch_related("perimeter__children", "perimeter__members").order_by("kind", "code"))
    if kind in dict(v.SCHEME_KINDS):
        contracts = contracts.filter(kind=kind)
    else:
        kind = ""
    items = list(contracts)
    counts = {key: 0 for key, _label in v.SCHEME_KINDS}
    for c in items:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    return render(request, "followup/schemes.html", {
        "contracts": items, "map_svg": scheme_map(items), "kind": kind,
        "kinds": [(key, label, counts.get(key, 0), KIND_COLOURS[key]) for key, label in v.SCHEME_KINDS],
        "breadcrumb_data": {"current": _("Dispositifs territoriaux de santé")},
    })
