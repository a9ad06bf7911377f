"""The sending job, for job queues other than the database's (whose worker polls the outbox)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_mail(mail_id: int) -> str | None:
    """Send one owed mail if it is due and nobody is sending it; its status afterwards."""
    from cetate.outbox.sending import send

    return send(mail_id)
