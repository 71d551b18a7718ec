"""Web hardening that settings alone cannot express: login throttling for web logins only, the French
lockout answer, and the guard that keeps hostile query parameters from reaching the views.

- :class:`WebLoginThrottle`: django-axes counts failed logins per account; logins made without an HTTP
  request (command line, ``Client.login`` in tests) are not throttled and fall through to the model
  backend.
- :func:`locked_out`: the page shown while an account is locked (HTTP 429, French, site layout).
- :class:`QueryGuardMiddleware`: the single place where every query-string value is checked before
  any view runs; NUL bytes, other control characters and absurdly long values get a French 400 page
  instead of reaching the database (where PostgreSQL would answer with a 500).
"""

from __future__ import annotations

import re

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render

#: Control characters refused in query values (tab, line feed and carriage return are tolerated).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class WebLoginThrottle(AxesStandaloneBackend):
    """django-axes' check, only for logins made through a web request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, credentials=None, *args, **kwargs):
    """Answer to a login attempt on a locked account (django-axes ``AXES_LOCKOUT_CALLABLE``)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes,
                                                            "attempts": settings.AXES_FAILURE_LIMIT}, status=429)


def bad_query(request, reason: str):
    from equisante.portal.errors import bad_request

    return bad_request(request, reason=reason)


class QueryGuardMiddleware:
    """Refuse query strings no view should have to defend against (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "EQUISANTE_QUERY_VALUE_MAX_LENGTH", 2000)
        for key, values in request.GET.lists():
            for value in [key, *values]:
                if _CONTROL.search(value):
                    return bad_query(request, "Un paramètre de l’adresse contient un caractère de contrôle "
                                              "(octet nul ou autre) : il a été refusé.")
                if len(value) > limit:
                    return bad_query(request, f"Un paramètre de l’adresse dépasse {limit} caractères : "
                                              "il a été refusé.")
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Last net for values that pass the checks above but overflow the database (a 300-digit
        ``vintage``, a number beyond the 64-bit range): a French 400 rather than a 500."""
        from django.db import DataError

        if isinstance(exception, (OverflowError, DataError)) and request.GET:
            return bad_query(request, "Un paramètre de l’adresse sort des valeurs possibles : il a été refusé.")
        return None
