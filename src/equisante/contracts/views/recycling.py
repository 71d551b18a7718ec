"""Deleting a contract or an action sheet from the site, and the trash (« corbeille ») where a
regional administrator sees every deleted element and restores it (see
:mod:`equisante.contracts.recycling`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from equisante.contracts import permissions, recycling, services
from equisante.contracts.views.common import crumbs, editable_contract, editable_sheet
from equisante.errors import EquisanteError


def _admin_only(request) -> None:
    if not permissions.is_regional_admin(request.user):
        raise PermissionDenied(_("Réservé à l’administration régionale."))


def _consequence(sheets: int) -> str:
    """What deleting a contract with ``sheets`` live action sheets takes off the site."""
    if not sheets:
        return _("Le contrat disparaîtra des pages, des profils et des exports. Son historique est conservé ; un "
                 "administrateur régional peut le restaurer depuis la corbeille.")
    return ngettext("Le contrat et sa fiche-action disparaîtront des pages, des profils et des exports. Leur "
                    "historique est conservé ; un administrateur régional peut tout restaurer depuis la corbeille.",
                    "Le contrat et ses %(n)s fiches-action disparaîtront des pages, des profils et des exports. Leur "
                    "historique est conservé ; un administrateur régional peut tout restaurer depuis la corbeille.",
                    sheets) % {"n": sheets}


@login_required
def contract_delete(request, code: str):
    """``/contrats/<code>/supprimer/``: confirmation (GET), soft delete with its sheets (POST); regional
    administrators only."""
    contract = editable_contract(request, code)
    _admin_only(request)
    if request.method == "POST":
        count = recycling.delete_contract(contract, user=request.user)
        messages.success(request, ngettext(
            "Contrat %(code)s supprimé avec %(n)s fiche-action : il peut être restauré depuis la corbeille.",
            "Contrat %(code)s supprimé avec %(n)s fiches-action : il peut être restauré depuis la corbeille.",
            count or 1) % {"code": contract.code, "n": count})  # French: 0 takes the singular
        return redirect("contracts:trash")
    return render(request, "contracts/confirm_delete.html", {
        "contract": contract,
        "label": str(contract),
        "consequence": _consequence(contract.sheets.count()),
        "back": contract.get_absolute_url(),
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=_("Supprimer")),
    })


@login_required
def sheet_delete(request, code: str, sheet_code: str):
    """``/contrats/<code>/fiches/<fiche>/supprimer/``: whoever may edit the sheet; refused when stale."""
    sheet = editable_sheet(request, code, sheet_code)
    contract = sheet.contract
    stale = None
    if request.method == "POST":
        try:
            expected = int(request.POST.get("version") or sheet.version)
            services.delete_sheet(sheet, user=request.user, expected_version=expected)
        except services.StaleEdit as exc:
            stale = exc
            sheet.refresh_from_db()
        else:
            messages.success(request, _("Fiche-action %(code)s supprimée : son historique est conservé et un "
                                        "administrateur régional peut la restaurer.") % {"code": sheet.code})
            return redirect(contract)
    return render(request, "contracts/confirm_delete.html", {
        "contract": contract,
        "label": str(sheet),
        "version": sheet.version,
        "stale": stale,
        "consequence": _("La fiche-action disparaîtra des pages, des profils et des exports ; son historique est "
                         "conservé et un administrateur régional peut la restaurer depuis la corbeille."),
        "back": sheet.get_absolute_url(),
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), (sheet.code, sheet.get_absolute_url()),
                                  current=_("Supprimer")),
    })


@login_required
def trash(request):
    """``/contrats/corbeille/``: every deleted contract, sheet, governance element and actor."""
    _admin_only(request)
    items = recycling.trash()
    return render(request, "contracts/trash.html", {
        **items,
        "breadcrumb_data": crumbs(current=_("Corbeille")),
    })


@require_POST
@login_required
def trash_restore(request):
    _admin_only(request)
    model = recycling.KINDS.get(request.POST.get("type", ""))
    if model is None:
        raise Http404(_("Élément introuvable."))
    obj = model.all_objects.filter(pk=request.POST.get("id") or 0).first()
    if obj is None:
        raise Http404(_("Élément introuvable."))
    try:
        count = recycling.restore(obj, user=request.user)
    except EquisanteError as exc:
        messages.error(request, exc.message)
        return redirect("contracts:trash")
    if count:
        messages.success(request, ngettext("« %(label)s » restauré (%(n)s élément) ; son historique est intact.",
                                           "« %(label)s » restauré (%(n)s éléments) ; son historique est intact.",
                                           count) % {"label": obj, "n": count})
    else:
        messages.info(request, _("« %(label)s » n’était pas supprimé.") % {"label": obj})
    contract = recycling.contract_of(obj)
    if contract is not None and request.POST.get("ouvrir") == "oui":
        return redirect(reverse("contracts:history", args=[contract.code]))
    return redirect("contracts:trash")

