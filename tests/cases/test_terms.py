"""The city's stricter due date beside the law's, extensions and who decides them, and
administrative complaints against the answer to a public-information request."""

import doctest
import importlib
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps

from cetate.cases import deadlines, services
from cetate.cases.choices import EventKind, Kind
from cetate.cases.deadlines import (
    CITY_TZ,
    ExtensionRefused,
    administrative_complaint_deadline,
    internal_deadline,
    internal_term_end,
    strict_term_end,
    term_end,
)
from cetate.cases.errors import NotAllowed
from cetate.cases.models import Case
from cetate.cases.services.intake import InvalidCase
from cetate.cases.services.reminders import sweep_deadlines
from cetate.cases.workflow import Action
from cetate.lib.calendar import WorkCalendar
from cetate.test import GRANTED

CAL = WorkCalendar()


def test_the_examples_in_the_deadline_rules_hold():
    flags = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL
    failed, tried = doctest.testmod(deadlines, optionflags=flags)
    assert tried >= 10
    assert failed == 0


@pytest.mark.parametrize(
    ("registered", "days", "due"),
    [
        # The design's four vectors still give the law's latest date.
        (date(2025, 12, 1), 30, date(2026, 1, 5)),
        (date(2026, 4, 2), 10, date(2026, 4, 14)),
        (date(2026, 5, 26), 5, date(2026, 6, 2)),
        (date(2027, 4, 1), 30, date(2027, 5, 4)),
    ],
)
def test_the_legal_deadline_keeps_the_design_vectors(registered, days, due):
    assert term_end(registered, days, CAL) == due
    assert internal_term_end(registered, days, CAL, rule="legal") == due


@pytest.mark.parametrize(
    ("registered", "days", "due"),
    [
        # The same registrations, counted strictly: 1 December + 30 is Wednesday 31 December.
        (date(2025, 12, 1), 30, date(2025, 12, 31)),
        # 2 April + 10 is Easter Sunday 12 April; Good Friday is off too: Thursday 9 April.
        (date(2026, 4, 2), 10, date(2026, 4, 9)),
        # 26 May + 5 is Sunday 31 May (Pentecost): back to Friday 29 May.
        (date(2026, 5, 26), 5, date(2026, 5, 29)),
        # 1 April 2027 + 30 is Saturday 1 May (Labour Day), after Good Friday: Thursday 29 April.
        (date(2027, 4, 1), 30, date(2027, 4, 29)),
        # + 30 falls on Saturday 4 April 2026: the Friday before.
        (date(2026, 3, 5), 30, date(2026, 4, 3)),
        # + 30 falls on Good Friday, 10 April 2026: the working day before, Thursday 9 April.
        (date(2026, 3, 11), 30, date(2026, 4, 9)),
        # + 30 is a working day: kept (Wednesday 1 April).
        (date(2026, 3, 2), 30, date(2026, 4, 1)),
    ],
)
def test_the_internal_due_date_counts_strictly_and_moves_back_off_days_off(registered, days, due):
    assert strict_term_end(registered, days, CAL) == due
    assert internal_term_end(registered, days, CAL, rule="strict") == due


def test_a_granted_day_off_moves_the_internal_date_back():
    granted = WorkCalendar.with_days_off([date(2026, 4, 1)])
    assert strict_term_end(date(2026, 3, 2), 30, granted) == date(2026, 3, 31)


def test_the_internal_date_is_never_after_the_legal_one():
    start = date(2025, 12, 1)
    for offset in range(0, 800, 3):
        registered = start + timedelta(days=offset)
        for days in (5, 10, 15, 30, 45):
            internal = strict_term_end(registered, days, CAL)
            assert internal <= term_end(registered, days, CAL)
            assert CAL.is_working_day(internal)
            assert registered < internal <= registered + timedelta(days=days)


def test_the_internal_date_by_kind():
    registered = date(2026, 3, 5)
    assert internal_deadline("request", registered, CAL, rule="strict") == date(2026, 4, 3)
    assert internal_deadline("information", registered, CAL, rule="strict") == date(2026, 3, 13)
    assert internal_deadline("inquiry", registered, CAL, rule="strict") is None
    complaint = internal_deadline(
        "complaint", registered, CAL, rule="strict", administrative_complaint=True
    )
    # 5 March + 15 is Friday 20 March.
    assert complaint == date(2026, 3, 20)


