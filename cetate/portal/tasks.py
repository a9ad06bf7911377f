"""Background jobs of the portal. Each takes ids, is idempotent, and is enqueued on commit."""

from __future__ import annotations

from django_tasks import task


@task()
def mail_followers(event_id: int) -> int:
    """Mail the followers of a case about one of its public events. Returns how many."""
    from cetate.portal.following import notify_followers

    return notify_followers(event_id)
