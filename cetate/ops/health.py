"""Whether this installation can do its work: database reachable, job worker keeping up,
mail going out, nothing set aside for an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cetate.outbox.models import OutgoingMail


def database_status() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def worker_status() -> dict[str, object]:
    """A worker is healthy when no job has waited longer than WORKER_STALE_SECONDS and none
    was set aside after failing every attempt or losing its worker too often."""
    stale_after = timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    now = timezone.now()
    try:
        waiting = DBTaskResult.objects.ready()
        first = waiting.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
        last_finished = (
            DBTaskResult.objects.filter(finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        queued = waiting.count()
        set_aside = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    oldest = None
    if first is not None:
        enqueued_at, run_after = first
        # A job delayed on purpose has waited only since the moment it was due.
        oldest = max(enqueued_at, run_after) if run_after <= now else enqueued_at
    late = oldest is not None and now - oldest > stale_after
    return {
        "ok": not late and not set_aside,
        "queued": queued,
        "set_aside": set_aside,
        "oldest_waiting_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "last_finished": last_finished.isoformat() if last_finished else None,
    }


def mail_status() -> dict[str, object]:
    """Mail is healthy when none has been due for longer than WORKER_STALE_SECONDS (the mail
    server is reachable and the worker runs) and none was set aside."""
    stale_after = timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    now = timezone.now()
    try:
        waiting = OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
        first_due = (
            waiting.filter(next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        last_error = waiting.exclude(last_error="").values_list("last_error", flat=True).first()
        set_aside = OutgoingMail.objects.filter(status=OutgoingMail.Status.PARKED).count()
        queued = waiting.count()
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    oldest = int((now - first_due).total_seconds()) if first_due else 0
    return {
        "ok": oldest <= stale_after.total_seconds() and not set_aside,
        "waiting": queued,
        "oldest_due_seconds": oldest,
        "last_error": last_error or "",
        "set_aside": set_aside,
    }


@dataclass(frozen=True)
class Stuck:
    """What the supervisor is told when mail or jobs are not getting through."""

    mail_set_aside: int
    jobs_set_aside: int
    mail_late: int  # due for longer than WORKER_STALE_SECONDS: the mail server or worker is down
    mail_late_since: datetime | None

    def __bool__(self) -> bool:
        return bool(self.mail_set_aside or self.jobs_set_aside or self.mail_late)


def stuck() -> Stuck:
    late_before = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    late = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.PENDING, next_attempt_at__lt=late_before
    )
    return Stuck(
        mail_set_aside=OutgoingMail.objects.filter(status=OutgoingMail.Status.PARKED).count(),
        jobs_set_aside=DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
        mail_late=late.count(),
        mail_late_since=late.order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first(),
    )
