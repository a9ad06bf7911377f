"""`make_backup`: the database, then the uploaded files, then the manifest, into one archive.

The database goes first: a file uploaded while the rest is copied is at worst one no case
points to yet, never a case whose file is missing. The archive is written under a temporary
name and renamed when complete, so a file with a backup's name is always a whole backup; it is
readable by its owner only, as it holds residents' personal data.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cetate.ops.backup import postgres, sqlite
from cetate.ops.backup.manifest import (
    COMPRESS_LEVEL,
    DATABASE_FILES,
    MANIFEST_NAME,
    MEDIA_FOLDER,
    BackupError,
    DatabaseFigures,
    Manifest,
)

# Each name an archive may have, and whether it is compressed.
SUFFIXES = {".tar": False, ".tar.gz": True, ".tgz": True}
# Uncompressed by default: the database inside is compressed already, and photos and PDFs do
# not compress, while gzipping them would take most of the backup's time.
DEFAULT_SUFFIX = ".tar"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    manifest: Manifest


def default_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def archive_path(output: Path | None, *, now: datetime) -> Path:
    """Where the archive goes: `output`, a timestamped name inside it when it is a folder, or
    one under VAR_DIR/backups."""
    name = f"cetate-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{DEFAULT_SUFFIX}"
    if output is None:
        path = default_folder() / name
    elif output.is_dir():
        path = output / name
    elif _compressed(output) is None:
        raise BackupError(
            _("The backup's name must end in .tar or .tar.gz: %(path)s") % {"path": output}
        )
    else:
        path = output
    path = path.absolute()
    if not media_elsewhere() and path.is_relative_to(Path(settings.MEDIA_ROOT).absolute()):
        # It would be copied into itself.
        raise BackupError(
            _("A backup cannot be written among the uploaded files (%(media)s).")
            % {"media": settings.MEDIA_ROOT}
        )
    return path


def make_backup(output: Path | None = None) -> Backup:
    """Write a backup of the default database and the uploaded files; what was written."""
    now = datetime.now(tz=UTC).replace(microsecond=0)
    path = archive_path(output, now=now)
    if path.exists():
        raise BackupError(
            _("%(path)s already exists; a backup never replaces a file.") % {"path": path}
        )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".cetate-backup-") as work:
        vendor, figures, dumped = _dump_database(Path(work))
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(
                _("Another backup is being written to %(path)s.") % {"path": path}
            ) from None
        try:
            with os.fdopen(descriptor, "wb") as file:
                manifest = _write_archive(
                    file,
                    compressed=bool(_compressed(path)),
                    vendor=vendor,
                    dumped=dumped,
                    sha256=_sha256(dumped),
                    figures=figures,
                    now=now,
                )
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Backup(path=path, size=path.stat().st_size, manifest=manifest)


def _dump_database(work: Path) -> tuple[str, DatabaseFigures, Path]:
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(
            _("Backups are made of SQLite and PostgreSQL databases, not %(vendor)s.")
            % {"vendor": vendor}
        )
    dumped = work / DATABASE_FILES[vendor]
    entry = connection.settings_dict
    if vendor == "sqlite":
        return vendor, sqlite.dump(Path(str(entry["NAME"])), dumped), dumped
    return vendor, postgres.dump(entry, dumped), dumped


def _write_archive(
    file: BinaryIO,
    *,
    compressed: bool,
    vendor: str,
    dumped: Path,
    sha256: str,
    figures: DatabaseFigures,
    now: datetime,
) -> Manifest:
    with ExitStack() as stack:
        stream = (
            stack.enter_context(
                gzip.GzipFile(filename="", mode="wb", fileobj=file, compresslevel=COMPRESS_LEVEL)
            )
            if compressed
            else file
        )
        archive = stack.enter_context(tarfile.open(fileobj=stream, mode="w"))
        archive.add(dumped, arcname=DATABASE_FILES[vendor], recursive=False)
        elsewhere = media_elsewhere()
        files, size = (0, 0) if elsewhere else _add_media(archive, Path(settings.MEDIA_ROOT))
        manifest = Manifest(
            cetate_version=cetate_version(),
            created_at=now.isoformat(),
            database_vendor=vendor,
            database_sha256=sha256,
            database=figures,
            media_included=not elsewhere,
            media_files=files,
            media_bytes=size,
            media_elsewhere=elsewhere,
        )
        _add_bytes(archive, MANIFEST_NAME, manifest.to_json(), now=now)
    return manifest


def media_elsewhere() -> str:
    """Where uploads are kept when not on this machine's disk (an S3 bucket), else ""."""
    storage = settings.STORAGES["default"]
    if issubclass(import_string(str(storage["BACKEND"])), FileSystemStorage):
        return ""
    options = storage.get("OPTIONS")
    bucket = options.get("bucket_name") if isinstance(options, dict) else None
    return f"s3://{bucket}" if bucket else str(storage["BACKEND"])


def _add_media(archive: tarfile.TarFile, root: Path) -> tuple[int, int]:
    """Add every file under `root`; how many and their bytes."""
    files = size = 0
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if not path.is_file():
                continue
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                continue  # deleted since its folder was listed: an anonymised case's file
            with handle:
                member = archive.gettarinfo(
                    arcname=f"{MEDIA_FOLDER}/{path.relative_to(root).as_posix()}", fileobj=handle
                )
                archive.addfile(member, handle)
            files += 1
            size += member.size
    return files, size


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes, *, now: datetime) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(content)
    member.mtime = int(now.timestamp())
    member.mode = 0o600
    archive.addfile(member, io.BytesIO(content))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _compressed(path: Path) -> bool | None:
    """Whether an archive of that name is compressed; None when the name is no archive's."""
    name = path.name.lower()
    return next((gz for suffix, gz in SUFFIXES.items() if name.endswith(suffix)), None)


def cetate_version() -> str:
    try:
        return version("cetate")
    except PackageNotFoundError:
        return "unknown"
