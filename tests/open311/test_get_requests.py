"""GET requests, requests/{id} and the update feed: filters, defaults, formats, public data only."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.utils import timezone

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.contacts.services import merge_contacts
from cetate.open311.keys import create_key

from .conftest import BASE, assert_errors, json_of, validate, xml_of

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def rid(case: Case) -> str:
    return f"{case.registration_year}-{case.registration_number}"


def get(client, path, **params):
    return client.get(BASE + path, params, HTTP_ACCEPT_LANGUAGE="en")


def test_requests_list_public_cases_with_every_field(client, city):
    case = city.report(address="Str. Cloșca 3")
    data = json_of(get(client, "requests.json"))
    validate(data, "requests.json")
    [item] = data
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == rid(case)
    assert item["status"] == "open"
    assert item["status_notes"] == "Registered; it will be sent to the department responsible."
    assert item["service_code"] == "roads.pothole"
    assert item["service_name"] == "Pothole"
    # The test city's potholes show no text, and the street without its number.
    assert item["description"] is None
    assert item["address"] == "Str. Cloșca"
    assert item["zipcode"] is None
    assert item["requested_datetime"] == timezone.localtime(case.registered_at).isoformat(
        timespec="seconds"
    )
    assert item["requested_datetime"][-6:] in {"+02:00", "+03:00"}
    assert item["expected_datetime"] is not None


def test_no_contact_data_ever(client, city):
    city.report()
    body = get(client, "requests.json", extensions="true").content.decode()
    body += get(client, "requests.xml", extensions="true").content.decode()
    body += get(client, "servicerequestupdates.json").content.decode()
    for secret in ("Ion Popescu", "ion@example.org", "744123456", city.resident.phone):
        assert secret not in body
    assert Case.objects.get().tracking_code not in body


def test_sensitive_categories_stay_hidden_except_from_the_key_that_posted(client, city):
    city.report(category=city.noise)
    assert json_of(get(client, "requests.json")) == []
    _key, raw = create_key("Noise app")
    response = client.post(
        BASE + "requests.json",
        {
            "api_key": raw,
            "service_code": "order.noise",
            "lat": "46.0712",
            "long": "23.5813",
            "description": "Muzică tare",
            "email": "x@example.org",
        },
    )
    own = json_of(response)[0]["service_request_id"]
    assert json_of(get(client, "requests.json")) == []
    assert get(client, f"requests/{own}.json").status_code == 404
    mine = json_of(get(client, "requests.json", api_key=raw))
    assert [item["service_request_id"] for item in mine] == [own]
    assert (mine[0]["lat"], mine[0]["long"]) == (46.0712, 23.5813)  # exact for its author


def test_anyone_else_sees_the_place_rounded_to_about_50_m(client, city):
    city.report(latitude=46.07123, longitude=23.58127)
    [item] = json_of(get(client, "requests.json"))
    assert abs(item["lat"] - 46.07123) < 0.0005 and item["lat"] != 46.07123
    assert abs(item["long"] - 23.58127) < 0.0005


def test_requests_in_xml_element_by_element(client, city):
    case = city.report()
    root = xml_of(get(client, "requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == rid(case)
    assert request.findtext("status") == "open"
    assert request.findtext("lat") == "46.07"
    assert request.find("zipcode").text is None


def test_one_request_is_a_list_of_one_and_the_register_number_is_accepted(client, city):
    case = city.report()
    for path in (f"requests/{rid(case)}.json", f"request/{rid(case)}.json"):
        data = json_of(get(client, path))
        validate(data, "requests.json")
        assert [item["service_request_id"] for item in data] == [rid(case)]
    data = json_of(get(client, "requests.json", service_request_id=case.number))
    assert [item["service_request_id"] for item in data] == [rid(case)]
    root = xml_of(get(client, f"requests/{rid(case)}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [rid(case)]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("ident", ["2020-99999", "nonsense", "1-1"])
def test_unknown_requests_answer_404(client, city, fmt, ident):
    response = get(client, f"requests/{ident}.{fmt}")
    assert response.status_code == 404
    assert_errors(response, fmt, 404)


def test_service_request_id_overrides_every_other_filter(client, city):
    first, second = city.report(), city.report()
    data = json_of(
        get(
            client,
            "requests.json",
            service_request_id=f"{rid(first)},{rid(second)}",
            status="closed",
            service_code="order.noise",
            start_date="2001-01-01T00:00:00Z",
            end_date="2001-01-02T00:00:00Z",
        )
    )
    assert {item["service_request_id"] for item in data} == {rid(first), rid(second)}


def test_filters_by_service_code_and_status(client, survey):
    city = survey
    pothole = city.report()
    lamp = city.report(category=city.lamp)
    services.assign(case_id=pothole.pk, actor=city.dispatcher, department=city.technical)
    services.redirect(
        case_id=lamp.pk, actor=city.dispatcher, to=city.water_operator, reason="Nu e al nostru"
    )
    ids = lambda **p: {i["service_request_id"] for i in json_of(get(client, "requests.json", **p))}  # noqa: E731
    assert ids(service_code="lighting.lamp") == {rid(lamp)}
    assert ids(service_code="lighting.lamp,roads.pothole") == {rid(lamp), rid(pothole)}
    assert ids(status="open") == {rid(pothole)}
    assert ids(status="closed") == {rid(lamp)}
    assert ids(status="open,closed") == {rid(lamp), rid(pothole)}
    [item] = json_of(get(client, f"requests/{rid(lamp)}.json"))
    assert item["status"] == "closed"
    assert item["agency_responsible"] == "Apa CTTA"
    [item] = json_of(get(client, f"requests/{rid(pothole)}.json"))
    assert item["agency_responsible"] == "Technical directorate"


def test_an_unknown_status_is_a_400(client, city):
    response = get(client, "requests.xml", status="pending")
    assert response.status_code == 400
    assert_errors(response, "xml", 400)


@pytest.mark.parametrize("name", ["start_date", "end_date", "updated_after", "updated_before"])
def test_bad_dates_are_a_400(client, city, name):
    response = get(client, "requests.json", **{name: "yesterday"})
    assert response.status_code == 400
    assert_errors(response, "json", 400)


def test_dates_default_to_the_last_90_days(client, city):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=120), tick=False):
        old = city.report()
    with time_machine.travel(now - timedelta(days=10), tick=False):
        recent = city.report()
    assert [i["service_request_id"] for i in json_of(get(client, "requests.json"))] == [rid(recent)]
    window = {
        "start_date": (now - timedelta(days=130)).isoformat(),
        "end_date": (now - timedelta(days=100)).isoformat(),
    }
    assert [i["service_request_id"] for i in json_of(get(client, "requests.json", **window))] == [
        rid(old)
    ]
    # W3C with Z, and an offset whose "+" arrived unencoded.
    start = (now - timedelta(days=11)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = json_of(get(client, "requests.json", start_date=start))
    assert [i["service_request_id"] for i in data] == [rid(recent)]
    assert get(client, "requests.json", start_date="2026-01-01T00:00:00 02:00").status_code == 200


def test_updated_after_looks_at_any_registration_date(client, city):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=200), tick=False):
        old = city.report()
    services.assign(case_id=old.pk, actor=city.dispatcher, department=city.technical)
    since = (now - timedelta(hours=1)).isoformat()
    data = json_of(get(client, "requests.json", updated_after=since))
    assert [i["service_request_id"] for i in data] == [rid(old)]
    assert json_of(get(client, "requests.json", updated_before=since)) == []


def test_pages(client, city):
    cases = [city.report() for _ in range(5)]
    newest_first = [rid(c) for c in reversed(cases)]

    def page(n):
        data = json_of(get(client, "requests.json", page=n, page_size=2))
        return [item["service_request_id"] for item in data]

    assert page(1) + page(2) + page(3) == newest_first
    assert page(4) == []
    assert get(client, "requests.json", page="0").status_code == 400
    assert get(client, "requests.json", page_size="x").status_code == 400


def test_empty_results_are_an_empty_list(client, db):
    assert json_of(get(client, "requests.json")) == []
    root = xml_of(get(client, "requests.xml"))
    assert root.tag == "service_requests" and list(root) == []


def test_extensions_add_channel_area_notes_and_the_parent_for_the_poster(client, city, api_key):
    def post(**where):
        data = {
            "api_key": api_key,
            "service_code": "roads.pothole",
            "description": "Groapă",
            "email": "ana@example.org",
        }
        response = client.post(BASE + "requests.json", {**data, **where})
        return Case.objects.get(
            registration_number=json_of(response)[0]["service_request_id"].split("-")[1]
        )

    first = post(lat="46.07", long="23.58")
    second = post(lat="46.02", long="23.52")
    # Only one petitioner's cases are merged: staff checked that both posts are Ana's.
    merge_contacts(keep=first.reporter, duplicate=second.reporter, actor=city.dispatcher)
    services.merge(
        case_id=second.pk, into_case_id=first.pk, actor=city.dispatcher, reason="Aceeași groapă"
    )
    data = json_of(get(client, "requests.json", extensions="true", api_key=api_key))
    validate(data, "requests.json")
    by_id = {item["service_request_id"]: item for item in data}
    merged = by_id[rid(second)]
    assert merged["channel"] == "api"
    assert merged["area"] == "Centru"
    assert merged["duplicate"] is True
    assert merged["parent_request_id"] == rid(first)
    assert merged["status"] == "closed"
    assert by_id[rid(first)]["duplicate"] is False
    assert by_id[rid(first)]["parent_request_id"] is None
    assert "channel" not in json_of(get(client, "requests.json", api_key=api_key))[0]
    root = xml_of(get(client, "requests.xml", extensions="true", api_key=api_key))
    request = next(
        r for r in root.findall("request") if r.findtext("service_request_id") == rid(second)
    )
    assert request.findtext("duplicate") == "true"
    assert request.findtext("parent_request_id") == rid(first)
    for note in request.findall("notes/note"):
        assert [child.tag for child in note] == ["datetime", "description"]
    # A merged case is never public: anyone else sees only the case it was merged into.
    public = json_of(get(client, "requests.json", extensions="true"))
    assert [item["service_request_id"] for item in public] == [rid(first)]


def test_status_notes_are_plain_words_for_the_public(client, city):
    case = city.report()
    services.message_resident(case_id=case.pk, actor=city.dispatcher, text="Echipa vine mâine.")
    [item] = json_of(get(client, f"requests/{rid(case)}.json", extensions="true"))
    assert item["status_notes"] == "Registered; it will be sent to the department responsible."
    assert [note["description"] for note in item["notes"]] == [item["status_notes"]]
    _key, raw = create_key("Dispecerat", read_scope="full")
    [item] = json_of(get(client, f"requests/{rid(case)}.json", extensions="true", api_key=raw))
    assert item["status_notes"] == "Echipa vine mâine."
    assert item["notes"][-1]["description"] == "Echipa vine mâine."


def test_the_update_feed_lists_public_events_with_their_status(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.message_resident(case_id=case.pk, actor=city.officer, text="Am început lucrul.")
    city.report(category=city.noise)  # not public: not in the feed
    data = json_of(get(client, "servicerequestupdates.json"))
    assert {item["service_request_id"] for item in data} == {rid(case)}
    for item in data:
        assert list(item) == [
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
            "description",
            "media_url",
            "external_status_code",
        ]
        assert isinstance(item["update_id"], str)
    assert data[0]["external_status_code"] == "new"
    # The message to the resident is not an update the public reads.
    assert "Am început lucrul." not in [item["description"] for item in data]
    assert data[-1]["description"] == "The department is working on it."
    assert data[-1]["external_status_code"] == "in_progress"
    assert {item["status"] for item in data} == {"open"}
    root = xml_of(get(client, "servicerequestupdates.xml"))
    assert root.tag == "service_requests_updates"
    updates = root.findall("request_update")
    assert [u.findtext("update_id") for u in updates] == [i["update_id"] for i in data]
    later = (timezone.now() + timedelta(minutes=5)).isoformat()
    assert json_of(get(client, "servicerequestupdates.json", start_date=later)) == []


def test_a_control_character_in_one_description_leaves_the_feed_valid(client, city):
    """Pasted text may hold a vertical tab: removed when the case is registered, and, for text
    stored before that, by the XML writer, so that every client can read the feed."""
    city.pothole.public_text = "masked"
    city.pothole.save()
    posted = city.report(description="Groapă\x0bmare")
    assert Case.objects.get(pk=posted.pk).description == "Groapă\nmare"
    stored = city.report(description="Groapă mare")
    Case.objects.filter(pk=stored.pk).update(description="Groapă\x0b\ufffe mare\x1f")
    root = xml_of(get(client, "requests.xml", extensions="true"))
    descriptions = {item.findtext("description") for item in root.findall("request")}
    assert descriptions == {"Groapă\nmare", "Groapă mare"}
    updates = xml_of(get(client, "servicerequestupdates.xml"))
    assert updates.tag == "service_requests_updates"
