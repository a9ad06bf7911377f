"""The city's letters about a case, as A4 PDFs.

A resident who asked for answers by post or at the front desk gets, as a printed letter, each
public message about their case: the answer, a rejection, a redirection, a message, the notice
of an extended deadline, the notice that the case waits. A letter keeps the case's
registration number and states the legal basis.

A case sent to an external organisation goes with a forwarding letter to it: the facts of the
case and how to reach the resident (OG 27/2002 art. 6 (2)). The same facts make the body of
the email that forwards it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case, Event
from cetate.cases.notifications import tracking_url
from cetate.cases.pdf import (
    DATE_FORMAT,
    DATE_TIME_FORMAT,
    case_language,
    city_contacts,
    city_header,
    details_table,
    markup,
    render_pdf,
    styles,
    text_paragraphs,
    tracking_block,
)
from cetate.cases.receipt import legal_basis
from cetate.cases.workflow import Action, Status
from cetate.contacts.models import AnswerChannel, Contact
from cetate.directory.models import Department

Styles = dict[str, ParagraphStyle]

FORWARDING_BASIS = gettext_lazy(
    "OG 27/2002, art. 6 (2): a petition sent to an authority that is not competent is "
    "forwarded to the competent one within 5 days of its registration, and the petitioner "
    "is told."
)


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


class NoSuchLetter(LookupError):
    """The case has no such letter."""


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


def _local_date(moment: datetime) -> date:
    return moment.astimezone(CITY_TZ).date()


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
                    date=_local_date(event.at),
                )
            )
    return letters


def current_contact(case: Case) -> Contact | None:
    """The resident's contact; a merged duplicate's details live on the contact it joined."""
    contact = case.reporter
    while contact is not None and contact.merged_into_id is not None:
        contact = contact.merged_into
    return contact


def _signatory(case: Case, actor: User | None) -> tuple[str, str]:
    """(name, department) signing for the city: the staff member who wrote, and their unit."""
    if actor is None:
        department = case.department.label if case.department else _("Registry")
        return "", department
    memberships = actor.memberships.select_related("department").order_by("pk")
    # The unit handling the case, when the writer belongs to it; else the writer's own.
    membership = (
        next((m for m in memberships if m.department_id == case.department_id), None)
        or memberships.first()
    )
    return str(actor), membership.department.label if membership else ""


def _closing(basis: str, signatory: tuple[str, str], style: Styles) -> KeepTogether:
    """The legal basis and the signature, never split from each other across a page."""
    name, department = signatory
    lines: list[Flowable] = [
        Spacer(1, 2 * mm),
        Paragraph(escape(_("Legal basis: %(basis)s") % {"basis": basis}), style["small"]),
        Spacer(1, 8 * mm),
    ]
    if name:
        lines.append(Paragraph(escape(name), style["label"]))
    if department:
        lines.append(Paragraph(escape(department), style["body"]))
    return KeepTogether(lines)


def _opening(number: str, on: date, addressee: list[str], style: Styles) -> Table:
    """The letter's number and date on the left, the addressee on the right, as in every
    Romanian official letter."""
    reference = _("No. %(number)s / %(date)s") % {
        "number": number,
        "date": on.strftime(DATE_FORMAT),
    }
    cells: list[Flowable] = [Paragraph(escape(_("To")), style["label"])]
    cells += [Paragraph(markup(line), style["body"]) for line in addressee if line]
    return Table(
        [[Paragraph(escape(reference), style["label"]), cells]],
        colWidths=[85 * mm, None],
        style=TableStyle(
            [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        ),
    )


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


def _basis(case: Case, kind: LetterKind) -> str:
    return str(FORWARDING_BASIS) if kind == LetterKind.REDIRECTION else legal_basis(case)


def _letter_story(case: Case, event: Event, kind: LetterKind) -> list[Flowable]:
    style = styles()
    department = case.department.label if case.department else ""
    story: list[Flowable] = [
        city_header(style, subtitle=department),
        Spacer(1, 6 * mm),
        _opening(case.number, _local_date(event.at), _resident_lines(case), style),
        Spacer(1, 8 * mm),
        Paragraph(escape(str(LETTER_TITLES[kind])), style["heading"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(_subject(case)), style["label"]),
        Spacer(1, 4 * mm),
        *text_paragraphs(event.text, style["text"]),
        *[Paragraph(escape(line), style["text"]) for line in _what_follows(case, event, kind)],
        _closing(_basis(case, kind), _signatory(case, event.actor), style),
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


@dataclass(frozen=True)
class Forwarding:
    """The letter sending a case to an external organisation, in the language active when it
    was built: the facts of the case and how the organisation reaches the resident."""

    number: str
    date: date
    organisation: Department
    intro: str
    # (label, text) rows, labelled in the same language.
    facts: tuple[tuple[str, str], ...]
    resident: tuple[tuple[str, str], ...]
    signatory: tuple[str, str]


def redirection_of(case: Case) -> Event | None:
    """The event that sent the case to an external organisation, if it was sent to one."""
    if case.redirected_to_id is None:
        return None
    return (
        case.events.filter(kind=EventKind.REDIRECTED, data__department=case.redirected_to_id)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def _labelled_answers(case: Case) -> list[tuple[str, str]]:
    """The answers to the category's questions, under the questions' own words."""
    answers = dict(case.answers)
    rows = []
    for question in case.category.questions.all() if case.category else []:
        if question.code not in answers:
            continue
        names = {
            str(item["key"]): str(item.get("name", item["key"]))
            for item in question.values
            if isinstance(item, dict) and "key" in item
        }
        value = answers.pop(question.code)
        values = value if isinstance(value, list) else [value]
        rows.append((question.label, ", ".join(names.get(str(v), str(v)) for v in values)))
    rows.extend((code, str(value)) for code, value in answers.items())
    return rows


def _location(case: Case) -> str:
    place = [case.address]
    if case.latitude is not None and case.longitude is not None:
        place.append(f"{case.latitude:.5f}, {case.longitude:.5f}")
    if case.area is not None:
        place.append(case.area.name)
    return "\n".join(part for part in place if part)


def _resident_rows(case: Case) -> tuple[tuple[str, str], ...]:
    contact = current_contact(case)
    if contact is None:
        return ((_("Resident"), _("anonymous")),)
    rows = (
        (_("Name"), contact.name),
        (_("Email"), contact.email),
        (_("Phone"), contact.phone),
        (_("Postal address"), contact.postal_address),
        (_("Wants the answer by"), case.get_answer_channel_display()),
    )
    return tuple((label, text) for label, text in rows if text)


def forwarding_facts(case: Case) -> Forwarding:
    """The forwarding of `case` in the active language; NoSuchLetter if it was not forwarded."""
    event = redirection_of(case)
    organisation = case.redirected_to
    if event is None or organisation is None:
        raise NoSuchLetter(f"case {case.number} was not sent to an external organisation")
    registered_at = case.registered_at.astimezone(CITY_TZ)
    attachments = list(case.attachments.values_list("original_name", flat=True))
    facts = (
        (_("Registration number"), case.number),
        (_("Registered on"), registered_at.strftime(DATE_TIME_FORMAT)),
        (_("Kind"), case.get_kind_display()),
        (_("Category"), case.category.full_label if case.category else ""),
        (_("Location"), _location(case)),
        (_("Summary"), case.title),
        (_("Description"), case.description),
        *_labelled_answers(case),
        (_("Documents"), ", ".join(attachments)),
        (_("Reason for forwarding"), event.text),
    )
    intro = _(
        "We forward to you the case below, registered by %(city)s under no. %(number)s on "
        "%(date)s, because it is in your competence (OG 27/2002, art. 6 (2)). The resident "
        "has been told. Please answer them directly, quoting our number."
    ) % {
        "city": settings.CITY_NAME,
        "number": case.number,
        "date": registered_at.strftime(DATE_FORMAT),
    }
    return Forwarding(
        number=case.number,
        date=_local_date(event.at),
        organisation=organisation,
        intro=intro,
        facts=tuple((label, text) for label, text in facts if text),
        resident=_resident_rows(case),
        signatory=_signatory(case, event.actor),
    )


def forwarding_text(forwarding: Forwarding) -> str:
    """The forwarding as plain text, for the body of its email."""
    lines = [
        _("No. %(number)s / %(date)s")
        % {"number": forwarding.number, "date": forwarding.date.strftime(DATE_FORMAT)},
        "",
        forwarding.intro,
        "",
    ]
    for label, text in forwarding.facts:
        lines.append(f"{label}: {text}")
    lines += ["", _("How to reach the resident"), ""]
    lines += [f"{label}: {text}" for label, text in forwarding.resident]
    name, department = forwarding.signatory
    lines += ["", *[part for part in (name, department, settings.CITY_NAME) if part]]
    lines += [settings.CITY_POSTAL_ADDRESS, city_contacts()]
    return "\n".join(lines).strip() + "\n"


def forwarding_language() -> str:
    """Organisations are written to in the city's own language."""
    return settings.LANGUAGE_CODE


