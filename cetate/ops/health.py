"""Whether this installation can do its work: database reachable, job worker keeping up."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def database_status() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def worker_status() -> dict[str, object]:
    """A worker is healthy when no job has waited longer than WORKER_STALE_SECONDS."""
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
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    oldest = None
    if first is not None:
        enqueued_at, run_after = first
        # A job delayed on purpose has waited only since the moment it was due.
        oldest = max(enqueued_at, run_after) if run_after <= now else enqueued_at
    late = oldest is not None and now - oldest > stale_after
    return {
        "ok": not late,
        "queued": queued,
        "oldest_waiting_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "last_finished": last_finished.isoformat() if last_finished else None,
    }
