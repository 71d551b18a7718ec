"""The kinds of background jobs: each function does the work of one job and reports its progress.

- ``rapport``: a PDF or XLSX report (ISTS profiles, portraits), made by the report's own page
  (``?format=pdf|xlsx|ods``) as the person who asked, so that the file is the one the page would give and
  shows only what that person may see;
- ``import``: an import from the site (indicators catalogue or values, territories, action sheets),
  with the list of what it changed (:mod:`equisante.jobs.imports`);
- ``indices``: computation of an index at one or more levels;
- ``suggestions``: coding suggestions for every uncoded sheet of a contract;
- ``demo``: the demonstration load.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from equisante.errors import EquisanteError
from equisante.immutable import channel
from equisante.jobs.running import Outcome, files_dir, register
from equisante.numbers import plural

#: The report pages a job may render, with the formats each one gives as a file.
REPORT_VIEWS = {
    "profiles:profile": ("pdf", "xlsx", "ods"),
    "profiles:overview": ("pdf", "xlsx", "ods"),
    "portraits:detail": ("pdf", "xlsx", "ods"),
}


def check_report_address(address: str) -> str:
    """The address of a report page that a job may render, or :class:`EquisanteError` saying why not."""
    from django.http import QueryDict

    parts = urlsplit(address or "")
    if parts.scheme or parts.netloc:
        raise EquisanteError("job_report_refused", reason="adresse extérieure au site")
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise EquisanteError("job_report_refused", reason="page introuvable") from None
    formats = REPORT_VIEWS.get(match.view_name)
    if formats is None:
        raise EquisanteError("job_report_refused", reason="cette page ne produit pas de rapport")
    if QueryDict(parts.query).get("format") not in formats:
        raise EquisanteError("job_report_refused", reason="format attendu : " + " ou ".join(formats))
    return f"{parts.path}?{parts.query}"


@register("rapport", "Rapport")
def report(job, reporter) -> Outcome:
    from django.test import RequestFactory

    address = check_report_address(job.params.get("address", ""))
    reporter.update(0, 1, "préparation du rapport")
    from django.conf import settings

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
    request = RequestFactory().get(address, HTTP_HOST=host)
    request.user = job.owner if job.owner is not None else _anonymous()
    match = resolve(urlsplit(address).path)
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        response = match.func(request, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        raise EquisanteError("job_report_refused",
                             reason="cette page est introuvable ou n'est pas visible avec vos droits") from None
    if response.status_code != 200:
        raise EquisanteError("job_report_refused", reason=f"la page a répondu {response.status_code}")
    disposition = response.get("Content-Disposition", "")
    name = disposition.split("filename=")[-1].strip('"; ') if "filename=" in disposition else "rapport"
    reporter.update(1, 1, "rapport prêt")
    return Outcome(content=response.content, filename=name, content_type=response.get("Content-Type", ""),
                   summary=f"Fichier {name} prêt.")


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def upload_path(job) -> Path:
    return files_dir() / str(job.pk) / "depot" / Path(job.params["filename"]).name


@register("import", "Import")
def run_import(job, reporter) -> Outcome:
    from equisante.jobs import imports

    fmt = job.params.get("format")
    if fmt not in imports.FORMATS:
        raise EquisanteError("import_format_unknown", kind=fmt, known=", ".join(imports.FORMATS))
    data = upload_path(job).read_bytes()
    name = job.params["filename"]
    user = job.owner
    options = {k: v for k, v in job.params.get("options", {}).items() if v not in (None, "")}
    with channel("import"):
        if fmt == "catalogue":
            outcome = imports.import_catalogue(data, name, user=user, channel="site", reporter=reporter, job=job)
        elif fmt == "valeurs":
            outcome = imports.import_values(data, name, user=user, channel="site", reporter=reporter, job=job,
                                            **options)
        elif fmt in ("territoires", "cog"):
            level, vintage = options.pop("level"), int(options.pop("vintage"))
            extra = {"parent_from_code": True} if fmt == "territoires" else {}
            outcome = imports.import_territories(data, name, level=level, vintage=vintage, cog=fmt == "cog",
                                                 user=user, channel="site", reporter=reporter, job=job, **extra)
        else:
            outcome = imports.import_sheets(data, name, user=user, channel="site", reporter=reporter, job=job)
    return Outcome(summary=outcome.summary, changes=outcome.changes,
                   extra={"counts": outcome.counts, "truncated": outcome.trace.truncated if outcome.trace else 0,
                          "trace": outcome.trace.pk if outcome.trace else None})


@register("indices", "Calcul d'indices")
def compute_indices(job, reporter) -> Outcome:
    from equisante.prioritisation.computing import compute_levels, get_definition

    definition = get_definition(job.params["index"])
    levels = job.params.get("levels") or [definition.base_level]
    reporter.update(0, 1, f"calcul de {definition.code}")
    results = compute_levels(definition, levels, job.params.get("period") or None)
    reporter.update(1, 1, "terminé")
    return Outcome(summary="\n".join(f"{definition.code} — {level} : {result}" for level, result in results.items()))


@register("suggestions", "Suggestions de codage")
def batch_suggestions(job, reporter) -> Outcome:
    from equisante.contracts import coding
    from equisante.contracts.models import ActionSheet, Contract
    from equisante.progress import run_with_progress

    contract = Contract.objects.get(code=job.params["contract"])
    sheets = [s for s in ActionSheet.objects.filter(contract=contract).order_by("code") if not s.is_coded]
    run_with_progress(sheets, lambda sheet: coding.propose(sheet, job.owner), reporter=reporter,
                      message="suggestions de codage")
    return Outcome(summary=f"Suggestions préparées pour "
                           f"{plural(len(sheets), 'fiche-action non codée', 'fiches-action non codées')} de "
                           f"{contract.code} : à examiner sur la page de codage de chaque fiche.",
                   url=contract.get_absolute_url())


@register("demo", "Chargement du territoire de démonstration")
def load_demo(job, reporter) -> Outcome:
    from equisante.demo.generator import generate_region
    from equisante.demo.loading import load_region, refuse_if_loaded

    replace = bool(job.params.get("replace"))
    if not replace:
        refuse_if_loaded()
    reporter.update(0, 2, "génération de la région fictive")
    region = generate_region(seed=int(job.params.get("seed", 1)))
    reporter.update(1, 2, "écriture dans la base")
    with channel("travail"):
        result = load_region(region, replace=replace)
    reporter.update(2, 2, "terminé")
    return Outcome(summary=result.summary())

