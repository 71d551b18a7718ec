"""The pages of the ISTS profiles.

- ``/profils/``: the regional overview of the contracts the person may see (filters: département,
  generation), with links to each profile;
- ``/profils/<code>/``: the ISTS profile of one contract.

Both answer ``?format=html`` (standalone report), ``?format=pdf`` and ``?format=xlsx`` with the same
content as the page. Who sees what is decided by :mod:`equisante.contracts.permissions`: the public
sees the published contracts only; an unpublished contract answers 404 to whoever may not see it.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from equisante.actionsheets.model import GENERATIONS
from equisante.contracts import permissions
from equisante.contracts import vocabulary as v
from equisante.contracts.models import Contract
from equisante.portal.exporting import attachment, filename
from equisante.profiles import reports
from equisante.profiles.building import overview_presentation, profile_presentation
from equisante.territories.models import Territory


def _format(request) -> str | None:
    fmt = request.GET.get("format", "").strip().lower()
    return fmt if fmt in reports.FORMATS else None


def _scope(user) -> str:
    """French words naming the contracts a person is shown (the comparison set)."""
    if permissions.is_regional_admin(user):
        return _("tous les contrats de la région")
    if user.is_authenticated and (permissions.referent_departements(user)
                                  or permissions.contract_ids(user, v.COORDINATOR, v.PARTNER)):
        return _("les contrats publiés de la région et ceux de votre périmètre")
    return _("les contrats publiés de la région")


def _download(presentation, fmt: str, stem: str):
    return attachment(reports.render(presentation, fmt), reports.CONTENT_TYPES[fmt], filename(stem, fmt))


def overview(request):
    """``/profils/``: pooled tables, balance, checks and comparison of the contracts shown."""
    visible = permissions.visible_contracts(request.user)
    departements = Territory.objects.filter(
        pk__in=visible.exclude(departement=None).values("departement")).order_by("code")
    departement = request.GET.get("departement", "").strip()
    generation = request.GET.get("generation", "").strip()
    contracts = visible
    filters = []
    if departement and departements.filter(code=departement).exists():
        contracts = contracts.filter(departement__code=departement)
        filters.append(_("département %(name)s") % {"name": departements.get(code=departement).name})
    else:
        departement = ""
    if generation in GENERATIONS:
        contracts = contracts.filter(generation=generation)
        filters.append(GENERATIONS[generation])
    else:
        generation = ""
    fmt = _format(request)
    title = None
    if departement:
        # the report names the département it covers (page title, PDF title and metadata)
        title = _("Profils ISTS des contrats locaux de santé — département %(name)s (%(code)s)") % {
            "name": departements.get(code=departement).name, "code": departement}
    presentation, listing = overview_presentation(contracts, filters=filters, scope=_scope(request.user),
                                                  links=fmt is None, title=title)
    if fmt:
        stem = "profils-ists" + (f"-{departement}" if departement else "") + (f"-{generation}" if generation else "")
        return _download(presentation, fmt, stem)
    query = urlencode([(k, value) for k, value in (("departement", departement), ("generation", generation)) if value])
    return render(request, "profiles/overview.html", {
        "p": presentation,
        "contracts": listing,
        "departements": departements,
        "generations": list(GENERATIONS.items()),
        "selected": {"departement": departement, "generation": generation},
        "downloads": {f: f"{reverse('profiles:overview')}?{query + '&' if query else ''}format={f}"
                      for f in reports.FORMATS},
        "breadcrumb_data": {"current": _("Profils ISTS")},
    })


def profile(request, code: str):
    """``/profils/<code>/``: the ISTS profile of one contract."""
    contract = get_object_or_404(Contract.objects.select_related("departement"), code=code)
    if not permissions.can_view_contract(request.user, contract):
        raise Http404(_("Contrat introuvable."))
    fmt = _format(request)
    presentation = profile_presentation(contract, permissions.visible_contracts(request.user),
                                        scope=_scope(request.user), links=fmt is None)
    if fmt:
        return _download(presentation, fmt, f"profil-ists-{contract.code}")
    return render(request, "profiles/profile.html", {
        "p": presentation,
        "contract": contract,
        "downloads": {f: f"{reverse('profiles:profile', args=[contract.code])}?format={f}" for f in reports.FORMATS},
        "breadcrumb_data": {"links": [{"title": _("Profils ISTS"), "url": reverse("profiles:overview")}],
                            "current": contract.name},
    })
