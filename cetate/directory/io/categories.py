"""categories.csv: one line per category, its group named on the same line.

Columns: group_code, group_ro, group_en, code, name_ro, name_en, department (a department
code, may be empty), service_target (a number followed by h for hours or d for working days,
e.g. 24h or 7d; may be empty), anonymous_allowed and public_map (yes/no: whether reports of the
category are public). Optional columns: outside_city_allowed (yes/no), keywords, active
(yes/no), order and group_order (numbers), and what the public sees (cetate/cases/publication):
public_location (exact or rounded), public_text (none, masked or summary) and sensitive
(yes/no; a sensitive category cannot be public).

The lines' order is the order residents see: without an order column, a category's order is
its line's position, a group's the position of its first line. A line with an empty code
declares a group that has no categories yet. Categories and groups are keyed by code; those
the file does not list stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.directory.io.files import (
    DirectoryFileError,
    ExportResult,
    ImportResult,
    Row,
    optional_columns,
    read_csv,
    save_changes,
    write_csv,
    yes_no,
)
from cetate.directory.models import (
    Category,
    Department,
    PublicLocation,
    PublicText,
    ServiceTargetUnit,
)

COLUMNS = (
    "group_code",
    "group_ro",
    "group_en",
    "code",
    "name_ro",
    "name_en",
    "department",
    "service_target",
    "anonymous_allowed",
    "public_map",
)
OPTIONAL_COLUMNS = (
    "outside_city_allowed",
    "keywords",
    "order",
    "group_order",
    "active",
    "public_location",
    "public_text",
    "sensitive",
)
_SERVICE_TARGET = re.compile(rf"^(\d+)\s*([{''.join(ServiceTargetUnit.values)}])$")


@dataclass
class _Group:
    line: int
    values: dict[str, Any]


@dataclass
class _Leaf:
    row: Row
    group_code: str
    department_code: str
    values: dict[str, Any] = field(default_factory=dict)


def import_categories(path: str | Path) -> ImportResult:
    """Create or update the groups and categories of the file (departments must exist)."""
    rows = read_csv(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    groups, leaves = _parse(rows)
    result = ImportResult(_("categories"))
    with transaction.atomic():
        departments = _department_ids(leaves)
        existing = Category.objects.in_bulk([*groups, *leaves], field_name="code")
        group_ids: dict[str, int] = {}
        for code, group in groups.items():
            instance = existing.get(code) or Category(code=code)
            save_changes(instance, group.values, result)
            group_ids[code] = instance.pk
        for code, leaf in leaves.items():
            values = {
                **leaf.values,
                "parent_id": group_ids[leaf.group_code],
                "department_id": departments.get(leaf.department_code),
            }
            instance = existing.get(code) or Category(code=code)
            if values["public_map"] and values.get("sensitive", instance.sensitive):
                raise leaf.row.error(
                    "public_map",
                    _("a sensitive category cannot be public: write no in public_map or sensitive"),
                )
            save_changes(instance, values, result)
        _check_two_levels(path)
    return result


def _parse(rows: list[Row]) -> tuple[dict[str, _Group], dict[str, _Leaf]]:
    groups: dict[str, _Group] = {}
    leaves: dict[str, _Leaf] = {}
    seen: dict[object, int] = {}
    for position, row in enumerate(rows, start=1):
        group_code = row.code("group_code", max_length=80)
        group = _Group(
            row.line,
            {
                "name": row.text("group_ro", required=True, max_length=200),
                "name_en": row.text("group_en", max_length=200),
                "parent_id": None,
                "order": row.whole_number("group_order", default=len(groups) + 1),
            },
        )
        _merge_group(row, group_code, group, groups)
        code = row.code("code", max_length=80, required=False)
        if not code:
            continue
        row.check_unique("code", code, seen)
        leaves[code] = _Leaf(row, group_code, row.code("department", max_length=60, required=False))
        leaves[code].values = _leaf_values(row, position)
    for code, leaf in leaves.items():
        if code in groups:
            raise leaf.row.error(
                "code",
                _("“%(code)s” is the code of a group (line %(line)d)")
                % {"code": code, "line": groups[code].line},
            )
    return groups, leaves


def _merge_group(row: Row, code: str, group: _Group, groups: dict[str, _Group]) -> None:
    """A group named on several lines must be named the same way on each."""
    first = groups.get(code)
    if first is None:
        groups[code] = group
        return
    for column, name in (("group_ro", "name"), ("group_en", "name_en")):
        if group.values[name] != first.values[name]:
            raise row.error(
                column,
                _("group “%(code)s” is called “%(first)s” on line %(line)d")
                % {"code": code, "first": first.values[name], "line": first.line},
            )
    explicit_order = row.has("group_order") and row.text("group_order")
    if explicit_order and group.values["order"] != first.values["order"]:
        raise row.error(
            "group_order",
            _("group “%(code)s” has order %(order)s on line %(line)d")
            % {"code": code, "order": first.values["order"], "line": first.line},
        )


def _leaf_values(row: Row, position: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": row.text("name_ro", required=True, max_length=200),
        "name_en": row.text("name_en", max_length=200),
        "anonymous_allowed": row.boolean("anonymous_allowed"),
        "public_map": row.boolean("public_map"),
        "order": row.whole_number("order", default=position),
    }
    values.update(_service_target(row))
    if row.has("outside_city_allowed"):
        values["outside_city_allowed"] = row.boolean("outside_city_allowed")
    if row.has("keywords"):
        values["keywords"] = row.text("keywords", max_length=300)
    if row.has("active"):
        values["is_active"] = row.boolean("active")
    if row.has("public_location"):
        values["public_location"] = row.choice(
            "public_location", PublicLocation.values, default=PublicLocation.ROUNDED
        )
    if row.has("public_text"):
        values["public_text"] = row.choice(
            "public_text", PublicText.values, default=PublicText.NONE
        )
    if row.has("sensitive"):
        values["sensitive"] = row.boolean("sensitive")
    return values


def _service_target(row: Row) -> dict[str, Any]:
    text = row.text("service_target").lower()
    if not text:
        return {"service_target": None}
    match = _SERVICE_TARGET.match(text)
    if match is None or int(match.group(1)) == 0:
        raise row.error(
            "service_target",
            _(
                "“%(value)s” is not a service target: write a number of hours or working days, "
                "e.g. 24h or 7d"
            )
            % {"value": text},
        )
    return {"service_target": int(match.group(1)), "service_target_unit": match.group(2)}


def _department_ids(leaves: dict[str, _Leaf]) -> dict[str, int]:
    codes = {leaf.department_code for leaf in leaves.values() if leaf.department_code}
    known = dict(Department.objects.filter(code__in=codes).values_list("code", "id"))
    for leaf in leaves.values():
        if leaf.department_code and leaf.department_code not in known:
            raise leaf.row.error(
                "department",
                _("no department has the code “%(code)s”; import the departments first")
                % {"code": leaf.department_code},
            )
    return known


def _check_two_levels(path: str | Path) -> None:
    nested = Category.objects.filter(parent__isnull=False, children__isnull=False).first()
    if nested is not None:
        raise DirectoryFileError(
            path,
            _(
                "“%(code)s” would be a category inside a group and hold categories itself; "
                "categories have two levels"
            )
            % {"code": nested.code},
        )


def export_categories(path: str | Path) -> ExportResult:
    groups = list(Category.objects.filter(parent__isnull=True).order_by("order", "id"))
    leaves_of: dict[int, list[Category]] = {group.pk: [] for group in groups}
    for leaf in (
        Category.objects.filter(parent__isnull=False, parent__parent__isnull=True)
        .select_related("department")
        .order_by("order", "id")
    ):
        leaves_of[leaf.parent_id or 0].append(leaf)
    rows: list[dict[str, str]] = []
    implied: dict[str, list[str]] = {column: [] for column in OPTIONAL_COLUMNS}
    for group_position, group in enumerate(groups, start=1):
        lines: list[Category | None] = [*leaves_of[group.pk]] or [None]
        for line in lines:
            rows.append(_export_row(group, line))
            for column, value in _implied(rows[-1], group_position, len(rows)).items():
                implied[column].append(value)
    columns = [*COLUMNS, *optional_columns(rows, implied)]
    return ExportResult(_("categories"), write_csv(path, columns, rows), Path(path))


def _export_row(group: Category, leaf: Category | None) -> dict[str, str]:
    row = {
        "group_code": group.code,
        "group_ro": group.name,
        "group_en": group.name_en,
        "group_order": str(group.order),
    }
    if leaf is None:
        leaf_columns = [*COLUMNS[COLUMNS.index("code") :], "outside_city_allowed", "keywords"]
        publication = ["public_location", "public_text", "sensitive"]
        return row | dict.fromkeys([*leaf_columns, "order", "active", *publication], "")
    target = f"{leaf.service_target}{leaf.service_target_unit}" if leaf.service_target else ""
    return row | {
        "code": leaf.code,
        "name_ro": leaf.name,
        "name_en": leaf.name_en,
        "department": leaf.department.code if leaf.department else "",
        "service_target": target,
        "anonymous_allowed": yes_no(leaf.anonymous_allowed),
        "public_map": yes_no(leaf.public_map),
        "outside_city_allowed": yes_no(leaf.outside_city_allowed),
        "keywords": leaf.keywords,
        "order": str(leaf.order),
        "active": yes_no(leaf.is_active),
        "public_location": leaf.public_location,
        "public_text": leaf.public_text,
        "sensitive": yes_no(leaf.sensitive),
    }


def _implied(row: dict[str, str], group_position: int, line_position: int) -> dict[str, str]:
    """What the import assumes for each optional column of this line when it is absent."""
    leaf_line = bool(row["code"])
    return {
        "outside_city_allowed": "no" if leaf_line else "",
        "keywords": "",
        "order": str(line_position) if leaf_line else "",
        "group_order": str(group_position),
        "active": "yes" if leaf_line else "",
        "public_location": PublicLocation.ROUNDED if leaf_line else "",
        "public_text": PublicText.NONE if leaf_line else "",
        "sensitive": "no" if leaf_line else "",
    }
