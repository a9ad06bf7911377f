"""Staff sign-in: the password, then the authenticator app's code, or its set-up.

Each page only asks and checks; what is required of whom is decided in second_factor.py, and
the middleware keeps a half-signed-in user on these pages.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from cetate.accounts import second_factor, staff_sessions
from cetate.accounts.access import is_staff_member
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.accounts.roles import roles_of
from cetate.accounts.second_factor import Outcome, Step
from cetate.lib.ratelimit import client_address, hit, reached

# Requests one address may make of a sign-in page in a minute (the password, the code, the set-up):
# the admin's sign-in address counts with the staff page's, since it leads there.
SIGN_IN_REQUESTS_PER_MINUTE = 20
# Wrong passwords one account may be given from one address in a window: the per-address limit
# lets a patient guesser try thousands a day, this only a few dozen. Counted per address too,
# so that nobody can lock a colleague out by guessing from elsewhere.
PASSWORD_FAILURES = 10
PASSWORD_FAILURE_WINDOW_SECONDS = 900
# Codes one user may try in a window, on top of django-otp's growing wait after each failure.
CODE_ATTEMPTS = 10
CODE_WINDOW_SECONDS = 600
ENROL_SESSION_KEY = "two_factor_enrol_secret"


class StaffLoginView(LoginView):
    """The password; then, if a second factor is owed, its page."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_ended"] = self.request.session.pop(staff_sessions.ENDED_KEY, False)
        context["idle_hours"] = settings.STAFF_SESSION_IDLE_HOURS
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        failures = _password_failures_key(request)
        if reached(
            failures, limit=PASSWORD_FAILURES, window_seconds=PASSWORD_FAILURE_WINDOW_SECONDS
        ):
            return self._too_many_failures()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        failures = _password_failures_key(self.request)
        hit(failures, limit=PASSWORD_FAILURES, window_seconds=PASSWORD_FAILURE_WINDOW_SECONDS)
        return super().form_invalid(form)

    def _too_many_failures(self) -> HttpResponse:
        context = self.get_context_data(form=self.get_form())
        context["refusal"] = _(
            "Too many wrong passwords were given for this user from here. Wait %(minutes)d "
            "minutes, then try again."
        ) % {"minutes": PASSWORD_FAILURE_WINDOW_SECONDS // 60}
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(PASSWORD_FAILURE_WINDOW_SECONDS)
        return response

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        step = second_factor.missing_step(user)
        if step is not None:
            return redirect(_step_url(step, self.get_success_url()))
        return redirect(self.get_success_url())


def _password_failures_key(request: HttpRequest) -> str:
    """The count of wrong passwords for the user named in the form, from this client; the
    user name is kept as a digest."""
    username = str(request.POST.get("username", "")).strip().casefold()
    digest = hashlib.sha256(username.encode()).hexdigest()[:32]
    return f"login-failures:{digest}:{client_address(request)}"


def _step_url(step: Step, next_url: str) -> str:
    name = "login_code" if step is Step.CODE else "two_factor_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _next_url(request: HttpRequest, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "cetate/too_many_requests.html", status=429)
    response["Retry-After"] = str(CODE_WINDOW_SECONDS)
    return response


def _within_attempts(user: User) -> bool:
    return hit(f"second-factor:{user.pk}", limit=CODE_ATTEMPTS, window_seconds=CODE_WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponseBase:
    """The second step: the current code of the user's authenticator app."""
    if not request.user.is_authenticated:
        return redirect_to_login(_next_url(request))
    user: User = request.user
    next_url = _next_url(request)
    step = second_factor.missing_step(user)
    if step is None:
        return redirect(next_url)
    if step is Step.ENROL:
        return redirect(_step_url(step, next_url))
    error = ""
    if request.method == "POST":
        if not _within_attempts(user):
            return _too_many(request)
        device = second_factor.confirmed_device(user)
        if device is None:  # reset by an administrator meanwhile
            return redirect(_step_url(Step.ENROL, next_url))
        outcome = second_factor.check_code(user, device, request.POST.get("code", ""))
        if outcome is Outcome.ACCEPTED:
            otp_login(request, device)
            # Fully signed in now: a key seen while only the password was given is no use.
            request.session.cycle_key()
            return redirect(next_url)
        error = _wrong_code_message(outcome)
    return render(request, "registration/login_code.html", {"next": next_url, "error": error})


def _wrong_code_message(outcome: Outcome) -> str:
    if outcome is Outcome.THROTTLED:
        return _("Too many wrong codes in a row: wait a few seconds, then enter the new code.")
    return _(
        "This code is not right or has expired. Enter the 6 digits your authenticator app "
        "shows now."
    )


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponseBase:
    """Setting up an authenticator app: a QR code (or the secret, to type in), then one code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    if not (is_staff_member(user) or user.is_staff):
        raise PermissionDenied
    next_url = _next_url(request, default="staff_account")
    if second_factor.confirmed_device(user) is not None:
        # A second app is added only by someone who proved they hold the first.
        if not second_factor.is_verified(user):
            return redirect(_step_url(Step.CODE, request.get_full_path()))
        return redirect("staff_account")
    secret = request.session.get(ENROL_SESSION_KEY)
    if not isinstance(secret, str):
        secret = second_factor.new_secret()
        request.session[ENROL_SESSION_KEY] = secret
    error = ""
    if request.method == "POST":
        if not _within_attempts(user):
            return _too_many(request)
        device = second_factor.enrol(user, secret, request.POST.get("code", ""))
        if device is not None:
            del request.session[ENROL_SESSION_KEY]
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(
                request, _("Two-factor sign-in is set up: from now on, sign in with a code.")
            )
            return redirect(next_url)
        error = _wrong_code_message(Outcome.WRONG)
    url = second_factor.setup_url(user, secret)
    return render(
        request,
        "registration/enrol.html",
        {
            "next": next_url,
            "error": error,
            "qr_data_uri": second_factor.qr_data_uri(url),
            "secret": second_factor.readable_secret(secret),
            "required": second_factor.requires_second_factor(user),
        },
    )


@staff_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    """A member of staff's own page: their roles and their two-factor sign-in."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "registration/staff_account.html",
        {
            "roles": sorted(str(role.label) for role in roles_of(user)),
            "device": second_factor.confirmed_device(user),
            "required": second_factor.requires_second_factor(user),
            "demo_exempt": second_factor.is_demo_exempt(user),
            "idle_hours": settings.STAFF_SESSION_IDLE_HOURS,
        },
    )


@staff_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove one's own authenticator app, where the role allows signing in without one."""
    user: User = request.user  # type: ignore[assignment]
    if second_factor.requires_second_factor(user):
        messages.error(
            request,
            _(
                "Your role requires two-factor sign-in. If you lost your phone, ask an "
                "administrator to reset it."
            ),
        )
    elif second_factor.remove_devices(user):
        messages.success(request, _("Two-factor sign-in removed: you sign in with your password."))
    return redirect("staff_account")
