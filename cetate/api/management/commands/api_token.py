"""`api_token create USERNAME --name NAME [--days N]` prints a new REST API token for a member
of staff (the only time it can be read); `api_token list [USERNAME]` shows the tokens without
them; `api_token revoke USERNAME [--name NAME]` stops the user's tokens (or the named one)
working. A token acts with its user's roles until it expires or is revoked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cetate.accounts.access import is_staff_member
from cetate.accounts.models import User
from cetate.api.models import ApiToken
from cetate.api.tokens import (
    DEFAULT_LIFETIME,
    MAX_LIFETIME_DAYS,
    issue_token,
    revoke,
    tokens_named,
)


class Command(BaseCommand):
    help = "Create (and print), list or revoke a staff member's REST API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["create", "list", "revoke"])
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_LIFETIME.days,
            help=f"Days until the token expires (default {DEFAULT_LIFETIME.days}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operation, username = options["operation"], options["username"].strip()
        if operation == "list":
            self._list(username)
            return
        if not username:
            raise CommandError(f"api_token {operation} needs the user's name.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if operation == "revoke":
            count = revoke(tokens_named(user, options["name"]))
            self.stdout.write(
                f"Tokens revoked: {count}." if count else "No active token to revoke."
            )
            return
        if not is_staff_member(user):
            raise CommandError(
                f"{user.username} has no staff role: the API would refuse the token."
            )
        name = options["name"].strip()
        if not name:
            raise CommandError("Name the token with --name (what it is for).")
        days = options["days"]
        if not 1 <= days <= MAX_LIFETIME_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_LIFETIME_DAYS}.")
        _token, raw = issue_token(user=user, name=name, lifetime=timedelta(days=days))
        self.stdout.write(raw)

    def _list(self, username: str) -> None:
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        now = timezone.now()
        for token in tokens:
            if token.revoked_at is not None:
                state = "revoked"
            else:
                state = "active" if token.is_usable_at(now) else "expired"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.user.username}\t{token.name}\t{token.prefix}…\t{state}\t"
                f"expires {token.expires_at:%Y-%m-%d}\tlast used {used}"
            )
