"""``/contrats/<code>/fiches/<fiche>/suivi/``: the follow-up of one action sheet — its indicators
(baseline, target, value per year), its progress per year, its money per funder and year, and its
logic model. Everyone who may see the sheet reads the page; whoever may edit the sheet fills it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.contracts import permissions
from equisante.contracts.views.common import crumbs, visible_sheet
from equisante.followup.figures import indicator_status, IndicatorReading
from equisante.followup.forms import FundingForm, IndicatorForm, LogicModelForm, YearForm
from equisante.followup.models import IndicatorMeasure, LogicModel, SheetFunding, SheetIndicator, SheetProgress


def chosen_year(request, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("annee") or request.POST.get("annee") or 0)
    except ValueError:
        year = 0
    return year if 1990 <= year <= 2100 else (default or timezone.localdate().year)


def _year_initial(sheet, year, indicators) -> dict:
    progress = SheetProgress.objects.filter(sheet=sheet, year=year).first()
    initial = {}
    if progress:
        initial = {"state": progress.state, "percent": progress.percent, "started_on": progress.started_on,
                   "ended_on": progress.ended_on, "note": progress.note}
    for indicator in indicators:
        measure = next((m for m in indicator.measures.all() if m.year == year), None)
        if measure is not None:
            initial[f"value_{indicator.pk}"] = measure.value
    return initial


@transaction.atomic
def _save_year(sheet, year, form) -> None:
    d = form.cleaned_data
    if d.get("state"):
        SheetProgress.objects.update_or_create(sheet=sheet, year=year, defaults={
            "state": d["state"], "percent": d.get("percent"), "started_on": d.get("started_on"),
            "ended_on": d.get("ended_on"), "note": d.get("note") or ""})
    else:
        SheetProgress.objects.filter(sheet=sheet, year=year).delete()
    for indicator in form.indicators:
        value = d.get(f"value_{indicator.pk}")
        if value is None:
            IndicatorMeasure.objects.filter(indicator=indicator, year=year).delete()
        else:
            IndicatorMeasure.objects.update_or_create(indicator=indicator, year=year, defaults={"value": value})
    sheet.save(update_fields=["updated_at"])  # the public database follows the sheet's date


def sheet_followup(request, code: str, sheet_code: str):
    sheet = visible_sheet(request, code, sheet_code)
    contract = sheet.contract
    can_edit = permissions.can_edit_sheet(request.user, sheet)
    year = chosen_year(request)
    indicators = list(SheetIndicator.objects.filter(sheet=sheet).prefetch_related("measures"))
    logic, _created = (LogicModel.objects.get_or_create(sheet=sheet) if can_edit and request.method == "POST"
                       else (LogicModel.objects.filter(sheet=sheet).first(), False))
    forms_ = {
        "year": YearForm(initial=_year_initial(sheet, year, indicators), indicators=indicators, year=year),
        "indicator": IndicatorForm(),
        "funding": FundingForm(initial={"year": year}),
        "logic": LogicModelForm(initial={f: getattr(logic, f) for f in ("inputs", "activities", "outputs", "outcomes")}
                                if logic else None),
    }
    here = reverse("followup:sheet", args=[contract.code, sheet.code]) + f"?annee={year}"
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Vous ne pouvez pas modifier cette fiche-action."))
        action = request.POST.get("action", "")
        if action == "annee":
            form = YearForm(request.POST, indicators=indicators, year=year)
            if form.is_valid():
                _save_year(sheet, year, form)
                messages.success(request, _("Avancement et valeurs de %(year)s enregistrés.") % {"year": year})
                return redirect(here)
            forms_["year"] = form
        elif action == "indicateur":
            form = IndicatorForm(request.POST)
            if form.is_valid():
                SheetIndicator.objects.create(sheet=sheet, **form.cleaned_data)
                messages.success(request, _("Indicateur ajouté."))
                return redirect(here)
            forms_["indicator"] = form
        elif action == "financement":
            form = FundingForm(request.POST)
            if form.is_valid():
                SheetFunding.objects.create(sheet=sheet, **form.cleaned_data)
                sheet.save(update_fields=["updated_at"])
                messages.success(request, _("Financement ajouté."))
                return redirect(here)
            forms_["funding"] = form
        elif action == "supprimer-financement":
            get_object_or_404(SheetFunding, sheet=sheet, pk=request.POST.get("pk")).delete()
            messages.success(request, _("Ligne de financement supprimée."))
            return redirect(here)
        elif action == "supprimer-indicateur":
            get_object_or_404(SheetIndicator, sheet=sheet, pk=request.POST.get("pk")).delete()
            messages.success(request, _("Indicateur supprimé."))
            return redirect(here)
        elif action == "modele-logique":
            form = LogicModelForm(request.POST)
            if form.is_valid():
                for name, value in form.cleaned_data.items():
                    setattr(logic, name, value)
                logic.save()
                messages.success(request, _("Modèle logique enregistré."))
                return redirect(here)
            forms_["logic"] = form
    rows = []
    for indicator in indicators:
        values = {m.year: m.value for m in indicator.measures.all()}
        status = indicator_status(IndicatorReading(sheet.code, indicator.label, indicator.kind, indicator.unit,
                                                   indicator.baseline, indicator.target, values.get(year)))
        rows.append({"indicator": indicator, "values": sorted(values.items()), "status": status})
    years = sorted({year, year - 1} | {p.year for p in sheet.progress.all()}
                   | {m.year for i in indicators for m in i.measures.all()})
    return render(request, "followup/sheet_followup.html", {
        "contract": contract, "sheet": sheet, "year": year, "years": years, "can_edit": can_edit,
        "forms": forms_, "rows": rows, "logic": logic,
        "progress": list(sheet.progress.order_by("year")),
        "funding": list(SheetFunding.objects.filter(sheet=sheet).select_related("funder")),
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()),
                                  (sheet.code, sheet.get_absolute_url()), current=_("Suivi")),
    })


def import_page(request, code: str):
    """``/contrats/<code>/suivi/importer/``: import indicators, progress or money of the contract's
    sheets from a CSV or XLSX file (all or nothing, French report of every problem)."""
    from equisante.contracts.models import Contract
    from equisante.contracts.views.common import editable_contract
    from equisante.errors import InputRejected
    from equisante.followup.importing import HEADERS, TABLES, import_followup

    contract = editable_contract(request, code)
    report = None
    if request.method == "POST":
        table = request.POST.get("table", "")
        upload = request.FILES.get("fichier")
        if table not in TABLES or upload is None:
            messages.error(request, _("Choisir le type de tableau et un fichier CSV ou XLSX."))
        else:
            try:
                n = import_followup(upload.read(), upload.name, table, Contract.objects.filter(pk=contract.pk))
                messages.success(request, ngettext("%(n)s ligne importée.", "%(n)s lignes importées.", n) % {"n": n})
                return redirect("followup:import", contract.code)
            except InputRejected as error:
                report = error.report()
    return render(request, "followup/import.html", {
        "contract": contract, "tables": {k: {"columns": ", ".join(f"« {HEADERS[c]} »" for c in v), "template": f"suivi-{k}"}
                   for k, v in TABLES.items()}, "report": report,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=_("Importer le suivi")),
    })
