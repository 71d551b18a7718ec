"""The actors directory: the organisations that sign contracts, sit on their committees, lead, join or
fund their actions — searchable by name, filtered by sector; created by whoever edits a contract,
edited by the regional administration and the départemental referents (an actor is shared by every
contract that names it, so its changes are recorded in each of their histories)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from equisante.contracts import editing, permissions
from equisante.contracts.editing_forms import ActorFilterForm, ActorForm
from equisante.contracts.models import Actor
from equisante.contracts.views.common import crumbs
from equisante.portal.search import Folded, fold_query

PAGE_SIZE = 50


def can_create_actor(user) -> bool:
    """Whoever may create or edit a contract may add an organisation to the directory."""
    return permissions.can_create_contract(user) or permissions.can_import(user)


def can_edit_actor(user) -> bool:
    """The directory is shared by every contract: the regional administration and the referents keep it."""
    return permissions.is_regional_admin(user) or bool(permissions.referent_departements(user))


@login_required
def actor_list(request):
    """``/contrats/acteurs/?q=…&sector=…``."""
    filters = ActorFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {}) or {}
    text, sector = data.get("q", ""), data.get("sector", "")
    actors = Actor.objects.select_related("departement")
    if sector:
        actors = actors.filter(sector=sector)
    folded = fold_query(text)
    if folded:
        actors = actors.annotate(folded_name=Folded("name"), folded_kind=Folded("kind")).filter(
            Q(folded_name__contains=folded) | Q(folded_kind__contains=folded))
    page = Paginator(actors.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in (("q", text), ("sector", sector)) if v])
    return render(request, "contracts/actor_list.html", {
        "filters": filters,
        "page_obj": page,
        "actors": page.object_list,
        "query": query,
        "searching": bool(folded or sector),
        "can_create": can_create_actor(request.user),
        "can_edit": can_edit_actor(request.user),
        "breadcrumb_data": crumbs(current=_("Annuaire des acteurs")),
    })


def _form_page(request, form, actor=None, stale=None):
    title = _("Modifier un acteur de l’annuaire") if actor else _("Nouvel acteur de l’annuaire")
    return render(request, "contracts/actor_form.html", {
        "form": form,
        "actor": actor,
        "stale": stale,
        "title": title,
        # Only the contracts the person may see are named (an unpublished contract of another
        # département is not disclosed); the others are only said to exist.
        "used_by": list(permissions.visible_contracts(request.user, editing.contracts_using(actor))) if actor else [],
        "used_elsewhere": bool(actor) and editing.contracts_using(actor).exclude(
            pk__in=permissions.visible_contracts(request.user).values("pk")).exists(),
        "breadcrumb_data": crumbs((_("Annuaire des acteurs"), reverse("contracts:actors")), current=title),
    })


@login_required
def actor_create(request):
    """``/contrats/acteurs/nouveau/``."""
    if not can_create_actor(request.user):
        raise PermissionDenied(_("Ajouter un acteur à l’annuaire est réservé aux personnes qui modifient un contrat."))
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actor = editing.create_part(Actor, form.values(), user=request.user)
        except ValidationError as exc:
            form.add_model_errors(exc)
        else:
            messages.success(request, _("« %(name)s » ajouté à l’annuaire.") % {"name": actor.name})
            return redirect(f"{reverse('contracts:actors')}?{urlencode({'q': actor.name})}")
    return _form_page(request, form)


@login_required
def actor_edit(request, pk: int):
    """``/contrats/acteurs/<id>/modifier/``: refuses stale saves, keeps the input."""
    if not can_edit_actor(request.user):
        raise PermissionDenied(_("L’annuaire est tenu par l’administration régionale et les référents "
                                 "départementaux."))
    actor = get_object_or_404(Actor, pk=pk)
    stale = None
    if request.method == "POST":
        form = ActorForm(request.POST, instance=actor)
        if form.is_valid():
            try:
                changes = editing.save_part(actor, form.values(), user=request.user,
                                            expected=form.cleaned_data["version"])
            except editing.StaleChange as exc:
                stale = exc
                data = request.POST.copy()
                data["version"] = exc.current
                form = ActorForm(data, instance=actor)
                form.is_valid()
            except editing.PartGone:
                messages.error(request, _("Cet acteur a été supprimé de l’annuaire pendant votre saisie."))
                return redirect("contracts:actors")
            except ValidationError as exc:
                form.add_model_errors(exc)
            else:
                if changes:
                    messages.success(request, _("« %(name)s » enregistré.") % {"name": actor.name})
                else:
                    messages.info(request, _("Aucune modification : rien n’a été enregistré."))
                return redirect(f"{reverse('contracts:actors')}?{urlencode({'q': actor.name})}")
    else:
        form = ActorForm(instance=actor)
    return _form_page(request, form, actor, stale)
