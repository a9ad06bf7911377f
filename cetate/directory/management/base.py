"""What the directory's commands share: translated help and file errors as command errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.management.base import CommandError

from cetate.directory.io import DirectoryFileError, ExportResult, ImportResult
from cetate.lib.commands import TranslatedCommand


class DirectoryCommand(TranslatedCommand):
    def run(
        self,
        action: Callable[[], Iterable[ImportResult | ExportResult] | ImportResult | ExportResult],
    ) -> None:
        """Run one import or export, print one line per result, turn file errors into
        command errors (the import has then changed nothing)."""
        try:
            outcome = action()
        except DirectoryFileError as error:
            raise CommandError(str(error)) from error
        results = [outcome] if isinstance(outcome, ImportResult | ExportResult) else outcome
        for result in results:
            self.stdout.write(str(result))
