"""Helpers shared by the contracts pages: finding a contract or a sheet the person may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from equisante.contracts import permissions
from equisante.contracts.models import ActionSheet, Contract


def visible_contract(request, code: str) -> Contract:
    """The contract ``code`` if the person may see it; 404 otherwise (its existence is not disclosed)."""
    contract = get_object_or_404(Contract.objects.select_related("departement"), code=code)
    if not permissions.can_view_contract(request.user, contract):
        raise Http404(_("Contrat introuvable."))
    return contract


def editable_contract(request, code: str) -> Contract:
    contract = visible_contract(request, code)
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce contrat."))
    return contract


def visible_sheet(request, code: str, sheet_code: str) -> ActionSheet:
    contract = visible_contract(request, code)
    return get_object_or_404(ActionSheet.objects.select_related("contract", "axis", "lead", "coding_validated_by"),
                             contract=contract, code=sheet_code)


def editable_sheet(request, code: str, sheet_code: str) -> ActionSheet:
    sheet = visible_sheet(request, code, sheet_code)
    if not permissions.can_edit_sheet(request.user, sheet):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette fiche-action."))
    return sheet


def crumbs(*links, current: str) -> dict:
    """Breadcrumb data for the DSFR base template: ``links`` are (title, url) pairs."""
    base = [{"title": _("Contrats locaux de santé"), "url": reverse("contracts:list")}]
    return {"links": base + [{"title": t, "url": u} for t, u in links], "current": current}
