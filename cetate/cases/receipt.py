"""The registration receipt handed to a resident: what was registered, by when it is answered,
and how to follow it. One content, two forms: the console's printable page and a PDF.

Texts follow the active language: the PDF is rendered in the language of the request, the page
in the staff member's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from pathlib import Path

import segno
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cetate.cases.choices import PETITION_KINDS, Kind
from cetate.cases.deadlines import (
    CITY_TZ,
    INFORMATION_COMPLEX_DAYS,
    INFORMATION_DAYS,
    PETITION_DAYS,
)
from cetate.cases.models import Case
from cetate.cases.notifications import tracking_url
from cetate.cases.workflow import Status

SUMMARY_CHARS = 300
DATE_FORMAT = "%d.%m.%Y"
DATE_TIME_FORMAT = "%d.%m.%Y %H:%M"

# Helvetica, reportlab's built-in font, has no ș and ț (comma below): the receipt embeds
# DejaVu Sans, shipped with Cetate so that no system font is needed.
FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor" / "dejavu"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@dataclass(frozen=True)
class Receipt:
    """What a registration receipt says, in the language active when it was built."""

    city_name: str
    number: str
    registered_at: datetime
    kind: str
    category: str
    summary: str
    resident: str
    legal_due: date | None
    legal_basis: str
    answer_by: str
    tracking_code: str
    tracking_url: str
    next_steps: str
    cancelled: bool
    # (label, text) of each detail stated, in order; labelled when built, in the same language.
    rows: tuple[tuple[str, str], ...]


def legal_basis(case: Case) -> str:
    """The term the law gives this case and where it says so; for a question, that it has none."""
    if case.kind in PETITION_KINDS and case.legal_due is not None:
        basis = _("%(days)d days from registration (OG 27/2002, art. 8)") % {"days": PETITION_DAYS}
        if case.legal_extended_days:
            days = case.legal_extended_days
            basis += "; " + ngettext(
                "extended by %(days)d day (OG 27/2002, art. 9)",
                "extended by %(days)d days (OG 27/2002, art. 9)",
                days,
            ) % {"days": days}
        return basis
    if case.kind == Kind.INFORMATION and case.legal_due is not None:
        days = INFORMATION_DAYS + case.legal_extended_days
        if days >= INFORMATION_COMPLEX_DAYS:
            return _(
                "%(days)d days from registration for a complex request (Law 544/2001, art. 7)"
            ) % {"days": days}
        return _("%(days)d days from registration (Law 544/2001, art. 7)") % {"days": days}
    return _("No legal deadline: a question is answered at first contact.")


def _next_steps(case: Case) -> str:
    if case.status == Status.CANCELLED:
        return _("This registration was cancelled; the number stays in the register.")
    if case.kind == Kind.INQUIRY:
        return _("The question was answered at first contact; this receipt records it.")
    return _(
        "The case goes to the department responsible, which answers by the legal deadline. "
        "Follow its progress with the tracking code at the address above, or scan the QR code."
    )


def _legal_deadline(case: Case, basis: str) -> str:
    if case.legal_due is None:
        return basis
    return f"{case.legal_due.strftime(DATE_FORMAT)} – {basis}"


def build_receipt(case: Case) -> Receipt:
    """The receipt of `case` in the active language."""
    summary = case.title or Truncator(" ".join(case.description.split())).chars(SUMMARY_CHARS)
    registered_at = case.registered_at.astimezone(CITY_TZ)
    category = case.category.full_label if case.category else ""
    resident = case.reporter.name if case.reporter else ""
    basis = legal_basis(case)
    answer_by = "" if case.kind == Kind.INQUIRY else case.get_answer_channel_display()
    rows = (
        (_("Registration number"), case.number),
        (_("Registered on"), registered_at.strftime(DATE_TIME_FORMAT)),
        (_("Kind"), case.get_kind_display()),
        (_("Category"), category),
        (_("Summary"), summary),
        (_("Resident"), resident),
        (_("Legal deadline"), _legal_deadline(case, basis)),
        (_("Answer by"), answer_by),
    )
    return Receipt(
        city_name=settings.CITY_NAME,
        number=case.number,
        registered_at=registered_at,
        kind=case.get_kind_display(),
        category=category,
        summary=summary,
        resident=resident,
        legal_due=case.legal_due,
        legal_basis=basis,
        answer_by=answer_by,
        tracking_code=case.tracking_code,
        tracking_url=tracking_url(case),
        next_steps=_next_steps(case),
        cancelled=case.status == Status.CANCELLED,
        rows=tuple((label, text) for label, text in rows if text),
    )


def receipt_language(case: Case) -> str:
    """The language of the request, when Cetate speaks it; Romanian otherwise."""
    return case.language if case.language in dict(settings.LANGUAGES) else "ro"


def qr_svg(url: str, *, title: str) -> SafeString:
    """The QR code of `url` as inline SVG, named for screen readers."""
    svg: str = segno.make(url, error="m").svg_inline(scale=5, border=2, title=title)
    # segno writes the markup itself and escapes the title.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


class QrCode(Flowable):
    """A QR code drawn as vector rectangles: sharp at any printer's resolution, and small."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.rows = [list(row) for row in segno.make(data, error="m").matrix_iter(border=2)]
        self.width = self.height = size

    def draw(self) -> None:
        module = self.width / len(self.rows)
        path = self.canv.beginPath()
        for y, row in enumerate(self.rows):
            x = 0
            for dark, run in groupby(row):
                length = len(list(run))
                if dark:
                    path.rect(x * module, self.height - (y + 1) * module, length * module, module)
                x += length
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def _register_fonts() -> None:
    # reportlab's font registry is process-wide; registering is idempotent but reads the files.
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
    return {
        "city": ParagraphStyle("city", body, fontName=FONT_BOLD, fontSize=15, leading=19),
        "registry": ParagraphStyle(
            "registry", body, fontSize=11, textColor=colors.HexColor("#444444")
        ),
        "title": ParagraphStyle("title", body, fontName=FONT_BOLD, fontSize=18, leading=23),
        "label": ParagraphStyle("label", body, fontName=FONT_BOLD),
        "body": body,
        "code": ParagraphStyle("code", body, fontName=FONT_BOLD, fontSize=16, leading=21),
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11),
        "alert": ParagraphStyle(
            "alert",
            body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            textColor=colors.HexColor("#a00000"),
        ),
    }


