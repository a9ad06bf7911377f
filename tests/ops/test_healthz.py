from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cetate.cases.tasks import notify_resident


def test_healthy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["worker"] == {
        "ok": True,
        "queued": 0,
        "oldest_waiting_seconds": 0,
        "last_finished": None,
    }


def test_a_job_waiting_too_long_means_the_worker_is_down(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    notify_resident.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["queued"] == 1
    assert body["worker"]["oldest_waiting_seconds"] >= 600
