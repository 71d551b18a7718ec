"""Local health contracts: the contracts the caller may see (published ones for anonymous callers),
their axes and action sheets with their coding on the grid; creating an action sheet with the
validation of the site's form, for the roles allowed to edit the contract.

Who sees what is decided by :mod:`equisante.contracts.permissions`, exactly as on the pages: an
unpublished contract answers 404 to whoever may not see it (its existence is not disclosed).
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import QueryDict
from ninja import Field, Query, Router, Schema, Status

from equisante.api.common import caller, envelope, forbid, paging_headers, representations, require_user, rows_csv
from equisante.api.errors import ApiError, ErrorOut, not_found
from equisante.contracts import permissions, services
from equisante.contracts import vocabulary as v
from equisante.contracts.coding import label as node_label
from equisante.contracts.forms import SheetForm
from equisante.contracts.models import ActionSheet, Contract, StrategicAxis, code_sort_key

router = Router(tags=["Contrats locaux de santé"])
CODING_FIELDS = ("determinants", "strategies", "approach", "themes", "partner_sectors")
SHEET_COLUMNS = ["contract", "code", "title", "axis", "status", "objectives", "quantified_targets", "description",
                 "publics", "determinants", "strategies", "approach", "themes", "partner_sectors", "grid_version",
                 "coding_source", "coding_validated", "ists_contribution", "resident_participation",
                 "evaluation_planned", "starts_on", "ends_on"]


class AxisOut(Schema):
    number: int
    title: str
    description: str


class ContractOut(Schema):
    code: str
    name: str
    kind: str
    departement: str | None = Field(description="Code du département.")
    generation: str
    status: str
    status_label: str
    signed_on: str | None
    starts_on: str | None
    ends_on: str | None
    summary: str
    published: bool
    fictional: bool
    sheets: int = Field(description="Nombre de fiches-action.")
    updated_at: str


class ContractDetail(ContractOut):
    perimeter: list[dict] = Field(description="Territoires du périmètre (niveau, code, nom).")
    axes: list[AxisOut]
    ists_objective: bool | None
    diagnosis_summary: str


class ContractPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[ContractOut]


class CodeOut(Schema):
    id: str
    label: str


class SheetOut(Schema):
    contract: str
    code: str
    title: str
    axis: int | None = Field(description="Numéro de l'axe stratégique.")
    status: str
    objectives: str
    quantified_targets: str
    description: str
    publics: list[str]
    determinants: list[CodeOut]
    strategies: list[CodeOut]
    approach: CodeOut | None
    themes: list[CodeOut]
    partner_sectors: list[str]
    grid_version: str
    coding_source: str
    coding_validated: bool = Field(description="Codage validé par une personne.")
    ists_contribution: bool | None
    resident_participation: bool | None
    evaluation_planned: bool | None
    starts_on: str | None
    ends_on: str | None


class SheetPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[SheetOut]


class SheetIn(Schema):
    """A new action sheet: the fields of the site's form (« Nouvelle fiche-action »)."""

    code: str = Field(max_length=40, description="Unique dans le contrat, par exemple FA-2.3.")
    title: str = Field(max_length=300)
    axis: int | None = Field(None, description="Numéro de l'axe stratégique du contrat.")
    objectives: str = ""
    quantified_targets: str = ""
    description: str = ""
    publics: list[str] = []
    other_partners: list[str] = []
    indicators: list[str] = []
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: Literal["projet", "prevue", "en-cours", "realisee", "abandonnee"] | str = "prevue"
    ists_contribution: bool | None = None
    resident_participation: bool | None = None
    evaluation_planned: bool | None = None


def _date(d) -> str | None:
    return d.isoformat() if d else None


def _contract_out(c: Contract) -> dict:
    return {
        "code": c.code, "name": c.name, "kind": c.kind, "departement": c.departement.code if c.departement_id else None,
        "generation": c.generation, "status": c.status, "status_label": str(dict(v.CONTRACT_STATUSES).get(c.status, "")),
        "signed_on": _date(c.signed_on), "starts_on": _date(c.starts_on), "ends_on": _date(c.ends_on),
        "summary": c.summary, "published": c.published, "fictional": c.fictional,
        "sheets": getattr(c, "n_sheets", None) if getattr(c, "n_sheets", None) is not None else c.sheets.count(),
        "updated_at": c.updated_at.isoformat(),
    }


def visible(request, code: str) -> Contract:
    contract = Contract.objects.select_related("departement").filter(code=code).first()
    if contract is None or not permissions.can_view_contract(caller(request), contract):
        raise not_found(f"Le contrat « {code} »")
    return contract


def _codes(version: str, ids) -> list[dict]:
    return [{"id": i, "label": node_label(version, i)} for i in (ids or [])]


def sheet_out(s: ActionSheet) -> dict:
    version = s.grid_version
    return {
        "contract": s.contract.code, "code": s.code, "title": s.title, "axis": s.axis.number if s.axis_id else None,
        "status": s.status, "objectives": s.objectives, "quantified_targets": s.quantified_targets,
        "description": s.description, "publics": list(s.publics or []),
        "determinants": _codes(version, s.determinants), "strategies": _codes(version, s.strategies),
        "approach": {"id": s.approach, "label": node_label(version, s.approach)} if s.approach else None,
        "themes": _codes(version, s.themes), "partner_sectors": list(s.partner_sectors or []),
        "grid_version": version, "coding_source": s.coding_source, "coding_validated": s.coding_validated_at is not None,
        "ists_contribution": s.ists_contribution, "resident_participation": s.resident_participation,
        "evaluation_planned": s.evaluation_planned, "starts_on": _date(s.starts_on), "ends_on": _date(s.ends_on),
    }


