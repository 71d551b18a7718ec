"""What applies to every request under ``/api/``: rate limiting (429 with a French body), entity tags
and conditional requests (304), and French bodies for the answers Django gives before the API
(unknown path 404, method not allowed 405)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified

from equisante.api import errors

PREFIX = "/api/"


def limits() -> tuple[int, int]:
    """Requests per minute: (anonymous client, client with a token)."""
    anonymous = int(getattr(settings, "EQUISANTE_API_RATE_LIMIT", 1200))
    with_token = int(getattr(settings, "EQUISANTE_API_TOKEN_RATE_LIMIT", max(anonymous, 6000)))
    return anonymous, with_token


def _client(request) -> tuple[str, int]:
    anonymous, with_token = limits()
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer eqs_"):
        return "t:" + hashlib.sha256(header.encode()).hexdigest()[:32], with_token
    forwarded = request.META.get("REMOTE_ADDR", "") or "inconnu"
    return "a:" + forwarded, anonymous


def rate_limited(request):
    """A 429 response when the client has used up its minute, else None."""
    client, limit = _client(request)
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // 60)
    key = f"equisante-api-rate:{client}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        used = 1
    if used > limit:
        retry = max(1, int(60 - (now % 60)) + 1)
        return errors.response(429, "api_rate_limited", headers={"Retry-After": str(retry)}, limit=limit,
                               retry=retry)
    return None


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str, tag: str) -> bool:
    candidates = [c.strip() for c in header.split(",")]
    return "*" in candidates or tag in candidates or f"W/{tag}" in candidates


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        refused = rate_limited(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code == 404 and "json" not in content_type:
            response = errors.response(404, "api_path_unknown", path=request.path)
        elif response.status_code == 400 and "json" not in content_type:
            # refused before the API (e.g. a control character or an over-long value in the query string)
            response = errors.response(400, "api_request_invalid",
                                       reason="un paramètre de l'adresse contient un caractère de contrôle ou "
                                              "dépasse la longueur admise")
        elif response.status_code == 403 and "json" not in content_type:
            response = errors.response(403, "api_forbidden", user="anonyme", action="accéder à cette adresse")
        elif response.status_code == 405 and "json" not in content_type:
            allowed = response.get("Allow", "")
            response = errors.response(405, "api_method_not_allowed", method=request.method, path=request.path)
            if allowed:
                response["Allow"] = allowed
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            tag = etag_of(response.content)
            response["ETag"] = tag
            response["Cache-Control"] = "private, no-cache" if "HTTP_AUTHORIZATION" in request.META else "no-cache"
            response["Vary"] = "Authorization"
            if _matches(request.headers.get("If-None-Match", ""), tag):
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary"):
                    not_modified[header] = response[header]
                return not_modified
        return response
