"""Tests that run Cetate's own processes (serve, the worker, gunicorn) give each a migrated
SQLite database of its own: migrated once per run, copied for each test."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
DATABASE_FILE = "cetate.sqlite3"


def sqlite_environment(var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CETATE_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / DATABASE_FILE}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("migrated")
    subprocess.run(
        [sys.executable, MANAGE, "migrate", "--noinput", "-v0"],
        env=sqlite_environment(var),
        check=True,
        timeout=300,
    )
    return var / DATABASE_FILE


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "own_sqlite" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.own_sqlite)


@pytest.fixture
def own_sqlite(migrated_sqlite, tmp_path) -> dict[str, str]:
    """The environment of a Cetate process with a migrated SQLite database of its own."""
    shutil.copy(migrated_sqlite, tmp_path / DATABASE_FILE)
    return sqlite_environment(tmp_path)
