"""Every message that reached the city's mailbox, kept whole, and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    PIPE = "pipe", _("delivered by the mail server")
    IMAP = "imap", _("fetched from the mailbox")


class Outcome(models.TextChoices):
    CASE = "case", _("new case")
    REPLY = "reply", _("reply on its case")
    BOUNCE = "bounce", _("delivery failure report")
    AUTO_REPLY = "auto_reply", _("automatic reply")
    FEEDBACK_REPORT = "feedback_report", _("abuse feedback report")
    LOOP = "loop", _("mail loop: not answered")
    DUPLICATE = "duplicate", _("already received")
    QUARANTINED = "quarantined", _("held for a person to look at")
    DISCARDED = "discarded", _("held, then discarded")


class InboundMessage(models.Model):
    """One message as received: its bytes in `raw` (the default storage), stored before
    anything is decided about it. An empty `outcome` is a message being decided, or one whose
    handling was cut short after it was stored: whoever decides it holds it until
    `deciding_until`, after which the worker's sweep (cetate/mail/pipeline.py) decides it."""

    raw = models.FileField(_("message as received"), upload_to="mail/inbound/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 of the message"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)
    sender = models.EmailField(_("sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    spam_score = models.PositiveSmallIntegerField(
        _("spam score"),
        null=True,
        blank=True,
        help_text=_("Points of a message that may look like spam; empty when not scored."),
    )
    spam_reasons = models.JSONField(
        _("spam score's reasons"),
        default=list,
        blank=True,
        help_text=_("Each reason for the spam score in words, with its points."),
    )
    deciding_until = models.DateTimeField(_("being decided until"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(
        _("decision"),
        blank=True,
        help_text=_("What the person who looked at a held message decided, and why."),
    )

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["sender", "outcome", "received_at"])]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender} {self.subject}"[:200]
