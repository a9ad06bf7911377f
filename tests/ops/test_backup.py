"""manage.py backup and restore: every case, number, tracking code, event and file comes back.

The restore runs as `manage.py restore` in a process of its own, pointed at an empty database
(a new SQLite file, or a new PostgreSQL database) by DATABASE_URL, as an administrator would run
it on a new server. Bad archives are refused before anything changes.
"""

import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from cetate.cases.models import Case
from cetate.cases.services import accept, add_attachment, add_note, assign
from cetate.cases.uploads import Upload
from cetate.lib.env import database_from_url
from cetate.ops.backup.manifest import DatabaseFigures, Manifest
from cetate.ops.backup.restoring import Restored
from cetate.ops.bench.database import postgres_url
from tests.cases.files import minimal_pdf, png

MANAGE = str(settings.BASE_DIR / "manage.py")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
# The tables whose every row must come back as it was.
TABLES = ["cases_case", "cases_event", "cases_attachment", "contacts_contact", "accounts_user"]


def url_of(entry) -> str:
    if entry["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{entry['NAME']}"
    return postgres_url(entry, name=entry["NAME"])


def query(url: str, statements: dict[str, str]) -> dict[str, list[tuple[object, ...]]]:
    """The rows of each statement, read with the database's own driver."""
    entry = database_from_url(url, base_dir=settings.BASE_DIR)
    if entry["ENGINE"].endswith("sqlite3"):
        with closing(sqlite3.connect(entry["NAME"])) as database:
            return {key: database.execute(text).fetchall() for key, text in statements.items()}
    with psycopg.connect(url) as database:
        return {key: database.execute(text).fetchall() for key, text in statements.items()}


def rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of TABLES, every column."""
    return query(url, {table: f"SELECT * FROM {table} ORDER BY id" for table in TABLES})  # noqa: S608


def registered(url: str) -> list[tuple[object, ...]]:
    """The number and tracking code of every case."""
    statement = (
        "SELECT registration_year, registration_number, tracking_code FROM cases_case ORDER BY id"
    )
    return query(url, {"cases": statement})["cases"]


def restore(
    archive: Path, target_url: str, var: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": target_url,
        "CETATE_VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
    }
    return subprocess.run(
        [sys.executable, MANAGE, "restore", str(archive), *extra],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def backup(output: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=output, stdout=out)
    return out.getvalue()


def register_cases(city) -> list[Case]:
    """Three reports: one with a photo, one worked on with a PDF added, one untouched."""
    with_photo = city.report(attachments=[Upload("groapa.png", png())])
    worked = city.report(description="Stâlp căzut pe trotuar")
    assign(case_id=worked.pk, actor=city.dispatcher, department=city.technical)
    accept(case_id=worked.pk, actor=city.officer)
    add_note(case_id=worked.pk, actor=city.officer, text="Echipa a fost trimisă.")
    add_attachment(
        case_id=worked.pk, actor=city.officer, upload=Upload("proces.pdf", minimal_pdf())
    )
    untouched = city.report(description="Capac de canal lipsă")
    return [with_photo, worked, untouched]


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database of the configured kind, dropped afterwards."""
    configured = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"cetate_restore_{os.getpid()}"
    maintenance = postgres_url(configured, name="postgres")
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield postgres_url(configured, name=name)
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def backup_and_restore(city, tmp_path, empty_database):
    cases = register_cases(city)
    source = url_of(connection.settings_dict)
    report = backup(tmp_path / "first.tar")
    assert "cases 3, events" in report
    assert "Uploaded files: 2 files" in report

    var = tmp_path / "restored"
    done = restore(tmp_path / "first.tar", empty_database, var)
    assert done.returncode == 0, done.stderr

    restored = rows(empty_database)
    assert restored == rows(source)
    assert registered(empty_database) == [
        (case.registration_year, case.registration_number, case.tracking_code) for case in cases
    ]
    assert len(restored["cases_event"]) >= 3 + 4
    for case in cases:
        for attachment in case.attachments.all():
            original = Path(settings.MEDIA_ROOT) / attachment.file.name
            assert (var / "media" / attachment.file.name).read_bytes() == original.read_bytes()

    # A database that holds cases is not overwritten unless asked to be.
    city.report(description="Copac căzut")
    backup(tmp_path / "second.tar")
    refused = restore(tmp_path / "second.tar", empty_database, var)
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert rows(empty_database) == restored
    forced = restore(tmp_path / "second.tar", empty_database, var, "--force")
    assert forced.returncode == 0, forced.stderr
    assert rows(empty_database) == rows(source)
    assert len(rows(empty_database)["cases_case"]) == 4


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite restore; PostgreSQL has its own test")
@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_sqlite_file_holds_every_case_event_and_file(
    city, tmp_path, empty_database
):
    backup_and_restore(city, tmp_path, empty_database)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_postgres_database_holds_every_case_event_and_file(
    city, tmp_path, empty_database
):
    backup_and_restore(city, tmp_path, empty_database)


@pytest.fixture
def archive(db, tmp_path):
    """A backup of the committed test database and one uploaded file."""
    photo = Path(settings.MEDIA_ROOT) / "cases" / "photo.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(png())
    path = tmp_path / "good.tar"
    backup(path)
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write(path: Path, contents: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in contents.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return path


def of_other_vendor(good: Path, target: Path) -> Path:
    contents = members(good)
    manifest = json.loads(contents.pop("manifest.json"))
    other, file = (
        ("sqlite", "database.sqlite3.gz")
        if manifest["database_vendor"] == "postgresql"
        else ("postgresql", "database.pgdump")
    )
    database = contents.pop(manifest["database_file"])
    manifest.update(database_vendor=other, database_file=file)
    return write(
        target, {file: database, **contents, "manifest.json": json.dumps(manifest).encode()}
    )


def with_database(good: Path, target: Path, data: bytes) -> Path:
    contents = members(good)
    name = json.loads(contents["manifest.json"])["database_file"]
    return write(target, {**contents, name: data})


def without(good: Path, target: Path, name: str) -> Path:
    return write(target, {k: v for k, v in members(good).items() if not k.startswith(name)})


def with_extra(good: Path, target: Path, name: str) -> Path:
    return write(target, {**members(good), name: b"!"})


def missing(good: Path, target: Path) -> Path:
    return target


def not_an_archive(good: Path, target: Path) -> Path:
    target.write_bytes(b"hello")
    return target


def truncated(good: Path, target: Path) -> Path:
    target.write_bytes(good.read_bytes()[:3000])
    return target


BAD_ARCHIVES = {
    "missing": (missing, "There is no file at"),
    "not an archive": (not_an_archive, "is not a backup archive, or it is damaged"),
    "truncated": (truncated, "is not a backup archive, or it is damaged"),
    "other vendor": (of_other_vendor, "this installation uses"),
    "damaged database": (
        lambda good, target: with_database(good, target, b"\0" * 4096),
        "The backup is damaged",
    ),
    "a file missing": (
        lambda good, target: without(good, target, "media/"),
        "The backup is damaged",
    ),
    "no manifest": (lambda good, target: without(good, target, "manifest"), "not a Cetate backup"),
    "a path out of media": (
        lambda good, target: with_extra(good, target, "media/../../escaped"),
        "not a Cetate backup",
    ),
}


@pytest.mark.parametrize("kind", BAD_ARCHIVES)
def test_a_bad_archive_is_refused_and_changes_nothing(city, archive, tmp_path, kind):
    make, message = BAD_ARCHIVES[kind]
    bad = make(archive, tmp_path / "bad.tar")
    case = city.report()
    media = sorted(Path(settings.MEDIA_ROOT).rglob("*"))

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), force=True, stdout=io.StringIO())

    assert Case.objects.get(pk=case.pk).tracking_code == case.tracking_code
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == media
    assert not (tmp_path.parent / "escaped").exists()


