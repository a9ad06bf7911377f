"""The city's letters about a case as PDFs to print: those to the resident, and the one
forwarding the case to an external organisation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_case
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases import letter as case_letter
from cetate.cases.models import Case
from cetate.contacts.services import record_personal_data_view


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # Inline: the browser shows it, ready to print; saved, it keeps the registration number.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _log_resident_shown(user: User, case: Case, what: str) -> None:
    # Both letters name the resident and say how to reach them: a view of personal data.
    if case.reporter_id is not None:
        record_personal_data_view(user=user, contact=case.reporter, what=f"{what} {case.number}")


@staff_required
@require_GET
@never_cache
def letter_pdf(request: HttpRequest, case_id: int, seq: int) -> HttpResponse:
    """A letter to the resident, made of the case's event `seq`, in the resident's language."""
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)
    try:
        content = case_letter.letter_pdf(case, seq)
    except case_letter.NoSuchLetter as missing:
        raise Http404 from missing
    _log_resident_shown(user, case, f"letter {seq} of")
    return _pdf(content, f"letter-{case.number.replace('/', '-')}-{seq}.pdf")


@staff_required
@require_GET
@never_cache
def forwarding_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The letter sending the case to the external organisation competent for it."""
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)
    try:
        content = case_letter.forwarding_pdf(case)
    except case_letter.NoSuchLetter as missing:
        raise Http404 from missing
    _log_resident_shown(user, case, "forwarding letter of")
    return _pdf(content, f"forwarding-{case.number.replace('/', '-')}.pdf")
