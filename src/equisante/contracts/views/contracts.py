"""The list of contracts (filters by département, generation, status) and the page of one contract
(perimeter map, governance, coordination, axes and action sheets, history)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from equisante.contracts import permissions
from equisante.contracts import vocabulary as v
from equisante.contracts.models import ChangeRecord, Meeting, code_sort_key
from equisante.contracts.views.common import crumbs, visible_contract
from equisante.portal import finding, mapping
from equisante.territories.models import Territory

#: Changes of a contract shown on its page (the sheet pages show their own).
HISTORY_SHOWN = 15


def contract_list(request):
    """``/contrats/``: the contracts the person may see, filtered by département, generation, status."""
    queryset = permissions.visible_contracts(request.user).select_related("departement")
    departement = request.GET.get("departement", "")
    generation = request.GET.get("generation", "")
    status = request.GET.get("status", "")
    text = request.GET.get("q", "").strip()[:finding.MAX_QUERY]
    departements = Territory.objects.filter(
        pk__in=queryset.exclude(departement=None).values("departement")).order_by("code")
    if departement:
        queryset = queryset.filter(departement__code=departement)
    if generation in dict(v.GENERATION_CHOICES):
        queryset = queryset.filter(generation=generation)
    else:
        generation = ""
    if status in dict(v.CONTRACT_STATUSES):
        queryset = queryset.filter(status=status)
    else:
        status = ""
    if finding.words(text):
        # name, code, presentation, diagnosis or one of its sheets: every word, accents ignored
        queryset = finding.contracts(text, request.user, queryset)
    else:
        text = ""
    queryset = queryset.annotate(
        n_sheets=Count("sheets", distinct=True),
        n_validated=Count("sheets", filter=Q(sheets__coding_validated_at__isnull=False), distinct=True),
    ).order_by("departement__code", "name")
    contracts = list(queryset)
    export_query = "&".join(f"{k}={val}" for k, val in (("departement", departement), ("generation", generation),
                                                          ("status", status)) if val)
    return render(request, "contracts/list.html", {
        "contracts": contracts,
        "departements": departements,
        "generations": v.GENERATION_CHOICES,
        "statuses": v.CONTRACT_STATUSES,
        "selected": {"departement": departement, "generation": generation, "status": status, "q": text},
        "fictional": any(c.fictional for c in contracts),
        "can_import": permissions.can_import(request.user),
        "can_restore": permissions.is_regional_admin(request.user),
        "export_query": export_query,
        "roles": permissions.role_labels(request.user),
        "breadcrumb_data": {"current": _("Contrats locaux de santé")},
    })


def contract_detail(request, code: str):
    """``/contrats/<code>/``: everything about one contract."""
    contract = visible_contract(request, code)
    perimeter = list(contract.perimeter.order_by("level", "name"))
    # framed on the perimeter itself (the département as outline would shrink a town to a dot)
    contract_map = mapping.plain_map(perimeter) if perimeter else None
    committees = list(contract.committees.prefetch_related(
        "members__actor", Prefetch("meetings", queryset=Meeting.objects.order_by("-date"))))
    sheets = sorted(contract.sheets.select_related("axis", "lead"),
                    key=lambda s: (s.axis.number if s.axis_id else 10**6, code_sort_key(s.code)))
    axes = []
    for axis in contract.axes.all():
        axes.append({"axis": axis, "sheets": [s for s in sheets if s.axis_id == axis.pk]})
    loose = [s for s in sheets if s.axis_id is None]
    can_history = permissions.can_view_history(request.user, contract)
    changes = list(ChangeRecord.objects.filter(contract=contract).select_related("user", "sheet__contract")[:HISTORY_SHOWN]) \
        if can_history else []
    return render(request, "contracts/detail.html", {
        "contract": contract,
        "perimeter": perimeter,
        "map": contract_map,
        "signatories": list(contract.signatories.order_by("name")),
        "committees": committees,
        "posts": list(contract.coordinator_posts.select_related("employer")),
        "axes": axes,
        "loose_sheets": loose,
        "n_sheets": len(sheets),
        "n_validated": sum(1 for s in sheets if s.coding_validated),
        "can_edit": permissions.can_edit_contract(request.user, contract),
        "can_delete": permissions.is_regional_admin(request.user),
        "can_history": can_history,
        "changes": changes,
        "breadcrumb_data": crumbs(current=contract.name),
    })
