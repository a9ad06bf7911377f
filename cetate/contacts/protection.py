"""The data protection officer's tools: finding a person, restricting the processing of their
data (GDPR art. 18) and erasing it (art. 17).

Every use is recorded: an event on each case of the person (through the case services) and a
row in the log of views of personal data. Erasure anonymises the person's closed cases; an
open case, or one whose file the law requires keeping for a term not yet ended, is refused
with its reason and stays in the register.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.accounts.models import User
from cetate.accounts.roles import Role, roles_of
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Case
from cetate.cases.services.anonymisation import (
    Reason,
    anonymise_case,
    delete_anonymised_files,
    erasure_refusal,
    record_data_protection,
)
from cetate.contacts.merged import root_of, with_merged
from cetate.contacts.models import Contact
from cetate.contacts.retention import anonymise_contacts, still_needed
from cetate.contacts.services import record_personal_data_view
from cetate.lib import clock
from cetate.lib.phones import InvalidPhoneNumber, normalise_phone
from cetate.lib.text import plain_text

SEARCH_LIMIT = 50
NOTE_LIMIT = 300


class DataProtectionAction(models.TextChoices):
    """What the officer did, as recorded in each case's event."""

    EXPORTED = "exported", gettext_lazy("the resident's data exported in full")
    RESTRICTED = "restricted", gettext_lazy("processing of the resident's data restricted")
    RESTRICTION_LIFTED = "restriction_lifted", gettext_lazy("restriction lifted")
    ERASURE_REFUSED = "erasure_refused", gettext_lazy("erasure refused: the register keeps it")


@dataclass(frozen=True)
class Person:
    """A contact and every contact merged into it: one person's records."""

    contact: Contact
    contacts: list[Contact]

    @property
    def ids(self) -> list[int]:
        return [contact.pk for contact in self.contacts]

    @property
    def emails(self) -> list[str]:
        return sorted({contact.email.lower() for contact in self.contacts if contact.email})

    @property
    def phones(self) -> list[str]:
        return sorted({contact.phone for contact in self.contacts if contact.phone})

    @property
    def is_restricted(self) -> bool:
        return self.contact.is_restricted

    def cases(self) -> QuerySet[Case]:
        return (
            Case.objects.filter(reporter_id__in=self.ids)
            .select_related("category__parent", "category__file_code", "department")
            .order_by("registered_at", "pk")
        )


def person_of(contact_id: int) -> Person:
    """The person a contact belongs to, merged records followed to the one that holds them."""
    contact = root_of(Contact.objects.select_related("merged_into").get(pk=contact_id))
    contacts = list(Contact.objects.filter(pk__in=with_merged([contact.pk])).order_by("pk"))
    contacts.sort(key=lambda other: other.pk != contact.pk)
    return Person(contact=contact, contacts=contacts)


def find_people(query: str) -> list[Person]:
    """People whose contact (or a contact merged into theirs) has this email or phone number
    (any way it is written), or whose name contains the words typed."""
    query = plain_text(query).strip()
    if not query:
        return []
    condition = Q(email__iexact=query)
    words = query.split()
    if words:
        name = Q()
        for word in words:
            name &= Q(name__icontains=word)
        condition |= name
    with suppress(InvalidPhoneNumber):
        condition |= Q(phone=normalise_phone(query))
    condition |= Q(phone_as_typed=" ".join(words))
    found = Contact.objects.filter(condition).select_related("merged_into").order_by("pk")
    roots: dict[int, None] = {}
    for contact in found[: SEARCH_LIMIT * 2]:
        roots.setdefault(root_of(contact).pk, None)
    return [person_of(contact_id) for contact_id in list(roots)[:SEARCH_LIMIT]]


def check_officer(actor: User) -> None:
    if Role.DATA_PROTECTION not in roles_of(actor):
        raise NotAllowed(_("Only the data protection officer may do this."))


def _note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise DomainError(_("Say which request this answers (its number, date or reason)."))
    return note[:NOTE_LIMIT]


def _open_cases(person: Person) -> list[Case]:
    return list(person.cases().filter(anonymised_at__isnull=True))


@transaction.atomic
def restrict_processing(*, contact_id: int, actor: User, note: str) -> Person:
    """Mark the person restricted (GDPR art. 18): their data stays, is kept past its term
    until the restriction ends, and leaves the city only through the officer's export."""
    check_officer(actor)
    note = _note(note, required=True)
    person = person_of(contact_id)
    if person.is_restricted:
        raise DomainError(_("The processing of this person's data is already restricted."))
    Contact.objects.filter(pk__in=person.ids).update(
        restricted_at=clock.now(), restriction_note=note, updated_at=clock.now()
    )
    for case in _open_cases(person):
        record_data_protection(
            case_id=case.pk, actor=actor, action=DataProtectionAction.RESTRICTED, note=note
        )
    record_personal_data_view(
        user=actor, contact=person.contact, what="data protection: restriction"
    )
    return person_of(contact_id)


@transaction.atomic
def lift_restriction(*, contact_id: int, actor: User, note: str = "") -> Person:
    """End the restriction: the person's data is processed, exported and retained as usual."""
    check_officer(actor)
    note = _note(note, required=False)
    person = person_of(contact_id)
    if not person.is_restricted:
        raise DomainError(_("The processing of this person's data is not restricted."))
    Contact.objects.filter(pk__in=person.ids).update(
        restricted_at=None, restriction_note="", updated_at=clock.now()
    )
    for case in _open_cases(person):
        record_data_protection(
            case_id=case.pk, actor=actor, action=DataProtectionAction.RESTRICTION_LIFTED, note=note
        )
    record_personal_data_view(
        user=actor, contact=person.contact, what="data protection: restriction lifted"
    )
    return person_of(contact_id)


@dataclass(frozen=True)
class ErasureStep:
    case: Case
    refusal: str | None


def erasure_plan(person: Person) -> list[ErasureStep]:
    """What erasing the person would do to each case still holding their data."""
    return [ErasureStep(case, erasure_refusal(case)) for case in _open_cases(person)]


@dataclass
class ErasureResult:
    anonymised: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    contact_anonymised: bool = False


@transaction.atomic
def erase_person(*, contact_id: int, actor: User, note: str) -> ErasureResult:
    """Erase the person's data (GDPR art. 17) wherever the law lets the city: each closed case
    it may is anonymised, the others get the refusal recorded with its reason; the contact
    records are anonymised once no case needs them."""
    check_officer(actor)
    note = _note(note, required=True)
    person = person_of(contact_id)
    result = ErasureResult()
    for step in erasure_plan(person):
        if step.refusal:
            record_data_protection(
                case_id=step.case.pk,
                actor=actor,
                action=DataProtectionAction.ERASURE_REFUSED,
                note=note,
                details={"refusal": step.refusal},
            )
            result.refused.append(step.refusal)
        else:
            anonymise_case(case_id=step.case.pk, actor=actor, reason=Reason.ERASURE, note=note)
            result.anonymised.append(step.case.number)
            transaction.on_commit(partial(delete_anonymised_files, case_id=step.case.pk))
    record_personal_data_view(user=actor, contact=person.contact, what="data protection: erasure")
    if not still_needed(person.ids):
        # Already done by the last case's anonymisation unless the person was restricted.
        anonymise_contacts(person.ids)
        result.contact_anonymised = True
    return result
