"""The jobs pages: ``/travaux/`` (my jobs and files), a job's page with its progress bar and result,
its state as JSON (read by ``jobs/progress.js``), its file; starting reports, imports, suggestions,
index computations and the demonstration load as jobs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from equisante.contracts import permissions
from equisante.errors import EquisanteError
from equisante.jobs import access, running
from equisante.jobs.forms import ImportForm
from equisante.jobs.imports import FORMATS
from equisante.jobs.kinds import check_report_address, upload_path
from equisante.jobs.models import ImportTrace, Job
from equisante.jobs.templates_files import template_file


def _job(request, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("owner"), pk=pk)
    if not access.can_see_job(request.user, job):
        raise Http404(_("Travail introuvable."))
    return job


@login_required
def job_list(request):
    jobs = Job.objects.filter(owner=request.user)[:100]
    from equisante.prioritisation.models import IndexDefinition

    can_compute = access.can_import_data(request.user)
    return render(request, "jobs/list.html", {
        "jobs": jobs,
        "indices": list(IndexDefinition.objects.order_by("code")) if can_compute else [],
        "formats": access.import_formats(request.user),
        "is_admin": permissions.is_regional_admin(request.user),
        "breadcrumb_data": {"current": _("Mes travaux")},
    })


def _state(job: Job) -> dict:
    return {"id": job.pk, "state": job.state, "state_label": job.get_state_display(), "progress": job.progress,
            "message": job.message, "finished": job.finished, "url": job.get_absolute_url()}


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    changes = job.result.get("changes", []) if job.state == "termine" else []
    return render(request, "jobs/detail.html", {
        "job": job,
        "state": _state(job),
        "changes": changes,
        "has_file": running.result_path(job) is not None,
        "breadcrumb_data": {"links": [{"title": _("Mes travaux"), "url": reverse("jobs:list")}],
                            "current": job.label},
    })


@login_required
def job_status(request, pk: int):
    return JsonResponse(_state(_job(request, pk)))


@login_required
def job_file(request, pk: int):
    job = _job(request, pk)
    path = running.result_path(job)
    if path is None:
        raise Http404(_("Ce travail n'a pas produit de fichier."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name,
                        content_type=job.result_type or "application/octet-stream")


@require_POST
def report_start(request):
    """Start a report job from a report page's download button (the anonymous public too: its job is
    kept in its session)."""
    address = request.POST.get("adresse", "")
    try:
        address = check_report_address(address)
    except EquisanteError as exc:
        messages.error(request, exc.message)
        return redirect(request.META.get("HTTP_REFERER") or "portal:home")
    if not request.user.is_authenticated:
        # No job page for the public (no account to keep it): the file is made at once.
        return redirect(address)
    fmt = "PDF" if "format=pdf" in address else "XLSX"
    label = request.POST.get("intitule", "").strip() or _("Rapport")
    job = running.submit("rapport", owner=request.user, params={"address": address},
                         label=f"{label} ({fmt})"[:300])
    return redirect(job)


@login_required
def import_page(request):
    formats = access.import_formats(request.user)
    if not formats:
        raise PermissionDenied(_("Votre rôle ne permet pas d'importer de données."))
    form = ImportForm(request.POST or None, request.FILES or None, formats=formats,
                      initial={"format": request.GET.get("format") if request.GET.get("format") in formats else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        fmt = data["format"]
        options = {"period": data.get("period") or None} if fmt == "valeurs" else {}
        if fmt in ("territoires", "cog"):
            options = {"level": data["level"], "vintage": data["vintage"]}
        job = running.submit("import", owner=request.user,
                             params={"format": fmt, "filename": upload.name, "options": options},
                             label=_("Import : %(kind)s — %(file)s") % {"kind": FORMATS[fmt].label, "file": upload.name})
        target = upload_path(job)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return redirect(job)
    traces = ImportTrace.objects.select_related("user").all()[:20] if access.can_import_data(request.user) else \
        ImportTrace.objects.filter(user=request.user)[:20]
    return render(request, "jobs/import.html", {
        "form": form,
        "formats": [FORMATS[f] for f in formats],
        "traces": traces,
        "breadcrumb_data": {"links": [{"title": _("Mes travaux"), "url": reverse("jobs:list")}],
                            "current": _("Importer des données")},
    })


@login_required
def import_template(request, fmt: str):
    if fmt not in access.import_formats(request.user):
        raise Http404(_("Modèle introuvable."))
    name, content, content_type = template_file(fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_trace(request, pk: int):
    trace = get_object_or_404(ImportTrace.objects.select_related("user"), pk=pk)
    if not (access.can_import_data(request.user) or trace.user_id == request.user.pk):
        raise Http404(_("Trace introuvable."))
    return render(request, "jobs/trace.html", {
        "trace": trace,
        "breadcrumb_data": {"links": [{"title": _("Importer des données"), "url": reverse("jobs:import")}],
                            "current": trace.source},
    })


@require_POST
@login_required
def suggestions_start(request, code: str):
    from equisante.contracts.models import Contract

    contract = get_object_or_404(Contract, code=code)
    if not permissions.can_view_contract(request.user, contract):
        raise Http404(_("Contrat introuvable."))
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied(_("Votre rôle ne permet pas de modifier ce contrat."))
    job = running.submit("suggestions", owner=request.user, params={"contract": contract.code},
                         label=_("Suggestions de codage — %(code)s") % {"code": contract.code})
    return redirect(job)


@require_POST
@login_required
def indices_start(request):
    if not access.can_import_data(request.user):
        raise PermissionDenied(_("Votre rôle ne permet pas de calculer les indices."))
    code = request.POST.get("index", "").strip()
    levels = [lv for lv in request.POST.getlist("niveau") if lv]
    job = running.submit("indices", owner=request.user, params={"index": code, "levels": levels},
                         label=_("Calcul de l'indice %(code)s") % {"code": code})
    return redirect(job)


@require_POST
@login_required
def demo_start(request):
    if not permissions.is_regional_admin(request.user):
        raise PermissionDenied(_("Réservé à l'administration régionale."))
    job = running.submit("demo", owner=request.user, params={"replace": request.POST.get("remplacer") == "oui"},
                         label=_("Chargement du territoire de démonstration"))
    return redirect(job)
