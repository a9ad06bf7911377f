"""Background jobs of the register. Each takes ids, is idempotent, and is enqueued on commit."""

from __future__ import annotations

import logging

from django_tasks import task

from cetate.cases.choices import EventKind
from cetate.cases.models import Event
from cetate.cases.notifications import is_required, resident_message

logger = logging.getLogger(__name__)


@task()
def notify_resident(event_id: int) -> bool:
    """Email the resident about one event of their case, once. Returns whether mail went out."""
    from cetate.cases.services import record_notification, record_notification_failure

    event = Event.objects.select_related("case__reporter", "case__category__parent").get(
        pk=event_id
    )
    already = Event.objects.filter(
        case_id=event.case_id, kind=EventKind.NOTIFICATION_SENT, data__about=event.seq
    ).exists()
    if already:
        return False
    # A resident who stopped the news of their case still gets what they must be told.
    if event.case.updates_stopped_at is not None and not is_required(event):
        return False
    message = resident_message(event)
    if message is None:
        return False
    recipient = message.to[0]
    try:
        message.send()
    except OSError as failure:  # smtplib's errors and the network's
        # The officer sees it on the case and tells the resident another way. The error's text
        # may hold the address: the log names the case and the kind of failure only.
        reason = type(failure).__name__
        logger.warning("mail about case %s event %s failed: %s", event.case_id, event.seq, reason)
        record_notification_failure(
            about=event, channel="email", recipient=recipient, reason=reason
        )
        return False
    record_notification(about=event, channel="email", recipient=recipient)
    return True


@task()
def notify_staff(event_id: int) -> int:
    """Email the staff named by a deadline reminder or escalation, once. Returns how many."""
    from cetate.cases.services.reminders import send_staff_mail

    return len(send_staff_mail(event_id))


@task()
def sweep_deadlines() -> int:
    """Record the deadline reminders and escalations owed now. Returns how many were new."""
    from cetate.cases.services.reminders import sweep_deadlines as sweep

    result = sweep()
    return len(result.reminders) + len(result.escalations)


@task()
def forward_case(event_id: int) -> bool:
    """Email the external organisation a case redirected to it, once. Returns whether mail
    went out."""
    from cetate.cases.services.forwarding import send_forwarding

    return send_forwarding(event_id) is not None
