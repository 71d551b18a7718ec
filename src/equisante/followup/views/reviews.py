"""The yearly review of a contract and the regional roll-up of the reviews.

- ``/contrats/<code>/bilan/``: the reviews of a contract, year by year;
- ``/contrats/<code>/bilan/<année>/``: the review (``?format=pdf|xlsx`` for the files);
- ``/bilans/``: which contracts have their review of a year, late or validated.

A draft or submitted review is read by those holding a role on the contract; a validated or
archived review of a published contract is public.
"""

from __future__ import annotations

import datetime

import pandas as pd
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equisante.contracts import permissions
from equisante.contracts.models import Actor, Meeting
from equisante.contracts.views.common import crumbs, visible_contract
from equisante.errors import EquisanteError
from equisante.followup import reviews
from equisante.followup.building import review_figures
from equisante.followup.forms import ApprovalForm, ReviewForm
from equisante.followup.models import (
    REVIEW_ARCHIVED,
    REVIEW_STATUSES,
    REVIEW_SUBMITTED,
    REVIEW_VALIDATED,
    AnnualReview,
    MeetingAttendance,
)
from equisante.followup.views.sheets import chosen_year
from equisante.portal.exporting import attachment, filename, workbook_response

#: A review of year Y is due by this day of year Y + 1 (then « en retard » if not validated).
DUE_MONTH, DUE_DAY = reviews.DUE_MONTH, reviews.DUE_DAY
PUBLIC_STATUSES = (REVIEW_VALIDATED, REVIEW_ARCHIVED)


def _visible_review(request, contract, review) -> bool:
    if permissions.has_private_access(request.user, contract):
        return True
    return review is not None and review.status in PUBLIC_STATUSES and contract.published


def review_list(request, code: str):
    contract = visible_contract(request, code)
    private = permissions.has_private_access(request.user, contract)
    items = list(contract.annual_reviews.all())
    if not private:
        items = [r for r in items if r.status in PUBLIC_STATUSES]
    if request.method == "POST":
        if not reviews.can_draft(request.user, contract):
            raise PermissionDenied(_("Vous ne pouvez pas rédiger le bilan de ce contrat."))
        year = chosen_year(request)
        reviews.review_for(contract, year, request.user, create=True)
        return redirect("followup:review", contract.code, year)
    return render(request, "followup/review_list.html", {
        "contract": contract, "reviews": items, "can_draft": reviews.can_draft(request.user, contract),
        "this_year": timezone.localdate().year,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=_("Bilans annuels")),
    })


def _tables(fig, review) -> dict[str, pd.DataFrame]:
    return {
        "avancement": pd.DataFrame([g.as_row() for g in fig.progress.axes] + [fig.progress.overall.as_row()]),
        "fiches": pd.DataFrame([{"axe": s.axis, "fiche": s.sheet, "intitule": s.title, "etat": s.state,
                                 "avancement": s.percent} for s in fig.progress.overall.sheets]),
        "indicateurs": pd.DataFrame([s.as_row() for s in fig.indicators]),
        "financements": pd.DataFrame([r.as_row() for r in fig.funding]),
        "gouvernance": pd.DataFrame([{"instance": m["committee"], "date": m["date"].isoformat(),
                                      "participants": m["attendees"], "habitants": m["residents"]}
                                     for m in fig.governance["meetings"]]),
        "profil_ists": pd.DataFrame(fig.comparison.strategies),
        "verifications": pd.DataFrame(fig.comparison.checks_changed),
        "approbations": pd.DataFrame([{"signataire": a.signatory.name, "par": a.user.get_username() if a.user else "",
                                       "le": timezone.localtime(a.at).strftime("%d/%m/%Y %H:%M")}
                                      for a in (review.approvals.select_related("signatory", "user") if review else [])]),
    }


def _context(contract, year, review, fig) -> dict:
    axis_texts = (review.axis_texts if review else {}) or {}
    axes = [{"group": g, "text": axis_texts.get(g.key, "")} for g in fig.progress.axes]
    return {"contract": contract, "year": year, "review": review, "fig": fig, "axes": axes,
            "indicator_chart": fig.indicator_chart(), "progress_chart": fig.progress_chart(),
            "approvals": list(review.approvals.select_related("signatory", "user")) if review else [],
            "pending": reviews.pending_signatories(review) if review else [],
            "generated": timezone.localtime()}


