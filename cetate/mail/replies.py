"""Which case a resident's reply belongs to, told from the mail Cetate sent about it.

Every mail about a case asks for replies at an address naming the case and signed with the
site's secret key (`registratura+c-<case id>-<signature>@domain`), so the address cannot be
made up for another case. A reply is also known by the Message-ID of Cetate's mail it answers
(In-Reply-To, References); those identifiers can be guessed, so they are trusted only from the
case's own resident.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from urllib.parse import urlsplit

from django.conf import settings

from cetate.cases.models import Case

TAG = re.compile(r"^c-(?P<case>[0-9]{1,12})-(?P<signature>[0-9a-f]{16})$")
MESSAGE_ID = re.compile(
    r"<case-(?P<year>[0-9]{4})-(?P<number>[0-9]+)(?:\.[0-9]+)?@(?P<domain>[^>]+)>"
)


def _base() -> tuple[str, str]:
    address = parseaddr(settings.MAIL_REPLY_ADDRESS or settings.DEFAULT_FROM_EMAIL)[1]
    local, _at, domain = address.partition("@")
    return local.split("+", 1)[0], domain


def _site_domain() -> str:
    """The domain of Cetate's Message-IDs (cetate/cases/notifications.py, thread_id)."""
    return (urlsplit(settings.SITE_URL).hostname or "cetate.local").lower()


def _signature(case_id: int) -> str:
    key = hashlib.sha256(f"cetate.mail.replies:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(case_id).encode(), hashlib.sha256).hexdigest()[:16]


def reply_address(case: Case) -> str:
    """The address replies about `case` are to go to."""
    local, domain = _base()
    return f"{local}+c-{case.pk}-{_signature(case.pk)}@{domain}"


def case_of_address(address: str) -> int | None:
    """The id of the case a signed reply address names, or None (not one, or forged)."""
    local, _at, domain = address.strip().lower().rpartition("@")
    base_local, base_domain = _base()
    name, plus, tag = local.partition("+")
    if not plus or name != base_local.lower() or domain != base_domain.lower():
        return None
    found = TAG.match(tag)
    if found is None:
        return None
    case_id = int(found["case"])
    if not hmac.compare_digest(found["signature"], _signature(case_id)):
        return None
    return case_id


def case_replied_to(message: EmailMessage, sender: str) -> Case | None:
    """The case `message` replies to, or None when it is no reply to Cetate's mail; a case
    merged since is the case it was merged into."""
    case = _named_case(message, sender)
    seen = set()
    while case is not None and case.merged_into_id is not None and case.pk not in seen:
        seen.add(case.pk)
        case = case.merged_into
    return case


def _named_case(message: EmailMessage, sender: str) -> Case | None:
    recipients = [
        str(value)
        for name in ("To", "Cc", "Delivered-To", "X-Original-To")
        for value in message.get_all(name, [])
    ]
    for _name, address in getaddresses(recipients):
        case_id = case_of_address(address)
        if case_id is not None:
            case = Case.objects.filter(pk=case_id).first()
            if case is not None:
                return case
    referred = " ".join(
        str(value) for name in ("In-Reply-To", "References") for value in message.get_all(name, [])
    )
    for found in MESSAGE_ID.finditer(referred):
        if found["domain"].lower() != _site_domain():
            continue
        case = (
            Case.objects.select_related("reporter")
            .filter(registration_year=int(found["year"]), registration_number=int(found["number"]))
            .first()
        )
        if case is None or case.reporter is None or not sender:
            continue
        if case.reporter.email.strip().lower() == sender.strip().lower():
            return case
    return None
