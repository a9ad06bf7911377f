"""The worker: a job or a mail whose worker died is taken again, failures are retried and then
set aside, and a worker killed mid-send sends the mail exactly once after it is restarted."""

import asyncio
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cetate.ops.worker import Worker, housekeeping
from tests.conftest import Inbox, free_port

MANAGE = str(settings.BASE_DIR / "manage.py")
calls: list[str] = []


@task()
def fails_twice_then_works(name: str) -> str:
    calls.append(name)
    if len(calls) < 3:
        raise ConnectionError("the remote service is down")
    return "done"


@task()
def always_fails() -> None:
    raise ConnectionError("the remote service is down")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    calls.clear()


def work() -> None:
    with mock.patch("cetate.ops.worker.close_old_connections"):  # as Django's test client does
        Worker(interval=0, worker_id="test", batch=True).run()


def test_a_failing_job_is_tried_again_later_until_it_works(db, database_queue):
    fails_twice_then_works.enqueue("forwarding")
    work()
    [job] = DBTaskResult.objects.all()
    assert job.status == TaskResultStatus.READY  # waiting for its second attempt
    assert job.run_after > timezone.now() + timedelta(seconds=25)

    for _ in range(2):
        DBTaskResult.objects.update(run_after=timezone.now())
        work()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert calls == ["forwarding"] * 3


def test_a_job_that_keeps_failing_is_set_aside_and_reported(client, db, database_queue, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    always_fails.enqueue()
    work()
    DBTaskResult.objects.update(run_after=timezone.now())
    work()
    [job] = DBTaskResult.objects.all()
    assert job.status == TaskResultStatus.FAILED
    assert "the remote service is down" in job.traceback
    assert client.get("/healthz").json()["worker"]["set_aside"] == 1


def test_a_job_whose_worker_died_runs_again_after_its_lease(db, database_queue, settings):
    settings.JOB_LEASE_SECONDS = 60
    fails_twice_then_works.enqueue("x")
    calls.extend(["earlier", "attempts"])
    job = DBTaskResult.objects.get()
    job.claim("a worker that was killed")
    housekeeping()
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING  # within its lease

    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(seconds=61))
    housekeeping()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    work()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


class Stalling(Inbox):
    """Takes the first message's DATA and never answers; accepts the later ones."""

    def __init__(self):
        super().__init__()
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(3600)
        return await super().handle_DATA(server, session, envelope)


def manage_shell(env, code: str) -> str:
    done = subprocess.run(
        [sys.executable, MANAGE, "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_worker_killed_while_sending_leaves_the_mail_sent_exactly_once(own_sqlite, tmp_path):
    sink = Stalling()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **own_sqlite,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "OUTBOX_LEASE_SECONDS": "3",
        "EMAIL_TIMEOUT": "120",
    }
    manage_shell(
        env,
        "from cetate.outbox.posting import post_message; "
        "post_message(to='ion@example.org', subject='Receipt 7/2026', body='Your case.')",
    )
    log = (tmp_path / "worker.log").open("w")
    try:
        first = subprocess.Popen(
            [sys.executable, MANAGE, "worker", "--interval", "0.2"], env=env, stdout=log, stderr=log
        )
        assert sink.stalled.wait(60), "the worker never started sending"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert sink.messages == []

        second = subprocess.Popen(
            [sys.executable, MANAGE, "worker", "--interval", "0.2"], env=env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 60
        while not sink.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # nothing more arrives
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    finally:
        controller.stop()
    assert [message["Subject"] for message in sink.messages] == ["Receipt 7/2026"]
    status = manage_shell(
        env,
        "from cetate.outbox.models import OutgoingMail; "
        "print(*OutgoingMail.objects.values_list('status', 'attempts').get())",
    )
    assert status == "sent 2"


def test_a_locked_or_unreachable_database_pauses_the_worker_instead_of_stopping_it(db, mailoutbox):
    from django.db import OperationalError

    from cetate.outbox.posting import post_message
    from cetate.outbox.sending import send_due

    post_message(to="ion@example.org", subject="Link", body="…")
    answers = [OperationalError("database is locked"), OperationalError("server closed")]

    def flaky(limit):
        if answers:
            raise answers.pop(0)
        return send_due(limit)

    pauses: list[float] = []
    with (
        mock.patch("cetate.ops.worker.send_due", flaky),
        mock.patch("cetate.ops.worker.time.sleep", pauses.append),
        mock.patch("cetate.ops.worker.connections.close_all"),
    ):
        work()
    assert pauses == [2, 4]  # and longer each time, up to 30 s
    assert [message.to for message in mailoutbox] == [["ion@example.org"]]
