"""Pages for updates by email: the resident stops or restarts the optional news from the
tracking page, after confirming; anyone confirms, by the emailed link, that they want to follow
a case, and stops any time."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from cetate.cases import services
from cetate.cases.models import Case
from cetate.lib.outage import keeps_input
from cetate.lib.ratelimit import rate_limited
from cetate.portal import following
from cetate.portal.account import EmailForm
from cetate.portal.limits import mail_allowed, too_many_mails
from cetate.portal.links import BadLink, Link, read_token
from cetate.portal.tracking import case_by_code


def _case_by_code(code: str) -> Case:
    case = case_by_code(code)
    if case is None:
        raise Http404
    return case


# What the resident may choose on their case, and the service that records it.
UPDATE_CHOICES = {"stop": services.stop_updates, "restart": services.restart_updates}


@require_http_methods(["GET", "POST"])
@rate_limited("track-updates", limit=20)
def resident_updates(request: HttpRequest, code: str, choice: str) -> HttpResponseBase:
    """The holder of the tracking code, the resident, stops or restarts the optional news of
    the case. Opening the page only asks (mail scanners and stray clicks open links); the
    button sends the choice, which is recorded on the case for the officer to see."""
    change = UPDATE_CHOICES.get(choice)
    if change is None:
        raise Http404
    case = _case_by_code(code)
    if request.method == "POST":
        change(case_id=case.pk)
        return redirect(reverse("track", args=[case.tracking_code]) + "#updates-title")
    return render(request, "portal/follow/updates_confirm.html", {"case": case, "choice": choice})


def _ask_to_follow(request: HttpRequest, case: Case, *, by_code: bool) -> HttpResponseBase:
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not mail_allowed(email):
            return too_many_mails(request)
        # Following already or not, the same mail and page: nobody learns who follows.
        following.request_follow(case, email=email, language=translation.get_language() or "ro")
        return render(request, "portal/follow/check_mail.html", {"case": case, "email": email})
    context = {"case": case, "form": form, "by_code": by_code}
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/follow/ask.html", context, status=status)


@keeps_input(EmailForm, "email")
@require_POST
@rate_limited("follow", limit=10)
def follow_tracked(request: HttpRequest, code: str) -> HttpResponseBase:
    """Follow from the tracking page: whoever holds the code may share the case's updates."""
    return _ask_to_follow(request, _case_by_code(code), by_code=True)


@keeps_input(EmailForm, "email")
@require_http_methods(["GET", "POST"])
@rate_limited("follow", limit=10)
def follow_public(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Follow a case seen on the public map or list, or offered as "already reported"."""
    case = get_object_or_404(Case.objects.select_related("category"), pk=pk)
    if not following.may_follow_publicly(case):
        raise Http404
    return _ask_to_follow(request, case, by_code=False)


@require_http_methods(["GET", "POST"])
@rate_limited("follow-link", limit=20)
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link asks for a click (mail scanners open links too); the click confirms."""
    try:
        if request.method == "POST":
            follower = following.confirm_follow(token)
            return render(request, "portal/follow/following.html", {"case": follower.case})
        data = read_token(Link.FOLLOW, token)
    except BadLink:
        return render(request, "portal/account/bad_link.html", status=400)
    case = get_object_or_404(Case, pk=data["case"])
    return render(request, "portal/follow/confirm.html", {"case": case, "email": data["email"]})


@require_http_methods(["GET", "POST"])
@rate_limited("follow-link", limit=20)
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = read_token(Link.UNFOLLOW, token)
    except BadLink:
        return render(request, "portal/account/bad_link.html", status=400)
    case = get_object_or_404(Case, pk=data["case"])
    if request.method == "POST":
        following.unfollow(case.pk, data["email"])
        return render(request, "portal/follow/unfollowed.html", {"case": case})
    return render(request, "portal/follow/unfollow.html", {"case": case, "email": data["email"]})
