"""Personal API tokens: created and revoked by their owner on the account page, kept hashed.

The clear token is shown once, at creation; the database keeps its SHA-256 digest and its first
characters (to recognise it in the list). A request presenting a token acts with its owner's rights.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "eqs_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("compte"))
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("début du jeton"), max_length=16)
    key_digest = models.CharField(_("empreinte"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'accès à l'API")
        verbose_name_plural = _("jetons d'accès à l'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token for ``user``: the stored record and the clear token (shown once)."""
        clear = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name.strip()[:100] or "jeton", prefix=clear[:12],
                                   key_digest=digest(clear))
        return token, clear

    @classmethod
    def authenticate(cls, clear: str) -> ApiToken | None:
        """The active token matching ``clear`` (None when unknown or revoked)."""
        if not clear or not clear.startswith(PREFIX):
            return None
        token = cls.objects.select_related("user").filter(key_digest=digest(clear), revoked_at=None).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
