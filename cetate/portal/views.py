from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cetate.cases.models import Case
from cetate.lib.ratelimit import rate_limited
from cetate.portal import following
from cetate.portal.tracking import tracked_case


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """The form on the home page sends the code here; the case has its own address."""
    code = "".join(request.GET.get("code", "").split()).upper()
    return redirect("track", code=code) if code else redirect("home")


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
