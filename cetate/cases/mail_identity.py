"""How Cetate's mail about a case is known again when someone answers it.

Every mail about a case asks for replies at the case's signed address
(`registratura+c-<case id>-<signature>@domain`) and carries a Message-ID naming the case and
signed the same way: the thread's (`<case-2026-123.<signature>@site>`, the registration
mail's), or one of a message in the thread (`<case-2026-123.5.<signature>@site>`). Both are
signed with the site's secret key, so neither can be made up for another case: an answer to a
signed address, or naming a signed Message-ID in In-Reply-To or References, comes from someone
who got Cetate's mail about that case. Mail sent before Message-IDs were signed carries
`<case-2026-123@site>` and `<case-2026-123.5@site>`; those can be guessed.

The sender of the mail (cetate/cases/notifications.py, outgoing.py) and the mail channel that
reads the answers (cetate/mail/replies.py) both sign and check here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings

from cetate.cases.models import Case

SIGNATURE_LENGTH = 16
ADDRESS_TAG = re.compile(r"^c-(?P<case>[0-9]{1,12})-(?P<signature>[0-9a-f]{16})$")
# `<case-YEAR-NUMBER[.part][.signature]@domain>`; a part is an event's number or a name.
MESSAGE_ID = re.compile(
    r"<case-(?P<year>[0-9]{4})-(?P<number>[0-9]{1,12})(?P<parts>(?:\.[0-9a-z-]{1,40}){0,3})"
    r"@(?P<domain>[^<>\s]+)>",
    re.IGNORECASE | re.ASCII,
)
# The part of the Message-ID of the mail forwarding a redirected case to its organisation.
FORWARDING_PART = "forwarded"


def _signature(purpose: str, value: str) -> str:
    key = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def _address_signature(case_id: int) -> str:
    # The purpose named as when addresses were first signed: addresses in mail already sent
    # stay valid.
    return _signature("cetate.mail.replies", str(case_id))


def _thread_signature(year: int, number: int) -> str:
    return _signature("cetate.cases.mail_identity.message-id", f"{year}-{number}")


def _base() -> tuple[str, str]:
    address = parseaddr(settings.MAIL_REPLY_ADDRESS or settings.DEFAULT_FROM_EMAIL)[1]
    local, _at, domain = address.partition("@")
    return local.split("+", 1)[0], domain


def site_domain() -> str:
    """The domain of Cetate's Message-IDs: the site's."""
    return (urlsplit(settings.SITE_URL).hostname or "cetate.local").lower()


def reply_address(case: Case) -> str:
    """The address replies about `case` are to go to."""
    local, domain = _base()
    return f"{local}+c-{case.pk}-{_address_signature(case.pk)}@{domain}"


def case_of_address(address: str) -> int | None:
    """The id of the case a signed reply address names, or None (not one, or forged)."""
    local, _at, domain = address.strip().lower().rpartition("@")
    base_local, base_domain = _base()
    name, plus, tag = local.partition("+")
    if not plus or name != base_local.lower() or domain != base_domain.lower():
        return None
    found = ADDRESS_TAG.match(tag)
    if found is None:
        return None
    case_id = int(found["case"])
    if not hmac.compare_digest(found["signature"], _address_signature(case_id)):
        return None
    return case_id


def thread_id(case: Case) -> str:
    """The Message-ID of the registration mail, which every later message about the case
    refers to, so that mail clients thread them."""
    return message_id(case)


def message_id(case: Case, part: int | str | None = None) -> str:
    """The signed Message-ID of a message in the case's thread: `part` tells it from the
    others (an event's number, or a name such as FORWARDING_PART); none for the thread's."""
    year, number = case.registration_year, case.registration_number
    middle = f".{part}" if part is not None else ""
    signature = _thread_signature(year, number)
    return f"<case-{year}-{number}{middle}.{signature}@{site_domain()}>"


@dataclass(frozen=True)
class Reference:
    """A Message-ID of Cetate's mail about a case, as an answer names it."""

    year: int
    number: int
    parts: tuple[str, ...]
    # Whether it carries the case's valid signature: the answer comes from someone who got
    # the mail. An unsigned one, or one signed wrongly, could be made up.
    signed: bool

    @property
    def answers_forwarding(self) -> bool:
        """Whether it is the mail forwarding the case to an external organisation."""
        return self.signed and FORWARDING_PART in self.parts


def references_in(text: str) -> list[Reference]:
    """The Message-IDs of Cetate's mail about cases in `text` (In-Reply-To, References), in
    their order; Message-IDs of other sites are left out."""
    found = []
    for match in MESSAGE_ID.finditer(text):
        if match["domain"].lower() != site_domain():
            continue
        year, number = int(match["year"]), int(match["number"])
        parts = tuple(part.lower() for part in match["parts"].split(".") if part)
        signed = bool(parts) and hmac.compare_digest(parts[-1], _thread_signature(year, number))
        found.append(Reference(year, number, parts[:-1] if signed else parts, signed))
    return found
