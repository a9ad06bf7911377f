from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cetate.accounts.access import REGISTER_ROLES, is_staff_member
from cetate.accounts.roles import roles_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The entry page: what a resident can do, and for signed-in staff, where their work is."""
    roles = roles_of(request.user) if request.user.is_authenticated else frozenset()
    return render(
        request,
        "cetate/home.html",
        {
            "is_staff_member": request.user.is_authenticated and is_staff_member(request.user),
            "sees_register": bool(roles & REGISTER_ROLES),
            "roles": sorted(role.label for role in roles),
        },
    )
