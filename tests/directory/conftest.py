"""Helpers for the directory's import, export and gazetteer tests."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cetate.demo.management.commands.load_demo_city import DATA
from cetate.directory.models import (
    Area,
    Category,
    CategoryQuestion,
    Department,
    ResponseTemplate,
    Street,
)

DEMO = DATA


@pytest.fixture
def run():
    """Run a management command; its output as text."""

    def run(*args: str) -> str:
        out = StringIO()
        call_command(*args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    """A writable copy of the demo city's files, to spoil one line at a time."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def directory_state() -> dict[str, list[tuple[object, ...]]]:
    """Everything the imports write, without database ids: equal states, equal directories."""
    return {
        "departments": sorted(
            Department.objects.values_list(
                "code", "name", "name_en", "kind", "email", "phone", "postal_address", "is_active"
            )
        ),
        "categories": sorted(
            Category.objects.values_list(
                "code",
                "name",
                "name_en",
                "parent__code",
                "department__code",
                "service_target",
                "service_target_unit",
                "anonymous_allowed",
                "public_map",
                "public_location",
                "public_text",
                "sensitive",
                "outside_city_allowed",
                "keywords",
                "order",
                "is_active",
            ),
            key=repr,
        ),
        "questions": sorted(
            (
                q.category.code,
                q.code,
                q.question,
                q.question_en,
                q.description,
                q.datatype,
                q.required,
                q.order,
                repr(q.values),
            )
            for q in CategoryQuestion.objects.select_related("category")
        ),
        "templates": sorted(
            ResponseTemplate.objects.values_list(
                "name", "category__code", "status", "language", "body"
            ),
            key=repr,
        ),
        "areas": sorted(
            (a.code, a.name, a.kind, a.is_active, repr(a.geometry), a.min_lat, a.max_lon)
            for a in Area.objects.all()
        ),
        "streets": sorted(
            (
                s.street_type,
                s.name,
                s.number_range,
                s.postal_code,
                s.search_key,
                repr(s.geometry),
                s.latitude,
                s.longitude,
            )
            for s in Street.objects.all()
        ),
    }


def wipe_directory() -> None:
    """An empty directory, as in a fresh database."""
    CategoryQuestion.objects.all().delete()
    ResponseTemplate.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()
    Department.objects.all().delete()
    Area.objects.all().delete()
    Street.objects.all().delete()


def import_demo_directory(run) -> str:
    return run(
        "import_directory",
        "--departments", str(DEMO / "departments.csv"),
        "--categories", str(DEMO / "categories.csv"),
        "--questions", str(DEMO / "questions.csv"),
        "--templates", str(DEMO / "templates.csv"),
    )  # fmt: skip
