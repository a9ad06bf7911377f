"""`manage.py bench --cases N`: fill a separate database with N cases and print intake
throughput against a raw-SQL baseline and the times of the main queries at that size."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cetate.lib.commands import TranslatedCommand
from cetate.ops.bench.runner import ARTICLES, PHASES, BenchOptions, run, run_phase


class Command(TranslatedCommand):
    help = cast(
        str,
        _(
            "Fill a separate database (<name>_bench on PostgreSQL, var/bench.sqlite3 on SQLite) "
            "with N cases and print open_case throughput against raw SQL and the main queries' "
            "times. Figures only: the exit code is 0 even when a target is missed."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=100_000, help=gettext("cases in the database")
        )
        parser.add_argument(
            "--sample", type=int, default=2000, help=gettext("cases registered through open_case")
        )
        parser.add_argument(
            "--runs", type=int, default=15, help=gettext("timed runs of each query")
        )
        parser.add_argument(
            "--database-url",
            default="",
            help=gettext("the bench database (default: derived from DATABASE_URL)"),
        )
        parser.add_argument(
            "--fresh", action="store_true", help=gettext("empty the bench database first")
        )
        parser.add_argument(
            "--explain", action="store_true", help=gettext("print the plan of queries over target")
        )
        parser.add_argument(
            "--profile", action="store_true", help=gettext("print a cProfile of open_case")
        )
        parser.add_argument(
            "--articles",
            type=int,
            default=ARTICLES,
            help=gettext("service articles the knowledge search is timed on"),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=gettext("seed of the generated cases")
        )
        # The phases run in child processes on the bench database.
        parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
        parser.add_argument("--results", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 100:
            raise CommandError(gettext("--cases must be at least 100."))
        if options["sample"] < 10 or options["runs"] < 1:
            raise CommandError(gettext("--sample must be at least 10 and --runs at least 1."))
        bench = BenchOptions(
            cases=options["cases"],
            sample=options["sample"],
            runs=options["runs"],
            explain=options["explain"],
            profile=options["profile"],
            seed=options["seed"],
            articles=options["articles"],
        )
        if options["phase"]:
            run_phase(options["phase"], bench, Path(options["results"]))
        else:
            run(
                bench,
                database_url=options["database_url"],
                fresh=options["fresh"],
                out=self.stdout.write,
            )
