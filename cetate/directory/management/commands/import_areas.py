from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.directory.io import import_areas
from cetate.directory.management.base import DirectoryCommand
from cetate.directory.models import Area


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Import areas (municipality boundary, neighbourhoods, districts) from a GeoJSON "
            "FeatureCollection of Polygon or MultiPolygon features in longitude/latitude "
            "(WGS 84). Areas are matched by code and created or updated; areas the file does "
            "not list stay. One invalid feature refuses the whole file."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.geojson")
        parser.add_argument(
            "--kind",
            choices=Area.Kind.values,
            help=_(
                "kind of the areas whose features have no “kind” property (default: neighbourhood)"
            ),
        )
        parser.add_argument(
            "--code-property",
            default="code",
            metavar="P",
            help=_("the feature property holding the area's code (default: code)"),
        )
        parser.add_argument(
            "--name-property",
            default="name",
            metavar="P",
            help=_("the feature property holding the area's name (default: name)"),
        )
        parser.add_argument(
            "--code", help=_("the code of the area, for a file with a single feature")
        )
        parser.add_argument(
            "--name", help=_("the name of the area, for a file with a single feature")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(
            lambda: import_areas(
                options["file"],
                kind=options["kind"],
                code_property=options["code_property"],
                name_property=options["name_property"],
                code=options["code"],
                name=options["name"],
            )
        )
