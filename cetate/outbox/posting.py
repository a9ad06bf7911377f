"""Owing mail: a row written in the caller's transaction, so that it exists exactly when the
change that owes it committed.

On the database job queue the worker polls the outbox itself; on any other queue a job is
queued once the transaction commits, to send the mail at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend

from cetate.lib import clock
from cetate.outbox.models import OutgoingMail, Purpose


def post(
    *,
    purpose: str,
    key: str,
    case_id: int | None = None,
    event_id: int | None = None,
    params: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> OutgoingMail | None:
    """Owe the mail `key`, to be sent once the transaction commits, not before `at`.

    Replayed history (demo data, imports) owes nothing: what the mail would say was said
    back then.
    """
    if clock.is_replaying():
        return None
    from cetate.outbox.tasks import send_mail

    backend = send_mail.get_backend()
    now = clock.now()
    # A queue that cannot hold a job until later sends at once.
    due = at if at is not None and at > now and backend.supports_defer else now
    mail = OutgoingMail.objects.create(
        purpose=purpose,
        key=key,
        case_id=case_id,
        event_id=event_id,
        params=params or {},
        next_attempt_at=due,
    )
    if not isinstance(backend, DatabaseBackend):
        mail_id = mail.pk
        job = send_mail.using(run_after=due) if due > now else send_mail
        transaction.on_commit(lambda: job.enqueue(mail_id))
    return mail


def post_message(
    *, to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> OutgoingMail | None:
    """Owe a message rendered now, such as a portal link."""
    return post(
        purpose=Purpose.PORTAL,
        key=f"portal:{uuid.uuid4().hex}",
        params={"to": to, "subject": subject, "body": body, "headers": headers or {}},
    )
