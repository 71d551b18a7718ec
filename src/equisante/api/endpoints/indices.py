"""Composite indices (IDH-2, FDep, EDI, composites), their dated rules and the priority classes, as
the prioritisation page computes them (:func:`equisante.prioritisation.classing.classify`)."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from equisante.api.common import caller, clean, envelope, paging_headers, representations, rows_csv, split_ref
from equisante.api.endpoints.territories import LevelName, find
from equisante.api.errors import invalid, not_found
from equisante.indicators.views import within
from equisante.prioritisation.classing import classify
from equisante.prioritisation.models import IndexDefinition, IndexResult, PriorityRule
from equisante.prioritisation.results import direction_text, primary_rule
from equisante.territories.levels import ORDER
from equisante.territories.models import Territory

router = Router(tags=["Indices et priorisation"])
CLASS_COLUMNS = ["index", "level", "period", "code", "name", "value", "population", "rank", "class_rank",
                 "class_label", "eligible", "reason"]


class ResultOut(Schema):
    level: str
    period: str
    method: str
    vintage: int | None
    territories: int
    territories_missing: int
    aggregated_from: str
    computed_at: str


class RuleOut(Schema):
    code: str
    label: str
    index: str
    policy: str
    kind: Literal["threshold", "quantile"]
    operator: str
    threshold: float | None
    valid_from: str | None
    valid_to: str | None
    classes: int | None
    eligibility: bool = Field(description="La règle décide de l'éligibilité (contrats locaux de santé…).")
    primary: bool
    source: str
    exceptions: list[dict]


class IndexOut(Schema):
    code: str
    label: str
    method: str
    direction: str
    higher_is_worse: bool
    base_level: str
    inputs: dict | list
    parameters: dict
    description: str
    reference: str
    fictional: bool
    results: list[ResultOut]
    rules: list[str]


class ClassRow(Schema):
    index: str
    level: str
    period: str
    code: str
    name: str
    value: float | None
    population: float | None
    rank: int | None = Field(description="Rang, 1 = le plus défavorisé.")
    class_rank: int | None = Field(description="Classe, 1 = la plus prioritaire.")
    class_label: str
    eligible: bool | None
    reason: str


class ClassPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    rule: str = Field(description="La règle appliquée, en français (vide sans règle).")
    rule_code: str | None
    on: str = Field(description="Date à laquelle la règle datée est appliquée.")
    classes: list[dict]
    results: list[ClassRow]


def _rule_out(rule: PriorityRule) -> dict:
    return {
        "code": rule.code, "label": rule.label, "index": rule.index.code, "policy": rule.policy, "kind": rule.kind,
        "operator": rule.operator, "threshold": rule.threshold,
        "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None, "classes": rule.classes,
        "eligibility": rule.eligibility, "primary": rule.primary, "source": rule.source,
        "exceptions": [{"territory": f"{e.territory.level}:{e.territory.code}", "reason": e.reason,
                        "valid_from": e.valid_from.isoformat() if e.valid_from else None,
                        "valid_to": e.valid_to.isoformat() if e.valid_to else None}
                       for e in rule.exceptions.select_related("territory").order_by("territory__code", "pk")],
    }


def _index_out(d: IndexDefinition) -> dict:
    rank = {lv.value: i for i, lv in enumerate(ORDER)}
    results = sorted(d.results.all(), key=lambda r: (rank.get(r.level, 99), r.period))
    return {
        "code": d.code, "label": d.label, "method": d.method, "direction": direction_text(d),
        "higher_is_worse": d.higher_is_worse, "base_level": d.base_level, "inputs": d.inputs,
        "parameters": d.parameters, "description": d.description, "reference": d.reference,
        "fictional": d.fictional,
        "results": [{"level": r.level, "period": r.period, "method": r.method, "vintage": r.vintage,
                     "territories": r.territories, "territories_missing": r.territories_missing,
                     "aggregated_from": r.aggregated_from, "computed_at": r.computed_at.isoformat()}
                    for r in results],
        "rules": list(d.rules.order_by("code").values_list("code", flat=True)) if hasattr(d, "rules") else [],
    }


def _definition(code: str) -> IndexDefinition:
    found = IndexDefinition.objects.filter(code=code).first()
    if found is None:
        raise not_found(f"L'indice « {code} »")
    return found


@router.get("/indices", response=list[IndexOut], summary="Indices composites",
            description="Les indices définis, leurs résultats calculés (niveaux, périodes) et leurs règles.")
def index_list(request):
    caller(request)
    return [_index_out(d) for d in IndexDefinition.objects.order_by("code").prefetch_related("results")]


@router.get("/indices/{code}", response=IndexOut, summary="Un indice")
def index_detail(request, code: str):
    return _index_out(_definition(code))


@router.get("/regles", response=list[RuleOut], summary="Règles de priorisation",
            description="Règles datées (seuils) et classes de quantiles, avec leurs exceptions motivées.")
def rule_list(request):
    caller(request)
    return [_rule_out(r) for r in PriorityRule.objects.select_related("index").order_by("index__code", "code")]


@router.get("/indices/{code}/classes", response=ClassPage, summary="Valeurs et classes de priorité",
            description="Valeurs de l'indice, rang (1 = le plus défavorisé), classe de priorité et éligibilité "
                        "selon la règle (par défaut la règle de référence de l'indice, en vigueur à la date `on`), "
                        "comme sur la page de priorisation. Tri : du plus défavorisé au moins défavorisé.",
            openapi_extra=representations("csv"))
def index_classes(request, code: str,
                  level: LevelName | None = Query(None, description="Niveau (par défaut le niveau de base)."),
                  period: str | None = Query(None, max_length=20, description="Période (par défaut la plus récente)."),
                  rule: str | None = Query(None, max_length=64, description="Code de la règle ; `aucune` : sans règle."),
                  on: datetime.date | None = Query(None, description="Date d'application de la règle datée."),
                  within_: str | None = Query(None, alias="within", max_length=60,
                                              description="Seulement dans ce territoire (« niveau:code »)."),
                  format: Literal["json", "csv"] = Query("json"),
                  limit: int = Query(1000, ge=1, le=50000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    definition = _definition(code)
    level = level or definition.base_level
    results = IndexResult.objects.filter(definition=definition, level=level)
    if period:
        results = results.filter(period=period)
    result = results.order_by("-period", "-computed_at").first()
    if result is None:
        raise not_found(f"Le résultat de l'indice « {code} » au niveau « {level} »"
                        + (f" pour la période « {period} »" if period else ""))
    if rule in (None, ""):
        chosen = primary_rule(definition)
    elif rule == "aucune":
        chosen = None
    else:
        chosen = PriorityRule.objects.filter(index=definition, code=rule).first()
        if chosen is None:
            raise invalid("rule", f"l'indice « {code} » n'a pas de règle « {rule} »")
    on = on or datetime.date.today()
    classification = classify(result, chosen, on=on)
    rows = classification.rows
    if within_:
        area_level, area_code = split_ref(within_, "within")
        if area_level not in {lv.value for lv in ORDER}:
            raise invalid("within", f"niveau « {area_level} » inconnu")
        area = find(area_level, area_code)
        inside = set(Territory.objects.filter(level=level).filter(within(area, level)).values_list("id", flat=True))
        rows = rows[rows["territory_id"].isin(inside)].reset_index(drop=True)
    count = len(rows)
    page = rows.iloc[offset: offset + limit]
    records = []
    for row in page.to_dict("records"):
        eligible = clean(row["eligible"])
        records.append({
            "index": definition.code, "level": level, "period": result.period, "code": row["code"],
            "name": row["name"], "value": clean(row["value"]), "population": clean(row["population"]),
            "rank": clean(row["rank"]), "class_rank": clean(row["class_rank"]),
            "class_label": row["class_label"] or "", "eligible": None if eligible is None else bool(eligible),
            "reason": row["reason"] or "",
        })
    if format == "csv":
        response = rows_csv(records, CLASS_COLUMNS, f"{definition.code}-classes")
        return paging_headers(response, request, count, limit, offset)
    out = envelope(request, count, limit, offset, records)
    out.update(rule=classification.rule_text or classification.error or "",
               rule_code=chosen.code if chosen else None, on=on.isoformat(),
               classes=[{"class_rank": r, "label": label} for r, label in classification.classes])
    return out
