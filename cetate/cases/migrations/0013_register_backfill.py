"""The register's new columns for the cases registered before them: when the case was handed
to its department (its latest routing: assigned, accepted, sent to another department), and
the file code of its category (else of its group).

Runs in batches of ids, each committed on its own, so that a big register is not locked in one
long transaction; it fills only what is empty, so running it again after an interruption
finishes the work. `updated_at` is left as it was: integrators asking what changed see nothing.
"""

from django.db import migrations
from django.db.models import Max, OuterRef, Q, Subquery

BATCH = 20_000
ROUTED_KINDS = ["assigned", "accepted", "rerouted"]


def _batches(cases):
    last = cases.aggregate(last=Max("pk"))["last"] or 0
    for start in range(0, last + 1, BATCH):
        yield cases.filter(pk__gte=start, pk__lt=start + BATCH)


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Event = apps.get_model("cases", "Event")
    Category = apps.get_model("directory", "Category")
    db = schema_editor.connection.alias
    cases = Case.objects.using(db)

    # The auto-route at registration writes a status change to `assigned` and no `assigned`
    # event: its action names it.
    routed = Event.objects.using(db).filter(
        Q(kind__in=ROUTED_KINDS) | Q(kind="status_changed", data__action="assign"),
        case=OuterRef("pk"),
    )
    latest = Subquery(routed.order_by("-seq").values("at")[:1])
    for batch in _batches(cases.filter(department__isnull=False)):
        batch.filter(handed_at__isnull=True).update(handed_at=latest)

    by_code = {}
    for category in Category.objects.using(db).select_related("parent"):
        code = category.file_code_id or (category.parent.file_code_id if category.parent else None)
        if code is not None:
            by_code.setdefault(code, []).append(category.pk)
    if not by_code:
        return
    for batch in _batches(cases.filter(file_code__isnull=True)):
        for code, category_ids in by_code.items():
            batch.filter(file_code__isnull=True, category_id__in=category_ids).update(
                file_code_id=code
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0012_terms_internal_due"),
        ("directory", "0005_legal_bases_and_signatures"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
