"""Changes made on the site to a contract, its governance (committees, members, meetings, coordinator
posts), its strategic axes and the actors directory: checked, written in one transaction, kept in the
history (:class:`~equisante.contracts.models.ChangeRecord`, who, when, what), and refused when they
were prepared on a state that has changed since.

Versions. Action sheets carry a version number; contracts and the governance rows do not, so their
version is the *content*: a form carries an edit token ``"<fingerprint>|<prepared at>"`` where the
fingerprint is a short hash of the element's tracked fields as text (the history snapshot) when the
form was built. Saving compares it with the stored element under a row lock (PostgreSQL) and writes
only ``WHERE`` the row still holds what was just read (every database, SQLite included): of two
saves prepared on the same state, one passes, the other gets :class:`StaleChange`, which lists the
changes recorded since the form was prepared. As for the sheets, the page then shows the form again
with the person's input and a fresh token, so that saving again is a deliberate choice.

History keys. Changes of the contract's own fields use the field name (``"status"``), as
:mod:`equisante.contracts.services` writes them; changes of a governance element or an actor use
``"<kind>:<id>:<field>"`` (``"reunion:12:minutes"``) so that the changes of one element can be found
again. An actor belongs to no contract: its changes are written in the history of every contract
that uses it (signatory, member, employer, lead, partner, funder) and in the administration's log.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.contracts import history, services
from equisante.contracts.models import (
    Actor,
    ChangeRecord,
    Committee,
    CommitteeMember,
    Contract,
    CoordinatorPost,
    Meeting,
    StrategicAxis,
)
from equisante.errors import EquisanteError
from equisante.numbers import plural

import equisante.contracts.problems  # noqa: F401  (declares the catalogue codes used here)

#: Tracked fields of each editable element, in the order the history shows them.
TRACKED = {
    Committee: ("kind", "name", "chair"),
    CommitteeMember: ("committee", "actor", "person", "role", "resident"),
    Meeting: ("committee", "date", "agenda", "minutes"),
    CoordinatorPost: ("holder", "employer", "fte", "annual_cost", "ars_funding", "other_funding", "since"),
    StrategicAxis: ("number", "title", "description"),
    Actor: ("name", "sector", "kind", "departement", "description"),
}

#: The kind of each element in history keys (« reunion:12:minutes »).
KEYS = {Committee: "instance", CommitteeMember: "membre", Meeting: "reunion", CoordinatorPost: "poste",
        StrategicAxis: "axe", Actor: "acteur"}

#: How to reach the contract from each governance element (for lookups scoped to one contract).
CONTRACT_PATH = {Committee: "contract", CommitteeMember: "committee__contract", Meeting: "committee__contract",
                 CoordinatorPost: "contract", StrategicAxis: "contract"}


# --- errors ---------------------------------------------------------------------------------------------

def _who(records: list[ChangeRecord]) -> str:
    return ", ".join(dict.fromkeys(r.user_label for r in records)) or _("une autre personne")


class StaleChange(EquisanteError):
    """A save prepared on a state that has changed since. ``records``: the changes recorded since the
    form was prepared (oldest first); ``current``: a token of the current state, for a knowing re-save."""

    def __init__(self, label: str, records: list[ChangeRecord], current: str, who: str | None = None):
        self.label = label
        self.records = records
        self.current = current
        super().__init__("contract_change_stale", object=label, who=who or _who(records),
                         changes=history.describe_changes(records))


class PartGone(EquisanteError):
    """The element being edited was deleted meanwhile; ``records``: its deletion, when recorded."""

    def __init__(self, label: str, records: list[ChangeRecord]):
        self.label = label
        self.records = records
        super().__init__("contract_part_gone", object=label, who=_who(records))


class PartInUse(EquisanteError):
    """The element cannot be deleted without losing what hangs from it (sheets, meetings…)."""

    def __init__(self, label: str, reason: str):
        self.label = label
        self.reason = reason
        super().__init__("contract_part_in_use", object=label, reason=reason)


# --- text of an element ---------------------------------------------------------------------------------

def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def field_text(obj, name: str) -> str:
    """One field of ``obj`` as the text a person reads (labels, names, dates, « oui / non »)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None or value == "":
        return history.yes_no(None) if field.get_internal_type() == "BooleanField" and field.null else ""
    if field.is_relation:
        return str(value)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return history.yes_no(value)
    if kind == "DateField":
        return _date(value)
    if isinstance(value, (Decimal, float)):
        # decimal comma, two places: 0,80 ETP reads the same whether typed 0.8 or 0,80
        return f"{Decimal(value):.2f}".replace(".", ",")
    return str(value)


