"""`manage.py backup [--output PATH]`: the database and the uploaded files in one archive."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cetate.lib.commands import TranslatedCommand
from cetate.ops.backup.making import make_backup
from cetate.ops.backup.manifest import VENDOR_NAMES, BackupError


class Command(TranslatedCommand):
    help = cast(
        str,
        gettext_lazy(
            "Write the database and the uploaded files into one archive that `manage.py "
            "restore` puts back (default: a timestamped .tar under CETATE_VAR_DIR/backups/). "
            "Safe while the site runs."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help=_("The archive to write (.tar or .tar.gz), or a folder to write it in."),
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        started = time.monotonic()
        try:
            backup = make_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.manifest
        figures = manifest.database
        self.stdout.write(
            _("Backup written to %(path)s (%(size)s) in %(seconds).1f s.")
            % {
                "path": backup.path,
                "size": megabytes(backup.size),
                "seconds": time.monotonic() - started,
            }
        )
        self.stdout.write(
            _(
                "Database (%(vendor)s): cases %(cases)d, events %(events)d, "
                "attachments %(attachments)d."
            )
            % {
                "vendor": VENDOR_NAMES[manifest.database_vendor],
                "cases": figures.cases,
                "events": figures.events,
                "attachments": figures.attachments,
            }
        )
        if manifest.media_included:
            self.stdout.write(
                ngettext(
                    "Uploaded files: %(count)d file, %(size)s.",
                    "Uploaded files: %(count)d files, %(size)s.",
                    manifest.media_files,
                )
                % {"count": manifest.media_files, "size": megabytes(manifest.media_bytes)}
            )
        else:
            self.stdout.write(
                _(
                    "Uploaded files are not in this backup: they stay in %(place)s, "
                    "which must be backed up on its own."
                )
                % {"place": manifest.media_elsewhere}
            )


def megabytes(size: int) -> str:
    return _("%(size).1f MB") % {"size": size / 1_000_000}
