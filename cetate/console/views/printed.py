"""A case's printed documents: the registration receipt handed over at the front desk (a page
and a PDF), the letters to the resident, and the letter forwarding the case to an external
organisation. Each names the resident: showing one to staff is a view of personal data."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_case
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases import letter as case_letter
from cetate.cases import receipt as case_receipt
from cetate.cases.models import Case
from cetate.contacts.services import record_personal_data_view


def _shown(user: User, case_id: int, what: str) -> Case:
    """The case, if the user may see it; the view of its resident recorded."""
    case = access_case(user, case_id)
    if case.reporter_id is not None:
        record_personal_data_view(user=user, contact=case.reporter, what=f"{what} {case.number}")
    return case


def _pdf(content: bytes, name: str, case: Case, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # Inline: the browser shows it, ready to print; a download is saved as a file. Either
    # way its name keeps the registration number.
    filename = f"{name}-{case.number.replace('/', '-')}.pdf"
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@staff_required
@require_GET
@never_cache
def receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    """The receipt as a page to print, in the staff member's language."""
    case = _shown(request.user, case_id, "receipt of")  # type: ignore[arg-type]
    content = case_receipt.build_receipt(case)
    context = {
        "case": case,
        "receipt": content,
        "qr_svg": case_receipt.qr_svg(
            content.tracking_url, title=_("QR code of the tracking page")
        ),
    }
    return render(request, "console/receipt.html", context)


@staff_required
@require_GET
@never_cache
def receipt_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The receipt as a PDF file, in the language of the request, to keep or send; the
    receipt's page is the one to print."""
    case = _shown(request.user, case_id, "receipt PDF of")  # type: ignore[arg-type]
    return _pdf(case_receipt.receipt_pdf(case), "receipt", case, download=True)


@staff_required
@require_GET
@never_cache
def letter_pdf(request: HttpRequest, case_id: int, seq: int) -> HttpResponse:
    """A letter to the resident, made of the case's event `seq`, in the resident's language."""
    case = access_case(request.user, case_id)  # type: ignore[arg-type]
    try:
        content = case_letter.letter_pdf(case, seq)
    except case_letter.NoSuchLetter as missing:
        raise Http404 from missing
    _shown(request.user, case_id, f"letter {seq} of")  # type: ignore[arg-type]
    return _pdf(content, f"letter-{seq}", case)


@staff_required
@require_GET
@never_cache
def forwarding_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The letter sending the case to the external organisation competent for it."""
    case = access_case(request.user, case_id)  # type: ignore[arg-type]
    try:
        content = case_letter.forwarding_pdf(case)
    except case_letter.NoSuchLetter as missing:
        raise Http404 from missing
    _shown(request.user, case_id, "forwarding letter of")  # type: ignore[arg-type]
    return _pdf(content, "forwarding", case)
