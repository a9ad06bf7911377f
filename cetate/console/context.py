"""What every console page shows around its content: sections and what is waiting."""

from django.http import HttpRequest

from cetate.accounts.access import is_staff_member
from cetate.console.navigation import sections_for
from cetate.console.waiting import waiting_for


def console(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not (user.is_authenticated and is_staff_member(user)):
        return {}
    # Resolved lazily: pages that do not show the console's header pay nothing.
    return {
        "console_sections": lambda: sections_for(user, request.path),
        "waiting": lambda: waiting_for(user),
    }
