"""Import and export of action sheets in the exchange format (CSV / XLSX, one row per sheet).

Reading and the format's own checks (columns, unknown node ids or contracts, each with its line and
column) belong to :func:`equisante.actionsheets.read_action_sheets`. This module adds what only the
database knows — the rights of the person importing, the stored axes, the state labels, the model's
own rules — and writes all or nothing: when any problem is found, :class:`InputRejected` lists them
and nothing is written. Re-importing a file changes nothing (no new version, no history).

How columns map onto the database:

- ``contract`` + ``code`` identify the sheet: an existing one is updated, otherwise it is created;
- ``axis``: the strategic axis of that contract with this title (« 2. Titre » and « 2 » also find
  axis number 2); an axis that does not exist is created with the next number;
- ``partners``: names of the actors directory (case ignored) become partner actors, the others are
  kept as « autres partenaires »; the lead (porteur) of an existing sheet stays when it is listed;
- ``themes``, ``determinants``, ``strategies``, ``approach``, ``partner_sectors``: the coding; a row
  that brings a different coding marks it validated by the importing person (origin « import »);
- ``objectives``, ``status``, ``ists_contribution``, ``resident_participation``,
  ``evaluation_planned``: copied when the column is present; ``quantified_targets`` and
  ``funding_identified`` are derived on export (from the targets text and the funding lines) and
  ignored on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from equisante.actionsheets import read_action_sheets, write_action_sheets
from equisante.contracts import permissions, services
from equisante.contracts import vocabulary as v
from equisante.contracts.models import DEFAULT_GRID_VERSION, ActionSheet, Actor, Contract, StrategicAxis
from equisante.contracts.selection import action_sheets
from equisante.errors import InputRejected, Location, Problem
from equisante.grid import load_grid
from equisante.numbers import plural

import equisante.contracts.problems  # noqa: F401

_STATUS_BY_TEXT = None


def _status(text: str) -> str | None:
    """The sheet state key for a key or a French label (case and accents ignored); None if unknown."""
    from equisante.grid.lexicon import normalise_label

    global _STATUS_BY_TEXT
    if _STATUS_BY_TEXT is None:
        _STATUS_BY_TEXT = {}
        for key, label in v.SHEET_STATUSES:
            _STATUS_BY_TEXT[normalise_label(key)] = key
            _STATUS_BY_TEXT[normalise_label(str(label))] = key
    return _STATUS_BY_TEXT.get(normalise_label(text))


@dataclass
class ImportReport:
    """What an import did (counts of sheets)."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    axes_created: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        line = (f"{plural(self.total, 'fiche-action lue', 'fiches-action lues')} dans {self.source} : "
                f"{plural(self.created, 'créée')}, {plural(self.updated, 'mise à jour', 'mises à jour')}, "
                f"{plural(self.unchanged, 'inchangée')}.")
        if self.axes_created:
            line += (" Axe créé" if len(self.axes_created) == 1 else " Axes créés") + f" : {', '.join(self.axes_created)}."
        return line


@dataclass
class _Plan:
    contract: Contract
    sheet: ActionSheet | None
    values: dict
    partners: list[Actor]
    axis_title: str


_AXIS_NUMBER = re.compile(r"^\s*(?:axe\s*)?(\d+)\s*(?:[.):\-–]\s*(.*))?$", re.IGNORECASE)


def _find_axis(contract: Contract, axes: list[StrategicAxis], text: str) -> tuple[StrategicAxis | None, bool]:
    """(axis, ambiguous) for the cell text ``text``."""
    folded = text.strip().casefold()
    same = [a for a in axes if a.title.strip().casefold() == folded or str(a).casefold() == folded]
    if len(same) > 1:
        return None, True
    if same:
        return same[0], False
    match = _AXIS_NUMBER.match(text)
    if match:
        number = int(match.group(1))
        rest = (match.group(2) or "").strip().casefold()
        found = [a for a in axes if a.number == number and (not rest or a.title.strip().casefold() == rest)]
        if found:
            return found[0], False
    return None, False


