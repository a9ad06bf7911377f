"""file-codes.csv: the archival nomenclature, one line per file code, with the categories filed
under it.

Columns: code (the file's indicative, e.g. II-4), name_ro, name_en, retention_years (a whole
number of years, 1 to 100). Optional columns: kept_by_law (yes/no, default yes), legal_basis,
and categories: the codes of the categories and groups filed under it, separated by spaces (a
group's file code holds for its categories that name none). A category listed points at this
file code; categories no line lists keep theirs. File codes are keyed by code; those the file
does not list stay as they are.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.directory.io.files import (
    CODE_PATTERN,
    ExportResult,
    ImportResult,
    Row,
    optional_columns,
    read_csv,
    save_changes,
    write_csv,
    yes_no,
)
from cetate.directory.models import Category, FileCode

COLUMNS = ("code", "name_ro", "name_en", "retention_years")
OPTIONAL_COLUMNS = ("kept_by_law", "legal_basis", "categories")
MAX_YEARS = 100


def import_file_codes(path: str | Path) -> ImportResult:
    """Create or update the file codes of the file and point their categories at them
    (categories must exist)."""
    rows = read_csv(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    parsed = _parse(rows)
    result = ImportResult(_("file codes"))
    with transaction.atomic():
        existing = FileCode.objects.in_bulk(list(parsed), field_name="code")
        filed: dict[str, FileCode] = {}
        for code, (row, values, categories) in parsed.items():
            file_code = existing.get(code) or FileCode(code=code)
            save_changes(file_code, values, result)
            for category_code in categories:
                filed[category_code] = file_code
            _check_categories(row, categories)
        for category in Category.objects.filter(code__in=list(filed)):
            if category.file_code_id != filed[category.code].pk:
                category.file_code = filed[category.code]
                category.save(update_fields=["file_code"])
    return result


def _parse(rows: list[Row]) -> dict[str, tuple[Row, dict[str, object], list[str]]]:
    parsed: dict[str, tuple[Row, dict[str, object], list[str]]] = {}
    seen: dict[object, int] = {}
    filed_on: dict[str, int] = {}
    for row in rows:
        code = row.code("code", max_length=30)
        row.check_unique("code", code, seen)
        values: dict[str, object] = {
            "name": row.text("name_ro", required=True, max_length=200),
            "name_en": row.text("name_en", max_length=200),
            "retention_years": _years(row),
        }
        if row.has("kept_by_law") and row.text("kept_by_law"):
            values["kept_by_law"] = row.boolean("kept_by_law")
        if row.has("legal_basis"):
            values["legal_basis"] = row.text("legal_basis", max_length=200)
        categories = row.text("categories").split() if row.has("categories") else []
        for category in categories:
            if not CODE_PATTERN.match(category):
                raise row.error("categories", _("“%(value)s” is not a code") % {"value": category})
            if category in filed_on:
                raise row.error(
                    "categories",
                    _("“%(code)s” is already filed on line %(line)d")
                    % {"code": category, "line": filed_on[category]},
                )
            filed_on[category] = row.line
        parsed[code] = (row, values, categories)
    return parsed


def _years(row: Row) -> int:
    years = row.whole_number("retention_years", default=0)
    if not 1 <= years <= MAX_YEARS:
        raise row.error(
            "retention_years",
            _("a number of years from 1 to %(max)d is needed here") % {"max": MAX_YEARS},
        )
    return years


def _check_categories(row: Row, codes: list[str]) -> None:
    known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise row.error(
            "categories",
            _("no category has the code “%(code)s”") % {"code": unknown[0]},
        )


def export_file_codes(path: str | Path) -> ExportResult:
    filed: dict[int, list[str]] = {}
    for file_code_id, code in (
        Category.objects.filter(file_code__isnull=False)
        .order_by("order", "code")
        .values_list("file_code_id", "code")
    ):
        filed.setdefault(file_code_id, []).append(code)
    rows = [
        {
            "code": file_code.code,
            "name_ro": file_code.name,
            "name_en": file_code.name_en,
            "retention_years": str(file_code.retention_years),
            "kept_by_law": yes_no(file_code.kept_by_law),
            "legal_basis": file_code.legal_basis,
            "categories": " ".join(filed.get(file_code.pk, [])),
        }
        for file_code in FileCode.objects.order_by("code")
    ]
    implied = {
        "kept_by_law": ["yes"] * len(rows),
        "legal_basis": [""] * len(rows),
        "categories": [""] * len(rows),
    }
    columns = [*COLUMNS, *optional_columns(rows, implied)]
    return ExportResult(_("file codes"), write_csv(path, columns, rows), Path(path))
