from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.directory.io.legal_bases import DEFAULT_LEGAL_BASES, import_legal_bases
from cetate.directory.management.base import DirectoryCommand


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Load the legal bases answers state (OG 27/2002, Law 544/2001): Cetate's list, or "
            "the CSV file given. Bases missing from the city's list are added; those it has "
            "keep their wording unless --update is given. Running it again changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            metavar="FILE",
            type=Path,
            default=DEFAULT_LEGAL_BASES,
            help=_(
                "CSV with columns code, citation, kind, outcome, name_ro, name_en; optionally "
                "refusal_ground, order, active (default: Cetate's list)"
            ),
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=_("Give the bases the city already has the file's wording too."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: import_legal_bases(options["file"], update=options["update"]))
