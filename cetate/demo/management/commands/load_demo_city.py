"""Load the demo city's directory: departments, categories, their demo questions and response
templates, the archival nomenclature, the municipality boundary and the street gazetteer, from
the files shipped in cetate/demo/data/alba-iulia, and the legal bases of answers Cetate ships.
Creates no users and no cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.directory.io import (
    DirectoryFileError,
    ImportResult,
    import_areas,
    import_directory,
    import_streets,
)
from cetate.directory.io.legal_bases import import_legal_bases
from cetate.directory.management.base import DirectoryCommand
from cetate.directory.models import Area

DATA = Path(__file__).resolve().parents[2] / "data" / "alba-iulia"
CITY_NAME = "Alba Iulia"


def load_demo_city() -> list[ImportResult]:
    """Import every file of the demo city in one transaction; running it again changes
    nothing."""
    with transaction.atomic():
        results = import_directory(
            departments=DATA / "departments.csv",
            categories=DATA / "categories.csv",
            questions=DATA / "questions.csv",
            templates=DATA / "templates.csv",
            file_codes=DATA / "file-codes.csv",
        )
        results.append(
            import_areas(
                DATA / "boundary.geojson",
                kind=Area.Kind.MUNICIPALITY,
                code=settings.CITY_AREA_CODE,
                name=CITY_NAME,
            )
        )
        results.append(import_streets(DATA / "postal-streets.csv"))
        # The legal bases every city's answers state; the city's own wording is kept.
        results.append(import_legal_bases(update=False))
    return results


class Command(DirectoryCommand):
    help = cast(
        str,
        gettext_lazy(
            "Load the directory of the demo city, Alba Iulia: departments, categories with "
            "demo questions and response templates, the city boundary and the streets. "
            "Running it again changes nothing."
        ),
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = load_demo_city()
        except DirectoryFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary(results))


def summary(results: list[ImportResult]) -> str:
    if any(result.changed for result in results):
        return _("Demo city %(city)s loaded: %(changes)s.") % {
            "city": CITY_NAME,
            "changes": "; ".join(str(result) for result in results),
        }
    counts = ", ".join(f"{result.label}: {result.total}" for result in results)
    return _("Demo city %(city)s already loaded, nothing changed (%(counts)s).") % {
        "city": CITY_NAME,
        "counts": counts,
    }