def _story(receipt: Receipt) -> list[Flowable]:
    style = _styles()
    header = Table(
        [
            [Paragraph(escape(receipt.city_name), style["city"])],
            [Paragraph(escape(_("Registry")), style["registry"])],
        ],
        colWidths=["100%"],
        style=TableStyle(
            [
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        ),
    )
    story: list[Flowable] = [
        header,
        Spacer(1, 8 * mm),
        Paragraph(escape(_("Registration receipt")), style["title"]),
        Spacer(1, 4 * mm),
    ]
    if receipt.cancelled:
        story += [Paragraph(escape(_("REGISTRATION CANCELLED")), style["alert"]), Spacer(1, 3 * mm)]
    rows = [
        [Paragraph(escape(label), style["label"]), Paragraph(escape(value), style["body"])]
        for label, value in receipt.rows
    ]
    story.append(
        Table(
            rows,
            colWidths=[48 * mm, None],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor("#999999")),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            ),
        )
    )
    follow = [
        Paragraph(escape(_("Tracking code")), style["label"]),
        Paragraph(escape(receipt.tracking_code), style["code"]),
        Paragraph(escape(receipt.tracking_url), style["body"]),
        Spacer(1, 3 * mm),
        Paragraph(escape(receipt.next_steps), style["body"]),
    ]
    story += [
        Spacer(1, 8 * mm),
        Table(
            [[QrCode(receipt.tracking_url, 42 * mm), follow]],
            colWidths=[48 * mm, None],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        ),
        Spacer(1, 10 * mm),
        Paragraph(
            escape(_("Keep this receipt: its number and tracking code identify your case.")),
            style["small"],
        ),
    ]
    return story


def receipt_pdf(case: Case) -> bytes:
    """The receipt of `case` as a one-page A4 PDF, in the language of the request."""
    _register_fonts()
    language = receipt_language(case)
    with translation.override(language):
        receipt = build_receipt(case)
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=_("Registration receipt %(number)s") % {"number": receipt.number},
            author=receipt.city_name,
            creator="Cetate",
            lang=language,
            pageCompression=1,
        )
        document.build(_story(receipt))
    return buffer.getvalue()
