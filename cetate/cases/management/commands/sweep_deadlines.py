import time
from typing import Any, cast

from django.core.management.base import CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases.services.reminders import SweepResult, sweep_deadlines
from cetate.lib.arguments import positive_int
from cetate.lib.commands import TranslatedCommand


class Command(TranslatedCommand):
    # Lazy: the language is chosen after the command module is imported.
    help = cast(
        str,
        gettext_lazy(
            "Remind officers of cases due soon or overdue and escalate overdue ones to the "
            "department head and the supervisors; each once."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=positive_int,
            metavar="SECONDS",
            help=_("Sweep again every SECONDS seconds until stopped (default: sweep once)."),
        )

    def handle(self, *args: Any, every: int | None, **options: Any) -> None:
        if every is None:
            self.report(sweep_deadlines())
            return
        try:
            while True:
                close_old_connections()
                self.report(sweep_deadlines())
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def report(self, result: SweepResult) -> None:
        self.stdout.write(
            _(
                "%(cases)d cases due soon or overdue: %(reminders)d reminders, "
                "%(escalations)d escalations recorded."
            )
            % {
                "cases": result.cases,
                "reminders": len(result.reminders),
                "escalations": len(result.escalations),
            }
        )
        for event in result.reminders + result.escalations:
            self.stdout.write(
                f"  {event.case} {event.get_kind_display()} {event.data.get('deadline', '')}"
            )
        self.stdout.flush()
