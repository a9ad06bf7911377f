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
    POST = "post", _("letter by post")
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
    ANSWER_SENT = "answer_sent", _("answer sent (exit recorded in the register)")
    REGISTER_DETAILS = "register_details", _("register details recorded")
    COURT_RULING = "court_ruling", _("complaint to the court recorded")
    RECEIPT_MAILED = "receipt_mailed", _("registration receipt sent by email on request")
    RESIDENT_REPLIED = "resident_replied", _("resident's reply by email")
    MAIL_BOUNCED = "mail_bounced", _("email to the resident bounced")


# The events a resident, a follower or an integrator may read on a case's public history.
PUBLIC_EVENT_KINDS = frozenset(
    {EventKind.CREATED, EventKind.STATUS_CHANGED, EventKind.MESSAGE, EventKind.DEADLINE_EXTENDED}
)


class Feedback(models.TextChoices):
    """The resident's answer to "is your problem solved?" after the case was resolved."""

    SATISFIED = "satisfied", _("satisfied")
    NOT_RESOLVED = "not_resolved", _("not resolved")


class Outcome(models.TextChoices):
    """What the city decided on a case, recorded when it is answered (the register and the
    legal reports count by it)."""

    GRANTED = "granted", _("granted")
    PARTLY_GRANTED = "partly_granted", _("partly granted")
    REFUSED = "refused", _("refused")
    REDIRECTED = "redirected", _("redirected")
    # OG 27/2002 art. 7: an anonymous petition, or one without an address to answer to.
    FILED = "filed", _("filed, not considered")


class RefusalGround(models.TextChoices):
    """Why a public-information request was refused, as Law 544/2001's yearly report
    groups refusals (HG 123/2002, as amended by HG 478/2016)."""

    EXEMPTED = "exempted", _("exempted by law (Law 544/2001, art. 12)")
    NOT_HELD = "not_held", _("the information does not exist")
    OTHER = "other", _("other reasons")


class InformationTopic(models.TextChoices):
    """The subject areas Law 544/2001's yearly report counts requests by."""

    PUBLIC_MONEY = "public_money", _("use of public money (contracts, investments, spending)")
    DUTIES = "duties", _("how the institution carries out its duties")
    REGULATIONS = "regulations", _("laws, regulations and decisions")
    LEADERS = "leaders", _("the activity of the institution's leaders")
    LAW_544 = "law_544", _("how Law 544/2001 is applied")
    OTHER = "other", _("other")


class CourtRuling(models.TextChoices):
    """Where a complaint to the court against the city's answer stands (Law 544/2001 art. 22)."""

    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("upheld (against the city)")
    REJECTED = "rejected", _("rejected (in the city's favour)")
