import time
from typing import Any, cast

from django.core.management.base import CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cetate.cases.filestore import forget_unrecorded
from cetate.cases.services.retention import BATCH_SIZE, RetentionResult, apply_retention
from cetate.lib.arguments import positive_int
from cetate.lib.commands import TranslatedCommand
from cetate.mail.quarantine import forget_discarded
from cetate.mail.retention import forget_unlinked_messages
from cetate.portal import kept_files


class Command(TranslatedCommand):
    # Lazy: the language is chosen after the command module is imported.
    help = cast(
        str,
        gettext_lazy(
            "Anonymise the cases past their retention (the archival nomenclature's term, "
            "counted from 1 January after closing), keeping the statistics; then the contacts "
            "and calls nothing needs any more; the files residents chose on report forms they "
            "never sent; the messages received by mail tied to no case, after "
            "MAIL_KEEP_UNLINKED_DAYS days; and the files of cases never registered. Running it "
            "again changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=positive_int,
            metavar="SECONDS",
            help=_("Run again every SECONDS seconds until stopped (default: run once)."),
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=BATCH_SIZE,
            help=_("Cases read from the database at a time (default: %(default)s)."),
        )

    def handle(self, *args: Any, every: int | None, batch_size: int, **options: Any) -> None:
        if every is None:
            self.run_once(batch_size)
            return
        try:
            while True:
                close_old_connections()
                self.run_once(batch_size)
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def run_once(self, batch_size: int) -> None:
        self.report(apply_retention(batch_size=batch_size))
        removed = kept_files.forget_old()
        if removed:
            self.stdout.write(_("%(n)d files of report forms never sent removed.") % {"n": removed})
            self.stdout.flush()
        discarded = forget_discarded()
        if discarded:
            self.stdout.write(
                ngettext(
                    "%(n)d discarded message removed.",
                    "%(n)d discarded messages removed.",
                    discarded,
                )
                % {"n": discarded}
            )
            self.stdout.flush()
        unlinked = forget_unlinked_messages()
        if unlinked:
            self.stdout.write(
                ngettext(
                    "%(n)d message tied to no case removed.",
                    "%(n)d messages tied to no case removed.",
                    unlinked,
                )
                % {"n": unlinked}
            )
            self.stdout.flush()
        unrecorded = forget_unrecorded()
        if unrecorded:
            self.stdout.write(
                ngettext(
                    "%(n)d file of a case never registered removed.",
                    "%(n)d files of cases never registered removed.",
                    unrecorded,
                )
                % {"n": unrecorded}
            )
            self.stdout.flush()

    def report(self, result: RetentionResult) -> None:
        self.stdout.write(
            _(
                "%(cases)d cases anonymised (%(files)d files deleted), %(contacts)d contacts "
                "and %(calls)d calls anonymised; %(held)d cases past their term kept while "
                "restricted."
            )
            % {
                "cases": result.cases,
                "files": result.files,
                "contacts": result.contacts,
                "calls": result.calls,
                "held": result.held,
            }
        )
        if result.failed:
            self.stdout.write(
                _("%(n)d cases changed while the job ran; the next run tries them again.")
                % {"n": len(result.failed)}
            )
        self.stdout.flush()