def _flat(out: dict) -> dict:
    flat = dict(out)
    for key in ("determinants", "strategies", "themes"):
        flat[key] = ";".join(c["id"] for c in out[key])
    flat["approach"] = out["approach"]["id"] if out["approach"] else ""
    flat["publics"] = ";".join(out["publics"])
    flat["partner_sectors"] = ";".join(out["partner_sectors"])
    return flat


@router.get("/contrats", response=ContractPage, summary="Contrats locaux de santé",
            description="Les contrats visibles : les contrats publiés sans jeton ; avec un jeton, aussi ceux que "
                        "le compte peut voir. Tri par code.")
def contract_list(request, departement: str | None = Query(None, max_length=10, description="Code du département."),
                  limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    from django.db.models import Count, Q

    queryset = permissions.visible_contracts(caller(request)).select_related("departement")
    if departement:
        queryset = queryset.filter(departement__code=departement)
    queryset = queryset.annotate(n_sheets=Count("sheets", filter=Q(sheets__deleted_at__isnull=True))).order_by("code")
    count = queryset.count()
    return envelope(request, count, limit, offset, [_contract_out(c) for c in queryset[offset: offset + limit]])


@router.get("/contrats/{code}", response=ContractDetail, summary="Un contrat",
            description="Le contrat, son périmètre et ses axes stratégiques.")
def contract_detail(request, code: str):
    contract = visible(request, code)
    out = _contract_out(contract)
    out.update(
        perimeter=[{"level": t.level, "code": t.code, "name": t.name}
                   for t in contract.perimeter.order_by("level", "code")],
        axes=[{"number": a.number, "title": a.title, "description": a.description}
              for a in StrategicAxis.objects.filter(contract=contract).order_by("number", "pk")],
        ists_objective=contract.ists_objective, diagnosis_summary=contract.diagnosis_summary,
    )
    return out


@router.get("/contrats/{code}/fiches", response=SheetPage, summary="Fiches-action d'un contrat",
            description="Les fiches-action et leur codage sur la grille d'analyse (identifiants et libellés). "
                        "Tri par code de fiche (FA-1.2 avant FA-1.10). `format=csv` : codes séparés par « ; ».",
            openapi_extra=representations("csv"))
def sheet_list(request, code: str, format: Literal["json", "csv"] = Query("json"),
               limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    contract = visible(request, code)
    sheets = sorted(ActionSheet.objects.filter(contract=contract).select_related("contract", "axis"),
                    key=lambda s: code_sort_key(s.code))
    count = len(sheets)
    records = [sheet_out(s) for s in sheets[offset: offset + limit]]
    if format == "csv":
        return paging_headers(rows_csv([_flat(r) for r in records], SHEET_COLUMNS, f"{contract.code}-fiches"),
                              request, count, limit, offset)
    return envelope(request, count, limit, offset, records)


@router.get("/contrats/{code}/fiches/{sheet}", response=SheetOut, summary="Une fiche-action")
def sheet_detail(request, code: str, sheet: str):
    contract = visible(request, code)
    found = ActionSheet.objects.filter(contract=contract, code=sheet).select_related("contract", "axis").first()
    if found is None:
        raise not_found(f"La fiche-action « {sheet} » du contrat « {code} »")
    return sheet_out(found)


@router.post("/contrats/{code}/fiches", response={201: SheetOut, 400: ErrorOut, 403: ErrorOut},
             summary="Créer une fiche-action",
             description="Crée une fiche-action avec les contrôles du formulaire du site et son historique. "
                         "Réservé à qui peut modifier le contrat (administration régionale, référent du "
                         "département, coordination du contrat).")
def sheet_create(request, code: str, payload: SheetIn):
    user = require_user(request)
    contract = visible(request, code)
    if not permissions.can_edit_contract(user, contract):
        raise forbid(user, f"modifier le contrat « {contract.code} »")
    data = QueryDict(mutable=True)
    yes_no = {True: "oui", False: "non", None: ""}
    axis = None
    if payload.axis is not None:
        axis = StrategicAxis.objects.filter(contract=contract, number=payload.axis).first()
        if axis is None:
            raise ApiError(400, "api_parameter_invalid", parameter="axis",
                           reason=f"le contrat « {contract.code} » n'a pas d'axe n° {payload.axis}")
    data.update({
        "code": payload.code, "title": payload.title, "axis": str(axis.pk) if axis else "",
        "objectives": payload.objectives, "quantified_targets": payload.quantified_targets,
        "description": payload.description, "publics": "\n".join(payload.publics),
        "other_partners": "\n".join(payload.other_partners), "indicators": "\n".join(payload.indicators),
        "starts_on": _date(payload.starts_on) or "", "ends_on": _date(payload.ends_on) or "",
        "status": payload.status, "ists_contribution": yes_no[payload.ists_contribution],
        "resident_participation": yes_no[payload.resident_participation],
        "evaluation_planned": yes_no[payload.evaluation_planned],
    })
    form = SheetForm(data, contract=contract)
    if not form.is_valid():
        errors = [f"{name} : {message}" for name, messages in form.errors.items() for message in messages]
        raise ApiError(400, "api_request_invalid", reason="la fiche-action ne passe pas les contrôles du formulaire",
                       errors=errors)
    values, m2m, funding = form.values()
    try:
        sheet = services.create_sheet(contract, values, m2m=m2m, funding=funding, user=user)
    except ValidationError as exc:
        raise ApiError(400, "api_request_invalid", reason="la fiche-action ne passe pas les contrôles",
                       errors=services.validation_messages(exc)) from exc
    return Status(201, sheet_out(ActionSheet.objects.select_related("contract", "axis").get(pk=sheet.pk)))
