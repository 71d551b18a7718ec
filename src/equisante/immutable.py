"""Records that nobody may change or delete once written (history, import traces), and through what
a change is being made (site, administration, command line, import, API, job).

:class:`ImmutableModel` refuses ``save()`` on an existing row and ``delete()``; :class:`ImmutableQuerySet`
refuses ``update()`` and ``delete()``. The one exception is a whole-database restore
(:mod:`equisante.backup`), which writes rows as they were saved, through the loader, not these methods.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.db import models

from equisante.errors import EquisanteError

import equisante.jobs.problems  # noqa: F401  (declares history_immutable)

#: Through what the current change is made: set by the middleware for requests (« site », « admin »,
#: « api »), by the command line (« cli ») and by the jobs (« travail »).
_channel: contextvars.ContextVar[str] = contextvars.ContextVar("equisante_channel", default="cli")
#: True only inside :func:`purging` (whole-database restore, replacing the demonstration data).
_purging: contextvars.ContextVar[bool] = contextvars.ContextVar("equisante_purging", default=False)


def current_channel() -> str:
    return _channel.get()


@contextlib.contextmanager
def channel(name: str):
    """Changes made inside are recorded as made through ``name``."""
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


@contextlib.contextmanager
def purging():
    """Allow history rows to go with what they describe: only for replacing the demonstration data and
    for a whole-database restore, never for a person's action."""
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def purge_allowed() -> bool:
    return _purging.get()


def refuse_cascade(sender, instance, **kwargs):
    """``pre_delete`` receiver: a cascade (deleting a contract) may not take history rows with it."""
    if not purge_allowed():
        raise EquisanteError("history_immutable", object=str(sender._meta.verbose_name))


class ChannelMiddleware:
    """Marks the changes made during a request: « admin » under /admin/, « api » under /api/, else « site »."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        name = "admin" if path.startswith("/admin/") else "api" if path.startswith("/api/") else "site"
        with channel(name):
            return self.get_response(request)


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise EquisanteError("history_immutable", object=str(self.model._meta.verbose_name_plural))

    def delete(self):
        if purge_allowed():
            return super().delete()
        raise EquisanteError("history_immutable", object=str(self.model._meta.verbose_name_plural))

    # bulk_update goes through update(): refused too.


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise EquisanteError("history_immutable", object=str(self._meta.verbose_name))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if purge_allowed():
            return super().delete(*args, **kwargs)
        raise EquisanteError("history_immutable", object=str(self._meta.verbose_name))
