"""Pages of ``/appels/``: the calls, their applications, instruction, selection, decisions, statistics.

Rights: :mod:`equisante.calls.permissions`. A call that may not be seen answers 404, an action that
may not be done 403; an anonymous visitor is sent to the login page first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from equisante.calls import permissions as perm
from equisante.calls import services
from equisante.calls import vocabulary as v
from equisante.calls.context import Context, grid_suggestions
from equisante.calls.errors import CallError
from equisante.calls.forms import (ApplicationForm, AssignForm, CallForm, ConflictForm, CriterionFormSet,
                                   DecisionForm, FunderFormSet, ImportForm, OverrideForm, ScoreForm)
from equisante.calls.models import Application, Assignment, Call
from equisante.calls.selection import euros
from equisante.errors import InputRejected
from equisante.numbers import plural
from equisante.portal.exporting import attachment, filename


def _call(request, code: str) -> Call:
    call = get_object_or_404(Call, code=code)
    if not perm.can_view_call(request.user, call):
        raise Http404
    return call


def _manager(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perm.can_manage(request.user):
        raise PermissionDenied
    return None


def call_list(request):
    calls = perm.visible_calls(request.user, Call.objects.prefetch_related("funders"))
    return render(request, "calls/list.html", {"calls": calls, "can_manage": perm.can_manage(request.user),
                                               "title": _("Appels à projets et à manifestation d'intérêt")})


def call_detail(request, code: str):
    call = _call(request, code)
    user = request.user
    applications = perm.reviewable_applications(user, call.applications.all()) if user.is_authenticated else []
    own_assignments = {a.application_id: a for a in Assignment.objects.filter(application__call=call, reviewer=user)} \
        if user.is_authenticated else {}
    return render(request, "calls/detail.html", {
        "call": call, "title": call.title, "can_manage": perm.can_manage(user),
        "can_apply": perm.can_apply(user, call),
        "applications": [(a, own_assignments.get(a.pk)) for a in applications],
        "transitions": [(t, v.TRANSITION_VERBS[t]) for t in v.TRANSITIONS[call.state]],
        "envelope": euros(call.envelope), "promoter_kinds": [dict(v.PROMOTER_KIND_CHOICES).get(k, k)
                                                             for k in call.eligible_promoter_kinds],
    })


def call_edit(request, code: str | None = None):
    if (response := _manager(request)) is not None:
        return response
    call = get_object_or_404(Call, code=code) if code else None
    form = CallForm(request.POST or None, instance=call)
    funders = FunderFormSet(request.POST or None, instance=call or Call(), prefix="funders")
    criteria = CriterionFormSet(request.POST or None, instance=call or Call(), prefix="criteria")
    if request.method == "POST" and form.is_valid() and funders.is_valid() and criteria.is_valid():
        with transaction.atomic():
            saved = form.save()
            funders.instance = criteria.instance = saved
            funders.save()
            criteria.save()
            services.record(saved, "modification" if call else "creation",
                            ", ".join(form.changed_data) if call else saved.title, who=request.user)
        messages.success(request, _("Appel enregistré."))
        return redirect(saved)
    return render(request, "calls/call_form.html", {"form": form, "funders": funders, "criteria": criteria,
                                                    "call": call, "title": _("Modifier l'appel") if call else _("Nouvel appel")})


@require_POST
def call_transition(request, code: str):
    call = _call(request, code)
    if (response := _manager(request)) is not None:
        return response
    try:
        services.transition(call, request.POST.get("target", ""), who=request.user)
        messages.success(request, _("État de l'appel : %(state)s.") % {"state": call.get_state_display()})
    except CallError as exc:
        messages.error(request, exc.message)
    return redirect(call)


def call_history(request, code: str):
    call = _call(request, code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perm.can_manage(request.user):
        raise PermissionDenied
    return render(request, "calls/history.html", {"call": call, "events": call.events.select_related("who", "application"),
                                                  "title": _("Historique — %(t)s") % {"t": call.title}})


def apply(request, code: str):
    call = _call(request, code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perm.can_apply(request.user, call):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            application = form.save(commit=False)
            application.call = call
            application.reference = services.next_reference(call)
            application.submitted_by = request.user
            application.save()
            application.territories.set(form.cleaned_data["territory_codes"])
            services.record(call, "depot", f"{application.reference} déposée", who=request.user, application=application)
        messages.success(request, _("Candidature %(ref)s déposée.") % {"ref": application.reference})
        return redirect(application)
    return render(request, "calls/apply.html", {"call": call, "form": form, "title": _("Déposer une candidature")})


def import_view(request, code: str):
    call = _call(request, code)
    if (response := _manager(request)) is not None:
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.import_applications(call, upload.read(), name=upload.name, who=request.user)
        except InputRejected as exc:
            rejected = exc
        except CallError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Import terminé : %(created)s, %(updated)s, %(unchanged)s.") % {
                "created": plural(counts["created"], "créée"),
                "updated": plural(counts["updated"], "mise à jour", "mises à jour"),
                "unchanged": plural(counts["unchanged"], "inchangée")})
            return redirect(call)
    return render(request, "calls/import.html", {"call": call, "form": form, "rejected": rejected,
                                                 "problems": rejected.problems if rejected else [],
                                                 "title": _("Importer des candidatures")})


def _application(request, code: str, reference: str) -> Application:
    call = _call(request, code)
    application = get_object_or_404(Application, call=call, reference=reference)
    if not perm.can_view_application(request.user, application):
        raise Http404
    return application


def application_detail(request, code: str, reference: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _application(request, code, reference)
    call, user = application.call, request.user
    criteria = list(call.criteria.all())
    mine = perm.assignment_of(user, application)
    can_score = perm.can_score(user, application)
    score_form = conflict_form = decision_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "score":
            if not can_score:
                raise PermissionDenied
            score_form = ScoreForm(criteria, request.POST)
            if score_form.is_valid():
                services.save_scores(mine, score_form.values(), score_form.cleaned_data["opinion"], who=user)
                messages.success(request, _("Notation enregistrée."))
                return redirect(application)
        elif action == "conflict":
            if mine is None:
                raise PermissionDenied
            conflict_form = ConflictForm(request.POST)
            if conflict_form.is_valid():
                services.declare_conflict(mine, conflict_form.cleaned_data["statement"], who=user)
                messages.success(request, _("Conflit d'intérêts déclaré : vous ne notez pas cette candidature."))
                return redirect(application)
        elif action == "decide":
            if not perm.can_manage(user):
                raise PermissionDenied
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                d = decision_form.cleaned_data
                services.decide(application, d["decision"], d["reason"], d["granted"], who=user)
                messages.success(request, _("Décision enregistrée."))
                return redirect(application)
        else:
            raise PermissionDenied
    if can_score and score_form is None:
        initial = {s.criterion_id: s.value for s in mine.scores.all()}
        score_form = ScoreForm(criteria, initial={"opinion": mine.opinion}, initial_values=initial)
    if mine is not None and not mine.conflict and conflict_form is None:
        conflict_form = ConflictForm()
    if perm.can_manage(user) and decision_form is None:
        decision_form = DecisionForm(initial={"decision": application.decision or None,
                                              "reason": application.decision_reason, "granted": application.granted})
    context = Context()
    territories = [context.of(t) for t in application.territories.all()]
    see_scores = perm.can_see_scores(user, application)
    reviews = services.reviewer_scores(application, criteria) if see_scores else []
    return render(request, "calls/application.html", {
        "a": application, "call": call, "title": application.title, "territories": territories,
        "rule_text": context.rule_text, "eligibility": services.eligibility_reasons(application),
        "suggestions": grid_suggestions(f"{application.title}. {application.summary}"),
        "criteria": criteria, "reviews": reviews, "see_scores": see_scores,
        "conflicted": perm.is_conflicted(user, application), "mine": mine,
        "score": services.application_score(application, criteria) if see_scores else None,
        "disagreement": services.disagreement(application, criteria) if see_scores else None,
        "score_form": score_form, "conflict_form": conflict_form, "decision_form": decision_form,
        "can_manage": perm.can_manage(user), "events": application.events.select_related("who")[:20],
    })


def letter(request, code: str, reference: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _application(request, code, reference)
    if not (perm.can_manage(request.user) or application.submitted_by_id == request.user.pk):
        raise PermissionDenied
    if not application.decision:
        raise Http404
    return attachment(services.letter_pdf(application), "application/pdf",
                      filename(f"notification-{application.reference}", "pdf"))


def reviewers(request, code: str):
    call = _call(request, code)
    if (response := _manager(request)) is not None:
        return response
    form = AssignForm(call, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _assignment, created = Assignment.objects.get_or_create(
            application=d["application"], reviewer=d["reviewer"], defaults={"organisation": d["organisation"]})
        if created:
            services.record(call, "affectation", f"{d['reviewer'].get_username()} instruit {d['application'].reference}",
                            who=request.user, application=d["application"])
        messages.success(request, _("Instructeur affecté."))
        return redirect("calls:reviewers", code=call.code)
    assignments = Assignment.objects.filter(application__call=call).select_related("application", "reviewer")
    return render(request, "calls/reviewers.html", {"call": call, "form": form, "assignments": assignments,
                                                    "title": _("Instructeurs — %(t)s") % {"t": call.title}})


def selection(request, code: str):
    call = _call(request, code)
    if (response := _manager(request)) is not None:
        return response
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                services.run_selection(call, who=request.user)
                messages.success(request, _("Proposition calculée."))
            elif action == "override":
                application = get_object_or_404(Application, call=call, pk=request.POST.get("application"))
                form = OverrideForm(request.POST)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, f"{application.reference} : {error}")
                else:
                    choice = {"retenir": True, "ecarter": False, "proposition": None}[form.cleaned_data["choice"]]
                    services.override(application, choice, form.cleaned_data["reason"], who=request.user)
                    messages.success(request, _("Choix du comité enregistré pour %(ref)s.") % {"ref": application.reference})
            elif action == "decide":
                count = services.decide_all(call, who=request.user)
                messages.success(request, ngettext("%(n)d décision enregistrée.", "%(n)d décisions enregistrées.",
                                                   count or 1) % {"n": count})  # French: 0 takes the singular
            elif action == "funding":
                count = services.funding_lines(call, who=request.user)
                messages.success(request, ngettext("%(n)d fiche-action créée dans les contrats concernés.",
                                                   "%(n)d fiches-action créées dans les contrats concernés.",
                                                   count or 1) % {"n": count})
        except CallError as exc:
            messages.error(request, exc.message)
        return redirect("calls:selection", code=call.code)
    frame = services.applications_frame(call)
    view = services.compute_selection(call, frame)
    table = view.table
    reasons = view.reasons["explanation"].to_dict() if len(view.reasons) else {}
    objects = {a.pk: a for a in call.applications.all()}
    rows = []
    for pk, row in table.iterrows():
        rows.append({"a": objects[pk], "row": row, "reason": reasons.get(pk, ""),
                     "proposed": bool(row["selected"]), "form": OverrideForm(prefix=f"o{pk}")})
    chosen = [objects[pk] for pk in frame.index if objects[pk].in_selection]
    ranking = frame[frame["score"].notna()].sort_values("score", ascending=False)
    return render(request, "calls/selection.html", {
        "call": call, "title": _("Sélection — %(t)s") % {"t": call.title}, "rows": rows, "error": view.error,
        "excluded": view.excluded, "envelope": euros(call.envelope),
        "proposal_cost": euros(table.loc[table["selected"], "cost"].sum()) if "selected" in table else "0",
        "chosen_cost": euros(sum(float(a.requested) for a in chosen)), "chosen": chosen,
        "ranking": [(i + 1, objects[pk], r) for i, (pk, r) in enumerate(ranking.iterrows())],
        "stored": any(a.proposed is not None for a in objects.values()),
        "decided": any(a.decision for a in objects.values()),
    })


def statistics(request, code: str):
    call = _call(request, code)
    if call.state not in (v.DECIDED, v.ARCHIVED) and not perm.can_manage(request.user):
        raise Http404
    if request.GET.get("format") == "xlsx":
        return attachment(services.statistics_xlsx(call),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          filename(f"appel-{call.code}-statistiques", "xlsx"))
    frame = services.applications_frame(call)
    stats = services.statistics(call, frame)
    tables = [(k, services.DIMENSIONS[k], t.to_dict("records")) for k, t in stats["by"].items()]
    return render(request, "calls/statistics.html", {"call": call, "s": stats["summary"], "tables": tables,
                                                     "title": _("Statistiques — %(t)s") % {"t": call.title}})
