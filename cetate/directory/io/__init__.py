"""Import and export of the city's directory: departments, categories, the archival
nomenclature, extra questions, response templates (CSV), areas (GeoJSON) and streets (CSV or
GeoJSON).

Every import is one transaction: a file with one bad line changes nothing, and the error
(`DirectoryFileError`) names the file, the line or feature and the column. Imports upsert by
code, so running one twice changes nothing the second time; exports write what the imports
read, so that importing an export changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from cetate.directory.io.areas import export_areas, import_areas
from cetate.directory.io.categories import export_categories, import_categories
from cetate.directory.io.departments import export_departments, import_departments
from cetate.directory.io.file_codes import export_file_codes, import_file_codes
from cetate.directory.io.files import DirectoryFileError, ExportResult, ImportResult
from cetate.directory.io.questions import export_questions, import_questions
from cetate.directory.io.response_templates import export_templates, import_templates
from cetate.directory.io.street_export import export_streets
from cetate.directory.io.streets import import_streets


def import_directory(
    *,
    departments: str | Path | None = None,
    categories: str | Path | None = None,
    questions: str | Path | None = None,
    templates: str | Path | None = None,
    file_codes: str | Path | None = None,
) -> list[ImportResult]:
    """Import the given files in the order their references need (departments before the
    categories naming them, categories before their file codes, questions and templates), all
    or none."""
    steps = [
        (departments, import_departments),
        (categories, import_categories),
        (file_codes, import_file_codes),
        (questions, import_questions),
        (templates, import_templates),
    ]
    with transaction.atomic():
        return [load(path) for path, load in steps if path is not None]


def export_directory(
    *,
    departments: str | Path | None = None,
    categories: str | Path | None = None,
    questions: str | Path | None = None,
    templates: str | Path | None = None,
    file_codes: str | Path | None = None,
) -> list[ExportResult]:
    steps = [
        (departments, export_departments),
        (categories, export_categories),
        (file_codes, export_file_codes),
        (questions, export_questions),
        (templates, export_templates),
    ]
    return [write(path) for path, write in steps if path is not None]


__all__ = [
    "DirectoryFileError",
    "ExportResult",
    "ImportResult",
    "export_areas",
    "export_categories",
    "export_departments",
    "export_directory",
    "export_file_codes",
    "export_questions",
    "export_streets",
    "export_templates",
    "import_areas",
    "import_categories",
    "import_departments",
    "import_directory",
    "import_file_codes",
    "import_questions",
    "import_streets",
    "import_templates",
]
