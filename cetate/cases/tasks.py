"""Background jobs of the register. Each takes ids, is idempotent, and is enqueued on commit.

Mail is not a job here: it is owed in the outbox (cetate/cases/outgoing.py).
"""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_deadlines() -> int:
    """Record the deadline reminders and escalations owed now. Returns how many were new."""
    from cetate.cases.services.reminders import sweep_deadlines as sweep

    result = sweep()
    return len(result.reminders) + len(result.escalations)
