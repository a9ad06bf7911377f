"""open_case: what a registration produces, and what it refuses without burning a number."""

from datetime import date, datetime

import pytest
from django.utils import translation

from cetate.cases.answers import InvalidAnswers
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import NotAllowed
from cetate.cases.models import Case, RegistrationCounter
from cetate.cases.services import InvalidCase, open_case
from cetate.cases.services.intake import TRACKING_ALPHABET
from cetate.cases.uploads import RejectedUpload, Upload
from cetate.contacts.models import Contact
from cetate.lib.clock import replaying_at
from cetate.test import IN_CENTRE, OUTSIDE
from tests.cases.files import jpeg_with_gps, minimal_pdf


def last_number(year: int) -> int:
    counter = RegistrationCounter.objects.filter(year=year).first()
    return counter.last_number if counter else 0


def test_registration_gives_number_code_deadlines_and_first_event(city):
    with replaying_at(datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)):
        case = city.report()
    assert case.number == "1/2026"
    assert len(case.tracking_code) == 10
    assert set(case.tracking_code) <= set(TRACKING_ALPHABET)
    assert case.legal_due == date(2026, 4, 2)
    # Pothole: 7 working days from Monday 2 March 2026.
    assert case.service_due == datetime(2026, 3, 11, 10, 0, tzinfo=CITY_TZ)
    assert case.status == "new"
    assert case.area == city.boundary
    [created] = case.events.all()
    assert (created.seq, created.kind, created.to_status, created.public) == (
        1,
        "created",
        "new",
        True,
    )
    assert created.actor == city.dispatcher
    assert created.data == {"channel": "phone", "kind": "report"}


def test_numbers_follow_each_other_and_restart_on_the_first_of_january(city):
    with replaying_at(datetime(2026, 12, 31, 23, 30, tzinfo=CITY_TZ)):
        first, second = city.report(), city.report()
    with replaying_at(datetime(2027, 1, 1, 0, 5, tzinfo=CITY_TZ)):
        third = city.report()
    assert [first.number, second.number, third.number] == ["1/2026", "2/2026", "1/2027"]


def test_the_year_is_the_year_in_bucharest_not_utc(city):
    from datetime import UTC

    with replaying_at(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)):  # 00:30 on 1 Jan locally
        case = city.report()
    assert case.number == "1/2027"


def test_neighbourhood_is_preferred_to_the_city_as_area(city):
    case = city.report(**IN_CENTRE)
    assert case.area == city.centre


def test_point_outside_the_city_is_refused_and_burns_no_number(city):
    city.report()
    with pytest.raises(InvalidCase, match="outside"):
        city.report(**OUTSIDE)
    assert last_number(date.today().year) == 1
    assert city.report().registration_number == 2


def test_category_may_allow_places_outside_the_city(city):
    city.pothole.outside_city_allowed = True
    city.pothole.save()
    assert city.report(**OUTSIDE).area is None


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(91, 23.5), (46.0, 181), (46.0, None), (float("nan"), 23.5)]
)
def test_invalid_coordinates(city, latitude, longitude):
    with pytest.raises(InvalidCase, match="latitude"):
        city.report(latitude=latitude, longitude=longitude)
    assert not Case.objects.exists()


def test_no_location_is_fine_for_a_request(city):
    case = city.report(kind="request", latitude=None, longitude=None, category=None)
    assert case.area is None and case.latitude is None


def test_anonymous_report_allowed_only_where_the_category_allows_it(city):
    assert city.report(reporter=None).reporter is None
    with pytest.raises(InvalidCase, match="OG 27/2002"):
        city.report(reporter=None, category=city.noise)
    with pytest.raises(InvalidCase, match="OG 27/2002"):
        city.report(reporter=None, kind="complaint", category=None)
    assert Case.objects.count() == 1


def test_anonymous_question_is_logged(city):
    case = city.report(kind="inquiry", category=None, reporter=None, answer_on_spot="Luni-vineri")
    assert case.status == "closed"
    assert case.answer == "Luni-vineri"
    assert case.legal_due is None
    assert [e.kind for e in case.events.all()] == ["created", "status_changed"]


def test_reporter_without_any_way_to_answer_is_refused(city):
    nobody = Contact.objects.create(name="Fără date")
    with pytest.raises(InvalidCase, match="email"):
        city.report(reporter=nobody)


def test_a_group_is_not_a_category(city):
    with pytest.raises(InvalidCase, match="group"):
        city.report(category=city.pothole.parent)


def test_empty_or_huge_description(city):
    with pytest.raises(InvalidCase):
        city.report(description="   ")
    with pytest.raises(InvalidCase, match="10000"):
        city.report(description="x" * 10_001)


def test_answers_to_extra_questions_are_checked(city):
    case = city.report(category=city.lamp, answers={"pole": " A-17 "})
    assert case.answers == {"pole": "A-17"}
    with pytest.raises(InvalidAnswers) as refused:
        city.report(category=city.lamp, answers={"color": "red"})
    assert "color" in refused.value.errors
    assert Case.objects.count() == 1


