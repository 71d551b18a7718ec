"""Fast read pages for many readers: anonymous pages are kept in the cache, keyed by the data version.

- **Data version**: every committed ``INSERT``/``UPDATE``/``DELETE`` on the product's tables (through
  the ORM, bulk imports and raw SQL alike: it is seen at the database-driver level by
  :func:`watch_writes`) bumps :class:`~equisante.portal.models.DataVersion` once per transaction.
  Tables that change without changing what pages show (sessions, login attempts, background-job
  progress, the admin log, API token use) are not watched.
- **Page cache** (:class:`AnonymousPageCache`): a GET answered 200 to a visitor who is not logged in
  is kept for ``EQUISANTE_PAGE_CACHE_SECONDS`` (default 600; 0 switches it off) under the data
  version, the day and the full address; the next visitor gets it without the view running. A write
  changes the version, so a page is never served after the data it shows has changed — whatever
  process or server made the write. Pages for logged-in users are never cached (they depend on roles),
  nor those of a visitor with a session, nor those that set a cookie, carry a CSRF token or show a
  message.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.utils import DatabaseError

_WRITE = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[\"`]?(\w+)",
                    re.IGNORECASE)
#: Tables whose writes leave every page as it was.
QUIET = re.compile(r"^(?:django_session|django_admin_log|axes_\w+|portal_dataversion|jobs_\w+|api_apitoken\w*"
                   r"|api_ratelimit\w*|auth_user)$", re.IGNORECASE)
_FLAG = "_equisante_data_written"


def _bump(alias: str) -> None:
    from django.db import connections

    connection = connections[alias]
    setattr(connection, _FLAG, False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portal_dataversion SET number = number + 1 WHERE id = 1")
            if cursor.rowcount == 0:  # the row went away (a flushed database): start again
                cursor.execute("INSERT INTO portal_dataversion (id, number) VALUES (1, 1)")
    except DatabaseError:  # before the migrations ran: nothing is cached yet either
        pass


def _writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and not QUIET.match(match.group(1)):
        connection = context["connection"]
        if connection.in_atomic_block:
            if not getattr(connection, _FLAG, False):
                setattr(connection, _FLAG, True)
                transaction.on_commit(lambda alias=connection.alias: _bump(alias), using=connection.alias)
        else:
            _bump(connection.alias)
    return result


def watch_writes(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: watch the writes of every new database connection."""
    if _writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_writes)


def data_version() -> int:
    from equisante.portal.models import DataVersion

    try:
        return DataVersion.objects.values_list("number", flat=True).get(pk=1)
    except DataVersion.DoesNotExist:
        _bump("default")
        return -1  # not cached this time
    except DatabaseError:
        return -1


class AnonymousPageCache:
    """See the module docstring."""

    MAX_BYTES = 4 * 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "EQUISANTE_PAGE_CACHE_SECONDS", 0)
        # a request with credentials of its own (an API token) is answered for its owner, never from
        # or into the anonymous cache
        if (not seconds or request.method not in ("GET", "HEAD") or request.user.is_authenticated
                or "HTTP_AUTHORIZATION" in request.META
                or settings.SESSION_COOKIE_NAME in request.COOKIES):  # a session may hold what the page shows
            return self.get_response(request)
        version = data_version()
        if version < 0:
            return self.get_response(request)
        cache = caches["pages"]
        key = f"page:{version}:{date.today().isoformat()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            cached["X-Equisante-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self._storable(request, response):
            response["X-Equisante-Cache"] = "miss"
            cache.set(key, response, seconds)
        return response

    def _storable(self, request, response) -> bool:
        messages = getattr(request, "_messages", None)
        return (response.status_code == 200 and not response.streaming and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and not (messages is not None and (messages.used or getattr(messages, "_queued_messages", None)))
                and "private" not in response.get("Cache-Control", "") and "no-store" not in response.get("Cache-Control", "")
                and len(response.content) <= self.MAX_BYTES)
