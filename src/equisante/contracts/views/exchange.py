"""Import of an action-sheet file (all or nothing, problems listed in French with their line and
column) and export of the sheets of the contracts the person may see (CSV / XLSX)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from equisante.contracts import permissions
from equisante.contracts.exchange import export_action_sheets
from equisante.contracts.forms import ImportForm
from equisante.contracts.views.common import crumbs
from equisante.errors import EquisanteError, InputRejected
from equisante.exports import FORMATS
from equisante.jobs import imports
from equisante.portal.exporting import attachment, filename


@login_required
def import_page(request):
    """``/contrats/importer/``: upload a CSV / XLSX of action sheets."""
    if not permissions.can_import(request.user):
        raise PermissionDenied(_("Votre compte ne peut modifier aucun contrat : pas d'import possible."))
    rejected = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # through the jobs' import layer, which leaves a trace of what changed (equisante.jobs.imports)
            report = imports.import_sheets(upload.read(), upload.name, user=request.user,
                                           fmt=form.cleaned_data["format"] or None)
        except InputRejected as exc:
            rejected = exc
        except EquisanteError as exc:
            rejected = exc
        else:
            messages.success(request, report.summary)
            return redirect("contracts:list")
    return render(request, "contracts/import.html", {
        "form": form,
        "rejected": rejected,
        "problems": getattr(rejected, "problems", []),
        "editable": list(permissions.editable_contracts(request.user).order_by("code")),
        "breadcrumb_data": crumbs(current=_("Importer des fiches-action")),
    })


def export_sheets(request):
    """``/contrats/export/?format=csv|xlsx[&contract=CODE][&departement=…&generation=…&status=…]``."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):  # the exchange formats the import reads again (no ODS: never a 500)
        fmt = "csv"
    contracts = permissions.visible_contracts(request.user)
    stem = "fiches-action"
    if request.GET.get("contract"):
        contracts = contracts.filter(code=request.GET["contract"])
        stem += f"-{request.GET['contract']}"
    for name, lookup in (("departement", "departement__code"), ("generation", "generation"), ("status", "status")):
        if request.GET.get(name):
            contracts = contracts.filter(**{lookup: request.GET[name]})
    data = export_action_sheets(contracts, fmt)
    return attachment(data, FORMATS[fmt], filename(stem, fmt))
