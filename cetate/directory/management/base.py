"""What the directory's commands share: translated help and file errors as command errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cetate.directory.io import DirectoryFileError, ExportResult, ImportResult


class DirectoryCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # The help is a lazy translation; argparse needs plain text, in the active language.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

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
