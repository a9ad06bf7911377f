"""The dispatch centre's side of telephony: the call log, missed calls, the screen pop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cetate.accounts.access import access_contact, access_intake, access_triage
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases.errors import DomainError
from cetate.contacts.models import Contact
from cetate.contacts.services import find_contacts, record_personal_data_view
from cetate.telephony.caller_cards import caller_card
from cetate.telephony.models import Call, Settlement
from cetate.telephony.services import (
    MANUAL_SETTLEMENTS,
    missed_calls,
    record_screen_pop_view,
    screen_pop_call,
    settle_missed_call,
)

CALLS_PER_PAGE = 50


@staff_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    """The call log, newest first; `?missed=1`: the missed calls waiting for a call-back."""
    user: User = request.user  # type: ignore[assignment]
    access_triage(user)
    missed_only = request.GET.get("missed") == "1"
    shown = missed_calls() if missed_only else Call.objects.all()
    shown = shown.select_related("contact", "staff", "case", "settled_by").order_by(
        "-started_at", "-id"
    )
    page = Paginator(shown, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    which = "missed calls" if missed_only else "call log"
    record_personal_data_view(user=user, what=f"{which} page {page.number}")
    return render(
        request,
        "telephony/calls.html",
        {
            "page": page,
            "missed_only": missed_only,
            "missed_count": missed_calls().count(),
            "settlements": [Settlement.CALLED_BACK, Settlement.DISMISSED],
        },
    )


@staff_required
@require_POST
def settle(request: HttpRequest, call_id: int) -> HttpResponse:
    """The buttons of a missed call: "Called back" and "Dismiss"."""
    user: User = request.user  # type: ignore[assignment]
    access_triage(user)
    how = request.POST.get("how", "")
    try:
        if how not in MANUAL_SETTLEMENTS:
            raise DomainError(_("Choose whether the call was called back or dismissed."))
        call = settle_missed_call(call_id=call_id, actor=user, how=Settlement(how))
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _settled_message(call))
    return redirect(_back(request))


def _settled_message(call: Call) -> str:
    number = call.resident_number or _("an unknown number")
    if call.settlement == Settlement.CALLED_BACK:
        return _("The missed call from %(number)s is marked as called back.") % {"number": number}
    return _("The missed call from %(number)s is dismissed.") % {"number": number}


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("telephony:calls") + "?missed=1"


@staff_required
@require_GET
def screen_pop(request: HttpRequest) -> HttpResponse:
    """The card of the call the user is on, polled by every console page.

    The poll sends back the call it shows (`shown`); while that is still the call, the answer
    is 204 and htmx leaves the card — and screen readers — alone.
    """
    user: User = request.user  # type: ignore[assignment]
    call = screen_pop_call(user)
    shown = request.GET.get("shown", "")
    if shown == (str(call.pk) if call is not None else ""):
        return HttpResponse(status=204)
    if call is None:
        return HttpResponse("")
    return render(request, "telephony/_screen_pop.html", _pop_context(user, call))


def _pop_context(user: User, call: Call) -> dict[str, Any]:
    callers = _callers(call)
    cards = []
    for contact in callers:
        if not _may(access_contact, user, contact.pk):
            continue
        record_screen_pop_view(user=user, call=call, contact=contact)
        cards.append(caller_card(user, contact, besides=call))
    return {
        "call": call,
        "number": call.resident_number,
        "cards": cards,
        "unknown_caller": not callers,
        "may_register": _may(access_intake, user),
    }


def _callers(call: Call) -> list[Contact]:
    """Who the number belongs to: the contacts with it now, the call's own without a number."""
    if call.resident_phone:
        return find_contacts(phone=call.resident_phone)
    return [call.contact] if call.contact is not None else []


def _may(check: Callable[..., object], *args: Any) -> bool:
    try:
        check(*args)
    except (PermissionDenied, Http404):
        return False
    return True
