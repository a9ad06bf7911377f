"""An Open311 client over real HTTP, acting as FixMyStreet does with its council back end:
discovery → services → service definition → POST with attributes → GET the request back,
then the update feed; in JSON and in XML.

No maintained Python Open311 client posts requests (the `georeport` package on PyPI reads
only), so the client here is plain urllib.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from cetate.cases.models import Case

from .conftest import parse_xml, validate


def fetch(url: str, data: dict[str, Any] | None = None) -> tuple[int, str, bytes]:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310 (the live test server)
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.mark.django_db(transaction=True)
def test_a_client_in_json(live_server, api_key, survey):
    base = live_server.url + "/open311/v2/"
    status, kind, body = fetch(base + "discovery.json")
    assert (status, kind) == (200, "application/json; charset=utf-8")
    endpoint = json.loads(body)["endpoints"][0]["url"] + "/"
    assert endpoint == base

    services = json.loads(fetch(endpoint + "services.json?jurisdiction_id=apulum.ro")[2])
    validate(services, "services.json")
    lamp = next(s for s in services if s["metadata"])
    definition = json.loads(fetch(f"{endpoint}services/{lamp['service_code']}.json")[2])
    validate(definition, "service-definition.json")
    codes = [attribute["code"] for attribute in definition["attributes"]]
    assert codes == ["pole", "problems"]

    status, kind, body = fetch(
        endpoint + "requests.json",
        {
            "api_key": api_key,
            "jurisdiction_id": "apulum.ro",
            "service_code": lamp["service_code"],
            "lat": "46.0701",
            "long": "23.5801",
            "email": "maria@example.org",
            "first_name": "Maria",
            "last_name": "Ionescu",
            "description": "title: Stâlp stins\n\ndetail: Nu arde de o săptămână",
            "attribute[pole]": "B-4",
            "attribute[problems][]": ["dark", "flicker"],
            "attribute[fixmystreet_id]": "1024",
        },
    )
    assert status == 201, body
    service_request_id = json.loads(body)[0]["service_request_id"]

    status, _, body = fetch(f"{endpoint}requests/{service_request_id}.json")
    [request] = json.loads(body)
    validate([request], "requests.json")
    assert request["service_code"] == lamp["service_code"]
    assert request["status"] == "open"
    assert "Maria" not in body.decode() and "maria@" not in body.decode()
    # Anyone reads the public view: no resident's words, the place rounded to the public grid.
    assert request["description"] is None
    assert (request["lat"], request["long"]) == (46.07, 23.58)
    # The integrator that posted it reads it back in full.
    [own] = json.loads(fetch(f"{endpoint}requests/{service_request_id}.json?api_key={api_key}")[2])
    assert own["description"].endswith("Nu arde de o săptămână")
    assert (own["lat"], own["long"]) == (46.0701, 23.5801)
    updates = json.loads(fetch(endpoint + "servicerequestupdates.json")[2])
    assert updates[0]["service_request_id"] == service_request_id
    assert Case.objects.get().answers == {"pole": "B-4", "problems": ["dark", "flicker"]}


@pytest.mark.django_db(transaction=True)
def test_a_client_in_xml(live_server, api_key, survey):
    endpoint = live_server.url + "/open311/v2/"
    services = parse_xml(fetch(endpoint + "services.xml")[2])
    code = next(
        s.findtext("service_code")
        for s in services.findall("service")
        if s.findtext("metadata") == "true"
    )
    definition = parse_xml(fetch(f"{endpoint}service/{code}.xml")[2])
    assert definition.findtext("service_code") == code

    status, kind, body = fetch(
        endpoint + "requests.xml",
        {
            "api_key": api_key,
            "service_code": code,
            "lat": "46.0701",
            "long": "23.5801",
            "email": "maria@example.org",
            "first_name": "Maria",
            "last_name": "Ionescu",
            "description": "Nu arde",
            "attribute[pole]": "B-4",
            "attribute[problems]": "dark",
        },
    )
    assert (status, kind) == (201, "text/xml; charset=utf-8")
    created = parse_xml(body)
    service_request_id = created.findtext("request/service_request_id")
    assert service_request_id

    # FixMyStreet asks for its reports by a comma list of ids.
    listed = parse_xml(fetch(f"{endpoint}requests.xml?service_request_id={service_request_id}")[2])
    assert listed.tag == "service_requests"
    assert listed.findtext("request/service_request_id") == service_request_id
    assert listed.findtext("request/status") == "open"

    updates = parse_xml(fetch(endpoint + "servicerequestupdates.xml")[2])
    assert updates.findtext("request_update/service_request_id") == service_request_id

    status, kind, body = fetch(
        endpoint + "requests.xml", {"api_key": "wrong", "service_code": code}
    )
    assert (status, kind) == (403, "text/xml; charset=utf-8")
    assert parse_xml(body).findtext("error/code") == "403"
