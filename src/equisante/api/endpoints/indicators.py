"""Indicators: the catalogue, one indicator, and its values as the pages publish them.

Values go through :func:`equisante.portal.publication.published` — the function the indicator
page and its CSV export use — so that the API shows exactly the same numbers and the same withheld
cells (statistical confidentiality) as the site. Writing values (import) reuses the importer of the
command line: the whole file is checked first and nothing is imported on a problem.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from django.db.models import Count
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from equisante.api.common import (
    caller, clean, csv_response, envelope, feature, forbid, geojson_response, json_response, paging_headers,
    representations, require_user, split_ref,
)
from equisante.api.errors import ApiError, ErrorOut, invalid, not_found
from equisante.api.endpoints.territories import LevelName, find
from equisante.contracts.permissions import is_regional_admin
from equisante.errors import EquisanteError, InputRejected
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import CATALOGUE_COLUMNS
from equisante.indicators.views import within
from equisante.portal import publication
from equisante.territories.levels import ORDER
from equisante.territories.models import Territory

router = Router(tags=["Indicateurs"])
StateName = Literal["ok", "suppressed", "unstable", "missing"]


class IndicatorOut(Schema):
    code: str
    label: str
    definition: str
    source: str
    unit: str
    polarity: Literal["favourable", "adverse", "neutral"] = Field(
        description="favourable : plus élevé = mieux ; adverse : plus élevé = moins bien ; neutral : contexte.")
    multiplier: float
    numerator_label: str
    denominator_label: str
    theme: str
    levels: list[str]
    fictional: bool
    updated_at: str


class IndicatorPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[IndicatorOut]


class Availability(Schema):
    level: str
    period: str
    values: int


class IndicatorDetail(IndicatorOut):
    available: list[Availability] = Field(description="Niveaux et périodes qui ont des valeurs.")


class ValueOut(Schema):
    indicator: str
    level: str
    code: str
    name: str
    vintage: int
    period: str
    sex: str = Field(description="« F », « H » ou vide (ensemble).")
    age_band: str = Field(description="Classe d'âge, vide pour tous âges.")
    numerator: float | None
    denominator: float | None
    value: float | None = Field(description="Valeur dans l'unité de l'indicateur ; vide si masquée ou manquante.")
    lower: float | None = Field(description="Borne inférieure de l'intervalle de confiance à 95 %.")
    upper: float | None = Field(description="Borne supérieure de l'intervalle de confiance à 95 %.")
    state: StateName = Field(description="ok, suppressed (secret statistique), unstable (fragile), missing.")
    state_label: str
    withheld: bool = Field(description="Valeur masquée au titre du secret statistique (comme sur les pages).")
    secret: Literal["", "primaire", "secondaire"] = Field(
        "", description="Pourquoi la valeur est masquée : primaire (petit effectif), secondaire (complémentaire : "
                        "elle permettrait de retrouver une valeur masquée) ; vide si publiée.")


class ValuePage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    confidentiality: str = Field(description="La règle de secret statistique appliquée.")
    results: list[ValueOut]


class ImportOut(Schema):
    source: str
    rows: int
    created: int
    updated: int
    unchanged: int
    indicators: list[str]
    periods: list[str]
    summary: str


def _indicator_out(i: Indicator) -> dict:
    out = {c: getattr(i, c) for c in CATALOGUE_COLUMNS if c != "levels"}
    out.update(levels=i.level_list, fictional=i.fictional, updated_at=i.updated_at.isoformat())
    return out


def get_indicator(code: str) -> Indicator:
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise not_found(f"L'indicateur « {code} »")
    return found


def confidentiality_rule() -> str:
    """The rule as the pages state it, and how withheld cells are written."""
    from equisante.confidentiality import rule_statement

    return (f"{rule_statement(publication.threshold())} Les cellules masquées sont vides, leur état est "
            "« suppressed » et la colonne « secret » dit pourquoi (primaire, secondaire).")


@router.get("/indicateurs", response=IndicatorPage, summary="Catalogue des indicateurs",
            description="Triés par thème, libellé puis code. `format=csv` : le format d'import « catalogue ».",
            openapi_extra=representations("csv"))
def indicator_list(request, theme: str | None = Query(None, max_length=120, description="Thème exact."),
                   format: Literal["json", "csv"] = Query("json", description="Représentation de la réponse."),
                   limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    caller(request)
    queryset = Indicator.objects.order_by("theme", "label", "code")
    if theme:
        queryset = queryset.filter(theme=theme)
    count = queryset.count()
    items = list(queryset[offset: offset + limit])
    if format == "csv":
        table = pd.DataFrame([[getattr(i, c) for c in CATALOGUE_COLUMNS] for i in items], columns=CATALOGUE_COLUMNS)
        return paging_headers(csv_response(table, "indicateurs"), request, count, limit, offset)
    return envelope(request, count, limit, offset, [_indicator_out(i) for i in items])


@router.get("/indicateurs/{code}", response=IndicatorDetail, summary="Un indicateur",
            description="Définition, source, unité, polarité et les niveaux et périodes disponibles.")
def indicator_detail(request, code: str):
    indicator = get_indicator(code)
    out = _indicator_out(indicator)
    rank = {lv.value: i for i, lv in enumerate(ORDER)}
    counts = (Value.objects.filter(indicator=indicator).order_by().values_list("territory__level", "period")
              .annotate(n=Count("id")))
    out["available"] = [{"level": lv, "period": p, "values": n}
                        for lv, p, n in sorted(counts, key=lambda r: (rank.get(r[0], 99), r[1]))]
    return out


class ValueFilters(Schema):
    level: LevelName | None = Field(None, description="Niveau des territoires.")
    territory: str | None = Field(None, max_length=60, description="Un territoire, « niveau:code » (ex. "
                                                                   "`commune:01001`).")
    within: str | None = Field(None, max_length=60, description="Territoires de `level` situés dans ce territoire "
                                                                "(« niveau:code », ex. `departement:01`) ; "
                                                                "demande `level`.")
    period: str | None = Field(None, max_length=20, description="Période (ex. `2021`, `2019-2021`).")
    sex: Literal["F", "H", "ensemble"] | None = Field(None, description="Sexe : F, H ou ensemble.")
    age_band: str | None = Field(None, max_length=16, description="Classe d'âge ; `tous` pour tous âges.")
    format: Literal["json", "csv", "geojson"] = Field("json", description="Représentation de la réponse.")
    limit: int = Field(1000, ge=1, le=50000, description="Nombre de valeurs par page.")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="Position de la première valeur.")


def filtered_values(indicator: Indicator, filters: ValueFilters):
    stored = Value.objects.filter(indicator=indicator)
    if filters.level:
        stored = stored.filter(territory__level=filters.level)
    if filters.territory:
        level, code = split_ref(filters.territory, "territory")
        stored = stored.filter(territory__level=level, territory__code=code)
    if filters.within:
        if not filters.level:
            raise invalid("within", "préciser aussi le niveau des territoires (`level`)")
        level, code = split_ref(filters.within, "within")
        if level not in {lv.value for lv in ORDER}:
            raise invalid("within", f"niveau « {level} » inconnu")
        stored = stored.filter(within(find(level, code), filters.level, prefix="territory__"))
    if filters.period:
        stored = stored.filter(period=filters.period)
    if filters.sex:
        stored = stored.filter(sex="" if filters.sex == "ensemble" else filters.sex)
    if filters.age_band:
        stored = stored.filter(age_band="" if filters.age_band == "tous" else filters.age_band)
    return stored.order_by("territory__level", "territory__code", "territory__vintage", "period", "sex",
                           "age_band", "pk")


def published_rows(indicator: Indicator, stored, *, geometry: bool = False) -> list[publication.Published]:
    """The stored values as the pages publish them (confidentiality applied by
    :func:`equisante.portal.publication.published`, the function of the indicator page and its export).

    The territories are read in one query beside the values (faster than a join per row for tens of
    thousands of values)."""
    values = list(stored)
    territories = Territory.objects.filter(pk__in={v.territory_id for v in values})
    if not geometry:
        territories = territories.defer("geometry")
    by_id = {t.pk: t for t in territories}
    return [publication.published(value, indicator=indicator, territory=by_id[value.territory_id])
            for value in values]


def value_out(row: publication.Published) -> dict:
    out = {key: clean(value) for key, value in row.record().items()}
    out["state_label"] = row.state_name
    out["withheld"] = row.state == "suppressed"
    out.setdefault("secret", "")
    return out


@router.get("/indicateurs/{code}/valeurs", response=ValuePage, summary="Valeurs d'un indicateur",
            description="Valeurs par territoire, période et strate, avec intervalle de confiance et état, "
                        "secret statistique appliqué exactement comme sur les pages (les cellules masquées sont "
                        "vides). Tri stable : niveau, code du territoire, millésime, période, sexe, âge. "
                        "`format=csv` : mêmes colonnes que l'export de la page et le format d'import long ; "
                        "`format=geojson` : une entité par valeur avec la géométrie du territoire.",
            openapi_extra=representations("csv", "geojson"))
def indicator_values(request, code: str, filters: Query[ValueFilters]):
    caller(request)
    indicator = get_indicator(code)
    stored = filtered_values(indicator, filters)
    count = stored.count()
    page = stored[filters.offset: filters.offset + filters.limit]
    rows = published_rows(indicator, page, geometry=filters.format == "geojson")
    if filters.format == "csv":
        response = csv_response(publication.frame(rows), f"{indicator.code}-valeurs")
        return paging_headers(response, request, count, filters.limit, filters.offset)
    if filters.format == "geojson":
        features = [feature(row.territory.geometry, value_out(row),
                            f"{row.territory.level}:{row.territory.code}:{row.period}:{row.sex}:{row.age_band}")
                    for row in rows]
        return paging_headers(geojson_response(features, {"confidentiality": confidentiality_rule()}),
                              request, count, filters.limit, filters.offset)
    out = envelope(request, count, filters.limit, filters.offset, [value_out(r) for r in rows])
    out["confidentiality"] = confidentiality_rule()
    # written directly (the body is the documented ValuePage): validating tens of thousands of rows
    # again would double the time of a large page
    return json_response(out)


@router.post("/imports/valeurs", response={201: ImportOut, 400: ErrorOut, 403: ErrorOut},
             summary="Importer des valeurs",
             description="Importe un fichier de valeurs (CSV, XLSX ou ODS ; formats long ou large de "
                         "docs/import-formats.md), comme `equisante import indicators` : tout le fichier est "
                         "vérifié d'abord ; au moindre problème rien n'est importé et la réponse 400 liste chaque "
                         "problème (ligne, colonne, raison). Réservé à l'administration régionale.",
             openapi_extra={"x-writes": True})
def import_values(request, file: File[UploadedFile], period: str | None = Query(None, max_length=20)):
    user = require_user(request)
    if not is_regional_admin(user):
        raise forbid(user, "importer des valeurs d'indicateurs")
    from equisante.indicators.importing import import_values as run_import

    try:
        report = run_import(file.read(), period=period, name=file.name or "fichier")
    except InputRejected as exc:
        raise ApiError(400, "api_request_invalid", reason=exc.message,
                       errors=[str(p) for p in exc.problems[:500]]) from exc
    except EquisanteError as exc:
        raise ApiError(400, "api_request_invalid", reason=exc.message) from exc
    return Status(201, {"source": report.source, "rows": report.rows, "created": report.created,
                 "updated": report.updated, "unchanged": report.unchanged, "indicators": report.indicators,
                 "periods": report.periods, "summary": report.summary()})
