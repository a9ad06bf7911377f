"""`api_token create USERNAME` prints a new REST API token for a member of staff;
`api_token revoke USERNAME` removes theirs. A user has at most one token; it acts with
that user's roles."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from cetate.accounts.access import is_staff_member
from cetate.accounts.models import User


class Command(BaseCommand):
    help = "Create (and print) or revoke a staff member's REST API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["create", "revoke"])
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the user's existing token (the old one stops working).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        if options["operation"] == "revoke":
            deleted, _ = Token.objects.filter(user=user).delete()
            self.stdout.write("Token revoked." if deleted else "The user had no token.")
            return
        if not is_staff_member(user):
            raise CommandError(
                f"{user.username} has no staff role: the API would refuse the token."
            )
        existing = Token.objects.filter(user=user)
        if existing.exists():
            if not options["replace"]:
                raise CommandError(
                    f"{user.username} already has a token; use --replace to issue a new one."
                )
            existing.delete()
        self.stdout.write(Token.objects.create(user=user).key)
