"""A complaint to the court against the city's answer to a public-information request (Law
544/2001 art. 22): when it was filed and where it stands. Law 544's yearly report counts them."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import CourtRuling, EventKind, Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import Permission, Status
from cetate.lib import clock


@transaction.atomic
def record_court_complaint(
    *,
    case_id: int,
    actor: User | None,
    filed_on: date,
    ruling: CourtRuling | str,
    seen: int | None = None,
) -> Case:
    """Record that the requester went to court against the answer, and the court's ruling
    (pending until it rules). Recording the same again changes nothing."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.RECORD_COURT_RULING)
    ruling = CourtRuling(ruling)
    if case.kind != Kind.INFORMATION or case.status in {Status.CANCELLED, Status.MERGED}:
        raise DomainError(
            _("A complaint to the court is recorded on the public-information request it contests.")
        )
    today = clock.now().astimezone(CITY_TZ).date()
    if filed_on > today:
        raise DomainError(_("The complaint cannot have been filed after today."))
    if filed_on < case.registered_at.astimezone(CITY_TZ).date():
        raise DomainError(_("The complaint cannot have been filed before the request."))
    if case.court_filed_on == filed_on and case.court_ruling == ruling:
        return case
    append_event(
        case,
        EventKind.COURT_RULING,
        actor=actor,
        text=_("Filed on %(day)s; the court's ruling: %(ruling)s.")
        % {"day": date_format(filed_on, "SHORT_DATE_FORMAT"), "ruling": ruling.label},
        data={
            "filed_on": filed_on.isoformat(),
            "ruling": ruling.value,
            "previous_filed_on": case.court_filed_on.isoformat() if case.court_filed_on else "",
            "previous_ruling": case.court_ruling,
        },
    )
    case.court_filed_on, case.court_ruling = filed_on, ruling
    case.save()
    return case
