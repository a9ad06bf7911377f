"""Messages to residents about their cases, from the templates editable in the admin."""

from __future__ import annotations

import io
import re
from email.mime.image import MIMEImage
from pathlib import Path

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape, linebreaks

from cetate.cases.choices import EventKind
from cetate.cases.mail_identity import message_id, reply_address, thread_id
from cetate.cases.models import Case, Event, NotificationTemplate
from cetate.cases.workflow import Action, Status

DEFAULTS_DIR = Path(__file__).parent / "notification_defaults"
# Texts shipped before, replaced where an installation still holds them unedited.
SUPERSEDED_DIR = DEFAULTS_DIR / "superseded"
Occasion = NotificationTemplate.Occasion

OCCASION_OF_EVENT = {
    EventKind.CREATED: Occasion.REGISTERED,
    EventKind.STATUS_CHANGED: Occasion.STATUS_CHANGED,
    EventKind.MESSAGE: Occasion.MESSAGE,
    EventKind.DEADLINE_EXTENDED: Occasion.DEADLINE_EXTENDED,
}


# "Re:" and its usual translations a subject may start with already (RFC 5322 section 3.6.5).
REPLY_PREFIXES = re.compile(r"^(?:(?:re|aw|sv|rv|răsp)\s*:\s*)+", re.IGNORECASE)
# Enough of the resident's subject to know it by; the rest of the line is the receipt's.
REPLY_SUBJECT_KEPT = 80


def tracking_url(case: Case) -> str:
    return f"{settings.SITE_URL}/t/{case.tracking_code}"


def feedback_url(case: Case, answer: str) -> str:
    """The mail's link answering "is your problem solved?"; `answer` is satisfied or not-resolved.

    Opening it only shows the question with that answer chosen: mail scanners fetch links, so
    residents confirm it there, as the mail tells them.
    """
    return f"{tracking_url(case)}/feedback/{answer}/"


# What the resident is told whatever they chose: the registration receipt, the notices the law
# requires (extension, OG 27/2002 art. 9; redirection, art. 6), whatever the city needs from
# them (a wait on their input, a message an officer wrote to them) and the answer (resolved,
# rejected, answered at first contact, or joined to their earlier case that will answer it).
# Everything else (work started, resumed, closed, reopened) is optional news they may stop.
REQUIRED_KINDS = frozenset({EventKind.CREATED, EventKind.DEADLINE_EXTENDED, EventKind.MESSAGE})
REQUIRED_STATUSES = frozenset(
    {Status.WAITING, Status.RESOLVED, Status.REJECTED, Status.REDIRECTED, Status.MERGED}
)


def is_required(event: Event) -> bool:
    """Whether the resident is told about `event` even after stopping the optional news."""
    if event.kind in REQUIRED_KINDS:
        return True
    if event.kind != EventKind.STATUS_CHANGED:
        return False
    answered_on_spot = (event.data or {}).get("action") == Action.ANSWER_ON_SPOT
    return event.to_status in REQUIRED_STATUSES or answered_on_spot


def occasion_of(event: Event) -> str | None:
    """Which template tells the resident about `event`; None when it is not mailed."""
    if event.kind == EventKind.STATUS_CHANGED and event.to_status == Status.RESOLVED:
        return Occasion.RESOLVED
    return OCCASION_OF_EVENT.get(EventKind(event.kind))


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=5, border=2)
    return buffer.getvalue()


def default_template(occasion: str, language: str) -> tuple[str, str]:
    """(subject, body) shipped with Cetate for an occasion and language."""
    path = DEFAULTS_DIR / f"{occasion}.{language}.txt"
    if not path.exists():
        path = DEFAULTS_DIR / f"{occasion}.ro.txt"
    return _read_template(path)


def _read_template(path: Path) -> tuple[str, str]:
    subject, _blank, body = path.read_text(encoding="utf-8").partition("\n")
    return subject.strip(), body.lstrip("\n")


