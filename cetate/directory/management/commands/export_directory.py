from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.directory.io import export_directory
from cetate.directory.management.base import DirectoryCommand

FILES = ("departments", "categories", "questions", "templates", "file_codes")


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Export the directory to CSV files in the formats import_directory reads: "
            "importing them again changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--departments", metavar="FILE", help=_("departments CSV to write"))
        parser.add_argument("--categories", metavar="FILE", help=_("categories CSV to write"))
        parser.add_argument("--questions", metavar="FILE", help=_("extra questions CSV to write"))
        parser.add_argument(
            "--templates", metavar="FILE", help=_("response templates CSV to write")
        )
        parser.add_argument(
            "--file-codes", metavar="FILE", help=_("archival nomenclature CSV to write")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = {name: options[name] for name in FILES}
        if not any(files.values()):
            raise CommandError(
                _(
                    "Give at least one file: --departments, --categories, --questions, "
                    "--templates, --file-codes."
                )
            )
        self.run(lambda: export_directory(**files))
