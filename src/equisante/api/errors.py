"""Errors of the API: French bodies carrying a catalogue code, for every status the API answers.

Body (``application/json``)::

    {"status": 404, "code": "api_not_found", "title": "Ressource introuvable",
     "detail": "L'indicateur « x » n'existe pas ou n'est pas publié.", "errors": []}

``errors`` lists the problems of a refused import or of invalid parameters (one French line each).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Schema

import equisante.api.problems  # noqa: F401  (declares the codes)
from equisante.errors import kind


class ErrorOut(Schema):
    """A French error body with its catalogue code (see /api/docs and docs/errors.md)."""

    status: int
    code: str
    title: str
    detail: str
    errors: list[str] = []


class ApiError(Exception):
    """An error answered with ``status`` and the catalogue entry ``code`` rendered with ``params``."""

    def __init__(self, status: int, code: str, *, errors: list[str] | None = None, headers=None, **params: Any):
        self.status = status
        self.code = code
        self.params = params
        self.errors = errors or []
        self.headers = headers or {}
        super().__init__(code)


def body(status: int, code: str, errors: list[str] | None = None, **params: Any) -> dict:
    entry = kind(code)
    return {"status": status, "code": code, "title": entry.title, "detail": entry.render(**params),
            "errors": list(errors or [])}


def response(status: int, code: str, *, errors: list[str] | None = None, headers=None, **params: Any) -> HttpResponse:
    out = HttpResponse(json.dumps(body(status, code, errors, **params), ensure_ascii=False),
                       status=status, content_type="application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        out[name] = value
    out["Content-Language"] = "fr"
    return out


def from_exception(exc: ApiError) -> HttpResponse:
    return response(exc.status, exc.code, errors=exc.errors, headers=exc.headers, **exc.params)


def not_found(what: str) -> ApiError:
    return ApiError(404, "api_not_found", what=what)


def invalid(parameter: str, reason: str) -> ApiError:
    return ApiError(400, "api_parameter_invalid", parameter=parameter, reason=reason)


#: Responses added to every operation of the OpenAPI description (status → description).
COMMON = {
    400: "Paramètre ou requête invalide (code `api_parameter_invalid` ou `api_request_invalid`).",
    401: "Jeton d'accès inconnu ou révoqué (`api_token_invalid`), ou requis (`api_token_missing`).",
    404: "Ressource introuvable ou non publiée (`api_not_found`).",
    429: "Trop de requêtes (`api_rate_limited`) ; l'en-tête `Retry-After` dit quand réessayer.",
}
WRITE = {403: "Le compte du jeton n'a pas ce droit (`api_forbidden`)."}
