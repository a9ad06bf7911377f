"""The call log: one row per call the city's phone exchange reported."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INBOUND = "inbound", _("incoming")
    OUTBOUND = "outbound", _("outgoing")


class Settlement(models.TextChoices):
    """How a missed call stopped waiting for the dispatch centre."""

    CALLED_BACK = "called_back", _("called back")
    DISMISSED = "dismissed", _("dismissed")
    # The resident called again and was answered: nobody needs to call them back.
    CALLED_AGAIN = "called_again", _("called again and answered")


class CallState(models.TextChoices):
    RINGING = "ringing", _("ringing")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    MISSED = "missed", _("missed")
    UNANSWERED = "unanswered", _("not answered")


class Call(models.Model):
    call_id = models.CharField(_("exchange call id"), max_length=120, unique=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction, default=Direction.INBOUND
    )
    from_number = models.CharField(_("from"), max_length=40, blank=True)
    to_number = models.CharField(_("to"), max_length=40, blank=True)
    # The resident's side of the call in E.164 (the caller inbound, the callee outbound).
    resident_phone = models.CharField(_("resident's phone"), max_length=20, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    hangup_cause = models.CharField(_("hang-up cause"), max_length=60, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case registered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    settlement = models.CharField(
        _("missed call settled"), max_length=12, choices=Settlement, blank=True
    )
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "started_at"], name="call_contact"),
            models.Index(fields=["resident_phone", "started_at"], name="call_resident_phone"),
            models.Index(fields=["extension", "answered_at"], name="call_extension"),
            models.Index(
                fields=["started_at"],
                condition=Q(direction="inbound", answered_at__isnull=True, settlement=""),
                name="call_missed",
            ),
        ]

    def __str__(self) -> str:
        return self.call_id

    @property
    def resident_number(self) -> str:
        """The resident's number as best known: E.164, else as the exchange sent it."""
        if self.resident_phone:
            return self.resident_phone
        return self.from_number if self.direction == Direction.INBOUND else self.to_number

    @property
    def state(self) -> CallState:
        if self.answered_at is not None:
            return CallState.COMPLETED if self.ended_at is not None else CallState.IN_PROGRESS
        if self.ended_at is None:
            return CallState.RINGING
        return CallState.MISSED if self.is_missed else CallState.UNANSWERED

    @property
    def is_missed(self) -> bool:
        """Inbound, over, never answered, and nobody has called back or dismissed it yet."""
        return (
            self.direction == Direction.INBOUND
            and self.answered_at is None
            and self.ended_at is not None
            and not self.settlement
        )

    @property
    def waiting_time(self) -> timedelta | None:
        end = self.answered_at or self.ended_at
        return end - self.started_at if end else None

    @property
    def talk_time(self) -> timedelta | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.answered_at
