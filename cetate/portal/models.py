"""What the portal keeps about residents beyond the register: who follows which case by email,
and which emailed links were already used."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cetate.lib import clock


class SpentLink(models.Model):
    """An emailed one-time link that was used; its digest only, so the link cannot be rebuilt.

    Rows older than the longest-lived one-time link are useless and are deleted as links are
    spent.
    """

    digest = models.CharField(max_length=64, unique=True)
    spent_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("used sign-in or confirmation link")
        verbose_name_plural = _("used sign-in or confirmation links")

    def __str__(self) -> str:
        return f"{self.spent_at:%Y-%m-%d %H:%M} {self.digest[:8]}"


class Follower(models.Model):
    """Someone who confirmed they want the public updates of a case by email."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="followers"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=8, default="ro")
    since = models.DateTimeField(_("following since"), default=clock.now)
    # The last event of the case this follower was mailed about: a job run twice mails once.
    last_told_seq = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("follower of a case")
        verbose_name_plural = _("followers of cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "email"], name="one_follow_per_case_email")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.email}"
