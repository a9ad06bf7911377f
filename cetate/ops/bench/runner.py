"""The benchmark's phases. Each phase runs in its own `manage.py bench --phase …` process whose
DATABASE_URL names the bench database, so that open_case and the querysets run exactly as in
the application, on their default connection — and the query phase's peak memory is that of a
process that only reads, like a web worker.

1. load: migrate, set up the city, fill the history with raw SQL, measure intake, new
   letters by email through the mail pipeline, and the knowledge base's articles.
2. queries: time the main queries and the knowledge search.
The parent process prepares the database and prints the figures the phases hand back.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from cetate.cases.models import Case, Event, RegistrationCounter
from cetate.contacts.models import Contact
from cetate.directory.lookup import work_calendar
from cetate.directory.models import Department
from cetate.ops.bench.city import BenchCity, load_city, make_contacts, set_up_city
from cetate.ops.bench.database import BenchDatabase, default_bench_url, prepare
from cetate.ops.bench.intake import WARM_UP, measure_intake
from cetate.ops.bench.knowledge import fill_articles, measure_search
from cetate.ops.bench.legal_reports import legal_report_queries
from cetate.ops.bench.mail import MAIL_WARM_UP, mail_letters, measure_mail
from cetate.ops.bench.queries import OPEN, main_queries, time_queries
from cetate.ops.bench.report import LoadFigures, QueryPhaseFigures, render
from cetate.ops.bench.rows import History
from cetate.ops.bench.supervision import supervision_queries
from cetate.ops.bench.writer import RawWriter, reserve_ids

PHASES = ("load", "queries")
FILL_BATCH = 20_000
INTAKE_CONTACTS = 200
# Service articles of the knowledge base: a large city's catalogue, several times over.
ARTICLES = 5000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BenchOptions:
    cases: int
    sample: int
    runs: int
    explain: bool
    profile: bool
    seed: int
    articles: int = ARTICLES

    def arguments(self) -> list[str]:
        arguments = [
            f"--cases={self.cases}",
            f"--sample={self.sample}",
            f"--runs={self.runs}",
            f"--seed={self.seed}",
            f"--articles={self.articles}",
        ]
        return arguments + ["--explain"] * self.explain + ["--profile"] * self.profile


def run(
    options: BenchOptions, *, database_url: str, fresh: bool, out: Callable[[str], object]
) -> None:
    """Prepare the bench database, run both phases on it and print their figures."""
    configured = settings.DATABASES["default"]
    url = database_url or default_bench_url(configured, var_dir=settings.VAR_DIR)
    database = BenchDatabase.from_url(url, base_dir=settings.BASE_DIR)
    prepare(database, configured=configured, fresh=fresh)
    _progress(f"{database.label}, {options.cases:,} cases")
    with tempfile.TemporaryDirectory(prefix="cetate-bench-") as folder:
        load_file, queries_file = Path(folder) / "load.json", Path(folder) / "queries.json"
        _run_phase_process("load", options, database, load_file)
        _run_phase_process("queries", options, database, queries_file)
        load = LoadFigures.read(load_file)
        measured = QueryPhaseFigures.read(queries_file)
    out(render(database.label, options.cases, load, measured))


def _run_phase_process(
    phase: str, options: BenchOptions, database: BenchDatabase, results: Path
) -> None:
    environment = {**os.environ, "DATABASE_URL": database.url}
    # The phases see the bench database only: no read replica of the real one.
    environment.pop("DATABASE_REPLICA_URL", None)
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "bench",
        f"--phase={phase}",
        f"--results={results}",
        *options.arguments(),
    ]
    completed = subprocess.run(command, env=environment, check=False)
    if completed.returncode != 0:
        raise CommandError(f"The {phase} phase failed (exit code {completed.returncode}).")


def run_phase(phase: str, options: BenchOptions, results: Path) -> None:
    """Inside a phase process: DATABASES['default'] is the bench database."""
    if phase == "load":
        _load(options).save(results)
    elif phase == "queries":
        _measure_queries(options).save(results)
    else:
        raise CommandError(f"Unknown phase {phase!r}; expected one of {', '.join(PHASES)}.")


def _load(options: BenchOptions) -> LoadFigures:
    call_command("migrate", interactive=False, verbosity=0)
    set_up_city()
    city = load_city(seed=options.seed)
    contact_ids = make_contacts(max(INTAKE_CONTACTS, options.cases // 20))
    sample = min(options.sample, options.cases // 3)
    letters = mail_letters(options.cases)
    # The intake registers each sampled submission three times (services, baseline, batches)
    # and its warm-up submissions twice, each letter by mail opens a case; the history fills
    # the rest up to `cases`.
    opened = 3 * sample + 2 * WARM_UP + letters + MAIL_WARM_UP
    history = max(0, options.cases - Case.objects.count() - opened)
    fill_seconds = _fill_history(city, contact_ids, history, seed=options.seed)
    _analyze(vacuum=False)
    contacts = list(Contact.objects.filter(pk__in=contact_ids[:INTAKE_CONTACTS]))
    intake = measure_intake(city, contacts, sample, profile=options.profile, progress=_progress)
    mail = measure_mail(count=letters, seed=options.seed, progress=_progress)
    fill_articles(options.articles, seed=options.seed, progress=_progress)
    _progress("vacuum and analyze")
    _analyze(vacuum=True)
    return LoadFigures(
        filled=history,
        fill_seconds=fill_seconds,
        fill_method="COPY" if connection.vendor == "postgresql" else "executemany",
        intake=intake,
        mail=mail,
    )


def _fill_history(city: BenchCity, contact_ids: list[int], count: int, *, seed: int) -> float:
    """The city's past, written with raw SQL in batches; returns the seconds it took."""
    if count == 0:
        return 0.0
    history = History(
        city,
        contacts=contact_ids,
        counters=dict(RegistrationCounter.objects.values_list("year", "last_number")),
        now=timezone.now(),
        seed=seed,
        days_off=work_calendar().extra_days_off,
    )
    writer = RawWriter()
    moments = history.moments(count)
    started = time.perf_counter()
    for start in range(0, count, FILL_BATCH):
        batch = moments[start : start + FILL_BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            ids = reserve_ids(cursor, Case._meta.db_table, len(batch))
            planned = [
                history.plan(moment, case_id) for moment, case_id in zip(batch, ids, strict=True)
            ]
            writer.write_history(cursor, planned, history.counters)
        done = start + len(batch)
        rate = done / (time.perf_counter() - started)
        _progress(f"fill: {done:,} / {count:,} cases ({rate:,.0f}/s)")
    return time.perf_counter() - started


def _analyze(*, vacuum: bool) -> None:
    """Fresh planner statistics; VACUUM also marks pages all-visible for index-only scans."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _measure_queries(options: BenchOptions) -> QueryPhaseFigures:
    city = load_city(seed=options.seed)
    busiest = (
        Case.objects.filter(status__in=OPEN, department__isnull=False)
        .values("department")
        .annotate(cases=Count("*"))
        .order_by("-cases")
        .first()
    )
    if busiest is None:
        raise CommandError("The bench database holds no open case of a department.")
    department = Department.objects.get(pk=busiest["department"])
    queries = main_queries(
        department.pk, city.neighbourhood_box(), city.whole_box(), city.dispatcher
    ) + supervision_queries(department.pk)
    queries += legal_report_queries()
    figures = time_queries(queries, runs=options.runs, explain=options.explain, progress=_progress)
    figures.append(measure_search(runs=options.runs, seed=options.seed, progress=_progress))
    return QueryPhaseFigures(
        cases=Case.objects.count(),
        open_cases=Case.objects.filter(status__in=OPEN).count(),
        events=Event.objects.count(),
        server=_server(),
        size_mb=_database_megabytes(),
        department=f"{department.name}: {busiest['cases']:,} open cases",
        runs=options.runs,
        queries=figures,
        # ru_maxrss is in kilobytes on Linux.
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def _server() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
        return f"PostgreSQL {row[0] if row else '?'}"
    return f"SQLite {sqlite3.sqlite_version}"


def _database_megabytes() -> float:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            row = cursor.fetchone()
        return int(row[0]) / 2**20 if row else 0.0
    path = Path(connection.settings_dict["NAME"])
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
