"""Read the city's mailbox (MAIL_IMAP_URL) once: each message stored and decided, then filed."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cetate.lib.commands import TranslatedCommand
from cetate.mail.imap import MailboxUnavailable
from cetate.mail.pipeline import decide_undecided
from cetate.mail.polling import poll_mailbox

UNDECIDED_BATCH = 100


class Command(TranslatedCommand):
    help = cast(
        str,
        gettext_lazy(
            "Read the city's mailbox (MAIL_IMAP_URL) once: each message becomes a case, a "
            "reply, a recognised automatic message or an item held for a person, and is then "
            "moved to the mailbox's Processed folder. Messages stored earlier whose handling "
            "was cut short are decided too."
        ),
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = poll_mailbox()
        except MailboxUnavailable as error:
            raise CommandError(str(error)) from error
        if result is None:
            raise CommandError(_("No mailbox is configured: set MAIL_IMAP_URL."))
        self.stdout.write(
            _(
                "%(stored)d messages stored and filed; %(failed)d could not be stored and stay "
                "in the mailbox for the next poll."
            )
            % {"stored": len(result.stored), "failed": len(result.failed)}
        )
        undecided = decide_undecided(limit=UNDECIDED_BATCH)
        if undecided:
            self.stdout.write(
                ngettext(
                    "%(n)d message stored earlier and left undecided was decided.",
                    "%(n)d messages stored earlier and left undecided were decided.",
                    undecided,
                )
                % {"n": undecided}
            )
