"""Residents and organisations who ask the city for something."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cetate.lib import clock


class AnswerChannel(models.TextChoices):
    """How a resident wants to receive the answer."""

    EMAIL = "email", _("email")
    POST = "post", _("letter by post")
    DESK = "desk", _("collected at the front desk")
    PHONE = "phone", _("by phone")


class Contact(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True, db_index=True)
    # A number given on a report that could not be checked (a typo, a foreign number the
    # library does not know): kept as typed for staff, never a reason to refuse the report.
    phone_as_typed = models.CharField(
        _("phone as typed, could not be checked"), max_length=40, blank=True
    )
    postal_address = models.TextField(_("postal address"), blank=True)
    preferred_channel = models.CharField(
        _("preferred answer channel"),
        max_length=8,
        choices=AnswerChannel,
        default=AnswerChannel.EMAIL,
    )
    language = models.CharField(_("language"), max_length=8, default="ro")
    # Mail to the address came back undeliverable (cetate/mail/bounces.py): nothing more is
    # mailed to it until the resident writes from it again or the address is corrected.
    email_failed_at = models.DateTimeField(
        _("email failing since"), null=True, blank=True, editable=False
    )
    email_failure = models.CharField(
        _("why the email fails"), max_length=300, blank=True, editable=False
    )
    # A merged duplicate stays, pointing at the contact that now holds its cases.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("contact", "merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
    )
    # GDPR art. 18: while restricted, the person's data is kept and used for the cases only;
    # it leaves the city only through the data protection officer.
    restricted_at = models.DateTimeField(
        _("processing restricted since"), null=True, blank=True, editable=False
    )
    restriction_note = models.CharField(
        _("why processing is restricted"), max_length=300, blank=True, editable=False
    )
    # Past retention, or erased on request: nothing left here names the person.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.email or self.phone or self.phone_as_typed or f"#{self.pk}"

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None

    @property
    def email_is_failing(self) -> bool:
        return bool(self.email) and self.email_failed_at is not None


class PersonalDataView(models.Model):
    """Staff looked at residents' personal data: who, when, what (GDPR accountability)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="views",
    )
    what = models.CharField(_("what"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what}"
