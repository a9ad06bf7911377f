"""questions.csv: the extra questions of categories (Open311 attributes).

Columns: category (a category code), code, question_ro, datatype (string, number, datetime,
text, singlevaluelist, multivaluelist); optional question_en, required (yes/no), values,
description and order. List questions write their choices as `key=Name|key2=Name2`; a
backslash keeps a `|` or a backslash inside a name. A question is keyed by its category and
code; questions the file does not list stay. Without an order column a question's order is
its position among the file's questions of its category.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
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
from cetate.directory.models import Category, CategoryQuestion, QuestionDatatype

COLUMNS = ("category", "code", "question_ro", "datatype")
OPTIONAL_COLUMNS = ("question_en", "required", "values", "description", "order")
EXPORTED_COLUMNS = (*COLUMNS[:3], "question_en", "datatype", "required", "values", "description")
LIST_DATATYPES = frozenset({QuestionDatatype.SINGLE, QuestionDatatype.MULTI})


def import_questions(path: str | Path) -> ImportResult:
    """Create or update the extra questions of the file (their categories must exist)."""
    rows = read_csv(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    result = ImportResult(_("extra questions"))
    with transaction.atomic():
        categories = _category_ids(rows)
        existing = {
            (question.category_id, question.code): question
            for question in CategoryQuestion.objects.filter(category_id__in=categories.values())
        }
        seen: dict[object, int] = {}
        positions: dict[int, int] = {}
        for row in rows:
            category_id = categories[row.text("category")]
            code = row.code("code", max_length=60)
            row.check_unique("code", (category_id, code), seen)
            positions[category_id] = positions.get(category_id, 0) + 1
            values = _values(row, default_order=positions[category_id])
            question = existing.get((category_id, code)) or CategoryQuestion(
                category_id=category_id, code=code
            )
            save_changes(question, values, result)
    return result


def _category_ids(rows: list[Row]) -> dict[str, int]:
    codes = {row.code("category", max_length=80) for row in rows}
    known = dict(Category.objects.filter(code__in=codes).values_list("code", "id"))
    for row in rows:
        if row.text("category") not in known:
            raise row.error(
                "category",
                _("no category has the code “%(code)s”") % {"code": row.text("category")},
            )
    return known


def _values(row: Row, *, default_order: int) -> dict[str, Any]:
    datatype = row.choice("datatype", QuestionDatatype.values, default=QuestionDatatype.STRING)
    choices = parse_choices(row)
    if datatype in LIST_DATATYPES and not choices:
        raise row.error("values", _("a list question needs its choices: key=Name|key2=Name2"))
    if datatype not in LIST_DATATYPES and choices:
        raise row.error(
            "values",
            _("only singlevaluelist and multivaluelist questions have choices, not %(type)s")
            % {"type": datatype},
        )
    values: dict[str, Any] = {
        "question": row.text("question_ro", required=True, max_length=300),
        "datatype": datatype,
        "values": choices,
        "order": row.whole_number("order", default=default_order),
    }
    if row.has("question_en"):
        values["question_en"] = row.text("question_en", max_length=300)
    if row.has("description"):
        values["description"] = row.text("description")
    if row.has("required"):
        values["required"] = row.boolean("required")
    return values


def parse_choices(row: Row) -> list[dict[str, str]]:
    """[{"key": "yes", "name": "Da"}, …] from "yes=Da|no=Nu"; a choice without "=" is its own
    name."""
    choices: list[dict[str, str]] = []
    keys: set[str] = set()
    for item in _split_unescaped(row.text("values")):
        key, separator, name = item.partition("=")
        key, name = key.strip(), name.strip()
        if not key:
            raise row.error(
                "values", _("a choice has no key before “=”: “%(item)s”") % {"item": item}
            )
        if key in keys:
            raise row.error("values", _("the choice “%(key)s” is listed twice") % {"key": key})
        keys.add(key)
        choices.append({"key": key, "name": name if separator else key})
    return choices


def _split_unescaped(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item for item in items if item.strip()]


def format_choices(values: Any) -> str:
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    items = [item for item in values if isinstance(item, dict)] if isinstance(values, list) else []
    return "|".join(
        f"{escape(str(item.get('key', '')))}={escape(str(item.get('name', '')))}" for item in items
    )


def export_questions(path: str | Path) -> ExportResult:
    questions = list(
        CategoryQuestion.objects.select_related("category").order_by(
            F("category__parent__order").asc(nulls_first=True),
            "category__order",
            "category__code",
            "order",
            "id",
        )
    )
    rows: list[dict[str, str]] = []
    implied_order: list[str] = []
    positions: dict[int, int] = {}
    for question in questions:
        positions[question.category_id] = positions.get(question.category_id, 0) + 1
        implied_order.append(str(positions[question.category_id]))
        rows.append(
            {
                "category": question.category.code,
                "code": question.code,
                "question_ro": question.question,
                "question_en": question.question_en,
                "datatype": question.datatype,
                "required": yes_no(question.required),
                "values": format_choices(question.values),
                "description": question.description,
                "order": str(question.order),
            }
        )
    columns = [*EXPORTED_COLUMNS, *optional_columns(rows, {"order": implied_order})]
    return ExportResult(_("extra questions"), write_csv(path, columns, rows), Path(path))
