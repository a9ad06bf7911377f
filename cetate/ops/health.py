"""Whether this installation can do its work: database reachable, job worker keeping up,
mail going out, nothing set aside for an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q, QuerySet
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


def late_mail(now: datetime) -> QuerySet[OutgoingMail]:
    """Mail that should have gone out by now: due for longer than WORKER_STALE_SECONDS (the
    worker is not running), or tried and failed and owed for that long (the mail server does
    not take it, and each retry moves its next attempt later)."""
    before = now - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING).filter(
        Q(next_attempt_at__lt=before) | Q(attempts__gt=0, created_at__lt=before)
    )


def _waiting_since(late: QuerySet[OutgoingMail]) -> datetime | None:
    return late.order_by("created_at").values_list("created_at", flat=True).first()


def mail_status() -> dict[str, object]:
    """Mail is healthy when none is late (the mail server takes it and the worker runs) and
    none was set aside."""
    now = timezone.now()
    try:
        waiting = OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
        since = _waiting_since(late_mail(now))
        last_error = waiting.exclude(last_error="").values_list("last_error", flat=True).first()
        set_aside = OutgoingMail.objects.filter(status=OutgoingMail.Status.PARKED).count()
        queued = waiting.count()
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {
        "ok": since is None and not set_aside,
        "waiting": queued,
        "late_since": since.isoformat() if since else None,
        "last_error": last_error or "",
        "set_aside": set_aside,
    }


@dataclass(frozen=True)
class Stuck:
    """What the supervisor is told when mail or jobs are not getting through."""

    mail_set_aside: int
    jobs_set_aside: int
    mail_late: int
    mail_late_since: datetime | None

    def __bool__(self) -> bool:
        return bool(self.mail_set_aside or self.jobs_set_aside or self.mail_late)


def stuck() -> Stuck:
    late = late_mail(timezone.now())
    return Stuck(
        mail_set_aside=OutgoingMail.objects.filter(status=OutgoingMail.Status.PARKED).count(),
        jobs_set_aside=DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
        mail_late=late.count(),
        mail_late_since=_waiting_since(late),
    )
