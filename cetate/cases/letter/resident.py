"""Letters to the resident: each public message about their case that a resident who asked for
answers by post or at the front desk receives on paper. A letter keeps the case's registration
number and states the legal basis."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.letter.parts import (
    FORWARDING_BASIS,
    NoSuchLetter,
    current_contact,
    local_date,
    opening,
)
from cetate.cases.letter.signing import (
    answered_together,
    decision_lines,
    extension_basis,
    signed_closing,
    stated_basis,
)
from cetate.cases.models import Case, Event
from cetate.cases.notifications import tracking_url
from cetate.cases.pdf import (
    DATE_FORMAT,
    case_language,
    city_header,
    render_pdf,
    styles,
    text_paragraphs,
    tracking_block,
)
from cetate.cases.receipt import legal_basis
from cetate.cases.workflow import Action, Status
from cetate.contacts.models import AnswerChannel
from cetate.directory.models import Department


class LetterKind(enum.StrEnum):
    ANSWER = "answer"
    REJECTION = "rejection"
    REDIRECTION = "redirection"
    MESSAGE = "message"
    EXTENSION = "extension"
    WAITING = "waiting"


LETTER_TITLES = {
    LetterKind.ANSWER: gettext_lazy("Answer"),
    LetterKind.REJECTION: gettext_lazy("Notice of rejection"),
    LetterKind.REDIRECTION: gettext_lazy("Notice of redirection"),
    LetterKind.MESSAGE: gettext_lazy("Message"),
    LetterKind.EXTENSION: gettext_lazy("Notice of extension"),
    LetterKind.WAITING: gettext_lazy("Notice that the case is waiting"),
}

# The status changes whose text is written to the resident.
_STATUS_LETTERS = {
    Status.RESOLVED: LetterKind.ANSWER,
    Status.REJECTED: LetterKind.REJECTION,
    Status.WAITING: LetterKind.WAITING,
}
_EVENT_LETTERS = {
    # The redirection's status change says the same; the REDIRECTED event names the
    # organisation, so it alone makes the letter.
    EventKind.REDIRECTED: LetterKind.REDIRECTION,
    EventKind.MESSAGE: LetterKind.MESSAGE,
    EventKind.DEADLINE_EXTENDED: LetterKind.EXTENSION,
}
LETTER_EVENT_KINDS = (EventKind.STATUS_CHANGED, *_EVENT_LETTERS)


@dataclass(frozen=True)
class Letter:
    """One letter to the resident, titled in the language active when it was listed."""

    seq: int
    kind: LetterKind
    title: str
    date: date


def letter_kind(event: Event) -> LetterKind | None:
    """What letter `event` makes, if it is told to the resident in words."""
    if not event.public or not event.text.strip():
        return None
    if event.kind != EventKind.STATUS_CHANGED:
        return _EVENT_LETTERS.get(EventKind(event.kind))
    if event.to_status == Status.CLOSED and event.data.get("action") == Action.ANSWER_ON_SPOT:
        return LetterKind.ANSWER
    return _STATUS_LETTERS.get(Status(event.to_status)) if event.to_status else None


def letters_of(case: Case) -> list[Letter]:
    """The case's letters to the resident, oldest first."""
    events = (
        case.events.filter(public=True, kind__in=LETTER_EVENT_KINDS)
        .exclude(text="")
        .order_by("seq")
    )
    letters = []
    for event in events:
        kind = letter_kind(event)
        if kind is not None:
            letters.append(
                Letter(
                    seq=event.seq,
                    kind=kind,
                    title=str(LETTER_TITLES[kind]),
                    date=local_date(event.at),
                )
            )
    return letters


def _subject(case: Case) -> str:
    # The kind is left out: a noun slotted into a sentence cannot agree in Romanian.
    return _("Subject: your case registered under no. %(number)s on %(date)s") % {
        "number": case.number,
        "date": case.registered_at.astimezone(CITY_TZ).strftime(DATE_FORMAT),
    }


