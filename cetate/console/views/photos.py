"""The photos of a case on the staff's case card: a preview, the photo itself shown in the
page (not downloaded), and a page of its own for the larger view without scripts.

Each asks `access_case` first, like the card: a case the user may not see is not found.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cetate.accounts.access import access_case
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases.models import Attachment, Case
from cetate.cases.thumbnails import is_photo, thumbnail
from cetate.contacts.services import record_personal_data_view

# Staff's browsers keep a photo for a day, never a shared cache: a photo does not change
# under its id.
CACHING = "private, max-age=86400"


def _photo(case: Case, attachment_id: int) -> Attachment:
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None or not is_photo(attachment):
        raise Http404
    return attachment


def _image(content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = CACHING
    response["Content-Disposition"] = "inline"
    return response


@staff_required
@require_http_methods(["GET", "HEAD"])
def photo_thumbnail(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    attachment = _photo(access_case(user, case_id), attachment_id)
    return _image(thumbnail(attachment), "image/jpeg")


@staff_required
@require_http_methods(["GET", "HEAD"])
def photo_image(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)
    attachment = _photo(case, attachment_id)
    record_personal_data_view(
        user=user, contact=case.reporter, what=f"case {case.number} photo {attachment.pk}"
    )
    with attachment.file.open("rb") as file:
        return _image(file.read(), attachment.content_type)


@staff_required
@require_http_methods(["GET", "HEAD"])
def photo_page(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)
    attachment = _photo(case, attachment_id)
    return render(request, "console/photo.html", {"case": case, "attachment": attachment})
