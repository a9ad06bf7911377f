from datetime import date, datetime, timedelta
from typing import Any

import pytest

from cetate.cases.deadlines import (
    CITY_TZ,
    DeadlineState,
    ExtensionRefused,
    deadline_state,
    extend_legal_deadline,
    legal_deadline,
    refusal_deadline,
    service_due,
    term_end,
)
from cetate.lib.calendar import WorkCalendar

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("registered", "days", "due"),
    [
        # The four vectors of the design: holidays, weekends, Easter and Pentecost.
        (date(2025, 12, 1), 30, date(2026, 1, 5)),
        (date(2026, 4, 2), 10, date(2026, 4, 14)),
        (date(2026, 5, 26), 5, date(2026, 6, 2)),
        (date(2027, 4, 1), 30, date(2027, 5, 4)),
    ],
)
def test_design_vectors(registered, days, due):
    assert term_end(registered, days, CAL) == due


def test_term_on_a_working_day_is_not_moved():
    # 2026-03-02 + 31 = 2026-04-02, a Thursday.
    assert term_end(date(2026, 3, 2), 30, CAL) == date(2026, 4, 2)


def test_days_off_granted_by_the_government_move_the_deadline():
    granted = WorkCalendar.with_days_off([date(2026, 4, 2)])
    assert term_end(date(2026, 3, 2), 30, granted) == date(2026, 4, 3)


def test_legal_deadline_by_kind():
    registered = date(2026, 3, 2)
    assert legal_deadline("report", registered, CAL) == date(2026, 4, 2)
    assert legal_deadline("complaint", registered, CAL) == date(2026, 4, 2)
    assert legal_deadline("information", registered, CAL) == date(2026, 3, 13)
    assert legal_deadline("inquiry", registered, CAL) is None


def test_refusal_of_information_within_five_days():
    # 2026-03-02 (Monday) + 6 = Sunday 8 → Monday 9.
    assert refusal_deadline(date(2026, 3, 2), CAL) == date(2026, 3, 9)


class TestExtension:
    def extend(self, **overrides):
        args: dict[str, Any] = {
            "kind": "request",
            "registered_on": date(2026, 3, 2),
            "current_due": date(2026, 4, 2),
            "already_extended": False,
            "days": 15,
            "today": date(2026, 3, 20),
            "calendar": CAL,
        }
        args.update(overrides)
        return extend_legal_deadline(**args)

    def test_petition_by_fifteen_days_counts_from_registration(self):
        extension = self.extend()
        # 2026-03-02 + 46 = 2026-04-17 (Friday; Orthodox Easter 2026 is 12 April).
        assert extension.new_due == date(2026, 4, 17)
        assert extension.days == 15

    def test_only_once(self):
        with pytest.raises(ExtensionRefused, match="only once"):
            self.extend(already_extended=True)

    def test_at_most_fifteen_days(self):
        with pytest.raises(ExtensionRefused):
            self.extend(days=16)
        with pytest.raises(ExtensionRefused):
            self.extend(days=0)

    def test_not_after_the_deadline_passed(self):
        with pytest.raises(ExtensionRefused, match="passed"):
            self.extend(today=date(2026, 4, 3))

    def test_on_the_last_day_is_still_in_time(self):
        assert self.extend(today=date(2026, 4, 2)).new_due == date(2026, 4, 17)

    def test_information_request_goes_to_thirty_days(self):
        extension = self.extend(
            kind="information", current_due=date(2026, 3, 13), days=0, today=date(2026, 3, 10)
        )
        assert extension.new_due == date(2026, 4, 2)
        assert extension.days == 20

    def test_inquiries_have_nothing_to_extend(self):
        with pytest.raises(ExtensionRefused):
            self.extend(kind="inquiry")


class TestServiceTarget:
    registered = datetime(2026, 4, 9, 15, 30, tzinfo=CITY_TZ)  # Thursday before Easter

    def test_hours_run_round_the_clock(self):
        due = service_due(
            registered_at=self.registered, target=24, unit="h", paused=timedelta(0), calendar=CAL
        )
        assert due == datetime(2026, 4, 10, 15, 30, tzinfo=CITY_TZ)

    def test_working_days_skip_weekend_and_holidays(self):
        due = service_due(
            registered_at=self.registered, target=2, unit="d", paused=timedelta(0), calendar=CAL
        )
        # Fri 10 (Good Friday), Sat, Sun 12 (Easter), Mon 13 (Easter Monday) are off.
        assert due == datetime(2026, 4, 15, 15, 30, tzinfo=CITY_TZ)

    def test_waiting_pauses_the_clock(self):
        due = service_due(
            registered_at=self.registered,
            target=24,
            unit="h",
            paused=timedelta(hours=5),
            calendar=CAL,
        )
        assert due == datetime(2026, 4, 10, 20, 30, tzinfo=CITY_TZ)

    def test_no_target_no_due(self):
        assert (
            service_due(
                registered_at=self.registered,
                target=None,
                unit="d",
                paused=timedelta(0),
                calendar=CAL,
            )
            is None
        )


def test_deadline_state():
    today = date(2026, 5, 10)
    assert deadline_state(None, today) == DeadlineState.NONE
    assert deadline_state(date(2026, 5, 20), today) == DeadlineState.ON_TIME
    assert deadline_state(date(2026, 5, 13), today) == DeadlineState.DUE_SOON
    assert deadline_state(date(2026, 5, 10), today) == DeadlineState.DUE_SOON
    assert deadline_state(date(2026, 5, 9), today) == DeadlineState.OVERDUE


def test_working_days_between():
    # Thu 9 April → Wed 15 April 2026: 14 and 15 are working days.
    assert CAL.working_days_between(date(2026, 4, 9), date(2026, 4, 15)) == 2
    assert CAL.working_days_between(date(2026, 4, 15), date(2026, 4, 9)) == -2
