"""Open cases get their internal due date; the worklist and map indexes hold it.

Only open cases (new, assigned, in progress, waiting) are given the date: the worklists,
reminders, escalations, deadline states and the map count only those. A resolved or closed
case keeps its legal deadline, which is what the law's reports measure, and gets an internal
date again only if it is reopened (cetate/cases/services/terms.py). This keeps the migration to
the open share of a large register, read in batches of ids and written with one UPDATE per
distinct due date in each batch.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.db import migrations, models

from cetate.cases.deadlines import CITY_TZ, internal_deadline
from cetate.lib.calendar import WorkCalendar

OPEN_STATUSES = ["assigned", "in_progress", "new", "waiting"]
BATCH = 5000


def give_open_cases_their_internal_due(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    NonWorkingDay = apps.get_model("directory", "NonWorkingDay")
    calendar = WorkCalendar.with_days_off(NonWorkingDay.objects.values_list("date", flat=True))
    rule = settings.INTERNAL_DUE_RULE
    known: dict[tuple[str, date, int, bool], date | None] = {}
    pending = Case.objects.filter(
        status__in=OPEN_STATUSES, legal_due__isnull=False, internal_due__isnull=True
    ).order_by("id")
    last_id = 0
    while True:
        rows = list(
            pending.filter(id__gt=last_id).values_list(
                "id", "kind", "registered_at", "legal_extended_days", "contests_id"
            )[:BATCH]
        )
        if not rows:
            return
        ids_by_due: dict[date, list[int]] = defaultdict(list)
        for pk, kind, registered_at, extended_days, contests_id in rows:
            key = (kind, registered_at.astimezone(CITY_TZ).date(), extended_days, bool(contests_id))
            if key not in known:
                known[key] = internal_deadline(
                    kind,
                    key[1],
                    calendar,
                    rule=rule,
                    administrative_complaint=key[3],
                    extended_days=extended_days,
                )
            due = known[key]
            if due is not None:
                ids_by_due[due].append(pk)
        for due, ids in ids_by_due.items():
            Case.objects.filter(id__in=ids).update(internal_due=due)
        last_id = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_register_outcomes_terms"),
        ("directory", "0005_legal_bases_and_signatures"),
    ]

    operations = [
        migrations.RunPython(
            give_open_cases_their_internal_due, migrations.RunPython.noop, elidable=True
        ),
        migrations.RemoveIndex(model_name="case", name="case_open_worklist"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["assigned", "in_progress", "new", "waiting"])),
                fields=["department", "internal_due", "service_due", "id", "category", "status"],
                name="case_open_worklist",
            ),
        ),
        migrations.RemoveIndex(model_name="case", name="case_status_location"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["status", "latitude", "longitude", "internal_due", "service_due"],
                name="case_status_location",
            ),
        ),
    ]
