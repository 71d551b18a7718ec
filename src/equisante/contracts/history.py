"""The history of contracts and action sheets: snapshots as text, field-level differences, and the
:class:`~equisante.contracts.models.ChangeRecord` written for every change.

A snapshot writes every tracked field as the text a person reads (labels of choices, names of actors,
« oui / non / non renseigné », grid codes with their labels), so the history stays readable after
the directory or the grid changes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Fields of an action sheet kept in the history, in the order they are shown.
SHEET_FIELDS = [
    "code", "title", "axis", "objectives", "quantified_targets", "description", "publics", "territories", "lead",
    "partners", "other_partners", "budget", "funding_lines", "indicators", "starts_on", "ends_on", "status",
    "ists_contribution", "resident_participation", "evaluation_planned",
    "determinants", "strategies", "approach", "themes", "partner_sectors", "coding_note", "grid_version",
    "coding_validated",
]
CODING_FIELDS = {"determinants", "strategies", "approach", "themes", "partner_sectors", "coding_note",
                 "grid_version", "coding_validated"}

#: Fields of a contract kept in the history.
CONTRACT_FIELDS = [
    "code", "name", "departement", "perimeter", "signatories", "generation", "status", "signed_on", "starts_on",
    "ends_on", "summary", "ists_objective", "ists_objective_text", "diagnosis_summary", "diagnosis_date",
    "diagnosis_with_residents", "diagnosis_covers_determinants", "diagnosis_public",
    "shared_responsibility_stated", "other_ars_directions", "regional_plans_articulated",
    "project_team_pluridisciplinary", "evaluation_plan", "evaluation_note", "methodological_support", "published",
]


def yes_no(value) -> str:
    if value is None:
        return _("non renseigné")
    return _("oui") if value else _("non")


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _field_label(model, name: str) -> str:
    if name == "funding_lines":
        return _("financements")
    if name == "coding_validated":
        return _("codage validé")
    return str(model._meta.get_field(name).verbose_name)


def _codes(version: str, ids) -> str:
    from equisante.contracts.coding import label

    return "; ".join(label(version, i) for i in ids or [])


def sheet_snapshot(sheet) -> dict[str, str]:
    """Every tracked field of a saved sheet as text."""
    from equisante.actionsheets.model import SECTORS

    out = {
        "code": sheet.code,
        "title": sheet.title,
        "axis": str(sheet.axis) if sheet.axis_id else "",
        "objectives": sheet.objectives,
        "quantified_targets": sheet.quantified_targets,
        "description": sheet.description,
        "publics": "; ".join(sheet.publics or []),
        "lead": sheet.lead.name if sheet.lead_id else "",
        "other_partners": "; ".join(sheet.other_partners or []),
        "budget": "" if sheet.budget is None else f"{sheet.budget} €",
        "indicators": sheet.indicators,
        "starts_on": _date(sheet.starts_on),
        "ends_on": _date(sheet.ends_on),
        "status": str(sheet.get_status_display()),
        "ists_contribution": yes_no(sheet.ists_contribution),
        "resident_participation": yes_no(sheet.resident_participation),
        "evaluation_planned": yes_no(sheet.evaluation_planned),
        "determinants": _codes(sheet.grid_version, sheet.determinants),
        "strategies": _codes(sheet.grid_version, sheet.strategies),
        "approach": _codes(sheet.grid_version, [sheet.approach] if sheet.approach else []),
        "themes": _codes(sheet.grid_version, sheet.themes),
        "partner_sectors": "; ".join(SECTORS.get(s, s) for s in sheet.partner_sectors or []),
        "coding_note": sheet.coding_note,
        "grid_version": sheet.grid_version,
        "coding_validated": yes_no(sheet.coding_validated_at is not None),
    }
    if sheet.pk:
        out["territories"] = "; ".join(sorted(t.name for t in sheet.territories.all()))
        out["partners"] = "; ".join(sorted(a.name for a in sheet.partners.all()))
        out["funding_lines"] = "; ".join(
            f"{line.funder_label} {line.amount or '?'} € {line.year or ''}{' (acquis)' if line.secured else ''}".strip()
            for line in sheet.funding_lines.select_related("funder"))
    else:
        out["territories"] = out["partners"] = out["funding_lines"] = ""
    return out


def contract_snapshot(contract) -> dict[str, str]:
    """Every tracked field of a saved contract as text."""
    out = {}
    for name in CONTRACT_FIELDS:
        field = contract._meta.get_field(name)
        if field.many_to_many:
            out[name] = "; ".join(sorted(str(x) for x in getattr(contract, name).all())) if contract.pk else ""
        elif field.is_relation:
            value = getattr(contract, name)
            out[name] = str(value) if value is not None else ""
        elif field.choices:
            out[name] = str(getattr(contract, f"get_{name}_display")()) if getattr(contract, name) else ""
        elif field.get_internal_type() == "BooleanField" and field.null:
            out[name] = yes_no(getattr(contract, name))
        elif field.get_internal_type() == "BooleanField":
            out[name] = _("oui") if getattr(contract, name) else _("non")
        elif field.get_internal_type() == "DateField":
            out[name] = _date(getattr(contract, name))
        else:
            out[name] = str(getattr(contract, name) or "")
    return out


def diff(model, before: dict[str, str], after: dict[str, str], order: list[str]) -> list[dict[str, str]]:
    """The fields whose text changed: ``{"field", "label", "before", "after"}``, in ``order``."""
    return [{"field": name, "label": _field_label(model, name), "before": before.get(name, ""),
             "after": after.get(name, "")}
            for name in order if before.get(name, "") != after.get(name, "")]


def record_change(contract, action: str, user, *, sheet=None, version: int = 0, changes=(), note: str = "",
                  object_label: str | None = None, channel: str | None = None):
    """Write one :class:`ChangeRecord`; ``channel`` (site, admin, cli, import, api, travail) defaults to
    the one of the current request, command or job (:func:`equisante.immutable.current_channel`)."""
    from equisante.contracts.models import ChangeRecord

    from equisante.immutable import current_channel

    if object_label is None:
        object_label = str(sheet) if sheet is not None else str(contract)
    return ChangeRecord.objects.create(
        contract=contract, sheet=sheet, object_label=object_label[:300], action=action,
        user=user if user is not None and user.is_authenticated else None, version=version,
        changes=list(changes), note=note[:300], channel=channel or current_channel())


def describe_changes(records, limit: int = 8) -> str:
    """« titre : « A » → « B » ; budget : « » → « 5000 € » » over several records (for messages)."""
    parts = []
    for record in records:
        for change in record.changes:
            parts.append(f"{change['label']} : « {_short(change['before'])} » → « {_short(change['after'])} »")
    if not parts:
        return _("aucun champ modifié")
    text = " ; ".join(parts[:limit])
    if len(parts) > limit:
        text += ngettext(" ; et %(n)s autre modification", " ; et %(n)s autres modifications", len(parts) - limit) % {
            "n": len(parts) - limit}
    return text


def _short(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
