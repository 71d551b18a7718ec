"""Soft deletion and restoration (« corbeille ») of contracts, action sheets, actors and governance
elements.

Nothing of a contract's registry is ever erased by a person: deleting hides the element
(``deleted_at``, ``deleted_by``), writes a « suppression » in the history, and an administrator can
restore it from ``/contrats/corbeille/`` — a « restauration » is written in turn, and the history of
the element, which never left, is read again as it was. Deleting a contract hides its live sheets
with it (same instant); restoring the contract brings back exactly those sheets.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.contracts import editing, history
from equisante.contracts.models import (
    ActionSheet,
    Actor,
    Committee,
    CommitteeMember,
    Contract,
    CoordinatorPost,
    Meeting,
    StrategicAxis,
)
from equisante.errors import EquisanteError

import equisante.jobs.problems  # noqa: F401  (contract_restore_refused)

#: Kinds of restorable elements, as named in the trash's forms.
KINDS = {"contrat": Contract, "fiche": ActionSheet, "acteur": Actor, "instance": Committee,
         "membre": CommitteeMember, "reunion": Meeting, "poste": CoordinatorPost, "axe": StrategicAxis}


def _who(user):
    return user if user is not None and user.is_authenticated else None


def _state_change(key: str, before: str, after: str) -> dict:
    return {"field": key, "label": _("état"), "before": before, "after": after}


def delete_contract(contract: Contract, *, user=None) -> int:
    """Hide a contract and its live sheets; returns the number of sheets hidden with it."""
    with transaction.atomic():
        current = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
        now = timezone.now()
        sheets = ActionSheet.objects.filter(contract=current)
        count = sheets.update(deleted_at=now, deleted_by=_who(user), version=F("version") + 1)
        Contract.objects.filter(pk=current.pk).update(deleted_at=now, deleted_by=_who(user))
        history.record_change(current, "suppression", user, changes=[
            _state_change("deleted", _("en service"), _("supprimé"))],
            note=ngettext("supprimé avec %(n)s fiche-action", "supprimé avec %(n)s fiches-action",
                          count or 1) % {"n": count})  # French: 0 takes the singular
    contract.deleted_at = now
    return count


def contract_of(obj) -> Contract | None:
    if isinstance(obj, Contract):
        return obj
    if isinstance(obj, (CommitteeMember, Meeting)):
        return Committee.all_objects.get(pk=obj.committee_id).contract if obj.committee_id else None
    if isinstance(obj, Actor):
        return None
    return Contract.all_objects.get(pk=obj.contract_id)


def _parent_deleted(obj) -> str:
    """Why ``obj`` cannot come back before something it hangs from, or ""."""
    contract = contract_of(obj)
    if contract is not None and not isinstance(obj, Contract) and contract.is_deleted:
        return _("le contrat %(code)s est lui-même supprimé : le restaurer d'abord") % {"code": contract.code}
    if isinstance(obj, (CommitteeMember, Meeting)):
        committee = Committee.all_objects.get(pk=obj.committee_id)
        if committee.is_deleted:
            return _("l'instance « %(name)s » est elle-même supprimée : la restaurer d'abord") % {"name": committee}
    return ""


def restore(obj, *, user=None) -> int:
    """Bring back a deleted element (and, for a contract, the sheets deleted with it); returns the
    number of elements restored. Refused with ``contract_restore_refused`` when it hangs from a deleted
    element."""
    model = type(obj)
    with transaction.atomic():
        current = model.all_objects.select_for_update(of=("self",)).get(pk=obj.pk)
        if not current.is_deleted:
            return 0
        reason = _parent_deleted(current)
        if reason:
            raise EquisanteError("contract_restore_refused", object=str(current), reason=reason)
        restored = 1
        if isinstance(current, Contract):
            restored += ActionSheet.all_objects.filter(contract=current, deleted_at=current.deleted_at).update(
                deleted_at=None, deleted_by=None, version=F("version") + 1)
            model.all_objects.filter(pk=current.pk).update(deleted_at=None, deleted_by=None)
            history.record_change(current, "restauration", user,
                                  changes=[_state_change("deleted", _("supprimé"), _("en service"))],
                                  note=ngettext("restauré avec %(n)s fiche-action", "restauré avec %(n)s fiches-action",
                                                (restored - 1) or 1) % {"n": restored - 1})
        elif isinstance(current, ActionSheet):
            ActionSheet.all_objects.filter(pk=current.pk).update(deleted_at=None, deleted_by=None,
                                                                 version=F("version") + 1)
            history.record_change(current.contract, "restauration", user, sheet=current, version=current.version + 1,
                                  changes=[_state_change("deleted", _("supprimée"), _("en service"))],
                                  object_label=str(current))
        else:
            model.all_objects.filter(pk=current.pk).update(deleted_at=None, deleted_by=None)
            current.deleted_at = None
            key = f"{editing.KEYS[model]}:{current.pk}:deleted"
            owners = editing._owners(current)
            for contract in owners:
                history.record_change(contract, "restauration", user, object_label=editing.object_label(current),
                                      changes=[_state_change(key, _("supprimé"), _("en service"))])
            if isinstance(current, Actor):
                editing._log_actor(current, "restauration", user, [_state_change(key, _("supprimé"),
                                                                                 _("en service"))])
    return restored


def trash() -> dict[str, list]:
    """The deleted elements an administrator can restore, most recent first, by kind."""
    def deleted(model, *related):
        return list(model.all_objects.filter(deleted_at__isnull=False).select_related("deleted_by", *related)
                    .order_by("-deleted_at"))

    contracts = deleted(Contract, "departement")
    for contract in contracts:
        contract.sheets_with = ActionSheet.all_objects.filter(contract=contract, deleted_at=contract.deleted_at).count()
        contract.history_count = contract.changes.count()
    sheets = [s for s in deleted(ActionSheet, "contract") if not s.contract.is_deleted]
    parts = []
    for model in (StrategicAxis, Committee, CommitteeMember, Meeting, CoordinatorPost):
        for obj in model.all_objects.filter(deleted_at__isnull=False).select_related("deleted_by"):
            contract = contract_of(obj)
            if contract is not None and not contract.is_deleted:
                parts.append({"kind": editing.KEYS[model], "obj": obj, "label": editing.object_label(obj),
                              "contract": contract})
    parts.sort(key=lambda p: p["obj"].deleted_at, reverse=True)
    return {"contracts": contracts, "sheets": sheets, "parts": parts, "actors": deleted(Actor)}
