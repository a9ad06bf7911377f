"""What the resident chose to be told by email, and what became of the mail sent to them.

A resident may stop the optional news of their case (status news such as "in progress");
the answer and the notices the law requires are sent whatever they chose
(`notifications.is_required`). Each choice is recorded on the case, so that the officer sees
it in the history and on the card.
"""

from __future__ import annotations

from django.db import transaction

from cetate.cases.choices import EventKind
from cetate.cases.models import Case, Event
from cetate.cases.services._core import append_event, locked_case
from cetate.lib import clock


@transaction.atomic
def stop_updates(*, case_id: int) -> Case:
    """The resident, holding the tracking code, asks for no more optional news by email.

    Asking again changes nothing and records nothing.
    """
    case = locked_case(case_id)
    if case.updates_stopped_at is None:
        case.updates_stopped_at = clock.now()
        append_event(case, EventKind.UPDATES_STOPPED, actor=None, data={"by": "resident"})
        case.save()
    return case


@transaction.atomic
def restart_updates(*, case_id: int) -> Case:
    """The resident asks for the news by email again."""
    case = locked_case(case_id)
    if case.updates_stopped_at is not None:
        case.updates_stopped_at = None
        append_event(case, EventKind.UPDATES_RESTARTED, actor=None, data={"by": "resident"})
        case.save()
    return case


@transaction.atomic
def record_notification_failure(
    *, about: Event, channel: str, recipient: str, reason: str
) -> Event:
    """Record that telling the resident about `about` failed, for the officer to act on.

    `reason` names the kind of failure only (e.g. the error's class), never the mail.
    """
    case = locked_case(about.case_id)
    event = append_event(
        case,
        EventKind.NOTIFICATION_FAILED,
        actor=None,
        data={"about": about.seq, "channel": channel, "recipient": recipient, "reason": reason},
    )
    case.save()
    return event
