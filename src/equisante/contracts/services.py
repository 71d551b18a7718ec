"""Every change of a contract or of an action sheet goes through here: checked, written in one
transaction, kept in the history (:mod:`equisante.contracts.history`), and — for sheets — refused
when it was prepared on an older version than the one stored (two people never silently overwrite
each other).

Concurrency: the form carries the ``version`` it was built from; :func:`update_sheet` locks the row
(PostgreSQL) and bumps the version only ``WHERE version = expected`` (every database), so of two
saves prepared on the same version exactly one succeeds; the other gets :class:`StaleEdit`, which
lists what the first person changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from equisante.contracts import history
from equisante.contracts.coding import ordered
from equisante.contracts.models import ActionSheet, Actor, ChangeRecord, Contract, FundingLine
from equisante.errors import EquisanteError

import equisante.contracts.problems  # noqa: F401

#: Sheet fields a coding save may change.
CODING_VALUES = ("determinants", "strategies", "approach", "themes", "partner_sectors", "publics", "coding_note")


class StaleEdit(EquisanteError):
    """A save prepared on version ``expected`` while the sheet is now at ``current``; ``records`` are
    the changes made meanwhile (oldest first)."""

    def __init__(self, sheet: ActionSheet, expected: int, current: int, records: list[ChangeRecord]):
        self.sheet = sheet
        self.expected = expected
        self.current = current
        self.records = records
        who = ", ".join(dict.fromkeys(r.user_label for r in records)) or "une autre personne"
        super().__init__("contract_sheet_stale", sheet=f"{sheet.code} — {sheet.title}", who=who, expected=expected,
                         current=current, changes=history.describe_changes(records))


@dataclass
class Funding:
    """A funding line as entered: a funder (directory actor or a name), an amount (€), a year."""

    funder: Actor | None = None
    funder_name: str = ""
    amount: int | None = None
    year: int | None = None
    secured: bool = False


def _changes_since(sheet: ActionSheet, version: int) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(sheet=sheet, version__gt=version).select_related("user")
                .order_by("version", "at", "id"))


def _apply_relations(sheet: ActionSheet, m2m: Mapping[str, Iterable] | None, funding: list[Funding] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(sheet, name).set(list(values))
    if funding is not None:
        sheet.funding_lines.all().delete()
        FundingLine.objects.bulk_create([
            FundingLine(sheet=sheet, funder=f.funder, funder_name="" if f.funder else f.funder_name, amount=f.amount,
                        year=f.year, secured=f.secured) for f in funding])


def _normalise(values: dict, version: str) -> dict:
    """Codes in grid order without duplicates; empty approach as ""."""
    out = dict(values)
    for name in ("determinants", "strategies", "themes"):
        if name in out:
            out[name] = ordered(version, out[name] or [])
    if "partner_sectors" in out:
        out["partner_sectors"] = list(dict.fromkeys(out["partner_sectors"] or []))
    if "approach" in out:
        out["approach"] = out["approach"] or ""
    for name in ("publics", "other_partners"):
        if name in out:
            out[name] = list(dict.fromkeys(x.strip() for x in out[name] or [] if x and x.strip()))
    return out


def create_sheet(contract: Contract, values: dict, *, m2m: Mapping[str, Iterable] | None = None,
                 funding: list[Funding] | None = None, user=None, action: str = "creation",
                 note: str = "") -> ActionSheet:
    """Create a sheet of ``contract`` from field ``values`` (and relations), recorded in the history."""
    with transaction.atomic():
        version = values.get("grid_version") or ActionSheet._meta.get_field("grid_version").default
        sheet = ActionSheet(contract=contract, **_normalise(values, version))
        sheet.full_clean(validate_unique=True)
        sheet.save()
        _apply_relations(sheet, m2m, funding)
        after = history.sheet_snapshot(sheet)
        changes = history.diff(ActionSheet, {}, after, history.SHEET_FIELDS)
        history.record_change(contract, action, user, sheet=sheet, version=sheet.version, changes=changes, note=note)
    return sheet


def update_sheet(sheet: ActionSheet, values: dict, *, m2m: Mapping[str, Iterable] | None = None,
                 funding: list[Funding] | None = None, user=None, expected_version: int | None = None,
                 action: str = "modification", note: str = "") -> list[dict]:
    """Change a sheet; returns the field-level changes (empty: nothing changed, nothing written).

    ``expected_version``: the version the change was prepared on (None: no check, for imports and
    scripts that read the sheet in the same transaction). Raises :class:`StaleEdit` when the sheet
    has moved on, :class:`django.core.exceptions.ValidationError` when a value is invalid."""
    with transaction.atomic():
        current = (ActionSheet.objects.select_for_update(of=("self",)).select_related("axis", "lead", "contract")
                   .get(pk=sheet.pk))
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit(current, expected_version, current.version, _changes_since(current, expected_version))
        before = history.sheet_snapshot(current)
        values = _normalise(values, values.get("grid_version", current.grid_version))
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean(validate_unique=True)
        # Bump the version only if nobody did it since we read the row: the guard that works on
        # SQLite too (where the row lock above is a no-op).
        bumped = ActionSheet.objects.filter(pk=current.pk, version=current.version).update(version=F("version") + 1)
        if not bumped:
            latest = ActionSheet.objects.get(pk=current.pk)
            raise StaleEdit(latest, current.version, latest.version, _changes_since(latest, current.version))
        current.version += 1
        current.save(update_fields=[*values.keys(), "updated_at"] if values else ["updated_at"])
        _apply_relations(current, m2m, funding)
        after = history.sheet_snapshot(current)
        changes = history.diff(ActionSheet, before, after, history.SHEET_FIELDS)
        if not changes:
            transaction.set_rollback(True)  # nothing changed: keep the version and write no history
            return []
        if action == "modification" and {c["field"] for c in changes} <= history.CODING_FIELDS:
            action = "codage"
        history.record_change(current.contract, action, user, sheet=current, version=current.version,
                              changes=changes, note=note)
    _refresh(sheet, current)
    return changes


def _refresh(target: ActionSheet, source: ActionSheet) -> None:
    """Copy the saved state into the caller's instance."""
    for field in ActionSheet._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def save_coding(sheet: ActionSheet, coding: Mapping, *, user=None, expected_version: int | None = None,
                validate: bool = False, source: str = "saisie") -> list[dict]:
    """Save the coding of a sheet (determinants, strategies, approach, themes, partner sectors, note).

    ``validate``: the person confirms the coding — it is then marked validated (by whom, when) and
    the suggestions learn from it. Saving a changed coding without validating withdraws an earlier
    validation (it no longer describes what was validated)."""
    values = {name: coding[name] for name in CODING_VALUES if name in coding}
    version = coding.get("grid_version", sheet.grid_version)
    values = _normalise(values, version)
    if "grid_version" in coding:
        values["grid_version"] = version
    codes_changed = any(values.get(n, getattr(sheet, n)) != getattr(sheet, n)
                        for n in ("determinants", "strategies", "approach", "themes"))
    if validate:
        values.update(coding_validated_by=user if user is not None and user.is_authenticated else None,
                      coding_validated_at=timezone.now(), coding_source=source)
        action = "validation"
    else:
        if codes_changed:
            values.update(coding_validated_by=None, coding_validated_at=None, coding_source=source)
        action = "codage"
    if validate and not codes_changed and sheet.coding_validated_at is not None:
        # Re-validating an unchanged, already validated coding changes nothing worth a new version.
        values.pop("coding_validated_at")
        values.pop("coding_validated_by")
    return update_sheet(sheet, values, user=user, expected_version=expected_version, action=action)


