"""Invented residents who write to the demo city: Romanian names, reserved email domains
(RFC 2606) and Romanian mobile numbers, so that no message can reach a real person."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from cetate.contacts.models import AnswerChannel, Contact
from cetate.contacts.services import create_contact
from cetate.lib.text import fold

EMAIL_DOMAINS = ("example.org", "example.org", "example.com")
MOBILE_PREFIXES = ("722", "723", "726", "740", "744", "745", "751", "755", "762", "766", "787")
FIRST_NAMES = (
    "Andrei", "Alexandru", "Ioan", "Mihai", "Gheorghe", "Vasile", "Cristian", "Florin",
    "Adrian", "Daniel", "Radu", "Sorin", "Ovidiu", "Tudor", "Ștefan", "Călin", "Marius",
    "Maria", "Elena", "Ioana", "Ana", "Andreea", "Mihaela", "Cristina", "Gabriela", "Alina",
    "Daniela", "Simona", "Raluca", "Oana", "Ramona", "Lavinia", "Cătălina", "Georgiana",
)  # fmt: skip
LAST_NAMES = (
    "Popescu", "Ionescu", "Popa", "Pop", "Rusu", "Moldovan", "Muntean", "Oprea", "Stan",
    "Mureșan", "Bogdan", "Crișan", "Sârbu", "Florea", "Cîmpean", "Todea", "Băcilă", "Hațegan",
    "Lazăr", "Man", "Nistor", "Pașca", "Roman", "Suciu", "Toma", "Vlad", "Bucur", "Cristea",
    "Dragomir", "Ene", "Gheorghiu", "Marin", "Neagu", "Petrescu", "Radu", "Șerban", "Țurcanu",
)  # fmt: skip
ORGANISATIONS = (
    "Asociația de Proprietari nr. {n}",
    "SC Construct {last} SRL",
    "Școala Gimnazială nr. {n}",
    "Asociația Cartierului {last}",
)
SHARE_ORGANISATIONS = 0.06
# Regular writers: a tenth of the residents send a third of the cases.
SHARE_REGULARS = 0.1
SHARE_FROM_REGULARS = 0.3


@dataclass
class Residents:
    everyone: list[Contact]
    with_email: list[Contact]
    with_phone: list[Contact]

    def pick(self, rng: random.Random, pool: Sequence[Contact] | None = None) -> Contact:
        pool = pool or self.everyone
        regulars = max(1, int(len(pool) * SHARE_REGULARS))
        if rng.random() < SHARE_FROM_REGULARS:
            return pool[rng.randrange(regulars)]
        return rng.choice(pool)


def create_demo_residents(
    rng: random.Random, *, count: int, addresses: Sequence[str], city_name: str
) -> Residents:
    """`count` demo contacts: most with email and phone, some by phone or post only."""
    taken: set[str] = set()
    everyone = [_resident(rng, addresses, city_name, taken) for _ in range(count)]
    return Residents(
        everyone=everyone,
        with_email=[c for c in everyone if c.email],
        with_phone=[c for c in everyone if c.phone],
    )


def _resident(
    rng: random.Random, addresses: Sequence[str], city_name: str, taken: set[str]
) -> Contact:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    is_organisation = rng.random() < SHARE_ORGANISATIONS
    if is_organisation:
        name = rng.choice(ORGANISATIONS).format(n=rng.randint(1, 40), last=last)
        local = "office"
    else:
        name = f"{first} {last}"
        local = f"{fold(first)}.{fold(last)}".replace(" ", "")
    email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    while email in taken:
        email = f"{local}{rng.randint(1, 999)}@{email.split('@')[1]}"
    phone = f"+40{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 999_999):06d}"
    street = rng.choice(addresses) if addresses else "Strada Principală nr. 1"
    postal_address = f"{street}, {city_name}"
    reach = rng.random()
    if reach < 0.55:
        channel, phone_or_none, email_or_none = AnswerChannel.EMAIL, phone, email
    elif reach < 0.72:
        channel, phone_or_none, email_or_none = AnswerChannel.EMAIL, "", email
    elif reach < 0.92:
        channel, phone_or_none, email_or_none = AnswerChannel.PHONE, phone, ""
    else:
        channel, phone_or_none, email_or_none = AnswerChannel.POST, phone, ""
    if email_or_none:
        taken.add(email_or_none)
    return create_contact(
        name=name,
        email=email_or_none,
        phone=phone_or_none,
        postal_address=postal_address,
        kind=Contact.Kind.ORGANISATION if is_organisation else Contact.Kind.PERSON,
        preferred_channel=channel,
        is_demo=True,
    )
