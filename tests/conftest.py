import email
import email.message
import os
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.client import ClientMixin
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from cetate.accounts.second_factor import confirmed_device
from cetate.lib.ratelimit import LIMITS_CACHE
from cetate.ops.counters import DatabaseCounters
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
def _pages_follow_the_browser(settings):
    """Tests ask for English pages as an English browser does, with Accept-Language, which pages
    follow when a city turns LANGUAGE_FROM_BROWSER on. That they open in Romanian by default,
    whatever the browser, is tested in tests/lib/test_language.py and the portal's browser walk."""
    settings.LANGUAGE_FROM_BROWSER = True


@pytest.fixture(autouse=True)
def _force_login_includes_the_code(monkeypatch):
    """`client.force_login(user)` stands for the whole sign-in: the password and, for a user
    with an authenticator app, its code. The steps themselves are tested in tests/accounts."""
    original = ClientMixin._login  # type: ignore[attr-defined]

    def login(self, user, backend=None):
        original(self, user, backend)
        device = confirmed_device(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", login)


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.fixture
def early_in_a_minute():
    """Rate limits count per clock minute: a test making a limit's worth of requests starts
    at the beginning of one, so that a slow machine does not carry them into the next."""
    import time_machine

    start = (int(time.time()) // 60 + 1) * 60 + 1
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _requests_commit(monkeypatch):
    """A test client's request commits when it ends, as each request does in production:
    what it owes once committed (mail from the outbox, on a queue other than the database's)
    is done then. Sending owed mail twice sends it once, so nested captures are harmless."""
    from django.test import Client, TestCase

    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Every test starts with no rate-limit counts and nothing cached.

    The counts live in the `limits` cache (a table of the test database, or Redis when
    CACHE_URL is set), cached answers in the default one. The table is emptied only for tests
    that use the database, before their own transaction starts.
    """
    cache.clear()
    limits = caches[LIMITS_CACHE]
    if not isinstance(limits, DatabaseCounters):
        limits.clear()
    elif request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
        request.fixturenames
    ):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            limits.clear()


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.THUMBNAIL_DIR = tmp_path / "thumbnails"
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox(MessageHandler):
    def __init__(self):
        super().__init__(email.message.EmailMessage)
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_sink():
    """A real SMTP server on a free local port, keeping what it receives in `inbox.messages`."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def connection_kept():
    """The WSGI application closes the database connection after each request; the test's
    transaction must outlive them, as Django's test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
