import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft7Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

from cetate.open311.keys import create_key

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2/"


def _registry() -> Registry:
    resources = []
    for name in (
        "request.json",
        "requests.json",
        "service.json",
        "services.json",
        "service-definition.json",
    ):
        contents = json.loads((SCHEMAS / name).read_text())
        resources.append((name, Resource.from_contents(contents, default_specification=_draft())))
    return Registry().with_resources(resources)


def _draft():
    from referencing.jsonschema import DRAFT7

    return DRAFT7


REGISTRY = _registry()


def validate(document, schema_name: str) -> None:
    """Raise if `document` breaks the GeoReport v2 schema `schema_name` (e.g. requests.json)."""
    schema = REGISTRY.contents(schema_name)
    Draft7Validator(schema, registry=REGISTRY).validate(document)


def xml_of(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return parse_xml(response.content)


def parse_xml(content: bytes) -> ET.Element:
    # Our own server's answer, in a test: not untrusted input.
    return ET.fromstring(content)  # noqa: S314


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_errors(response, fmt: str, status: int) -> None:
    if fmt == "json":
        data = json_of(response)
        assert isinstance(data, list) and data
        for error in data:
            assert set(error) == {"code", "description"}
            assert error["code"] == status
            assert error["description"]
    else:
        root = xml_of(response)
        assert root.tag == "errors"
        for error in root.findall("error"):
            assert [child.tag for child in error] == ["code", "description"]
            assert error.findtext("code") == str(status)
            assert error.findtext("description")
        assert root.findall("error")


@pytest.fixture
def integrator(db):
    """An API key and the raw key a client sends."""
    return create_key("FixMyStreet Alba")


@pytest.fixture
def api_key(integrator) -> str:
    return integrator[1]


@pytest.fixture
def survey(city):
    """The lamp category asks which pole and, as choices, what is wrong."""
    from cetate.directory.models import CategoryQuestion

    CategoryQuestion.objects.create(
        category=city.lamp,
        code="problems",
        question="Ce nu merge",
        question_en="What is wrong",
        datatype="multivaluelist",
        values=[{"key": "dark", "name": "Stins"}, {"key": "flicker", "name": "Pâlpâie"}],
        order=2,
    )
    city.lamp.public_map = True
    city.lamp.keywords = "lamp, light, bec"
    city.lamp.save()
    return city
