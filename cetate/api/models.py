"""REST API tokens: each acts as one member of staff, is shown once and then kept only hashed."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cetate.lib.keys import hash_key, visible_part

TOKEN_PREFIX = "ctk_"  # noqa: S105  (names the kind of key; not a secret)


class ApiToken(models.Model):
    """A staff member's token for the REST API.

    Only its SHA-256 is stored, with its first characters in clear to tell tokens apart; the
    token itself is shown once, when it is created. It stops working when it expires, when it
    is revoked, or when its user loses their staff roles or is deactivated.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the system using it.")
    )
    prefix = models.CharField(_("token starts with"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("REST API token")
        verbose_name_plural = _("REST API tokens")
        ordering = ["user__username", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def set_token(self, raw: str) -> None:
        self.token_hash = hash_key(raw)
        self.prefix = visible_part(raw, TOKEN_PREFIX)

    def is_usable_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and moment < self.expires_at
