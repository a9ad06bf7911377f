"""Linked cases: reports of one problem by different residents, handled together, each answered
on its own case."""

import pytest
from django.db import IntegrityError, transaction

from cetate.cases import services
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.mail_identity import thread_id
from cetate.cases.models import CaseLink, linked_cases
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.test import GRANTED


@pytest.fixture
def neighbour(db):
    return create_contact(name="Maria Vecina", email="maria@example.org")


@pytest.fixture
def pair(city, neighbour):
    """The same pothole reported by Ion and by his neighbour Maria."""
    return city.report(), city.report(reporter=neighbour)


def started(city, case):
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    return services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)


def test_a_link_is_one_row_and_an_internal_event_on_each_case(city, pair):
    ion, maria = pair
    link = services.link_cases(
        case_id=maria.pk, other_case_id=ion.pk, actor=city.dispatcher, reason="Aceeași groapă"
    )
    assert (link.first_id, link.second_id) == (ion.pk, maria.pk)
    assert list(linked_cases(ion)) == [maria]
    assert list(linked_cases(maria)) == [ion]
    for case, other in ((ion, maria), (maria, ion)):
        event = case.events.get(kind="linked")
        assert event.data == {"case": other.pk, "number": other.number}
        assert event.text == "Aceeași groapă"
        assert not event.public  # it names another resident's case
    # Each keeps its own number, resident, status and deadlines.
    ion.refresh_from_db()
    maria.refresh_from_db()
    assert (ion.status, maria.status) == ("new", "new")
    assert ion.reporter != maria.reporter


def test_a_pair_is_linked_once_and_never_to_itself(city, pair):
    ion, maria = pair
    services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.dispatcher)
    with pytest.raises(DomainError, match="already linked"):
        services.link_cases(case_id=maria.pk, other_case_id=ion.pk, actor=city.dispatcher)
    with pytest.raises(DomainError, match="itself"):
        services.link_cases(case_id=ion.pk, other_case_id=ion.pk, actor=city.dispatcher)
    # The database holds the same rules for any other writer.
    for first, second in ((maria.pk, ion.pk), (ion.pk, ion.pk), (ion.pk, maria.pk)):
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseLink.objects.create(first_id=first, second_id=second)


def test_cancelled_or_merged_cases_are_not_linked(city, pair):
    ion, maria = pair
    services.cancel_registration(case_id=maria.pk, actor=city.dispatcher, reason="Greșeală")
    with pytest.raises(DomainError, match="cannot be linked"):
        services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.dispatcher)


def test_an_officer_links_only_cases_of_their_department(city, pair):
    ion, maria = pair
    started(city, ion)
    services.assign(case_id=maria.pk, actor=city.dispatcher, department=city.lighting)
    with pytest.raises(NotAllowed):
        services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.officer)
    assert not CaseLink.objects.exists()


def test_unlinking_records_it_on_both_cases(city, pair):
    ion, maria = pair
    services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.dispatcher)
    services.unlink_cases(case_id=maria.pk, other_case_id=ion.pk, actor=city.dispatcher)
    assert not CaseLink.objects.exists()
    assert ion.events.filter(kind="unlinked", public=False).count() == 1
    assert maria.events.filter(kind="unlinked", public=False).count() == 1
    with pytest.raises(DomainError, match="not linked"):
        services.unlink_cases(case_id=maria.pk, other_case_id=ion.pk, actor=city.dispatcher)


def test_a_link_made_meanwhile_makes_an_open_page_stale(city, pair):
    ion, maria = pair
    seen = ion.last_event_seq
    services.link_cases(case_id=maria.pk, other_case_id=ion.pk, actor=city.supervisor)
    with pytest.raises(services.StaleCase):
        services.add_note(case_id=ion.pk, actor=city.dispatcher, text="Notă", seen=seen)


def test_one_answer_resolves_each_linked_case_on_its_own(
    city, pair, neighbour, mailoutbox, django_capture_on_commit_callbacks
):
    ion, maria = pair
    for case in pair:
        started(city, case)
    services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.dispatcher)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.resolve_together(
            case_id=ion.pk,
            actor=city.officer,
            answer="Groapa a fost astupată.",
            linked_case_ids=[maria.pk],
            decision=GRANTED,
        )

    assert result.case.status == "resolved"
    assert [(o.number, o.done) for o in result.outcomes] == [(maria.number, True)]
    maria.refresh_from_db()
    assert (maria.status, maria.answer) == ("resolved", "Groapa a fost astupată.")
    resolved = maria.events.get(kind="status_changed", to_status="resolved")
    assert resolved.actor == city.officer
    assert resolved.data["answered_with"] == ion.pk
    # Each resident is mailed the answer on their own case's thread, with their own link.
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {"ion@example.org", "maria@example.org"}
    for address, case in (("ion@example.org", ion), ("maria@example.org", maria)):
        mail = by_address[address]
        assert case.number in mail.subject
        assert case.tracking_code in mail.body
        assert mail.extra_headers["In-Reply-To"] == thread_id(case)
    assert ion.tracking_code not in by_address["maria@example.org"].body
    assert maria.tracking_code not in by_address["ion@example.org"].body


def test_linked_cases_that_cannot_be_resolved_are_reported(city, pair, neighbour):
    ion, maria = pair
    started(city, ion)
    # Still new: the transition table does not resolve it.
    services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.dispatcher)
    lamp = city.report(category=city.lamp, answers={"pole": "7"}, reporter=neighbour)
    services.assign(case_id=lamp.pk, actor=city.dispatcher, department=city.lighting)
    services.change_status(case_id=lamp.pk, actor=city.lighting_officer, action=Action.START)
    services.link_cases(case_id=ion.pk, other_case_id=lamp.pk, actor=city.dispatcher)
    unlinked = city.report(reporter=neighbour)
    started(city, unlinked)

    result = services.resolve_together(
        case_id=ion.pk,
        actor=city.officer,
        answer="Rezolvat.",
        linked_case_ids=[maria.pk, lamp.pk, unlinked.pk],
        decision=GRANTED,
    )

    assert result.case.status == "resolved"
    assert result.done == []
    reasons = {outcome.number: outcome.reason for outcome in result.refused}
    assert "not possible for a case that is “new”" in reasons[maria.number]
    assert "Your role does not allow" in reasons[lamp.number]
    assert "no longer linked" in reasons[unlinked.number]
    for case in (maria, lamp, unlinked):
        case.refresh_from_db()
        assert case.status != "resolved"


def test_nothing_is_resolved_when_the_case_itself_cannot_be(city, pair):
    ion, maria = pair
    started(city, maria)
    services.link_cases(case_id=ion.pk, other_case_id=maria.pk, actor=city.dispatcher)
    with pytest.raises(DomainError):
        services.resolve_together(
            case_id=ion.pk,
            actor=city.officer,
            answer="Gata.",
            linked_case_ids=[maria.pk],
            decision=GRANTED,
        )
    maria.refresh_from_db()
    assert maria.status == "in_progress"
