from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cetate.cases.models import Case
from cetate.lib.ratelimit import rate_limited
from cetate.portal import following
from cetate.portal.tracking import tracked_case, tracking_code


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
