"""load_demo_cases: a year of demo cases that reads like a real register."""

from collections import defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from shapely.geometry import Point, shape

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case, Event
from cetate.cases.queries import is_overdue
from cetate.cases.services.reminders import sweep_deadlines
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.contacts.models import Contact
from cetate.demo.cases import load_demo_cases
from cetate.demo.mode import DemoDataError
from cetate.demo.texts import WRITTEN
from cetate.directory.lookup import work_calendar
from cetate.outbox.models import OutgoingMail

COUNT = 150
# How late the latest open case may be, in working days past its due date.
MOST_DAYS_LATE = 10


@pytest.fixture
def loaded(city):
    report = load_demo_cases(count=COUNT, seed=2)
    assert report.refused == []
    return report


def test_a_year_of_demo_cases_reads_like_a_real_register(loaded, city):
    """One load, every property a visitor of the demo would notice (loading takes seconds)."""
    _every_case_is_a_numbered_demo_case(loaded, city)
    _numbers_are_gapless_per_year_and_rise_with_dates(loaded, city)
    _histories_start_with_registration_and_run_in_order(loaded, city)
    _spread_over_the_last_twelve_months(loaded, city)
    _statuses_kinds_and_channels_are_varied(loaded, city)
    _merged_cases_point_to_an_earlier_case(loaded, city)
    _redirected_cases_went_to_an_external_organisation(loaded, city)
    _every_place_is_inside_the_city(loaded, city)
    _residents_and_actors_are_invented(loaded, city)
    _the_last_months_phone_cases_came_by_calls_and_some_calls_wait_for_a_call_back(loaded, city)
    _answers_mostly_came_in_time(loaded, city)
    _few_open_cases_are_late_and_by_days_not_months(loaded, city)
    _titles_and_descriptions_belong_to_their_category(loaded, city)
    _starting_the_server_mails_nobody_about_the_past(loaded, city)
    _loading_again_changes_nothing(loaded, city)


def _every_case_is_a_numbered_demo_case(loaded, city):
    cases = list(Case.objects.all())
    assert len(cases) == COUNT == loaded.cases
    for case in cases:
        assert case.is_demo
        assert case.registration_number >= 1
        assert len(case.tracking_code) == 10


def _numbers_are_gapless_per_year_and_rise_with_dates(loaded, city):
    by_year = defaultdict(list)
    for year, number in Case.objects.values_list("registration_year", "registration_number"):
        by_year[year].append(number)
    for numbers in by_year.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    in_register_order = Case.objects.order_by("registration_year", "registration_number")
    dates = list(in_register_order.values_list("registered_at", flat=True))
    assert dates == sorted(dates)


def _histories_start_with_registration_and_run_in_order(loaded, city):
    now = timezone.now()
    events = defaultdict(list)
    for event in Event.objects.order_by("case_id", "seq"):
        events[event.case_id].append(event)
    for case in Case.objects.all():
        history = events[case.pk]
        assert history[0].kind == "created"
        assert history[0].at == case.registered_at
        assert [e.seq for e in history] == list(range(1, len(history) + 1))
        assert case.last_event_seq == len(history)
        moments = [e.at for e in history]
        assert moments == sorted(moments)
        assert moments[-1] <= now


def _spread_over_the_last_twelve_months(loaded, city):
    now = timezone.now()
    dates = sorted(Case.objects.values_list("registered_at", flat=True))
    assert dates[-1] <= now
    assert (now - dates[0]).days <= 366
    assert (dates[-1] - dates[0]).days > 300


def _statuses_kinds_and_channels_are_varied(loaded, city):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        Status.CLOSED,
        Status.RESOLVED,
        Status.REJECTED,
        Status.REDIRECTED,
        Status.MERGED,
        Status.CANCELLED,
    } <= statuses
    assert statuses & OPEN_STATUSES
    closed = Case.objects.filter(status=Status.CLOSED).count()
    assert closed > COUNT / 2
    assert set(Case.objects.values_list("kind", flat=True)) == {
        "request",
        "complaint",
        "report",
        "proposal",
        "information",
        "inquiry",
    }
    assert len(set(Case.objects.values_list("channel", flat=True))) >= 5
    assert Case.objects.filter(legal_extended_days__gt=0).exists()


def _merged_cases_point_to_an_earlier_case(loaded, city):
    merged = Case.objects.filter(status=Status.MERGED).select_related("merged_into")
    assert merged
    for case in merged:
        into = case.merged_into
        assert into is not None
        assert into.registered_at < case.registered_at
        assert Event.objects.filter(case=into, kind="merged_in").exists()


def _redirected_cases_went_to_an_external_organisation(loaded, city):
    redirected = Case.objects.filter(status=Status.REDIRECTED)
    assert redirected
    assert set(redirected.values_list("redirected_to", flat=True)) == {city.water_operator.pk}


def _every_place_is_inside_the_city(loaded, city):
    boundary = shape(city.boundary.geometry)
    located = Case.objects.filter(latitude__isnull=False)
    assert located.count() > COUNT / 2
    for case in located:
        assert case.latitude is not None and case.longitude is not None
        assert boundary.covers(Point(case.longitude, case.latitude))


