"""POST requests: a case registered through open_case, its errors, in both formats."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cetate.cases.models import Case
from cetate.open311.keys import create_key
from cetate.open311.models import Submission
from tests.intake.people import VICTIM_PHONE, assert_victim_untouched

from .conftest import BASE, assert_errors, json_of, xml_of


def pothole(api_key, **extra):
    return {
        "api_key": api_key,
        "jurisdiction_id": "apulum.ro",
        "service_code": "roads.pothole",
        "lat": "46.07",
        "long": "23.58",
        "description": "Groapă mare pe strada Cloșca",
        **extra,
    }


def lamp(api_key, **extra):
    return {
        **pothole(api_key),
        "service_code": "lighting.lamp",
        "email": "ana@example.org",
        "first_name": "Ana",
        "last_name": "Pop",
        **extra,
    }


def test_a_post_registers_a_case_from_the_api_channel(client, city, api_key):
    response = client.post(
        BASE + "requests.json", pothole(api_key, address_string="Str. Cloșca 3", account_id="acc-9")
    )
    assert response.status_code == 201
    [answer] = json_of(response)
    case = Case.objects.get()
    assert answer == {
        "service_request_id": f"{case.registration_year}-{case.registration_number}",
        "service_notice": answer["service_notice"],
        "account_id": "acc-9",
    }
    assert case.number in answer["service_notice"]
    assert response["Location"].endswith(
        f"/open311/v2/requests/{answer['service_request_id']}.json"
    )
    assert case.channel == "api"
    assert case.kind == "report"
    assert case.entered_by is None
    assert case.category == city.pothole
    assert (case.latitude, case.longitude) == (46.07, 23.58)
    assert case.address == "Str. Cloșca 3"
    assert case.reporter is None  # the category accepts anonymous reports
    assert case.events.get().data["channel"] == "api"


def test_the_answer_in_xml(client, city, api_key):
    response = client.post(BASE + "requests.xml", pothole(api_key))
    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == [
        "service_request_id",
        "service_notice",
        "account_id",
    ]
    case = Case.objects.get()
    assert (
        request.findtext("service_request_id")
        == f"{case.registration_year}-{case.registration_number}"
    )


def test_attributes_and_the_reporter_are_kept(client, survey, api_key):
    data = lamp(
        api_key,
        phone="0744 555 666",
        **{
            "attribute[pole]": "A-17",
            "attribute[problems][]": ["dark", "flicker"],
            "attribute[fixmystreet_id]": "4711",
            "attribute[title]": "Stâlp stins",
        },
    )
    assert client.post(BASE + "requests.json", data).status_code == 201
    case = Case.objects.get()
    assert case.answers == {"pole": "A-17", "problems": ["dark", "flicker"]}
    assert case.title == "Stâlp stins"
    assert case.reporter.name == "Ana Pop"
    assert case.reporter.email == "ana@example.org"
    assert case.reporter.phone == "+40744555666"
    assert Submission.objects.get().fixmystreet_id == "4711"


def test_a_phone_that_cannot_be_checked_is_kept_as_typed_not_a_refusal(client, city, api_key):
    response = client.post(
        BASE + "requests.json", lamp(api_key, phone="+1 555 0100", email="", first_name="Ana")
    )
    assert response.status_code == 201, response.content
    reporter = Case.objects.get().reporter
    assert (reporter.phone, reporter.phone_as_typed) == ("", "+1 555 0100")
    client.force_login(city.dispatcher)
    case = Case.objects.get()
    page = client.get(f"/console/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "+1 555 0100" in page
    assert "as typed, could not be checked" in page


def test_an_open311_post_with_a_known_phone_and_a_new_email_gets_its_own_contact(
    client, city, api_key, mailoutbox
):
    victims_case = city.report(reporter=city.resident)
    data = {
        "api_key": api_key,
        "jurisdiction_id": "apulum.ro",
        "service_code": "roads.pothole",
        "lat": "46.07",
        "long": "23.58",
        "description": "Groapă mare pe strada Cloșca",
        "phone": VICTIM_PHONE,
        "email": "intrus@example.org",
        "first_name": "In",
        "last_name": "Trus",
    }
    assert client.post(BASE + "requests.json", data).status_code == 201
    theirs = Case.objects.exclude(pk=victims_case.pk).get()
    assert theirs.reporter != city.resident
    assert_victim_untouched(city, victims_case, client, mailoutbox)


def test_keys_and_jurisdiction_may_come_in_the_query_string(client, city, api_key):
    data = pothole("")
    del data["api_key"], data["jurisdiction_id"]
    response = client.post(f"{BASE}requests.json?api_key={api_key}&jurisdiction_id=apulum.ro", data)
    assert response.status_code == 201


def test_an_address_alone_is_a_location(client, city, api_key):
    data = pothole(api_key, address_string="Piața Iuliu Maniu")
    del data["lat"], data["long"]
    assert client.post(BASE + "requests.json", data).status_code == 201
    assert Case.objects.get().latitude is None
    data = pothole(api_key, address_id="STR-118")
    del data["lat"], data["long"]
    assert client.post(BASE + "requests.json", data).status_code == 201
    assert Submission.objects.filter(address_id="STR-118").exists()


def test_the_description_is_read_back_as_posted_and_the_photo_link_in_media_url(
    client, city, api_key
):
    url = "https://fms.example.org/photo/1.jpeg"
    posted = "Groapă mare pe strada Cloșca,\nîn dreptul nr. 3 — adâncă de 20 cm."
    response = client.post(
        BASE + "requests.json", pothole(api_key, description=posted, media_url=url)
    )
    case = Case.objects.get()
    assert case.description == posted
    path = f"{BASE}requests/{json_of(response)[0]['service_request_id']}.json"
    [request] = json_of(client.get(path, {"api_key": api_key}))
    assert request["description"] == posted
    assert request["media_url"] == url
    # A photo may show a home or a face: anyone else does not get it.
    [request] = json_of(client.get(path))
    assert request["media_url"] is None
    # Staff see the link on the case card, next to what was reported.
    client.force_login(city.dispatcher)
    page = client.get(f"/console/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{url}"' in page
    assert "Photo sent as a link by the application" in page


def test_a_media_file_is_checked_and_attached(client, city, api_key):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    photo = SimpleUploadedFile("groapa.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(BASE + "requests.json", {**pothole(api_key), "media": photo})
    assert response.status_code == 201
    assert Case.objects.get().attachments.get().content_type == "image/jpeg"

    fake = SimpleUploadedFile("virus.jpg", b"MZ not a photo", content_type="image/jpeg")
    response = client.post(BASE + "requests.json", {**pothole(api_key), "media": fake})
    assert response.status_code == 400
    assert Case.objects.count() == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"api_key": ""}, 403),
        ({"api_key": "o311_wrong"}, 403),
        ({"jurisdiction_id": "example.org"}, 404),
        ({"service_code": ""}, 400),
        ({"service_code": "nothing"}, 404),
        ({"service_code": "roads"}, 404),
        ({"lat": "north"}, 400),
        ({"lat": "146.0", "long": "23.58"}, 400),
        ({"lat": "45.50", "long": "23.55"}, 400),  # outside the city
        ({"lat": "", "long": "23.58"}, 400),
        ({"lat": "", "long": ""}, 400),  # no location at all
        ({"description": "x" * 4001}, 400),
        ({"email": "not-an-address"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
    ],
)
def test_refusals(client, city, api_key, fmt, change, status):
    data = {**pothole(api_key), **change}
    response = client.post(f"{BASE}requests.{fmt}", data)
    assert response.status_code == status
    assert_errors(response, fmt, status)
    assert not Case.objects.exists()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "attributes",
    [
        {"attribute[problems][]": ["dark", "broken"]},  # not one of the choices
        {"attribute[problems]": "melted"},
    ],
)
def test_unknown_attribute_values_are_refused_per_attribute(client, survey, api_key, attributes):
    response = client.post(BASE + "requests.json", lamp(api_key, **attributes))
    assert response.status_code == 400
    [error] = json_of(response)
    assert error["description"].startswith("attribute[problems]: ")
    assert not Case.objects.exists()


def test_required_attributes_must_be_answered(client, survey, api_key):
    survey.lamp.questions.filter(code="pole").update(required=True)
    response = client.post(BASE + "requests.json", lamp(api_key))
    assert response.status_code == 400
    assert json_of(response)[0]["description"].startswith("attribute[pole]: ")


def test_anonymous_reports_only_where_the_category_allows_them(client, survey, api_key):
    response = client.post(BASE + "requests.json", lamp(api_key, email="", first_name=""))
    assert response.status_code == 400
    [error] = json_of(response)
    assert error["description"] == (
        "Acest serviciu nu primește sesizări anonime (OG 27/2002 art. 7): trimiteți email sau "
        "phone, împreună cu first_name și last_name."
    )
    assert not Case.objects.exists()
    by_phone = client.post(BASE + "requests.json", lamp(api_key, email="", phone="0744000111"))
    assert by_phone.status_code == 201
    assert Case.objects.get().reporter.phone == "+40744000111"


def test_a_revoked_key_cannot_post(client, city, integrator):
    key, raw = integrator
    key.is_active = False
    key.save()
    assert client.post(BASE + "requests.json", pothole(raw)).status_code == 403


def test_get_never_creates(client, city, api_key):
    response = client.get(BASE + "requests.json", pothole(api_key))
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_posts_beyond_the_keys_limit_register_nothing_and_burn_no_number(client, city):
    _, raw = create_key("Busy app", rate_limit=3)
    statuses = [
        client.post(BASE + "requests.json", pothole(raw, description=f"Groapa {n}")).status_code
        for n in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    assert Case.objects.count() == Submission.objects.count() == 3
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        response = client.post(BASE + "requests.json", pothole(raw))
    assert response.status_code == 201
    assert Case.objects.latest("pk").registration_number == 4
