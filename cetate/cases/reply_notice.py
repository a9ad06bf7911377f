"""The staff mail saying a resident replied: who gets it, how often, and what it says.

The officer holding the case is told; when nobody holds it, the heads of its department, who
hand it out. One such mail per case per hour at most: a resident writing five replies in a row
does not send the officer five mails, and the worklist shows every reply still unread.

The mail names the case and links to its card; it does not carry the resident's words. Those
are read on the card, behind the access check that logs who saw a resident's personal data,
and they leave the city's systems with the case's anonymisation; a copy in a mailbox would be
out of reach of both, and would still reach an officer who no longer holds the case.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from cetate.accounts.models import DepartmentMembership, User
from cetate.cases.choices import EventKind
from cetate.cases.models import Case

QUIET_PERIOD = timedelta(hours=1)


def reply_notice_recipients(case: Case, now: datetime) -> list[int]:
    """The staff to mail about a reply recorded on `case` at `now`: none when staff were
    mailed about a reply of the same case within the past hour."""
    earlier = case.events.filter(kind=EventKind.RESIDENT_REPLIED, at__gt=now - QUIET_PERIOD)
    if any(data.get("recipients") for data in earlier.values_list("data", flat=True)):
        return []
    active = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    if case.assignee_id is not None:
        return list(active.filter(pk=case.assignee_id).values_list("pk", flat=True))
    if case.department_id is None:
        return []
    heads = DepartmentMembership.objects.filter(department_id=case.department_id, is_head=True)
    return list(active.filter(pk__in=heads.values("user_id")).values_list("pk", flat=True))


def reply_notice_text(*, case: Case, url: str) -> tuple[str, str]:
    """(subject, body) of the mail telling staff the resident replied, in the active language."""
    values = {"number": case.number}
    subject = _("The resident replied on case %(number)s") % values
    lines = [
        _("Case %(number)s: %(title)s") % {"number": case.number, "title": _about(case)},
        _(
            "The resident replied by email. Their reply, and any files sent with it, are on "
            "the case card."
        ),
        _("Open the case: %(url)s") % {"url": url},
    ]
    return subject, "\n\n".join(lines) + "\n"


def _about(case: Case) -> str:
    """What the case is about in the city's own words (its category): the summary may repeat
    the resident's."""
    if case.category is not None:
        return case.category.full_label
    return str(case.get_kind_display())