def _forwarding_story(forwarding: Forwarding) -> list[Flowable]:
    style = styles()
    organisation = forwarding.organisation
    story: list[Flowable] = [
        city_header(style, subtitle=forwarding.signatory[1]),
        Spacer(1, 6 * mm),
        _opening(
            forwarding.number,
            forwarding.date,
            [organisation.label, organisation.postal_address],
            style,
        ),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Forwarding of a case to the competent authority")), style["heading"]),
        Spacer(1, 3 * mm),
        Paragraph(escape(forwarding.intro), style["text"]),
        Spacer(1, 2 * mm),
        details_table(forwarding.facts, style, label_width=45 * mm),
        Spacer(1, 5 * mm),
        Paragraph(escape(_("How to reach the resident")), style["label"]),
        Spacer(1, 1 * mm),
        details_table(forwarding.resident, style, label_width=45 * mm),
        Spacer(1, 2 * mm),
        _closing(str(FORWARDING_BASIS), forwarding.signatory, style),
    ]
    return story


def forwarding_pdf(case: Case) -> bytes:
    """The letter sending `case` to the external organisation; NoSuchLetter if it was not."""
    language = forwarding_language()
    with translation.override(language):
        forwarding = forwarding_facts(case)
        return render_pdf(
            _forwarding_story(forwarding),
            title=_("Forwarding of case %(number)s") % {"number": case.number},
            language=language,
            footer=case.number,
        )


def attachments_summary(count: int, total_bytes: int, *, attached: bool) -> str:
    """What the forwarding email says of the case's documents."""
    if not count:
        return ""
    if attached:
        return ngettext(
            "The case's document is attached.",
            "The case's %(count)d documents are attached.",
            count,
        ) % {"count": count}
    return ngettext(
        "The case's document (%(size)d MB) is too large to send by email; ask us for it.",
        "The case's %(count)d documents (%(size)d MB) are too large to send by email; "
        "ask us for them.",
        count,
    ) % {"count": count, "size": round(total_bytes / 1024 / 1024)}
