"""Residents' contacts: finding them, normalising them, merging duplicates."""

from __future__ import annotations

from contextlib import suppress

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.accounts.roles import roles_of
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.workflow import PERMISSIONS, Permission
from cetate.contacts.failing import forget_failure
from cetate.contacts.merged import root_of
from cetate.contacts.models import AnswerChannel, Contact, PersonalDataView
from cetate.lib.phones import InvalidPhoneNumber, normalise_phone
from cetate.lib.text import plain_text


class InvalidContact(DomainError):
    pass


PHONE_AS_TYPED_LIMIT = 40


def clean_phone(raw: str) -> str:
    """The number in E.164; InvalidContact for one that cannot be checked, where the person
    typing it can correct it (their own account, a form about themselves)."""
    if not raw.strip():
        return ""
    try:
        return normalise_phone(raw)
    except InvalidPhoneNumber:
        raise InvalidContact(
            _("“%(phone)s” is not a phone number we can call.") % {"phone": raw}
        ) from None


def checked_phone(raw: str) -> tuple[str, str]:
    """(E.164, "") for a number that checks out, else ("", the number as typed): a phone on a
    report is kept either way, the second kind flagged for staff."""
    try:
        return clean_phone(raw), ""
    except InvalidContact:
        return "", " ".join(plain_text(raw).split())[:PHONE_AS_TYPED_LIMIT]


def find_contacts(*, phone: str = "", email: str = "") -> list[Contact]:
    """Contacts with this phone number (any way it is written) or email, merged ones resolved."""
    query = Q(pk__in=[])
    if phone.strip():
        with suppress(InvalidPhoneNumber):
            query |= Q(phone=normalise_phone(phone))
    if email.strip():
        query |= Q(email__iexact=email.strip())
    found: dict[int, Contact] = {}
    for contact in Contact.objects.filter(query).select_related("merged_into"):
        root = root_of(contact)
        found[root.pk] = root
    return list(found.values())


def default_answer_channel(*, email: str, postal_address: str, phone: str) -> AnswerChannel:
    """Email when there is an address, else post, else a call back; post when nothing is known."""
    if email.strip():
        return AnswerChannel.EMAIL
    if not postal_address.strip() and phone.strip():
        return AnswerChannel.PHONE
    return AnswerChannel.POST


def create_contact(
    *,
    name: str = "",
    email: str = "",
    phone: str = "",
    postal_address: str = "",
    kind: Contact.Kind | str = Contact.Kind.PERSON,
    preferred_channel: AnswerChannel | str | None = None,
    language: str = "ro",
    is_demo: bool = False,
) -> Contact:
    """A new contact. A phone number that cannot be checked is kept as typed
    (`phone_as_typed`), for staff to try: it never stops a registration."""
    email = plain_text(email).strip().lower()
    name, postal_address = plain_text(name), plain_text(postal_address)
    phone, phone_as_typed = checked_phone(phone)
    if preferred_channel is None:
        preferred_channel = default_answer_channel(
            email=email, postal_address=postal_address, phone=phone or phone_as_typed
        )
    if preferred_channel == AnswerChannel.EMAIL and not email:
        raise InvalidContact(_("Give an email address to receive the answer by email."))
    if preferred_channel == AnswerChannel.POST and not postal_address.strip():
        raise InvalidContact(_("Give a postal address to receive the answer by post."))
    if preferred_channel == AnswerChannel.PHONE and not (phone or phone_as_typed):
        raise InvalidContact(_("Give a phone number to receive the answer by phone."))
    return Contact.objects.create(
        kind=Contact.Kind(kind),
        name=name.strip(),
        email=email,
        phone=phone,
        phone_as_typed=phone_as_typed,
        postal_address=postal_address.strip(),
        preferred_channel=AnswerChannel(preferred_channel),
        language=language,
        is_demo=is_demo,
    )


def complete_contact(
    contact: Contact, *, name: str = "", phone: str = "", email: str = "", postal_address: str = ""
) -> Contact:
    """Fill in what a known contact lacks; what the city already holds is never overwritten."""
    checked, as_typed = checked_phone(phone)
    given = {
        "name": plain_text(name).strip(),
        "phone": checked,
        "email": plain_text(email).strip().lower(),
        "postal_address": plain_text(postal_address).strip(),
    }
    if not (contact.phone or checked):
        given["phone_as_typed"] = as_typed
    missing = [field for field, value in given.items() if value and not getattr(contact, field)]
    for field in missing:
        setattr(contact, field, given[field])
    if missing:
        contact.save(update_fields=[*missing, "updated_at"])
    return contact


