"""Discovery, the service list and service definitions, in both formats, and their errors."""

import pytest

from cetate.directory.models import Category

from .conftest import BASE, assert_errors, json_of, validate, xml_of


def test_discovery_names_the_endpoint_and_both_formats(client, db):
    data = json_of(client.get(BASE + "discovery.json"))
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_of(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    formats = root.findall("endpoints/endpoint/formats/format")
    assert [element.text for element in formats] == ["text/xml", "application/json"]


def test_services_are_the_active_categories_residents_choose(client, survey):
    city = survey
    Category.objects.create(
        code="roads.old", name="Veche", parent=city.pothole.parent, is_active=False
    )
    data = json_of(client.get(BASE + "services.json", HTTP_ACCEPT_LANGUAGE="en"))
    validate(data, "services.json")
    by_code = {service["service_code"]: service for service in data}
    assert set(by_code) == {"roads.pothole", "lighting.lamp", "order.noise"}
    lamp = by_code["lighting.lamp"]
    assert lamp == {
        "service_code": "lighting.lamp",
        "service_name": "Lamp out",
        "description": None,
        "metadata": True,
        "type": "realtime",
        "keywords": "lamp, light, bec",
        "group": "Lighting",
    }
    assert by_code["roads.pothole"]["metadata"] is False


def test_services_in_xml_element_by_element(client, survey):
    root = xml_of(client.get(BASE + "services.xml", HTTP_ACCEPT_LANGUAGE="en"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == 3
    lamp = next(s for s in services if s.findtext("service_code") == "lighting.lamp")
    assert [child.tag for child in lamp] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert lamp.findtext("metadata") == "true"
    assert lamp.findtext("type") == "realtime"
    assert lamp.findtext("group") == "Lighting"
    assert lamp.find("description").text is None


@pytest.mark.parametrize("path", ["services/lighting.lamp", "service/lighting.lamp"])
def test_service_definition_lists_the_questions_as_attributes(client, survey, path):
    data = json_of(client.get(BASE + path + ".json", HTTP_ACCEPT_LANGUAGE="en"))
    validate(data, "service-definition.json")
    assert data["service_code"] == "lighting.lamp"
    pole, problems = data["attributes"]
    assert pole == {
        "variable": True,
        "code": "pole",
        "datatype": "string",
        "required": False,
        "datatype_description": None,
        "order": 1,
        "description": "Numărul stâlpului",
        "values": [],
    }
    assert problems["datatype"] == "multivaluelist"
    assert problems["description"] == "What is wrong"
    assert problems["order"] == 2
    assert problems["values"] == [
        {"key": "dark", "name": "Stins"},
        {"key": "flicker", "name": "Pâlpâie"},
    ]
    root = xml_of(client.get(BASE + path + ".xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "lighting.lamp"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["pole", "problems"]
    assert [child.tag for child in attributes[1]] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    values = attributes[1].findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("dark", "Stins"),
        ("flicker", "Pâlpâie"),
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["nothing", "roads"])
def test_unknown_services_and_groups_answer_404(client, city, fmt, code):
    response = client.get(f"{BASE}services/{code}.{fmt}")
    assert response.status_code == 404
    assert_errors(response, fmt, 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_jurisdiction_answers_404_and_ours_is_accepted(client, city, fmt, settings):
    settings.OPEN311_JURISDICTION = "apulum.ro"
    response = client.get(f"{BASE}services.{fmt}?jurisdiction_id=example.org")
    assert response.status_code == 404
    assert_errors(response, fmt, 404)
    assert client.get(f"{BASE}services.{fmt}?jurisdiction_id=apulum.ro").status_code == 200
    assert client.get(f"{BASE}services.{fmt}?jurisdiction_id=").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_resources_and_methods_answer_in_the_format_asked(client, db, fmt):
    response = client.get(f"{BASE}nothing/here.{fmt}")
    assert response.status_code == 404
    assert_errors(response, fmt, 404)
    response = client.post(f"{BASE}services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert_errors(response, fmt, 405)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_tokens_are_never_issued_so_every_token_is_unknown(client, db, fmt):
    response = client.get(f"{BASE}tokens/12345.{fmt}")
    assert response.status_code == 404
    assert_errors(response, fmt, 404)
