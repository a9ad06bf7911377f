"""SQLite's write lock held by another process past the busy timeout: what residents, staff and
other systems get, and that nothing is lost or registered twice.

The lock is real: a second process opens the same database file and holds `BEGIN IMMEDIATE`
(writes wait, pages are still read).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client

from cetate.accounts import staff_sessions
from cetate.api.tokens import issue_token
from cetate.cases.models import Case
from cetate.lib import outage
from cetate.open311.keys import create_key
from tests.portal.reporting import last_number, pothole, send
from tests.portal.test_feedback import resolved, url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite's file lock; PostgreSQL: test_restart"
    ),
]

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
BUSY_TIMEOUT = 0.3
NOT_REGISTERED = "The register could not be reached just now; nothing was registered."
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


class LockHolder:
    """Another process holding the database's write lock until released."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> LockHolder:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, connection.settings_dict["NAME"]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"
        return self

    def release(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.process.wait(timeout=10)

    def release_after(self, seconds: float) -> None:
        threading.Timer(seconds, self.release).start()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


@pytest.fixture(autouse=True)
def short_busy_timeout() -> Iterator[None]:
    """Writers give up after BUSY_TIMEOUT seconds instead of 20, and the registration is tried
    again within a second: the tests wait less, the behaviour is the same."""
    options = connection.settings_dict["OPTIONS"]
    saved = options["timeout"]
    connection.close()
    options["timeout"] = BUSY_TIMEOUT
    yield
    connection.close()
    options["timeout"] = saved


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outage, "RETRY_PAUSES", (0.1, 0.2))


