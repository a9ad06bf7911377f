"""What a backup holds, and the figures of a database that a restore is checked against."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from cetate.cases.models import Attachment, Case, Event

# Bumped when an archive's layout changes in a way older versions cannot read.
FORMAT = 1
MANIFEST_NAME = "manifest.json"
MEDIA_FOLDER = "media"
# pg_dump's custom format is compressed already; SQLite's copy is gzipped.
DATABASE_FILES = {"sqlite": "database.sqlite3.gz", "postgresql": "database.pgdump"}
# gzip's fastest level: most of the gain on a database (a third of its size) at twice the
# speed of the default level.
COMPRESS_LEVEL = 1
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# Runs one SQL statement and returns its rows: an SQLite, psycopg or Django cursor behind it.
Rows = Callable[[str], Sequence[Sequence[Any]]]


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class DatabaseFigures:
    """The counts a restore must find again, and where the database's schema stands."""

    cases: int
    events: int
    attachments: int
    # The last applied migration of each app (the highest number).
    migrations: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"cases": self.cases, "events": self.events, "attachments": self.attachments}


def read_figures(rows: Rows) -> DatabaseFigures:
    def count(table: str) -> int:
        return int(rows(f"SELECT COUNT(*) FROM {table}")[0][0])  # noqa: S608 (model tables)

    migrations = rows("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
    return DatabaseFigures(
        cases=count(Case._meta.db_table),
        events=count(Event._meta.db_table),
        attachments=count(Attachment._meta.db_table),
        migrations=dict(sorted((str(app), str(name)) for app, name in migrations)),
    )


@dataclass(frozen=True)
class Manifest:
    cetate_version: str
    created_at: str
    database_vendor: str
    database_sha256: str
    database: DatabaseFigures
    media_included: bool
    media_files: int
    media_bytes: int
    # Where the uploaded files are when they are not in the archive (an S3 bucket).
    media_elsewhere: str = ""

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.database_vendor]

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "cetate_version": self.cetate_version,
            "created_at": self.created_at,
            "database_vendor": self.database_vendor,
            "database_file": self.database_file,
            "database_sha256": self.database_sha256,
            "migrations": self.database.migrations,
            "counts": self.database.counts(),
            "media": {
                "included": self.media_included,
                "files": self.media_files,
                "bytes": self.media_bytes,
                "elsewhere": self.media_elsewhere,
            },
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        unreadable = BackupError(
            _(
                "The backup's manifest cannot be read: "
                "the archive is damaged or is not a Cetate backup."
            )
        )
        try:
            document = json.loads(raw)
            if not isinstance(document, dict):
                raise unreadable
            if _number(document, "format") > FORMAT:
                raise BackupError(
                    _(
                        "This backup was made by a newer version of Cetate (%(version)s); "
                        "restore it with that version or a later one."
                    )
                    % {"version": _text(document, "cetate_version")}
                )
            vendor = _text(document, "database_vendor")
            counts = document["counts"]
            media = document["media"]
            migrations = document["migrations"]
            if vendor not in DATABASE_FILES or not isinstance(migrations, dict):
                raise unreadable
            return cls(
                cetate_version=_text(document, "cetate_version"),
                created_at=_text(document, "created_at"),
                database_vendor=vendor,
                database_sha256=_text(document, "database_sha256"),
                database=DatabaseFigures(
                    cases=_number(counts, "cases"),
                    events=_number(counts, "events"),
                    attachments=_number(counts, "attachments"),
                    migrations={str(app): str(name) for app, name in migrations.items()},
                ),
                media_included=bool(media["included"]),
                media_files=_number(media, "files"),
                media_bytes=_number(media, "bytes"),
                media_elsewhere=_text(media, "elsewhere"),
            )
        except (ValueError, KeyError, TypeError):
            raise unreadable from None


def _number(document: Mapping[str, Any], key: str) -> int:
    value = document[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(key)
    return int(value)


def _text(document: Mapping[str, Any], key: str) -> str:
    value = document[key]
    if not isinstance(value, str):
        raise TypeError(key)
    return value
