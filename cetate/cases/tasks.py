"""Background jobs of the register. Each takes ids, is idempotent, and is enqueued on commit."""

from __future__ import annotations

from django_tasks import task

from cetate.cases.choices import EventKind
from cetate.cases.models import Event
from cetate.cases.notifications import resident_message


@task()
def notify_resident(event_id: int) -> bool:
    """Email the resident about one event of their case, once. Returns whether mail went out."""
    from cetate.cases.services import record_notification

    event = Event.objects.select_related("case__reporter", "case__category__parent").get(
        pk=event_id
    )
    already = Event.objects.filter(
        case_id=event.case_id, kind=EventKind.NOTIFICATION_SENT, data__about=event.seq
    ).exists()
    if already:
        return False
    # The resident can stop the update mails of a case from its tracking page (the portal
    # records it); the register only reads the choice.
    if Event.objects.filter(pk=event_id, case__stopped_updates__isnull=False).exists():
        return False
    message = resident_message(event)
    if message is None:
        return False
    message.send()
    record_notification(about=event, channel="email", recipient=message.to[0])
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
