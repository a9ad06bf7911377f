"""What a delivery failure report about Cetate's mail means: whose mail bounced, about which case
and which notice, and what is done about it.

A report (RFC 3464, or the plain text some servers still write) names the addresses that failed
(per recipient: `Action: failed`, `Final-Recipient`, `Original-Recipient`, `Status`,
`Diagnostic-Code`; otherwise what flufl.bounce reads) and usually carries the bounced message or
its headers (`message/rfc822`, `text/rfc822-headers`, or quoted in its text). Cetate's mail about
a case says which case it is twice: its Message-ID (`<case-YEAR-NUMBER.SEQ@site>`, SEQ being the
event it tells about) and the case's signed Reply-To (cetate/mail/replies.py).

Anyone can write a report naming any case, so it is believed only for an address Cetate mailed
about that case: its resident's, one its mail was recorded as sent to, or a follower's. Then the
address is marked as failing, the case records the bounce and its officer is told
(cetate/cases/services/bounces.py); a follower whose mail bounces stops following. A delivery
that is only delayed changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from flufl.bounce import scan_message

from cetate.cases.models import Case
from cetate.cases.services import record_bounce
from cetate.cases.services.bounces import addresses_mailed
from cetate.mail.replies import case_of_address

MESSAGE_ID = re.compile(
    r"<case-(?P<year>[0-9]{4})-(?P<number>[0-9]{1,12})(?:\.(?P<seq>[0-9]{1,9}))?@(?P<domain>[^>\s]+)>"
)
# Headers of the bounced message quoted in a report's text ("Message-ID: <…>").
QUOTED_HEADER = re.compile(
    r"^[ \t>]*(?P<name>Message-ID|In-Reply-To|References|Reply-To)[ \t]*:[ \t]*(?P<value>\S.*)$",
    re.IGNORECASE | re.MULTILINE,
)
# An enhanced status code (RFC 3463), such as 5.1.1, in a report's text.
STATUS_CODE = re.compile(r"\b(?P<code>[245]\.[0-9]{1,3}\.[0-9]{1,3})\b")
DIAGNOSTIC_LENGTH = 300
REGISTRATION_SEQ = 1
ORIGINAL_TYPES = frozenset({"message/rfc822", "message/global"})
HEADER_TYPES = frozenset({"text/rfc822-headers", "message/global-headers"})
# Parts that are not the report's own words: the bounced message, the per-recipient fields.
CARRIED_TYPES = ORIGINAL_TYPES | {"message/delivery-status"}


@dataclass(frozen=True)
class Recipient:
    """One recipient a report speaks of: the address, as Cetate mailed it when the report
    says so (Original-Recipient), and as it was finally tried."""

    addresses: tuple[str, ...]
    status: str = ""
    diagnostic: str = ""


@dataclass(frozen=True)
class Report:
    """What a delivery report says: who failed for good, whose delivery is only delayed, and
    which of Cetate's mail it reports on."""

    failed: tuple[Recipient, ...]
    delayed: tuple[Recipient, ...]
    signed_case: int | None  # from the signed Reply-To of the bounced mail
    numbered_case: tuple[int, int] | None  # (year, number) from its Message-ID or thread
    about: int | None  # the event the bounced mail told about, from its Message-ID


@dataclass(frozen=True)
class Handled:
    """What became of a report: the reason the register of incoming mail shows, and the case
    whose mail bounced (None when no case's mail is known to have bounced)."""

    reason: str
    case: Case | None = None


def handle_bounce(message: EmailMessage, *, recognised: str) -> Handled:
    """Act on a delivery report; `recognised` says how it was known as one."""
    report = read_report(message)
    if not report.failed:
        if report.delayed:
            return Handled(
                _(
                    "%(recognised)s Delivery to %(addresses)s is only delayed, not failed: "
                    "nothing is marked."
                )
                % {"recognised": recognised, "addresses": _listed(report.delayed)}
            )
        return Handled(
            _("%(recognised)s It names no address that failed.") % {"recognised": recognised}
        )
    case = _case_of(report)
    if case is None:
        return Handled(
            _("%(recognised)s It is about no mail Cetate sent about a case.")
            % {"recognised": recognised}
        )
    mailed = addresses_mailed(case)
    followers = _followers(case)
    trusted = [
        (address, recipient)
        for recipient in report.failed
        for address in _first_known(recipient, mailed | followers)
    ]
    if not trusted:
        return Handled(
            _(
                "%(recognised)s Case %(number)s's mail never went to %(addresses)s: "
                "nothing is marked."
            )
            % {
                "recognised": recognised,
                "number": case.number,
                "addresses": _listed(report.failed),
            }
        )
    said = [recognised]
    with transaction.atomic():
        for address, recipient in trusted:
            if address in mailed:
                said.append(_told(case, address, recipient, report.about))
            else:
                _stop_following(case, address)
                said.append(
                    _(
                        "A follower's mail about case %(number)s bounced (%(address)s): they no "
                        "longer follow it."
                    )
                    % {"number": case.number, "address": address}
                )
    return Handled(" ".join(said), case)


