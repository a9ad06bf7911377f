from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REQUEST = "request", _("request")
    COMPLAINT = "complaint", _("complaint")
    REPORT = "report", _("report of a problem")
    PROPOSAL = "proposal", _("proposal")
    INFORMATION = "information", _("public information request")
    INQUIRY = "inquiry", _("question")


PETITION_KINDS = frozenset({Kind.REQUEST, Kind.COMPLAINT, Kind.REPORT, Kind.PROPOSAL})


class Channel(models.TextChoices):
    PORTAL = "portal", _("web portal")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("email")
    KIOSK = "kiosk", _("info kiosk")
    DESK = "desk", _("front desk")
    API = "api", _("API")


class Priority(models.IntegerChoices):
    LOW = 1, _("low")
    NORMAL = 2, _("normal")
    HIGH = 3, _("high")
    URGENT = 4, _("urgent")


class EventKind(models.TextChoices):
    CREATED = "created", _("registered")
    STATUS_CHANGED = "status_changed", _("status changed")
    ASSIGNED = "assigned", _("assigned")
    REROUTED = "rerouted", _("sent to another department")
    REDIRECTED = "redirected", _("redirected to an external organisation")
    NOTE = "note", _("internal note")
    MESSAGE = "message", _("message to the resident")
    ATTACHMENT = "attachment", _("document attached")
    DEADLINE_EXTENDED = "deadline_extended", _("deadline extended")
    MERGED = "merged", _("merged into another case")
    MERGED_IN = "merged_in", _("another case merged into this one")
    REOPENED = "reopened", _("reopened")
    REGISTRATION_CANCELLED = "registration_cancelled", _("registration cancelled")
    EDITED = "edited", _("details corrected")
    NOTIFICATION_SENT = "notification_sent", _("notification sent")
    DEADLINE_REMINDER = "deadline_reminder", _("deadline reminder sent")
    DEADLINE_ESCALATED = "deadline_escalated", _("escalated to the head and the supervisor")
    ACCEPTED = "accepted", _("accepted by an officer")
    FORWARDED = "forwarded", _("sent to the external organisation")
    FEEDBACK = "feedback", _("resident's feedback")
    IDENTITY_CHECKED = "identity_checked", _("resident's identity checked by staff")
    CONTACT_MERGED = "contact_merged", _("resident's contacts merged")
    SUMMARY_PUBLISHED = "summary_published", _("summary for the public published")
    LINKED = "linked", _("linked to a report of the same problem")
    UNLINKED = "unlinked", _("link to another case removed")
    UPDATES_STOPPED = "updates_stopped", _("resident stopped the news emails")
    UPDATES_RESTARTED = "updates_restarted", _("resident asked for the news emails again")
    NOTIFICATION_FAILED = "notification_failed", _("notification could not be sent")
    ANONYMISED = "anonymised", _("personal data removed")
    DATA_PROTECTION = "data_protection", _("data protection officer's action")


# The events a resident, a follower or an integrator may read on a case's public history.
PUBLIC_EVENT_KINDS = frozenset(
    {EventKind.CREATED, EventKind.STATUS_CHANGED, EventKind.MESSAGE, EventKind.DEADLINE_EXTENDED}
)


class Feedback(models.TextChoices):
    """The resident's answer to "is your problem solved?" after the case was resolved."""

    SATISFIED = "satisfied", _("satisfied")
    NOT_RESOLVED = "not_resolved", _("not resolved")
