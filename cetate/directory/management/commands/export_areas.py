from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext_lazy

from cetate.directory.io import export_areas
from cetate.directory.management.base import DirectoryCommand


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Export the areas to a GeoJSON FeatureCollection (properties code, name, kind, "
            "active) that import_areas reads back unchanged."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.geojson")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: export_areas(options["file"]))
