import pytest

from cetate.cases.choices import EventKind
from cetate.cases.errors import NotAllowed
from cetate.contacts.services import (
    InvalidContact,
    clean_phone,
    create_contact,
    find_contacts,
    merge_contacts,
    same_person_candidates,
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


def test_a_phone_number_that_cannot_be_checked_is_kept_as_typed(db):
    contact = create_contact(name="Ana", phone=" +1 555 0100 ", preferred_channel="phone")
    assert (contact.phone, contact.phone_as_typed) == ("", "+1 555 0100")
    checked = create_contact(name="Ion", phone="0744 123 456")
    assert (checked.phone, checked.phone_as_typed) == ("+40744123456", "")


def test_a_resident_correcting_their_number_is_told_when_it_cannot_be_checked(db):
    with pytest.raises(InvalidContact, match="12"):
        clean_phone("12")


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


def test_merge_keeps_every_case_and_records_it_on_each(city):
    duplicate = create_contact(name="", email="ion.popescu@example.org", phone="0722 000 111")
    first = city.report(reporter=city.resident)
    second = city.report(reporter=duplicate)
    third = city.report(reporter=duplicate)
    kept = merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)
    assert set(kept.cases.all()) == {first, second, third}
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    # The merged duplicate still finds the kept contact.
    assert find_contacts(email="ion.popescu@example.org") == [kept]
    assert kept.views.filter(user=city.dispatcher).exists()
    for case in (second, third):
        event = case.events.get(kind=EventKind.CONTACT_MERGED)
        assert event.actor == city.dispatcher
        assert event.data == {"from_contact": duplicate.pk, "to_contact": kept.pk}
    assert not first.events.filter(kind=EventKind.CONTACT_MERGED).exists()


def test_merge_refuses_itself_and_double_merges(city):
    duplicate = create_contact(name="Dup", email="dup@example.org")
    with pytest.raises(InvalidContact):
        merge_contacts(keep=duplicate, duplicate=duplicate, actor=city.dispatcher)
    merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)
    with pytest.raises(InvalidContact, match="already"):
        merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)


def test_only_staff_who_talk_to_residents_merge_contacts(city):
    duplicate = create_contact(name="Dup", email="dup@example.org")
    case = city.report(reporter=duplicate)
    with pytest.raises(NotAllowed):
        merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.officer)
    case.refresh_from_db()
    assert case.reporter == duplicate
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_same_person_candidates_share_an_email_or_phone(city):
    same_phone = create_contact(name="Ion", phone=city.resident.phone, preferred_channel="phone")
    same_email = create_contact(name="I. Popescu", email=city.resident.email)
    create_contact(name="Someone else", email="else@example.org")
    assert set(same_person_candidates(city.resident)) == {same_phone, same_email}
