"""`restore_backup`: read a whole archive and check it, then put its database and files back.

Nothing changes until the archive has been read to its end: the manifest parsed, the vendor
matched, the database file's checksum and integrity verified, every other member a file under
`media/`, and the target database found to hold no case (unless forced). Then the database is
restored, then the files; the caller compares the restored database's counts with the
manifest's.
"""

from __future__ import annotations

import hashlib
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.models import Case
from cetate.ops.backup import postgres, sqlite
from cetate.ops.backup.manifest import (
    DATABASE_FILES,
    MANIFEST_NAME,
    MEDIA_FOLDER,
    VENDOR_NAMES,
    BackupError,
    DatabaseFigures,
    Manifest,
    read_figures,
)

CHUNK = 1024 * 1024
# A manifest is a few kilobytes; anything far larger is not one.
MANIFEST_LIMIT = 1024 * 1024
# What a damaged archive raises while it is read.
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, OSError)


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    # Counted in the restored database.
    figures: DatabaseFigures
    media_files: int
    # The restored database lacks migrations of this version: `manage.py migrate` is due.
    migrate_needed: bool

    def differences(self) -> list[str]:
        """The counts that differ from the manifest's, as `name: restored ≠ backup`."""
        restored, recorded = self.figures.counts(), self.manifest.database.counts()
        found = [
            f"{name}: {restored[name]} ≠ {recorded[name]}"
            for name in recorded
            if restored[name] != recorded[name]
        ]
        if self.media_files != self.manifest.media_files:
            found.append(f"files: {self.media_files} ≠ {self.manifest.media_files}")
        return found


@dataclass(frozen=True)
class _Contents:
    manifest: Manifest
    database: Path
    database_sha256: str
    media: frozenset[str]

    @property
    def unpacked(self) -> Path:
        """Where an SQLite database is unzipped to."""
        return self.database.with_name("database.sqlite3")


def restore_backup(archive: Path, *, force: bool, say: Callable[[str], object]) -> Restored:
    """Restore the backup at `archive` into the default database and the uploads' storage."""
    connection = connections[DEFAULT_DB_ALIAS]
    work_folder = Path(settings.VAR_DIR) / "backups"
    work_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_folder, prefix=".cetate-restore-") as work:
        contents = _read(archive, Path(work))
        manifest = contents.manifest
        _check(contents, vendor=connection.vendor)
        if not force:
            _refuse_cases(connection)
        say(
            _("Restoring the backup made %(created)s (cases %(cases)d, events %(events)d)…")
            % {
                "created": manifest.created_at,
                "cases": manifest.database.cases,
                "events": manifest.database.events,
            }
        )
        # Nothing of this process may hold the database while it is replaced.
        connections.close_all()
        if connection.vendor == "sqlite":
            sqlite.restore(contents.unpacked, Path(str(connection.settings_dict["NAME"])))
        else:
            postgres.restore(contents.database, connection.settings_dict)
    files = _restore_media(archive, contents.media, storages["default"])
    executor = MigrationExecutor(connection)
    return Restored(
        manifest=manifest,
        figures=_figures(connection),
        media_files=files,
        migrate_needed=bool(executor.migration_plan(executor.loader.graph.leaf_nodes())),
    )


def _read(archive: Path, work: Path) -> _Contents:
    """Read the archive to its end: its manifest, its database (into `work`), its files."""
    manifest: Manifest | None = None
    database: Path | None = None
    digest = hashlib.sha256()
    media: set[str] = set()
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.isdir() and (member.name == MEDIA_FOLDER or _media_name(member.name)):
                    continue  # folders come with their files
                if not member.isfile():
                    raise _not_a_backup(archive)
                if member.name == MANIFEST_NAME and member.size <= MANIFEST_LIMIT:
                    manifest = Manifest.from_json(_opened(tar, member).read())
                elif member.name in DATABASE_FILES.values() and database is None:
                    database = work / member.name
                    _copy(_opened(tar, member), database, digest)
                elif _media_name(member.name):
                    media.add(member.name)
                else:
                    raise _not_a_backup(archive)
    except FileNotFoundError:
        raise BackupError(_("There is no file at %(path)s.") % {"path": archive}) from None
    except UNREADABLE as error:
        raise BackupError(
            _("%(path)s is not a backup archive, or it is damaged: %(error)s")
            % {"path": archive, "error": first_line(error)}
        ) from error
    if manifest is None or database is None or database.name != manifest.database_file:
        raise _not_a_backup(archive)
    return _Contents(
        manifest=manifest,
        database=database,
        database_sha256=digest.hexdigest(),
        media=frozenset(media),
    )


