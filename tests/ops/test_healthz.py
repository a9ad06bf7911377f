from datetime import timedelta

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cetate.cases.tasks import sweep_deadlines
from cetate.outbox.models import OutgoingMail
from cetate.outbox.posting import post_message


def test_healthy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["worker"] == {
        "ok": True,
        "queued": 0,
        "set_aside": 0,
        "oldest_waiting_seconds": 0,
        "last_finished": None,
    }
    assert body["mail"] == {
        "ok": True,
        "waiting": 0,
        "late_since": None,
        "last_error": "",
        "set_aside": 0,
    }


def test_a_job_waiting_too_long_means_the_worker_is_down(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sweep_deadlines.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["queued"] == 1
    assert body["worker"]["oldest_waiting_seconds"] >= 600


def test_a_job_set_aside_after_its_attempts_is_reported(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sweep_deadlines.enqueue()
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["worker"]["set_aside"] == 1


def test_mail_that_cannot_go_out_is_reported(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post_message(to="ion@example.org", subject="Link", body="…")
    # Tried and refused for ten minutes, its next attempt later still.
    created = timezone.now() - timedelta(minutes=10)
    OutgoingMail.objects.update(
        created_at=created,
        next_attempt_at=timezone.now() + timedelta(minutes=8),
        attempts=3,
        last_error="ConnectionRefusedError",
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    mail = response.json()["mail"]
    assert mail["ok"] is False
    assert mail["waiting"] == 1
    assert mail["late_since"] == created.isoformat()
    assert mail["last_error"] == "ConnectionRefusedError"

    OutgoingMail.objects.update(status=OutgoingMail.Status.PARKED)
    mail = client.get("/healthz").json()["mail"]
    assert (mail["ok"], mail["set_aside"], mail["waiting"]) == (False, 1, 0)


def test_mail_waiting_for_its_hour_is_not_late(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post_message(to="ion@example.org", subject="Link", body="…")
    # A staff reminder waits for working hours.
    OutgoingMail.objects.update(
        created_at=timezone.now() - timedelta(hours=10),
        next_attempt_at=timezone.now() + timedelta(hours=2),
    )
    assert client.get("/healthz").json()["mail"]["ok"] is True


def test_mail_due_and_never_tried_means_the_worker_is_down(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post_message(to="ion@example.org", subject="Link", body="…")
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=3))
    assert client.get("/healthz").json()["mail"]["ok"] is False
