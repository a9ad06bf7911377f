import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from cetate.test import City, make_city


@pytest.fixture
def city(db) -> City:
    return make_city()


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source text; pages and mail choose their own
    language (Romanian by default), as they do for users."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip on SQLite; CI runs the suite on both and fails on skips."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    skip = pytest.mark.skip(reason="needs DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture
def vendor() -> str:
    return connection.vendor