def values_text(obj) -> dict[str, str]:
    """Every tracked field of an element as text (its history snapshot)."""
    return {name: field_text(obj, name) for name in TRACKED[type(obj)]}


def object_label(obj) -> str:
    """How an element is named in the history and the messages."""
    if isinstance(obj, Committee):
        return _("Instance « %(name)s »") % {"name": obj}
    if isinstance(obj, CommitteeMember):
        return _("Membre « %(member)s » de « %(committee)s »") % {"member": obj, "committee": obj.committee}
    if isinstance(obj, Meeting):
        return _("Réunion du %(date)s de « %(committee)s »") % {"date": _date(obj.date), "committee": obj.committee}
    if isinstance(obj, CoordinatorPost):
        return _("Poste de coordination « %(holder)s »") % {"holder": obj.holder or _("sans titulaire")}
    if isinstance(obj, StrategicAxis):
        return _("Axe %(n)s « %(title)s »") % {"n": obj.number, "title": obj.title}
    if isinstance(obj, Actor):
        return _("Annuaire : %(name)s") % {"name": obj.name}
    return str(obj)


def _changes(obj, before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """Field-level differences with ``kind:id:field`` keys and the field's French label."""
    key = KEYS[type(obj)]
    return [{"field": f"{key}:{obj.pk}:{name}", "label": str(obj._meta.get_field(name).verbose_name),
             "before": before.get(name, ""), "after": after.get(name, "")}
            for name in TRACKED[type(obj)] if before.get(name, "") != after.get(name, "")]


# --- versions (edit tokens) -------------------------------------------------------------------------------

def fingerprint(snapshot: Mapping[str, str]) -> str:
    """A short hash of a snapshot: equal snapshots, equal fingerprints."""
    text = json.dumps(dict(snapshot), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def make_token(snapshot: Mapping[str, str]) -> str:
    """The token a form carries: the fingerprint of what it shows and when it was prepared."""
    return f"{fingerprint(snapshot)}|{timezone.now().isoformat()}"


def parse_token(token: str | None) -> tuple[str, datetime.datetime | None]:
    """(fingerprint, prepared at) of a token; ("", None) when missing or unreadable."""
    digest, _sep, when = (token or "").partition("|")
    try:
        prepared = datetime.datetime.fromisoformat(when) if when else None
    except ValueError:
        prepared = None
    return digest, prepared


def contract_token(contract: Contract) -> str:
    return make_token(history.contract_snapshot(contract))


def part_token(obj) -> str:
    return make_token(values_text(obj))


def _records_since(prepared: datetime.datetime | None, *, contracts: Iterable[Contract] | None,
                   prefix: str | None) -> list[ChangeRecord]:
    """Changes recorded after ``prepared`` touching the contract's own fields (``prefix`` None) or one
    element (keys starting with ``prefix``), oldest first, without the copies an actor change leaves in
    several contracts."""
    queryset = ChangeRecord.objects.filter(sheet=None).select_related("user").order_by("at", "id")
    if contracts is not None:
        queryset = queryset.filter(contract__in=list(contracts))
    if prepared is not None:
        queryset = queryset.filter(at__gt=prepared)
    else:
        queryset = queryset.filter(at__gt=timezone.now() - datetime.timedelta(days=1))
    out, seen = [], set()
    for record in queryset:
        fields = [c["field"] for c in record.changes]
        mine = [f for f in fields if (f.startswith(prefix) if prefix else ":" not in f)]
        if not mine:
            continue
        signature = (record.user_id, record.action, json.dumps(record.changes, sort_keys=True))
        if signature not in seen:
            seen.add(signature)
            out.append(record)
    return out


def _prefix(obj) -> str:
    return f"{KEYS[type(obj)]}:{obj.pk}:"


# --- the contract ---------------------------------------------------------------------------------------

def create_contract(values: dict, *, m2m: Mapping[str, Iterable] | None = None, user=None) -> Contract:
    """A new contract, recorded as a creation (see :func:`equisante.contracts.services.create_contract`)."""
    return services.create_contract(values, m2m=m2m, user=user)


def save_contract(contract: Contract, values: dict, *, m2m: Mapping[str, Iterable] | None = None, user=None,
                  expected: str | None) -> tuple[Contract, list[dict]]:
    """Change a contract's fields and relations; returns (the saved contract, the changes).

    ``expected``: the token the form was prepared with. Raises :class:`StaleChange` when the contract
    changed since, :class:`django.core.exceptions.ValidationError` when a value is invalid."""
    digest, prepared = parse_token(expected)
    with transaction.atomic():
        current = Contract.objects.select_for_update(of=("self",)).select_related("departement").get(pk=contract.pk)
        now_snapshot = history.contract_snapshot(current)
        if digest != fingerprint(now_snapshot):
            raise StaleChange(str(current), _records_since(prepared, contracts=[current], prefix=None),
                              make_token(now_snapshot))
        # Claim the row only if nobody saved it since it was read: the guard that holds on SQLite too,
        # where the row lock above does nothing.
        claimed = Contract.objects.filter(pk=current.pk, updated_at=current.updated_at).update(
            updated_at=timezone.now())
        if not claimed:
            latest = Contract.objects.get(pk=current.pk)
            raise StaleChange(str(latest), _records_since(prepared, contracts=[latest], prefix=None),
                              contract_token(latest))
        changes = services.update_contract(current, values, m2m=m2m, user=user)
    return current, changes


# --- governance elements and axes -----------------------------------------------------------------------

def _contract_of(obj) -> Contract:
    if isinstance(obj, (CommitteeMember, Meeting)):
        return obj.committee.contract
    return obj.contract


def _owners(obj) -> list[Contract]:
    """The contracts whose history records a change of ``obj``."""
    if isinstance(obj, Actor):
        return list(contracts_using(obj))
    return [_contract_of(obj)]


def contracts_using(actor: Actor):
    """Contracts where ``actor`` appears: signatory, committee member, employer of a coordinator,
    lead, partner or funder of an action sheet."""
    return Contract.objects.filter(
        Q(signatories=actor) | Q(committees__members__actor=actor) | Q(coordinator_posts__employer=actor)
        | Q(sheets__lead=actor) | Q(sheets__partners=actor) | Q(sheets__funding_lines__funder=actor)
    ).distinct().order_by("code")


def _record(obj, action: str, user, changes: list[dict], label: str | None = None) -> None:
    label = label or object_label(obj)
    for contract in _owners(obj):
        history.record_change(contract, action, user, changes=changes, object_label=label)
    if isinstance(obj, Actor):
        _log_actor(obj, action, user, changes)


def _log_actor(actor: Actor, action: str, user, changes: list[dict]) -> None:
    """An actor used by no contract has no contract history: the administration's log keeps it too."""
    if user is None or not user.is_authenticated:
        return
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

    flag = {"creation": ADDITION, "suppression": DELETION}.get(action, CHANGE)
    message = " ; ".join(f"{c['label']} : « {c['before']} » → « {c['after']} »" for c in changes)
    LogEntry.objects.log_actions(user_id=user.pk, queryset=[actor], action_flag=flag, change_message=message,
                                 single_object=True)


def _row(obj) -> dict:
    """The stored columns of ``obj`` (for the compare-and-set update)."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def create_part(model, values: dict, *, user=None):
    """A new governance element, axis or actor from field ``values``, recorded as a creation."""
    with transaction.atomic():
        obj = model(**values)
        obj.full_clean()
        obj.save()
        _record(obj, "creation", user, _changes(obj, {}, values_text(obj)))
    return obj


def save_part(obj, values: dict, *, user=None, expected: str | None) -> list[dict]:
    """Change an element; returns the field-level changes (empty: nothing changed, nothing written).

    ``expected``: the token the form was prepared with. Raises :class:`StaleChange` when the element
    changed since, :class:`PartGone` when it was deleted, ``ValidationError`` on an invalid value."""
    model = type(obj)
    digest, prepared = parse_token(expected)
    with transaction.atomic():
        current = model.objects.select_for_update(of=("self",)).filter(pk=obj.pk).first()
        if current is None:
            raise PartGone(object_label(obj), _deletion_records(obj, prepared))
        before = values_text(current)
        if digest != fingerprint(before):
            raise StaleChange(object_label(current), _part_records_since(current, prepared), make_token(before),
                              who=_actor_editor(current, prepared))
        row = _row(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        after = values_text(current)
        changes = _changes(current, before, after)
        if not changes:
            return []
        # Write only where the row still holds what was read (the guard that holds on SQLite too).
        written = model.objects.filter(pk=current.pk, **row).update(**_row(current))
        if not written:
            latest = model.objects.filter(pk=current.pk).first()
            if latest is None:
                raise PartGone(object_label(current), _deletion_records(current, prepared))
            raise StaleChange(object_label(latest), _part_records_since(latest, prepared), part_token(latest))
        _record(current, "modification", user, changes)
    for name in values:
        setattr(obj, name, getattr(current, name))
    return changes


def _part_records_since(obj, prepared) -> list[ChangeRecord]:
    contracts = None if isinstance(obj, Actor) else [_contract_of(obj)]
    return _records_since(prepared, contracts=contracts, prefix=_prefix(obj))


def _deletion_records(obj, prepared) -> list[ChangeRecord]:
    return [r for r in _part_records_since(obj, prepared) if r.action == "suppression"]


def _actor_editor(obj, prepared) -> str | None:
    """Who changed an actor used by no contract (from the administration's log), else None."""
    if not isinstance(obj, Actor) or _part_records_since(obj, prepared):
        return None
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Actor), object_id=str(obj.pk))
    if prepared is not None:
        entries = entries.filter(action_time__gt=prepared)
    names = list(dict.fromkeys(e.user.get_username() for e in entries.select_related("user")))
    return ", ".join(names) or None


def deletion_blocker(obj) -> str:
    """Why ``obj`` may not be deleted (in French), or "" when it may."""
    if isinstance(obj, StrategicAxis):
        n = obj.sheets.count()
        if n:
            return ngettext("%(n)s fiche-action y est rattachée : la déplacer vers un autre axe d'abord",
                            "%(n)s fiches-action y sont rattachées : les déplacer vers un autre axe d'abord", n) % {"n": n}
    if isinstance(obj, Committee):
        members, meetings = obj.members.count(), obj.meetings.count()
        if members + meetings == 1:
            return (_("l'instance a 1 membre : le retirer d'abord") if members
                    else _("l'instance a 1 réunion : la retirer d'abord"))
        if members or meetings:
            held = [plural(count, word) for count, word in ((members, "membre"), (meetings, "réunion")) if count]
            return _("l'instance a %(held)s : les retirer d'abord") % {"held": " et ".join(held)}
    if isinstance(obj, Actor) and contracts_using(obj).exists():
        return _("l'acteur figure dans des contrats ou des fiches-action")
    return ""


def delete_part(obj, *, user=None, expected: str | None = None) -> None:
    """Delete an element, its last state kept in the history (a meeting's minutes stay readable there).

    Refused with :class:`PartInUse` when something hangs from it (see :func:`deletion_blocker`), with
    :class:`StaleChange` when it changed since ``expected`` was prepared (None: no check)."""
    model = type(obj)
    digest, prepared = parse_token(expected)
    with transaction.atomic():
        current = model.objects.select_for_update(of=("self",)).filter(pk=obj.pk).first()
        if current is None:
            raise PartGone(object_label(obj), _deletion_records(obj, prepared))
        before = values_text(current)
        if expected is not None and digest != fingerprint(before):
            raise StaleChange(object_label(current), _part_records_since(current, prepared), make_token(before))
        reason = deletion_blocker(current)
        if reason:
            raise PartInUse(object_label(current), reason)
        label = object_label(current)
        owners = _owners(current)
        changes = _changes(current, before, {})
        for contract in owners:
            history.record_change(contract, "suppression", user, changes=changes, object_label=label)
        if isinstance(current, Actor):
            _log_actor(current, "suppression", user, changes)
        # A soft delete: the element stays, hidden, and an administrator can restore it (« corbeille »).
        model.objects.filter(pk=current.pk).update(
            deleted_at=timezone.now(), deleted_by=user if user is not None and user.is_authenticated else None)


def move_axis(axis: StrategicAxis, step: int, *, user=None, expected: str | None = None) -> list[dict]:
    """Swap ``axis`` with the previous (``step`` -1) or next (+1) axis of its contract; returns the
    changes (empty when it is already first or last). Sheets follow their axis."""
    digest, prepared = parse_token(expected)
    with transaction.atomic():
        axes = list(StrategicAxis.objects.select_for_update().filter(contract_id=axis.contract_id).order_by("number"))
        current = next((a for a in axes if a.pk == axis.pk), None)
        if current is None:
            raise PartGone(object_label(axis), _deletion_records(axis, prepared))
        if expected is not None and digest != fingerprint(values_text(current)):
            raise StaleChange(object_label(current), _part_records_since(current, prepared), part_token(current))
        index = axes.index(current) + step
        if not 0 <= index < len(axes):
            return []
        other = axes[index]
        first, second = current.number, other.number
        # The numbers are unique within a contract: park one axis on a free number during the swap.
        free = (StrategicAxis.all_objects.filter(contract_id=axis.contract_id).aggregate(m=Max("number"))["m"] or 0) + 1
        StrategicAxis.objects.filter(pk=current.pk).update(number=free)
        StrategicAxis.objects.filter(pk=other.pk).update(number=first)
        StrategicAxis.objects.filter(pk=current.pk).update(number=second)
        changes = []
        for moved, before, after in ((current, first, second), (other, second, first)):
            change = {"field": f"axe:{moved.pk}:number",
                      "label": str(StrategicAxis._meta.get_field("number").verbose_name),
                      "before": str(before), "after": str(after)}
            moved.number = after
            history.record_change(moved.contract, "modification", user, changes=[change],
                                  object_label=object_label(moved))
            changes.append(change)
    axis.number = current.number
    return changes


def next_axis_number(contract: Contract) -> int:
    # deleted axes keep their number (they may be restored): count them too
    return (StrategicAxis.all_objects.filter(contract=contract).aggregate(m=Max("number"))["m"] or 0) + 1


def gone(model, pk: int, contract: Contract, token: str | None) -> PartGone:
    """The :class:`PartGone` for an element that no longer exists (its deletion found in the history)."""
    _digest, prepared = parse_token(token)
    records = [r for r in _records_since(prepared, contracts=[contract], prefix=f"{KEYS[model]}:{pk}:")
               if r.action == "suppression"]
    label = records[-1].object_label if records else str(model._meta.verbose_name)
    return PartGone(label, records)
