"""templates.csv: the model answers officers start from.

Columns: name, body; optional category (a category code; empty: every category), status (a
case status; empty: every status), purpose (message, answer, granted, partly_granted or
refused; empty: an answer if the status is resolved or closed, a message otherwise) and language
(default ro). A template is keyed by its
category, name and language: renaming one in the file adds a new template and leaves the old
one. Templates the file does not list stay.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cetate.cases.workflow import Status
from cetate.directory.io.files import (
    ExportResult,
    ImportResult,
    Row,
    read_csv,
    save_changes,
    write_csv,
)
from cetate.directory.models import Category, ResponseTemplate, TemplatePurpose

COLUMNS = ("name", "body")
OPTIONAL_COLUMNS = ("category", "status", "purpose", "language")
EXPORTED_COLUMNS = ("name", "category", "status", "purpose", "language", "body")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)?$")


def import_templates(path: str | Path) -> ImportResult:
    """Create or update the response templates of the file (their categories must exist)."""
    rows = read_csv(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    result = ImportResult(_("response templates"))
    with transaction.atomic():
        categories = _category_ids(rows)
        existing: dict[tuple[int | None, str, str], ResponseTemplate] = {}
        for template in ResponseTemplate.objects.order_by("-id"):
            # Of two same-named templates made in the admin, the file updates the older one.
            existing[(template.category_id, template.name, template.language)] = template
        seen: dict[object, int] = {}
        for row in rows:
            category_id = categories.get(row.text("category"))
            name = row.text("name", required=True, max_length=200)
            language = _language(row)
            row.check_unique("name", (category_id, name, language), seen)
            template = existing.get((category_id, name, language)) or ResponseTemplate(
                category_id=category_id, name=name, language=language
            )
            save_changes(template, _values(row), result)
    return result


def _category_ids(rows: list[Row]) -> dict[str, int]:
    codes = {row.code("category", max_length=80, required=False) for row in rows} - {""}
    known = dict(Category.objects.filter(code__in=codes).values_list("code", "id"))
    for row in rows:
        code = row.text("category")
        if code and code not in known:
            raise row.error("category", _("no category has the code “%(code)s”") % {"code": code})
    return known


def _language(row: Row) -> str:
    language = row.text("language").lower() or "ro"
    if not _LANGUAGE.match(language) or len(language) > 8:
        raise row.error(
            "language",
            _("“%(value)s” is not a language code such as ro or en") % {"value": language},
        )
    return language


def _values(row: Row) -> dict[str, Any]:
    status = row.text("status", max_length=20).lower()
    if status and status not in Status.values:
        raise row.error(
            "status", _("“%(value)s” is not a status code such as resolved") % {"value": status}
        )
    purpose = row.text("purpose", max_length=16).lower()
    if purpose and purpose not in TemplatePurpose.values:
        raise row.error(
            "purpose",
            _("“%(value)s” is not a purpose such as message or answer") % {"value": purpose},
        )
    body = row.values["body"]
    if not body.strip():
        raise row.error("body", _("a value is needed here"))
    try:
        list(string.Formatter().parse(body))
    except ValueError as error:
        raise row.error(
            "body",
            _("placeholders are written {number}; write {{ and }} for braces (%(reason)s)")
            % {"reason": error},
        ) from error
    return {"status": status, "purpose": purpose, "body": body}


def export_templates(path: str | Path) -> ExportResult:
    templates = ResponseTemplate.objects.select_related("category").order_by(
        F("category__code").asc(nulls_first=True), "name", "language", "id"
    )
    rows = [
        {
            "name": template.name,
            "category": template.category.code if template.category else "",
            "status": template.status,
            "purpose": template.purpose,
            "language": template.language,
            "body": template.body,
        }
        for template in templates
    ]
    # The purpose column only when some template has one: older files stay as they were.
    columns: tuple[str, ...] = EXPORTED_COLUMNS
    if not any(row["purpose"] for row in rows):
        columns = tuple(column for column in columns if column != "purpose")
        for row in rows:
            del row["purpose"]
    return ExportResult(_("response templates"), write_csv(path, columns, rows), Path(path))