def _told(case: Case, address: str, recipient: Recipient, about: int | None) -> str:
    bounced = record_bounce(
        case_id=case.pk,
        recipient=address,
        status=recipient.status,
        diagnostic=recipient.diagnostic,
        about=about,
    )
    values = {"number": case.number, "address": address, "status": recipient.status or "—"}
    if bounced is None:
        return (
            _("Mail about case %(number)s to %(address)s bounced (%(status)s); recorded before.")
            % values
        )
    if bounced.data.get("recipients"):
        said = (
            _(
                "Mail about case %(number)s to %(address)s bounced (%(status)s): the address "
                "is marked as failing and the officer is told."
            )
            % values
        )
    else:
        said = (
            _(
                "Mail about case %(number)s to %(address)s bounced (%(status)s): the address "
                "is marked as failing; no staff member with an email address could be told."
            )
            % values
        )
    if bounced.data.get("answer_returned"):
        if bounced.data.get("answer_by") == "post":
            said += " " + _("The answer is to be printed and posted.")
        else:
            said += " " + _(
                "The answer did not reach the resident, and no postal address is known."
            )
    return said


def _first_known(recipient: Recipient, known: set[str]) -> list[str]:
    """The address Cetate mailed among those a report names for one recipient."""
    for address in recipient.addresses:
        if address in known:
            return [address]
    return []


def _listed(recipients: tuple[Recipient, ...]) -> str:
    return ", ".join(recipient.addresses[0] for recipient in recipients if recipient.addresses)


def _followers(case: Case) -> set[str]:
    from cetate.portal.models import Follower

    return {
        email.strip().lower()
        for email in Follower.objects.filter(case=case).values_list("email", flat=True)
    }


def _stop_following(case: Case, address: str) -> None:
    from cetate.portal.following import unfollow

    unfollow(case.pk, address)


def _case_of(report: Report) -> Case | None:
    if report.signed_case is not None:
        return Case.objects.filter(pk=report.signed_case).first()
    if report.numbered_case is not None:
        year, number = report.numbered_case
        return Case.objects.filter(registration_year=year, registration_number=number).first()
    return None


def read_report(message: EmailMessage) -> Report:
    """What `message`, a delivery report, says."""
    failed, delayed = _per_recipient(message)
    if not failed and not delayed:
        failed = _detected(message)
    signed, numbered, about = _bounced_mail(message)
    return Report(
        failed=tuple(failed),
        delayed=tuple(delayed),
        signed_case=signed,
        numbered_case=numbered,
        about=about,
    )


def _per_recipient(message: Message) -> tuple[list[Recipient], list[Recipient]]:
    """The recipients of the report's message/delivery-status parts: failed, delayed."""
    failed: list[Recipient] = []
    delayed: list[Recipient] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _blocks(part):
            action = str(block.get("Action", "") or "").strip().lower()
            addresses = tuple(
                address
                for name in ("Original-Recipient", "Final-Recipient", "X-Actual-Recipient")
                if (address := _typed_address(str(block.get(name, "") or "")))
            )
            if not addresses:
                continue
            recipient = Recipient(
                addresses=tuple(dict.fromkeys(addresses)),
                status=_status(str(block.get("Status", "") or "")),
                diagnostic=_one_line(str(block.get("Diagnostic-Code", "") or "")),
            )
            # Some servers write a comment after the action, or "error" for "failed".
            if action.startswith(("failed", "error")):
                failed.append(recipient)
            elif action.startswith("delayed"):
                delayed.append(recipient)
    return failed, delayed


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    # A report whose fields the parser left as text: one block per paragraph.
    text = payload if isinstance(payload, str) else ""
    return [
        HeaderParser(policy=policy.compat32).parsestr(chunk.strip() + "\n")
        for chunk in re.split(r"\r?\n\s*\r?\n", text)
        if chunk.strip()
    ]


def _typed_address(value: str) -> str:
    """The address of a recipient field ("rfc822; someone@example.org")."""
    kind, semicolon, address = value.partition(";")
    if not semicolon:
        address = kind
    elif kind.strip().lower() not in {"rfc822", "utf-8"}:
        return ""
    address = parseaddr(address.strip())[1] or address.strip().strip("<>")
    address = address.strip().lower()
    return address if "@" in address else ""


