import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from cetate.webhooks import outbox
from cetate.webhooks.models import Subscription
from cetate.webhooks.tasks import deliver

DELIVER = deliver.module_path


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server on a free local port: answers POSTs with the codes in `answers`, in
    turn (200 once they run out), and keeps what it received."""

    url: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)


@pytest.fixture(autouse=True)
def _loopback_receivers(settings):
    """Tests post to 127.0.0.1, which production refuses unless the network is allowed."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    outbox.forget()
    yield
    # The test's subscriptions are rolled back: later tests must not think any are active.
    outbox.forget()


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/cetate?city=alba"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscription(db, receiver):
    """A subscription to what the resident sees happen: registration, status, messages."""
    return Subscription.objects.create(
        name="Sistemul de lucrări",
        url=receiver.url,
        event_kinds=["created", "status_changed", "message"],
    )


@pytest.fixture
def database_queue(settings):
    """The production job queue, whose jobs the test runs itself with `run_due_jobs`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_due_jobs() -> list[str | None]:
    """Run the queued jobs that are due now, as a worker would; what the delivery jobs
    returned."""
    results = []
    for row in DBTaskResult.objects.ready().order_by("run_after", "enqueued_at"):
        value = row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.set_successful(value)
        if row.task_path == DELIVER:
            results.append(value)
    return results


def waiting_jobs() -> list[DBTaskResult[..., object]]:
    """The delivery jobs still queued."""
    return list(
        DBTaskResult.objects.filter(status="READY", task_path=DELIVER).order_by("run_after")
    )
