"""The retention job: anonymise what is past its term, in batches, each case on its own.

Run daily by `serve` and by `manage.py apply_retention`. It asks the database for a batch of
closed cases past their term at a time (a few categories' terms, an index on the closing
date), so that a register of millions is never loaded whole, and anonymises each case in its
own transaction: a failure leaves the others done. Then it forgets the contacts nothing needs
any more, the numbers of old calls tied to no one, and any file a storage failure left behind.
Cases of a restricted person (GDPR art. 18) wait until the restriction ends. Running it again
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services.anonymisation import Reason, anonymise_case, delete_anonymised_files
from cetate.cases.workflow import FINAL_STATUSES
from cetate.contacts.merged import with_merged
from cetate.contacts.models import Contact
from cetate.contacts.retention import (
    anonymise_contacts,
    forget_old_calls,
    forgotten_contacts,
)
from cetate.directory.retention import closed_before, term_groups
from cetate.lib import clock

BATCH_SIZE = 500


@dataclass
class RetentionResult:
    cases: int = 0
    contacts: int = 0
    calls: int = 0
    files: int = 0
    held: int = 0
    failed: list[int] = field(default_factory=list)


def apply_retention(*, batch_size: int = BATCH_SIZE) -> RetentionResult:
    """Anonymise every case, contact and call past its term now; see the module's text."""
    result = RetentionResult()
    anonymous = Contact.objects.filter(anonymised_at__isnull=False)
    anonymous_before = anonymous.count()
    today = clock.now().astimezone(CITY_TZ).date()
    for group in term_groups():
        due = Case.objects.filter(
            group.cases(),
            anonymised_at__isnull=True,
            status__in=sorted(FINAL_STATUSES),
            status_changed_at__lt=closed_before(today, group.years),
        )
        result.held += due.filter(reporter__restricted_at__isnull=False).count()
        waiting = due.exclude(reporter__restricted_at__isnull=False)
        while True:
            # Anonymised cases leave the query: each batch starts again from the oldest left.
            batch = list(
                waiting.exclude(pk__in=result.failed)
                .order_by("status_changed_at", "pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                break
            for case_id in batch:
                try:
                    anonymise_case(case_id=case_id, actor=None, reason=Reason.RETENTION)
                except DomainError:
                    # Reopened or changed since the batch was read: the next run sees it anew.
                    result.failed.append(case_id)
                else:
                    result.cases += 1
                    result.files += delete_anonymised_files(case_id=case_id)
    before = closed_before(today, settings.RETENTION_YEARS)
    while contacts := forgotten_contacts(before, limit=batch_size):
        for contact_id in contacts:
            with transaction.atomic():
                anonymise_contacts(with_merged([contact_id]))
    # Those a case's anonymisation released, and those nothing ever needed.
    result.contacts = anonymous.count() - anonymous_before
    result.calls = forget_old_calls(before)
    result.files += delete_anonymised_files()
    return result
