"""The HTTP API (django-ninja): the operations of :mod:`equisante.api.endpoints`, French error
bodies for every status, and the OpenAPI 3 description completed with the responses every
operation may give (304, 400, 401, 403, 404, 429) and its other representations (CSV, GeoJSON)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from equisante.api import errors
from equisante.api.common import OptionalToken
from equisante.api.endpoints import allocation, calls, contracts, grid, indicators, indices, territories
from equisante.numbers import plural

log = logging.getLogger(__name__)

DESCRIPTION = """API de lecture (et d'écriture pour les rôles autorisés) d'equisante : territoires,
indicateurs et leurs valeurs, indices composites et classes de priorité, contrats locaux de santé,
fiches-action et leur codage, tableaux du portefeuille, grille d'analyse, scénarios d'allocation et
registre des subventions, appels à projets décidés et leurs projets financés.

**Accès.** Sans jeton, l'API montre exactement ce que montrent les pages publiques : mêmes valeurs,
mêmes cellules masquées au titre du secret statistique, contrats publiés seulement, appels à projets
décidés seulement ; l'allocation, réservée aux personnes connectées sur le site, demande un jeton. Avec un jeton
personnel (créé et révoqué sur la page « Mon compte » du site, en-tête `Authorization: Bearer <jeton>`),
elle montre ce que le compte peut voir et permet les écritures que ses rôles autorisent.

**Pages.** Les listes sont paginées (`limit`, `offset`) et triées de façon stable ; la réponse JSON
donne `count`, `next` et `previous`, les réponses CSV et GeoJSON les en-têtes `X-Total-Count` et `Link`.

**Représentations.** `format=json` (défaut), `format=csv` (colonnes des formats d'import, comme les
exports des pages) et `format=geojson` pour les territoires et les valeurs.

**Requêtes conditionnelles.** Chaque réponse porte un `ETag` ; une requête avec `If-None-Match`
reçoit `304 Not Modified` quand rien n'a changé.

**Limite de débit.** Par défaut {limit} requêtes par minute et par client anonyme (adresse IP),
{token_limit} avec un jeton ; au-delà : `429` et l'en-tête `Retry-After`.

**Erreurs.** Toujours un corps JSON en français : `status`, `code` (catalogue des erreurs,
docs/errors.md), `title`, `detail`, `errors` (détail ligne à ligne).

Licence des données publiées par l'agence : Licence Ouverte 2.0 (Etalab).
"""


class EquisanteApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        return complete(schema)


def complete(schema) -> dict:
    """Every operation documents the errors it may answer, with the French error body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = errors.ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    schema["components"]["securitySchemes"] = {"jeton": {
        "type": "http", "scheme": "bearer",
        "description": "Jeton d'accès personnel (créé et révoqué sur la page « Mon compte » du site). Facultatif "
                       "en lecture : sans jeton, l'API montre ce que montrent les pages publiques."}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            operation["security"] = [{}, {"jeton": []}] if method == "get" else [{"jeton": []}]
            extra = dict(errors.COMMON)
            if method != "get":
                extra.update(errors.WRITE)
            for status, text in extra.items():
                responses.setdefault(status, {"description": text, "content": error})
                responses[status].setdefault("content", error)
                responses[status]["description"] = text
            if method == "get":
                responses.setdefault(304, {"description": "Inchangé depuis l'`ETag` présenté dans `If-None-Match`."})
                ok = responses.get(200)
                if ok is not None:
                    ok.setdefault("headers", {})["ETag"] = {
                        "description": "Empreinte de la réponse, à renvoyer dans `If-None-Match`.",
                        "schema": {"type": "string"}}
                    ok["description"] = ok.get("description") or "Réponse"
                    if ok["description"] == "OK":
                        ok["description"] = "Réponse"
    return schema


def rate_limits() -> tuple[int, int]:
    from equisante.api.middleware import limits

    return limits()


def build() -> NinjaAPI:
    anonymous, with_token = rate_limits()
    api = EquisanteApi(
        title="API equisante",
        version="1.0",
        description=DESCRIPTION.format(limit=anonymous, token_limit=with_token),
        auth=OptionalToken(),
        urls_namespace="api",
        docs_url=None,
        openapi_url="/openapi.json",
        openapi_extra={"info": {"license": {"name": "Licence Ouverte 2.0 (données) ; AGPL-3.0-or-later (logiciel)",
                                            "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}},
                       "tags": [{"name": "Territoires"}, {"name": "Indicateurs"},
                                {"name": "Indices et priorisation"}, {"name": "Contrats locaux de santé"},
                                {"name": "Grille et portefeuille"},
                                {"name": "Allocation", "description": "Scénarios d'allocation enregistrés et "
                                 "registre des subventions versées (personnes connectées : jeton requis)."},
                                {"name": "Appels à projets", "description": "Appels à projets et à manifestation "
                                 "d'intérêt décidés et leurs projets financés."}]},
    )
    for module in (territories, indicators, indices, contracts, grid, allocation, calls):
        api.add_router("", module.router)

    @api.exception_handler(errors.ApiError)
    def _api_error(request, exc):
        return errors.from_exception(exc)

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        lines = [_french(e) for e in exc.errors]
        first = exc.errors[0] if exc.errors else {}
        parameter = _where(first) or "requête"
        return errors.response(400, "api_parameter_invalid", errors=lines, parameter=parameter,
                               reason=_reason(first) if first else "valeur invalide")

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return errors.response(401, "api_token_invalid", headers={"WWW-Authenticate": 'Bearer realm="equisante"'})

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return errors.response(404, "api_path_unknown", path=request.path)

    @api.exception_handler(HttpError)
    def _http(request, exc):
        if exc.status_code == 404:
            return errors.response(404, "api_path_unknown", path=request.path)
        return errors.response(400, "api_request_invalid", reason=str(exc.message))

    @api.exception_handler(Exception)
    def _server(request, exc):
        if settings.DEBUG and getattr(settings, "EQUISANTE_API_RAISE", False):
            raise exc
        log.exception("API : erreur sur %s", request.path)
        return errors.response(500, "api_server_error")

    return api


REASONS = {
    "missing": "paramètre obligatoire absent",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "bool_parsing": "attendu true ou false",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "json_invalid": "JSON mal formé",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "model_attributes_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
}


def _where(error: dict) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "payload", "filters",
                                                                        "form", "file", "header")]
    return ".".join(loc)


def _reason(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        return f"valeur non acceptée (valeurs acceptées : {ctx.get('expected', '')})"
    if kind in ("greater_than_equal", "greater_than"):
        return f"doit être au moins {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"doit être au plus {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long":
        return f"au plus {_characters(ctx.get('max_length'))}"
    if kind == "string_too_short":
        return f"au moins {_characters(ctx.get('min_length'))}"
    return REASONS.get(kind, "valeur invalide")


def _characters(count) -> str:
    """« 1 caractère », « 3 caractères » (the limit as pydantic gives it, written as is when not a number)."""
    return plural(count, "caractère") if isinstance(count, (int, float)) else f"{count} caractères"


def _french(error: dict) -> str:
    where = _where(error) or "requête"
    return f"« {where} » : {_reason(error)}"


api = build()
