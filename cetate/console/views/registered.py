"""What the dispatcher reads out once a call is registered: the case's number and tracking
code, large; and, if the caller wants them in writing, the registration mail sent to an
address they give."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cetate.accounts.access import access_case, access_intake
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.notifications import tracking_url
from cetate.cases.outgoing import registration_mail_status
from cetate.cases.receipt import grouped_code
from cetate.cases.workflow import Permission, Status
from cetate.console.intake_forms import ReceiptMailForm
from cetate.contacts.services import record_personal_data_view
from cetate.lib.ratelimit import hit
from cetate.outbox.models import OutgoingMail

# Enough for a mistyped address or a lost message, too few to flood anyone's mailbox.
MAILS_PER_ADDRESS = 5
MAILS_PER_CASE = 10
MAIL_WINDOW_SECONDS = 3600


@staff_required
@require_GET
@never_cache
def registered(request: HttpRequest, case_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_intake(user)
    case = access_case(user, case_id)
    email = case.reporter.email if case.reporter else ""
    return _page(request, user, case, ReceiptMailForm(initial={"email": email}))


@staff_required
@require_POST
def mail_receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    """Owe the registration mail to the address typed; back to the page, the result in view."""
    user: User = request.user  # type: ignore[assignment]
    access_intake(user)
    case = access_case(user, case_id)
    form = ReceiptMailForm(request.POST)
    status = 200
    if form.is_valid():
        address = form.cleaned_data["email"]
        if not _mail_allowed(case, address):
            form.add_error(
                None, _("The receipt was sent to this address many times already: try later.")
            )
            status = 429
        else:
            try:
                services.mail_receipt(case_id=case.pk, actor=user, to=address)
            except DomainError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("The number and tracking code of case %(number)s go by email to %(address)s.")
                    % {"number": case.number, "address": address},
                )
                return redirect(reverse("console:registered", args=[case.pk]) + "#result")
    return _page(request, user, case, form, status=status)


def _mail_allowed(case: Case, address: str) -> bool:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
    return hit(
        f"receipt-mail:{case.pk}", limit=MAILS_PER_CASE, window_seconds=MAIL_WINDOW_SECONDS
    ) and hit(f"receipt-to:{digest}", limit=MAILS_PER_ADDRESS, window_seconds=MAIL_WINDOW_SECONDS)


def _resident_email(user: User, case: Case) -> str:
    """The resident's address, shown on the page: a view of their personal data, recorded."""
    if case.reporter is None:
        return ""
    record_personal_data_view(
        user=user, contact=case.reporter, what=f"registration of {case.number}"
    )
    return case.reporter.email


def _page(
    request: HttpRequest, user: User, case: Case, form: ReceiptMailForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "code_groups": grouped_code(case.tracking_code),
        "tracking_url": tracking_url(case),
        # The registration mail to the resident's own address, owed or sent already.
        "registration_mail": registration_mail_status(case.pk)
        in {OutgoingMail.Status.PENDING, OutgoingMail.Status.SENT},
        "resident_email": _resident_email(user, case),
        "may_mail": services.may(user, case, Permission.MAIL_RECEIPT)
        and case.status != Status.CANCELLED,
        "form": form,
    }
    return render(request, "console/registered.html", context, status=status)
