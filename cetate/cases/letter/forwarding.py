"""The letter forwarding a case to the external organisation competent for it, and the same
facts as the text of the email that carries it (OG 27/2002 art. 6 (2))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from cetate.cases.answers import labelled_answers
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.letter.parts import (
    FORWARDING_BASIS,
    NoSuchLetter,
    closing,
    current_contact,
    local_date,
    opening,
    signatory,
)
from cetate.cases.models import Case, Event
from cetate.cases.pdf import (
    DATE_FORMAT,
    DATE_TIME_FORMAT,
    city_contacts,
    city_header,
    details_table,
    render_pdf,
    styles,
)
from cetate.directory.models import Department


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
        (_("Phone as typed, could not be checked"), contact.phone_as_typed),
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
        *labelled_answers(case),
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
        date=local_date(event.at),
        organisation=organisation,
        intro=intro,
        facts=tuple((label, text) for label, text in facts if text),
        resident=_resident_rows(case),
        signatory=signatory(case, event.actor),
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
        opening(
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
        closing(str(FORWARDING_BASIS), forwarding.signatory, style),
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
