"""Who may use the REST API at all: members of city hall staff, each with their own roles."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from cetate.accounts.access import is_staff_member


class IsStaffMember(BasePermission):
    """A signed-in user (token or session) with a staff role; what they may do on each case
    is then asked of the access helpers and the transition table, as in the console."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_member(request.user)  # type: ignore[arg-type]
