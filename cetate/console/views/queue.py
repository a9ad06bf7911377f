"""The triage queue, kept fresh while it stays open."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_triage
from cetate.accounts.decorators import staff_required
from cetate.cases.choices import Channel
from cetate.console.queue import QUEUE_LENGTH, entries, new_cases, taken_since_shown
from cetate.lib import clock

MAX_SHOWN = 500


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    access_triage(request.user)  # type: ignore[arg-type]
    channel = request.GET.get("channel", "")
    cases = new_cases(channel)
    shown = list(cases[:QUEUE_LENGTH])
    return render(
        request,
        "console/queue.html",
        {
            "entries": entries(shown, clock.now()),
            "total": cases.count(),
            "channel": channel,
            "channels": Channel.choices,
            "last_id": max((case.pk for case in shown), default=0),
        },
    )


@staff_required
@require_GET
def queue_updates(request: HttpRequest) -> HttpResponse:
    """What changed since the queue was drawn: cases that arrived, cases others took."""
    access_triage(request.user)  # type: ignore[arg-type]
    channel = request.GET.get("channel", "")
    try:
        after = int(request.GET.get("after", 0))
        shown = [int(value) for value in request.GET.getlist("shown")[:MAX_SHOWN]]
    except ValueError:
        after, shown = 0, []
    cases = new_cases(channel)
    arrived = list(cases.filter(pk__gt=after)[:QUEUE_LENGTH])
    return render(
        request,
        "console/_queue_updates.html",
        {
            "arrived": entries(arrived, clock.now()),
            "taken": taken_since_shown(shown),
            "total": cases.count(),
            "channel": channel,
            "last_id": max([after, *(case.pk for case in arrived)]),
        },
    )
