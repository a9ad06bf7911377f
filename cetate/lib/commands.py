"""The base of Cetate's management commands: help text translated, as argparse needs it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class TranslatedCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # The help is a lazy translation; argparse needs plain text, in the active language.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