@transaction.atomic
def merge_contacts(*, keep: Contact, duplicate: Contact, actor: User) -> Contact:
    """Join two contacts that a member of staff checked are one person.

    Every case of `duplicate` moves to `keep`, each with an event; `keep` gains what it lacked;
    the duplicate stays, pointing at `keep`. Only staff who talk to residents may do it.
    """
    from cetate.cases.services import move_cases_to_contact

    if keep.pk == duplicate.pk:
        raise InvalidContact(_("A contact cannot be merged with itself."))
    first, second = sorted([keep.pk, duplicate.pk])
    locked = {pk: Contact.objects.select_for_update().get(pk=pk) for pk in (first, second)}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise InvalidContact(_("One of these contacts was already merged."))
    if not roles_of(actor) & PERMISSIONS[Permission.MERGE_CONTACTS]:
        raise NotAllowed(_("Your role does not allow you to merge residents' contacts."))
    move_cases_to_contact(from_contact_id=duplicate.pk, to_contact_id=keep.pk, actor=actor)
    for field in ("email", "phone", "postal_address", "name"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    if not (keep.phone or keep.phone_as_typed):
        keep.phone_as_typed = duplicate.phone_as_typed
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    record_personal_data_view(user=actor, contact=keep, what=f"merge of #{duplicate.pk}")
    return keep


def join_same_person(*, contact: Contact, other: Contact, actor: User) -> Contact:
    """Join two contacts staff checked are one person; the one the city knew first stays."""
    keep, duplicate = sorted([contact, other], key=lambda known: known.pk)
    return merge_contacts(keep=keep, duplicate=duplicate, actor=actor)


def same_person_candidates(contact: Contact) -> list[Contact]:
    """Other contacts with this contact's email or phone: perhaps the same person, perhaps
    someone who typed another's details. Staff decide after checking."""
    return [
        other
        for other in find_contacts(phone=contact.phone, email=contact.email)
        if other.pk != contact.pk
    ]


def record_personal_data_view(*, user: User, what: str, contact: Contact | None = None) -> None:
    PersonalDataView.objects.create(user=user, contact=contact, what=what[:200])


def _check_answer_channel(
    channel: AnswerChannel, *, email: str, phone: str, postal_address: str
) -> None:
    if channel == AnswerChannel.EMAIL and not email:
        raise InvalidContact(_("Give an email address to receive the answer by email."))
    if channel == AnswerChannel.POST and not postal_address.strip():
        raise InvalidContact(_("Give a postal address to receive the answer by post."))
    if channel == AnswerChannel.PHONE and not phone:
        raise InvalidContact(_("Give a phone number to receive the answer by phone."))


@transaction.atomic
def change_contact_details(
    *,
    contact_id: int,
    name: str,
    phone: str,
    postal_address: str,
    preferred_channel: AnswerChannel | str,
) -> Contact:
    """The resident corrects their own details; the email changes only by change_contact_email.

    Cases keep the answer channel chosen when they were registered: the preference applies to
    cases to come.
    """
    contact = Contact.objects.select_for_update().get(pk=contact_id)
    phone = clean_phone(phone)
    channel = AnswerChannel(preferred_channel)
    _check_answer_channel(channel, email=contact.email, phone=phone, postal_address=postal_address)
    contact.name = plain_text(name).strip()
    contact.phone = phone
    # The resident has just given the number they want: the one nobody could check goes.
    contact.phone_as_typed = ""
    contact.postal_address = plain_text(postal_address).strip()
    contact.preferred_channel = channel
    contact.save(
        update_fields=[
            "name",
            "phone",
            "phone_as_typed",
            "postal_address",
            "preferred_channel",
            "updated_at",
        ]
    )
    return contact


@transaction.atomic
def change_contact_email(*, contact_id: int, old_email: str, new_email: str) -> Contact:
    """Replace the email of a contact, once the new address proved it receives mail.

    Refused when the contact's email changed since the change was asked for, so an old
    confirmation cannot undo a newer change.
    """
    contact = Contact.objects.select_for_update().get(pk=contact_id)
    if contact.merged_into_id is not None or contact.email.lower() != old_email.strip().lower():
        raise InvalidContact(_("These contact details changed since; ask for the change again."))
    email = new_email.strip().lower()
    if email != contact.email:
        forget_failure(contact)
    contact.email = email
    contact.save(update_fields=["email", "email_failed_at", "email_failure", "updated_at"])
    return contact