class Fields(HTMLParser):
    """The fields a page's form would send: inputs and text areas by name."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if tag == "input" and name and found.get("type") not in {"file", "submit"}:
            self.values[name] = found.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, str]:
    parser = Fields()
    parser.feed(html)
    return parser.values


def test_a_report_sent_while_the_register_is_locked_comes_back_kept_and_burns_no_number(
    client, city, quick_retries
):
    city.report()  # number 1, by phone
    data = pothole(
        city,
        description="Groapă adâncă pe strada Lalelelor, de o săptămână",
        name="Ana Pop",
        email="ana@example.org",
        step="send_anyway",
    )
    with LockHolder():
        response = send(client, data, **EN)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert NOT_REGISTERED in html
    assert "Groapă adâncă pe strada Lalelelor, de o săptămână" in html
    assert 'value="Ana Pop"' in html and 'value="ana@example.org"' in html
    assert Case.objects.count() == 1
    assert last_number() == 1

    # The lock is gone: the same submission registers, with the next number.
    response = send(client, data, **EN)
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.registration_number == 2 == last_number()
    assert case.description == "Groapă adâncă pe strada Lalelelor, de o săptămână"
    assert f"Registered under number {case.number}" in client.get("/report/sent/", **EN).text


def test_a_lock_shorter_than_the_retries_goes_unnoticed(client, city):
    data = pothole(city, description="Stâlp căzut pe trotuar", step="send_anyway")
    with LockHolder() as lock:
        lock.release_after(1.0)
        started = time.monotonic()
        response = send(client, data, **EN)
        waited = time.monotonic() - started

    assert response.status_code == 302
    assert waited >= 1.0  # it outlasted the busy timeout, tried again and got through
    assert Case.objects.get().registration_number == 1 == last_number()


def test_a_call_registered_while_the_register_is_locked_keeps_what_the_dispatcher_typed(
    client, city, quick_retries
):
    client.force_login(city.dispatcher)
    client.get("/console/intake/")  # the session is written before the lock is taken
    data = {
        "kind": "report",
        "category": city.pothole.pk,
        "description": "Capac de canal lipsă în intersecție",
        "name": "Vasile Pop",
        "latitude": "46.07",
        "longitude": "23.58",
        "priority": "2",
    }
    with LockHolder():
        response = client.post("/console/intake/", data, **EN)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert NOT_REGISTERED in html
    assert "Capac de canal lipsă în intersecție" in html and "Vasile Pop" in html
    assert not Case.objects.exists() and last_number() == 0

    response = client.post("/console/intake/", data, **EN)
    assert response.status_code == 302
    assert Case.objects.get().registration_number == 1


def test_the_residents_answer_sent_while_locked_is_kept_then_recorded_once(
    client, city, quick_retries
):
    case = resolved(city)
    data = {"answer": "not_resolved", "comment": "Groapa s-a redeschis după ploaie."}
    with LockHolder():
        response = client.post(url(case, "not-resolved"), data, **EN)

    assert response.status_code == 503
    html = response.content.decode()
    assert NOT_REGISTERED in html
    assert "Groapa s-a redeschis după ploaie." in html
    assert Case.objects.get(pk=case.pk).feedback == ""

    assert client.post(url(case, "not-resolved"), data, **EN).status_code == 200
    assert case.events.filter(kind="feedback").count() == 1


def test_open311_and_the_api_answer_503_in_their_own_shape(client, city, quick_retries):
    _key, api_key = create_key(name="FixMyStreet")
    _token, token = issue_token(user=city.dispatcher, name="tests")
    with LockHolder():
        open311 = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": api_key,
                "service_code": "roads.pothole",
                "lat": "46.07",
                "long": "23.58",
                "description": "Groapă",
            },
            **EN,
        )
        api = client.post(
            "/api/v1/cases/",
            {"kind": "report", "description": "Groapă", "category": city.pothole.pk},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
            **EN,
        )

    assert (open311.status_code, open311["Retry-After"]) == (503, "60")
    assert open311.json() == [
        {
            "code": 503,
            "description": "The register cannot be reached just now. Try again in a minute.",
        }
    ]
    assert (api.status_code, api["Retry-After"]) == (503, "60")
    assert api.json() == {
        "errors": [
            {
                "field": None,
                "code": "unavailable",
                "message": "The register cannot be reached just now. Try again in a minute.",
            }
        ]
    }
    assert not Case.objects.exists() and last_number() == 0


def test_a_session_that_cannot_be_saved_after_the_page_answers_503_not_500(city):
    staff = Client(raise_request_exception=False)
    staff.force_login(city.supervisor)
    session = staff.session
    session[staff_sessions.ACTIVE_AT_KEY] = time.time() - 3600  # this visit renews it
    session.save()
    with LockHolder():
        response = staff.get("/console/", **EN)

    # The page was drawn, then saving the session met the lock, after the CSP header was set.
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "The register cannot be reached just now. Try again in a minute." in response.text


def test_a_call_registered_just_before_the_lock_is_not_offered_to_send_again(city):
    """The lock is taken the moment the registration commits: the case is registered, then
    the staff session cannot be saved. The page says so, and offers nothing to send again."""
    staff = Client(raise_request_exception=False)
    staff.force_login(city.dispatcher)
    session = staff.session
    session[staff_sessions.ACTIVE_AT_KEY] = time.time() - 3600  # this visit renews it
    session.save()
    lock = LockHolder()

    def lock_once_committed(
        sender: type[Case], instance: Case, created: bool, **kwargs: Any
    ) -> None:
        if created:
            transaction.on_commit(lock.__enter__)

    post_save.connect(lock_once_committed, sender=Case, dispatch_uid="test.lock")
    try:
        response = staff.post(
            "/console/intake/",
            {
                "kind": "report",
                "category": city.pothole.pk,
                "description": "Semafor stins la Piața Iuliu Maniu",
                "latitude": "46.07",
                "longitude": "23.58",
                "priority": "2",
            },
            **EN,
        )
    finally:
        post_save.disconnect(sender=Case, dispatch_uid="test.lock")
        lock.release()

    assert response.status_code == 503
    assert "What you sent was recorded" in response.text
    assert "Do not send it again." in response.text
    assert "Semafor stins" not in response.text  # nothing offered to send again
    assert Case.objects.get().description == "Semafor stins la Piața Iuliu Maniu"
