"""Deliveries owed for a new case event, written in the case's own transaction.

Most cities have no subscription, and every case service appends events: knowing that no
subscription is active must cost no query. Each process remembers whether any subscription
was active when it last looked, forgets it when a subscription is saved or deleted in the same
process and otherwise looks again after REFRESH_SECONDS, so a subscription added in another
process starts receiving events within that time. When some subscription may be active, the
subscriptions are read again inside the transaction: a stale memory never sends an event to a
subscription that was deactivated or deleted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django_tasks_db.backend import DatabaseBackend

from cetate.cases.models import Event
from cetate.webhooks.models import Delivery, Subscription

REFRESH_SECONDS = 30.0


@dataclass
class _Memory:
    any_active: bool | None = None
    looked_at: float = 0.0


_memory = _Memory()


def forget_subscriptions(**_kwargs: Any) -> None:
    """Look at the subscriptions again on the next event (connected to their save and delete),
    and again once the change is committed, in case another thread looked meanwhile."""
    forget()
    transaction.on_commit(forget)


def forget() -> None:
    _memory.any_active = None


def _maybe_active() -> bool:
    now = time.monotonic()
    if _memory.any_active is None or now - _memory.looked_at > REFRESH_SECONDS:
        _memory.any_active = Subscription.objects.filter(active=True).exists()
        _memory.looked_at = now
    return _memory.any_active


def record_deliveries(event: Event) -> list[Delivery]:
    """A pending delivery of `event` for each active subscription that wants its kind, each
    with its job queued to run once the transaction commits."""
    if not _maybe_active():
        return []
    wanted = [s for s in Subscription.objects.filter(active=True) if s.wants(event.kind)]
    if not wanted:
        return []
    deliveries = [
        Delivery(subscription=subscription, event=event, next_attempt_at=event.at)
        for subscription in wanted
    ]
    if connection.features.can_return_rows_from_bulk_insert:
        Delivery.objects.bulk_create(deliveries)
    else:
        for delivery in deliveries:
            delivery.save(force_insert=True)
    for delivery in deliveries:
        queue_attempt(delivery.pk)
    return deliveries


def queue_attempt(delivery_id: int, *, at: Any = None) -> None:
    """Queue the delivery's next attempt with the surrounding transaction, not before `at`.

    On the database queue the job row is written in the transaction itself, so it exists
    exactly when the delivery does; other queues get it on commit. A queue that cannot hold a
    job until later is given only first attempts and retries asked for now: later retries wait
    for the "retry now" action.
    """
    from cetate.webhooks.tasks import deliver

    job = deliver
    backend = job.get_backend()
    if at is not None:
        if not backend.supports_defer:
            return
        job = job.using(run_after=at)
    if isinstance(backend, DatabaseBackend):
        job.enqueue(delivery_id)
    else:
        transaction.on_commit(lambda: job.enqueue(delivery_id))
