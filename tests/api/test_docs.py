import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_schema_describes_every_endpoint_and_the_error_shape(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cases/{case_id}/actions/assign/" in schema["paths"]
    assert "/api/v1/contacts/{contact_id}/" in schema["paths"]
    assign = schema["paths"]["/api/v1/cases/{case_id}/actions/assign/"]["post"]
    assert set(assign["responses"]) == {"200", "400", "401", "403", "404", "409"}
    assert schema["components"]["schemas"]["Errors"]["required"] == ["errors"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_documentation_page_loads_its_assets_from_the_site_itself(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/redoc" in page
    assert "https://" not in page
    assert "http://" not in page


def test_unknown_addresses_under_the_api_answer_in_its_shape(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
