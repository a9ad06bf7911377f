"""A person's contact records past retention: who they are made of, and forgetting them.

A person is a contact together with every contact merged into it, however long the chain: the
duplicates hold no cases of their own, but still their name and addresses. A person's records
are anonymised when no case still holding personal data names any of them — after the last
of their cases was anonymised, or when the person never had a case and nothing was heard of
them for the installation's retention. A restricted person (GDPR art. 18) is kept as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import transaction

from cetate.contacts.merged import root_of, with_merged
from cetate.contacts.models import Contact
from cetate.lib import clock


def still_needed(contact_ids: list[int]) -> bool:
    """Whether a case still holding personal data names one of these contacts."""
    from cetate.cases.models import Case

    return Case.objects.filter(reporter_id__in=contact_ids, anonymised_at__isnull=True).exists()


@transaction.atomic
def release_contact(*, contact_id: int) -> bool:
    """Anonymise the person of `contact_id` if no case needs them any more and they are not
    restricted; returns whether it did."""
    contact = root_of(Contact.objects.select_related("merged_into").get(pk=contact_id))
    ids = with_merged([contact.pk])
    people = Contact.objects.select_for_update().filter(pk__in=ids)
    if still_needed(ids) or any(person.is_restricted for person in people):
        return False
    return anonymise_contacts(ids) > 0


def anonymise_contacts(contact_ids: list[int]) -> int:
    """Blank the personal data of these contacts and of their calls; returns how many contacts
    changed (those anonymised already are left as they are)."""
    _calls().filter(contact_id__in=contact_ids).exclude(
        from_number="", to_number="", resident_phone=""
    ).update(from_number="", to_number="", resident_phone="")
    return Contact.objects.filter(pk__in=contact_ids, anonymised_at__isnull=True).update(
        name="",
        email="",
        phone="",
        phone_as_typed="",
        postal_address="",
        restriction_note="",
        email_failed_at=None,
        email_failure="",
        anonymised_at=clock.now(),
        updated_at=clock.now(),
    )


def forgotten_contacts(before: datetime, *, limit: int) -> list[int]:
    """Contacts holding no case, created before `before` and with no call since: nothing the
    city does needs them. Merged duplicates go with the contact they were merged into."""
    return list(
        Contact.objects.filter(
            anonymised_at__isnull=True,
            restricted_at__isnull=True,
            merged_into__isnull=True,
            created_at__lt=before,
            cases__isnull=True,
        )
        .exclude(calls__started_at__gte=before)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def forget_old_calls(before: datetime) -> int:
    """Blank the numbers of calls before `before` that are tied to no case and no contact."""
    changed: int = (
        _calls()
        .filter(case__isnull=True, contact__isnull=True, started_at__lt=before)
        .exclude(from_number="", to_number="", resident_phone="")
        .update(from_number="", to_number="", resident_phone="")
    )
    return changed


def _calls() -> Any:
    """The call log's rows, through the registry: the contacts do not import the telephony."""
    return apps.get_model("telephony", "Call").objects
