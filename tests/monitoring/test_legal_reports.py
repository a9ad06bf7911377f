"""The figures of the two legal reports, counted from a register whose expected figures are
worked out by hand below (the cases are in legal_fixture.py)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cetate.monitoring.legal_reports.information import information_report
from cetate.monitoring.legal_reports.periods import Period, last_half_year, last_year
from cetate.monitoring.legal_reports.petitions import petitions_report
from tests.monitoring.legal_fixture import information_register, petitions_register

FIRST_HALF_2026 = Period(date(2026, 1, 1), date(2026, 6, 30))
YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))


def test_the_default_periods_are_the_last_ones_that_ended():
    assert last_half_year(date(2026, 12, 7)) == FIRST_HALF_2026
    assert last_half_year(date(2026, 6, 30)) == Period(date(2025, 7, 1), date(2025, 12, 31))
    assert last_year(date(2027, 1, 1)) == YEAR_2026


def test_petitions_report_counts_the_half_year(city):
    petitions_register(city)

    with CaptureQueriesContext(connection) as queries:
        report = petitions_report(FIRST_HALF_2026)

    # P4 P5 P6 P7 P8 P9 P10 P11 P12 P14; P13 was cancelled; I, C and the question are not
    # petitions.
    assert report.received == 10
    assert report.received_by_kind == {"request": 5, "complaint": 2, "report": 2, "proposal": 1}
    assert report.received_by_channel == {
        "portal": 1,
        "phone": 1,
        "email": 4,
        "kiosk": 1,
        "desk": 1,
        "post": 1,
        "api": 1,
    }
    assert report.cancelled == 1
    # P1 (registered before the period), P4, P5, P6, P7, P8, P9 (merged), P14; P12 answered
    # after it.
    assert report.solved == 8
    assert report.solved_by_outcome == {
        "granted": 2,
        "partly_granted": 1,
        "refused": 1,
        "redirected": 1,
        "filed": 1,
        "joined": 1,
        "": 1,
    }
    # Late: P5 as recorded, P6 by its dates.
    assert (report.on_time, report.late) == (6, 2)
    # P2 and P10 past their deadline; P11 not yet; P12 answered after the period.
    assert (report.open_at_end, report.overdue_at_end) == (4, 2)
    by_department = {
        row.department.code if row.department else None: (
            row.received,
            row.solved,
            row.on_time,
            row.late,
        )
        for row in report.departments
    }
    assert by_department == {
        "technical": (5, 4, 3, 1),
        "lighting": (3, 2, 1, 1),
        None: (2, 2, 2, 0),
    }
    # One grouped query, and one naming the departments.
    assert len(queries) == 2


def test_information_report_counts_the_year(city):
    information_register(city)

    with CaptureQueriesContext(connection) as queries:
        report = information_report(YEAR_2026)

    assert report.received == 11
    assert report.received_by_requester == {"person": 8, "organisation": 3, "": 0}
    assert report.received_by_addressing == {"paper": 2, "electronic": 8, "verbal": 1}
    assert report.received_by_topic == {
        "public_money": 2,
        "duties": 2,
        "regulations": 1,
        "leaders": 2,
        "law_544": 1,
        "other": 1,
        "": 2,
    }
    # I0 (registered in 2025), I1, I2 (extended to 30 days), I3 (late), I4 (redirected), I11.
    assert report.favourable == 6
    assert report.favourable_by_term == {
        "redirected": 1,
        "within_10_days": 3,
        "within_30_days": 1,
        "exceeded": 1,
    }
    assert report.favourable_by_communication == {
        "electronic": 3,
        "paper": 2,
        "verbal": 0,
        "": 1,
    }
    assert report.favourable_by_topic == {
        "public_money": 2,
        "duties": 2,
        "regulations": 1,
        "leaders": 0,
        "law_544": 0,
        "other": 1,
        "": 0,
    }
    assert report.refused_by_ground == {"exempted": 1, "not_held": 1, "other": 1, "": 1}
    assert report.refused_by_topic == {
        "public_money": 0,
        "duties": 0,
        "regulations": 0,
        "leaders": 2,
        "law_544": 1,
        "other": 0,
        "": 1,
    }
    # I8 still open; I9 answered in 2027.
    assert report.not_solved_at_end == 2
    complaints = report.administrative_complaints
    assert (complaints.upheld, complaints.rejected, complaints.pending, complaints.other) == (
        1,
        2,
        1,
        0,
    )
    assert complaints.total == 4
    court = report.court_complaints
    assert (court.upheld, court.rejected, court.pending, court.total) == (1, 1, 1, 3)
    assert len(queries) == 1


def test_each_report_leaves_out_the_others_cases(city):
    information_register(city)
    petitions = petitions_report(YEAR_2026)
    # Only the one petition among the information requests and complaints.
    assert (petitions.received, petitions.solved) == (1, 1)


def test_an_empty_period_counts_nothing(city):
    petitions_register(city)
    information_register(city)
    quiet = Period(date(2024, 1, 1), date(2024, 6, 30))
    assert petitions_report(quiet).received == 0
    assert information_report(quiet).received == 0
