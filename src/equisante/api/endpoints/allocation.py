"""Allocation: the saved scenarios (their rule parameters, the allocation recomputed from the store
territory by territory, its totals and its comparison with the flat per-capita share) and the register
of grants actually handed out.

Who sees what mirrors the site: the allocation pages (``/allocation/``, ``/allocation/subventions/``)
are open to every signed-in person and to nobody else, so these operations answer ``401``
(``api_token_missing``) without a token and read everything with any valid personal token.

The allocation is computed as the scenario's page computes it
(:func:`equisante.allocation.building.build`); the table of amounts has the columns of the page's
export (:func:`equisante.allocation.views.export_frame`); the gap to the flat share comes from the pure
core (:func:`equisante.allocation.compare`).
"""

from __future__ import annotations

import math
from typing import Literal

from ninja import Field, Path, Query, Router, Schema

from equisante.allocation import compare
from equisante.allocation.errors import AllocationError
from equisante.allocation.models import RESOURCE_UNITS, SOURCE_CHOICES, Grant, Scenario
from equisante.api.common import clean, envelope, paging_headers, representations, require_user, rows_csv, split_ref
from equisante.api.errors import ApiError, ErrorOut, not_found

router = Router(tags=["Allocation"])

SCENARIO_COLUMNS = ["id", "name", "resource", "total", "unit", "level", "area", "zone", "selection", "population_year",
                    "measure_kind", "measure", "measure_period", "weighting", "gradient_high", "gradient_low",
                    "deprivation", "floor", "cap", "adjustments", "applies_on", "outcome_indicator",
                    "outcome_period", "fictional", "updated_at"]
AMOUNT_COLUMNS = ["code", "name", "departement", "population", "population_year", "measure", "deprivation",
                  "deprivation_class", "weight", "adjusted_weight", "adjustments", "allocation", "units", "flat",
                  "difference", "per_capita", "flat_per_capita", "outcome"]
GRANT_COLUMNS = ["id", "level", "code", "name", "year", "programme", "funder", "amount", "source", "reference",
                 "note"]
SourceName = Literal[tuple(key for key, _label in SOURCE_CHOICES)]  # the register's origins


# --- schemas ----------------------------------------------------------------------------------------

class ScenarioTerritoryOut(Schema):
    level: str
    code: str
    name: str


class AllocationAdjustmentOut(Schema):
    territories: list[str] = Field(description="Codes des territoires concernés.")
    factor: float = Field(description="Coefficient appliqué au poids (1,1 = +10 %).")
    reason: str
    starts: str | None = Field(None, description="Début de validité (AAAA-MM-JJ).")
    ends: str | None = Field(None, description="Fin de validité (AAAA-MM-JJ), vide : sans fin.")
    column: str = Field("code", description="Colonne où chercher les codes (`code` ou `departement`).")


class ScenarioOut(Schema):
    id: int
    name: str
    description: str
    resource: str = Field(description="`euros`, `doses`, `posts` (postes) ou `hours` (heures).")
    resource_label: str
    unit_word: str = Field(description="Unité des montants (« € », « doses »…).")
    total: float = Field(description="Total à répartir.")
    unit: float | None = Field(description="Unité entière de répartition ; vide : montants continus.")
    level: str = Field(description="Niveau des territoires servis.")
    area: ScenarioTerritoryOut | None = Field(description="Territoire dans lequel la répartition se fait.")
    zone: ScenarioTerritoryOut | None = Field(description="Zone dont les membres sont servis.")
    selection: list[str] = Field(description="Codes des territoires choisis (vide : tous ceux du niveau).")
    population_year: int | None
    measure_kind: str = Field(description="`index`, `indicator` ou vide (aucune mesure du besoin).")
    measure: str = Field(description="Code de l'indice ou de l'indicateur mesurant le besoin.")
    measure_period: str
    weighting: str = Field(description="`flat`, `gradient`, `proportional` ou `priority`.")
    weighting_label: str
    gradient_high: float = Field(description="Poids de la classe la plus défavorisée.")
    gradient_low: float = Field(description="Poids de la classe la moins défavorisée.")
    deprivation: str = Field(description="Indice de défavorisation des comparaisons (vide : indice par défaut).")
    floor: float | None = Field(description="Plancher par territoire.")
    cap: float | None = Field(description="Plafond par territoire.")
    adjustments: list[AllocationAdjustmentOut] = Field(description="Ajustements datés des poids, avec leur motif.")
    applies_on: str | None = Field(description="Date d'application (pour les ajustements datés).")
    outcome_indicator: str = Field(description="Indicateur de résultat regardé après coup.")
    outcome_period: str
    fictional: bool
    created_at: str
    updated_at: str


class ScenarioPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[ScenarioOut]


class NeedMeasureOut(Schema):
    kind: str = Field(description="`index` ou `indicator`.")
    code: str
    label: str
    period: str
    higher_is_worse: bool


class AllocationConcentrationOut(Schema):
    value: float | None = Field(description="Indice de concentration ; négatif : concentré vers les plus "
                                            "défavorisés.")
    lower: float | None = Field(description="Borne basse de l'intervalle de confiance à 95 %.")
    upper: float | None = Field(description="Borne haute de l'intervalle de confiance à 95 %.")
    se: float | None = Field(description="Erreur type.")


class AllocationSummaryOut(Schema):
    total: float
    population: float
    per_capita: float | None = Field(description="Montant par habitant.")
    most_deprived_share: float | None = Field(description="Part (0 à 1) du total allant à la classe 1 (la plus "
                                                          "défavorisée).")
    most_deprived_population_share: float | None = Field(description="Part (0 à 1) de la population dans la "
                                                                     "classe 1.")
    concentration_per_capita: AllocationConcentrationOut | None = Field(
        description="Concentration des montants par habitant (pondérée par la population).")
    concentration_amounts: AllocationConcentrationOut | None = Field(
        description="Concentration des montants eux-mêmes.")


class AllocationClassOut(Schema):
    deprivation_class: int = Field(description="Classe de défavorisation, 1 = la plus défavorisée.")
    territories: int
    population: float
    population_share: float | None
    allocation: float
    allocation_share: float | None
    per_capita: float | None
    flat: float = Field(description="Même ressource répartie par habitant (part égale).")
    flat_share: float | None
    flat_per_capita: float | None


class FlatShareComparisonOut(Schema):
    moved: float = Field(description="Montant déplacé par rapport à la part égale par habitant (moitié de la "
                                     "somme des écarts absolus).")
    gainers: int = Field(description="Territoires recevant plus que la part égale par habitant.")
    losers: int = Field(description="Territoires recevant moins que la part égale par habitant.")
    unchanged: int


class AllocationResultOut(Schema):
    territories: int = Field(description="Nombre de territoires servis.")
    measure: NeedMeasureOut | None = Field(description="Mesure du besoin effectivement lue.")
    deprivation: NeedMeasureOut | None = Field(description="Indice de défavorisation des comparaisons.")
    outcome: NeedMeasureOut | None = Field(description="Indicateur de résultat (après coup).")
    summary: AllocationSummaryOut = Field(description="Totaux de la répartition du scénario.")
    flat: AllocationSummaryOut = Field(description="Totaux de la part égale par habitant, même total.")
    comparison: FlatShareComparisonOut
    classes: list[AllocationClassOut] = Field(description="Par classe de défavorisation : scénario et part égale.")
    notes: list[str] = Field(description="Remarques du calcul, en français (mesure absente, classes "
                                         "impossibles…).")


class ScenarioDetail(ScenarioOut):
    result: AllocationResultOut | None = Field(
        description="La répartition recalculée avec les données actuelles ; vide quand elle est impossible (voir "
                    "`error`).")
    error: str | None = Field(description="Pourquoi la répartition ne peut pas être calculée (en français).")


class AmountOut(Schema):
    code: str
    name: str
    departement: str
    population: float
    population_year: int | None
    measure: float | None = Field(description="Valeur de la mesure du besoin.")
    deprivation: float | None = Field(description="Valeur de l'indice de défavorisation.")
    deprivation_class: int | None = Field(description="Classe de défavorisation, 1 = la plus défavorisée.")
    weight: float | None = Field(description="Poids du besoin.")
    adjusted_weight: float | None = Field(description="Poids après les ajustements datés.")
    adjustments: str = Field(description="Motifs des ajustements appliqués au territoire.")
    allocation: float = Field(description="Montant attribué par le scénario.")
    units: float | None = Field(description="Unités entières attribuées (scénarios en unités entières).")
    flat: float = Field(description="Montant de la part égale par habitant.")
    difference: float = Field(description="Écart au partage égal par habitant (scénario − part égale).")
    per_capita: float | None
    flat_per_capita: float | None
    outcome: float | None = Field(description="Valeur de l'indicateur de résultat (après coup).")


class AmountPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[AmountOut]


class GrantOut(Schema):
    id: int
    level: str = Field(description="Niveau du territoire.")
    code: str = Field(description="Code du territoire.")
    name: str = Field(description="Nom du territoire.")
    year: int
    programme: str
    funder: str = Field(description="Financeur.")
    amount: float = Field(description="Montant versé (€).")
    source: str = Field(description="Origine : `entered` (saisie), `import`, `contract` (ligne de financement "
                                    "d'un contrat), `call` (appel à projets), `demo`.")
    source_label: str
    reference: str = Field(description="Référence de l'origine (ligne de financement, candidature…).")
    note: str
    fictional: bool


class GrantPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[GrantOut]


# --- helpers ----------------------------------------------------------------------------------------

def _date(d) -> str | None:
    return d.isoformat() if d else None


def _number(value) -> float | None:
    value = clean(value)
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _whole(value) -> int | None:
    value = _number(value)
    return None if value is None else int(value)


def _ref(t) -> dict | None:
    return {"level": t.level, "code": t.code, "name": t.name} if t is not None else None


def _adjustment(a: dict) -> dict:
    return {"territories": [str(c) for c in a.get("territories") or []], "factor": float(a.get("factor", 1.0)),
            "reason": str(a.get("reason", "")), "starts": a.get("starts") or None, "ends": a.get("ends") or None,
            "column": str(a.get("column") or "code")}


def scenario_out(s: Scenario) -> dict:
    return {
        "id": s.pk, "name": s.name, "description": s.description, "resource": s.resource,
        "resource_label": str(s.get_resource_display()), "unit_word": RESOURCE_UNITS.get(s.resource, ""),
        "total": float(s.total), "unit": s.unit, "level": s.level, "area": _ref(s.area), "zone": _ref(s.zone),
        "selection": [str(c) for c in s.selection or []], "population_year": s.population_year,
        "measure_kind": s.measure_kind, "measure": s.measure, "measure_period": s.measure_period,
        "weighting": s.weighting, "weighting_label": str(s.get_weighting_display()),
        "gradient_high": s.gradient_high, "gradient_low": s.gradient_low, "deprivation": s.deprivation,
        "floor": s.floor, "cap": s.cap, "adjustments": [_adjustment(a) for a in s.adjustments or []],
        "applies_on": _date(s.applies_on), "outcome_indicator": s.outcome_indicator,
        "outcome_period": s.outcome_period, "fictional": s.fictional, "created_at": s.created_at.isoformat(),
        "updated_at": s.updated_at.isoformat(),
    }


def _scenario_flat(out: dict) -> dict:
    flat = dict(out)
    flat["area"] = f"{out['area']['level']}:{out['area']['code']}" if out["area"] else ""
    flat["zone"] = f"{out['zone']['level']}:{out['zone']['code']}" if out["zone"] else ""
    flat["selection"] = ";".join(out["selection"])
    flat["adjustments"] = " ; ".join(a["reason"] for a in out["adjustments"])
    return flat


def _scenario(pk: int) -> Scenario:
    found = Scenario.objects.select_related("area", "zone").filter(pk=pk).first()
    if found is None:
        raise not_found(f"Le scénario d'allocation n° {pk}")
    return found


def _build(scenario: Scenario):
    from equisante.allocation.building import build

    return build(scenario)


def _measure(m) -> dict | None:
    if m is None:
        return None
    return {"kind": m.kind, "code": m.code, "label": str(m.label), "period": str(m.period),
            "higher_is_worse": bool(m.higher_is_worse)}


def _concentration(c: dict | None) -> dict | None:
    if not c:
        return None
    return {key: _number(c.get(key)) for key in ("value", "lower", "upper", "se")}


def _summary(s: dict) -> dict:
    return {"total": float(s["total"]), "population": float(s["population"]), "per_capita": _number(s["per_capita"]),
            "most_deprived_share": _number(s["most_deprived_share"]),
            "most_deprived_population_share": _number(s["most_deprived_population_share"]),
            "concentration_per_capita": _concentration(s.get("concentration_per_capita")),
            "concentration_amounts": _concentration(s.get("concentration_amounts"))}