def _resident_lines(case: Case) -> list[str]:
    contact = current_contact(case)
    lines = [contact.name, contact.postal_address] if contact else []
    if case.answer_channel == AnswerChannel.DESK:
        lines.append(_("To be collected at the front desk"))
    return lines


def _organisation_contacts(organisation: Department) -> str:
    parts = [organisation.postal_address.replace("\n", ", "), organisation.phone]
    return " · ".join(part for part in [*parts, organisation.email] if part)


def _what_follows(case: Case, event: Event, kind: LetterKind) -> list[str]:
    """What the letter adds to the event's text, by its kind."""
    organisation = (
        Department.objects.filter(pk=event.data.get("department")).first()
        if kind == LetterKind.REDIRECTION
        else None
    )
    if organisation is not None:
        said = [
            _(
                "Your case was forwarded to %(organisation)s, which is competent to solve it "
                "and will answer you."
            )
            % {"organisation": organisation.label}
        ]
        contacts = _organisation_contacts(organisation)
        if contacts:
            said.append(_("Its contacts: %(contacts)s") % {"contacts": contacts})
        return said
    if kind == LetterKind.EXTENSION and event.data.get("to"):
        due = date.fromisoformat(event.data["to"])
        return [_("The answer is now due by %(date)s.") % {"date": due.strftime(DATE_FORMAT)}]
    return []


# The letters that tell the resident what the city decided.
_DECIDING = frozenset({LetterKind.ANSWER, LetterKind.REJECTION})


def _basis(case: Case, event: Event, kind: LetterKind) -> str:
    """The decision's legal basis for an answer or a rejection; the forwarding's for a
    redirection, the extension's for an extension; otherwise the term the case is held to."""
    if kind == LetterKind.REDIRECTION:
        return str(FORWARDING_BASIS)
    if kind == LetterKind.EXTENSION:
        return extension_basis(case)
    if kind in _DECIDING:
        return stated_basis(event) or legal_basis(case)
    return legal_basis(case)


def _decision(case: Case, event: Event, kind: LetterKind) -> list[str]:
    if kind not in _DECIDING:
        return []
    return [*decision_lines(event), *answered_together(case)]


def _letter_story(case: Case, event: Event, kind: LetterKind) -> list[Flowable]:
    style = styles()
    department = case.department.label if case.department else ""
    story: list[Flowable] = [
        city_header(style, subtitle=department),
        Spacer(1, 6 * mm),
        opening(case.number, local_date(event.at), _resident_lines(case), style),
        Spacer(1, 8 * mm),
        Paragraph(escape(str(LETTER_TITLES[kind])), style["heading"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(_subject(case)), style["label"]),
        Spacer(1, 4 * mm),
        *text_paragraphs(event.text, style["text"]),
        *[Paragraph(escape(line), style["text"]) for line in _what_follows(case, event, kind)],
        *[Paragraph(escape(line), style["text"]) for line in _decision(case, event, kind)],
        signed_closing(_basis(case, event, kind), case, event.actor, style),
        Spacer(1, 10 * mm),
        KeepTogether(
            tracking_block(
                code=case.tracking_code,
                url=tracking_url(case),
                note=_(
                    "Follow your case with the tracking code at the address above, or scan "
                    "the QR code. When you write to us about it, quote its number."
                ),
                style=style,
                qr_size=32 * mm,
            )
        ),
    ]
    return story


def letter_pdf(case: Case, seq: int) -> bytes:
    """The letter made of the case's event `seq`, in the language of the request.

    NoSuchLetter when that event is not told to the resident in a letter.
    """
    event = case.events.select_related("actor").filter(seq=seq).first()
    kind = letter_kind(event) if event is not None else None
    if event is None or kind is None:
        raise NoSuchLetter(f"case {case.number} has no letter {seq}")
    language = case_language(case)
    with translation.override(language):
        return render_pdf(
            _letter_story(case, event, kind),
            title=f"{LETTER_TITLES[kind]} – {case.number}",
            language=language,
            footer=case.number,
        )
