"""Before a report is sent, open reports of the same problem within 150 m are shown, to follow
instead of repeating; the page's script asks about them as the pin moves."""

import json

import pytest
from django.urls import reverse

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.test import GRANTED, INSIDE, OUTSIDE
from tests.portal.reporting import last_number, pothole, send

# About 100 m north of INSIDE; 0.003° is some 330 m.
NEAR = {"latitude": INSIDE["latitude"] + 0.0009, "longitude": INSIDE["longitude"]}
FAR = {"latitude": INSIDE["latitude"] + 0.003, "longitude": INSIDE["longitude"]}


@pytest.fixture
def earlier(city):
    """An open pothole report about 100 m from where the resident places the pin."""
    return city.report(description="Groapă, scrie Ion Popescu de la nr. 4", **NEAR)


def test_a_nearby_report_is_shown_before_sending_and_nothing_registers(client, city, earlier):
    response = send(client, pothole(city))
    assert response.status_code == 200
    (shown,) = response.context["nearby"]
    assert shown.number == earlier.number
    # Measured from the report's public point: 46.0709 rounds to 46.0710, 110 m away.
    assert shown.distance_m == 110
    html = response.content.decode()
    url = reverse(
        "public_case",
        kwargs={"year": earlier.registration_year, "number": earlier.registration_number},
    )
    assert f'href="{url}"' in html
    assert 'value="send_anyway"' in html
    for private in ("Ion Popescu", "ion@example.org", earlier.tracking_code, str(NEAR["latitude"])):
        assert private not in html
    assert Case.objects.count() == 1
    assert last_number() == 1


def test_the_resident_may_send_it_anyway(client, city, earlier):
    response = send(client, pothole(city, step="send_anyway"))
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_once_the_pages_script_showed_them_the_report_is_sent_at_once(client, city, earlier):
    assert send(client, pothole(city, nearby_shown="on")).status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        "far",
        "other category",
        "closed",
        "not on the public map",
        "not a report of a problem",
    ],
)
def test_only_open_reports_of_the_same_public_problem_nearby_count(client, city, change):
    category = city.pothole
    where = FAR if change == "far" else NEAR
    if change == "other category":
        category = city.noise
    if change == "not on the public map":
        city.pothole.public_map = False
        city.pothole.save()
    kind = Kind.COMPLAINT if change == "not a report of a problem" else Kind.REPORT
    earlier = city.report(category=category, kind=kind, **where)
    if change == "closed":
        services.assign(case_id=earlier.pk, actor=city.dispatcher, department=city.technical)
        services.change_status(case_id=earlier.pk, actor=city.officer, action=Action.START)
        services.change_status(
            case_id=earlier.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Astupată.",
            decision=GRANTED,
        )
    assert send(client, pothole(city)).status_code == 302


def test_the_place_endpoint_tells_the_script_about_the_pin(client, city, earlier):
    url = f"/report/place/?latitude={INSIDE['latitude']}&longitude={INSIDE['longitude']}"
    data = client.get(f"{url}&category={city.pothole.pk}").json()
    assert data["problem"] == ""
    (nearby,) = data["nearby"]
    assert set(nearby) == {"number", "category", "status", "registered_on", "distance_m", "url"}
    assert nearby["number"] == earlier.number
    raw = json.dumps(data, ensure_ascii=False)
    for private in ("Ion Popescu", "ion@example.org", "Groapă, scrie", earlier.tracking_code):
        assert private not in raw
    assert str(NEAR["latitude"]) not in raw
    assert client.get(f"{url}&category=").json()["nearby"] == []


def test_the_place_endpoint_explains_a_point_outside_the_city(client, city):
    url = f"/report/place/?latitude={OUTSIDE['latitude']}&longitude={OUTSIDE['longitude']}"
    data = client.get(url).json()
    assert "Orașul de test" in data["problem"]
    assert data["nearby"] == []


@pytest.mark.usefixtures("early_in_a_minute")
def test_the_place_endpoint_refuses_nonsense_and_is_rate_limited(client, city):
    assert client.get("/report/place/?latitude=abc&longitude=1").status_code == 400
    assert client.get("/report/place/?latitude=91&longitude=1").status_code == 400
    url = f"/report/place/?latitude={INSIDE['latitude']}&longitude={INSIDE['longitude']}"
    # The two refused requests above count too: 60 a minute from one address.
    statuses = [client.get(url).status_code for _ in range(59)]
    assert statuses[:58] == [200] * 58
    assert statuses[58] == 429
