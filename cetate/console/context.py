"""What every console page shows around its content: sections and what is waiting."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cetate.accounts.access import is_staff_member
from cetate.console.navigation import sections_for
from cetate.console.waiting import waiting_for


def console(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not (user.is_authenticated and is_staff_member(user)):
        return {}
    # Resolved lazily, once: pages that do not show the console's header pay nothing, and
    # a template reading several of its figures counts them once.
    return {
        "console_sections": SimpleLazyObject(lambda: sections_for(user, request.path)),
        "waiting": SimpleLazyObject(lambda: waiting_for(user)),
    }
