"""The registration receipt handed to a resident at the front desk: a printable page and a PDF."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_case
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases import receipt as case_receipt
from cetate.cases.models import Case
from cetate.contacts.services import record_personal_data_view


def _log_resident_shown(user: User, case: Case, what: str) -> None:
    # The receipt names the resident: showing it to staff is a view of personal data.
    if case.reporter_id is not None:
        record_personal_data_view(user=user, contact=case.reporter, what=f"{what} {case.number}")


@staff_required
@require_GET
@never_cache
def receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    """The receipt as a page to print, in the staff member's language."""
    case = access_case(request.user, case_id)  # type: ignore[arg-type]
    _log_resident_shown(request.user, case, "receipt of")  # type: ignore[arg-type]
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
    """The receipt as a PDF, in the language of the request, to print or send."""
    case = access_case(request.user, case_id)  # type: ignore[arg-type]
    _log_resident_shown(request.user, case, "receipt PDF of")  # type: ignore[arg-type]
    response = HttpResponse(case_receipt.receipt_pdf(case), content_type="application/pdf")
    # Inline: the browser shows it, ready to print; saved, it keeps the registration number.
    filename = f"receipt-{case.number.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
