"""Open311 integrators: their API keys, what each key did per day, and the requests they posted."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cetate.lib.keys import hash_key, new_key, visible_part

KEY_PREFIX = "o311_"


def new_raw_key() -> str:
    return new_key(KEY_PREFIX)


class ReadScope(models.TextChoices):
    """What a key reads of cases it did not post (its own posts it always reads in full)."""

    PUBLIC = "public", _("what the public sees")
    FULL = "full", _("full description, exact location and status notes; every read is logged")


class ApiKey(models.Model):
    """One integrator's key. Only its hash is kept: the key itself is shown once, at creation."""

    name = models.CharField(_("integrator"), max_length=100, unique=True)
    prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    rate_limit = models.PositiveIntegerField(
        _("calls per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the installation's default (OPEN311_RATE_LIMIT)."),
    )
    read_scope = models.CharField(
        _("reads"),
        max_length=8,
        choices=ReadScope,
        default=ReadScope.PUBLIC,
        help_text=_(
            "What the key reads of the public cases it did not post. Grant the full scope only "
            "to systems the city trusts with residents' words: every such read is logged."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    calls = models.PositiveBigIntegerField(_("calls"), default=0, editable=False)
    requests_created = models.PositiveBigIntegerField(
        _("service requests created"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def set_key(self, raw: str) -> None:
        self.key_hash = hash_key(raw)
        self.prefix = visible_part(raw, KEY_PREFIX)

    @property
    def reads_in_full(self) -> bool:
        return self.read_scope == ReadScope.FULL


class PrivilegedRead(models.Model):
    """One call in which a key with the full read scope read cases beyond what the public sees."""

    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT, related_name="reads"
    )
    at = models.DateTimeField(_("when"), db_index=True)
    path = models.CharField(_("address read"), max_length=200)
    cases = models.JSONField(_("cases read (registration numbers)"), default=list)
    case_count = models.PositiveIntegerField(_("cases"))

    class Meta:
        verbose_name = _("privileged read of an API key")
        verbose_name_plural = _("privileged reads of API keys")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.api_key.name} {self.at:%Y-%m-%d %H:%M}"


class ApiKeyUse(models.Model):
    """What one key did on one day: calls answered, requests created, calls refused."""

    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API key"), on_delete=models.CASCADE, related_name="uses"
    )
    day = models.DateField(pgettext_lazy("calendar", "day"))
    calls = models.PositiveIntegerField(_("calls"), default=0)
    requests_created = models.PositiveIntegerField(_("service requests created"), default=0)
    refused = models.PositiveIntegerField(_("calls over the rate limit"), default=0)

    class Meta:
        verbose_name = _("use of an API key")
        verbose_name_plural = _("uses of API keys")
        ordering = ["-day", "api_key"]
        constraints = [
            models.UniqueConstraint(fields=["api_key", "day"], name="open311_one_use_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.api_key.name} {self.day:%Y-%m-%d}"


class Submission(models.Model):
    """A service request posted through Open311 and the case it became.

    Its unique constraints make a resent POST (same key and Idempotency-Key, or the same
    FixMyStreet report id) find the first case instead of registering a second one: the row
    is written in the transaction that registers the case, so of two identical POSTs racing,
    the second waits on the constraint and then reads the first one's case.
    """

    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT, related_name="submissions"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="open311_submission",
    )
    idempotency_key = models.CharField(_("Idempotency-Key header"), max_length=200, blank=True)
    fixmystreet_id = models.CharField(_("FixMyStreet report id"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), max_length=1000, blank=True)
    address_id = models.CharField(_("address id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="open311_one_case_per_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["api_key", "fixmystreet_id"],
                condition=~Q(fixmystreet_id=""),
                name="open311_one_case_per_fixmystreet_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.api_key.name} → {self.case or '—'}"
