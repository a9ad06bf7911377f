"""The delivery job: one attempt at one delivery, keyed by its id, harmless to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(delivery_id: int) -> str | None:
    """Post a pending, due delivery once; its status afterwards, None when nothing was due."""
    from cetate.webhooks.sending import attempt

    return attempt(delivery_id)
