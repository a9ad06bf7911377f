"""The call log's one write path: events from the exchange, call-backs, dismissals."""

from __future__ import annotations

from django.db.models import QuerySet

from cetate.telephony.models import Call, Direction


def missed_calls() -> QuerySet[Call]:
    """Inbound calls that ended unanswered and still wait for a call-back or a dismissal."""
    return Call.objects.filter(
        direction=Direction.INBOUND,
        answered_at__isnull=True,
        settlement="",
        ended_at__isnull=False,
    )
