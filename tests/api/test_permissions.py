"""Each role sees through the API what the access helpers allow it, and nothing more."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cetate.accounts.roles import Role
from cetate.cases.services import assign, open_case
from cetate.contacts.models import PersonalDataView
from cetate.directory.models import Department
from cetate.test import make_user

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return {case["id"] for case in response.json()["results"]}


@pytest.fixture
def cases(city):
    pothole = city.report()
    assign(case_id=pothole.pk, actor=city.dispatcher, department=city.technical)
    lamp = city.report(category=city.lamp, description="Stâlp stins", answers={"pole": "12"})
    assign(case_id=lamp.pk, actor=city.dispatcher, department=city.lighting)
    walk_in = open_case(
        kind="request",
        channel="desk",
        actor=city.clerk,
        description="Cerere de la ghișeu",
        reporter=city.resident,
    )
    return pothole, lamp, walk_in


def test_without_credentials_the_api_asks_for_them(api, city):
    response = api().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_a_bad_token_is_refused(api, city):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_a_user_without_a_staff_role_gets_nothing(api, city):
    nobody = make_user("vizitator")
    response = api(nobody).get("/api/v1/categories/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_a_token_of_a_deactivated_user_stops_working(api, city):
    client = api(city.supervisor)
    city.supervisor.is_active = False
    city.supervisor.save()
    assert client.get("/api/v1/cases/").status_code == 401


def test_city_wide_roles_see_every_case(api, city, cases):
    for user in (city.dispatcher, city.supervisor, city.admin):
        assert ids(api(user).get("/api/v1/cases/")) == {case.pk for case in cases}


def test_an_officer_sees_only_the_cases_of_their_departments(api, city, cases):
    pothole, lamp, _walk_in = cases
    assert ids(api(city.officer).get("/api/v1/cases/")) == {pothole.pk}
    assert ids(api(city.lighting_officer).get("/api/v1/cases/")) == {lamp.pk}
    assert api(city.officer).get(f"/api/v1/cases/{lamp.pk}/").status_code == 404
    assert api(city.officer).get(f"/api/v1/cases/{lamp.pk}/events/").status_code == 404
    assert api(city.officer).get(f"/api/v1/cases/{pothole.pk}/").status_code == 200


def test_a_desk_clerk_sees_the_cases_they_registered(api, city, cases):
    _pothole, _lamp, walk_in = cases
    assert ids(api(city.clerk).get("/api/v1/cases/")) == {walk_in.pk}


def test_an_officer_cannot_act_on_a_case_of_another_department(api, city, cases):
    _pothole, lamp, _walk_in = cases
    response = api(city.officer).post(f"/api/v1/cases/{lamp.pk}/actions/start/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_an_officer_reads_the_resident_of_their_cases_and_the_read_is_recorded(api, city, cases):
    response = api(city.officer).get(f"/api/v1/contacts/{city.resident.pk}/")
    assert response.status_code == 200
    assert response.json()["email"] == "ion@example.org"
    view = PersonalDataView.objects.get(user=city.officer)
    assert view.contact == city.resident
    assert "API" in view.what


def test_an_officer_cannot_read_a_resident_with_no_case_of_theirs(api, city, cases):
    parks = Department.objects.create(code="parks", name="Spații verzi")
    stranger = make_user("gradinar", Role.OFFICER, departments=(parks,))
    response = api(stranger).get(f"/api/v1/contacts/{city.resident.pk}/")
    assert response.status_code == 404
    assert not PersonalDataView.objects.exists()


def test_a_desk_clerk_reads_contacts_as_intake_does(api, city, cases):
    assert api(city.clerk).get(f"/api/v1/contacts/{city.resident.pk}/").status_code == 200
    assert PersonalDataView.objects.filter(user=city.clerk).count() == 1


def test_an_officer_cannot_register_cases(api, city):
    response = api(city.officer).post(
        "/api/v1/cases/",
        {"kind": "inquiry", "description": "Program?", "answer_on_spot": "8-16"},
        format="json",
    )
    assert response.status_code == 403


def test_sessions_of_staff_work_with_csrf_kept(city, cases):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(city.supervisor)
    assert browser.get("/api/v1/cases/").status_code == 200
    refused = browser.post(f"/api/v1/cases/{cases[0].pk}/actions/note/", {"text": "x"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["errors"][0]["message"]


def test_roles_come_from_groups_at_each_request(api, city, cases):
    client = api(city.lighting_officer)
    assert len(ids(client.get("/api/v1/cases/"))) == 1
    city.lighting_officer.groups.add(Group.objects.get(name=Role.DISPATCHER))
    assert len(ids(client.get("/api/v1/cases/"))) == 3
