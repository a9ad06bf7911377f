"""Typing a known resident's phone or email never opens their record to whoever typed it.

A registration joins a known contact only when its identity is verified: the resident signed in
with the address, or staff checked who is calling. Anything else keeps a contact of its own.
"""

import pytest

from cetate.cases.choices import Channel, EventKind, Kind
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.intake.staff import Caller
from cetate.test import INSIDE
from tests.intake.people import VICTIM_PHONE, assert_victim_untouched, register, sign_in
from tests.portal.reporting import pothole, send


def test_a_portal_report_with_a_known_phone_and_a_new_email_gets_its_own_contact(
    client, city, mailoutbox
):
    victims_case = city.report(reporter=city.resident)
    data = pothole(
        city, name="Intrus", phone=VICTIM_PHONE, email="intrus@example.org", step="send_anyway"
    )
    assert send(client, data).status_code == 302
    theirs = Case.objects.exclude(pk=victims_case.pk).get()
    assert theirs.reporter != city.resident
    assert theirs.reporter.email == "intrus@example.org"
    client.logout()
    assert_victim_untouched(city, victims_case, client, mailoutbox)


def test_a_report_with_a_known_email_is_not_joined_to_its_contact_unless_signed_in(
    client, city, mailoutbox
):
    data = pothole(city, name="Ion", email="ion@example.org", step="send_anyway")
    assert send(client, data).status_code == 302
    first = Case.objects.get()
    assert first.reporter != city.resident
    city.resident.refresh_from_db()
    assert city.resident.name == "Ion Popescu"
    # Signed in with that address, the resident's next report joins their contact.
    sign_in(client, mailoutbox, "ion@example.org")
    data = pothole(
        city, email="ion@example.org", postal_address="Str. Unirii 1", step="send_anyway"
    )
    assert send(client, data).status_code == 302
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.reporter == city.resident
    city.resident.refresh_from_db()
    assert city.resident.postal_address == "Str. Unirii 1"  # filled in, nothing overwritten
    # Both cases carry the address the resident proved, so both are theirs.
    page = client.get("/account/").content.decode()
    assert first.number in page and second.number in page


def test_a_signed_in_resident_reporting_with_another_email_is_not_joined(client, city, mailoutbox):
    sign_in(client, mailoutbox, "ion@example.org")
    data = pothole(city, email="altul@example.org", step="send_anyway")
    assert send(client, data).status_code == 302
    assert Case.objects.get().reporter.email == "altul@example.org"
    assert Case.objects.get().reporter != city.resident


def test_a_caller_with_a_known_number_gets_a_new_contact_unless_staff_checked(city):
    unchecked = register(city, Caller(name="Altcineva", phone=VICTIM_PHONE))
    assert unchecked.reporter != city.resident
    assert not unchecked.events.filter(kind=EventKind.IDENTITY_CHECKED).exists()
    checked = register(
        city,
        Caller(name="Altcineva", phone=VICTIM_PHONE, postal_address="Str. A 1"),
        known_contact=city.resident,
    )
    assert checked.reporter == city.resident
    event = checked.events.get(kind=EventKind.IDENTITY_CHECKED)
    assert event.actor == city.dispatcher
    city.resident.refresh_from_db()
    assert city.resident.name == "Ion Popescu"  # what the city holds is kept
    assert city.resident.postal_address == "Str. A 1"  # what it lacked is filled in


def test_only_staff_can_vouch_for_a_residents_identity(city):
    from cetate.cases.services import open_case

    with pytest.raises(DomainError):
        open_case(
            kind=Kind.REPORT,
            channel=Channel.PORTAL,
            actor=None,
            description="Groapă",
            category=city.pothole,
            reporter=city.resident,
            identity_checked=True,
            latitude=INSIDE["latitude"],
            longitude=INSIDE["longitude"],
        )
    assert not Case.objects.exists()
