"""Creating and editing a contract on the site, and its full history.

The contract form holds two pickers (perimeter, signatories): their « Chercher » buttons post the
whole form, which comes back with the results added as unticked boxes and everything typed kept —
nothing is saved until « Enregistrer le contrat ». A save prepared on a state of the contract that
has changed since is refused (:class:`~equisante.contracts.editing.StaleChange`): the form comes back
with the person's input, what the other person changed, and a fresh version for a knowing re-save.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.contracts import editing, permissions
from equisante.contracts.editing_forms import ContractForm, build_pickers, posted_initial
from equisante.contracts.models import ChangeRecord
from equisante.contracts.views.common import crumbs, editable_contract, visible_contract
from equisante.territories.models import Territory

HISTORY_PAGE = 10


def filing_departements(user):
    """The départements ``user`` may file a contract in: all for a regional administrator, their own
    for a départemental referent, none otherwise."""
    departements = Territory.objects.filter(level="departement")
    if permissions.is_regional_admin(user):
        return departements
    return departements.filter(pk__in=permissions.referent_departements(user))


def _form_page(request, *, contract, form, stale=None, action: str = "", posted=None):
    title = _("Modifier le contrat") if contract else _("Nouveau contrat local de santé")
    links = [(contract.name, contract.get_absolute_url())] if contract else []
    return render(request, "contracts/contract_form.html", {
        "contract": contract,
        "form": form,
        "pickers": build_pickers(form, posted, action),
        "stale": stale,
        "title": title,
        "breadcrumb_data": crumbs(*links, current=title),
    })


def _search_action(request) -> str:
    action = request.POST.get("action", "")
    return action if action.startswith("search-") else ""


@login_required
def contract_create(request):
    """``/contrats/nouveau/``: a regional administrator, or a départemental referent in their département."""
    if not permissions.can_create_contract(request.user):
        raise PermissionDenied(_("Seuls l’administration régionale et les référents départementaux créent des "
                                 "contrats."))
    departements = filing_departements(request.user)
    action = _search_action(request) if request.method == "POST" else ""
    if action:
        form = ContractForm(initial=posted_initial(ContractForm, request.POST), departements=departements)
        return _form_page(request, contract=None, form=form, action=action, posted=request.POST)
    if request.method == "POST":
        form = ContractForm(request.POST, departements=departements)
        if form.is_valid():
            values, m2m = form.values()
            try:
                contract = editing.create_contract(values, m2m=m2m, user=request.user)
            except ValidationError as exc:
                form.add_model_errors(exc)
            else:
                messages.success(request, _("Contrat « %(name)s » créé. Ajoutez maintenant sa gouvernance, ses axes "
                                            "et ses fiches-action.") % {"name": contract.name})
                return redirect(contract.get_absolute_url())
        return _form_page(request, contract=None, form=form, posted=request.POST)
    initial = {"status": "preparation"}
    if departements.count() == 1:
        initial["departement"] = departements.get().pk
    return _form_page(request, contract=None, form=ContractForm(initial=initial, departements=departements))


@login_required
def contract_edit(request, code: str):
    """``/contrats/<code>/modifier/``: its editors (administration, referent of its département, coordinator)."""
    contract = editable_contract(request, code)
    departements = filing_departements(request.user)
    # A coordinator edits their contract but does not move it to another département.
    lock = not permissions.is_regional_admin(request.user) and \
        contract.departement_id not in permissions.referent_departements(request.user)
    options = {"departements": departements, "contract": contract, "lock_departement": lock}
    action = _search_action(request) if request.method == "POST" else ""
    if action:
        posted = posted_initial(ContractForm, request.POST, skip=("departement",) if lock else ())
        form = ContractForm(initial={**ContractForm.initial_from(contract), **posted}, **options)
        return _form_page(request, contract=contract, form=form, action=action, posted=request.POST)
    stale = None
    if request.method == "POST":
        form = ContractForm(request.POST, **options)
        if form.is_valid():
            values, m2m = form.values()
            try:
                saved, changes = editing.save_contract(contract, values, m2m=m2m, user=request.user,
                                                       expected=form.cleaned_data["version"])
            except editing.StaleChange as exc:
                stale = exc
                # The input stays; the hidden version moves to the current state so that a second save,
                # made knowingly, replaces the other person's changes.
                data = request.POST.copy()
                data["version"] = exc.current
                form = ContractForm(data, **options)
                form.is_valid()
            except ValidationError as exc:
                form.add_model_errors(exc)
            else:
                if changes:
                    messages.success(request, ngettext("Contrat enregistré (%(n)s champ modifié).",
                                              "Contrat enregistré (%(n)s champs modifiés).", len(changes))
                                     % {"n": len(changes)})
                else:
                    messages.info(request, _("Aucune modification : rien n’a été enregistré."))
                return redirect(saved.get_absolute_url())
        return _form_page(request, contract=contract, form=form, stale=stale, posted=request.POST)
    return _form_page(request, contract=contract, form=ContractForm(**options))


def about_sheet(record: ChangeRecord) -> bool:
    """Whether a change is about an action sheet (a deleted sheet's record no longer points to it: its
    changes carry the sheet's plain field names, where governance changes carry « kind:id:field »)."""
    if record.sheet_id:
        return True
    return record.action == "suppression" and bool(record.changes) and \
        all(":" not in change["field"] for change in record.changes)


def contract_history(request, code: str):
    """``/contrats/<code>/historique/``: every recorded change, the contract's own (fields, governance,
    axes) or its sheets', newest first, 10 a page (DSFR pagination)."""
    contract = visible_contract(request, code)
    if not permissions.can_view_history(request.user, contract):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(_("L’historique d’un contrat est réservé aux personnes qui ont un rôle sur ce contrat."))
    scope = request.GET.get("objet", "")
    records = ChangeRecord.objects.filter(contract=contract).select_related("user", "sheet__contract")
    if scope in ("contrat", "fiches"):
        wanted = scope == "fiches"
        records = [r for r in records if about_sheet(r) == wanted]
    else:
        scope = ""
    paginator = Paginator(records, HISTORY_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.elided = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return render(request, "contracts/contract_history.html", {
        "contract": contract,
        "page_obj": page,
        "changes": page.object_list,
        "scope": scope,
        "scopes": [("", _("Tout")), ("contrat", _("Le contrat, sa gouvernance et ses axes")),
                   ("fiches", _("Les fiches-action"))],
        "breadcrumb_data": crumbs((contract.name, contract.get_absolute_url()), current=_("Historique")),
    })