def _check(contents: _Contents, *, vendor: str) -> None:
    manifest = contents.manifest
    if manifest.database_vendor != vendor:
        raise BackupError(
            _(
                "This backup holds a %(backup)s database, but this installation uses %(here)s: "
                "restore it with DATABASE_URL naming a %(backup)s database."
            )
            % {
                "backup": VENDOR_NAMES[manifest.database_vendor],
                "here": VENDOR_NAMES.get(vendor, vendor),
            }
        )
    _check_migrations(manifest)
    damaged = BackupError(
        _("The backup is damaged: its database or its files are not those its manifest lists.")
    )
    if contents.database_sha256 != manifest.database_sha256:
        raise damaged
    if len(contents.media) != manifest.media_files:
        raise damaged
    if vendor == "sqlite":
        if sqlite.unpack(contents.database, contents.unpacked).counts() != (
            manifest.database.counts()
        ):
            raise damaged
    else:
        postgres.check(contents.database)


def _check_migrations(manifest: Manifest) -> None:
    """Refuse a database migrated further than this version of Cetate knows."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    apps = {app for app, _name in known}
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest.database.migrations.items()
        if app in apps and (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "This backup comes from a newer version of Cetate (%(version)s) whose database "
                "this version cannot read (%(migrations)s): restore it with that version."
            )
            % {"version": manifest.cetate_version, "migrations": ", ".join(unknown[:3])}
        )


def _refuse_cases(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "sqlite":
        Path(str(connection.settings_dict["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    table = Case._meta.db_table
    try:
        if table not in connection.introspection.table_names():
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a model's table)
            row = cursor.fetchone()
    except DatabaseError as error:
        raise BackupError(
            _("The database to restore into cannot be reached: %(error)s") % {"error": error}
        ) from error
    held = int(row[0]) if row else 0
    if held:
        raise BackupError(
            ngettext(
                "The database already holds %(count)d case: restore into an empty database, "
                "or add --force to replace everything in it with the backup.",
                "The database already holds %(count)d cases: restore into an empty database, "
                "or add --force to replace everything in it with the backup.",
                held,
            )
            % {"count": held}
        )


def _restore_media(archive: Path, names: frozenset[str], storage: Storage) -> int:
    """Put the archive's files `names` into `storage`, replacing any of the same name."""
    restored = 0
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.name not in names:
                    continue
                name = member.name.removeprefix(f"{MEDIA_FOLDER}/")
                content = File(_opened(tar, member), name=name)
                content.size = member.size
                if storage.exists(name):
                    storage.delete(name)
                if storage.save(name, content) != name:
                    raise OSError(name)
                restored += 1
    except UNREADABLE as error:
        raise BackupError(
            _(
                "The database was restored, but the uploaded files could not be "
                "(%(done)d of %(total)d done): %(error)s"
            )
            % {"done": restored, "total": len(names), "error": error}
        ) from error
    return restored


def _figures(connection: BaseDatabaseWrapper) -> DatabaseFigures:
    with connection.cursor() as cursor:

        def rows(sql: str) -> list[tuple[object, ...]]:
            cursor.execute(sql)
            return list(cursor.fetchall())

        return read_figures(rows)


def _media_name(name: str) -> bool:
    """Whether `name` is a file under media/ that stays there (no `..`, not absolute)."""
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and len(path.parts) > 1
        and path.parts[0] == MEDIA_FOLDER
        and not {"..", "."} & set(path.parts)
        and "\\" not in name
    )


def _opened(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    extracted = tar.extractfile(member)
    if extracted is None:
        raise tarfile.ReadError(member.name)
    return extracted


def _copy(source: IO[bytes], target: Path, digest: hashlib._Hash) -> None:
    with target.open("wb") as file:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            file.write(chunk)


def first_line(error: BaseException) -> str:
    """An error's first line: tarfile lists every compression it tried after it."""
    lines = str(error).strip().splitlines() or [error.__class__.__name__]
    return lines[0].rstrip(":")


def _not_a_backup(archive: Path) -> BackupError:
    return BackupError(_("%(path)s is not a Cetate backup.") % {"path": archive})
