"""The retention job: with time moved past a case's term it anonymises the case, keeps the
statistics, leaves nothing personal behind, and changes nothing when run again."""

from datetime import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage

from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.services.retention import apply_retention
from cetate.contacts.models import Contact
from cetate.contacts.services import create_contact
from cetate.directory.models import FileCode
from cetate.telephony.models import Call
from tests.contacts.lives import SECRETS, at, closed_case, figures, traces


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def petitions(city):
    """Potholes are filed as petitions, kept 5 years after the year they close."""
    file_code = FileCode.objects.create(code="II-4", name="Petiții", retention_years=5)
    city.pothole.parent.file_code = file_code
    city.pothole.parent.save()
    return file_code


def run_at(moment: datetime, commit):
    with time_machine.travel(moment, tick=False):
        return commit(apply_retention, batch_size=2)


def test_past_its_term_a_case_is_anonymised_and_the_figures_stay(city, petitions, commit):
    old = closed_case(city, commit, on=at(2019, 3, 4))
    held = traces(old.case, [city.resident])
    assert [secret for secret in SECRETS if secret not in held] == [], "all there before"
    assert '"kind": "notification_sent"' in held
    statistics = figures()
    before = Case.objects.values(
        "registration_number",
        "registered_at",
        "status",
        "status_changed_at",
        "legal_due",
        "service_due",
        "resolved_at",
        "feedback",
    ).get(pk=old.case.pk)

    result = run_at(at(2025, 1, 2), commit)

    assert result.cases == 1 and result.files == 1
    case = Case.objects.get(pk=old.case.pk)
    assert case.anonymised_at is not None
    assert figures() == statistics
    assert Case.objects.values(*before).get(pk=case.pk) == before, (
        "number, dates, statuses and deadlines stay"
    )
    assert case.latitude is not None and case.longitude is not None
    assert (case.address, round(case.latitude, 4), round(case.longitude, 4)) == (
        "Strada Zorilor",
        46.071,
        23.581,
    )
    assert case.events.last().kind == EventKind.ANONYMISED
    found = traces(case, [Contact.objects.get(pk=city.resident.pk)])
    assert [secret for secret in SECRETS if secret in found] == []
    assert not default_storage.exists(old.attachment_path)
    assert not case.attachments.exists()
    assert Call.objects.get(pk=old.call.pk).started_at == at(2019, 3, 4)


def test_the_anonymised_case_shows_nothing_personal_anywhere(client, city, petitions, commit):
    life = closed_case(city, commit, on=at(2019, 3, 4))
    run_at(at(2025, 1, 2), commit)

    client.force_login(city.supervisor)
    pages = [
        client.get(f"/t/{life.case.tracking_code}"),
        client.get(f"/console/cases/{life.case.pk}/", HTTP_ACCEPT_LANGUAGE="en"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert [secret for secret in SECRETS if secret in html] == []
    assert "Personal data removed" in pages[1].content.decode()


def test_a_second_run_changes_nothing(city, petitions, commit):
    closed_case(city, commit, on=at(2019, 3, 4))
    run_at(at(2025, 1, 2), commit)
    state = traces(Case.objects.get(), list(Contact.objects.all()))

    again = run_at(at(2025, 1, 3), commit)

    assert (again.cases, again.contacts, again.calls, again.files) == (0, 0, 0, 0)
    assert traces(Case.objects.get(), list(Contact.objects.all())) == state


def test_the_term_counts_from_the_first_of_january_after_closing(city, petitions, commit):
    life = closed_case(city, commit, on=at(2019, 3, 4))

    assert run_at(datetime(2024, 12, 31, 23, 59, tzinfo=CITY_TZ), commit).cases == 0
    assert Case.objects.get(pk=life.case.pk).anonymised_at is None
    assert run_at(datetime(2025, 1, 1, 0, 1, tzinfo=CITY_TZ), commit).cases == 1


def test_open_cases_and_cases_within_their_term_keep_everything(city, petitions, commit):
    with time_machine.travel(at(2019, 3, 4), tick=False):
        still_open = city.report(description="Groapă veche, încă deschisă")
    recent = closed_case(city, commit, on=at(2024, 5, 6), call_id="recent")

    result = run_at(at(2026, 1, 2), commit)

    assert result.cases == 0
    assert Case.objects.get(pk=still_open.pk).description == "Groapă veche, încă deschisă"
    assert Case.objects.get(pk=recent.case.pk).reporter == city.resident
    assert Contact.objects.get(pk=city.resident.pk).email == "ion@example.org"


def test_the_contact_stays_while_a_case_within_its_term_needs_it(city, petitions, commit):
    closed_case(city, commit, on=at(2019, 3, 4))
    closed_case(city, commit, on=at(2023, 3, 6), call_id="second")

    run_at(at(2025, 1, 2), commit)
    assert Contact.objects.get(pk=city.resident.pk).name == "Ion Popescu"

    run_at(at(2029, 1, 2), commit)
    contact = Contact.objects.get(pk=city.resident.pk)
    assert (contact.name, contact.email, contact.phone, contact.anonymised_at is not None) == (
        "",
        "",
        "",
        True,
    )


def test_a_category_with_its_own_term_overrides_its_file_code(city, petitions, commit):
    city.pothole.retention_years = 1
    city.pothole.save()
    closed_case(city, commit, on=at(2022, 3, 7))

    assert run_at(at(2024, 1, 2), commit).cases == 1


def test_a_restricted_person_is_kept_past_the_term(city, petitions, commit):
    closed_case(city, commit, on=at(2019, 3, 4))
    Contact.objects.filter(pk=city.resident.pk).update(restricted_at=at(2024, 6, 1))

    result = run_at(at(2025, 1, 2), commit)

    assert (result.cases, result.held) == (0, 1)
    assert Case.objects.get().reporter == city.resident


def test_contacts_and_calls_nobody_needs_are_forgotten_after_the_default_term(
    city, commit, settings
):
    settings.RETENTION_YEARS = 3
    with time_machine.travel(at(2020, 2, 3), tick=False):
        caller = create_contact(name="Ana Vasile", phone="0745 000 111")
        Call.objects.create(
            call_id="unknown",
            from_number="0722333444",
            resident_phone="+40722333444",
            started_at=at(2020, 2, 3),
        )
        Call.objects.create(
            call_id="ana", resident_phone="+40745000111", contact=caller, started_at=at(2020, 2, 3)
        )

    result = run_at(at(2024, 1, 2), commit)

    assert (result.contacts, result.calls) == (1, 1)
    assert Contact.objects.get(pk=caller.pk).phone == ""
    assert not Call.objects.exclude(resident_phone="").exists()
    assert Contact.objects.get(pk=city.resident.pk).email == "ion@example.org"
