"""Receive one message on standard input, as a mail server's pipe transport delivers it.

Prints one JSON line, {"outcome": …, "case": "N/YYYY" or null, "message_id": …}, and exits 0
once the message is stored, whatever its outcome; 75 (EX_TEMPFAIL) when it could not be
stored, so that the mail server keeps it and tries again.
"""

from __future__ import annotations

import json
import sys
from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.lib.commands import TranslatedCommand
from cetate.mail.models import Source
from cetate.mail.pipeline import NotStored, receive

EX_TEMPFAIL = 75


class Command(TranslatedCommand):
    help = cast(
        str,
        gettext_lazy(
            "Receive one email message on standard input, as a mail server's pipe transport "
            "delivers it; exit 75 when it could not be stored, so that the server tries again."
        ),
    )
    # Tests hand the message in as a stream of bytes.
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read()
        try:
            received = receive(raw, source=Source.PIPE)
        except NotStored as error:
            self.stderr.write(_("The message could not be stored: %(error)s") % {"error": error})
            sys.exit(EX_TEMPFAIL)
        line = {
            "outcome": received.outcome.value,
            "case": received.case,
            "message_id": received.message_id,
        }
        self.stdout.write(json.dumps(line, ensure_ascii=False))
