"""`manage.py restore PATH [--force]`: put a backup back into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.lib.commands import TranslatedCommand
from cetate.ops.backup.manifest import BackupError
from cetate.ops.backup.restoring import restore_backup


class Command(TranslatedCommand):
    help = cast(
        str,
        gettext_lazy(
            "Restore a backup made by `manage.py backup`: the database, then the uploaded "
            "files. The database must hold no case (a new, empty one) unless --force is given. "
            "Stop every Cetate process using the database first."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help=_("The backup archive."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace what the database holds, even its cases, with the backup."),
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        try:
            restored = restore_backup(archive, force=force, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        found, recorded = restored.figures, manifest.database
        lines = [
            (_("cases"), found.cases, recorded.cases),
            (_("events"), found.events, recorded.events),
            (_("attachments"), found.attachments, recorded.attachments),
            (_("uploaded files"), restored.media_files, manifest.media_files),
        ]
        self.stdout.write(_("Restored, against the backup's manifest:"))
        for label, restored_count, backup_count in lines:
            self.stdout.write(
                _("  %(label)s: %(restored)d restored, %(backup)d in the backup")
                % {"label": label, "restored": restored_count, "backup": backup_count}
            )
        if not manifest.media_included:
            self.stdout.write(
                _("Uploaded files were not in the backup: they are in %(place)s.")
                % {"place": manifest.media_elsewhere}
            )
        differences = restored.differences()
        if differences:
            raise CommandError(
                _("The restored data differs from the backup (%(differences)s): do not use it.")
                % {"differences": "; ".join(differences)}
            )
        if restored.migrate_needed:
            self.stdout.write(
                _("The backup predates this version: run `manage.py migrate` before serving.")
            )
