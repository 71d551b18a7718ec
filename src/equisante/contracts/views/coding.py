"""The coding page of an action sheet: the grid as a tree of checkboxes, the approach, the themes,
publics, partner sectors and a note; beside it, the automatic suggestions with their score and
evidence, each accepted or rejected by a click.

One form holds everything, so no click loses what the person has ticked: asking for suggestions,
accepting or rejecting one re-displays the form with its current state (an accepted code is ticked
in the form, not saved); only « Enregistrer » or « Valider le codage » write the coding.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.actionsheets.model import SECTORS
from equisante.contracts import coding, services
from equisante.contracts.forms import CodingForm
from equisante.contracts.models import SuggestionRecord
from equisante.contracts.views.common import crumbs, editable_sheet
from equisante.grid import load_grid

FAMILY_TITLES = {
    "determinants": _("Déterminants"),
    "strategies": _("Stratégies"),
    "approach": _("Type d'approche"),
    "themes": _("Thématiques de santé"),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _selected(form: CodingForm) -> dict[str, set[str]]:
    """What the form currently ticks, by family (from the posted data or the initial values)."""
    out = {}
    for name in ("determinants", "strategies", "themes", "partner_sectors"):
        value = form[name].value() or []
        out[name] = set(value if isinstance(value, (list, tuple)) else [value])
    approach = form["approach"].value()
    out["approach"] = {approach} if approach else set()
    return out


def _suggestion_groups(records, selected, version) -> list[dict]:
    groups = []
    for family in ("determinants", "strategies", "approach", "themes"):
        items = []
        for record in records:
            if record.family != family:
                continue
            items.append({
                "record": record,
                "label": coding.path_label(version, record.node_id) if family in ("determinants", "strategies")
                else coding.label(version, record.node_id),
                "percent": round(record.score * 100),
                "in_form": record.node_id in selected.get(family, set()),
                "words": [m["quote"] for m in record.evidence_data.get("matches", [])],
                "neighbours": record.evidence_data.get("neighbours", []),
            })
        groups.append({"family": family, "title": FAMILY_TITLES[family], "items": items})
    return groups


@login_required
def sheet_coding(request, code: str, sheet_code: str):
    """``/contrats/<code>/fiches/<fiche>/codage/``."""
    sheet = editable_sheet(request, code, sheet_code)
    contract = sheet.contract
    version = sheet.grid_version
    stale = None
    problems: list[str] = []
    notice = ""
    if request.method == "POST":
        data = request.POST.copy()
        action = data.get("action", "")
        if action == "suggest":
            refresh = coding.current_suggestions(sheet).exists()
            records = coding.propose(sheet, request.user, refresh=refresh)
            count = records.count()
            notice = ngettext("%(n)s suggestion calculée à partir de l'intitulé, des objectifs et de la description. "
                              "Elle n'est pas appliquée : acceptez-la ou rejetez-la.",
                              "%(n)s suggestions calculées à partir de l'intitulé, des objectifs et de la description. "
                              "Aucune n'est appliquée : acceptez ou rejetez chacune.", count) % {"n": count}
        elif action.startswith(("accept-", "reject-")):
            verb, _sep, pk = action.partition("-")
            try:
                record = sheet.suggestions.get(pk=int(pk))
            except (ValueError, SuggestionRecord.DoesNotExist):
                raise Http404(_("Suggestion introuvable.")) from None
            accepted = verb == "accept"
            coding.decide(record, accepted, request.user)
            if accepted:
                if record.family == "approach":
                    data["approach"] = record.node_id
                elif record.node_id not in data.getlist(record.family):
                    data.appendlist(record.family, record.node_id)
                notice = _("Suggestion « %(label)s » acceptée : elle est cochée ci-dessous ; enregistrez pour la "
                           "garder.") % {"label": coding.label(version, record.node_id)}
            else:
                notice = _("Suggestion « %(label)s » rejetée.") % {"label": coding.label(version, record.node_id)}
        form = CodingForm(data, grid_version=version)
        if action in ("save", "validate") and not form.is_valid():
            problems = [f"{form.fields[name].label if name in form.fields else name} : {message}"
                        for name, errors in form.errors.items() for message in errors]
        if action in ("save", "validate") and form.is_valid():
            values = form.coding()
            values["publics"] = _lines(form.cleaned_data["publics"])
            expected = form.cleaned_data.get("version") or sheet.version
            try:
                changes = services.save_coding(sheet, values, user=request.user, expected_version=expected,
                                               validate=action == "validate")
            except services.StaleEdit as exc:
                stale = exc
                data["version"] = str(exc.current)
                form = CodingForm(data, grid_version=version)
                form.is_valid()
            except ValidationError as exc:
                problems = services.validation_messages(exc)
            else:
                if action == "validate":
                    messages.success(request, _("Codage validé : il servira d'exemple aux prochaines suggestions."))
                elif changes:
                    messages.success(request, _("Codage enregistré (non validé)."))
                else:
                    messages.info(request, _("Aucune modification : rien n'a été enregistré."))
                return redirect("contracts:sheet", contract.code, sheet.code)
    else:
        form = CodingForm(initial=CodingForm.initial_from(sheet), grid_version=version)
    selected = _selected(form)
    records = list(coding.current_suggestions(sheet))
    grid = load_grid(version)
    suggested_ids = {family: {r.node_id for r in records if r.family == family and r.decision == "en-attente"}
                     for family in FAMILY_TITLES}
    # Open the branches of the tree where something is ticked or suggested.
    open_nodes = {grid.top_level(i) for family in ("determinants", "strategies")
                  for i in selected[family] | suggested_ids[family] if grid.is_valid(i)}
    return render(request, "contracts/sheet_coding.html", {
        "contract": contract,
        "sheet": sheet,
        "form": form,
        "grid": grid,
        "determinant_tree": coding.tree(version, "determinant"),
        "strategy_tree": coding.tree(version, "strategy"),
        "approaches": grid.approaches(),
        "themes": grid.themes(),
        "sectors": list(SECTORS.items()),
        "selected": selected,
        "suggested_ids": suggested_ids,
        "open_nodes": open_nodes,
        "suggestions": _suggestion_groups(records, selected, version),
        "has_suggestions": bool(records),
        "has_text": bool(sheet.coding_text().strip()),
        "notice": notice,
        "stale": stale,
        "problems": problems,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()),
                                  (sheet.code, sheet.get_absolute_url()), current=_("Codage")),
    })
