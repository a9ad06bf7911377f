"""Many residents at once: `serve` on SQLite registers every report exactly once, with gapless
numbers, and answers none with an error."""

import sqlite3
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.directory.models import Category
from tests.ops.live import (
    MANAGE,
    Browser,
    Server,
    client_address,
    free_port,
    pothole_fields,
    prepare_city,
)

SUBMISSIONS = 200
CLIENTS = 8


@pytest.fixture
def served(own_sqlite, tmp_path):
    """`manage.py serve` with its own folder and SQLite database, the test city loaded."""
    database = tmp_path / "cetate.sqlite3"
    env = own_sqlite
    prepare_city(env)
    port = free_port()
    argv = [sys.executable, MANAGE, "serve", "--port", str(port), "--workers", "2"]
    server = Server(argv, env, tmp_path / "serve.log", port)
    try:
        server.wait_until_serving()
        yield server, database
    finally:
        server.stop()


def _category_id(database) -> int:
    with sqlite3.connect(database) as db:
        table = Category._meta.db_table
        (found,) = db.execute(f"SELECT id FROM {table} WHERE code = 'roads.pothole'").fetchone()  # noqa: S608
    return int(found)


def test_two_hundred_reports_from_eight_residents_at_once_register_once_each(served):
    server, database = served
    category = _category_id(database)

    def resident(client: int) -> list[tuple[str, int, int, int]]:
        """One browser sending its share of reports; (description, status, receipt) each."""
        browser = Browser(server.port, address=client_address(client))
        browser.open_report_form()
        sent = []
        for index in range(client, SUBMISSIONS, CLIENTS):
            description = f"Load test report no. {index:03d}"
            answer = browser.send_report(
                pothole_fields(category, description), address=client_address(index)
            )
            number = browser.receipt_number() if answer.status == 302 else 0
            sent.append((description, answer.status, number, index))
        return sent

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [row for rows in pool.map(resident, range(CLIENTS)) for row in rows]
    seconds = time.monotonic() - started
    answers = Counter(status for _description, status, _number, _index in results)
    print(
        f"\n{SUBMISSIONS} reports from {CLIENTS} clients in {seconds:.1f} s: "
        f"{SUBMISSIONS / seconds:.1f} reports/s; answers {dict(answers)}"
    )

    statuses = {status for _description, status, _number, _index in results}
    assert statuses == {302}, server.log.read_text()[-3000:]
    shown = sorted(number for _description, _status, number, _index in results)
    assert shown == list(range(1, SUBMISSIONS + 1))

    year = datetime.now(CITY_TZ).year
    with sqlite3.connect(database) as db:
        rows = db.execute(
            f"SELECT registration_number, description FROM {Case._meta.db_table} "  # noqa: S608
            "WHERE registration_year = ?",
            [year],
        ).fetchall()
    registered = dict((description, number) for number, description in rows)
    assert len(rows) == SUBMISSIONS == len(registered)  # each description once
    assert sorted(number for number, _description in rows) == list(range(1, SUBMISSIONS + 1))
    # The number each resident was shown is the one their report holds.
    assert all(registered[description] == number for description, _s, number, _i in results)
    assert "Traceback" not in server.log.read_text()