def _classes(table) -> list[dict]:
    rows = []
    for r in table.to_dict("records") if len(table) else []:
        rows.append({"deprivation_class": int(r["deprivation_class"]), "territories": int(r["territories"]),
                     "population": float(r["population"]), "population_share": _number(r["population_share"]),
                     "allocation": float(r["allocation"]), "allocation_share": _number(r["allocation_share"]),
                     "per_capita": _number(r["per_capita"]), "flat": float(r["flat"]),
                     "flat_share": _number(r["flat_share"]), "flat_per_capita": _number(r["flat_per_capita"])})
    return rows


def comparison(frame) -> dict:
    """Territory by territory against the flat per-capita share (:func:`equisante.allocation.compare`)."""
    table = compare(frame.assign(allocation=frame["flat"]), frame)
    difference = table["difference"]
    tolerance = 1e-9 * max(1.0, float(frame["allocation"].abs().sum()))
    return {"moved": float(difference.abs().sum()) / 2, "gainers": int((difference > tolerance).sum()),
            "losers": int((difference < -tolerance).sum()), "unchanged": int((difference.abs() <= tolerance).sum())}


def result_out(result) -> dict:
    return {
        "territories": int(len(result.frame)), "measure": _measure(result.measure),
        "deprivation": _measure(result.deprivation), "outcome": _measure(result.summary.get("outcome")),
        "summary": _summary(result.summary), "flat": _summary(result.flat_summary),
        "comparison": comparison(result.frame), "classes": _classes(result.classes),
        "notes": [str(n) for n in result.notes],
    }


def amounts(result) -> list[dict]:
    """The rows of the scenario page's export (same columns, same values), ordered by territory code."""
    from equisante.allocation.views import export_frame

    frame = export_frame(result).sort_values("code", kind="mergesort")
    rows = []
    for r in frame.to_dict("records"):
        rows.append({
            "code": str(r["code"]), "name": str(r["name"]), "departement": str(clean(r.get("departement")) or ""),
            "population": float(_number(r.get("population")) or 0.0),
            "population_year": _whole(r.get("population_year")), "measure": _number(r.get("measure")),
            "deprivation": _number(r.get("deprivation")), "deprivation_class": _whole(r.get("deprivation_class")),
            "weight": _number(r.get("weight")), "adjusted_weight": _number(r.get("adjusted_weight")),
            "adjustments": str(clean(r.get("adjustments")) or ""), "allocation": float(r["allocation"]),
            "units": _number(r.get("units")), "flat": float(r["flat"]), "difference": float(r["difference"]),
            "per_capita": _number(r.get("per_capita")), "flat_per_capita": _number(r.get("flat_per_capita")),
            "outcome": _number(r.get("outcome")),
        })
    return rows


def grant_out(g: Grant) -> dict:
    return {"id": g.pk, "level": g.territory.level, "code": g.territory.code, "name": g.territory.name,
            "year": g.year, "programme": g.programme, "funder": g.funder, "amount": float(g.amount),
            "source": g.source, "source_label": str(g.get_source_display()), "reference": g.reference,
            "note": g.note, "fictional": g.fictional}


# --- operations -------------------------------------------------------------------------------------

SIGNED_IN = ("Réservé aux personnes connectées, comme la page du site : sans jeton, `401` "
             "(`api_token_missing`) ; tout jeton personnel valide la lit.")


@router.get("/allocation/scenarios", response=ScenarioPage, summary="Scénarios d'allocation enregistrés",
            description="Les scénarios enregistrés et leurs paramètres (ressource, total, unité, territoires, mesure "
                        "du besoin et gradient, planchers et plafonds, ajustements datés). Tri par numéro. "
                        + SIGNED_IN, openapi_extra=representations("csv"))