def test_an_administrative_complaint_has_fifteen_days():
    # 4 May 2026 + 16 = Wednesday 20 May.
    assert administrative_complaint_deadline(date(2026, 5, 4), CAL) == date(2026, 5, 20)
    assert deadlines.legal_deadline(
        "complaint", date(2026, 5, 4), CAL, administrative_complaint=True
    ) == date(2026, 5, 20)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


THURSDAY = datetime(2026, 3, 5, 10, 0, tzinfo=CITY_TZ)


def started(city, **fields):
    case = city.report(**fields)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    return services.change_status(case_id=case.pk, actor=city.head, action=Action.START)


class TestRegistration:
    def test_a_case_stores_the_law_s_date_and_the_stricter_one(self, city):
        with at(THURSDAY):
            case = city.report()
        assert case.legal_due == date(2026, 4, 6)  # 5 April is a Sunday: Monday 6
        assert case.internal_due == date(2026, 4, 3)  # 4 April is a Saturday: Friday 3

    def test_the_city_may_hold_itself_to_the_legal_date(self, city, settings):
        settings.INTERNAL_DUE_RULE = "legal"
        with at(THURSDAY):
            case = city.report()
        assert case.internal_due == case.legal_due == date(2026, 4, 6)

    def test_a_question_has_neither(self, city):
        case = city.report(
            kind=Kind.INQUIRY, category=None, answer_on_spot="Da.", description="Program?"
        )
        assert case.legal_due is None and case.internal_due is None

    def test_a_case_closed_before_the_city_kept_the_date_gets_it_when_reopened(self, city):
        with at(THURSDAY):
            case = started(city)
            services.change_status(
                case_id=case.pk,
                actor=city.head,
                action=Action.RESOLVE,
                text="Gata.",
                decision=GRANTED,
            )
        Case.objects.filter(pk=case.pk).update(internal_due=None)
        with at(THURSDAY + timedelta(days=3)):
            case = services.reopen(case_id=case.pk, actor=city.head, reason="Nu e gata.")
        assert case.internal_due == date(2026, 4, 3)


class TestWhoExtends:
    def test_an_officer_may_not_extend_when_the_head_decides(self, city):
        with at(THURSDAY):
            case = started(city)
            with pytest.raises(NotAllowed):
                services.extend_deadline(case_id=case.pk, actor=city.officer, days=5, notice="a")
            extended = services.extend_deadline(
                case_id=case.pk, actor=city.head, days=5, notice="a"
            )
        assert extended.legal_extended_days == 5

    def test_the_city_may_let_officers_decide(self, city, settings):
        settings.EXTENSION_DECIDED_BY = "officer"
        with at(THURSDAY):
            case = started(city)
            extended = services.extend_deadline(
                case_id=case.pk, actor=city.officer, days=5, notice="a"
            )
        assert extended.legal_extended_days == 5

    def test_a_supervisor_may_always_extend(self, city):
        with at(THURSDAY):
            case = started(city)
            extended = services.extend_deadline(
                case_id=case.pk, actor=city.supervisor, days=15, notice="a"
            )
        # 5 March + 45 days = Sunday 19 April: legal Monday 20, internal Friday 17.
        assert (extended.legal_due, extended.internal_due) == (date(2026, 4, 20), date(2026, 4, 17))


