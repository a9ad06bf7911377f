"""`open311_key create NAME` prints a new Open311 API key for an integrator (the only time it
can be read); `open311_key list` shows the keys and their use; `open311_key revoke NAME`
stops a key from working; `open311_key scope NAME --read-scope full|public` changes what a key
reads of the cases it did not post (full: description, exact location and status notes, every
read logged)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cetate.open311.keys import create_key
from cetate.open311.models import ApiKey, ReadScope


class Command(BaseCommand):
    help = "Create (and print), list, revoke or change the read scope of Open311 API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["create", "list", "revoke", "scope"])
        parser.add_argument("name", nargs="?", default="")
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=None,
            help="Calls per minute for this key (default: OPEN311_RATE_LIMIT).",
        )
        parser.add_argument(
            "--read-scope",
            choices=ReadScope.values,
            default=None,
            help=(
                "What the key reads of cases it did not post: public (default: what anyone "
                "sees) or full (description, exact location, status notes; every read logged)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operation, name = options["operation"], options["name"].strip()
        if operation == "list":
            for key in ApiKey.objects.all():
                state = "active" if key.is_active else "revoked"
                used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
                self.stdout.write(
                    f"{key.name}\t{key.prefix}…\t{state}\treads {key.read_scope}\t"
                    f"calls {key.calls}\trequests {key.requests_created}\tlast used {used}"
                )
            return
        if not name:
            raise CommandError(f"open311_key {operation} needs the integrator's name.")
        if operation == "revoke":
            if not ApiKey.objects.filter(name=name).update(is_active=False):
                raise CommandError(f"No Open311 key named {name!r}.")
            self.stdout.write(f"Key of {name} revoked.")
            return
        read_scope = options["read_scope"]
        if operation == "scope":
            if read_scope is None:
                raise CommandError("open311_key scope needs --read-scope public or full.")
            if not ApiKey.objects.filter(name=name).update(read_scope=read_scope):
                raise CommandError(f"No Open311 key named {name!r}.")
            self.stdout.write(f"Key of {name} now reads: {read_scope}.")
            return
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"A key named {name!r} exists; revoke it or choose another name.")
        rate_limit = options["rate_limit"]
        if rate_limit is not None and rate_limit < 1:
            raise CommandError("--rate-limit must be at least 1.")
        _key, raw = create_key(
            name, rate_limit=rate_limit, read_scope=read_scope or ReadScope.PUBLIC
        )
        self.stdout.write(raw)
