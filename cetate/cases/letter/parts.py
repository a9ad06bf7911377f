"""What every letter of the city shares: its opening (number, date, addressee), its closing
(legal basis, signature), and who signs it."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cetate.accounts.models import User
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.pdf import DATE_FORMAT, markup
from cetate.contacts.models import Contact

Styles = dict[str, ParagraphStyle]

FORWARDING_BASIS = gettext_lazy(
    "OG 27/2002, art. 6 (2): a petition sent to an authority that is not competent is "
    "forwarded to the competent one within 5 days of its registration, and the petitioner "
    "is told."
)


class NoSuchLetter(LookupError):
    """The case has no such letter."""


def local_date(moment: datetime) -> date:
    return moment.astimezone(CITY_TZ).date()


def current_contact(case: Case) -> Contact | None:
    """The resident's contact; a merged duplicate's details live on the contact it joined."""
    contact = case.reporter
    while contact is not None and contact.merged_into_id is not None:
        contact = contact.merged_into
    return contact


def signatory(case: Case, actor: User | None) -> tuple[str, str]:
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


def closing(basis: str, signed_by: tuple[str, str], style: Styles) -> KeepTogether:
    """The legal basis and the signature, never split from each other across a page."""
    name, department = signed_by
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


def opening(number: str, on: date, addressee: list[str], style: Styles) -> Table:
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