def read_and_plan(source, *, format=None, name=None, user=None):
    """Read and check everything; returns the plan of writes or raises :class:`InputRejected`."""
    contracts = {c.code: c for c in Contract.objects.select_related("departement")}
    grid = load_grid(DEFAULT_GRID_VERSION)
    records = read_action_sheets(source, format=format, known_contracts=contracts.keys(), grid=grid, name=name)
    display = name or (getattr(source, "name", None) if not isinstance(source, (bytes, bytearray)) else None) \
        or (str(source) if isinstance(source, str) else "fichier")
    problems: list[Problem] = []

    if user is not None:
        editable = set(permissions.editable_contracts(user).values_list("code", flat=True))
        forbidden: dict[str, int] = {}
        for record in records:
            if record.contract not in editable:
                forbidden[record.contract] = forbidden.get(record.contract, 0) + 1
        for code, count in forbidden.items():
            problems.append(Problem("contract_import_forbidden", {"user": user.get_username(), "contract": code},
                                    Location(display, column="contract")))

    existing = {(s.contract.code, s.code): s for s in ActionSheet.objects.filter(
        contract__code__in={r.contract for r in records}).select_related("contract", "lead")}
    axes: dict[int, list[StrategicAxis]] = {}
    for axis in StrategicAxis.objects.filter(contract__code__in={r.contract for r in records}):
        axes.setdefault(axis.contract_id, []).append(axis)
    actors = {a.name.casefold(): a for a in Actor.objects.all()}
    accepted_status = ", ".join(f"{k} (« {label} »)" for k, label in v.SHEET_STATUSES)

    plans: list[_Plan] = []
    for record in records:
        contract = contracts[record.contract]
        sheet = existing.get((record.contract, record.code))
        values = {"code": record.code, "title": record.title, "description": record.description,
                  "publics": list(record.publics), "themes": list(record.themes),
                  "determinants": list(record.determinants), "strategies": list(record.strategies),
                  "approach": record.approach or "", "partner_sectors": list(record.partner_sectors)}
        if record.objectives or sheet is None:
            values["objectives"] = record.objectives
        for name_ in ("ists_contribution", "resident_participation", "evaluation_planned"):
            value = getattr(record, name_)
            if value is not None or sheet is None:
                values[name_] = value
        if record.status:
            status = _status(record.status)
            if status is None:
                problems.append(Problem("contract_status_unknown", {"contract": record.contract, "code": record.code,
                                        "status": record.status, "accepted": accepted_status},
                                        Location(display, column="status")))
            else:
                values["status"] = status
        matched, others = [], []
        for partner in record.partners:
            actor = actors.get(partner.casefold())
            (matched if actor is not None else others).append(actor if actor is not None else partner)
        values["other_partners"] = others
        if sheet is not None and sheet.lead_id:
            matched = [a for a in matched if a.pk != sheet.lead_id]
        if record.axis:
            axis, ambiguous = _find_axis(contract, axes.get(contract.pk, []), record.axis)
            if ambiguous:
                problems.append(Problem("contract_axis_ambiguous", {"contract": contract.code, "axis": record.axis},
                                        Location(display, column="axis")))
            values["axis"] = axis
        else:
            values["axis"] = None
        # The model's own rules (code characters, lengths, grid codes), checked before any write.
        probe = ActionSheet(contract=contract, grid_version=DEFAULT_GRID_VERSION,
                            **{k: val for k, val in values.items() if k != "axis"})
        try:
            probe.clean_fields(exclude=["contract", "axis", "lead", "coding_validated_by"])
            probe.clean()
        except ValidationError as exc:
            for message in services.validation_messages(exc):
                problems.append(Problem("contract_sheet_invalid", {"contract": record.contract, "code": record.code,
                                        "message": message}, Location(display, column="code")))
        plans.append(_Plan(contract, sheet, values, matched, record.axis))
    if problems:
        raise InputRejected(display, problems)
    return display, plans


def _coding_changed(sheet: ActionSheet, values: dict) -> bool:
    return any(list(values.get(n) or []) != list(getattr(sheet, n) or []) for n in ("determinants", "strategies",
                                                                                  "themes")) \
        or (values.get("approach") or "") != (sheet.approach or "")


def import_action_sheets(source, *, format: str | None = None, name: str | None = None, user=None) -> ImportReport:
    """Import a CSV / XLSX file of action sheets: all or nothing.

    ``user``: the person importing (rights checked: every contract of the file must be editable by
    them; the coding is validated in their name); None for the command line run by the operator."""
    display, plans = read_and_plan(source, format=format, name=name, user=user)
    report = ImportReport(display)
    actor_user = user if user is not None and getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        new_axes: dict[tuple[int, str], StrategicAxis] = {}
        for plan in plans:
            values = dict(plan.values)
            if plan.axis_title and values.get("axis") is None:
                key = (plan.contract.pk, plan.axis_title.strip().casefold())
                axis = new_axes.get(key)
                if axis is None:
                    number = (StrategicAxis.objects.filter(contract=plan.contract).order_by("-number")
                              .values_list("number", flat=True).first() or 0) + 1
                    axis = StrategicAxis.objects.create(contract=plan.contract, number=number,
                                                        title=plan.axis_title.strip()[:300])
                    new_axes[key] = axis
                    report.axes_created.append(f"{plan.contract.code} {axis}")
                values["axis"] = axis
            coded = any(values.get(n) for n in ("determinants", "strategies", "themes", "approach"))
            if plan.sheet is None:
                if coded:
                    values.update(coding_source="import", coding_validated_by=actor_user,
                                  coding_validated_at=timezone.now())
                services.create_sheet(plan.contract, values, m2m={"partners": plan.partners}, user=actor_user,
                                      action="import", note=f"import de {display}"[:300])
                report.created += 1
                continue
            if coded and _coding_changed(plan.sheet, values):
                values.update(coding_source="import", coding_validated_by=actor_user,
                              coding_validated_at=timezone.now())
            elif not coded and plan.sheet.is_coded:
                values.update(coding_source="", coding_validated_by=None, coding_validated_at=None)
            changes = services.update_sheet(plan.sheet, values, m2m={"partners": plan.partners}, user=actor_user,
                                            action="import", note=f"import de {display}"[:300])
            if changes:
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def export_action_sheets(contracts, fmt: str = "csv") -> bytes:
    """The sheets of ``contracts`` in the exchange format (``csv`` or ``xlsx``), with the optional
    columns; the file re-imports as it is."""
    return write_action_sheets(action_sheets(contracts), format=fmt, grid=load_grid(DEFAULT_GRID_VERSION))


def actions_frame(contract_codes=()):
    """The sheets of the contracts ``contract_codes`` (all when empty) as a table in the exchange
    format (for ``equisante export actions``); ``contract_unknown`` for a code that does not exist."""
    from equisante.actionsheets import action_sheets_frame
    from equisante.errors import EquisanteError

    contracts = Contract.objects.all()
    if contract_codes:
        known = set(contracts.filter(code__in=contract_codes).values_list("code", flat=True))
        unknown = [c for c in contract_codes if c not in known]
        if unknown:
            raise EquisanteError("contract_unknown", code=", ".join(unknown),
                                 known=", ".join(contracts.values_list("code", flat=True)) or "aucun")
        contracts = contracts.filter(code__in=contract_codes)
    return action_sheets_frame(action_sheets(contracts), grid=load_grid(DEFAULT_GRID_VERSION))
