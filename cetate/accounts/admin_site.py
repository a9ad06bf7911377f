"""The admin site behind the same sign-in as the console: password, then the second factor.

Signing in happens on the staff sign-in page (the admin's own form would skip the code), and
the admin answers only a session that has given whatever second factor its user owes. The
admin's sign-in address is limited with the staff page's: one count of attempts per address,
whichever way they come.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from cetate.accounts.second_factor import missing_step
from cetate.accounts.signin import SIGN_IN_REQUESTS_PER_MINUTE
from cetate.lib.ratelimit import refusal


class CetateAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and missing_step(request.user) is None  # type: ignore[arg-type]

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        refused = refusal(request, "login", limit=SIGN_IN_REQUESTS_PER_MINUTE)
        return refused or redirect_to_login(request.GET.get("next") or reverse("admin:index"))