def review_page(request, code: str, year: int):
    contract = visible_contract(request, code)
    if not 1990 <= year <= 2100:
        raise Http404(_("Bilan introuvable."))
    review = reviews.review_for(contract, year)
    if not _visible_review(request, contract, review):
        raise Http404(_("Bilan introuvable."))
    can_draft = reviews.can_draft(request.user, contract)
    can_approve = reviews.can_approve(request.user, contract)
    axes = list(contract.axes.order_by("number"))
    here = reverse("followup:review", args=[contract.code, year])
    if request.method == "POST":
        return _post(request, contract, year, review, axes, here, can_draft, can_approve)
    fig = review_figures(contract, year)
    fmt = request.GET.get("format", "").strip().lower()
    context = _context(contract, year, review, fig)
    if fmt == "pdf":
        from equisante.pdf import render_pdf

        document = render_to_string("followup/review_report.html", {**context, "pdf": True})
        return attachment(render_pdf(document), "application/pdf", filename(f"bilan-{contract.code}-{year}", "pdf"))
    if fmt in ("xlsx", "ods"):
        notes = {"contrat": f"{contract.name} ({contract.code})", "annee": str(year),
                 "etat": review.get_status_display() if review else _("pas encore de bilan"),
                 "regles": _("Avancement : pourcentage saisi ; sans pourcentage, non commencée = 0 %, réalisée = "
                             "100 %, en cours inconnue ; fiches abandonnées hors moyenne. Indicateurs : part du "
                             "chemin de la valeur initiale à la cible.")}
        tables = _tables(fig, review)
        if review and review.snapshot:
            for key, name in (("progress", "avancement"), ("indicators", "indicateurs"), ("funding", "financements")):
                frozen = pd.DataFrame(review.snapshot.get(key, []))
                # the database may store JSON keys in its own order: columns as in the live table
                order = [c for c in tables[name].columns if c in frozen.columns]
                tables[f"fige_{name}"] = frozen[order + [c for c in frozen.columns if c not in order]]
        return workbook_response(tables, fmt, f"bilan-{contract.code}-{year}", notes=notes, request=request,
                                 title=_("Bilan annuel %(year)s de %(name)s") % {"year": year, "name": contract.name})
    form = ReviewForm(initial={"summary": review.summary if review else "",
                               "participation": review.participation if review else "",
                               **{f"axis_{k}": t for k, t in ((review.axis_texts or {}).items() if review else [])}},
                      axes=axes)
    approval = None
    if review and review.status == REVIEW_SUBMITTED and can_approve:
        approval = ApprovalForm(signatories=Actor.objects.filter(pk__in=[a.pk for a in context["pending"]]))
    return render(request, "followup/review.html", {
        **context, "form": form, "approval_form": approval, "can_draft": can_draft, "can_approve": can_approve,
        "downloads": {f: f"{here}?format={f}" for f in ("pdf", "xlsx")},
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()),
                                  (_("Bilans annuels"), reverse("followup:reviews", args=[contract.code])),
                                  current=str(year)),
    })


