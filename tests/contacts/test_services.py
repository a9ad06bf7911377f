import pytest

from cetate.contacts.models import Contact
from cetate.contacts.services import (
    InvalidContact,
    create_contact,
    find_contacts,
    find_or_create_contact,
    merge_contacts,
)
from cetate.lib.phones import InvalidPhoneNumber, normalise_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0744 123 456", "+40744123456"),
        ("0744-123-456", "+40744123456"),
        ("+40 744 123 456", "+40744123456"),
        ("0040744123456", "+40744123456"),
        ("0258 811 111", "+40258811111"),
        ("+36 1 234 5678", "+3612345678"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["123", "abc", "0744 12"])
def test_impossible_numbers_are_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(raw)


def test_contact_stores_e164_and_lower_case_email(db):
    contact = create_contact(name="Ana", email=" Ana@Example.ORG ", phone="0744 123 456")
    assert (contact.email, contact.phone) == ("ana@example.org", "+40744123456")


def test_a_bad_phone_number_is_explained(db):
    with pytest.raises(InvalidContact, match="12"):
        create_contact(name="Ana", phone="12", preferred_channel="phone")


def test_preferred_channel_needs_its_address(db):
    with pytest.raises(InvalidContact, match="postal"):
        create_contact(name="Ana", preferred_channel="post")
    with pytest.raises(InvalidContact, match="email"):
        create_contact(name="Ana", phone="0744123456", preferred_channel="email")


def test_lookup_by_phone_written_any_way_or_email(db):
    ana = create_contact(name="Ana", email="ana@example.org", phone="0744 123 456")
    assert find_contacts(phone="+40744123456") == [ana]
    assert find_contacts(phone="0744-123-456") == [ana]
    assert find_contacts(email="ANA@example.org") == [ana]
    assert find_contacts(phone="0799 999 999") == []
    assert find_contacts(phone="not a number") == []


def test_find_or_create_reuses_the_contact(db):
    ana = create_contact(name="Ana", email="ana@example.org")
    assert find_or_create_contact(name="Ana P.", email="ana@example.org") == ana
    assert Contact.objects.count() == 1


def test_merge_keeps_every_case(city):
    duplicate = create_contact(name="", email="ion.popescu@example.org", phone="0722 000 111")
    first = city.report(reporter=city.resident)
    second = city.report(reporter=duplicate)
    kept = merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)
    assert set(kept.cases.all()) == {first, second}
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    # The merged duplicate still finds the kept contact.
    assert find_contacts(email="ion.popescu@example.org") == [kept]
    assert kept.views.filter(user=city.dispatcher).exists()


def test_merge_refuses_itself_and_double_merges(city):
    duplicate = create_contact(name="Dup", email="dup@example.org")
    with pytest.raises(InvalidContact):
        merge_contacts(keep=duplicate, duplicate=duplicate, actor=None)
    merge_contacts(keep=city.resident, duplicate=duplicate, actor=None)
    with pytest.raises(InvalidContact, match="already"):
        merge_contacts(keep=city.resident, duplicate=duplicate, actor=None)
