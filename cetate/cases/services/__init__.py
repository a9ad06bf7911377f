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
from cetate.cases.services.bulk import BulkResult, CaseOutcome, assign_many
from cetate.cases.services.dispatch import relocate, triage
from cetate.cases.services.feedback import feedback_refusal, record_feedback
from cetate.cases.services.intake import InvalidCase, open_case
from cetate.cases.services.publication import publish_summary
from cetate.cases.services.reporters import move_cases_to_contact

__all__ = [
    "BulkResult",
    "CaseOutcome",
    "InvalidCase",
    "StaleCase",
    "accept",
    "add_attachment",
    "add_note",
    "assign",
    "assign_many",
    "cancel_registration",
    "change_status",
    "correct_details",
    "extend_deadline",
    "feedback_refusal",
    "may",
    "merge",
    "message_resident",
    "move_cases_to_contact",
    "open_case",
    "publish_summary",
    "record_feedback",
    "record_notification",
    "redirect",
    "relocate",
    "reopen",
    "triage",
]