def _residents_and_actors_are_invented(loaded, city):
    residents = Contact.objects.filter(is_demo=True)
    assert residents.count() >= 10
    for contact in residents:
        assert contact.name
        assert contact.email or contact.phone
        assert not contact.email or contact.email.endswith(("@example.org", "@example.com"))
        assert not contact.phone or contact.phone.startswith("+407")
    reporters = Case.objects.filter(reporter__isnull=False).values_list("reporter", flat=True)
    assert set(reporters) <= set(residents.values_list("pk", flat=True))
    actors = set(
        Event.objects.filter(actor__isnull=False).values_list("actor__username", flat=True)
    )
    assert actors
    assert all(name.startswith("demo-") for name in actors)


def _loading_again_changes_nothing(loaded, city):
    counts = (Case.objects.count(), Event.objects.count(), Contact.objects.count())
    again = load_demo_cases(count=COUNT, seed=3)
    assert again.already_loaded
    assert again.cases == COUNT
    assert (Case.objects.count(), Event.objects.count(), Contact.objects.count()) == counts


def test_the_command_prints_what_it_loaded(city):
    out = StringIO()
    call_command("load_demo_cases", "--count", "40", "--seed", "1", stdout=out)
    assert "Registered 40 demo cases" in out.getvalue()
    assert Case.objects.filter(is_demo=True).count() == 40
    out = StringIO()
    call_command("load_demo_cases", stdout=out)
    assert "nothing was added" in out.getvalue()
    assert Case.objects.count() == 40


def test_refuses_outside_demo_mode(city, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="CETATE_DEMO=true"):
        call_command("load_demo_cases", "--count", "5")
    assert not Case.objects.exists()


def test_refuses_a_register_that_holds_real_cases(city):
    city.report()
    with pytest.raises(DemoDataError, match="empty register"):
        load_demo_cases(count=5)
    assert Case.objects.count() == 1


def test_refuses_a_city_without_boundary(db):
    with pytest.raises(DemoDataError, match="boundary"):
        load_demo_cases(count=5)
    assert not Case.objects.exists()


def _the_last_months_phone_cases_came_by_calls_and_some_calls_wait_for_a_call_back(loaded, city):
    from datetime import timedelta

    from cetate.telephony.models import Call
    from cetate.telephony.services import missed_calls

    month_ago = timezone.now() - timedelta(days=30)
    by_phone = Case.objects.filter(channel="phone", registered_at__gte=month_ago)
    assert by_phone.exists()
    for case in by_phone:
        call = Call.objects.get(case=case)
        assert call.answered_at is not None and call.ended_at is not None
        assert call.staff.username == "demo-dispecer"
        assert call.started_at < call.answered_at < call.ended_at <= case.registered_at
    assert missed_calls().count() == 6
    assert loaded.calls == Call.objects.count()


def _answers_mostly_came_in_time(loaded, city):
    """Answered within the date the city holds itself to, as a well-run city hall does."""
    answered = Case.objects.filter(resolved_at__isnull=False, internal_due__isnull=False)
    assert answered.count() > COUNT / 2
    in_time = []
    for case in answered:
        assert case.resolved_at is not None and case.internal_due is not None
        in_time.append(case.resolved_at.astimezone(CITY_TZ).date() <= case.internal_due)
    assert sum(in_time) / len(in_time) >= 0.85
    assert not all(in_time)  # a few are late, as in any city hall
    assert Case.objects.filter(answered_on_time=True).count() >= 0.85 * answered.count()


def _few_open_cases_are_late_and_by_days_not_months(loaded, city):
    now = timezone.now()
    today = now.astimezone(CITY_TZ).date()
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    assert open_cases.exists()
    late = open_cases.filter(is_overdue(now))
    assert late.count() <= max(2, 0.05 * open_cases.count())
    calendar = work_calendar()
    for case in late.filter(internal_due__lt=today):
        assert case.internal_due is not None
        assert calendar.working_days_between(case.internal_due, today) <= MOST_DAYS_LATE
    # Open cases are the recent ones: older ones were answered long ago.
    assert not open_cases.filter(registered_at__lt=now - timedelta(days=60)).exists()


def _titles_and_descriptions_belong_to_their_category(loaded, city):
    """A category's own texts never appear in another one; a category without texts of its
    own is named in the general text."""
    own = {
        template.title: key.rpartition(":")[2]
        for key, templates in WRITTEN.items()
        if "." in key
        for template in templates
    }
    cases = Case.objects.filter(category__isnull=False).select_related("category")
    assert {case.category for case in cases} >= {city.pothole, city.lamp}
    for case in cases:
        code, name = case.category.code, case.category.name.casefold()
        assert own.get(case.title, code) == code, (case.title, code)
        if case.kind == "report" and code in WRITTEN:
            assert case.title in {template.title for template in WRITTEN[code]}
        elif case.title not in own:
            assert name in case.title.casefold() or name in case.description.casefold()


def _starting_the_server_mails_nobody_about_the_past(loaded, city):
    """The replayed history owes no mail, and its deadline reminders and escalations are
    recorded: the server's first sweep mails only what falls due now."""
    assert not OutgoingMail.objects.exists()
    assert Event.objects.filter(kind="deadline_reminder").exists()
    escalated = Event.objects.filter(kind="deadline_escalated").select_related("case")
    assert escalated.exists()
    sweep_deadlines()
    assert OutgoingMail.objects.count() <= 3
