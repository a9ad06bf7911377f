"""The data protection officer's services: finding a person (merged records followed),
restricting the processing of their data and erasing it, each use recorded on every case."""

import pytest
import time_machine
from django.core.files.storage import default_storage

from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Case
from cetate.contacts.models import Contact, PersonalDataView
from cetate.contacts.protection import (
    erase_person,
    find_people,
    lift_restriction,
    restrict_processing,
)
from cetate.contacts.services import create_contact, merge_contacts
from cetate.directory.models import FileCode
from tests.contacts.lives import at, closed_case


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def questions(city):
    """Potholes filed under a file the law does not require keeping: erasable once closed."""
    file_code = FileCode.objects.create(
        code="IX-1", name="Întrebări", retention_years=3, kept_by_law=False
    )
    city.pothole.file_code = file_code
    city.pothole.save()
    return file_code


def test_a_person_is_found_by_email_phone_or_name_merged_records_followed(city):
    duplicate = create_contact(name="I. Popescu", email="ion.popescu@example.org")
    merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)
    other = create_contact(name="Maria Ionescu", email="maria@example.org")

    for query in ("ion.popescu@example.org", "ION@example.org", "0744 123 456", "popescu"):
        [person] = find_people(query)
        assert person.contact == city.resident, query
        assert set(person.ids) == {city.resident.pk, duplicate.pk}
    assert [person.contact for person in find_people("Maria")] == [other]
    assert find_people("nimeni@example.org") == []


def test_restriction_is_recorded_on_every_case_and_is_reversible(city):
    cases = [city.report(), city.report(description="A doua groapă")]

    restrict_processing(contact_id=city.resident.pk, actor=city.dpo, note="Cererea 12/2026")

    contact = Contact.objects.get(pk=city.resident.pk)
    assert contact.is_restricted and contact.restriction_note == "Cererea 12/2026"
    for case in cases:
        event = case.events.last()
        assert (event.kind, event.actor, event.data["data_protection"], event.text) == (
            EventKind.DATA_PROTECTION,
            city.dpo,
            "restricted",
            "Cererea 12/2026",
        )
    with pytest.raises(DomainError, match="already restricted"):
        restrict_processing(contact_id=city.resident.pk, actor=city.dpo, note="din nou")

    lift_restriction(contact_id=city.resident.pk, actor=city.dpo)

    assert not Contact.objects.get(pk=city.resident.pk).is_restricted
    assert [case.events.last().data["data_protection"] for case in cases] == [
        "restriction_lifted"
    ] * 2
    assert PersonalDataView.objects.filter(user=city.dpo, contact=city.resident).count() == 2


def test_only_the_officer_uses_the_tools_and_a_request_is_named(city):
    for staff in (city.supervisor, city.admin):
        with pytest.raises(NotAllowed):
            restrict_processing(contact_id=city.resident.pk, actor=staff, note="x")
        with pytest.raises(NotAllowed):
            erase_person(contact_id=city.resident.pk, actor=staff, note="x")
    with pytest.raises(DomainError, match="Say which request"):
        erase_person(contact_id=city.resident.pk, actor=city.dpo, note=" ")


def test_erasure_anonymises_closed_cases_and_refuses_open_ones_with_the_reason(
    city, questions, commit
):
    closed = closed_case(city, commit, on=at(2025, 3, 3))
    with time_machine.travel(at(2025, 4, 1), tick=False):
        still_open = city.report(description="Groapă nouă")

        result = commit(
            erase_person, contact_id=city.resident.pk, actor=city.dpo, note="Cererea 3/2025"
        )

    assert result.anonymised == [closed.case.number]
    assert len(result.refused) == 1 and still_open.number in result.refused[0]
    assert "is not closed (new)" in result.refused[0]
    erased = Case.objects.get(pk=closed.case.pk)
    assert (erased.anonymised_at is not None, erased.reporter, erased.description) == (
        True,
        None,
        "",
    )
    assert erased.events.last().data["reason"] == "erasure"
    assert not default_storage.exists(closed.attachment_path)
    kept = Case.objects.get(pk=still_open.pk)
    assert (kept.reporter, kept.description) == (city.resident, "Groapă nouă")
    refused = kept.events.last()
    assert (refused.kind, refused.data["data_protection"]) == (
        EventKind.DATA_PROTECTION,
        "erasure_refused",
    )
    assert not result.contact_anonymised, "the open case still needs the contact"
    assert Contact.objects.get(pk=city.resident.pk).email == "ion@example.org"


def test_erasure_of_a_person_no_case_needs_anonymises_their_records(city, questions, commit):
    duplicate = create_contact(name="Ion P.", email="ion.p@example.org")
    merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)
    closed_case(city, commit, on=at(2025, 3, 3))

    with time_machine.travel(at(2025, 4, 1), tick=False):
        result = commit(erase_person, contact_id=duplicate.pk, actor=city.dpo, note="Cererea 4")

    assert result.contact_anonymised and not result.refused
    for contact in Contact.objects.filter(pk__in=[city.resident.pk, duplicate.pk]):
        assert (contact.name, contact.email, contact.phone) == ("", "", "")
