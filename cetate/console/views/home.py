"""Where a signed-in member of staff lands, and what is waiting for them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cetate.accounts.decorators import staff_required
from cetate.console.navigation import landing_for
from cetate.console.waiting import waiting_for


@staff_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's own first page: the queue, the front desk, the map or the case list."""
    landing = landing_for(request.user)  # type: ignore[arg-type]
    return redirect(landing or "home")


@staff_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    """The counts in the console's header, refreshed while the page stays open."""
    return render(
        request,
        "console/_waiting.html",
        {"waiting": waiting_for(request.user)},  # type: ignore[arg-type]
    )