def _post(request, contract, year, review, axes, here, can_draft, can_approve):
    action = request.POST.get("action", "")
    try:
        if action in ("brouillon", "soumettre", "presences", "archiver"):
            if not can_draft:
                raise PermissionDenied(_("Vous ne pouvez pas rédiger le bilan de ce contrat."))
            review = review or reviews.review_for(contract, year, request.user, create=True)
            if action == "presences":
                _save_attendance(request, contract, year)
                messages.success(request, _("Présences aux réunions enregistrées."))
            elif action == "archiver":
                reviews.archive(review, request.user)
                messages.success(request, _("Bilan %(year)s archivé.") % {"year": year})
            else:
                form = ReviewForm(request.POST, axes=axes)
                if not form.is_valid():
                    messages.error(request, _("Le bilan n’a pas été enregistré : vérifier les champs."))
                    return redirect(here)
                d = form.cleaned_data
                reviews.save_draft(review, request.user, summary=d["summary"], participation=d["participation"],
                                   axis_texts=form.axis_texts())
                if action == "soumettre":
                    reviews.submit(review, request.user)
                    messages.success(request, _("Bilan %(year)s soumis aux partenaires pour validation.") % {"year": year})
                else:
                    messages.success(request, _("Brouillon du bilan %(year)s enregistré.") % {"year": year})
        elif action == "valider":
            if not can_approve or review is None:
                raise PermissionDenied(_("Vous ne pouvez pas valider ce bilan."))
            form = ApprovalForm(request.POST, signatories=contract.signatories.all())
            if not form.is_valid():
                messages.error(request, _("Choisir le signataire au nom duquel vous validez."))
                return redirect(here)
            review = reviews.approve(review, form.cleaned_data["signatory"], request.user,
                                     form.cleaned_data.get("comment") or "")
            if review.status == REVIEW_VALIDATED:
                messages.success(request, _("Bilan %(year)s validé par tous les signataires.") % {"year": year})
            else:
                messages.success(request, _("Approbation de %(who)s enregistrée.") % {
                    "who": form.cleaned_data["signatory"].name})
    except EquisanteError as error:
        messages.error(request, str(error))
    return redirect(here)


def _save_attendance(request, contract, year):
    for meeting in Meeting.objects.filter(committee__contract=contract, date__year=year):
        values = {}
        for name in ("attendees", "residents"):
            raw = request.POST.get(f"{name}_{meeting.pk}", "").strip()
            values[name] = int(raw) if raw.isdigit() else None
        if values["attendees"] is None and values["residents"] is None:
            MeetingAttendance.objects.filter(meeting=meeting).delete()
        else:
            MeetingAttendance.objects.update_or_create(meeting=meeting, defaults=values)


# --- regional roll-up -------------------------------------------------------------------------------------

def due_date(year: int) -> datetime.date:
    return reviews.due_date(year)


def rollup_rows(contracts, year: int, today: datetime.date | None = None) -> list[dict]:
    """One row per contract: the state of its review of ``year`` and whether it is late."""
    today = today or timezone.localdate()
    by_contract = {r.contract_id: r for r in AnnualReview.objects.filter(contract__in=contracts, year=year)}
    labels = dict(REVIEW_STATUSES)
    rows = []
    for contract in contracts:
        review = by_contract.get(contract.pk)
        status = review.status if review else ""
        validated = status in PUBLIC_STATUSES
        rows.append({"contract": contract, "review": review, "status": status,
                     "status_label": str(labels.get(status, _("aucun bilan"))),
                     "approvals": review.approvals.count() if review else 0,
                     "signatories": contract.signatories.count(),
                     "late": not validated and today > due_date(year), "validated": validated})
    return rows


def rollup(request):
    year = chosen_year(request, default=timezone.localdate().year - 1)
    contracts = list(permissions.visible_contracts(request.user).select_related("departement").order_by("code"))
    rows = rollup_rows(contracts, year)
    private = {c.pk for c in contracts if permissions.has_private_access(request.user, c)}
    for row in rows:
        row["link"] = row["review"] is not None and (row["validated"] or row["contract"].pk in private)
    counts = {"n": len(rows), "reviewed": sum(1 for r in rows if r["review"]),
              "validated": sum(1 for r in rows if r["validated"]), "late": sum(1 for r in rows if r["late"])}
    fmt = request.GET.get("format", "").strip().lower()
    if fmt in ("csv", "xlsx", "ods"):
        from equisante.portal.exporting import table_response

        table = pd.DataFrame([{"contrat": r["contract"].code, "nom": r["contract"].name,
                               "dispositif": r["contract"].get_kind_display(),
                               "departement": r["contract"].departement_code, "annee": year,
                               "etat": r["status_label"], "approbations": r["approvals"],
                               "signataires": r["signatories"], "en_retard": r["late"]} for r in rows])
        return table_response(table, fmt, f"bilans-{year}", request=request)
    return render(request, "followup/rollup.html", {
        "rows": rows, "year": year, "counts": counts, "due": due_date(year),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "breadcrumb_data": {"current": _("Bilans annuels des contrats")},
    })
