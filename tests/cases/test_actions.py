"""The case services beyond the bare transition: what each records and what it refuses."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Event
from cetate.cases.uploads import Upload
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact, merge_contacts
from cetate.test import GRANTED
from tests.cases.files import minimal_pdf

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=CITY_TZ)


def at(hours: float):
    return time_machine.travel(MONDAY + timedelta(hours=hours), tick=False)


def started(city, **overrides):
    case = city.report(**overrides)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    return services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)


def test_assign_records_department_and_officer(city):
    case = city.report()
    case = services.assign(
        case_id=case.pk, actor=city.dispatcher, department=city.technical, assignee=city.officer
    )
    assert (case.status, case.department, case.assignee) == (
        "assigned",
        city.technical,
        city.officer,
    )
    assigned = case.events.get(kind="assigned")
    assert assigned.data["department_name"] == "Direcția Tehnică"
    assert assigned.data["assignee"] == city.officer.pk
    assert not assigned.public


def test_assign_refuses_an_officer_of_another_department(city):
    case = city.report()
    with pytest.raises(DomainError, match="not a member"):
        services.assign(
            case_id=case.pk,
            actor=city.dispatcher,
            department=city.technical,
            assignee=city.lighting_officer,
        )


def test_assign_refuses_an_external_organisation(city):
    case = city.report()
    with pytest.raises(DomainError, match="redirect"):
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.water_operator)


def test_waiting_pauses_the_service_clock(city):
    with at(0):
        case = started(city, category=city.lamp, answers={"pole": "1"})
    assert case.service_due == MONDAY + timedelta(hours=72)
    with at(1):
        services.change_status(
            case_id=case.pk, actor=city.officer, action=Action.WAIT, text="Ce stâlp anume?"
        )
    with at(11):
        case = services.change_status(case_id=case.pk, actor=city.officer, action=Action.RESUME)
    assert case.paused_seconds == 10 * 3600
    assert case.service_due == MONDAY + timedelta(hours=82)
    # The legal deadline does not pause.
    assert case.legal_due == date(2026, 4, 2)


def test_waiting_needs_a_reason_and_resolving_an_answer(city):
    case = started(city)
    with pytest.raises(DomainError):
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.WAIT)
    with pytest.raises(DomainError):
        services.change_status(
            case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text=" ", decision=GRANTED
        )
    case = services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )
    assert case.answer == "Groapa a fost astupată."
    assert case.resolved_at is not None


def test_reject_needs_a_reason(city):
    case = city.report()
    with pytest.raises(DomainError, match="reason"):
        services.change_status(case_id=case.pk, actor=city.dispatcher, action=Action.REJECT)


def test_redirect_to_external_organisation_informs_the_resident(
    city, mailoutbox, django_capture_on_commit_callbacks
):
    case = city.report()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.redirect(
            case_id=case.pk, actor=city.dispatcher, to=city.water_operator, reason="Rețeaua de apă"
        )
    assert case.status == "redirected"
    assert case.redirected_to == city.water_operator
    kinds = [e.kind for e in case.events.all()]
    # The notice to the resident is the case's exit in the register.
    assert kinds == [
        "created",
        "status_changed",
        "redirected",
        "notification_sent",
        "answer_sent",
        "forwarded",
    ]
    assert any("Rețeaua de apă" in m.body for m in mailoutbox)


def test_reroute_to_another_department_keeps_deadlines(city):
    case = started(city)
    due = case.legal_due
    case = services.redirect(
        case_id=case.pk, actor=city.officer, to=city.lighting, reason="Iluminat"
    )
    assert (case.status, case.department, case.assignee, case.legal_due) == (
        "assigned",
        city.lighting,
        None,
        due,
    )
    # The officer who sent it away no longer acts on it; the lighting officer does.
    with pytest.raises(NotAllowed):
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(case_id=case.pk, actor=city.lighting_officer, action=Action.START)


def test_reroute_to_the_same_department_is_refused(city):
    case = started(city)
    with pytest.raises(DomainError, match="already"):
        services.redirect(case_id=case.pk, actor=city.officer, to=city.technical, reason="x")


def test_merge_records_on_both_cases(city):
    earlier = city.report()
    later = city.report()
    merged = services.merge(
        case_id=later.pk, into_case_id=earlier.pk, actor=city.dispatcher, reason="Aceeași groapă"
    )
    assert merged.status == "merged"
    assert merged.merged_into == earlier
    merged_in = earlier.events.get(kind="merged_in")
    assert merged_in.data == {"case": later.pk, "number": later.number}


def test_merge_into_itself_or_into_a_closed_case_is_refused(city):
    case = city.report()
    with pytest.raises(DomainError, match="itself"):
        services.merge(case_id=case.pk, into_case_id=case.pk, actor=city.dispatcher)
    rejected = city.report()
    services.change_status(
        case_id=rejected.pk, actor=city.dispatcher, action=Action.REJECT, text="Anonim"
    )
    with pytest.raises(DomainError, match="no longer open"):
        services.merge(case_id=case.pk, into_case_id=rejected.pk, actor=city.dispatcher)


def test_merge_joins_the_same_petitioners_cases_only(city):
    earlier = city.report()
    neighbour = create_contact(name="Maria Vecina", email="maria@example.org")
    by_neighbour = city.report(reporter=neighbour)
    with pytest.raises(DomainError, match=r"not sent by the same petitioner.*Link the two cases"):
        services.merge(case_id=by_neighbour.pk, into_case_id=earlier.pk, actor=city.dispatcher)
    anonymous, also_anonymous = city.report(reporter=None), city.report(reporter=None)
    with pytest.raises(DomainError, match="same petitioner"):
        services.merge(case_id=also_anonymous.pk, into_case_id=anonymous.pk, actor=city.dispatcher)
    assert not Event.objects.filter(kind="merged_in").exists()

    # A duplicate contact of the same person, merged by staff, is the same petitioner.
    old_record = create_contact(name="Ion Popescu", phone="0744 999 000")
    merge_contacts(keep=city.resident, duplicate=old_record, actor=city.dispatcher)
    by_old_record = city.report(reporter=old_record)
    merged = services.merge(
        case_id=by_old_record.pk, into_case_id=earlier.pk, actor=city.dispatcher
    )
    assert merged.merged_into == earlier


def test_reopen_clears_the_resolution(city):
    case = started(city)
    services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Gata", decision=GRANTED
    )
    case = services.reopen(case_id=case.pk, actor=city.head, reason="Groapa a reapărut")
    assert case.status == "in_progress"
    assert case.resolved_at is None
    assert case.events.filter(kind="reopened").exists()


def test_cancelled_registration_keeps_its_number(city):
    case = city.report()
    city.report()
    cancelled = services.cancel_registration(
        case_id=case.pk, actor=city.dispatcher, reason="Înregistrată de două ori"
    )
    assert cancelled.status == "cancelled"
    assert cancelled.number == f"1/{cancelled.registration_year}"
    assert city.report().registration_number == 3


class TestExtendDeadline:
    def test_extension_moves_the_deadline_and_tells_the_resident(
        self, city, mailoutbox, django_capture_on_commit_callbacks
    ):
        with at(0):
            case = started(city)
        with at(24 * 10), django_capture_on_commit_callbacks(execute=True):
            case = services.extend_deadline(
                case_id=case.pk, actor=city.head, days=15, notice="Necesită expertiză."
            )
        assert case.legal_due == date(2026, 4, 17)
        # 2 March + 45 days is Thursday 16 April.
        assert case.internal_due == date(2026, 4, 16)
        assert case.legal_extended_days == 15
        event = case.events.get(kind="deadline_extended")
        assert event.public
        assert event.data == {
            "from": "2026-04-02",
            "to": "2026-04-17",
            "internal_from": "2026-04-01",
            "internal_to": "2026-04-16",
        }
        assert any("17.04.2026" in m.body and "expertiză" in m.body for m in mailoutbox)

    def test_notice_is_mandatory(self, city):
        case = started(city)
        with pytest.raises(DomainError, match="notice"):
            services.extend_deadline(case_id=case.pk, actor=city.head, days=15, notice="")

    def test_only_once(self, city):
        case = started(city)
        services.extend_deadline(case_id=case.pk, actor=city.head, days=5, notice="a")
        with pytest.raises(DomainError, match="once"):
            services.extend_deadline(case_id=case.pk, actor=city.head, days=5, notice="b")

    def test_not_by_the_dispatcher(self, city):
        case = started(city)
        with pytest.raises(NotAllowed):
            services.extend_deadline(case_id=case.pk, actor=city.dispatcher, days=5, notice="a")

    def test_not_on_a_new_case(self, city):
        case = city.report()
        with pytest.raises(DomainError):
            services.extend_deadline(case_id=case.pk, actor=city.supervisor, days=5, notice="a")


def test_notes_are_internal(city, mailoutbox, django_capture_on_commit_callbacks):
    case = started(city)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        note = services.add_note(case_id=case.pk, actor=city.officer, text="Sun la drumuri")
    assert callbacks == []
    assert not note.public
    assert mailoutbox == []
    with pytest.raises(NotAllowed):
        services.add_note(case_id=case.pk, actor=city.lighting_officer, text="x")


def test_message_to_the_resident(city, mailoutbox, django_capture_on_commit_callbacks):
    case = started(city)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.message_resident(
            case_id=case.pk, actor=city.officer, text="Revenim mâine."
        )
    assert event.public
    [mail] = mailoutbox
    assert "Revenim mâine." in mail.body
    anonymous = started(city, reporter=None)
    with pytest.raises(DomainError, match="no resident"):
        services.message_resident(case_id=anonymous.pk, actor=city.officer, text="x")


def test_correct_details_records_old_and_new(city):
    case = city.report()
    pothole_target = case.service_due
    case = services.correct_details(
        case_id=case.pk, actor=city.dispatcher, category=city.noise, priority=3
    )
    edited = case.events.get(kind="edited")
    # Noise complaints carry no service target: the pothole's 7 working days no longer apply.
    assert case.service_due is None
    previous_target, new_target = edited.data.pop("service_due")
    assert (datetime.fromisoformat(previous_target), new_target) == (pothole_target, None)
    assert edited.data == {
        "category": [city.pothole.pk, city.noise.pk],
        "priority": [2, 3],
    }
    with pytest.raises(NotAllowed):
        services.correct_details(case_id=case.pk, actor=city.clerk, priority=1)


def test_attachment_added_later(city):
    case = started(city)
    attachment = services.add_attachment(
        case_id=case.pk, actor=city.officer, upload=Upload(name="raport.pdf", content=minimal_pdf())
    )
    assert attachment.case == case
    assert case.events.filter(kind="attachment").count() == 1


def test_events_cannot_be_changed_or_deleted(city):
    case = city.report()
    event = case.events.get()
    event.text = "rescris"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(case=case).update(text="x")
    with pytest.raises(TypeError):
        Event.objects.filter(case=case).delete()


def test_may_tells_which_buttons_to_show(city):
    case = city.report()
    assert services.may(city.dispatcher, case, Action.ASSIGN)
    assert not services.may(city.officer, case, Action.ASSIGN)
    assert not services.may(city.dispatcher, case, Action.START)


def test_notes_messages_and_feedback_are_kept_without_control_characters(city):
    case = started(city)
    note = services.add_note(case_id=case.pk, actor=city.officer, text="Sun\x00 la\x0bdrumuri")
    message = services.message_resident(case_id=case.pk, actor=city.officer, text="Revenim\x1b.")
    assert (note.text, message.text) == ("Sun la\ndrumuri", "Revenim.")
    with pytest.raises(DomainError):
        services.add_note(case_id=case.pk, actor=city.officer, text="\x00\x07")
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Astupată\x00.",
        decision=GRANTED,
    )
    case = services.record_feedback(case_id=case.pk, satisfied=False, comment="Tot\x0b acolo\x85")
    assert case.events.get(kind="feedback").text == "Tot\n acolo"
