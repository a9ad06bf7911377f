"""SQLite: copied with its online backup API, put back with the same API in reverse.

The backup API reads a consistent snapshot of a database the site keeps writing to (in WAL
mode readers do not block writers), so the site need not stop. The copy is stored gzipped: a
database shrinks to about a third. Restoring through the backup API rather than copying the
file writes through SQLite's own locking and journal: no stale `-wal` file can be replayed over
the restored pages afterwards.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

from django.utils.translation import gettext as _

from cetate.ops.backup.manifest import COMPRESS_LEVEL, BackupError, DatabaseFigures, read_figures

# As long as the site's own connections wait for a lock (cetate/lib/env.py).
BUSY_TIMEOUT_SECONDS = 20
CHUNK = 1024 * 1024


def dump(source: Path, target: Path) -> DatabaseFigures:
    """Copy the database at `source` into `target`, gzipped; the copy's figures."""
    if not source.is_file():
        raise BackupError(_("There is no SQLite database at %(path)s.") % {"path": source})
    copied = target.with_name(f"{target.name}.copy")
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as live,
            closing(sqlite3.connect(copied)) as copy,
        ):
            live.backup(copy)
        with closing(sqlite3.connect(copied)) as copy:
            # One self-contained file, whatever journal the live database keeps.
            copy.execute("PRAGMA journal_mode=DELETE")
            figures = read_figures(lambda sql: copy.execute(sql).fetchall())
    except sqlite3.Error as error:
        raise BackupError(
            _("The SQLite database could not be copied: %(error)s") % {"error": error}
        ) from error
    with (
        copied.open("rb") as plain,
        gzip.GzipFile(target, "wb", compresslevel=COMPRESS_LEVEL) as packed,
    ):
        shutil.copyfileobj(plain, packed, CHUNK)
    copied.unlink()
    return figures


def unpack(saved: Path, target: Path) -> DatabaseFigures:
    """Unzip a database taken from an archive into `target`; its figures. A damaged one is
    refused."""
    try:
        with gzip.open(saved, "rb") as packed, target.open("wb") as plain:
            shutil.copyfileobj(packed, plain, CHUNK)
        with closing(sqlite3.connect(target)) as database:
            verdict = database.execute("PRAGMA quick_check").fetchall()
            if verdict != [("ok",)]:
                raise sqlite3.DatabaseError(str(verdict[:3]))
            return read_figures(lambda sql: database.execute(sql).fetchall())
    except (sqlite3.Error, OSError, EOFError, zlib.error) as error:
        raise BackupError(
            _("The database in this backup is damaged: %(error)s") % {"error": error}
        ) from error


def restore(saved: Path, target: Path) -> None:
    """Replace the database at `target` (created when missing) by the one in `saved`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(saved)) as backup,
            closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS)) as live,
        ):
            backup.backup(live)
    except sqlite3.Error as error:
        raise BackupError(
            _(
                "The database could not be restored into %(path)s: %(error)s. "
                "Stop every Cetate process using it and try again."
            )
            % {"path": target, "error": error}
        ) from error
