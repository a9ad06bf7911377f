"""PostgreSQL restarted, or a connection cut, while residents send reports: requests during the
restart get a clear page with their text, those after it succeed, and every report the portal
acknowledged is registered, once, with gapless numbers.

The restart is real (pg_ctlcluster, as root): it also cuts this test's own connections, which
are closed and opened again afterwards.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

import psycopg
import pytest
from django.db import connection, connections

from cetate.cases.models import Case
from cetate.intake.portal import Resident, register_from_portal
from cetate.lib.outage import write_reliably
from cetate.ops.management.serving import web_server
from cetate.test import INSIDE
from tests.ops.live import Browser, Server, client_address, free_port, pothole_fields

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOT_REGISTERED = "The register could not be reached just now; nothing was registered."
# Three residents at once: while one report waits in its retries, the others' arrive.
RESIDENTS = 3
ACKNOWLEDGED_BEFORE = 3
ACKNOWLEDGED_AFTER = 5
DEADLINE_SECONDS = 25


def _server_settings() -> dict[str, str]:
    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": str(settings["PORT"] or 5432),
        "user": settings["USER"] or "postgres",
    }


def _admin(dbname: str = "postgres") -> psycopg.Connection:
    server = _server_settings()
    return psycopg.connect(
        dbname=dbname,
        host=server["host"],
        port=server["port"],
        user=server["user"],
        autocommit=True,
    )


def _cluster() -> list[str]:
    """Version and name of the local cluster serving the test database's port."""
    port = _server_settings()["port"]
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    )
    for line in listing.stdout.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if cluster_port == port:
            return [version, name]
    raise AssertionError(f"no local PostgreSQL cluster on port {port}:\n{listing.stdout}")


def restart_postgresql() -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), "restart"],
        check=True,
        timeout=60,
    )
    wait_for_postgresql()


def wait_for_postgresql() -> None:
    server = _server_settings()
    deadline = time.monotonic() + 30
    while subprocess.run(
        ["pg_isready", "-q", "-h", server["host"], "-p", server["port"]], check=False
    ).returncode:
        assert time.monotonic() < deadline, "PostgreSQL did not come back"
        time.sleep(0.1)


@pytest.fixture
def live_database(city) -> Iterator[str]:
    """A copy of the test database, the city in it, for a server of its own."""
    test_database = connection.settings_dict["NAME"]
    copy = f"{test_database}_live"
    connections.close_all()  # a template may have no other connection
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        for attempt in range(5):
            # Idle connections of other threads (a live server's) are ended; they reconnect.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [test_database],
            )
            try:
                admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{test_database}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 4:
                    raise
                time.sleep(0.2)
    try:
        yield copy
    finally:
        wait_for_postgresql()
        connections.close_all()
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


@pytest.fixture
def web(live_database, tmp_path) -> Iterator[Server]:
    """gunicorn, as `serve` runs it, on the copy."""
    server = _server_settings()
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{server['user']}@{server['host']}:{server['port']}/{live_database}"
        ),
        "CETATE_VAR_DIR": str(tmp_path),
    }
    port = free_port()
    started = Server(
        web_server(host="127.0.0.1", port=port, workers=1).argv,
        env,
        tmp_path / "gunicorn.log",
        port,
    )
    try:
        started.wait_until_serving()
        yield started
    finally:
        started.stop()


@dataclass
class Sent:
    description: str
    status: int
    started: float
    ended: float
    kept: bool


def test_reports_sent_while_postgresql_restarts_are_kept_or_registered_never_lost(
    web, live_database, city
):
    browsers = [Browser(web.port, address=client_address(n), timeout=30) for n in range(RESIDENTS)]
    for browser in browsers:
        browser.open_report_form()
    sent: list[Sent] = []
    stop = threading.Event()

    def resident(number: int) -> None:
        browser = browsers[number]
        index = number
        while not stop.is_set():
            description = f"Report sent around the restart, no. {index:04d}"
            index += RESIDENTS
            started = time.monotonic()
            try:
                answer = browser.send_report(
                    pothole_fields(city.pothole.pk, description), address=client_address(index)
                )
            except OSError:  # no answer at all: counted as a failure below
                sent.append(Sent(description, 0, started, time.monotonic(), kept=False))
                continue
            text = unescape(answer.body)
            kept = NOT_REGISTERED in text and description in text
            sent.append(Sent(description, answer.status, started, time.monotonic(), kept))

    def acknowledged(since: float = 0.0) -> int:
        return sum(1 for item in sent if item.status == 302 and item.started >= since)

    posters = [threading.Thread(target=resident, args=[n]) for n in range(RESIDENTS)]
    for poster in posters:
        poster.start()
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while acknowledged() < ACKNOWLEDGED_BEFORE and time.monotonic() < deadline:
            time.sleep(0.05)
        restart_began = time.monotonic()
        restart_postgresql()
        restart_ended = time.monotonic()
        while acknowledged(restart_ended) < ACKNOWLEDGED_AFTER and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for poster in posters:
            poster.join(timeout=60)
        wait_for_postgresql()
        connections.close_all()  # the restart cut them

    sent.sort(key=lambda item: item.started)
    refused = [item for item in sent if item.status == 503]
    window = (refused[-1].ended - refused[0].started) if refused else 0.0
    print(
        f"\nrestart took {restart_ended - restart_began:.1f} s; {len(sent)} reports sent, "
        f"{acknowledged()} registered, {len(refused)} refused over {window:.1f} s"
    )
    assert {item.status for item in sent} <= {302, 503}, web.log.read_text()[-3000:]
    assert refused, "no report was sent while PostgreSQL was down"
    assert all(item.kept for item in refused)  # a clear page, with the text to send again
    assert acknowledged(restart_ended) >= ACKNOWLEDGED_AFTER

    with _admin(live_database) as live:
        rows = live.execute(
            f"SELECT registration_number, description FROM {Case._meta.db_table}"  # noqa: S608
        ).fetchall()
    registered = [description for _number, description in rows]
    assert len(registered) == len(set(registered))  # none registered twice
    assert {item.description for item in sent if item.status == 302} <= set(registered)
    assert set(registered) <= {item.description for item in sent}
    assert sorted(number for number, _description in rows) == list(range(1, len(rows) + 1))
    # This process's own connections work again.
    assert Case.objects.count() == 0


def test_a_connection_cut_before_the_commit_is_answered_is_checked_then_tried_again(rf, city):
    """The connection dies just before COMMIT: the registration did not happen, so it is
    tried again, on a new connection, and registered once with number 1."""
    cuts: list[int] = []

    def register() -> Case:
        case = register_from_portal(
            kind="report",
            description="Groapă pe strada Morii",
            resident=Resident(),
            category=city.pothole,
            latitude=INSIDE["latitude"],
            longitude=INSIDE["longitude"],
        )
        if not cuts:
            backend = connection.connection.info.backend_pid
            with _admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [backend])
            cuts.append(backend)
        return case

    case = write_reliably(
        rf.post("/report/"),
        register,
        committed=lambda case: Case.objects.filter(tracking_code=case.tracking_code).exists(),
    )

    assert cuts and connection.connection.info.backend_pid != cuts[0]
    assert list(Case.objects.values_list("registration_number", "description")) == [
        (1, "Groapă pe strada Morii")
    ]
    assert case.registration_number == 1
