from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.directory.io import import_streets
from cetate.directory.management.base import DirectoryCommand


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Import the street gazetteer. A CSV file has the post office's columns "
            "street_type, street_and_range (name, then the numbers or blocks), postal_code, "
            "and optionally latitude, longitude and geometry (GeoJSON). A GeoJSON file has "
            "Point or LineString features with properties name, type, numbers, postal_code; a "
            "feature without numbers places every row of its street. Rows are matched by "
            "street (ignoring accents and word order) and numbers: known rows are updated, new "
            "ones added, and the others kept, unless --replace is given. Without location "
            "columns the streets keep their location. Running an import twice changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv|FILE.geojson")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "also remove the streets the file does not name: the gazetteer becomes the file"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: import_streets(options["file"], replace=options["replace"]))
