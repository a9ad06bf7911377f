import time
from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases.workflow import Status
from cetate.demo.cases import DEFAULT_COUNT, DemoCasesReport, load_demo_cases
from cetate.demo.mode import DemoDataError
from cetate.lib.arguments import positive_int
from cetate.lib.commands import TranslatedCommand

SHOWN_REFUSALS = 10


class Command(TranslatedCommand):
    # Lazy: the language is chosen after the command module is imported.
    help = cast(
        str,
        gettext_lazy(
            "Register demo cases spread over the last 12 months, through the case services "
            "(demo mode only; does nothing when demo cases exist)."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count",
            type=positive_int,
            default=DEFAULT_COUNT,
            help=_("How many cases (default: %(default)s)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help=_("Seed of the random choices, to load the same story again."),
        )

    def handle(self, *args: Any, count: int, seed: int | None, **options: Any) -> None:
        started = time.monotonic()
        try:
            report = load_demo_cases(count=count, seed=seed)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if report.already_loaded:
            self.stdout.write(
                _("The register already holds %(n)d demo cases; nothing was added.")
                % {"n": report.cases}
            )
            return
        self._print(report, seconds=time.monotonic() - started)

    def _print(self, report: DemoCasesReport, *, seconds: float) -> None:
        assert report.first is not None and report.last is not None
        self.stdout.write(
            _(
                "Registered %(cases)d demo cases (%(first)s – %(last)s) from %(residents)d demo "
                "residents in %(seconds).1f s."
            )
            % {
                "cases": report.cases,
                "first": f"{report.first:%Y-%m-%d}",
                "last": f"{report.last:%Y-%m-%d}",
                "residents": report.residents,
                "seconds": seconds,
            }
        )
        for status in Status:
            n = report.statuses.get(status.value, 0)
            self.stdout.write(f"  {status.label:<24} {n:>6} {100 * n / report.cases:5.1f}%")
        self.stdout.write(
            _("Legal deadline extended: %(extended)d; open past the legal deadline: %(overdue)d.")
            % {"extended": report.extended, "overdue": report.overdue}
        )
        self.stdout.write(
            _("Calls in the dispatch centre's log: %(calls)d.") % {"calls": report.calls}
        )
        if report.refused:
            self.stderr.write(
                _("%(n)d steps were refused by the case services; those cases stop there:")
                % {"n": len(report.refused)}
            )
            for refusal in report.refused[:SHOWN_REFUSALS]:
                self.stderr.write(f"  {refusal}")
