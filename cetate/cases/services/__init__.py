"""The case services: the only code that changes a case."""

from cetate.cases.services._core import StaleCase
from cetate.cases.services.actions import (
    accept,
    add_attachment,
    add_note,
    assign,
    cancel_registration,
    change_status,
    correct_details,
    extend_deadline,
    may,
    merge,
    message_resident,
    record_notification,
    redirect,
    reopen,
)
from cetate.cases.services.bounces import record_bounce
from cetate.cases.services.bulk import BulkResult, CaseOutcome, assign_many
from cetate.cases.services.court import record_court_complaint
from cetate.cases.services.decisions import Decision, bases_for
from cetate.cases.services.dispatch import relocate, triage
from cetate.cases.services.exits import record_answer_sent
from cetate.cases.services.feedback import feedback_refusal, record_feedback
from cetate.cases.services.intake import InvalidCase, open_case
from cetate.cases.services.links import (
    AnsweredTogether,
    link_cases,
    resolve_together,
    unlink_cases,
)
from cetate.cases.services.publication import publish_summary
from cetate.cases.services.receipts import mail_receipt
from cetate.cases.services.register import record_register_details
from cetate.cases.services.replies import (
    FINISHED,
    mark_reply_read,
    record_resident_reply,
    reply_opens_new_case,
)
from cetate.cases.services.reporters import move_cases_to_contact
from cetate.cases.services.updates import (
    record_notification_failure,
    restart_updates,
    stop_updates,
)

__all__ = [
    "FINISHED",
    "AnsweredTogether",
    "BulkResult",
    "CaseOutcome",
    "Decision",
    "InvalidCase",
    "StaleCase",
    "accept",
    "add_attachment",
    "add_note",
    "assign",
    "assign_many",
    "bases_for",
    "cancel_registration",
    "change_status",
    "correct_details",
    "extend_deadline",
    "feedback_refusal",
    "link_cases",
    "mail_receipt",
    "mark_reply_read",
    "may",
    "merge",
    "message_resident",
    "move_cases_to_contact",
    "open_case",
    "publish_summary",
    "record_answer_sent",
    "record_bounce",
    "record_court_complaint",
    "record_feedback",
    "record_notification",
    "record_notification_failure",
    "record_register_details",
    "record_resident_reply",
    "redirect",
    "relocate",
    "reopen",
    "reply_opens_new_case",
    "resolve_together",
    "restart_updates",
    "stop_updates",
    "triage",
    "unlink_cases",
]