def test_lamp_target_in_hours(city):
    with replaying_at(datetime(2026, 3, 6, 18, 0, tzinfo=CITY_TZ)):  # Friday evening
        case = city.report(category=city.lamp, answers={"pole": "7"})
    assert case.service_due == datetime(2026, 3, 9, 18, 0, tzinfo=CITY_TZ)


def test_answer_channel_defaults_to_the_residents_preference(city):
    city.resident.preferred_channel = "post"
    city.resident.postal_address = "Str. Mihai Viteazul 1"
    city.resident.save()
    assert city.report().answer_channel == "post"
    assert city.report(answer_channel="email").answer_channel == "email"


def test_auto_route_assigns_the_categorys_department(city):
    case = city.report(auto_route=True)
    assert case.status == "assigned"
    assert case.department == city.technical
    assert [e.kind for e in case.events.all()] == ["created", "status_changed"]


def test_auto_route_follows_the_area_rule(city):
    from cetate.directory.models import RoutingRule

    RoutingRule.objects.create(category=city.pothole, area=city.centre, department=city.lighting)
    assert city.report(auto_route=True, **IN_CENTRE).department == city.lighting
    assert city.report(auto_route=True).department == city.technical


def test_a_signed_in_user_without_a_role_cannot_register(city):
    from cetate.accounts.models import User

    nobody = User.objects.create_user("nobody")
    with pytest.raises(NotAllowed):
        city.report(actor=nobody)


def test_portal_intake_acts_as_the_system(city):
    case = open_case(
        kind="report",
        channel="portal",
        actor=None,
        description="Bec ars",
        category=city.lamp,
        reporter=city.resident,
        answers={"pole": "12"},
        latitude=46.05,
        longitude=23.55,
    )
    assert case.entered_by is None
    assert case.channel == "portal"


def test_attachments_are_stored_cleaned(city):
    case = city.report(
        attachments=[
            Upload(name="groapa.jpg", content=jpeg_with_gps()),
            Upload(name="plan.pdf", content=minimal_pdf()),
        ]
    )
    photo, document = case.attachments.all()
    assert photo.content_type == "image/jpeg"
    assert b"Exif" not in photo.file.read()
    assert document.content_type == "application/pdf"
    assert [e.kind for e in case.events.all()] == ["created", "attachment", "attachment"]


def test_a_fake_image_refuses_the_whole_case(city):
    with pytest.raises(RejectedUpload, match="not a photo"):
        city.report(attachments=[Upload(name="virus.jpg", content=b"MZ\x90\x00 not an image")])
    assert not Case.objects.exists()
    assert last_number(date.today().year) == 0


def test_auto_route_leaves_questions_alone(city):
    case = city.report(kind="inquiry", category=None, auto_route=True)
    assert (case.status, case.department) == ("new", None)


def test_replayed_history_sends_no_mail(city, mailoutbox, django_capture_on_commit_callbacks):
    with (
        replaying_at(datetime(2025, 5, 5, 10, 0, tzinfo=CITY_TZ)),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        city.report()
    assert callbacks == []
    assert mailoutbox == []


def test_refusals_speak_romanian_by_default(city):
    with translation.override("ro"):
        with pytest.raises(InvalidCase, match="în afara teritoriului administrativ"):
            city.report(**OUTSIDE)
        with pytest.raises(InvalidCase, match="Petițiile anonime nu se iau în considerare"):
            city.report(reporter=None, category=city.noise)


def test_long_descriptions_are_refused_in_correct_romanian(city):
    with translation.override("ro"), pytest.raises(InvalidCase, match="10000 de caractere"):
        city.report(description="x" * 10_001)


def test_control_characters_are_removed_from_what_is_registered(city):
    """Text pasted from other programs carries characters no reader can show; some (vertical
    tab, NUL) make XML invalid or are refused by PostgreSQL. Tabs and line breaks stay."""
    case = city.report(
        description="Groapă\x0badâncă\x00\x07 în\tfața\r\nblocului\x85\x9b 3 — s\u0326i t\u0326",
        title="Groapă\x1b[31m mare\x7f",
        address="Str. Unirii\x00 3",
        answers={},
    )
    case.refresh_from_db()
    assert case.description == "Groapă\nadâncă în\tfața\r\nblocului 3 — și ț"
    assert case.title == "Groapă[31m mare"
    assert case.address == "Str. Unirii 3"


def test_a_description_of_control_characters_only_is_an_empty_one(city):
    with pytest.raises(InvalidCase, match="Describe"):
        city.report(description="\x00\x0b\x1f")


def test_the_residents_contact_details_are_kept_without_control_characters(city):
    from cetate.intake.portal import Resident, register_from_portal

    case = register_from_portal(
        kind="report",
        description="Groapă",
        resident=Resident(
            name="Ana\x00 Pop\x1b", email="ana@example.org", postal_address="Str.\x0cMare 4"
        ),
        category=city.pothole,
        latitude=IN_CENTRE["latitude"],
        longitude=IN_CENTRE["longitude"],
    )
    contact = case.reporter
    assert contact is not None
    assert (contact.name, contact.postal_address) == ("Ana Pop", "Str.\nMare 4")
