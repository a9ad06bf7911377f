"""What an answer to a petitioner must state and who must sign it (OG 27/2002 art. 13): the
solution and its legal basis, signed by the head of the institution (or whoever signs for
them) and by the head of the department that handled the petition, with the officer who
prepared it; and the numbers of the petitions it answers together (art. 10)."""

from __future__ import annotations

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cetate.accounts.models import User
from cetate.cases.choices import Kind, Outcome
from cetate.cases.letter.parts import Styles
from cetate.cases.models import Case, Event, linked_cases
from cetate.directory.models import LegalBasis


def decision_lines(event: Event) -> list[str]:
    """The outcome the event recorded and, in the letter's language, the sentence of its
    legal basis as the city words it (the closing cites the basis)."""
    data = event.data or {}
    lines = []
    if data.get("outcome") in Outcome.values:
        outcome = str(Outcome(data["outcome"]).label)
        lines.append(_("Outcome: %(outcome)s.") % {"outcome": outcome})
    code = data.get("legal_basis")
    basis = LegalBasis.objects.filter(code=code).first() if code else None
    if basis is not None:
        lines.append(basis.label)
    return lines


def stated_basis(event: Event) -> str:
    """The legal basis the event's decision states, by its citation; empty if none."""
    return str((event.data or {}).get("legal_basis_citation", ""))


def extension_basis(case: Case) -> str:
    if case.kind == Kind.INFORMATION:
        return _(
            "Law 544/2001, art. 7 (1): a complex request is answered within 30 days, the "
            "requester being told within 10 days."
        )
    return _(
        "OG 27/2002, art. 9: the term of 30 days may be extended once, by at most 15 days, "
        "the petitioner being told."
    )


def answered_together(case: Case) -> list[str]:
    """The numbers of the petitions joined to the case and of the reports linked to it."""
    lines = []
    joined = [other.number for other in case.merged_cases.order_by("registration_year", "pk")]
    if joined:
        lines.append(
            _(
                "This answer also covers the petitions joined to it (OG 27/2002, art. 10): "
                "no. %(numbers)s."
            )
            % {"numbers": ", ".join(joined)}
        )
    linked = [
        other.number
        for other in linked_cases(case).order_by("registration_year", "registration_number")
    ]
    if linked:
        lines.append(
            _("Handled together with the reports of the same problem no. %(numbers)s.")
            % {"numbers": ", ".join(linked)}
        )
    return lines


def signed_closing(basis: str, case: Case, actor: User | None, style: Styles) -> KeepTogether:
    """The legal basis, the two signatures side by side and the officer who prepared the
    letter, never split across a page."""
    head = _institution_head()
    department = _department_head(case)
    columns = [head, department] if department else [head, []]
    cells = [[_column(lines, style) for lines in columns]]
    signatures = Table(
        cells,
        colWidths=[85 * mm, None],
        style=TableStyle(
            [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        ),
    )
    lines: list[Flowable] = [Spacer(1, 2 * mm)]
    if basis:
        lines.append(
            Paragraph(escape(_("Legal basis: %(basis)s") % {"basis": basis}), style["small"])
        )
    lines += [Spacer(1, 8 * mm), signatures]
    if actor is not None:
        lines += [
            Spacer(1, 8 * mm),
            Paragraph(escape(_("Prepared by: %(name)s") % {"name": actor}), style["small"]),
        ]
    return KeepTogether(lines)


def _institution_head() -> list[tuple[str, str]]:
    lines = []
    if settings.LETTER_SIGNATORY_FOR:
        lines.append(("label", _("For the %(title)s,") % {"title": settings.LETTER_SIGNATORY_FOR}))
    lines.append(("label", f"{settings.LETTER_SIGNATORY_TITLE},"))
    if settings.LETTER_SIGNATORY_NAME:
        lines.append(("body", settings.LETTER_SIGNATORY_NAME))
    return lines


def _department_head(case: Case) -> list[tuple[str, str]]:
    department = case.department
    if department is None:
        return []
    lines = [("label", f"{department.head_title or department.label},")]
    name = department.head_name or _head_in_office(case)
    if name:
        lines.append(("body", name))
    return lines


def _head_in_office(case: Case) -> str:
    """The staff member heading the case's department, when the directory names nobody."""
    membership = (
        case.department.memberships.filter(is_head=True, user__is_active=True)  # type: ignore[union-attr]
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return str(membership.user) if membership else ""


def _column(lines: list[tuple[str, str]], style: Styles) -> list[Flowable]:
    return [Paragraph(escape(text), style[kind]) for kind, text in lines]
