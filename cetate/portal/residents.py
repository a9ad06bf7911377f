"""A resident's session and what it opens: the contacts with their email and their cases.

A resident is not a user of the staff's sign-in: their session holds only the email address
a sign-in link was sent to. The two never mix: signing in as a resident ends any staff session
in the browser, and a staff member signed in on top of a resident session is not taken for
the resident.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import logout
from django.db.models import QuerySet
from django.http import HttpRequest

from cetate.cases.models import Case
from cetate.contacts.merged import with_merged
from cetate.contacts.models import Contact
from cetate.contacts.services import find_contacts

SESSION_KEY = "portal_resident_email"
SESSION_LENGTH = timedelta(hours=2)


def sign_in(request: HttpRequest, email: str) -> None:
    logout(request)  # flushes the session: a new key, nothing of a previous user
    request.session[SESSION_KEY] = email.strip().lower()
    request.session.set_expiry(int(SESSION_LENGTH.total_seconds()))


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def signed_in_email(request: HttpRequest) -> str | None:
    if request.user.is_authenticated:
        return None
    email = request.session.get(SESSION_KEY)
    return email if isinstance(email, str) and email else None


def contacts_of(email: str) -> list[Contact]:
    """The contacts holding the cases of `email`: those whose own address it is first, the one
    the city knew first before the others."""
    found = find_contacts(email=email)
    return sorted(found, key=lambda contact: (contact.email.lower() != email, contact.pk))


def main_contact(email: str) -> Contact | None:
    """The contact whose details the resident signed in with `email` sees and edits."""
    contacts = contacts_of(email)
    return contacts[0] if contacts else None


def proven_contact(request: HttpRequest, email: str) -> Contact | None:
    """The contact of the signed-in resident, if `email` is the address they proved by
    signing in; None for anyone else, whatever address they type."""
    signed_in = signed_in_email(request)
    if signed_in is None or signed_in != email.strip().lower():
        return None
    return main_contact(signed_in)


def cases_of(email: str) -> QuerySet[Case]:
    """Every case reported by a contact with this email or merged into one, from any channel,
    newest first."""
    contact_ids = with_merged(contact.pk for contact in contacts_of(email))
    return (
        Case.objects.filter(reporter_id__in=contact_ids)
        .select_related("category__parent")
        .order_by("-registered_at", "-pk")
    )