def test_a_database_holding_cases_is_not_restored_into_without_force(city, archive):
    city.report()
    with pytest.raises(CommandError, match="already holds 1 case: restore into an empty"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Case.objects.count() == 1


def test_a_backup_is_written_under_var_backups_for_its_owner_only(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    Path(settings.MEDIA_ROOT).mkdir()
    out = io.StringIO()
    call_command("backup", stdout=out)
    (written,) = (tmp_path / "backups").glob("cetate-*.tar")
    assert str(written) in out.getvalue()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert list((tmp_path / "backups").iterdir()) == [written]
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=written, stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"must end in \.tar or \.tar\.gz"):
        call_command("backup", output=tmp_path / "backup.zip", stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot be written among the uploaded files"):
        call_command("backup", output=Path(settings.MEDIA_ROOT), stdout=io.StringIO())


def test_uploads_kept_in_a_bucket_are_named_not_copied(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    report = backup(tmp_path / "b.tar.gz")
    assert "Uploaded files are not in this backup: they stay in" in report
    manifest = json.loads(members(tmp_path / "b.tar.gz")["manifest.json"])
    assert manifest["media"]["included"] is False
    assert not any(name.startswith("media/") for name in members(tmp_path / "b.tar.gz"))


def test_counts_that_differ_after_a_restore_are_named():
    figures = DatabaseFigures(cases=3, events=9, attachments=2)
    manifest = Manifest(
        cetate_version="1",
        created_at="2026-05-29T02:30:00+00:00",
        database_vendor="sqlite",
        database_sha256="",
        database=figures,
        media_included=True,
        media_files=2,
        media_bytes=10,
    )
    whole = Restored(manifest=manifest, figures=figures, media_files=2, migrate_needed=False)
    assert whole.differences() == []
    short = Restored(
        manifest=manifest,
        figures=DatabaseFigures(cases=3, events=8, attachments=2),
        media_files=1,
        migrate_needed=False,
    )
    assert short.differences() == ["events: 8 ≠ 9", "files: 1 ≠ 2"]


@pytest.mark.postgres
def test_the_database_password_reaches_pg_dump_in_its_environment_only(db, tmp_path, monkeypatch):
    """Other users of the server can read command lines (ps), not a process's environment."""
    tools = tmp_path / "bin"
    tools.mkdir()
    spy = tools / "pg_dump"
    spy.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$*" > {tmp_path}/arguments\n'
        f'printf "%s" "$PGPASSWORD" > {tmp_path}/password\n'
        f'exec {shutil.which("pg_dump")} "$@"\n'
    )
    spy.chmod(0o700)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "parola-bazei-de-date")

    backup(tmp_path / "b.tar")

    assert "parola-bazei-de-date" not in (tmp_path / "arguments").read_text()
    assert "--format=custom" in (tmp_path / "arguments").read_text()
    assert (tmp_path / "password").read_text() == "parola-bazei-de-date"
