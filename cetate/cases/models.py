"""The register: cases, their append-only history, attachments and the yearly counters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cetate.cases.choices import (
    Channel,
    CourtRuling,
    EventKind,
    Feedback,
    InformationTopic,
    Kind,
    Outcome,
    Priority,
)
from cetate.cases.deadlines import earliest_due
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.contacts.models import AnswerChannel


class RegistrationCounter(models.Model):
    """The last registration number given in a year; its row lock serialises numbering."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Case(models.Model):
    registration_year = models.PositiveIntegerField(_("registration year"), editable=False)
    registration_number = models.PositiveIntegerField(_("registration number"), editable=False)
    registered_at = models.DateTimeField(pgettext_lazy("date", "registered"), editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    channel = models.CharField(_("received through"), max_length=8, choices=Channel)
    answer_channel = models.CharField(
        _("answer by"), max_length=8, choices=AnswerChannel, default=AnswerChannel.EMAIL
    )
    language = models.CharField(_("resident's language"), max_length=8, default="ro")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporter = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    category = models.ForeignKey(
        "directory.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The service of the catalogue a request made online asks for: its department handles it
    # and its legal term applies.
    service = models.ForeignKey(
        "knowledge.Article",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    redirected_to = models.ForeignKey(
        "directory.Department",
        verbose_name=_("redirected to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("case", "merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    # An administrative complaint (Law 544/2001 art. 21) names the request it contests.
    contests = models.ForeignKey(
        "self",
        verbose_name=_("contests the answer to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrative_complaints",
    )

    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    title = models.CharField(_("summary"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.NEW)
    status_changed_at = models.DateTimeField(_("status changed"))

    legal_due = models.DateField(_("legal deadline"), null=True, blank=True)
    # The stricter date the city holds itself to, before the law's latest one; worklists,
    # reminders and the receipt use it (cetate/cases/deadlines.py: internal_deadline).
    internal_due = models.DateField(_("due"), null=True, blank=True)
    legal_extended_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    service_due = models.DateTimeField(_("service target"), null=True, blank=True)
    # The first moment any of the terms above falls due (deadlines.earliest_due): the
    # worklist's order. Kept by `save` whenever a term changes, never set by hand.
    due_at = models.DateTimeField(_("earliest due"), null=True, blank=True, editable=False)
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    paused_seconds = models.PositiveIntegerField(default=0, editable=False)
    resolved_at = models.DateTimeField(pgettext_lazy("date", "resolved"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, blank=True)
    legal_basis = models.ForeignKey(
        "directory.LegalBasis",
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Whether the answer came within its legal term (a refusal of public information within
    # its own 5 days); None while unanswered.
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    late_reason = models.TextField(_("reason for the delay"), blank=True)
    information_topic = models.CharField(
        _("subject area"), max_length=16, choices=InformationTopic, blank=True
    )
    court_ruling = models.CharField(
        _("complaint to the court"), max_length=10, choices=CourtRuling, blank=True
    )
    court_filed_on = models.DateField(_("complaint to the court filed"), null=True, blank=True)

    # The register of entries and exits (Ordin 217/1996).
    sender_reference = models.CharField(_("sender's number"), max_length=60, blank=True)
    sender_reference_date = models.DateField(_("sender's date"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    annexes = models.PositiveSmallIntegerField(_("annexes"), null=True, blank=True)
    handed_at = models.DateTimeField(_("handed to the department"), null=True, blank=True)
    sent_at = models.DateTimeField(_("answer sent"), null=True, blank=True)
    sent_by = models.CharField(_("answer sent by"), max_length=8, choices=AnswerChannel, blank=True)
    sent_to = models.CharField(_("answer sent to"), max_length=300, blank=True)
    file_code = models.ForeignKey(
        "directory.FileCode",
        verbose_name=_("file code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Shown to the public instead of the resident's words when the category says so
    # (cetate/cases/publication); only publish_summary changes it.
    public_summary = models.TextField(_("summary for the public"), blank=True, editable=False)
    feedback = models.CharField(
        _("resident's feedback"), max_length=12, choices=Feedback, blank=True
    )
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)
    # When the case was last reopened (the resident said the problem is not solved, or a
    # head found the answer insufficient); cleared when it is answered or leaves work again.
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True, editable=False)
    # When the resident wrote by email and no one on staff has read it since: set by the
    # reply (cetate/cases/services/replies.py), cleared when the officer holding the case or
    # the head of its department opens it, or when a member of staff acts on the case.
    unread_reply_at = models.DateTimeField(
        _("unread reply from the resident"), null=True, blank=True, editable=False
    )
    # The resident asked for no more optional news by email (the answer and the notices the
    # law requires are still sent); set and cleared by the case services, with an event.
    updates_stopped_at = models.DateTimeField(
        _("news emails stopped"), null=True, blank=True, editable=False
    )

    # Past retention, or erased on request: the statistics stay, the personal data is gone.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # Events are numbered per case; the counter lives on the locked case row.
    last_event_seq = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registration_year", "-registration_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_year", "registration_number"], name="one_case_per_number"
            ),
        ]
        indexes = [
            # A department's worklist (its open cases by internal due date) and the
            # supervision page's late cases and counts per department and category, from the
            # index alone: at 1,000,000 cases on PostgreSQL the page's queries take 175 ms
            # instead of 806.
            models.Index(
                fields=["department", "internal_due", "service_due", "id", "category", "status"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_worklist",
            ),
            # The worklist's order: a department's open cases by their earliest due moment,
            # the first page read in index order (at 300,000 cases on PostgreSQL, 0.3 ms).
            models.Index(
                fields=["department", "due_at", "id"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_due",
            ),
            models.Index(fields=["latitude", "longitude"], name="case_location"),
            # The map of cases in some statuses (open ones, by default) from the index alone,
            # deadlines included (a cell's overdue and due-soon counts): at 1,000,000 cases on
            # PostgreSQL the city-wide map of open cases takes 75 ms instead of 180.
            # A partial index would serve PostgreSQL only: SQLite cannot match its condition
            # against Django's bound parameters.
            models.Index(
                fields=["status", "latitude", "longitude", "internal_due", "service_due"],
                name="case_status_location",
            ),
            # Counts by status × category × department answered from the index alone.
            models.Index(fields=["status", "category", "department"], name="case_counts"),
            models.Index(fields=["registered_at"], name="case_registered"),
            models.Index(fields=["resolved_at"], name="case_resolved"),
            # Integrators ask what changed since their last call (Open311 updated_after, the
            # REST API's updated_after).
            models.Index(fields=["updated_at"], name="case_updated"),
            # The cases residents say are not solved, newest answer first.
            models.Index(fields=["feedback", "status", "feedback_at"], name="case_feedback"),
            models.Index(fields=["assignee", "status"], name="case_assignee"),
            # An officer's cases with a reply to read, counted in the console's header on every
            # poll: the index holds only the cases waiting to be read.
            models.Index(
                fields=["assignee", "department"],
                condition=Q(unread_reply_at__isnull=False),
                name="case_unread_reply",
            ),
            # The retention job's closed cases still holding personal data, oldest first;
            # anonymised cases leave the index.
            models.Index(
                fields=["status_changed_at", "status", "category"],
                condition=Q(anonymised_at__isnull=True),
                name="case_retention",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep `due_at` with the terms it is computed from, whichever service changed them."""
        self.due_at = earliest_due(
            internal_due=self.internal_due, legal_due=self.legal_due, service_due=self.service_due
        )
        fields = kwargs.get("update_fields")
        if fields is not None and {"internal_due", "legal_due", "service_due"} & set(fields):
            kwargs["update_fields"] = [*fields, "due_at"]
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.registration_number}/{self.registration_year}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("case events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("case events are append-only")

    def redact_for_anonymisation(self, event_id: int, *, text: str, data: dict[str, Any]) -> None:
        """The one exception to append-only: replace an event's text and details when its case
        is anonymised (past retention, or erased at the resident's request, GDPR art. 17).

        Only `cetate.cases.services.anonymisation` calls it, under the case's lock, and records
        an `anonymised` event in the same transaction. Who acted, when, and what happened stay;
        the kind, status and sequence of an event are never touched.
        """
        models.QuerySet.update(self.filter(pk=event_id), text=text, data=data)


class Event(models.Model):
    """One thing that happened to a case: its timeline and its audit trail. Never changed."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("no."))
    kind = models.CharField(_("what"), max_length=24, choices=EventKind)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("from status"), max_length=12, choices=Status, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, choices=Status, blank=True)
    public = models.BooleanField(_("shown to the resident"), default=False)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_seq_per_case")]
        indexes = [
            # The feed of public updates of every case (Open311 servicerequestupdates).
            models.Index(fields=["at"], condition=Q(public=True), name="event_public_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("case events are append-only")


class CaseLink(models.Model):
    """Two cases about one problem reported by different residents, handled together.

    Each keeps its number, resident, deadlines and tracking page; the link is symmetric and
    stored once per pair, the lower id first.
    """

    first = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="links_as_first"
    )
    second = models.ForeignKey(
        Case,
        verbose_name=_("linked case"),
        on_delete=models.PROTECT,
        related_name="links_as_second",
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("link between cases")
        verbose_name_plural = _("links between cases")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_link_per_pair"),
            # One order per pair: no case linked to itself, no pair stored twice.
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="case_link_ordered_pair"
            ),
        ]
        indexes = [models.Index(fields=["second", "first"], name="case_link_second")]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}"

    @staticmethod
    def pair(case_id: int, other_id: int) -> tuple[int, int]:
        return (case_id, other_id) if case_id < other_id else (other_id, case_id)


def linked_cases(case: Case) -> models.QuerySet[Case]:
    """The cases linked to `case`, whichever side of the pair it is stored on."""
    return Case.objects.filter(
        Q(pk__in=CaseLink.objects.filter(first=case).values("second"))
        | Q(pk__in=CaseLink.objects.filter(second=case).values("first"))
    )


def linked_case_ids(case: Case) -> list[int]:
    """The ids of the cases linked to `case`, from the links prefetched with it if they were
    (`prefetch_related("links_as_first", "links_as_second")`)."""
    return sorted(
        [link.second_id for link in case.links_as_first.all()]
        + [link.first_id for link in case.links_as_second.all()]
    )


def attachment_path(instance: Attachment, filename: str) -> str:
    case = instance.case
    return f"cases/{case.registration_year}/{case.pk}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class NotificationTemplate(models.Model):
    """Text of the messages residents receive, per occasion and language."""

    class Occasion(models.TextChoices):
        REGISTERED = "registered", _("case registered")
        STATUS_CHANGED = "status_changed", _("status changed")
        RESOLVED = "resolved", _("case resolved, with the satisfaction question")
        MESSAGE = "message", _("message from the city")
        DEADLINE_EXTENDED = "deadline_extended", _("deadline extended")

    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion)
    language = models.CharField(_("language"), max_length=8, default="ro")
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("Django template; {{ case.number }} etc.")
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Django template. Available: case, status, message, answer, tracking_url, city_name; "
            "when a case is resolved also satisfied_url and not_resolved_url."
        ),
    )

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "language"], name="one_template_per_occasion_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} ({self.language})"
