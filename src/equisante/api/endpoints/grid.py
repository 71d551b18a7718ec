"""The analysis grid, coding suggestions for a text, and the portfolio tables (Figures 1 and 2) over
the action sheets of the contracts the caller may see."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from equisante.api.common import caller, clean, forbid, representations, require_user, rows_csv
from equisante.api.errors import ApiError, ErrorOut, invalid
from equisante.contracts import permissions
from equisante.errors import EquisanteError
from equisante.grid.reference import available_versions, load_grid

router = Router(tags=["Grille et portefeuille"])


class NodeOut(Schema):
    id: str
    kind: Literal["determinant", "strategy", "approach", "theme"]
    label: str
    parent: str | None
    level: int
    definition: str
    aliases: list[str]
    examples: list[str]


class GridOut(Schema):
    version: str
    title: str
    source: str
    versions: list[str] = Field(description="Versions de la grille disponibles.")
    nodes: list[NodeOut]


class SuggestionOut(Schema):
    id: str
    label: str
    score: float = Field(description="Probabilité calibrée, de 0 à 1.")
    evidence: str = Field(description="Pourquoi ce code est proposé (mots, textes proches).")


class SuggestionsOut(Schema):
    grid_version: str
    threshold: float
    determinants: list[SuggestionOut]
    strategies: list[SuggestionOut]
    approach: SuggestionOut | None
    themes: list[SuggestionOut]
    note: str


class SuggestIn(Schema):
    text: str = Field(min_length=1, max_length=20000, description="Texte d'une action (intitulé, objectifs, "
                                                                  "description).")
    version: str = Field("v1", max_length=10, description="Version de la grille.")
    k: int = Field(5, ge=1, le=20, description="Nombre maximal de propositions par famille.")


class TableOut(Schema):
    table: str
    title: str
    contracts: list[str]
    n_sheets: int
    note: str
    rows: list[dict]


def _version(version: str) -> str:
    if version not in available_versions():
        raise invalid("version", f"versions disponibles : {', '.join(available_versions())}")
    return version


@router.get("/grille", response=GridOut, summary="Grille d'analyse",
            description="Les déterminants, stratégies, types d'approche et thématiques de la grille, dans leur "
                        "ordre, avec leur parent et leur définition.")
def grid(request, version: str = Query("v1", max_length=10, description="Version de la grille.")):
    caller(request)
    g = load_grid(_version(version))
    return {"version": g.version, "title": g.title, "source": g.source, "versions": available_versions(),
            "nodes": [{"id": n.id, "kind": n.kind, "label": n.label, "parent": n.parent, "level": n.level,
                       "definition": n.definition or "", "aliases": list(n.aliases), "examples": list(n.examples)}
                      for n in g.nodes.values()]}


@router.post("/grille/suggestions", response={200: SuggestionsOut, 400: ErrorOut, 403: ErrorOut},
             summary="Suggestions de codage pour un texte",
             description="Les codes que le système propose pour un texte, avec leur probabilité et leurs indices ; "
                         "rien n'est enregistré ni appliqué. Réservé aux comptes qui peuvent modifier au moins "
                         "un contrat.")
def suggestions(request, payload: SuggestIn):
    user = require_user(request)
    if not permissions.editable_contracts(user).exists():
        raise forbid(user, "demander des suggestions de codage")
    version = _version(payload.version)
    from equisante.contracts.coding import label, suggester

    try:
        result = suggester(version).suggest(payload.text, k=payload.k)
    except EquisanteError as exc:
        raise ApiError(400, "api_request_invalid", reason=exc.message) from exc

    def one(item):
        return {"id": item.node_id, "label": label(version, item.node_id), "score": float(item.score),
                "evidence": item.evidence.describe()}

    return {"grid_version": version, "threshold": float(result.threshold),
            "determinants": [one(i) for i in result.determinants], "strategies": [one(i) for i in result.strategies],
            "approach": one(result.approach) if result.approach is not None else None,
            "themes": [one(i) for i in result.themes],
            "note": "Propositions seulement : une personne décide du codage sur la page de la fiche."}


TABLES = {
    "thematiques": "Nombre (%) de fiches-action abordant une thématique donnée",
    "determinants-strategies": "Nombre (%) d'actions visant un déterminant de la santé donné et type "
                               "d'intervention",
}


@router.get("/portefeuille/{table}", response=TableOut, summary="Tableaux du portefeuille",
            description="Les deux tableaux publiés (figures 1 et 2 du rapport d'évaluation) sur les fiches-action "
                        "des contrats visibles, filtrés par département, génération ou contrat. "
                        "`thematiques` : colonnes theme, n_actions, share ; `determinants-strategies` : "
                        "determinant, strategy, n_actions, share.",
            openapi_extra=representations("csv"))
def portfolio_table(request, table: Literal["thematiques", "determinants-strategies"],
                    departement: str | None = Query(None, max_length=10, description="Code du département."),
                    generation: str | None = Query(None, max_length=20),
                    contract: str | None = Query(None, max_length=40, description="Code du contrat."),
                    format: Literal["json", "csv"] = Query("json")):
    from equisante.contracts.selection import action_sheets
    from equisante.portfolio.tables import determinant_strategy_table, theme_table

    contracts = permissions.visible_contracts(caller(request))
    if departement:
        contracts = contracts.filter(departement__code=departement)
    if generation:
        contracts = contracts.filter(generation=generation)
    if contract:
        contracts = contracts.filter(code=contract)
    contracts = contracts.order_by("code")
    sheets = action_sheets(contracts)
    frame = theme_table(sheets) if table == "thematiques" else determinant_strategy_table(sheets)
    if format == "csv":
        return rows_csv(frame.to_dict("records"), list(frame.columns), f"portefeuille-{table}")
    rows = [{k: clean(value) for k, value in record.items()} for record in frame.to_dict("records")]
    return {"table": table, "title": TABLES[table], "contracts": list(contracts.values_list("code", flat=True)),
            "n_sheets": len(sheets), "note": str(frame.attrs.get("note", "")), "rows": rows}
