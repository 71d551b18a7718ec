"""What every operation shares: the caller, pagination, stable ordering and the representations
(JSON, CSV, GeoJSON)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils.http import urlencode
from ninja.security import HttpBearer

from equisante.api.errors import ApiError
from equisante.api.models import ApiToken
from equisante.exports import to_csv_bytes

CSV_TYPE = "text/csv; charset=utf-8"
GEOJSON_TYPE = "application/geo+json"


class OptionalToken(HttpBearer):
    """``Authorization: Bearer <jeton>``: optional. Without it the caller is anonymous and sees what
    the public pages show; with a valid personal token, what its owner may see; an unknown or
    revoked token is refused (401)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header.strip():
            request.api_token = None
            return AnonymousUser()
        return super().__call__(request)

    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is None:
            raise ApiError(401, "api_token_invalid", headers={"WWW-Authenticate": 'Bearer realm="equisante"'})
        request.api_token = found
        return found.user


def caller(request):
    """The user the request acts for (anonymous without a token)."""
    user = getattr(request, "auth", None)
    return user if user is not None else AnonymousUser()


def require_user(request):
    user = caller(request)
    if not user.is_authenticated:
        raise ApiError(401, "api_token_missing", headers={"WWW-Authenticate": 'Bearer realm="equisante"'})
    return user


def forbid(user, action: str) -> ApiError:
    return ApiError(403, "api_forbidden", user=user.get_username(), action=action)


# --- pagination ---------------------------------------------------------------------------------------

def page_links(request, count: int, limit: int, offset: int) -> tuple[str | None, str | None]:
    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(request.path) + "?" + query.urlencode()

    following = link(offset + limit) if offset + limit < count else None
    previous = link(max(offset - limit, 0)) if offset > 0 else None
    return following, previous


def envelope(request, count: int, limit: int, offset: int, results: list) -> dict:
    following, previous = page_links(request, count, limit, offset)
    return {"count": count, "limit": limit, "offset": offset, "next": following, "previous": previous,
            "results": results}


def paging_headers(response: HttpResponse, request, count: int, limit: int, offset: int) -> HttpResponse:
    """CSV and GeoJSON pages say their position in headers (``X-Total-Count``, ``Link``)."""
    following, previous = page_links(request, count, limit, offset)
    response["X-Total-Count"] = str(count)
    links = [f'<{url}>; rel="{rel}"' for url, rel in ((following, "next"), (previous, "prev")) if url]
    if links:
        response["Link"] = ", ".join(links)
    return response


# --- representations ----------------------------------------------------------------------------------

def csv_response(table: pd.DataFrame, stem: str) -> HttpResponse:
    """The table as CSV, exactly as the pages' exports write it (UTF-8 with BOM, comma, dot decimals)."""
    response = HttpResponse(to_csv_bytes(table), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'inline; filename="{stem}.csv"'
    return response


def rows_csv(rows: Sequence[dict], columns: Sequence[str], stem: str) -> HttpResponse:
    return csv_response(pd.DataFrame(list(rows), columns=list(columns)), stem)


def json_response(body: dict) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False, allow_nan=False),
                        content_type="application/json; charset=utf-8")


def geojson_response(features: list[dict], extra: dict | None = None) -> HttpResponse:
    collection = {"type": "FeatureCollection", "features": features, **(extra or {})}
    return HttpResponse(json.dumps(collection, ensure_ascii=False, allow_nan=False), content_type=GEOJSON_TYPE)


def feature(geometry_text: str, properties: dict, feature_id: str | None = None) -> dict:
    out = {"type": "Feature", "geometry": json.loads(geometry_text) if geometry_text else None,
           "properties": properties}
    if feature_id is not None:
        out["id"] = feature_id
    return out


def clean(value: Any) -> Any:
    """JSON-safe scalar: NaN and pandas' missing values become None, numpy numbers Python ones."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if type(value) is float:
        return None if value != value else value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def representations(*media: str) -> dict:
    """``openapi_extra`` documenting the other media types of the 200 answer (CSV, GeoJSON)."""
    content = {}
    for m in media:
        if m == "csv":
            content["text/csv"] = {"schema": {"type": "string"}}
        elif m == "geojson":
            content["application/geo+json"] = {"schema": {"type": "object"}}
    return {"responses": {200: {"content": content}}} if content else {}


def split_ref(text: str, parameter: str) -> tuple[str, str]:
    """``level:code`` → (level, code); 400 otherwise."""
    level, sep, code = (text or "").partition(":")
    if not sep or not level or not code:
        from equisante.api.errors import invalid
        raise invalid(parameter, "attendu « niveau:code », par exemple « departement:01 »")
    return level.strip(), code.strip()


def querystring(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


Builder = Callable[..., Any]