def _status(value: str) -> str:
    found = STATUS_CODE.search(value)
    return found["code"] if found else ""


def _one_line(value: str) -> str:
    return " ".join(value.split())[:DIAGNOSTIC_LENGTH]


def _detected(message: EmailMessage) -> list[Recipient]:
    """The failed addresses of a report without per-recipient fields, as flufl.bounce reads
    them, with the status code its text gives."""
    text = _human_text(message)
    found = STATUS_CODE.search(text)
    diagnostic = ""
    for line in text.splitlines():
        if re.search(r"\b[45][0-9]{2}\b", line):
            diagnostic = _one_line(line)
            break
    try:
        detected = scan_message(message)
    except Exception:  # the detector's error is no address
        detected = frozenset()
    addresses = sorted(address.decode("ascii", "replace").lower() for address in detected)
    return [
        Recipient(
            addresses=(address,), status=found["code"] if found else "", diagnostic=diagnostic
        )
        for address in addresses
        if "@" in address
    ]


def _human_text(message: Message) -> str:
    """The report's own text parts (not those of the bounced message it carries)."""
    texts = []
    for part in _own_parts(message):
        if part.get_content_type() in {"text/plain", "text/html"}:
            texts.append(_text(part))
    return "\n".join(texts)


def _own_parts(message: Message) -> list[Message]:
    """The parts of the report, without descending into a message it carries."""
    parts: list[Message] = []
    stack = [message]
    while stack:
        part = stack.pop(0)
        if part.get_content_type() in CARRIED_TYPES:
            continue
        if part.is_multipart():
            stack.extend(p for p in part.get_payload() if isinstance(p, Message))
        else:
            parts.append(part)
    return parts


def _bounced_mail(message: EmailMessage) -> tuple[int | None, tuple[int, int] | None, int | None]:
    """(signed case id, (year, number), event seq) of the Cetate mail the report is about."""
    signed: int | None = None
    numbered: tuple[int, int] | None = None
    about: int | None = None
    for headers in _original_headers(message):
        for _name, address in getaddresses(headers.get("Reply-To", [])):
            signed = signed or case_of_address(address)
        for value in headers.get("Message-ID", []):
            found = _our_message_id(value)
            if found is not None and numbered is None:
                numbered = (int(found["year"]), int(found["number"]))
                # The registration mail's Message-ID is the thread's own: its event is the first.
                about = int(found["seq"]) if found["seq"] else REGISTRATION_SEQ
        for name in ("In-Reply-To", "References"):
            for value in headers.get(name, []):
                found = _our_message_id(value)
                if found is not None and numbered is None:
                    numbered = (int(found["year"]), int(found["number"]))
    if signed is not None and numbered is not None:
        case = (
            Case.objects.filter(pk=signed)
            .values_list("registration_year", "registration_number")
            .first()
        )
        if case is None or tuple(case) != numbered:
            # The Message-ID names another case than the signed address: trust the signature.
            about = None
    return signed, numbered, about


def _our_message_id(value: str) -> re.Match[str] | None:
    domain = (urlsplit(settings.SITE_URL).hostname or "cetate.local").lower()
    for found in MESSAGE_ID.finditer(value):
        if found["domain"].lower() == domain:
            return found
    return None


def _original_headers(message: EmailMessage) -> list[dict[str, list[str]]]:
    """The headers of the bounced message, as the report carries or quotes them or, last,
    refers to it: each source as {name: values}, the carried message first."""
    found: list[dict[str, list[str]]] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ORIGINAL_TYPES:
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                found.append(_headers_of(payload[0]))
        elif kind in HEADER_TYPES:
            text = _text(part)
            found.append(_headers_of(HeaderParser(policy=policy.compat32).parsestr(text)))
    quoted: dict[str, list[str]] = {}
    for found_header in QUOTED_HEADER.finditer(_human_text(message)):
        name = _canonical(found_header["name"])
        quoted.setdefault(name, []).append(found_header["value"].strip())
    if quoted:
        found.append(quoted)
    # Some servers name the bounced message in the report's own headers, as a reply would.
    own = _headers_of(message)
    found.append({"Message-ID": own["In-Reply-To"], "References": own["References"]})
    return found


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return payload if isinstance(payload, str) else ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("latin-1")


def _canonical(name: str) -> str:
    return {"message-id": "Message-ID", "in-reply-to": "In-Reply-To"}.get(
        name.lower(), name.title()
    )


def _headers_of(headers: Message) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name in ("Message-ID", "In-Reply-To", "References", "Reply-To"):
        try:
            values[name] = [str(value) for value in headers.get_all(name, [])]
        except Exception:  # a header too broken to read names no case
            values[name] = []
    return values
