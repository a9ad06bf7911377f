"""What the city's printed documents share: the embedded fonts, the styles, the letterhead with
the city hall's contacts, label/value tables, the QR code of a case's tracking page and the A4
page setup. Receipts and letters are built from these.

Every function reads its texts in the active language: callers render a document under
`translation.override(case_language(case))`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import segno
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cetate.cases.models import Case

DATE_FORMAT = "%d.%m.%Y"
DATE_TIME_FORMAT = "%d.%m.%Y %H:%M"

# Helvetica, reportlab's built-in font, has no ș and ț (comma below): documents embed
# DejaVu Sans, shipped with Cetate so that no system font is needed.
FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor" / "dejavu"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

MARGIN = 20 * mm
GREY = colors.HexColor("#444444")
RULE = colors.HexColor("#999999")


def register_fonts() -> None:
    # reportlab's font registry is process-wide; registering is idempotent but reads the files.
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def styles() -> dict[str, ParagraphStyle]:
    """The documents' paragraph styles; the fonts they name are registered first."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
    return {
        "city": ParagraphStyle("city", body, fontName=FONT_BOLD, fontSize=15, leading=19),
        "registry": ParagraphStyle("registry", body, fontSize=11, textColor=GREY),
        "contacts": ParagraphStyle("contacts", body, fontSize=8.5, leading=11, textColor=GREY),
        "title": ParagraphStyle("title", body, fontName=FONT_BOLD, fontSize=18, leading=23),
        "heading": ParagraphStyle("heading", body, fontName=FONT_BOLD, fontSize=13, leading=17),
        "label": ParagraphStyle("label", body, fontName=FONT_BOLD),
        "body": body,
        "text": ParagraphStyle("text", body, spaceAfter=6),
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


def case_language(case: Case) -> str:
    """The language of the request, when Cetate speaks it; Romanian otherwise."""
    return case.language if case.language in dict(settings.LANGUAGES) else "ro"


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, its line breaks kept."""
    return "<br/>".join(escape(line) for line in text.strip().splitlines())


def text_paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Text written by staff or residents: one paragraph per blank-line-separated block."""
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [Paragraph(markup(block), style) for block in blocks]


def city_contacts() -> str:
    """The city hall's phone, email and website on one line."""
    parts = []
    if settings.CITY_PHONE:
        parts.append(_("Phone: %(phone)s") % {"phone": settings.CITY_PHONE})
    if settings.CITY_EMAIL:
        parts.append(_("Email: %(email)s") % {"email": settings.CITY_EMAIL})
    if settings.CITY_WEBSITE:
        parts.append(settings.CITY_WEBSITE)
    return " · ".join(parts)


def city_header(style: dict[str, ParagraphStyle], *, subtitle: str = "") -> Table:
    """The letterhead: the city's name, what the document comes from, where to write back."""
    rows = [[Paragraph(escape(settings.CITY_NAME), style["city"])]]
    if subtitle:
        rows.append([Paragraph(escape(subtitle), style["registry"])])
    if settings.CITY_POSTAL_ADDRESS:
        rows.append([Paragraph(markup(settings.CITY_POSTAL_ADDRESS), style["contacts"])])
    contacts = city_contacts()
    if contacts:
        rows.append([Paragraph(escape(contacts), style["contacts"])])
    return Table(
        rows,
        colWidths=["100%"],
        style=TableStyle(
            [
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        ),
    )


def details_table(
    rows: Iterable[tuple[str, str]], style: dict[str, ParagraphStyle], *, label_width: float
) -> Table:
    """Label and value side by side, a thin rule between rows."""
    cells = [
        [Paragraph(escape(label), style["label"]), Paragraph(markup(value), style["body"])]
        for label, value in rows
    ]
    return Table(
        cells,
        colWidths=[label_width, None],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )


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


def tracking_block(
    *,
    code: str,
    url: str,
    note: str,
    style: dict[str, ParagraphStyle],
    qr_size: float = 42 * mm,
) -> Table:
    """The QR code of the tracking page beside the tracking code, its address and `note`."""
    follow: list[Flowable] = [
        Paragraph(escape(_("Tracking code")), style["label"]),
        Paragraph(escape(code), style["code"]),
        Paragraph(escape(url), style["body"]),
    ]
    if note:
        follow += [Spacer(1, 3 * mm), Paragraph(escape(note), style["body"])]
    return Table(
        [[QrCode(url, qr_size), follow]],
        colWidths=[qr_size + 6 * mm, None],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def render_pdf(story: list[Flowable], *, title: str, language: str, footer: str = "") -> bytes:
    """`story` on A4 pages. A `footer` (e.g. the registration number) is printed with the page
    number at the foot of every page, so that a page separated from its letter is still placed.
    """
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=settings.CITY_NAME,
        creator="Cetate",
        lang=language,
        pageCompression=1,
    )
    if not footer:
        document.build(story)
        return buffer.getvalue()
    # Read now, in the document's language: pages are drawn by reportlab's callbacks.
    page_label = _("%(document)s, page %(page)d")

    def draw_footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        text = page_label % {"document": footer, "page": doc.page}
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, text)
        canvas.restoreState()

    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
