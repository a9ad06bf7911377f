"""Mail that leaves the city: written in the transaction that decides it, sent by the worker.

A row exists exactly when the change that owes the mail committed. The worker claims a row
for a while (its lease), sends the mail outside any transaction and records the result; a
worker that dies mid-send leaves a claim that expires, and the mail is taken again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    RESIDENT = "resident", _("to the resident about their case")
    STAFF = "staff", _("notice to staff about a case")
    FORWARDING = "forwarding", _("forwarding to the competent authority")
    FOLLOWER = "follower", _("news to a follower of a case")
    PORTAL = "portal", _("link from the portal")
    RECEIPT = "receipt", _("registration receipt asked for by the resident")


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        PARKED = "parked", _("not sent: set aside for an administrator")
        DROPPED = "dropped", _("nothing to send any more")

    key = models.CharField(_("key"), max_length=120, unique=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outgoing_mail",
    )
    event = models.ForeignKey(
        "cases.Event",
        verbose_name=_("about"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the mail's composer needs; a ready message's text is forgotten once sent, since
    # a portal link is a key to the resident's cases.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outgoing_mail_due",
                condition=Q(status="pending"),
            ),
            models.Index(
                fields=["created_at"], name="outgoing_mail_parked", condition=Q(status="parked")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"