class TestInformationExtension:
    registered = datetime(2026, 4, 2, 10, 0, tzinfo=CITY_TZ)

    def request(self, city):
        with at(self.registered):
            return started(city, kind=Kind.INFORMATION, category=None)

    def test_refused_once_the_ten_days_have_passed(self, city):
        case = self.request(city)
        assert case.legal_due == date(2026, 4, 14)
        with (
            at(datetime(2026, 4, 15, 9, 0, tzinfo=CITY_TZ)),
            pytest.raises(ExtensionRefused, match="within the 10 days"),
        ):
            services.extend_deadline(
                case_id=case.pk, actor=city.head, days=20, notice="Cerere complexă."
            )
        case.refresh_from_db()
        assert (case.legal_due, case.legal_extended_days) == (date(2026, 4, 14), 0)

    def test_allowed_within_the_ten_days_with_the_notice_sent_to_the_resident(
        self, city, mailoutbox, django_capture_on_commit_callbacks
    ):
        case = self.request(city)
        mailoutbox.clear()
        with (
            at(datetime(2026, 4, 14, 15, 0, tzinfo=CITY_TZ)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            case = services.extend_deadline(
                case_id=case.pk, actor=city.head, days=20, notice="Cerere complexă."
            )
        # 2 April + 31 = Sunday 3 May (Labour Day is Friday 1): Monday 4 May; strictly, 2 May
        # is a Saturday after Labour Day: Thursday 30 April.
        assert (case.legal_due, case.internal_due) == (date(2026, 5, 4), date(2026, 4, 30))
        notice = case.events.get(kind=EventKind.DEADLINE_EXTENDED)
        assert notice.public and notice.text == "Cerere complexă."
        assert any("Cerere complexă." in m.body for m in mailoutbox)


class TestAdministrativeComplaint:
    def test_it_contests_an_information_request_and_has_fifteen_days(self, city):
        with at(THURSDAY):
            request = city.report(kind=Kind.INFORMATION, category=None)
            complaint = city.report(kind=Kind.COMPLAINT, category=None, contests=request)
        assert complaint.contests == request
        assert list(request.administrative_complaints.all()) == [complaint]
        # 5 March + 16 = Saturday 21 March: Monday 23; strictly Friday 20 March.
        assert (complaint.legal_due, complaint.internal_due) == (
            date(2026, 3, 23),
            date(2026, 3, 20),
        )
        created = complaint.events.get(kind=EventKind.CREATED)
        assert created.data["contests"] == request.pk
        assert created.data["contests_number"] == request.number

    def test_only_an_information_request_can_be_contested(self, city):
        report = city.report()
        with pytest.raises(InvalidCase, match="is not a request for public information"):
            city.report(kind=Kind.COMPLAINT, category=None, contests=report)

    def test_only_a_complaint_contests(self, city):
        request = city.report(kind=Kind.INFORMATION, category=None)
        with pytest.raises(InvalidCase, match="Only a complaint"):
            city.report(kind=Kind.REQUEST, category=None, contests=request)

    def test_its_term_is_not_extended(self, city):
        with at(THURSDAY):
            request = city.report(kind=Kind.INFORMATION, category=None)
            complaint = started(city, kind=Kind.COMPLAINT, category=None, contests=request)
            with pytest.raises(ExtensionRefused, match=r"art\. 21"):
                services.extend_deadline(case_id=complaint.pk, actor=city.head, days=5, notice="a")


def test_a_reminder_fires_on_the_internal_date_before_the_law_s(city):
    with at(THURSDAY):
        case = started(city, kind=Kind.COMPLAINT, category=city.noise)
    # Tuesday 31 March: three days to the internal Friday 3 April, six to the legal Monday 6.
    with at(datetime(2026, 3, 31, 9, 0, tzinfo=CITY_TZ)):
        result = sweep_deadlines()
    [reminder] = result.reminders
    assert reminder.case_id == case.pk
    assert reminder.data["stage"] == "due_soon"
    assert reminder.data["due"] == "2026-04-03"
    # Saturday 4 April: past the internal date although the law's has two days to go.
    with at(datetime(2026, 4, 4, 9, 0, tzinfo=CITY_TZ)):
        late = sweep_deadlines()
    assert [event.data["stage"] for event in late.reminders] == ["overdue"]
    assert [event.data["due"] for event in late.escalations] == ["2026-04-03"]


def test_the_migration_gives_open_cases_their_internal_date_and_leaves_closed_ones(city):
    migration = importlib.import_module("cetate.cases.migrations.0012_terms_internal_due")
    with at(THURSDAY):
        open_case = city.report()
        closed = started(city)
        services.change_status(
            case_id=closed.pk, actor=city.head, action=Action.RESOLVE, text="x", decision=GRANTED
        )
        question = city.report(
            kind=Kind.INQUIRY, category=None, answer_on_spot="Da.", description="Program?"
        )
    Case.objects.update(internal_due=None)

    migration.give_open_cases_their_internal_due(django_apps, None)

    dues = dict(Case.objects.values_list("pk", "internal_due"))
    assert dues == {open_case.pk: date(2026, 4, 3), closed.pk: None, question.pk: None}
