"""What the register keeps of a case besides its number: when its department received it, the
file it is kept in, and the details staff record (the sender's number and date, pages,
annexes)."""

from datetime import date, datetime

import pytest

from cetate.cases import services
from cetate.cases.choices import EventKind, Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import NotAllowed
from cetate.cases.models import Case
from cetate.directory.models import FileCode
from cetate.lib.clock import replaying_at

REGISTERED = datetime(2026, 3, 2, 9, 0, tzinfo=CITY_TZ)
ROUTED = datetime(2026, 3, 3, 11, 30, tzinfo=CITY_TZ)
ACCEPTED = datetime(2026, 3, 4, 8, 45, tzinfo=CITY_TZ)


@pytest.fixture
def codes(city):
    """Roads' cases are filed under II-4, lamps' under their own III-1; noise has none."""
    roads = FileCode.objects.create(code="II-4", name="Petiții drumuri", retention_years=5)
    lamps = FileCode.objects.create(code="III-1", name="Iluminat public", retention_years=3)
    city.pothole.parent.file_code = roads
    city.pothole.parent.save()
    city.lamp.file_code = lamps
    city.lamp.save()
    return {"roads": roads, "lamps": lamps}


def test_a_case_is_handed_to_its_department_when_assigned_and_to_its_officer_when_accepted(
    city,
):
    with replaying_at(REGISTERED):
        case = city.report()
    assert case.handed_at is None
    with replaying_at(ROUTED):
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    assert Case.objects.get(pk=case.pk).handed_at == ROUTED
    with replaying_at(ACCEPTED):
        services.accept(case_id=case.pk, actor=city.officer)
    assert Case.objects.get(pk=case.pk).handed_at == ACCEPTED


def test_a_case_routed_at_registration_is_handed_over_at_once(city):
    with replaying_at(REGISTERED):
        case = city.report(auto_route=True)
    assert case.department == city.technical
    assert Case.objects.get(pk=case.pk).handed_at == REGISTERED


def test_a_case_sent_to_another_department_is_handed_to_it_then(city):
    with replaying_at(REGISTERED):
        case = city.report()
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    with replaying_at(ROUTED):
        services.redirect(case_id=case.pk, actor=city.dispatcher, to=city.lighting, reason="x")
    assert Case.objects.get(pk=case.pk).handed_at == ROUTED


def test_the_file_code_comes_from_the_category_else_its_group(city, codes):
    assert city.report().file_code == codes["roads"]  # the group's
    lamp = city.report(category=city.lamp, answers={"pole": "12"})
    assert lamp.file_code == codes["lamps"]  # the category's own
    assert city.report(category=city.noise).file_code is None
    assert city.report(kind=Kind.INQUIRY, category=None).file_code is None


def test_the_file_code_follows_a_corrected_category(city, codes):
    case = city.report()
    services.correct_details(case_id=case.pk, actor=city.dispatcher, category=city.lamp)
    case.refresh_from_db()
    assert case.file_code == codes["lamps"]
    edited = case.events.get(kind=EventKind.EDITED)
    assert edited.data["file_code"] == ["II-4", "III-1"]
    services.correct_details(case_id=case.pk, actor=city.dispatcher, category=city.noise)
    case.refresh_from_db()
    assert case.file_code is None


def test_register_details_are_recorded_with_their_old_and_new_values(city, codes):
    case = city.report()
    services.record_register_details(
        case_id=case.pk,
        actor=city.dispatcher,
        sender_reference=" 1234/A ",
        sender_reference_date=date(2026, 2, 27),
        pages=4,
        annexes=2,
        file_code=codes["lamps"],
    )
    case.refresh_from_db()
    assert (case.sender_reference, case.sender_reference_date) == ("1234/A", date(2026, 2, 27))
    assert (case.pages, case.annexes, case.file_code) == (4, 2, codes["lamps"])
    event = case.events.get(kind=EventKind.REGISTER_DETAILS)
    assert event.actor == city.dispatcher
    assert event.data == {
        "sender_reference": ["", "1234/A"],
        "sender_reference_date": [None, "2026-02-27"],
        "pages": [None, 4],
        "annexes": [None, 2],
        "file_code": ["II-4", "III-1"],
    }
    # The same details again change nothing and record nothing.
    services.record_register_details(
        case_id=case.pk,
        actor=city.dispatcher,
        sender_reference="1234/A",
        sender_reference_date=date(2026, 2, 27),
        pages=5,
        annexes=2,
        file_code=codes["lamps"],
    )
    second = case.events.filter(kind=EventKind.REGISTER_DETAILS).order_by("seq").last()
    assert second.data == {"pages": [4, 5]}


def test_register_details_are_for_staff_who_may_correct_the_case(city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    with pytest.raises(NotAllowed):
        services.record_register_details(
            case_id=case.pk,
            actor=city.officer,
            sender_reference="1",
            sender_reference_date=None,
            pages=None,
            annexes=None,
            file_code=None,
        )
    services.record_register_details(
        case_id=case.pk,
        actor=city.head,
        sender_reference="1",
        sender_reference_date=None,
        pages=None,
        annexes=None,
        file_code=None,
    )
    assert Case.objects.get(pk=case.pk).sender_reference == "1"


def test_cases_registered_before_the_new_columns_get_them_from_their_history(city, codes):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    backfill = import_module("cetate.cases.migrations.0013_register_backfill").backfill
    with replaying_at(REGISTERED):
        routed_at_once = city.report(auto_route=True)
        waiting = city.report(category=city.noise)
        accepted = city.report()
    with replaying_at(ROUTED):
        services.assign(case_id=accepted.pk, actor=city.dispatcher, department=city.technical)
    with replaying_at(ACCEPTED):
        services.accept(case_id=accepted.pk, actor=city.officer)
    Case.objects.update(handed_at=None, file_code=None)

    backfill(apps, SimpleNamespace(connection=connection))

    found = {case.pk: case for case in Case.objects.all()}
    assert found[routed_at_once.pk].handed_at == REGISTERED
    assert found[accepted.pk].handed_at == ACCEPTED  # the latest routing
    assert found[waiting.pk].handed_at is None
    assert found[accepted.pk].file_code == codes["roads"]
    assert found[waiting.pk].file_code is None
