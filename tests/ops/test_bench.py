"""manage.py bench: fills a separate database and prints every figure (timings not asserted)."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cetate.ops.bench.database import default_bench_url, postgres_url

FIGURES = [
    "cases written with executemany",
    "open_case (the services)",
    "raw SQL, one transaction per case (baseline)",
    "raw SQL, 500 cases per transaction",
    "pipeline.receive: stored, read, registered",
    "worklist: a department's open cases by due date, first page",
    "worklist: count of that department's open cases",
    "map: cases in a neighbourhood box, count",
    "map: cases in a neighbourhood box, first page",
    "map: whole-city grid of all cases",
    "map: whole-city grid of open cases",
    "stats: counts by status × category × department",
    "stats: counts by status × category",
    "supervision: the day's figures and the late table",
    "supervision: late cases, first page and count",
    "supervision: one department's overdue cases, first page",
    "supervision: cases the resident says are not solved",
    "supervision: every query of the page together",
    "sweep: open cases due soon or overdue (selection only)",
    "Peak memory (RSS) of the query process",
    "knowledge search: 50 searches, 200 articles",
]


@pytest.mark.own_sqlite
def test_bench_fills_a_small_database_and_prints_the_figures(tmp_path):
    out = StringIO()
    call_command(
        "bench",
        cases=300,
        sample=50,
        runs=2,
        articles=200,
        database_url=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        stdout=out,
    )
    report = out.getvalue()
    assert "300 cases (" in report
    assert "Intake, 50 cases each way" in report
    assert "new letters without attachments" in report
    for figure in FIGURES:
        assert figure in report


def test_bench_refuses_the_configured_database():
    configured = settings.DATABASES["default"]
    if str(configured["ENGINE"]).endswith("postgresql"):
        url = postgres_url(configured, name=str(configured["NAME"]))
    else:
        url = f"sqlite:///{configured['NAME']}"
    with pytest.raises(CommandError, match="must not be the configured database"):
        call_command("bench", cases=300, database_url=url, stdout=StringIO())


def test_the_bench_database_sits_beside_the_configured_one(tmp_path):
    configured = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "cetate",
        "USER": "city hall",
        "PASSWORD": "p@ss",
        "HOST": "db.example.org",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }
    assert default_bench_url(configured, var_dir=tmp_path) == (
        "postgresql://city%20hall:p%40ss@db.example.org:5433/cetate_bench?sslmode=require"
    )
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/cetate.sqlite3"}
    assert default_bench_url(sqlite, var_dir=tmp_path) == f"sqlite:///{tmp_path}/bench.sqlite3"
