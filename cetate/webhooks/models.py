"""Who wants to hear about case events, and the log of what was sent to them."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cetate.cases.choices import EventKind
from cetate.webhooks.targets import validate_target


def new_secret() -> str:
    return secrets.token_hex(32)


class Subscription(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"]), validate_target],
        help_text=_("Where the events are posted, http:// or https://."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=new_secret,
        editable=False,
        help_text=_("The receiver checks the signature of every delivery with it."),
    )
    event_kinds = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("The kinds of case event to send; none chosen sends every kind."),
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str) -> bool:
        return not self.event_kinds or kind in self.event_kinds

    def clean(self) -> None:
        if not isinstance(self.event_kinds, list) or not all(
            kind in EventKind.values for kind in self.event_kinds
        ):
            raise ValidationError({"event_kinds": _("Choose kinds of case event from the list.")})


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        "cases.Event", verbose_name=_("case event"), on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("payload as sent"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(
        _("last response code"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.subscription} #{self.pk}"