def _same_text(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two (subject, body) pairs read the same, however the admin's form saved lines."""

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n")]

    return all(lines(x) == lines(y) for x, y in zip(a, b, strict=True))


def install_default_templates() -> int:
    """Create the shipped templates the admin has not got yet, and bring those still holding
    an earlier shipped text (kept in `notification_defaults/superseded/`) to the current one;
    a text the admin edited is left as it is. Returns how many were added."""
    added = 0
    for path in sorted(DEFAULTS_DIR.glob("*.txt")):
        occasion, language, _ext = path.name.split(".")
        subject, body = default_template(occasion, language)
        template, created = NotificationTemplate.objects.get_or_create(
            occasion=occasion, language=language, defaults={"subject": subject, "body": body}
        )
        added += created
        earlier = SUPERSEDED_DIR.glob(f"{occasion}.{language}.*.txt")
        current = (template.subject, template.body)
        if not created and any(_same_text(current, _read_template(old)) for old in earlier):
            template.subject, template.body = subject, body
            template.save(update_fields=["subject", "body"])
    return added


def resident_message(event: Event, *, to: str = "") -> EmailMultiAlternatives | None:
    """The email telling the resident about `event`, or None when there is nothing to send;
    to the resident's address, or to `to` when the resident asked for it there."""
    case = event.case
    reporter = case.reporter
    while reporter is not None and reporter.merged_into_id is not None:
        reporter = reporter.merged_into
    occasion = occasion_of(event)
    recipient = to or (reporter.email if reporter is not None else "")
    if not recipient or not event.public or occasion is None:
        return None
    language = case.language if case.language in dict(settings.LANGUAGES) else "ro"
    template = (
        NotificationTemplate.objects.filter(occasion=occasion, language=language).first()
        or NotificationTemplate.objects.filter(occasion=occasion, language="ro").first()
    )
    subject_source, body_source = (
        (template.subject, template.body) if template else default_template(occasion, language)
    )
    url = tracking_url(case)
    with translation.override(language):
        context = Context(
            {
                "case": case,
                "status": Status(event.to_status).label if event.to_status else "",
                "message": event.text,
                "tracking_url": url,
                "answer": case.answer,
                "satisfied_url": feedback_url(case, "satisfied"),
                "not_resolved_url": feedback_url(case, "not-resolved"),
                "city_name": settings.CITY_NAME,
                **(_registration_details(case) if occasion == Occasion.REGISTERED else {}),
            },
            autoescape=False,
        )
        subject = " ".join(Template(subject_source).render(context).split())
        body = Template(body_source).render(context)
    if occasion == Occasion.REGISTERED:
        # The first message starts the thread that every later one refers to.
        headers = {"Message-ID": thread_id(case)}
        answered = {} if to else answered_message(event)
        if answered:
            # The case came by email: its receipt answers the resident's message.
            headers["In-Reply-To"] = headers["References"] = answered["message_id"]
            subject = reply_subject(answered.get("subject", ""), subject)
    else:
        headers = {
            "Message-ID": message_id(case, event.seq),
            "In-Reply-To": thread_id(case),
            "References": thread_id(case),
        }
    headers.update(_automatic_headers(case, event, occasion))
    message = EmailMultiAlternatives(subject=subject, body=body, to=[recipient], headers=headers)
    if occasion == Occasion.REGISTERED:
        _attach_qr(message, body, url)
    return message


def _registration_details(case: Case) -> dict[str, object]:
    """What the registration mail adds to the case: the service requested and the documents
    received, each named after the service's document it was sent as."""
    from cetate.cases.receipt import named_documents, registered_documents

    return {
        "service": str(case.service) if case.service_id else "",
        "documents": list(named_documents(case, registered_documents(case))),
    }


def _automatic_headers(case: Case, event: Event, occasion: str) -> dict[str, str]:
    """Replies go to the case's signed address; mail no person wrote says so (RFC 3834), so
    that other systems do not answer it: the registration receipt answers the resident's own
    message, every other notice is generated."""
    headers = {"Reply-To": reply_address(case)}
    if occasion == Occasion.REGISTERED:
        headers["Auto-Submitted"] = "auto-replied"
    elif event.kind != EventKind.MESSAGE:
        headers["Auto-Submitted"] = "auto-generated"
    return headers


def answered_message(registered: Event) -> dict[str, str]:
    """The resident's message a case registered from email answers: its Message-ID and
    subject, as the registration recorded them; empty for a case that came otherwise."""
    received = (registered.data or {}).get("email")
    if not isinstance(received, dict) or not received.get("message_id"):
        return {}
    return {"message_id": str(received["message_id"]), "subject": str(received.get("subject", ""))}


def reply_subject(theirs: str, ours: str) -> str:
    """The subject of the receipt answering a resident's message: "Re:" their subject, so that
    they know it in their inbox, then ours in brackets, with the registration number; as
    helpdesks answer a request ("Re: subject [#number]"). Ours alone when theirs is empty."""
    theirs = REPLY_PREFIXES.sub("", " ".join(theirs.split()))
    if not theirs:
        return ours
    if len(theirs) > REPLY_SUBJECT_KEPT:
        theirs = theirs[: REPLY_SUBJECT_KEPT - 1].rstrip() + "…"
    return f"Re: {theirs} [{ours}]"


def _attach_qr(message: EmailMultiAlternatives, body: str, url: str) -> None:
    html = (
        f"{linebreaks(escape(body))}"
        f'<p><img src="cid:tracking-qr" alt="QR: {escape(url)}" width="180" height="180"></p>'
    )
    message.attach_alternative(html, "text/html")
    message.mixed_subtype = "related"
    image = MIMEImage(qr_png(url), "png")
    image.add_header("Content-ID", "<tracking-qr>")
    image.add_header("Content-Disposition", "inline", filename="qr.png")
    message.attach(image)
