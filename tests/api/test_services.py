"""The catalogue of services in the REST API: published articles with their online request;
Open311's services.json keeps listing only the categories residents report under."""

import pytest

from cetate.accounts.roles import Role
from cetate.knowledge.models import Article
from cetate.test import make_user
from tests.knowledge.catalogue import online_service
from tests.knowledge.conftest import draft_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(city) -> Article:
    editor = make_user("redactor", Role.EDITOR, departments=(city.technical,))
    online_service(city, editor)
    draft_article(city, editor, code="ciorna", title="Serviciu în lucru")
    return Article.objects.get(code="spargere")


def test_the_catalogue_lists_published_services_with_their_request(api, city, service):
    response = api(city.dispatcher).get("/api/v1/services/")
    assert response.status_code == 200
    listed = response.json()
    assert [item["code"] for item in listed] == ["spargere"]
    item = listed[0]
    assert item["title"] == "Autorizație de spargere"
    assert item["department"] == city.technical.pk
    assert item["department_code"] == city.technical.code
    assert item["online"] is True
    assert item["term_days"] == 15
    assert item["version"] == 1
    assert item["life_events"] == ["construiesc"]
    assert item["url"] == "http://testserver/servicii/spargere/"
    assert item["fields"][0] == {
        "code": "street",
        "question": "Strada",
        "question_en": "Street",
        "description": "",
        "datatype": "string",
        "required": True,
        "order": 0,
        "values": [],
    }
    assert [doc["code"] for doc in item["documents"]] == ["plan", "aviz"]
    assert item["documents"][0]["required"] is True


def test_one_service_by_its_code_and_never_a_draft(api, city, service):
    client = api(city.dispatcher)
    assert client.get("/api/v1/services/spargere/").json()["code"] == "spargere"
    assert client.get("/api/v1/services/ciorna/").status_code == 404


def test_the_catalogue_asks_for_credentials_like_the_rest_of_the_api(api, service):
    assert api().get("/api/v1/services/").status_code in {401, 403}


def test_the_schema_describes_the_catalogue(api, city):
    schema = api().get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/services/" in schema["paths"]
    assert "/api/v1/services/{code}/" in schema["paths"]


def test_open311_services_still_lists_only_report_categories(client, city, service):
    response = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="en")
    codes = {item["service_code"] for item in response.json()}
    assert "spargere" not in codes
    assert codes == {"roads.pothole", "lighting.lamp", "order.noise"}
    assert Article.objects.filter(online=True).exists()
