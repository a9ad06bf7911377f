"""Letters by email through the one way in for mail (`cetate.mail.pipeline.receive`): each is
stored, read and registered as a new case whose receipt is owed, as the mail server's delivery
makes it. New letters from as many senders, in UTF-8 quoted-printable, without attachments; their
files go to a temporary folder, not the installation's storage."""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from cetate.mail.models import Outcome
from cetate.mail.pipeline import receive
from cetate.ops.bench.rows import DESCRIPTIONS, STREETS

MAIL_GOAL_PER_S = 50
# Letters timed: a few seconds at the goal's rate.
MAIL_LETTERS = 200
MAIL_WARM_UP = 10
FIRST_NAMES = ("Ion", "Maria", "Andrei", "Elena", "Ștefan", "Ioana", "Mihai", "Alina", "Tudor")
LAST_NAMES = ("Popescu", "Mureșan", "Lazăr", "Țurcanu", "Georgescu", "Bărbulescu", "Dumitru")


@dataclass(frozen=True)
class MailFigures:
    messages: int
    per_s: float


def letter(rng: random.Random, sender: str) -> bytes:
    """A resident's new letter to the city."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    street = rng.choice(STREETS)
    message = EmailMessage()
    message["From"] = f"{first} {last} <{sender}>"
    message["To"] = settings.DEFAULT_FROM_EMAIL
    message["Subject"] = f"Sesizare {street} nr. {rng.randint(1, 120)}"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.org>"
    message.set_content(
        f"Bună ziua,\n\n{rng.choice(DESCRIPTIONS)}\n\nVă mulțumesc,\n{first} {last}\n",
        cte="quoted-printable",
    )
    return message.as_bytes()


def mail_letters(cases: int) -> int:
    """How many letters the bench times for a database of `cases` cases (each opens one)."""
    return min(MAIL_LETTERS, max(10, cases // 20))


def measure_mail(*, count: int, seed: int, progress: Callable[[str], None]) -> MailFigures:
    """`count` new letters received one after another: how many a second."""
    rng = random.Random(seed)
    # Senders of their own, new at each run: none opens more cases than a mail loop would.
    run = uuid.uuid4().hex[:12]
    with (
        tempfile.TemporaryDirectory(prefix="cetate-bench-mail-") as folder,
        override_settings(
            STORAGES={
                **settings.STORAGES,
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": folder},
                },
            }
        ),
    ):
        for index in range(MAIL_WARM_UP):
            _received(letter(rng, f"bench.{run}.warm-up.{index}@example.org"))
        letters = [letter(rng, f"bench.{run}.{n}@example.org") for n in range(count)]
        started = time.perf_counter()
        for raw in letters:
            _received(raw)
        spent = time.perf_counter() - started
    progress(f"mail: {count:,} letters in {spent:.1f} s")
    return MailFigures(messages=count, per_s=count / spent if spent else 0.0)


def _received(raw: bytes) -> None:
    outcome = receive(raw, source="pipe").outcome
    if outcome != Outcome.CASE:
        raise RuntimeError(f"a bench letter was not registered: {outcome}")