def scenario_list(request, format: Literal["json", "csv"] = Query("json"),
                  limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    require_user(request)
    queryset = Scenario.objects.select_related("area", "zone").order_by("pk")
    count = queryset.count()
    records = [scenario_out(s) for s in queryset[offset: offset + limit]]
    if format == "csv":
        return paging_headers(rows_csv([_scenario_flat(r) for r in records], SCENARIO_COLUMNS,
                                       "allocation-scenarios"), request, count, limit, offset)
    return envelope(request, count, limit, offset, records)


@router.get("/allocation/scenarios/{scenario_id}", response=ScenarioDetail, summary="Un scénario d'allocation",
            description="Les paramètres du scénario et sa répartition recalculée avec les données actuelles, comme "
                        "sur sa page : totaux, part allant à la classe la plus défavorisée, indices de concentration, "
                        "tableau par classe de défavorisation, et la comparaison avec la même ressource répartie "
                        "par habitant (part égale). " + SIGNED_IN)
def scenario_detail(request, scenario_id: int = Path(..., ge=1, le=2_147_483_647)):
    require_user(request)
    scenario = _scenario(scenario_id)
    out = scenario_out(scenario)
    try:
        result = _build(scenario)
    except AllocationError as error:
        out.update(result=None, error=error.message)
    else:
        out.update(result=result_out(result), error=None)
    return out


@router.get("/allocation/scenarios/{scenario_id}/territoires", response={200: AmountPage, 409: ErrorOut},
            summary="Montants d'un scénario, territoire par territoire",
            description="La répartition du scénario territoire par territoire, avec les colonnes de l'export de sa "
                        "page : population, mesure du besoin, classe de défavorisation, poids, ajustements, montant, "
                        "part égale par habitant (`flat`) et écart (`difference`). Tri par code du territoire. "
                        "`409` (`api_allocation_impossible`) quand la répartition ne peut pas être calculée avec les "
                        "données actuelles. " + SIGNED_IN,
            openapi_extra=representations("csv"))
def scenario_amounts(request, scenario_id: int = Path(..., ge=1, le=2_147_483_647),
                     format: Literal["json", "csv"] = Query("json"),
                     limit: int = Query(1000, ge=1, le=50000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    require_user(request)
    scenario = _scenario(scenario_id)
    try:
        result = _build(scenario)
    except AllocationError as error:
        raise ApiError(409, "api_allocation_impossible", name=scenario.name, reason=error.message) from error
    rows = amounts(result)
    count = len(rows)
    records = rows[offset: offset + limit]
    if format == "csv":
        return paging_headers(rows_csv(records, AMOUNT_COLUMNS, f"allocation-{scenario.pk}"), request, count, limit,
                              offset)
    return envelope(request, count, limit, offset, records)


@router.get("/allocation/subventions", response=GrantPage, summary="Registre des subventions versées",
            description="Les lignes du registre des subventions (« Où va l'argent ») : territoire, année, programme, "
                        "financeur, montant, origine. Filtres : `year`, `funder`, `programme`, `source`, `level`, "
                        "`territory=commune:01001`. Tri : année la plus récente d'abord, puis niveau et code du "
                        "territoire, programme, financeur, numéro. " + SIGNED_IN,
            openapi_extra=representations("csv"))
def grant_list(request, year: int | None = Query(None, ge=1900, le=2200),
               funder: str | None = Query(None, max_length=200, description="Financeur (exact)."),
               programme: str | None = Query(None, max_length=200, description="Programme (exact)."),
               source: SourceName | None = Query(None, description="Origine de la ligne."),
               level: str | None = Query(None, max_length=16, description="Niveau du territoire."),
               territory: str | None = Query(None, max_length=80, description="Territoire, « niveau:code »."),
               format: Literal["json", "csv"] = Query("json"),
               limit: int = Query(1000, ge=1, le=50000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    require_user(request)
    queryset = Grant.objects.select_related("territory")
    if year is not None:
        queryset = queryset.filter(year=year)
    if funder:
        queryset = queryset.filter(funder=funder)
    if programme:
        queryset = queryset.filter(programme=programme)
    if source:
        queryset = queryset.filter(source=source)
    if level:
        queryset = queryset.filter(territory__level=level)
    if territory:
        wanted_level, code = split_ref(territory, "territory")
        queryset = queryset.filter(territory__level=wanted_level, territory__code=code)
    queryset = queryset.order_by("-year", "territory__level", "territory__code", "programme", "funder", "pk")
    count = queryset.count()
    records = [grant_out(g) for g in queryset[offset: offset + limit]]
    if format == "csv":
        return paging_headers(rows_csv(records, GRANT_COLUMNS, "subventions"), request, count, limit, offset)
    return envelope(request, count, limit, offset, records)
