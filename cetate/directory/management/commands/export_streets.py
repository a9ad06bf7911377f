from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext_lazy

from cetate.directory.io import export_streets
from cetate.directory.management.base import DirectoryCommand


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Export the street gazetteer as CSV (the post office's columns, plus latitude, "
            "longitude and geometry when streets have a location) or, for a .geojson file "
            "name, as GeoJSON; import_streets reads either back unchanged."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv|FILE.geojson")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: export_streets(options["file"]))
