from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.directory.io import import_directory
from cetate.directory.management.base import DirectoryCommand

FILES = ("departments", "categories", "questions", "templates", "file_codes")


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Import the directory from CSV files: departments, categories (with their groups), "
            "extra questions, response templates and the archival nomenclature. Rows are "
            "matched by code and created or updated; rows the files do not list stay. All "
            "files are imported or none: a bad line stops the import with a message naming "
            "the file, line and column."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--departments",
            metavar="FILE",
            help=_("CSV with columns code, name_ro, name_en, kind"),
        )
        parser.add_argument(
            "--categories",
            metavar="FILE",
            help=_(
                "CSV with columns group_code, group_ro, group_en, code, name_ro, name_en, "
                "department, service_target (e.g. 24h, 7d), anonymous_allowed, public_map; "
                "optionally public_location, public_text, sensitive"
            ),
        )
        parser.add_argument(
            "--questions",
            metavar="FILE",
            help=_(
                "CSV with columns category, code, question_ro, question_en, datatype, "
                "required, values (key=Name|key2=Name2), description"
            ),
        )
        parser.add_argument(
            "--templates",
            metavar="FILE",
            help=_("CSV with columns name, category, status, language, body"),
        )
        parser.add_argument(
            "--file-codes",
            metavar="FILE",
            help=_(
                "CSV of the archival nomenclature with columns code, name_ro, name_en, "
                "retention_years, kept_by_law, legal_basis, categories (codes, space-separated)"
            ),
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
        self.run(lambda: import_directory(**files))
