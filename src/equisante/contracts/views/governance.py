"""Governance and axes of a contract, edited from its page: committees (« instances ») and their
members, meetings with their minutes, coordinator posts, strategic axes (add, edit, reorder, delete
when empty).

One small form page per element; every change goes through :mod:`equisante.contracts.editing`
(history, refusal of stale saves). A refused save shows the form again with the person's input; an
element deleted by someone else meanwhile turns the form into an « add » form, input kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from equisante.contracts import editing
from equisante.contracts.editing_forms import AxisForm, CommitteeForm, MeetingForm, MemberForm, PostForm
from equisante.contracts.models import Committee, CommitteeMember, CoordinatorPost, Meeting, StrategicAxis
from equisante.contracts.views.common import crumbs, editable_contract


@dataclass(frozen=True)
class Kind:
    """An editable kind of element: its address segment, model, form, where it sits on the contract
    page, and the titles of its pages."""

    slug: str
    model: type
    form: type
    anchor: str
    add_title: str
    edit_title: str
    delete_title: str
    saved: str


KINDS = {
    "instances": Kind("instances", Committee, CommitteeForm, "gouvernance", _l("Nouvelle instance de gouvernance"),
                      _l("Modifier l’instance de gouvernance"), _l("Supprimer l’instance de gouvernance"),
                      _l("Instance de gouvernance enregistrée.")),
    "membres": Kind("membres", CommitteeMember, MemberForm, "gouvernance", _l("Nouveau membre d’une instance"),
                    _l("Modifier un membre"), _l("Retirer un membre"), _l("Membre enregistré.")),
    "reunions": Kind("reunions", Meeting, MeetingForm, "gouvernance", _l("Nouvelle réunion"),
                     _l("Modifier une réunion et son compte rendu"), _l("Supprimer une réunion"),
                     _l("Réunion enregistrée.")),
    "postes": Kind("postes", CoordinatorPost, PostForm, "coordination", _l("Nouveau poste de coordination"),
                   _l("Modifier un poste de coordination"), _l("Supprimer un poste de coordination"),
                   _l("Poste de coordination enregistré.")),
    "axes": Kind("axes", StrategicAxis, AxisForm, "fiches", _l("Nouvel axe stratégique"),
                 _l("Modifier un axe stratégique"), _l("Supprimer un axe stratégique"), _l("Axe enregistré.")),
}


class KindConverter:
    """The ``<part:kind>`` segment of the addresses: one of :data:`KINDS`."""

    regex = "|".join(KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404(_("Élément inconnu.")) from None


def _element(kind: Kind, contract, pk: int):
    """The element ``pk`` of ``contract``, or None."""
    return kind.model.objects.filter(pk=pk, **{editing.CONTRACT_PATH[kind.model]: contract}).first()


def _back(contract, kind: Kind) -> str:
    return f"{contract.get_absolute_url()}#{kind.anchor}"


def _add_initial(request, kind: Kind, contract) -> dict:
    initial = {}
    if kind.model in (CommitteeMember, Meeting):
        committee = contract.committees.filter(pk=request.GET.get("instance") or 0).first()
        if committee is not None:
            initial["committee"] = committee.pk
    if kind.model is StrategicAxis:
        initial["number"] = editing.next_axis_number(contract)
    if kind.model is Committee and not contract.committees.filter(kind="pilotage").exists():
        initial["kind"] = "pilotage"
    return initial


def _page(request, kind: Kind, contract, form, *, element=None, stale=None, gone=None):
    title = kind.edit_title if element is not None else kind.add_title
    action = reverse("contracts:part_edit", args=[contract.code, kind.slug, element.pk]) if element is not None \
        else reverse("contracts:part_create", args=[contract.code, kind.slug])
    return render(request, "contracts/part_form.html", {
        "contract": contract,
        "kind": kind,
        "form": form,
        "element": element,
        "element_label": editing.object_label(element) if element is not None else "",
        "form_action": action,
        "stale": stale,
        "gone": gone,
        "back": _back(contract, kind),
        "title": title,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=str(title)),
    })


@login_required
def part_create(request, code: str, kind: str):
    """``/contrats/<code>/<kind>/ajouter/``."""
    contract = editable_contract(request, code)
    spec = _kind(kind)
    if request.method == "POST":
        form = spec.form(request.POST, contract=contract)
        if form.is_valid():
            try:
                editing.create_part(spec.model, form.values(), user=request.user)
            except ValidationError as exc:
                form.add_model_errors(exc)
            else:
                messages.success(request, str(spec.saved))
                return redirect(_back(contract, spec))
    else:
        form = spec.form(contract=contract, initial=_add_initial(request, spec, contract))
    return _page(request, spec, contract, form)


@login_required
def part_edit(request, code: str, kind: str, pk: int):
    """``/contrats/<code>/<kind>/<id>/modifier/``: refuses stale saves, keeps the input."""
    contract = editable_contract(request, code)
    spec = _kind(kind)
    element = _element(spec, contract, pk)
    if element is None:
        if request.method != "POST":
            raise Http404(_("Cet élément n’existe pas ou plus."))
        # Deleted meanwhile: the input comes back as a new element to add, nothing lost.
        form = spec.form(request.POST, contract=contract)
        form.is_valid()
        return _page(request, spec, contract, form, gone=editing.gone(spec.model, pk, contract,
                                                                       request.POST.get("version")))
    stale = None
    if request.method == "POST":
        form = spec.form(request.POST, contract=contract, instance=element)
        if form.is_valid():
            try:
                changes = editing.save_part(element, form.values(), user=request.user,
                                            expected=form.cleaned_data["version"])
            except editing.StaleChange as exc:
                stale = exc
                data = request.POST.copy()
                data["version"] = exc.current
                form = spec.form(data, contract=contract, instance=element)
                form.is_valid()
            except editing.PartGone as exc:
                form = spec.form(request.POST, contract=contract)
                form.is_valid()
                return _page(request, spec, contract, form, gone=exc)
            except ValidationError as exc:
                form.add_model_errors(exc)
            else:
                if changes:
                    messages.success(request, str(spec.saved))
                else:
                    messages.info(request, _("Aucune modification : rien n’a été enregistré."))
                return redirect(_back(contract, spec))
    else:
        form = spec.form(contract=contract, instance=element)
    return _page(request, spec, contract, form, element=element, stale=stale)


@login_required
def part_delete(request, code: str, kind: str, pk: int):
    """``/contrats/<code>/<kind>/<id>/supprimer/``: a confirmation page (GET), the deletion (POST).

    Refused while something hangs from the element (sheets on an axis, members or meetings in a
    committee); its last state stays readable in the history."""
    contract = editable_contract(request, code)
    spec = _kind(kind)
    element = _element(spec, contract, pk)
    if element is None:
        if request.method == "POST":
            messages.info(request, _("Cet élément avait déjà été supprimé."))
            return redirect(_back(contract, spec))
        raise Http404(_("Cet élément n’existe pas ou plus."))
    stale = refused = None
    if request.method == "POST":
        label = editing.object_label(element)
        try:
            editing.delete_part(element, user=request.user, expected=request.POST.get("version") or None)
        except editing.StaleChange as exc:
            stale = exc
            element = _element(spec, contract, pk)
        except editing.PartInUse as exc:
            refused = exc
        except editing.PartGone:
            messages.info(request, _("Cet élément avait déjà été supprimé."))
            return redirect(_back(contract, spec))
        else:
            messages.success(request, _("%(label)s : supprimé ; son dernier état reste lisible dans l’historique.")
                             % {"label": label})
            return redirect(_back(contract, spec))
    fields = editing.TRACKED[spec.model]
    snapshot = editing.values_text(element)
    return render(request, "contracts/part_delete.html", {
        "contract": contract,
        "kind": spec,
        "element": element,
        "element_label": editing.object_label(element),
        "rows": [(element._meta.get_field(name).verbose_name, snapshot[name]) for name in fields],
        "version": editing.part_token(element),
        "blocker": editing.deletion_blocker(element),
        "stale": stale,
        "refused": refused,
        "back": _back(contract, spec),
        "title": spec.delete_title,
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=str(spec.delete_title)),
    })


@login_required
@require_POST
def axis_move(request, code: str, pk: int):
    """``/contrats/<code>/axes/<id>/deplacer/`` (POST ``sens=monter|descendre``): swap with the neighbour."""
    contract = editable_contract(request, code)
    axis = _element(KINDS["axes"], contract, pk)
    if axis is None:
        messages.error(request, _("Cet axe n’existe plus."))
        return redirect(_back(contract, KINDS["axes"]))
    step = -1 if request.POST.get("sens") == "monter" else 1
    try:
        changes = editing.move_axis(axis, step, user=request.user, expected=request.POST.get("version") or None)
    except editing.StaleChange:
        messages.error(request, _("L’axe a été modifié pendant ce temps : rien n’a été déplacé ; vérifiez l’ordre "
                                  "ci-dessous et recommencez si besoin."))
    except editing.PartGone:
        messages.error(request, _("Cet axe n’existe plus."))
    else:
        if changes:
            messages.success(request, _("Axe « %(title)s » déplacé : il porte maintenant le numéro %(n)s.") % {
                "title": axis.title, "n": axis.number})
        else:
            messages.info(request, _("L’axe est déjà à cette extrémité : rien n’a changé."))
    return redirect(_back(contract, KINDS["axes"]))
