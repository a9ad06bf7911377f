"""The registration receipt mailed again on request: the caller on the phone or the visitor at
the desk gives an address, and the registration mail, with its number, tracking code and QR
code, goes to it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.models import Event
from cetate.cases.outgoing import owe_receipt_mail
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import Permission, Status

ADDRESS_LIMIT = 254


@transaction.atomic
def mail_receipt(*, case_id: int, actor: User | None, to: str) -> Event:
    """Owe the registration mail of the case to the address `to`; the `receipt_mailed` event
    names it, and the mail's sending is recorded against that event."""
    case = locked_case(case_id)
    authorise(actor, case, Permission.MAIL_RECEIPT)
    address = to.strip()
    try:
        if len(address) > ADDRESS_LIMIT:
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError as invalid:
        raise DomainError(_("Enter a valid email address.")) from invalid
    if case.status == Status.CANCELLED:
        raise DomainError(_("This registration was cancelled: there is no receipt to send."))
    event = append_event(case, EventKind.RECEIPT_MAILED, actor=actor, data={"recipient": address})
    case.save()
    owe_receipt_mail(event)
    return event
