"""Settings from the environment: accepted forms, and loud refusals of bad values."""

from pathlib import Path

import pytest

from cetate.lib.env import (
    ConfigurationError,
    ImapSettings,
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    imap_from_url,
)


def test_booleans(monkeypatch):
    for raw, value in [("1", True), ("yes", True), ("ON", True), ("0", False), ("no", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", not value) is value
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="FLAG"):
        env_bool("FLAG", False)


def test_integers(monkeypatch):
    monkeypatch.setenv("PORT", "8080")
    assert env_int("PORT", 8000, minimum=1, maximum=65535) == 8080
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ConfigurationError, match="PORT"):
        env_int("PORT", 8000)
    monkeypatch.setenv("PORT", "70000")
    with pytest.raises(ConfigurationError, match="between"):
        env_int("PORT", 8000, minimum=1, maximum=65535)
    monkeypatch.delenv("PORT")
    assert env_int("PORT", 8000) == 8000


def test_lists(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "crm.primaria.ro, localhost ,")
    assert env_list("ALLOWED_HOSTS", []) == ["crm.primaria.ro", "localhost"]


def test_sqlite_url_relative_and_absolute():
    base = Path("/srv/cetate")
    relative = database_from_url("sqlite:///var/db.sqlite3", base_dir=base)
    assert relative["NAME"] == "/srv/cetate/var/db.sqlite3"
    absolute = database_from_url("sqlite:////data/cetate.db", base_dir=base)
    assert absolute["NAME"] == "/data/cetate.db"
    assert absolute["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_writers_wait_20_seconds_for_the_lock_unless_the_url_says_otherwise():
    default = database_from_url("sqlite:////data/cetate.db", base_dir=Path("/"))
    assert default["OPTIONS"]["timeout"] == 20
    short = database_from_url("sqlite:////data/cetate.db?timeout=2.5", base_dir=Path("/"))
    assert (short["NAME"], short["OPTIONS"]["timeout"]) == ("/data/cetate.db", 2.5)


@pytest.mark.parametrize("timeout", ["0", "-1", "soon", "601", "nan"])
def test_a_sqlite_timeout_that_is_not_a_sensible_number_of_seconds_is_refused(timeout):
    with pytest.raises(ConfigurationError, match=f"timeout='{timeout}'"):
        database_from_url(f"sqlite:////data/cetate.db?timeout={timeout}", base_dir=Path("/"))


def test_postgres_url():
    db = database_from_url(
        "postgres://cetate:s%40cret@db.local:5433/cetate?sslmode=require", base_dir=Path("/")
    )
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"]) == (
        "django.db.backends.postgresql",
        "cetate",
        "cetate",
        "s@cret",
    )
    assert (db["HOST"], db["PORT"], db["OPTIONS"]) == ("db.local", "5433", {"sslmode": "require"})


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host/", "nonsense"])
def test_bad_database_urls(url):
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        database_from_url(url, base_dir=Path("/"))


def test_email_urls():
    assert email_from_url("").backend.endswith("filebased.EmailBackend")
    smtp = email_from_url("smtp://user:pa%20ss@mail.local:587?tls=1")
    assert (smtp.host, smtp.port, smtp.user, smtp.password, smtp.use_tls) == (
        "mail.local",
        587,
        "user",
        "pa ss",
        True,
    )
    assert email_from_url("smtps://mail.local").port == 465
    with pytest.raises(ConfigurationError, match="EMAIL_URL"):
        email_from_url("pigeon://coop")


def test_imap_urls():
    mailbox = imap_from_url(
        "imaps://registratura%40apulum.ro:p%40ss%2Fw@mail.apulum.ro/Inbox%20Cetate"
    )
    assert mailbox == ImapSettings(
        host="mail.apulum.ro",
        port=993,
        user="registratura@apulum.ro",
        password="p@ss/w",
        folder="Inbox Cetate",
        use_ssl=True,
    )
    plain = imap_from_url("imap://u:p@127.0.0.1:1143")
    assert (plain.port, plain.folder, plain.use_ssl) == (1143, "INBOX", False)
    assert imap_from_url("imap://u@localhost/").port == 143
    for url, complaint in [
        ("pop3://u:p@mail.local", "expected imaps://"),
        ("imaps:///INBOX", "the IMAP host is missing"),
        ("imaps://mail.local/INBOX", "the user name is missing"),
        ("imaps://u:p@mail.local:port/INBOX", "the port is not a number"),
    ]:
        with pytest.raises(ConfigurationError, match=f"MAIL_IMAP_URL=.*{complaint}"):
            imap_from_url(url)


def test_settings_refuse_to_start_with_a_bad_value(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={
            "DJANGO_SETTINGS_MODULE": "cetate.settings",
            "PORT": "not-a-port",
            "CETATE_VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "PORT='not-a-port': expected a whole number" in result.stderr
