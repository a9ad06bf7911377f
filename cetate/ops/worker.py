"""The worker: queued jobs, owed mail, webhook deliveries and the city's mailbox, until it is
told to stop.

It extends django-tasks' database worker with what a register open 7 days out of 7 needs:

- a job still running when its lease ends (JOB_LEASE_SECONDS) lost its worker, and is run again;
- a job that fails is tried again later, JOB_MAX_ATTEMPTS times in all, then set aside (left
  FAILED) for an administrator, who sees it in the admin, on supervision and in /healthz;
- owed mail (cetate/outbox/) and webhook deliveries are read from their own tables, so that
  nothing owed waits on a job row that was lost;
- the city's mailbox (MAIL_IMAP_URL) is read every MAIL_POLL_SECONDS (cetate/mail/polling.py),
  and a stored message whose handling was cut short is decided once MAIL_DECIDING_SECONDS
  have passed (cetate/mail/pipeline.py);
- a database that is locked, restarting or out of reach pauses the worker, longer each time
  up to MAX_PAUSE_SECONDS, instead of stopping it.

Every job and every sending claims its work first, so any number of workers can run.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from cetate.mail.imap import MailboxUnavailable
from cetate.mail.pipeline import decide_undecided
from cetate.mail.polling import poll_mailbox
from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send_due
from cetate.webhooks.models import Delivery
from cetate.webhooks.sending import attempt as attempt_delivery

logger = logging.getLogger(__name__)

DATABASE_TROUBLE = (OperationalError, InterfaceError)
HOUSEKEEPING_SECONDS = 30
MAX_PAUSE_SECONDS = 30
# Finished jobs and sent mail are forgotten after this; what was sent is on the case.
KEEP_FINISHED_DAYS = 14
FORGET_BATCH = 1000
# Messages left undecided, decided at a time: each may open a case.
UNDECIDED_BATCH = 10
LOST_WORKER = "The worker stopped during the job (it was stopped, or its process died)."


def job_backoff(attempts: int) -> timedelta:
    """How long a failed job waits before its next attempt: 30 s, 1, 2, 4 … minutes."""
    return timedelta(seconds=30 * 2 ** (max(attempts, 1) - 1))


class Worker(DatabaseWorker):
    def __init__(self, *, interval: float, worker_id: str, batch: bool = False) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.housekept_at = float("-inf")
        self.mailbox_read_at = float("-inf")
        self.undecided_read_at = float("-inf")

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        pauses = 0
        while self.running:
            try:
                busy = self.step()
            except DATABASE_TROUBLE as error:
                pauses += 1
                pause = min(2**pauses, MAX_PAUSE_SECONDS)
                logger.warning(
                    "database unavailable (%s); trying again in %d s", type(error).__name__, pause
                )
                connections.close_all()
                time.sleep(pause)
                continue
            except Exception:
                if self.batch:
                    raise
                # A fault in one piece of work must not stop the others; what it claimed is
                # taken again when its lease ends.
                logger.exception("worker step failed")
                time.sleep(self.interval or 1)
                continue
            pauses = 0
            if self.batch and not busy:
                return
            if self.running and not busy:
                time.sleep(self.interval)

    def step(self) -> bool:
        """Do one piece of work if any is due: a job, a mail, a delivery. Whether there was."""
        close_old_connections()
        if time.monotonic() - self.housekept_at > HOUSEKEEPING_SECONDS:
            housekeeping()
            self.housekept_at = time.monotonic()
        if jobs_in_database() and self.run_next_job():
            return True
        if time.monotonic() - self.mailbox_read_at > settings.MAIL_POLL_SECONDS:
            self.mailbox_read_at = time.monotonic()
            if read_mailbox():
                return True
        if time.monotonic() - self.undecided_read_at > HOUSEKEEPING_SECONDS:
            self.undecided_read_at = time.monotonic()
            if decide_undecided(limit=UNDECIDED_BATCH):
                return True
        # A stop asked for meanwhile waits for the sending to end, as it does for a job.
        self.running_task = True
        try:
            return send_due(limit=1) > 0 or attempt_due_deliveries(limit=1) > 0
        finally:
            self.running_task = False

    def run_next_job(self) -> bool:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(ready.db):
            job = ready.get_locked()
            if job is not None:
                job.claim(self.worker_id)
        if job is None:
            return False
        self.run_task(job)
        return True

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            retry_or_set_aside(db_task_result)


def retry_or_set_aside(job: DBTaskResult[Any, Any]) -> None:
    """Run a failed job again later, unless it had all its attempts (one per claim)."""
    attempts = len(job.worker_ids)
    if attempts >= settings.JOB_MAX_ATTEMPTS:
        logger.error("job %s (%s) set aside after %d attempts", job.pk, job.task_name, attempts)
        return
    DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + job_backoff(attempts),
        finished_at=None,
    )


def recover_abandoned_jobs() -> int:
    """Run again the jobs whose worker died; set aside those that had all their attempts."""
    now = timezone.now()
    abandoned = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.JOB_LEASE_SECONDS),
    )
    recovered = 0
    for job in abandoned.only("pk", "started_at", "worker_ids", "task_path"):
        still_abandoned = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        if len(job.worker_ids) >= settings.JOB_MAX_ATTEMPTS:
            still_abandoned.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="",
                traceback=LOST_WORKER,
            )
            logger.error("job %s lost its worker %d times: set aside", job.pk, len(job.worker_ids))
        else:
            recovered += still_abandoned.update(status=TaskResultStatus.READY, run_after=now)
            logger.warning("job %s lost its worker; it will run again", job.pk)
    return recovered


def attempt_due_deliveries(limit: int) -> int:
    """Try the webhook deliveries due now, up to `limit`; how many were tried."""
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(attempt_delivery(delivery_id) is not None for delivery_id in list(due))


def forget_finished() -> None:
    """Forget, a batch at a time, jobs that succeeded and mail sent long ago."""
    before = timezone.now() - timedelta(days=KEEP_FINISHED_DAYS)
    old_jobs = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=before
    ).values_list("pk", flat=True)[:FORGET_BATCH]
    DBTaskResult.objects.filter(pk__in=list(old_jobs)).delete()
    old_mail = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.DROPPED],
        created_at__lt=before,
    ).values_list("pk", flat=True)[:FORGET_BATCH]
    OutgoingMail.objects.filter(pk__in=list(old_mail)).delete()


def read_mailbox() -> bool:
    """Poll the city's mailbox, when there is one; whether a message came in. A mailbox out of
    reach is logged and tried again at the next poll: the messages wait on the server."""
    try:
        result = poll_mailbox()
    except MailboxUnavailable as error:
        logger.warning("mailbox not read: %s", error)
        return False
    return result is not None and bool(result.stored)


def jobs_in_database() -> bool:
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def housekeeping() -> None:
    if jobs_in_database():
        recover_abandoned_jobs()
    forget_finished()
