from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cetate.cases.models import Case
from cetate.cases.thumbnails import thumbnail
from cetate.lib.ratelimit import rate_limited
from cetate.lib.thumbnails import THUMBNAIL_TYPE
from cetate.portal import following
from cetate.portal.tracking import own_photo, tracked_case, tracking_code

# The resident's browser may keep their photos; no shared cache may.
PHOTO_CACHE_CONTROL = "private, max-age=86400"


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """The form on the home page sends the code here; the case has its own address."""
    typed = request.GET.get("code", "")
    if not typed.strip():
        return redirect("home")
    code = tracking_code(typed)
    if code is None:
        refusal = _(
            "“%(typed)s” is not a tracking code: a tracking code has only letters and digits, "
            "as printed on your receipt or in your email."
        ) % {"typed": typed[:40]}
        context = {"refusal": refusal, "typed": typed[:40]}
        return render(request, "portal/track_lookup.html", context, status=400)
    return redirect("track", code=code)


@require_GET
@rate_limited("track", limit=30)
def track(request: HttpRequest, code: str) -> HttpResponse:
    """A case as its resident may see it, by the tracking code given at registration."""
    view = tracked_case(code)
    if view is None:
        raise Http404
    case = view["case"]
    assert isinstance(case, Case)
    return render(request, "portal/track.html", {**view, **following.tracking_context(case)})


@require_GET
@rate_limited("track-photo", limit=60)
def track_photo(request: HttpRequest, code: str, attachment_id: int, small: bool) -> HttpResponse:
    """A photo the resident sent with their case, whole or small, to whoever holds its tracking
    code; never a photo staff added, and nothing for a wrong code."""
    photo = own_photo(code, attachment_id)
    if photo is None:
        raise Http404
    try:
        if small:
            content = thumbnail(photo)
        else:
            # Photos are at most ATTACHMENT_MAX_MB: read whole, they need no streaming.
            with photo.file.open("rb") as file:
                content = file.read()
    except (OSError, ValueError) as missing_or_unreadable:
        # A file gone from storage, or one no longer read as a photo: nothing to show.
        raise Http404 from missing_or_unreadable
    if small:
        response = HttpResponse(content, content_type=THUMBNAIL_TYPE)
    else:
        response = HttpResponse(content, content_type=photo.content_type)
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=False, filename=photo.original_name)
            or "inline"
        )
    response["Cache-Control"] = PHOTO_CACHE_CONTROL
    return response
