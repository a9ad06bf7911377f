"""Two middlewares guarding staff sessions, both after django-otp's OTPMiddleware.

- `StaffSessionMiddleware` ends a staff session after STAFF_SESSION_IDLE_HOURS without
  activity (cetate/accounts/staff_sessions.py).
- `SecondFactorMiddleware` keeps a user who gave only their password on the code or set-up
  page: every page that is not part of signing in sends them there. Denying by default keeps
  any page added later behind the second factor without having to remember it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils.translation import gettext as _

from cetate.accounts import staff_sessions
from cetate.accounts.second_factor import Step, missing_step

# Pages a user who still owes a code (or a set-up) may open.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "login_code",
        "two_factor_enrol",
        "set_language",
        "healthz",
        "privacy",
        "accessibility",
    }
)
STEP_URL_NAMES = {Step.CODE: "login_code", Step.ENROL: "two_factor_enrol"}

Handler = Callable[[HttpRequest], HttpResponseBase]


class StaffSessionMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            staff_sessions.keep_or_end(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            try:
                match: ResolverMatch | None = resolve(request.path_info)
            except Resolver404:
                match = None
            is_open = (
                match is not None and not match.namespaces and match.url_name in OPEN_URL_NAMES
            )
            step = None if is_open else missing_step(user)
            if step is not None:
                in_api = match is not None and "api" in match.namespaces
                return _send_to(request, step, in_api=in_api)
        return self.get_response(request)


def _send_to(request: HttpRequest, step: Step, *, in_api: bool) -> HttpResponse:
    if in_api:
        message = _("Sign in with your authenticator app's code first.")
        body = {"errors": [{"field": None, "code": "second_factor_required", "message": message}]}
        return JsonResponse(body, status=403)
    url = reverse(STEP_URL_NAMES[step])
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # htmx would swap the sign-in page into a fragment; it loads it as a page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
