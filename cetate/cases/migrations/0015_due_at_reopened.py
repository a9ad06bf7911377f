"""Each case keeps its earliest due moment (the worklist's order) and when it was reopened.

`due_at` is the first moment any of the case's terms falls due: the end of its internal or
legal due date, or its service target (cetate/cases/deadlines.py: earliest_due). Every case
is given it, read in batches of ids and written with one bulk update per batch.

`reopened_at` marks the open cases that were reopened and not answered since: an open case
with a `reopened` event was reopened after its last answer (answering it moves it out of
work, and only reopening brings it back), so it takes the time of its latest one.
"""

from typing import Any

from django.db import migrations, models
from django.db.models import Max

from cetate.cases.deadlines import earliest_due

OPEN_STATUSES = ["assigned", "in_progress", "new", "waiting"]
BATCH = 2000


def give_cases_their_due_at(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    last_id = 0
    while True:
        cases = list(
            Case.objects.filter(id__gt=last_id)
            .order_by("id")
            .only("id", "internal_due", "legal_due", "service_due")[:BATCH]
        )
        if not cases:
            return
        for case in cases:
            case.due_at = earliest_due(
                internal_due=case.internal_due,
                legal_due=case.legal_due,
                service_due=case.service_due,
            )
        Case.objects.bulk_update([c for c in cases if c.due_at is not None], ["due_at"])
        last_id = cases[-1].id


def mark_reopened_cases(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Event = apps.get_model("cases", "Event")
    latest = (
        Event.objects.filter(kind="reopened", case__status__in=OPEN_STATUSES)
        .values("case_id")
        .annotate(at=Max("at"))
        .order_by("case_id")
    )
    for row in latest.iterator():
        Case.objects.filter(pk=row["case_id"]).update(reopened_at=row["at"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_receipt_mailed")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="due_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="earliest due"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="reopened_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="reopened"
            ),
        ),
        migrations.RunPython(give_cases_their_due_at, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(mark_reopened_cases, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["assigned", "in_progress", "new", "waiting"])),
                fields=["department", "due_at", "id"],
                name="case_open_due",
            ),
        ),
    ]
