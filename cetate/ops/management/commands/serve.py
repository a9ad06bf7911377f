import argparse
import sys
from typing import Any, cast

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.lib.arguments import positive_int
from cetate.lib.commands import TranslatedCommand
from cetate.ops.management.serving import (
    deadline_sweeper,
    job_worker,
    retention_job,
    run_together,
    web_server,
)

DEFAULT_WORKERS = 2


def port_number(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("a port is a number from 1 to 65535"))
    return port


class Command(TranslatedCommand):
    # Lazy: the language is chosen after the command module is imported.
    help = cast(
        str,
        gettext_lazy(
            "Run the web server (gunicorn), the job worker, the deadline sweeper and the "
            "daily retention job until Ctrl+C / SIGTERM arrives or the web server stops; the "
            "others are started again when they stop."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument(
            "--port", type=port_number, default=settings.PORT, help=_("Port (default: PORT).")
        )
        parser.add_argument(
            "--workers",
            type=positive_int,
            default=DEFAULT_WORKERS,
            help=_("Web server processes (default: %(default)s)."),
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        programs = [
            web_server(host=host, port=port, workers=workers),
            job_worker(),
            deadline_sweeper(),
            retention_job(),
        ]
        self.stdout.write(
            _("Cetate is at http://%(host)s:%(port)d/ (press Ctrl+C to stop).")
            % {"host": host, "port": port}
        )
        self.stdout.flush()
        code = run_together(programs, say=self.stdout.write)
        if code:
            sys.exit(code)
