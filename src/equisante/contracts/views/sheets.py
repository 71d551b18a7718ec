"""The page of an action sheet (content, coding, funding, history) and its creation / edit form.

A save prepared on an older version of the sheet is refused with the list of what the other person
changed; the form is shown again with the person's own input, now based on the latest version, so
that saving again is a deliberate choice and nothing typed is lost."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.contracts import coding, permissions, services
from equisante.contracts.forms import SheetForm
from equisante.contracts.models import code_sort_key
from equisante.contracts.views.common import crumbs, editable_contract, editable_sheet, visible_sheet

#: Changes of a sheet shown per page of its history (a long history is read page by page).
HISTORY_PAGE = 10


def paginate(request, items, size: int, param: str = "page"):
    """A page of ``items`` for the DSFR pagination (``portal/includes/pagination.html``)."""
    paginator = Paginator(items, size)
    page = paginator.get_page(request.GET.get(param))
    page.elided = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.param = param
    return page


def neighbours(sheet) -> dict:
    """The previous and next sheets of the same contract, in the order of the contract's page (by axis,
    then by code), with the sheet's position."""
    sheets = sorted(sheet.contract.sheets.select_related("axis").only("pk", "code", "title", "axis__number",
                                                                      "contract_id"),
                    key=lambda s: (s.axis.number if s.axis_id else 10**6, code_sort_key(s.code)))
    index = next((i for i, s in enumerate(sheets) if s.pk == sheet.pk), None)
    if index is None:
        return {}
    return {"previous": sheets[index - 1] if index > 0 else None,
            "next": sheets[index + 1] if index + 1 < len(sheets) else None,
            "position": index + 1, "count": len(sheets)}


def coding_rows(sheet) -> list[dict]:
    """The coding in words, one row per family (for the sheet page)."""
    from equisante.actionsheets.model import SECTORS

    version = sheet.grid_version
    return [
        {"label": _("Déterminants (sur quoi agit-on ?)"),
         "items": [coding.path_label(version, i) for i in sheet.determinants]},
        {"label": _("Stratégies (comment agit-on ?)"),
         "items": [coding.path_label(version, i) for i in sheet.strategies]},
        {"label": _("Type d'approche"), "items": [coding.label(version, sheet.approach)] if sheet.approach else []},
        {"label": _("Thématiques de santé"), "items": [coding.label(version, i) for i in sheet.themes]},
        {"label": _("Secteurs partenaires"), "items": [SECTORS.get(s, s) for s in sheet.partner_sectors]},
    ]


def sheet_detail(request, code: str, sheet_code: str):
    """``/contrats/<code>/fiches/<fiche>/``."""
    sheet = visible_sheet(request, code, sheet_code)
    contract = sheet.contract
    can_history = permissions.can_view_history(request.user, contract)
    history_page = paginate(request, sheet.changes.select_related("user"), HISTORY_PAGE) \
        if can_history else None
    changes = list(history_page.object_list) if history_page else []
    decisions = list(sheet.suggestions.exclude(decision="en-attente").select_related("decided_by")
                     .order_by("-decided_at")[:20]) if can_history else []
    return render(request, "contracts/sheet_detail.html", {
        "contract": contract,
        "sheet": sheet,
        "territories": list(sheet.territories.order_by("name")),
        "partners": list(sheet.partners.order_by("name")),
        "funding": list(sheet.funding_lines.select_related("funder")),
        "indicators": [line for line in sheet.indicators.splitlines() if line.strip()],
        "coding_rows": coding_rows(sheet),
        "can_edit": permissions.can_edit_sheet(request.user, sheet),
        "can_history": can_history,
        "changes": changes,
        "history_page": history_page,
        "neighbours": neighbours(sheet),
        "decisions": decisions,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=sheet.code),
    })


@login_required
def sheet_create(request, code: str):
    """``/contrats/<code>/fiches/nouvelle/``."""
    contract = editable_contract(request, code)
    form = SheetForm(request.POST or None, contract=contract)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        values, m2m, funding = form.values()
        try:
            sheet = services.create_sheet(contract, values, m2m=m2m, funding=funding, user=request.user)
        except ValidationError as exc:
            problems = services.validation_messages(exc)
        else:
            messages.success(request, _("Fiche-action « %(code)s » créée. Vous pouvez maintenant la coder sur la "
                                        "grille.") % {"code": sheet.code})
            return redirect("contracts:sheet_coding", contract.code, sheet.code)
    return render(request, "contracts/sheet_form.html", {
        "contract": contract, "form": form, "sheet": None, "problems": problems, "stale": None,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=_("Nouvelle fiche-action")),
    })


@login_required
def sheet_edit(request, code: str, sheet_code: str):
    """``/contrats/<code>/fiches/<fiche>/modifier/``: refuses stale saves, keeps the input."""
    sheet = editable_sheet(request, code, sheet_code)
    contract = sheet.contract
    stale = None
    problems: list[str] = []
    if request.method == "POST":
        form = SheetForm(request.POST, contract=contract, sheet=sheet)
        if form.is_valid():
            values, m2m, funding = form.values()
            expected = form.cleaned_data.get("version") or sheet.version
            try:
                changes = services.update_sheet(sheet, values, m2m=m2m, funding=funding, user=request.user,
                                                expected_version=expected)
            except services.StaleEdit as exc:
                stale = exc
                # The person's input stays; the hidden version moves to the latest one so that a
                # second save, made knowingly, replaces the other person's changes.
                data = request.POST.copy()
                data["version"] = str(exc.current)
                form = SheetForm(data, contract=contract, sheet=sheet)
                form.is_valid()
            except ValidationError as exc:
                problems = services.validation_messages(exc)
            else:
                if changes:
                    messages.success(request, ngettext("Fiche-action enregistrée (%(n)s champ modifié).",
                                              "Fiche-action enregistrée (%(n)s champs modifiés).", len(changes)) % {
                        "n": len(changes)})
                else:
                    messages.info(request, _("Aucune modification : rien n'a été enregistré."))
                return redirect("contracts:sheet", contract.code, sheet.code)
    else:
        form = SheetForm(contract=contract, sheet=sheet)
    return render(request, "contracts/sheet_form.html", {
        "contract": contract, "form": form, "sheet": sheet, "problems": problems, "stale": stale,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()),
                                  (sheet.code, sheet.get_absolute_url()), current=_("Modifier")),
    })
