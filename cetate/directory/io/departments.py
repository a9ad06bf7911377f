"""departments.csv: one line per department or external organisation, keyed by its code.

Columns: code, name_ro, name_en, kind (internal or external); optional columns email, phone,
postal_address and active (yes/no). An optional column left out of the file leaves that field
as it is; the export writes it only when some department has a value there.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cetate.directory.io.files import (
    ExportResult,
    ImportResult,
    Row,
    optional_columns,
    read_csv,
    save_changes,
    write_csv,
    yes_no,
)
from cetate.directory.models import Department

COLUMNS = ("code", "name_ro", "name_en", "kind")
OPTIONAL_COLUMNS = ("email", "phone", "postal_address", "active")


def import_departments(path: str | Path) -> ImportResult:
    """Create or update the departments of the file; departments it does not list stay."""
    rows = read_csv(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    parsed = _parse(rows)
    result = ImportResult(_("departments"))
    with transaction.atomic():
        existing = Department.objects.in_bulk(list(parsed), field_name="code")
        for code, values in parsed.items():
            save_changes(existing.get(code) or Department(code=code), values, result)
    return result


def _parse(rows: list[Row]) -> dict[str, dict[str, object]]:
    parsed: dict[str, dict[str, object]] = {}
    seen: dict[object, int] = {}
    for row in rows:
        code = row.code("code", max_length=60)
        row.check_unique("code", code, seen)
        values: dict[str, object] = {
            "name": row.text("name_ro", required=True, max_length=200),
            "name_en": row.text("name_en", max_length=200),
            "kind": row.choice("kind", Department.Kind.values, default=Department.Kind.INTERNAL),
        }
        if row.has("email"):
            values["email"] = _email(row)
        if row.has("phone"):
            values["phone"] = row.text("phone", max_length=32)
        if row.has("postal_address"):
            values["postal_address"] = row.text("postal_address")
        if row.has("active"):
            values["is_active"] = row.boolean("active")
        parsed[code] = values
    return parsed


def _email(row: Row) -> str:
    email = row.text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise row.error(
                "email", _("“%(value)s” is not an email address") % {"value": email}
            ) from error
    return email


def export_departments(path: str | Path) -> ExportResult:
    departments = list(Department.objects.order_by("id"))
    rows = [
        {
            "code": department.code,
            "name_ro": department.name,
            "name_en": department.name_en,
            "kind": department.kind,
            "email": department.email,
            "phone": department.phone,
            "postal_address": department.postal_address,
            "active": yes_no(department.is_active),
        }
        for department in departments
    ]
    implied = {
        "email": [""] * len(rows),
        "phone": [""] * len(rows),
        "postal_address": [""] * len(rows),
        "active": ["yes"] * len(rows),
    }
    columns = [*COLUMNS, *optional_columns(rows, implied)]
    return ExportResult(_("departments"), write_csv(path, columns, rows), Path(path))
