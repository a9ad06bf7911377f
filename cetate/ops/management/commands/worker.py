from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.lib.commands import TranslatedCommand
from cetate.ops.worker import Worker


class Command(TranslatedCommand):
    # Lazy: the language is chosen after the command module is imported.
    help = cast(
        str,
        gettext_lazy(
            "Run queued jobs, send owed mail and deliver webhooks until stopped; a job whose "
            "worker died is run again, failures are retried, a database outage is waited out."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=_("Seconds to wait when there is nothing to do (default: %(default)s)."),
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("Do everything that is due now, then stop."),
        )

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        worker = Worker(interval=interval, worker_id=get_random_string(32), batch=batch)
        worker.configure_signals()
        worker.run()