# --- contracts ----------------------------------------------------------------------------------------

def create_contract(values: dict, *, m2m: Mapping[str, Iterable] | None = None, user=None) -> Contract:
    with transaction.atomic():
        contract = Contract(**values)
        contract.full_clean()
        contract.save()
        for name, items in (m2m or {}).items():
            getattr(contract, name).set(list(items))
        changes = history.diff(Contract, {}, history.contract_snapshot(contract), history.CONTRACT_FIELDS)
        history.record_change(contract, "creation", user, changes=changes)
    return contract


def update_contract(contract: Contract, values: dict, *, m2m: Mapping[str, Iterable] | None = None,
                    user=None) -> list[dict]:
    """Change a contract's fields and relations, kept in the history; returns the changes."""
    with transaction.atomic():
        before = history.contract_snapshot(Contract.objects.get(pk=contract.pk))
        for name, value in values.items():
            setattr(contract, name, value)
        contract.full_clean()
        contract.save()
        for name, items in (m2m or {}).items():
            getattr(contract, name).set(list(items))
        changes = history.diff(Contract, before, history.contract_snapshot(contract), history.CONTRACT_FIELDS)
        if changes:
            history.record_change(contract, "modification", user, changes=changes)
    return changes


def record_contract_change(contract: Contract, before: dict[str, str], user) -> list[dict]:
    """After a contract was saved elsewhere (the admin site): record what changed since ``before``
    (a :func:`~equisante.contracts.history.contract_snapshot`)."""
    changes = history.diff(Contract, before, history.contract_snapshot(contract), history.CONTRACT_FIELDS)
    if changes:
        history.record_change(contract, "modification" if before else "creation", user, changes=changes)
    return changes


def delete_sheet(sheet: ActionSheet, *, user=None, expected_version: int | None = None) -> None:
    """Delete a sheet: a soft delete (an administrator can restore it), its version bumped and its
    last state kept in the history. ``expected_version``: as for :func:`update_sheet`."""
    with transaction.atomic():
        current = ActionSheet.objects.select_for_update(of=("self",)).get(pk=sheet.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit(current, expected_version, current.version, _changes_since(current, expected_version))
        bumped = ActionSheet.objects.filter(pk=current.pk, version=current.version).update(
            version=F("version") + 1, deleted_at=timezone.now(),
            deleted_by=user if user is not None and user.is_authenticated else None)
        if not bumped:
            latest = ActionSheet.all_objects.get(pk=current.pk)
            raise StaleEdit(latest, current.version, latest.version, _changes_since(latest, current.version))
        before = history.sheet_snapshot(current)
        history.record_change(current.contract, "suppression", user, sheet=current, version=current.version + 1,
                              changes=history.diff(ActionSheet, before, {}, history.SHEET_FIELDS),
                              object_label=str(current))
    sheet.deleted_at = timezone.now()


def validation_messages(error: ValidationError) -> list[str]:
    """A model ValidationError as a flat list of French messages (« champ : message »)."""
    if hasattr(error, "error_dict"):
        out = []
        for field, errors in error.message_dict.items():
            label = field if field == "__all__" else str(ActionSheet._meta.get_field(field).verbose_name) \
                if field in {f.name for f in ActionSheet._meta.get_fields()} else field
            out += [msg if field == "__all__" else f"{label} : {msg}" for msg in errors]
        return out
    return list(error.messages)
